"""Stored calendars: compiled once and cached, the admin API's and CLI's unit of work, public holidays
seeded from the ``holidays`` package, and what-if arithmetic."""

from __future__ import annotations

import re
import threading
import weakref
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from platform_core import audit
from platform_core.db import utcnow
from platform_core.errors import Conflict, NotFound, ValidationFailed
from runtime.calendars.business_time import ALWAYS_OPEN, Calendar, CalendarError
from runtime.calendars.checks import BUILT_IN_KEY, KEY_PATTERN, MAX_NAME, check_definition
from runtime.calendars.models import BusinessCalendar, built_in_calendar
from runtime.rules.durations import format_duration
from runtime.tickets.models import Ticket, TicketType, TicketTypeVersion


class UnknownCalendar(NotFound):
    """No calendar has this key (a 404 in the API; the SLA engine catches it by type)."""

    def __init__(self, key: str) -> None:
        super().__init__(f"There is no business calendar with the key {key!r}.")
        self.key = key


# --------------------------------------------------------------------------- compiled calendars, cached

_compiled: weakref.WeakKeyDictionary[Any, dict[str, tuple[tuple[int, datetime], Calendar]]] = (
    weakref.WeakKeyDictionary())
_compiled_lock = threading.Lock()


def _cache_for(session: Session) -> dict[str, tuple[tuple[int, datetime], Calendar]]:
    bind = session.get_bind()
    with _compiled_lock:
        cache = _compiled.get(bind)
        if cache is None:
            cache = _compiled[bind] = {}
        return cache


def get_calendars(session: Session, keys: Iterable[str]) -> dict[str, Calendar]:
    """The compiled calendars with these keys, in one query; keys that do not exist are left out.

    A calendar is compiled once and reused while its row's ``updated_at`` is unchanged.
    """
    wanted = set(keys)
    found: dict[str, Calendar] = {}
    if BUILT_IN_KEY in wanted:
        found[BUILT_IN_KEY] = ALWAYS_OPEN
        wanted.discard(BUILT_IN_KEY)
    if not wanted:
        return found
    cache = _cache_for(session)
    stale: dict[str, tuple[int, datetime]] = {}
    rows = session.execute(select(BusinessCalendar.key, BusinessCalendar.id, BusinessCalendar.updated_at)
                           .where(BusinessCalendar.key.in_(wanted)))
    for key, row_id, updated_at in rows:
        hit = cache.get(key)
        if hit is not None and hit[0] == (row_id, updated_at):
            found[key] = hit[1]
        else:
            stale[key] = (row_id, updated_at)
    if stale:
        for record in session.scalars(select(BusinessCalendar).where(BusinessCalendar.key.in_(stale))):
            compiled = Calendar.from_record(record)
            cache[record.key] = ((record.id, record.updated_at), compiled)  # type: ignore[assignment]
            found[record.key] = compiled
    return found


def get_calendar(session: Session, key: str) -> Calendar:
    """The compiled calendar ``key`` (``24x7`` always exists); raises UnknownCalendar."""
    found = get_calendars(session, [key])
    if key not in found:
        raise UnknownCalendar(key)
    return found[key]


# --------------------------------------------------------------------------- services


def search_calendars(q: str | None) -> Any:
    """A statement for the calendars whose key or name contains ``q`` (the built-in one is not stored)."""
    stmt = select(BusinessCalendar)
    if q:
        pattern = f"%{q.strip().lower()}%"
        stmt = stmt.where(or_(func.lower(BusinessCalendar.name).like(pattern), BusinessCalendar.key.like(pattern)))
    return stmt


def built_in_matches(q: str | None) -> bool:
    needle = (q or "").strip().lower()
    return not needle or needle in BUILT_IN_KEY or needle in ALWAYS_OPEN.name.lower()


def get_business_calendar(session: Session, key: str) -> BusinessCalendar:
    """The stored calendar ``key`` (for ``24x7``, an unsaved stand-in); raises UnknownCalendar."""
    if key == BUILT_IN_KEY:
        return built_in_calendar()
    record = session.scalar(select(BusinessCalendar).where(BusinessCalendar.key == key))
    if record is None:
        raise UnknownCalendar(key)
    return record


def _editable(session: Session, key: str, doing: str) -> BusinessCalendar:
    if key == BUILT_IN_KEY:
        raise Conflict(f"The built-in calendar {BUILT_IN_KEY} is always open and cannot be {doing}; "
                       "create a calendar of your own for business hours.", code="built_in_calendar")
    return get_business_calendar(session, key)


def _definition(record: BusinessCalendar) -> dict[str, Any]:
    return {"timezone": record.timezone, "week": record.week, "holidays": record.holidays,
            "workdays": record.workdays}


def _check_name_or_fail(name: Any) -> str:
    if not isinstance(name, str) or not name.strip() or len(name.strip()) > MAX_NAME:
        raise ValidationFailed.field("/name", f"Give a name of 1 to {MAX_NAME} characters.")
    return name.strip()


def create_calendar(session: Session, values: Mapping[str, Any], *, actor_id: int | None) -> BusinessCalendar:
    """Create a calendar from ``key``, ``name``, ``timezone``, ``week``, ``holidays``, ``workdays``."""
    key = values["key"]
    if not isinstance(key, str) or not re.match(KEY_PATTERN, key):
        raise ValidationFailed.field("/key", "Use 1-64 lower-case letters, digits, '-' or '_'.")
    if key == BUILT_IN_KEY:
        raise Conflict(f"{BUILT_IN_KEY} is the built-in always-open calendar; choose another key.",
                       details=[{"path": "/key", "location": "json", "message": "Reserved."}])
    name = _check_name_or_fail(values.get("name", key))
    checked = check_definition(values)
    if session.scalar(select(BusinessCalendar.id).where(BusinessCalendar.key == key)) is not None:
        raise _key_taken(key)
    record = BusinessCalendar(key=key, name=name, **checked)
    session.add(record)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise _key_taken(key) from None
    audit.record(session, "calendar.created", "calendar", record.id, actor_id=actor_id,
                 details={"key": key, "timezone": record.timezone})
    session.commit()
    return record


def _key_taken(key: str) -> Conflict:
    return Conflict(f"A calendar with the key {key!r} already exists.",
                    details=[{"path": "/key", "location": "json", "message": "Already in use."}])


def update_calendar(session: Session, key: str, values: Mapping[str, Any], *, actor_id: int | None) -> BusinessCalendar:
    """Change some of ``name``, ``timezone``, ``week``, ``holidays``, ``workdays`` (PATCH; PUT gives all)."""
    record = _editable(session, key, "changed")
    definition = _definition(record)
    changed = [field for field in ("name", "timezone", "week", "holidays", "workdays") if field in values]
    if not changed:
        return record
    name = _check_name_or_fail(values["name"]) if "name" in values else record.name
    checked = check_definition({**definition, **{k: values[k] for k in changed if k != "name"}})
    record.name = name
    record.timezone, record.week = checked["timezone"], checked["week"]
    record.holidays, record.workdays = checked["holidays"], checked["workdays"]
    record.updated_at = utcnow()
    audit.record(session, "calendar.updated", "calendar", record.id, actor_id=actor_id,
                 details={"key": key, "changed": changed})
    session.commit()
    return record


def calendar_users(session: Session, key: str) -> list[str]:
    """Published ticket-type versions still in use whose SLA policies name the calendar ``key``:
    the newest version of every type that is not archived, and every version with tickets not closed."""
    live_versions = select(Ticket.type_version_id).where(Ticket.status_category != "closed").distinct()
    rows = session.execute(
        select(TicketType.key, TicketTypeVersion.number, TicketTypeVersion.definition)
        .join(TicketTypeVersion, TicketTypeVersion.ticket_type_id == TicketType.id)
        .where(or_((TicketType.latest_version == TicketTypeVersion.number) & TicketType.archived_at.is_(None),
                   TicketTypeVersion.id.in_(live_versions)))
        .order_by(TicketType.key, TicketTypeVersion.number))
    users = []
    for type_key, number, definition in rows:
        policies = definition.get("sla") if isinstance(definition, dict) else None
        if isinstance(policies, list) and any(isinstance(p, dict) and p.get("calendar", BUILT_IN_KEY) == key
                                              for p in policies):
            users.append(f"{type_key} v{number}")
    return users


def delete_calendar(session: Session, key: str, *, actor_id: int | None) -> None:
    """Delete a calendar that no SLA policy in use names (409 otherwise, and for 24x7)."""
    record = _editable(session, key, "deleted")
    users = calendar_users(session, key)
    if users:
        shown = ", ".join(users[:5]) + (f" and {len(users) - 5} more" if len(users) > 5 else "")
        raise Conflict(f"The calendar {key!r} is used by the SLA policies of {shown}; change those first.",
                       code="calendar_in_use")
    audit.record(session, "calendar.deleted", "calendar", record.id, actor_id=actor_id, details={"key": key})
    session.delete(record)
    session.commit()


# --------------------------------------------------------------------------- holidays from the `holidays` package

MAKE_UP_DAY_NAMES = {"zh": "调休上班日"}
MAKE_UP_DAY_NAME = "Make-up working day"


def public_holidays(country: str, years: Sequence[int], *, subdiv: str | None = None,
                    language: str | None = None) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Public holidays and make-up working days of a country (and subdivision) for ``years``,
    from the ``holidays`` package: ``([{date, name}], [{date, name}])``.

    Make-up days are the weekend days the package reports as working days (China's 调休,
    for instance). Names are in ``language`` (default: English where the package has it).
    Raises ``ValidationFailed`` naming ``/country``, ``/subdiv`` or ``/language``.
    """
    import holidays as holiday_data

    supported = holiday_data.list_supported_countries()
    code = country.strip().upper()
    if code not in supported:
        raise ValidationFailed.field("/country", f"The holidays package knows no country {country!r}; use an "
                                                 "ISO 3166-1 alpha-2 code such as CN, US or DE.")
    try:
        probe = holiday_data.country_holidays(code, years=[])
    except (NotImplementedError, KeyError):
        raise ValidationFailed.field("/country", f"The holidays package knows no country {country!r}.") from None
    languages = tuple(getattr(probe, "supported_languages", ()) or ())
    if language is not None and language not in languages:
        raise ValidationFailed.field("/language", f"Holiday names for {code} come in: "
                                                  f"{', '.join(languages) or 'one language only'}.")
    if language is None and "en_US" in languages:
        language = "en_US"
    try:
        found = holiday_data.country_holidays(code, subdiv=subdiv, years=list(years), language=language)
    except NotImplementedError:
        known = list(supported[code])
        listed = ", ".join(known[:40]) + (" …" if len(known) > 40 else "")
        raise ValidationFailed.field("/subdiv", f"{code} has no subdivision {subdiv!r}"
                                                + (f"; use one of {listed}." if known else "; leave it out.")) from None
    wanted = set(years)
    holiday_list = [{"date": day.isoformat(), "name": name} for day, name in sorted(found.items())
                    if day.year in wanted]
    make_up_name = MAKE_UP_DAY_NAMES.get((language or getattr(probe, "default_language", "") or "")[:2],
                                         MAKE_UP_DAY_NAME)
    workday_list = [{"date": day.isoformat(), "name": make_up_name}
                    for day in sorted(getattr(found, "weekend_workdays", ()) or ()) if day.year in wanted]
    return holiday_list, workday_list


def seed_holidays(session: Session, key: str, *, country: str, years: Sequence[int], subdiv: str | None = None,
                  language: str | None = None, actor_id: int | None) -> dict[str, Any]:
    """Merge a country's public holidays (and make-up working days) for ``years`` into the calendar.

    Dates already listed keep their entry; a date that is already a holiday is not made a
    make-up day, nor the other way round (both are reported as skipped).
    """
    record = _editable(session, key, "changed")
    subdiv = (subdiv or "").strip() or None
    holiday_list, workday_list = public_holidays(country, years, subdiv=subdiv, language=language)
    holiday_dates = {h["date"] for h in record.holidays}
    workday_dates = {w["date"] for w in record.workdays}
    added_holidays, added_workdays, skipped = [], [], []
    for entry in holiday_list:
        if entry["date"] in holiday_dates:
            continue
        if entry["date"] in workday_dates:
            skipped.append({**entry, "reason": "The calendar lists this date as a make-up working day."})
            continue
        holiday_dates.add(entry["date"])
        added_holidays.append(entry)
    for entry in workday_list:
        if entry["date"] in workday_dates:
            continue
        if entry["date"] in holiday_dates:
            skipped.append({**entry, "reason": "The calendar lists this date as a holiday."})
            continue
        workday_dates.add(entry["date"])
        added_workdays.append(entry)
    if added_holidays or added_workdays:
        checked = check_definition({**_definition(record), "holidays": [*record.holidays, *added_holidays],
                                    "workdays": [*record.workdays, *added_workdays]})
        record.holidays, record.workdays = checked["holidays"], checked["workdays"]
        record.updated_at = utcnow()
    audit.record(session, "calendar.holidays_seeded", "calendar", record.id, actor_id=actor_id,
                 details={"key": key, "country": country.strip().upper(), "years": sorted(set(years)),
                          "subdiv": subdiv, "holidays_added": len(added_holidays),
                          "workdays_added": len(added_workdays)})
    session.commit()
    return {"calendar": record, "holidays_added": added_holidays, "workdays_added": added_workdays,
            "skipped": skipped}


# --------------------------------------------------------------------------- what-if arithmetic


def compute(session: Session, key: str, *, start: datetime, add: timedelta | None = None,
            end: datetime | None = None) -> dict[str, Any]:
    """``start + add`` in business time (the due instant), or the business time from start to end."""
    calendar = get_calendar(session, key)
    try:
        next_open: datetime | None = calendar.next_open(start)
    except CalendarError:
        next_open = None
    try:
        result: dict[str, Any] = {"calendar": key, "start": start.astimezone(UTC),
                                  "open_at_start": calendar.is_open(start), "next_open": next_open}
        if add is not None:
            due = calendar.add(start, add)
            result.update(add=format_duration(add), due=due, elapsed=format_duration(add),
                          elapsed_seconds=add.total_seconds())
        if end is not None:
            elapsed = calendar.elapsed(start, end)
            result.update(end=end.astimezone(UTC), elapsed=format_duration(elapsed),
                          elapsed_seconds=elapsed.total_seconds())
    except CalendarError as error:
        raise ValidationFailed(str(error), details=[{"path": "/add" if add is not None else "/start",
                                                     "location": "query", "message": str(error)}]) from None
    return result
