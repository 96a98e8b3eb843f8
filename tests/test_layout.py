"""The repository's shape: no module shadows the standard library, and imports point one way."""

from __future__ import annotations

import ast
import configparser
import re
import sys
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIRST_PARTY = ("platform_core", "designer", "runtime", "templates_library", "tests", "bench", "migrations")


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


def _declared_distributions() -> set[str]:
    parser = configparser.ConfigParser()
    parser.read(ROOT / "setup.cfg")
    lines = parser["options"]["install_requires"].strip().splitlines()
    return {re.split(r"[\[<>=!~; ]", line.strip(), maxsplit=1)[0].lower().replace("_", "-") for line in lines if line.strip()}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def test_designer_and_runtime_import_only_the_repository_stdlib_and_declared_dependencies():
    declared = _declared_distributions()
    provided_by = packages_distributions()
    allowed_first_party = {"platform_core", "designer", "runtime", "templates_library"}
    problems = []
    for path in _python_files("designer", "runtime"):
        for module in _imports(path):
            if module in sys.stdlib_module_names or module in allowed_first_party:
                continue
            dists = {d.lower().replace("_", "-") for d in provided_by.get(module, [])}
            if not dists & declared:
                problems.append(f"{path.relative_to(ROOT)} imports {module!r}, which is neither ours nor declared")
    assert problems == []


def test_dependencies_point_one_way():
    problems = []
    for path in _python_files("runtime"):
        if "designer" in _imports(path):
            problems.append(f"{path.relative_to(ROOT)}: runtime must not import designer")
    for path in _python_files("platform_core"):
        if path.name not in ("app.py", "models.py") and _imports(path) & {"designer", "runtime"}:
            problems.append(f"{path.relative_to(ROOT)}: only app.py and models.py (registries) may import designer or runtime")
    assert problems == []
