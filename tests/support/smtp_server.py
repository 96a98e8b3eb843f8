"""A real SMTP server (aiosmtpd) run as its own process by tests.

Every message it accepts is written, atomically, to a file in the spool folder as JSON:
{"mail_from", "rcpt_tos", "data" (the raw message, base64)}. Recipients given with
``--reject`` are refused with a permanent 550.

    python tests/support/smtp_server.py --port 2525 --spool /tmp/spool [--reject a@example.com]
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import signal
import threading
import time
import uuid
from pathlib import Path

from aiosmtpd.controller import Controller


class SpoolHandler:
    def __init__(self, spool: Path, rejected: set[str]) -> None:
        self.spool = spool
        self.rejected = rejected

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.rejected:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        record = {"mail_from": envelope.mail_from, "rcpt_tos": list(envelope.rcpt_tos),
                  "data": base64.b64encode(envelope.original_content or envelope.content).decode()}
        name = f"{time.time_ns()}-{uuid.uuid4().hex}"
        partial = self.spool / f".{name}.tmp"
        partial.write_text(json.dumps(record))
        os.replace(partial, self.spool / f"{name}.json")
        return "250 Message accepted for delivery"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--spool", required=True)
    parser.add_argument("--reject", action="append", default=[])
    args = parser.parse_args()
    spool = Path(args.spool)
    spool.mkdir(parents=True, exist_ok=True)
    controller = Controller(SpoolHandler(spool, {r.lower() for r in args.reject}), hostname="127.0.0.1", port=args.port)
    controller.start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    print("ready", flush=True)
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
