"""Attachments API: upload (before or on a ticket), metadata, download, a ticket's list.

Uploads are ``multipart/form-data`` with the file in the field ``file``. Downloads are
always ``Content-Disposition: attachment`` with the sniffed type and ``nosniff``, so a
stored HTML or SVG file is never rendered by the browser on our origin.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import marshmallow as ma
from flask import request, send_file
from marshmallow import fields

from platform_core.api import Blueprint, GongdanParser
from platform_core.auth.current import actor, requires
from platform_core.db import db_session
from platform_core.errors import Forbidden, NotFound, PayloadTooLarge
from runtime.tickets import attachments as service
from runtime.tickets.access import get_visible_ticket, is_staff_for

# Room for the multipart envelope around the file (boundaries, part headers, the other fields).
MULTIPART_OVERHEAD = 64 * 1024


class _MultipartParser(GongdanParser):
    """Adds the location ``multipart``: a form's files and fields together, as one body."""

    __location_map__ = {**GongdanParser.__location_map__, "multipart": "load_multipart"}

    def load_multipart(self, req: Any, schema: ma.Schema) -> Any:
        data = req.form.copy()
        for key, value in req.files.items(multi=True):
            data.add(key, value)
        return self._makeproxy(data, schema)


class UploadBlueprint(Blueprint):
    ARGUMENTS_PARSER = _MultipartParser()
    DEFAULT_LOCATION_CONTENT_TYPE_MAPPING = {**Blueprint.DEFAULT_LOCATION_CONTENT_TYPE_MAPPING,
                                             "multipart": "multipart/form-data"}


bp = UploadBlueprint("attachments", __name__, url_prefix="/api/v1",
                     description="Attachments: upload files (before or on a ticket) and download them with permission")


# --------------------------------------------------------------------------- schemas


def _file_field() -> fields.Raw:
    return fields.Raw(required=True, metadata={"type": "string", "format": "binary",
                                               "description": "The file. Its type is sniffed from its content."})


class AttachmentUploadSchema(ma.Schema):
    file = _file_field()


class TicketAttachmentUploadSchema(ma.Schema):
    file = _file_field()
    internal = fields.Boolean(load_default=False,
                              metadata={"description": "Only for the ticket's staff: hidden from the requester"})


class AttachmentSchema(ma.Schema):
    id = fields.String(attribute="public_id", metadata={"description": "Put this in a form field of format 'attachment'"})
    filename = fields.String(metadata={"description": "The client's file name, for display only"})
    content_type = fields.String(metadata={"description": "Sniffed from the content, never the client's claim"})
    size = fields.Integer()
    sha256 = fields.String()
    internal = fields.Boolean()
    created_at = fields.DateTime()
    download_url = fields.Method("_download_url")

    def _download_url(self, attachment: Any) -> str:
        return f"{bp.url_prefix}/attachments/{quote(attachment.public_id)}/download"


class AttachmentListSchema(ma.Schema):
    items = fields.List(fields.Nested(AttachmentSchema))


# --------------------------------------------------------------------------- helpers


def _too_large(limit: int) -> str:
    return f"The file is larger than the limit of {limit} bytes."


def refuse_oversized_bodies(view: Callable[..., Any], *,
                            message: Callable[[int], str] = _too_large) -> Callable[..., Any]:
    """413 from the Content-Length alone, before the body is parsed (the stream is checked too).

    ``message`` words the refusal from the limit in bytes (the knowledge base says it in the reader's language).
    """

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        limit = service.max_bytes()
        if request.content_length is not None and request.content_length > limit + MULTIPART_OVERHEAD:
            raise PayloadTooLarge(message(limit), details=[{"path": "/file", "location": "multipart",
                                                            "message": f"At most {limit} bytes."}])
        return view(*args, **kwargs)

    return wrapper


def _content_disposition(filename: str) -> str:
    """``attachment`` with an ASCII fallback name and the exact name as RFC 5987 ``filename*``."""
    fallback = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode("ascii")
    fallback = "".join(ch if ch.isprintable() and ch not in '"\\' else "_" for ch in fallback).strip() or "download"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


_DOWNLOAD_DOC = {"responses": {"200": {
    "description": "The file, always as an attachment, typed by its sniffed content",
    "headers": {"Content-Disposition": {"schema": {"type": "string"}}},
    "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
}, "404": {"description": "No such attachment, or not yours to see"}}}


# --------------------------------------------------------------------------- routes


@bp.post("/attachments")
@requires()
@refuse_oversized_bodies
@bp.arguments(AttachmentUploadSchema, location="multipart")
@bp.response(201, AttachmentSchema)
@bp.alt_response(413, description="The file is larger than ATTACHMENT_MAX_BYTES")
def upload(args):
    """Upload a file before the ticket exists; put its id in a form field of format 'attachment'.

    Unattached uploads are visible only to their uploader and are deleted after a day.
    """
    return service.store_upload(db_session, args["file"], uploader=actor())


@bp.get("/attachments/<public_id>")
@requires()
@bp.response(200, AttachmentSchema)
def get_attachment(public_id):
    """An attachment's metadata (same permission as its download)."""
    return service.get_attachment(db_session, actor(), public_id)


@bp.get("/attachments/<public_id>/download")
@requires()
@bp.doc(**_DOWNLOAD_DOC)
def download(public_id):
    """The file itself, as a download."""
    attachment, path = service.open_for_download(db_session, actor(), public_id)
    try:
        response = send_file(path, mimetype=attachment.content_type, as_attachment=True,
                             download_name=attachment.filename, conditional=True, etag=attachment.sha256,
                             last_modified=attachment.created_at, max_age=0)
    except FileNotFoundError:  # removed between the check and the send
        raise NotFound("The file of this attachment is missing.") from None
    response.headers["Content-Disposition"] = _content_disposition(attachment.filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    # Private: never in a shared cache; revalidated each time, so a revoked permission holds.
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@bp.post("/tickets/<int:ticket_id>/attachments")
@requires()
@refuse_oversized_bodies
@bp.arguments(TicketAttachmentUploadSchema, location="multipart")
@bp.response(201, AttachmentSchema)
@bp.alt_response(403, description="Only the ticket's staff may add internal attachments")
@bp.alt_response(413, description="The file is larger than ATTACHMENT_MAX_BYTES")
def upload_to_ticket(args, ticket_id):
    """Attach a file to a ticket you can see; internal attachments only by the ticket's staff."""
    user = actor()
    ticket = get_visible_ticket(db_session, user, ticket_id)
    if args["internal"] and not is_staff_for(db_session, user, ticket):
        raise Forbidden("Only the ticket's agents and admins may add internal attachments.",
                        details=[{"path": "/internal", "location": "multipart",
                                  "message": "Not allowed for you on this ticket."}])
    return service.store_upload(db_session, args["file"], uploader=user, ticket=ticket, internal=args["internal"])


@bp.get("/tickets/<int:ticket_id>/attachments")
@requires()
@bp.response(200, AttachmentListSchema)
def list_ticket_attachments(ticket_id):
    """A ticket's attachments, oldest first (internal ones only for its staff)."""
    user = actor()
    ticket = get_visible_ticket(db_session, user, ticket_id)
    return {"items": service.ticket_attachments(db_session, user, ticket)}
