"""What the web workspace needs beyond the ticket API: the requester portal's catalogue and forms,
@mention candidates, the user's teams and saved filters.

Requesters may not read definitions (designers and agents only), so the portal gets exactly the
published parts a requester needs to fill a form: the form itself (schema, UI schema, field rules),
state names and priority levels, and the rule context the server will use for their ticket. Every text
in them is in the reader's language (runtime.rules.i18n.localize), falling back to the authored one.
"""

from __future__ import annotations

import json
from typing import Any

import marshmallow as ma
from marshmallow import fields, validate
from sqlalchemy import or_, select
from sqlalchemy.orm import contains_eager

from platform_core.api import Blueprint
from platform_core.auth.current import actor, requires
from platform_core.auth.models import Role, Team, User, team_member
from platform_core.auth.schemas import TeamRefSchema, UserRefSchema
from platform_core.db import db_session, utcnow
from platform_core.errors import Forbidden, NotFound
from runtime.rules.cache import compiled_for, labels_for
from runtime.rules.labels import Labels, options_of
from runtime.tickets import access
from runtime.tickets import saved_filters as filters
from runtime.tickets.display import request_reader
from runtime.tickets.facts import person
from runtime.tickets.models import TicketType, TicketTypeVersion

bp = Blueprint("portal", __name__, url_prefix="/api/v1",
               description="Web workspace: the portal's ticket types and forms, mentions, saved filters")


# --------------------------------------------------------------------------- schemas


class CategorySchema(ma.Schema):
    key = fields.String()
    label = fields.String(metadata={"description": "The category field's label for it, in your language"})


class PortalTypeSchema(ma.Schema):
    key = fields.String()
    name = fields.String()
    description = fields.String()
    version = fields.Integer()
    categories = fields.List(fields.Nested(CategorySchema))


class PortalTypeListSchema(ma.Schema):
    items = fields.List(fields.Nested(PortalTypeSchema))


class StateSchema(ma.Schema):
    key = fields.String()
    name = fields.String()
    category = fields.String()
    initial = fields.Boolean()
    final = fields.Boolean()


class FormSchema(ma.Schema):
    schema = fields.Dict(metadata={"description": "JSON Schema 2020-12 of the form data"})
    ui = fields.Dict(metadata={"description": "UI schema (react-jsonschema-form)"})
    field_rules = fields.List(fields.Dict(), metadata={"description": "JsonLogic field rules: show, hide, require"})


class PortalFormSchema(PortalTypeSchema):
    form = fields.Nested(FormSchema)
    states = fields.List(fields.Nested(StateSchema))
    priority_levels = fields.List(fields.String())
    transition_fields = fields.Dict(metadata={"description": "Fields that transitions add (e.g. resolution): "
                                                             "name -> {title, type, enum, options: [{value, label}]}, "
                                                             "for showing their values"})
    context = fields.Dict(metadata={"description": "The `ticket` object field rules see when you file this type now"})


class MentionQuerySchema(ma.Schema):
    q = fields.String(load_default="", validate=validate.Length(max=100))
    limit = fields.Integer(load_default=10, validate=validate.Range(min=1, max=50))


class UserRefListSchema(ma.Schema):
    items = fields.List(fields.Nested(UserRefSchema))


class TeamRefListSchema(ma.Schema):
    items = fields.List(fields.Nested(TeamRefSchema))


class SavedFilterSchema(ma.Schema):
    id = fields.Integer(dump_only=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    query = fields.Dict(required=True, keys=fields.String(),
                        metadata={"description": f"Ticket-list parameters: {', '.join(filters.FILTER_KEYS)}"})
    created_at = fields.DateTime(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)


class SavedFilterPatchSchema(ma.Schema):
    name = fields.String(validate=validate.Length(min=1, max=100))
    query = fields.Dict(keys=fields.String())


class SavedFilterListSchema(ma.Schema):
    items = fields.List(fields.Nested(SavedFilterSchema))


# --------------------------------------------------------------------------- the portal catalogue and forms


def _published(key: str | None = None) -> list[TicketTypeVersion]:
    stmt = (select(TicketTypeVersion).join(TicketTypeVersion.ticket_type)
            .where(TicketType.archived_at.is_(None), TicketTypeVersion.number == TicketType.latest_version)
            .options(contains_eager(TicketTypeVersion.ticket_type)).order_by(TicketType.name, TicketType.key))
    if key is not None:
        stmt = stmt.where(TicketType.key == key)
    return list(db_session.scalars(stmt))


def _categories(shown: Labels, document: dict[str, Any]) -> list[dict[str, str]]:
    """The type's categories, labelled as its `category` field's options read (when it has labels)."""
    labels = {json.dumps(o["value"]): o["label"] for o in shown.options("category") or []}
    return [{"key": key, "label": str(labels.get(json.dumps(key), key))} for key in document.get("categories", [])]


def _summary(version: TicketTypeVersion, locale: str) -> dict[str, Any]:
    shown = labels_for(version, locale)
    document = shown.document
    return {"key": version.ticket_type.key, "name": document.get("name", version.ticket_type.name),
            "description": document.get("description", ""), "version": version.number,
            "categories": _categories(shown, document)}


@bp.get("/portal/ticket-types")
@requires()
@bp.response(200, PortalTypeListSchema)
def portal_types():
    """Published ticket types you may file, with their categories, in your language."""
    locale = request_reader().locale
    return {"items": [_summary(version, locale) for version in _published()]}


@bp.get("/portal/ticket-types/<key>/form")
@requires()
@bp.response(200, PortalFormSchema)
def portal_form(key):
    """The published form of a type: schema, UI schema, field rules, states, priority levels and rule context;
    its texts (labels, options, help, state names) in your language."""
    found = _published(key)
    if not found:
        raise NotFound(f"There is no published ticket type {key!r}.")
    version = found[0]
    compiled = compiled_for(version)
    locale = request_reader().locale
    shown = labels_for(version, locale)
    document = shown.document
    form = document.get("form", {})
    initial = compiled.initial_state
    user = actor()
    now = utcnow().isoformat()
    context = {"type": version.ticket_type.key, "version": version.number, "status": initial,
               "status_category": compiled.states[initial]["category"] if initial else None, "priority": None,
               "team": None, "assignee": None, "requester": person(user),
               "source": "web" if user.has_role("requester") and not user.has_role("agent") else "api",
               "created_at": now, "updated_at": now, "age_hours": 0, "hours_in_status": 0}
    return {**_summary(version, locale),
            "form": {"schema": form.get("schema", {}), "ui": form.get("ui", {}), "field_rules": form.get("field_rules", [])},
            "states": [{"key": s["key"], "name": s.get("name", s["key"]), "category": s["category"],
                        "initial": bool(s.get("initial")), "final": bool(s.get("final"))}
                       for s in document.get("workflow", {}).get("states", [])],
            "priority_levels": compiled.levels, "transition_fields": _transition_fields(document), "context": context}


def _transition_fields(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for transition in document.get("workflow", {}).get("transitions", []):
        for name, schema in (transition.get("fields") or {}).items():
            if isinstance(schema, dict) and name not in found:
                found[name] = {key: schema[key] for key in ("title", "type", "enum") if key in schema}
                options = options_of(schema)
                if options is not None:
                    found[name]["options"] = [{"value": value, "label": label} for value, label in options]
    return found


# --------------------------------------------------------------------------- mentions and teams


@bp.get("/tickets/<int:ticket_id>/mentionable")
@requires()
@bp.arguments(MentionQuerySchema, location="query")
@bp.response(200, UserRefListSchema)
def mentionable(args, ticket_id):
    """Staff who can see the ticket (so they may be @mentioned in any comment), matching `q`; staff only."""
    user = actor()
    ticket = access.get_visible_ticket(db_session, user, ticket_id)
    if not access.is_staff_for(db_session, user, ticket):
        raise Forbidden("Only the ticket's staff can look up people to mention.")
    stmt = (select(User).where(User.active.is_(True), User.roles.any(Role.name.in_(access.STAFF_ROLES)))
            .order_by(User.name, User.id))
    words = args["q"].strip().lower()
    if words:
        escaped = words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{escaped}%"
        stmt = stmt.where(or_(User.email.ilike(pattern, escape="\\"), User.name.ilike(pattern, escape="\\")))
    found = []
    for candidate in db_session.scalars(stmt.limit(500)):
        if candidate.id != user.id and access.is_staff_for(db_session, candidate, ticket):
            found.append(candidate)
            if len(found) >= args["limit"]:
                break
    return {"items": found}


@bp.get("/me/teams")
@requires()
@bp.response(200, TeamRefListSchema)
def my_teams():
    """Teams you belong to, supervise or manage (the workspace's team queues)."""
    user = actor()
    member_of = select(team_member.c.team_id).where(team_member.c.user_id == user.id)
    teams = db_session.scalars(select(Team).where(or_(Team.id.in_(member_of), Team.supervisor_id == user.id,
                                                      Team.manager_id == user.id)).order_by(Team.name))
    return {"items": list(teams)}


# --------------------------------------------------------------------------- saved filters


@bp.get("/me/saved-filters")
@requires()
@bp.response(200, SavedFilterListSchema)
def list_saved_filters():
    """Your saved ticket-list filters, by name."""
    return {"items": filters.list_filters(db_session, actor().id)}


@bp.post("/me/saved-filters")
@requires()
@bp.arguments(SavedFilterSchema)
@bp.response(201, SavedFilterSchema)
def create_saved_filter(body):
    """Save a ticket-list query under a name (unique per user)."""
    return filters.create_filter(db_session, actor().id, body["name"], body["query"])


@bp.patch("/me/saved-filters/<int:filter_id>")
@requires()
@bp.arguments(SavedFilterPatchSchema)
@bp.response(200, SavedFilterSchema)
def update_saved_filter(body, filter_id):
    """Rename a saved filter or change its query."""
    return filters.update_filter(db_session, actor().id, filter_id, body)


@bp.delete("/me/saved-filters/<int:filter_id>")
@requires()
@bp.response(204)
def delete_saved_filter(filter_id):
    """Delete one of your saved filters."""
    filters.delete_filter(db_session, actor().id, filter_id)
