"""Markdown to safe HTML, on the server: markdown-it (CommonMark, tables and strikethrough; raw HTML in the
source is escaped, never passed through) and then nh3 (the ammonia sanitiser) with an allow-list, so nothing
executable survives even if a rendering rule let something through. The plain text feeds search."""

from __future__ import annotations

import html
import re

import nh3
from markdown_it import MarkdownIt

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(
    ["table", "strikethrough"])

ALLOWED_TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img",
    "kbd", "li", "ol", "p", "pre", "s", "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
})
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "th": {"align"},
    "td": {"align"},
    "ol": {"start"},
}
# Links and images: web and mail links, and same-site paths (attachments are served under /api/v1/...).
URL_SCHEMES = frozenset({"http", "https", "mailto"})


def _allowed_url(tag: str, attribute: str, value: str) -> str | None:
    if attribute in ("href", "src"):
        stripped = value.strip()
        if stripped.startswith("//"):
            return None  # protocol-relative: another site, unannounced
        if tag == "img" and not (stripped.startswith("/") or stripped.lower().startswith("https://")):
            return None  # images only from here or over HTTPS (the CSP decides the rest)
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
