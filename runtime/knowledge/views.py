"""Knowledge API: articles (list, search, read, write, publish, versions, diff, restore, "did this help?"),
categories, suggestions while a ticket is typed, deflections, and the articles shown to or linked with a ticket."""

from __future__ import annotations

from typing import Any

from flask import make_response, request
from sqlalchemy import select

from platform_core.api import Blueprint, keyset_page
from platform_core.auth.current import actor, requires
from platform_core.db import db_session
from platform_core.errors import BadRequest
from runtime.knowledge import categories, drafts, feedback, services, similar
from runtime.knowledge import schemas as s
from runtime.knowledge.models import KnowledgeArticle
from runtime.knowledge.texts import say
from runtime.tickets.display import request_reader

bp = Blueprint("knowledge", __name__, url_prefix="/api/v1", description="Knowledge base")


def _locale() -> str:
    return request_reader().locale


def _if_match() -> int | None:
    header = request.headers.get("If-Match")
    if header is None:
        return None
    value = header.strip().removeprefix("W/").strip('"')
    if not value.isdigit():
        raise BadRequest(say("article.if_match", _locale()),
                         details=[{"path": "If-Match", "location": "header", "message": "Not an article revision."}])
    return int(value)


def _article_response(article: KnowledgeArticle, status: int = 200) -> Any:
    user = actor()
    shown = {**services.view(article, user, _locale()), "feedback": feedback.summary(db_session, user, article)}
    response = make_response(s.ArticleOut().dump(shown), status)
    if services.is_staff(user):
        response.headers["ETag"] = f'"{article.revision}"'
    return response


# --------------------------------------------------------------------------- articles


@bp.get("/knowledge/articles")
@requires()
@bp.arguments(s.ArticleQuery, location="query")
@bp.response(200, s.ArticlePage)
def list_articles(args):
    """Articles you may read, most recently changed first, with cursor pagination; filter by tag, category,
    related ticket type and (staff) status. With ``q``, use /knowledge/search instead."""
    user = actor()
    stmt = select(KnowledgeArticle).where(services.list_filter(user, args))
    page = keyset_page(db_session, stmt, [KnowledgeArticle.updated_at, KnowledgeArticle.id], args["limit"],
                       args["cursor"], descending=True)
    locale = _locale()
    page["items"] = [services.view(a, user, locale, full=False) for a in page["items"]]
    return page


@bp.get("/knowledge/search")
@requires()
@bp.arguments(s.ArticleQuery, location="query")
@bp.response(200, s.SearchOut)
def search_articles(args):
    """Full-text search in Chinese and English over the articles you may read, best first (up to ``limit``),
    with highlighted snippets; the same filters as the list."""
    if not args.get("q"):
        return {"items": []}
    return {"items": services.search_articles(db_session, actor(), args, _locale())}


@bp.post("/knowledge/articles")
@requires(*services.STAFF_ROLES)
@bp.arguments(s.ArticleIn)
@bp.response(201, s.ArticleOut)
def create_article(body):
    """A new draft (version 1). Staff only."""
    return _article_response(services.create_article(db_session, actor(), body, _locale()), 201)


@bp.post("/knowledge/preview")
@requires(*services.STAFF_ROLES)
@bp.arguments(s.PreviewIn)
@bp.response(200, s.PreviewOut)
def preview_body(body):
    """The editor's preview: Markdown rendered and sanitised as an article body is when saved (raw HTML shown as
    text; images only this knowledge base's own). Nothing is stored. Staff only."""
    return {"html": services.preview(db_session, actor(), body["body"], body["article_id"], _locale())}


@bp.get("/knowledge/articles/<int:article_id>")
@requires()
@bp.response(200, s.ArticleOut)
def get_article(article_id):
    """One article in your language (else its own), body as sanitised HTML; staff also get every language's
    Markdown, and the revision as the ETag."""
    return _article_response(services.get_visible(db_session, actor(), article_id, _locale()))


@bp.put("/knowledge/articles/<int:article_id>")
@requires(*services.STAFF_ROLES)
@bp.arguments(s.ArticleIn)
@bp.response(200, s.ArticleOut)
def update_article(body, article_id):
    """Replace the article's content (a new version). Send If-Match with the ETag to avoid overwriting
    someone else's save (412 if it changed)."""
    return _article_response(services.update_article(db_session, actor(), article_id, body, _if_match(), _locale()))


@bp.post("/knowledge/articles/<int:article_id>/publish")
@requires(*services.STAFF_ROLES)
@bp.response(200, s.ArticleOut)
def publish_article(article_id):
    """Publish the article (a new version); If-Match as for saving."""
    return _article_response(services.set_status(db_session, actor(), article_id, "published", _if_match(),
                                                 _locale()))


@bp.post("/knowledge/articles/<int:article_id>/unpublish")
@requires(*services.STAFF_ROLES)
@bp.response(200, s.ArticleOut)
def unpublish_article(article_id):
    """Take the article back to draft: requesters no longer see it."""
    return _article_response(services.set_status(db_session, actor(), article_id, "draft", _if_match(), _locale()))


@bp.get("/knowledge/articles/<int:article_id>/versions")
@requires(*services.STAFF_ROLES)
@bp.response(200, s.ArticleVersionList)
def list_versions(article_id):
    """Every version of the article, newest first, with what it said."""
    return {"items": services.versions(db_session, actor(), article_id, _locale())}


@bp.get("/knowledge/articles/<int:article_id>/versions/<int:number>")
@requires(*services.STAFF_ROLES)
@bp.response(200, s.ArticleVersionOut)
def get_version(article_id, number):
    """One version."""
    return services.get_version(db_session, actor(), article_id, number, _locale())


@bp.get("/knowledge/articles/<int:article_id>/diff")
@requires(*services.STAFF_ROLES)
@bp.arguments(s.ArticleDiffQuery, location="query")
@bp.response(200, s.ArticleDiffOut)
def diff_versions(args, article_id):
    """What changed between two versions, as a unified diff per title, body and property."""
    return services.diff(db_session, actor(), article_id, args["from_"], args["to"], _locale())


@bp.post("/knowledge/articles/<int:article_id>/versions/<int:number>/restore")
@requires(*services.STAFF_ROLES)
@bp.response(200, s.ArticleOut)
def restore_version(article_id, number):
    """Make the article say what that version said, as a new version (nothing is lost)."""
    return _article_response(services.restore(db_session, actor(), article_id, number, _if_match(), _locale()))


@bp.post("/knowledge/articles/<int:article_id>/feedback")
@requires()
@bp.arguments(s.FeedbackIn)
@bp.response(200, s.FeedbackOut)
def answer_feedback(body, article_id):
    """"Did this help?": your answer (yes or no, with an optional comment) on a published article you may read.
    One answer per reader; answering again changes it. Returns your answer (and, for staff, the counts)."""
    return feedback.answer(db_session, actor(), article_id, body["helpful"], body["comment"], _locale())


# --------------------------------------------------------------------------- categories


@bp.get("/knowledge/categories")
@requires()
@bp.response(200, s.CategoryList)
def list_categories():
    """The category tree as a flat list (each with its parent)."""
    return {"items": categories.categories(db_session)}


@bp.post("/knowledge/categories")
@requires(*services.STAFF_ROLES)
@bp.arguments(s.CategoryIn)
@bp.response(201, s.CategoryOut)
def create_category(body):
    """A new category, at the top or under a parent."""
    return categories.save_category(db_session, actor(), body, None, _locale())


@bp.put("/knowledge/categories/<int:category_id>")
@requires(*services.STAFF_ROLES)
@bp.arguments(s.CategoryIn)
@bp.response(200, s.CategoryOut)
def update_category(body, category_id):
    """Rename or move a category (never under itself)."""
    return categories.save_category(db_session, actor(), body, category_id, _locale())


@bp.delete("/knowledge/categories/<int:category_id>")
@requires(*services.STAFF_ROLES)
@bp.response(204)
def delete_category(category_id):
    """Delete an empty category (409 while it holds articles or categories)."""
    categories.delete_category(db_session, actor(), category_id, _locale())


# --------------------------------------------------------------------------- suggestions, deflections


@bp.get("/knowledge/suggest")
@requires()
@bp.arguments(s.SuggestQuery, location="query")
@bp.response(200, s.SuggestionList)
def suggest(args):
    """Up to five published articles you may read for the text you are typing, those about the ticket type
    first, each with why it was suggested."""
    return {"items": services.suggest(db_session, actor(), args["type"], args["text"], _locale())}


@bp.post("/knowledge/deflections")
@requires()
@bp.arguments(s.DeflectionIn)
@bp.response(201, s.DeflectionOut)
def deflect(body):
    """"This solved it": counted as a deflection (per ticket type); no ticket is filed."""
    return services.record_deflection(db_session, actor(), body["article_id"], body["type"], body["text"],
                                      _locale())


@bp.get("/knowledge/deflections")
@requires(*services.STAFF_ROLES)
@bp.response(200, s.DeflectionCounts)
def deflection_counts():
    """How many requests each ticket type was spared by an article."""
    return {"items": services.deflection_counts(db_session, actor())}


# --------------------------------------------------------------------------- articles and tickets


@bp.get("/tickets/<int:ticket_id>/knowledge")
@requires()
@bp.response(200, s.TicketLinkList)
def ticket_articles(ticket_id):
    """The articles shown to the requester while typing the ticket and those linked to it (only those you may
    read)."""
    return {"items": services.ticket_links(db_session, actor(), ticket_id, _locale())}


@bp.post("/tickets/<int:ticket_id>/knowledge")
@requires()
@bp.arguments(s.TicketLinksIn)
@bp.response(200, s.TicketLinkList)
def link_articles(body, ticket_id):
    """Record articles as shown (anyone who sees the ticket: the portal does it on filing) or linked (staff
    working the ticket)."""
    return {"items": services.record_links(db_session, actor(), ticket_id, body["article_ids"], body["kind"],
                                           _locale())}


@bp.delete("/tickets/<int:ticket_id>/knowledge/<int:article_id>")
@requires()
@bp.response(204)
def unlink_article(ticket_id, article_id):
    """Remove an article linked to the ticket (staff working it)."""
    services.unlink(db_session, actor(), ticket_id, article_id)


@bp.get("/tickets/<int:ticket_id>/knowledge/related")
@requires()
@bp.response(200, s.SuggestionList)
def related_articles(ticket_id):
    """Agent side: articles related to the ticket, with why: first those linked to or written from similar
    resolved tickets (root-cause articles), then those matching its text and type."""
    return {"items": similar.related_articles(db_session, actor(), ticket_id, _locale())}


@bp.get("/tickets/<int:ticket_id>/similar")
@requires()
@bp.response(200, s.SimilarTicketList)
def similar_tickets(ticket_id):
    """Agent side: resolved or closed tickets of the same type like this one (shared words, category, tags), best
    first, each with why and the published articles linked to it. Staff working the ticket only."""
    return {"items": similar.similar_tickets(db_session, actor(), ticket_id, _locale())}


@bp.post("/tickets/<int:ticket_id>/article-draft")
@requires()
@bp.arguments(s.DraftIn)
@bp.response(200, s.DraftOut)
def article_draft(body, ticket_id):
    """Turn a resolved or closed ticket into an article: a draft built from the definition's chosen fields
    (``knowledge.article``) and the public conversation, with the spans of personal data to redact. Nothing is
    saved: create the article (POST /knowledge/articles with source_ticket_id) once it is redacted. Staff
    working the ticket only; 409 while it is not resolved or closed."""
    return drafts.draft_for_ticket(db_session, actor(), ticket_id, body["include_comment_ids"], _locale())
