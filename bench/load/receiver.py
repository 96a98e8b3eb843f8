"""The webhook receiver of the load harness: answers 200 to every POST and appends one JSON line per request
(delivery id, attempt, event, path, whether the signature verifies) to a file, so the harness can count how
often each outbox message arrived. While the file SLOW exists it holds each request 3 s after logging it, so the
harness can kill a worker in the middle of a delivery.

    python -m bench.load.receiver PORT FILE SECRET SLOW
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def main() -> None:
    port, path, secret, slow = int(sys.argv[1]), sys.argv[2], sys.argv[3].encode(), sys.argv[4]
    out = open(path, "a", buffering=1)  # noqa: SIM115 - one line per request, for the life of the server

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            expected = "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()
            out.write(json.dumps({"delivery": self.headers.get("X-Gongdan-Delivery"),
                                  "attempt": self.headers.get("X-Gongdan-Attempt"),
                                  "event": self.headers.get("X-Gongdan-Event"), "path": self.path,
                                  "signed": hmac.compare_digest(expected, self.headers.get("X-Gongdan-Signature") or "")})
                      + "\n")
            if os.path.exists(slow):
                time.sleep(3)
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args) -> None:
            pass

    ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()


if __name__ == "__main__":
    main()
