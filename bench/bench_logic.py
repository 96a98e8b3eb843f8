"""Benchmark: first-match ticket routing with runtime.rules.logic against json-logic-qubit.

A realistic routing table (24 rules of the kinds ticket types use: text contains, equality, urgency/impact
matrices, VIP requesters via `in` over tags, date comparisons, missing checks, nested and/or, between) is
evaluated first-match over a few thousand generated tickets. Both engines must route every ticket to the
same rule; the script prints rule evaluations per second for each and the speed-up.

Run from the repository root:  .venv/bin/python bench/bench_logic.py [--tickets N] [--rounds N]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from json_logic import jsonLogic

from runtime.rules.logic import compile_rule


def v(name: str) -> dict[str, Any]:
    return {"var": name}


ROUTES: list[tuple[str, Any]] = [
    ("noc-east", {"and": [{"in": ["server down", v("title")]}, {"==": [v("region"), "east"]}]}),
    ("noc", {"or": [{"in": ["server down", v("title")]}, {"in": ["outage", v("description")]}]}),
    ("security", {"or": [{"==": [v("category"), "security"]}, {"in": ["phish", v("title")]},
                         {"in": ["security", v("ticket.requester.tags")]}]}),
    ("major-incident", {"and": [{"==": [v("urgency"), "critical"]}, {">=": [v("impact"), 4]},
                                {"!=": [v("ticket.status"), "closed"]}]}),
    ("vip-desk", {"and": [{"in": ["vip", v("ticket.requester.tags")]}, {"<=": [v("ticket.priority"), 2]}]}),
    ("exec-support", {"some": [v("ticket.requester.tags"), {"in": [v(""), ["exec", "board", "c-level"]]}]}),
    ("network-urgent", {"and": [{"==": [v("category"), "network"]}, {"in": [v("urgency"), ["high", "critical"]]}]}),
    ("network", {"==": [v("category"), "network"]}),
    ("overdue", {"and": [{"<": [v("ticket.due_at"), "2025-03-01T00:00:00.000Z"]},
                         {"in": [v("ticket.status"), ["open", "in_progress", "waiting"]]}]}),
    ("stale-waiting", {"and": [{"==": [v("ticket.status"), "waiting"]}, {">": [v("ticket.age_hours"), 72]}]}),
    ("hardware-no-asset", {"and": [{"==": [v("category"), "hardware"]}, {"missing": ["asset_id"]}]}),
    ("hardware", {"and": [{"==": [v("category"), "hardware"]}, {"<=": [1, v("ticket.priority"), 3]}]}),
    ("apac", {"and": [{"in": [v("country"), ["CN", "JP", "KR", "SG", "AU"]]}, {"!": v("ticket.team")}]}),
    ("reopened", {"and": [{">=": [v("ticket.reopened_count"), 2]},
                          {"or": [{"==": [v("ticket.priority"), 1]}, {"==": [v("ticket.priority"), 2]}]}]}),
    ("matrix-high", {"or": [{"and": [{"==": [v("urgency"), "high"]}, {">=": [v("impact"), 3]}]},
                            {"and": [{"==": [v("urgency"), "critical"]}, {">=": [v("impact"), 2]}]}]}),
    ("contact-missing", {"!": {"!": {"missing_some": [1, ["phone", "email"]]}}}),
    ("new-this-year", {"and": [{">=": [v("ticket.created_at"), "2025-01-01T00:00:00.000Z"]},
                               {"==": [v("ticket.status"), "open"]}, {"<": [v("ticket.age_hours"), 4]}]}),
    ("software-unassigned", {"and": [{"==": [v("category"), "software"]}, {"!": v("ticket.team")}]}),
    ("software-app", {"and": [{"==": [v("category"), "software"]},
                              {"in": [v("application"), ["erp", "crm", "mail", "vpn"]]}]}),
    ("big-attachments", {"some": [v("attachments"), {">": [v("size_mb"), 20]}]}),
    ("access", {"or": [{"==": [v("category"), "access"]}, {"in": ["password", v("title")]},
                       {"in": ["locked out", v("description")]}]}),
    ("low-priority", {">=": [v("ticket.priority"), 4]}),
    ("team-queue", {"!!": v("ticket.team")}),
    ("general", {"!!": [v("title")]}),
]

CATEGORIES = ["network", "hardware", "software", "access", "security", "facilities", "other"]
WORDS = ["printer", "laptop", "vpn", "email", "slow", "error", "password", "reset", "crash", "login", "disk", "screen"]
TAGS = ["vip", "exec", "board", "contractor", "security", "new-hire", "remote", "c-level"]


def make_ticket(rng: random.Random, index: int) -> dict[str, Any]:
    """One ticket: form fields at the top level, platform fields under `ticket`; some fields absent or null."""
    created = datetime(2024, 10, 1, tzinfo=UTC) + timedelta(minutes=rng.randrange(0, 260 * 24 * 60))
    title_words = rng.sample(WORDS, 3)
    if rng.random() < 0.06:
        title_words.insert(1, "server down")
    if rng.random() < 0.03:
        title_words.append("phish")
    ticket: dict[str, Any] = {
        "title": " ".join(title_words) if rng.random() > 0.01 else "",
        "description": rng.choice(["", "users report an outage", "locked out of account", "it is broken", "see attached"]),
        "category": rng.choice(CATEGORIES),
        "urgency": rng.choice(["low", "medium", "high", "critical"]),
        "impact": rng.randint(1, 5),
        "region": rng.choice(["east", "west", "north", "south"]),
        "country": rng.choice(["CN", "US", "DE", "JP", "FR", "BR", "SG", "IN"]),
        "application": rng.choice(["erp", "crm", "mail", "vpn", "wiki", None]),
        "attachments": [{"name": f"f{i}.png", "size_mb": rng.randint(1, 30)} for i in range(rng.randint(0, 3))],
        "ticket": {
            "id": index,
            "status": rng.choice(["open", "in_progress", "waiting", "resolved", "closed"]),
            "priority": rng.randint(1, 5),
            "team": rng.choice([None, "", "desk", "noc", "apps"]),
            "requester": {"name": f"user{rng.randrange(500)}", "tags": rng.sample(TAGS, rng.randint(0, 2))},
            "age_hours": rng.randint(0, 400),
            "reopened_count": rng.choice([0, 0, 0, 1, 2, 3]),
            "created_at": created.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
            "due_at": (created + timedelta(hours=rng.choice([4, 8, 24, 72]))).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        },
    }
    for optional in ("asset_id", "phone", "email"):
        if rng.random() < 0.6:
            ticket[optional] = rng.choice([f"{optional}-{index}", ""])
    if rng.random() < 0.05:
        del ticket["category"]
    return ticket


def route_all(evaluators: list[Callable[[Any], Any]], tickets: list[dict[str, Any]]) -> tuple[list[int], int]:
    """First-match routing: the index of the first rule that is truthy for each ticket, and rules evaluated."""
    chosen, evaluated = [], 0
    for ticket in tickets:
        pick = -1
        for index, evaluate in enumerate(evaluators):
            evaluated += 1
            if evaluate(ticket):
                pick = index
                break
        chosen.append(pick)
    return chosen, evaluated


def timed(engines: list[list[Callable[[Any], Any]]], tickets: list[dict[str, Any]],
          rounds: int) -> list[tuple[list[int], int, float]]:
    """Route all tickets with each engine, `rounds` times, alternating engines within each round so that the
    machine's speed drifting during the run affects both alike; keep each engine's best time."""
    best = [float("inf")] * len(engines)
    outcomes: list[tuple[list[int], int]] = [([], 0)] * len(engines)
    for _ in range(rounds):
        for index, evaluators in enumerate(engines):
            start = time.perf_counter()
            outcomes[index] = route_all(evaluators, tickets)
            best[index] = min(best[index], time.perf_counter() - start)
    return [(chosen, evaluated, seconds) for (chosen, evaluated), seconds in zip(outcomes, best, strict=True)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=5)
    options = parser.parse_args()

    rng = random.Random(20250501)
    tickets = [make_ticket(rng, i) for i in range(options.tickets)]
    rules = [rule for _, rule in ROUTES]

    start = time.perf_counter()
    compiled = [compile_rule(rule) for rule in rules]
    compile_ms = (time.perf_counter() - start) * 1000

    qubit = [lambda data, rule=rule: jsonLogic(rule, data) for rule in rules]
    (ours, ours_count, ours_s), (theirs, theirs_count, theirs_s) = timed([compiled, qubit], tickets, options.rounds)

    mismatches = [i for i, (a, b) in enumerate(zip(ours, theirs, strict=True)) if a != b]
    if mismatches:
        first = mismatches[0]
        print(f"MISMATCH on {len(mismatches)} tickets; first: ticket {first} -> runtime.rules.logic "
              f"{ROUTES[ours[first]][0] if ours[first] >= 0 else None}, qubit "
              f"{ROUTES[theirs[first]][0] if theirs[first] >= 0 else None}")
        return 1

    used = sorted({ROUTES[i][0] for i in ours if i >= 0})
    ours_rate, theirs_rate = ours_count / ours_s, theirs_count / theirs_s
    print(f"{len(rules)} routing rules, {len(tickets)} tickets, {ours_count} rule evaluations per pass, "
          f"best of {options.rounds} alternating passes; {len(used)} distinct routes chosen; both engines agree on every ticket.")
    print(f"compile (cold, all rules): {compile_ms:.2f} ms")
    print(f"runtime.rules.logic:     {ours_rate:12,.0f} rules/s  ({ours_s * 1000:8.1f} ms per pass)")
    print(f"json-logic-qubit:  {theirs_rate:12,.0f} rules/s  ({theirs_s * 1000:8.1f} ms per pass)")
    print(f"speed-up: {ours_rate / theirs_rate:.1f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
