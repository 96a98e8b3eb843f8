"""``gongdan intake``: the intake endpoints and the latest lines of the intake log, from the command line."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from platform_core.db import get_session
from runtime.intake import services
from runtime.intake.models import IntakeCall, IntakeEndpoint


@click.group("intake")
def intake_cli() -> None:
    """Machine-fed intake endpoints and their log."""


@intake_cli.command("list")
@with_appcontext
def list_command() -> None:
    """Every endpoint: key, ticket type, auth mode, whether it is active."""
    for endpoint in services.list_endpoints(get_session()):
        state = "active" if endpoint.active else "disabled"
        click.echo(f"{endpoint.key}\t{endpoint.ticket_type.key}\t{endpoint.auth_mode}\t{state}\t{endpoint.name}")


@intake_cli.command("log")
@click.option("--endpoint", "key", help="Only this endpoint's calls (its key).")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 1000))
@with_appcontext
def log_command(key: str | None, limit: int) -> None:
    """The latest calls, newest first: time, endpoint, outcome, HTTP status, ticket id, error."""
    session = get_session()
    stmt = select(IntakeCall, IntakeEndpoint.key).join(IntakeEndpoint, IntakeEndpoint.id == IntakeCall.endpoint_id)
    if key:
        stmt = stmt.where(IntakeEndpoint.key == key)
    for call, endpoint_key in session.execute(stmt.order_by(IntakeCall.id.desc()).limit(limit)):
        click.echo(f"{call.at.isoformat(timespec='seconds')}\t{endpoint_key}\t{call.outcome}\t{call.status_code}\t"
                   f"{call.ticket_id or '-'}\t{call.error or ''}")
