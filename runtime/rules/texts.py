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
    # industry templates (designer/templates)
    "template.in_use": {"en": "The template '{template}' cannot be uninstalled while tickets of its types exist: "
                              "{count} ticket(s) ({types}). Nothing was removed.",
                        "zh-CN": "模板“{template}”的工单类型下还有工单，无法卸载：共 {count} 张工单（{types}）。未做任何删除。"},
    "template.not_installed": {"en": "The template '{template}' is not installed here.",
                               "zh-CN": "此处未安装模板“{template}”。"},
    "template.nothing_to_upgrade": {"en": "Version {version} of the template '{template}' is installed, which is the "
                                          "version that ships: there is nothing to upgrade.",
                                    "zh-CN": "模板“{template}”已安装的版本 {version} 就是当前提供的版本，无需升级。"},
    "template.upgrade_stale": {"en": "A draft of the template '{template}' changed since the upgrade was loaded (or a "
                                     "newer template version ships). Load the upgrade again and choose again; nothing "
                                     "was written.",
                               "zh-CN": "加载升级后，模板“{template}”的某个草稿已被修改（或有更新的模板版本）。请重新加载升级并"
                                        "重新选择；未写入任何内容。"},
    "template.upgrade_missing_choice": {"en": "Choose 'mine' or 'theirs' for the conflict at {pointer} of the ticket "
                                              "type '{type}'.",
                                        "zh-CN": "请为工单类型“{type}”中 {pointer} 处的冲突选择“mine”（保留我的）或"
                                                 "“theirs”（采用模板的）。"},
    "template.upgrade_unknown_choice": {"en": "There is no conflict at {pointer} of the ticket type '{type}' to choose "
                                              "for.",
                                        "zh-CN": "工单类型“{type}”中 {pointer} 处没有需要选择的冲突。"},
    "template.missing_file": {"en": "The file '{file}' is not in the template's folder.",
                              "zh-CN": "模板文件夹中没有文件“{file}”。"},
    "template.unreadable_file": {"en": "The file '{file}' cannot be read: {reason}.",
                                 "zh-CN": "无法读取文件“{file}”：{reason}。"},
    "template.invalid_json": {"en": "'{file}' is not valid JSON: {reason} at line {line}, column {column}.",
                              "zh-CN": "“{file}”不是有效的 JSON：第 {line} 行第 {column} 列，{reason}。"},
    "template.manifest_not_object": {"en": "The manifest must be a JSON object ({{ … }}).",
                                     "zh-CN": "清单必须是一个 JSON 对象（{{ … }}）。"},
    "template.definition_not_object": {"en": "'{file}' must hold one ticket-type definition, a JSON object ({{ … }}).",
                                       "zh-CN": "“{file}”必须包含一个工单类型定义，即一个 JSON 对象（{{ … }}）。"},
    "template.duplicate_team": {"en": "The team '{key}' is listed twice.", "zh-CN": "团队“{key}”被列出了两次。"},
    "template.duplicate_role": {"en": "The role '{key}' is listed twice.", "zh-CN": "角色“{key}”被列出了两次。"},
    "template.duplicate_calendar": {"en": "The calendar '{key}' is listed twice.", "zh-CN": "日历“{key}”被列出了两次。"},
    "template.built_in_role": {"en": "'{key}' is a built-in role, which every installation has; list only the custom "
                                     "roles the template needs.",
                               "zh-CN": "“{key}”是内置角色，每个安装都有；只需列出模板需要的自定义角色。"},
    "template.built_in_calendar": {"en": "'{key}' is the built-in always-open calendar, which every installation has; "
                                         "choose another key.",
                                   "zh-CN": "“{key}”是内置的全天候日历，每个安装都有；请换一个标识。"},
    "template.unknown_translation": {"en": "'{key}' is not one of the template's {kind} ({keys}); a translation names "
                                           "one of them by its key.",
                                     "zh-CN": "“{key}”不是本模板的{kind}之一（{keys}）；翻译须以标识指明其中之一。"},
    "template.kind.knowledge": {"en": "knowledge-base articles", "zh-CN": "知识库文章"},
    "template.duplicate_article": {"en": "The knowledge-base article '{key}' is listed twice.",
                                   "zh-CN": "知识库文章“{key}”被列出了两次。"},
    "template.article_unknown_type": {"en": "'{key}' is not one of the template's ticket types ({keys}); an article "
                                            "names the types it is about by their keys.",
                                      "zh-CN": "“{key}”不是本模板的工单类型之一（{keys}）；文章须以标识指明它所涉及的类型。"},
    "template.kind.teams": {"en": "teams", "zh-CN": "团队"},
    "template.kind.roles": {"en": "roles", "zh-CN": "角色"},
    "template.kind.calendars": {"en": "calendars", "zh-CN": "日历"},
    "template.none": {"en": "none", "zh-CN": "无"},
    "template.duplicate_type_key": {"en": "The key '{value}' is also used by '{other}'; each ticket type needs its own.",
                                    "zh-CN": "标识“{value}”也被“{other}”使用；每个工单类型需要自己的标识。"},
    "template.duplicate_number_prefix": {"en": "The number prefix '{value}' is also used by '{other}'; each ticket "
                                               "type needs its own.",
                                         "zh-CN": "编号前缀“{value}”也被“{other}”使用；每个工单类型需要自己的编号前缀。"},
    "template.duplicate_key": {"en": "The key '{key}' is used by several template folders ({folders}); each template "
                                     "needs its own key.",
                               "zh-CN": "多个模板文件夹（{folders}）使用了标识“{key}”；每个模板需要自己的标识。"},
    "template.unknown": {"en": "There is no template '{key}'. The templates are: {available}.",
                         "zh-CN": "没有模板“{key}”。现有模板：{available}。"},
    "template.broken": {"en": "The template '{key}' has {count} problem(s); nothing was installed.",
                        "zh-CN": "模板“{key}”有 {count} 处问题；未安装任何内容。"},
    "template.cannot_install_here": {"en": "The template '{key}' cannot be installed here: {problem}{more} Nothing was "
                                           "installed.",
                                     "zh-CN": "模板“{key}”无法在此安装：{problem}{more}未安装任何内容。"},
    "template.more_problems": {"en": " (and {count} more problem(s))", "zh-CN": "（另有 {count} 处问题）"},
    "template.prefix_taken": {"en": "The number prefix '{prefix}' is already used by the ticket type '{owner}', so the "
                                    "template's type '{type}' cannot be installed next to it.",
                              "zh-CN": "编号前缀“{prefix}”已被工单类型“{owner}”使用，因此模板的类型“{type}”无法与其并存安装。"},
    "template.install_race": {"en": "Someone created the same teams, roles or ticket types at the same moment; nothing "
                                    "was installed. Install the template again.",
                              "zh-CN": "有人在同一时刻创建了相同的团队、角色或工单类型；未安装任何内容。请重新安装模板。"},
    "template.broken_upgrade": {"en": "The template '{key}' has {count} problem(s) and cannot be offered as an "
                                      "upgrade.",
                                "zh-CN": "模板“{key}”有 {count} 处问题，无法提供升级。"},
    "template.upgrade_prefix_taken": {"en": "The template's new ticket type '{type}' cannot be added: its number prefix "
                                            "'{prefix}' is used by '{owner}'. Nothing was written.",
                                      "zh-CN": "无法添加模板的新工单类型“{type}”：其编号前缀“{prefix}”已被“{owner}”使用。"
                                               "未写入任何内容。"},
    "template.used_by": {"en": "Used by '{owner}'.", "zh-CN": "已被“{owner}”使用。"},
    "template.etag_now": {"en": "The plan's ETag is now {etag}.", "zh-CN": "该升级计划的版本标记现在是 {etag}。"},
    "template.if_match": {"en": "Send the plan's ETag as {header} (GET the upgrade first).",
                          "zh-CN": "请在请求头 {header} 中发送升级计划的版本标记（先获取该升级）。"},
    "template.if_match_missing": {"en": "Missing.", "zh-CN": "缺少。"},
    "template.upgrade_race": {"en": "Someone changed the same ticket types, teams or roles at the same moment; nothing "
                                    "was written. Load the upgrade again.",
                              "zh-CN": "有人在同一时刻修改了相同的工单类型、团队或角色；未写入任何内容。请重新加载升级。"},
    # form data (create, update, simulate)
    "form.not_object": {"en": "The form data must be an object.", "zh-CN": "表单数据必须是一个对象。"},
    "form.problems": {"en": "The form has {count} problem(s).", "zh-CN": "表单有 {count} 处问题。"},
    "form.required": {"en": "{title} is required.", "zh-CN": "{title}为必填项。"},
    # what decided a simulated priority (the designer's priority test box)
    "priority.override_set": {"en": "Override {n}: set {level}", "zh-CN": "调整规则 {n}：设为 {level}"},
    "priority.override_raise_by": {"en": "Override {n}: {count} level(s) up", "zh-CN": "调整规则 {n}：提高 {count} 级"},
    "priority.override_lower_by": {"en": "Override {n}: {count} level(s) down", "zh-CN": "调整规则 {n}：降低 {count} 级"},
    # the form's layout (designer validation of ui:layout)
    "layout.not_list": {"en": "'ui:layout' must be a list of field names, sections and rows of two columns.",
                        "zh-CN": "“ui:layout”必须是由字段名、分区和两栏行组成的列表。"},
    "layout.entry": {"en": "A layout entry is a field name, a section ({{\"section\": …, \"items\": […]}}) or a row of two "
                              "columns ({{\"columns\": [[…], […]]}}), not {found}.",
                     "zh-CN": "布局项应为字段名、分区（{{\"section\": …, \"items\": […]}}）或两栏行"
                              "（{{\"columns\": [[…], […]]}}），而不是 {found}。"},
    "layout.item": {"en": "A section holds field names and rows of two columns (sections do not nest), not {found}.",
                    "zh-CN": "分区只能包含字段名和两栏行（分区不能嵌套），而不是 {found}。"},
    "layout.unknown_field": {"en": "The layout places '{name}', which is not a form field.",
                             "zh-CN": "布局中放置了“{name}”，但它不是表单字段。"},
    "layout.twice": {"en": "The layout places '{name}' twice; a field appears in one place only.",
                     "zh-CN": "布局中“{name}”出现了两次；一个字段只能放在一个位置。"},
    "layout.section_id": {"en": "A section's 'section' is its id: 1 to 64 letters, digits, '-' or '_'.",
                          "zh-CN": "分区的“section”是它的标识：1 到 64 个字母、数字、“-”或“_”。"},
    "layout.section_twice": {"en": "Two sections have the id '{name}'; each needs its own.",
                             "zh-CN": "有两个分区的标识都是“{name}”；每个分区需要自己的标识。"},
    "layout.items": {"en": "A section's 'items' must be a list of field names and rows of two columns.",
                     "zh-CN": "分区的“items”必须是由字段名和两栏行组成的列表。"},
    "layout.columns": {"en": "'columns' must be two lists of field names: [[…], […]].",
                       "zh-CN": "“columns”必须是两个字段名列表：[[…], […]]。"},
    "layout.text": {"en": "A section's '{name}' must be a text.", "zh-CN": "分区的“{name}”必须是文本。"},
    "layout.unknown_key": {"en": "'{name}' has no meaning in a layout entry; it is kept but has no effect.",
                           "zh-CN": "“{name}”在布局项中没有含义；它会被保留，但不起作用。"},
    "form.readonly": {"en": "{title} is read-only here and cannot be filled in or changed.",
                      "zh-CN": "{title}在此为只读，不能填写或修改。"},
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
    "transition.by_approval": {"en": "'{name}' is taken when the approval is decided: approve or reject instead.",
                               "zh-CN": "“{name}”会在审批有结果时自动执行：请直接同意或驳回。"},
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
    "notify.survey_link": {"en": "Answer here (no sign-in needed): {url}", "zh-CN": "点此评价（无需登录）：{url}"},
    "notify.survey_follow_up": {"en": "Follow up: the requester of {number} rated it {score} of {high}: {title}",
                                "zh-CN": "请跟进：{number} 的提单人仅打了 {score} 分（满分 {high}）：{title}"},
    # status links (runtime.tickets.status_links): a requester follows a ticket without signing in
    "notify.status_link": {"en": "Follow its status here (no sign-in needed): {url}",
                           "zh-CN": "点此查看处理进度（无需登录）：{url}"},
    "status.link_invalid": {"en": "This status link is not valid: it was changed or cut short. Use the link from "
                                  "your notification as it was sent, or sign in to the portal.",
                            "zh-CN": "此进度查询链接无效：链接已被修改或不完整。请使用通知中的原始链接，或登录服务门户查看。"},
    "status.link_expired": {"en": "This status link has expired. Sign in to the portal to follow your request.",
                            "zh-CN": "此进度查询链接已过期。请登录服务门户查看您的服务单。"},
    "status.not_found": {"en": "The ticket of this status link no longer exists.",
                         "zh-CN": "此进度查询链接对应的工单已不存在。"},
    # satisfaction surveys (runtime.automations.surveys): the answer page, the portal and the API
    "survey.link_invalid": {"en": "This survey link is not valid: it was changed or cut short. Open the ticket in "
                                  "the portal to answer instead.",
                            "zh-CN": "此调查链接无效：链接已被修改或不完整。请在服务门户中打开工单进行评价。"},
    "survey.link_expired": {"en": "This survey link has expired, and the survey is closed. Thank you all the same.",
                            "zh-CN": "此调查链接已过期，调查已关闭。仍然感谢您。"},
    "survey.expired": {"en": "This survey is closed: it could be answered until it expired.",
                       "zh-CN": "此调查已关闭：已超过可评价的期限。"},
    "survey.answered_already": {"en": "You answered this survey already; your first answer is kept.",
                                "zh-CN": "您已经回答过此调查，系统保留您的第一次回答。"},
    "survey.not_requester": {"en": "Only the requester of the ticket answers its survey.",
                             "zh-CN": "只有工单的提单人可以回答满意度调查。"},
    "survey.link_login": {"en": "Sign in as the requester of the ticket to answer.",
                          "zh-CN": "请以工单提单人的身份登录后再评价。"},
    "survey.score_range": {"en": "Give a score from {low} to {high}.", "zh-CN": "请给出 {low} 到 {high} 之间的分数。"},
    "survey.follow_up_done": {"en": "This follow-up is done already.", "zh-CN": "此跟进任务已完成。"},
    "survey.not_found": {"en": "Survey {id} does not exist on {number}.", "zh-CN": "{number} 上不存在调查 {id}。"},
    "survey.follow_up_not_found": {"en": "Follow-up {id} does not exist.", "zh-CN": "跟进任务 {id} 不存在。"},
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
    # machine-fed intake (runtime.intake): what a calling system and the admin who sets up its endpoint read
    "intake.not_found": {"en": "There is no active intake endpoint '{endpoint}'.",
                         "zh-CN": "不存在启用中的接入端点“{endpoint}”。"},
    "intake.token_missing": {"en": "Send the endpoint's token as 'Authorization: Bearer <token>'.",
                             "zh-CN": "请以“Authorization: Bearer <令牌>”发送此端点的令牌。"},
    "intake.token_wrong": {"en": "The token is not this endpoint's (or was replaced).",
                           "zh-CN": "该令牌不属于此端点（或已被更换）。"},
    "intake.unsigned": {"en": "Sign the request: send X-Gongdan-Timestamp and X-Gongdan-Signature.",
                        "zh-CN": "请对请求签名：发送 X-Gongdan-Timestamp 和 X-Gongdan-Signature。"},
    "intake.timestamp": {"en": "X-Gongdan-Timestamp must be the time of signing in Unix seconds.",
                         "zh-CN": "X-Gongdan-Timestamp 必须是签名时的 Unix 时间（秒）。"},
    "intake.stale": {"en": "The signature's timestamp is {seconds} seconds away from the server's clock; at most {window} "
                           "are allowed. Sign each request when it is sent.",
                     "zh-CN": "签名时间戳与服务器时钟相差 {seconds} 秒，最多允许 {window} 秒。请在每次发送时重新签名。"},
    "intake.signature": {"en": "The signature does not match the timestamp and body; sign 'timestamp.body' with the "
                               "endpoint's secret.",
                         "zh-CN": "签名与时间戳和请求体不符；请用端点的密钥对“时间戳.请求体”签名。"},
    "intake.too_large": {"en": "The payload takes {size} bytes; at most {limit} are allowed.",
                         "zh-CN": "请求体共 {size} 字节，最多允许 {limit} 字节。"},
    "intake.invalid_json": {"en": "The payload is not valid JSON: {problem}", "zh-CN": "请求体不是有效的 JSON：{problem}"},
    "intake.not_object": {"en": "The payload must be a JSON object.", "zh-CN": "请求体必须是一个 JSON 对象。"},
    "intake.problems": {"en": "The payload has {count} problem(s); nothing was written.",
                        "zh-CN": "请求体有 {count} 处问题，未写入任何内容。"},
    "intake.mapping_failed": {"en": "The mapping of '{field}' cannot be computed from this payload: {problem}",
                              "zh-CN": "无法由此请求体计算“{field}”的映射：{problem}"},
    "intake.key_failed": {"en": "The {which} cannot be computed from this payload: {problem}",
                          "zh-CN": "无法由此请求体计算{which}：{problem}"},
    "intake.key_long": {"en": "The source key is longer than {limit} characters.",
                        "zh-CN": "来源键超过 {limit} 个字符。"},
    "intake.source_key": {"en": "source key", "zh-CN": "来源键"},
    "intake.dedup_key": {"en": "deduplication key", "zh-CN": "去重键"},
    "intake.type_gone": {"en": "The endpoint's ticket type '{type}' is archived or has no published version.",
                         "zh-CN": "端点的工单类型“{type}”已归档或没有已发布的版本。"},
    "intake.requester_inactive": {"en": "The endpoint files tickets as {email}, who is deactivated; an admin must choose "
                                        "another requester.",
                                  "zh-CN": "此端点以 {email} 的身份提交工单，但该用户已停用；请管理员另选提交人。"},
    "intake.rate": {"en": "Too many calls to this endpoint from this address. Try again in {seconds} seconds.",
                    "zh-CN": "此地址对该端点的调用过多，请 {seconds} 秒后重试。"},
    "intake.repeated": {"en": "The same alarm arrived again ({count} times in all) through '{endpoint}'.",
                        "zh-CN": "同一告警再次通过“{endpoint}”到达（共 {count} 次）。"},
    "intake.unknown_field": {"en": "'{name}' is not a field of {type}'s form.", "zh-CN": "“{name}”不是{type}表单的字段。"},
    "intake.key_taken": {"en": "An intake endpoint with the key '{endpoint}' already exists.",
                         "zh-CN": "已存在键为“{endpoint}”的接入端点。"},
    "intake.no_type": {"en": "There is no published ticket type '{type}'.", "zh-CN": "不存在已发布的工单类型“{type}”。"},
    "intake.no_user": {"en": "There is no active user {email}.", "zh-CN": "不存在启用中的用户 {email}。"},
    "intake.rule": {"en": "{problem}", "zh-CN": "规则无效：{problem}"},
    # approvals (runtime/approvals)
    "approval.not_found": {"en": "Approval {id} does not exist.", "zh-CN": "审批 {id} 不存在。"},
    "approval.not_approver": {"en": "You are not asked to decide this approval, and nobody asked delegated it to you.",
                              "zh-CN": "您不是此审批的审批人，也没有审批人委托您代为审批。"},
    "approval.you_decided": {"en": "You already decided this approval ({decision}); a decision cannot be changed.",
                             "zh-CN": "您已对此审批作出决定（{decision}），决定不能更改。"},
    "approval.closed": {"en": "This approval is no longer open: it was {status} at {at}.",
                        "zh-CN": "此审批已结束：已于 {at} {status}。"},
    "approval.decision": {"en": "Choose 'approve' or 'reject'.", "zh-CN": "请选择“approve”（同意）或“reject”（驳回）。"},
    "approval.reject_reason": {"en": "Say why you reject: a rejection needs a comment.",
                               "zh-CN": "请说明驳回原因：驳回时必须填写意见。"},
    "approval.comment_long": {"en": "Use at most {limit} characters for the comment.",
                              "zh-CN": "意见最多 {limit} 个字符。"},
    "approval.on_behalf_unknown": {"en": "User {id} has not asked you to decide for them on this approval.",
                                   "zh-CN": "用户 {id} 没有委托您代为审批此审批。"},
    "approval.link_invalid": {"en": "This approval link is not valid: it was changed or cut. Open the ticket instead.",
                              "zh-CN": "此审批链接无效：链接已被修改或不完整。请直接打开工单。"},
    "approval.link_expired": {"en": "This approval link has expired. Open the ticket to decide.",
                              "zh-CN": "此审批链接已过期。请打开工单进行审批。"},
    "approval.link_login": {"en": "This link is shared with a channel: sign in as an approver to decide.",
                            "zh-CN": "此链接发送到了群聊：请以审批人身份登录后再审批。"},
    "approval.status.pending": {"en": "pending", "zh-CN": "待审批"},
    "approval.status.approved": {"en": "approved", "zh-CN": "已同意"},
    "approval.status.rejected": {"en": "rejected", "zh-CN": "已驳回"},
    "approval.status.cancelled": {"en": "cancelled", "zh-CN": "已取消"},
    "approval.decision.approve": {"en": "approved", "zh-CN": "同意"},
    "approval.decision.reject": {"en": "rejected", "zh-CN": "驳回"},
    "delegation.dates": {"en": "The last day is before the first day.", "zh-CN": "结束日期早于开始日期。"},
    "delegation.past": {"en": "The last day has passed already.", "zh-CN": "结束日期已经过去。"},
    "delegation.too_long": {"en": "A delegation lasts at most {days} days.", "zh-CN": "委托最长 {days} 天。"},
    "delegation.self": {"en": "Choose someone else: you cannot delegate to yourself.",
                        "zh-CN": "请选择其他人：不能委托给自己。"},
    "delegation.unknown_user": {"en": "User {id} does not exist or is deactivated.",
                                "zh-CN": "用户 {id} 不存在或已停用。"},
    "delegation.not_found": {"en": "Delegation {id} does not exist.", "zh-CN": "委托 {id} 不存在。"},
    "notify.approval": {"en": "{number} awaits your approval in '{state}' (until {due}): {title}",
                        "zh-CN": "{number} 在“{state}”等待您的审批（截止 {due}）：{title}"},
    "notify.approval_no_deadline": {"en": "{number} awaits your approval in '{state}': {title}",
                                    "zh-CN": "{number} 在“{state}”等待您的审批：{title}"},
    "notify.approval_for": {"en": "{name} is away and delegated to you: {message}",
                            "zh-CN": "{name} 不在，委托您代为审批：{message}"},
    "notify.approval_warning": {"en": "{number} still awaits your approval; the deadline is {due}: {title}",
                                "zh-CN": "{number} 仍在等待您的审批，截止时间为 {due}：{title}"},
    "notify.approval_escalated": {"en": "{number} was not approved in time; you are asked to decide: {title}",
                                  "zh-CN": "{number} 未在截止时间前完成审批，现请您审批：{title}"},
    "notify.approval_done": {"en": "{number}: the approval in '{state}' was {status}: {title}",
                             "zh-CN": "{number}：“{state}”的审批结果为{status}：{title}"},
    "notify.approval_links": {"en": "Approve: {approve}\nReject: {reject}",
                              "zh-CN": "同意：{approve}\n驳回：{reject}"},
    "notify.approval_link": {"en": "Decide (sign in as an approver): {url}",
                             "zh-CN": "审批（请以审批人身份登录）：{url}"},
    # the definition validator (designer/validation): its problems, in the designer's language
    "check.internal": {"en": "The definition could not be checked completely because of an internal error: the problems "
                             "listed are real, but there may be others. Please report this.",
                       "zh-CN": "由于内部错误，定义未能完整检查：列出的问题确实存在，但可能还有其他问题。请报告此情况。"},
    "check.labelled": {"en": "{label}: {text}", "zh-CN": "{label}：{text}"},
    "check.did_you_mean": {"en": " Did you mean '{name}'?", "zh-CN": "您是否想写“{name}”？"},
    "check.more": {"en": " and {count} more", "zh-CN": "等（另有 {count} 项）"},
    "check.conjunction.or": {"en": " or ", "zh-CN": "或"},
    "check.conjunction.and": {"en": " and ", "zh-CN": "和"},
    "check.value.empty_list": {"en": "an empty list", "zh-CN": "空列表"},
    "check.value.list": {"en": "a list of {count} item{s}", "zh-CN": "包含 {count} 项的列表{s:.0}"},
    "check.value.empty_object": {"en": "an empty object", "zh-CN": "空对象"},
    "check.value.object": {"en": "an object", "zh-CN": "对象"},
    "check.value.other": {"en": "a {kind}", "zh-CN": "{kind} 值"},
    "check.type.object": {"en": "an object", "zh-CN": "对象"},
    "check.type.array": {"en": "a list", "zh-CN": "列表"},
    "check.type.string": {"en": "text", "zh-CN": "文本"},
    "check.type.integer": {"en": "a whole number", "zh-CN": "整数"},
    "check.type.number": {"en": "a number", "zh-CN": "数字"},
    "check.type.boolean": {"en": "true or false", "zh-CN": "true 或 false"},
    "check.type.null": {"en": "null", "zh-CN": "空值（null）"},
    "check.subject.definition": {"en": "The definition", "zh-CN": "定义"},
    "check.subject.item_of": {"en": "Item {n} of '{name}'", "zh-CN": "“{name}”的第 {n} 项"},
    "check.subject.item": {"en": "Item {n}", "zh-CN": "第 {n} 项"},
    # the definition's meta-schema and the JSON Schema keywords
    "check.schema.type": {"en": "{subject} must be {expected}, not {found}.",
                          "zh-CN": "{subject}必须是{expected}，而不是{found}。"},
    "check.schema.enum": {"en": "{value} is not a valid choice for {subject}; use one of: {options}.",
                          "zh-CN": "{value}不是{subject}的有效选项；请使用以下之一：{options}。"},
    "check.schema.const": {"en": "{subject} must be {expected}, not {value}.",
                           "zh-CN": "{subject}必须是{expected}，而不是{value}。"},
    "check.schema.pattern_hint": {"en": "{value} is not valid for {subject}. {hint}",
                                  "zh-CN": "{value}不是{subject}的有效值。{hint}"},
    "check.schema.pattern": {"en": "{value} is not valid for {subject}: it must match {pattern}.",
                             "zh-CN": "{value}不是{subject}的有效值：必须匹配 {pattern}。"},
    "check.schema.regex": {"en": "{value} is not a valid regular expression.", "zh-CN": "{value}不是有效的正则表达式。"},
    "check.schema.format": {"en": "{value} is not a valid {format}.", "zh-CN": "{value}不是有效的 {format}。"},
    "check.schema.empty": {"en": "{subject} must not be empty.", "zh-CN": "{subject}不能为空。"},
    "check.schema.min_items_one": {"en": "{subject} needs at least one item.", "zh-CN": "{subject}至少需要一项。"},
    "check.schema.minLength": {"en": "{subject} must be at least {value} characters long.",
                               "zh-CN": "{subject}至少需要 {value} 个字符。"},
    "check.schema.maxLength": {"en": "{subject} is too long: at most {value} characters are allowed.",
                               "zh-CN": "{subject}太长：最多允许 {value} 个字符。"},
    "check.schema.minItems": {"en": "{subject} needs at least {value} items.", "zh-CN": "{subject}至少需要 {value} 项。"},
    "check.schema.minProperties": {"en": "{subject} needs at least {value} entries.",
                                   "zh-CN": "{subject}至少需要 {value} 个条目。"},
    "check.schema.minimum": {"en": "{subject} must be at least {value}.", "zh-CN": "{subject}不能小于 {value}。"},
    "check.schema.maximum": {"en": "{subject} must be at most {value}.", "zh-CN": "{subject}不能大于 {value}。"},
    "check.schema.exclusiveMinimum": {"en": "{subject} must be greater than {value}.", "zh-CN": "{subject}必须大于 {value}。"},
    "check.schema.exclusiveMaximum": {"en": "{subject} must be less than {value}.", "zh-CN": "{subject}必须小于 {value}。"},
    "check.schema.multipleOf": {"en": "{subject} must be a multiple of {value}.", "zh-CN": "{subject}必须是 {value} 的倍数。"},
    "check.schema.maxItems": {"en": "{subject} has {size} items; at most {value} are allowed.",
                              "zh-CN": "{subject}有 {size} 项，最多允许 {value} 项。"},
    "check.schema.maxProperties": {"en": "{subject} has {size} entries; at most {value} are allowed.",
                                   "zh-CN": "{subject}有 {size} 个条目，最多允许 {value} 个。"},
    "check.schema.twice": {"en": "{value} is listed twice.", "zh-CN": "{value}被列出了两次。"},
    "check.schema.unique": {"en": "{subject} lists something twice.", "zh-CN": "{subject}中有重复的项。"},
    "check.schema.must_match": {"en": "It must match {pattern}.", "zh-CN": "必须匹配 {pattern}。"},
    "check.schema.name_hint": {"en": "The name {name} cannot be used here. {hint}", "zh-CN": "此处不能使用名称{name}。{hint}"},
    "check.schema.name": {"en": "The name {name} cannot be used here: {problem}",
                          "zh-CN": "此处不能使用名称{name}：{problem}"},
    "check.schema.unknown_key": {"en": "Unknown key {key}: allowed here are {allowed}.",
                                 "zh-CN": "未知的键{key}：此处允许的键有 {allowed}。"},
    "check.schema.required": {"en": "'{name}' is required.", "zh-CN": "“{name}”为必填项。"},
    "check.schema.only_one": {"en": "Use only one of {choices}.", "zh-CN": "{choices}只能使用其中一个。"},
    "check.schema.needs_exactly_one": {"en": "Needs exactly one of {choices}.", "zh-CN": "{choices}必须且只能有一个。"},
    "check.schema.needs_at_least_one": {"en": "Needs at least one of {choices}.", "zh-CN": "{choices}至少需要一个。"},
    "check.schema.several_forms": {"en": "{subject} matches more than one of the allowed forms; it must match exactly one.",
                                   "zh-CN": "{subject}同时符合多种允许的写法；只能符合其中一种。"},
    "check.schema.expected": {"en": "{subject} is not valid here ({value}). Expected: {expected}",
                              "zh-CN": "{subject}在此处无效（{value}）。应为：{expected}"},
    "check.schema.expected_kinds": {"en": " Expected {kinds}.", "zh-CN": "应为{kinds}。"},
    "check.schema.not_valid_here": {"en": "{subject} is not valid here ({value}).", "zh-CN": "{subject}在此处无效（{value}）。"},
    # the hints of the definition's meta-schema (its "x-error"), by their English text
    "check.hint.field_name": {"en": "A field name is 1 to 64 letters, digits or '_', starting with a letter.",
                              "zh-CN": "字段名由 1 到 64 个字母、数字或“_”组成，并以字母开头。"},
    "check.hint.recipient": {"en": "A recipient is requester, assignee, watchers, team, team.supervisor, team.manager, "
                                   "role:<role> or user:<email>.",
                             "zh-CN": "接收人可以是 requester（提交人）、assignee（处理人）、watchers（关注人）、team（团队）、"
                                      "team.supervisor（团队主管）、team.manager（团队经理）、role:<角色> 或 user:<邮箱>。"},
    "check.hint.role": {"en": "A role name is 2 to 40 lower-case letters, digits, '-' or '_'.",
                        "zh-CN": "角色名由 2 到 40 个小写字母、数字、“-”或“_”组成。"},
    "check.hint.webhook": {"en": "A webhook URL starts with http:// or https://.",
                           "zh-CN": "Webhook 地址必须以 http:// 或 https:// 开头。"},
    "check.hint.calendar": {"en": "Name a business calendar by its key, such as 24x7.",
                            "zh-CN": "请用工作日历的键来指定它，例如 24x7。"},
    "check.hint.user": {"en": "Name the user by email.", "zh-CN": "请用邮箱指定用户。"},
    "check.hint.key": {"en": "Use 1 to 64 lower-case letters, digits, '-' or '_', starting with a letter.",
                       "zh-CN": "请使用 1 到 64 个小写字母、数字、“-”或“_”，并以字母开头。"},
    "check.hint.prefix": {"en": "Use 2 to 10 capital letters or digits, starting with a letter, such as INC.",
                          "zh-CN": "请使用 2 到 10 个大写字母或数字，并以字母开头，例如 INC。"},
    "check.hint.duration": {"en": "Write a duration in ISO 8601 with weeks, days, hours, minutes or seconds, such as "
                                  "PT30M, PT4H or P3D.",
                            "zh-CN": "请用 ISO 8601 格式写时长（周、天、小时、分钟或秒），例如 PT30M、PT4H 或 P3D。"},
    "check.hint.approvers": {"en": "Who is asked: named users (by email), every member of roles and teams, the requester's "
                                   "manager; resolved when the approval opens.",
                             "zh-CN": "审批人：指定的用户（按邮箱）、角色和团队的全部成员、提交人的上级；在审批开始时确定。"},
    "check.hint.from": {"en": "The states it leaves from, or '*' for every non-final state.",
                        "zh-CN": "流转的起始状态列表，或用“*”表示所有非终止状态。"},
    # the whole document
    "check.document.not_object": {"en": "A definition is a JSON object ({{ … }}), not {found}.",
                                  "zh-CN": "定义必须是一个 JSON 对象（{{ … }}），而不是{found}。"},
    "check.format.upgrade_failed": {"en": "The definition could not be upgraded from format {format}: {problem}",
                                    "zh-CN": "无法将定义从格式 {format} 升级：{problem}"},
    "check.format.missing": {"en": "'format' is missing: say which version of the format this is, e.g. \"format\": "
                                   "{current}. Supported formats: {supported}.",
                             "zh-CN": "缺少“format”：请注明这是哪个版本的格式，例如 \"format\": {current}。"
                                      "支持的格式：{supported}。"},
    "check.format.unsupported": {"en": "Format {format} is not supported: this version of Gongdan reads format {supported}.",
                                 "zh-CN": "不支持格式{format}：此版本的工单系统只能读取格式 {supported}。"},
    "check.document.too_large": {"en": "The definition is too large to check: it has more than {limit} values, and real "
                                       "definitions have far fewer. Remove generated or repeated parts.",
                                 "zh-CN": "定义太大，无法检查：它包含超过 {limit} 个值，而实际的定义远少于此。"
                                          "请删除自动生成或重复的部分。"},
    "check.document.huge_number": {"en": "This number is far too large (more than 77 digits); no part of a definition needs "
                                         "one.",
                                   "zh-CN": "这个数字太大了（超过 77 位）；定义的任何部分都不需要这么大的数字。"},
    "check.document.too_deep": {"en": "This part is nested more than {limit} levels deep; the definition format never needs "
                                      "that much nesting, and what is inside was not checked.",
                                "zh-CN": "这一部分的嵌套超过 {limit} 层；定义格式从不需要这么深的嵌套，其中的内容未被检查。"},
    "check.document.too_long": {"en": "This has {size} entries; only the first {limit} were checked. No part of a "
                                      "definition needs that many.",
                                "zh-CN": "这里有 {size} 个条目，只检查了前 {limit} 个。定义的任何部分都不需要这么多条目。"},
    "check.limit.more_errors": {"en": "…and {count} more errors.", "zh-CN": "……另有 {count} 个错误。"},
    "check.limit.more_warnings": {"en": "…and {count} more warnings.", "zh-CN": "……另有 {count} 个警告。"},
    # where a problem is (the start of many messages)
    "check.label.state": {"en": "State {title}", "zh-CN": "状态{title}"},
    "check.label.transition": {"en": "Transition {title}", "zh-CN": "流转{title}"},
    "check.label.action": {"en": ", action {n}", "zh-CN": "的第 {n} 个动作"},
    "check.label.transition_field": {"en": ", field {name}", "zh-CN": "的字段{name}"},
    "check.label.workflow": {"en": "The workflow", "zh-CN": "流程"},
    "check.label.routing": {"en": "Routing rule {title}", "zh-CN": "路由规则{title}"},
    "check.label.sla": {"en": "SLA policy {title}", "zh-CN": "服务级别(SLA)策略{title}"},
    "check.label.escalation_step": {"en": ", escalation step {n}", "zh-CN": "的第 {n} 级升级"},
    "check.label.automation": {"en": "Automation {title}", "zh-CN": "自动化规则{title}"},
    "check.label.chart": {"en": "Chart {title}", "zh-CN": "图表{title}"},
    "check.label.measure": {"en": ", measure {n}", "zh-CN": "的第 {n} 个指标"},
    "check.label.field_rule": {"en": "Field rule {n}", "zh-CN": "字段规则 {n}"},
    "check.label.field": {"en": "Field {name}", "zh-CN": "字段{name}"},
    "check.label.form_schema": {"en": "The form's schema", "zh-CN": "表单的 Schema"},
    "check.label.form_ui": {"en": "The form's UI settings", "zh-CN": "表单的界面设置"},
    "check.label.override": {"en": "Priority override {n}", "zh-CN": "优先级调整规则 {n}"},
    "check.label.matrix": {"en": "The priority matrix", "zh-CN": "优先级矩阵"},
    # the form
    "check.none": {"en": "none", "zh-CN": "无"},
    "check.form.schema_dialect": {"en": "The form's schema must be JSON Schema 2020-12: leave '$schema' out or set it to "
                                        "{uri} (it is {found}).",
                                  "zh-CN": "表单的 Schema 必须是 JSON Schema 2020-12：请删除“$schema”或将其设为 {uri}"
                                           "（当前为{found}）。"},
    "check.form.reserved_field": {"en": "The field name '{name}' is reserved: {use}. Rename the field.",
                                  "zh-CN": "字段名“{name}”是保留名称：{use}。请重命名该字段。"},
    "check.form.reserved.ticket": {"en": "rules read the ticket's attributes as ticket.*",
                                   "zh-CN": "规则通过 ticket.* 读取工单的属性"},
    "check.form.reserved.comment": {"en": "'comment' in a transition's 'require' means the comment written when taking it",
                                    "zh-CN": "流转的“require”中的“comment”指执行该流转时填写的评论"},
    "check.form.reserved.i18n": {"en": "'i18n' holds the translations of an object's texts",
                                 "zh-CN": "“i18n”用于存放对象文本的翻译"},
    "check.form.field_name": {"en": "The field name {name} cannot be used: a field name is 1 to 64 letters, digits or '_', "
                                    "starting with a letter (rules and field lists refer to fields by this name).",
                              "zh-CN": "不能使用字段名{name}：字段名由 1 到 64 个字母、数字或“_”组成，并以字母开头"
                                       "（规则和字段列表通过这个名称引用字段）。"},
    "check.form.unknown_required": {"en": "The form requires '{name}', which is not one of its fields; the form could never "
                                          "be submitted.",
                                    "zh-CN": "表单要求必填“{name}”，但表单中没有这个字段；表单将永远无法提交。"},
    "check.form.rule_show": {"en": "Field rule {n} shows the field '{name}', which the form does not have.",
                             "zh-CN": "字段规则 {n} 要显示字段“{name}”，但表单中没有这个字段。"},
    "check.form.rule_hide": {"en": "Field rule {n} hides the field '{name}', which the form does not have.",
                             "zh-CN": "字段规则 {n} 要隐藏字段“{name}”，但表单中没有这个字段。"},
    "check.form.rule_require": {"en": "Field rule {n} requires the field '{name}', which the form does not have.",
                                "zh-CN": "字段规则 {n} 要求必填字段“{name}”，但表单中没有这个字段。"},
    "check.form.rule_readonly": {"en": "Field rule {n} makes read-only the field '{name}', which the form does not have.",
                                 "zh-CN": "字段规则 {n} 要将字段“{name}”设为只读，但表单中没有这个字段。"},
    "check.form.schema_too_deep": {"en": "This JSON Schema is nested too deeply to check.",
                                   "zh-CN": "此 JSON Schema 嵌套太深，无法检查。"},
    "check.form.unknown_keyword": {"en": "'{name}' is not a JSON Schema keyword and has no effect.",
                                   "zh-CN": "“{name}”不是 JSON Schema 关键字，不起任何作用。"},
    "check.form.ref_missing": {"en": "'$ref' points at {ref}, which is not in this schema.",
                               "zh-CN": "“$ref”指向{ref}，但此 Schema 中没有它。"},
    "check.form.ref_anchor": {"en": "'$ref' points at the anchor {ref}, which no '$anchor' in this schema defines.",
                              "zh-CN": "“$ref”指向锚点{ref}，但此 Schema 中没有“$anchor”定义它。"},
    "check.form.ref_outside": {"en": "'$ref' points outside the schema ({ref}); a definition must be self-contained: put what "
                                     "it refers to under '$defs' and refer to it as '#/$defs/…'.",
                               "zh-CN": "“$ref”指向 Schema 之外（{ref}）；定义必须自成一体：请把引用的内容放在“$defs”下，"
                                        "并以“#/$defs/…”引用。"},
    "check.form.pattern_too_long": {"en": "This pattern is {size} characters long; at most {limit} are allowed.",
                                    "zh-CN": "此正则表达式长 {size} 个字符，最多允许 {limit} 个。"},
    "check.form.pattern_unsupported": {"en": "The pattern {pattern} cannot be used: {problem}. Patterns are matched in linear "
                                             "time, which rules out look-ahead and look-behind ((?=…), (?!…), (?<=…), "
                                             "(?<!…)), backreferences (\\1, \\k<name>) and repetition counts over 1,000.",
                                       "zh-CN": "不能使用正则表达式{pattern}：{problem}。正则表达式以线性时间匹配，因此不支持"
                                                "前瞻和后顾（(?=…)、(?!…)、(?<=…)、(?<!…)）、反向引用（\\1、\\k<name>）"
                                                "以及超过 1,000 的重复次数。"},
    "check.form.ui_order_item": {"en": "'ui:order' lists field names; {found} is not one.",
                                 "zh-CN": "“ui:order”列出的是字段名；{found}不是字段名。"},
    "check.form.ui_order_twice": {"en": "'ui:order' lists '{name}' twice.", "zh-CN": "“ui:order”中“{name}”出现了两次。"},
    "check.form.ui_order_unknown": {"en": "'ui:order' lists '{name}', which is not a form field; the form would not render.",
                                    "zh-CN": "“ui:order”列出了“{name}”，但它不是表单字段；表单将无法显示。"},
    "check.form.ui_order_list": {"en": "'ui:order' must be a list of field names.", "zh-CN": "“ui:order”必须是字段名列表。"},
    "check.form.ui_unknown_field": {"en": "The form's UI settings mention '{name}', which is not a form field; they have no "
                                          "effect.",
                                    "zh-CN": "表单的界面设置提到了“{name}”，但它不是表单字段；这些设置不起作用。"},
    "check.categories.mismatch": {"en": "The field 'category' offers {value}, which is not one of the ticket type's "
                                        "categories ({known}). Add it to 'categories' or remove it from the field.",
                                  "zh-CN": "字段“category”提供了选项{value}，但它不是此工单类型的分类（{known}）之一。"
                                           "请把它加入“categories”，或从字段中删除。"},
    "check.categories.unused": {"en": "Category '{name}' cannot be chosen: the field 'category' does not offer it.",
                                "zh-CN": "分类“{name}”无法被选择：字段“category”没有提供这个选项。"},
    # translations in a definition
    "check.language": {"en": "{name} ({locale})", "zh-CN": "{name}（{locale}）"},
    "check.language.en": {"en": "English", "zh-CN": "英文"},
    "check.language.zh-CN": {"en": "Chinese", "zh-CN": "中文"},
    "check.what.document": {"en": "the ticket type", "zh-CN": "工单类型"},
    "check.what.schema": {"en": "a field's schema", "zh-CN": "字段的 Schema"},
    "check.what.ui": {"en": "a field's UI settings", "zh-CN": "字段的界面设置"},
    "check.what.state": {"en": "a state", "zh-CN": "状态"},
    "check.what.transition": {"en": "a transition", "zh-CN": "流转"},
    "check.what.routing": {"en": "a routing rule", "zh-CN": "路由规则"},
    "check.what.sla": {"en": "an SLA policy", "zh-CN": "服务级别(SLA)策略"},
    "check.what.automation": {"en": "an automation", "zh-CN": "自动化规则"},
    "check.what.chart": {"en": "a chart", "zh-CN": "图表"},
    "check.what.measure": {"en": "a chart's measure", "zh-CN": "图表的指标"},
    "check.i18n.reserved_property": {"en": "The property name 'i18n' is reserved: it holds an object's translations. Rename it.",
                                     "zh-CN": "属性名“i18n”是保留名称：它用于存放对象的翻译。请重命名。"},
    "check.i18n.misplaced": {"en": "The form's UI settings as a whole have no texts to translate: put 'i18n' in the settings "
                                   "of a field, such as form.ui.category.i18n.",
                             "zh-CN": "表单的整体界面设置没有可翻译的文本：请把“i18n”放在某个字段的设置中，"
                                      "例如 form.ui.category.i18n。"},
    "check.i18n.not_object": {"en": "'i18n' holds translations by language, such as {{\"zh-CN\": {{\"{text}\": \"…\"}}}}; "
                                    "this is {found}.",
                              "zh-CN": "“i18n”按语言存放翻译，例如 {{\"zh-CN\": {{\"{text}\": \"…\"}}}}；这里却是{found}。"},
    "check.i18n.locale": {"en": "{locale} is not a language Gongdan translates into: use {locales}.",
                          "zh-CN": "{locale}不是工单系统支持的翻译语言：请使用 {locales}。"},
    "check.i18n.same_locale": {"en": "The definition is written in {language} (its 'locale'), so these {language} texts are "
                                     "never used.",
                               "zh-CN": "定义本身以{language}编写（见其“locale”），因此这些{language}文本永远不会被使用。"},
    "check.i18n.language_not_object": {"en": "The {language} translations are an object of texts, such as "
                                             "{{\"{text}\": \"…\"}}; this is {found}.",
                                       "zh-CN": "{language}翻译应是一个文本对象，例如 {{\"{text}\": \"…\"}}；这里却是{found}。"},
    "check.i18n.unknown_text": {"en": "{name} cannot be translated here: the texts of {what} are {texts}.",
                                "zh-CN": "此处不能翻译{name}：{what}的文本有 {texts}。"},
    "check.i18n.not_list": {"en": "The {language} '{name}' is a list of texts, one per entry of '{name}', not {found}.",
                            "zh-CN": "{language}的“{name}”应是文本列表，与“{name}”的条目一一对应，而不是{found}。"},
    "check.i18n.nothing_to_translate": {"en": "There is no '{name}' here to translate: write it first, then its {language} "
                                              "translation.",
                                        "zh-CN": "这里没有可翻译的“{name}”：请先填写它，再填写{language}翻译。"},
    "check.i18n.nothing_to_translate_text": {"en": "There is no '{name}' here to translate: write it first, then its "
                                                   "{language} translation ({value}).",
                                             "zh-CN": "这里没有可翻译的“{name}”：请先填写它，再填写{language}翻译（{value}）。"},
    "check.i18n.length_one": {"en": "The {language} '{name}' has {count} entry but '{name}' has {authored}: give one per "
                                    "entry, in the same order (it is not used otherwise).",
                              "zh-CN": "{language}的“{name}”有 {count} 条，而“{name}”有 {authored} 条：请按相同顺序逐条翻译"
                                       "（否则不会使用）。"},
    "check.i18n.length": {"en": "The {language} '{name}' has {count} entries but '{name}' has {authored}: give one per "
                                "entry, in the same order (it is not used otherwise).",
                          "zh-CN": "{language}的“{name}”有 {count} 条，而“{name}”有 {authored} 条：请按相同顺序逐条翻译"
                                   "（否则不会使用）。"},
    "check.i18n.empty_entry": {"en": "Entry {n} of the {language} '{name}' is empty.",
                               "zh-CN": "{language}的“{name}”第 {n} 条为空。"},
    "check.i18n.not_text": {"en": "The {language} '{name}' must be text, not {found}.",
                            "zh-CN": "{language}的“{name}”必须是文本，而不是{found}。"},
    # rules in a definition: where a rule is, and what is wrong with it
    "check.rule.where.field_rule": {"en": "The condition of field rule {n}", "zh-CN": "字段规则 {n} 的条件"},
    "check.rule.where.override": {"en": "The condition of priority override {n}", "zh-CN": "优先级调整规则 {n} 的条件"},
    "check.rule.where.guard": {"en": "The guard of {name}", "zh-CN": "{name}的前置条件"},
    "check.rule.where.action": {"en": "action {n} of {name}", "zh-CN": "{name}的第 {n} 个动作"},
    "check.rule.where.condition": {"en": "The condition of {name}", "zh-CN": "{name}的条件"},
    "check.rule.where.filter": {"en": "The filter of chart {title}", "zh-CN": "图表{title}的筛选条件"},
    "check.rule.where.value": {"en": "The value of '{name}' in {where}", "zh-CN": "{where}中“{name}”的值"},
    "check.rule.kind.routing": {"en": "routing rule {title}", "zh-CN": "路由规则{title}"},
    "check.rule.kind.sla": {"en": "SLA policy {title}", "zh-CN": "服务级别(SLA)策略{title}"},
    "check.rule.kind.automations": {"en": "automation {title}", "zh-CN": "自动化规则{title}"},
    "check.rule.unchecked": {"en": "{where} could not be checked ({kind}).", "zh-CN": "{where}无法检查（{kind}）。"},
    "check.rule.python": {"en": " (it would let a rule call Python code)", "zh-CN": "（它会让规则调用 Python 代码）"},
    "check.rule.operator": {"en": "{where}: the operator '{name}' is not allowed{danger}; see docs/rules.md for the "
                                  "operators rules can use.",
                            "zh-CN": "{where}：不允许使用运算符“{name}”{danger}；规则可用的运算符见 docs/rules.md。"},
    "check.rule.unknown_attribute": {"en": "{where} uses '{name}', which is not a ticket attribute.{hint} The ticket "
                                           "attributes are listed in docs/definition-format.md.",
                                     "zh-CN": "{where}使用了“{name}”，但它不是工单属性。{hint}工单属性列表见 "
                                              "docs/definition-format.md。"},
    "check.rule.transition_field": {"en": "{where} uses '{name}', a field that only transition '{owner}' asks for; it is "
                                          "empty until a ticket has taken that transition.",
                                    "zh-CN": "{where}使用了“{name}”，这个字段只在流转“{owner}”中填写；工单执行该流转之前"
                                             "它一直为空。"},
    "check.rule.unknown_field": {"en": "{where} uses the field '{name}', which the form does not have.",
                                 "zh-CN": "{where}使用了字段“{name}”，但表单中没有这个字段。"},
    # the workflow
    "check.workflow.duplicate_state": {"en": "State key '{key}' is used twice: states {first} and {second}. Each state "
                                             "needs its own key.",
                                       "zh-CN": "状态键“{key}”被使用了两次：第 {first} 个和第 {second} 个状态。"
                                                "每个状态都需要自己的键。"},
    "check.workflow.duplicate_transition": {"en": "Transition key '{key}' is used twice: transitions {first} and {second}. "
                                                  "Each transition needs its own key.",
                                            "zh-CN": "流转键“{key}”被使用了两次：第 {first} 个和第 {second} 个流转。"
                                                     "每个流转都需要自己的键。"},
    "check.workflow.no_initial_state": {"en": "No state is marked initial: mark exactly one state (where new tickets start) "
                                              "with \"initial\": true.",
                                        "zh-CN": "没有标记为初始的状态：请用 \"initial\": true 标记一个且仅一个状态"
                                                 "（新工单从这里开始）。"},
    "check.workflow.several_initial_states": {"en": "{name} is marked initial, but so is {first}: exactly one state may be "
                                                    "initial.",
                                              "zh-CN": "{name}被标记为初始状态，但{first}也是：只能有一个初始状态。"},
    "check.workflow.no_final_state": {"en": "No state is marked final: mark at least one state (where tickets end, e.g. "
                                            "closed) with \"final\": true.",
                                      "zh-CN": "没有标记为终止的状态：请用 \"final\": true 标记至少一个状态"
                                               "（工单在这里结束，例如已关闭）。"},
    "check.workflow.unknown_to": {"en": "{name} goes to state '{state}', which does not exist.",
                                  "zh-CN": "{name}流转到状态“{state}”，但该状态不存在。"},
    "check.workflow.unknown_from": {"en": "{name} leaves from state '{state}', which does not exist.",
                                    "zh-CN": "{name}从状态“{state}”出发，但该状态不存在。"},
    "check.workflow.automatic_asks_require": {"en": "{name} is taken by itself when the ticket is assigned, so nobody is "
                                                    "there to fill in its required fields: remove 'require', or remove "
                                                    "\"on\": \"assigned\".",
                                              "zh-CN": "{name}在工单被分派时自动执行，没有人来填写它的必填字段：请删除"
                                                       "“require”，或删除 \"on\": \"assigned\"。"},
    "check.workflow.automatic_asks_checklist": {"en": "{name} is taken by itself when the ticket is assigned, so nobody is "
                                                      "there to fill in its checklist: remove 'checklist', or remove "
                                                      "\"on\": \"assigned\".",
                                                "zh-CN": "{name}在工单被分派时自动执行，没有人来完成它的检查清单：请删除"
                                                         "“checklist”，或删除 \"on\": \"assigned\"。"},
    "check.workflow.automatic_twice": {"en": "{name} and {first} are both taken on assignment from state '{state}': only "
                                             "the first whose guard holds is.",
                                       "zh-CN": "{name}和{first}都会在工单于状态“{state}”被分派时自动执行：只会执行第一个"
                                                "前置条件成立的流转。"},
    "check.workflow.unknown_field": {"en": "{name} requires '{field}', which is neither a form field, nor one of the "
                                           "transition's own fields, nor 'comment'.",
                                     "zh-CN": "{name}要求填写“{field}”，但它既不是表单字段，也不是该流转自己的字段，"
                                              "也不是“comment”。"},
    "check.workflow.reserved_field": {"en": "{name}: the field name '{field}' is reserved; rename the field.",
                                      "zh-CN": "{name}：字段名“{field}”是保留名称；请重命名该字段。"},
    "check.workflow.field_shadows_form": {"en": "{name} asks again for '{field}', which the form already has; the answer "
                                                "replaces the form's value.",
                                          "zh-CN": "{name}再次要求填写“{field}”，但表单中已有这个字段；"
                                                   "填写的内容会替换表单中的值。"},
    "check.workflow.unreachable_state": {"en": "State '{state}' cannot be reached: no chain of transitions leads to it from "
                                               "the initial state '{start}'.",
                                         "zh-CN": "状态“{state}”无法到达：从初始状态“{start}”出发，没有任何流转路径能到达它。"},
    "check.workflow.dead_end": {"en": "State '{state}' has no way out: it is not final and no transition leaves it, so "
                                      "tickets that reach it stay there.",
                                "zh-CN": "状态“{state}”没有出口：它不是终止状态，也没有任何流转从它出发，"
                                         "到达这里的工单会一直停留在此。"},
    # approvals in a state
    "check.approval.final_state": {"en": "{name} is final and asks for an approval: a ticket that ends there waits for a "
                                         "decision that leads nowhere. Put the approval on a state before it.",
                                   "zh-CN": "{name}是终止状态却设置了审批：结束在这里的工单所等待的审批结果不会带来任何流转。"
                                            "请把审批放在它之前的状态上。"},
    "check.approval.unknown_transition": {"en": "{name}: '{side}' names transition '{transition}', which does not exist.",
                                          "zh-CN": "{name}：“{side}”指定的流转“{transition}”不存在。"},
    "check.approval.transition_source": {"en": "{name}: '{side}' names transition '{transition}', which does not leave from "
                                               "state '{state}': add it to the transition's 'from'.",
                                         "zh-CN": "{name}：“{side}”指定的流转“{transition}”并不从状态“{state}”出发："
                                                  "请把该状态加入流转的“from”。"},
    "check.approval.automatic_transition": {"en": "{name}: transition '{transition}' is taken on assignment; the approval's "
                                                  "decision cannot take it too.",
                                            "zh-CN": "{name}：流转“{transition}”在分派时自动执行；审批结果不能再触发它。"},
    "check.approval.transition_asks_require": {"en": "{name}: transition '{transition}' is taken by the approval's decision, "
                                                     "so nobody is there to fill in its required fields: remove 'require' "
                                                     "from it.",
                                               "zh-CN": "{name}：流转“{transition}”由审批结果触发，没有人来填写它的必填字段："
                                                        "请删除它的“require”。"},
    "check.approval.transition_asks_checklist": {"en": "{name}: transition '{transition}' is taken by the approval's "
                                                       "decision, so nobody is there to fill in its checklist: remove "
                                                       "'checklist' from it.",
                                                 "zh-CN": "{name}：流转“{transition}”由审批结果触发，没有人来完成它的检查清单："
                                                          "请删除它的“checklist”。"},
    "check.approval.guard_ignored": {"en": "{name}: the guard of transition '{transition}' is not asked when the approval's "
                                           "decision takes it.",
                                     "zh-CN": "{name}：由审批结果触发流转“{transition}”时，不会检查它的前置条件。"},
    "check.approval.same_transition": {"en": "{name}: approving and rejecting take the same transition '{transition}'; give "
                                             "each its own.",
                                       "zh-CN": "{name}：同意和驳回触发的是同一个流转“{transition}”；请为两者分别指定流转。"},
    "check.approval.zero_deadline": {"en": "{name}: the deadline is zero; give the approvers some time.",
                                     "zh-CN": "{name}：审批期限为零；请给审批人留出时间。"},
    "check.approval.no_deadline": {"en": "{name}: '{key}' needs a 'deadline'.", "zh-CN": "{name}：“{key}”需要设置“deadline”。"},
    "check.approval.warning_too_early": {"en": "{name}: the reminder comes {before} before a deadline of {deadline}, that is "
                                               "when the approval opens: it is never sent.",
                                         "zh-CN": "{name}：提醒在期限 {deadline} 到期前 {before} 发出，也就是审批刚开始时："
                                                  "它永远不会被发送。"},
    "check.approval.escalate_to_missing": {"en": "{name}: escalating at the deadline needs 'escalate_to' (who is asked then).",
                                           "zh-CN": "{name}：到期升级需要设置“escalate_to”（届时请谁审批）。"},
    "check.approval.escalate_to_unused": {"en": "{name}: 'escalate_to' is asked only when the approval is still open if it "
                                                "escalates at the deadline (\"on_timeout\": \"escalate\"); until then they "
                                                "are asked only when no approver can be found.",
                                          "zh-CN": "{name}：只有设置了到期升级（\"on_timeout\": \"escalate\"）时，"
                                                   "“escalate_to”中的人才会在审批仍未完成时被请求审批；否则只在找不到"
                                                   "审批人时才请求他们。"},
    "check.approval.unknown_role": {"en": "{name}: role '{role}' does not exist yet; until an admin creates it and gives it "
                                          "to someone, nobody of it is asked.",
                                    "zh-CN": "{name}：角色“{role}”尚不存在；在管理员创建它并分配给用户之前，"
                                             "不会请求任何人审批。"},
    "check.approval.unknown_team": {"en": "{name}: team '{team}' does not exist yet; until an admin creates it, none of its "
                                          "members is asked.",
                                    "zh-CN": "{name}：团队“{team}”尚不存在；在管理员创建它之前，不会请求任何成员审批。"},
    # priority and SLA policies
    "check.priority.unknown_level.default": {"en": "The default priority is {value}, which is not a priority level (the "
                                                   "levels are {levels}).",
                                             "zh-CN": "默认优先级为{value}，但它不是优先级级别（级别有 {levels}）。"},
    "check.priority.unknown_level.cell": {"en": "The priority matrix cell '{cell}' gives {value}, which is not a priority "
                                                "level (the levels are {levels}).",
                                          "zh-CN": "优先级矩阵单元格“{cell}”给出{value}，"
                                                   "但它不是优先级级别（级别有 {levels}）。"},
    "check.priority.unknown_level.override": {"en": "Priority override {n} sets {value}, which is not a priority level (the "
                                                    "levels are {levels}).",
                                              "zh-CN": "优先级调整规则 {n} 设为{value}，但它不是优先级级别（级别有 {levels}）。"},
    "check.priority.unknown_level.routing": {"en": "{name} sets the priority {value}, which is not a priority level (the "
                                                   "levels are {levels}).",
                                             "zh-CN": "{name}将优先级设为{value}，但它不是优先级级别（级别有 {levels}）。"},
    "check.priority.matrix_unknown_field": {"en": "The priority matrix uses the field '{name}', which the form does not have.",
                                            "zh-CN": "优先级矩阵使用了字段“{name}”，但表单中没有这个字段。"},
    "check.priority.matrix_open_field": {"en": "The priority matrix uses the field '{name}', which has no fixed list of "
                                               "values; give the field an 'enum'.",
                                         "zh-CN": "优先级矩阵使用了字段“{name}”，但它没有固定的可选值；请为该字段设置“enum”。"},
    "check.priority.matrix_cell_part": {"en": "The priority matrix cell '{cell}' needs {count} part separated by '|' (one "
                                              "per field: {fields}), or is '*' alone.",
                                        "zh-CN": "优先级矩阵单元格“{cell}”需要 {count} 个以“|”分隔的部分（每个字段一个："
                                                 "{fields}），或者只写“*”。"},
    "check.priority.matrix_cell_parts": {"en": "The priority matrix cell '{cell}' needs {count} parts separated by '|' (one "
                                               "per field: {fields}), or is '*' alone.",
                                         "zh-CN": "优先级矩阵单元格“{cell}”需要 {count} 个以“|”分隔的部分（每个字段一个："
                                                  "{fields}），或者只写“*”。"},
    "check.priority.matrix_cell_value": {"en": "The priority matrix cell '{cell}': '{part}' is not a value of the field "
                                               "'{name}' ({values}), nor '*'.",
                                         "zh-CN": "优先级矩阵单元格“{cell}”：“{part}”既不是字段“{name}”的可选值（{values}），"
                                                  "也不是“*”。"},
    "check.sla.unreachable_policy": {"en": "{name} never applies: {first} before it matches every ticket (the first policy "
                                           "whose condition matches is used).",
                                     "zh-CN": "{name}永远不会生效：它前面的{first}匹配所有工单（使用第一个条件匹配的策略）。"},
    "check.sla.unknown_level": {"en": "{name} has targets for '{level}', which is not a priority level (the levels are "
                                      "{levels}).",
                                "zh-CN": "{name}为“{level}”设置了目标，但它不是优先级级别（级别有 {levels}）。"},
    "check.sla.unreachable_level": {"en": "No ticket can get priority {level}: no matrix cell, default, override, routing "
                                          "rule or escalation produces it, so {name}'s targets for it never apply. Remove "
                                          "them, or make the priority reachable.",
                                    "zh-CN": "没有工单会得到优先级 {level}：矩阵单元格、默认值、调整规则、路由规则和升级都不会"
                                             "产生它，因此{name}为它设置的目标永远不会生效。请删除这些目标，或让该优先级可以达到。"},
    "check.sla.zero_target": {"en": "{name}: the {metric} target for {level} is zero; a target must be longer than zero "
                                    "(e.g. PT15M).",
                              "zh-CN": "{name}：{level} 的{metric}目标为零；目标必须大于零（例如 PT15M）。"},
    "check.sla.priority": {"en": "priority {level}", "zh-CN": "优先级 {level}"},
    "check.sla.priorities": {"en": "priorities {levels} and {last}", "zh-CN": "优先级 {levels} 和 {last}"},
    "check.sla.missing_level": {"en": "{name} has no targets for {these}; tickets with {these} get no SLA clocks under this "
                                      "policy.",
                                "zh-CN": "{name}没有为{these} 设置目标；在此策略下，{these} 的工单不会开始 SLA 计时。"},
    "check.sla.zero_warning": {"en": "{name}: a warning zero minutes before the breach is the breach itself; use a longer "
                                     "duration, or an escalation step with after_breach PT0M.",
                               "zh-CN": "{name}：在超时前零分钟发出的预警就是超时本身；请使用更长的时长，或使用"
                                        " after_breach 为 PT0M 的升级步骤。"},
    "check.sla.unknown_state": {"en": "{name} pauses in '{state}', which is neither a state nor a status category "
                                      "({categories}).",
                                "zh-CN": "{name}在“{state}”中暂停计时，但它既不是状态，也不是状态类别（{categories}）。"},
    # routing, automations, actions, assignments and notifications
    "check.routing.unreachable_rule": {"en": "{name} never applies: {first} before it matches every ticket (the first "
                                             "matching routing rule wins).",
                                       "zh-CN": "{name}永远不会生效：它前面的{first}匹配所有工单（第一个匹配的路由规则生效）。"},
    "check.transition.unknown_role": {"en": "Role '{role}' does not exist yet; until an admin creates it, no one with that "
                                            "role can take {name}.",
                                      "zh-CN": "角色“{role}”尚不存在；在管理员创建它之前，没有人能以该角色执行{name}。"},
    "check.automation.unused_key": {"en": "{name}: '{key}' is used only with \"on\": \"{needs}\"; it has no effect here.",
                                    "zh-CN": "{name}：“{key}”只在 \"on\": \"{needs}\" 时使用；在这里不起作用。"},
    "check.automation.unknown_field": {"en": "{name} watches the field '{field}', which the form does not have.",
                                       "zh-CN": "{name}监视字段“{field}”，但表单中没有这个字段。"},
    "check.automation.unknown_transition": {"en": "{name} runs after transition '{transition}', which does not exist.",
                                            "zh-CN": "{name}在流转“{transition}”之后运行，但该流转不存在。"},
    "check.automation.unknown_state": {"en": "{name} waits in state '{state}', which does not exist.",
                                       "zh-CN": "{name}在状态“{state}”中等待，但该状态不存在。"},
    "check.action.unknown_field": {"en": "{where} sets the field '{field}', which the form does not have.",
                                   "zh-CN": "{where}设置字段“{field}”，但表单中没有这个字段。"},
    "check.action.unknown_type": {"en": "Ticket type '{type}' does not exist yet; {where} cannot create its child ticket "
                                        "until that type is published.",
                                  "zh-CN": "工单类型“{type}”尚不存在；在该类型发布之前，{where}无法创建子工单。"},
    "check.access.unknown_public_field": {"en": "The status page would show the field '{field}', which the form does "
                                                "not have.",
                                          "zh-CN": "状态页要显示的字段“{field}”在表单中不存在。"},
    "check.access.unknown_personal_field": {"en": "The personal data field '{field}' is neither a form field nor a "
                                                  "transition's field.",
                                            "zh-CN": "个人信息字段“{field}”既不是表单字段，也不是流转字段。"},
    "check.knowledge.unknown_field": {"en": "The article's {section} would come from the field '{field}', which is "
                                            "neither a form field nor a transition's field.",
                                      "zh-CN": "文章的 {section} 取自字段“{field}”，但它既不是表单字段，也不是流转字段。"},
    "check.survey.bad_score": {"en": "{where}: 'bad_at_most' is {bad}, but a {kind} score goes from {low} to {high}; "
                                     "give a number from {low} to {top}.",
                               "zh-CN": "{where}：“bad_at_most”为 {bad}，但 {kind} 评分的范围是 {low} 到 {high}；"
                                        "请填写 {low} 到 {top} 之间的数字。"},
    "check.assignment.fixed_without_user": {"en": "{where}: the strategy 'fixed' needs a 'user' (an email) to assign to.",
                                            "zh-CN": "{where}：分派策略“fixed”需要指定“user”（邮箱）作为处理人。"},
    "check.assignment.unknown_team": {"en": "Team '{team}' does not exist yet; until an admin creates it, tickets that "
                                            "{where} sends there wait in a queue no one works.",
                                      "zh-CN": "团队“{team}”尚不存在；在管理员创建它之前，{where}分派到那里的工单会停留在"
                                               "无人处理的队列中。"},
    "check.notify.unknown_role": {"en": "Role '{role}' does not exist yet; {where} notifies no one through it until an admin "
                                        "creates it.",
                                  "zh-CN": "角色“{role}”尚不存在；在管理员创建它之前，{where}不会通过它通知任何人。"},
    # charts
    "check.chart.duplicate": {"en": "Chart key '{key}' is used twice: charts {first} and {second}.",
                              "zh-CN": "图表键“{key}”被使用了两次：第 {first} 个和第 {second} 个图表。"},
    "check.chart.unknown_dimension": {"en": "{name} groups by '{field}', which is neither a form field nor a ticket "
                                            "attribute.",
                                      "zh-CN": "{name}按“{field}”分组，但它既不是表单字段，也不是工单属性。"},
    "check.chart.measure_field": {"en": "{name}: '{agg}' needs a 'field' to aggregate.",
                                  "zh-CN": "{name}：“{agg}”需要指定要汇总的“field”。"},
    "check.chart.unknown_field": {"en": "{name} uses '{field}', which is neither a form field nor a ticket attribute.",
                                  "zh-CN": "{name}使用了“{field}”，但它既不是表单字段，也不是工单属性。"},
    "check.chart.measure_not_numeric": {"en": "{name} computes '{agg}' of '{field}', which is not a number field.",
                                        "zh-CN": "{name}对“{field}”计算“{agg}”，但它不是数字字段。"},
    # the definition API (designer/drafts): what it adds to the validator's problems
    "definition.key_changed": {"en": "The key of this ticket type is {key} and cannot change.",
                               "zh-CN": "此工单类型的键是{key}，不能更改。"},
    "definition.unknown_calendar": {"en": "There is no business calendar {calendar}; until an admin creates it, this policy "
                                          "counts 24x7.",
                                    "zh-CN": "不存在工作日历{calendar}；在管理员创建它之前，此策略按全天候（24x7）计时。"},
    "definition.publish_errors": {"en": "The draft has {count} error(s); fix them before publishing.",
                                  "zh-CN": "草稿有 {count} 个错误；请先修正再发布。"},
    "definition.import_errors": {"en": "The file has {count} error(s); nothing was imported.",
                                 "zh-CN": "文件有 {count} 个错误；未导入任何内容。"},
    "definition.simulate_errors": {"en": "The draft has errors; fix them before simulating.",
                                   "zh-CN": "草稿有错误；请先修正再进行模拟。"},
    "definition.nothing_to_publish": {"en": "The draft is the same as version {version}; there is nothing to publish.",
                                      "zh-CN": "草稿与版本 {version} 相同；没有可发布的内容。"},
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


def say(key: str, locale: str | None, /, **params: Any) -> str:
    """The sentence `key` in `locale` (English for a locale we have no texts for), filled with `params`."""
    return SENTENCES[key][_locale(locale)].format(**params)


class Catalogue:
    """A capability's own sentences (en and zh-CN, the same placeholders), read as this catalogue's are."""

    def __init__(self, sentences: dict[str, dict[str, str]]) -> None:
        self.sentences = sentences

    def say(self, key: str, locale: str | None, /, **params: Any) -> str:
        return self.sentences[key][_locale(locale)].format(**params)

    def word(self, key: str, locale: str | None, default: str | None = None) -> str:
        """A word of the catalogue; `default` when it has none (without a default a missing key is an error)."""
        texts = self.sentences.get(key) if default is not None else self.sentences[key]
        return texts[_locale(locale)] if texts else default  # type: ignore[return-value]


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
    except (ZoneInfoNotFoundError, ValueError, OSError):
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
