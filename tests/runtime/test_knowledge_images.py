"""Images in knowledge articles: staff upload one for an article they may edit (PNG, JPEG, GIF, WebP, told by
the content), the Markdown shows it inline, and it is served only to those who may read the article; the
sanitiser keeps our images and nothing else; the orphan purge leaves them alone."""

from __future__ import annotations

import io
import os
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from platform_core.errors import ValidationFailed
from runtime.knowledge import render
from tests.conftest import error_of
from tests.runtime import test_knowledge
from tests.runtime.test_attachments import PHONE_JPEG, make_ticket, png_bytes, stored_files
from tests.runtime.test_knowledge import _article, assert_inert
from tests.runtime.test_tickets import login

people = test_knowledge.people  # the fixture: agents, a designer, requesters and the plant-floor team

GIF = (b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00"
       b"\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")
WEBP = b"RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00/\x00\x00\x00\x10\x07\x10\x11\x11\x88\x88\xfe\x07\x00"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>'
PRINTER = {"locale": "en", "texts": {"en": {"title": "Printer offline", "body": "Check the cable."}}}


def upload(client, article_id, content, filename="shot.png", content_type="image/png", *, headers=None, **form):
    data = {"file": (io.BytesIO(content), filename, content_type), **form}
    return client.post(f"/api/v1/knowledge/articles/{article_id}/images", data=data,
                       content_type="multipart/form-data", headers=headers or {})


def image_rows(app) -> int:
    from platform_core.db import get_session
    from runtime.knowledge.models import KnowledgeArticleImage

    with app.app_context():
        return get_session().scalar(select(func.count()).select_from(KnowledgeArticleImage))


@pytest.mark.parametrize(("content", "filename", "content_type"), [
    (png_bytes(), "screen shot.png", "image/png"),
    (PHONE_JPEG, "photo.jpg", "image/jpeg"),
    (GIF, "spinner.gif", "image/gif"),
    (WEBP, "diagram.webp", "image/webp"),
    (png_bytes(), "named-wrongly.svg", "image/png"),  # the content decides, not the name
])
def test_staff_upload_an_image_and_the_article_shows_it(app, admin, people, content, filename, content_type):
    alice = login(app, "alice@example.com")
    article = _article(alice, PRINTER, publish=False)
    uploaded = upload(alice, article["id"], content, filename, "application/octet-stream")
    assert uploaded.status_code == 201, uploaded.json
    image = uploaded.json
    assert image["content_type"] == content_type and image["size"] == len(content)
    assert image["url"] == f"/api/v1/knowledge/articles/{article['id']}/images/{image['id']}"
    alt = filename.rpartition(".")[0]
    assert image["markdown"] == f"![{alt}]({image['url']})" and image["alt"] == alt

    fetched = alice.get(image["url"])
    assert fetched.status_code == 200 and fetched.data == content
    assert fetched.mimetype == content_type and fetched.headers["X-Content-Type-Options"] == "nosniff"
    assert "attachment" not in fetched.headers.get("Content-Disposition", "")
    assert fetched.headers["Cache-Control"] == "private, no-cache"
    assert alice.get(image["url"], headers={"If-None-Match": fetched.headers["ETag"]}).status_code == 304

    body = f"Check the cable.\n\n{image['markdown']}\n"
    saved = alice.put(f"/api/v1/knowledge/articles/{article['id']}",
                      json={**PRINTER, "texts": {"en": {"title": "Printer offline", "body": body}}})
    assert saved.status_code == 200, saved.json
    assert f'<img src="{image["url"]}" alt="{alt}">' in saved.json["body_html"]


def test_alt_text_is_plain_text(app, admin, people):
    alice = login(app, "alice@example.com")
    article = _article(alice, PRINTER, publish=False)
    image = upload(alice, article["id"], png_bytes(), alt="The [cable](javascript:x) <b>here</b>\nnow").json
    assert image["alt"] == "The cable (javascript:x) b here /b now"
    html = render.to_html(image["markdown"])
    assert f'<img src="{image["url"]}" alt="{image["alt"]}">' in html


def test_what_is_not_an_image_is_refused_naming_the_file(app, admin, people):
    alice = login(app, "alice@example.com")
    article = _article(alice, PRINTER, publish=False)
    cases = [
        (SVG, "logo.svg", "image/svg+xml", 422),  # SVG can carry script
        (b"<html><script>alert(1)</script></html>", "shot.png", "image/png", 422),  # named as an image, it is not
        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "manual.png", "image/png", 422),
        (b"", "empty.png", "image/png", 422),
    ]
    for content, filename, content_type, status in cases:
        refused = upload(alice, article["id"], content, filename, content_type)
        assert refused.status_code == status, (filename, refused.json)
        assert [d["path"] for d in error_of(refused)["details"]] == ["/file"], refused.json
    admin.patch(f"/api/v1/users/{people['dora']}", json={"locale": "zh-CN"})  # messages in the reader's language
    chinese = upload(login(app, "dora@example.com"), article["id"], SVG, "logo.svg")
    assert "PNG、JPEG、GIF 或 WebP" in error_of(chinese)["message"]
    missing = alice.post(f"/api/v1/knowledge/articles/{article['id']}/images", data={"alt": "x"},
                         content_type="multipart/form-data")
    assert missing.status_code == 422 and "/file" in [d["path"] for d in error_of(missing)["details"]]
    too_long_alt = upload(alice, article["id"], png_bytes(), alt="x" * 201)
    assert too_long_alt.status_code == 422 and "/alt" in [d["path"] for d in error_of(too_long_alt)["details"]]
    assert image_rows(app) == 0 and [p for p in stored_files(app) if "tmp" not in p.parts] == []


def test_an_image_over_the_attachment_limit_is_413(app, admin, people):
    alice = login(app, "alice@example.com")
    article = _article(alice, PRINTER, publish=False)
    app.config["ATTACHMENT_MAX_BYTES"] = 100
    too_big = upload(alice, article["id"], png_bytes() + b"\x00" * 200)  # the stream is counted
    assert too_big.status_code == 413 and error_of(too_big)["details"][0]["path"] == "/file"
    admin.patch(f"/api/v1/users/{people['dora']}", json={"locale": "zh-CN"})
    far_too_big = upload(login(app, "dora@example.com"), article["id"],  # refused from Content-Length
                         png_bytes() + b"\x00" * 200_000)
    assert far_too_big.status_code == 413 and "大小上限" in error_of(far_too_big)["message"]
    assert error_of(far_too_big)["details"][0]["path"] == "/file"
    assert image_rows(app) == 0 and [p for p in stored_files(app) if "tmp" not in p.parts] == []


def test_who_uploads_and_who_sees_an_image(app, admin, people):
    alice = login(app, "alice@example.com")  # agent, in the plant-floor team
    nina = login(app, "nina@example.com")  # agent, not in it
    rita = login(app, "rita@example.com")  # requester, not in it
    tom = login(app, "tom@example.com")  # requester, in it
    draft = _article(alice, PRINTER, publish=False)
    assert upload(rita, draft["id"], png_bytes()).status_code == 403  # requesters do not write
    assert upload(alice, 99999, png_bytes()).status_code == 404
    url = upload(alice, draft["id"], png_bytes()).json["url"]

    # A draft's image: staff only.
    assert nina.get(url).status_code == 200 and admin.get(url).status_code == 200
    assert rita.get(url).status_code == 404 and tom.get(url).status_code == 404
    assert app.test_client().get(url).status_code == 401
    alice.post(f"/api/v1/knowledge/articles/{draft['id']}/publish")
    assert rita.get(url).status_code == 200 and tom.get(url).status_code == 200
    # Another article's URL with this image, or an unknown image: 404.
    other = _article(alice, PRINTER)
    assert rita.get(url.replace(f"/articles/{draft['id']}/", f"/articles/{other['id']}/")).status_code == 404
    assert rita.get(f"/api/v1/knowledge/articles/{draft['id']}/images/att_nope").status_code == 404
    assert rita.get(f"/api/v1/knowledge/articles/{draft['id']}/images/{'a' * 300}").status_code == 404

    # A team-restricted article's image: its team (and admins) only; nina cannot even upload to it.
    team_article = _article(alice, PRINTER, visibility="teams", team_ids=[people["team"]])
    team_url = upload(alice, team_article["id"], png_bytes()).json["url"]
    assert tom.get(team_url).status_code == 200 and admin.get(team_url).status_code == 200
    assert rita.get(team_url).status_code == 404 and nina.get(team_url).status_code == 404
    assert upload(nina, team_article["id"], png_bytes()).status_code == 404
    # Unpublished again: gone for requesters.
    alice.post(f"/api/v1/knowledge/articles/{draft['id']}/unpublish")
    assert rita.get(url).status_code == 404


IMAGE = "/api/v1/knowledge/articles/7/images/att_AbC-d_9"


def test_the_sanitiser_keeps_our_images_and_nothing_else():
    ours = render.to_html(f"![diagram]({IMAGE})")
    assert ours == f'<p><img src="{IMAGE}" alt="diagram"></p>\n'
    assert render.sanitise(f'<img src="{IMAGE}" alt="a" title="t" onerror="alert(1)" width="9">') == \
        f'<img src="{IMAGE}" alt="a">'
    for source in ("https://tracker.example/p.gif", "http://tracker.example/p.gif", "//tracker.example/p.gif",
                   "javascript:alert(1)", "data:image/png;base64,iVBORw0KGgo=", "/api/v1/attachments/att_x/download",
                   f"{IMAGE}/../../../../admin", f"{IMAGE}?x=1", f"{IMAGE}#x", "images/att_x",
                   "/api/v1/knowledge/articles/7/images/att_x/../att_y", "https://evil.example" + IMAGE):
        html = render.to_html(f"![x]({source})")
        assert "src=" not in html, (source, html)
        assert "src=" not in render.sanitise(f'<img src="{source}" alt="x">'), source
    for source in (f" {IMAGE}", f"{IMAGE}\n", f"{IMAGE.upper()}"):  # raw HTML is exact; Markdown trims spaces
        assert "src=" not in render.sanitise(f'<img src="{source}" alt="x">'), source
    # Links keep what they allowed before; only images are narrowed.
    assert 'href="https://example.com"' in render.to_html("[docs](https://example.com)")
    assert 'href="/knowledge/3"' in render.to_html("[see](/knowledge/3)")
    assert "href" not in render.to_html("[x](//evil.example)")
    assert_inert(ours)


def test_the_orphan_purge_keeps_article_images(app, admin, people):
    from platform_core.db import get_session, utcnow
    from runtime.tickets.attachments import purge_orphan_uploads, storage_path
    from runtime.tickets.models import Attachment

    alice = login(app, "alice@example.com")
    article = _article(alice, PRINTER)
    image_id = upload(alice, article["id"], png_bytes()).json["id"]
    orphan = alice.post("/api/v1/attachments", data={"file": (io.BytesIO(b"orphan"), "o.txt", "text/plain")},
                        content_type="multipart/form-data").json["id"]
    with app.app_context():
        session = get_session()
        session.execute(update(Attachment).values(created_at=utcnow() - timedelta(hours=25)))
        session.commit()
        long_ago = time.time() - 2 * 86400
        for storage_name in session.scalars(select(Attachment.storage_name)):
            os.utime(storage_path(storage_name), (long_ago, long_ago))
        assert purge_orphan_uploads()["rows"] == 1
        assert set(session.scalars(select(Attachment.public_id))) == {image_id}
    assert orphan != image_id
    assert login(app, "rita@example.com").get(f"/api/v1/knowledge/articles/{article['id']}/images/{image_id}") \
        .status_code == 200


def test_an_article_image_cannot_be_claimed_by_a_ticket_form(app, admin, people):
    from platform_core.db import get_session
    from runtime.tickets.attachments import claim_form_attachments
    from runtime.tickets.models import Ticket

    alice = login(app, "alice@example.com")
    article = _article(alice, PRINTER)
    image_id = upload(alice, article["id"], png_bytes()).json["id"]
    ticket_id = make_ticket(app, people["alice"])
    with app.app_context():
        session = get_session()
        with pytest.raises(ValidationFailed) as refused:
            claim_form_attachments(session, session.get(Ticket, ticket_id), [("/data/shot", image_id)],
                                   uploader_id=people["alice"])
        assert [d["path"] for d in refused.value.details] == ["/data/shot"]
        session.rollback()
    assert login(app, "rita@example.com").get(f"/api/v1/knowledge/articles/{article['id']}/images/{image_id}") \
        .status_code == 200
