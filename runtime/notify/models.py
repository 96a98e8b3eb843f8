"""What notifications are stored as: the in-app inbox, the outbox of emails, webhook calls and chat
messages with their delivery attempts, chat endpoints, webhook signing secrets and per-user preferences."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from platform_core.auth.models import Team
from platform_core.db import Base, UTCDateTime, utcnow


class Notification(Base):
    """An in-app notification for one user (the inbox): about a ticket, or about what ``link`` leads to."""

    __tablename__ = "notification"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"))
    # Where it leads when it is not about a ticket: a same-site path such as /knowledge/12 (a review reminder).
    link: Mapped[str | None] = mapped_column(String(500))
    kind: Mapped[str] = mapped_column(String(32))
    message: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (Index("ix_notification_user", "user_id", "id"),)


class ChatEndpoint(Base):
    """A WeCom / DingTalk / Slack bot URL (or a plain signed webhook) that ticket notifications post to."""

    __tablename__ = "chat_endpoint"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16))  # wecom, dingtalk, slack, webhook
    url: Mapped[str] = mapped_column(String(2000))
    secret: Mapped[str | None] = mapped_column(String(200))  # DingTalk 加签 secret / webhook signing key
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"), index=True)  # null: every team
    locale: Mapped[str] = mapped_column(String(10), default="en")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    team: Mapped[Team | None] = relationship(lazy="joined")


class WebhookSecret(Base):
    """A named signing secret for outbound webhooks. Definitions name it; only admins set it.

    It is a shared secret the receiver also holds, so it is stored as given (it must sign),
    and shown once, when it is created.
    """

    __tablename__ = "webhook_secret"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    value: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class NotificationPreference(Base):
    """Which channels a user wants: in-app always; email on unless switched off, globally or per kind."""

    __tablename__ = "notification_preference"
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True)
    email: Mapped[bool] = mapped_column(Boolean, default=True)
    kinds: Mapped[dict[str, Any]] = mapped_column(default=dict)  # kind -> ["in_app", "email"?]
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class OutboxMessage(Base):
    """One message to deliver on one channel to one recipient or endpoint."""

    __tablename__ = "outbox_message"
    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[str] = mapped_column(String(36), unique=True, default=lambda: str(uuid.uuid4()))
    channel: Mapped[str] = mapped_column(String(16))  # email, webhook, wecom, dingtalk, slack
    event: Mapped[str] = mapped_column(String(64))  # the notification kind, or the webhook's event
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("ticket.id", ondelete="SET NULL"))
    notification_id: Mapped[int | None] = mapped_column(ForeignKey("notification.id", ondelete="SET NULL"))
    endpoint_id: Mapped[int | None] = mapped_column(ForeignKey("chat_endpoint.id", ondelete="SET NULL"))
    secret_name: Mapped[str | None] = mapped_column(String(200))
    target: Mapped[str] = mapped_column(String(2000))  # email address or URL
    payload: Mapped[dict[str, Any]] = mapped_column()  # email: subject/text/html; HTTP: {"body": {...}}
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    max_attempts: Mapped[int] = mapped_column()
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())  # the lease of a 'sending' claim
    last_error: Mapped[str | None] = mapped_column(Text)
    response_code: Mapped[int | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    notification: Mapped[Notification | None] = relationship(lazy="select")  # orders the inserts

    __table_args__ = (
        Index("ix_outbox_message_due", "status", "next_attempt_at"),
        Index("ix_outbox_message_ticket", "ticket_id", "id"),
    )


class DeliveryAttempt(Base):
    """One try at sending an outbox message: when, how long, and what the other side said."""

    __tablename__ = "outbox_attempt"
    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("outbox_message.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column()
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    duration_ms: Mapped[int] = mapped_column(default=0)
    outcome: Mapped[str] = mapped_column(String(16))  # sent, failed, dead
    response_code: Mapped[int | None] = mapped_column()
    error: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (Index("ix_outbox_attempt_message", "message_id", "id"),)
