"""The simulated users: a bounded async HTTP client (httpx) over loopback, each user a closed loop for a fixed time:
without think time by default (each user is a client that sends its next request as soon as it has the answer, so
the users find the stack's ceiling), or pausing a random while between requests as a person does (``think``
seconds on average, exponentially distributed).

Each user files tickets through the portal path (``POST /api/v1/tickets`` with an ``Idempotency-Key``) as its own
requester, and works them as an agent: takes transitions and comments only on the tickets it filed (so two users
never race for one ticket's next state), reads them as the requester, lists a page of 25 of the agent's queue and
its in-app notifications.

Retries are what a careful client does: a connection error or a 502/503/504 is retried with back-off with the same
request — the same ``Idempotency-Key`` for a create or a comment; a transition retried after its first attempt may
have been taken counts as done when the ticket already stands in the target state.
"""

from __future__ import annotations

import asyncio
import random
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import httpx

from bench.load.seed import DATA

# (operation, weight): about what a service desk's day looks like, reads outnumbering writes
MIX = (("create", 15), ("list", 25), ("transition", 15), ("comment", 15), ("read", 20), ("notifications", 10))
OPERATIONS = (*tuple(name for name, _ in MIX), "me", "upload")
NEXT = {"new": ("start", "in_progress"), "assigned": ("start", "in_progress"), "in_progress": ("ask", "waiting"),
        "waiting": ("answer", "in_progress")}
RETRIABLE = {502, 503, 504}
RETRY_FOR_SECONDS = 90.0


@dataclass
class Results:
    """What the clients saw: every attempt's latency and outcome, per operation."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    completed: Counter = field(default_factory=Counter)  # operations that ended in success
    failed: Counter = field(default_factory=Counter)  # operations that ended in a failure (after retries)
    attempts_failed: Counter = field(default_factory=Counter)  # (operation, status or error) of each bad attempt
    retried_ok: Counter = field(default_factory=Counter)  # operations that succeeded after at least one retry
    failures: list[str] = field(default_factory=list)  # a few examples
    created: dict[str, dict] = field(default_factory=dict)  # Idempotency-Key -> {"id", "number", "user"}
    unacknowledged: list[str] = field(default_factory=list)  # keys whose create never got a 201
    seconds: float = 0.0

    def merge(self, other: Results) -> None:
        for op, values in other.latencies.items():
            self.latencies[op].extend(values)
        for name in ("completed", "failed", "attempts_failed", "retried_ok"):
            getattr(self, name).update(getattr(other, name))
        self.failures.extend(other.failures[: max(0, 20 - len(self.failures))])
        self.created.update(other.created)
        self.unacknowledged.extend(other.unacknowledged)


class User:
    def __init__(self, index: int, client: httpx.AsyncClient, requester_token: str, agent_token: str,
                 results: Results, mix: tuple[tuple[str, int], ...]) -> None:
        self.index, self.client, self.results = index, client, results
        self.requester = {"Authorization": f"Bearer {requester_token}"}
        self.agent = {"Authorization": f"Bearer {agent_token}"}
        self.tickets: dict[int, str] = {}  # the tickets this user filed: id -> status
        self.random = random.Random(index)
        self.operations = [name for name, _ in mix]
        self.weights = [weight for _, weight in mix]
        self.serial = 0

    async def _attempt(self, op: str, method: str, url: str, headers: dict, **kwargs) -> httpx.Response | str:
        started = time.perf_counter()
        try:
            response = await self.client.request(method, url, headers=headers, **kwargs)
        except httpx.TransportError as error:
            self.results.attempts_failed[(op, type(error).__name__)] += 1
            return type(error).__name__
        self.results.latencies[op].append(time.perf_counter() - started)
        if response.status_code >= 400:
            self.results.attempts_failed[(op, str(response.status_code))] += 1
            if len(self.results.failures) < 20:
                self.results.failures.append(f"{op} {method} {url}: {response.status_code} {response.text[:300]}")
        return response

    async def call(self, op: str, method: str, url: str, headers: dict, *, retry_sent: bool = True,
                   done_when=None, **kwargs) -> httpx.Response | None:
        """The request, retried as the module says; None when it failed for good."""
        give_up = time.monotonic() + RETRY_FOR_SECONDS
        delay, attempts = 0.2, 0
        while True:
            attempts += 1
            outcome = await self._attempt(op, method, url, headers, **kwargs)
            if isinstance(outcome, httpx.Response) and outcome.status_code < 400:
                self.results.completed[op] += 1
                if attempts > 1:
                    self.results.retried_ok[op] += 1
                return outcome
            if attempts > 1 and done_when is not None and isinstance(outcome, httpx.Response) \
                    and outcome.status_code == 409 and await done_when():
                self.results.completed[op] += 1
                self.results.retried_ok[op] += 1
                return None
            retriable = (outcome == "ConnectError" or (retry_sent and isinstance(outcome, str))
                         or (isinstance(outcome, httpx.Response) and outcome.status_code in RETRIABLE))
            if not retriable or time.monotonic() > give_up:
                self.results.failed[op] += 1
                return None
            await asyncio.sleep(delay)
            delay = min(delay * 2, 5.0)

    async def create(self) -> None:
        self.serial += 1
        key = f"load-{self.index}-{self.serial}-{uuid.uuid4().hex[:12]}"
        data = {**DATA, "title": f"Load ticket {self.index}-{self.serial}", "urgency": ("high", "medium", "low")[self.serial % 3]}
        response = await self.call("create", "POST", "/api/v1/tickets", {**self.requester, "Idempotency-Key": key},
                                   json={"type": "it-incident", "data": data})
        if response is None:
            self.results.unacknowledged.append(key)
            return
        body = response.json()
        self.results.created[key] = {"id": body["id"], "number": body["number"], "user": self.index}
        self.tickets[body["id"]] = body["status"]

    def _mine(self) -> int | None:
        return self.random.choice(list(self.tickets)) if self.tickets else None

    async def transition(self) -> None:
        ticket_id = self._mine()
        status = self.tickets.get(ticket_id)
        if ticket_id is None or status not in NEXT:
            return await self.create()
        key, target = NEXT[status]
        body = {"comment": "Load: asking for details"} if key in ("ask", "answer") else {}

        async def done() -> bool:
            check = await self.client.get(f"/api/v1/tickets/{ticket_id}", headers=self.agent)
            return check.status_code == 200 and check.json()["status"] == target

        response = await self.call("transition", "POST", f"/api/v1/tickets/{ticket_id}/transitions/{key}",
                                   self.agent, json=body, done_when=done)
        if response is not None or await done():
            self.tickets[ticket_id] = target

    async def comment(self) -> None:
        ticket_id = self._mine()
        if ticket_id is None:
            return await self.create()
        self.serial += 1
        key = f"load-comment-{self.index}-{self.serial}-{uuid.uuid4().hex[:8]}"
        await self.call("comment", "POST", f"/api/v1/tickets/{ticket_id}/comments", {**self.agent, "Idempotency-Key": key},
                        json={"body": f"Load comment {self.serial} by user {self.index}"})

    async def read(self) -> None:
        ticket_id = self._mine()
        if ticket_id is None:
            return await self.create()
        await self.call("read", "GET", f"/api/v1/tickets/{ticket_id}", self.requester)

    async def list(self) -> None:
        await self.call("list", "GET", "/api/v1/tickets?limit=25", self.agent)

    async def notifications(self) -> None:
        await self.call("notifications", "GET", "/api/v1/notifications?limit=25", self.agent)

    async def me(self) -> None:
        await self.call("me", "GET", "/api/v1/me", self.agent)

    async def upload(self) -> None:
        ticket_id = self._mine()
        if ticket_id is None:
            return await self.create()
        await self.call("upload", "POST", f"/api/v1/tickets/{ticket_id}/attachments", self.agent,
                        files={"file": ("evidence.txt", b"load evidence " * 4096, "text/plain")})

    async def run(self, until: float, think: float = 0.0) -> None:
        if think > 0:
            # People arrive as they think: each user's first request comes after a pause like the others, not all
            # at the level's first instant (a user with no ticket yet files one first, so an unstaggered start is
            # a burst of every user's create at once, which no desk sees).
            await asyncio.sleep(min(self.random.expovariate(1 / think), max(0.0, until - time.monotonic())))
        while time.monotonic() < until:
            op = self.random.choices(self.operations, self.weights)[0]
            await getattr(self, op)()
            if think > 0:
                await asyncio.sleep(min(self.random.expovariate(1 / think), max(0.0, until - time.monotonic())))


async def drive(base: str, users: int, seconds: float, requester_tokens: list[str], agent_tokens: list[str],
                mix: tuple[tuple[str, int], ...] = MIX, during=None, think: float = 0.0) -> Results:
    """``users`` simulated users for ``seconds``, each pausing ``think`` seconds on average between requests;
    ``during(results)``, if given, runs beside them (a fault)."""
    results = Results()
    limits = httpx.Limits(max_connections=users, max_keepalive_connections=users)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=httpx.Timeout(30.0)) as client:
        started = time.monotonic()
        until = started + seconds
        people = [User(i, client, requester_tokens[i % len(requester_tokens)], agent_tokens[i % len(agent_tokens)],
                       results, mix) for i in range(users)]
        tasks = [asyncio.create_task(person.run(until, think)) for person in people]
        if during is not None:
            tasks.append(asyncio.create_task(during(results, people)))
        await asyncio.gather(*tasks)
        results.seconds = time.monotonic() - started
    return results
