"""Ticket API: create, list, read, update, transitions, comments, events, watchers, links."""

from __future__ import annotations

from flask import make_response, request
from sqlalchemy import select
from sqlalchemy.orm import joinedload, lazyload

from platform_core.api import Blueprint, keyset_page, page_schema
from platform_core.auth.current import actor, requires
from platform_core.auth.models import Team, User, team_member
from platform_core.db import db_session
from platform_core.errors import Conflict, ValidationFailed
from runtime.tickets import access, comments, hooks, idempotency, services, workflow
from runtime.tickets import schemas as s
from runtime.tickets.display import TicketDisplay, request_reader
from runtime.tickets.event_access import visible_events
from runtime.tickets.history import record_event
from runtime.tickets.models import Ticket, TicketEvent, TicketLink, TicketType, TicketTypeVersion

bp = Blueprint("tickets", __name__, url_prefix="/api/v1", description="Tickets")

TicketPage = page_schema(s.TicketSchema, "TicketPage")
EventPage = page_schema(s.EventSchema, "EventPage")


_TICKET = s.TicketSchema()  # building a schema copies its fields: once, not per response
_COMMENT = s.CommentSchema()


def _with_etag(ticket: Ticket, status: int = 200):
    response = make_response(_TICKET.dump(ticket), status)
    response.headers["ETag"] = f'"{ticket.row_version}"'
    return response


@bp.post("/tickets")
@requires()
@bp.arguments(s.TicketCreateSchema)
@bp.response(201, s.TicketSchema)
@bp.doc(parameters=[idempotency.HEADER_DOC])
def create_ticket(body):
    """File a ticket: validated against its form, prioritised, routed, numbered, recorded."""
    key = idempotency.key_from_request()
    ticket, created = services.create_ticket(db_session, actor(), body, idempotency_key=key)
    response = _with_etag(ticket, 201)
    if not created:
        response.headers["Idempotent-Replayed"] = "true"
    return response


# A page of the list is one query: the people and the team are joined for their names, the version for its number;
# what the list does not show (people's roles, a team's members, supervisor and manager, who published the
# version) is left to load only if something reads it — by default each would cost another query per page.
LIST_LOADING = (
    joinedload(Ticket.team).options(lazyload(Team.members), lazyload(Team.supervisor), lazyload(Team.manager)),
    joinedload(Ticket.assignee).lazyload(User.roles),
    joinedload(Ticket.requester).lazyload(User.roles),
    joinedload(Ticket.type_version).lazyload(TicketTypeVersion.published_by),
)


@bp.get("/tickets")
@requires()
@bp.arguments(s.TicketQuerySchema, location="query")
@bp.response(200, TicketPage)
def list_tickets(args):
    """Tickets you may see, filtered and sorted, with cursor pagination."""
    user = actor()
    stmt = select(Ticket).where(access.visibility_filter(db_session, user)).options(*LIST_LOADING)
    if args["type"]:
        stmt = stmt.where(Ticket.ticket_type_id.in_(select(TicketType.id).where(TicketType.key == args["type"])))
    for name in ("status", "priority"):
        if args[name]:
            stmt = stmt.where(getattr(Ticket, name) == args[name])
    if args["status_category"]:
        stmt = stmt.where(Ticket.status_category.in_(args["status_category"]))
    if args["team"] == "mine":
        member_of = select(team_member.c.team_id).where(team_member.c.user_id == user.id)
        stmt = stmt.where(Ticket.team_id.in_(select(Team.id).where(
            Team.id.in_(member_of) | (Team.supervisor_id == user.id) | (Team.manager_id == user.id))))
    elif args["team"]:
        stmt = stmt.where(Ticket.team_id.in_(select(Team.id).where(Team.key == args["team"])))
    if args["assignee"] == "none":
        stmt = stmt.where(Ticket.assignee_id.is_(None))
    elif args["assignee"]:
        stmt = stmt.where(Ticket.assignee_id == (user.id if args["assignee"] == "me" else _user_id(args["assignee"])))
    if args["requester"]:
        stmt = stmt.where(Ticket.requester_id == (user.id if args["requester"] == "me" else _user_id(args["requester"])))
    if args["created_after"]:
        stmt = stmt.where(Ticket.created_at >= args["created_after"])
    if args["created_before"]:
        stmt = stmt.where(Ticket.created_at < args["created_before"])
    for word in (args["q"] or "").lower().split()[:8]:
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        stmt = stmt.where(Ticket.search_text.like(f"%{escaped}%", escape="\\"))
    if args["sla_due_before"]:
        stmt = stmt.where(Ticket.sla_due_at < args["sla_due_before"])
    sort = args["sort"]
    if sort.lstrip("-") == "sla_due":
        stmt = stmt.where(Ticket.sla_due_at.is_not(None))
    column = Ticket.sla_due_at if sort.lstrip("-") == "sla_due" else getattr(Ticket, sort.lstrip("-"))
    page = keyset_page(db_session, stmt, [column, Ticket.id], args["limit"], args["cursor"],
                       descending=sort.startswith("-"))
    hooks.loading_page.send(db_session, page["items"])
    return page


def _user_id(email: str) -> int:
    return db_session.scalar(select(User.id).where(User.email == email.strip().lower())) or -1


@bp.get("/tickets/<int:ticket_id>")
@requires()
@bp.response(200, s.TicketDetailSchema)
def get_ticket(ticket_id):
    """One ticket, with whether you work it as staff and its data as you read it (labels, names, file names in
    your language); its ETag is its row version."""
    user = actor()
    ticket = access.get_visible_ticket(db_session, user, ticket_id)
    if request.if_none_match and request.if_none_match.contains(str(ticket.row_version)):
        return make_response("", 304)
    staff = access.is_staff_for(db_session, user, ticket)
    shown = TicketDisplay(db_session, ticket, request_reader(), staff=staff).ticket_view()
    response = make_response({**_TICKET.dump(ticket), "staff": staff, "display": shown,
                              "priority_set": s.priority_set_view(ticket)})
    response.headers["ETag"] = f'"{ticket.row_version}"'
    return response


@bp.patch("/tickets/<int:ticket_id>")
@requires()
@bp.arguments(s.TicketPatchSchema)
@bp.response(200, s.TicketSchema)
@bp.doc(parameters=[{"in": "header", "name": "If-Match", "schema": {"type": "string"},
                     "description": "The ETag you read; a stale one gets 412"}])
def update_ticket(body, ticket_id):
    """Change form data (validated), priority, team or assignee; every change is recorded."""
    ticket = access.get_visible_ticket(db_session, actor(), ticket_id, for_update=True)
    return _with_etag(services.update_ticket(db_session, actor(), ticket, body, request.headers.get("If-Match")))


@bp.get("/tickets/<int:ticket_id>/transitions")
@requires()
@bp.response(200, s.TransitionListSchema)
def list_transitions(ticket_id):
    """Every transition out of the current state, whether you may take it and, if not, why."""
    ticket = access.get_visible_ticket(db_session, actor(), ticket_id)
    return {"items": workflow.explain(db_session, actor(), ticket)}


@bp.post("/tickets/<int:ticket_id>/transitions/<key>")
@requires()
@bp.arguments(s.TransitionTakeSchema)
@bp.response(200, s.TicketSchema)
def take_transition(body, ticket_id, key):
    """Move the ticket along one edge: 409 not from here, 403 role, 422 guard, fields or checklist."""
    return _with_etag(workflow.take(db_session, actor(), ticket_id, key, body, request.headers.get("If-Match")))


@bp.get("/tickets/<int:ticket_id>/comments")
@requires()
@bp.response(200, s.CommentListSchema)
def list_comments(ticket_id):
    """Comments; internal ones only for staff."""
    ticket = access.get_visible_ticket(db_session, actor(), ticket_id)
    return {"items": comments.list_comments(db_session, actor(), ticket)}


@bp.post("/tickets/<int:ticket_id>/comments")
@requires()
@bp.arguments(s.CommentSchema)
@bp.response(201, s.CommentSchema)
@bp.doc(parameters=[idempotency.HEADER_DOC])
def add_comment(body, ticket_id):
    """Comment (internal: staff only); @email mentions notify people who may see it."""
    key = idempotency.key_from_request()
    ticket = access.get_visible_ticket(db_session, actor(), ticket_id, for_update=True)
    comment, written = comments.add_comment_once(db_session, actor(), ticket, body["body"], body["internal"], key)
    response = make_response(_COMMENT.dump(comment), 201)
    if not written:
        response.headers["Idempotent-Replayed"] = "true"
    return response


@bp.get("/tickets/<int:ticket_id>/events")
@requires()
@bp.arguments(s.EventQuerySchema, location="query")
@bp.response(200, EventPage)
def list_events(args, ticket_id):
    """The ticket's history, oldest first; requesters never see internal events. Each event's `display` holds its
    details as you read them: names of states, transitions, fields, teams and people, values as labels."""
    user = actor()
    ticket = access.get_visible_ticket(db_session, user, ticket_id)
    staff = access.is_staff_for(db_session, user, ticket)
    stmt = select(TicketEvent).where(TicketEvent.ticket_id == ticket.id)
    if not staff:
        stmt = stmt.where(TicketEvent.internal.is_(False))
    page = keyset_page(db_session, stmt, [TicketEvent.id], args["limit"], args["cursor"])
    events = page["items"]
    shown = TicketDisplay(db_session, ticket, request_reader(), staff=staff).events(events)
    page["items"] = visible_events(db_session, user, [
        {"id": e.id, "at": e.at, "kind": e.kind, "internal": e.internal, "actor": e.actor, "details": e.details,
         "display": d} for e, d in zip(events, shown, strict=True)])
    return page


@bp.get("/tickets/<int:ticket_id>/watchers")
@requires()
@bp.response(200, s.WatcherListSchema)
def list_watchers(ticket_id):
    """Who watches the ticket."""
    return {"items": comments.watchers(db_session, access.get_visible_ticket(db_session, actor(), ticket_id))}


@bp.post("/tickets/<int:ticket_id>/watchers")
@requires()
@bp.arguments(s.WatcherSchema)
@bp.response(200, s.WatcherListSchema)
def add_watcher(body, ticket_id):
    """Watch a ticket (agents may add others)."""
    ticket = access.get_visible_ticket(db_session, actor(), ticket_id)
    comments.add_watcher(db_session, actor(), ticket, body["user_id"] or actor().id)
    return {"items": comments.watchers(db_session, ticket)}


@bp.delete("/tickets/<int:ticket_id>/watchers/<int:user_id>")
@requires()
@bp.response(204)
def remove_watcher(ticket_id, user_id):
    """Stop watching (agents may remove others)."""
    comments.remove_watcher(db_session, actor(), access.get_visible_ticket(db_session, actor(), ticket_id), user_id)


def _ref(ticket: Ticket) -> dict:
    return {"id": ticket.id, "number": ticket.number, "title": ticket.title, "status": ticket.status}


@bp.get("/tickets/<int:ticket_id>/links")
@requires()
@bp.response(200, s.LinkListSchema)
def list_links(ticket_id):
    """Linked tickets, the parent and the children (only those you may see)."""
    user = actor()
    ticket = access.get_visible_ticket(db_session, user, ticket_id)
    visible = access.visibility_filter(db_session, user)
    links = list(db_session.scalars(select(TicketLink).where((TicketLink.from_ticket_id == ticket.id)
                                                             | (TicketLink.to_ticket_id == ticket.id))))
    other_ids = {link.to_ticket_id if link.from_ticket_id == ticket.id else link.from_ticket_id for link in links}
    others = {t.id: t for t in db_session.scalars(select(Ticket).where(Ticket.id.in_(other_ids), visible))} if links else {}
    items = []
    for link in links:
        outgoing = link.from_ticket_id == ticket.id
        other = others.get(link.to_ticket_id if outgoing else link.from_ticket_id)
        if other is not None:
            items.append({"kind": link.kind, "direction": "outgoing" if outgoing else "incoming", "ticket": _ref(other)})
    parent = db_session.scalar(select(Ticket).where(Ticket.id == ticket.parent_id, visible)) if ticket.parent_id else None
    children = db_session.scalars(select(Ticket).where(Ticket.parent_id == ticket.id, visible).order_by(Ticket.id))
    return {"items": items, "parent": _ref(parent) if parent else None, "children": [_ref(c) for c in children]}


@bp.post("/tickets/<int:ticket_id>/links")
@requires("admin", "agent")
@bp.arguments(s.LinkCreateSchema)
@bp.response(201, s.LinkSchema)
def add_link(body, ticket_id):
    """Link this ticket to another one you may see."""
    user = actor()
    ticket = access.get_visible_ticket(db_session, user, ticket_id)
    other = db_session.scalar(select(Ticket).where(Ticket.number == body["ticket"], access.visibility_filter(db_session, user)))
    if other is None or other.id == ticket.id:
        raise ValidationFailed.field("/ticket", f"There is no other ticket {body['ticket']} that you can see.")
    if db_session.scalar(select(TicketLink.id).where(TicketLink.from_ticket_id == ticket.id,
                                                     TicketLink.to_ticket_id == other.id, TicketLink.kind == body["kind"])):
        raise Conflict(f"{ticket.number} already {body['kind'].replace('_', ' ')} {other.number}.")
    db_session.add(TicketLink(from_ticket_id=ticket.id, to_ticket_id=other.id, kind=body["kind"]))
    record_event(db_session, ticket, "link_added", actor_id=user.id, details={"kind": body["kind"], "ticket": other.number})
    db_session.commit()
    return {"kind": body["kind"], "direction": "outgoing", "ticket": _ref(other)}
