"""Request and response schemas of the approvals API (unknown keys are refused)."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from platform_core.api import CURSOR_MAX_LENGTH
from platform_core.auth.schemas import UserRefSchema
from platform_core.fields import Id, Timestamp


class ApprovalTicketSchema(ma.Schema):
    id = fields.Integer()
    number = fields.String()
    title = fields.String()
    status = fields.String()
    priority = fields.String()


class ApproverSchema(ma.Schema):
    user = fields.Nested(UserRefSchema)
    source = fields.String(metadata={"description": "How they were asked: user, role, team, requester_manager, "
                                                    "escalation"})
    decision = fields.String(allow_none=True, metadata={"description": "approve, reject, or null while undecided"})
    comment = fields.String(allow_none=True)
    decided_at = Timestamp(allow_none=True)
    decided_by = fields.Nested(UserRefSchema, allow_none=True,
                               metadata={"description": "Who decided: the approver, or their delegate"})
    via = fields.String(allow_none=True, metadata={"description": "app or link (the one-click link)"})


class ApprovalSchema(ma.Schema):
    id = fields.Integer()
    ticket = fields.Nested(ApprovalTicketSchema)
    state = fields.String(metadata={"description": "The state that asks for the approval"})
    state_name = fields.String(metadata={"description": "Its name in your language"})
    mode = fields.String(metadata={"description": "any (或签: one decision decides) or all (会签: everyone approves)"})
    status = fields.String(metadata={"description": "pending, approved, rejected or cancelled (the ticket left "
                                                    "the state another way)"})
    outcome = fields.String(allow_none=True, metadata={"description": "decided, timeout or left_state"})
    opened_at = Timestamp()
    due_at = Timestamp(allow_none=True)
    warned_at = Timestamp(allow_none=True)
    timed_out_at = Timestamp(allow_none=True)
    decided_at = Timestamp(allow_none=True)
    approvers = fields.List(fields.Nested(ApproverSchema))
    can_decide = fields.Boolean(metadata={"description": "Whether you may decide now (as an approver or delegate)"})
    on_behalf_of = fields.List(fields.Nested(UserRefSchema),
                               metadata={"description": "Approvers who delegated to you and have not decided"})


class ApprovalListSchema(ma.Schema):
    items = fields.List(fields.Nested(ApprovalSchema))


class ApprovalQuerySchema(ma.Schema):
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))
    cursor = fields.String(load_default=None, validate=validate.Length(max=CURSOR_MAX_LENGTH))


class DecisionSchema(ma.Schema):
    decision = fields.String(load_default=None, metadata={"description": "approve or reject"})
    comment = fields.String(load_default=None, metadata={"description": "Required to reject; at most 2,000 characters"})
    on_behalf_of = Id(load_default=None, metadata={"description": "The approver you decide for, when several "
                                                                  "delegated to you (default: yourself first)"})


class DelegationSchema(ma.Schema):
    id = fields.Integer(dump_only=True)
    user = fields.Nested(UserRefSchema, dump_only=True, metadata={"description": "Who is away"})
    delegate = fields.Nested(UserRefSchema, dump_only=True, metadata={"description": "Who decides for them"})
    starts_on = fields.Date(dump_only=True)
    ends_on = fields.Date(dump_only=True)
    note = fields.String(dump_only=True)


class DelegationCreateSchema(ma.Schema):
    delegate_id = Id(required=True)
    starts_on = fields.Date(required=True, metadata={"description": "First day away (included), in your time zone"})
    ends_on = fields.Date(required=True, metadata={"description": "Last day away (included)"})
    note = fields.String(load_default="", validate=validate.Length(max=500))


class DelegationListSchema(ma.Schema):
    items = fields.List(fields.Nested(DelegationSchema))


class ApprovalLinkQuerySchema(ma.Schema):
    token = fields.String(required=True, validate=validate.Length(min=1, max=2000))


class ApprovalLinkDecisionSchema(ma.Schema):
    token = fields.String(required=True, validate=validate.Length(min=1, max=2000))
    decision = fields.String(load_default=None, metadata={"description": "Only for a link without one (chat)"})
    comment = fields.String(load_default=None)


class ApprovalLinkSchema(ma.Schema):
    decision = fields.String(allow_none=True, metadata={"description": "What the link does; null: choose"})
    expires_at = Timestamp()
    needs_sign_in = fields.Boolean(metadata={"description": "A channel's link: sign in as an approver to decide"})
    approver = fields.Nested(UserRefSchema, allow_none=True, metadata={"description": "Whom the link decides for"})
    approval = fields.Nested(ApprovalSchema)
