"""A tile's plotly figure, built on the server from the metric's rows, with the house look of the definition charts
(runtime.reports.charts.finish). Each point carries its drill URL as ``customdata``; durations are drawn in hours
and ratios in percent (the rows and the CSV keep seconds and fractions)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import plotly.graph_objects as go

from runtime.dashboards import texts, tiles
from runtime.reports import texts as report_texts
from runtime.reports.charts import finish, new_figure, plain


def metric_title(key: str, locale: str) -> str:
    return texts.word(f"metric.{key}", locale, key)


def measure_title(key: str, locale: str) -> str:
    return texts.word(f"measure.{key}", locale, key)


def _scaled(value: Any, measure: str, unit: str) -> Any:
    if value is None:
        return None
    if measure in tiles.RATIOS:
        return plain(value * 100)
    if unit == "seconds" and measure not in ("count", "business_count"):
        return plain(value / 3600)
    return plain(value)


def _suffix(measure: str, unit: str, locale: str) -> str:
    if measure in tiles.RATIOS:
        return "%"
    if unit == "seconds" and measure not in ("count", "business_count"):
        return " " + texts.say("hours", locale)
    return ""


def _bucket_label(bucket: str, unit: str | None) -> str:
    moment = datetime.fromisoformat(bucket)
    if unit == "hour":
        return moment.strftime("%Y-%m-%d %H:00")
    if unit == "month":
        return moment.strftime("%Y-%m")
    return moment.strftime("%Y-%m-%d")


def _group_label(row: dict[str, Any], locale: str) -> str:
    label = row.get("label") if row.get("label") is not None else row.get("group")
    if label is None and (row.get("clock") or row.get("state")):
        return str(row.get("clock") or row.get("state_label") or row.get("state"))
    return str(label) if label is not None else report_texts.word("none", locale)


def _x(row: dict[str, Any], unit: str | None, locale: str) -> str:
    if row.get("bucket"):
        return _bucket_label(row["bucket"], unit)
    return _group_label(row, locale)


def build(tile: dict[str, Any], result: dict[str, Any], drills: list[dict[str, Any]], locale: str) -> dict[str, Any]:
    kind, unit, bucket = tile["kind"], result["unit"], result["bucket"]
    rows = result["rows"]
    measures = tiles.measures_of(tile)
    title = tile.get("title") or metric_title(tile["metric"], locale)
    urls = [d["url"] for d in drills]
    fig = new_figure()
    has_group = result["by"] is not None or any("clock" in r or "state" in r for r in rows)

    if kind in ("kpi", "gauge"):
        measure = measures[0]
        value = _scaled(tiles.combine(rows, measure), measure, unit)
        if kind == "kpi":
            fig.add_trace(go.Indicator(mode="number", value=value, title={"text": measure_title(measure, locale)},
                                       number={"suffix": _suffix(measure, unit, locale)}))
        else:
            fig.add_trace(go.Indicator(mode="gauge+number", value=value, number={"suffix": "%"},
                                       title={"text": measure_title(measure, locale)},
                                       gauge={"axis": {"range": [0, 100]}}))
        return finish(fig, title, legend=False)

    if kind == "table":
        header = []
        columns: list[list[Any]] = []
        if any(r.get("bucket") for r in rows):
            header.append(texts.say("time", locale))
            columns.append([_bucket_label(r["bucket"], bucket) if r.get("bucket") else "" for r in rows])
        if has_group:
            header.append(report_texts.attribute(result["by"], locale) if result["by"] else "")
            columns.append([_group_label(r, locale) for r in rows])
        for measure in measures:
            suffix = _suffix(measure, unit, locale).strip()
            header.append(f"{measure_title(measure, locale)} ({suffix})" if suffix else measure_title(measure, locale))
            columns.append([_scaled(r.get(measure), measure, unit) for r in rows])
        fig.add_trace(go.Table(header={"values": header}, cells={"values": columns}, customdata=urls))
        return finish(fig, title, legend=False)

    if kind == "pie":
        measure = measures[0]
        fig.add_trace(go.Pie(labels=[_group_label(r, locale) for r in rows],
                             values=[_scaled(r.get(measure), measure, unit) for r in rows], customdata=urls, sort=False))
        return finish(fig, title, legend=True)

    trace = go.Scatter if kind == "line" else go.Bar
    extra: dict[str, Any] = {"mode": "lines+markers"} if kind == "line" else {}
    by_series = has_group and any(r.get("bucket") for r in rows)
    if by_series:  # one series per group, along time, of the first measure
        measure = measures[0]
        groups: dict[str, list[int]] = {}
        for i, row in enumerate(rows):
            groups.setdefault(_group_label(row, locale), []).append(i)
        for name, indexes in groups.items():
            fig.add_trace(trace(name=name, x=[_x(rows[i], bucket, locale) for i in indexes],
                                y=[_scaled(rows[i].get(measure), measure, unit) for i in indexes],
                                customdata=[urls[i] for i in indexes], **extra))
    else:
        for measure in measures:
            fig.add_trace(trace(name=measure_title(measure, locale), x=[_x(r, bucket, locale) for r in rows],
                                y=[_scaled(r.get(measure), measure, unit) for r in rows], customdata=urls, **extra))
    suffix = _suffix(measures[0], unit, locale).strip()
    fig.update_layout(barmode="stack" if kind == "stacked" else "group",
                      xaxis={"type": "category"},
                      yaxis={"title": {"text": suffix if len(measures) == 1 else ""}, "rangemode": "tozero"})
    return finish(fig, title, legend=len(fig.data) > 1)
