"""Article images API: upload one for an article, list and delete them (staff who may edit it), and fetch one
(whoever may read the article).

Uploads are ``multipart/form-data`` with the file in ``file`` (and an optional ``alt``), as ticket attachments
are; the answer has the Markdown to insert. Images are served inline with their sniffed type and ``nosniff``.
"""

from __future__ import annotations

import functools

import marshmallow as ma
from flask import send_file
from marshmallow import fields, validate

from platform_core.auth.current import actor, requires
from platform_core.db import db_session
from platform_core.errors import NotFound
from platform_core.fields import Timestamp
from runtime.knowledge import images
from runtime.knowledge.services import STAFF_ROLES
from runtime.knowledge.texts import say
from runtime.tickets.attachment_views import UploadBlueprint, refuse_oversized_bodies
from runtime.tickets.display import request_reader

bp = UploadBlueprint("knowledge_images", __name__, url_prefix="/api/v1",
                     description="Knowledge base: images shown inline in articles")


class ImageUploadIn(ma.Schema):
    file = fields.Raw(required=True, metadata={
        "type": "string", "format": "binary",
        "description": "A PNG, JPEG, GIF or WebP image (told by its content; SVG is refused)."})
    alt = fields.String(load_default=None, validate=validate.Length(max=images.ALT_MAX),
                        metadata={"description": "Alternative text; default: the file's name"})


class ImageOut(ma.Schema):
    id = fields.String()
    url = fields.String(metadata={"description": "The image's same-site path, for the article's Markdown"})
    markdown = fields.String(metadata={"description": "![alt](url): insert it into the article's body"})
    alt = fields.String()
    content_type = fields.String(metadata={"description": "Sniffed from the content"})
    size = fields.Integer()
    filename = fields.String()


class ImageListItem(ma.Schema):
    id = fields.String()
    url = fields.String()
    markdown = fields.String(metadata={"description": "![alt](url), the alt text from the file's name"})
    content_type = fields.String()
    size = fields.Integer()
    filename = fields.String()
    created_at = Timestamp()
    shown_in = fields.List(fields.String(), metadata={
        "description": "The languages whose current text shows it (empty: only older versions may)"})


class ImageList(ma.Schema):
    items = fields.List(fields.Nested(ImageListItem))


def _locale() -> str:
    return request_reader().locale


def _too_large(limit: int) -> str:
    return images.too_large(limit, _locale())


_IMAGE_DOC = {"responses": {"200": {
    "description": "The image, inline, typed by its sniffed content",
    "content": {"image/*": {"schema": {"type": "string", "format": "binary"}}},
}, "404": {"description": "No such image, or its article is not yours to read"}}}


@bp.post("/knowledge/articles/<int:article_id>/images")
@requires(*STAFF_ROLES)
@functools.partial(refuse_oversized_bodies, message=_too_large)
@bp.arguments(ImageUploadIn, location="multipart")
@bp.response(201, ImageOut)
@bp.alt_response(413, description="The image is larger than ATTACHMENT_MAX_BYTES")
def upload_image(args, article_id):
    """Upload an image for an article you may edit; insert the ``markdown`` of the answer into its body.

    PNG, JPEG, GIF or WebP only, told by the content (422 naming ``/file`` otherwise); the size limit is the
    attachments' (413)."""
    return images.upload_image(db_session, actor(), article_id, args["file"], args["alt"], _locale())


@bp.get("/knowledge/articles/<int:article_id>/images")
@requires(*STAFF_ROLES)
@bp.response(200, ImageList)
def list_images(article_id):
    """The images uploaded for an article you may edit, oldest first, and which languages' text shows each."""
    return {"items": images.list_images(db_session, actor(), article_id, _locale())}


@bp.delete("/knowledge/articles/<int:article_id>/images/<public_id>")
@requires(*STAFF_ROLES)
@bp.response(204)
@bp.alt_response(409, description="The article's text still shows the image: take it out of the body first")
def delete_image(article_id, public_id):
    """Delete an image of an article you may edit, with its file, at once (audited). Refused with 409 while the
    article's current text shows it; an older version that showed it shows its alternative text once restored."""
    images.delete_image(db_session, actor(), article_id, public_id, _locale())


@bp.get("/knowledge/articles/<int:article_id>/images/<public_id>")
@requires()
@bp.doc(**_IMAGE_DOC)
def get_image(article_id, public_id):
    """An article's image, to those who may read the article (a draft's only to staff); 404 to anyone else."""
    attachment, path = images.open_image(db_session, actor(), article_id, public_id, _locale())
    try:
        response = send_file(path, mimetype=attachment.content_type, conditional=True, etag=attachment.sha256,
                             last_modified=attachment.created_at, max_age=0)
    except FileNotFoundError:  # removed between the check and the send
        raise NotFound(say("image.not_found", _locale())) from None
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    # Private: never in a shared cache; revalidated each time (ETag), so unpublishing or a revoked team holds.
    response.headers["Cache-Control"] = "private, no-cache"
    return response
