"""Charts: sources, dimensions, measures and filters name things that exist."""

from __future__ import annotations

from designer.validation.common import (
    NUMERIC_AGGREGATES,
    TICKET_PATHS,
    _dict,
    _did_you_mean,
    _join,
    _list,
    _text,
    _ticket_path_problem,
)


class ChartChecks:
    """Charts: sources, dimensions, measures and filters name things that exist.

    A mixin of designer.validation.checker.Checker, which provides ``self``.
    """

    def chart_checks(self) -> None:
        seen: dict[str, int] = {}
        for index, chart in enumerate(_list(self.doc.get("charts"))):
            if not isinstance(chart, dict):
                continue
            name = self.label(["charts", index]) or ""
            key = chart.get("key")
            if isinstance(key, str):
                if key in seen:
                    self.error(_join("/charts", index, "key"), self.say("check.chart.duplicate", key=_text(key),
                                                                         first=seen[key] + 1, second=index + 1),
                               "chart.duplicate")
                else:
                    seen[key] = index
            checked = chart.get("source", "tickets") == "tickets"
            for j, dimension in enumerate(_list(chart.get("dimensions"))):
                if checked and isinstance(dimension, str) and not self.chart_field_exists(dimension):
                    self.error(_join("/charts", index, "dimensions", j),
                               self.say("check.chart.unknown_dimension", name=name, field=_text(dimension))
                               + _did_you_mean(dimension, [*self.fields, *TICKET_PATHS]), "chart.unknown_field")
            for j, measure in enumerate(_list(chart.get("measures"))):
                if not isinstance(measure, dict):
                    continue
                label = self.label(["charts", index, "measures", j])
                aggregate, target = measure.get("agg"), measure.get("field")
                if aggregate in NUMERIC_AGGREGATES and "field" not in measure:
                    self.error(_join("/charts", index, "measures", j), self.say("check.chart.measure_field", name=label,
                                                                                 agg=aggregate), "chart.measure_field")
                if not isinstance(target, str) or not checked:
                    continue
                if not self.chart_field_exists(target):
                    self.error(_join("/charts", index, "measures", j, "field"),
                               self.say("check.chart.unknown_field", name=label, field=_text(target))
                               + _did_you_mean(target, [*self.fields, *TICKET_PATHS]), "chart.unknown_field")
                elif aggregate in NUMERIC_AGGREGATES and target in self.fields:
                    kind = _dict(self.fields[target]).get("type")
                    if isinstance(kind, str) and kind not in ("number", "integer"):
                        self.warning(_join("/charts", index, "measures", j, "field"),
                                     self.say("check.chart.measure_not_numeric", name=label, agg=aggregate,
                                               field=_text(target)), "chart.measure_not_numeric")

    def chart_field_exists(self, path: str) -> bool:
        head, _, rest = path.partition(".")
        if head in self.fields:
            return True
        if head == "ticket" and rest:
            problem = _ticket_path_problem(rest)
            return problem is None or (problem.startswith("data.") and problem[5:] in self.fields)
        return _ticket_path_problem(path) is None and head != "data"
