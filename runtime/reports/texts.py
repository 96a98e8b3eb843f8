"""What the reports say to people, in each language of runtime.rules.i18n.LOCALES."""

# ruff: noqa: RUF001  (Chinese punctuation is meant)
from __future__ import annotations

from typing import Any

from runtime.rules.texts import Catalogue

SENTENCES: dict[str, dict[str, str]] = {
    "chart.unsupported": {"en": "This chart cannot be drawn: {what} is not supported in charts yet.",
                          "zh-CN": "无法绘制此图表：图表暂不支持{what}。"},
    "none": {"en": "(none)", "zh-CN": "（无）"},
    "agg.count": {"en": "Count", "zh-CN": "数量"},
    "agg.sum": {"en": "Sum of {field}", "zh-CN": "{field}合计"},
    "agg.avg": {"en": "Average {field}", "zh-CN": "{field}平均值"},
    "agg.min": {"en": "Minimum {field}", "zh-CN": "{field}最小值"},
    "agg.max": {"en": "Maximum {field}", "zh-CN": "{field}最大值"},
    "agg.p50": {"en": "Median {field}", "zh-CN": "{field}中位数"},
    "agg.p90": {"en": "90th percentile of {field}", "zh-CN": "{field}第 90 百分位"},
    "attr.status": {"en": "Status", "zh-CN": "状态"},
    "attr.status_category": {"en": "Status category", "zh-CN": "状态类别"},
    "attr.priority": {"en": "Priority", "zh-CN": "优先级"},
    "attr.team": {"en": "Team", "zh-CN": "团队"},
    "attr.assignee": {"en": "Assignee", "zh-CN": "处理人"},
    "attr.source": {"en": "Source", "zh-CN": "来源"},
    "attr.type": {"en": "Type", "zh-CN": "类型"},
    "attr.age_hours": {"en": "Age (hours)", "zh-CN": "已持续时长（小时）"},
    "attr.hours_in_status": {"en": "Hours in status", "zh-CN": "当前状态停留时长（小时）"},
    # the values of the built-in attributes, for breakdowns (runtime.reports.metrics._labels)
    "status_category.new": {"en": "New", "zh-CN": "新建"},
    "status_category.open": {"en": "Open", "zh-CN": "处理中"},
    "status_category.pending": {"en": "Pending", "zh-CN": "等待中"},
    "status_category.resolved": {"en": "Resolved", "zh-CN": "已解决"},
    "status_category.closed": {"en": "Closed", "zh-CN": "已关闭"},
    "source.web": {"en": "Web", "zh-CN": "网页"},
    "source.api": {"en": "API", "zh-CN": "API"},
    "source.webhook": {"en": "Webhook", "zh-CN": "Webhook"},
    "source.email": {"en": "Email", "zh-CN": "邮件"},
}


_CATALOGUE = Catalogue(SENTENCES)
say = _CATALOGUE.say
word = _CATALOGUE.word


def attribute(name: str, locale: str | None) -> str:
    return _CATALOGUE.word(f"attr.{name}", locale, name)


def measure(spec: dict[str, Any], locale: str | None) -> str:
    aggregate = spec.get("agg", "count")
    field = str(spec.get("field") or "")
    return say(f"agg.{aggregate}", locale, field=attribute(field.split(".")[-1], locale) if field else "")
