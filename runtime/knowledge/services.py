"""Articles: who may read and edit them, saving (every save is a version), publishing, versions, diff and
restore; search, suggestions, deflections and the links between articles and tickets.

Who reads what: admins everything. Other staff (agents, designers) every article, drafts included, except
team-restricted ones of teams they are not in (unless they own it). Everyone else (requesters) published
articles visible to everyone, and team-restricted ones of a team they belong to; never staff-only ones.
"""

from __future__ import annotations

import difflib
from datetime import date
from typing import Any

from sqlalchemy import and_, exists, false, func, or_, select, true
from sqlalchemy.orm import Session, object_session

from platform_core.audit import record
from platform_core.auth.models import Team, User, team_member
from platform_core.db import utcnow
from platform_core.errors import Forbidden, NotFound, PreconditionFailed, ValidationFailed
from runtime.knowledge import categories, render, search, terms
from runtime.knowledge.models import (
    KnowledgeArticle,
    KnowledgeArticleTag,
    KnowledgeArticleTeam,
    KnowledgeArticleText,
    KnowledgeArticleType,
    KnowledgeArticleVersion,
    KnowledgeCategory,
    KnowledgeDeflection,
    KnowledgeTicketLink,
)
from runtime.knowledge.texts import say
from runtime.rules.i18n import LOCALES
from runtime.tickets import access
from runtime.tickets.models import Ticket, TicketType

STAFF_ROLES = ("admin", "agent", "designer")
SUGGESTIONS = 5


def is_staff(user: User) -> bool:
    return user.has_role(*STAFF_ROLES)


def require_staff(user: User) -> None:
    if not is_staff(user):
        raise Forbidden("Only staff (agents, designers, admins) edit the knowledge base.")


def visibility_filter(user: User) -> Any:
    """A WHERE clause selecting the articles ``user`` may read."""
    if user.has_role("admin"):
        return true()
    in_my_team = exists().where(KnowledgeArticleTeam.article_id == KnowledgeArticle.id,
                                KnowledgeArticleTeam.team_id.in_(
                                    select(team_member.c.team_id).where(team_member.c.user_id == user.id)))
    if is_staff(user):
        return or_(KnowledgeArticle.visibility != "teams", in_my_team, KnowledgeArticle.owner_id == user.id)
    return and_(KnowledgeArticle.status == "published",
                or_(KnowledgeArticle.visibility == "everyone",
                    and_(KnowledgeArticle.visibility == "teams", in_my_team)))


def get_visible(session: Session, user: User, article_id: int, locale: str | None = None) -> KnowledgeArticle:
    article = session.scalar(select(KnowledgeArticle).where(KnowledgeArticle.id == article_id,
                                                            visibility_filter(user)))
    if article is None:
        raise NotFound(say("article.not_found", locale, id=article_id))
    return article


# --------------------------------------------------------------------------- checking input


def _check(session: Session, body: dict[str, Any], locale: str | None) -> None:
    """Cross-field and reference checks the schema cannot make; every problem is reported at once."""
    problems: list[dict[str, Any]] = []

    def problem(path: str, message: str) -> None:
        problems.append({"path": path, "location": "json", "message": message})

    article_locale = body["locale"]
    if article_locale not in LOCALES:
        problem("/locale", say("article.unknown_locale", locale, locales=", ".join(LOCALES)))
    for key in body["texts"]:
        if key not in LOCALES:
            problem(f"/texts/{key}", say("article.unknown_locale", locale, locales=", ".join(LOCALES)))
    if article_locale not in body["texts"]:
        problem(f"/texts/{article_locale}", say("article.no_text", locale, locale=article_locale))
    for key, text in body["texts"].items():
        if not (text.get("title") or "").strip():
            problem(f"/texts/{key}/title", say("article.title_needed", locale))
    teams = body.get("team_ids") or []
    if body["visibility"] == "teams" and not teams:
        problem("/team_ids", say("article.teams_needed", locale))
    if body["visibility"] != "teams" and teams:
        problem("/team_ids", say("article.teams_unused", locale))
    known_teams = set(session.scalars(select(Team.id).where(Team.id.in_(teams)))) if teams else set()
    for index, team_id in enumerate(teams):
        if team_id not in known_teams:
            problem(f"/team_ids/{index}", say("article.unknown_team", locale, id=team_id))
    category_id = body.get("category_id")
    if category_id is not None and session.get(KnowledgeCategory, category_id) is None:
        problem("/category_id", say("article.unknown_category", locale, id=category_id))
    owner_id = body.get("owner_id")
    if owner_id is not None and session.get(User, owner_id) is None:
        problem("/owner_id", say("article.unknown_user", locale, id=owner_id))
    ticket_id = body.get("source_ticket_id")
    if ticket_id is not None and session.get(Ticket, ticket_id) is None:
        problem("/source_ticket_id", say("article.unknown_ticket", locale, id=ticket_id))
    types = body.get("ticket_types") or []
    known_types = set(session.scalars(select(TicketType.key).where(TicketType.key.in_(types)))) if types else set()
    for index, key in enumerate(types):
        if key not in known_types:
            problem(f"/ticket_types/{index}", say("article.unknown_type", locale, key=key))
    if problems:
        raise ValidationFailed(problems[0]["message"], details=problems)


# --------------------------------------------------------------------------- saving


def _content(article: KnowledgeArticle) -> dict[str, Any]:
    """Everything a version records (what restore brings back)."""
    return {
        "locale": article.locale,
        "texts": {t.locale: {"title": t.title, "body": t.body} for t in article.texts},
        "tags": article.tags,
        "category_id": article.category_id,
        "visibility": article.visibility,
        "team_ids": article.team_ids,
        "owner_id": article.owner_id,
        "review_by": article.review_by.isoformat() if article.review_by else None,
        "ticket_types": article.ticket_types,
        "source_ticket_id": article.source_ticket_id,
    }


def _apply(session: Session, article: KnowledgeArticle, body: dict[str, Any]) -> None:
    article.locale = body["locale"]
    article.visibility = body["visibility"]
    article.category_id = body.get("category_id")
    article.owner_id = body.get("owner_id")
    review_by = body.get("review_by")
    article.review_by = date.fromisoformat(review_by) if isinstance(review_by, str) else review_by
    article.source_ticket_id = body.get("source_ticket_id")
    existing = {t.locale: t for t in article.texts}
    texts = []
    for key, value in body["texts"].items():
        row = existing.get(key) or KnowledgeArticleText(locale=key)
        row.title = value["title"].strip()
        row.body = value.get("body") or ""
        row.body_html = render.to_html(row.body)
        row.body_text = render.to_text(row.body_html)
        texts.append(row)
    article.texts = texts
    tags = list(dict.fromkeys(tag.strip() for tag in body.get("tags") or [] if tag.strip()))
    old_tags = {row.tag: row for row in article.tag_rows}
    article.tag_rows = [old_tags.get(tag) or KnowledgeArticleTag(tag=tag) for tag in tags]
    old_teams = {row.team_id: row for row in article.team_rows}
    article.team_rows = [old_teams.get(t) or KnowledgeArticleTeam(team_id=t) for t in dict.fromkeys(body.get("team_ids") or [])]
    old_types = {row.type_key: row for row in article.type_rows}
    article.type_rows = [old_types.get(k) or KnowledgeArticleType(type_key=k)
                         for k in dict.fromkeys(body.get("ticket_types") or [])]
    article.search_title = terms.index_terms(" ".join(t.title for t in texts))
    article.search_body = terms.index_terms(" ".join(t.body_text for t in texts))
    article.search_tags = terms.index_terms(" ".join(tags))


def _save_version(session: Session, article: KnowledgeArticle, actor: User, note: str) -> None:
    session.flush()
    search.refresh_vectors(session, [article.id])
    session.add(KnowledgeArticleVersion(article_id=article.id, number=article.version, status=article.status,
                                        note=note, content=_content(article), saved_by_id=actor.id))


def _check_if_match(article: KnowledgeArticle, if_match: int | None, locale: str | None) -> None:
    if if_match is not None and if_match != article.revision:
        raise PreconditionFailed(say("article.changed", locale, revision=article.revision),
                                 details=[{"path": "", "location": "header", "message": "If-Match"}])


def create_article(session: Session, actor: User, body: dict[str, Any], locale: str | None) -> KnowledgeArticle:
    require_staff(actor)
    _check(session, body, locale)
    article = KnowledgeArticle(status="draft", revision=1, version=1, created_by_id=actor.id,
                               updated_by_id=actor.id)
    if body.get("owner_id") is None:
        body = {**body, "owner_id": actor.id}
    session.add(article)
    _apply(session, article, body)
    _save_version(session, article, actor, body.get("note") or "")
    record(session, "knowledge.article_created", "knowledge_article", article.id, actor_id=actor.id)
    session.commit()
    return article


def update_article(session: Session, actor: User, article_id: int, body: dict[str, Any], if_match: int | None,
                   locale: str | None) -> KnowledgeArticle:
    """Replace what the article says; a new version. ``if_match`` guards against lost updates (412)."""
    require_staff(actor)
    article = get_visible(session, actor, article_id, locale)
    _check_if_match(article, if_match, locale)
    _check(session, body, locale)
    _apply(session, article, body)
    _bump(article, actor)
    _save_version(session, article, actor, body.get("note") or "")
    session.commit()
    return article


def _bump(article: KnowledgeArticle, actor: User) -> None:
    article.revision += 1
    article.version += 1
    article.updated_at = utcnow()
    article.updated_by_id = actor.id


def set_status(session: Session, actor: User, article_id: int, status: str, if_match: int | None,
               locale: str | None) -> KnowledgeArticle:
    """Publish (or take back to draft): a new version that records the change."""
    require_staff(actor)
    article = get_visible(session, actor, article_id, locale)
    _check_if_match(article, if_match, locale)
    if article.status == status:
        return article
    article.status = status
    if status == "published":
        article.published_at = utcnow()
    _bump(article, actor)
    _save_version(session, article, actor, status)
    record(session, f"knowledge.article_{status}", "knowledge_article", article.id, actor_id=actor.id)
    session.commit()
    return article


def versions(session: Session, actor: User, article_id: int, locale: str | None) -> list[KnowledgeArticleVersion]:
    require_staff(actor)
    article = get_visible(session, actor, article_id, locale)
    return list(session.scalars(select(KnowledgeArticleVersion).where(KnowledgeArticleVersion.article_id == article.id)
                                .order_by(KnowledgeArticleVersion.number.desc())))


def get_version(session: Session, actor: User, article_id: int, number: int,
                locale: str | None) -> KnowledgeArticleVersion:
    require_staff(actor)
    article = get_visible(session, actor, article_id, locale)
    version = session.scalar(select(KnowledgeArticleVersion).where(KnowledgeArticleVersion.article_id == article.id,
                                                                   KnowledgeArticleVersion.number == number))
    if version is None:
        raise NotFound(say("article.no_version", locale, number=number))
    return version


def _lines(content: dict[str, Any]) -> dict[str, list[str]]:
    """A version as named pieces of text to compare line by line."""
    pieces: dict[str, list[str]] = {}
    for key, text in sorted(content.get("texts", {}).items()):
        pieces[f"texts/{key}/title"] = [text["title"]]
        pieces[f"texts/{key}/body"] = text["body"].splitlines()
    for key in ("locale", "visibility", "category_id", "owner_id", "review_by", "source_ticket_id"):
        pieces[key] = [str(content.get(key))]
    for key in ("tags", "team_ids", "ticket_types"):
        pieces[key] = [str(value) for value in content.get(key) or []]
    return pieces


def diff(session: Session, actor: User, article_id: int, old: int, new: int, locale: str | None) -> dict[str, Any]:
    """What changed from version ``old`` to ``new``: a unified diff per changed piece."""
    before = _lines(get_version(session, actor, article_id, old, locale).content)
    after = _lines(get_version(session, actor, article_id, new, locale).content)
    changes = []
    for key in sorted(set(before) | set(after)):
        a, b = before.get(key, []), after.get(key, [])
        if a != b:
            changes.append({"path": key, "diff": "\n".join(difflib.unified_diff(
                a, b, f"v{old}", f"v{new}", lineterm="", n=2))})
    return {"from": old, "to": new, "changes": changes}


def restore(session: Session, actor: User, article_id: int, number: int, if_match: int | None,
            locale: str | None) -> KnowledgeArticle:
    """Make the article say again what version ``number`` said (a new version; history is kept)."""
    version = get_version(session, actor, article_id, number, locale)
    article = get_visible(session, actor, article_id, locale)
    _check_if_match(article, if_match, locale)
    content = dict(version.content)
    # References may have gone since: a deleted team, category or ticket is left out rather than refused.
    content["team_ids"] = [t for t in content.get("team_ids") or [] if session.get(Team, t) is not None]
    if content["visibility"] == "teams" and not content["team_ids"]:
        content["visibility"] = "staff"
    for key, model in (("category_id", KnowledgeCategory), ("owner_id", User), ("source_ticket_id", Ticket)):
        if content.get(key) is not None and session.get(model, content[key]) is None:
            content[key] = None
    known = set(session.scalars(select(TicketType.key)))
    content["ticket_types"] = [k for k in content.get("ticket_types") or [] if k in known]
    _apply(session, article, content)
    _bump(article, actor)
    _save_version(session, article, actor, f"restored v{number}")
    session.commit()
    return article


# --------------------------------------------------------------------------- preview


def preview(session: Session, actor: User, markdown: str, article_id: int | None, locale: str | None) -> str:
    """Markdown rendered and sanitised exactly as an article body is saved (so the editor shows what readers will
    see); nothing is stored. With the article's id, it must be one the caller may read."""
    require_staff(actor)
    if len(markdown) > render.BODY_MAX:  # checked here, not by the schema, to say it in the reader's language
        raise ValidationFailed.field("/body", say("preview.too_long", locale, limit=f"{render.BODY_MAX:,}"))
    if article_id is not None:
        get_visible(session, actor, article_id, locale)
    return render.to_html(markdown)


# --------------------------------------------------------------------------- reading


def view(article: KnowledgeArticle, user: User, locale: str | None, *, full: bool = True) -> dict[str, Any]:
    """An article as ``user`` reads it in ``locale`` (falling back to its own language); staff also get every
    language's Markdown and the visibility details."""
    text = article.text_for(locale)
    out: dict[str, Any] = {
        "id": article.id, "status": article.status, "visibility": article.visibility, "locale": article.locale,
        "shown_locale": text.locale if text else article.locale, "title": text.title if text else "",
        "tags": article.tags, "category_id": article.category_id, "ticket_types": article.ticket_types,
        "published_at": article.published_at, "updated_at": article.updated_at,
        "translations": [t.locale for t in article.texts],
    }
    if full:
        out["body_html"] = text.body_html if text else ""
    if is_staff(user):
        out.update({
            "revision": article.revision, "version": article.version, "owner_id": article.owner_id,
            "review_by": article.review_by, "source_ticket_id": article.source_ticket_id,
            "review_due": article.review_by is not None and article.review_by <= utcnow().date(),
            "team_ids": article.team_ids, "created_at": article.created_at,
        })
        if full:  # one article: its owner by name (for the editor), read here rather than once per row of a list
            session = object_session(article)
            out["owner"] = session.get(User, article.owner_id) if session and article.owner_id else None
            out["texts"] = {t.locale: {"title": t.title, "body": t.body, "body_html": t.body_html}
                            for t in article.texts}
            source = _source_ticket(article, user)
            if source is not None:
                out["source_ticket"] = source
    return out


def _source_ticket(article: KnowledgeArticle, user: User) -> dict[str, Any] | None:
    """The ticket the article was written from, for staff who may see it (its number and title)."""
    session = object_session(article)
    if article.source_ticket_id is None or session is None:
        return None
    ticket = session.get(Ticket, article.source_ticket_id)
    if ticket is None or not access.can_see(session, user, ticket):
        return None
    return {"id": ticket.id, "number": ticket.number, "title": ticket.title}


def list_filter(user: User, args: dict[str, Any]) -> Any:
    """The visibility filter and the list's filters (tag, category with the categories under it, ticket type,
    status, review due)."""
    clauses = [visibility_filter(user)]
    if args.get("tag"):
        clauses.append(exists().where(KnowledgeArticleTag.article_id == KnowledgeArticle.id,
                                      KnowledgeArticleTag.tag == args["tag"]))
    if args.get("category_id") is not None:
        clauses.append(KnowledgeArticle.category_id.in_(categories.with_descendants(args["category_id"])))
    if args.get("type"):
        clauses.append(exists().where(KnowledgeArticleType.article_id == KnowledgeArticle.id,
                                      KnowledgeArticleType.type_key == args["type"]))
    if args.get("status"):
        clauses.append(KnowledgeArticle.status == args["status"] if is_staff(user) else false())
    if args.get("review_due"):
        clauses.append(KnowledgeArticle.review_by <= utcnow().date() if is_staff(user) else false())
    return and_(*clauses)


def _all_text(article: KnowledgeArticle) -> str:
    """Every language's title and body (what the search index holds), for the matched terms."""
    return " ".join(f"{t.title} {t.body_text}" for t in article.texts)


def search_articles(session: Session, user: User, args: dict[str, Any], locale: str | None) -> list[dict[str, Any]]:
    """Ranked results with a highlighted snippet (the reader's language) and the matched terms."""
    query = terms.parse_query(args["q"])
    found = search.search(session, query, list_filter(user, args), limit=args["limit"])
    if not found:
        return []
    articles = {a.id: a for a in session.scalars(select(KnowledgeArticle).where(
        KnowledgeArticle.id.in_([article_id for article_id, _ in found])))}
    results = []
    for article_id, score in found:
        article = articles[article_id]
        text = article.text_for(locale)
        item = view(article, user, locale, full=False)
        title, body = (text.title, text.body_text) if text else ("", "")
        item.update({"score": round(score, 6), "title_html": terms.snippet(title, query, width=300),
                     "snippet_html": terms.snippet(body, query),
                     "matched_terms": terms.matched_terms(_all_text(article), query)})
        results.append(item)
    return results


# --------------------------------------------------------------------------- suggestions and deflection


def suggest(session: Session, user: User, type_key: str | None, text: str, locale: str | None) -> list[dict[str, Any]]:
    """Up to five articles for what a requester is typing: search results, those about the ticket type first,
    each with why (matched terms and tags)."""
    query = terms.parse_query(text)
    if query.empty:
        return []
    where = and_(visibility_filter(user), KnowledgeArticle.status == "published")
    found = search.search(session, query, where, limit=SUGGESTIONS * 4, fill=SUGGESTIONS)
    if not found:
        return []
    articles = {a.id: a for a in session.scalars(select(KnowledgeArticle).where(
        KnowledgeArticle.id.in_([article_id for article_id, _ in found])))}
    words = set(terms.tokens(text))
    lowered = text.lower()
    ranked = []
    for position, (article_id, _score) in enumerate(found):
        article = articles[article_id]
        for_type = bool(type_key) and type_key in article.ticket_types
        tags = [tag for tag in article.tags if tag.lower() in words or tag.lower() in lowered]
        ranked.append(((not for_type, not tags, position), article, for_type, tags))
    ranked.sort(key=lambda entry: entry[0])
    out = []
    for _key, article, for_type, tags in ranked[:SUGGESTIONS]:
        shown = article.text_for(locale)
        title, body = (shown.title, shown.body_text) if shown else ("", "")
        out.append({"id": article.id, "title": title, "snippet_html": terms.snippet(body, query),
                    "why": {"matched_terms": terms.matched_terms(_all_text(article), query), "tags": tags,
                            "ticket_type": for_type}})
    return out


def record_deflection(session: Session, user: User, article_id: int, type_key: str | None, text: str,
                      locale: str | None) -> KnowledgeDeflection:
    """"This solved it": the requester leaves without filing a ticket."""
    article = get_visible(session, user, article_id, locale)
    deflection = KnowledgeDeflection(article_id=article.id, type_key=type_key, user_id=user.id, text=text[:500])
    session.add(deflection)
    session.commit()
    return deflection


def deflection_counts(session: Session, user: User) -> list[dict[str, Any]]:
    require_staff(user)
    rows = session.execute(select(KnowledgeDeflection.type_key, func.count()).group_by(KnowledgeDeflection.type_key)
                           .order_by(KnowledgeDeflection.type_key))
    return [{"type": type_key, "count": count} for type_key, count in rows]


# --------------------------------------------------------------------------- articles and tickets


def record_links(session: Session, user: User, ticket_id: int, article_ids: list[int], kind: str,
                 locale: str | None) -> list[dict[str, Any]]:
    """Record articles shown to the requester while they typed the ticket (anyone who sees the ticket), or
    linked to it (staff who work it). Articles the user cannot read are refused (422, naming which)."""
    ticket = access.get_visible_ticket(session, user, ticket_id)
    if kind == "linked" and not access.is_staff_for(session, user, ticket):
        raise Forbidden("Only staff working the ticket link articles to it.")
    visible = set(session.scalars(select(KnowledgeArticle.id).where(KnowledgeArticle.id.in_(article_ids),
                                                                    visibility_filter(user))))
    problems = [{"path": f"/article_ids/{i}", "location": "json", "message": say("article.not_visible", locale, id=a)}
                for i, a in enumerate(article_ids) if a not in visible]
    if problems:
        raise ValidationFailed(problems[0]["message"], details=problems)
    existing = set(session.scalars(select(KnowledgeTicketLink.article_id).where(
        KnowledgeTicketLink.ticket_id == ticket.id, KnowledgeTicketLink.kind == kind)))
    for article_id in dict.fromkeys(article_ids):
        if article_id not in existing:
            session.add(KnowledgeTicketLink(article_id=article_id, ticket_id=ticket.id, kind=kind,
                                            created_by_id=user.id))
    session.commit()
    return ticket_links(session, user, ticket_id, locale)


def unlink(session: Session, user: User, ticket_id: int, article_id: int) -> None:
    ticket = access.get_visible_ticket(session, user, ticket_id)
    if not access.is_staff_for(session, user, ticket):
        raise Forbidden("Only staff working the ticket unlink articles from it.")
    for link in session.scalars(select(KnowledgeTicketLink).where(KnowledgeTicketLink.ticket_id == ticket.id,
                                                                  KnowledgeTicketLink.article_id == article_id,
                                                                  KnowledgeTicketLink.kind == "linked")):
        session.delete(link)
    session.commit()


def ticket_links(session: Session, user: User, ticket_id: int, locale: str | None) -> list[dict[str, Any]]:
    """The articles shown to or linked with a ticket that ``user`` may read (others are left out)."""
    ticket = access.get_visible_ticket(session, user, ticket_id)
    rows = session.execute(select(KnowledgeTicketLink, KnowledgeArticle)
                           .join(KnowledgeArticle, KnowledgeArticle.id == KnowledgeTicketLink.article_id)
                           .where(KnowledgeTicketLink.ticket_id == ticket.id, visibility_filter(user))
                           .order_by(KnowledgeTicketLink.created_at, KnowledgeTicketLink.id))
    out = []
    for link, article in rows:
        text = article.text_for(locale)
        out.append({"article_id": article.id, "title": text.title if text else "", "kind": link.kind,
                    "created_at": link.created_at})
    written = session.scalars(select(KnowledgeArticle).where(KnowledgeArticle.source_ticket_id == ticket.id,
                                                             visibility_filter(user)).order_by(KnowledgeArticle.id))
    for article in written:  # articles written from this ticket ("Turn into an article", create_article_draft)
        text = article.text_for(locale)
        out.append({"article_id": article.id, "title": text.title if text else "", "kind": "source",
                    "status": article.status, "created_at": article.created_at})
    return out


# --------------------------------------------------------------------------- articles other capabilities bring


def seeded_articles(session: Session, markers: list[str]) -> dict[str, int]:
    """The articles made by ``seed_article`` with these markers (the note of their first version), by marker."""
    if not markers:
        return {}
    rows = session.execute(select(KnowledgeArticleVersion.note, KnowledgeArticleVersion.article_id).where(
        KnowledgeArticleVersion.number == 1, KnowledgeArticleVersion.note.in_(markers)))
    return {note: article_id for note, article_id in rows}


def seed_article(session: Session, body: dict[str, Any], *, marker: str, actor_id: int | None,
                 status: str = "published") -> KnowledgeArticle:
    """Add an article someone else ships (an industry template's, published) or writes (the
    ``create_article_draft`` action's, a draft), in the caller's transaction (it commits). ``body`` is an article
    as the API takes it (checked by the caller); ``marker`` is the note of its first version, by which
    ``seeded_articles`` finds it again whatever people later change in it."""
    now = utcnow()
    article = KnowledgeArticle(status=status, revision=1, version=1, created_by_id=actor_id, updated_by_id=actor_id,
                               published_at=now if status == "published" else None)
    session.add(article)
    _apply(session, article, {"visibility": "everyone", "owner_id": actor_id, **body})
    session.flush()
    search.refresh_vectors(session, [article.id])
    session.add(KnowledgeArticleVersion(article_id=article.id, number=1, status=status, note=marker,
                                        content=_content(article), saved_by_id=actor_id))
    record(session, f"knowledge.article_{'published' if status == 'published' else 'created'}", "knowledge_article",
           article.id, actor_id=actor_id, details={"seeded": marker})
    return article
