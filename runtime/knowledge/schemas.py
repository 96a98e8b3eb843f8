"""Request and response schemas of the knowledge API (unknown keys are refused)."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from platform_core.api import CURSOR_MAX_LENGTH
from platform_core.auth.schemas import UserRefSchema
from platform_core.fields import Flag, Id, Timestamp
from runtime.knowledge.models import LINK_KINDS, STATUSES, VISIBILITIES
from runtime.knowledge.render import BODY_MAX
from runtime.rules.i18n import LOCALES

TAG = validate.And(validate.Length(min=1, max=64), validate.Regexp(r"^[^\s,][^,]*$",
                                                                   error="A tag has no commas or leading spaces."))
TYPE_KEY = validate.Length(min=1, max=64)


class ArticleTextIn(ma.Schema):
    title = fields.String(required=True, validate=validate.Length(min=1, max=300))
    body = fields.String(load_default="", validate=validate.Length(max=BODY_MAX),
                         metadata={"description": "Markdown (CommonMark with tables); raw HTML is shown as text"})


class ArticleTextsIn(ma.Schema):
    """One title and body per language (at least the article's own)."""

    en = fields.Nested(ArticleTextIn)
    zh_cn = fields.Nested(ArticleTextIn, data_key="zh-CN")

    @ma.post_load
    def by_locale(self, data, **_kwargs):
        return {"en" if key == "en" else "zh-CN": value for key, value in data.items()}


class ArticleIn(ma.Schema):
    locale = fields.String(load_default="en", validate=validate.OneOf(LOCALES),
                           metadata={"description": "The language the article is written in"})
    texts = fields.Nested(ArticleTextsIn, required=True,
                          metadata={"description": "Title and body per language: {\"en\": {...}, \"zh-CN\": {...}}"})
    tags = fields.List(fields.String(validate=TAG), load_default=list, validate=validate.Length(max=30))
    category_id = Id(load_default=None, allow_none=True)
    visibility = fields.String(load_default="everyone", validate=validate.OneOf(VISIBILITIES))
    team_ids = fields.List(Id(), load_default=list, validate=validate.Length(max=100),
                           metadata={"description": "The teams whose members may read it (visibility 'teams')"})
    owner_id = Id(load_default=None, allow_none=True, metadata={"description": "Defaults to the author"})
    review_by = fields.Date(load_default=None, allow_none=True)
    ticket_types = fields.List(fields.String(validate=TYPE_KEY), load_default=list, validate=validate.Length(max=50))
    source_ticket_id = Id(load_default=None, allow_none=True)
    note = fields.String(load_default="", validate=validate.Length(max=500),
                         metadata={"description": "What this save changed (kept with the version)"})


class PreviewIn(ma.Schema):
    body = fields.String(required=True, metadata={
        "description": "Markdown, as in an article's body (at most 200,000 characters)", "maxLength": BODY_MAX})
    article_id = Id(load_default=None, allow_none=True, metadata={
        "description": "The article being edited (one you may read), if it is saved already"})


class PreviewOut(ma.Schema):
    html = fields.String(metadata={"description": "Sanitised HTML, rendered as the article's body would be"})


class ArticleTextOut(ma.Schema):
    title = fields.String()
    body = fields.String()
    body_html = fields.String()


class FeedbackIn(ma.Schema):
    helpful = Flag(required=True, metadata={"description": "Did the article help? true or false"})
    comment = fields.String(load_default="", validate=validate.Length(max=1000),
                            metadata={"description": "Optional: what was missing or wrong (up to 1000 characters)"})


class FeedbackAnswerOut(ma.Schema):
    helpful = fields.Boolean()
    comment = fields.String()
    answered_at = Timestamp()


class FeedbackCountsOut(ma.Schema):
    helpful = fields.Integer()
    not_helpful = fields.Integer()
    recent_comments = fields.List(fields.Nested(FeedbackAnswerOut),
                                  metadata={"description": "The latest comments, newest first (never who wrote them)"})


class FeedbackOut(ma.Schema):
    mine = fields.Nested(FeedbackAnswerOut, allow_none=True, metadata={"description": "Your answer, if any"})
    counts = fields.Nested(FeedbackCountsOut, metadata={"description": "Everyone's answers counted (staff)"})


class ArticleOut(ma.Schema):
    id = fields.Integer()
    status = fields.String()
    visibility = fields.String()
    locale = fields.String()
    shown_locale = fields.String(metadata={"description": "The language of title and body_html (yours if written)"})
    title = fields.String()
    body_html = fields.String(metadata={"description": "Sanitised HTML rendered from the Markdown"})
    tags = fields.List(fields.String())
    category_id = fields.Integer(allow_none=True)
    ticket_types = fields.List(fields.String())
    translations = fields.List(fields.String())
    published_at = Timestamp(allow_none=True)
    updated_at = Timestamp()
    feedback = fields.Nested(FeedbackOut, metadata={"description": "\"Did this help?\": your answer; staff also get "
                                                                   "the counts (one article only, not in lists)"})
    # staff only
    revision = fields.Integer(metadata={"description": "The ETag (staff)"})
    version = fields.Integer()
    owner_id = fields.Integer(allow_none=True)
    owner = fields.Nested(UserRefSchema, allow_none=True, metadata={"description": "The owner's name (staff)"})
    review_by = fields.Date(allow_none=True)
    review_due = fields.Boolean(metadata={"description": "Staff: the review-by date has come (today in UTC or earlier)"})
    source_ticket_id = fields.Integer(allow_none=True)
    source_ticket = fields.Nested("TicketRefOut", metadata={
        "description": "The ticket it was written from, when you may see it (staff)"})
    team_ids = fields.List(fields.Integer())
    created_at = Timestamp()
    texts = fields.Dict(keys=fields.String(), values=fields.Nested(ArticleTextOut))


class SearchResultOut(ArticleOut):
    score = fields.Float()
    title_html = fields.String(metadata={"description": "The title, escaped, matches in <mark>"})
    snippet_html = fields.String(metadata={"description": "An escaped extract of the body, matches in <mark>"})
    matched_terms = fields.List(fields.String())


class ArticlePage(ma.Schema):
    items = fields.List(fields.Nested(ArticleOut))
    next_cursor = fields.String(allow_none=True)


class SearchOut(ma.Schema):
    items = fields.List(fields.Nested(SearchResultOut))


class ArticleQuery(ma.Schema):
    q = fields.String(load_default=None, validate=validate.Length(max=500),
                      metadata={"description": "Search words (Chinese or English); results are ranked, not paged"})
    tag = fields.String(load_default=None, validate=TAG)
    category_id = Id(load_default=None)
    type = fields.String(load_default=None, validate=TYPE_KEY, metadata={"description": "A related ticket type key"})
    status = fields.String(load_default=None, validate=validate.OneOf(STATUSES), metadata={"description": "Staff"})
    review_due = fields.Boolean(load_default=False, metadata={
        "description": "Staff: only articles whose review-by date has come (today in UTC or earlier)"})
    limit = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))
    cursor = fields.String(load_default=None, validate=validate.Length(max=CURSOR_MAX_LENGTH))


class StatusIn(ma.Schema):
    status = fields.String(required=True, validate=validate.OneOf(STATUSES))


class ArticleVersionOut(ma.Schema):
    number = fields.Integer()
    status = fields.String()
    note = fields.String()
    saved_at = Timestamp()
    saved_by_id = fields.Integer(allow_none=True)
    saved_by = fields.Nested(UserRefSchema, allow_none=True, metadata={"description": "Who saved it (null if gone)"})
    content = fields.Dict()


class ArticleVersionList(ma.Schema):
    items = fields.List(fields.Nested(ArticleVersionOut))


class ArticleDiffQuery(ma.Schema):
    from_ = fields.Integer(data_key="from", required=True, validate=validate.Range(min=1))
    to = fields.Integer(required=True, validate=validate.Range(min=1))


class ArticleDiffChange(ma.Schema):
    path = fields.String()
    diff = fields.String(metadata={"description": "A unified diff"})


class ArticleDiffOut(ma.Schema):
    from_ = fields.Integer(data_key="from", attribute="from")
    to = fields.Integer()
    changes = fields.List(fields.Nested(ArticleDiffChange))


class SuggestQuery(ma.Schema):
    text = fields.String(required=True, validate=validate.Length(max=2000))
    type = fields.String(load_default=None, validate=TYPE_KEY)


class TicketRefOut(ma.Schema):
    id = fields.Integer()
    number = fields.String()
    title = fields.String()


class WhyOut(ma.Schema):
    matched_terms = fields.List(fields.String())
    tags = fields.List(fields.String())
    ticket_type = fields.Boolean(metadata={"description": "The article is about this ticket type"})
    similar_ticket = fields.Nested(TicketRefOut, metadata={
        "description": "Related articles: the similar resolved ticket the article is linked to or written from "
                       "(such articles come first)"})
    root_cause_tags = fields.List(fields.String(), metadata={
        "description": "Related articles of a similar ticket: the article's tags that name that ticket's root-cause "
                       "class (knowledge.article.tags_from: the value, or its label in either language); such "
                       "root-cause articles come first of all"})


class SuggestionOut(ma.Schema):
    id = fields.Integer()
    title = fields.String()
    snippet_html = fields.String()
    why = fields.Nested(WhyOut)


class SuggestionList(ma.Schema):
    items = fields.List(fields.Nested(SuggestionOut))


class DeflectionIn(ma.Schema):
    article_id = Id(required=True)
    type = fields.String(load_default=None, allow_none=True, validate=TYPE_KEY)
    text = fields.String(load_default="", validate=validate.Length(max=2000))


class DeflectionOut(ma.Schema):
    id = fields.Integer()
    article_id = fields.Integer()
    type_key = fields.String(data_key="type", allow_none=True)
    created_at = Timestamp()


class DeflectionCount(ma.Schema):
    type = fields.String(allow_none=True)
    count = fields.Integer()


class DeflectionCounts(ma.Schema):
    items = fields.List(fields.Nested(DeflectionCount))


class TicketLinksIn(ma.Schema):
    article_ids = fields.List(Id(), required=True, validate=validate.Length(min=1, max=20))
    kind = fields.String(load_default="linked", validate=validate.OneOf(LINK_KINDS),
                         metadata={"description": "shown (while the requester typed) or linked (by staff)"})


class TicketLinkOut(ma.Schema):
    article_id = fields.Integer()
    title = fields.String()
    kind = fields.String(metadata={"description": "shown, linked, or source (the article was written from the ticket)"})
    status = fields.String(metadata={"description": "source: the article's status (draft or published)"})
    created_at = Timestamp()


class TicketLinkList(ma.Schema):
    items = fields.List(fields.Nested(TicketLinkOut))


class CategoryIn(ma.Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    parent_id = Id(load_default=None, allow_none=True)
    i18n = fields.Dict(keys=fields.String(validate=validate.OneOf(LOCALES)),
                       values=fields.Dict(keys=fields.String(validate=validate.OneOf(["name"])),
                                          values=fields.String(validate=validate.Length(min=1, max=200))),
                       load_default=dict, metadata={"description": "Translated names: {\"zh-CN\": {\"name\": ...}}"})
    position = fields.Integer(load_default=None, allow_none=True, strict=True, validate=validate.Range(min=0, max=10_000),
                              metadata={"description": "Its place among its siblings, 0 first (they are renumbered "
                                                       "0, 1, 2 …); left out: last when new or moved, else where it was"})


class CategoryOut(ma.Schema):
    id = fields.Integer()
    name = fields.String()
    parent_id = fields.Integer(allow_none=True)
    i18n = fields.Dict()
    position = fields.Integer()


class CategoryList(ma.Schema):
    items = fields.List(fields.Nested(CategoryOut))


class DraftIn(ma.Schema):
    include_comment_ids = fields.List(Id(), load_default=list, validate=validate.Length(max=500), metadata={
        "description": "Internal comments to include (public ones always are); each must be the ticket's"})


class RedactionOut(ma.Schema):
    start = fields.Integer(metadata={"description": "Offset of the first character (code points)"})
    end = fields.Integer(metadata={"description": "Offset after the last character"})
    kind = fields.String(metadata={"description": "email, phone, name or personal (access.personal_fields)"})
    text = fields.String()
    placeholder = fields.String(metadata={"description": "What Redact puts in its place: [email], [phone] …"})


class DraftOut(ma.Schema):
    locale = fields.String()
    title = fields.String()
    body = fields.String(metadata={"description": "Markdown"})
    tags = fields.List(fields.String())
    ticket_types = fields.List(fields.String())
    source_ticket_id = fields.Integer()
    source_ticket = fields.Nested(TicketRefOut)
    comment_ids = fields.List(fields.Integer(), metadata={"description": "The comments the conversation holds"})
    title_redactions = fields.List(fields.Nested(RedactionOut))
    redactions = fields.List(fields.Nested(RedactionOut), metadata={"description": "Spans of the body to redact"})


class SimilarWhyOut(ma.Schema):
    same_type = fields.Boolean()
    category = fields.String(allow_none=True, metadata={"description": "The category both tickets have"})
    category_label = fields.String(metadata={"description": "That category as the reader reads it"})
    tags = fields.List(fields.String())
    matched_terms = fields.List(fields.String())


class SimilarArticleOut(ma.Schema):
    id = fields.Integer()
    title = fields.String()
    tags = fields.List(fields.String())


class SimilarTicketOut(ma.Schema):
    id = fields.Integer()
    number = fields.String()
    title = fields.String()
    status = fields.String()
    status_category = fields.String()
    resolved_at = Timestamp(allow_none=True)
    score = fields.Float()
    why = fields.Nested(SimilarWhyOut)
    articles = fields.List(fields.Nested(SimilarArticleOut),
                           metadata={"description": "Published articles linked to it or written from it"})


class SimilarTicketList(ma.Schema):
    items = fields.List(fields.Nested(SimilarTicketOut))
