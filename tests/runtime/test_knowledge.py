"""The knowledge base over HTTP: articles with versions, ETags, diff and restore; bad input; sanitised HTML;
search in Chinese and English; who reads what (a matrix); suggestions, deflections and ticket links."""

# ruff: noqa: RUF001  (Chinese punctuation is meant)
from __future__ import annotations

from html.parser import HTMLParser

import pytest

from runtime.knowledge import render, search, terms
from tests.conftest import error_of
from tests.runtime.test_tickets import INCIDENT, login

PRINTER = {"locale": "zh-CN", "texts": {
    "zh-CN": {"title": "打印机无法连接网络", "body": "检查打印机的 **网线** 和 IP 地址，然后重启打印服务。"},
    "en": {"title": "The printer cannot connect to the network", "body": "Check the printer's cable and IP address."}},
    "tags": ["打印机", "network"]}
VOLTAGE = {"locale": "zh-CN", "texts": {"zh-CN": {
    "title": "产线设备频繁重启：电压干扰排查", "body": "同一车间的大功率设备启动时电压跌落，导致控制器重启。加装稳压电源。"}},
    "tags": ["电压干扰类"]}
VPN = {"locale": "en", "texts": {"en": {"title": "VPN disconnects every few minutes",
                                        "body": "Update the VPN client and turn off Wi-Fi power saving."}}}


def _article(client, body, *, publish=True, **extra):
    created = client.post("/api/v1/knowledge/articles", json={**body, **extra})
    assert created.status_code == 201, created.json
    if publish:
        published = client.post(f"/api/v1/knowledge/articles/{created.json['id']}/publish")
        assert published.status_code == 200, published.json
        return published.json
    return created.json


@pytest.fixture
def people(app, admin, make_user):
    ids = {name: make_user(f"{name}@example.com", roles, name=name.title())
           for name, roles in [("alice", ["agent"]), ("dora", ["designer"]), ("rita", ["requester"]),
                               ("tom", ["requester"]), ("nina", ["agent"])]}
    team = admin.post("/api/v1/teams", json={"key": "plant-floor", "name": "Plant floor",
                                             "member_ids": [ids["tom"], ids["alice"]]}).json
    ids["team"] = team["id"]
    return ids


def test_articles_save_versions_diff_restore_with_etags(app, admin, people):
    alice = login(app, "alice@example.com")
    created = alice.post("/api/v1/knowledge/articles", json={**VPN, "tags": ["vpn"], "review_by": "2027-06-01"})
    assert created.status_code == 201, created.json
    article = created.json
    aid = article["id"]
    assert article["status"] == "draft" and article["version"] == 1 and article["owner_id"] == people["alice"]
    assert created.headers["ETag"] == '"1"' and article["review_by"] == "2027-06-01"
    assert article["owner"] == {"id": people["alice"], "name": "Alice", "email": "alice@example.com"}
    listed = alice.get("/api/v1/knowledge/articles").json["items"]
    assert listed[0]["owner_id"] == people["alice"] and "owner" not in listed[0]  # by name for one article, not a list
    assert "<p>Update the VPN client" in article["body_html"]

    changed = {**VPN, "texts": {"en": {"title": "VPN drops every few minutes", "body": "Update the client.\n\nThen reboot."},
                                "zh-CN": {"title": "VPN 每隔几分钟断开", "body": "升级客户端。"}}, "note": "shorter"}
    stale = alice.put(f"/api/v1/knowledge/articles/{aid}", json=changed, headers={"If-Match": '"7"'})
    assert stale.status_code == 412 and error_of(stale)["code"] == "precondition_failed"
    bad_header = alice.put(f"/api/v1/knowledge/articles/{aid}", json=changed, headers={"If-Match": "nope"})
    assert bad_header.status_code == 400
    saved = alice.put(f"/api/v1/knowledge/articles/{aid}", json=changed, headers={"If-Match": created.headers["ETag"]})
    assert saved.status_code == 200 and saved.headers["ETag"] == '"2"' and saved.json["version"] == 2
    assert saved.json["translations"] == ["en", "zh-CN"]

    published = alice.post(f"/api/v1/knowledge/articles/{aid}/publish", headers={"If-Match": '"2"'})
    assert published.status_code == 200 and published.json["status"] == "published" and published.json["version"] == 3

    versions = alice.get(f"/api/v1/knowledge/articles/{aid}/versions").json["items"]
    assert [v["number"] for v in versions] == [3, 2, 1] and versions[1]["note"] == "shorter"
    assert versions[0]["saved_by"] == {"id": people["alice"], "name": "Alice", "email": "alice@example.com"}
    diff = alice.get(f"/api/v1/knowledge/articles/{aid}/diff?from=1&to=2").json
    assert (diff["from"], diff["to"]) == (1, 2)
    paths = {c["path"]: c["diff"] for c in diff["changes"]}
    assert "-VPN disconnects every few minutes" in paths["texts/en/title"]
    assert "+VPN 每隔几分钟断开" in paths["texts/zh-CN/title"]
    assert alice.get(f"/api/v1/knowledge/articles/{aid}/diff?from=1&to=9").status_code == 404

    restored = alice.post(f"/api/v1/knowledge/articles/{aid}/versions/1/restore")
    assert restored.status_code == 200 and restored.json["version"] == 4
    assert restored.json["title"] == "VPN disconnects every few minutes" and restored.json["translations"] == ["en"]
    assert restored.json["status"] == "published"  # restore brings back content, not the status

    # A reader in Chinese gets the Chinese text where it exists.
    alice.put(f"/api/v1/knowledge/articles/{aid}", json=changed)
    rita = login(app, "rita@example.com")
    admin.patch(f"/api/v1/users/{people['rita']}", json={"locale": "zh-CN"})
    read = rita.get(f"/api/v1/knowledge/articles/{aid}").json
    assert read["title"] == "VPN 每隔几分钟断开" and read["shown_locale"] == "zh-CN"
    assert "texts" not in read and "revision" not in read and "ETag" not in rita.get(f"/api/v1/knowledge/articles/{aid}").headers
    # Requesters do not write.
    assert rita.post("/api/v1/knowledge/articles", json=VPN).status_code == 403
    assert rita.put(f"/api/v1/knowledge/articles/{aid}", json=VPN).status_code == 403
    assert rita.get(f"/api/v1/knowledge/articles/{aid}/versions").status_code == 403
    # Designers edit too.
    dora = login(app, "dora@example.com")
    assert dora.post("/api/v1/knowledge/articles", json=VPN).status_code == 201


def test_bad_input_is_refused_with_the_field_and_nothing_is_written(app, admin, people):
    alice = login(app, "alice@example.com")
    cases = [
        ({"texts": {}}, "/texts/en"),
        ({"texts": {"en": {"title": ""}}}, "/texts/en/title"),
        ({**VPN, "texts": {**VPN["texts"], "zh-CN": {"title": "  ", "body": "x"}}}, "/texts/zh-CN/title"),
        ({"texts": {"fr": {"title": "x"}}}, "/texts/fr"),
        ({**VPN, "locale": "zh-CN"}, "/texts/zh-CN"),
        ({**VPN, "visibility": "friends"}, "/visibility"),
        ({**VPN, "visibility": "teams"}, "/team_ids"),
        ({**VPN, "visibility": "teams", "team_ids": [999]}, "/team_ids/0"),
        ({**VPN, "team_ids": [people["team"]]}, "/team_ids"),
        ({**VPN, "category_id": 999}, "/category_id"),
        ({**VPN, "owner_id": 99999}, "/owner_id"),
        ({**VPN, "source_ticket_id": 12345}, "/source_ticket_id"),
        ({**VPN, "ticket_types": ["no-such-type"]}, "/ticket_types/0"),
        ({**VPN, "review_by": "soon"}, "/review_by"),
        ({**VPN, "tags": ["a,b"]}, "/tags/0"),
        ({**VPN, "surprise": 1}, "/surprise"),
        ({**VPN, "category_id": 2**40}, "/category_id"),
    ]
    for body, path in cases:
        response = alice.post("/api/v1/knowledge/articles", json=body)
        assert response.status_code == 422, (body, response.json)
        assert path in [d["path"] for d in error_of(response)["details"]], (path, response.json)
    assert alice.get("/api/v1/knowledge/articles").json["items"] == []
    assert alice.get("/api/v1/knowledge/articles?limit=0").status_code == 422
    assert alice.get("/api/v1/knowledge/articles?cursor=zzz").status_code == 400
    assert alice.get("/api/v1/knowledge/articles/999").status_code == 404
    assert alice.get("/api/v1/knowledge/suggest").status_code == 422
    assert alice.post("/api/v1/knowledge/deflections", json={"article_id": 999}).status_code == 404


XSS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](  javascript:alert(1))",
    "![x](javascript:alert(1))",
    "<svg><script>alert(1)</script></svg>",
    "<svg onload=alert(1)>",
    "<a href=\"javascript:alert(1)\" onclick=\"alert(1)\">x</a>",
    "<iframe src=\"https://evil.example\"></iframe>",
    "<p style=\"background:url(javascript:alert(1))\">css</p>",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "[x](vbscript:msgbox(1))",
    # Images (issue 18): only this knowledge base's own article images survive, and only with src and alt.
    "![x](https://tracker.example/pixel.gif)",
    "![x](//tracker.example/pixel.gif)",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "![x](/api/v1/knowledge/articles/1/images/att_a\" onerror=\"alert(1))",
    "<img src=\"/api/v1/knowledge/articles/1/images/att_a\" onerror=\"alert(1)\" style=\"x\">",
    "<img src=\"javascript:alert(1)\">",
    "<img src=\"https://tracker.example/pixel.gif\" onload=\"alert(1)\">",
]


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def assert_inert(fragment: str) -> None:
    """No element that runs code: no script/svg/iframe/style/object, no on* handler or style attribute, and links
    and images only to http(s), mailto or this site."""
    parser = _Elements()
    parser.feed(fragment)
    for tag, attrs in parser.elements:
        assert tag not in {"script", "svg", "iframe", "style", "object", "embed", "math", "form", "base", "meta"}, fragment
        for name, value in attrs.items():
            assert not name.startswith("on") and name != "style", fragment
            if name in ("href", "src"):
                target = (value or "").strip().lower()
                assert target.startswith(("http://", "https://", "mailto:", "/")) and not target.startswith("//"), fragment
            if name == "src":  # images only from this knowledge base (no reader's IP goes elsewhere)
                assert render.IMAGE_PATH.fullmatch(value or ""), fragment


@pytest.mark.parametrize("payload", XSS)
def test_the_sanitiser_leaves_nothing_executable(payload):
    assert_inert(render.to_html(payload))
    assert_inert(render.sanitise(payload))  # even if raw HTML reached the sanitiser


def test_markdown_keeps_what_an_article_needs():
    html = render.to_html("# Title\n\n**bold** [docs](https://example.com) "
                          "![shot](/api/v1/knowledge/articles/1/images/att_ab)\n\n"
                          "| a | b |\n|---|---|\n| 1 | 2 |\n\n```\ncode <b>\n```")
    assert "<h1>Title</h1>" in html and "<strong>bold</strong>" in html and "<table>" in html
    assert '<a href="https://example.com" rel="noopener noreferrer nofollow">docs</a>' in html
    assert '<img src="/api/v1/knowledge/articles/1/images/att_ab" alt="shot">' in html and "code &lt;b&gt;" in html
    assert 'src="http://' not in render.to_html("![a](http://tracker.example/p.gif)")


def test_xss_payloads_saved_through_the_api_come_back_inert(app, admin, people):
    alice = login(app, "alice@example.com")
    body = "\n\n".join(XSS)
    article = _article(alice, {"texts": {"en": {"title": "<script>alert(1)</script>Tricks", "body": body}}})
    read = alice.get(f"/api/v1/knowledge/articles/{article['id']}").json
    assert_inert(read["body_html"])
    assert read["title"] == "<script>alert(1)</script>Tricks"  # a title is text; the front end shows it as text
    found = alice.get("/api/v1/knowledge/search?q=tricks").json["items"]
    assert found and "<script" not in found[0]["title_html"] and "&lt;script&gt;" in found[0]["title_html"]


def test_tokens_bigrams_and_snippets():
    assert terms.index_terms("打印机无法连接网络 HP-2") == "打印 印机 机无 无法 法连 连接 接网 网络 hp 2"
    query = terms.parse_query("How do I fix 打印机 printers?")
    assert query.terms == ("fix", "打印", "印机", "printers")
    assert terms.parse_query("打").prefixes == ("打",)
    assert terms.snippet("My <b> printer is offline", terms.parse_query("printers")) == \
        "My &lt;b&gt; <mark>printer</mark> is offline"


def test_search_phases_ask_for_every_term_then_fewer():
    assert search.phases(0) == [] and search.phases(1) == [1] and search.phases(2) == [2, 1]
    assert search.phases(4) == [4, 3, 2, 1]
    # Ten terms: at least k of the first eight, skipping the k whose groups would be too many (C(8, 5) = 56).
    assert search.phases(10) == [10, 8, 7, 6, 2, 1]


def test_search_prefers_the_article_with_most_of_the_terms_among_many_look_alikes(app, admin, people, monkeypatch):
    """打印机脱机: no article has all four bigrams; the one with three of them comes before the look-alikes with
    two, even when those are more than PostgreSQL ranks in one phase (and older, so read first)."""
    monkeypatch.setattr(search, "PG_CANDIDATES", 3)
    alice = login(app, "alice@example.com")
    for number in range(6):
        _article(alice, {"locale": "zh-CN", "texts": {"zh-CN": {"title": f"打印机卡纸 {number}",
                                                                "body": "打印机卡纸时取出纸张。打印机。"}}})
    offline = _article(alice, {"locale": "zh-CN", "texts": {"zh-CN": {"title": "打印机无法连接网络",
                                                                      "body": "症状：打印机显示脱机。"}}})
    found = alice.get("/api/v1/knowledge/search", query_string={"q": "打印机脱机"}).json["items"]
    assert [item["id"] for item in found] == [offline["id"]]  # search does not dilute a better phase
    suggested = alice.get("/api/v1/knowledge/suggest", query_string={"text": "打印机脱机"}).json["items"]
    assert suggested[0]["id"] == offline["id"] and len(suggested) == 5  # suggestions fill up with the others


def test_search_finds_chinese_by_bigrams_and_english_by_stems(app, admin, people):
    alice = login(app, "alice@example.com")
    category = alice.post("/api/v1/knowledge/categories", json={"name": "Hardware", "i18n": {"zh-CN": {"name": "硬件"}}}).json
    printer = _article(alice, PRINTER, category_id=category["id"])
    voltage = _article(alice, VOLTAGE)
    vpn = _article(alice, VPN, tags=["vpn"])
    english_printer = _article(alice, {"texts": {"en": {"title": "Printers jam on A3 paper",
                                                        "body": "Clean the rollers of the printer."}}})

    def ids(q, **params):
        response = alice.get("/api/v1/knowledge/search", query_string={"q": q, **params})
        assert response.status_code == 200, response.json
        return [item["id"] for item in response.json["items"]]

    assert ids("打印")[0] == printer["id"]
    assert ids("电压") == [voltage["id"]]
    assert ids("打印机连不上")[0] == printer["id"]  # not every bigram is in the article: any-term fallback
    assert set(ids("printers")) >= {printer["id"], english_printer["id"]}
    assert ids("printer jams")[0] == english_printer["id"]
    assert ids("vpn disconnecting") == [vpn["id"]]
    assert ids("打") and ids("打")[0] == printer["id"]
    assert ids("nothing like this anywhere") == []
    assert ids("打印", tag="network") == [printer["id"]]
    assert ids("printer", category_id=category["id"]) == [printer["id"]]
    assert ids("printer", tag="vpn") == []
    hit = alice.get("/api/v1/knowledge/search", query_string={"q": "电压"}).json["items"][0]
    assert "<mark>电压</mark>" in hit["snippet_html"] and "电压" in hit["matched_terms"]
    # Saving again re-indexes: the old words no longer find it.
    alice.put(f"/api/v1/knowledge/articles/{vpn['id']}", json={"texts": {"en": {"title": "Wi-Fi drops", "body": "Move closer."}}})
    assert ids("vpn") == [] and ids("wi-fi") == [vpn["id"]]
    # The list: paginated by cursor, filters.
    first = alice.get("/api/v1/knowledge/articles?limit=2").json
    second = alice.get(f"/api/v1/knowledge/articles?limit=2&cursor={first['next_cursor']}").json
    assert len(first["items"]) == 2 and len(second["items"]) == 2 and second["next_cursor"] is None
    assert {i["id"] for i in first["items"] + second["items"]} == {printer["id"], voltage["id"], vpn["id"],
                                                                     english_printer["id"]}
    assert [i["id"] for i in alice.get("/api/v1/knowledge/articles?tag=电压干扰类").json["items"]] == [voltage["id"]]


def test_categories_form_a_tree_without_cycles(app, admin, people):
    alice = login(app, "alice@example.com")
    top = alice.post("/api/v1/knowledge/categories", json={"name": "IT"}).json
    child = alice.post("/api/v1/knowledge/categories", json={"name": "Printers", "parent_id": top["id"]}).json
    cycle = alice.put(f"/api/v1/knowledge/categories/{top['id']}", json={"name": "IT", "parent_id": child["id"]})
    assert cycle.status_code == 422 and error_of(cycle)["details"][0]["path"] == "/parent_id"
    assert alice.delete(f"/api/v1/knowledge/categories/{top['id']}").status_code == 409
    assert alice.delete(f"/api/v1/knowledge/categories/{child['id']}").status_code == 204
    assert [c["name"] for c in alice.get("/api/v1/knowledge/categories").json["items"]] == ["IT"]
    assert login(app, "rita@example.com").post("/api/v1/knowledge/categories", json={"name": "x"}).status_code == 403


def test_who_reads_what_as_a_matrix(app, admin, people):
    """Published to everyone, staff only, team-restricted, a draft: who sees each in the list, reading, search,
    suggestions and a ticket's links."""
    alice = login(app, "alice@example.com")
    word = "ztestword"
    articles = {
        "everyone": _article(alice, {"texts": {"en": {"title": f"{word} everyone", "body": "b"}}}),
        "staff": _article(alice, {"texts": {"en": {"title": f"{word} staff", "body": "b"}}}, visibility="staff"),
        "team": _article(alice, {"texts": {"en": {"title": f"{word} team", "body": "b"}}}, visibility="teams",
                         team_ids=[people["team"]]),
        "draft": _article(alice, {"texts": {"en": {"title": f"{word} draft", "body": "b"}}}, publish=False),
    }
    expected = {
        "admin": {"everyone", "staff", "team", "draft"},
        "alice": {"everyone", "staff", "team", "draft"},   # agent in the team
        "nina": {"everyone", "staff", "draft"},            # agent outside the team
        "dora": {"everyone", "staff", "draft"},            # designer
        "tom": {"everyone", "team"},                       # requester in the team
        "rita": {"everyone"},                              # requester
    }
    by_id = {a["id"]: name for name, a in articles.items()}
    for person, allowed in expected.items():
        client = admin if person == "admin" else login(app, f"{person}@example.com")
        listed = {by_id[i["id"]] for i in client.get("/api/v1/knowledge/articles").json["items"]}
        found = {by_id[i["id"]] for i in client.get(f"/api/v1/knowledge/search?q={word}").json["items"]}
        read = {name for name, a in articles.items() if client.get(f"/api/v1/knowledge/articles/{a['id']}").status_code == 200}
        suggested = {by_id[i["id"]] for i in client.get(f"/api/v1/knowledge/suggest?text={word}").json["items"]}
        assert listed == found == read == allowed, person
        assert suggested == allowed - {"draft"}, person
        status = client.get("/api/v1/knowledge/articles?status=draft").json["items"]
        assert bool(status) == ("draft" in allowed), person


def test_suggestions_deflections_and_ticket_links(app, admin, desk):
    olive = login(app, "olive@example.com")  # agent in east-senior-ops
    printer = _article(olive, PRINTER, ticket_types=["it-incident"])
    _article(olive, {"locale": "zh-CN", "texts": {"zh-CN": {"title": "打印纸规格说明", "body": "A4 与 A3。"}}})
    staff_only = _article(olive, {"texts": {"en": {"title": "Printer admin passwords", "body": "internal"}}},
                          visibility="staff")
    rita = login(app, "rita@example.com")

    items = rita.get("/api/v1/knowledge/suggest", query_string={"text": "打印机连不上", "type": "it-incident"}).json["items"]
    assert items[0]["id"] == printer["id"] and items[0]["why"]["ticket_type"] is True
    assert "打印机" in items[0]["why"]["tags"] and items[0]["why"]["matched_terms"]
    assert len(items) <= 5
    assert staff_only["id"] not in [i["id"] for i in rita.get("/api/v1/knowledge/suggest?text=printer").json["items"]]
    assert rita.get("/api/v1/knowledge/suggest?text=   ").json["items"] == []

    deflected = rita.post("/api/v1/knowledge/deflections", json={"article_id": printer["id"], "type": "it-incident",
                                                                 "text": "打印机连不上"})
    assert deflected.status_code == 201 and deflected.json["type"] == "it-incident"
    assert rita.post("/api/v1/knowledge/deflections", json={"article_id": staff_only["id"]}).status_code == 404
    assert rita.get("/api/v1/knowledge/deflections").status_code == 403
    assert olive.get("/api/v1/knowledge/deflections").json["items"] == [{"type": "it-incident", "count": 1}]

    # Rita files anyway; the portal records what she was shown.
    ticket = rita.post("/api/v1/tickets", json={"type": "it-incident", "data": {
        **INCIDENT, "title": "打印机连不上", "description": "三楼打印机无法打印"}}).json
    shown = rita.post(f"/api/v1/tickets/{ticket['id']}/knowledge", json={"article_ids": [printer["id"]], "kind": "shown"})
    assert shown.status_code == 200 and shown.json["items"][0]["kind"] == "shown"
    refused = rita.post(f"/api/v1/tickets/{ticket['id']}/knowledge", json={"article_ids": [printer["id"], staff_only["id"]],
                                                                          "kind": "shown"})
    assert refused.status_code == 422 and error_of(refused)["details"][0]["path"] == "/article_ids/1"
    assert rita.post(f"/api/v1/tickets/{ticket['id']}/knowledge", json={"article_ids": [printer["id"]]}).status_code == 403
    assert rita.get(f"/api/v1/tickets/{ticket['id']}/knowledge/related").status_code == 403

    # The agent sees it suggested (why: the type, the words) and links it, and a staff-only one too.
    agent = login(app, ticket["assignee"]["email"])
    related = agent.get(f"/api/v1/tickets/{ticket['id']}/knowledge/related").json["items"]
    assert related[0]["id"] == printer["id"] and related[0]["why"]["ticket_type"]
    linked = agent.post(f"/api/v1/tickets/{ticket['id']}/knowledge", json={"article_ids": [printer["id"], staff_only["id"]]})
    assert linked.status_code == 200
    assert {(i["article_id"], i["kind"]) for i in linked.json["items"]} == {
        (printer["id"], "shown"), (printer["id"], "linked"), (staff_only["id"], "linked")}
    # The requester never sees the staff-only link.
    assert {(i["article_id"], i["kind"]) for i in rita.get(f"/api/v1/tickets/{ticket['id']}/knowledge").json["items"]} == {
        (printer["id"], "shown"), (printer["id"], "linked")}
    assert agent.delete(f"/api/v1/tickets/{ticket['id']}/knowledge/{staff_only['id']}").status_code == 204
    assert len(agent.get(f"/api/v1/tickets/{ticket['id']}/knowledge").json["items"]) == 2
    victor = login(app, "victor@example.com")
    assert victor.get(f"/api/v1/tickets/{ticket['id']}/knowledge").status_code == 404
