""""Did this help?": a reader of a published article answers yes or no (with an optional comment), once per
article; answering again changes the answer. Readers get their own answer back; staff (who edit articles) also
get the counts and the latest comments, never who wrote them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from platform_core.audit import record
from platform_core.auth.models import User
from platform_core.db import utcnow
from platform_core.errors import Conflict
from runtime.knowledge.models import KnowledgeArticle, KnowledgeFeedback
from runtime.knowledge.services import get_visible, is_staff
from runtime.knowledge.texts import say

RECENT_COMMENTS = 10


def _mine(session: Session, user: User, article_id: int) -> KnowledgeFeedback | None:
    return session.scalar(select(KnowledgeFeedback).where(KnowledgeFeedback.article_id == article_id,
                                                          KnowledgeFeedback.user_id == user.id))


def summary(session: Session, user: User, article: KnowledgeArticle) -> dict[str, Any]:
    """What the article's reader sees of the answers: their own (or None); for staff, the counts and the latest
    comments (what was answered and when, not by whom)."""
    mine = _mine(session, user, article.id)
    out: dict[str, Any] = {"mine": None if mine is None else {
        "helpful": mine.helpful, "comment": mine.comment, "answered_at": mine.answered_at}}
    if is_staff(user):
        counts = {helpful: count for helpful, count in session.execute(
            select(KnowledgeFeedback.helpful, func.count()).where(KnowledgeFeedback.article_id == article.id)
            .group_by(KnowledgeFeedback.helpful))}
        recent = session.execute(select(KnowledgeFeedback.helpful, KnowledgeFeedback.comment,
                                        KnowledgeFeedback.answered_at)
                                 .where(KnowledgeFeedback.article_id == article.id, KnowledgeFeedback.comment != "")
                                 .order_by(KnowledgeFeedback.answered_at.desc(), KnowledgeFeedback.id.desc())
                                 .limit(RECENT_COMMENTS))
        out["counts"] = {"helpful": counts.get(True, 0), "not_helpful": counts.get(False, 0),
                         "recent_comments": [{"helpful": helpful, "comment": comment, "answered_at": at}
                                             for helpful, comment, at in recent]}
    return out


def answer(session: Session, user: User, article_id: int, helpful: bool, comment: str,
           locale: str | None) -> dict[str, Any]:
    """Record (or change) ``user``'s answer on an article they may read (404 otherwise, as reading it); only
    published articles take answers (409 on a draft). Audited like the other knowledge writes."""
    article = get_visible(session, user, article_id, locale)
    if article.status != "published":
        raise Conflict(say("feedback.not_published", locale))
    comment = comment.strip()
    for attempt in (1, 2):
        now = utcnow()
        mine = _mine(session, user, article_id)
        if mine is None:
            mine = KnowledgeFeedback(article_id=article_id, user_id=user.id, created_at=now)
            session.add(mine)
        mine.helpful, mine.comment, mine.answered_at = helpful, comment, now
        record(session, "knowledge.article_feedback", "knowledge_article", article_id, actor_id=user.id,
               details={"helpful": helpful})
        try:
            session.commit()
            break
        except IntegrityError:
            # The same reader answered at the same moment (another tab): change that answer instead.
            session.rollback()
            if attempt == 2:
                raise
    return summary(session, user, article)
