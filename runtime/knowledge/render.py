"""Markdown to safe HTML, on the server: markdown-it (CommonMark, tables and strikethrough; raw HTML in the
source is escaped, never passed through) and then nh3 (the ammonia sanitiser) with an allow-list, so nothing
executable survives even if a rendering rule let something through. Images only from this knowledge base's own
article images (``IMAGE_PATH``): an image from anywhere else would tell that site who reads the article, and when.
The plain text feeds search."""

from __future__ import annotations

import html
import re

import nh3
from markdown_it import MarkdownIt

BODY_MAX = 200_000  # characters of Markdown in one language's body (an article's, or a preview's)

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(
    ["table", "strikethrough"])

ALLOWED_TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img",
    "kbd", "li", "ol", "p", "pre", "s", "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
})
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt"},
    "th": {"align"},
    "td": {"align"},
    "ol": {"start"},
}
# Links: web and mail links, and same-site paths.
URL_SCHEMES = frozenset({"http", "https", "mailto"})
# Images: an article image of this site (runtime.knowledge.images serves them, to those who may read the article),
# as the relative path the upload returns; nothing else, not even another path here.
IMAGE_PATH = re.compile(r"/api/v1/knowledge/articles/[0-9]{1,18}/images/att_[A-Za-z0-9_-]{1,40}")


def _allowed_url(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img":  # src (ours only) and alt; not even the generic title and lang nh3 allows everywhere
        if attribute == "src":
            return value if IMAGE_PATH.fullmatch(value) else None
        return value if attribute == "alt" else None
    if attribute == "href" and value.strip().startswith("//"):
        return None  # protocol-relative: another site, unannounced
    return value


def sanitise(fragment: str) -> str:
    """An HTML fragment with only the allowed tags, attributes and URL schemes; links get rel=noopener."""
    return nh3.clean(fragment, tags=set(ALLOWED_TAGS), attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
                     url_schemes=set(URL_SCHEMES), link_rel="noopener noreferrer nofollow",
                     attribute_filter=_allowed_url, strip_comments=True)


def to_html(markdown: str) -> str:
    return sanitise(_markdown.render(markdown or ""))


_TAG = re.compile(r"<[^>]+>")


def to_text(safe_html: str) -> str:
    """The words of rendered HTML, for search and snippets."""
    return " ".join(html.unescape(_TAG.sub(" ", safe_html)).split())
