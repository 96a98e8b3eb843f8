"""Knowledge base: articles with texts per language, versions, tags, teams, ticket types, categories, ticket links, deflections

Revision ID: 0016_knowledge
Revises: 0015_report_indexes
Create Date: 2026-12-03 05:05:43

Adds tables only. Search: on SQLite an FTS5 index ``knowledge_fts`` over the article's search columns (external
content, porter stemming over unicode61, kept in step by triggers); on PostgreSQL a GIN index on the ``tsvector``
column ``search_vector``, which the service fills on every save.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import platform_core.db

revision = '0016_knowledge'
down_revision = '0015_report_indexes'
branch_labels = None
depends_on = None

SQLITE_FTS = (
    "CREATE VIRTUAL TABLE knowledge_fts USING fts5(search_title, search_body, search_tags, "
    "content='knowledge_article', content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER knowledge_fts_insert AFTER INSERT ON knowledge_article BEGIN "
    "INSERT INTO knowledge_fts(rowid, search_title, search_body, search_tags) "
    "VALUES (new.id, new.search_title, new.search_body, new.search_tags); END",
    "CREATE TRIGGER knowledge_fts_delete AFTER DELETE ON knowledge_article BEGIN "
    "INSERT INTO knowledge_fts(knowledge_fts, rowid, search_title, search_body, search_tags) "
    "VALUES ('delete', old.id, old.search_title, old.search_body, old.search_tags); END",
    "CREATE TRIGGER knowledge_fts_update AFTER UPDATE OF search_title, search_body, search_tags ON knowledge_article "
    "BEGIN INSERT INTO knowledge_fts(knowledge_fts, rowid, search_title, search_body, search_tags) "
    "VALUES ('delete', old.id, old.search_title, old.search_body, old.search_tags); "
    "INSERT INTO knowledge_fts(rowid, search_title, search_body, search_tags) "
    "VALUES (new.id, new.search_title, new.search_body, new.search_tags); END",
)


def upgrade() -> None:
    op.create_table('knowledge_category',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('i18n', sa.JSON(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('created_at', platform_core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['parent_id'], ['knowledge_category.id'], name=op.f('fk_knowledge_category_parent_id_knowledge_category'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_knowledge_category'))
    )
    with op.batch_alter_table('knowledge_category', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_knowledge_category_parent_id'), ['parent_id'], unique=False)

    op.create_table('knowledge_article',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('locale', sa.String(length=10), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('visibility', sa.String(length=16), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=True),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('review_by', sa.Date(), nullable=True),
    sa.Column('source_ticket_id', sa.Integer(), nullable=True),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('published_at', platform_core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', platform_core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', platform_core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('search_title', sa.Text(), nullable=False),
    sa.Column('search_body', sa.Text(), nullable=False),
    sa.Column('search_tags', sa.Text(), nullable=False),
    sa.Column('search_vector', sa.Text().with_variant(postgresql.TSVECTOR(), 'postgresql'), nullable=True),
    sa.ForeignKeyConstraint(['category_id'], ['knowledge_category.id'], name=op.f('fk_knowledge_article_category_id_knowledge_category'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_knowledge_article_created_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['owner_id'], ['user_account.id'], name=op.f('fk_knowledge_article_owner_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['source_ticket_id'], ['ticket.id'], name=op.f('fk_knowledge_article_source_ticket_id_ticket'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user_account.id'], name=op.f('fk_knowledge_article_updated_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_knowledge_article'))
    )
    with op.batch_alter_table('knowledge_article', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_knowledge_article_category_id'), ['category_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_knowledge_article_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_knowledge_article_source_ticket_id'), ['source_ticket_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_knowledge_article_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_knowledge_article_updated_at'), ['updated_at'], unique=False)

    op.create_table('knowledge_article_tag',
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('tag', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['knowledge_article.id'], name=op.f('fk_knowledge_article_tag_article_id_knowledge_article'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('article_id', 'tag', name=op.f('pk_knowledge_article_tag'))
    )
    with op.batch_alter_table('knowledge_article_tag', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_knowledge_article_tag_tag'), ['tag'], unique=False)

    op.create_table('knowledge_article_team',
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['knowledge_article.id'], name=op.f('fk_knowledge_article_team_article_id_knowledge_article'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], name=op.f('fk_knowledge_article_team_team_id_team'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('article_id', 'team_id', name=op.f('pk_knowledge_article_team'))
    )
    with op.batch_alter_table('knowledge_article_team', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_knowledge_article_team_team_id'), ['team_id'], unique=False)

    op.create_table('knowledge_article_text',
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('locale', sa.String(length=10), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('body_text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['knowledge_article.id'], name=op.f('fk_knowledge_article_text_article_id_knowledge_article'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('article_id', 'locale', name=op.f('pk_knowledge_article_text'))
    )
    op.create_table('knowledge_article_type',
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('type_key', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['knowledge_article.id'], name=op.f('fk_knowledge_article_type_article_id_knowledge_article'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('article_id', 'type_key', name=op.f('pk_knowledge_article_type'))
    )
    with op.batch_alter_table('knowledge_article_type', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_knowledge_article_type_type_key'), ['type_key'], unique=False)

    op.create_table('knowledge_article_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.Column('saved_at', platform_core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('saved_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['article_id'], ['knowledge_article.id'], name=op.f('fk_knowledge_article_version_article_id_knowledge_article'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['saved_by_id'], ['user_account.id'], name=op.f('fk_knowledge_article_version_saved_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_knowledge_article_version')),
    sa.UniqueConstraint('article_id', 'number', name=op.f('uq_knowledge_article_version_article_id_number'))
    )
    op.create_table('knowledge_deflection',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('type_key', sa.String(length=64), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.String(length=500), nullable=False),
    sa.Column('created_at', platform_core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['knowledge_article.id'], name=op.f('fk_knowledge_deflection_article_id_knowledge_article'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_knowledge_deflection_user_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_knowledge_deflection'))
    )
    with op.batch_alter_table('knowledge_deflection', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_knowledge_deflection_article_id'), ['article_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_knowledge_deflection_type_key'), ['type_key'], unique=False)

    op.create_table('knowledge_ticket_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('created_at', platform_core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['article_id'], ['knowledge_article.id'], name=op.f('fk_knowledge_ticket_link_article_id_knowledge_article'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_knowledge_ticket_link_created_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'], name=op.f('fk_knowledge_ticket_link_ticket_id_ticket'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_knowledge_ticket_link')),
    sa.UniqueConstraint('ticket_id', 'article_id', 'kind', name=op.f('uq_knowledge_ticket_link_ticket_id_article_id_kind'))
    )
    with op.batch_alter_table('knowledge_ticket_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_knowledge_ticket_link_article_id'), ['article_id'], unique=False)


    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.create_index("ix_knowledge_article_search_vector", "knowledge_article", ["search_vector"],
                        postgresql_using="gin")
    elif bind.dialect.name == "sqlite":
        for statement in SQLITE_FTS:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("knowledge_fts_insert", "knowledge_fts_delete", "knowledge_fts_update"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS knowledge_fts")
    with op.batch_alter_table('knowledge_ticket_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_knowledge_ticket_link_article_id'))

    op.drop_table('knowledge_ticket_link')
    with op.batch_alter_table('knowledge_deflection', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_knowledge_deflection_type_key'))
        batch_op.drop_index(batch_op.f('ix_knowledge_deflection_article_id'))

    op.drop_table('knowledge_deflection')
    op.drop_table('knowledge_article_version')
    with op.batch_alter_table('knowledge_article_type', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_knowledge_article_type_type_key'))

    op.drop_table('knowledge_article_type')
    op.drop_table('knowledge_article_text')
    with op.batch_alter_table('knowledge_article_team', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_knowledge_article_team_team_id'))

    op.drop_table('knowledge_article_team')
    with op.batch_alter_table('knowledge_article_tag', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_knowledge_article_tag_tag'))

    op.drop_table('knowledge_article_tag')
    with op.batch_alter_table('knowledge_article', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_knowledge_article_updated_at'))
        batch_op.drop_index(batch_op.f('ix_knowledge_article_status'))
        batch_op.drop_index(batch_op.f('ix_knowledge_article_source_ticket_id'))
        batch_op.drop_index(batch_op.f('ix_knowledge_article_owner_id'))
        batch_op.drop_index(batch_op.f('ix_knowledge_article_category_id'))

    op.drop_table('knowledge_article')
    with op.batch_alter_table('knowledge_category', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_knowledge_category_parent_id'))

    op.drop_table('knowledge_category')
