"""What the server says to people, in each language: the sentences of form and transition errors and of
notifications, and the words used to show values (yes/no, dates, roles, SLA metrics, recipients).

Every sentence exists in every locale of runtime.rules.i18n.LOCALES (a test checks it, and that both versions
use the same placeholders). Texts taken from a definition (field titles, state and transition names) are
passed in already localized: see runtime.rules.labels.
"""

# ruff: noqa: RUF001  (Chinese punctuation is meant)
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from runtime.rules.i18n import DEFAULT_LOCALE, LOCALES

# fmt: off
SENTENCES: dict[str, dict[str, str]] = {
    # form data (create, update, simulate)
    "form.not_object": {"en": "The form data must be an object.", "zh-CN": "表单数据必须是一个对象。"},
    "form.problems": {"en": "The form has {count} problem(s).", "zh-CN": "表单有 {count} 处问题。"},
    "form.required": {"en": "{title} is required.", "zh-CN": "{title}为必填项。"},
    "form.enum": {"en": "Choose one of: {options}.", "zh-CN": "请从以下选项中选择：{options}。"},
    "form.pattern": {"en": "{title} does not have the expected format.", "zh-CN": "{title}的格式不正确。"},
    "form.pattern_unsupported": {"en": "{title} cannot be checked: the ticket type's pattern for it is one the server "
                                        "refuses to run. Ask the ticket type's designer to fix it.",
                                  "zh-CN": "无法校验{title}：工单类型为它设置的格式规则无法安全执行。"
                                           "请联系该工单类型的设计者修正。"},
    "form.unknown_field": {"en": "'{name}' is not a field of this form.", "zh-CN": "“{name}”不是此表单的字段。"},
    "form.too_large": {"en": "The form data takes {size} bytes; at most {limit} are allowed.",
                       "zh-CN": "表单数据共 {size} 字节，最多允许 {limit} 字节。"},
    "form.this_field": {"en": "This field", "zh-CN": "此字段"},
    "form.format": {"en": "{title} does not have the expected format.", "zh-CN": "{title}的格式不正确。"},
    "form.maxLength": {"en": "Use at most {limit} characters.", "zh-CN": "最多只能输入 {limit} 个字符。"},
    "form.minLength": {"en": "Use at least {limit} characters.", "zh-CN": "请至少输入 {limit} 个字符。"},
    "form.maxItems": {"en": "Add at most {limit} items.", "zh-CN": "最多只能添加 {limit} 项。"},
    "form.minItems": {"en": "Add at least {limit} items.", "zh-CN": "请至少添加 {limit} 项。"},
    "form.minimum": {"en": "Must be at least {limit}.", "zh-CN": "不能小于 {limit}。"},
    "form.maximum": {"en": "Must be at most {limit}.", "zh-CN": "不能大于 {limit}。"},
    "form.exclusiveMinimum": {"en": "Must be more than {limit}.", "zh-CN": "必须大于 {limit}。"},
    "form.exclusiveMaximum": {"en": "Must be less than {limit}.", "zh-CN": "必须小于 {limit}。"},
    "form.uniqueItems": {"en": "Each item may appear only once.", "zh-CN": "每一项只能出现一次。"},
    "form.type": {"en": "Must be of type {type}.", "zh-CN": "类型不正确，应为{type}。"},
    "form.invalid": {"en": "This value is not valid.", "zh-CN": "此值无效。"},
    # transitions
    "transition.unknown": {"en": "{type} has no transition '{key}'.", "zh-CN": "{type}没有操作“{key}”。"},
    "transition.wrong_state": {"en": "'{name}' cannot be taken from '{here}'.", "zh-CN": "无法从“{here}”执行“{name}”。"},
    "transition.wrong_state_detail": {"en": "The ticket is in '{here}'; '{name}' leaves from {sources}.",
                                      "zh-CN": "工单当前处于“{here}”；“{name}”只能从{sources}执行。"},
    "transition.any_open_state": {"en": "any open state", "zh-CN": "任何未结束的状态"},
    "transition.role": {"en": "Only {roles} may take '{name}'.", "zh-CN": "只有{roles}可以执行“{name}”。"},
    "transition.guard": {"en": "The condition of '{name}' is not met.", "zh-CN": "不满足执行“{name}”的条件。"},
    "transition.guard_error": {"en": "The condition of '{name}' is not met ({problem}).",
                               "zh-CN": "不满足执行“{name}”的条件（{problem}）。"},
    "transition.unknown_field": {"en": "'{name}' has no field '{field}'.", "zh-CN": "“{name}”没有字段“{field}”。"},
    "transition.invalid_field": {"en": "{title}: {message}", "zh-CN": "{title}：{message}"},
    "transition.field_missing": {"en": "{title} is required to take '{name}'.", "zh-CN": "执行“{name}”前须填写{title}。"},
    "transition.checklist": {"en": "Check '{item}' first.", "zh-CN": "请先确认“{item}”。"},
    "transition.refused": {"en": "'{name}' cannot be taken yet: {reason}", "zh-CN": "暂时无法执行“{name}”：{reason}"},
    "transition.comment": {"en": "Comment", "zh-CN": "评论"},
    "transition.automatic": {"en": "'{name}' is taken by itself when the ticket is assigned: assign it instead.",
                             "zh-CN": "“{name}”会在工单分派给处理人时自动执行：请直接分派工单。"},
    # priority set by hand
    "priority.choose": {"en": "Choose one of: {levels}.", "zh-CN": "请从以下优先级中选择：{levels}。"},
    "priority.reason_alone": {"en": "Give the priority the reason is for.", "zh-CN": "请同时给出该原因所对应的优先级。"},
    "priority.reason_long": {"en": "Use at most 500 characters for the reason.", "zh-CN": "原因最多 500 个字符。"},
    # notifications (the in-app inbox, email and chat apps say these after the kind's label)
    "notify.assigned": {"en": "{number} was assigned to you: {title}", "zh-CN": "{number} 已分派给您：{title}"},
    "notify.state": {"en": "{number} is now '{state}': {title}", "zh-CN": "{number} 现在的状态是“{state}”：{title}"},
    "notify.routed": {"en": "{number} ({priority}) was routed by '{rule}': {title}",
                      "zh-CN": "{number}（{priority}）已按“{rule}”分派：{title}"},
    "notify.mentioned": {"en": "{author} mentioned you on {number}: {excerpt}",
                         "zh-CN": "{author} 在 {number} 中提到了您：{excerpt}"},
    "notify.replied": {"en": "{author} replied on {number} ({title}): {excerpt}",
                       "zh-CN": "{author} 回复了 {number}（{title}）：{excerpt}"},
    "notify.watched": {"en": "{author} commented on {number} ({title}), which you watch: {excerpt}",
                       "zh-CN": "{author} 评论了您关注的 {number}（{title}）：{excerpt}"},
    "notify.sla_warning": {"en": "{number}: the {metric} target is due at {due}: {title}",
                           "zh-CN": "{number}：{metric}目标将于 {due} 到期：{title}"},
    "notify.escalated": {"en": "Escalation level {level}: {number} breached its {metric} target: {title}",
                         "zh-CN": "第 {level} 级升级：{number} 的{metric}目标已超时：{title}"},
    "notify.survey": {"en": "How did we do on {number}? Rate it from {scale}: {title}",
                      "zh-CN": "您对 {number} 的处理满意吗？请打分（{scale}）：{title}"},
    "survey.scale.csat": {"en": "1 to 5", "zh-CN": "1 到 5 分"},
    "survey.scale.nps": {"en": "0 to 10", "zh-CN": "0 到 10 分"},
    # account e-mails (invitations, password resets)
    "account.invite.subject": {"en": "You are invited to Gongdan", "zh-CN": "邀请您加入工单系统"},
    "account.invite": {"en": "An account was made for you. Choose your password with this link (it works once, "
                             "until {expires}): {url}",
                       "zh-CN": "已为您创建账号。请通过此链接设置密码（仅可使用一次，有效期至 {expires}）：{url}"},
    "account.reset.subject": {"en": "Reset your Gongdan password", "zh-CN": "重置您的工单系统密码"},
    "account.reset": {"en": "Someone asked to reset your password. Choose a new one with this link (it works once, "
                            "until {expires}): {url}  If it was not you, ignore this e-mail: your password stays.",
                      "zh-CN": "有人请求重置您的密码。请通过此链接设置新密码（仅可使用一次，有效期至 {expires}）：{url}"
                               "  如果不是您本人操作，请忽略此邮件，您的密码不会改变。"},
    # values
    "value.yes": {"en": "Yes", "zh-CN": "是"},
    "value.no": {"en": "No", "zh-CN": "否"},
    "value.empty": {"en": "—", "zh-CN": "—"},
    "value.nobody": {"en": "nobody", "zh-CN": "无"},
    "field.priority": {"en": "Priority", "zh-CN": "优先级"},
    "metric.response": {"en": "response", "zh-CN": "响应"},
    "metric.resolution": {"en": "resolution", "zh-CN": "解决"},
    "metric.next_update": {"en": "next update", "zh-CN": "下次更新"},
    "role.admin": {"en": "admin", "zh-CN": "管理员"},
    "role.designer": {"en": "designer", "zh-CN": "设计人员"},
    "role.agent": {"en": "agent", "zh-CN": "处理人员"},
    "role.requester": {"en": "requester", "zh-CN": "提交人"},
    "recipient.requester": {"en": "the requester", "zh-CN": "提交人"},
    "recipient.assignee": {"en": "the assignee", "zh-CN": "处理人"},
    "recipient.watchers": {"en": "the watchers", "zh-CN": "关注人"},
    "recipient.team": {"en": "the team", "zh-CN": "团队成员"},
    "recipient.team.supervisor": {"en": "the team's supervisor", "zh-CN": "团队主管"},
    "recipient.team.manager": {"en": "the team's manager", "zh-CN": "团队经理"},
    "type.string": {"en": "string", "zh-CN": "文本"},
    "type.integer": {"en": "integer", "zh-CN": "整数"},
    "type.number": {"en": "number", "zh-CN": "数字"},
    "type.boolean": {"en": "boolean", "zh-CN": "是或否"},
    "type.array": {"en": "array", "zh-CN": "列表"},
    "type.object": {"en": "object", "zh-CN": "对象"},
    "type.null": {"en": "null", "zh-CN": "空值"},
}
# fmt: on



@dataclass(frozen=True, slots=True)
class Reader:
    """Who reads a text: their language and time zone (a user's profile; a chat group's configured language)."""

    locale: str = DEFAULT_LOCALE
    time_zone: str = "UTC"


# A notification's text: fixed, or made for each reader (in their language, with their time zone).
Message = str | Callable[[Reader], str]


def render(message: Message, reader: Reader) -> str:
    """The text of a message for one reader."""
    return message if isinstance(message, str) else message(reader)


_LIST_SEPARATOR = {"en": ", ", "zh-CN": "、"}
_OR = {"en": " or ", "zh-CN": "或"}
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _locale(locale: str | None) -> str:
    return locale if locale in LOCALES else DEFAULT_LOCALE


def say(key: str, locale: str | None, **params: Any) -> str:
    """The sentence `key` in `locale` (English for a locale we have no texts for), filled with `params`."""
    return SENTENCES[key][_locale(locale)].format(**params)


def word(key: str, locale: str | None, default: str) -> str:
    """A word from the catalogue, or `default` when there is none (a custom role, an unknown metric)."""
    texts = SENTENCES.get(key)
    return texts[_locale(locale)] if texts else default


def join(items: Iterable[str], locale: str | None) -> str:
    """A list in running text: 'a, b' / 'a、b'."""
    return _LIST_SEPARATOR[_locale(locale)].join(items)


def either(items: Iterable[str], locale: str | None) -> str:
    """Alternatives: 'agent or requester' / '处理人员或提交人'."""
    return _OR[_locale(locale)].join(items)


def quote(text: str, locale: str | None) -> str:
    """A name quoted in running text: 'Resolved' / “已解决”."""
    return f"“{text}”" if _locale(locale) == "zh-CN" else f"'{text}'"


def role_name(role: str, locale: str | None) -> str:
    return word(f"role.{role}", locale, role)


def metric_name(metric: str, locale: str | None) -> str:
    return word(f"metric.{metric}", locale, metric.replace("_", " "))


def recipient_name(recipient: str, locale: str | None) -> str:
    """How a definition's recipient reads: 'the team's supervisor', 'role executive', an email as it is."""
    if recipient.startswith("role:"):
        return role_name(recipient[5:], locale)
    if recipient.startswith("user:"):
        return recipient[5:]
    return word(f"recipient.{recipient}", locale, recipient)


def _zone(time_zone: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(time_zone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def format_date(value: date, locale: str | None) -> str:
    """A calendar date: '2 Dec 2026' / '2026年12月2日'."""
    if _locale(locale) == "zh-CN":
        return f"{value.year}年{value.month}月{value.day}日"
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


def format_datetime(value: datetime, locale: str | None, time_zone: str | None = None) -> str:
    """An instant in the reader's time zone: '2 Dec 2026, 14:05' / '2026年12月2日 14:05' (naive means UTC)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo("UTC"))
    zone_info = _zone(time_zone)
    local = value.astimezone(zone_info)
    clock = f"{local.hour:02d}:{local.minute:02d}"
    zone = " UTC" if zone_info.key == "UTC" else ""  # said when it is not the reader's own
    separator = " " if _locale(locale) == "zh-CN" else ", "
    return f"{format_date(local.date(), locale)}{separator}{clock}{zone}"
