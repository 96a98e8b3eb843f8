"""Satisfaction surveys that close the loop

Revision ID: 0017_surveys
Revises: 0016_knowledge
Create Date: 2026-12-03 05:30:00

A survey keeps when it expires, the ticket's type, team and agent when it was asked (results per agent, team
and type are aggregates over it), what counts as a bad score, whether a bad answer opens a follow-up, and how it
was answered. Surveys asked before this revision get their ticket's type, team and assignee, and no expiry.
``survey_follow_up`` holds the follow-up tasks that bad answers open for the team's supervisor.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from platform_core.db import UTCDateTime

revision = '0017_surveys'
down_revision = '0016_knowledge'
branch_labels = None
depends_on = None


def upgrade() -> None:
    utc = UTCDateTime(timezone=True)
    with op.batch_alter_table("ticket_survey") as batch:
        batch.add_column(sa.Column("expires_at", utc, nullable=True))
        batch.add_column(sa.Column("ticket_type_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("team_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("agent_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("bad_at_most", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("follow_up", sa.String(length=16), nullable=False, server_default="supervisor"))
        batch.add_column(sa.Column("answered_via", sa.String(length=8), nullable=True))
        batch.create_foreign_key("fk_ticket_survey_ticket_type_id_ticket_type", "ticket_type", ["ticket_type_id"], ["id"],
                                 ondelete="CASCADE")
        batch.create_foreign_key("fk_ticket_survey_team_id_team", "team", ["team_id"], ["id"], ondelete="SET NULL")
        batch.create_foreign_key("fk_ticket_survey_agent_id_user_account", "user_account", ["agent_id"], ["id"],
                                 ondelete="SET NULL")
        batch.create_index("ix_ticket_survey_type", ["ticket_type_id", "id"])
        batch.create_index("ix_ticket_survey_team", ["team_id", "id"])
        batch.create_index("ix_ticket_survey_agent", ["agent_id", "id"])
    ticket = sa.table("ticket", sa.column("id"), sa.column("ticket_type_id"), sa.column("team_id"),
                      sa.column("assignee_id"))
    survey = sa.table("ticket_survey", sa.column("ticket_id"), sa.column("ticket_type_id"), sa.column("team_id"),
                      sa.column("agent_id"))
    of_ticket = ticket.c.id == survey.c.ticket_id
    op.execute(survey.update().values(
        ticket_type_id=sa.select(ticket.c.ticket_type_id).where(of_ticket).scalar_subquery(),
        team_id=sa.select(ticket.c.team_id).where(of_ticket).scalar_subquery(),
        agent_id=sa.select(ticket.c.assignee_id).where(of_ticket).scalar_subquery()))

    op.create_table(
        "survey_follow_up",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("assignee_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("created_at", utc, nullable=False),
        sa.Column("done_at", utc, nullable=True),
        sa.Column("done_by_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["survey_id"], ["ticket_survey.id"], name=op.f("fk_survey_follow_up_survey_id_ticket_survey"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["ticket_id"], ["ticket.id"], name=op.f("fk_survey_follow_up_ticket_id_ticket"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["team_id"], ["team.id"], name=op.f("fk_survey_follow_up_team_id_team"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["assignee_id"], ["user_account.id"],
                                name=op.f("fk_survey_follow_up_assignee_id_user_account"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["done_by_id"], ["user_account.id"],
                                name=op.f("fk_survey_follow_up_done_by_id_user_account"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_follow_up")),
        sa.UniqueConstraint("survey_id", name=op.f("uq_survey_follow_up_survey_id")),
    )
    op.create_index("ix_survey_follow_up_ticket_id", "survey_follow_up", ["ticket_id"])
    op.create_index("ix_survey_follow_up_assignee_id", "survey_follow_up", ["assignee_id"])


def downgrade() -> None:
    op.drop_table("survey_follow_up")
    with op.batch_alter_table("ticket_survey") as batch:
        for index in ("ix_ticket_survey_type", "ix_ticket_survey_team", "ix_ticket_survey_agent"):
            batch.drop_index(index)
        for fk in ("fk_ticket_survey_ticket_type_id_ticket_type", "fk_ticket_survey_team_id_team",
                   "fk_ticket_survey_agent_id_user_account"):
            batch.drop_constraint(fk, type_="foreignkey")
        for column in ("answered_via", "follow_up", "bad_at_most", "agent_id", "team_id", "ticket_type_id", "expires_at"):
            batch.drop_column(column)
