"""The category tree: listing, saving (rename, move, reorder) and deleting categories, and the filter that selects
a category's articles together with those of the categories under it.

``position`` is a category's place among its siblings (0 first). Saving one renumbers its new siblings, and those it
left, 0, 1, 2 … so that the order never has gaps or ties, however many moves are made.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from platform_core.audit import record
from platform_core.auth.models import User
from platform_core.errors import Conflict, NotFound, ValidationFailed
from runtime.knowledge.models import KnowledgeArticle, KnowledgeCategory
from runtime.knowledge.texts import say

ORDER = (KnowledgeCategory.position, KnowledgeCategory.name, KnowledgeCategory.id)


def categories(session: Session) -> list[KnowledgeCategory]:
    """Every category, siblings in their order (a flat list; each names its parent)."""
    return list(session.scalars(select(KnowledgeCategory).order_by(*ORDER)))


def with_descendants(category_id: int) -> Any:
    """A SELECT of the category's id and the ids of every category under it (a recursive query)."""
    tree = (select(KnowledgeCategory.id).where(KnowledgeCategory.id == category_id)
            .cte("category_tree", recursive=True))
    tree = tree.union(select(KnowledgeCategory.id).where(KnowledgeCategory.parent_id == tree.c.id))
    return select(tree.c.id)


def _children(session: Session, parent_id: int | None) -> list[KnowledgeCategory]:
    where = KnowledgeCategory.parent_id.is_(None) if parent_id is None else KnowledgeCategory.parent_id == parent_id
    return list(session.scalars(select(KnowledgeCategory).where(where).order_by(*ORDER)))


def _renumber(siblings: list[KnowledgeCategory]) -> None:
    for index, sibling in enumerate(siblings):
        if sibling.position != index:
            sibling.position = index


def _name(value: str, path: str, locale: str | None) -> str:
    name = value.strip()
    if not name:
        raise ValidationFailed.field(path, say("category.name_blank", locale))
    return name


def _check_parent(session: Session, category_id: int | None, parent_id: int | None, locale: str | None) -> None:
    """The parent exists, and is neither the category nor under it."""
    if parent_id is None:
        return
    parent = session.get(KnowledgeCategory, parent_id)
    if parent is None:
        raise ValidationFailed.field("/parent_id", say("article.unknown_category", locale, id=parent_id))
    seen: set[int] = set()
    while parent is not None and parent.id not in seen:
        if category_id is not None and parent.id == category_id:
            raise ValidationFailed.field("/parent_id", say("category.cycle", locale))
        seen.add(parent.id)
        parent = session.get(KnowledgeCategory, parent.parent_id) if parent.parent_id else None


def _snapshot(category: KnowledgeCategory) -> dict[str, Any]:
    return {"name": category.name, "i18n": category.i18n or {}, "parent_id": category.parent_id,
            "position": category.position}


def save_category(session: Session, actor: User, body: dict[str, Any], category_id: int | None,
                  locale: str | None) -> KnowledgeCategory:
    """Create (``category_id`` None) or rename, move and reorder a category; audited with what changed."""
    name = _name(body["name"], "/name", locale)
    i18n = {code: {"name": _name(names["name"], f"/i18n/{code}/name", locale)}
            for code, names in (body.get("i18n") or {}).items() if "name" in names}
    parent_id = body.get("parent_id")
    if category_id is None:
        category, before = KnowledgeCategory(name=name, position=0), None
    else:
        found = session.get(KnowledgeCategory, category_id)
        if found is None:
            raise NotFound(say("article.unknown_category", locale, id=category_id))
        category, before = found, _snapshot(found)
    _check_parent(session, category_id, parent_id, locale)

    old_parent = category.parent_id if before else None
    moved = before is None or old_parent != parent_id
    siblings = _children(session, parent_id)
    here = next((i for i, c in enumerate(siblings) if c.id == category_id), None) if not moved else None
    siblings = [c for c in siblings if c.id != category_id]
    wanted = body.get("position")
    index = wanted if wanted is not None else (here if here is not None else len(siblings))
    siblings.insert(min(index, len(siblings)), category)

    category.name, category.i18n, category.parent_id = name, i18n, parent_id
    if before is None:
        session.add(category)
    _renumber(siblings)
    if before is not None and moved:
        _renumber([c for c in _children(session, old_parent) if c.id != category.id])
    session.flush()
    after = _snapshot(category)
    if before is None:
        record(session, "knowledge.category_created", "knowledge_category", category.id, actor_id=actor.id,
               details=after)
    else:
        changed = {key: [before[key], after[key]] for key in after if before[key] != after[key]}
        if changed:
            record(session, "knowledge.category_updated", "knowledge_category", category.id, actor_id=actor.id,
                   details=changed)
    session.commit()
    return category


def _holds(articles: int, children: int, locale: str | None) -> str:
    """What a category still holds, as the reader says it: "1 article and 2 subcategories" (what it holds none of
    is left out)."""
    parts = []
    if articles:
        parts.append(say("category.one_article", locale) if articles == 1
                     else say("category.articles", locale, count=articles))
    if children:
        parts.append(say("category.one_subcategory", locale) if children == 1
                     else say("category.subcategories", locale, count=children))
    return say("category.and", locale).join(parts)


def delete_category(session: Session, actor: User, category_id: int, locale: str | None) -> None:
    """Delete a category that holds no article and no category (409 saying what it still holds)."""
    category = session.get(KnowledgeCategory, category_id)
    if category is None:
        raise NotFound(say("article.unknown_category", locale, id=category_id))
    articles = session.scalar(select(func.count()).select_from(KnowledgeArticle)
                              .where(KnowledgeArticle.category_id == category_id)) or 0
    children = session.scalar(select(func.count()).select_from(KnowledgeCategory)
                              .where(KnowledgeCategory.parent_id == category_id)) or 0
    if articles or children:
        raise Conflict(say("category.in_use", locale, name=category.localized_name(locale),
                           what=_holds(articles, children, locale)),
                       details=[{"articles": articles, "categories": children}], code="category_not_empty")
    parent_id, details = category.parent_id, {"name": category.name, "parent_id": category.parent_id}
    session.delete(category)
    session.flush()
    _renumber(_children(session, parent_id))
    record(session, "knowledge.category_deleted", "knowledge_category", category_id, actor_id=actor.id,
           details=details)
    session.commit()
