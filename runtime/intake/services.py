"""Intake endpoints (admin), the mapping test (designer), and receiving a call: authenticate, map, validate,
then create a ticket, count a repeat on the open one, or answer as the earlier call with the same source key.

Each call is one transaction. A rejected call writes nothing but its line in the intake log, in a transaction of
its own after the rollback. Two simultaneous calls with one deduplication key serialise on that key's
``intake_alarm`` row (inserted if missing, then locked ``FOR UPDATE``; SQLite has one writer at a time), and two
with one source key on the unique ``intake_source_key`` row, so no check-then-insert race can make two tickets.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import delete, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, lazyload

from platform_core import audit, guards
from platform_core.auth.models import User
from platform_core.auth.throttle import wait_for_limit
from platform_core.db import db_session, utcnow
from platform_core.errors import ApiError, Conflict, NotFound, PayloadTooLarge, RateLimited, Unauthorized, ValidationFailed
from runtime.intake.mapping import Mapped, check_settings, form_errors_at_payload, map_payload
from runtime.intake.models import IntakeAlarm, IntakeCall, IntakeEndpoint, IntakeSourceKey
from runtime.notify.channels import SIGNATURE_HEADER, sign_body
from runtime.rules import texts
from runtime.rules.cache import compiled_for
from runtime.tickets.comments import add_comment
from runtime.tickets.history import record_event
from runtime.tickets.models import OPEN_CATEGORIES, Ticket, TicketTypeVersion
from runtime.tickets.services import create_ticket, latest_version, new_ticket_facts

TOKEN_PREFIX = "gdi_"  # noqa: S105  (a prefix, not a secret)
HMAC_PREFIX = "gdisec_"
TIMESTAMP_HEADER = "X-Gongdan-Timestamp"
SOURCE = "webhook"  # where intake tickets come from, as the ticket's `source` says


def _sha256(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


# --------------------------------------------------------------------------- endpoints (admin)


def _new_secret(endpoint: IntakeEndpoint) -> str:
    """A fresh secret for the endpoint's auth mode, set on it; the value is returned this once."""
    if endpoint.auth_mode == "token":
        value = TOKEN_PREFIX + secrets.token_urlsafe(32)
        endpoint.token_hash, endpoint.hmac_secret = _sha256(value), None
    else:
        value = HMAC_PREFIX + secrets.token_urlsafe(32)
        endpoint.token_hash, endpoint.hmac_secret = None, value
    endpoint.secret_prefix = value[:10]
    return value


def _version_for(session: Session, type_key: str, locale: str, pointer: str = "/ticket_type") -> TicketTypeVersion:
    version = latest_version(session, type_key)
    if version is None:
        raise ValidationFailed.field(pointer, texts.say("intake.no_type", locale, type=type_key))
    return version


def _requester(session: Session, email: str, locale: str) -> User:
    user = session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None or not user.active:
        raise ValidationFailed.field("/requester", texts.say("intake.no_user", locale, email=email))
    return user


def list_endpoints(session: Session) -> list[IntakeEndpoint]:
    return list(session.scalars(select(IntakeEndpoint).order_by(IntakeEndpoint.key)))


def get_endpoint(session: Session, endpoint_id: int) -> IntakeEndpoint:
    endpoint = session.get(IntakeEndpoint, endpoint_id)
    if endpoint is None:
        raise NotFound(f"Intake endpoint {endpoint_id} does not exist.")
    return endpoint


def _apply(session: Session, endpoint: IntakeEndpoint, values: dict[str, Any], locale: str) -> None:
    """Set the given settings on the endpoint after checking them against the ticket type's latest form."""
    if "key" in values:
        key = values["key"]
        taken = session.scalar(select(IntakeEndpoint.id).where(IntakeEndpoint.key == key))
        if taken is not None and taken != endpoint.id:
            raise Conflict(texts.say("intake.key_taken", locale, endpoint=key),
                           details=[{"path": "/key", "location": "json", "message": texts.say(
                               "intake.key_taken", locale, endpoint=key)}])
        endpoint.key = key
    if "ticket_type" in values:
        endpoint.ticket_type = _version_for(session, values["ticket_type"], locale).ticket_type
    if "requester" in values:
        endpoint.requester = _requester(session, values["requester"], locale)
    for name in ("name", "mapping", "source_key", "dedup_key", "on_duplicate", "rate_per_minute", "active"):
        if name in values:
            setattr(endpoint, name, values[name])
    version = _version_for(session, endpoint.ticket_type.key, locale)
    check_settings(compiled_for(version), endpoint.ticket_type.key, endpoint.mapping, endpoint.source_key,
                   endpoint.dedup_key, locale)


def _audit_details(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if k not in ("mapping", "source_key", "dedup_key")} | (
        {"changed": sorted({"mapping", "source_key", "dedup_key"} & values.keys())})


def create_endpoint(session: Session, values: dict[str, Any], *, actor: User, locale: str) -> tuple[IntakeEndpoint, str]:
    """A new endpoint and its secret (token or HMAC key), which is shown this once."""
    endpoint = IntakeEndpoint(auth_mode=values["auth_mode"], created_by_id=actor.id, mapping={},
                              on_duplicate="count", rate_per_minute=600, active=True)
    values = {"requester": actor.email, **values}
    _apply(session, endpoint, values, locale)
    secret = _new_secret(endpoint)
    session.add(endpoint)
    session.flush()
    audit.record(session, "intake_endpoint.created", "intake_endpoint", endpoint.id, actor_id=actor.id,
                 details=_audit_details(values))
    session.commit()
    return endpoint, secret


def update_endpoint(session: Session, endpoint: IntakeEndpoint, values: dict[str, Any], *, actor: User,
                    locale: str) -> IntakeEndpoint:
    _apply(session, endpoint, values, locale)
    audit.record(session, "intake_endpoint.updated", "intake_endpoint", endpoint.id, actor_id=actor.id,
                 details=_audit_details(values))
    session.commit()
    return endpoint


def replace_secret(session: Session, endpoint: IntakeEndpoint, *, actor: User) -> str:
    """A new secret; the old one stops working at once. Returned this once."""
    secret = _new_secret(endpoint)
    audit.record(session, "intake_endpoint.secret_replaced", "intake_endpoint", endpoint.id, actor_id=actor.id)
    session.commit()
    return secret


# --------------------------------------------------------------------------- the mapping test (designer)


def test_mapping(session: Session, values: dict[str, Any], *, locale: str) -> dict[str, Any]:
    """What a payload would become under a mapping — the form data, the keys, the form's verdict, and what a call
    would do now (create, or count on which open ticket) — without writing anything."""
    version = _version_for(session, values["ticket_type"], locale)
    compiled = compiled_for(version)
    mapping = values.get("mapping") or {}
    check_settings(compiled, version.ticket_type.key, mapping, values.get("source_key"), values.get("dedup_key"),
                   locale)
    mapped = map_payload(values["payload"], mapping, values.get("source_key"), values.get("dedup_key"), locale)
    errors = list(mapped.errors)
    data = mapped.data
    if not mapped.errors:
        requester = session.scalar(select(User).where(User.email == (values.get("requester") or "").lower()))
        data, form_errors = _validate(version, mapped, requester, locale)
        errors += form_errors_at_payload(form_errors, mapping)
    result: dict[str, Any] = {"data": data, "valid": not errors, "errors": errors,
                              "source_key": mapped.source_key, "dedup_key": mapped.dedup_key, "would": None,
                              "ticket": None}
    endpoint_id = values.get("endpoint_id")
    if not errors:
        result["would"], result["ticket"] = _would(session, endpoint_id, mapped)
    return result


def _would(session: Session, endpoint_id: int | None, mapped: Mapped) -> tuple[str, Ticket | None]:
    if endpoint_id is not None and mapped.source_key is not None:
        seen = session.scalar(select(IntakeSourceKey).where(IntakeSourceKey.endpoint_id == endpoint_id,
                                                            IntakeSourceKey.source_key == mapped.source_key))
        if seen is not None:
            return "replay", session.get(Ticket, seen.ticket_id) if seen.ticket_id else None
    if endpoint_id is not None and mapped.dedup_hash is not None:
        ticket = session.scalar(select(Ticket).join(IntakeAlarm, IntakeAlarm.ticket_id == Ticket.id).where(
            IntakeAlarm.endpoint_id == endpoint_id, IntakeAlarm.key_hash == mapped.dedup_hash))
        if ticket is not None and ticket.status_category in OPEN_CATEGORIES:
            return "deduplicate", ticket
    return "create", None


def _validate(version: TicketTypeVersion, mapped: Mapped, requester: User | None,
              locale: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    compiled = compiled_for(version)
    now = utcnow()
    facts = new_ticket_facts(version, compiled, requester, SOURCE, now) if requester is not None else {
        "type": version.ticket_type.key, "status": compiled.initial_state, "source": SOURCE}
    return compiled.validate_data(mapped.data, facts, now, locale=locale)


# --------------------------------------------------------------------------- receiving a call


@dataclass
class Receipt:
    """What a call did, for its answer."""

    outcome: str  # created, deduplicated, replayed
    status: int
    ticket: Ticket | None
    occurrences: int | None
    call_id: int


def _authenticate(endpoint: IntakeEndpoint, body: bytes, headers: Any, now: datetime, locale: str) -> None:
    if endpoint.auth_mode == "token":
        scheme, _, given = (headers.get("Authorization") or "").partition(" ")
        if scheme.lower() != "bearer" or not given.strip():
            raise Unauthorized(texts.say("intake.token_missing", locale))
        if not endpoint.token_hash or not hmac.compare_digest(_sha256(given.strip()), endpoint.token_hash):
            raise Unauthorized(texts.say("intake.token_wrong", locale))
        return
    stamp, signature = headers.get(TIMESTAMP_HEADER), headers.get(SIGNATURE_HEADER)
    if not stamp or not signature:
        raise Unauthorized(texts.say("intake.unsigned", locale))
    if not (stamp.isascii() and stamp.isdigit()) or len(stamp) > 12:  # '²'.isdigit() is true; int('²') fails
        raise Unauthorized(texts.say("intake.timestamp", locale),
                           details=[{"path": "", "location": "header", "message": texts.say("intake.timestamp", locale)}])
    window = current_app.config["INTAKE_SIGNATURE_WINDOW_SECONDS"]
    skew = abs(int(now.timestamp()) - int(stamp))
    if skew > window:
        raise Unauthorized(texts.say("intake.stale", locale, seconds=skew, window=window))
    expected = sign_body(endpoint.hmac_secret or "", stamp.encode() + b"." + body)
    if not hmac.compare_digest(expected.encode(), signature.strip().encode()):
        raise Unauthorized(texts.say("intake.signature", locale))


def _throttle(session: Session, endpoint: IntakeEndpoint, address: str, locale: str) -> None:
    wait = wait_for_limit(session, [IntakeCall.endpoint_id == endpoint.id, IntakeCall.client_address == address],
                          endpoint.rate_per_minute, timedelta(minutes=1), at=IntakeCall.at)
    if wait is not None:
        raise RateLimited(texts.say("intake.rate", locale, seconds=wait), headers={"Retry-After": str(wait)})


def _parse(body: bytes, locale: str) -> Any:
    """The payload, or 400 naming the syntax error; text no database can store (NUL, a lone surrogate) is 400 too,
    as everywhere in the API (platform_core.guards)."""
    try:
        payload = json.loads(body)
        guards.check_json(payload)
        return payload
    except RecursionError:
        problem = "nested too deeply"
    except ValueError as error:
        problem = str(error)[:200]
    message = texts.say("intake.invalid_json", locale, problem=problem)
    raise ApiError(message, details=[{"path": "", "location": "json", "message": message}], code="invalid_json")


def receive(session: Session, key: str, body: bytes | None, length: int, headers: Any, address: str,
            locale: str) -> Receipt:
    """One call of ``POST /api/v1/intake/<key>`` (``body`` None: its announced ``length`` is over the limit, and it
    was not read); raises ApiError (4xx) for a refused one, after logging it."""
    started = time.perf_counter()
    endpoint = session.scalar(select(IntakeEndpoint).where(IntakeEndpoint.key == key))
    if endpoint is None:
        raise NotFound(texts.say("intake.not_found", locale, endpoint=key[:64]))
    endpoint_id = endpoint.id
    _throttle(session, endpoint, address, locale)  # a refused call is not logged: a flood would fill the log
    mapped: Mapped | None = None
    try:
        if not endpoint.active:  # logged, so the admin sees who still calls it
            raise NotFound(texts.say("intake.not_found", locale, endpoint=key[:64]))
        limit = current_app.config["INTAKE_MAX_BYTES"]
        if body is None or len(body) > limit:
            size = length if body is None else len(body)
            raise PayloadTooLarge(texts.say("intake.too_large", locale, size=size, limit=limit))
        now = utcnow()
        _authenticate(endpoint, body, headers, now, locale)
        payload = _parse(body, locale)
        version = latest_version(session, endpoint.ticket_type.key)
        if version is None:
            raise Conflict(texts.say("intake.type_gone", locale, type=endpoint.ticket_type.key))
        requester = endpoint.requester
        if not requester.active:
            raise Conflict(texts.say("intake.requester_inactive", locale, email=requester.email))
        mapped = map_payload(payload, endpoint.mapping, endpoint.source_key, endpoint.dedup_key, locale, now)
        if not mapped.errors:
            mapped.data, form_errors = _validate(version, mapped, requester, locale)
            mapped.errors = form_errors_at_payload(form_errors, endpoint.mapping)
        if mapped.errors:
            raise ValidationFailed(texts.say("intake.problems", locale, count=len(mapped.errors)),
                                   details=mapped.errors)
        receipt = _file(session, endpoint, mapped, now, address, started)
    except ApiError as error:
        session.rollback()
        _log(session, endpoint_id, "rejected", error.status, address, started, mapped=mapped,
             error=error.message, details=error.details)
        session.commit()
        raise
    return receipt


def _insert_unless_there(session: Session, model: type, row: dict[str, Any]) -> bool:
    """INSERT … ON CONFLICT DO NOTHING; True if this call inserted the row. A plain statement, not a savepoint:
    on SQLite a savepoint outside a transaction is one, and releasing it would commit the row at once. Both
    databases hold the row (and, on SQLite, the write lock) until the commit; on PostgreSQL an insert meeting
    another transaction's uncommitted row waits for that transaction to end."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(model).values(**row).on_conflict_do_nothing().returning(model.id)  # type: ignore[attr-defined]
    return session.connection().execute(statement).first() is not None


def _claim_source_key(session: Session, endpoint: IntakeEndpoint, source_key: str) -> IntakeSourceKey | None:
    """Insert the source key's row (it is ours: None returned), or return the earlier call's."""
    if _insert_unless_there(session, IntakeSourceKey, {"endpoint_id": endpoint.id, "source_key": source_key,
                                                       "created_at": utcnow()}):
        return None
    return session.scalar(select(IntakeSourceKey).where(IntakeSourceKey.endpoint_id == endpoint.id,
                                                        IntakeSourceKey.source_key == source_key))


def _lock_alarm(session: Session, endpoint: IntakeEndpoint, mapped: Mapped, now: datetime) -> IntakeAlarm:
    """The deduplication key's row, inserted if missing, locked until the commit.

    On PostgreSQL ``FOR UPDATE`` locks it; in a storm it exists, so that is tried first (one statement instead
    of an insert that conflicts). On SQLite a read outside a transaction locks nothing, so the insert comes
    first: it takes the database's write lock, which serialises the rest."""
    query = (select(IntakeAlarm).where(IntakeAlarm.endpoint_id == endpoint.id, IntakeAlarm.key_hash == mapped.dedup_hash)
             .with_for_update().execution_options(populate_existing=True))
    if session.get_bind().dialect.name == "postgresql":
        found = session.scalars(query).first()
        if found is not None:
            return found
    _insert_unless_there(session, IntakeAlarm, {
        "endpoint_id": endpoint.id, "key_hash": mapped.dedup_hash, "key_text": (mapped.dedup_key or "")[:200],
        "occurrences": 0, "first_at": now, "last_at": now})
    return session.scalars(query).one()


def _file(session: Session, endpoint: IntakeEndpoint, mapped: Mapped, now: datetime, address: str,
          started: float) -> Receipt:
    if mapped.source_key is not None:
        seen = _claim_source_key(session, endpoint, mapped.source_key)
        if seen is not None:
            endpoint_id = endpoint.id
            session.rollback()
            call_id = _log(session, endpoint_id, "replayed", 200, address, started, mapped=mapped,
                           ticket_id=seen.ticket_id)
            session.commit()
            ticket = session.get(Ticket, seen.ticket_id) if seen.ticket_id else None
            return Receipt("replayed", 200, ticket, None, call_id)
    alarm = _lock_alarm(session, endpoint, mapped, now) if mapped.dedup_hash is not None else None
    if alarm is not None and alarm.ticket_id is not None:
        # Its columns only: a repeat needs the id and the category (a comment loads the rest as it needs it).
        open_ticket = session.get(Ticket, alarm.ticket_id, options=[lazyload("*")])
        if open_ticket is not None and open_ticket.status_category in OPEN_CATEGORIES:
            return _repeat(session, endpoint, alarm, open_ticket, mapped, now, address, started)
    ticket, _ = create_ticket(session, endpoint.requester, {"type": endpoint.ticket_type.key, "data": mapped.data},
                              commit=False, source=SOURCE)
    occurrences = None
    if alarm is not None:
        alarm.ticket_id, alarm.occurrences, alarm.first_at, alarm.last_at = ticket.id, 1, now, now
        occurrences = 1
    _mark_source_key(session, endpoint, mapped, ticket.id, "created")
    call_id = _log(session, endpoint.id, "created", 201, address, started, mapped=mapped, ticket_id=ticket.id,
                   occurrences=occurrences)
    session.commit()
    return Receipt("created", 201, ticket, occurrences, call_id)


def _repeat(session: Session, endpoint: IntakeEndpoint, alarm: IntakeAlarm, ticket: Ticket, mapped: Mapped,
            now: datetime, address: str, started: float) -> Receipt:
    """The same alarm while its ticket is open: the count (``intake_alarm.occurrences``) goes up; the ticket's history
    says so (and, if the endpoint says so, a comment on the ticket tells its people) at the first repeat and each
    time the count reaches a power of ten, so a storm of 1,000 leaves 4 events, not 999."""
    alarm.occurrences += 1
    alarm.last_at = now
    if worth_telling(alarm.occurrences):
        record_event(session, ticket, "intake_repeated", actor_id=None, internal=True, details={
            "endpoint": endpoint.key, "occurrences": alarm.occurrences, "dedup_key": alarm.key_text})
        if endpoint.on_duplicate == "comment":
            locale = ticket.requester.locale
            add_comment(session, None, ticket, texts.say("intake.repeated", locale, count=alarm.occurrences,
                                                         endpoint=endpoint.name), internal=True, commit=False)
    _mark_source_key(session, endpoint, mapped, ticket.id, "deduplicated")
    call_id = _log(session, endpoint.id, "deduplicated", 200, address, started, mapped=mapped, ticket_id=ticket.id,
                   occurrences=alarm.occurrences)
    session.commit()
    return Receipt("deduplicated", 200, ticket, alarm.occurrences, call_id)


def worth_telling(occurrences: int) -> bool:
    """Whether a repeat's count goes into the ticket's history: the first repeat (2) and 10, 100, 1,000 …"""
    if occurrences <= 2:
        return occurrences == 2
    while occurrences >= 10 and occurrences % 10 == 0:
        occurrences //= 10
    return occurrences == 1


def _mark_source_key(session: Session, endpoint: IntakeEndpoint, mapped: Mapped, ticket_id: int, outcome: str) -> None:
    if mapped.source_key is not None:
        session.connection().execute(update(IntakeSourceKey).where(
            IntakeSourceKey.endpoint_id == endpoint.id, IntakeSourceKey.source_key == mapped.source_key).values(
            ticket_id=ticket_id, outcome=outcome))


def _log(session: Session, endpoint_id: int, outcome: str, status: int, address: str, started: float, *,
         mapped: Mapped | None = None, ticket_id: int | None = None, occurrences: int | None = None,
         error: str | None = None, details: list[dict[str, Any]] | None = None) -> int:
    """The call's line in the intake log, in the session's transaction; returns its id."""
    return session.connection().execute(insert(IntakeCall).returning(IntakeCall.id), {
        "endpoint_id": endpoint_id, "at": utcnow(), "outcome": outcome, "status_code": status, "ticket_id": ticket_id,
        "source_key": mapped.source_key if mapped else None,
        "dedup_key": (mapped.dedup_key or "")[:200] or None if mapped else None,
        "occurrences": occurrences, "error": error, "details": details or None, "client_address": address[:64],
        "duration_ms": int((time.perf_counter() - started) * 1000)}).scalar_one()


# --------------------------------------------------------------------------- the log


def purge_calls() -> int:
    """Periodic: delete intake log lines and seen source keys older than INTAKE_LOG_RETENTION_DAYS."""
    cutoff = utcnow() - timedelta(days=current_app.config["INTAKE_LOG_RETENTION_DAYS"])
    removed = db_session.execute(delete(IntakeCall).where(IntakeCall.at < cutoff)).rowcount
    db_session.execute(delete(IntakeSourceKey).where(IntakeSourceKey.created_at < cutoff))
    db_session.commit()
    return int(removed or 0)
