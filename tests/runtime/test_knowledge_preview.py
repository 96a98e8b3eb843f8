"""The editor's preview over HTTP: POST /api/v1/knowledge/preview renders Markdown with the same renderer and
sanitiser an article's body goes through, stores nothing, is for staff only, and refuses bad input naming the field
(in the reader's language)."""

from __future__ import annotations

import pytest

from runtime.knowledge import render
from tests.conftest import error_of
from tests.runtime.test_knowledge import XSS, assert_inert
from tests.runtime.test_tickets import login

PREVIEW = "/api/v1/knowledge/preview"


@pytest.fixture
def staff(app, admin, make_user):
    make_user("alice@example.com", ["agent"], name="Alice")
    make_user("wang@example.com", ["agent"], name="王芳", locale="zh-CN")
    make_user("rita@example.com", ["requester"], name="Rita")
    team = admin.post("/api/v1/teams", json={"key": "lab", "name": "Lab"}).json
    # An article of a team Alice is not in: she may not read it, so she may not preview as it either.
    hidden = admin.post("/api/v1/knowledge/articles", json={
        "locale": "en", "texts": {"en": {"title": "Lab only", "body": "x"}}, "visibility": "teams",
        "team_ids": [team["id"]]})
    assert hidden.status_code == 201, hidden.json
    return login(app, "alice@example.com"), hidden.json["id"]


def test_preview_renders_tables_headings_and_the_articles_images(app, staff):
    alice, _hidden = staff
    own = alice.post("/api/v1/knowledge/articles", json={"locale": "en", "texts": {"en": {"title": "Mine"}}}).json
    image = f"/api/v1/knowledge/articles/{own['id']}/images/att_Ab-9_z"
    markdown = f"## Steps\n\n| step | what |\n|---|---|\n| 1 | restart |\n\n![menu]({image})\n\n<b>raw</b>"
    shown = alice.post(PREVIEW, json={"body": markdown, "article_id": own["id"]})
    assert shown.status_code == 200, shown.json
    html = shown.json["html"]
    assert "<h2>Steps</h2>" in html and "<table>" in html and "<th>what</th>" in html
    assert f'<img src="{image}" alt="menu">' in html
    assert "&lt;b&gt;raw&lt;/b&gt;" in html  # raw HTML is text, as in a saved article
    assert html == render.to_html(markdown)
    # Without an article (a new one), and an empty body.
    assert alice.post(PREVIEW, json={"body": "# Hi"}).json == {"html": "<h1>Hi</h1>\n"}
    assert alice.post(PREVIEW, json={"body": "", "article_id": None}).json == {"html": ""}
    # Nothing was stored: the article is as it was.
    assert alice.get(f"/api/v1/knowledge/articles/{own['id']}").json["version"] == 1


@pytest.mark.parametrize("payload", XSS)
def test_preview_of_xss_payloads_is_inert(app, staff, payload):
    alice, _hidden = staff
    shown = alice.post(PREVIEW, json={"body": payload})
    assert shown.status_code == 200, shown.json
    assert_inert(shown.json["html"])


def test_requesters_may_not_preview_and_bad_input_names_the_field(app, staff):
    alice, hidden = staff
    rita = login(app, "rita@example.com")
    assert rita.post(PREVIEW, json={"body": "# Hi"}).status_code == 403
    cases = [
        ({}, "/body"),
        ({"body": 5}, "/body"),
        ({"body": None}, "/body"),
        ({"body": "x" * (render.BODY_MAX + 1)}, "/body"),
        ({"body": "x", "article_id": "one"}, "/article_id"),
        ({"body": "x", "article_id": 0}, "/article_id"),
        ({"body": "x", "surprise": 1}, "/surprise"),
    ]
    for body, path in cases:
        response = alice.post(PREVIEW, json=body)
        assert response.status_code == 422, (body, response.json)
        assert path in [d["path"] for d in error_of(response)["details"]], (path, response.json)
    assert alice.post(PREVIEW, json={"body": "x" * render.BODY_MAX}).status_code == 200
    # The length message in the reader's language.
    wang = login(app, "wang@example.com")
    long = wang.post(PREVIEW, json={"body": "x" * (render.BODY_MAX + 1)})
    assert error_of(long)["message"] == "正文超过了 200,000 个字符。"
    assert error_of(long)["details"] == [{"path": "/body", "location": "json", "message": "正文超过了 200,000 个字符。"}]
    # An article the caller may not read, or none: 404 as when reading it.
    assert alice.post(PREVIEW, json={"body": "x", "article_id": hidden}).status_code == 404
    assert alice.post(PREVIEW, json={"body": "x", "article_id": 99999}).status_code == 404
