"""``gongdan calendars``: list, show, create, seed holidays into, and compute with business calendars."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any, NoReturn
from zoneinfo import ZoneInfo

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from platform_core.db import get_session, utcnow
from platform_core.errors import ApiError
from runtime.calendars import checks, models, services
from runtime.rules import durations

_DAY_SET = re.compile(r"^(?:[a-z]{3}(?:-[a-z]{3})?)(?:,[a-z]{3}(?:-[a-z]{3})?)*$")
_INTERVAL = re.compile(r"^(\d{1,2}:\d{2})-(\d{1,2}:\d{2})$")


def _fail(error: ApiError) -> NoReturn:
    """Exit with code 1, printing the message and every detail with its JSON pointer."""
    lines = [error.message] + [f"  {detail.get('path') or ''} {detail['message']}".rstrip() for detail in error.details]
    raise click.ClickException("\n".join(lines))


def _days(spec: str) -> list[str]:
    days: list[str] = []
    for part in spec.split(","):
        first, _, last = part.partition("-")
        for name in (first, last or first):
            if name not in checks.WEEKDAYS:
                raise click.BadParameter(f"{name!r} is not a weekday; use {', '.join(checks.WEEKDAYS)}.",
                                         param_hint="--hours")
        start, end = checks.WEEKDAYS.index(first), checks.WEEKDAYS.index(last or first)
        if end < start:
            raise click.BadParameter(f"{part!r} runs backwards; write the days in week order (mon-fri).",
                                     param_hint="--hours")
        days += [d for d in checks.WEEKDAYS[start:end + 1] if d not in days]
    return days


def parse_hours(specs: tuple[str, ...]) -> dict[str, list[list[str]]]:
    """``("mon-fri 09:00-12:00,13:00-18:00", "sat 10:00-14:00")`` → the ``week`` of a calendar.

    Several specs may also be joined with ``;``. Times are checked later, with the rest.
    """
    week: dict[str, list[list[str]]] = {}
    for spec in (part.strip() for text in specs for part in text.split(";")):
        if not spec:
            continue
        day_part, _, interval_part = spec.lower().partition(" ")
        intervals = [i.strip() for i in interval_part.replace(" ", "").split(",") if i.strip()]
        if not _DAY_SET.match(day_part) or not intervals:
            raise click.BadParameter(f"{spec!r}: write days and intervals, such as "
                                     "'mon-fri 09:00-12:00,13:00-18:00'.", param_hint="--hours")
        pairs = []
        for interval in intervals:
            match = _INTERVAL.match(interval)
            if match is None:
                raise click.BadParameter(f"{interval!r} is not an interval such as 09:00-12:00.", param_hint="--hours")
            start, end = (value.zfill(5) for value in match.groups())
            pairs.append([start, end])
        for day in _days(day_part):
            week[day] = sorted(week.get(day, []) + pairs)
    return week


def _hours_text(intervals: list[list[str]] | None) -> str:
    return ", ".join(f"{start}-{end}" for start, end in intervals or []) or "closed"


def _parse_instant(value: str, option: str, zone: ZoneInfo) -> datetime:
    try:
        instant = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not an ISO 8601 date and time, such as 2026-12-04T17:50+08:00.",
                                 param_hint=option) from None
    return instant.replace(tzinfo=zone) if instant.tzinfo is None else instant


@click.group("calendars")
def calendars_cli() -> None:
    """Business calendars: the hours, holidays and make-up working days SLA clocks count in."""


@calendars_cli.command("list")
@with_appcontext
def list_command() -> None:
    """List the calendars (the built-in 24x7 first)."""
    records = [models.built_in_calendar(),
               *get_session().scalars(select(models.BusinessCalendar).order_by(models.BusinessCalendar.key))]
    for record in records:
        open_days = sum(1 for intervals in record.week.values() if intervals)
        click.echo(f"{record.key}\t{record.name}\t{record.timezone}\t{open_days} day(s) a week\t"
                   f"{len(record.holidays)} holiday(s)\t{len(record.workdays)} make-up day(s)")


@calendars_cli.command("show")
@click.argument("key")
@with_appcontext
def show_command(key: str) -> None:
    """Show a calendar's hours, holidays and make-up working days."""
    try:
        record = services.get_business_calendar(get_session(), key)
    except ApiError as error:
        _fail(error)
    click.echo(f"{record.key}: {record.name} ({record.timezone}){'  [built in]' if record.built_in else ''}")
    for day in checks.WEEKDAYS:
        click.echo(f"  {day}  {_hours_text(record.week.get(day))}")
    if record.holidays:
        click.echo("Holidays:")
        for holiday in record.holidays:
            click.echo(f"  {holiday['date']}  {holiday['name']}")
    if record.workdays:
        click.echo("Make-up working days:")
        for workday in record.workdays:
            hours = _hours_text(workday["intervals"]) if workday.get("intervals") else "Monday's hours"
            click.echo(f"  {workday['date']}  {workday['name']}  ({hours})")


@calendars_cli.command("create")
@click.argument("key")
@click.option("--name", default=None, help="Default: the key.")
@click.option("--timezone", "time_zone", required=True, help="IANA time zone, e.g. Asia/Shanghai.")
@click.option("--hours", multiple=True, required=True,
              help="Days and intervals, e.g. 'mon-fri 09:00-12:00,13:00-18:00'; repeat, or join with ';'.")
@with_appcontext
def create_command(key: str, name: str | None, time_zone: str, hours: tuple[str, ...]) -> None:
    """Create the calendar KEY."""
    values: dict[str, Any] = {"key": key, "name": name or key, "timezone": time_zone, "week": parse_hours(hours),
                              "holidays": [], "workdays": []}
    try:
        record = services.create_calendar(get_session(), values, actor_id=None)
    except ApiError as error:
        _fail(error)
    click.echo(f"Created calendar {record.key} ({record.timezone}).")


@calendars_cli.command("seed")
@click.argument("key")
@click.option("--country", required=True, help="ISO 3166-1 alpha-2 code, e.g. CN.")
@click.option("--years", required=True, help="Comma-separated, e.g. 2026,2027.")
@click.option("--subdiv", default=None, help="Subdivision code, e.g. CA for US.")
@click.option("--language", default=None, help="Language of the holiday names, e.g. zh_CN (default English).")
@with_appcontext
def seed_command(key: str, country: str, years: str, subdiv: str | None, language: str | None) -> None:
    """Merge a country's public holidays (and make-up working days) for some years into KEY."""
    try:
        year_list = sorted({int(year) for year in years.split(",") if year.strip()})
    except ValueError:
        raise click.BadParameter(f"{years!r}: give years such as 2026,2027.", param_hint="--years") from None
    if not year_list or len(year_list) > 10 or not all(1950 <= year <= 2100 for year in year_list):
        raise click.BadParameter("Give 1 to 10 years from 1950 to 2100.", param_hint="--years")
    try:
        result = services.seed_holidays(get_session(), key, country=country, years=year_list, subdiv=subdiv,
                                         language=language, actor_id=None)
    except ApiError as error:
        _fail(error)
    click.echo(f"Added {len(result['holidays_added'])} holiday(s) and {len(result['workdays_added'])} make-up "
               f"working day(s) to {key}.")
    for entry in result["holidays_added"]:
        click.echo(f"  holiday  {entry['date']}  {entry['name']}")
    for entry in result["workdays_added"]:
        click.echo(f"  workday  {entry['date']}  {entry['name']}")
    for entry in result["skipped"]:
        click.echo(f"  skipped  {entry['date']}  {entry['name']}: {entry['reason']}")


@calendars_cli.command("compute")
@click.argument("key")
@click.option("--start", default=None, help="ISO 8601; without an offset, in the calendar's time zone. Default: now.")
@click.option("--add", "duration", default=None, help="Business time to add, e.g. PT4H or P2D.")
@click.option("--end", default=None, help="Measure business time from --start to this instant instead.")
@with_appcontext
def compute_command(key: str, start: str | None, duration: str | None, end: str | None) -> None:
    """When is START + ADD of business time due in KEY, or how much business time lies from START to END?"""
    if (duration is None) == (end is None):
        raise click.UsageError("Give either --add or --end.")
    session = get_session()
    try:
        calendar = services.get_calendar(session, key)
    except ApiError as error:
        _fail(error)
    zone = calendar.zone
    begin = _parse_instant(start, "--start", zone) if start else utcnow()
    try:
        amount = durations.parse_duration(duration) if duration is not None else None
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--add") from None
    finish = _parse_instant(end, "--end", zone) if end is not None else None
    try:
        result = services.compute(session, key, start=begin, add=amount, end=finish)
    except ApiError as error:
        _fail(error)

    def both(instant: datetime) -> str:
        return f"{instant.astimezone(zone).isoformat()} ({instant.astimezone(UTC).isoformat()})"

    click.echo(f"start    {both(result['start'])}{'' if result['open_at_start'] else '  [closed]'}")
    if result.get("due") is not None:
        click.echo(f"add      {result['add']}")
        click.echo(f"due      {both(result['due'])}")
    else:
        click.echo(f"end      {both(result['end'])}")
        click.echo(f"elapsed  {result['elapsed']}")
