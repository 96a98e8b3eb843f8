"""Who a ticket notification reaches: recipients named in a definition (requester, assignee, watchers,
team, team.supervisor, team.manager, role:…, user:…) resolved to active users, internal ones only
to staff; chat apps by the channels asked for."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from platform_core.auth.models import Role, User
from runtime.notify.inbox import notify_users
from runtime.notify.outbox import queue_chat
from runtime.rules.texts import Message
from runtime.tickets import access
from runtime.tickets.models import (
    Ticket,
    TicketWatcher,
)


def resolve_recipients(session: Session, ticket: Ticket, recipients: list[str]) -> list[User]:
    users: dict[int, User] = {}
    for recipient in recipients:
        found: list[User] = []
        if recipient == "requester":
            found = [ticket.requester]
        elif recipient == "assignee" and ticket.assignee:
            found = [ticket.assignee]
        elif recipient == "watchers":
            found = [w.user for w in session.scalars(select(TicketWatcher).where(TicketWatcher.ticket_id == ticket.id))]
        elif recipient == "team" and ticket.team:
            found = list(ticket.team.members)
        elif recipient == "team.supervisor" and ticket.team and ticket.team.supervisor:
            found = [ticket.team.supervisor]
        elif recipient == "team.manager" and ticket.team and ticket.team.manager:
            found = [ticket.team.manager]
        elif recipient.startswith("role:"):
            found = list(session.scalars(select(User).join(User.roles).where(Role.name == recipient[5:])))
        elif recipient.startswith("user:"):
            found = list(session.scalars(select(User).where(User.email == recipient[5:].lower())))
        for user in found:
            if user.active:
                users[user.id] = user
    return list(users.values())


def _may_hear_internals(session: Session, user: User, ticket: Ticket) -> bool:
    """Staff of the ticket, or anyone with a role beyond requester who is not its requester
    (an escalation to role:executive reaches the executives)."""
    if access.is_staff_for(session, user, ticket):
        return True
    return user.id != ticket.requester_id and not set(user.role_names) <= {"requester"}


def notify(session: Session, ticket: Ticket, recipients: list[str], kind: str, message: Message, *,
           actor_id: int | None, internal: bool = False, channels: list[str] | None = None) -> list[int]:
    """Notify the resolved recipients (inbox, and ``channels`` or each one's preferences); requesters
    never get internal ones."""
    sent = [user.id for user in resolve_recipients(session, ticket, recipients)
            if user.id != actor_id and (not internal or _may_hear_internals(session, user, ticket))]
    if sent:
        notify_users(session, sent, ticket, kind, message, channels=channels)
    if channels:  # chat apps and plain webhooks: once per event, to the ticket's team's endpoints
        queue_chat(session, ticket, channels, kind, message)
    return sent
