"""POST /api/v1/chat-endpoints/<id>/test: an admin's "send a test" goes through the outbox and the channel code
like any message, to a real loopback receiver, tried once, and answers with the delivery."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD, Api, error_of
from tests.support.notifications import make_app, outbox_rows, outbox_settings
from tests.support.servers import WebhookReceiver

SECRET = "whsec_receiver-and-gongdan-share-this"


@pytest.fixture
def receiver():
    with WebhookReceiver() as server:
        yield server


@pytest.fixture
def app(database_url, tmp_path):
    app = make_app(database_url, tmp_path, **outbox_settings(None))
    yield app
    app.extensions["gongdan_db"].engine.dispose()


def test_send_a_test_to_each_kind_of_endpoint(app, admin, receiver):
    receiver.control(secret=SECRET, dingtalk_secret="SECdingtalk-robot-secret")
    made = {}
    for endpoint in ({"key": "it-wecom", "kind": "wecom", "url": receiver.url("/wecom?key=k1")},
                     {"key": "east-dingtalk", "kind": "dingtalk", "url": receiver.url("/dingtalk?access_token=abc"),
                      "secret": "SECdingtalk-robot-secret", "locale": "zh-CN"},
                     {"key": "ops-slack", "kind": "slack", "url": receiver.url("/slack")},
                     {"key": "soc", "kind": "webhook", "url": receiver.url("/soc"), "secret": SECRET}):
        made[endpoint["key"]] = admin.post("/api/v1/chat-endpoints", json=endpoint).json["id"]

    for key, endpoint_id in made.items():
        result = admin.post(f"/api/v1/chat-endpoints/{endpoint_id}/test")
        assert result.status_code == 200, (key, result.json)
        assert result.json["status"] == "sent" and result.json["event"] == "test", key
        assert result.json["endpoint_id"] == endpoint_id and result.json["attempts"] == 1
        assert [a["outcome"] for a in result.json["attempt_log"]] == ["sent"]

    deliveries = {d["path"]: d for d in receiver.deliveries()}
    assert sorted(deliveries) == ["/dingtalk", "/slack", "/soc", "/wecom"]
    assert deliveries["/wecom"]["json"] == {"msgtype": "markdown", "markdown": {
        "content": "**Test message**\n> A test from Gongdan: this endpoint receives its notifications."}}
    assert deliveries["/dingtalk"]["dingtalk_sign_valid"] is True
    assert deliveries["/dingtalk"]["json"]["markdown"]["title"] == "测试消息"
    assert deliveries["/soc"]["signature_valid"] is True and deliveries["/soc"]["headers"]["x-gongdan-event"] == "test"
    assert deliveries["/slack"]["json"]["text"].startswith("Test message: A test from Gongdan")
    # In the delivery log like any message, and audited.
    assert sorted(r["event"] for r in outbox_rows(app)) == ["test"] * 4
    audited = admin.get("/api/v1/audit", query_string={"action": "chat_endpoint.tested"}).json["items"]
    assert len(audited) == 4 and audited[0]["details"]["outbox_message_id"]


def test_a_failing_endpoint_answers_dead_with_the_reason_and_is_not_retried(app, admin, receiver):
    wecom = admin.post("/api/v1/chat-endpoints", json={"key": "it-wecom", "kind": "wecom",
                                                       "url": receiver.url("/wecom?key=k1")}).json["id"]
    receiver.control(fail_next=1, fail_status=200)  # WeCom's way: 200 with an errcode
    result = admin.post(f"/api/v1/chat-endpoints/{wecom}/test")
    assert result.status_code == 200
    assert result.json["status"] == "dead" and result.json["last_error"] == "errcode 45009: api freq out of limit"
    receiver.control(fail_next=1, fail_status=502)
    result = admin.post(f"/api/v1/chat-endpoints/{wecom}/test").json
    assert result["status"] == "dead" and result["response_code"] == 502
    # Nothing left to retry: a test is tried once.
    assert {r["status"] for r in outbox_rows(app)} == {"dead"}


def test_refusals_change_nothing(app, admin, make_user, receiver):
    slack = admin.post("/api/v1/chat-endpoints", json={"key": "old", "kind": "slack", "url": receiver.url("/slack"),
                                                       "active": False}).json["id"]
    inactive = admin.post(f"/api/v1/chat-endpoints/{slack}/test")
    assert inactive.status_code == 409 and error_of(inactive)["details"][0]["path"] == "/active"
    assert admin.post("/api/v1/chat-endpoints/999999/test").status_code == 404
    make_user("ann@example.com", ["agent"])
    ann = Api(app.test_client())
    assert ann.login("ann@example.com", PASSWORD).status_code == 200
    assert ann.post(f"/api/v1/chat-endpoints/{slack}/test").status_code == 403
    assert outbox_rows(app) == [] and receiver.deliveries() == []


def test_rotating_a_webhook_secret_shows_the_new_value_once_and_signs_with_it(app, admin, make_user):
    created = admin.post("/api/v1/webhook-secrets", json={"name": "crm"}).json
    rotated = admin.post(f"/api/v1/webhook-secrets/{created['id']}/rotate")
    assert rotated.status_code == 200
    assert rotated.json["name"] == "crm" and rotated.json["value"].startswith("whsec_")
    assert rotated.json["value"] != created["value"]
    listed = admin.get("/api/v1/webhook-secrets").json["items"]
    assert [s["name"] for s in listed] == ["crm"] and "value" not in listed[0]
    with app.app_context():
        from platform_core.db import get_session
        from runtime.notify.models import WebhookSecret

        assert get_session().get(WebhookSecret, created["id"]).value == rotated.json["value"]
    assert admin.get("/api/v1/audit", query_string={"action": "webhook_secret.rotated"}).json["items"][0][
        "details"] == {"name": "crm"}
    assert admin.post("/api/v1/webhook-secrets/999999/rotate").status_code == 404
    make_user("ann@example.com", ["agent"])
    ann = Api(app.test_client())
    assert ann.login("ann@example.com", PASSWORD).status_code == 200
    assert ann.post(f"/api/v1/webhook-secrets/{created['id']}/rotate").status_code == 403
