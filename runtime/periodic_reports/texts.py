"""What the periodic reports say to people, in each language of runtime.rules.i18n.LOCALES."""

# ruff: noqa: RUF001  (Chinese punctuation is meant)
from __future__ import annotations

from runtime.rules.texts import Catalogue

SENTENCES: dict[str, dict[str, str]] = {
    "report.root_causes": {"en": "Root causes", "zh-CN": "根本原因"},
    "report.sla_review": {"en": "SLA review", "zh-CN": "SLA 回顾"},
    "report.team_summary": {"en": "Team summary", "zh-CN": "团队周报"},
    "table.summary": {"en": "Resolved tickets", "zh-CN": "已解决工单"},
    "table.top": {"en": "Top 5 root causes", "zh-CN": "前 5 个根本原因"},
    "table.by_clock": {"en": "By clock", "zh-CN": "按时钟"},
    "table.by_priority": {"en": "By priority", "zh-CN": "按优先级"},
    "table.by_team": {"en": "By team", "zh-CN": "按团队"},
    "table.by_state": {"en": "By current state", "zh-CN": "按当前状态"},
    "table.time_in_state": {"en": "Time in state", "zh-CN": "各状态停留时长"},
    "table.teams": {"en": "Teams", "zh-CN": "团队"},
    "col.resolved": {"en": "Resolved", "zh-CN": "已解决"},
    "col.with_cause": {"en": "With a root cause", "zh-CN": "填写了根本原因"},
    "col.without_cause": {"en": "Without a root cause", "zh-CN": "未填写根本原因"},
    "col.rank": {"en": "#", "zh-CN": "#"},
    "col.cause": {"en": "Root cause", "zh-CN": "根本原因"},
    "col.count": {"en": "Tickets", "zh-CN": "工单数"},
    "col.share": {"en": "Share of resolved", "zh-CN": "占已解决比例"},
    "col.prev_count": {"en": "{month} tickets", "zh-CN": "{month} 工单数"},
    "col.prev_share": {"en": "{month} share", "zh-CN": "{month} 占比"},
    "col.change": {"en": "Change vs {month}", "zh-CN": "较 {month} 变化"},
    "col.tickets_url": {"en": "Tickets", "zh-CN": "工单"},
    "col.articles_url": {"en": "Articles", "zh-CN": "知识文章"},
    "col.value": {"en": "Stored value", "zh-CN": "存储值"},
    "col.clock": {"en": "Clock", "zh-CN": "时钟"},
    "col.group": {"en": "Group", "zh-CN": "分组"},
    "col.priority": {"en": "Priority", "zh-CN": "优先级"},
    "col.team": {"en": "Team", "zh-CN": "团队"},
    "col.state": {"en": "State", "zh-CN": "状态"},
    "col.clocks": {"en": "Clocks", "zh-CN": "时钟数"},
    "col.met": {"en": "Met", "zh-CN": "达标"},
    "col.breached": {"en": "Breached", "zh-CN": "违约"},
    "col.running": {"en": "Running", "zh-CN": "计时中"},
    "col.compliance": {"en": "Compliance", "zh-CN": "达标率"},
    "col.stays": {"en": "Stays", "zh-CN": "停留次数"},
    "col.p50": {"en": "Median", "zh-CN": "中位数"},
    "col.p90": {"en": "90th percentile", "zh-CN": "第 90 百分位"},
    "col.created": {"en": "Created", "zh-CN": "新建"},
    "col.backlog": {"en": "Backlog at end", "zh-CN": "期末积压"},
    "col.first_response_p50": {"en": "First response (median)", "zh-CN": "首次响应（中位数）"},
    "col.resolution_p50": {"en": "Resolution (median)", "zh-CN": "解决时长（中位数）"},
    "col.sla_compliance": {"en": "SLA compliance", "zh-CN": "SLA 达标率"},
    "clock.response": {"en": "Response", "zh-CN": "响应"},
    "clock.resolution": {"en": "Resolution", "zh-CN": "解决"},
    "clock.next_update": {"en": "Next update", "zh-CN": "下次更新"},
    "none": {"en": "(none)", "zh-CN": "（无）"},
    "mail.subject": {"en": "{report} report for {period}", "zh-CN": "{period} {report}报告"},
    "mail.intro": {"en": "Here is the {report} report for {period} ({tz}).",
                   "zh-CN": "这是 {period}（{tz}）的{report}报告。"},
    "mail.open": {"en": "Open the live report", "zh-CN": "打开实时报告"},
    "mail.why": {"en": "You receive this because an administrator subscribed you to this report.",
                 "zh-CN": "您收到此邮件是因为管理员为您订阅了此报告。"},
}

_CATALOGUE = Catalogue(SENTENCES)
say = _CATALOGUE.say
word = _CATALOGUE.word
