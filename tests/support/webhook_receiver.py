"""A real HTTP receiver for outbound webhooks, run as its own process by tests.

It checks every request the way a receiving system would — with its own HMAC code, not
Gongdan's: ``X-Gongdan-Signature`` against the shared secret (except on the chat-bot paths
/wecom…, /dingtalk…, /slack…), and DingTalk's ``timestamp`` / ``sign`` query parameters against
the robot's secret — and answers 401 to a bad or missing signature.
It can be told to fail the next N requests (to test retries; ``fail_status`` 200 answers like a
rate-limited chat bot: 200 with a non-zero ``errcode``) and to answer slowly.

Control (JSON): POST /_control {"secret", "dingtalk_secret", "fail_next", "fail_status", "delay"};
GET /_deliveries lists every request seen; POST /_reset forgets them.

    python tests/support/webhook_receiver.py --port 8089
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

STATE: dict = {"secret": None, "dingtalk_secret": None, "fail_next": 0, "fail_status": 500, "delay": 0.0,
               "deliveries": []}
LOCK = threading.Lock()


def _signature_ok(raw: bytes, header: str | None, secret: str) -> bool:
    expected = "sha256=" + hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header or "")


def _dingtalk_sign_ok(query: dict[str, list[str]], secret: str) -> bool:
    timestamp, sign = query.get("timestamp", [""])[0], query.get("sign", [""])[0]
    if not timestamp or not sign or abs(time.time() * 1000 - int(timestamp)) > 3600_000:
        return False
    digest = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    return hmac.compare_digest(base64.b64encode(digest).decode(), sign)  # parse_qs already un-escaped it


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in two writes; no 40 ms delayed-ACK stall

    def log_message(self, *args) -> None:
        pass

    def _answer(self, status: int, body: object) -> None:
        raw = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def do_GET(self) -> None:
        if self.path == "/_deliveries":
            with LOCK:
                self._answer(200, STATE["deliveries"])
        else:
            self._answer(404, {"error": "not here"})

    def do_POST(self) -> None:
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        parts = urllib.parse.urlsplit(self.path)
        if parts.path == "/_control":
            with LOCK:
                STATE.update(json.loads(raw))
            return self._answer(200, {"ok": True})
        if parts.path == "/_reset":
            with LOCK:
                STATE["deliveries"].clear()
            return self._answer(200, {"ok": True})
        query = urllib.parse.parse_qs(parts.query)
        with LOCK:
            secret, dingtalk_secret, delay = STATE["secret"], STATE["dingtalk_secret"], STATE["delay"]
            failing = STATE["fail_next"] > 0
            if failing:
                STATE["fail_next"] -= 1
        chat_bot = parts.path.startswith(("/wecom", "/dingtalk", "/slack"))  # they sign nothing (DingTalk: the URL)
        signature_valid = None if chat_bot or not secret else _signature_ok(raw, self.headers.get("X-Gongdan-Signature"), secret)
        sign_valid = _dingtalk_sign_ok(query, dingtalk_secret) if dingtalk_secret and "sign" in query else None
        if delay:
            time.sleep(delay)
        if failing:
            status = STATE["fail_status"]
        elif signature_valid is False or sign_valid is False:
            status = 401
        else:
            status = 200
        try:
            parsed = json.loads(raw)
        except ValueError:
            parsed = None
        with LOCK:
            STATE["deliveries"].append({
                "path": parts.path, "query": {k: v[0] for k, v in query.items()},
                "headers": {k.lower(): v for k, v in self.headers.items()}, "body": raw.decode(errors="replace"),
                "json": parsed, "signature_valid": signature_valid, "dingtalk_sign_valid": sign_valid, "status": status})
        if failing and status == 200:  # how WeCom and DingTalk refuse: 200 with an error code
            return self._answer(200, {"errcode": 45009, "errmsg": "api freq out of limit"})
        self._answer(status, {"errcode": 0, "errmsg": "ok"} if status == 200 else {"error": f"status {status}"})


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    print("ready", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
