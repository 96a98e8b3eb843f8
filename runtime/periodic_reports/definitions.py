"""The three periodic reports, each a few aggregated SELECTs over the tickets the viewer may see (the metrics
layer's queries where they fit); docs/reports.md defines every figure.

A report is a list of tables, each ``{"key", "title", "columns": [{"key", "title", "unit"}], "rows"}``, so the
API, the CSV, the e-mail and the page draw any of them the same way. Units: text, count, share (0..1), seconds,
link (a path of the application), key (the stored value a text column labels, for programs: only the CSV and the
API carry it, the e-mail and the page leave it out).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import case, func, null, or_, select
from sqlalchemy.orm import Session

from platform_core.auth.models import Team, User
from runtime.periodic_reports import periods
from runtime.periodic_reports.texts import say, word
from runtime.reports import buckets, metrics
from runtime.rules.cache import compiled_for, labels_for
from runtime.rules.labels import options_of
from runtime.tickets.models import OPEN_CATEGORIES, Ticket, TicketTypeVersion

# The fields a type's root cause may be in, when its definition's knowledge.article.root_cause does not say.
ROOT_CAUSE_FIELDS = ("root_cause", "root_cause_category", "root_cause_tag")
TOP = 5
TREND_MONTHS = 3


@dataclass(frozen=True)
class Report:
    key: str
    period: str  # month or week
    build: Callable[[Session, User, periods.Period, datetime, str], list[dict[str, Any]]]


def _column(key: str, unit: str, locale: str, title: str | None = None) -> dict[str, str]:
    return {"key": key, "title": title or word(f"col.{key}", locale, key), "unit": unit}


def _table(key: str, locale: str, columns: list[dict[str, str]], rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {"key": key, "title": word(f"table.{key}", locale, key), "columns": columns, "rows": rows}


def _query(period: periods.Period, now: datetime, by: str | None = None, start: datetime | None = None,
           locale: str = "en", **filters: Any) -> metrics.MetricQuery:
    return metrics.MetricQuery(start=start or period.start, end=period.end, now=now, tz=period.tz, by=by,
                               filters=filters, locale=locale)


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


# --------------------------------------------------------------------------- root causes


def cause_fields(session: Session, locale: str) -> tuple[dict[int, str], dict[str, str]]:
    """Per definition version, the field that holds its root cause, and what a reader of ``locale`` calls the
    values the fields declare (their options' labels, as runtime.rules.labels reads them: ``oneOf`` const/title or
    ``enum`` with ``ui:enumNames``, translated by the definition's ``i18n``; a newer version's label first).
    Definitions are a few rows, read from the cache."""
    fields_of: dict[int, str] = {}
    labels: dict[str, str] = {}
    for version in session.scalars(select(TicketTypeVersion).order_by(TicketTypeVersion.id.desc())):
        document = compiled_for(version).document
        schemas: dict[str, Any] = dict(((document.get("form") or {}).get("schema") or {}).get("properties") or {})
        for transition in (document.get("workflow") or {}).get("transitions") or []:
            if isinstance(transition, dict):
                schemas.update({k: v for k, v in (transition.get("fields") or {}).items() if k not in schemas})
        pointer = ((document.get("knowledge") or {}).get("article") or {}).get("root_cause")
        name = pointer[1:] if isinstance(pointer, str) and pointer.startswith("/") else None
        if name is None:
            name = next((f for f in ROOT_CAUSE_FIELDS if f in schemas), None)
        if name is None:
            continue
        fields_of[version.id] = name
        reader = labels_for(version, locale)
        spec, ui = reader.fields.get(name) or {}, reader.ui.get(name)
        options = options_of(spec, ui)
        if options is None and isinstance(spec, dict):  # a list of causes: its items' options
            options = options_of(spec.get("items"), ui.get("items") if isinstance(ui, dict) else None)
        for value, label in options or []:
            labels.setdefault(str(value), label)
    return fields_of, labels


def _cause_expr(fields_of: dict[int, str]) -> Any:
    by_field: dict[str, list[int]] = {}
    for version_id, name in fields_of.items():
        by_field.setdefault(name, []).append(version_id)
    if not by_field:
        return null()
    return case(*[(Ticket.type_version_id.in_(ids), Ticket.data[name].as_string()) for name, ids in by_field.items()],
                else_=null())


def root_causes(session: Session, user: User, period: periods.Period, now: datetime, locale: str) -> list[dict]:
    months = [period]
    for _ in range(TREND_MONTHS):
        months.append(months[-1].previous())
    start = months[-1].start
    ctx = metrics.Context(session, user, _query(period, now, start=start), metrics.METRICS["resolution_time"])
    fields_of, labels = cause_fields(session, locale)
    cause = _cause_expr(fields_of)
    month = buckets.bucket_expr(ctx.dialect, Ticket.resolved_at, "month", period.tz, start, period.end)
    stmt = (select(month.label("month"), cause.label("cause"), func.count().label("n"))
            .where(Ticket.resolved_at.isnot(None), Ticket.status_category.in_(metrics.DONE_CATEGORIES),
                   ctx.in_range(Ticket.resolved_at), *ctx.ticket_where())
            .group_by(month, cause))
    counts: dict[str, dict[str, int]] = {m.key: {} for m in months}
    totals: dict[str, int] = {m.key: 0 for m in months}
    for row in session.execute(stmt):
        key = buckets.to_local(row.month, period.tz).strftime("%Y-%m")
        if key not in totals:
            continue
        totals[key] += row.n
        if row.cause not in (None, ""):
            counts[key][str(row.cause)] = counts[key].get(str(row.cause), 0) + row.n
    current = counts[period.key]
    top = sorted(current.items(), key=lambda item: (-item[1], item[0]))[:TOP]
    with_cause = sum(current.values())
    summary = _table("summary", locale, [_column("resolved", "count", locale), _column("with_cause", "count", locale),
                                         _column("without_cause", "count", locale)],
                     [{"resolved": totals[period.key], "with_cause": with_cause,
                       "without_cause": totals[period.key] - with_cause}])
    columns = [_column("rank", "count", locale), _column("cause", "text", locale), _column("count", "count", locale),
               _column("share", "share", locale)]
    for i, previous in enumerate(months[1:], start=1):
        columns += [_column(f"prev_{i}_count", "count", locale, say("col.prev_count", locale, month=previous.key)),
                    _column(f"prev_{i}_share", "share", locale, say("col.prev_share", locale, month=previous.key))]
    columns += [_column("change", "share", locale, say("col.change", locale, month=months[1].key)),
                _column("tickets_url", "link", locale), _column("articles_url", "link", locale),
                _column("value", "key", locale)]
    rows = []
    for rank, (value, count) in enumerate(top, start=1):
        share = _share(count, totals[period.key])
        row: dict[str, Any] = {"rank": rank, "value": value,
                               "cause": labels.get(value) or value,
                               "count": count, "share": share}
        for i, previous in enumerate(months[1:], start=1):
            before = counts[previous.key].get(value, 0)
            row[f"prev_{i}_count"] = before
            row[f"prev_{i}_share"] = _share(before, totals[previous.key])
        prev_share = row["prev_1_share"]
        row["change"] = None if share is None or prev_share is None else round(share - prev_share, 4)
        row["tickets_url"] = "/workspace?" + urlencode({
            "queue": "all", "q": value, "status_category": "resolved",
            "created_before": period.end.date().isoformat()})
        row["articles_url"] = "/knowledge?" + urlencode({"tag": value})
        rows.append(row)
    return [summary, _table("top", locale, columns, rows)]


# --------------------------------------------------------------------------- SLA review


def _compliance_rows(result: dict[str, Any], label_of: Callable[[dict[str, Any]], str], locale: str) -> list[dict]:
    """sla_compliance rows (one per clock and group) summed over the clocks, per group."""
    merged: dict[Any, dict[str, Any]] = {}
    for row in result["rows"]:
        key = row.get("group")
        item = merged.setdefault(key, {"group": label_of(row), "value": key, "clocks": 0, "met": 0, "breached": 0,
                                       "running": 0})
        for name in ("clocks", "met", "breached", "running"):
            item[name] += row.get(name) or 0
    out = []
    for item in merged.values():
        item["compliance"] = _share(item["met"], item["met"] + item["breached"])
        out.append(item)
    out.sort(key=lambda r: (-r["breached"], str(r["group"])))
    return out


def _compliance_columns(locale: str, group: str) -> list[dict[str, str]]:
    return [_column("group", "text", locale, word(f"col.{group}", locale, group)), _column("clocks", "count", locale),
            _column("met", "count", locale), _column("breached", "count", locale), _column("running", "count", locale),
            _column("compliance", "share", locale), _column("value", "key", locale)]


def sla_review(session: Session, user: User, period: periods.Period, now: datetime, locale: str) -> list[dict]:
    none = word("none", locale)
    by_clock = metrics.compute(session, user, "sla_compliance", _query(period, now))
    clock_rows = [{"group": word(f"clock.{r['clock']}", locale, r["clock"]), "clock": r["clock"], "value": r["clock"],
                   **{k: r[k] for k in ("clocks", "met", "breached", "running", "compliance")}}
                  for r in by_clock["rows"]]
    tables = [_table("by_clock", locale, _compliance_columns(locale, "clock"), clock_rows)]
    for by, key in (("priority", "by_priority"), ("team", "by_team"), ("status", "by_state")):
        result = metrics.compute(session, user, "sla_compliance", _query(period, now, by=by, locale=locale))
        rows = _compliance_rows(result, lambda r: r.get("label") or none, locale)
        tables.append(_table(key, locale, _compliance_columns(locale, "state" if by == "status" else by), rows))
    stays = metrics.compute(session, user, "time_in_state", _query(period, now, locale=locale))
    tables.append(_table("time_in_state", locale, [
        _column("state", "text", locale), _column("stays", "count", locale), _column("p50", "seconds", locale),
        _column("p90", "seconds", locale), _column("value", "key", locale)],
        [{"state": r["state_label"], "stays": r["count"], "p50": r["p50"], "p90": r["p90"], "value": r["state"]}
         for r in stays["rows"]]))
    return tables


# --------------------------------------------------------------------------- team summary


def _backlog_at_end(session: Session, user: User, period: periods.Period, now: datetime) -> dict[Any, int]:
    """Per team: tickets created before the end that were not done at the end (open now, or resolved after)."""
    ctx = metrics.Context(session, user, _query(period, now), metrics.METRICS["volume"])
    end = ctx.instant(period.end)
    stmt = (select(Ticket.team_id, func.count()).where(
        Ticket.created_at < end,
        or_(Ticket.status_category.in_(OPEN_CATEGORIES), Ticket.resolved_at >= end), *ctx.ticket_where())
        .group_by(Ticket.team_id))
    return {team_id: n for team_id, n in session.execute(stmt)}


def team_summary(session: Session, user: User, period: periods.Period, now: datetime, locale: str) -> list[dict]:
    teams: dict[Any, dict[str, Any]] = {}

    def team(group: Any) -> dict[str, Any]:
        key = None if group is None else int(group)
        return teams.setdefault(key, {"team_id": key, "created": 0, "resolved": 0, "backlog": 0,
                                      "first_response_p50": None, "resolution_p50": None, "sla_compliance": None})

    for row in metrics.compute(session, user, "created_vs_resolved", _query(period, now, by="team"))["rows"]:
        item = team(row["group"])
        item["created"], item["resolved"] = row["created"] or 0, row["resolved"] or 0
    for team_id, n in _backlog_at_end(session, user, period, now).items():
        team(team_id)["backlog"] = n
    for key, name in (("first_response_time", "first_response_p50"), ("resolution_time", "resolution_p50")):
        for row in metrics.compute(session, user, key, _query(period, now, by="team"))["rows"]:
            team(row["group"])[name] = row["p50"]
    sla = metrics.compute(session, user, "sla_compliance", _query(period, now, by="team"))
    for merged in _compliance_rows(sla, lambda r: r.get("group"), locale):
        team(merged["group"])["sla_compliance"] = merged["compliance"]
    ids = [k for k in teams if k is not None]
    names = {t.id: t.name for t in session.scalars(select(Team).where(Team.id.in_(ids)))} if ids else {}
    rows = []
    for key, item in teams.items():
        rows.append({"team": names.get(key, word("none", locale)) if key is not None else word("none", locale),
                     **item})
    rows.sort(key=lambda r: (r["team_id"] is None, str(r["team"])))
    return [_table("teams", locale, [
        _column("team", "text", locale), _column("created", "count", locale), _column("resolved", "count", locale),
        _column("backlog", "count", locale), _column("first_response_p50", "seconds", locale),
        _column("resolution_p50", "seconds", locale), _column("sla_compliance", "share", locale)], rows)]


REPORTS: dict[str, Report] = {r.key: r for r in (
    Report("root_causes", "month", root_causes),
    Report("sla_review", "month", sla_review),
    Report("team_summary", "week", team_summary),
)}


def run(session: Session, user: User, key: str, period: periods.Period, now: datetime, locale: str) -> dict[str, Any]:
    report = REPORTS[key]
    return {"report": key, "title": word(f"report.{key}", locale, key), "period_kind": report.period,
            "period": period.key, "tz": period.tz.key, "from_": period.start.isoformat(), "to": period.end.isoformat(),
            "at": now.isoformat(), "tables": report.build(session, user, period, now, locale)}
