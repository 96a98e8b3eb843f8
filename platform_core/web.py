"""Serves the built front end: files from static/dist, and index.html for client routes; each
precompressed (brotli or gzip, chosen by Accept-Encoding), hashed assets cached for a year, everything
else revalidated by ETag.

/api and /healthz are never shadowed: unknown /api paths get a JSON 404.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path

from flask import Blueprint, current_app, request, send_from_directory
from werkzeug.routing import PathConverter

bp = Blueprint("web", __name__)

DIST = Path(__file__).parent / "static" / "dist"


class ClientRouteConverter(PathConverter):
    """Any path except /api/..., /healthz and /metrics, so those never fall back to the page.

    Excluding them here (rather than aborting inside the view) keeps Werkzeug's own 404 and
    405 answers for API paths: a wrong method on a real endpoint is 405, an unknown one 404.
    """

    regex = r"(?!api(?:/|$)|healthz$|metrics$)[^/].*?"


def _missing_build():
    return (
        "<!doctype html><title>Gongdan</title><p>The front end has not been built. "
        "Run <code>make run</code> (or <code>make frontend</code>).</p>",
        503,
        {"Content-Type": "text/html; charset=utf-8"},
    )


# Build-time variants (frontend/scripts/compress.mjs writes file.br and file.gz), best first.
ENCODINGS = (("br", ".br"), ("gzip", ".gz"))
# Files under assets/ carry a hash of their content in their name: a changed file is a new name.
IMMUTABLE = "public, max-age=31536000, immutable"


def _send(dist: Path, path: str, cache_control: str):
    """``path`` as the browser accepts it: a precompressed variant when one exists and the request's
    Accept-Encoding allows it (``Vary: Accept-Encoding`` either way), with an ETag of what is sent, so
    ``If-None-Match`` gets a 304."""
    variants = [(encoding, suffix) for encoding, suffix in ENCODINGS if (dist / (path + suffix)).is_file()]
    chosen = next(((encoding, suffix) for encoding, suffix in variants if request.accept_encodings[encoding]), None)
    mimetype = mimetypes.guess_type(path)[0] or "application/octet-stream"
    response = send_from_directory(dist, path + chosen[1] if chosen else path, mimetype=mimetype,
                                   conditional=True, etag=True, max_age=None)
    if chosen:
        response.headers["Content-Encoding"] = chosen[0]
    if variants:
        response.vary.add("Accept-Encoding")
    response.headers["Cache-Control"] = cache_control
    return response


@bp.get("/", defaults={"path": ""})
@bp.get("/<client_route:path>")
def spa(path: str):
    dist = Path(current_app.config.get("FRONTEND_DIST") or DIST)
    if path and (dist / path).is_file():
        # Hashed assets never change; anything else is checked again (ETag) before each use.
        return _send(dist, path, IMMUTABLE if path.startswith("assets/") else "no-cache")
    if not (dist / "index.html").is_file():
        return _missing_build()
    return _send(dist, "index.html", "no-cache")
