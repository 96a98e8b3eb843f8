"""SLA clocks of tickets and the marks (warnings, breach, escalation levels) each fired once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from platform_core.db import Base, UTCDateTime, utcnow
from runtime.tickets.models import Ticket


class TicketSla(Base):
    """One SLA clock of a ticket (response, resolution or next_update), kept in business time.

    ``due_at`` and ``next_check_at`` are indexed columns: "what is due" and "what must the
    sweep look at now" are each one index range scan, whatever the number of open tickets.
    """

    __tablename__ = "ticket_sla"
    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"))
    metric: Mapped[str] = mapped_column(String(16))  # response, resolution, next_update
    policy: Mapped[str] = mapped_column(String(200))  # the policy's name, for people
    policy_index: Mapped[int] = mapped_column()  # its position in the definition's sla list
    calendar: Mapped[str] = mapped_column(String(64))
    target_seconds: Mapped[int] = mapped_column()
    status: Mapped[str] = mapped_column(String(16))  # running, paused, stopped
    cycle: Mapped[int] = mapped_column(default=1)  # next_update restarts; marks are per cycle
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    running_since: Mapped[datetime | None] = mapped_column(UTCDateTime())
    elapsed_seconds: Mapped[int] = mapped_column(default=0)  # business seconds before running_since
    paused_since: Mapped[datetime | None] = mapped_column(UTCDateTime())
    paused_seconds: Mapped[int] = mapped_column(default=0)  # business seconds spent paused
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    breached_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    stopped_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    next_check_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)

    __table_args__ = (UniqueConstraint("ticket_id", "metric"),)


class SlaMark(Base):
    """A warning, breach or escalation level that fired: the unique key makes each fire once."""

    __tablename__ = "sla_mark"
    id: Mapped[int] = mapped_column(primary_key=True)
    sla_id: Mapped[int] = mapped_column(ForeignKey("ticket_sla.id", ondelete="CASCADE"))
    cycle: Mapped[int] = mapped_column()
    mark: Mapped[str] = mapped_column(String(40))  # warn:before:PT30M, warn:at:0.8, breach, escalate:0
    fired_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (UniqueConstraint("sla_id", "cycle", "mark"),)


# A ticket's clocks, as a relationship of the ticket: declared here, by the capability that owns the
# clocks, so the tickets package does not know SLAs exist.
Ticket.sla_clocks = relationship(TicketSla, lazy="select", cascade="all, delete-orphan", order_by=TicketSla.id)
