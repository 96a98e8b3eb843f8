"""What dashboards say to people, in each language of runtime.rules.i18n.LOCALES."""

# ruff: noqa: RUF001  (Chinese punctuation is meant)
from __future__ import annotations

from runtime.rules.texts import Catalogue

SENTENCES: dict[str, dict[str, str]] = {
    "not_found": {"en": "There is no dashboard {id} that you may open.", "zh-CN": "没有您可以打开的仪表板 {id}。"},
    "tile_not_found": {"en": "The dashboard has no tile '{tile}'.", "zh-CN": "仪表板中没有图块“{tile}”。"},
    "not_yours": {"en": "Only the dashboard's owner or an administrator may change or delete it.",
                  "zh-CN": "只有仪表板的所有者或管理员可以修改或删除它。"},
    "changed": {"en": "Someone saved this dashboard since you opened it (now version {version}); reload it and "
                      "make your changes again.",
                "zh-CN": "在您打开之后，有人保存了此仪表板（当前版本 {version}）；请重新加载后再修改。"},
    "if_match": {"en": "If-Match must be the dashboard's ETag, such as \"3\".",
                 "zh-CN": "If-Match 必须是仪表板的 ETag，例如 \"3\"。"},
    "invalid": {"en": "The dashboard has {count} problem(s); nothing was saved.",
                "zh-CN": "仪表板有 {count} 处问题，未保存任何内容。"},
    "default_admin": {"en": "Only an administrator may make a dashboard a role's default.",
                      "zh-CN": "只有管理员可以将仪表板设为某个角色的默认仪表板。"},
    "builtin": {"en": "A built-in dashboard cannot be changed; save it as a new dashboard.",
                "zh-CN": "内置仪表板不能修改，请另存为新的仪表板。"},
    "time": {"en": "Time", "zh-CN": "时间"},
    "hours": {"en": "hours", "zh-CN": "小时"},
    "dash.my_load": {"en": "My load", "zh-CN": "我的工作量"},
    "dash.my_team": {"en": "My team", "zh-CN": "我的团队"},
    "dash.everything": {"en": "Everything", "zh-CN": "全局概览"},
    "tile.created-resolved": {"en": "Created vs resolved", "zh-CN": "新建与解决"},
    "tile.backlog": {"en": "Open tickets", "zh-CN": "未关闭工单"},
    "tile.first-response": {"en": "First response (average)", "zh-CN": "首次响应（平均）"},
    "tile.resolution": {"en": "Resolution time (average)", "zh-CN": "解决时间（平均）"},
    "tile.sla": {"en": "SLA compliance", "zh-CN": "SLA 达成率"},
    "tile.by-priority": {"en": "Volume by priority", "zh-CN": "各优先级工单量"},
    "tile.by-category": {"en": "Volume by category", "zh-CN": "各类别工单量"},
    "tile.load": {"en": "Load by assignee", "zh-CN": "各处理人工作量"},
    "metric.first_response_time": {"en": "First response time", "zh-CN": "首次响应时间"},
    "metric.resolution_time": {"en": "Resolution time", "zh-CN": "解决时间"},
    "metric.backlog": {"en": "Backlog", "zh-CN": "积压工单"},
    "metric.load": {"en": "Load", "zh-CN": "工作量"},
    "metric.created_vs_resolved": {"en": "Created vs resolved", "zh-CN": "新建与解决"},
    "metric.sla_compliance": {"en": "SLA compliance", "zh-CN": "SLA 达成率"},
    "metric.reopen_rate": {"en": "Reopen rate", "zh-CN": "重开率"},
    "metric.time_in_state": {"en": "Time in state", "zh-CN": "状态停留时间"},
    "metric.volume": {"en": "Volume", "zh-CN": "工单量"},
    "measure.count": {"en": "Count", "zh-CN": "数量"},
    "measure.avg": {"en": "Average", "zh-CN": "平均值"},
    "measure.p50": {"en": "Median", "zh-CN": "中位数"},
    "measure.p90": {"en": "90th percentile", "zh-CN": "第 90 百分位"},
    "measure.max": {"en": "Maximum", "zh-CN": "最大值"},
    "measure.business_count": {"en": "Count (business time)", "zh-CN": "数量（工作时间）"},
    "measure.business_avg": {"en": "Average (business time)", "zh-CN": "平均值（工作时间）"},
    "measure.created": {"en": "Created", "zh-CN": "新建"},
    "measure.resolved": {"en": "Resolved", "zh-CN": "已解决"},
    "measure.net": {"en": "Net", "zh-CN": "净增"},
    "measure.clocks": {"en": "Clocks", "zh-CN": "计时数"},
    "measure.met": {"en": "Met", "zh-CN": "达成"},
    "measure.breached": {"en": "Breached", "zh-CN": "违约"},
    "measure.running": {"en": "Running", "zh-CN": "进行中"},
    "measure.compliance": {"en": "Compliance", "zh-CN": "达成率"},
    "measure.tickets": {"en": "Tickets", "zh-CN": "工单数"},
    "measure.reopened": {"en": "Reopened", "zh-CN": "已重开"},
    "measure.rate": {"en": "Rate", "zh-CN": "比率"},
    "by.category": {"en": "Category", "zh-CN": "类别"},
}

_CATALOGUE = Catalogue(SENTENCES)
say = _CATALOGUE.say
word = _CATALOGUE.word
