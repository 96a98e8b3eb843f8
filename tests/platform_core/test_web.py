"""The built front end is served at / with client-route fallback; /api and /healthz are never shadowed."""

from __future__ import annotations

import gzip
import subprocess

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


def _largest_script():
    return max((p for p in (DIST / "assets").iterdir() if p.suffix == ".js"), key=lambda p: p.stat().st_size)


def test_assets_are_sent_precompressed_as_the_browser_accepts_and_cached_for_good(app):
    client = app.test_client()
    script = _largest_script()
    url = f"/assets/{script.name}"
    original = script.read_bytes()

    br = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br, zstd"})  # what Chromium sends
    assert br.status_code == 200 and br.headers["Content-Encoding"] == "br"
    assert br.data == script.with_name(script.name + ".br").read_bytes() and len(br.data) < len(original) / 3
    assert br.headers["Content-Type"].startswith("text/javascript")
    assert "Accept-Encoding" in br.headers["Vary"]
    assert br.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    decoded = subprocess.run(["node", "-e", "process.stdout.write(require('zlib').brotliDecompressSync("
                              "require('fs').readFileSync(0)))"], input=br.data, capture_output=True, check=True)
    assert decoded.stdout == original

    for accept in ("gzip", "br;q=0, gzip", "gzip;q=1.0, identity; q=0.5"):
        gz = client.get(url, headers={"Accept-Encoding": accept})
        assert gz.headers["Content-Encoding"] == "gzip", accept
        assert gzip.decompress(gz.data) == original
    for accept in (None, "identity", "br;q=0, gzip;q=0", "deflate"):
        plain = client.get(url, headers={"Accept-Encoding": accept} if accept else {})
        assert "Content-Encoding" not in plain.headers and plain.data == original, accept
        assert "Accept-Encoding" in plain.headers["Vary"]  # a cache must not hand this to a brotli client

    etags = {client.get(url, headers={"Accept-Encoding": a}).headers["ETag"] for a in ("br", "gzip", "identity")}
    assert len(etags) == 3  # one per representation
    again = client.get(url, headers={"Accept-Encoding": "br", "If-None-Match": br.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""


def test_index_html_is_compressed_too_and_revalidated_with_its_etag(app):
    client = app.test_client()
    first = client.get("/", headers={"Accept-Encoding": "br, gzip"})
    assert first.status_code == 200 and first.headers["Content-Encoding"] == "br"
    assert first.headers["Cache-Control"] == "no-cache" and first.headers["ETag"]
    assert first.headers["Content-Type"].startswith("text/html")
    assert "script-src 'self'" in first.headers["Content-Security-Policy"]
    for route in ("/", "/portal", "/workspace/tickets/7"):
        again = client.get(route, headers={"Accept-Encoding": "br, gzip", "If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304 and again.data == b"", route
    plain = client.get("/login")
    assert plain.status_code == 200 and b'<div id="root">' in plain.data and plain.headers["Cache-Control"] == "no-cache"
    # Files outside assets/ have no hash in their name: revalidated, never cached blind.
    assert client.get("/favicon.svg").headers["Cache-Control"] == "no-cache"


def test_the_build_has_a_current_variant_of_every_text_file():
    checked = 0
    for path in DIST.rglob("*"):
        if ".vite" in path.parts or path.suffix not in {".js", ".css", ".html", ".svg", ".json"}:
            continue
        if path.stat().st_size < 256:
            continue
        gz = path.with_name(path.name + ".gz")
        assert gz.is_file() and path.with_name(path.name + ".br").is_file(), path
        assert gzip.decompress(gz.read_bytes()) == path.read_bytes(), f"{gz} is stale"
        checked += 1
    assert checked > 20


def test_api_and_healthz_are_never_the_page(app):
    client = app.test_client()
    assert client.get("/healthz").is_json
    for path in ("/api", "/api/", "/api/v1", "/api/v1/anything/else"):
        response = client.get(path)
        assert response.status_code == 404 and response.is_json, path
