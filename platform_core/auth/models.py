"""Identity: users, roles, teams and their on-duty roster, browser sessions, API tokens."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, Column, ForeignKey, Index, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from platform_core.db import Base, UTCDateTime, utcnow

BUILT_IN_ROLES: dict[str, str] = {
    "admin": "Manages users, teams, roles, templates and settings; sees everything.",
    "designer": "Builds and publishes ticket types.",
    "agent": "Works tickets in the queues of their teams.",
    "requester": "Files tickets and follows their own.",
}

user_role = Table(
    "user_role",
    Base.metadata,
    Column("user_id", ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True),
    Column("role_name", ForeignKey("role.name", ondelete="RESTRICT"), primary_key=True, index=True),
)

team_member = Table(
    "team_member",
    Base.metadata,
    Column("team_id", ForeignKey("team.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Role(Base):
    """A role name; the four built-in ones plus any custom name definitions may refer to."""

    __tablename__ = "role"
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    description: Mapped[str] = mapped_column(String(500), default="")
    built_in: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class User(Base):
    __tablename__ = "user_account"  # "user" is reserved in PostgreSQL
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)  # stored lower-cased
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    locale: Mapped[str] = mapped_column(String(10), default="en")
    time_zone: Mapped[str] = mapped_column(String(64), default="UTC")
    tags: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")  # e.g. vip; rules see them
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Whom the user reports to: approvals by "the requester's manager" ask this person.
    manager_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"), index=True)

    roles: Mapped[list[Role]] = relationship(secondary=user_role, lazy="selectin", order_by=Role.name)
    teams: Mapped[list[Team]] = relationship(secondary=team_member, back_populates="members", lazy="select")
    manager: Mapped[User | None] = relationship(remote_side=[id], foreign_keys=[manager_id], lazy="select")

    @property
    def role_names(self) -> list[str]:
        return [role.name for role in self.roles]

    def has_role(self, *names: str) -> bool:
        return any(role.name in names for role in self.roles)


class Team(Base):
    __tablename__ = "team"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)  # what definitions refer to
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(String(2000), default="")
    supervisor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"), index=True)
    manager_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    supervisor: Mapped[User | None] = relationship(foreign_keys=[supervisor_id], lazy="joined")
    manager: Mapped[User | None] = relationship(foreign_keys=[manager_id], lazy="joined")
    members: Mapped[list[User]] = relationship(
        secondary=team_member, back_populates="teams", lazy="selectin", order_by=User.name
    )


class DutyShift(Base):
    """One entry of a team's on-duty roster: this member is on duty in [starts_at, ends_at)."""

    __tablename__ = "duty_shift"
    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship(lazy="joined")

    __table_args__ = (Index("ix_duty_shift_team_window", "team_id", "ends_at", "starts_at"),)


class AuthSession(Base):
    """A browser session. The cookie holds a random secret; only its SHA-256 is stored."""

    __tablename__ = "auth_session"
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    client_address: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(300))

    user: Mapped[User] = relationship(lazy="joined")


class ApiToken(Base):
    """A bearer token for scripts and external systems, acting as its user."""

    __tablename__ = "api_token"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    prefix: Mapped[str] = mapped_column(String(16))  # shown in lists so people can tell tokens apart
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship(lazy="joined")


class LoginFailure(Base):
    """A failed login, kept for the throttling window (shared by every server process)."""

    __tablename__ = "login_failure"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320))
    client_address: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)

    __table_args__ = (
        Index("ix_login_failure_email_at", "email", "at"),
        Index("ix_login_failure_address_at", "client_address", "at"),
    )


class PasswordResetRequest(Base):
    """A request for a password-reset link, kept for the throttling window (whether or not the address exists)."""

    __tablename__ = "password_reset_request"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320))
    client_address: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)

    __table_args__ = (
        Index("ix_password_reset_request_email_at", "email", "at"),
        Index("ix_password_reset_request_address_at", "client_address", "at"),
    )


__all__ = [
    "BUILT_IN_ROLES",
    "ApiToken",
    "AuthSession",
    "DutyShift",
    "LoginFailure",
    "PasswordResetRequest",
    "Role",
    "Team",
    "User",
    "team_member",
    "user_role",
]
