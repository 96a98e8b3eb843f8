"""Full-text search over articles, on SQLite (FTS5, bm25) and PostgreSQL (tsvector, ts_rank), with the same
terms on both (runtime.knowledge.terms).

A query first asks for articles with every term; if that finds nothing (search) or fewer than five
(suggestions), articles with at least two of its terms, then with any term, fill the rest, ranked below them.
So a precise query stays precise, and a loosely worded one ("打印机连不上", "my printer won't print anything")
still finds the article that shares most of its words.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, column, func, literal_column, select, table, text, update
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
PG_OR_CANDIDATES = 5000
PAIR_TERMS = 8


def refresh_vectors(session: Session, article_ids: list[int] | None = None) -> None:
    """PostgreSQL: compute ``search_vector`` from the search columns (SQLite's triggers need nothing)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    stmt = update(KnowledgeArticle).values(search_vector=_PG_VECTOR)
    if article_ids is not None:
        stmt = stmt.where(KnowledgeArticle.id.in_(article_ids))
    session.execute(stmt.execution_options(synchronize_session=False))


def _pairs(parts: list[Any]) -> list[tuple[Any, Any]]:
    """Every two of the first PAIR_TERMS parts: "at least two terms" as an OR of ANDs."""
    head = parts[:PAIR_TERMS]
    return [(head[i], head[j]) for i in range(len(head)) for j in range(i + 1, len(head))]


def _sqlite_match(query: Query, mode: str) -> str:
    # Terms are word characters only (terms.tokens), so quoting them cannot break out of the expression.
    parts = [f'"{term}"' for term in query.terms] + [f'"{prefix}"*' for prefix in query.prefixes]
    if mode == "PAIRS":
        return " OR ".join(f"({a} AND {b})" for a, b in _pairs(parts))
    return f" {mode} ".join(parts)


def _pg_query(query: Query, mode: str) -> Any:
    english, simple = text("'english'::regconfig"), text("'simple'::regconfig")
    parts = [func.plainto_tsquery(english, term).op("||")(func.plainto_tsquery(simple, term)) for term in query.terms]
    parts += [func.to_tsquery(simple, f"{prefix}:*") for prefix in query.prefixes]
    if mode == "PAIRS":
        parts = [a.op("&&")(b) for a, b in _pairs(parts)]
    combined = parts[0]
    for part in parts[1:]:
        combined = combined.op("&&" if mode == "AND" else "||")(part)
    return combined


def _ranked(session: Session, query: Query, where: Any, mode: str, limit: int,
            exclude: list[int]) -> list[tuple[int, float]]:
    if session.get_bind().dialect.name == "postgresql":
        tsquery = _pg_query(query, mode)
        matches: Select[Any] = select(KnowledgeArticle.id, KnowledgeArticle.search_vector).where(
            KnowledgeArticle.search_vector.op("@@")(tsquery), where)
        if exclude:
            matches = matches.where(KnowledgeArticle.id.not_in(exclude))
        if mode != "AND":
            # Any-term (or any-two-terms) matches of common words can be a large share of the table: rank at most this many.
            matches = matches.limit(PG_OR_CANDIDATES)
        inner = matches.subquery()
        score = func.ts_rank(inner.c.search_vector, tsquery)
        stmt: Select[Any] = select(inner.c.id, score.label("score")).order_by(literal_column("score").desc(),
                                                                              inner.c.id.desc())
        return [(row[0], float(row[1])) for row in session.execute(stmt.limit(limit))]
    # SQLite: FTS5 ranks the matches itself (bm25, title x10, tags x5), and only its best CANDIDATES are joined
    # with the article table and filtered; if the filters leave too few, everything is asked again.
    for cap in (CANDIDATES, None):
        candidates = (select(_FTS.c.rowid.label("id"), _FTS.c.rank.label("rank"))
                      .where(literal_column("knowledge_fts").op("MATCH")(_sqlite_match(query, mode)),
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
    selects: those with every term first; if they are fewer than ``fill``, those with any term after them.
    Search fills only when nothing has every term (a precise answer is not diluted, and the any-term query, the
    costly one, runs only then); suggestions fill up to five."""
    if query.empty:
        return []
    found = _ranked(session, query, where, "AND", limit, [])
    count = len(query.terms) + len(query.prefixes)
    for mode in ("PAIRS", "OR") if count > 2 else ("OR",) if count == 2 else ():
        if len(found) >= min(limit, fill):
            break
        found += _ranked(session, query, where, mode, limit - len(found), [article_id for article_id, _ in found])
    return found
