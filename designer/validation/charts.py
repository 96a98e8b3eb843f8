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
                    self.error(_join("/charts", index, "key"), f"Chart key '{_text(key)}' is used twice: charts "
                                                               f"{seen[key] + 1} and {index + 1}.", "chart.duplicate")
                else:
                    seen[key] = index
            checked = chart.get("source", "tickets") == "tickets"
            for j, dimension in enumerate(_list(chart.get("dimensions"))):
                if checked and isinstance(dimension, str) and not self.chart_field_exists(dimension):
                    self.error(_join("/charts", index, "dimensions", j),
                               f"{name} groups by '{_text(dimension)}', which is neither a form field nor a ticket "
                               f"attribute.{_did_you_mean(dimension, [*self.fields, *TICKET_PATHS])}", "chart.unknown_field")
            for j, measure in enumerate(_list(chart.get("measures"))):
                if not isinstance(measure, dict):
                    continue
                label = self.label(["charts", index, "measures", j])
                aggregate, target = measure.get("agg"), measure.get("field")
                if aggregate in NUMERIC_AGGREGATES and "field" not in measure:
                    self.error(_join("/charts", index, "measures", j), f"{label}: '{aggregate}' needs a 'field' to "
                                                                       "aggregate.", "chart.measure_field")
                if not isinstance(target, str) or not checked:
                    continue
                if not self.chart_field_exists(target):
                    self.error(_join("/charts", index, "measures", j, "field"),
                               f"{label} uses '{_text(target)}', which is neither a form field nor a ticket attribute."
                               f"{_did_you_mean(target, [*self.fields, *TICKET_PATHS])}", "chart.unknown_field")
                elif aggregate in NUMERIC_AGGREGATES and target in self.fields:
                    kind = _dict(self.fields[target]).get("type")
                    if isinstance(kind, str) and kind not in ("number", "integer"):
                        self.warning(_join("/charts", index, "measures", j, "field"),
                                     f"{label} computes '{aggregate}' of '{_text(target)}', which is not a number field.",
                                     "chart.measure_not_numeric")

    def chart_field_exists(self, path: str) -> bool:
        head, _, rest = path.partition(".")
        if head in self.fields:
            return True
        if head == "ticket" and rest:
            problem = _ticket_path_problem(rest)
            return problem is None or (problem.startswith("data.") and problem[5:] in self.fields)
        return _ticket_path_problem(path) is None and head != "data"
