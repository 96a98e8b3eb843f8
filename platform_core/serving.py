"""The development server (`gongdan run --debug`, the test servers): werkzeug's, answering in JSON even the
errors it gives before the app sees a request (a request line over 64 KiB, such as a 100 KB cursor, is a 414),
so that every answer has the API's error shape. `gongdan run` without --debug serves with gunicorn, which
answers those itself (its `limit_request_line`)."""

from __future__ import annotations

from werkzeug.serving import WSGIRequestHandler


class JsonErrorRequestHandler(WSGIRequestHandler):
    """http.server's own errors (414, 431, 400 for a malformed request line) as the API's JSON error body."""

    error_content_type = "application/json"
    error_message_format = '{"error": {"code": "http_%(code)d", "message": "%(message)s", "details": []}}\n'
