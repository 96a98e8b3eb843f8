"""An approval asked when a ticket enters a state that declares one, its approvers and their decisions, and
delegations while someone is away."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from platform_core.auth.models import User
from platform_core.db import Base, UTCDateTime, utcnow
from runtime.tickets.models import Ticket


class Approval(Base):
    """One approval of one ticket, opened when it entered ``state``.

    ``status`` is pending until decided (approved, rejected), timed out (rejected by the sweep) or cancelled (the
    ticket left the state another way). ``next_check_at`` is when the sweep must look at it (its warning, then its
    deadline): "what is due" is one index range scan. ``warned_at`` and ``timed_out_at`` are set by conditional
    UPDATEs, so each fires once whatever the number of sweeps.
    """

    __tablename__ = "approval"
    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"), index=True)
    state: Mapped[str] = mapped_column(String(64))
    mode: Mapped[str] = mapped_column(String(8))  # any, all
    status: Mapped[str] = mapped_column(String(16), default="pending")
    outcome: Mapped[str | None] = mapped_column(String(16))  # decided, timeout, escalated decision
    calendar: Mapped[str] = mapped_column(String(64), default="24x7")
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    warn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    warned_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    timed_out_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    next_check_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)

    ticket: Mapped[Ticket] = relationship(lazy="joined")
    approvers: Mapped[list[ApprovalApprover]] = relationship(
        back_populates="approval", lazy="selectin", order_by="ApprovalApprover.id", cascade="all, delete-orphan")

    __table_args__ = (Index("ix_approval_ticket_status", "ticket_id", "status"),)


class ApprovalApprover(Base):
    """One person asked, how they came to be asked, and their decision (written once: a conditional UPDATE)."""

    __tablename__ = "approval_approver"
    id: Mapped[int] = mapped_column(primary_key=True)
    approval_id: Mapped[int] = mapped_column(ForeignKey("approval.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(String(20))  # user, role, team, requester_manager, escalation
    decision: Mapped[str | None] = mapped_column(String(8))  # approve, reject
    comment: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    via: Mapped[str | None] = mapped_column(String(8))  # app, link

    approval: Mapped[Approval] = relationship(back_populates="approvers", lazy="select")
    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined")
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id], lazy="joined")

    __table_args__ = (UniqueConstraint("approval_id", "user_id"),)


class ApprovalDelegation(Base):
    """While ``user`` is away (``starts_on`` to ``ends_on``, both included, in the user's time zone), ``delegate``
    decides their approvals too."""

    __tablename__ = "approval_delegation"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    delegate_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    starts_on: Mapped[date] = mapped_column(Date())
    ends_on: Mapped[date] = mapped_column(Date())
    note: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined")
    delegate: Mapped[User] = relationship(foreign_keys=[delegate_id], lazy="joined")

    __table_args__ = (Index("ix_approval_delegation_user_dates", "user_id", "ends_on", "starts_on"),)


__all__ = ["Approval", "ApprovalApprover", "ApprovalDelegation"]
