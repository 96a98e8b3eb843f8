"""Domain errors that services raise and the API turns into JSON error responses.

Every error body has the shape
``{"error": {"code": "...", "message": "...", "details": [{"path": "...", "message": "..."}]}}``.
"""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, details: list[dict[str, Any]] | None = None,
                 headers: dict[str, str] | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or []
        self.headers = headers or {}
        if code:
            self.code = code


class BadRequest(ApiError):
    status, code = 400, "bad_request"


class Unauthorized(ApiError):
    status, code = 401, "unauthorized"


class Forbidden(ApiError):
    status, code = 403, "forbidden"


class NotFound(ApiError):
    status, code = 404, "not_found"


class Conflict(ApiError):
    status, code = 409, "conflict"


class PreconditionFailed(ApiError):
    status, code = 412, "precondition_failed"


class ValidationFailed(ApiError):
    status, code = 422, "validation_error"

    @classmethod
    def field(cls, path: str, message: str) -> ValidationFailed:
        """One field is wrong: ``path`` is a JSON pointer into the request body."""
        return cls(message, details=[{"path": path, "location": "json", "message": message}])


class PayloadTooLarge(ApiError):
    status, code = 413, "payload_too_large"


class RateLimited(ApiError):
    status, code = 429, "rate_limited"
