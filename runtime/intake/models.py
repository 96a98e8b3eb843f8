"""Inbound endpoints, what each call did (the intake log), the source keys seen (idempotency) and the open
alarms (deduplication)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from platform_core.auth.models import User
from platform_core.db import Base, JSONDocument, UTCDateTime, utcnow
from runtime.tickets.models import TicketType

AUTH_MODES = ("token", "hmac")
ON_DUPLICATE = ("count", "comment")
OUTCOMES = ("created", "deduplicated", "replayed", "rejected")


class IntakeEndpoint(Base):
    """``POST /api/v1/intake/<key>``: a payload mapped to the form of one ticket type, filed as ``requester``.

    ``mapping`` is form field -> JsonLogic over the payload; ``dedup_key`` and ``source_key`` are JsonLogic too
    (null: no deduplication, no idempotency). With auth mode ``token`` only the secret's SHA-256 is kept; an
    HMAC secret must be kept to check signatures, as the outbound webhook secrets are."""

    __tablename__ = "intake_endpoint"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    ticket_type_id: Mapped[int] = mapped_column(ForeignKey("ticket_type.id", ondelete="RESTRICT"), index=True)
    requester_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="RESTRICT"), index=True)
    auth_mode: Mapped[str] = mapped_column(String(8))
    secret_prefix: Mapped[str] = mapped_column(String(16))  # shown so people can tell secrets apart
    token_hash: Mapped[str | None] = mapped_column(String(64))  # auth mode token
    hmac_secret: Mapped[str | None] = mapped_column(String(200))  # auth mode hmac
    mapping: Mapped[dict[str, Any]] = mapped_column()
    dedup_key: Mapped[Any | None] = mapped_column(JSONDocument)
    on_duplicate: Mapped[str] = mapped_column(String(16), default="count")
    source_key: Mapped[Any | None] = mapped_column(JSONDocument)
    rate_per_minute: Mapped[int] = mapped_column(default=600)  # per client address
    active: Mapped[bool] = mapped_column(default=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    ticket_type: Mapped[TicketType] = relationship(lazy="joined")
    requester: Mapped[User] = relationship(foreign_keys=[requester_id], lazy="joined")


class IntakeCall(Base):
    """One call of an endpoint and what it did: created a ticket, counted a duplicate on an open one, replayed
    an earlier call with the same source key, or was rejected (with the HTTP status and the error)."""

    __tablename__ = "intake_call"
    id: Mapped[int] = mapped_column(primary_key=True)
    endpoint_id: Mapped[int] = mapped_column(ForeignKey("intake_endpoint.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    outcome: Mapped[str] = mapped_column(String(16))
    status_code: Mapped[int] = mapped_column()
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("ticket.id", ondelete="SET NULL"), index=True)
    source_key: Mapped[str | None] = mapped_column(String(200))
    dedup_key: Mapped[str | None] = mapped_column(String(200))
    occurrences: Mapped[int | None] = mapped_column()  # the alarm's count on its ticket after this call
    error: Mapped[str | None] = mapped_column(Text)
    details: Mapped[list[Any] | None] = mapped_column(JSONDocument)
    client_address: Mapped[str] = mapped_column(String(64))
    duration_ms: Mapped[int] = mapped_column(default=0)

    __table_args__ = (
        Index("ix_intake_call_endpoint_id", "endpoint_id", "id"),
        Index("ix_intake_call_endpoint_address_at", "endpoint_id", "client_address", "at"),
    )


class IntakeSourceKey(Base):
    """A source key an endpoint has seen: the same key again answers with the same ticket and changes nothing.
    The unique key makes two simultaneous calls with one source key act once."""

    __tablename__ = "intake_source_key"
    id: Mapped[int] = mapped_column(primary_key=True)
    endpoint_id: Mapped[int] = mapped_column(ForeignKey("intake_endpoint.id", ondelete="CASCADE"))
    source_key: Mapped[str] = mapped_column(String(200))
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"), index=True)
    outcome: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)

    __table_args__ = (UniqueConstraint("endpoint_id", "source_key"),)


class IntakeAlarm(Base):
    """One deduplication key of an endpoint (an alarm: machine + code) and the ticket it last opened.

    Its row is the lock every call with that key takes (``FOR UPDATE`` on PostgreSQL), so simultaneous
    calls make one ticket: while that ticket is open, a repeat counts on it (``occurrences``); once it is
    resolved or closed, the next repeat opens a new ticket and the row points at it."""

    __tablename__ = "intake_alarm"
    id: Mapped[int] = mapped_column(primary_key=True)
    endpoint_id: Mapped[int] = mapped_column(ForeignKey("intake_endpoint.id", ondelete="CASCADE"))
    key_hash: Mapped[str] = mapped_column(String(64))
    key_text: Mapped[str] = mapped_column(String(200))
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("ticket.id", ondelete="SET NULL"), index=True)
    occurrences: Mapped[int] = mapped_column(default=0)
    first_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (UniqueConstraint("endpoint_id", "key_hash"),)
