"""Comments (public and internal) with @mentions, and watchers."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from platform_core.auth.models import User
from platform_core.db import utcnow
from platform_core.errors import Forbidden, NotFound, ValidationFailed
from runtime.notify.inbox import notify_users
from runtime.tickets import access, hooks
from runtime.tickets.display import mentioned_message, replied_message, watched_message
from runtime.tickets.history import record_event
from runtime.tickets.idempotency import remembered, request_fingerprint
from runtime.tickets.models import (
    IdempotencyRecord,
    Ticket,
    TicketComment,
    TicketWatcher,
)

MENTION = re.compile(r"@([A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})")


def add_comment(session: Session, actor: User | None, ticket: Ticket, body: str, internal: bool, *,
                commit: bool = True) -> TicketComment:
    """Add a comment; ``actor`` None is the system (an automation), which writes as staff."""
    actor_id = actor.id if actor else None
    staff = actor is None or access.is_staff_for(session, actor, ticket)
    if internal and not staff:
        raise Forbidden("Only agents of the ticket's team can write internal comments.")
    comment = TicketComment(ticket_id=ticket.id, author_id=actor_id, body=body, internal=internal)
    session.add(comment)
    session.flush()
    record_event(session, ticket, "comment_added", actor_id=actor_id, internal=internal,
                 details={"comment_id": comment.id, "internal": internal, "excerpt": body[:200]})
    now = utcnow()
    human_staff = staff and actor is not None and actor.id != ticket.requester_id
    if human_staff and not internal:
        if ticket.first_response_at is None:
            ticket.first_response_at = now
            hooks.responded.send(session, ticket, now)
        hooks.public_reply.send(session, ticket, now)
    author = actor.name if actor else "Gongdan"
    mentioned = []
    for email in dict.fromkeys(m.lower() for m in MENTION.findall(body)):
        user = session.scalar(select(User).where(User.email == email, User.active.is_(True)))
        if user is None or user.id == actor_id:
            continue
        allowed = access.is_staff_for(session, user, ticket) if internal else access.can_see(session, user, ticket)
        if allowed:
            mentioned.append(user.id)
    if mentioned:
        notify_users(session, mentioned, ticket, "mentioned", mentioned_message(ticket, author, body[:140]))
    _tell_the_others(session, ticket, actor_id, author, body, internal, staff, heard=set(mentioned))
    ticket.updated_at = now
    hooks.comment_added.send(session, ticket, comment, now)
    if commit:
        session.commit()
    return comment


def add_comment_once(session: Session, actor: User, ticket: Ticket, body: str, internal: bool,
                     idempotency_key: str | None) -> tuple[TicketComment, bool]:
    """add_comment with an optional Idempotency-Key: (the comment, whether it was written now). A retry with the same
    key and request answers with the comment the first one wrote (nobody is told twice); another request, 409."""
    if not idempotency_key:
        return add_comment(session, actor, ticket, body, internal), True
    fingerprint = request_fingerprint({"comment_on": ticket.id, "body": body, "internal": internal})
    seen = remembered(session, actor.id, idempotency_key, fingerprint)
    if seen is not None:
        return session.get(TicketComment, seen.comment_id), False
    comment = add_comment(session, actor, ticket, body, internal, commit=False)
    session.add(IdempotencyRecord(user_id=actor.id, key=idempotency_key, request_hash=fingerprint,
                                  ticket_id=ticket.id, comment_id=comment.id))
    try:
        session.commit()
    except IntegrityError:  # the same key raced in from another request: answer as it did
        session.rollback()
        seen = remembered(session, actor.id, idempotency_key, fingerprint)
        if seen is None:
            raise
        return session.get(TicketComment, seen.comment_id), False
    return comment, True


def _tell_the_others(session: Session, ticket: Ticket, actor_id: int | None, author: str, body: str, internal: bool,
                     staff: bool, heard: set[int]) -> None:
    """Who hears of a comment besides the people it mentions (each once, never its author), in-app and by their
    preferences for the kind: the requester of a public reply by staff ('replied'), the assignee of the
    requester's comment ('replied'), and the watchers who may read it ('watched': an internal comment reaches
    only the watchers who are staff of the ticket). An internal comment never reaches the requester."""
    excerpt = body[:140]
    replied: list[int] = []
    if not internal:
        if staff and ticket.requester_id != actor_id and ticket.requester.active:
            replied.append(ticket.requester_id)
        elif actor_id == ticket.requester_id and ticket.assignee is not None and ticket.assignee.active:
            replied.append(ticket.assignee.id)
    replied = [user_id for user_id in replied if user_id not in heard and user_id != actor_id]
    if replied:
        notify_users(session, replied, ticket, "replied", replied_message(ticket, author, excerpt))
    heard |= set(replied)
    watching = []
    for watcher in watchers(session, ticket):
        if watcher.id in heard or watcher.id == actor_id or not watcher.active:
            continue
        if internal and (watcher.id == ticket.requester_id or not access.is_staff_for(session, watcher, ticket)):
            continue
        if not internal and not access.can_see(session, watcher, ticket):
            continue
        watching.append(watcher.id)
    if watching:
        notify_users(session, watching, ticket, "watched", watched_message(ticket, author, excerpt))


def list_comments(session: Session, actor: User, ticket: Ticket) -> list[TicketComment]:
    stmt = select(TicketComment).where(TicketComment.ticket_id == ticket.id).order_by(TicketComment.id)
    if not access.is_staff_for(session, actor, ticket):
        stmt = stmt.where(TicketComment.internal.is_(False))
    return list(session.scalars(stmt))


def watchers(session: Session, ticket: Ticket) -> list[User]:
    return [w.user for w in session.scalars(select(TicketWatcher).where(TicketWatcher.ticket_id == ticket.id))]


def add_watcher(session: Session, actor: User, ticket: Ticket, user_id: int) -> None:
    if user_id != actor.id and not access.is_staff_for(session, actor, ticket):
        raise Forbidden("Only agents can add other people as watchers.")
    user = session.get(User, user_id)
    if user is None or not user.active:
        raise ValidationFailed.field("/user_id", f"User {user_id} does not exist.")
    if session.get(TicketWatcher, (ticket.id, user_id)) is None:
        session.add(TicketWatcher(ticket_id=ticket.id, user_id=user_id))
        record_event(session, ticket, "watcher_added", actor_id=actor.id, details={"user": user.email})
        session.commit()


def remove_watcher(session: Session, actor: User, ticket: Ticket, user_id: int) -> None:
    if user_id != actor.id and not access.is_staff_for(session, actor, ticket):
        raise Forbidden("Only agents can remove other watchers.")
    watcher = session.get(TicketWatcher, (ticket.id, user_id))
    if watcher is None:
        raise NotFound(f"User {user_id} does not watch {ticket.number}.")
    record_event(session, ticket, "watcher_removed", actor_id=actor.id, details={"user": watcher.user.email})
    session.delete(watcher)
    session.commit()
