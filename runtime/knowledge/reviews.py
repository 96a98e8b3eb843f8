"""Review-by reminders: when a published article's "review by" date comes, its owner is told once, in the app and
by e-mail (their notification preferences, kind ``knowledge_review``), with a link to the article.

An hourly periodic job (``remind_article_reviews``). ``review_reminded_for`` remembers the date a reminder was
sent for, so each date is reminded once, and setting a new date arms it again. The owner, else the last editor,
else the author, if still active staff; an article nobody can be told about is marked too (the staff list of
articles due for review, ``GET /knowledge/articles?review_due=true``, still shows it). Under several schedulers
or workers, rows are locked with SKIP LOCKED on PostgreSQL, so an article is reminded once.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from platform_core.auth.models import User
from platform_core.db import get_session, utcnow
from runtime.knowledge.models import KnowledgeArticle
from runtime.knowledge.services import is_staff
from runtime.knowledge.texts import say
from runtime.notify.inbox import batched, notify_users
from runtime.rules.texts import Reader

log = logging.getLogger(__name__)

KIND = "knowledge_review"
BATCH = 200


def article_path(article_id: int) -> str:
    return f"/knowledge/{article_id}"


def _message(article: KnowledgeArticle) -> Any:
    review_by = article.review_by.isoformat() if article.review_by else ""

    def text(reader: Reader) -> str:
        shown = article.text_for(reader.locale)
        return say("review.due", reader.locale, title=shown.title if shown else f"#{article.id}", date=review_by)

    return text


def _candidates(article: KnowledgeArticle) -> tuple[int | None, ...]:
    return article.owner_id, article.updated_by_id, article.created_by_id


def _recipient(article: KnowledgeArticle, users: dict[int, User]) -> int | None:
    """The owner, else the last editor, else the author: the first who is still active staff."""
    for user_id in _candidates(article):
        user = users.get(user_id) if user_id is not None else None
        if user is not None and user.active and is_staff(user):
            return user.id
    return None


def remind_due_reviews(session: Session, *, on: date | None = None) -> dict[str, int]:
    """Tell the owners of published articles whose review-by date has come and who were not told for that date;
    the caller commits. Returns how many were reminded and how many had nobody to tell."""
    day = on or utcnow().date()  # review-by dates are days in UTC: due from 00:00 UTC of the date
    stmt = (select(KnowledgeArticle)
            .where(KnowledgeArticle.status == "published", KnowledgeArticle.review_by <= day,
                   or_(KnowledgeArticle.review_reminded_for.is_(None),
                       KnowledgeArticle.review_reminded_for != KnowledgeArticle.review_by))
            .order_by(KnowledgeArticle.review_by, KnowledgeArticle.id).limit(BATCH))
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    articles = list(session.scalars(stmt))
    wanted = {user_id for article in articles for user_id in _candidates(article) if user_id is not None}
    users = {user.id: user for user in session.scalars(select(User).where(User.id.in_(wanted)))} if wanted else {}
    counts = {"reminded": 0, "nobody": 0}
    with batched(session):
        for article in articles:
            article.review_reminded_for = article.review_by
            recipient = _recipient(article, users)
            if recipient is None:
                counts["nobody"] += 1
                continue
            notify_users(session, [recipient], None, KIND, _message(article), link=article_path(article.id))
            counts["reminded"] += 1
    return counts


def remind_article_reviews() -> dict[str, int]:
    """The periodic job: every due article, a batch at a time, each batch its own transaction."""
    session = get_session()
    total = {"reminded": 0, "nobody": 0}
    while True:
        counts = remind_due_reviews(session)
        session.commit()
        for key, value in counts.items():
            total[key] += value
        if sum(counts.values()) < BATCH:
            break
    if any(total.values()):
        log.info("article review reminders: %s", total)
    return total
