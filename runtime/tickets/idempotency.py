"""Idempotency-Key: a client that retries a write it never heard back from (a timeout, a dropped connection, a
worker killed mid-request) sends the same key again and gets the first answer instead of a second ticket or a
second comment. One mechanism for every write that takes a key: the key is each user's own, remembered with a
hash of the request and what the write made (IdempotencyRecord) for IDEMPOTENCY_KEY_HOURS; the same key with
another request answers 409."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from flask import request
from sqlalchemy import select
from sqlalchemy.orm import Session

from platform_core.errors import Conflict, ValidationFailed
from runtime.tickets.models import IdempotencyRecord

HEADER = "Idempotency-Key"
# For the OpenAPI document of each endpoint that takes a key.
HEADER_DOC = {"in": "header", "name": HEADER, "schema": {"type": "string", "maxLength": 200},
              "description": "Retrying with the same key and body returns the first answer (header "
                             "Idempotent-Replayed: true) instead of writing again; another body with the key is 409."}


def request_fingerprint(body: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":"), default=str).encode()).hexdigest()


def key_from_request() -> str | None:
    """The request's Idempotency-Key, or None; 400 for an empty or overlong one."""
    key = request.headers.get(HEADER)
    if key is not None and not 0 < len(key) <= 200:
        raise ValidationFailed("Idempotency-Key must be 1 to 200 characters.",
                               details=[{"path": "", "location": "header", "message": "Bad Idempotency-Key."}])
    return key


def remembered(session: Session, user_id: int, key: str, fingerprint: str) -> IdempotencyRecord | None:
    """The earlier write of this user with this key, or None; 409 if it was another request."""
    seen = session.scalar(select(IdempotencyRecord).where(IdempotencyRecord.user_id == user_id,
                                                          IdempotencyRecord.key == key))
    if seen is not None and seen.request_hash != fingerprint:
        raise Conflict("This Idempotency-Key was used before with a different request.",
                       details=[{"path": "", "location": "header",
                                 "message": "Use a new Idempotency-Key for a different request."}])
    return seen
