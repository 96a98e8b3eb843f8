"""What people read, in their language (issue 14, point 7; issue 15, translations): the portal's form, the
transition explainer and its refusals, form errors, the ticket's details and history, notifications and emails
show labels and names — never keys, emails or attachment ids — in the reader's profile language."""

# ruff: noqa: RUF001  (the Chinese texts use full-width punctuation, as they should)

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD, Api, error_of
from tests.runtime.test_attachments import png_bytes, upload

INCIDENT = {"title": "Laptop does not start", "category": "hardware", "urgency": "high", "impact": "person",
            "region": "north", "description": "Black screen since this morning", "asset_tag": "LT-0042"}


def login(app, email: str) -> Api:
    client = Api(app.test_client())
    assert client.login(email, PASSWORD).status_code == 200
    return client


@pytest.fixture
def desk(app, admin, make_user):
    """The IT service-desk template; the service desk is Ada (English) and Li (Chinese); Mei files tickets in
    Chinese, Ray in English."""
    assert admin.post("/api/v1/templates/it-service-desk/install").status_code in (200, 201)
    ids = {"ada": make_user("ada@example.com", ["agent"], name="Ada Agent"),
           "li": make_user("li@example.com", ["agent"], name="李工", locale="zh-CN", time_zone="Asia/Shanghai"),
           "mei": make_user("mei@example.com", ["requester"], name="王梅", locale="zh-CN", time_zone="Asia/Shanghai"),
           "ray": make_user("ray@example.com", ["requester"], name="Ray Requester")}
    teams = {t["key"]: t for t in admin.get("/api/v1/teams").json["items"]}
    admin.patch(f"/api/v1/teams/{teams['service-desk']['id']}", json={"member_ids": [ids["ada"], ids["li"]]})
    return ids


def file_ticket(client: Api, **data) -> dict:
    created = client.post("/api/v1/tickets", json={"type": "it-incident", "data": {**INCIDENT, **data}})
    assert created.status_code == 201, created.json
    return created.json


def assign_to(admin: Api, ticket: dict, email: str) -> None:
    assert admin.patch(f"/api/v1/tickets/{ticket['id']}", json={"team": "service-desk", "assignee": email}).status_code == 200


# --------------------------------------------------------------------------- the portal


def test_the_portal_catalogue_and_form_are_in_the_reader_s_language(app, desk):
    mei, ray = login(app, "mei@example.com"), login(app, "ray@example.com")
    chinese = {t["key"]: t for t in mei.get("/api/v1/portal/ticket-types").json["items"]}["it-incident"]
    english = {t["key"]: t for t in ray.get("/api/v1/portal/ticket-types").json["items"]}["it-incident"]
    assert chinese["name"] == "IT 故障" and english["name"] == "IT incident"
    assert {"key": "access", "label": "账号与权限"} in chinese["categories"]
    assert {"key": "access", "label": "Access and accounts"} in english["categories"]

    form = mei.get("/api/v1/portal/ticket-types/it-incident/form").json
    properties, ui = form["form"]["schema"]["properties"], form["form"]["ui"]
    assert properties["title"]["title"] == "标题" and properties["urgency"]["description"] == "需要多快修复。"
    assert ui["category"]["ui:enumNames"] == ["硬件", "软件", "网络", "账号与权限"]
    assert ui["title"]["ui:placeholder"] == "例如：邮件服务器宕机"
    assert [s["name"] for s in form["states"]] == ["新建", "已分派", "处理中", "等待提交人回复", "已解决", "已关闭"]
    assert form["transition_fields"]["root_cause"]["title"] == "根本原因"
    assert {"value": "hardware_fault", "label": "硬件故障"} in form["transition_fields"]["root_cause"]["options"]
    # The form keeps its translations (a client may switch language) and its keys and rules as they are.
    assert properties["title"]["i18n"]["zh-CN"]["title"] == "标题"
    assert properties["category"]["enum"] == ["hardware", "software", "network", "access"]

    english_form = ray.get("/api/v1/portal/ticket-types/it-incident/form").json
    assert english_form["form"]["schema"]["properties"]["title"]["title"] == "Title"
    assert english_form["states"][4]["name"] == "Resolved"
    assert {"value": "hardware_fault", "label": "Hardware fault"} in english_form["transition_fields"]["root_cause"]["options"]


def test_changing_the_profile_language_changes_what_the_api_says(app, desk):
    ray = login(app, "ray@example.com")
    assert ray.patch("/api/v1/me", json={"locale": "zh-CN"}).status_code == 200
    assert ray.get("/api/v1/portal/ticket-types/it-incident/form").json["name"] == "IT 故障"


# --------------------------------------------------------------------------- form errors


def test_form_errors_are_in_the_reader_s_language_titles_and_sentences_alike(app, desk):
    mei, ray = login(app, "mei@example.com"), login(app, "ray@example.com")
    bad = {"title": "  ", "category": "printers", "urgency": "high", "impact": "person", "region": "north",
           "description": "x" * 10}
    refused = mei.post("/api/v1/tickets", json={"type": "it-incident", "data": bad})
    assert refused.status_code == 422
    error = error_of(refused)
    details = {d["path"]: d["message"] for d in error["details"]}
    assert error["message"] == f"表单有 {len(details)} 处问题。"
    assert details["/data/category"] == "请从以下选项中选择：硬件、软件、网络、账号与权限。"
    assert "Title" not in str(details) and "required" not in str(details)
    missing = mei.post("/api/v1/tickets", json={"type": "it-incident", "data": {**INCIDENT, "title": ""}})
    assert {d["path"]: d["message"] for d in error_of(missing)["details"]}["/data/title"] == "标题为必填项。"
    tagless = mei.post("/api/v1/tickets", json={"type": "it-incident", "data": {**INCIDENT, "asset_tag": "nope"}})
    assert error_of(tagless)["details"][0]["message"] == "资产编号的格式不正确。"

    untitled = {name: value for name, value in INCIDENT.items() if name != "title"}
    english = ray.post("/api/v1/tickets", json={"type": "it-incident", "data": untitled})
    assert error_of(english)["message"] == "The form has 1 problem(s)."
    assert error_of(english)["details"][0]["message"] == "Title is required."
    wrong = ray.post("/api/v1/tickets", json={"type": "it-incident", "data": {**INCIDENT, "category": "printers"}})
    assert error_of(wrong)["details"][0]["message"] == "Choose one of: Hardware, Software, Network, Access and accounts."


def test_editing_a_ticket_says_its_errors_in_the_reader_s_language(app, desk):
    mei = login(app, "mei@example.com")
    ticket = file_ticket(mei)
    refused = mei.patch(f"/api/v1/tickets/{ticket['id']}", json={"data": {"urgency": "soon"}})
    assert refused.status_code == 422
    assert error_of(refused)["details"][0]["message"] == \
        "请从以下选项中选择：高：工作已完全停止、中：工作受到影响、低：有些不便。"


# --------------------------------------------------------------------------- transitions


def test_the_explainer_names_transitions_fields_options_and_checklist_in_the_reader_s_language(app, desk, admin):
    ticket = file_ticket(login(app, "ray@example.com"))
    assign_to(admin, ticket, "li@example.com")
    li, ada = login(app, "li@example.com"), login(app, "ada@example.com")
    assert li.post(f"/api/v1/tickets/{ticket['id']}/transitions/start", json={}).status_code == 200

    options = {o["key"]: o for o in li.get(f"/api/v1/tickets/{ticket['id']}/transitions").json["items"]}
    resolve = options["resolve"]
    assert (resolve["name"], resolve["to_name"]) == ("解决", "已解决")
    assert options["ask"]["name"] == "询问提交人"
    assert [(r["field"], r["title"]) for r in resolve["requires"]] == [("resolution", "解决方案"), ("root_cause", "根本原因")]
    root_cause = resolve["requires"][1]
    assert root_cause["options"][0] == {"value": "hardware_fault", "label": "硬件故障"}
    assert root_cause["schema"]["title"] == "根本原因" and root_cause["schema"]["oneOf"][1]["title"] == "软件缺陷"
    assert resolve["checklist"][0] == "提交人已确认恢复正常，或已告知其如何自行验证"
    assert resolve["checklist_keys"][0] == "The requester confirmed that it works again, or was told how to check"

    english = {o["key"]: o for o in ada.get(f"/api/v1/tickets/{ticket['id']}/transitions").json["items"]}["resolve"]
    assert (english["name"], english["to_name"]) == ("Resolve", "Resolved")
    assert english["requires"][1]["options"][0] == {"value": "hardware_fault", "label": "Hardware fault"}
    assert english["checklist"] == english["checklist_keys"]

    # The requester, reading Chinese now, is told why the agents' transitions are not theirs, in Chinese.
    admin.patch(f"/api/v1/users/{desk['ray']}", json={"locale": "zh-CN"})
    blocked = {o["key"]: o for o in login(app, "ray@example.com").get(
        f"/api/v1/tickets/{ticket['id']}/transitions").json["items"]}
    assert blocked["resolve"]["allowed"] is False
    assert blocked["resolve"]["reasons"][0]["message"] == "只有处理人员可以执行“解决”。"


def test_a_refused_transition_quotes_the_definition_in_the_reader_s_language(app, desk, admin):
    ticket = file_ticket(login(app, "ray@example.com"))
    assign_to(admin, ticket, "li@example.com")
    li, ada = login(app, "li@example.com"), login(app, "ada@example.com")
    wrong_state = li.post(f"/api/v1/tickets/{ticket['id']}/transitions/resolve", json={})
    assert wrong_state.status_code == 409
    assert error_of(wrong_state)["message"] == "无法从“已分派”执行“解决”。"  # routed: it left New by itself
    assert error_of(wrong_state)["details"][0]["message"] == "工单当前处于“已分派”；“解决”只能从“处理中”执行。"
    assert error_of(ada.post(f"/api/v1/tickets/{ticket['id']}/transitions/resolve", json={}))["message"] == \
        "'Resolve' cannot be taken from 'Assigned'."

    li.post(f"/api/v1/tickets/{ticket['id']}/transitions/start", json={})
    refused = li.post(f"/api/v1/tickets/{ticket['id']}/transitions/resolve", json={
        "fields": {"resolution": "Replaced the battery", "root_cause": "cosmic_rays"}})
    assert refused.status_code == 422
    error = error_of(refused)
    reasons = {d["code"]: d["message"] for d in error["details"]}
    assert reasons["invalid_field"].startswith("根本原因：")
    assert "硬件故障" in reasons["invalid_field"]
    assert next(d["message"] for d in error["details"] if d["code"] == "checklist_unchecked") == \
        "请先确认“提交人已确认恢复正常，或已告知其如何自行验证”。"
    assert error["message"].startswith("暂时无法执行“解决”：")

    missing = ada.post(f"/api/v1/tickets/{ticket['id']}/transitions/resolve", json={"fields": {"resolution": "Fixed it"}})
    english = {d["code"]: d["message"] for d in reversed(error_of(missing)["details"])}
    assert english["field_missing"] == "Root cause is required to take 'Resolve'."
    assert english["checklist_unchecked"] == \
        "Check 'The requester confirmed that it works again, or was told how to check' first."
    chinese = li.post(f"/api/v1/tickets/{ticket['id']}/transitions/resolve", json={"fields": {"resolution": "Fixed it"}})
    assert {d["code"]: d["message"] for d in error_of(chinese)["details"]}["field_missing"] == "执行“解决”前须填写根本原因。"


def test_checklist_items_may_be_ticked_as_read_or_as_authored(app, desk, admin):
    for reader in ("li", "ada"):
        ticket = file_ticket(login(app, "ray@example.com"))
        assign_to(admin, ticket, f"{reader}@example.com")
        agent = login(app, f"{reader}@example.com")
        agent.post(f"/api/v1/tickets/{ticket['id']}/transitions/start", json={})
        option = {o["key"]: o for o in agent.get(f"/api/v1/tickets/{ticket['id']}/transitions").json["items"]}["resolve"]
        # Li ticks the items as he reads them (Chinese); Ada mixes the authored texts and hers.
        ticked = option["checklist"] if reader == "li" else [option["checklist_keys"][0], *option["checklist"][1:]]
        done = agent.post(f"/api/v1/tickets/{ticket['id']}/transitions/resolve", json={
            "fields": {"resolution": "Replaced the battery", "root_cause": "hardware_fault"}, "checklist": ticked})
        assert done.status_code == 200, done.json
        event = [e for e in agent.get(f"/api/v1/tickets/{ticket['id']}/events").json["items"] if e["kind"] == "transitioned"][-1]
        assert event["details"]["checklist"] == option["checklist_keys"]  # stored as authored


# --------------------------------------------------------------------------- the ticket page


def test_the_details_show_labels_file_names_and_state_names(app, desk):
    mei = login(app, "mei@example.com")
    photo = upload(mei, png_bytes(), "屏幕.png", "image/png").json
    ticket = file_ticket(mei, screenshots=[photo["id"]])
    shown = mei.get(f"/api/v1/tickets/{ticket['id']}").json["display"]
    assert shown["status"] == "已分派"  # routed to a person: it left New by itself
    fields = {f["field"]: f for f in shown["fields"]}
    assert [f["field"] for f in shown["fields"]] == ["title", "category", "urgency", "impact", "region", "asset_tag",
                                                    "description", "screenshots"]
    assert (fields["category"]["title"], fields["category"]["text"]) == ("类别", "硬件")
    assert fields["urgency"]["text"] == "高：工作已完全停止" and fields["region"]["text"] == "华北"
    assert fields["screenshots"]["text"] == "屏幕.png"
    assert fields["screenshots"]["files"] == [{"id": photo["id"], "filename": "屏幕.png", "content_type": "image/png",
                                               "size": photo["size"], "download_url": photo["download_url"]}]

    ray = login(app, "ray@example.com")
    english = {f["field"]: f for f in ray.get(f"/api/v1/tickets/{file_ticket(ray)['id']}").json["display"]["fields"]}
    assert (english["category"]["title"], english["category"]["text"]) == ("Category", "Hardware")
    assert english["impact"]["text"] == "Only me / one person"


def test_the_history_names_states_teams_people_and_values(app, desk, admin):
    ray = login(app, "ray@example.com")
    ticket = file_ticket(ray)
    assign_to(admin, ticket, "ada@example.com")
    ada = login(app, "ada@example.com")
    ada.post(f"/api/v1/tickets/{ticket['id']}/transitions/start", json={})
    option = {o["key"]: o for o in ada.get(f"/api/v1/tickets/{ticket['id']}/transitions").json["items"]}["resolve"]
    ada.post(f"/api/v1/tickets/{ticket['id']}/transitions/resolve", json={
        "fields": {"resolution": "Replaced the battery", "root_cause": "hardware_fault"}, "checklist": option["checklist"]})

    def events(client):
        return client.get(f"/api/v1/tickets/{ticket['id']}/events").json["items"]

    admin.patch(f"/api/v1/users/{desk['ray']}", json={"locale": "zh-CN"})
    chinese = events(login(app, "ray@example.com"))
    assigned = [e for e in chinese if e["kind"] == "assigned"][-1]
    assert assigned["details"]["assignee"][1] == "ada@example.com"  # stored as it was
    assert assigned["display"] == {"team": ["Service desk", "Service desk"], "assignee": [None, "Ada Agent"]} or \
        assigned["display"]["assignee"][1] == "Ada Agent"
    assert "ada@example.com" not in str([e["display"] for e in chinese])
    resolved = [e for e in chinese if e["kind"] == "transitioned"][-1]
    assert resolved["display"]["name"] == "解决" and resolved["display"]["from"] == "处理中"
    assert resolved["display"]["to"] == "已解决"
    assert resolved["display"]["checklist"][0] == "提交人已确认恢复正常，或已告知其如何自行验证"
    cause = next(e for e in chinese if e["kind"] == "field_changed" and e["details"]["field"] == "root_cause")
    assert cause["display"] == {"field": "根本原因", "old": "—", "new": "硬件故障", "transition": "解决"}
    created = next(e for e in chinese if e["kind"] == "created")
    assert created["display"]["status"] == "新建" and created["display"]["routing"] == "其他问题转服务台"

    english = events(ada)
    cause = next(e for e in english if e["kind"] == "field_changed" and e["details"]["field"] == "root_cause")
    assert cause["display"]["new"] == "Hardware fault" and cause["display"]["field"] == "Root cause"
    assigned, started = [e for e in english if e["kind"] == "transitioned"][:2]
    assert assigned["display"]["name"] == "Assign" and assigned["display"]["to"] == "Assigned"  # by itself
    assert started["display"]["name"] == "Start work" and started["display"]["to"] == "In progress"


def test_the_history_of_a_value_change_uses_the_option_labels(app, desk):
    mei = login(app, "mei@example.com")
    ticket = file_ticket(mei)
    assert mei.patch(f"/api/v1/tickets/{ticket['id']}", json={"data": {"urgency": "low"}}).status_code == 200
    change = next(e for e in mei.get(f"/api/v1/tickets/{ticket['id']}/events").json["items"] if e["kind"] == "field_changed")
    assert change["display"] == {"field": "紧急程度", "old": "高：工作已完全停止", "new": "低：有些不便"}


# --------------------------------------------------------------------------- notifications


def test_notifications_name_the_state_in_each_recipient_s_language(app, desk, admin):
    for requester, expected in (("mei", "现在的状态是“已解决”"), ("ray", "is now 'Resolved'")):
        ticket = file_ticket(login(app, f"{requester}@example.com"))
        assign_to(admin, ticket, "ada@example.com")
        ada = login(app, "ada@example.com")
        ada.post(f"/api/v1/tickets/{ticket['id']}/transitions/start", json={})
        option = {o["key"]: o for o in ada.get(f"/api/v1/tickets/{ticket['id']}/transitions").json["items"]}["resolve"]
        assert ada.post(f"/api/v1/tickets/{ticket['id']}/transitions/resolve", json={
            "fields": {"resolution": "Replaced the battery", "root_cause": "hardware_fault"},
            "checklist": option["checklist"]}).status_code == 200
        inbox = login(app, f"{requester}@example.com").get("/api/v1/notifications").json["items"]
        resolved = next(n for n in inbox if n["kind"] == "resolved" and n["ticket_id"] == ticket["id"])
        assert expected in resolved["message"] and ticket["number"] in resolved["message"]
        assert "'resolved'" not in resolved["message"]


def test_assignment_and_mention_notifications_are_in_the_recipient_s_language(app, desk, admin):
    ticket = file_ticket(login(app, "ray@example.com"))
    assign_to(admin, ticket, "li@example.com")
    li = login(app, "li@example.com")
    assigned = next(n for n in li.get("/api/v1/notifications").json["items"] if n["kind"] == "assigned")
    assert assigned["message"] == f"{ticket['number']} 已分派给您：Laptop does not start"
    ada = login(app, "ada@example.com")
    ada.post(f"/api/v1/tickets/{ticket['id']}/comments", json={"body": "@li@example.com can you look?", "internal": True})
    mentioned = next(n for n in li.get("/api/v1/notifications").json["items"] if n["kind"] == "mentioned")
    assert mentioned["message"].startswith(f"Ada Agent 在 {ticket['number']} 中提到了您：")


def test_chat_messages_and_emails_are_rendered_per_reader(app, desk):
    """Below the API: a message made for each reader, in the chat group's language and the user's."""
    from sqlalchemy import select

    from platform_core.auth.models import User
    from platform_core.db import get_session
    from runtime.notify.models import ChatEndpoint, OutboxMessage
    from runtime.notify.outbox import queue_chat, queue_email
    from runtime.tickets.display import state_message
    from runtime.tickets.models import Ticket

    ticket_id = file_ticket(login(app, "mei@example.com"))["id"]
    with app.app_context():
        session = get_session()
        session.add_all([ChatEndpoint(key="desk-cn", kind="wecom", url="https://qyapi.weixin.qq.com/x", locale="zh-CN"),
                         ChatEndpoint(key="desk-en", kind="slack", url="https://hooks.slack.com/x", locale="en")])
        session.flush()
        ticket = session.get(Ticket, ticket_id)
        queued = queue_chat(session, ticket, ["wecom", "slack"], "notice", state_message(ticket))
        bodies = {m.channel: m.payload["body"] for m in queued}
        assert "现在的状态是“已分派”" in bodies["wecom"]["markdown"]["content"]
        assert "状态：已分派" in bodies["wecom"]["markdown"]["content"]
        assert "is now 'Assigned'" in bodies["slack"]["text"]
        mei = session.scalar(select(User).where(User.email == "mei@example.com"))
        email = queue_email(session, mei, ticket, "notice", "一条消息")
        assert "状态：已分派" in email.payload["text"]
        session.rollback()
        assert session.scalar(select(OutboxMessage.id)) is None


def test_the_reader_is_the_signed_in_user_else_the_browser_s_language(app, desk):
    from flask import g

    from platform_core.auth.models import User
    from platform_core.db import get_session
    from runtime.rules.texts import Reader
    from runtime.tickets.display import request_reader

    with app.test_request_context(headers={"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"}):
        g.user = None
        assert request_reader() == Reader("zh-CN", "UTC")  # a page anyone may open
        g.user = get_session().get(User, desk["ray"])
        assert request_reader() == Reader("en", "UTC")  # the profile wins over the browser
        g.user = get_session().get(User, desk["mei"])
        assert request_reader() == Reader("zh-CN", "Asia/Shanghai")
    with app.test_request_context():
        g.user = None
        assert request_reader() == Reader("en", "UTC")
