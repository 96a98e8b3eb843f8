"""``gongdan sla``: run the SLA sweep now, or as if it were another instant."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import click
from flask.cli import with_appcontext

from platform_core.db import get_session
from runtime.sla.sweep import sweep


def _instant(_ctx: click.Context, _param: click.Parameter, value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as error:
        raise click.BadParameter(f"{value!r} is not an ISO 8601 instant, such as 2026-11-23T09:05:00+08:00.") from error
    if parsed.tzinfo is None:
        raise click.BadParameter("Give the instant with its offset (Z or +08:00), so it is not ambiguous.")
    return parsed.astimezone(UTC)


@click.group("sla")
def sla() -> None:
    """SLA clocks: warnings, breaches and escalations."""


@sla.command("sweep")
@click.option("--at", "at", callback=_instant, metavar="ISO8601",
              help="Evaluate as if it were this instant (for operators and tests). Default: now.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@with_appcontext
def sweep_command(at: datetime | None, as_json: bool) -> None:
    """Fire every warning, breach, escalation level and timed automation due now, each once."""
    report = sweep(get_session(), at)
    if as_json:
        click.echo(json.dumps({**report.as_dict(), "marks": report.fired}))
        return
    click.echo(f"Swept at {report.at.isoformat()}: {len(report.fired)} mark(s) fired on {report.tickets} ticket(s), "
               f"{report.timers} timer(s) run, {report.skipped} deferred, in {report.ms:.1f} ms.")
    for mark in report.fired:
        click.echo(f"  {mark['ticket']} {mark['metric']} {mark['mark']}")
