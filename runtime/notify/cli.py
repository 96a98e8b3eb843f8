"""``gongdan outbox``: look at the notification outbox, retry failed messages, replay sent ones."""

from __future__ import annotations

from datetime import UTC, datetime

import click
from flask.cli import with_appcontext
from sqlalchemy import func, select

from platform_core.db import get_session
from platform_core.errors import ApiError
from runtime.notify import outbox
from runtime.notify.channels import redact_url
from runtime.notify.models import OutboxMessage


@click.group("outbox")
def outbox_cli() -> None:
    """The notification outbox: emails, webhooks and chat messages and their delivery."""


@outbox_cli.command("list")
@click.option("--status", type=click.Choice(outbox.STATUSES), default=None)
@click.option("--channel", type=click.Choice(outbox.CHANNELS), default=None)
@click.option("--ticket-id", type=int, default=None)
@click.option("--limit", type=click.IntRange(1, 10000), default=50, show_default=True)
@with_appcontext
def list_messages(status: str | None, channel: str | None, ticket_id: int | None, limit: int) -> None:
    """List messages, newest first: id, status, channel, attempts, target, last error."""
    stmt = select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(limit)
    if status:
        stmt = stmt.where(OutboxMessage.status == status)
    if channel:
        stmt = stmt.where(OutboxMessage.channel == channel)
    if ticket_id is not None:
        stmt = stmt.where(OutboxMessage.ticket_id == ticket_id)
    for m in get_session().scalars(stmt):
        target = m.target if m.channel == "email" else redact_url(m.target)
        due = f"next {m.next_attempt_at.isoformat(timespec='seconds')}" if m.status in ("pending", "failed") else ""
        click.echo("\t".join([str(m.id), m.status, m.channel, m.event, f"{m.attempts}/{m.max_attempts}", target, due,
                              (m.last_error or "").splitlines()[0][:120] if m.last_error else ""]).rstrip())


@outbox_cli.command("deliver")
@click.option("--at", default=None, metavar="ISO8601",
              help="Act as if it were this instant, e.g. 2026-11-23T09:05:00+08:00; default: now.")
@with_appcontext
def deliver(at: str | None) -> None:
    """Send every due message now, in this process: what the periodic deliver_outbox job does."""
    now = None
    if at is not None:
        try:
            now = datetime.fromisoformat(at)
        except ValueError:
            raise click.BadParameter("not an ISO 8601 instant", param_hint="--at") from None
        if now.tzinfo is None:
            raise click.BadParameter("give an offset, e.g. 2026-11-23T09:05:00+08:00", param_hint="--at")
    handled = outbox.deliver_due(now.astimezone(UTC) if now else None)
    session = get_session()
    counts = dict(session.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)).all())
    click.echo(f"Tried {handled} message(s). Now: " + ", ".join(f"{counts.get(s, 0)} {s}" for s in outbox.STATUSES))


@outbox_cli.command("retry")
@click.option("--id", "ids", type=int, multiple=True, help="Only these messages (repeat for several).")
@click.option("--channel", type=click.Choice(outbox.CHANNELS), default=None)
@click.option("--dead", "include_dead", is_flag=True, help="Also dead messages, with a fresh retry budget.")
@with_appcontext
def retry(ids: tuple[int, ...], channel: str | None, include_dead: bool) -> None:
    """Make failed (and with --dead, dead) messages due now and send them."""
    chosen = outbox.retry_now(get_session(), ids=list(ids) or None, include_dead=include_dead, channel=channel)
    click.echo(f"Queued {len(chosen)} message(s) for delivery now.")


@outbox_cli.command("replay")
@click.argument("message_ids", type=int, nargs=-1, required=True)
@with_appcontext
def replay(message_ids: tuple[int, ...]) -> None:
    """Send sent, failed or dead messages again, each as a new attempt."""
    session = get_session()
    failed = False
    for message_id in message_ids:
        try:
            message = outbox.replay(session, message_id, actor_id=None)
        except ApiError as error:
            failed = True
            click.echo(f"{message_id}: {error.message}", err=True)
            continue
        click.echo(f"{message_id}: {message.status} after {message.attempts} attempt(s)")
    if failed:
        raise click.exceptions.Exit(1)
