"""The application factory: configuration, extensions, and what the capabilities it is given
declare (blueprints, commands, periodic jobs, health reports, hook subscriptions). Nothing else.

It names no capability: the composition root (``gongdan.app``) passes them in.

It never migrates, prompts or touches the network; Redis is connected to lazily on first use.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import os
import re
from collections.abc import Sequence
from typing import Any

from flask import Flask, Response, request
from werkzeug.middleware.proxy_fix import ProxyFix

from platform_core import __version__, maintenance, metrics
from platform_core.api import API_PREFIX, make_api, register_error_handlers
from platform_core.auth import current as auth_current
from platform_core.capability import Capability, PeriodicJob, periodic_jobs, wire
from platform_core.config import ConfigError, load_config, parse_intervals
from platform_core.db import Database, close_session
from platform_core.guards import BoundedIntConverter, check_text
from platform_core.jobs import install_session_hooks
from platform_core.web import ClientRouteConverter
from platform_core.web import bp as web_bp

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'"
)


def instance_path(config: dict[str, Any] | None = None) -> str:
    """The instance folder (SQLite file, secret key, uploads) without building an application."""
    chosen = (config or {}).get("INSTANCE_PATH") or os.environ.get("GONGDAN_INSTANCE_PATH")
    return Flask("platform_core", instance_path=chosen or None, static_folder=None).instance_path


def build_app(config: dict[str, Any] | None, capabilities: Sequence[Capability]) -> Flask:
    """Build the Gongdan WSGI application from the capabilities the composition root names
    (``gongdan.create_app``); ``config`` overrides environment settings (tests)."""
    app = Flask("platform_core", instance_path=instance_path(config), static_folder=None)
    app.config.update(load_config(app.instance_path, config))
    app.config["GONGDAN_VERSION"] = __version__
    app.logger.setLevel(app.config["LOG_LEVEL"])
    if app.config["TRUSTED_PROXIES"]:
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]

    database = Database(app.config["DATABASE_URL"])
    install_session_hooks(database.sessionmaker)
    app.extensions["gongdan_db"] = database
    app.teardown_appcontext(close_session)
    app.url_map.converters["client_route"] = ClientRouteConverter
    app.url_map.converters["int"] = BoundedIntConverter  # ids beyond the column: 404, not a database error

    wire(capabilities)
    app.extensions["gongdan_capabilities"] = tuple(capabilities)
    app.extensions["gongdan_periodic_jobs"] = _enabled(
        _with_intervals(periodic_jobs(capabilities), parse_intervals(app.config["PERIODIC_INTERVALS"])), app.config)
    app.extensions["gongdan_health_reports"] = {name: report for c in capabilities
                                                for name, report in c.health_reports.items()}
    public = _PUBLIC_ENDPOINTS.union(*(c.public_endpoints for c in capabilities))
    api = make_api(app)
    for capability in capabilities:
        for blueprint in capability.api_blueprints:
            api.register_blueprint(blueprint)
        for command in capability.commands:
            app.cli.add_command(command)
    register_error_handlers(app)

    @app.before_request
    def _authenticate() -> None:
        if request.path.startswith(API_PREFIX + "/"):
            check_text(request.path, "", "path")  # NUL in a key: PostgreSQL cannot even compare it
        if request.path.startswith(API_PREFIX + "/") and request.endpoint not in public:
            auth_current.load_principal()

    app.before_request(maintenance.refuse_writes_while_read_only)  # after authentication: the user's language
    metrics.install(app)

    @app.after_request
    def _headers(response: Response) -> Response:
        auth_current.after_request(response)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if request.endpoint == "api-docs.openapi_swagger_ui":  # the API's page: the app's policy and its one script
            response.headers.setdefault("Content-Security-Policy", docs_page_policy(response.get_data(as_text=True)))
            response.headers.setdefault("X-Frame-Options", "DENY")
        if request.path.startswith(API_PREFIX + "/"):
            response.headers.setdefault("Cache-Control", "no-store")
        elif request.endpoint == "web.spa":
            response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
            response.headers.setdefault("X-Frame-Options", "DENY")
        return response

    for capability in capabilities:
        for blueprint in capability.blueprints:
            app.register_blueprint(blueprint)
    app.register_blueprint(web_bp)  # last: the client-route fallback
    return app


_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)


def docs_page_policy(page: str) -> str:
    """The app's Content-Security-Policy, allowing the inline scripts of the API's page (flask-smorest's Swagger UI
    template starts Swagger UI inline) by their hashes: nothing else inline runs."""
    hashes = " ".join(f"'sha256-{base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()}'"
                      for script in _INLINE_SCRIPT.findall(page))
    return CONTENT_SECURITY_POLICY.replace("script-src 'self'", f"script-src 'self' {hashes}".rstrip())


def _with_intervals(jobs: list[PeriodicJob], intervals: dict[str, int]) -> list[PeriodicJob]:
    """The jobs with the intervals the settings give (PERIODIC_INTERVALS) instead of their own."""
    unknown = sorted(set(intervals) - {job.name for job in jobs})
    if unknown:
        raise ConfigError(f"GONGDAN_PERIODIC_INTERVALS names no periodic job {', '.join(unknown)}; "
                          f"the jobs are {', '.join(job.name for job in jobs)}")
    return [dataclasses.replace(job, interval=intervals.get(job.name, job.interval)) for job in jobs]


def _enabled(jobs: list[PeriodicJob], config: dict[str, Any]) -> list[PeriodicJob]:
    """The jobs whose setting, if they name one, is set (the backup job runs only with BACKUP_DIR)."""
    return [job for job in jobs if job.setting is None or config.get(job.setting)]


# The OpenAPI document and its page are public; capabilities add theirs (identity adds login, which
# ignores any old session, so it needs no CSRF token). Everything else under /api authenticates.
_PUBLIC_ENDPOINTS = frozenset({"api-docs.openapi_json", "api-docs.openapi_swagger_ui"})
