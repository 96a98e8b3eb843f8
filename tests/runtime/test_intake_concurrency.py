"""Intake under concurrency, over a real threaded HTTP server: simultaneous posts of one new alarm make exactly one
ticket (the rest count on it), and simultaneous posts with one source key act once (the rest replay its answer)."""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from runtime.intake.models import IntakeCall
from runtime.intake.services import worth_telling
from runtime.tickets.models import Ticket, TicketEvent
from tests.runtime.test_intake import ALARM, count, incident_type, make_endpoint  # noqa: F401  (a fixture)
from tests.support.servers import threaded_server

THREADS = 8
PER_THREAD = 25


@pytest.fixture
def server(app) -> Iterator[str]:
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no line per request
    with threaded_server(app) as url:
        yield url


def storm(url: str, token: str, payloads: list[dict[str, Any]]) -> list[httpx.Response]:
    """Each thread posts its payloads one after the other; all threads start together."""
    responses: list[httpx.Response] = []
    lock = threading.Lock()
    start = threading.Barrier(len(payloads))

    def run(payload: dict[str, Any]) -> None:
        with httpx.Client(timeout=60) as client:
            start.wait()
            for _ in range(PER_THREAD):
                response = client.post(url, json=payload, headers={"Authorization": f"Bearer {token}"})
                with lock:
                    responses.append(response)

    threads = [threading.Thread(target=run, args=(payload,)) for payload in payloads]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return responses


def test_simultaneous_posts_of_one_alarm_make_exactly_one_ticket(app, admin, incident_type, server):  # noqa: F811
    endpoint = make_endpoint(admin, source_key=None)
    responses = storm(f"{server}/api/v1/intake/mes-alarms", endpoint["secret"], [ALARM] * THREADS)
    outcomes = Counter((r.status_code, r.json()["outcome"]) for r in responses)
    assert outcomes == {(201, "created"): 1, (200, "deduplicated"): THREADS * PER_THREAD - 1}, outcomes
    assert len({r.json()["ticket"]["id"] for r in responses}) == 1
    assert sorted(r.json()["occurrences"] for r in responses) == list(range(1, THREADS * PER_THREAD + 1))
    assert count(app, Ticket) == 1
    # the history tells of repeats 2, 10, 100 …: each count is reached once, under the alarm row's lock
    assert count(app, TicketEvent, TicketEvent.kind == "intake_repeated") == sum(
        worth_telling(n) for n in range(2, THREADS * PER_THREAD + 1))
    assert count(app, IntakeCall) == THREADS * PER_THREAD


def test_simultaneous_posts_with_one_source_key_act_once(app, admin, incident_type, server):  # noqa: F811
    endpoint = make_endpoint(admin, dedup_key=None)
    payloads = [{**ALARM, "machine": f"CNC-{i}"} for i in range(THREADS)]  # one event id, bodies differ
    responses = storm(f"{server}/api/v1/intake/mes-alarms", endpoint["secret"], payloads)
    outcomes = Counter((r.status_code, r.json()["outcome"]) for r in responses)
    assert outcomes == {(201, "created"): 1, (200, "replayed"): THREADS * PER_THREAD - 1}, outcomes
    assert len({r.json()["ticket"]["id"] for r in responses}) == 1
    assert count(app, Ticket) == 1
