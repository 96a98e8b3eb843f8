"""The integrity checks after a run, read straight from the database and the webhook receiver's log.

- every acknowledged create exists exactly once, as the ticket its 201 named (by ``Idempotency-Key``), and no
  ticket was created without its key's record (a retry that created a second ticket would show here);
- ticket numbers have no duplicates;
- every outbox message was delivered, and exactly once — a message that reached the receiver twice is counted,
  and is allowed only where docs/notifications.md says a receiver may see one twice (the sending process died
  after the receiver answered and before the outcome was recorded: more than one attempt on that message);
- every SLA clock made due during the run has fired its breach, and each mark fired once: one mark row and one
  history event per mark.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import create_engine, text


@dataclass
class Check:
    name: str
    ok: bool
    detail: str


@dataclass
class Integrity:
    checks: list[Check] = field(default_factory=list)
    duplicates_allowed: int = 0

    @property
    def ok(self) -> bool:
        return all(check.ok for check in self.checks)

    def add(self, name: str, ok: bool, detail: str) -> None:
        self.checks.append(Check(name, ok, detail))


def outbox_open(database_url: str) -> int:
    """Messages still to deliver (pending, sending or failed)."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            return connection.scalar(text("SELECT count(*) FROM outbox_message "
                                          "WHERE status IN ('pending', 'sending', 'failed')"))
    finally:
        engine.dispose()


def sla_due(database_url: str, clock_ids: list[int]) -> tuple[int, datetime]:
    """Of ``clock_ids``, how many have a check due that the sweep has not done yet, and the database's now."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            row = connection.execute(text("SELECT count(*), now() FROM ticket_sla WHERE id = ANY(:ids) "
                                          "AND next_check_at <= now()"), {"ids": clock_ids}).one()
            return row[0], row[1]
    finally:
        engine.dispose()


def verify(database_url: str, created: dict[str, dict], unacknowledged: list[str], receiver_log: Path,
           due_clock_ids: list[int], swept_at: datetime | None) -> Integrity:
    """The checks; SLA clocks count as due when they were due at ``swept_at``, the moment the sweep was seen to have
    caught up (a clock that comes due after it is the next sweep's)."""
    out = Integrity()
    engine = create_engine(database_url)
    try:
        with engine.connect() as db:
            records: dict[str, list[int]] = {}  # the creates' keys (comments have keys too, with their comment_id)
            for key, ticket_id in db.execute(text("SELECT key, ticket_id FROM idempotency_record "
                                                  "WHERE key LIKE 'load-%' AND comment_id IS NULL")):
                records.setdefault(key, []).append(ticket_id)
            numbers = dict(db.execute(text("SELECT id, number FROM ticket WHERE number NOT LIKE 'GEN-%'")).all())
            wrong = [key for key, seen in created.items()
                     if records.get(key) != [seen["id"]] or numbers.get(seen["id"]) != seen["number"]]
            out.add("acknowledged creates exist once", not wrong,
                    f"{len(created):,} acknowledged, {len(wrong)} missing or not the ticket answered"
                    + (f" (e.g. {wrong[:3]})" if wrong else ""))
            committed_unacked = sum(1 for key in unacknowledged if key in records)
            # every ticket the load made carries its key's record; the one model ticket of the seed has none
            without_key = len(numbers) - 1 - sum(len(ids) for ids in records.values())
            out.add("no create without its key", without_key == 0,
                    f"{len(numbers) - 1:,} tickets created over HTTP, {without_key} without an Idempotency-Key record; "
                    f"{len(unacknowledged)} creates never acknowledged ({committed_unacked} of them committed)")
            duplicate_numbers = db.scalar(text("SELECT count(*) FROM (SELECT number FROM ticket GROUP BY number "
                                               "HAVING count(*) > 1) AS d"))
            total = db.scalar(text("SELECT count(*) FROM ticket"))
            out.add("ticket numbers unique", duplicate_numbers == 0,
                    f"{total:,} tickets, {duplicate_numbers} duplicated numbers")

            messages = {row.delivery_id: row for row in db.execute(text(
                "SELECT m.delivery_id, m.status, m.attempts, "
                "(SELECT count(*) FROM outbox_attempt AS a WHERE a.message_id = m.id) AS tries "
                "FROM outbox_message AS m WHERE m.channel = 'webhook'"))}
            arrived: Counter = Counter()
            unsigned = 0
            if receiver_log.exists():
                for line in receiver_log.read_text().splitlines():
                    entry = json.loads(line)
                    arrived[entry["delivery"]] += 1
                    unsigned += not entry["signed"]
            not_sent = Counter(row.status for row in messages.values() if row.status != "sent")
            never_arrived = [d for d, row in messages.items() if row.status == "sent" and not arrived[d]]
            twice = [d for d in messages if arrived[d] > 1]
            # allowed: the message went out more than once because its first sender died before recording it
            allowed = [d for d in twice if messages[d].attempts > 1]
            strangers = [d for d in arrived if d not in messages]
            out.duplicates_allowed = len(allowed)
            out.add("outbox delivered exactly once",
                    not not_sent and not never_arrived and len(twice) == len(allowed) and not strangers and not unsigned,
                    f"{len(messages):,} webhook messages; not sent: {dict(not_sent) or 0}; sent but never arrived: "
                    f"{len(never_arrived)}; arrived twice: {len(twice)} ({len(allowed)} after a lost outcome, as "
                    f"docs/notifications.md allows); unknown: {len(strangers)}; bad signature: {unsigned}")

            if due_clock_ids and swept_at is None:
                out.add("due SLA marks fired once", False, "the sweep never caught up with the due clocks")
            elif due_clock_ids:
                clocks = db.execute(text("SELECT s.id, s.ticket_id, s.metric, s.cycle, s.due_at <= :as_of AS due, "
                                         "(SELECT count(*) FROM sla_mark AS m WHERE m.sla_id = s.id "
                                         " AND m.mark = 'breach') AS breaches "
                                         "FROM ticket_sla AS s WHERE s.id = ANY(:ids)"),
                                    {"ids": due_clock_ids, "as_of": swept_at}).all()
                due = [c for c in clocks if c.due]
                unfired = [c.id for c in due if c.breaches != 1]
                marks = Counter()
                for _sla_id, ticket_id, mark in db.execute(text(
                        "SELECT m.sla_id, s.ticket_id, m.mark FROM sla_mark AS m JOIN ticket_sla AS s ON s.id = m.sla_id "
                        "WHERE m.sla_id = ANY(:ids)"), {"ids": due_clock_ids}):
                    marks[(ticket_id, mark)] += 1
                events = Counter()
                for ticket_id, kind, details in db.execute(text(
                        "SELECT ticket_id, kind, details FROM ticket_event WHERE kind IN "
                        "('sla_warning', 'sla_breached', 'escalated') AND ticket_id = ANY(:tickets)"),
                        {"tickets": [c.ticket_id for c in clocks]}):
                    details = details if isinstance(details, dict) else json.loads(details)
                    if details.get("metric") != "response":
                        continue
                    mark = (details["mark"] if kind == "sla_warning" else "breach" if kind == "sla_breached"
                            else f"escalate:{details['level']}")
                    events[(ticket_id, mark)] += 1
                mismatched = [k for k in set(marks) | set(events) if marks[k] != 1 or events[k] != 1]
                out.add("due SLA marks fired once", not unfired and not mismatched,
                        f"{len(due)} clocks due by the last sweep of {len(clocks)} made due; {sum(marks.values())} marks fired; "
                        f"without their breach: {len(unfired)}; marks not exactly once (row and event): {len(mismatched)}")
    finally:
        engine.dispose()
    return out
