"""Request and response schemas of the identity API (marshmallow 4; unknown keys are refused)."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from platform_core.api import CURSOR_MAX_LENGTH
from platform_core.auth.services import LOCALES
from platform_core.fields import Flag, Id, Timestamp

ROLE_NAME = validate.Regexp(r"^[a-z][a-z0-9_-]{1,39}$",
                            error="Use 2-40 lower-case letters, digits, '-' or '_', starting with a letter.")
TEAM_KEY = validate.Regexp(r"^[a-z0-9][a-z0-9_-]{0,63}$",
                           error="Use 1-64 lower-case letters, digits, '-' or '_'.")
NAME = validate.Length(min=1, max=200)


def tags_field(**kwargs):
    """User tags (such as vip) that rules can test through ticket.requester.tags."""
    tag = validate.Regexp(r"^[a-z0-9][a-z0-9_-]{0,39}$", error="Use a lower-case word such as vip.")
    return fields.List(fields.String(validate=tag), validate=validate.Length(max=20), **kwargs)


class UserRefSchema(ma.Schema):
    id = fields.Integer()
    name = fields.String()
    email = fields.String()


class UserSchema(ma.Schema):
    id = fields.Integer(dump_only=True)
    email = fields.String()
    name = fields.String()
    active = fields.Boolean()
    locale = fields.String()
    time_zone = fields.String()
    roles = fields.List(fields.String(), attribute="role_names")
    tags = fields.List(fields.String())
    manager_id = fields.Integer(allow_none=True, metadata={"description": "Whom the user reports to (approvals by "
                                                                         "the requester's manager ask them)"})
    created_at = Timestamp(dump_only=True)
    last_login_at = Timestamp(dump_only=True, allow_none=True)


class UserCreateSchema(ma.Schema):
    email = fields.Email(required=True, validate=validate.Length(max=320))
    name = fields.String(required=True, validate=NAME)
    roles = fields.List(fields.String(), load_default=lambda: ["requester"])
    password = fields.String(load_default=None, metadata={"description": "Omit for accounts that only use API tokens"})
    locale = fields.String(load_default="en", validate=validate.OneOf(LOCALES))
    time_zone = fields.String(load_default="UTC")
    active = Flag(load_default=True)
    tags = tags_field(load_default=list)
    manager_id = Id(load_default=None, allow_none=True)


class UserPatchSchema(ma.Schema):
    email = fields.Email(validate=validate.Length(max=320))
    name = fields.String(validate=NAME)
    roles = fields.List(fields.String())
    password = fields.String()
    locale = fields.String(validate=validate.OneOf(LOCALES))
    time_zone = fields.String()
    active = Flag()
    tags = tags_field()
    manager_id = Id(allow_none=True)


class UserQuerySchema(ma.Schema):
    q = fields.String(load_default=None, metadata={"description": "Part of the name or email"})
    active = fields.Boolean(load_default=None)
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))
    cursor = fields.String(load_default=None, validate=validate.Length(max=CURSOR_MAX_LENGTH))


class LoginSchema(ma.Schema):
    email = fields.String(required=True, validate=validate.Length(min=1, max=320))
    password = fields.String(required=True, validate=validate.Length(min=1, max=500))


class ResetRequestSchema(ma.Schema):
    email = fields.String(required=True, validate=validate.Length(min=1, max=320))


class ResetRequestedSchema(ma.Schema):
    message = fields.String()


class LinkQuerySchema(ma.Schema):
    token = fields.String(required=True, validate=validate.Length(min=1, max=1000))


class LinkInfoSchema(ma.Schema):
    purpose = fields.String(metadata={"description": "invite or reset"})
    email = fields.String()
    name = fields.String()
    expires_at = Timestamp()


class SetPasswordSchema(ma.Schema):
    token = fields.String(required=True, validate=validate.Length(min=1, max=1000))
    password = fields.String(required=True, validate=validate.Length(min=1, max=500))


class IssuedLinkSchema(ma.Schema):
    purpose = fields.String(metadata={"description": "invite (never had a password) or reset"})
    emailed = fields.Boolean(metadata={"description": "Sent by e-mail; false without SMTP: hand over `url` yourself"})
    url = fields.String(allow_none=True, metadata={"description": "The link, only when it was not e-mailed"})
    expires_at = Timestamp()


class MaintenanceSchema(ma.Schema):
    read_only = fields.Boolean(metadata={"description": "Writes answer 503 with Retry-After until it ends"})
    since = fields.String(allow_none=True)
    reason = fields.String(allow_none=True)
    message = fields.Dict(keys=fields.String(), values=fields.String(), allow_none=True,
                          metadata={"description": "What to tell people, by locale (en, zh-CN)"})


class ReadOnlySwitchSchema(ma.Schema):
    read_only = Flag(required=True, metadata={"description": "true: refuse writes; false: writable again"})
    reason = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=500),
                           metadata={"description": "What people are told the maintenance is for"})


class MeSchema(ma.Schema):
    user = fields.Nested(UserSchema)
    csrf_token = fields.String(allow_none=True, metadata={
        "description": "Send back as X-CSRF-Token on writes made with the session cookie; null for API tokens"})
    maintenance = fields.Nested(MaintenanceSchema, metadata={
        "description": "The read-only maintenance mode, so the web app can show a banner"})


class MePatchSchema(ma.Schema):
    name = fields.String(validate=NAME)
    locale = fields.String(validate=validate.OneOf(LOCALES))
    time_zone = fields.String()
    current_password = fields.String()
    new_password = fields.String()

    @ma.validates_schema
    def _password_pair(self, data, **_kwargs):
        if "new_password" in data and "current_password" not in data:
            raise ma.ValidationError("Give your current password to set a new one.", "current_password")


class RoleSchema(ma.Schema):
    name = fields.String(required=True, validate=ROLE_NAME)
    description = fields.String(load_default="", validate=validate.Length(max=500))
    built_in = fields.Boolean(dump_only=True)


class RoleListSchema(ma.Schema):
    items = fields.List(fields.Nested(RoleSchema))


class TeamSchema(ma.Schema):
    id = fields.Integer()
    key = fields.String()
    name = fields.String()
    description = fields.String()
    supervisor = fields.Nested(UserRefSchema, allow_none=True)
    manager = fields.Nested(UserRefSchema, allow_none=True)
    members = fields.List(fields.Nested(UserRefSchema))
    created_at = Timestamp()


class TeamCreateSchema(ma.Schema):
    key = fields.String(required=True, validate=TEAM_KEY)
    name = fields.String(required=True, validate=NAME)
    description = fields.String(load_default="", validate=validate.Length(max=2000))
    supervisor_id = Id(load_default=None, allow_none=True)
    manager_id = Id(load_default=None, allow_none=True)
    member_ids = fields.List(Id(), load_default=list)


class TeamPatchSchema(ma.Schema):
    key = fields.String(validate=TEAM_KEY)
    name = fields.String(validate=NAME)
    description = fields.String(validate=validate.Length(max=2000))
    supervisor_id = Id(allow_none=True)
    manager_id = Id(allow_none=True)
    member_ids = fields.List(Id(), metadata={"description": "Replaces the member set"})


class TeamQuerySchema(ma.Schema):
    q = fields.String(load_default=None)
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))
    cursor = fields.String(load_default=None, validate=validate.Length(max=CURSOR_MAX_LENGTH))


class MemberSchema(ma.Schema):
    user_id = Id(required=True)


class ShiftSchema(ma.Schema):
    id = fields.Integer(dump_only=True)
    user = fields.Nested(UserRefSchema, dump_only=True)
    user_id = Id(required=True, load_only=True)
    starts_at = Timestamp(required=True)
    ends_at = Timestamp(required=True)


class ShiftListSchema(ma.Schema):
    items = fields.List(fields.Nested(ShiftSchema))


class RosterQuerySchema(ma.Schema):
    from_ = Timestamp(data_key="from", load_default=None)
    to = Timestamp(load_default=None)


class OnDutyQuerySchema(ma.Schema):
    at = Timestamp(load_default=None)


class OnDutySchema(ma.Schema):
    at = Timestamp()
    users = fields.List(fields.Nested(UserRefSchema))


class TokenSchema(ma.Schema):
    id = fields.Integer()
    name = fields.String()
    prefix = fields.String()
    created_at = Timestamp()
    last_used_at = Timestamp(allow_none=True)
    expires_at = Timestamp(allow_none=True)
    revoked_at = Timestamp(allow_none=True)


class TokenListSchema(ma.Schema):
    items = fields.List(fields.Nested(TokenSchema))


class TokenCreateSchema(ma.Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    expires_at = Timestamp(load_default=None, allow_none=True)


class TokenCreatedSchema(ma.Schema):
    token = fields.Nested(TokenSchema)
    secret = fields.String(metadata={"description": "Shown once; store it now"})


class AuditEntrySchema(ma.Schema):
    id = fields.Integer()
    at = Timestamp()
    actor_id = fields.Integer(allow_none=True)
    actor = fields.Nested(UserRefSchema, allow_none=True,
                          metadata={"description": "Who did it; null for the system or a deleted account"})
    action = fields.String()
    target_type = fields.String()
    target_id = fields.String(allow_none=True)
    details = fields.Dict()
    client_address = fields.String(allow_none=True)


class AuditFilterSchema(ma.Schema):
    actor_id = Id(load_default=None, metadata={"description": "Only what this user did"})
    action = fields.String(load_default=None, validate=validate.Length(max=64), metadata={
        "description": "An action such as user.created, or the start of one ending with '.' (user.)"})
    target_type = fields.String(load_default=None, validate=validate.Length(max=32))
    target_id = fields.String(load_default=None, validate=validate.Length(max=64))
    since = Timestamp(load_default=None, metadata={"description": "From this instant (inclusive)"})
    until = Timestamp(load_default=None, metadata={"description": "Before this instant"})

    @ma.validates_schema
    def _check_range(self, data, **kwargs):
        if data.get("since") is not None and data.get("until") is not None and data["until"] <= data["since"]:
            raise ma.ValidationError("Must be later than since.", field_name="until")


class AuditQuerySchema(AuditFilterSchema):
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))
    cursor = fields.String(load_default=None, validate=validate.Length(max=CURSOR_MAX_LENGTH))


class TeamRefSchema(ma.Schema):
    id = fields.Integer()
    key = fields.String()
    name = fields.String()


class PeopleQuerySchema(ma.Schema):
    q = fields.String(load_default="", validate=validate.Length(max=200),
                      metadata={"description": "The start of a name (or of any word in it; Chinese characters: any part "
                                               "of it) or of an email address; empty: everyone you may see"})
    limit = fields.Integer(load_default=10, validate=validate.Range(min=1, max=50))
    cursor = fields.String(load_default=None, validate=validate.Length(max=CURSOR_MAX_LENGTH))


class PersonSchema(ma.Schema):
    id = fields.Integer()
    name = fields.String(metadata={"description": "The name people read"})
    email = fields.String(metadata={"description": "What a person field stores"})
    teams = fields.List(fields.Nested(TeamRefSchema), metadata={"description": "The teams they are a member of"})

