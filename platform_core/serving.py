"""The development server (`gongdan run`): werkzeug's, answering in JSON even the errors it gives before the app
sees a request (a request line over 64 KiB, such as a 100 KB cursor, is a 414), so that every answer has the
API's error shape. Production runs gunicorn, which answers those itself (its `limit_request_line`)."""

from __future__ import annotations

import click
from flask.cli import ScriptInfo, pass_script_info
from werkzeug.serving import WSGIRequestHandler, run_simple


class JsonErrorRequestHandler(WSGIRequestHandler):
    """http.server's own errors (414, 431, 400 for a malformed request line) as the API's JSON error body."""

    error_content_type = "application/json"
    error_message_format = '{"error": {"code": "http_%(code)d", "message": "%(message)s", "details": []}}\n'


@click.command("run", help="Serve the app with the development server (use gunicorn in production).")
@click.option("--host", "-h", default="127.0.0.1", show_default=True, help="The interface to bind to.")
@click.option("--port", "-p", default=5000, show_default=True, type=int, help="The port to bind to.")
@click.option("--reload/--no-reload", default=False, help="Restart when the code changes.")
@pass_script_info
def run_command(info: ScriptInfo, host: str, port: int, reload: bool) -> None:
    run_simple(host, port, info.load_app(), use_reloader=reload, threaded=True, request_handler=JsonErrorRequestHandler)
