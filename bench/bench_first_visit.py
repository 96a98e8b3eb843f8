"""What a browser transfers on its first visit to a page, and on its second, over real HTTP.

Fetches the page (index.html), every script, module preload and stylesheet it references, and the
route's lazy chunk with what it imports (from the build's Vite manifest), as a browser would:
with ``Accept-Encoding: br, gzip``. Then again with no compression offered, and a second visit
that revalidates index.html with its ETag and takes the assets from the cache when their caching
allows. Prints the bytes on the wire (bodies as sent, before any decoding) per file and in total.

    .venv/bin/python bench/bench_first_visit.py                      # serves the app itself (gunicorn, `gongdan run`)
    .venv/bin/python bench/bench_first_visit.py --base http://127.0.0.1:5000 --route src/pages/portal/PortalHome.tsx
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
DIST = ROOT / "platform_core" / "static" / "dist"


def fetch(base: str, path: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    url = urlsplit(base)
    connection = http.client.HTTPConnection(url.hostname, url.port or 80, timeout=30)
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    body = response.read()  # http.client never decodes: these are the bytes on the wire
    result = response.status, {k.lower(): v for k, v in response.getheaders()}, body
    connection.close()
    return result


def first_visit_paths(index_html: str, route: str | None) -> list[str]:
    paths = ["/"]
    paths += re.findall(r'<(?:script|link)[^>]+(?:src|href)="(/[^"]+)"', index_html)
    if route:
        manifest = json.loads((DIST / ".vite" / "manifest.json").read_text())
        seen: set[str] = set()

        def closure(key: str) -> None:
            if key in seen:
                return
            seen.add(key)
            for child in manifest[key].get("imports", []):
                closure(child)

        closure(route)
        for key in seen:
            for file in [manifest[key]["file"], *manifest[key].get("css", [])]:
                if f"/{file}" not in paths:
                    paths.append(f"/{file}")
    return paths


def visit(base: str, paths: list[str], encodings: str | None) -> tuple[int, list[tuple[str, int, str, str]]]:
    headers = {"Accept-Encoding": encodings} if encodings is not None else {"Accept-Encoding": "identity"}
    rows = []
    for path in paths:
        status, response_headers, body = fetch(base, path, headers)
        assert status == 200, (path, status)
        rows.append((path, len(body), response_headers.get("content-encoding", "-"),
                     response_headers.get("cache-control", "")))
    return sum(size for _, size, _, _ in rows), rows


def second_visit(base: str, paths: list[str]) -> tuple[int, int, int]:
    """Bytes, requests and 304s of a second visit: cached assets whose Cache-Control lets the browser
    skip the request are not asked for; the others are revalidated with their ETag."""
    headers = {"Accept-Encoding": "br, gzip"}
    total = requests = not_modified = 0
    for path in paths:
        _status, first, _body = fetch(base, path, headers)
        control = first.get("cache-control", "")
        if "immutable" in control or ("max-age" in control and "no-cache" not in control):
            continue
        requests += 1
        conditional = {**headers, **({"If-None-Match": first["etag"]} if "etag" in first else {})}
        status, _headers, body = fetch(base, path, conditional)
        total += len(body)
        not_modified += status == 304
    return total, requests, not_modified


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve() -> tuple[subprocess.Popen, str]:
    port = _free_port()
    instance = tempfile.mkdtemp(prefix="gongdan-bench-")
    env = {**os.environ, "GONGDAN_INSTANCE_PATH": instance, "GONGDAN_SECRET_KEY": "bench" * 10}
    env.pop("GONGDAN_REDIS_URL", None)
    process = subprocess.Popen([sys.executable, "-m", "gongdan.cli", "run", "--port", str(port), "--no-scheduler"],
                               cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            fetch(base, "/favicon.svg", {})
            return process, base
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise SystemExit("the server did not start") from None
            time.sleep(0.2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", help="a running server; default: start `gongdan run` on a free port")
    parser.add_argument("--route", default="src/pages/portal/PortalHome.tsx",
                        help="the page's route module in the Vite manifest ('' for index.html's files only)")
    args = parser.parse_args()
    process = None
    base = args.base
    if base is None:
        process, base = serve()
    try:
        _status, _headers, body = fetch(base, "/", {"Accept-Encoding": "identity"})
        paths = first_visit_paths(body.decode(), args.route or None)
        compressed, rows = visit(base, paths, "br, gzip")
        gzip_only, _ = visit(base, paths, "gzip")
        plain, plain_rows = visit(base, paths, None)
        again, requests, not_modified = second_visit(base, paths)
    finally:
        if process is not None:
            process.terminate()
            process.wait(timeout=30)
    plain_sizes = dict((path, size) for path, size, _, _ in plain_rows)
    print(f"First visit of {base}/ ({args.route or 'index.html only'}): {len(paths)} requests")
    print(f"  {'bytes':>9}  {'uncompr.':>9}  {'enc':4}  cache-control / path")
    for path, size, encoding, control in sorted(rows, key=lambda row: -row[1]):
        print(f"  {size:9,}  {plain_sizes[path]:9,}  {encoding:4}  {control} {path}")
    print(f"Transferred (bodies), Accept-Encoding: br, gzip  {compressed:11,} B  ({compressed / 1024:.1f} KB)")
    print(f"Transferred (bodies), Accept-Encoding: gzip      {gzip_only:11,} B  ({gzip_only / 1024:.1f} KB)")
    print(f"Transferred (bodies), no compression offered     {plain:11,} B  ({plain / 1024:.1f} KB)")
    print(f"Second visit: {requests} request(s) ({not_modified} answered 304), {again:,} B of bodies")


if __name__ == "__main__":
    main()
