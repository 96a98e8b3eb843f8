"""The built front end is served at / with client-route fallback; /api and /healthz are never shadowed."""

from __future__ import annotations

import pytest

from platform_core.web import DIST


@pytest.fixture(autouse=True)
def _built_front_end():
    if not (DIST / "index.html").exists():
        pytest.fail("the front end is not built: run `make test` (or `make frontend`)")


def test_index_and_client_routes_serve_the_app(app):
    client = app.test_client()
    index = client.get("/")
    assert index.status_code == 200 and b'<div id="root">' in index.data
    assert "script-src 'self'" in index.headers["Content-Security-Policy"]
    for route in ("/admin/users", "/admin/teams/3", "/login"):
        page = client.get(route)
        assert page.status_code == 200 and page.data == index.data, route


def test_built_assets_are_served_with_long_caching(app):
    client = app.test_client()
    assets = [p for p in (DIST / "assets").iterdir() if p.suffix == ".js"]
    response = client.get(f"/assets/{assets[0].name}")
    assert response.status_code == 200 and "max-age=31536000" in response.headers["Cache-Control"]


def test_api_and_healthz_are_never_the_page(app):
    client = app.test_client()
    assert client.get("/healthz").is_json
    for path in ("/api", "/api/", "/api/v1", "/api/v1/anything/else"):
        response = client.get(path)
        assert response.status_code == 404 and response.is_json, path
