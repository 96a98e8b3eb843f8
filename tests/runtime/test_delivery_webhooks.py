"""Outbound webhooks and chat apps against a real HTTP receiver (its own process) that checks every
signature with its own code: signed, retried with backoff, delivered once, logged, replayable."""

# ruff: noqa: RUF001  (the Chinese texts use full-width punctuation, as they should)

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import ssl
import threading
import time
import urllib.parse
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import trustme
from sqlalchemy import update

from platform_core.db import get_session, utcnow
from runtime.notify.channels import BlockedDestination, HttpSettings, dingtalk_signed_url, pin, post_json
from runtime.notify.models import OutboxMessage
from runtime.notify.outbox import WebhookSecretMissing, queue_chat, queue_webhook
from runtime.tickets.models import Ticket
from tests.conftest import error_of
from tests.support.notifications import (
    BASE_URL,
    attempt_log,
    file_ticket,
    login,
    make_app,
    notify,
    outbox_rows,
    outbox_settings,
    staff_the_desk,
    sweep,
)
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


@pytest.fixture
def desk(app, admin, make_user):
    ids = staff_the_desk(app, admin, make_user)
    ids["ticket"] = file_ticket(app)["id"]
    return ids


def queue(app, ticket_id, url, *, secret_name="crm", event="ticket.resolved", payload=None, actor_id=None):
    with app.app_context():
        session = get_session()
        message = queue_webhook(session, session.get(Ticket, ticket_id), url=url, secret_name=secret_name, event=event,
                                payload=payload or {"resolution": "Replaced the PDU"}, actor_id=actor_id)
        message_id = message.id
        session.commit()
    return message_id


def chat(app, ticket_id, channels, kind="escalated", message="INC-000001 breached its resolution SLA"):
    with app.app_context():
        session = get_session()
        queue_chat(session, session.get(Ticket, ticket_id), channels, kind, message)
        session.commit()


def test_secrets_are_shown_once_and_webhooks_are_signed_with_them(app, admin, desk, receiver):
    created = admin.post("/api/v1/webhook-secrets", json={"name": "crm"})
    assert created.status_code == 201 and created.json["value"].startswith("whsec_")
    listed = admin.get("/api/v1/webhook-secrets").json["items"]
    assert [s["name"] for s in listed] == ["crm"] and "value" not in listed[0]
    assert admin.post("/api/v1/webhook-secrets", json={"name": "crm"}).status_code == 409
    assert login(app, "olive@example.com").get("/api/v1/webhook-secrets").status_code == 403
    receiver.control(secret=created.json["value"])

    before = int(time.time())
    message_id = queue(app, desk["ticket"], receiver.url("/crm"), actor_id=desk["olive"])
    [delivery] = receiver.deliveries()
    assert delivery["signature_valid"] is True and delivery["status"] == 200
    [row] = outbox_rows(app, channel="webhook")
    headers = delivery["headers"]
    assert headers["x-gongdan-delivery"] == row["delivery_id"] and headers["x-gongdan-event"] == "ticket.resolved"
    assert headers["x-gongdan-attempt"] == "1" and before <= int(headers["x-gongdan-timestamp"]) <= time.time() + 1
    assert headers["content-type"] == "application/json; charset=utf-8"
    body = delivery["json"]
    assert body["event"] == "ticket.resolved" and body["delivery_id"] == row["delivery_id"]
    assert body["data"] == {"resolution": "Replaced the PDU"}
    assert body["ticket"] == {"id": desk["ticket"], "number": "INC-000001", "title": "server down in Shanghai DC",
                              "status": "New", "priority": "P2", "team": "East senior ops",
                              "url": f"{BASE_URL}/tickets/{desk['ticket']}"}
    assert body["actor"] == {"id": desk["olive"], "email": "olive@example.com", "name": "Olive"}
    assert (row["status"], row["attempts"], row["response_code"]) == ("sent", 1, 200)

    events = admin.get(f"/api/v1/tickets/{desk['ticket']}/events").json["items"]
    delivered = [e for e in events if e["kind"] == "webhook_delivered"]
    assert len(delivered) == 1 and delivered[0]["internal"] is True
    assert delivered[0]["details"]["message_id"] == message_id and delivered[0]["details"]["response_code"] == 200
    assert admin.get("/api/v1/webhook-secrets").json["items"][0]["last_used_at"] is not None


def test_a_failing_receiver_is_retried_with_backoff_and_the_message_lands_once(app, admin, desk, receiver):
    admin.post("/api/v1/webhook-secrets", json={"name": "crm", "value": SECRET})
    receiver.control(secret=SECRET, fail_next=2, fail_status=500)
    started = utcnow()
    message_id = queue(app, desk["ticket"], receiver.url("/crm"))
    [row] = outbox_rows(app)
    assert (row["status"], row["attempts"], row["response_code"]) == ("failed", 1, 500)
    assert timedelta(seconds=10) <= row["next_attempt_at"] - started <= timedelta(seconds=12)

    assert sweep(app, after=timedelta(seconds=5)) == 0  # not due yet
    assert sweep(app, after=timedelta(seconds=11)) == 1  # second attempt: 500 again, next in 20 s
    [row] = outbox_rows(app)
    assert (row["status"], row["attempts"]) == ("failed", 2)
    assert row["next_attempt_at"] - started >= timedelta(seconds=30)
    assert sweep(app, after=timedelta(seconds=25)) == 0
    assert sweep(app, after=timedelta(seconds=32)) == 1
    assert sweep(app, after=timedelta(hours=1)) == 0

    assert attempt_log(app, message_id) == [(1, "failed", 500), (2, "failed", 500), (3, "sent", 200)]
    deliveries = receiver.deliveries()
    assert [d["status"] for d in deliveries] == [500, 500, 200]
    assert all(d["signature_valid"] for d in deliveries)
    assert len({d["headers"]["x-gongdan-delivery"] for d in deliveries}) == 1  # one message, three attempts
    assert [d["headers"]["x-gongdan-attempt"] for d in deliveries] == ["1", "2", "3"]

    logged = admin.get(f"/api/v1/outbox?ticket_id={desk['ticket']}&channel=webhook").json["items"]
    assert [(m["id"], m["status"], m["attempts"]) for m in logged] == [(message_id, "sent", 3)]
    detail = admin.get(f"/api/v1/outbox/{message_id}").json
    assert [(a["number"], a["outcome"], a["response_code"]) for a in detail["attempt_log"]] == [
        (1, "failed", 500), (2, "failed", 500), (3, "sent", 200)]
    assert "HTTP 500" in detail["attempt_log"][0]["error"] and detail["attempt_log"][2]["error"] is None


def test_a_receiver_that_never_recovers_ends_dead_and_can_be_replayed(app, admin, desk, receiver):
    admin.post("/api/v1/webhook-secrets", json={"name": "crm", "value": SECRET})
    receiver.control(secret=SECRET, fail_next=100, fail_status=503)
    message_id = queue(app, desk["ticket"], receiver.url("/crm"))
    for hours in (1, 2, 3):
        assert sweep(app, after=timedelta(hours=hours)) == 1
    [row] = outbox_rows(app)
    assert (row["status"], row["attempts"], row["response_code"]) == ("dead", 4, 503)
    assert sweep(app, after=timedelta(days=2)) == 0
    events = admin.get(f"/api/v1/tickets/{desk['ticket']}/events").json["items"]
    assert [e["details"]["attempts"] for e in events if e["kind"] == "webhook_failed"] == [4]

    receiver.control(fail_next=0)
    replayed = admin.post(f"/api/v1/outbox/{message_id}/replay")
    assert replayed.status_code == 200, replayed.json
    assert (replayed.json["status"], replayed.json["attempts"]) == ("sent", 5)
    assert [d["status"] for d in receiver.deliveries()] == [503] * 4 + [200]
    again = admin.post(f"/api/v1/outbox/{message_id}/replay")  # a sent message may be sent again, on purpose
    assert again.status_code == 200 and again.json["attempts"] == 6 and len(receiver.deliveries()) == 6
    audit = admin.get("/api/v1/audit").json["items"]
    assert sum(1 for a in audit if a["action"] == "outbox.replayed") == 2

    with app.app_context():
        session = get_session()
        session.execute(update(OutboxMessage).values(status="sending"))
        session.commit()
    busy = admin.post(f"/api/v1/outbox/{message_id}/replay")
    assert busy.status_code == 409 and "sending" in error_of(busy)["message"]
    assert admin.post("/api/v1/outbox/999999/replay").status_code == 404
    assert login(app, "olive@example.com").post(f"/api/v1/outbox/{message_id}/replay").status_code == 403


def test_an_unknown_secret_is_a_clear_error_and_queues_nothing(app, admin, desk, receiver):
    with pytest.raises(WebhookSecretMissing) as refused:
        queue(app, desk["ticket"], receiver.url("/crm"), secret_name="nope")
    assert "'nope'" in str(refused.value) and "/api/v1/webhook-secrets" in str(refused.value)
    assert refused.value.secret_name == "nope" and refused.value.status == 422
    assert outbox_rows(app) == [] and receiver.deliveries() == []

    queue(app, desk["ticket"], receiver.url("/plain"), secret_name=None)  # unsigned: no signature header
    [delivery] = receiver.deliveries()
    assert "x-gongdan-signature" not in delivery["headers"] and delivery["status"] == 200

    secret_id = admin.post("/api/v1/webhook-secrets", json={"name": "crm", "value": SECRET}).json["id"]
    receiver.control(secret=SECRET, fail_next=1)
    message_id = queue(app, desk["ticket"], receiver.url("/crm"))
    assert admin.delete(f"/api/v1/webhook-secrets/{secret_id}").status_code == 204
    sweep(app, after=timedelta(minutes=5))
    [row] = outbox_rows(app, id=message_id)
    assert row["status"] == "dead" and "'crm' was deleted" in row["last_error"]


def test_chat_endpoints_get_one_message_per_event_in_each_platforms_format(app, admin, desk, receiver):
    receiver.control(secret=SECRET, dingtalk_secret="SECdingtalk-robot-secret")
    network = admin.get("/api/v1/teams?q=Network").json["items"][0]["id"]
    endpoints = [
        {"key": "it-wecom", "kind": "wecom", "url": receiver.url("/wecom?key=693axxx6-7aoc-4bc4-97a0-0ec2sifa5aaa")},
        {"key": "east-dingtalk", "kind": "dingtalk", "url": receiver.url("/dingtalk?access_token=abc123"),
         "secret": "SECdingtalk-robot-secret", "team_id": desk["east"], "locale": "zh-CN"},
        {"key": "network-slack", "kind": "slack", "url": receiver.url("/slack-network"), "team_id": network},
        {"key": "old-slack", "kind": "slack", "url": receiver.url("/slack-old"), "active": False},
        {"key": "soc", "kind": "webhook", "url": receiver.url("/soc"), "secret": SECRET},
    ]
    for endpoint in endpoints:
        assert admin.post("/api/v1/chat-endpoints", json=endpoint).status_code == 201
    listed = {e["key"]: e for e in admin.get("/api/v1/chat-endpoints").json["items"]}
    assert listed["it-wecom"]["url"] == f"http://127.0.0.1:{receiver.port}/wecom?key=***5aaa"
    assert listed["east-dingtalk"]["has_secret"] is True and "secret" not in listed["east-dingtalk"]
    assert listed["east-dingtalk"]["team"]["key"] == "east-senior-ops"

    # Two people are told, but each chat endpoint gets the event once.
    for user in ("olive", "sam"):
        notify(app, desk[user], desk["ticket"], "escalated", "INC-000001 breached its resolution SLA")
    chat(app, desk["ticket"], ["in_app", "email", "wecom", "dingtalk", "slack", "webhook"])
    deliveries = {d["path"]: d for d in receiver.deliveries()}
    assert sorted(deliveries) == ["/dingtalk", "/soc", "/wecom"]  # no Slack: other team's, and an inactive one
    assert all(d["status"] == 200 for d in deliveries.values())
    link = f"{BASE_URL}/tickets/{desk['ticket']}"

    assert deliveries["/wecom"]["query"] == {"key": "693axxx6-7aoc-4bc4-97a0-0ec2sifa5aaa"}
    assert deliveries["/wecom"]["json"] == {"msgtype": "markdown", "markdown": {"content": (
        f"**[INC-000001]({link}) server down in Shanghai DC**\n"
        "> Ticket escalated: INC-000001 breached its resolution SLA\n"
        "> Status: New · Priority: P2 · Team: East senior ops")}}

    dingtalk = deliveries["/dingtalk"]
    assert dingtalk["dingtalk_sign_valid"] is True and dingtalk["query"]["access_token"] == "abc123"
    assert dingtalk["json"] == {"msgtype": "markdown", "markdown": {
        "title": "[INC-000001] 工单已升级",
        "text": (f"**[INC-000001]({link}) server down in Shanghai DC**\n"
                 "> 工单已升级：INC-000001 breached its resolution SLA\n"
                 "> 状态：New · 优先级：P2 · 团队：East senior ops")}}

    soc = deliveries["/soc"]
    assert soc["signature_valid"] is True and soc["headers"]["x-gongdan-event"] == "escalated"
    assert soc["json"]["kind"] == "escalated" and soc["json"]["ticket"]["url"] == link

    rows = outbox_rows(app)
    assert sorted(r["channel"] for r in rows) == ["dingtalk", "webhook", "wecom"]
    assert all(r["status"] == "sent" for r in rows)

    assert admin.patch(f"/api/v1/chat-endpoints/{listed['old-slack']['id']}", json={"active": True}).status_code == 200
    receiver.reset()
    chat(app, desk["ticket"], ["slack"], kind="sla_warning", message="Resolution due in 30 minutes <soon> & more")
    [slack] = receiver.deliveries()
    assert slack["path"] == "/slack-old" and slack["json"] == {
        "text": "[INC-000001] SLA due soon: Resolution due in 30 minutes <soon> & more",
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": (
                f"*<{link}|INC-000001>* server down in Shanghai DC\n"
                "*SLA due soon*: Resolution due in 30 minutes &lt;soon&gt; &amp; more")}},
            {"type": "context", "elements": [{"type": "mrkdwn", "text": "Status: New · Priority: P2 · Team: East senior ops"}]},
        ]}


def test_a_chat_bot_refusing_with_an_errcode_is_retried_and_a_deleted_endpoint_stops_it(app, admin, desk, receiver):
    wecom = admin.post("/api/v1/chat-endpoints", json={"key": "it-wecom", "kind": "wecom",
                                                       "url": receiver.url("/wecom?key=k1")}).json
    receiver.control(fail_next=1, fail_status=200)
    chat(app, desk["ticket"], ["wecom"])
    [row] = outbox_rows(app)
    assert row["status"] == "failed" and row["last_error"] == "errcode 45009: api freq out of limit"
    assert sweep(app, after=timedelta(minutes=1)) == 1
    assert outbox_rows(app)[0]["status"] == "sent"

    receiver.control(fail_next=1, fail_status=502)
    chat(app, desk["ticket"], ["wecom"])
    assert admin.delete(f"/api/v1/chat-endpoints/{wecom['id']}").status_code == 204
    sweep(app, after=timedelta(minutes=1))
    last = outbox_rows(app)[-1]
    assert last["status"] == "dead" and "'it-wecom' was deleted" in last["last_error"]


def test_chat_endpoint_validation_names_the_field(app, admin, desk):
    bad = admin.post("/api/v1/chat-endpoints", json={"key": "x", "kind": "teams", "url": "ftp://nope"})
    assert bad.status_code == 422
    assert {d["path"] for d in error_of(bad)["details"]} == {"/kind", "/url"}
    no_team = admin.post("/api/v1/chat-endpoints", json={"key": "x", "kind": "slack", "url": "https://hooks.slack.com/x",
                                                         "team_id": 999999})
    assert no_team.status_code == 422 and error_of(no_team)["details"][0]["path"] == "/team_id"
    admin.post("/api/v1/chat-endpoints", json={"key": "x", "kind": "slack", "url": "https://hooks.slack.com/x"})
    taken = admin.post("/api/v1/chat-endpoints", json={"key": "x", "kind": "slack", "url": "https://hooks.slack.com/y"})
    assert taken.status_code == 409 and error_of(taken)["details"][0]["path"] == "/key"
    # URLs that look like one but cannot be read (found by schemathesis: a stray bracket was a 500 when audited)
    endpoint_id = admin.get("/api/v1/chat-endpoints").json["items"][0]["id"]
    for url in ("https://hooks.example.com]x]", "https://[::1/x", "https://hooks.example.com:99999/x", "https://:80/x"):
        unreadable = admin.patch(f"/api/v1/chat-endpoints/{endpoint_id}", json={"url": url})
        assert unreadable.status_code == 422, (url, unreadable.json)
        assert error_of(unreadable)["details"][0]["path"] == "/url"
        assert admin.post("/api/v1/chat-endpoints", json={"key": "y", "kind": "slack", "url": url}).status_code == 422
    assert admin.get(f"/api/v1/chat-endpoints/{endpoint_id}").json["url"] == "https://hooks.slack.com/x"


def test_dingtalk_signing_follows_the_documented_scheme():
    secret, timestamp = "SEC000000000000000000000", 1700000000000
    signed = dingtalk_signed_url("https://oapi.dingtalk.com/robot/send?access_token=t", secret, timestamp)
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(signed).query)
    # DingTalk's own sample: base64(HMAC-SHA256(key=secret, msg="timestamp\nsecret")), URL-encoded.
    expected = base64.b64encode(hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest())
    assert query == {"access_token": ["t"], "timestamp": [str(timestamp)], "sign": [expected.decode()]}
    assert urllib.parse.quote_plus(expected) in signed


def test_webhook_signature_is_hmac_sha256_of_the_exact_body():
    from runtime.notify.channels import canonical_json, sign_body, webhook_headers

    body = canonical_json({"b": "工单", "a": 1})
    assert body == '{"a":1,"b":"工单"}'.encode()
    headers = webhook_headers(body=body, secret="s3cret", delivery_id="d-1", event="ticket.created", attempt=2,
                              timestamp=1700000000)
    assert headers["X-Gongdan-Signature"] == "sha256=" + hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
    assert headers["X-Gongdan-Signature"] == sign_body("s3cret", body)
    assert json.loads(body) == {"a": 1, "b": "工单"}


def test_calls_go_only_to_public_addresses_unless_an_operator_allows_the_network(app, admin, desk, receiver):
    """The receiver listens on loopback: refused by default (dead at once, nothing sent, the reason
    logged), delivered by name once allowed, to the address that was checked with the name as Host."""
    app.config["OUTBOUND_ALLOW"] = None
    message_id = queue(app, desk["ticket"], receiver.url("/crm"), secret_name=None)
    assert receiver.deliveries() == []
    [row] = outbox_rows(app, channel="webhook")
    assert (row["status"], row["attempts"]) == ("dead", 1)  # retrying cannot help: no backoff rounds
    assert row["last_error"].startswith("127.0.0.1 is not a public address") and "GONGDAN_OUTBOUND_ALLOW" in row["last_error"]
    assert attempt_log(app, message_id) == [(1, "dead", None)]

    app.config["OUTBOUND_ALLOW"] = "10.20.0.0/16, 127.0.0.0/8"  # not ::1: the receiver listens on IPv4
    by_name = f"http://localhost:{receiver.port}/crm"  # resolved once; the call goes to the address checked
    replayed = admin.post(f"/api/v1/outbox/{message_id}/replay")
    assert replayed.status_code == 200 and replayed.json["status"] == "sent", replayed.json
    queue(app, desk["ticket"], by_name, secret_name=None)
    first, second = receiver.deliveries()
    assert first["headers"]["host"] == f"127.0.0.1:{receiver.port}"
    assert second["headers"]["host"] == f"localhost:{receiver.port}" and second["status"] == 200


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:8080/x", "http://localhost/x", "http://169.254.169.254/latest/meta-data/",
    "http://10.1.2.3/", "http://192.168.0.10/", "http://172.16.5.5/", "http://100.64.0.1/", "http://0.0.0.0/",
    "http://[::1]/", "http://[::ffff:127.0.0.1]/", "http://[fe80::1]/", "http://[fd00::1]/", "http://224.0.0.1/",
])
def test_loopback_private_link_local_and_reserved_addresses_are_refused(url):
    with pytest.raises(BlockedDestination, match="not a public address"):
        pin(url, None)


def test_what_a_pinned_call_carries():
    url, headers, extensions = pin("https://93.184.215.14:8443/hook?key=1", None)  # a public address: as it is
    assert str(url) == "https://93.184.215.14:8443/hook?key=1" and headers == {"Host": "93.184.215.14:8443"}
    assert extensions == {}
    url, headers, extensions = pin("https://localhost:8443/hook", "127.0.0.1,::1")
    assert url.host in ("127.0.0.1", "::1") and url.path == "/hook"
    assert headers == {"Host": "localhost:8443", "Connection": "close"}  # no TLS connection shared across names
    assert extensions == {"sni_hostname": "localhost"}  # the certificate is checked for the name
    for bad in ("ftp://example.com/x", "http:///x", "file:///etc/passwd"):
        with pytest.raises(BlockedDestination, match="Only http and https"):
            pin(bad, None)


def test_a_malformed_allow_list_stops_the_start():
    from platform_core.config import ConfigError, load_config

    with pytest.raises(ConfigError, match=r"GONGDAN_OUTBOUND_ALLOW: '10\.0\.0\.0/33' is not an IP network"):
        load_config("/tmp", {"TESTING": True}, environ={"GONGDAN_OUTBOUND_ALLOW": "127.0.0.1,10.0.0.0/33"})


@pytest.fixture
def tls_receiver(tmp_path):
    """An HTTPS server on loopback whose certificate names only "localhost", issued by a company
    CA that the public bundle does not know; it records the TLS server names and Host headers."""
    ca = trustme.CA()
    ca_file = tmp_path / "company-ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    seen: dict[str, list] = {"sni": [], "host": []}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers["Content-Length"]))
            seen["host"].append(self.headers["Host"])
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ca.issue_cert("localhost").configure_cert(context)
    context.sni_callback = lambda _socket, name, _context: seen["sni"].append(name)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1], str(ca_file), seen
    server.shutdown()
    server.server_close()


def test_an_https_call_goes_to_the_checked_address_and_checks_the_certificate_for_the_name(tls_receiver):
    port, ca_file, seen = tls_receiver
    company = HttpSettings(timeout=5, allow="127.0.0.1", ca_bundle=ca_file)
    sent = post_json(f"https://localhost:{port}/hook", b"{}", {"Content-Type": "application/json"}, company)
    assert (sent.ok, sent.response_code) == (True, 204), sent.error
    assert seen == {"sni": ["localhost"], "host": [f"localhost:{port}"]}  # the name, though the call went to 127.0.0.1

    by_address = post_json(f"https://127.0.0.1:{port}/hook", b"{}", {}, company)
    assert not by_address.ok and "CERTIFICATE_VERIFY_FAILED" in by_address.error  # the certificate names localhost only
    public_only = post_json(f"https://localhost:{port}/hook", b"{}", {}, HttpSettings(timeout=5, allow="127.0.0.1"))
    assert not public_only.ok and "CERTIFICATE_VERIFY_FAILED" in public_only.error  # the company CA is not trusted
    assert not post_json(f"https://localhost:{port}/hook", b"{}", {}, HttpSettings(timeout=5, ca_bundle=ca_file)).ok


def test_a_missing_ca_bundle_stops_the_start(tmp_path):
    from platform_core.config import ConfigError, load_config

    with pytest.raises(ConfigError, match=r"GONGDAN_OUTBOUND_CA_BUNDLE: .* is not a file"):
        load_config(str(tmp_path), {"TESTING": True}, environ={"GONGDAN_OUTBOUND_CA_BUNDLE": str(tmp_path / "none.pem")})
