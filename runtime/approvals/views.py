"""Approvals API: the "Awaiting my approval" queue, a ticket's approvals, deciding, delegations, and the
one-click links (public: the signed token is the credential)."""

from __future__ import annotations

from typing import Any

from flask import g
from sqlalchemy import select

from platform_core.api import Blueprint, keyset_page, page_schema
from platform_core.auth import current as auth_current
from platform_core.auth.current import actor, requires
from platform_core.auth.models import User
from platform_core.db import db_session
from platform_core.errors import NotFound, Unauthorized, ValidationFailed
from runtime.approvals import links, services
from runtime.approvals import schemas as s
from runtime.approvals.models import Approval
from runtime.rules import texts
from runtime.tickets import access
from runtime.tickets.display import request_reader

bp = Blueprint("approvals", __name__, url_prefix="/api/v1", description="Approvals")

ApprovalPage = page_schema(s.ApprovalSchema, "ApprovalPage")


@bp.get("/approvals")
@requires()
@bp.arguments(s.ApprovalQuerySchema, location="query")
@bp.response(200, ApprovalPage)
def awaiting_me(args):
    """Awaiting my approval: pending approvals I am asked to decide, or that someone away delegated to me today;
    oldest first, with cursor pagination."""
    user = actor()
    delegators = services.delegators_of(db_session, user)
    stmt = select(Approval).where(services.awaiting_filter(user, delegators)).options(services.with_ticket_versions())
    page = keyset_page(db_session, stmt, [Approval.opened_at, Approval.id], args["limit"], args["cursor"])
    page["items"] = [services.view(db_session, user, approval, delegators=delegators) for approval in page["items"]]
    return page


@bp.get("/approvals/<int:approval_id>")
@requires()
@bp.response(200, s.ApprovalSchema)
def get_approval(approval_id):
    """One approval: its approvers, their decisions and comments, and whether you may decide."""
    user = actor()
    return services.view(db_session, user, services.get_visible(db_session, user, approval_id))


@bp.post("/approvals/<int:approval_id>/decision")
@requires()
@bp.arguments(s.DecisionSchema)
@bp.response(200, s.ApprovalSchema)
def decide(body, approval_id):
    """Approve or reject (a rejection needs a comment): 403 if you are not asked, 409 if it is decided already
    (by you, or settled), 422 for bad input. A decision that settles the approval takes its transition."""
    user = actor()
    return services.view(db_session, user, services.decide(db_session, user, approval_id, body))


@bp.get("/tickets/<int:ticket_id>/approvals")
@requires()
@bp.response(200, s.ApprovalListSchema)
def ticket_approvals(ticket_id):
    """A ticket's approvals, oldest first: who was asked, who decided what, and what you may do."""
    user = actor()
    ticket = access.get_visible_ticket(db_session, user, ticket_id)
    delegators = services.delegators_of(db_session, user)
    return {"items": [services.view(db_session, user, a, delegators=delegators)
                      for a in services.for_ticket(db_session, ticket)]}


@bp.get("/approvals/delegations")
@requires()
@bp.response(200, s.DelegationListSchema)
def list_delegations():
    """Delegations you made and those made to you, that have not ended."""
    return {"items": services.delegations_of(db_session, actor())}


@bp.post("/approvals/delegations")
@requires()
@bp.arguments(s.DelegationCreateSchema)
@bp.response(201, s.DelegationSchema)
def create_delegation(body):
    """While you are away (first to last day, included), someone else decides your approvals too: those waiting
    appear in their queue, and they are told of new ones."""
    return services.delegate(db_session, actor(), body)


@bp.delete("/approvals/delegations/<int:delegation_id>")
@requires()
@bp.response(204)
def end_delegation(delegation_id):
    """End a delegation you made."""
    services.end_delegation(db_session, actor(), delegation_id)


# --------------------------------------------------------------------------- one-click links (public)


def _link_user(claims: dict[str, Any], locale: str | None) -> User | None:
    """Who decides with the link: the person it was sent to, or (a channel's link) whoever is signed in."""
    if claims["u"] is None:
        auth_current.load_principal()
        return g.get("user")
    user = db_session.get(User, claims["u"])
    if user is None or not user.active:
        raise links.ApprovalLinkInvalid(texts.say("approval.link_invalid", locale))
    return user


def _approval(claims: dict[str, Any], locale: str | None) -> Approval:
    approval = db_session.get(Approval, claims["a"])
    if approval is None:
        raise NotFound(texts.say("approval.not_found", locale, id=claims["a"]))
    return approval


@bp.get("/approval-links")
@bp.arguments(s.ApprovalLinkQuerySchema, location="query")
@bp.response(200, s.ApprovalLinkSchema)
def check_link(args):
    """What a one-click link is for (the confirmation page shows it; nothing is decided by a GET): 410 when it
    was tampered with or has expired."""
    locale = request_reader().locale
    claims = links.read(args["token"], locale)
    user = _link_user(claims, locale)
    approval = _approval(claims, locale)
    shown = services.view(db_session, user, approval)
    approver = db_session.get(User, claims["f"]) if claims["f"] else None
    return {"decision": claims["d"], "expires_at": claims["expires_at"], "needs_sign_in": user is None,
            "approver": approver, "approval": shown}


@bp.post("/approval-links")
@bp.arguments(s.ApprovalLinkDecisionSchema)
@bp.response(200, s.ApprovalSchema)
def decide_by_link(body):
    """Decide with a one-click link: as the person it was sent to (for the approver it names), or, for a
    channel's link, as whoever is signed in. 409 when decided already, 410 for a tampered or expired link."""
    locale = request_reader().locale
    claims = links.read(body["token"], locale)
    user = _link_user(claims, locale)
    if user is None:
        raise Unauthorized(texts.say("approval.link_login", locale))
    decision = claims["d"] or body.get("decision")
    if claims["d"] and body.get("decision") not in (None, claims["d"]):
        raise ValidationFailed.field("/decision", texts.say("approval.decision", locale))
    request = {"decision": decision, "comment": body.get("comment"),
               "on_behalf_of": claims["f"] if claims["f"] not in (None, user.id) else None}
    approval = services.decide(db_session, user, claims["a"], request, via="link")
    return services.view(db_session, user, approval)
