"""Approvals: opened when a ticket enters a state that declares one, decided by its approvers (or their
delegates), completed by taking the state's ``on_approve`` or ``on_reject`` transition.

- Who is asked is resolved when the approval opens (named users, the members of roles and teams, the
  requester's manager) and kept: a role that changes later does not change who decides this one.
- ``any`` (或签): the first decision decides. ``all`` (会签): every approver must approve; the first rejection
  rejects. An approver added by an escalation decides for everyone.
- A decision is written by a conditional UPDATE (``decision IS NULL``) under the ticket's row lock, and the
  approval's completion by another (``status = 'pending'``): two clicks at once give one decision, the other
  answers 409.
- Each approver is added to the ticket's watchers, so they can open it (and hear of its comments).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session, selectinload

from platform_core.auth.models import Role, Team, User
from platform_core.db import utcnow
from platform_core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from runtime.approvals import links
from runtime.approvals.models import Approval, ApprovalApprover, ApprovalDelegation
from runtime.notify.inbox import notify_users
from runtime.notify.outbox import queue_chat, queue_email
from runtime.notify.preferences import email_recipient
from runtime.rules import texts
from runtime.rules.cache import compiled_for, labels_for
from runtime.rules.durations import parse_duration
from runtime.rules.texts import Message, Reader, render
from runtime.sla import clocks
from runtime.sla.models import TicketSla
from runtime.tickets import access, workflow
from runtime.tickets.display import reader_of, request_reader
from runtime.tickets.history import record_event
from runtime.tickets.models import Ticket, TicketWatcher
from runtime.tickets.recipients import notify

COMMENT_MAX = 2000
DELEGATION_MAX_DAYS = 366
DECISIONS = links.DECISIONS


# --------------------------------------------------------------------------- the definition


def spec_of(ticket: Ticket, state_key: str) -> dict[str, Any] | None:
    """The ``approval`` of a state in the ticket's own version of its definition."""
    states = compiled_for(ticket.type_version).document["workflow"]["states"]
    state = next((s for s in states if s["key"] == state_key), None)
    return (state or {}).get("approval")


def resolve(session: Session, ticket: Ticket, spec: dict[str, Any], source: str | None = None) -> list[tuple[User, str]]:
    """The active people a spec names, each once, in the order named: users, roles, teams, the requester's manager."""
    found: dict[int, tuple[User, str]] = {}

    def add(users: Any, how: str) -> None:
        for user in users:
            if user.active and user.id not in found:
                found[user.id] = (user, source or how)

    emails = [e.lower() for e in spec.get("users", [])]
    if emails:
        add(session.scalars(select(User).where(User.email.in_(emails)).order_by(User.id)), "user")
    if spec.get("roles"):
        add(session.scalars(select(User).join(User.roles).where(Role.name.in_(spec["roles"])).order_by(User.id)), "role")
    if spec.get("teams"):
        for team in session.scalars(select(Team).where(Team.key.in_(spec["teams"])).order_by(Team.id)):
            add(team.members, "team")
    if spec.get("requester_manager") and ticket.requester.manager_id is not None:
        manager = session.get(User, ticket.requester.manager_id)
        add([manager] if manager else [], "requester_manager")
    return list(found.values())


def _calendar_key(session: Session, ticket: Ticket, spec: dict[str, Any]) -> str:
    """The approval's own calendar, else the one the ticket's SLA runs on, else 24x7."""
    if spec.get("calendar"):
        return str(spec["calendar"])
    key = session.scalar(select(TicketSla.calendar).where(TicketSla.ticket_id == ticket.id).order_by(TicketSla.id))
    return key or clocks.DEFAULT_CALENDAR


# --------------------------------------------------------------------------- opening and cancelling


def on_created(session: Session, ticket: Ticket, now: datetime) -> None:
    """Receiver of tickets.created: an initial state may ask for approval (a new ticket has none open yet)."""
    spec = spec_of(ticket, ticket.status)
    if spec:
        _open(session, ticket, spec, now)


def on_transitioned(session: Session, ticket: Ticket, _key: str, now: datetime) -> None:
    """Receiver of tickets.transitioned: leaving a state cancels its open approval; entering one opens its own.
    A type without approvals costs no query."""
    states = compiled_for(ticket.type_version).document["workflow"]["states"]
    if any(state.get("approval") for state in states):
        sync(session, ticket, now)


def sync(session: Session, ticket: Ticket, now: datetime) -> None:
    open_ones = list(session.scalars(select(Approval).where(Approval.ticket_id == ticket.id,
                                                            Approval.status == "pending")))
    for approval in open_ones:
        if approval.state != ticket.status:
            approval.status, approval.outcome, approval.decided_at, approval.next_check_at = \
                "cancelled", "left_state", now, None
            record_event(session, ticket, "approval_cancelled", actor_id=None,
                         details={"approval_id": approval.id, "state": approval.state, "to": ticket.status})
    spec = spec_of(ticket, ticket.status)
    if spec and not any(a.state == ticket.status for a in open_ones):
        _open(session, ticket, spec, now)


def _open(session: Session, ticket: Ticket, spec: dict[str, Any], now: datetime) -> Approval:
    calendar_key = _calendar_key(session, ticket, spec)
    calendar, _ = clocks.calendar(session, calendar_key)
    due_at = warn_at = None
    if spec.get("deadline"):
        length = parse_duration(spec["deadline"])
        due_at = calendar.add(now, length)
        if spec.get("warn_before") and parse_duration(spec["warn_before"]) < length:
            warn_at = calendar.add(now, length - parse_duration(spec["warn_before"]))
    people = resolve(session, ticket, spec["approvers"])
    if not people and spec.get("escalate_to"):
        people = resolve(session, ticket, spec["escalate_to"], "escalation")
    approval = Approval(ticket_id=ticket.id, state=ticket.status, mode=spec.get("mode", "any"), status="pending",
                        calendar=calendar_key, opened_at=now, warn_at=warn_at, due_at=due_at,
                        next_check_at=warn_at or due_at)
    approval.approvers = [ApprovalApprover(user_id=user.id, source=source) for user, source in people]
    session.add(approval)
    session.flush()
    watch(session, ticket, [user.id for user, _ in people])
    record_event(session, ticket, "approval_requested", actor_id=None, details={
        "approval_id": approval.id, "state": approval.state, "mode": approval.mode,
        "approvers": [user.email for user, _ in people], "due_at": due_at.isoformat() if due_at else None})
    ask(session, approval, [row.user_id for row in approval.approvers], "approval", spec, now)
    return approval


def watch(session: Session, ticket: Ticket, user_ids: list[int]) -> None:
    """Approvers watch the ticket: they may open it, and hear of what happens on it."""
    if not user_ids:
        return
    watching = set(session.scalars(select(TicketWatcher.user_id).where(TicketWatcher.ticket_id == ticket.id,
                                                                       TicketWatcher.user_id.in_(user_ids))))
    for user_id in dict.fromkeys(user_ids):
        if user_id not in watching:
            session.add(TicketWatcher(ticket_id=ticket.id, user_id=user_id))


# --------------------------------------------------------------------------- notifications


def _asked_message(ticket: Ticket, approval: Approval, kind: str) -> Message:
    number, title, version, state, due_at = ticket.number, ticket.title, ticket.type_version, approval.state, approval.due_at

    def message(reader: Reader) -> str:
        due = texts.format_datetime(due_at, reader.locale, reader.time_zone) if due_at else None
        if kind == "approval_warning":
            return texts.say("notify.approval_warning", reader.locale, number=number, title=title, due=due or "?")
        if kind == "approval_escalated":
            return texts.say("notify.approval_escalated", reader.locale, number=number, title=title)
        shown_state = labels_for(version, reader.locale).state(state)
        if due:
            return texts.say("notify.approval", reader.locale, number=number, title=title, state=shown_state, due=due)
        return texts.say("notify.approval_no_deadline", reader.locale, number=number, title=title, state=shown_state)

    return message


def active_delegations(session: Session, *, user_ids: list[int] | None = None, delegate_id: int | None = None,
                       now: datetime | None = None) -> list[ApprovalDelegation]:
    """Delegations in force at ``now``: each counts its days in the time zone of the person away."""
    now = now or utcnow()
    stmt = select(ApprovalDelegation).where(ApprovalDelegation.starts_on <= (now + timedelta(days=1)).date(),
                                            ApprovalDelegation.ends_on >= (now - timedelta(days=1)).date())
    if user_ids is not None:
        stmt = stmt.where(ApprovalDelegation.user_id.in_(user_ids))
    if delegate_id is not None:
        stmt = stmt.where(ApprovalDelegation.delegate_id == delegate_id)
    found = []
    for delegation in session.scalars(stmt.order_by(ApprovalDelegation.id)):
        today = _local_today(delegation.user, now)
        if delegation.starts_on <= today <= delegation.ends_on and delegation.delegate.active:
            found.append(delegation)
    return found


def _local_today(user: User, now: datetime) -> date:
    try:
        zone = ZoneInfo(user.time_zone or "UTC")
    except (ZoneInfoNotFoundError, ValueError, OSError):
        zone = ZoneInfo("UTC")
    return now.astimezone(zone).date()


def ask(session: Session, approval: Approval, user_ids: list[int], kind: str, spec: dict[str, Any],
         now: datetime) -> None:
    """Tell each approver (and whoever they delegated to) in the app and, by their preferences, by e-mail with
    their own one-click links; chat channels get one link that asks whoever opens it to sign in."""
    ticket = approval.ticket
    base = _asked_message(ticket, approval, kind)
    delegations = active_delegations(session, user_ids=user_ids, now=now)
    recipients: list[tuple[int, int, str | None]] = [(uid, uid, None) for uid in user_ids]
    recipients += [(d.delegate_id, d.user_id, d.user.name) for d in delegations]
    watch(session, ticket, [d.delegate_id for d in delegations])  # a delegate opens the ticket too
    for recipient_id, for_id, away in recipients:
        message: Message = base if away is None else _delegated(base, away)
        notify_users(session, [recipient_id], ticket, kind, message, channels=["in_app"])
        user = email_recipient(session, recipient_id, kind)
        if user is not None:
            urls = {d: links.url_for_link(approval.id, d, user_id=recipient_id, for_id=for_id) for d in DECISIONS}
            reader = reader_of(user)
            text = render(message, reader) + "\n\n" + texts.say("notify.approval_links", reader.locale,
                                                                 approve=urls["approve"], reject=urls["reject"])
            queue_email(session, user, ticket, kind, text)
    chats = [c for c in spec.get("channels", []) if c not in ("in_app", "email")]
    if chats:
        url = links.url_for_link(approval.id, None, user_id=None, for_id=None)
        queue_chat(session, ticket, chats, kind,
                   lambda reader: render(base, reader) + "\n" + texts.say("notify.approval_link", reader.locale, url=url))


def _delegated(message: Message, away: str) -> Message:
    return lambda reader: texts.say("notify.approval_for", reader.locale, name=away, message=render(message, reader))


def _done_message(ticket: Ticket, approval: Approval) -> Message:
    number, title, version, state, status = ticket.number, ticket.title, ticket.type_version, approval.state, approval.status
    return lambda reader: texts.say("notify.approval_done", reader.locale, number=number, title=title,
                                    state=labels_for(version, reader.locale).state(state),
                                    status=texts.say(f"approval.status.{status}", reader.locale))


# --------------------------------------------------------------------------- deciding


def _deciding_rows(session: Session, user: User, approval: Approval, on_behalf_of: int | None,
                   now: datetime, delegators: set[int] | None = None) -> list[ApprovalApprover]:
    """The approver rows ``user`` may decide: their own, and those of people who delegated to them (today).
    ``delegators``: who delegated to ``user`` today, when the caller has read it once for many approvals."""
    own = [row for row in approval.approvers if row.user_id == user.id]
    others = [row for row in approval.approvers if row.user_id != user.id]
    if delegators is None:
        delegators = {d.user_id for d in active_delegations(session, user_ids=[r.user_id for r in others],
                                                            delegate_id=user.id, now=now)} if others else set()
    allowed = own + [row for row in others if row.user_id in delegators]
    if on_behalf_of is not None:
        allowed = [row for row in allowed if row.user_id == on_behalf_of]
    return allowed


def delegators_of(session: Session, user: User, now: datetime | None = None) -> set[int]:
    """Who delegated their approvals to ``user`` today."""
    return {d.user_id for d in active_delegations(session, delegate_id=user.id, now=now)}


def check_decision(body: dict[str, Any], locale: str | None) -> tuple[str, str]:
    """The decision and the comment of a request; 422 naming the field otherwise."""
    decision, comment = body.get("decision"), (body.get("comment") or "").strip()
    if decision not in DECISIONS:
        raise ValidationFailed.field("/decision", texts.say("approval.decision", locale))
    if len(comment) > COMMENT_MAX:
        raise ValidationFailed.field("/comment", texts.say("approval.comment_long", locale, limit=COMMENT_MAX))
    if decision == "reject" and not comment:
        raise ValidationFailed.field("/comment", texts.say("approval.reject_reason", locale))
    return decision, comment


def _locked(session: Session, approval_id: int, locale: str | None) -> Approval:
    """The approval, its ticket's row locked first (the order every writer of a ticket takes), then re-read."""
    ticket_id = session.scalar(select(Approval.ticket_id).where(Approval.id == approval_id))
    if ticket_id is None:
        raise NotFound(texts.say("approval.not_found", locale, id=approval_id))
    stmt = select(Ticket).where(Ticket.id == ticket_id).execution_options(populate_existing=True)
    session.scalar(stmt.with_for_update(of=Ticket))
    approval = session.get(Approval, approval_id, populate_existing=True)
    if approval is None:
        raise NotFound(texts.say("approval.not_found", locale, id=approval_id))
    session.refresh(approval, ["approvers"])
    return approval


def decide(session: Session, user: User, approval_id: int, body: dict[str, Any], *, via: str = "app",
           on_behalf_of: int | None = None) -> Approval:
    """Record one decision; complete the approval when it settles it. 403 for someone not asked, 409 for a
    decision already made (by them, or the approval's), 422 for bad input; nothing changes then."""
    locale = reader_of(user).locale
    decision, comment = check_decision(body, locale)
    on_behalf_of = body.get("on_behalf_of", on_behalf_of)
    now = utcnow()
    approval = _locked(session, approval_id, locale)
    ticket = approval.ticket
    rows = _deciding_rows(session, user, approval, None, now)
    if not rows and not access.can_see(session, user, ticket):
        raise NotFound(texts.say("approval.not_found", locale, id=approval_id))
    if not rows:
        raise Forbidden(texts.say("approval.not_approver", locale),
                        details=[{"path": "", "location": "json", "code": "not_approver",
                                  "message": texts.say("approval.not_approver", locale)}])
    if approval.status != "pending":
        raise _closed(approval, locale)
    if on_behalf_of is not None:
        rows = [row for row in rows if row.user_id == on_behalf_of]
        if not rows:
            raise ValidationFailed.field("/on_behalf_of", texts.say("approval.on_behalf_unknown", locale,
                                                                    id=on_behalf_of))
    open_rows = [row for row in rows if row.decision is None]
    if not open_rows:
        word = texts.say(f"approval.decision.{rows[0].decision}", locale)
        raise Conflict(texts.say("approval.you_decided", locale, decision=word),
                       details=[{"path": "", "location": "json", "code": "already_decided",
                                 "message": texts.say("approval.you_decided", locale, decision=word)}])
    row = next((r for r in open_rows if r.user_id == user.id), open_rows[0])
    written = session.execute(
        update(ApprovalApprover).where(ApprovalApprover.id == row.id, ApprovalApprover.decision.is_(None))
        .values(decision=decision, comment=comment or None, decided_at=now, decided_by_id=user.id, via=via)
        .execution_options(synchronize_session=False)).rowcount
    if written != 1:
        session.rollback()
        raise Conflict(texts.say("approval.you_decided", locale, decision="?"))
    session.refresh(row)
    record_event(session, ticket, "approval_decided", actor_id=user.id, details={
        "approval_id": approval.id, "state": approval.state, "decision": decision, "comment": comment,
        "approver": row.user.email, **({"on_behalf_of": row.user.email} if row.user_id != user.id else {}),
        "via": via})
    settled = _settled(approval, row, decision)
    if settled and not complete(session, user, approval, settled, "decided", now):
        session.rollback()  # another approver's decision settled it at the same moment: theirs stands
        raise _closed(session.get(Approval, approval_id, populate_existing=True) or approval, locale)
    session.commit()
    session.refresh(approval)
    return approval


def _settled(approval: Approval, row: ApprovalApprover, decision: str) -> str | None:
    if decision == "reject":
        return "rejected"
    if approval.mode == "any" or row.source == "escalation":
        return "approved"
    return "approved" if all(r.decision == "approve" for r in approval.approvers if r.source != "escalation") else None


def complete(session: Session, user: User | None, approval: Approval, status: str, outcome: str,
              now: datetime) -> bool:
    """Settle the approval once (a conditional UPDATE) and take its transition; False if it was settled already."""
    done = session.execute(
        update(Approval).where(Approval.id == approval.id, Approval.status == "pending")
        .values(status=status, outcome=outcome, decided_at=now, next_check_at=None)
        .execution_options(synchronize_session=False)).rowcount
    if done != 1:
        return False
    approval.status, approval.outcome, approval.decided_at, approval.next_check_at = status, outcome, now, None
    ticket = approval.ticket
    spec = spec_of(ticket, approval.state) or {}
    key = spec.get("on_approve" if status == "approved" else "on_reject")
    record_event(session, ticket, "approval_completed", actor_id=user.id if user else None, details={
        "approval_id": approval.id, "state": approval.state, "status": status, "outcome": outcome,
        "transition": key})
    notify(session, ticket, ["requester", "assignee"], "approval_done", _done_message(ticket, approval),
           actor_id=user.id if user else None)
    if key:
        workflow.take_decided(session, user, ticket, key, now, {"approval_id": approval.id, "approval": status})
        ticket.updated_at = max(ticket.updated_at, now)
    return True


def _closed(approval: Approval, locale: str | None) -> Conflict:
    at = texts.format_datetime(approval.decided_at, locale) if approval.decided_at else "?"
    message = texts.say("approval.closed", locale, status=texts.say(f"approval.status.{approval.status}", locale), at=at)
    return Conflict(message, details=[{"path": "", "location": "json", "code": "approval_closed", "message": message}],
                    code="approval_closed")


# --------------------------------------------------------------------------- reading


def get_visible(session: Session, user: User, approval_id: int) -> Approval:
    """An approval the user may read: they were asked (or delegated to), or they may see its ticket."""
    approval = session.get(Approval, approval_id)
    locale = reader_of(user).locale
    if approval is None:
        raise NotFound(texts.say("approval.not_found", locale, id=approval_id))
    if not _deciding_rows(session, user, approval, None, utcnow()) and not access.can_see(session, user, approval.ticket):
        raise NotFound(texts.say("approval.not_found", locale, id=approval_id))
    return approval


def awaiting_filter(user: User, delegators: set[int]) -> Any:
    """Pending approvals with an undecided row of the user's, or of someone who delegated to them today."""
    for_ids = [user.id, *delegators]
    undecided = select(ApprovalApprover.approval_id).where(ApprovalApprover.user_id.in_(for_ids),
                                                           ApprovalApprover.decision.is_(None))
    return (Approval.status == "pending") & Approval.id.in_(undecided)


def view(session: Session, user: User | None, approval: Approval, now: datetime | None = None, *,
         delegators: set[int] | None = None) -> dict[str, Any]:
    """What the API shows of an approval to ``user`` (None: someone not signed in, with a channel's link): its
    approvers and decisions, and what they may do."""
    now = now or utcnow()
    reader = reader_of(user) if user is not None else request_reader()
    ticket = approval.ticket
    rows = _deciding_rows(session, user, approval, None, now, delegators) if user is not None else []
    return {
        "id": approval.id, "state": approval.state, "mode": approval.mode, "status": approval.status,
        "outcome": approval.outcome,
        "state_name": labels_for(ticket.type_version, reader.locale).state(approval.state),
        "ticket": {"id": ticket.id, "number": ticket.number, "title": ticket.title, "status": ticket.status,
                   "priority": ticket.priority},
        "opened_at": approval.opened_at, "due_at": approval.due_at, "warned_at": approval.warned_at,
        "timed_out_at": approval.timed_out_at, "decided_at": approval.decided_at,
        "approvers": [{"user": row.user, "source": row.source, "decision": row.decision, "comment": row.comment,
                       "decided_at": row.decided_at, "decided_by": row.decided_by, "via": row.via}
                      for row in approval.approvers],
        "can_decide": approval.status == "pending" and any(row.decision is None for row in rows),
        "on_behalf_of": [row.user for row in rows if user is not None and row.user_id != user.id
                         and row.decision is None],
    }


def for_ticket(session: Session, ticket: Ticket) -> list[Approval]:
    return list(session.scalars(select(Approval).where(Approval.ticket_id == ticket.id).order_by(Approval.id)))


def with_ticket_versions() -> Any:
    """Load the approvals' tickets' definition versions with them: a page of views costs no query per item."""
    return selectinload(Approval.ticket).selectinload(Ticket.type_version)


# --------------------------------------------------------------------------- delegations


def delegations_of(session: Session, user: User) -> list[ApprovalDelegation]:
    """Delegations the user made, and those made to them, that have not ended."""
    today = _local_today(user, utcnow()) - timedelta(days=1)
    return list(session.scalars(select(ApprovalDelegation).where(
        or_(ApprovalDelegation.user_id == user.id, ApprovalDelegation.delegate_id == user.id),
        ApprovalDelegation.ends_on >= today).order_by(ApprovalDelegation.starts_on, ApprovalDelegation.id)))


def delegate(session: Session, user: User, body: dict[str, Any]) -> ApprovalDelegation:
    """While away from ``starts_on`` to ``ends_on`` (included), ``delegate_id`` decides the user's approvals too."""
    locale = reader_of(user).locale
    starts, ends, delegate_id = body["starts_on"], body["ends_on"], body["delegate_id"]
    if ends < starts:
        raise ValidationFailed.field("/ends_on", texts.say("delegation.dates", locale))
    if ends < _local_today(user, utcnow()):
        raise ValidationFailed.field("/ends_on", texts.say("delegation.past", locale))
    if (ends - starts).days + 1 > DELEGATION_MAX_DAYS:
        raise ValidationFailed.field("/ends_on", texts.say("delegation.too_long", locale, days=DELEGATION_MAX_DAYS))
    if delegate_id == user.id:
        raise ValidationFailed.field("/delegate_id", texts.say("delegation.self", locale))
    other = session.get(User, delegate_id)
    if other is None or not other.active:
        raise ValidationFailed.field("/delegate_id", texts.say("delegation.unknown_user", locale, id=delegate_id))
    delegation = ApprovalDelegation(user_id=user.id, delegate_id=other.id, starts_on=starts, ends_on=ends,
                                    note=(body.get("note") or "").strip())
    session.add(delegation)
    waiting = session.scalars(select(Approval).where(awaiting_filter(user, set())))
    for approval in waiting:  # the delegate may open the tickets waiting for the user
        watch(session, approval.ticket, [other.id])
    session.commit()
    return delegation


def end_delegation(session: Session, user: User, delegation_id: int) -> None:
    delegation = session.get(ApprovalDelegation, delegation_id)
    if delegation is None or delegation.user_id != user.id:
        raise NotFound(texts.say("delegation.not_found", reader_of(user).locale, id=delegation_id))
    session.delete(delegation)
    session.commit()
