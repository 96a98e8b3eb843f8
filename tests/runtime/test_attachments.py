"""Attachments end to end with real files in a temporary UPLOAD_DIR: sniffing, limits, random
storage names, downloads, permissions (404, never 403), form claims and the orphan purge."""

from __future__ import annotations

import hashlib
import io
import os
import re
import struct
import time
import zlib
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, update
from werkzeug.datastructures import FileStorage

from platform_core.errors import PayloadTooLarge, ValidationFailed
from tests.conftest import PASSWORD, Api, error_of

STORED = re.compile(r"^[0-9a-f]{2}/[0-9a-f]{2}/[0-9a-f]{64}$")


# --------------------------------------------------------------------------- sample files


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_bytes() -> bytes:
    """A real 1x1 red PNG."""
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", pixels) + _chunk(b"IEND", b"")


# The start of a JPEG as a phone camera writes it: SOI, APP0 JFIF, then quantisation tables …
PHONE_JPEG = (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x48\x00\x48\x00\x00"
              + b"\xff\xdb\x00\x43\x00" + bytes(range(64)) + b"\xff\xd9")
# An iPhone photo (HEIC): an ISO-BMFF ftyp box of brand heic.
PHONE_HEIC = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64


# --------------------------------------------------------------------------- helpers


def _client(app, make_user, email: str, roles: list[str]) -> Api:
    make_user(email, roles)
    client = Api(app.test_client())
    assert client.login(email, PASSWORD).status_code == 200
    return client


def _user_id(client: Api) -> int:
    return client.get("/api/v1/me").json["user"]["id"]


def upload(client: Api, content: bytes, filename: str = "file.bin", content_type: str = "application/octet-stream",
           path: str = "/api/v1/attachments", **form: str):
    data = {"file": (io.BytesIO(content), filename, content_type), **form}
    return client.post(path, data=data, content_type="multipart/form-data")


def stored_files(app) -> list[Path]:
    root = Path(app.config["UPLOAD_DIR"])
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def attachment_rows(app) -> int:
    from platform_core.db import get_session
    from runtime.tickets.models import Attachment

    with app.app_context():
        return get_session().scalar(select(func.count()).select_from(Attachment))


def make_team(app, key: str, member_ids: list[int]) -> int:
    with app.app_context():
        from platform_core.auth import services
        from platform_core.db import get_session

        return services.create_team(get_session(), {"key": key, "name": key.title(), "member_ids": member_ids},
                                    actor_id=None).id


def make_ticket(app, requester_id: int, *, team_id: int | None = None, title: str = "Printer on fire") -> int:
    """A ticket row of a published skeleton type, without the ticket service."""
    with app.app_context():
        from designer.drafts import services
        from platform_core.auth.models import User
        from platform_core.db import get_session
        from runtime.tickets.models import Ticket, TicketType, TicketTypeVersion

        session = get_session()
        ticket_type = session.scalar(select(TicketType).where(TicketType.key == "att-test"))
        if ticket_type is None:
            author = session.get(User, requester_id)
            ticket_type = services.create_type(session, {"key": "att-test", "name": "Attachment test",
                                                         "number_prefix": "ATT"}, actor=author)
            services.publish(session, ticket_type, "First", actor=author)
        version = session.scalar(select(TicketTypeVersion).where(TicketTypeVersion.ticket_type_id == ticket_type.id))
        count = session.scalar(select(func.count()).select_from(Ticket))
        ticket = Ticket(number=f"ATT-{count + 1}", ticket_type_id=ticket_type.id, type_version_id=version.id,
                        title=title, data={"title": title}, status="new", status_category="new", priority="P3",
                        requester_id=requester_id, team_id=team_id)
        session.add(ticket)
        session.commit()
        return ticket.id


def events_of(app, ticket_id: int) -> list[tuple[str, bool, dict, int | None]]:
    with app.app_context():
        from platform_core.db import get_session
        from runtime.tickets.models import TicketEvent

        rows = get_session().scalars(select(TicketEvent).where(TicketEvent.ticket_id == ticket_id)
                                     .order_by(TicketEvent.id))
        return [(e.kind, e.internal, e.details, e.actor_id) for e in rows]


@pytest.fixture
def alice(app, make_user) -> Api:
    return _client(app, make_user, "alice@example.com", ["requester"])


@pytest.fixture
def bob(app, make_user) -> Api:
    return _client(app, make_user, "bob@example.com", ["requester"])


# --------------------------------------------------------------------------- storing


def test_a_png_with_a_lying_content_type_is_stored_as_png_under_a_random_name(app, alice):
    content = png_bytes()
    response = upload(alice, content, "holiday.png", "text/html")
    assert response.status_code == 201, response.json
    body = response.json
    assert body["id"].startswith("att_") and len(body["id"]) >= 20
    assert body["content_type"] == "image/png" and body["filename"] == "holiday.png"
    assert body["size"] == len(content) and body["sha256"] == hashlib.sha256(content).hexdigest()
    assert body["created_at"] and body["download_url"] == f"/api/v1/attachments/{body['id']}/download"

    [stored] = stored_files(app)
    relative = stored.relative_to(app.config["UPLOAD_DIR"]).as_posix()
    assert STORED.match(relative) and "holiday" not in relative
    assert stored.read_bytes() == content
    again = upload(alice, content, "holiday.png", "image/png").json
    assert again["id"] != body["id"] and len(stored_files(app)) == 2  # the same bytes, a new random name


@pytest.mark.parametrize(("content", "filename", "claimed", "expected"), [
    (PHONE_JPEG, "IMG_0001.JPG", "application/octet-stream", "image/jpeg"),
    (PHONE_JPEG, "", "", "image/jpeg"),  # a camera capture without a name
    (PHONE_HEIC, "IMG_0002.HEIC", "image/heic", "image/heif"),
    ("Grüße aus 北京\nline two\n".encode(), "notes.txt", "image/png", "text/plain"),
    (b"\x00\x01\x02\xfe\xff not text, no known signature", "data.png", "image/png", "application/octet-stream"),
])
def test_the_type_comes_from_the_bytes_never_from_the_client(alice, content, filename, claimed, expected):
    response = upload(alice, content, filename, claimed)
    assert response.status_code == 201, response.json
    assert response.json["content_type"] == expected
    if not filename:
        assert response.json["filename"] == "file.jpg"


def test_an_empty_file_or_no_file_is_422_naming_the_field(app, alice):
    empty = upload(alice, b"", "empty.txt", "text/plain")
    assert empty.status_code == 422
    assert [d["path"] for d in error_of(empty)["details"]] == ["/file"]
    missing = alice.post("/api/v1/attachments", data={"other": "x"}, content_type="multipart/form-data")
    assert missing.status_code == 422 and "/file" in [d["path"] for d in error_of(missing)["details"]]
    not_multipart = alice.post("/api/v1/attachments", json={"file": "aGVsbG8="})
    assert not_multipart.status_code == 422 and error_of(not_multipart)["details"][0]["path"] == "/file"
    assert stored_files(app) == [] and attachment_rows(app) == 0


def test_a_file_over_the_limit_is_413_and_leaves_nothing_behind(app, alice):
    app.config["ATTACHMENT_MAX_BYTES"] = 100
    too_big = upload(alice, b"x" * 101, "big.txt", "text/plain")  # caught while streaming
    assert too_big.status_code == 413 and error_of(too_big)["code"] == "payload_too_large"
    far_too_big = upload(alice, b"x" * 200_000, "huge.txt", "text/plain")  # refused from Content-Length
    assert far_too_big.status_code == 413 and error_of(far_too_big)["code"] == "payload_too_large"
    assert stored_files(app) == [] and attachment_rows(app) == 0
    assert upload(alice, b"x" * 100, "exact.txt", "text/plain").status_code == 201


def test_the_service_refuses_over_the_limit_and_cleans_up_when_the_insert_fails(app, make_user, monkeypatch):
    from platform_core.auth.models import User
    from platform_core.db import get_session
    from runtime.tickets import attachments

    user_id = make_user("carol@example.com")
    with app.app_context():
        session = get_session()
        user = session.get(User, user_id)
        app.config["ATTACHMENT_MAX_BYTES"] = 10
        with pytest.raises(PayloadTooLarge) as refused:
            attachments.store_upload(session, FileStorage(io.BytesIO(b"y" * 11), "a.txt"), uploader=user)
        assert refused.value.status == 413 and refused.value.code == "payload_too_large"
        app.config["ATTACHMENT_MAX_BYTES"] = 1000

        def broken_commit():
            raise RuntimeError("database went away")

        monkeypatch.setattr(session, "commit", broken_commit)
        with pytest.raises(RuntimeError):
            attachments.store_upload(session, FileStorage(io.BytesIO(b"fine"), "a.txt"), uploader=user)
    assert stored_files(app) == [] and attachment_rows(app) == 0


@pytest.mark.parametrize(("given", "kept"), [
    ("../../etc/passwd", "passwd"),
    ("..\\..\\Windows\\win.ini", "win.ini"),
    ("C:\\Users\\me\\Desktop\\report.pdf", "report.pdf"),
    ("invoice\u202efdp.exe", "invoicefdp.exe"),  # a right-to-left override disguising the extension
    ("tab\tand\nnewline\x00.txt", "tabandnewline.txt"),
    ("..", "file"),
    ("  spaced   name .txt ", "spaced name .txt"),
    ("a" * 300 + ".jpeg", "a" * 250 + ".jpeg"),
])
def test_client_file_names_are_only_display_names(given, kept):
    from runtime.tickets.attachments import clean_filename

    assert clean_filename(given) == kept


def test_a_path_traversal_name_is_neutralised(app, alice, tmp_path):
    response = upload(alice, b"root:x:0:0", "../../etc/passwd", "text/plain")
    assert response.status_code == 201 and response.json["filename"] == "passwd"
    [stored] = stored_files(app)
    assert stored.is_relative_to(Path(app.config["UPLOAD_DIR"])) and not (tmp_path / "etc").exists()
    download = alice.get(response.json["download_url"])
    assert "passwd" in download.headers["Content-Disposition"] and "/" not in download.headers["Content-Disposition"]


# --------------------------------------------------------------------------- downloading


def test_a_download_is_an_attachment_with_the_sniffed_type_and_nosniff(alice):
    content = png_bytes()
    created = upload(alice, content, "Überweisung 2024.png", "text/html").json
    metadata = alice.get(f"/api/v1/attachments/{created['id']}")
    assert metadata.status_code == 200 and metadata.json == created
    download = alice.get(created["download_url"])
    assert download.status_code == 200 and download.data == content
    disposition = download.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''%C3%9Cberweisung%202024.png" in disposition and 'filename="Uberweisung 2024.png"' in disposition
    assert download.headers["Content-Type"] == "image/png"
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert "private" in download.headers["Cache-Control"]
    assert download.headers["ETag"].strip('"') == created["sha256"]


def test_a_stored_html_file_is_never_served_inline(alice):
    created = upload(alice, b"<html><script>alert(document.cookie)</script></html>", "page.html", "text/html").json
    download = alice.get(created["download_url"])
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in download.headers["Content-Security-Policy"]


def test_text_downloads_declare_utf8(alice):
    created = upload(alice, "naïve\n".encode(), "a.txt", "application/pdf").json
    download = alice.get(created["download_url"])
    assert download.headers["Content-Type"] == "text/plain; charset=utf-8" and download.data == "naïve\n".encode()


def test_someone_elses_upload_does_not_exist_for_you(app, alice, bob, api):
    created = upload(alice, png_bytes(), "mine.png", "image/png").json
    for path in (f"/api/v1/attachments/{created['id']}", created["download_url"]):
        assert bob.get(path).status_code == 404 and error_of(bob.get(path))["code"] == "not_found"
        assert alice.get(path).status_code == 200
        assert api.get(path).status_code == 401  # not logged in
    assert bob.get("/api/v1/attachments/att_doesnotexist").status_code == 404
    assert bob.get("/api/v1/attachments/att_doesnotexist/download").status_code == 404


# --------------------------------------------------------------------------- on tickets


@pytest.fixture
def desk(app, make_user, alice, bob):
    """Alice's ticket handled by the service desk (Agnes); Otto is an agent of another team."""
    agnes = _client(app, make_user, "agnes@example.com", ["agent"])
    otto = _client(app, make_user, "otto@example.com", ["agent"])
    desk_team = make_team(app, "service-desk", [_user_id(agnes)])
    make_team(app, "network", [_user_id(otto)])
    ticket_id = make_ticket(app, _user_id(alice), team_id=desk_team)
    return {"ticket": ticket_id, "agnes": agnes, "otto": otto, "alice": alice, "bob": bob}


def test_an_internal_attachment_never_reaches_the_requester(app, desk):
    ticket, agnes, alice, otto = desk["ticket"], desk["agnes"], desk["alice"], desk["otto"]
    path = f"/api/v1/tickets/{ticket}/attachments"
    internal = upload(agnes, b"root cause: expired cert", "analysis.txt", "text/plain", path=path, internal="true")
    assert internal.status_code == 201 and internal.json["internal"] is True
    shared = upload(alice, PHONE_JPEG, "photo.jpg", "image/jpeg", path=path)
    assert shared.status_code == 201 and shared.json["internal"] is False

    assert [a["id"] for a in alice.get(path).json["items"]] == [shared.json["id"]]
    assert [a["id"] for a in agnes.get(path).json["items"]] == [internal.json["id"], shared.json["id"]]
    for url in (f"/api/v1/attachments/{internal.json['id']}", internal.json["download_url"]):
        assert alice.get(url).status_code == 404
        assert agnes.get(url).status_code == 200
    assert agnes.get(shared.json["download_url"]).data == PHONE_JPEG
    assert otto.get(path).status_code == 404  # not his team's ticket
    assert otto.get(internal.json["download_url"]).status_code == 404

    events = [e for e in events_of(app, ticket) if e[0] == "attachment_added"]
    assert [(e[1], e[2]["attachment"], e[2]["filename"], e[2]["size"]) for e in events] == [
        (True, internal.json["id"], "analysis.txt", 24), (False, shared.json["id"], "photo.jpg", len(PHONE_JPEG))]
    assert events[0][3] == _user_id(agnes) and events[1][3] == _user_id(alice)


def test_only_staff_add_internal_attachments_and_only_to_tickets_they_see(app, desk):
    ticket, alice, bob = desk["ticket"], desk["alice"], desk["bob"]
    path = f"/api/v1/tickets/{ticket}/attachments"
    refused = upload(alice, b"hi", "a.txt", "text/plain", path=path, internal="true")
    assert refused.status_code == 403 and error_of(refused)["code"] == "forbidden"
    assert upload(bob, b"hi", "a.txt", "text/plain", path=path).status_code == 404
    assert bob.get(path).status_code == 404
    assert upload(alice, b"hi", "a.txt", "text/plain", path="/api/v1/tickets/999999/attachments").status_code == 404
    bad = upload(alice, b"hi", "a.txt", "text/plain", path=path, internal="maybe")
    assert bad.status_code == 422 and error_of(bad)["details"][0]["path"] == "/internal"
    assert stored_files(app) == [] and attachment_rows(app) == 0


def test_once_attached_only_those_who_see_the_ticket_download(app, desk):
    from platform_core.auth.models import User
    from platform_core.db import get_session
    from runtime.tickets.attachments import attach_to_ticket, get_attachment
    from runtime.tickets.models import Attachment, Ticket

    agnes, bob = desk["agnes"], desk["bob"]
    created = upload(bob, b"bob's log", "log.txt", "text/plain").json
    with app.app_context():
        session = get_session()
        attachment = session.scalar(select(Attachment).where(Attachment.public_id == created["id"]))
        ticket = session.get(Ticket, desk["ticket"])
        attach_to_ticket(session, attachment, ticket, actor=session.get(User, _user_id(agnes)), internal=False)
        session.commit()
        assert get_attachment(session, session.get(User, _user_id(agnes)), created["id"]).ticket_id == ticket.id
    assert bob.get(created["download_url"]).status_code == 404  # Bob cannot see Alice's ticket
    assert agnes.get(created["download_url"]).status_code == 200


# --------------------------------------------------------------------------- form claims


def test_claiming_form_attachments_names_each_bad_pointer(app, desk):
    from platform_core.db import get_session
    from runtime.tickets.attachments import claim_form_attachments
    from runtime.tickets.models import Attachment, Ticket

    alice, bob = desk["alice"], desk["bob"]
    mine = upload(alice, png_bytes(), "screen1.png", "image/png").json["id"]
    other = upload(alice, PHONE_JPEG, "screen2.jpg", "image/jpeg").json["id"]
    bobs = upload(bob, b"bob", "bob.txt", "text/plain").json["id"]
    taken = upload(alice, b"taken", "taken.txt", "text/plain",
                   path=f"/api/v1/tickets/{desk['ticket']}/attachments").json["id"]
    alice_id = _user_id(alice)
    new_ticket = make_ticket(app, alice_id, title="Second")

    with app.app_context():
        session = get_session()
        ticket = session.get(Ticket, new_ticket)
        refs = [("/data/screenshots/0", mine), ("/data/screenshots/1", bobs), ("/data/screenshots/2", taken),
                ("/data/screenshots/3", "att_unknown"), ("/data/screenshots/4", other)]
        with pytest.raises(ValidationFailed) as refused:
            claim_form_attachments(session, ticket, refs, uploader_id=alice_id)
        details = refused.value.details
        assert [d["path"] for d in details] == ["/data/screenshots/1", "/data/screenshots/2", "/data/screenshots/3"]
        assert "no upload of yours" in details[0]["message"] and "another ticket" in details[1]["message"]
        assert details[0]["message"] == details[2]["message"]  # someone else's id is not confirmed to exist
        assert refused.value.status == 422 and refused.value.message.startswith("/data/screenshots/1: ")
        session.rollback()

        claimed = claim_form_attachments(session, ticket, [("/data/screenshots/0", mine),
                                                           ("/data/screenshots/1", other),
                                                           ("/data/screenshots/2", mine)], uploader_id=alice_id)
        session.commit()
        assert [a.public_id for a in claimed] == [mine, other]
        rows = session.scalars(select(Attachment).where(Attachment.ticket_id == new_ticket)).all()
        assert sorted(a.public_id for a in rows) == sorted([mine, other]) and not any(a.internal for a in rows)

        with pytest.raises(ValidationFailed) as again:  # already this ticket's is fine; another ticket is not
            claim_form_attachments(session, session.get(Ticket, desk["ticket"]), [("/data/files/0", mine)],
                                   uploader_id=alice_id)
        assert again.value.details[0]["path"] == "/data/files/0"
        assert claim_form_attachments(session, ticket, [("/data/x", mine)], uploader_id=alice_id)[0].public_id == mine
        session.rollback()

    added = [e for e in events_of(app, new_ticket) if e[0] == "attachment_added"]
    assert [(e[2]["attachment"], e[3], e[1]) for e in added] == [(mine, alice_id, False), (other, alice_id, False)]
    assert bob.get(f"/api/v1/tickets/{new_ticket}/attachments").status_code == 404
    assert [a["id"] for a in alice.get(f"/api/v1/tickets/{new_ticket}/attachments").json["items"]] == [mine, other]


# --------------------------------------------------------------------------- purge


def test_orphan_uploads_older_than_a_day_are_purged_with_their_files(app, desk):
    from platform_core.db import get_session, utcnow
    from runtime.tickets.attachments import purge_orphan_uploads, storage_path
    from runtime.tickets.models import Attachment

    alice = desk["alice"]
    old = upload(alice, b"old orphan", "old.txt", "text/plain").json["id"]
    fresh = upload(alice, b"fresh orphan", "fresh.txt", "text/plain").json["id"]
    kept = upload(alice, b"attached long ago", "kept.txt", "text/plain",
                  path=f"/api/v1/tickets/{desk['ticket']}/attachments").json["id"]
    root = Path(app.config["UPLOAD_DIR"])
    long_ago = time.time() - 2 * 86400
    stray_old = root / "ab" / "cd" / ("abcd" + "0" * 60)
    stray_new = root / "ab" / "cd" / ("abcd" + "1" * 60)
    temp_old = root / "tmp" / "upload-crashed"
    for path in (stray_old, stray_new, temp_old):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"left behind")
    for path in (stray_old, temp_old):
        os.utime(path, (long_ago, long_ago))

    with app.app_context():
        session = get_session()
        session.execute(update(Attachment).where(Attachment.public_id.in_([old, kept]))
                        .values(created_at=utcnow() - timedelta(hours=25)))
        session.commit()
        names = dict(session.execute(select(Attachment.public_id, Attachment.storage_name)).all())
        for storage_name in names.values():  # age every stored file: only rows decide for referenced files
            os.utime(storage_path(storage_name), (long_ago, long_ago))
        assert purge_orphan_uploads() == {"rows": 1, "files": 1, "temporary": 1, "stray": 1}
        assert purge_orphan_uploads() == {"rows": 0, "files": 0, "temporary": 0, "stray": 0}
        remaining = set(session.scalars(select(Attachment.public_id)))
        assert remaining == {fresh, kept}
        assert not storage_path(names[old]).exists()
        assert storage_path(names[fresh]).exists() and storage_path(names[kept]).exists()
    assert not stray_old.exists() and stray_new.exists() and not temp_old.exists()
    assert alice.get(f"/api/v1/attachments/{old}").status_code == 404
