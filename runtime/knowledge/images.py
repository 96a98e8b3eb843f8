"""Images in articles: staff who may edit an article upload an image for it, and its Markdown shows it inline.

The file is stored as ticket attachments are (runtime.tickets.attachments: streamed to UPLOAD_DIR, hashed,
ATTACHMENT_MAX_BYTES, the type sniffed from the bytes), never tied to a ticket; a ``KnowledgeArticleImage`` row
ties it to the article and keeps the orphan purge away from it. Only PNG, JPEG, GIF and WebP, told by their
content, not their name: SVG can carry script. An image is served only to those who may read its article (a
draft's to staff), as the article is; to anyone else it does not exist (404).
"""

from __future__ import annotations

import contextlib
import re
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from platform_core.audit import record
from platform_core.auth.models import User
from platform_core.errors import Conflict, NotFound, PayloadTooLarge, ValidationFailed
from runtime.knowledge.models import KnowledgeArticle, KnowledgeArticleImage
from runtime.knowledge.services import get_visible, require_staff
from runtime.knowledge.texts import say
from runtime.tickets import attachments
from runtime.tickets.attachments import Upload
from runtime.tickets.models import Attachment

IMAGE_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp")
ALT_MAX = 200
_NOT_ALT = re.compile(r"[\[\]\\<>`*_]")  # Markdown's own characters: the alt text stays plain text


def image_path(article_id: int, public_id: str) -> str:
    """The image's URL, a same-site path: what the Markdown holds and the sanitiser lets through
    (``render.IMAGE_PATH``)."""
    return f"/api/v1/knowledge/articles/{article_id}/images/{public_id}"


def alt_text(alt: str | None, filename: str | None) -> str:
    """The image's alternative text: as given, else the file's name without its extension; one plain line."""
    name = attachments.clean_filename(filename, fallback="")
    text = (alt or "").strip() or name.rpartition(".")[0] or name
    return " ".join(_NOT_ALT.sub(" ", text).split())[:ALT_MAX]


def upload_image(session: Session, user: User, article_id: int, upload: Upload, alt: str | None,
                 locale: str | None) -> dict[str, Any]:
    """Store an image for an article the staff member may edit (this commits); the Markdown to insert."""
    require_staff(user)
    article = get_visible(session, user, article_id, locale)

    def check_type(content_type: str) -> None:
        if content_type not in IMAGE_TYPES:
            raise _refused(say("image.wrong_type", locale, found=content_type))

    try:
        stored = attachments.store_upload(session, upload, uploader=user, check_type=check_type)
    except PayloadTooLarge as refused:
        raise PayloadTooLarge(too_large(attachments.max_bytes(), locale), details=refused.details) from None
    except _ImageRefused:
        raise
    except ValidationFailed:  # the only other refusal of a stored upload: an empty file
        raise _refused(say("image.empty", locale)) from None
    session.add(KnowledgeArticleImage(article_id=article.id, attachment_id=stored.id))
    record(session, "knowledge.image_added", "knowledge_article", article.id, actor_id=user.id,
           details={"image": stored.public_id, "filename": stored.filename, "size": stored.size})
    session.commit()
    path = image_path(article.id, stored.public_id)
    alt_value = alt_text(alt, upload.filename)
    return {"id": stored.public_id, "url": path, "markdown": f"![{alt_value}]({path})", "alt": alt_value,
            "content_type": stored.content_type, "size": stored.size, "filename": stored.filename}


class _ImageRefused(ValidationFailed):
    pass


def _refused(message: str) -> ValidationFailed:
    return _ImageRefused(message, details=[{"path": "/file", "location": "multipart", "message": message}])


def too_large(limit: int, locale: str | None) -> str:
    mib = 1024 * 1024
    return say("image.too_large", locale, limit=f"{limit / mib:g} MiB" if limit >= mib else f"{limit} B")


def open_image(session: Session, user: User, article_id: int, public_id: str,
               locale: str | None) -> tuple[Attachment, Path]:
    """An article image and its file, if ``user`` may read the article; else 404, whether it exists or not."""
    article = get_visible(session, user, article_id, locale)
    attachment = session.scalar(
        select(Attachment).join(KnowledgeArticleImage, KnowledgeArticleImage.attachment_id == Attachment.id)
        .where(KnowledgeArticleImage.article_id == article.id, Attachment.public_id == public_id)) \
        if len(public_id) <= 40 else None
    if attachment is None or attachment.content_type not in IMAGE_TYPES:
        raise NotFound(say("image.not_found", locale))
    path = attachments.storage_path(attachment.storage_name)
    if not path.is_file():
        raise NotFound(say("image.not_found", locale))
    return attachment, path


def _article_images(session: Session, article_id: int) -> list[Attachment]:
    return list(session.scalars(
        select(Attachment).join(KnowledgeArticleImage, KnowledgeArticleImage.attachment_id == Attachment.id)
        .where(KnowledgeArticleImage.article_id == article_id).order_by(KnowledgeArticleImage.id)))


def _shown_in(article: KnowledgeArticle, path: str) -> list[str]:
    """The languages whose current body (or title) shows the image."""
    return [text.locale for text in article.texts if path in text.body or path in text.title]


def list_images(session: Session, user: User, article_id: int, locale: str | None) -> list[dict[str, Any]]:
    """The images uploaded for an article staff may edit, oldest first, with the languages whose text shows each
    now (an image no text shows may still be in an older version)."""
    require_staff(user)
    article = get_visible(session, user, article_id, locale)
    out = []
    for attachment in _article_images(session, article.id):
        path = image_path(article.id, attachment.public_id)
        out.append({"id": attachment.public_id, "url": path, "markdown": f"![{alt_text(None, attachment.filename)}]({path})",
                    "content_type": attachment.content_type, "size": attachment.size,
                    "filename": attachment.filename, "created_at": attachment.created_at,
                    "shown_in": _shown_in(article, path)})
    return out


def delete_image(session: Session, user: User, article_id: int, public_id: str, locale: str | None) -> None:
    """Delete an image of an article staff may edit, at once: its row and its file (this commits). Refused (409)
    while the article's text shows it: take it out of the body first. An older version that showed it shows its
    alternative text instead once restored."""
    require_staff(user)
    article = get_visible(session, user, article_id, locale)
    attachment = next((a for a in _article_images(session, article.id) if a.public_id == public_id), None)
    if attachment is None:
        raise NotFound(say("image.not_found", locale))
    shown = _shown_in(article, image_path(article.id, public_id))
    if shown:
        message = say("image.in_use", locale, languages=", ".join(shown))
        raise Conflict(message, details=[{"path": f"/texts/{shown[0]}/body", "location": "json", "message": message}])
    storage_name = attachment.storage_name
    session.execute(delete(KnowledgeArticleImage).where(KnowledgeArticleImage.attachment_id == attachment.id))
    session.delete(attachment)
    record(session, "knowledge.image_deleted", "knowledge_article", article.id, actor_id=user.id,
           details={"image": public_id, "filename": attachment.filename})
    session.commit()
    with contextlib.suppress(ValueError):  # not a storage name of ours: nothing to remove
        attachments.remove_stored(storage_name)


def held_uploads(session: Session, attachment_ids: list[int]) -> set[int]:
    """The uploads among ``attachment_ids`` that are article images (the orphan purge keeps them)."""
    return set(session.scalars(select(KnowledgeArticleImage.attachment_id)
                               .where(KnowledgeArticleImage.attachment_id.in_(attachment_ids))))
