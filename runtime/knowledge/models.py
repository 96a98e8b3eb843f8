"""Articles, their texts per language, versions, tags, teams and ticket types; categories; the articles shown to
or linked with a ticket; deflections (a requester's "this solved it"); readers' answers to "Did this help?".

Search columns: ``search_title``/``search_body``/``search_tags`` hold the article's words and CJK bigrams
(runtime.knowledge.terms) for every language it is written in. SQLite indexes them with an FTS5 table
(``knowledge_fts``, external content, kept in step by triggers; made by the migration). PostgreSQL stores a
``tsvector`` (``english`` and ``simple`` configurations, weighted title > tags > body) in ``search_vector``,
indexed with GIN.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column, relationship

from platform_core.auth.models import User
from platform_core.db import Base, UTCDateTime, unmanaged_tables, utcnow

STATUSES = ("draft", "published")
VISIBILITIES = ("everyone", "staff", "teams")
LINK_KINDS = ("shown", "linked")

# The FTS5 index and its shadow tables (SQLite), made by the migration, not by the models.
unmanaged_tables.add("knowledge_fts")


class KnowledgeCategory(Base):
    """A node of the category tree; ``i18n`` holds translated names as definitions do: {"zh-CN": {"name": ...}}."""

    __tablename__ = "knowledge_category"
    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("knowledge_category.id", ondelete="RESTRICT"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    i18n: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def localized_name(self, locale: str | None) -> str:
        """The name as a reader of ``locale`` reads it: its translation, else ``name``."""
        return ((self.i18n or {}).get(locale or "") or {}).get("name") or self.name


class KnowledgeArticle(Base):
    """An article. ``locale`` is the language it is authored in (en or zh-CN); ``texts`` has one title and body
    per language. ``revision`` is the ETag (bumps on every save); ``version`` the number of its latest version."""

    __tablename__ = "knowledge_article"
    id: Mapped[int] = mapped_column(primary_key=True)
    locale: Mapped[str] = mapped_column(String(10), default="en")
    status: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    visibility: Mapped[str] = mapped_column(String(16), default="everyone")
    category_id: Mapped[int | None] = mapped_column(ForeignKey("knowledge_category.id", ondelete="SET NULL"),
                                                    index=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"), index=True)
    review_by: Mapped[date | None] = mapped_column(Date())
    # The review-by date its owner was reminded of (runtime.knowledge.reviews): a new date arms the reminder again.
    review_reminded_for: Mapped[date | None] = mapped_column(Date())
    source_ticket_id: Mapped[int | None] = mapped_column(ForeignKey("ticket.id", ondelete="SET NULL"), index=True)
    revision: Mapped[int] = mapped_column(default=1)
    version: Mapped[int] = mapped_column(default=1)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    # Deferred: they feed the index and are written on save; loading an article (a search's results, a list)
    # never reads them, and the vector's text is the largest thing in the row.
    search_title: Mapped[str] = mapped_column(Text, default="", deferred=True)
    search_body: Mapped[str] = mapped_column(Text, default="", deferred=True)
    search_tags: Mapped[str] = mapped_column(Text, default="", deferred=True)
    search_vector: Mapped[Any] = mapped_column(Text().with_variant(TSVECTOR(), "postgresql"), nullable=True,
                                               deferred=True)

    texts: Mapped[list[KnowledgeArticleText]] = relationship(
        lazy="selectin", cascade="all, delete-orphan", order_by="KnowledgeArticleText.locale")
    tag_rows: Mapped[list[KnowledgeArticleTag]] = relationship(
        lazy="selectin", cascade="all, delete-orphan", order_by="KnowledgeArticleTag.tag")
    team_rows: Mapped[list[KnowledgeArticleTeam]] = relationship(lazy="selectin", cascade="all, delete-orphan")
    type_rows: Mapped[list[KnowledgeArticleType]] = relationship(
        lazy="selectin", cascade="all, delete-orphan", order_by="KnowledgeArticleType.type_key")

    __table_args__ = (
        Index("ix_knowledge_article_search_vector", "search_vector", postgresql_using="gin").ddl_if(
            dialect="postgresql"),
    )

    @property
    def tags(self) -> list[str]:
        return [row.tag for row in self.tag_rows]

    @property
    def team_ids(self) -> list[int]:
        return sorted(row.team_id for row in self.team_rows)

    @property
    def ticket_types(self) -> list[str]:
        return [row.type_key for row in self.type_rows]

    def text_for(self, locale: str | None) -> KnowledgeArticleText | None:
        """The text in ``locale``, else in the authored language, else any."""
        by_locale = {t.locale: t for t in self.texts}
        return by_locale.get(locale or "") or by_locale.get(self.locale) or next(iter(self.texts), None)


class KnowledgeArticleText(Base):
    """An article's title and body in one language: the Markdown as written, and the sanitised HTML and plain
    text rendered from it on save."""

    __tablename__ = "knowledge_article_text"
    article_id: Mapped[int] = mapped_column(ForeignKey("knowledge_article.id", ondelete="CASCADE"), primary_key=True)
    locale: Mapped[str] = mapped_column(String(10), primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    body_text: Mapped[str] = mapped_column(Text, default="")


class KnowledgeArticleTag(Base):
    __tablename__ = "knowledge_article_tag"
    article_id: Mapped[int] = mapped_column(ForeignKey("knowledge_article.id", ondelete="CASCADE"), primary_key=True)
    tag: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)


class KnowledgeArticleTeam(Base):
    """A team whose members may read a team-restricted article."""

    __tablename__ = "knowledge_article_team"
    article_id: Mapped[int] = mapped_column(ForeignKey("knowledge_article.id", ondelete="CASCADE"), primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"), primary_key=True, index=True)


class KnowledgeArticleType(Base):
    """A ticket type the article is about (its key): suggestions for that type prefer it."""

    __tablename__ = "knowledge_article_type"
    article_id: Mapped[int] = mapped_column(ForeignKey("knowledge_article.id", ondelete="CASCADE"), primary_key=True)
    type_key: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)


class KnowledgeArticleVersion(Base):
    """One save of an article: everything it said then (``content``), never changed afterwards."""

    __tablename__ = "knowledge_article_version"
    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("knowledge_article.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column()
    status: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(String(500), default="")
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    saved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    saved_by: Mapped[User | None] = relationship(lazy="joined")

    __table_args__ = (UniqueConstraint("article_id", "number"),)


class KnowledgeTicketLink(Base):
    """An article shown to the requester while the ticket was typed (``shown``) or linked to it by staff."""

    __tablename__ = "knowledge_ticket_link"
    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("knowledge_article.id", ondelete="CASCADE"), index=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    __table_args__ = (UniqueConstraint("ticket_id", "article_id", "kind"),)


class KnowledgeDeflection(Base):
    """A requester said an article solved their problem before filing a ticket of ``type_key``."""

    __tablename__ = "knowledge_deflection"
    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("knowledge_article.id", ondelete="CASCADE"), index=True)
    type_key: Mapped[str | None] = mapped_column(String(64), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class KnowledgeFeedback(Base):
    """A reader's answer to "Did this help?" on an article: one per reader and article; answering again changes
    it (``answered_at`` is the last answer, ``created_at`` the first). A deleted user's answers still count."""

    __tablename__ = "knowledge_feedback"
    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("knowledge_article.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    helpful: Mapped[bool] = mapped_column()
    comment: Mapped[str] = mapped_column(String(1000), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    # Its leading column serves the article's counts too.
    __table_args__ = (UniqueConstraint("article_id", "user_id"),)


class KnowledgeArticleImage(Base):
    """An image uploaded for an article and shown inline in its Markdown: the file is a stored upload of the
    tickets' attachment store (never tied to a ticket; the orphan purge keeps it while this row holds it)."""

    __tablename__ = "knowledge_article_image"
    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("knowledge_article.id", ondelete="CASCADE"), index=True)
    attachment_id: Mapped[int] = mapped_column(ForeignKey("attachment.id", ondelete="CASCADE"), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
