"""Benchmark: validate_definition on a large generated definition and on the IT-incident example.

The generated definition is the size the designer must stay fast for: a 200-field form (text, numbers, dates,
enums, multi-selects), 40 states and 50 transitions (guards, transition fields, required fields, actions),
a 3-field priority matrix with overrides, 40 routing rules, 6 SLA policies with escalation ladders,
30 field rules, 20 automations and 10 charts: about 180 JsonLogic rules in all. It must validate without a
single problem, so that every check runs to the end.

Each figure is the median and the 95th percentile of N validations in one process (warm: the meta-schema
validators are built at import and compiled rules are cached by the rule engine, as in the server), plus the
first ("cold") validation, which also compiles every rule.

Run from the repository root:  .venv/bin/python bench/bench_validation.py [--runs N] [--profile]
"""

from __future__ import annotations

import argparse
import copy
import cProfile
import json
import pstats
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from designer.format.document import canonical_json  # noqa: E402
from designer.validation import validate_definition  # noqa: E402

BUDGET_MS = 100.0
EXAMPLE = ROOT / "designer" / "format" / "examples" / "it-incident.json"


def v(name: str) -> dict[str, Any]:
    return {"var": name}


def generate(fields: int = 200, states: int = 40, transitions: int = 50, seed: int = 7) -> dict[str, Any]:
    """A large, valid definition. Deterministic for a given seed."""
    rnd = random.Random(seed)
    regions = ["east", "west", "north", "south", "central"]
    properties: dict[str, Any] = {
        "title": {"type": "string", "title": "Title", "minLength": 3, "maxLength": 200},
        "category": {"type": "string", "title": "Category", "enum": ["hardware", "software", "network", "access"]},
        "urgency": {"type": "string", "title": "Urgency", "enum": ["high", "medium", "low"]},
        "impact": {"type": "string", "title": "Impact", "enum": ["company", "department", "person"]},
        "region": {"type": "string", "title": "Region", "enum": regions},
        "amount": {"type": "number", "title": "Amount", "minimum": 0},
    }
    kinds = ["text", "number", "enum", "date", "multi", "bool", "textarea"]
    while len(properties) < fields:
        i = len(properties)
        kind = kinds[i % len(kinds)]
        name = f"field_{i:03d}"
        if kind == "text":
            properties[name] = {"type": "string", "title": f"Text {i}", "maxLength": 200, "pattern": "^[^<>]*$"}
        elif kind == "number":
            properties[name] = {"type": "integer", "title": f"Count {i}", "minimum": 0, "maximum": 10_000}
        elif kind == "enum":
            properties[name] = {"type": "string", "title": f"Choice {i}", "enum": [f"opt{j}" for j in range(rnd.randint(3, 12))]}
        elif kind == "date":
            properties[name] = {"type": "string", "title": f"Date {i}", "format": "date"}
        elif kind == "multi":
            properties[name] = {"type": "array", "title": f"Tags {i}", "uniqueItems": True,
                                "items": {"type": "string", "enum": ["a", "b", "c", "d"]}}
        elif kind == "bool":
            properties[name] = {"type": "boolean", "title": f"Flag {i}", "default": False}
        else:
            properties[name] = {"type": "string", "title": f"Notes {i}", "maxLength": 5000}
    names = list(properties)
    texts = [n for n in names if properties[n].get("type") == "string" and "enum" not in properties[n]]
    numbers = [n for n in names if properties[n].get("type") in ("integer", "number")]
    enums = [n for n in names if "enum" in properties[n]]
    bools = [n for n in names if properties[n].get("type") == "boolean"]

    def condition(depth: int = 0) -> Any:
        choice = rnd.randrange(7 if depth < 2 else 5)
        if choice == 0:
            field = rnd.choice(enums)
            return {"==": [v(field), rnd.choice(properties[field]["enum"])]}
        if choice == 1:
            return {">=": [v(rnd.choice(numbers)), rnd.randint(1, 100)]}
        if choice == 2:
            return {"in": [rnd.choice(["down", "urgent", "vpn", "printer"]), v(rnd.choice(texts))]}
        if choice == 3:
            return {"in": ["vip", v("ticket.requester.tags")]}
        if choice == 4:
            return {"!": {"missing": [rnd.choice(names)]}}
        if choice == 5:
            return {"and": [condition(depth + 1), condition(depth + 1)]}
        return {"or": [condition(depth + 1), {"!!": v(rnd.choice(bools))}]}

    categories = ["new", "open", "open", "open", "pending"]
    state_list = [{"key": "new", "name": "New", "category": "new", "initial": True}]
    for i in range(1, states - 2):
        state_list.append({"key": f"s{i:02d}", "name": f"Stage {i}", "category": categories[i % len(categories)]})
    state_list.append({"key": "resolved", "name": "Resolved", "category": "resolved"})
    state_list.append({"key": "closed", "name": "Closed", "category": "closed", "final": True})
    keys = [s["key"] for s in state_list]
    transition_list: list[dict[str, Any]] = []
    for i in range(len(keys) - 1):  # a spine through every state
        transition_list.append({"key": f"t{i:02d}", "name": f"Step {i}", "from": [keys[i]], "to": keys[i + 1],
                                "roles": ["agent"]})
    while len(transition_list) < transitions - 1:  # and "cancel", below
        i = len(transition_list)
        source = rnd.sample(keys[:-1], rnd.randint(1, 3))
        increment = {"+": [v(rnd.choice(numbers)), 1]}
        transition: dict[str, Any] = {"key": f"t{i:02d}", "name": f"Jump {i}", "from": source, "to": rnd.choice(keys[1:]),
                                      "roles": rnd.sample(["agent", "supervisor", "requester"], 2),
                                      "guard": condition(), "require": ["comment", rnd.choice(names)],
                                      "fields": {f"note_{i}": {"type": "string", "title": "Note", "minLength": 5},
                                                 f"eta_{i}": {"type": "string", "format": "date"}},
                                      "checklist": ["Checked with the requester"],
                                      "actions": [{"do": "notify", "to": ["requester", "team.supervisor"],
                                                   "channels": ["email", "in_app"]},
                                                  {"do": "set", "fields": {rnd.choice(numbers): increment}}]}
        transition_list.append(transition)
    transition_list.append({"key": "cancel", "name": "Cancel", "from": "*", "to": "closed", "roles": ["supervisor"]})

    routing = [{"name": f"Route {i}", "when": condition(), "assign": {"team": f"team-{i % 8}", "strategy": rnd.choice(
        ["round_robin", "least_loaded", "on_duty", "none"])}, "notify": [{"to": ["team"], "channels": ["in_app"]}]}
        for i in range(39)]
    routing.append({"name": "Everything else", "when": True, "assign": {"team": "service-desk", "strategy": "round_robin"}})
    levels = ["P1", "P2", "P3", "P4"]
    cells = {f"{u}|{im}|{r}": rnd.choice(levels) for u in properties["urgency"]["enum"]
             for im in properties["impact"]["enum"] for r in regions}
    cells.update({"high|company|*": "P1", "*": "P4"})
    policies = []
    for i in range(6):
        targets = {level: {"response": f"PT{15 * (n + 1)}M", "resolution": f"PT{4 * (n + 1)}H", "next_update": "P1D"}
                   for n, level in enumerate(levels)}
        policies.append({"name": f"Policy {i}", "when": condition() if i < 5 else True, "calendar": "business-hours",
                         "targets": targets, "pause_in": ["pending", "s03"], "warn_before": ["PT30M", "PT10M"],
                         "warn_at": [0.5, 0.8],
                         "escalate": [{"after_breach": "PT0M", "notify": ["assignee", "team.supervisor"],
                                       "channels": ["in_app", "email"]},
                                      {"after_breach": "PT30M", "notify": ["team.manager"], "raise_priority": True},
                                      {"after_breach": "PT4H", "notify": ["role:executive"],
                                       "reassign": {"team": "major-incidents"}}]})
    automations = []
    for i in range(20):
        trigger = ["created", "field_changed", "transitioned", "elapsed"][i % 4]
        automation: dict[str, Any] = {"name": f"Automation {i}", "on": trigger, "when": condition(),
                                      "do": [{"do": "notify", "to": ["assignee"], "template": "generic"},
                                             {"do": "create_child", "type": "purchase-request",
                                              "map": {"amount": v("amount"), "reason": {"cat": ["From ", v("ticket.number")]}}}]}
        if trigger == "field_changed":
            automation["field"] = rnd.choice(names)
        elif trigger == "transitioned":
            automation["transition"] = rnd.choice(transition_list)["key"]
        elif trigger == "elapsed":
            automation.update(state=rnd.choice(keys[1:-2]), after="P2D")
        automations.append(automation)
    charts = [{"key": f"chart_{i}", "title": f"Chart {i}", "type": rnd.choice(["bar", "line", "pie", "table"]),
               "source": "tickets", "filter": condition(), "dimensions": [rnd.choice(enums), "priority"],
               "measures": [{"agg": "count"}, {"agg": "avg", "field": rnd.choice(numbers)},
                            {"agg": "p90", "field": "ticket.age_hours"}]}
              for i in range(10)]
    return {
        "format": 1, "key": "big-type", "name": "A big ticket type", "number_prefix": "BIG",
        "categories": ["hardware", "software", "network", "access"],
        "form": {"schema": {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
                            "required": ["title", "category", "urgency", "impact"], "properties": properties},
                 "ui": {"ui:order": ["title", "*"], "field_007": {"ui:widget": "textarea"}},
                 "field_rules": [{"when": condition(), "show": rnd.sample(names[6:], 2), "require": [rnd.choice(names[6:])]}
                                 for _ in range(30)]},
        "priority": {"levels": levels, "default": "P3",
                     "matrix": {"by": ["urgency", "impact", "region"], "cells": cells},
                     "overrides": [{"when": condition(), "raise_by": 1} for _ in range(8)] + [
                         {"when": condition(), "set": "P1"}, {"when": condition(), "lower_by": 1}]},
        "workflow": {"states": state_list, "transitions": transition_list},
        "routing": routing, "sla": policies, "automations": automations, "charts": charts,
    }


def count_rules(document: dict[str, Any]) -> int:
    """Conditions (when, guard, filter) and computed values (set fields, create_child map) in the document."""
    count = 0
    stack: list[Any] = [document]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            count += sum(1 for key in ("when", "guard", "filter") if key in node)
            if node.get("do") == "set" and isinstance(node.get("fields"), dict):
                count += len(node["fields"])
            if node.get("do") == "create_child" and isinstance(node.get("map"), dict):
                count += len(node["map"])
            stack.extend(value for key, value in node.items() if key not in ("when", "guard", "filter"))
        elif isinstance(node, list):
            stack.extend(node)
    return count


def measure(document: Any, runs: int) -> tuple[float, float, float]:
    """(first run, median, p95) in milliseconds. The first run gets a fresh copy, so no rule is cached by
    identity; the rule engine's cache is keyed by canonical JSON and survives between runs, as in a server."""
    start = time.perf_counter()
    report = validate_definition(copy.deepcopy(document))
    first = (time.perf_counter() - start) * 1000
    if not report.ok:
        raise SystemExit("the benchmark definition does not validate:\n" + "\n".join(
            f"  {p.pointer}: {p.message}" for p in report.errors[:20]))
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        validate_definition(document)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return first, statistics.median(times), times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--profile", action="store_true", help="print the top functions of a cProfile run")
    args = parser.parse_args()

    big = generate()
    example = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    form_fields = len(big["form"]["schema"]["properties"])
    print(f"generated definition: {form_fields} fields, {len(big['workflow']['states'])} states, "
          f"{len(big['workflow']['transitions'])} transitions, {count_rules(big)} rules, "
          f"{len(canonical_json(big)) / 1024:.0f} KiB of JSON")
    rows = [("generated (200 fields, 50 transitions)", big), ("designer/format/examples/it-incident.json", example)]
    print(f"{'definition':42} {'first':>9} {'median':>9} {'p95':>9}   (ms, {args.runs} runs)")
    for name, document in rows:
        first, median, p95 = measure(document, args.runs)
        print(f"{name:42} {first:9.1f} {median:9.1f} {p95:9.1f}")
        if document is big and p95 > BUDGET_MS:
            print(f"  over the {BUDGET_MS:.0f} ms budget")
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(10):
            validate_definition(big)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)


if __name__ == "__main__":
    main()
