"""``gongdan definitions``: checks over the published definitions."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from platform_core.db import get_session
from runtime.rules.patterns import unusable_patterns
from runtime.tickets.models import TicketType, TicketTypeVersion


@click.group("definitions")
def definitions() -> None:
    """Checks over the published ticket-type definitions."""


@definitions.command("check-patterns")
@with_appcontext
def check_patterns() -> None:
    """List published versions holding a pattern the server refuses to run (look-around, backreferences, too
    long): published before validation refused them, they answer 422 on the field until a new version is
    published. Exits with 1 when there is one."""
    session = get_session()
    rows = session.execute(select(TicketType.key, TicketTypeVersion.number, TicketTypeVersion.definition)
                           .join(TicketTypeVersion.ticket_type)
                           .order_by(TicketType.key, TicketTypeVersion.number)).all()
    found = 0
    for key, number, document in rows:
        for pointer, reason in unusable_patterns(document):
            found += 1
            click.echo(f"{key} v{number} {pointer}: {reason}")
    if found:
        raise click.ClickException(f"{found} pattern(s) cannot be matched; publish a version that fixes them.")
    click.echo(f"All patterns of {len(rows)} published version(s) can be matched.")
