"""The charts a definition declares, as plotly figures built on the server from one aggregating query each.

A chart's ``filter`` (JsonLogic) is translated to SQL for the operators that have an exact SQL meaning; one that
uses anything else is reported on that chart (``error``), never evaluated ticket by ticket in Python.
"""

from __future__ import annotations

import copy
import functools
import json
from typing import Any

import plotly.graph_objects as go
from sqlalchemy import Float, and_, case, cast, func, not_, or_, select
from sqlalchemy.orm import Session

from platform_core.auth.models import Team, User
from runtime.reports import texts
from runtime.reports.metrics import Context, Metric, MetricQuery
from runtime.rules.cache import compiled_for, labels_for
from runtime.rules.labels import Labels
from runtime.tickets.models import Ticket, TicketType, TicketTypeVersion


class Unsupported(Exception):
    """A part of a chart this server cannot compute in SQL."""


ATTRIBUTE_COLUMNS = {"status": Ticket.status, "status_category": Ticket.status_category, "priority": Ticket.priority,
                     "team": Team.key, "source": Ticket.source, "type": TicketType.key}
NUMERIC_ATTRIBUTES = ("age_hours", "hours_in_status")
COMPARISONS = {"==": "eq", "===": "eq", "!=": "ne", "!==": "ne", "<": "lt", "<=": "le", ">": "gt", ">=": "ge"}


class ChartQuery:
    def __init__(self, ctx: Context, fields: dict[str, Any]) -> None:
        self.ctx, self.fields = ctx, fields

    def column(self, path: str, *, numeric: bool = False, display: bool = False) -> Any:
        """``ticket.<attribute>``, ``data.<field>`` / ``ticket.data.<field>``, or a bare name: the form field
        of that name if there is one, else the ticket attribute."""
        for prefix in ("ticket.data.", "data."):
            if path.startswith(prefix):
                return self._field(path[len(prefix):], numeric, path)
        name = path[len("ticket."):] if path.startswith("ticket.") else path
        if name == path and path in self.fields:
            return self._field(path, numeric, path)
        if display and name in ("team", "assignee"):  # grouped by the names people know; filters use keys/emails
            return Team.name if name == "team" else User.name
        return self._attribute(name, numeric, path)

    def _field(self, name: str, numeric: bool, path: str) -> Any:
        if name not in self.fields:
            raise Unsupported(f"'{path}' is not a form field")
        value = Ticket.data[name]
        return cast(value.as_float(), Float) if numeric else value.as_string()

    def _attribute(self, name: str, numeric: bool, path: str) -> Any:
        if name in NUMERIC_ATTRIBUTES:
            since = Ticket.created_at if name == "age_hours" else Ticket.status_changed_at
            return self.ctx.seconds(self.ctx.instant(self.ctx.query.now), since) / 3600.0
        if name == "assignee":
            return User.email
        if name in ATTRIBUTE_COLUMNS:
            if numeric:
                raise Unsupported(f"'{path}' is not a number")
            return ATTRIBUTE_COLUMNS[name]
        raise Unsupported(f"'{path}' is not a form field or a ticket attribute charts can use")

    def condition(self, rule: Any) -> Any:
        """A JsonLogic rule as a SQL condition (the allow-listed subset with an exact SQL meaning)."""
        if rule is True:
            return True
        if not isinstance(rule, dict) or len(rule) != 1:
            raise Unsupported("the filter is not a single operation")
        operator, args = next(iter(rule.items()))
        args = args if isinstance(args, list) else [args]
        if operator in ("and", "or"):
            parts = [self.condition(a) for a in args]
            return and_(*parts) if operator == "and" else or_(*parts)
        if operator == "!":
            return not_(self.condition(args[0]))
        if operator == "in" and len(args) == 2 and isinstance(args[1], list):
            return self._operand(args[0]).in_(self._constants(args[1]))
        if operator in COMPARISONS and len(args) == 2:
            left, right = args
            if _is_var(right) and not _is_var(left):
                left, right = right, left
                operator = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}.get(operator, operator)
            if not _is_var(left) or _is_var(right):
                raise Unsupported(f"'{operator}' must compare a variable with a constant")
            numeric = isinstance(right, int | float) and not isinstance(right, bool)
            column = self._operand(left, numeric=numeric)
            if right is None:
                return column.is_(None) if COMPARISONS[operator] == "eq" else column.isnot(None)
            return getattr(column, f"__{COMPARISONS[operator]}__")(right)
        raise Unsupported(f"the operator '{operator}'")

    def _operand(self, value: Any, *, numeric: bool = False) -> Any:
        if not _is_var(value):
            raise Unsupported("an operand that is not a variable")
        name = value["var"] if isinstance(value["var"], str) else (value["var"] or [None])[0]
        if not isinstance(name, str):
            raise Unsupported("a computed variable name")
        return self.column(name, numeric=numeric)

    @staticmethod
    def _constants(values: list[Any]) -> list[Any]:
        if any(isinstance(v, dict | list) for v in values):
            raise Unsupported("a list that is not constants")
        return values


def _is_var(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == {"var"}


def _measure(query: ChartQuery, measure: dict[str, Any]) -> tuple[str, Any]:
    """(aggregate, the value's expression, None for a count of tickets) of one measure."""
    aggregate = measure.get("agg", "count")
    if aggregate == "count" and not measure.get("field"):
        return aggregate, None
    return aggregate, query.column(measure["field"], numeric=aggregate != "count")


def _rows(session: Session, ctx: Context, query: ChartQuery, chart: dict[str, Any], type_id: int) -> list[tuple]:
    dimensions = [query.column(d, display=True).label(f"d{i}") for i, d in enumerate(chart.get("dimensions") or [])]
    measures = [_measure(query, m) for m in chart["measures"]]
    where = [Ticket.ticket_type_id == type_id, *ctx.ticket_where()]
    if chart.get("filter") not in (None, True):
        where.append(query.condition(chart["filter"]))
    values = [(value if value is not None else Ticket.id).label(f"v{i}") for i, (_, value) in enumerate(measures)]
    window = {"partition_by": dimensions and [d.element for d in dimensions]} if dimensions else {}
    ranks = []
    for i, (aggregate, value) in enumerate(measures):
        if aggregate in ("p50", "p90"):
            ranks.append(func.row_number().over(order_by=value, **window).label(f"r{i}"))
    base = (select(*dimensions, *values, *ranks, func.count().over(**window).label("n"))
            .select_from(Ticket).outerjoin(Team, Team.id == Ticket.team_id)
            .outerjoin(User, User.id == Ticket.assignee_id).join(TicketType, TicketType.id == Ticket.ticket_type_id)
            .where(*where)).subquery()
    keys = [base.c[f"d{i}"] for i in range(len(dimensions))]
    outs = []
    for i, (aggregate, value) in enumerate(measures):
        v = base.c[f"v{i}"]
        if aggregate == "count":
            outs.append(func.count(v) if value is not None else func.count())
        elif aggregate in ("sum", "avg", "min", "max"):
            outs.append(getattr(func, aggregate)(v))
        else:
            rank, n = base.c[f"r{i}"], base.c.n
            outs.append(func.min(case(((2 if aggregate == "p50" else 10) * rank >= (1 if aggregate == "p50" else 9) * n, v))))
    stmt = select(*keys, *outs).group_by(*keys).order_by(*keys)
    return [tuple(row) for row in session.execute(stmt)]


def _title(item: dict[str, Any], key: str, locale: str) -> str:
    """A chart's title or a measure's label as a reader of `locale` reads it: the translation, else as authored."""
    translated = ((item.get("i18n") or {}).get(locale) or {}).get(key)
    return translated or str(item.get(key) or "")


def _field_name(path: str, fields: dict[str, Any]) -> str | None:
    """The form field a dimension names, if it names one."""
    for prefix in ("ticket.data.", "data."):
        if path.startswith(prefix):
            return path[len(prefix):]
    return path if not path.startswith("ticket.") and path in fields else None


def _dimension_title(path: str, fields: dict[str, Any], labels: Labels) -> str:
    field = _field_name(path, fields)
    return labels.field_title(field) if field else texts.attribute(path.split(".")[-1], labels.locale)


def _dimension_value(path: str, value: Any, fields: dict[str, Any], labels: Labels) -> str:
    """A grouped value as the reader reads it: option labels of enum fields, state names."""
    if value is None:
        return texts.word("none", labels.locale)
    field = _field_name(path, fields)
    if field:
        return labels.value(field, value)
    if path.split(".")[-1] == "status":
        return labels.state(value)
    return str(value)


def plain(value: Any) -> Any:
    """A figure's number: ints stay ints, others rounded to two places."""
    if value is None:
        return None
    if isinstance(value, int | str):
        return value
    number = round(float(value), 2)
    return int(number) if number.is_integer() else number


def figure(chart: dict[str, Any], rows: list[tuple], fields: dict[str, Any], labels: Labels) -> dict[str, Any]:
    locale = labels.locale
    dims = chart.get("dimensions") or []
    measure_labels = [_title(m, "label", locale) or texts.measure(m, locale) for m in chart["measures"]]
    title = _title(chart, "title", locale)
    kind = chart["type"]
    nd = len(dims)

    def label(v: Any, position: int = 0) -> str:
        return _dimension_value(dims[position], v, fields, labels) if position < nd else str(v)

    fig = new_figure()
    if kind == "table":
        header = [_dimension_title(d, fields, labels) for d in dims] + measure_labels
        columns = [[label(r[i], i) for r in rows] for i in range(nd)] + [[plain(r[nd + j]) for r in rows]
                                                                       for j in range(len(measure_labels))]
        fig.add_trace(go.Table(header={"values": header}, cells={"values": columns}))
    elif kind == "number":
        total = plain(rows[0][nd]) if rows and nd == 0 else sum((plain(r[nd]) or 0) for r in rows)
        fig.add_trace(go.Indicator(mode="number", value=total or 0, title={"text": measure_labels[0]}))
    elif kind == "pie":
        fig.add_trace(go.Pie(labels=[label(r[0]) if nd else measure_labels[0] for r in rows],
                             values=[plain(r[nd]) for r in rows], sort=False))
    else:
        trace = go.Bar if kind == "bar" else go.Scatter
        extra: dict[str, Any] = {} if kind == "bar" else {"mode": "lines+markers"}
        if kind == "area":
            extra["fill"] = "tozeroy"
        if nd >= 2:  # one trace per value of the second dimension, of the first measure
            for second in sorted({r[1] for r in rows}, key=lambda v: (v is None, str(v))):
                part = [r for r in rows if r[1] == second]
                fig.add_trace(trace(name=label(second, 1), x=[label(r[0]) for r in part],
                                    y=[plain(r[nd]) for r in part], **extra))
        else:
            for j, name in enumerate(measure_labels):
                fig.add_trace(trace(name=name, x=[label(r[0]) if nd else "" for r in rows],
                                    y=[plain(r[nd + j]) for r in rows], **extra))
        fig.update_layout(barmode="group", xaxis={"title": {"text": _dimension_title(dims[0], fields, labels)} if dims else {},
                                                   "type": "category"},
                          yaxis={"title": {"text": measure_labels[0] if len(measure_labels) == 1 else ""}, "rangemode": "tozero"})
    return finish(fig, title, legend=kind == "pie" or len(fig.data) > 1)


def new_figure() -> go.Figure:
    """An empty figure without plotly's default template: plotly deep-copies and validates a template's every
    property on each figure (about 70 ms), so ``finish`` adds the house template's JSON, built once, instead."""
    return go.Figure(layout={"template": {}})


@functools.cache
def _house_template() -> dict[str, Any]:
    return json.loads(go.Figure(layout={"template": "plotly_white"}).to_json())["layout"]["template"]


def _whole_ticks(fig: go.Figure) -> None:
    """Counts are whole numbers: when every plotted value of the bars and lines is an integer, the y axis shows no
    0.5 steps (plotly picks them for small ranges: 0, 0.5, 1, 1.5 tickets)."""
    values = [v for trace in fig.data if trace.type in ("bar", "scatter") for v in (trace.y or ()) if v is not None]
    if not values or not all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return
    fig.update_yaxes(tickformat=",d", **({"dtick": 1} if max(values) <= 5 else {}))


def finish(fig: go.Figure, title: str, *, legend: bool) -> dict[str, Any]:
    """The house look of every server-built figure (charts of definitions, dashboard tiles), as plotly JSON."""
    fig.update_layout(title={"text": title}, margin={"l": 48, "r": 16, "t": 48, "b": 48},
                      showlegend=legend, legend={"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"},
                      font={"family": "-apple-system, 'Segoe UI', 'PingFang SC', 'Microsoft YaHei', sans-serif"})
    _whole_ticks(fig)
    out = json.loads(fig.to_json())
    out["layout"]["template"] = copy.deepcopy(_house_template())  # plain JSON: copying it is cheap
    return out


def type_charts(session: Session, user: User, ticket_type: TicketType, locale: str, now: Any) -> list[dict[str, Any]]:
    """Every chart the type's latest definition declares, each with its figure or an error sentence."""
    if ticket_type.latest_version is None:
        return []
    version = session.scalar(select(TicketTypeVersion).where(TicketTypeVersion.ticket_type_id == ticket_type.id,
                                                             TicketTypeVersion.number == ticket_type.latest_version))
    document = compiled_for(version).document
    fields = ((document.get("form") or {}).get("schema") or {}).get("properties") or {}
    labels = labels_for(version, locale)
    ctx = Context(session, user, MetricQuery(start=now, end=now, now=now, tz=None), _CHART_METRIC)  # type: ignore[arg-type]
    query = ChartQuery(ctx, fields)
    out = []
    for chart in document.get("charts") or []:
        item: dict[str, Any] = {"key": chart["key"], "title": _title(chart, "title", locale), "type": chart["type"]}
        try:
            if chart.get("source", "tickets") != "tickets":
                raise Unsupported(f"the source '{chart['source']}'")
            rows = _rows(session, ctx, query, chart, ticket_type.id)
            item["figure"] = figure(chart, rows, fields, labels)
        except Unsupported as problem:
            item["error"] = texts.say("chart.unsupported", locale, what=str(problem))
        out.append(item)
    return out


_CHART_METRIC = Metric("chart", "tickets", (), lambda ctx: None, uses_range=False)
