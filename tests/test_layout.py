"""The repository's shape: no module shadows the standard library, dependencies point one way, and no
first-party import cycle exists anywhere.

Every import counts, wherever it is written — at the top, inside a function, under TYPE_CHECKING —
because an import moved into a function to dodge a cycle is still a cycle. Importing ``a.b.c`` also
runs ``a/__init__.py`` and ``a/b/__init__.py``, so those count too (except a module's own ancestors,
which Python initialises first anyway).
"""

from __future__ import annotations

import ast
import configparser
import re
import sys
from collections.abc import Iterable, Mapping
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIRST_PARTY = ("gongdan", "platform_core", "designer", "runtime", "templates_library", "tests", "bench", "migrations")
PACKAGES = ("gongdan", "platform_core", "designer", "runtime", "templates_library")

# The layers, lowest first: a module may import its own layer and those below, never one above.
# templates_library is data; gongdan is the composition root, the only code that names them all.
LAYERS = {"templates_library": 0, "platform_core": 0, "runtime": 1, "designer": 2, "gongdan": 3}

# Inside the runtime, the capabilities a package may use (docs/architecture.md draws the same picture).
# Reactions that go the other way (the SLA clocks and automations reacting to a ticket's life, the ticket
# history recording webhook deliveries) are hook subscriptions wired by the composition root.
RUNTIME_USES = {
    "rules": set(),
    "notify": {"rules"},
    "tickets": {"rules", "notify"},
    "calendars": {"rules", "tickets"},
    "automations": {"rules", "notify", "tickets"},
    "sla": {"rules", "notify", "tickets", "calendars", "automations"},
    "intake": {"rules", "notify", "tickets"},  # files tickets; signs as the outbound webhooks do
    "approvals": {"rules", "notify", "tickets", "sla"},
    # reads tickets, events, SLA clocks, survey answers and deflections; writes nothing
    "reports": {"rules", "tickets", "sla", "automations", "knowledge"},
    "knowledge": {"rules", "notify", "tickets"},  # ticket links and access; texts in the reader's language; review reminders
    "dashboards": {"rules", "tickets", "reports"},  # tiles are metrics queries; figures as the charts draw them
    "periodic_reports": {"rules", "notify", "tickets", "sla", "reports"},  # reports from metrics, e-mailed via the outbox
}


def _python_files(*packages: str) -> list[Path]:
    return [p for name in packages if (ROOT / name).exists() for p in (ROOT / name).rglob("*.py")
            if "node_modules" not in p.parts]


def test_no_first_party_module_shadows_the_standard_library():
    names = {"wsgi"}
    for path in _python_files(*FIRST_PARTY):
        parts = path.relative_to(ROOT).with_suffix("").parts
        names.update(part for part in parts if part != "__init__")
    clashes = sorted(names & set(sys.stdlib_module_names))
    assert clashes == [], f"these module names shadow the standard library: {clashes}"


# --------------------------------------------------------------------------- declared dependencies


def _declared_distributions() -> set[str]:
    parser = configparser.ConfigParser()
    parser.read(ROOT / "setup.cfg")
    lines = parser["options"]["install_requires"].strip().splitlines()
    return {re.split(r"[\[<>=!~; ]", line.strip(), maxsplit=1)[0].lower().replace("_", "-") for line in lines if line.strip()}


def _top_level_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def test_the_packages_import_only_the_repository_stdlib_and_declared_dependencies():
    declared = _declared_distributions()
    provided_by = packages_distributions()
    problems = []
    for path in _python_files(*PACKAGES):
        for module in _top_level_imports(path):
            if module in sys.stdlib_module_names or module in PACKAGES:
                continue
            dists = {d.lower().replace("_", "-") for d in provided_by.get(module, [])}
            if not dists & declared:
                problems.append(f"{path.relative_to(ROOT)} imports {module!r}, which is neither ours nor declared")
    assert problems == []


# --------------------------------------------------------------------------- the import graph


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def import_graph(root: Path = ROOT, packages: Iterable[str] = PACKAGES) -> dict[str, set[str]]:
    """Module -> the first-party modules it imports (every import statement, anywhere in the file)."""
    files = {module_name(p, root): p for name in packages if (root / name).exists()
             for p in (root / name).rglob("*.py") if "node_modules" not in p.parts}

    def resolve(name: str) -> str | None:
        while name and name not in files:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {}
    for name, path in files.items():
        is_package = path.name == "__init__.py"
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = name.split(".") if is_package else name.split(".")[:-1]
                    base = base[:len(base) - (node.level - 1)]
                    module = ".".join(base + ([node.module] if node.module else []))
                else:
                    module = node.module or ""
                targets.add(module)
                targets.update(f"{module}.{alias.name}" for alias in node.names)  # `from pkg import submodule`
        deps: set[str] = set()
        for target in targets:
            found = resolve(target)
            if found is None:
                continue
            deps.add(found)
            parts = found.split(".")
            deps.update(".".join(parts[:i]) for i in range(1, len(parts)))  # the packages it initialises
        own_ancestors = {".".join(name.split(".")[:i]) for i in range(1, len(name.split(".")) + 1)}
        graph[name] = {d for d in deps if d not in own_ancestors}
    return graph


def find_cycles(graph: Mapping[str, set[str]]) -> list[list[str]]:
    """Every strongly connected component of more than one module, each as one import chain around it."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []
    counter = 0

    def connect(node: str) -> None:  # Tarjan's algorithm; the graphs are small enough for recursion
        nonlocal counter
        index[node] = low[node] = counter
        counter += 1
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return [_chain(graph, set(component)) for component in components]


def _chain(graph: Mapping[str, set[str]], component: set[str]) -> list[str]:
    """A shortest import chain from the component's first module back to itself, for the message."""
    start = min(component)
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for target in sorted(graph.get(node, ())):
            if target == start:
                return paths[node] + [start]
            if target in component and target not in paths:
                paths[target] = paths[node] + [target]
                queue.append(target)
    return sorted(component)


def upward_imports(graph: Mapping[str, set[str]]) -> list[str]:
    problems = []
    for module, deps in sorted(graph.items()):
        top = module.split(".")[0]
        for dep in sorted(deps):
            dep_top = dep.split(".")[0]
            if LAYERS.get(dep_top, -1) > LAYERS.get(top, 99):
                problems.append(f"{module} imports {dep}: {top} is below {dep_top}")
            elif top == dep_top == "runtime" and module.count(".") >= 1 and dep.count(".") >= 1:
                mine, theirs = module.split(".")[1], dep.split(".")[1]
                if mine != theirs and theirs not in RUNTIME_USES.get(mine, set()):
                    problems.append(f"{module} imports {dep}: runtime.{mine} may use only "
                                    f"{', '.join(sorted(RUNTIME_USES.get(mine, ()))) or 'nothing else in the runtime'}")
    return problems


def test_no_first_party_import_cycle():
    cycles = find_cycles(import_graph())
    assert cycles == [], "import cycles:\n" + "\n".join(" -> ".join(chain) for chain in cycles)


def test_dependencies_point_one_way():
    problems = upward_imports(import_graph())
    assert problems == [], "imports against the layers:\n" + "\n".join(problems)


def test_the_foundation_names_nothing_above_it():
    """`grep -rn "runtime\\|designer" platform_core/` finds no import."""
    graph = import_graph()
    above = sorted(f"{m} -> {d}" for m, deps in graph.items() if m.startswith("platform_core")
                   for d in deps if not d.startswith("platform_core"))
    assert above == [], "\n".join(above)


def test_every_runtime_package_is_in_the_dependency_table():
    packages = {p.name for p in (ROOT / "runtime").iterdir() if (p / "__init__.py").exists()}
    assert packages == set(RUNTIME_USES)


# --------------------------------------------------------------------------- the checks catch what they must


def _tree(tmp_path: Path, files: dict[str, str]) -> dict[str, set[str]]:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return import_graph(tmp_path, PACKAGES)


@pytest.mark.parametrize("deferred", [False, True])
def test_a_planted_cycle_is_found_even_when_an_import_hides_in_a_function(tmp_path, deferred):
    hidden = "def later():\n    from runtime.tickets import b\n" if deferred else "from runtime.tickets import b\n"
    graph = _tree(tmp_path, {"runtime/__init__.py": "", "runtime/tickets/__init__.py": "",
                             "runtime/tickets/a.py": hidden, "runtime/tickets/b.py": "from runtime.tickets import a\n"})
    assert find_cycles(graph) == [["runtime.tickets.a", "runtime.tickets.b", "runtime.tickets.a"]]


def test_a_cycle_through_a_package_init_is_found(tmp_path):
    graph = _tree(tmp_path, {"platform_core/__init__.py": "from platform_core.app import make\n",
                             "platform_core/app.py": "import runtime.views\n",
                             "platform_core/db.py": "", "runtime/__init__.py": "",
                             "runtime/views.py": "from platform_core.db import x\n"})
    assert find_cycles(graph) == [["platform_core", "platform_core.app", "runtime.views", "platform_core"]]


def test_a_planted_upward_import_is_found(tmp_path):
    graph = _tree(tmp_path, {"platform_core/__init__.py": "", "platform_core/app.py": "import designer.views\n",
                             "designer/__init__.py": "", "designer/views.py": "",
                             "runtime/__init__.py": "", "runtime/rules/__init__.py": "",
                             "runtime/rules/cache.py": "from runtime.tickets.models import Ticket\n",
                             "runtime/tickets/__init__.py": "", "runtime/tickets/models.py": ""})
    assert upward_imports(graph) == [
        "platform_core.app imports designer: platform_core is below designer",
        "platform_core.app imports designer.views: platform_core is below designer",
        "runtime.rules.cache imports runtime.tickets: runtime.rules may use only nothing else in the runtime",
        "runtime.rules.cache imports runtime.tickets.models: runtime.rules may use only nothing else in the runtime"]
