"""Attachments: files stored under UPLOAD_DIR, tied to tickets, downloaded only with permission.

A file is uploaded first (the web portal uploads before the ticket exists and keeps the
attachment id in a form field of ``"format": "attachment"``), then tied to a ticket: claimed
by the form at ticket creation, or attached directly to an existing ticket. Unattached
uploads older than a day are purged by a periodic job, except those another capability
holds (``hooks.UPLOADS_HELD``: the knowledge base's article images).

On disk a file has a random name in a two-level fan-out folder (``ab/cd/abcd…``); the
client's file name is display metadata only and its content type is never trusted: the
type is sniffed from the bytes. An attachment that does not exist for a user — unknown,
someone else's unattached upload, on a ticket they cannot see, internal and they are not
staff — is 404, never 403.
"""

from __future__ import annotations

import codecs
import hashlib
import logging
import os
import re
import secrets
import tempfile
import time
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from datetime import timedelta
from pathlib import Path
from typing import IO, Any, Protocol

import puremagic
from flask import current_app
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from platform_core.auth.models import User
from platform_core.db import get_session, utcnow
from platform_core.errors import Conflict, NotFound, PayloadTooLarge, ValidationFailed
from runtime.tickets.access import can_see, is_staff_for
from runtime.tickets.history import record_event
from runtime.tickets.hooks import UPLOADS_HELD
from runtime.tickets.models import Attachment, Ticket

log = logging.getLogger(__name__)

CHUNK_SIZE = 64 * 1024
ORPHAN_AGE = timedelta(hours=24)
TEMP_FOLDER = "tmp"  # under UPLOAD_DIR, so that the final rename stays on one file system
FILENAME_MAX = 255
CONTENT_TYPE_MAX = 100  # Attachment.content_type
TEXT_PLAIN = "text/plain"
OCTET_STREAM = "application/octet-stream"
EVENT_KIND = "attachment_added"
_STORAGE_NAME = re.compile(r"^[0-9a-f]{2}/[0-9a-f]{2}/[0-9a-f]{64}$")
_FAN_OUT = re.compile(r"^[0-9a-f]{2}$")
_PURGE_BATCH = 500


class Upload(Protocol):
    """What an upload needs: werkzeug's ``FileStorage`` (``request.files[...]``) is one."""

    filename: str | None
    stream: IO[bytes]


# --------------------------------------------------------------------------- names, paths, types


def upload_dir() -> Path:
    return Path(current_app.config["UPLOAD_DIR"])


def max_bytes() -> int:
    return int(current_app.config["ATTACHMENT_MAX_BYTES"])


def storage_path(storage_name: str) -> Path:
    """Where a stored file lives. Storage names are ours (never a client's), checked all the same."""
    if not _STORAGE_NAME.match(storage_name):
        raise ValueError(f"not a storage name: {storage_name!r}")
    return upload_dir() / storage_name


def _new_storage_name() -> str:
    name = secrets.token_hex(32)
    return f"{name[:2]}/{name[2:4]}/{name}"


def new_public_id() -> str:
    """The id forms and URLs carry: random and unguessable (128 bits)."""
    return "att_" + secrets.token_urlsafe(16)


def clean_filename(name: str | None, *, fallback: str = "file") -> str:
    """The client's file name reduced to a safe display name.

    Only the last path component is kept (``../../etc/passwd`` -> ``passwd``, ``C:\\x\\y.txt``
    -> ``y.txt``); control and format characters (including bidi overrides that disguise
    an extension) are dropped; at most 255 characters, keeping a short extension.
    """
    text = unicodedata.normalize("NFC", name or "")
    text = re.split(r"[/\\]", text)[-1]
    text = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn")
                   or ch == " ")
    text = " ".join(text.split()).strip(" .")
    if not text:
        return fallback
    if len(text) > FILENAME_MAX:
        stem, dot, ext = text.rpartition(".")
        if dot and stem and 0 < len(ext) <= 16:
            text = stem[:FILENAME_MAX - len(ext) - 1].rstrip(" .") + "." + ext
        else:
            text = text[:FILENAME_MAX]
    return text


def sniff_content_type(path: Path, *, utf8_text: bool) -> str:
    """The media type told by the bytes (puremagic); else text/plain for UTF-8 text, else octet-stream."""
    try:
        matches = puremagic.magic_file(str(path))
    except puremagic.PureError:
        matches = []
    except Exception:  # a sniffer bug must not fail an upload
        log.warning("content sniffing failed", exc_info=True)
        matches = []
    for match in matches:
        mime = (match.mime_type or "").strip().lower()
        if mime and len(mime) <= CONTENT_TYPE_MAX and "/" in mime:
            return mime
    return TEXT_PLAIN if utf8_text else OCTET_STREAM


def _extension_for(content_type: str) -> str:
    return {"image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif", "image/webp": ".webp",
            "image/heif": ".heic", "image/heic": ".heic", "application/pdf": ".pdf", TEXT_PLAIN: ".txt",
            "video/mp4": ".mp4", "video/quicktime": ".mov"}.get(content_type, "")


def remove_stored(storage_name: str) -> None:
    """Remove a stored upload's file (its row is gone already); ValueError if the name is not a storage name."""
    _remove(storage_path(storage_name))


def _remove(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass
    except OSError:
        log.warning("could not remove %s", path, exc_info=True)


# --------------------------------------------------------------------------- upload


def store_upload(session: Session, file_storage: Upload, *, uploader: User, ticket: Ticket | None = None,
                 internal: bool = False, field: str = "/file",
                 check_type: Callable[[str], None] | None = None) -> Attachment:
    """Store an uploaded file and insert its row (this commits).

    The body is streamed to a temporary file under UPLOAD_DIR while it is hashed and
    counted; over ATTACHMENT_MAX_BYTES is 413 and an empty file 422 (naming ``field``),
    with nothing left behind. With ``ticket`` the file is attached to it at once (the caller
    has checked that the uploader may see the ticket, and may add ``internal`` files).
    ``check_type`` gets the sniffed content type before anything is kept; it raises to refuse
    the file (article images accept only a few image types).
    """
    limit = max_bytes()
    temp_dir = upload_dir() / TEMP_FOLDER
    temp_dir.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(dir=temp_dir, prefix="upload-")
    temp_path = Path(temp_name)
    final_path: Path | None = None
    try:
        digest = hashlib.sha256()
        decoder = codecs.getincrementaldecoder("utf-8")()
        utf8_text = True
        size = 0
        with os.fdopen(handle, "wb") as out:
            while chunk := file_storage.stream.read(CHUNK_SIZE):
                size += len(chunk)
                if size > limit:
                    raise PayloadTooLarge(f"The file is larger than the limit of {_human(limit)}.",
                                          details=[{"path": field, "location": "multipart",
                                                    "message": f"At most {limit} bytes."}])
                digest.update(chunk)
                if utf8_text:
                    try:
                        decoder.decode(chunk)
                    except UnicodeDecodeError:
                        utf8_text = False
                    utf8_text = utf8_text and b"\x00" not in chunk
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        if size == 0:
            raise ValidationFailed("The file is empty.", details=[{"path": field, "location": "multipart",
                                                                   "message": "The file is empty."}])
        if utf8_text:
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                utf8_text = False
        content_type = sniff_content_type(temp_path, utf8_text=utf8_text)
        if check_type is not None:
            check_type(content_type)
        storage_name = _new_storage_name()
        final_path = storage_path(storage_name)
        final_path.parent.mkdir(parents=True, exist_ok=True)
        os.replace(temp_path, final_path)
    except BaseException:
        _remove(temp_path)
        if final_path is not None:
            _remove(final_path)
        raise

    filename = clean_filename(file_storage.filename, fallback="file" + _extension_for(content_type))
    attachment = Attachment(public_id=new_public_id(), ticket_id=ticket.id if ticket else None,
                            uploaded_by_id=uploader.id, filename=filename, content_type=content_type,
                            size=size, sha256=digest.hexdigest(), storage_name=storage_name,
                            internal=bool(internal and ticket is not None), created_at=utcnow())
    try:
        session.add(attachment)
        if ticket is not None:
            _record_added(session, attachment, ticket, actor_id=uploader.id)
        session.commit()
    except BaseException:
        session.rollback()
        _remove(final_path)
        raise
    return attachment


def _human(size: int) -> str:
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{size:g} {unit}" if unit == "bytes" else f"{size:.3g} {unit}"
        size /= 1024  # type: ignore[assignment]
    return f"{size} bytes"  # pragma: no cover


# --------------------------------------------------------------------------- attaching


def _record_added(session: Session, attachment: Attachment, ticket: Ticket, *, actor_id: int | None) -> None:
    record_event(session, ticket, EVENT_KIND, actor_id=actor_id, internal=attachment.internal,
                 details={"attachment": attachment.public_id, "filename": attachment.filename,
                          "size": attachment.size})


def attach_to_ticket(session: Session, attachment: Attachment, ticket: Ticket, *, actor: User | None,
                     internal: bool) -> Attachment:
    """Tie an unattached upload to ``ticket`` and record ``attachment_added`` (the caller commits).

    The caller has checked that ``actor`` may see the ticket (and is staff for it if
    ``internal``). Safe against two requests claiming one upload at once: the row is updated
    only while it is still unattached; the loser gets 409. Attaching again to the same
    ticket changes nothing.
    """
    if not _attach(session, attachment, ticket, actor_id=actor.id if actor else None, internal=internal):
        raise Conflict("This file is already attached to another ticket; upload it again.")
    return attachment


def _attach(session: Session, attachment: Attachment, ticket: Ticket, *, actor_id: int | None,
            internal: bool) -> bool:
    if attachment.ticket_id == ticket.id:
        return True
    if attachment.id is None:
        session.flush()
    result = session.execute(
        update(Attachment).where(Attachment.id == attachment.id, Attachment.ticket_id.is_(None))
        .values(ticket_id=ticket.id, internal=bool(internal)).execution_options(synchronize_session=False))
    if result.rowcount != 1:  # type: ignore[attr-defined]
        return False
    set_committed_value(attachment, "ticket_id", ticket.id)
    set_committed_value(attachment, "internal", bool(internal))
    _record_added(session, attachment, ticket, actor_id=actor_id)
    return True


def claim_form_attachments(session: Session, ticket: Ticket, refs: Iterable[tuple[str, str]] | Sequence[str], *,
                           uploader_id: int | None) -> list[Attachment]:
    """Attach the uploads a new ticket's form refers to (the caller commits, or rolls back on error).

    ``refs`` are ``(pointer, attachment id)`` pairs such as ``("/data/screenshots/0", "att_…")``
    (bare ids get ``/0``, ``/1``… as pointers). Every bad reference is reported at once as a
    422 naming its pointer: unknown ids and other users' uploads alike ("no upload of yours",
    so ids of others are not confirmed), and uploads already attached to another ticket.
    Attachments claimed by a form are never internal: the form is the requester's.
    """
    pairs = [(f"/{i}", ref) if isinstance(ref, str) else (str(ref[0]), ref[1]) for i, ref in enumerate(refs)]
    wanted = {public_id for _, public_id in pairs if isinstance(public_id, str)}
    found = {a.public_id: a for a in session.scalars(select(Attachment).where(Attachment.public_id.in_(wanted)))} \
        if wanted else {}
    held = _held(session, [a.id for a in found.values()]) if found else set()
    problems: list[dict[str, Any]] = []
    todo: list[tuple[str, Attachment]] = []
    seen: set[str] = set()
    for pointer, public_id in pairs:
        attachment = found.get(public_id) if isinstance(public_id, str) else None
        if (attachment is None or attachment.uploaded_by_id != uploader_id or uploader_id is None
                or attachment.id in held):  # an article's image is not a ticket's to take
            problems.append(_problem(pointer, "There is no upload of yours with this id; upload the file again."))
        elif attachment.ticket_id is not None and attachment.ticket_id != ticket.id:
            problems.append(_problem(pointer, "This file is already attached to another ticket; upload it again."))
        elif public_id not in seen:
            seen.add(public_id)
            todo.append((pointer, attachment))
    if problems:
        raise _claim_failed(problems)
    claimed: list[Attachment] = []
    for pointer, attachment in todo:
        if _attach(session, attachment, ticket, actor_id=uploader_id, internal=False):
            claimed.append(attachment)
        else:  # claimed by another request since we looked
            problems.append(_problem(pointer, "This file is already attached to another ticket; upload it again."))
    if problems:
        raise _claim_failed(problems)
    return claimed


def _problem(pointer: str, message: str) -> dict[str, Any]:
    return {"path": pointer, "location": "json", "message": message}


def _claim_failed(problems: list[dict[str, Any]]) -> ValidationFailed:
    first = problems[0]
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    return ValidationFailed(f"{first['path']}: {first['message']}{more}", details=problems)


# --------------------------------------------------------------------------- reading


def get_attachment(session: Session, user: User, public_id: str) -> Attachment:
    """An attachment ``user`` may see, else 404 (whether it exists or not).

    The uploader may see an unattached upload; once attached, whoever may see the ticket,
    and for an internal attachment only the ticket's staff.
    """
    attachment = session.scalar(select(Attachment).where(Attachment.public_id == public_id)) \
        if isinstance(public_id, str) and len(public_id) <= 40 else None
    if attachment is None or not _may_see(session, user, attachment):
        raise NotFound("There is no such attachment.")
    return attachment


def _may_see(session: Session, user: User, attachment: Attachment) -> bool:
    if attachment.ticket_id is None:
        return attachment.uploaded_by_id is not None and attachment.uploaded_by_id == user.id
    ticket = session.get(Ticket, attachment.ticket_id)
    if ticket is None or not can_see(session, user, ticket):
        return False
    return not attachment.internal or is_staff_for(session, user, ticket)


def open_for_download(session: Session, user: User, public_id: str) -> tuple[Attachment, Path]:
    """The attachment and the path of its file, if ``user`` may download it; else 404."""
    attachment = get_attachment(session, user, public_id)
    path = storage_path(attachment.storage_name)
    if not path.is_file():
        log.error("attachment %s has no file at %s", attachment.public_id, path)
        raise NotFound("The file of this attachment is missing.")
    return attachment, path


def ticket_attachments(session: Session, user: User, ticket: Ticket) -> list[Attachment]:
    """The attachments of a ticket the caller may see (the caller has checked ``can_see``)."""
    stmt = select(Attachment).where(Attachment.ticket_id == ticket.id)
    if not is_staff_for(session, user, ticket):
        stmt = stmt.where(Attachment.internal.is_(False))
    return list(session.scalars(stmt.order_by(Attachment.id)))


# --------------------------------------------------------------------------- cleanup


def purge_orphan_uploads(*, older_than: timedelta = ORPHAN_AGE) -> dict[str, int]:
    """Delete uploads never attached to a ticket within a day (rows, then files), stale temporary
    files, and stored files no row refers to (left by a crash, or by a deleted ticket).

    Idempotent; meant to run periodically. Returns what was removed.
    """
    session = get_session()
    cutoff = utcnow() - older_than
    removed = {"rows": 0, "files": 0, "temporary": 0, "stray": 0}
    after = 0
    while True:
        batch = session.execute(select(Attachment.id, Attachment.storage_name)
                                .where(Attachment.ticket_id.is_(None), Attachment.created_at < cutoff,
                                       Attachment.id > after)
                                .order_by(Attachment.id).limit(_PURGE_BATCH)).all()
        if not batch:
            break
        after = batch[-1][0]
        held = _held(session, [attachment_id for attachment_id, _ in batch])
        gone: list[str] = []
        for attachment_id, storage_name in batch:
            if attachment_id in held:
                continue
            # Only while still unattached: a ticket may claim it at this very moment.
            result = session.execute(delete(Attachment).where(Attachment.id == attachment_id,
                                                              Attachment.ticket_id.is_(None)))
            if result.rowcount == 1:  # type: ignore[attr-defined]
                gone.append(storage_name)
        session.commit()
        removed["rows"] += len(gone)
        for storage_name in gone:
            try:
                path = storage_path(storage_name)
            except ValueError:
                continue
            if path.exists():
                _remove(path)
                removed["files"] += 1
        if len(batch) < _PURGE_BATCH:
            break

    root = upload_dir()
    deadline = time.time() - older_than.total_seconds()
    temp_dir = root / TEMP_FOLDER
    if temp_dir.is_dir():
        for entry in temp_dir.iterdir():
            if _older_than(entry, deadline):
                _remove(entry)
                removed["temporary"] += 1
    removed["stray"] = _purge_stray_files(session, root, deadline)
    session.commit()
    if any(removed.values()):
        log.info("purged attachments: %s", removed)
    return removed


def _held(session: Session, attachment_ids: list[int]) -> set[int]:
    """The ids among ``attachment_ids`` that another capability keeps (``hooks.UPLOADS_HELD``)."""
    held: set[int] = set()
    for name in UPLOADS_HELD.keys():  # noqa: SIM118  (a Registry, not a dict)
        holder = UPLOADS_HELD.get(name)
        if holder is not None:
            held.update(holder(session, attachment_ids))
    return held


def _older_than(path: Path, deadline: float) -> bool:
    """A regular file last written before ``deadline`` (false if it vanished meanwhile)."""
    try:
        return path.is_file() and path.stat().st_mtime < deadline
    except OSError:
        return False


def _purge_stray_files(session: Session, root: Path, deadline: float) -> int:
    """Remove old stored files that no attachment row names."""
    if not root.is_dir():
        return 0
    candidates: list[tuple[str, Path]] = []
    removed = 0
    for first in sorted(root.iterdir()):
        if not (first.is_dir() and _FAN_OUT.match(first.name)):
            continue
        for second in sorted(first.iterdir()):
            if not (second.is_dir() and _FAN_OUT.match(second.name)):
                continue
            for entry in second.iterdir():
                name = f"{first.name}/{second.name}/{entry.name}"
                if _STORAGE_NAME.match(name) and _older_than(entry, deadline):
                    candidates.append((name, entry))
                if len(candidates) >= _PURGE_BATCH:
                    removed += _remove_unreferenced(session, candidates)
                    candidates = []
    return removed + _remove_unreferenced(session, candidates)


def _remove_unreferenced(session: Session, candidates: list[tuple[str, Path]]) -> int:
    if not candidates:
        return 0
    known = set(session.scalars(select(Attachment.storage_name)
                                .where(Attachment.storage_name.in_([name for name, _ in candidates]))))
    stray = [path for name, path in candidates if name not in known]
    for path in stray:
        _remove(path)
    return len(stray)
