"""Templates API: list the industry templates, install one and upgrade it (see designer/templates/library.py and
upgrade.py)."""

from __future__ import annotations

import marshmallow as ma
from flask import request
from marshmallow import fields, validate

from designer.templates import library as templates
from designer.templates import upgrade
from platform_core.api import Blueprint
from platform_core.auth.current import actor, requires
from platform_core.db import db_session
from platform_core.errors import BadRequest
from runtime.rules import texts
from runtime.rules.i18n import LOCALES, reader_locale

bp = Blueprint("templates", __name__, url_prefix="/api/v1",
               description="Industry templates: ready-made ticket types with the teams and roles they need")


class TemplateProblemSchema(ma.Schema):
    location = fields.String(metadata={"description": "The template's file: template.json or a definition file"})
    path = fields.String(metadata={"description": "JSON pointer into that file"})
    message = fields.String()
    code = fields.String()


class TemplateTeamSchema(ma.Schema):
    key = fields.String()
    name = fields.String()
    description = fields.String()
    exists = fields.Boolean(metadata={"description": "A team with this key exists here"})


class TemplateRoleSchema(ma.Schema):
    name = fields.String()
    description = fields.String()
    exists = fields.Boolean(metadata={"description": "A role with this name exists here"})


class TemplateCalendarSchema(ma.Schema):
    key = fields.String()
    name = fields.String()
    timezone = fields.String()
    exists = fields.Boolean(metadata={"description": "A business calendar with this key exists here"})


class TemplateArticleSchema(ma.Schema):
    key = fields.String()
    title = fields.String()
    visibility = fields.String(metadata={"description": "everyone (requesters read it too) or staff"})
    exists = fields.Boolean(metadata={"description": "The template seeded this article here already"})


class TemplateTicketTypeSchema(ma.Schema):
    key = fields.String(allow_none=True)
    name = fields.String(allow_none=True)
    description = fields.String()
    number_prefix = fields.String(allow_none=True)
    file = fields.String()
    installed = fields.Boolean(metadata={"description": "A ticket type with this key exists here"})
    installed_version = fields.Integer(allow_none=True, metadata={"description": "Its latest published version"})


class TemplateSchema(ma.Schema):
    key = fields.String()
    name = fields.String()
    description = fields.String()
    version = fields.Integer(allow_none=True)
    installed_version = fields.Integer(allow_none=True, metadata={
        "description": "The template version recorded as installed here, or null"})
    valid = fields.Boolean(metadata={"description": "False when the template has problems; it cannot be installed"})
    installed = fields.Boolean(metadata={"description": "Every ticket type of the template exists here"})
    teams = fields.List(fields.Nested(TemplateTeamSchema))
    roles = fields.List(fields.Nested(TemplateRoleSchema))
    calendars = fields.List(fields.Nested(TemplateCalendarSchema))
    ticket_types = fields.List(fields.Nested(TemplateTicketTypeSchema))
    knowledge_articles = fields.List(fields.Nested(TemplateArticleSchema), metadata={
        "description": "Knowledge-base articles installing publishes (their title in the requested language)"})
    problems = fields.List(fields.Nested(TemplateProblemSchema))
    warnings = fields.List(fields.Nested(TemplateProblemSchema))


class TemplateListSchema(ma.Schema):
    items = fields.List(fields.Nested(TemplateSchema))


class TemplateRefSchema(ma.Schema):
    key = fields.String()
    name = fields.String()
    version = fields.Integer(allow_none=True)


class CreatedSchema(ma.Schema):
    roles = fields.List(fields.String())
    teams = fields.List(fields.String())
    calendars = fields.List(fields.String(), metadata={"description": "Business calendars the SLA policies count in"})
    ticket_types = fields.List(fields.String(), metadata={"description": "Created and published as version 1"})
    knowledge_articles = fields.List(fields.String(), metadata={
        "description": "Seed articles of the knowledge base (their keys in the manifest), published"})


class SkippedSchema(ma.Schema):
    kind = fields.String(metadata={"description": "role, team, calendar, ticket_type or knowledge_article"})
    key = fields.String()
    reason = fields.String()


class InstallResultSchema(ma.Schema):
    template = fields.Nested(TemplateRefSchema)
    changed = fields.Boolean(metadata={"description": "Whether anything was created (false on a repeated install)"})
    created = fields.Nested(CreatedSchema)
    skipped = fields.List(fields.Nested(SkippedSchema),
                          metadata={"description": "What existed already and was left untouched"})
    warnings = fields.List(fields.Nested(TemplateProblemSchema))
    next_steps = fields.List(fields.String())


class LocaleQuerySchema(ma.Schema):
    locale = fields.String(load_default=None, validate=validate.OneOf(LOCALES), metadata={
        "description": "Names and descriptions in this language (en or zh-CN) where the template translates them; "
                       "without it, as the template writes them"})


class DetailsQuerySchema(ma.Schema):
    locale = fields.String(load_default=None, validate=validate.OneOf(LOCALES), metadata={
        "description": "en or zh-CN; by default the reader's (profile, then Accept-Language)"})


class TemplateDefinitionSchema(ma.Schema):
    key = fields.String(allow_none=True)
    file = fields.String()
    definition = fields.Dict(metadata={"description": "The ticket-type definition as the template ships it, in the "
                                                      "requested language"})


class PlanPartsSchema(ma.Schema):
    roles = fields.List(fields.String())
    teams = fields.List(fields.String())
    calendars = fields.List(fields.String())
    ticket_types = fields.List(fields.String())
    knowledge_articles = fields.List(fields.String(), metadata={"description": "Seed articles (manifest keys)"})


class InstallPlanSchema(ma.Schema):
    can_install = fields.Boolean(metadata={"description": "False when installing now would be refused (see problems)"})
    changes = fields.Boolean(metadata={"description": "Whether installing now would write anything"})
    create = fields.Nested(PlanPartsSchema, metadata={"description": "What installing would create"})
    existing = fields.Nested(PlanPartsSchema, metadata={"description": "What exists here already and would be kept "
                                                                       "as it is"})
    problems = fields.List(fields.Nested(TemplateProblemSchema))
    warnings = fields.List(fields.Nested(TemplateProblemSchema))


class TemplateDetailsSchema(TemplateSchema):
    locale = fields.String()
    definitions = fields.List(fields.Nested(TemplateDefinitionSchema))
    plan = fields.Nested(InstallPlanSchema)


def _locale() -> str:
    """The reader's language: their profile's, then the request's Accept-Language."""
    return reader_locale(actor().locale, request.headers.get("Accept-Language"))


@bp.get("/templates")
@requires("admin", "designer")
@bp.arguments(LocaleQuerySchema, location="query")
@bp.response(200, TemplateListSchema)
def list_templates(query):
    """The templates, with their teams, roles and ticket types and which of them exist here; problems in the
    reader's language."""
    return {"items": [templates.describe(db_session, t, query["locale"])
                      for t in templates.list_templates(locale=query["locale"] or _locale())]}


@bp.get("/templates/<key>")
@requires("admin", "designer")
@bp.arguments(LocaleQuerySchema, location="query")
@bp.response(200, TemplateSchema)
def get_template(query, key):
    """One template."""
    return templates.describe(db_session, templates.get_template(key, locale=query["locale"] or _locale()),
                              query["locale"])


@bp.get("/templates/<key>/details")
@requires("admin")
@bp.arguments(DetailsQuerySchema, location="query")
@bp.response(200, TemplateDetailsSchema)
def get_template_details(query, key):
    """One template as the templates page previews it: its ticket-type definitions, and what installing it would
    create and what exists here already (nothing is written)."""
    locale = query["locale"] or _locale()
    return templates.details(db_session, templates.get_template(key, locale=locale), locale)


@bp.post("/templates/<key>/install")
@requires("admin")
@bp.response(201, InstallResultSchema, description="Something was created")
@bp.alt_response(200, schema=InstallResultSchema, description="Everything existed already; nothing was created")
def install_template(key):
    """Install a template in one transaction: missing roles and teams, and its ticket types published as version 1.

    Existing roles, teams and ticket types are left untouched and reported as skipped, so installing again is
    harmless. New teams, roles and calendars are named in the admin's language (profile, then Accept-Language) where
    the template translates them. A broken template, or a type that cannot be installed here, gives 422 and writes nothing.
    """
    result = templates.install(db_session, key, actor=actor(), locale=_locale())
    return result.as_dict(), 201 if result.changed else 200


class RemovedSchema(ma.Schema):
    ticket_types = fields.List(fields.String(), metadata={"description": "Deleted with their drafts and versions"})


class KeptSchema(ma.Schema):
    teams = fields.List(fields.String())
    roles = fields.List(fields.String())
    calendars = fields.List(fields.String())
    knowledge_articles = fields.List(fields.String(), metadata={
        "description": "Seed articles the template published here: people may have edited them, so they stay"})


class UninstallResultSchema(ma.Schema):
    template = fields.Nested(TemplateRefSchema)
    removed = fields.Nested(RemovedSchema)
    kept = fields.Nested(KeptSchema, metadata={"description": "Left in place: people and other types may use them"})


@bp.post("/templates/<key>/uninstall")
@requires("admin")
@bp.response(200, UninstallResultSchema)
def uninstall_template(key):
    """Uninstall a template: delete its ticket types (drafts and versions) and its install record.

    Refused with 409 ``template_in_use``, saying how many tickets, while any ticket of its types exists; 404 when
    it is not installed. Teams, roles and calendars are kept.
    """
    return templates.uninstall(db_session, key, actor=actor(), locale=_locale()).as_dict()


# --------------------------------------------------------------------------- upgrading (designer/templates/upgrade.py)


class PartChangeSchema(ma.Schema):
    pointer = fields.String(metadata={"description": "The part's path: JSON-pointer syntax, list items named by their "
                                                     "key or name (/workflow/states/waiting, /routing/Rule name)"})
    part = fields.String(metadata={"description": "field, required, form_order, form_layout, form, priority, "
                                                  "workflow, state, transition, routing, sla, automation, chart, "
                                                  "routing_order or document"})
    name = fields.String(metadata={"description": "The field, state, rule … the part belongs to (its key or name)"})
    label = fields.String(metadata={"description": "Its title or name as people see it (the field's title)"})
    attribute = fields.String(allow_none=True, metadata={"description": "The key inside that part (a field's title)"})
    side = fields.String(metadata={"description": "theirs (the template changed it), mine (changed here), both (the "
                                                  "same change on both sides) or conflict"})
    change = fields.String(metadata={"description": "added, removed or changed, relative to the base (differs when "
                                                    "the base is unknown)"})
    removal = fields.Boolean(metadata={"description": "The change removes the part"})
    base = fields.Raw(allow_none=True)
    theirs = fields.Raw(allow_none=True)
    mine = fields.Raw(allow_none=True)
    in_base = fields.Boolean()
    in_theirs = fields.Boolean()
    in_mine = fields.Boolean()
    keys = fields.List(fields.String(), metadata={"description": "Which keys of the part differ (a rule's assign)"})


class TypeUpgradeSchema(ma.Schema):
    key = fields.String()
    name = fields.String()
    status = fields.String(metadata={"description": "upgrade (merged into its draft), new (added as a draft) or "
                                                    "dropped (no longer in the template: left as it is)"})
    base_source = fields.String(allow_none=True, metadata={
        "description": "recorded (at install), first_version (the version 1 the install published) or unknown "
                       "(every difference is a conflict)"})
    draft_revision = fields.Integer(allow_none=True)
    draft_differs_from_published = fields.Boolean(metadata={"description": "MINE is an unpublished draft"})
    theirs = fields.List(fields.Nested(PartChangeSchema), metadata={"description": "Template changes, taken"})
    mine = fields.List(fields.Nested(PartChangeSchema), metadata={"description": "Local changes, kept"})
    both = fields.List(fields.Nested(PartChangeSchema), metadata={"description": "The same change on both sides"})
    conflicts = fields.List(fields.Nested(PartChangeSchema), metadata={"description": "Choose mine or theirs"})


class UpgradePlanSchema(ma.Schema):
    template = fields.Nested(TemplateRefSchema)
    installed_version = fields.Integer()
    available = fields.Boolean(metadata={"description": "The template's version is newer than the installed one"})
    etag = fields.String(metadata={"description": "Send it back as If-Match when applying the plan"})
    conflicts = fields.Integer()
    types = fields.List(fields.Nested(TypeUpgradeSchema))


class UpgradeChoicesSchema(ma.Schema):
    choices = fields.Dict(keys=fields.String(), values=fields.Dict(
        keys=fields.String(), values=fields.String(validate=ma.validate.OneOf(["mine", "theirs"]))),
        load_default=dict, metadata={"description": "Per ticket type, per conflict pointer: mine or theirs"})


class UpgradeDraftSchema(ma.Schema):
    key = fields.String()
    status = fields.String()
    written = fields.Boolean(metadata={"description": "False when the merged result equals the draft already"})
    revision = fields.Integer(metadata={"description": "The draft's revision (ETag) now"})
    taken = fields.Integer(metadata={"description": "How many parts came from the template"})
    errors = fields.List(fields.Dict())
    warnings = fields.List(fields.Dict())


class UpgradeResultSchema(ma.Schema):
    template = fields.Nested(TemplateRefSchema)
    from_version = fields.Integer()
    drafts = fields.List(fields.Nested(UpgradeDraftSchema))
    created = fields.Nested(CreatedSchema)
    kept = fields.List(fields.String(), metadata={"description": "Types the template no longer ships, left as they are"})


@bp.get("/templates/<key>/upgrade")
@requires("admin")
@bp.response(200, UpgradePlanSchema, headers={"ETag": {"description": "The plan's ETag", "schema": {"type": "string"}}})
def get_upgrade(key):
    """The upgrade to the template version that ships: per ticket type, the template's changes since the installed
    version, the local changes, and the conflicts to choose (404 when the template is not installed)."""
    plan = upgrade.plan_upgrade(db_session, key, locale=_locale())
    return plan.as_dict(), 200, {"ETag": f'"{plan.etag}"'}


@bp.post("/templates/<key>/upgrade")
@requires("admin")
@bp.doc(parameters=[{"in": "header", "name": "If-Match", "required": True, "schema": {"type": "string"},
                     "description": "The plan's ETag, from GET /templates/{key}/upgrade"}])
@bp.arguments(UpgradeChoicesSchema)
@bp.response(200, UpgradeResultSchema)
def apply_upgrade(body, key):
    """Write the upgrade as drafts, with a choice (mine or theirs) for every conflict, in one transaction.

    If-Match (the plan's ETag) is required: 409 ``upgrade_plan_stale`` when a draft changed since the plan was
    loaded; 422 ``upgrade_choices`` naming each conflict pointer without a choice, or chosen but not a conflict.
    Nothing is published: review the drafts in the designer.
    """
    header = request.headers.get("If-Match")
    if not header:
        raise BadRequest(texts.say("template.if_match", _locale(), header="If-Match"), details=[
            {"path": "If-Match", "location": "header", "message": texts.say("template.if_match_missing", _locale())}])
    if_match = header.strip().removeprefix("W/").strip('"')
    return upgrade.apply_upgrade(db_session, key, body["choices"], if_match=if_match, actor=actor(),
                                 locale=_locale()).as_dict()
