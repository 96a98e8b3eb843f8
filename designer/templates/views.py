"""Templates API: list the industry templates and install one (see designer/templates/library.py)."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields

from designer.templates import library as templates
from platform_core.api import Blueprint
from platform_core.auth.current import actor, requires
from platform_core.db import db_session

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
    valid = fields.Boolean(metadata={"description": "False when the template has problems; it cannot be installed"})
    installed = fields.Boolean(metadata={"description": "Every ticket type of the template exists here"})
    teams = fields.List(fields.Nested(TemplateTeamSchema))
    roles = fields.List(fields.Nested(TemplateRoleSchema))
    ticket_types = fields.List(fields.Nested(TemplateTicketTypeSchema))
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
    ticket_types = fields.List(fields.String(), metadata={"description": "Created and published as version 1"})


class SkippedSchema(ma.Schema):
    kind = fields.String(metadata={"description": "role, team or ticket_type"})
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


@bp.get("/templates")
@requires("admin", "designer")
@bp.response(200, TemplateListSchema)
def list_templates():
    """The templates, with their teams, roles and ticket types and which of them exist here."""
    return {"items": [templates.describe(db_session, t) for t in templates.list_templates()]}


@bp.get("/templates/<key>")
@requires("admin", "designer")
@bp.response(200, TemplateSchema)
def get_template(key):
    """One template."""
    return templates.describe(db_session, templates.get_template(key))


@bp.post("/templates/<key>/install")
@requires("admin")
@bp.response(201, InstallResultSchema, description="Something was created")
@bp.alt_response(200, schema=InstallResultSchema, description="Everything existed already; nothing was created")
def install_template(key):
    """Install a template in one transaction: missing roles and teams, and its ticket types published as version 1.

    Existing roles, teams and ticket types are left untouched and reported as skipped, so installing again is
    harmless. A broken template, or a type that cannot be installed here, gives 422 and writes nothing.
    """
    result = templates.install(db_session, key, actor=actor())
    return result.as_dict(), 201 if result.changed else 200
