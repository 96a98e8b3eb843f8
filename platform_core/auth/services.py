"""Identity services: login and sessions, API tokens, users, roles, teams and rosters.

Each public function that changes data owns its unit of work and commits; each raises an
``ApiError`` subclass, naming the field, for anything a caller got wrong.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

from flask import current_app
from sqlalchemy import Select, bindparam, delete, func, or_, select, update
from sqlalchemy.orm import Session, joinedload, lazyload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from platform_core import audit
from platform_core.auth import throttle
from platform_core.auth.models import (
    BUILT_IN_ROLES,
    ApiToken,
    AuthSession,
    DutyShift,
    LoginFailure,
    PasswordResetRequest,
    Role,
    Team,
    User,
    team_member,
    user_role,
)
from platform_core.auth.passwords import hash_password, password_problem, verify_password
from platform_core.db import get_database, utcnow
from platform_core.errors import Conflict, Forbidden, NotFound, Unauthorized, ValidationFailed

LOCALES = ("en", "zh-CN")
TOKEN_PREFIX = "gd_"  # noqa: S105  (a prefix, not a secret)
_TIME_ZONES: frozenset[str] | None = None


def _sha256(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def normalise_email(email: str) -> str:
    return email.strip().lower()


def _valid_time_zones() -> frozenset[str]:
    global _TIME_ZONES
    if _TIME_ZONES is None:
        _TIME_ZONES = frozenset(available_timezones()) | {"UTC"}
    return _TIME_ZONES


def _check_profile(locale: str | None, time_zone: str | None) -> None:
    if locale is not None and locale not in LOCALES:
        raise ValidationFailed.field("/locale", f"Choose one of: {', '.join(LOCALES)}.")
    if time_zone is not None:
        if time_zone not in _valid_time_zones():
            raise ValidationFailed.field("/time_zone", f"{time_zone!r} is not an IANA time zone such as Asia/Shanghai.")
        ZoneInfo(time_zone)


def _check_password(password: str, path: str = "/password") -> None:
    problem = password_problem(password)
    if problem:
        raise ValidationFailed.field(path, problem)


# --------------------------------------------------------------------------- login


@dataclass
class LoginResult:
    user: User
    session_token: str  # goes into the cookie, never stored
    auth_session: AuthSession


def login(session: Session, email: str, password: str, *, client_address: str, user_agent: str | None) -> LoginResult:
    config = current_app.config
    email = normalise_email(email)
    throttle.check(session, email, client_address)  # the policy: platform_core/auth/throttle.py

    user = session.scalar(select(User).where(User.email == email))
    ok = verify_password(user.password_hash if user else None, password)
    if not ok or user is None or not user.active:
        throttle.record_failure(session, email, client_address)
        raise Unauthorized("The email or password is wrong, or the account is deactivated.")

    throttle.forget(session, email, client_address)
    token = secrets.token_urlsafe(32)
    auth_session = AuthSession(
        token_hash=_sha256(token), user=user, csrf_token=secrets.token_urlsafe(32),
        expires_at=utcnow() + timedelta(hours=config["SESSION_LIFETIME_HOURS"]),
        client_address=client_address, user_agent=(user_agent or "")[:300] or None,
    )
    session.add(auth_session)
    user.last_login_at = utcnow()
    audit.record(session, "auth.login", "user", user.id, actor_id=user.id)
    session.commit()
    return LoginResult(user=user, session_token=token, auth_session=auth_session)


def logout(session: Session, auth_session: AuthSession) -> None:
    session.execute(delete(AuthSession).where(AuthSession.id == auth_session.id))
    session.commit()


# Writes that only record use (last seen, last used) happen at most once a minute.
_TOUCH_EVERY = timedelta(minutes=1)


def _touch(model: type, row_id: int, **values: Any) -> None:
    """Update bookkeeping columns in a short session of their own, apart from the request's work."""
    side = get_database().sessionmaker()
    try:
        row = side.get(model, row_id)
        if row is not None:
            for key, value in values.items():
                setattr(row, key, value)
            side.commit()
    finally:
        side.close()


@cache
def _credential_query(model: type[AuthSession] | type[ApiToken]) -> Select[Any]:
    """Every request starts here: the credential by its hash (bind ``hash``), its user and the
    user's roles in one round trip (roles are otherwise a second, "selectin" query). Built once:
    see ``platform_core.db`` on hot statements."""
    return (select(model).where(model.token_hash == bindparam("hash"))
            .options(joinedload(model.user).joinedload(User.roles)))


def session_for_token(session: Session, token: str) -> AuthSession | None:
    """The live session a cookie refers to, extending it on use; None if unknown or expired."""
    auth_session = session.scalars(_credential_query(AuthSession), {"hash": _sha256(token)}).unique().first()
    now = utcnow()
    if auth_session is None or auth_session.expires_at <= now or not auth_session.user.active:
        return None
    if now - auth_session.last_seen_at > _TOUCH_EVERY:
        lifetime = timedelta(hours=current_app.config["SESSION_LIFETIME_HOURS"])
        _touch(AuthSession, auth_session.id, last_seen_at=now, expires_at=now + lifetime)
    return auth_session


def purge_expired() -> dict[str, int]:
    """Periodic job: forget expired sessions, and login failures and reset requests outside their windows; the
    rows deleted of each."""
    from platform_core.db import get_session

    session = get_session()
    now = utcnow()
    window = timedelta(seconds=current_app.config["LOGIN_WINDOW_SECONDS"])
    counts = {"sessions": session.execute(delete(AuthSession).where(AuthSession.expires_at <= now)).rowcount,
              "login_failures": session.execute(delete(LoginFailure).where(LoginFailure.at <= now - window)).rowcount}
    reset_window = timedelta(seconds=current_app.config["RESET_WINDOW_SECONDS"])
    counts["password_resets"] = session.execute(
        delete(PasswordResetRequest).where(PasswordResetRequest.at <= now - reset_window)).rowcount
    session.commit()
    return counts


# --------------------------------------------------------------------------- API tokens


def token_for_secret(session: Session, secret: str) -> ApiToken | None:
    """The live API token for a bearer secret, recording its use; None if unknown, revoked or expired."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    token = session.scalars(_credential_query(ApiToken), {"hash": _sha256(secret)}).unique().first()
    now = utcnow()
    if (token is None or token.revoked_at is not None or (token.expires_at and token.expires_at <= now)
            or not token.user.active):
        return None
    if token.last_used_at is None or now - token.last_used_at > _TOUCH_EVERY:
        _touch(ApiToken, token.id, last_used_at=now)
        # shown as it now is, without a change for this session to flush: the request's own transaction would
        # write the token's row again (holding its lock until the request ends, so another request with the same
        # token waited for it, and a create's number and round-robin turn could not be written apart)
        set_committed_value(token, "last_used_at", now)
    return token


def create_token(session: Session, user: User, name: str, *, expires_at: datetime | None = None,
                 actor_id: int | None = None) -> tuple[ApiToken, str]:
    """Make a new API token; the secret is returned once and only its hash is kept."""
    name = name.strip()
    if not name:
        raise ValidationFailed.field("/name", "Give the token a name, such as the system that will use it.")
    if expires_at is not None and expires_at <= utcnow():
        raise ValidationFailed.field("/expires_at", "The expiry must be in the future.")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name, prefix=secret[:8], token_hash=_sha256(secret), expires_at=expires_at)
    session.add(token)
    session.flush()
    audit.record(session, "token.created", "api_token", token.id,
                 actor_id=actor_id or user.id, details={"name": name, "user_id": user.id})
    session.commit()
    return token, secret


def list_tokens(session: Session, user: User) -> list[ApiToken]:
    return list(session.scalars(select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id)))


def revoke_token(session: Session, user: User, token_id: int) -> None:
    token = session.get(ApiToken, token_id)
    if token is None or (token.user_id != user.id and not user.has_role("admin")):
        raise NotFound(f"API token {token_id} does not exist.")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        audit.record(session, "token.revoked", "api_token", token.id, actor_id=user.id)
        session.commit()


# --------------------------------------------------------------------------- roles


def list_roles(session: Session) -> list[Role]:
    return list(session.scalars(select(Role).order_by(Role.built_in.desc(), Role.name)))


def _roles_by_name(session: Session, names: Iterable[str], path: str = "/roles") -> list[Role]:
    names = list(names)
    found = {role.name: role for role in session.scalars(select(Role).where(Role.name.in_(names)))}
    details = [{"path": f"{path}/{i}", "location": "json", "message": f"There is no role named {name!r}."}
               for i, name in enumerate(names) if name not in found]
    if details:
        raise ValidationFailed("Unknown role.", details=details)
    return [found[name] for name in dict.fromkeys(names)]


def create_role(session: Session, name: str, description: str, *, actor_id: int) -> Role:
    if session.get(Role, name) is not None:
        raise Conflict(f"A role named {name!r} already exists.", details=[{"path": "/name", "message": "Already exists."}])
    role = Role(name=name, description=description, built_in=False)
    session.add(role)
    audit.record(session, "role.created", "role", name, actor_id=actor_id)
    session.commit()
    return role


def delete_role(session: Session, name: str, *, actor_id: int) -> None:
    role = session.get(Role, name)
    if role is None:
        raise NotFound(f"There is no role named {name!r}.")
    if role.built_in:
        raise Conflict(f"{name!r} is a built-in role and cannot be deleted.")
    in_use = session.scalar(select(func.count()).select_from(user_role).where(user_role.c.role_name == name))
    if in_use:
        raise Conflict(f"{in_use} user(s) still have the role {name!r}; take it from them first.")
    session.delete(role)
    audit.record(session, "role.deleted", "role", name, actor_id=actor_id)
    session.commit()


def ensure_built_in_roles(session: Session) -> None:
    existing = set(session.scalars(select(Role.name)))
    for name, description in BUILT_IN_ROLES.items():
        if name not in existing:
            session.add(Role(name=name, description=description, built_in=True))
    session.commit()


# --------------------------------------------------------------------------- users


def get_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"User {user_id} does not exist.")
    return user


def search_users(q: str | None, active: bool | None) -> Any:
    stmt = select(User)
    if q:
        pattern = f"%{q.strip().lower()}%"
        stmt = stmt.where(or_(func.lower(User.name).like(pattern), User.email.like(pattern)))
    if active is not None:
        stmt = stmt.where(User.active.is_(active))
    return stmt


# Who may search the whole directory in the person picker; others see the people the Teams list already shows
# every signed-in user (members, supervisors and managers of a team) and anyone whose whole address they type.
DIRECTORY_ROLES = ("admin", "agent", "designer")


def _is_cjk(text: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" for ch in text)


def search_people(reader: User, q: str) -> Select:
    """Active people for the person picker, matching ``q`` case-insensitively: the start of their name or of any
    word in it, or the start of their email (its user name). A query in Chinese characters matches anywhere in
    the name (Chinese names have no spaces: 伟 finds 张伟). See ``DIRECTORY_ROLES`` for what requesters see."""
    stmt = select(User).where(User.active.is_(True)).options(selectinload(User.teams))
    words = q.strip()
    if words:
        escaped = words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        name_match = (User.name.ilike(f"%{escaped}%", escape="\\") if _is_cjk(words)
                      else or_(User.name.ilike(f"{escaped}%", escape="\\"), User.name.ilike(f"% {escaped}%", escape="\\")))
        stmt = stmt.where(or_(name_match, User.email.like(f"{escaped.lower()}%", escape="\\")))
    if not reader.has_role(*DIRECTORY_ROLES):
        in_a_team = or_(User.id.in_(select(team_member.c.user_id)),
                        User.id.in_(select(Team.supervisor_id).where(Team.supervisor_id.is_not(None))),
                        User.id.in_(select(Team.manager_id).where(Team.manager_id.is_not(None))))
        stmt = stmt.where(or_(in_a_team, User.email == words.lower()))
    return stmt


def _email_taken(session: Session, email: str, except_id: int | None = None) -> bool:
    stmt = select(User.id).where(User.email == email)
    if except_id is not None:
        stmt = stmt.where(User.id != except_id)
    return session.scalar(stmt) is not None


def _active_admin_count(session: Session) -> int:
    return session.scalar(
        select(func.count(func.distinct(User.id))).join(user_role, user_role.c.user_id == User.id)
        .where(user_role.c.role_name == "admin", User.active.is_(True))
    ) or 0


def create_user(session: Session, *, email: str, name: str, roles: list[str], password: str | None = None,
                locale: str = "en", time_zone: str = "UTC", active: bool = True, tags: list[str] | None = None,
                manager_id: int | None = None, actor_id: int | None) -> User:
    email = normalise_email(email)
    if _email_taken(session, email):
        raise Conflict(f"A user with the email {email} already exists.",
                       details=[{"path": "/email", "location": "json", "message": "Already in use."}])
    _check_profile(locale, time_zone)
    if password is not None:
        _check_password(password)
    user = User(email=email, name=name.strip(), roles=_roles_by_name(session, roles), active=active,
                locale=locale, time_zone=time_zone, tags=sorted(set(tags or [])),
                password_hash=hash_password(password) if password else None)
    if manager_id is not None:
        user.manager_id = _manager(session, None, manager_id)
    session.add(user)
    session.flush()
    audit.record(session, "user.created", "user", user.id, actor_id=actor_id,
                 details={"email": email, "roles": user.role_names})
    session.commit()
    return user


def _revoke_sessions(session: Session, user_id: int, keep_session_id: int | None = None) -> None:
    stmt = delete(AuthSession).where(AuthSession.user_id == user_id)
    if keep_session_id is not None:
        stmt = stmt.where(AuthSession.id != keep_session_id)
    session.execute(stmt)


def revoke_tokens_of(session: Session, user_id: int, keep_token_id: int | None = None) -> None:
    """A new password ends the user's API tokens too: a token made with a stolen password would otherwise
    outlive the change. Scripts get a new token."""
    stmt = update(ApiToken).where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
    if keep_token_id is not None:
        stmt = stmt.where(ApiToken.id != keep_token_id)
    session.execute(stmt.values(revoked_at=utcnow()).execution_options(synchronize_session=False))


def update_user(session: Session, user: User, changes: dict[str, Any], *, actor: User) -> User:
    """Apply an admin's changes to a user: profile, roles, active flag, password."""
    before = {"email": user.email, "name": user.name, "roles": user.role_names, "active": user.active,
              "locale": user.locale, "time_zone": user.time_zone, "tags": list(user.tags or []),
              "manager_id": user.manager_id}
    if "email" in changes:
        email = normalise_email(changes["email"])
        if _email_taken(session, email, except_id=user.id):
            raise Conflict(f"A user with the email {email} already exists.",
                           details=[{"path": "/email", "location": "json", "message": "Already in use."}])
        user.email = email
    _check_profile(changes.get("locale"), changes.get("time_zone"))
    for key in ("name", "locale", "time_zone"):
        if key in changes:
            setattr(user, key, changes[key].strip() if key == "name" else changes[key])
    was_admin = user.has_role("admin") and user.active
    if "roles" in changes:
        user.roles = _roles_by_name(session, changes["roles"])
    if "active" in changes:
        if not changes["active"] and user.id == actor.id:
            raise Conflict("You cannot deactivate your own account.",
                           details=[{"path": "/active", "location": "json", "message": "This is you."}])
        user.active = changes["active"]
    if was_admin and not (user.has_role("admin") and user.active):
        session.flush()
        if _active_admin_count(session) == 0:
            raise Conflict("This is the last active admin; make someone else an admin first.")
    if changes.get("password"):
        _check_password(changes["password"])
        user.password_hash = hash_password(changes["password"])
        if user.id != actor.id:
            _revoke_sessions(session, user.id)
            revoke_tokens_of(session, user.id)
    if not user.active:
        _revoke_sessions(session, user.id)
    if "tags" in changes:
        user.tags = sorted(set(changes["tags"]))
    if "manager_id" in changes:
        user.manager_id = _manager(session, user.id, changes["manager_id"])
    after = {"email": user.email, "name": user.name, "roles": user.role_names, "active": user.active,
             "locale": user.locale, "time_zone": user.time_zone, "tags": list(user.tags or []),
             "manager_id": user.manager_id}
    changed = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
    if changes.get("password"):
        changed["password"] = ["(hidden)", "(changed)"]
    if changed:
        audit.record(session, "user.updated", "user", user.id, actor_id=actor.id, details=changed)
    session.commit()
    return user


def _manager(session: Session, user_id: int | None, manager_id: int | None) -> int | None:
    """A valid manager for the user: an existing user, not the user, and not someone who reports to the user
    (a loop would make "the requester's manager" ask the requester)."""
    if manager_id is None:
        return None
    seen = {user_id}
    current: int | None = manager_id
    for _ in range(100):
        if current is None:
            return manager_id
        if current in seen:
            raise ValidationFailed.field("/manager_id", "This manager reports, directly or not, to the user: "
                                                        "choose someone else.")
        manager = session.get(User, current)
        if manager is None:
            raise ValidationFailed.field("/manager_id", f"User {current} does not exist.")
        seen.add(current)
        current = manager.manager_id
    raise ValidationFailed.field("/manager_id", "The chain of managers is too long.")


def deactivate_user(session: Session, user: User, *, actor: User) -> None:
    update_user(session, user, {"active": False}, actor=actor)


def update_own_profile(session: Session, user: User, changes: dict[str, Any], *, current_session_id: int | None,
                       client_address: str = "", current_token_id: int | None = None) -> User:
    """Change one's own profile; a new password needs the current one (wrong ones count as failed logins, see
    platform_core/auth/throttle.py) and ends every other session and API token (the one in use stays)."""
    _check_profile(changes.get("locale"), changes.get("time_zone"))
    if "new_password" in changes:
        throttle.check(session, user.email, client_address, "wrong current passwords")
        if not verify_password(user.password_hash, changes.get("current_password") or ""):
            throttle.record_failure(session, user.email, client_address)
            raise ValidationFailed.field("/current_password", "The current password is wrong.")
    for key in ("name", "locale", "time_zone"):
        if key in changes:
            setattr(user, key, changes[key].strip() if key == "name" else changes[key])
    if "new_password" in changes:
        _check_password(changes["new_password"], "/new_password")
        user.password_hash = hash_password(changes["new_password"])
        _revoke_sessions(session, user.id, keep_session_id=current_session_id)
        revoke_tokens_of(session, user.id, keep_token_id=current_token_id)
        audit.record(session, "user.password_changed", "user", user.id, actor_id=user.id)
    session.commit()
    return user


def ensure_admin(session: Session, email: str = "admin@gongdan.local") -> tuple[User, str] | None:
    """Create an admin with a generated password if no active admin exists; returns it and the password."""
    ensure_built_in_roles(session)
    if _active_admin_count(session):
        return None
    password = secrets.token_urlsafe(12)
    existing = session.scalar(select(User).where(User.email == email))
    if existing is not None:
        update_user(session, existing, {"active": True, "password": password,
                                        "roles": sorted(set(existing.role_names) | {"admin"})}, actor=existing)
        return existing, password
    user = create_user(session, email=email, name="Administrator", roles=["admin"], password=password, actor_id=None)
    return user, password


# --------------------------------------------------------------------------- teams


def get_team(session: Session, team_id: int) -> Team:
    team = session.get(Team, team_id)
    if team is None:
        raise NotFound(f"Team {team_id} does not exist.")
    return team


def get_team_by_key(session: Session, key: str) -> Team:
    team = session.scalar(select(Team).where(Team.key == key))
    if team is None:
        raise NotFound(f"There is no team with the key {key!r}.")
    return team


def search_teams(q: str | None) -> Any:
    stmt = select(Team)
    if q:
        pattern = f"%{q.strip().lower()}%"
        stmt = stmt.where(or_(func.lower(Team.name).like(pattern), Team.key.like(pattern)))
    return stmt


def _users_by_id(session: Session, ids: list[int], path: str) -> list[User]:
    found = {u.id: u for u in session.scalars(select(User).where(User.id.in_(ids)))}
    details = [{"path": f"{path}/{i}", "location": "json", "message": f"User {uid} does not exist."}
               for i, uid in enumerate(ids) if uid not in found]
    if details:
        raise ValidationFailed("Unknown user.", details=details)
    return [found[uid] for uid in dict.fromkeys(ids)]


def _apply_team_fields(session: Session, team: Team, values: dict[str, Any]) -> None:
    for field in ("name", "description"):
        if field in values:
            setattr(team, field, values[field].strip())
    for field in ("supervisor_id", "manager_id"):
        if field in values:
            uid = values[field]
            if uid is not None and session.get(User, uid) is None:
                raise ValidationFailed.field(f"/{field}", f"User {uid} does not exist.")
            setattr(team, field, uid)
    if "member_ids" in values:
        team.members = _users_by_id(session, values["member_ids"], "/member_ids")


def create_team(session: Session, values: dict[str, Any], *, actor_id: int | None) -> Team:
    if session.scalar(select(Team.id).where(Team.key == values["key"])) is not None:
        raise Conflict(f"A team with the key {values['key']!r} already exists.",
                       details=[{"path": "/key", "location": "json", "message": "Already in use."}])
    team = Team(key=values["key"], name=values["name"].strip(), description="")
    _apply_team_fields(session, team, values)
    session.add(team)
    session.flush()
    audit.record(session, "team.created", "team", team.id, actor_id=actor_id, details={"key": team.key})
    session.commit()
    return team


def update_team(session: Session, team: Team, values: dict[str, Any], *, actor_id: int | None) -> Team:
    if "key" in values and values["key"] != team.key:
        if session.scalar(select(Team.id).where(Team.key == values["key"])) is not None:
            raise Conflict(f"A team with the key {values['key']!r} already exists.",
                           details=[{"path": "/key", "location": "json", "message": "Already in use."}])
        team.key = values["key"]
    _apply_team_fields(session, team, values)
    audit.record(session, "team.updated", "team", team.id, actor_id=actor_id,
                 details={k: v for k, v in values.items() if k != "description"})
    session.commit()
    return team


def add_member(session: Session, team: Team, user: User, *, actor_id: int | None) -> Team:
    if user not in team.members:
        team.members.append(user)
        audit.record(session, "team.member_added", "team", team.id, actor_id=actor_id, details={"user_id": user.id})
        session.commit()
    return team


def remove_member(session: Session, team: Team, user: User, *, actor_id: int | None) -> Team:
    if user in team.members:
        team.members.remove(user)
        session.execute(delete(DutyShift).where(DutyShift.team_id == team.id, DutyShift.user_id == user.id,
                                                DutyShift.ends_at > utcnow()))
        audit.record(session, "team.member_removed", "team", team.id, actor_id=actor_id, details={"user_id": user.id})
        session.commit()
    return team


def delete_team(session: Session, team: Team, *, actor_id: int | None) -> None:
    audit.record(session, "team.deleted", "team", team.id, actor_id=actor_id, details={"key": team.key})
    session.delete(team)
    session.commit()


def roster(session: Session, team: Team, start: datetime | None, end: datetime | None) -> list[DutyShift]:
    stmt = select(DutyShift).where(DutyShift.team_id == team.id)
    if start is not None:
        stmt = stmt.where(DutyShift.ends_at > start)
    if end is not None:
        stmt = stmt.where(DutyShift.starts_at < end)
    return list(session.scalars(stmt.order_by(DutyShift.starts_at, DutyShift.id)))


MAX_SHIFT = timedelta(days=31)


def add_shift(session: Session, team: Team, user_id: int, starts_at: datetime, ends_at: datetime,
              *, actor_id: int | None) -> DutyShift:
    if not any(member.id == user_id for member in team.members):
        raise ValidationFailed.field("/user_id", f"User {user_id} is not a member of the team {team.key!r}.")
    if ends_at <= starts_at:
        raise ValidationFailed.field("/ends_at", "The shift must end after it starts.")
    if ends_at - starts_at > MAX_SHIFT:
        raise ValidationFailed.field("/ends_at", "A shift can last at most 31 days; add several shifts.")
    shift = DutyShift(team_id=team.id, user_id=user_id, starts_at=starts_at, ends_at=ends_at)
    session.add(shift)
    session.flush()
    audit.record(session, "team.shift_added", "team", team.id, actor_id=actor_id,
                 details={"user_id": user_id, "starts_at": starts_at.isoformat(), "ends_at": ends_at.isoformat()})
    session.commit()
    return shift


def remove_shift(session: Session, team: Team, shift_id: int, *, actor_id: int | None) -> None:
    shift = session.get(DutyShift, shift_id)
    if shift is None or shift.team_id != team.id:
        raise NotFound(f"Shift {shift_id} does not exist in team {team.key!r}.")
    session.delete(shift)
    audit.record(session, "team.shift_removed", "team", team.id, actor_id=actor_id, details={"shift_id": shift_id})
    session.commit()


def on_duty(session: Session, team: Team, at: datetime) -> list[User]:
    """Members of the team on duty at ``at`` (active users only), earliest shift first."""
    stmt = (select(User).join(DutyShift, DutyShift.user_id == User.id)
            .join(team_member, (team_member.c.user_id == User.id) & (team_member.c.team_id == team.id))
            .where(DutyShift.team_id == team.id, DutyShift.starts_at <= at, DutyShift.ends_at > at,
                   User.active.is_(True))
            .order_by(DutyShift.starts_at, DutyShift.id).options(lazyload(User.roles)))  # roles when asked
    return list(dict.fromkeys(session.scalars(stmt)))


def require_role(user: User | None, *roles: str) -> User:
    if user is None:
        raise Unauthorized("Log in, or send an API token as 'Authorization: Bearer <token>'.")
    if roles and not user.has_role(*roles):
        raise Forbidden(f"This needs the role {' or '.join(roles)}.")
    return user
