"""How text becomes search terms, the same way on both databases: Latin words as written (lower-cased) and runs
of Chinese, Japanese or Korean characters as overlapping character pairs (bigrams), so 打印 finds
打印机无法连接网络 without a dictionary. English stemming is the database's (PostgreSQL's ``english``
configuration, SQLite's ``porter`` tokenizer). Also the snippet with highlighted matches, made here so it reads
the same on both databases. Pure functions."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

# CJK ideographs (with extension A and compatibility), kana, Hangul syllables.
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af"
_TOKEN = re.compile(rf"[{_CJK}]+|[^\W_{_CJK}]+", re.UNICODE)
_CJK_RUN = re.compile(rf"^[{_CJK}]+$")

# Words that carry no meaning in a question ("how do I reset my password"); the index keeps them (titles are
# short), queries drop them so that an all-terms match is possible.
_STOPWORD_TEXT = """
a an and are as at be been but by can could do does did for from has have how i if in into is it its me my no
not of on or our please should so than that the their them then there these they this to was we were what when
where which who why will with would you your
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())

MAX_QUERY_TERMS = 24


def is_cjk(token: str) -> bool:
    return bool(_CJK_RUN.match(token))


def tokens(text: str) -> list[str]:
    """The words and CJK runs of ``text``, lower-cased, in order."""
    return [t.lower() for t in _TOKEN.findall(text or "")]


def bigrams(run: str) -> list[str]:
    """A CJK run as overlapping pairs; a single character stays itself."""
    if len(run) < 2:
        return [run]
    return [run[i:i + 2] for i in range(len(run) - 1)]


def index_terms(text: str) -> str:
    """What the search column holds for ``text``: words and CJK bigrams, separated by spaces."""
    out: list[str] = []
    for token in tokens(text):
        out.extend(bigrams(token) if is_cjk(token) else [token])
    return " ".join(out)


@dataclass(frozen=True)
class Query:
    """A parsed search: the terms to look for (bigrams and words), a single CJK character to match as a prefix,
    and the pieces of the text to highlight in snippets."""

    terms: tuple[str, ...]
    prefixes: tuple[str, ...]
    highlights: tuple[str, ...]

    @property
    def empty(self) -> bool:
        return not self.terms and not self.prefixes


def parse_query(text: str) -> Query:
    terms: list[str] = []
    prefixes: list[str] = []
    highlights: list[str] = []
    for token in tokens(text):
        if is_cjk(token):
            highlights.append(token)
            if len(token) == 1:
                prefixes.append(token)
            else:
                terms.extend(bigrams(token))
        elif token not in STOPWORDS and (len(token) > 1 or token.isdigit()):
            terms.append(token)
            highlights.append(token)
    unique = list(dict.fromkeys(terms))[:MAX_QUERY_TERMS]
    return Query(tuple(unique), tuple(dict.fromkeys(prefixes)), tuple(dict.fromkeys(highlights)))


def _stem(word: str) -> str:
    """A rough English stem, only to find what to highlight (the database does the real stemming)."""
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def _pattern(highlights: tuple[str, ...]) -> re.Pattern[str] | None:
    parts: list[str] = []
    for piece in highlights:
        if is_cjk(piece):
            # The whole run, else its bigrams (a query 打印机连不上 still marks 打印机 in the text).
            parts.append(re.escape(piece))
            if len(piece) > 2:
                parts.extend(re.escape(pair) for pair in bigrams(piece))
        else:
            parts.append(rf"\b{re.escape(_stem(piece))}\w*")
    if not parts:
        return None
    parts.sort(key=len, reverse=True)
    return re.compile("|".join(parts), re.IGNORECASE)


def matched_terms(text: str, query: Query) -> list[str]:
    """The distinct pieces of ``text`` that the query matches (what "why was this suggested" shows)."""
    pattern = _pattern(query.highlights)
    if pattern is None:
        return []
    return list(dict.fromkeys(m.group(0).lower() for m in pattern.finditer(text or "")))[:10]


def snippet(text: str, query: Query, *, width: int = 160) -> str:
    """HTML: an escaped extract of ``text`` around the first match, matches in ``<mark>``."""
    text = " ".join((text or "").split())
    pattern = _pattern(query.highlights)
    first = pattern.search(text) if pattern else None
    start = 0
    if first is not None and first.start() > width // 3:
        start = first.start() - width // 3
    end = min(len(text), start + width)
    piece = text[start:end]
    out: list[str] = ["…" if start > 0 else ""]
    position = 0
    for match in (pattern.finditer(piece) if pattern else ()):
        out.append(html.escape(piece[position:match.start()]))
        out.append(f"<mark>{html.escape(match.group(0))}</mark>")
        position = match.end()
    out.append(html.escape(piece[position:]))
    out.append("…" if end < len(text) else "")
    return "".join(out)
