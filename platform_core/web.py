"""Serves the built front end: files from static/dist, and index.html for client routes.

/api and /healthz are never shadowed: unknown /api paths get a JSON 404.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, current_app, send_from_directory
from werkzeug.routing import PathConverter

bp = Blueprint("web", __name__)

DIST = Path(__file__).parent / "static" / "dist"


class ClientRouteConverter(PathConverter):
    """Any path except /api/... and /healthz, so those never fall back to the page.

    Excluding them here (rather than aborting inside the view) keeps Werkzeug's own 404 and
    405 answers for API paths: a wrong method on a real endpoint is 405, an unknown one 404.
    """

    regex = r"(?!api(?:/|$)|healthz$)[^/].*?"


def _missing_build():
    return (
        "<!doctype html><title>Gongdan</title><p>The front end has not been built. "
        "Run <code>make run</code> (or <code>make frontend</code>).</p>",
        503,
        {"Content-Type": "text/html; charset=utf-8"},
    )


@bp.get("/", defaults={"path": ""})
@bp.get("/<client_route:path>")
def spa(path: str):
    dist = current_app.config.get("FRONTEND_DIST") or DIST
    if path and (Path(dist) / path).is_file():
        max_age = 31536000 if path.startswith("assets/") else 3600
        return send_from_directory(dist, path, max_age=max_age)
    if not (Path(dist) / "index.html").is_file():
        return _missing_build()
    response = send_from_directory(dist, "index.html", max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    return response
