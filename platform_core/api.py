"""The REST API object (flask-smorest), JSON errors for everything under /api, and
cursor pagination shared by every list endpoint."""

from __future__ import annotations

import base64
import binascii
import errno
import json
import logging
import threading
from datetime import datetime
from typing import Any

import flask_smorest
import marshmallow as ma
from flask import Flask, jsonify, request
from flask_smorest import Api
from sqlalchemy import Select, literal, tuple_
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError
from webargs.flaskparser import FlaskParser
from werkzeug.exceptions import HTTPException

from platform_core import guards
from platform_core.errors import ApiError, BadRequest, ValidationFailed

log = logging.getLogger(__name__)

API_PREFIX = "/api/v1"
# Cursors this server writes are a few dozen characters; a longer one is refused (422) before it is decoded.
CURSOR_MAX_LENGTH = 1000

_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
          405: "method_not_allowed", 409: "conflict", 412: "precondition_failed", 413: "payload_too_large",
          415: "unsupported_media_type", 422: "validation_error", 429: "rate_limited",
          500: "internal_error", 503: "service_unavailable"}


def error_body(status: int, message: str, details: list[dict[str, Any]] | None = None,
               code: str | None = None) -> dict[str, Any]:
    return {"error": {"code": code or _CODES.get(status, "error"), "message": message, "details": details or []}}


def _pointer(parts: list[str]) -> str:
    return "/" + "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in parts) if parts else ""


def flatten_messages(messages: Any, location: str | None = None, prefix: list[str] | None = None) -> list[dict[str, Any]]:
    """Turn marshmallow's nested messages into details with JSON pointers."""
    prefix = prefix or []
    out: list[dict[str, Any]] = []
    if isinstance(messages, dict):
        for key, value in messages.items():
            if key == "_schema":
                out += flatten_messages(value, location, prefix)
            else:
                out += flatten_messages(value, location, [*prefix, str(key)])
    elif isinstance(messages, list) and all(isinstance(m, str) for m in messages):
        for message in messages:
            out.append({"path": _pointer(prefix), "location": location or "json", "message": message})
    elif isinstance(messages, list):
        for item in messages:
            out += flatten_messages(item, location, prefix)
    else:
        out.append({"path": _pointer(prefix), "location": location or "json", "message": str(messages)})
    return out


def _summary(details: list[dict[str, Any]]) -> str:
    if not details:
        return "The request is not valid."
    first = details[0]
    where = f"{first['path']}: " if first["path"] else ""
    more = f" (and {len(details) - 1} more)" if len(details) > 1 else ""
    return f"{where}{first['message']}{more}"


class GongdanParser(FlaskParser):
    """Refuses non-JSON bodies and names the JSON syntax error precisely."""

    def _raw_load_json(self, req: Any) -> Any:
        data = req.get_data(cache=True)
        if not data and req.method in ("PATCH", "PUT"):  # a change that changes nothing is a client's mistake
            raise ValidationFailed("The body is missing: send a JSON object with the changes.",
                                   details=[{"path": "", "location": "json", "message": "The body is missing."}])
        if data and not req.is_json:
            raise BadRequest("Send the body as JSON with 'Content-Type: application/json'.",
                             details=[{"path": "", "location": "header", "message": "Content-Type must be application/json."}],
                             code="unsupported_media_type")
        try:
            body = super()._raw_load_json(req)
        except RecursionError:
            raise BadRequest("The JSON body is nested too deeply.",
                             details=[{"path": "", "location": "json", "message": "Nested too deeply."}],
                             code="invalid_json") from None
        except json.JSONDecodeError:
            raise
        except ValueError:  # int() refuses literals over 4,300 digits (CVE-2020-10735)
            raise guards.number_too_long() from None
        guards.check_json(body)
        return body

    def load_querystring(self, req: Any, schema: Any) -> Any:
        guards.check_query(req.args)
        return super().load_querystring(req, schema)

    def _handle_invalid_json_error(self, error: Any, req: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(error, json.JSONDecodeError) and not error.msg.startswith("Bytes decoding error"):
            message = f"The body is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}."
        else:
            message = "The body is not valid UTF-8 text; send JSON encoded as UTF-8."
        raise BadRequest(message, details=[{"path": "", "location": "json", "message": message}],
                         code="invalid_json")


class Blueprint(flask_smorest.Blueprint):
    """The API blueprint every package uses: our request parser, our error shape."""

    ARGUMENTS_PARSER = GongdanParser()


class GongdanApi(Api):
    """flask-smorest's Api, documenting the blueprints when the OpenAPI document is first read.

    Documenting ~100 operations (resolving every marshmallow schema) is about half of building an app, and
    most apps never serve the document: each gunicorn worker, each job process, each test. Blueprints are
    registered at once as before; their documentation waits in order until something reads `spec`.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._undocumented: list[tuple[Any, dict[str, Any]]] = []
        self._documenting = threading.Lock()
        super().__init__(*args, **kwargs)

    @property
    def spec(self):  # type: ignore[override]
        if self._undocumented:
            with self._documenting:
                while self._undocumented:
                    blp, options = self._undocumented.pop(0)
                    blp.register_views_in_doc(self, self._app, self._spec, **options)
                    self._spec.tag({"name": options["name"], "description": blp.description})
        return self._spec

    @spec.setter
    def spec(self, value) -> None:
        self._spec = value

    def register_blueprint(self, blp, *, parameters=None, **options):  # type: ignore[override]
        name = options.get("name", blp.name)
        self._app.extensions["flask-smorest"]["blp_name_to_api"][name] = self
        self._app.register_blueprint(blp, **options)
        self._undocumented.append((blp, {"name": name, "parameters": parameters}))

    def handle_http_exception(self, error: HTTPException):  # type: ignore[override]
        return http_error_response(error)


def http_error_response(error: HTTPException):
    status = error.code or 500
    data = getattr(error, "data", None) or {}
    headers = dict(data.get("headers") or {})
    details: list[dict[str, Any]] = []
    if "messages" in data:  # webargs validation: {"json": {...}, "query": {...}}
        for location, messages in data["messages"].items():
            details += flatten_messages(messages, location)
        message = _summary(details)
    else:
        message = data.get("message") or {
            404: "There is nothing at this address.",
            405: f"{request.method} is not allowed here.",
            413: "The request body is larger than the configured limit.",
        }.get(status, error.description or error.name)
    if status == 405 and hasattr(error, "valid_methods") and error.valid_methods:
        headers["Allow"] = ", ".join(error.valid_methods)
    response = jsonify(error_body(status, message, details))
    response.status_code = status
    response.headers.update(headers)
    return response


def api_error_response(error: ApiError):
    response = jsonify(error_body(error.status, error.message, error.details, error.code))
    response.status_code = error.status
    response.headers.update(error.headers)
    return response


# A database that restarts or fails over, or a full upload disk, is a moment's trouble and not a bug: the request's
# transaction is rolled back, so the answer is 503 with Retry-After, which clients and proxies retry (an
# Idempotency-Key makes a retried create safe), instead of a 500 that says it never will work.
TRANSIENT_RETRY_AFTER_SECONDS = 5
UNAVAILABLE = {"en": "The service is unavailable for a moment (its database or storage); try again shortly.",
               "zh-CN": "服务暂时不可用：数据库或存储暂时无法访问。请稍后再试。"}  # noqa: RUF001 (Chinese punctuation)
# SQLSTATE classes of a lost or refused connection, a server shutting down, and a transaction rolled back by a
# deadlock or serialization failure: each gone on a retry
_TRANSIENT_SQLSTATES = ("08", "57P", "40001", "40P01")


def is_transient(error: BaseException) -> bool:
    """Whether ``error`` says the database or the disk is unavailable for now, rather than that the request or the
    code is wrong."""
    if isinstance(error, OSError) and not isinstance(error, DBAPIError):
        return error.errno in (errno.ENOSPC, errno.EDQUOT)
    if not isinstance(error, DBAPIError):
        return False
    if error.connection_invalidated:
        return True
    state = getattr(error.orig, "sqlstate", "")
    # psycopg's errors of the connection itself (refused, closed by the server) carry no SQLSTATE
    return (state is None and isinstance(error, OperationalError)) or (
        bool(state) and state.startswith(_TRANSIENT_SQLSTATES))


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(ApiError, api_error_response)

    @app.errorhandler(StaleDataError)
    def _concurrent_change(_error: StaleDataError):
        # Optimistic locking caught two writers on one row: the later one lost and wrote nothing.
        from platform_core.db import db_session

        db_session.rollback()
        response = jsonify(error_body(412, "Someone else changed this at the same moment; reload it and try again."))
        response.status_code = 412
        return response

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        if isinstance(error, HTTPException):
            return http_error_response(error)
        if is_transient(error):
            log.warning("503 on %s %s: %s", request.method, request.path, error)
            locale = request.accept_languages.best_match(["en", "zh-CN", "zh"]) or "en"
            response = jsonify(error_body(503, UNAVAILABLE["zh-CN" if locale.startswith("zh") else "en"],
                                          [{"path": "", "message": text, "locale": key}
                                           for key, text in UNAVAILABLE.items()], code="unavailable"))
            response.status_code = 503
            response.headers["Retry-After"] = str(TRANSIENT_RETRY_AFTER_SECONDS)
            return response
        log.exception("unhandled error on %s %s", request.method, request.path)
        response = jsonify(error_body(500, "Something went wrong on our side; it has been logged."))
        response.status_code = 500
        return response


def make_api(app: Flask) -> GongdanApi:
    app.config.update(
        API_TITLE="Gongdan",
        API_VERSION="v1",
        OPENAPI_VERSION="3.1.0",
        OPENAPI_URL_PREFIX=API_PREFIX,
        OPENAPI_JSON_PATH="openapi.json",
        OPENAPI_SWAGGER_UI_PATH="docs",
        OPENAPI_SWAGGER_UI_URL="/swagger-ui/",
        # Tags start folded: the document has about 150 operations, and with every one drawn at once Swagger UI
        # stopped after the first few (the page then showed one tag).
        OPENAPI_SWAGGER_UI_CONFIG={"docExpansion": "none"},
        API_SPEC_OPTIONS={
            "info": {"description": "Gongdan's REST API. Authenticate with a session cookie (browser; send "
                                    "X-CSRF-Token on writes) or 'Authorization: Bearer <token>'."},
            "security": [{"bearerAuth": []}, {"cookieAuth": []}],
            "components": {"securitySchemes": {
                "bearerAuth": {"type": "http", "scheme": "bearer"},
                "cookieAuth": {"type": "apiKey", "in": "cookie", "name": "gongdan_session"},
            }},
        },
    )
    api = GongdanApi(app)
    return api


class ErrorDetailSchema(ma.Schema):
    class Meta:
        unknown = ma.INCLUDE  # some details say more (a definition problem's `code`, an import's file)

    path = ma.fields.String(metadata={"description": "JSON pointer into the request body (or parameter)"})
    location = ma.fields.String()
    message = ma.fields.String()
    code = ma.fields.String(metadata={"description": "A stable code for programs, where there is one (definition "
                                                    "problems: e.g. workflow.unreachable_state)"})


class ErrorInnerSchema(ma.Schema):
    code = ma.fields.String()
    message = ma.fields.String()
    details = ma.fields.List(ma.fields.Nested(ErrorDetailSchema))


class ErrorSchema(ma.Schema):
    error = ma.fields.Nested(ErrorInnerSchema)


GongdanApi.ERROR_SCHEMA = ErrorSchema


# --------------------------------------------------------------------------- pagination


def page_schema(item_schema: type[ma.Schema], name: str) -> type[ma.Schema]:
    """A response schema ``{items: [...], next_cursor}`` for one item schema."""
    return type(name, (ma.Schema,), {
        "items": ma.fields.List(ma.fields.Nested(item_schema)),
        "next_cursor": ma.fields.String(allow_none=True,
                                        metadata={"description": "Pass as ?cursor= for the next page; null on the last"}),
    })


def _encode_cursor(values: list[Any]) -> str:
    plain = [{"t": v.isoformat()} if isinstance(v, datetime) else v for v in values]
    return base64.urlsafe_b64encode(json.dumps(plain).encode()).decode().rstrip("=")


def _decode_cursor(cursor: str, count: int) -> list[Any]:
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        values = None
    try:
        if not isinstance(values, list) or len(values) != count:
            raise ValueError
        return [datetime.fromisoformat(v["t"]) if isinstance(v, dict) else v for v in values]
    except (ValueError, KeyError, TypeError):
        raise BadRequest("The cursor is not valid; start again without it.",
                         details=[{"path": "/cursor", "location": "query", "message": "Not a cursor from this list."}]) from None


# For pages that are not rows of one entity (aggregates): the same cursor format as keyset_page's.
encode_cursor, decode_cursor = _encode_cursor, _decode_cursor


def keyset_page(session: Session, stmt: Select, keys: list[Any], limit: int, cursor: str | None,
                *, descending: bool = False) -> dict[str, Any]:
    """One page of ``stmt`` ordered by ``keys`` (the last one unique), after ``cursor``.

    Keyset pagination: each page is an indexed range scan, however deep the reader goes.
    """
    if cursor:
        # Bound with each column's own type, so timestamps compare as the database stores them.
        after = tuple_(*(literal(value, key.type) for value, key in zip(_decode_cursor(cursor, len(keys)), keys, strict=True)))
        stmt = stmt.where(tuple_(*keys) < after if descending else tuple_(*keys) > after)
    order = [key.desc() for key in keys] if descending else keys
    rows = list(session.scalars(stmt.order_by(*order).limit(limit + 1)))
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        next_cursor = _encode_cursor([getattr(last, key.key) for key in keys])
    return {"items": rows, "next_cursor": next_cursor}
