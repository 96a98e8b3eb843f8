"""Full-text search over articles, on SQLite (FTS5, bm25) and PostgreSQL (tsvector, ts_rank), with the same
terms on both (runtime.knowledge.terms).

A query first asks for articles with every term; if that finds nothing (search) or fewer than five
(suggestions), articles with all terms but one, then fewer, down to any term, fill the rest, ranked below them.
So a precise query stays precise, and a loosely worded one ("打印机连不上", "my printer won't print anything")
still finds the article that shares most of its words.
"""

from __future__ import annotations

from itertools import combinations
from math import comb
from typing import Any

from sqlalchemy import Select, String, Text, cast, column, func, literal, literal_column, select, table, text, update
from sqlalchemy.dialects.postgresql import TSQUERY
from sqlalchemy.orm import Session

from runtime.knowledge.models import KnowledgeArticle
from runtime.knowledge.terms import Query

# PostgreSQL: title (A) > tags (B) > body (D); both the english (stemmed) and the simple configuration.
_PG_VECTOR = text(
    "setweight(to_tsvector('english', search_title) || to_tsvector('simple', search_title), 'A') || "
    "setweight(to_tsvector('english', search_tags) || to_tsvector('simple', search_tags), 'B') || "
    "setweight(to_tsvector('english', search_body) || to_tsvector('simple', search_body), 'D')")

_FTS = table("knowledge_fts", column("rowid"), column("rank"))  # SQLite (made by the migration)
CANDIDATES = 200
# PostgreSQL ranks at most this many matches per phase: a phase whose terms are common words (打印 is in 40% of
# the bench's 100,000 articles) would otherwise read and rank a large share of the table.
PG_CANDIDATES = 1000
# "At least k of the terms" counts only the first PAIR_TERMS terms, as an OR of every k of them (ANDed); a
# phase that would need more than MAX_COMBINATIONS such groups is skipped (the next, smaller k runs instead).
PAIR_TERMS = 8
MAX_COMBINATIONS = 30


def refresh_vectors(session: Session, article_ids: list[int] | None = None) -> None:
    """PostgreSQL: compute ``search_vector`` from the search columns (SQLite's triggers need nothing)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    stmt = update(KnowledgeArticle).values(search_vector=_PG_VECTOR)
    if article_ids is not None:
        stmt = stmt.where(KnowledgeArticle.id.in_(article_ids))
    session.execute(stmt.execution_options(synchronize_session=False))


def _groups(parts: list[str], need: int) -> list[tuple[str, ...]]:
    """"At least ``need`` terms" as groups to OR (each group ANDed): every term for all of them (``need`` is their
    number), each term alone for any one, else every ``need`` of the first PAIR_TERMS."""
    if need >= len(parts):
        return [tuple(parts)]
    if need <= 1:
        return [(part,) for part in parts]
    return list(combinations(parts[:PAIR_TERMS], need))


def phases(count: int) -> list[int]:
    """How many of ``count`` terms each phase asks for, best first: all of them, then fewer, down to any one."""
    head = min(count, PAIR_TERMS)
    fewer = [need for need in range(min(count - 1, head), 1, -1) if comb(head, need) <= MAX_COMBINATIONS]
    return ([count] if count else []) + fewer + ([1] if count > 1 else [])


def _expression(parts: list[str], need: int, and_: str, or_: str) -> str:
    return or_.join("(" + and_.join(group) + ")" for group in _groups(parts, need))


def _sqlite_parts(query: Query) -> list[str]:
    # Terms are word characters only (terms.tokens), so quoting them cannot break out of the expression.
    return [f'"{term}"' for term in query.terms] + [f'"{prefix}"*' for prefix in query.prefixes]


def _pg_parts(session: Session, query: Query) -> list[str]:
    """Each term as PostgreSQL's tsquery text (``'keep' | 'keeps'``: english-stemmed or as written), asked once
    per search; the phases then combine these texts. A term the database finds no word in is left out."""
    english, simple = text("'english'::regconfig"), text("'simple'::regconfig")
    parts = [func.plainto_tsquery(english, term).op("||")(func.plainto_tsquery(simple, term)) for term in query.terms]
    parts += [func.to_tsquery(simple, f"{prefix}:*") for prefix in query.prefixes]
    row = session.execute(select(*[cast(part, Text) for part in parts])).one()
    return [f"( {part} )" for part in row if part]


def _pg_tsquery(expression: str) -> Any:
    # Written into the statement (literal_execute: SQLAlchemy still caches the compiled form), not sent as a
    # parameter: psycopg prepares a statement it has run five times, and PostgreSQL may then plan it once for any
    # terms, guessing how many articles match; a common word's phase planned as if rare walks the GIN index over
    # tens of thousands of matches (23 ms instead of 5). The text is the database's own tsquery output.
    return cast(literal(expression, String(), literal_execute=True), TSQUERY)


def _ranked(session: Session, parts: list[str], where: Any, need: int, limit: int,
            exclude: list[int]) -> list[tuple[int, float]]:
    if session.get_bind().dialect.name == "postgresql":
        tsquery = _pg_tsquery(_expression(parts, need, " & ", " | "))
        matches: Select[Any] = select(KnowledgeArticle.id, KnowledgeArticle.search_vector).where(
            KnowledgeArticle.search_vector.op("@@")(tsquery), where)
        if exclude:
            matches = matches.where(KnowledgeArticle.id.not_in(exclude))
        # The first PG_CANDIDATES matches by id: a phase of common words is then read along the primary key until
        # that many match (a few thousand rows), a phase of rare ones from the GIN index (the planner chooses).
        inner = matches.order_by(KnowledgeArticle.id).limit(PG_CANDIDATES).subquery()
        # All the terms: ranked by that query (ts_rank weighs how close they stand); fewer: by every term, so
        # that among the articles with three of four terms those with more of them, or in the title, come first.
        ranking = tsquery if need >= len(parts) else _pg_tsquery(_expression(parts, 1, " & ", " | "))
        score = func.ts_rank(inner.c.search_vector, ranking)
        stmt: Select[Any] = select(inner.c.id, score.label("score")).order_by(literal_column("score").desc(),
                                                                              inner.c.id.desc())
        return [(row[0], float(row[1])) for row in session.execute(stmt.limit(limit))]
    # SQLite: FTS5 ranks the matches itself (bm25, title x10, tags x5), and only its best CANDIDATES are joined
    # with the article table and filtered; if the filters leave too few, everything is asked again.
    for cap in (CANDIDATES, None):
        candidates = (select(_FTS.c.rowid.label("id"), _FTS.c.rank.label("rank"))
                      .where(literal_column("knowledge_fts").op("MATCH")(_expression(parts, need, " AND ", " OR ")),
                             _FTS.c.rank.op("MATCH")(text("'bm25(10.0, 1.0, 5.0)'")))
                      .order_by(_FTS.c.rank))
        if cap is not None:
            candidates = candidates.limit(cap)
        inner = candidates.subquery()
        stmt = (select(KnowledgeArticle.id, (-inner.c.rank).label("score"))
                .join(inner, KnowledgeArticle.id == inner.c.id).where(where))
        if exclude:
            stmt = stmt.where(KnowledgeArticle.id.not_in(exclude))
        rows = [(row[0], float(row[1])) for row in session.execute(
            stmt.order_by(inner.c.rank, KnowledgeArticle.id.desc()).limit(limit))]
        if len(rows) >= limit or cap is None:
            return rows
        if len(session.execute(candidates).all()) < cap:
            return rows  # every match was a candidate: there is no more
    return rows


def search(session: Session, query: Query, where: Any, *, limit: int, fill: int = 1) -> list[tuple[int, float]]:
    """The best ``limit`` article ids and scores (higher is better) for ``query`` among the articles ``where``
    selects: those with every term first; while they are fewer than ``fill``, those with one term fewer after
    them, and so on down to any term (``phases``). Search fills only when nothing has every term (a precise
    answer is not diluted, and the looser queries, the costly ones, run only then); suggestions fill up to five.
    Each phase is one indexed query: a loose query whose article has most of its words ("打印机脱机") finds it in
    the first phase that asks for that many, among few look-alikes."""
    if query.empty:
        return []
    parts = _pg_parts(session, query) if session.get_bind().dialect.name == "postgresql" else _sqlite_parts(query)
    found: list[tuple[int, float]] = []
    for need in phases(len(parts)):
        found += _ranked(session, parts, where, need, limit - len(found), [article_id for article_id, _ in found])
        if len(found) >= min(limit, fill):
            break
    return found
