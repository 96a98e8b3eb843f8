"""Similar resolved tickets, for the agent working a ticket, and the articles they lead to.

A ticket's similar tickets are resolved or closed tickets of the same type that the agent may see, scored by
the words and CJK bigrams they share with it (the terms of runtime.knowledge.terms, the ones article search uses),
a same category and shared tags; each comes with why. The articles linked to them or written from them are
offered first among the ticket's related articles, and among those first the root-cause articles: those tagged
with the similar ticket's root-cause class (its ``knowledge.article.tags_from`` values, such as 电压干扰类 — the
label in either language, or the stored value ``voltage_interference`` of older drafts). The 72-hour case: the
third restart ticket of a production line leads straight to the voltage article the first one produced.
"""

from __future__ import annotations

import math
from typing import Any

from sqlalchemy import Select, and_, select
from sqlalchemy.orm import Session

from platform_core.auth.models import User
from platform_core.errors import Forbidden
from runtime.knowledge import services, terms, ticket_tags
from runtime.knowledge.models import KnowledgeArticle, KnowledgeTicketLink
from runtime.knowledge.texts import say
from runtime.rules.cache import labels_for
from runtime.tickets import access
from runtime.tickets.models import Ticket, finished_at, is_finished

CANDIDATES = 500
SIMILAR = 5
CATEGORY_WEIGHT = 0.3
TAG_WEIGHT = 0.1
MIN_SCORE = 0.12


def _terms(text: str) -> set[str]:
    return set(terms.index_terms(text).split()) - terms.STOPWORDS


def _ticket_text(ticket: Ticket) -> str:
    return f"{ticket.title} {ticket.search_text}"


def _tags(ticket: Ticket) -> set[str]:
    tags = ticket.data.get("tags")
    return {str(t) for t in tags if isinstance(t, (str, int))} if isinstance(tags, list) else set()


def _label(ticket: Ticket, field: str, value: Any, locale: str | None) -> str:
    """A field's value as the reader reads it (the option's label)."""
    try:
        return labels_for(ticket.type_version, locale or "en").value(field, value)
    except Exception:  # a value the labels cannot read: as stored
        return str(value)


def _staff_ticket(session: Session, user: User, ticket_id: int, locale: str | None) -> Ticket:
    ticket = access.get_visible_ticket(session, user, ticket_id)
    if not access.is_staff_for(session, user, ticket):
        raise Forbidden(say("similar.staff_only", locale))
    return ticket


def _linked_articles(session: Session, user: User, tickets: list[Ticket]) -> dict[int, list[KnowledgeArticle]]:
    """Per ticket, the published articles (those ``user`` may read) linked to it by staff or written from it, its
    root-cause articles first (tagged with its root-cause class: ``ticket_tags``)."""
    if not tickets:
        return {}
    ticket_ids = [ticket.id for ticket in tickets]
    out: dict[int, list[KnowledgeArticle]] = {tid: [] for tid in ticket_ids}
    visible = and_(services.visibility_filter(user), KnowledgeArticle.status == "published")
    linked = session.execute(select(KnowledgeTicketLink.ticket_id, KnowledgeArticle)
                             .join(KnowledgeArticle, KnowledgeArticle.id == KnowledgeTicketLink.article_id)
                             .where(KnowledgeTicketLink.ticket_id.in_(ticket_ids), KnowledgeTicketLink.kind == "linked",
                                    visible).order_by(KnowledgeTicketLink.id))
    written = session.execute(select(KnowledgeArticle.source_ticket_id, KnowledgeArticle)
                              .where(KnowledgeArticle.source_ticket_id.in_(ticket_ids), visible)
                              .order_by(KnowledgeArticle.id))
    for ticket_id, article in [*written, *linked]:
        if article not in out[ticket_id]:
            out[ticket_id].append(article)
    for ticket in tickets:
        forms = ticket_tags.spellings(ticket)
        out[ticket.id].sort(key=lambda article: not ticket_tags.matching(article.tags, forms))  # stable
    return out


def candidates(session: Session, user: User, ticket: Ticket) -> Select:
    """The newest ``CANDIDATES`` finished tickets of ``ticket``'s type that ``user`` may see, along
    ``ix_ticket_type_finished``: only what scoring reads (id, title, search_text, data), as rows: 500 tickets
    loaded whole, each with its type, team and people joined, cost more than the query."""
    return (select(Ticket.id, Ticket.title, Ticket.search_text, Ticket.data)
            .where(Ticket.ticket_type_id == ticket.ticket_type_id, Ticket.id != ticket.id, is_finished(),
                   access.visibility_filter(session, user))
            .order_by(finished_at().desc(), Ticket.id.desc()).limit(CANDIDATES))


def find_similar(session: Session, user: User, ticket: Ticket, *, limit: int = SIMILAR) -> list[tuple[Ticket, float, dict]]:
    """(ticket, score, why) for the best resolved or closed tickets like ``ticket``, best first."""
    mine = _terms(_ticket_text(ticket))
    category = ticket.data.get("category")
    tags = _tags(ticket)
    scored = []
    for other in session.execute(candidates(session, user, ticket)):
        theirs = _terms(_ticket_text(other))
        shared = mine & theirs
        text_score = len(shared) / math.sqrt(len(mine) * len(theirs)) if shared else 0.0
        same_category = category not in (None, "") and other.data.get("category") == category
        shared_tags = sorted(tags & _tags(other))
        score = text_score + (CATEGORY_WEIGHT if same_category else 0) + TAG_WEIGHT * len(shared_tags)
        if score < MIN_SCORE or not (shared or shared_tags):
            continue
        why = {"same_type": True, "category": category if same_category else None, "tags": shared_tags,
               "matched_terms": sorted(shared, key=lambda t: (-len(t), t))[:8]}
        scored.append((other.id, round(score, 4), why))
    scored.sort(key=lambda entry: (-entry[1], -entry[0]))
    best = scored[:limit]
    ids = [tid for tid, _, _ in best]
    tickets = {t.id: t for t in session.scalars(select(Ticket).where(Ticket.id.in_(ids)))} if ids else {}
    return [(tickets[tid], score, why) for tid, score, why in best]


def similar_tickets(session: Session, user: User, ticket_id: int, locale: str | None) -> list[dict[str, Any]]:
    """GET /tickets/<id>/similar: staff working the ticket only."""
    ticket = _staff_ticket(session, user, ticket_id, locale)
    found = find_similar(session, user, ticket)
    articles = _linked_articles(session, user, [other for other, _, _ in found])
    out = []
    for other, score, why in found:
        if why["category"] is not None:
            why = {**why, "category_label": _label(ticket, "category", why["category"], locale)}
        out.append({
            "id": other.id, "number": other.number, "title": other.title, "status": other.status,
            "status_category": other.status_category, "resolved_at": other.resolved_at or other.closed_at,
            "score": score, "why": why,
            "articles": [{"id": a.id, "title": (a.text_for(locale).title if a.text_for(locale) else ""), "tags": a.tags}
                         for a in articles.get(other.id, [])],
        })
    return out


def related_articles(session: Session, user: User, ticket_id: int, locale: str | None) -> list[dict[str, Any]]:
    """The ticket's related articles: first those linked to or written from similar resolved tickets (why: which
    ticket), the root-cause articles among them before the others (why: the tags that name the similar ticket's
    root-cause class); then the search's suggestions for its text and type."""
    ticket = _staff_ticket(session, user, ticket_id, locale)
    found = find_similar(session, user, ticket)
    by_ticket = _linked_articles(session, user, [other for other, _, _ in found])
    first: list[tuple[bool, dict[str, Any]]] = []
    # an article written from this very ticket is its own, not a suggestion
    seen: set[int] = set(session.scalars(select(KnowledgeArticle.id).where(KnowledgeArticle.source_ticket_id == ticket.id)))
    for other, _score, _why in found:
        # its root-cause articles: tagged with its root-cause class (knowledge.article.tags_from), in either
        # language or as the stored value (articles drafted before tags were labels)
        forms = ticket_tags.spellings(other)
        for article in by_ticket.get(other.id, []):
            if article.id in seen:
                continue
            seen.add(article.id)
            text = article.text_for(locale)
            root_cause = ticket_tags.matching(article.tags, forms)
            first.append((not root_cause, {
                "id": article.id, "title": text.title if text else "",
                "snippet_html": terms.snippet(text.body_text if text else "", terms.parse_query("")),
                "why": {"matched_terms": [], "tags": article.tags, "root_cause_tags": root_cause,
                        "ticket_type": ticket.ticket_type.key in article.ticket_types,
                        "similar_ticket": {"id": other.id, "number": other.number, "title": other.title}}}))
    first.sort(key=lambda entry: entry[0])  # stable: root-cause articles first, each group in the tickets' order
    rest = [item for item in services.suggest(session, user, ticket.ticket_type.key,
                                              f"{ticket.title} {ticket.search_text}", locale)
            if item["id"] not in seen]
    return ([item for _, item in first] + rest)[:max(services.SUGGESTIONS, len(first))]
