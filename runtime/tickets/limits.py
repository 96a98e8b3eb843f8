"""Bounds on what one ticket holds, so that no ticket and no list of tickets is unbounded."""

from __future__ import annotations

import json
from typing import Any

from flask import current_app

from platform_core.errors import ValidationFailed
from runtime.rules import texts


def check_data_size(data: dict[str, Any], locale: str) -> None:
    """Refuse (422 at /data) form data larger than TICKET_DATA_MAX_BYTES as compact UTF-8 JSON."""
    limit = current_app.config["TICKET_DATA_MAX_BYTES"]
    size = len(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass"))
    if size > limit:
        message = texts.say("form.too_large", locale, size=f"{size:,}", limit=f"{limit:,}")
        raise ValidationFailed(message, details=[{"path": "/data", "location": "json", "message": message}])
