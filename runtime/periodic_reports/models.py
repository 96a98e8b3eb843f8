"""Subscriptions to the periodic reports, and one row per subscription and period sent (the exactly-once key)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from platform_core.db import Base, UTCDateTime, utcnow


class ReportSubscription(Base):
    __tablename__ = "report_subscription"
    id: Mapped[int] = mapped_column(primary_key=True)
    report: Mapped[str] = mapped_column(String(64))  # a key of definitions.REPORTS
    recipients: Mapped[list[int]] = mapped_column(JSON, default=list)  # user ids (staff)
    tz: Mapped[str] = mapped_column(String(64))  # IANA; the period's bounds and the send hour are local to it
    locale: Mapped[str | None] = mapped_column(String(16))  # None: each recipient's profile language
    active: Mapped[bool] = mapped_column(default=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ReportDelivery(Base):
    """Inserted in the same transaction as the subscription's e-mails for a period: a second sender's insert
    fails on the unique key and it sends nothing."""

    __tablename__ = "report_delivery"
    id: Mapped[int] = mapped_column(primary_key=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("report_subscription.id", ondelete="CASCADE"))
    period: Mapped[str] = mapped_column(String(16))
    recipients: Mapped[int] = mapped_column(default=0)  # e-mails queued
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (UniqueConstraint("subscription_id", "period", name="uq_report_delivery_period"),)
