"""Keeping a knowledge base up to date: an article's images listed and deleted by staff, and review-by reminders
that reach the article's owner once per date, in the app (with a link to the article) and by e-mail."""

# ruff: noqa: RUF001  (Chinese punctuation is meant)
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select, update

from platform_core.db import utcnow
from tests.conftest import error_of
from tests.runtime import test_knowledge
from tests.runtime.test_attachments import png_bytes
from tests.runtime.test_knowledge import _article
from tests.runtime.test_knowledge_images import PRINTER, upload
from tests.runtime.test_tickets import login

people = test_knowledge.people  # the fixture: agents, a designer, requesters and the plant-floor team


def _save(client, article, body, **extra):
    saved = client.put(f"/api/v1/knowledge/articles/{article['id']}",
                       json={**PRINTER, "texts": {"en": {"title": "Printer offline", "body": body}}, **extra})
    assert saved.status_code == 200, saved.json
    return saved.json


def test_staff_list_an_articles_images_and_which_text_shows_each(app, admin, people):
    alice = login(app, "alice@example.com")
    article = _article(alice, PRINTER, publish=False)
    first = upload(alice, article["id"], png_bytes(), "cable.png").json
    second = upload(alice, article["id"], png_bytes(), "port.png").json
    _save(alice, article, f"Check the cable.\n\n{first['markdown']}\n")

    listed = alice.get(f"/api/v1/knowledge/articles/{article['id']}/images")
    assert listed.status_code == 200, listed.json
    items = listed.json["items"]
    assert [(i["id"], i["filename"], i["shown_in"]) for i in items] == [
        (first["id"], "cable.png", ["en"]), (second["id"], "port.png", [])]
    assert items[1]["url"] == second["url"] and items[1]["markdown"] == second["markdown"]
    assert items[0]["content_type"] == "image/png" and items[0]["size"] > 0 and items[0]["created_at"]

    assert login(app, "rita@example.com").get(f"/api/v1/knowledge/articles/{article['id']}/images").status_code == 403
    assert alice.get("/api/v1/knowledge/articles/999999/images").status_code == 404


def test_an_image_the_text_no_longer_shows_is_deleted_with_its_file(app, admin, people):
    from platform_core.audit import AuditEntry
    from platform_core.db import get_session
    from tests.runtime.test_attachments import stored_files

    alice = login(app, "alice@example.com")
    article = _article(alice, PRINTER, publish=False)
    image = upload(alice, article["id"], png_bytes(), "cable.png").json
    _save(alice, article, f"Check the cable.\n\n{image['markdown']}\n")
    path = f"/api/v1/knowledge/articles/{article['id']}/images/{image['id']}"
    files_before = stored_files(app)

    assert alice.patch("/api/v1/me", json={"locale": "zh-CN"}).status_code == 200  # errors in the reader's language
    refused = alice.delete(path)
    assert refused.status_code == 409
    error = error_of(refused)
    assert error["message"] == "文章中仍在显示这张图片（语言：en），请先从正文中删除并保存。"
    assert error["details"][0]["path"] == "/texts/en/body"
    assert alice.get(path).status_code == 200

    _save(alice, article, "Check the cable.")
    assert login(app, "rita@example.com").delete(path).status_code == 403
    assert alice.delete(f"/api/v1/knowledge/articles/{article['id']}/images/att_nope").status_code == 404
    deleted = alice.delete(path)
    assert deleted.status_code == 204, deleted.data
    assert alice.get(path).status_code == 404
    assert alice.delete(path).status_code == 404
    assert len(stored_files(app)) == len(files_before) - 1
    assert alice.get(f"/api/v1/knowledge/articles/{article['id']}/images").json["items"] == []
    with app.app_context():
        actions = list(get_session().scalars(select(AuditEntry.action).where(
            AuditEntry.target_type == "knowledge_article", AuditEntry.target_id == str(article["id"]))))
    assert "knowledge.image_added" in actions and "knowledge.image_deleted" in actions

    # the version that showed it, restored, shows the alternative text
    restored = alice.post(f"/api/v1/knowledge/articles/{article['id']}/versions/2/restore")
    assert restored.status_code == 200, restored.json
    assert image["url"] in restored.json["texts"]["en"]["body"]


def _due(app, article_id, review_by):
    from platform_core.db import get_session
    from runtime.knowledge.models import KnowledgeArticle

    with app.app_context():
        session = get_session()
        session.execute(update(KnowledgeArticle).where(KnowledgeArticle.id == article_id)
                        .values(review_by=review_by))
        session.commit()


def _remind(app):
    from runtime.knowledge.reviews import remind_article_reviews

    with app.app_context():
        return remind_article_reviews()


def _inbox(client):
    return client.get("/api/v1/notifications").json["items"]


def test_the_owner_is_reminded_once_when_the_review_by_date_comes(app, admin, people):
    from platform_core.db import get_session
    from runtime.notify.models import OutboxMessage

    app.config["SMTP_HOST"] = "127.0.0.1"  # e-mails are queued in the outbox (nothing is sent here)
    alice = login(app, "alice@example.com")
    assert alice.patch("/api/v1/me", json={"locale": "zh-CN"}).status_code == 200
    today = utcnow().date()
    article = _article(alice, {"locale": "en", "texts": {
        "en": {"title": "Printer offline", "body": "Check the cable."},
        "zh-CN": {"title": "打印机离线", "body": "检查网线。"}}}, review_by=(today + timedelta(days=3)).isoformat())
    later = _article(alice, PRINTER, review_by=(today + timedelta(days=30)).isoformat())
    draft = _article(alice, PRINTER, publish=False, review_by=today.isoformat())

    assert _remind(app) == {"reminded": 0, "nobody": 0}  # not yet due; a draft is never reminded
    assert _inbox(alice) == []
    listed = alice.get("/api/v1/knowledge/articles", query_string={"review_due": "true"}).json["items"]
    assert [a["id"] for a in listed] == [draft["id"]] and listed[0]["review_due"] is True

    _due(app, article["id"], today)
    assert _remind(app) == {"reminded": 1, "nobody": 0}
    inbox = _inbox(alice)
    assert len(inbox) == 1
    note = inbox[0]
    assert note["kind"] == "knowledge_review" and note["ticket_id"] is None
    assert note["link"] == f"/knowledge/{article['id']}"
    assert note["message"] == (f"文章“打印机离线”已到复审日期（{today.isoformat()}）：请确认内容仍然正确，并设置下一次复审日期。")
    with app.app_context():
        email = get_session().scalars(select(OutboxMessage).where(OutboxMessage.event == "knowledge_review")).one()
    assert email.target == "alice@example.com" and email.notification_id == note["id"]
    assert f"/knowledge/{article['id']}" in email.payload["text"] and "查看" in email.payload["text"]
    assert 'href="http' in email.payload["html"] and email.payload["subject"].startswith("文章到期待复审")

    assert _remind(app) == {"reminded": 0, "nobody": 0}  # once per date
    assert len(_inbox(alice)) == 1
    assert {a["id"] for a in alice.get("/api/v1/knowledge/articles", query_string={"review_due": "true"})
            .json["items"]} == {article["id"], draft["id"]}
    assert alice.get(f"/api/v1/knowledge/articles/{later['id']}").json["review_due"] is False

    # a new date arms it again
    _due(app, article["id"], today - timedelta(days=1))
    assert _remind(app) == {"reminded": 1, "nobody": 0}
    assert len(_inbox(alice)) == 2

    # requesters never get the filter's articles
    assert login(app, "rita@example.com").get(
        "/api/v1/knowledge/articles", query_string={"review_due": "true"}).json["items"] == []


def test_the_reminder_goes_to_the_owner_else_an_editor_else_nobody(app, admin, people):
    from platform_core.auth.models import User
    from platform_core.db import get_session

    alice, nina = login(app, "alice@example.com"), login(app, "nina@example.com")
    owned_by_nina = _article(alice, PRINTER, owner_id=people["nina"])
    orphaned = _article(alice, PRINTER, owner_id=people["rita"])  # a requester owns it: the author is told
    for article_id in (owned_by_nina["id"], orphaned["id"]):
        _due(app, article_id, date(2026, 1, 1))
    assert _remind(app) == {"reminded": 2, "nobody": 0}
    assert [n["link"] for n in _inbox(nina)] == [f"/knowledge/{owned_by_nina['id']}"]
    assert [n["link"] for n in _inbox(alice)] == [f"/knowledge/{orphaned['id']}"]

    # nobody active staff left: marked, nobody told, still listed as due
    with app.app_context():
        session = get_session()
        session.execute(update(User).where(User.id.in_([people["alice"]])).values(active=False))
        session.commit()
    _due(app, orphaned["id"], date(2026, 2, 1))
    assert _remind(app) == {"reminded": 0, "nobody": 1}
    assert _remind(app) == {"reminded": 0, "nobody": 0}
    assert orphaned["id"] in {a["id"] for a in nina.get("/api/v1/knowledge/articles",
                                                         query_string={"review_due": "true"}).json["items"]}
