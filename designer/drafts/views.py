"""Designer API: ticket types, drafts, publishing, versions, diff, import/export, playground, simulation."""

from __future__ import annotations

import json

from flask import make_response, request
from werkzeug.routing import BaseConverter

from designer.drafts import schemas as s
from designer.drafts import services
from designer.drafts import simulate as simulation
from designer.drafts.services import DESIGNERS, READERS, check_definition_size
from platform_core.api import Blueprint, keyset_page, page_schema
from platform_core.auth.current import actor, requires
from platform_core.db import db_session
from platform_core.errors import BadRequest, ValidationFailed
from runtime.rules.i18n import reader_locale
from runtime.tickets.models import TicketType

bp = Blueprint("designer", __name__, url_prefix="/api/v1", description="Ticket-type definitions")


class TypeKeyConverter(BaseConverter):
    """A ticket type's key in a path: never 'import', so /ticket-types/import is only the import (its Allow header
    lists POST alone) and a key of another shape is a plain 404."""

    regex = r"(?!import(?![a-z0-9_-]))[a-z][a-z0-9_-]{0,63}"


bp.record_once(lambda state: state.app.url_map.converters.setdefault("type_key", TypeKeyConverter))

TicketTypePage = page_schema(s.TicketTypeSchema, "TicketTypePage")
_TYPE_FIELDS = [name for name in s.TicketTypeSchema._declared_fields if name != "draft"]


def _draft_body(draft, ticket_type):
    problems = services.check(db_session, draft.definition, ticket_type, reader_locale(actor().locale))
    return {"definition": draft.definition, "revision": draft.revision, "updated_at": draft.updated_at,
            "updated_by": draft.updated_by, **problems}


def _if_match() -> int | None:
    header = request.headers.get("If-Match")
    if header is None:
        return None
    value = header.strip().removeprefix("W/").strip('"')
    if not value.isdigit():
        raise BadRequest("If-Match must be the draft's ETag, such as \"3\".",
                         details=[{"path": "", "location": "header", "message": "Not a draft revision."}])
    return int(value)


def _object_body() -> dict:
    """The request body as a JSON object, parsed by the API's parser (same errors as every endpoint)."""
    check_definition_size()
    body = Blueprint.ARGUMENTS_PARSER.load_json(request, None)
    if not isinstance(body, dict):
        raise ValidationFailed("The body must be a JSON object: the definition document.",
                               details=[{"path": "", "location": "json", "message": "Not a JSON object."}])
    return body


@bp.get("/ticket-types")
@requires()
@bp.arguments(s.TicketTypeQuerySchema, location="query")
@bp.response(200, TicketTypePage)
def list_types(args):
    """Ticket types by key. Designers see drafts-only and (on request) archived types; others published ones."""
    stmt = services.visible_types_query(actor(), args["include_archived"])
    page = keyset_page(db_session, stmt, [TicketType.key], args["limit"], args["cursor"])
    page["items"] = _with_drafts(page["items"])
    return page


def _with_drafts(types: list[TicketType]) -> list[dict]:
    """Types as the API shows them, with their draft's summary for designers (the designer's home)."""
    summaries = services.draft_summaries(db_session, types) if services.is_designer(actor()) else {}
    return [{**{name: getattr(t, name) for name in _TYPE_FIELDS}, "draft": summaries.get(t.id)} for t in types]


@bp.post("/ticket-types")
@requires(*DESIGNERS)
@bp.arguments(s.TicketTypeCreateSchema)
@bp.response(201, s.TicketTypeSchema)
def create_type(body):
    """Create a ticket type with a draft (a minimal one unless a definition is given)."""
    check_definition_size()
    return services.create_type(db_session, body, actor=actor())


@bp.get("/ticket-types/<type_key:key>")
@requires()
@bp.response(200, s.TicketTypeSchema)
def get_type(key):
    """One ticket type (with its draft's summary for designers)."""
    return _with_drafts([services.get_type(db_session, key, actor())])[0]


@bp.patch("/ticket-types/<type_key:key>")
@requires(*DESIGNERS)
@bp.arguments(s.TicketTypePatchSchema)
@bp.response(200, s.TicketTypeSchema)
def update_type(body, key):
    """Rename, describe, archive or unarchive a ticket type."""
    ticket_type = services.get_type(db_session, key, actor())
    return services.update_type(db_session, ticket_type, body, actor=actor())


@bp.delete("/ticket-types/<type_key:key>")
@requires(*DESIGNERS)
@bp.response(204)
def delete_type(key):
    """Delete a ticket type that was never published (published ones are archived instead)."""
    services.delete_type(db_session, services.get_type(db_session, key, actor()), actor=actor())


@bp.get("/ticket-types/<type_key:key>/draft")
@requires(*DESIGNERS)
@bp.response(200, s.DraftSchema)
def get_draft(key):
    """The working draft with every error and warning; its revision is the ETag."""
    ticket_type = services.get_type(db_session, key, actor())
    draft = services.get_draft(db_session, ticket_type)
    response = make_response(s.DraftSchema().dump(_draft_body(draft, ticket_type)))
    response.headers["ETag"] = f'"{draft.revision}"'
    return response


@bp.put("/ticket-types/<type_key:key>/draft")
@requires(*DESIGNERS)
@bp.doc(requestBody={"required": True, "description": "The whole definition document (see designer/schemas/)",
                     "content": {"application/json": {"schema": {"type": "object"}}}})
@bp.response(200, s.DraftSchema)
def put_draft(key):
    """Save the draft, valid or not; the response lists its errors. Send If-Match to avoid overwriting others."""
    ticket_type = services.get_type(db_session, key, actor())
    document = _object_body()
    draft = services.save_draft(db_session, ticket_type, document, actor=actor(), if_match=_if_match())
    response = make_response(s.DraftSchema().dump(_draft_body(draft, ticket_type)))
    response.headers["ETag"] = f'"{draft.revision}"'
    return response


@bp.post("/ticket-types/<type_key:key>/publish")
@requires(*DESIGNERS)
@bp.arguments(s.PublishSchema)
@bp.response(201, s.VersionSummarySchema)
def publish(body, key):
    """Publish the draft as the next immutable version; 422 with every error while any remains."""
    ticket_type = services.get_type(db_session, key, actor())
    return services.publish(db_session, ticket_type, body["changelog"], actor=actor())


@bp.get("/ticket-types/<type_key:key>/versions")
@requires(*READERS)
@bp.response(200, s.VersionListSchema)
def list_versions(key):
    """Published versions, newest first."""
    return {"items": services.list_versions(db_session, services.get_type(db_session, key, actor()))}


@bp.get("/ticket-types/<type_key:key>/versions/<int:number>")
@requires(*READERS)
@bp.response(200, s.VersionSchema)
def get_version(key, number):
    """One published version with its definition (immutable: cache it by its ETag)."""
    ticket_type = services.get_type(db_session, key, actor())
    version = services.get_version(db_session, ticket_type, number)
    response = make_response(s.VersionSchema().dump(version))
    response.headers["ETag"] = f'"{ticket_type.key}-v{number}"'
    return response


@bp.get("/ticket-types/<type_key:key>/diff")
@requires(*DESIGNERS)
@bp.arguments(s.DiffQuerySchema, location="query")
@bp.response(200, s.DiffSchema)
def diff(args, key):
    """What changed between two versions (or a version and the draft), with breaking changes marked."""
    ticket_type = services.get_type(db_session, key, actor())
    return services.diff(db_session, ticket_type, args["from_"], args["to"])


@bp.get("/ticket-types/<type_key:key>/export")
@requires(*DESIGNERS)
@bp.arguments(s.ExportQuerySchema, location="query")
@bp.response(200)
def export(args, key):
    """The definition as one JSON file: the latest version by default, or ?version=N or ?version=draft."""
    ticket_type = services.get_type(db_session, key, actor())
    which = args["version"] or (None if ticket_type.latest_version else "draft")
    document, label = services.resolve_document(db_session, ticket_type, which)
    response = make_response(json.dumps(document, ensure_ascii=False, indent=2, sort_keys=False) + "\n")
    response.headers["Content-Type"] = "application/json; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{ticket_type.key}-{label}.json"'
    return response


@bp.post("/ticket-types/import")
@requires(*DESIGNERS)
@bp.arguments(s.ImportQuerySchema, location="query")
@bp.doc(requestBody={"required": True, "description": "An exported definition document",
                     "content": {"application/json": {"schema": {"type": "object"}}}})
@bp.response(201, s.TicketTypeSchema)
def import_type(args):
    """Create a ticket type from an exported file; the whole file is checked first and nothing is written on error."""
    return services.import_definition(db_session, _object_body(), actor=actor(), publish_now=args["publish"])


@bp.post("/logic/evaluate")
@requires(*DESIGNERS)
@bp.arguments(s.EvaluateSchema)
@bp.response(200, s.EvaluateResultSchema)
def evaluate(body):
    """The rule playground: evaluate one JsonLogic rule against data with the server's engine."""
    check_definition_size()
    return {"result": simulation.evaluate_rule(body["rule"], body["data"], body["now"])}


@bp.post("/ticket-types/<type_key:key>/simulate")
@requires(*DESIGNERS)
@bp.arguments(s.SimulateSchema)
@bp.response(200, s.SimulationSchema)
def simulate(body, key):
    """Test before publish. With data: what the draft (or source=N) would do with these form data —
    validation, fields, priority, routing (and why earlier rules did not match), SLA. With replay: N:
    every recent real ticket that the draft would handle differently from the published version. With data and
    walk: the ticket walked along the status graph, step by step, as the runtime's explainer sees it."""
    check_definition_size()
    ticket_type = services.get_type(db_session, key, actor())
    if body["replay"] is not None:
        return simulation.replay(db_session, ticket_type, body["replay"], body["source"], actor())
    return simulation.simulate(db_session, ticket_type, body["data"], body["ticket"], body["source"],
                               locale=body["locale"] or reader_locale(actor().locale), walk=body["walk"],
                               acting_as=body["acting_as"])

