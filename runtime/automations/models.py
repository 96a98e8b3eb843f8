"""Automation timers (`elapsed` automations, delayed surveys), the log of automation runs, and
satisfaction surveys."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from platform_core.db import Base, UTCDateTime, utcnow


class TicketTimer(Base):
    """Work due at an instant for one ticket: an `elapsed` automation or a delayed survey.

    The sweep claims a timer by deleting its row in the transaction that does the work, so
    it runs once even with several sweeps at the same moment.
    """

    __tablename__ = "ticket_timer"
    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # elapsed, survey
    ref: Mapped[dict[str, Any]] = mapped_column(default=dict)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class AutomationRun(Base):
    """Every run of an automation: rule, ticket, trigger, outcome and error."""

    __tablename__ = "automation_run"
    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"))
    ticket_type_id: Mapped[int] = mapped_column(ForeignKey("ticket_type.id", ondelete="CASCADE"))
    automation_index: Mapped[int] = mapped_column()
    automation: Mapped[str] = mapped_column(String(200))
    trigger: Mapped[str] = mapped_column(String(32))
    outcome: Mapped[str] = mapped_column(String(16))  # succeeded, failed, loop_stopped
    error: Mapped[str | None] = mapped_column(Text)
    depth: Mapped[int] = mapped_column(default=0)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (Index("ix_automation_run_ticket", "ticket_id", "id"),
                      Index("ix_automation_run_type", "ticket_type_id", "id"))


class TicketSurvey(Base):
    """A satisfaction survey asked of the requester (csat 1-5 or nps 0-10), answered once.

    The ticket's type, team and assignee are copied when it is asked, so results per agent, team and type
    are plain aggregates over this table and stay true when the ticket is reassigned later.
    """

    __tablename__ = "ticket_survey"
    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(8))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    score: Mapped[int | None] = mapped_column()
    comment: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ticket_type_id: Mapped[int | None] = mapped_column(ForeignKey("ticket_type.id", ondelete="CASCADE"))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id", ondelete="SET NULL"))
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    bad_at_most: Mapped[int | None] = mapped_column()  # a score at or below this is bad (None: the kind's default)
    follow_up: Mapped[str] = mapped_column(String(16), default="supervisor")  # supervisor, none
    answered_via: Mapped[str | None] = mapped_column(String(8))  # link, portal

    __table_args__ = (Index("ix_ticket_survey_type", "ticket_type_id", "id"),
                      Index("ix_ticket_survey_team", "team_id", "id"),
                      Index("ix_ticket_survey_agent", "agent_id", "id"))


class SurveyFollowUp(Base):
    """The follow-up task a bad survey answer opens: for the team's supervisor, linked to the ticket."""

    __tablename__ = "survey_follow_up"
    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("ticket_survey.id", ondelete="CASCADE"), unique=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id", ondelete="SET NULL"))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"), index=True)
    status: Mapped[str] = mapped_column(String(8), default="open")  # open, done
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    note: Mapped[str | None] = mapped_column(Text)
