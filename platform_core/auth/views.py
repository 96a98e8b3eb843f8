"""Identity endpoints: login/logout, me, API tokens, users, roles, teams, rosters, audit log."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, g, make_response, stream_with_context

from platform_core import audit, maintenance
from platform_core.api import Blueprint, keyset_page, page_schema
from platform_core.audit import AuditEntry
from platform_core.auth import links, services
from platform_core.auth import schemas as s
from platform_core.auth.current import actor as current_actor
from platform_core.auth.current import (
    clear_session_cookie,
    client_address,
    requires,
    set_session_cookie,
    user_agent,
)
from platform_core.auth.models import Team, User
from platform_core.db import db_session, utcnow
from platform_core.errors import ValidationFailed

bp = Blueprint("identity", __name__, url_prefix="/api/v1", description="Login, users, teams, roles and API tokens")

UserPage = page_schema(s.UserSchema, "UserPage")
TeamPage = page_schema(s.TeamSchema, "TeamPage")
AuditPage = page_schema(s.AuditEntrySchema, "AuditPage")
PersonPage = page_schema(s.PersonSchema, "PersonPage")


def _me(user: User) -> dict[str, Any]:
    auth_session = g.get("auth_session")
    return {"user": user, "csrf_token": auth_session.csrf_token if auth_session else None,
            "maintenance": maintenance.report(maintenance.read_only_state())}


# --------------------------------------------------------------------------- session


@bp.post("/auth/login")
@bp.arguments(s.LoginSchema)
@bp.response(200, s.MeSchema)
@bp.doc(security=[])
def login(body):
    """Log in with email and password; sets the HttpOnly session cookie."""
    result = services.login(db_session, body["email"], body["password"],
                            client_address=client_address(), user_agent=user_agent())
    g.auth_session = result.auth_session
    response = make_response(s.MeSchema().dump(_me(result.user)))
    g.clear_session_cookie = False
    set_session_cookie(response, result.session_token)
    return response


@bp.post("/auth/password-reset")
@bp.arguments(s.ResetRequestSchema)
@bp.response(202, s.ResetRequestedSchema)
@bp.doc(security=[])
def request_password_reset(body):
    """Ask for a link to reset your password, sent by e-mail. The answer is the same whether or not the address
    has an account; too many requests for one address, or from one client, get 429."""
    links.request_reset(db_session, body["email"], client_address=client_address())
    return {"message": "If an account uses this address and e-mail is set up, a link to reset its password is on "
                       "its way. Otherwise ask your administrator for one."}


@bp.get("/auth/password-link")
@bp.arguments(s.LinkQuerySchema, location="query")
@bp.response(200, s.LinkInfoSchema)
@bp.doc(security=[])
def check_password_link(args):
    """What an invitation or reset link is for, and until when; 410 when it is invalid, spent or expired."""
    return links.check(db_session, args["token"])


@bp.post("/auth/password-link")
@bp.arguments(s.SetPasswordSchema)
@bp.response(204)
@bp.doc(security=[])
def set_password_with_link(body):
    """Set your password with an invitation or reset link; the link is spent and your sessions end."""
    links.set_password(db_session, body["token"], body["password"])


@bp.post("/auth/logout")
@requires()
@bp.response(204)
def logout():
    """End the browser session."""
    if g.get("auth_session") is not None:
        services.logout(db_session, g.auth_session)
    return clear_session_cookie(make_response("", 204))


@bp.get("/me")
@requires()
@bp.response(200, s.MeSchema)
def me():
    """The current user, and the CSRF token for cookie-authenticated writes."""
    return _me(current_actor())


@bp.patch("/me")
@requires()
@bp.arguments(s.MePatchSchema)
@bp.response(200, s.MeSchema)
def update_me(body):
    """Change your name, language, time zone or password."""
    user = current_actor()
    auth_session = g.get("auth_session")
    token = g.get("api_token")
    services.update_own_profile(db_session, user, body, current_session_id=auth_session.id if auth_session else None,
                                client_address=client_address(), current_token_id=token.id if token else None)
    return _me(user)


# --------------------------------------------------------------------------- API tokens


@bp.get("/auth/tokens")
@requires()
@bp.response(200, s.TokenListSchema)
def list_tokens():
    """Your API tokens (never their secrets)."""
    return {"items": services.list_tokens(db_session, current_actor())}


@bp.post("/auth/tokens")
@requires()
@bp.arguments(s.TokenCreateSchema)
@bp.response(201, s.TokenCreatedSchema)
def create_token(body):
    """Create an API token; its secret is in this response only."""
    token, secret = services.create_token(db_session, current_actor(), body["name"], expires_at=body["expires_at"])
    return {"token": token, "secret": secret}


@bp.delete("/auth/tokens/<int:token_id>")
@requires()
@bp.response(204)
def revoke_token(token_id):
    """Revoke one of your API tokens (admins: anyone's)."""
    services.revoke_token(db_session, current_actor(), token_id)


# --------------------------------------------------------------------------- users


@bp.get("/users")
@requires("admin")
@bp.arguments(s.UserQuerySchema, location="query")
@bp.response(200, UserPage)
def list_users(args):
    """Users, by name, with cursor pagination (admin)."""
    stmt = services.search_users(args["q"], args["active"])
    return keyset_page(db_session, stmt, [User.name, User.id], args["limit"], args["cursor"])


@bp.get("/people")
@requires()
@bp.arguments(s.PeopleQuerySchema, location="query")
@bp.response(200, PersonPage)
def search_people(args):
    """People for a person picker, by name, with cursor pagination: active users whose name (or a word of it) or
    email starts with `q`, case-insensitive. Admins, agents and designers search everyone; others see the people
    of teams (whom the Teams list already shows them) and anyone whose whole email address they type."""
    stmt = services.search_people(current_actor(), args["q"])
    return keyset_page(db_session, stmt, [User.name, User.id], args["limit"], args["cursor"])


@bp.post("/users")
@requires("admin")
@bp.arguments(s.UserCreateSchema)
@bp.response(201, s.UserSchema)
def create_user(body):
    """Create a user (admin)."""
    actor = current_actor()
    return services.create_user(db_session, actor_id=actor.id, **body)


@bp.get("/users/<int:user_id>")
@requires("admin")
@bp.response(200, s.UserSchema)
def get_user(user_id):
    """One user (admin)."""
    return services.get_user(db_session, user_id)


@bp.patch("/users/<int:user_id>")
@requires("admin")
@bp.arguments(s.UserPatchSchema)
@bp.response(200, s.UserSchema)
def update_user(body, user_id):
    """Change a user's profile, roles, password or active flag (admin)."""
    actor = current_actor()
    return services.update_user(db_session, services.get_user(db_session, user_id), body, actor=actor)


@bp.post("/users/<int:user_id>/password-link")
@requires("admin")
@bp.response(201, s.IssuedLinkSchema)
def send_password_link(user_id):
    """Send a user a link to set their password (admin): an invitation if they never had one, else a reset. It
    goes by e-mail when SMTP is set up; otherwise the response carries the link to hand over."""
    link = links.send_link(db_session, services.get_user(db_session, user_id), actor=current_actor())
    return {"purpose": link.purpose, "emailed": link.emailed, "url": None if link.emailed else link.url,
            "expires_at": link.expires_at}


@bp.delete("/users/<int:user_id>")
@requires("admin")
@bp.response(204)
def deactivate_user(user_id):
    """Deactivate a user (admin). Users are never erased: history refers to them."""
    actor = current_actor()
    services.deactivate_user(db_session, services.get_user(db_session, user_id), actor=actor)


# --------------------------------------------------------------------------- roles


@bp.get("/roles")
@requires()
@bp.response(200, s.RoleListSchema)
def list_roles():
    """Built-in and custom roles."""
    return {"items": services.list_roles(db_session)}


@bp.post("/roles")
@requires("admin")
@bp.arguments(s.RoleSchema)
@bp.response(201, s.RoleSchema)
def create_role(body):
    """Add a custom role that definitions can name (admin)."""
    actor = current_actor()
    return services.create_role(db_session, body["name"], body["description"], actor_id=actor.id)


@bp.delete("/roles/<name>")
@requires("admin")
@bp.response(204)
def delete_role(name):
    """Delete a custom role no user holds (admin)."""
    actor = current_actor()
    services.delete_role(db_session, name, actor_id=actor.id)


# --------------------------------------------------------------------------- teams


@bp.get("/teams")
@requires()
@bp.arguments(s.TeamQuerySchema, location="query")
@bp.response(200, TeamPage)
def list_teams(args):
    """Teams, by name, with cursor pagination."""
    return keyset_page(db_session, services.search_teams(args["q"]), [Team.name, Team.id], args["limit"], args["cursor"])


@bp.post("/teams")
@requires("admin")
@bp.arguments(s.TeamCreateSchema)
@bp.response(201, s.TeamSchema)
def create_team(body):
    """Create a team (admin)."""
    actor = current_actor()
    return services.create_team(db_session, body, actor_id=actor.id)


@bp.get("/teams/<int:team_id>")
@requires()
@bp.response(200, s.TeamSchema)
def get_team(team_id):
    """One team with its members."""
    return services.get_team(db_session, team_id)


@bp.patch("/teams/<int:team_id>")
@requires("admin")
@bp.arguments(s.TeamPatchSchema)
@bp.response(200, s.TeamSchema)
def update_team(body, team_id):
    """Change a team (admin); member_ids replaces the member set."""
    actor = current_actor()
    return services.update_team(db_session, services.get_team(db_session, team_id), body, actor_id=actor.id)


@bp.delete("/teams/<int:team_id>")
@requires("admin")
@bp.response(204)
def delete_team(team_id):
    """Delete a team (admin)."""
    actor = current_actor()
    services.delete_team(db_session, services.get_team(db_session, team_id), actor_id=actor.id)


@bp.post("/teams/<int:team_id>/members")
@requires("admin")
@bp.arguments(s.MemberSchema)
@bp.response(200, s.TeamSchema)
def add_member(body, team_id):
    """Add one member (admin)."""
    actor = current_actor()
    team = services.get_team(db_session, team_id)
    user = db_session.get(User, body["user_id"])
    if user is None:
        raise ValidationFailed.field("/user_id", f"User {body['user_id']} does not exist.")
    return services.add_member(db_session, team, user, actor_id=actor.id)


@bp.delete("/teams/<int:team_id>/members/<int:user_id>")
@requires("admin")
@bp.response(200, s.TeamSchema)
def remove_member(team_id, user_id):
    """Remove one member (admin); their future shifts go too."""
    actor = current_actor()
    team = services.get_team(db_session, team_id)
    return services.remove_member(db_session, team, services.get_user(db_session, user_id), actor_id=actor.id)


@bp.get("/teams/<int:team_id>/roster")
@requires()
@bp.arguments(s.RosterQuerySchema, location="query")
@bp.response(200, s.ShiftListSchema)
def get_roster(args, team_id):
    """On-duty shifts of a team overlapping [from, to)."""
    team = services.get_team(db_session, team_id)
    return {"items": services.roster(db_session, team, args["from_"], args["to"])}


@bp.post("/teams/<int:team_id>/roster")
@requires("admin")
@bp.arguments(s.ShiftSchema)
@bp.response(201, s.ShiftSchema)
def add_shift(body, team_id):
    """Put a member on duty from starts_at to ends_at (admin)."""
    actor = current_actor()
    team = services.get_team(db_session, team_id)
    return services.add_shift(db_session, team, body["user_id"], body["starts_at"], body["ends_at"], actor_id=actor.id)


@bp.delete("/teams/<int:team_id>/roster/<int:shift_id>")
@requires("admin")
@bp.response(204)
def remove_shift(team_id, shift_id):
    """Remove a shift (admin)."""
    actor = current_actor()
    services.remove_shift(db_session, services.get_team(db_session, team_id), shift_id, actor_id=actor.id)


@bp.get("/teams/<int:team_id>/on-duty")
@requires()
@bp.arguments(s.OnDutyQuerySchema, location="query")
@bp.response(200, s.OnDutySchema)
def get_on_duty(args, team_id):
    """Who is on duty in a team now (or at ?at=)."""
    at = args["at"] or utcnow()
    return {"at": at, "users": services.on_duty(db_session, services.get_team(db_session, team_id), at)}


# --------------------------------------------------------------------------- maintenance


@bp.put("/maintenance/read-only")
@requires("admin")
@bp.arguments(s.ReadOnlySwitchSchema)
@bp.response(200, s.MaintenanceSchema)
def switch_read_only(body):
    """Make the instance read-only or writable again, like `gongdan maintenance read-only on|off` (admin,
    audited). Allowed while read-only, so the switch that ends it stays reachable."""
    actor = current_actor()
    reason = (body["reason"] or "").strip() or None
    state = maintenance.set_read_only(current_app._get_current_object(), body["read_only"],  # type: ignore[attr-defined]
                                      by=f"user:{actor.email}", reason=reason)
    audit.record(db_session, "maintenance.read_only_on" if body["read_only"] else "maintenance.read_only_off",
                 "system", maintenance.READ_ONLY, actor_id=actor.id, details={"reason": reason} if reason else {})
    db_session.commit()
    return maintenance.report(state)


# --------------------------------------------------------------------------- audit


@bp.get("/audit")
@requires("admin")
@bp.arguments(s.AuditQuerySchema, location="query")
@bp.response(200, AuditPage)
def list_audit(args):
    """The administrative audit log, newest first, filtered by who, what and when (admin)."""
    page = keyset_page(db_session, audit.filtered(args), [AuditEntry.id], args["limit"], args["cursor"],
                       descending=True)
    return {**page, "items": audit.with_actors(db_session, page["items"])}


_CSV_DOC = {"responses": {"200": {
    "description": "The matching entries as CSV (UTF-8 with a BOM), newest first",
    "headers": {"Content-Disposition": {"schema": {"type": "string"}}},
    "content": {"text/csv": {"schema": {"type": "string"}}},
}}}


@bp.get("/audit.csv")
@requires("admin")
@bp.arguments(s.AuditFilterSchema, location="query")
@bp.doc(**_CSV_DOC)
def export_audit(args):
    """The audit log as a CSV file, with the same filters as the list, all matching entries (admin). Cells a
    spreadsheet would run as a formula start with a quote."""
    name = f"gongdan-audit-{utcnow():%Y%m%d-%H%M%S}.csv"
    response = Response(stream_with_context(audit.csv_lines(db_session, args)), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
