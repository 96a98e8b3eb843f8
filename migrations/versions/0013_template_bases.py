"""The definitions an installed template version shipped

Revision ID: 0013_template_bases
Revises: 0012_templates
Create Date: 2026-12-03 05:20:00

``installed_template.base_definitions`` keeps, per ticket type, the definition the installed template version
shipped: the BASE of the three-way comparison when a newer version of the template is offered as an upgrade
(designer/templates/upgrade.py). Rows written before this revision have none (NULL); the upgrade then falls back to
the version 1 that the install published, and installing the same version again fills it in.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from platform_core.db import JSONDocument

revision = '0013_template_bases'
down_revision = '0012_templates'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("installed_template") as batch:
        batch.add_column(sa.Column("base_definitions", JSONDocument, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("installed_template") as batch:
        batch.drop_column("base_definitions")
