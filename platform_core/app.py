"""The application factory: configuration, extensions, blueprints, error handlers. Nothing else.

It never migrates, prompts or touches the network; Redis is connected to lazily on first use.
"""

from __future__ import annotations

import os
from typing import Any

from flask import Flask, Response, request
from werkzeug.middleware.proxy_fix import ProxyFix

from platform_core.api import API_PREFIX, make_api, register_error_handlers
from platform_core.auth import current as auth_current
from platform_core.config import load_config
from platform_core.db import Database, close_session
from platform_core.jobs import install_session_hooks

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'"
)


def instance_path(config: dict[str, Any] | None = None) -> str:
    """The instance folder (SQLite file, secret key, uploads) without building an application."""
    chosen = (config or {}).get("INSTANCE_PATH") or os.environ.get("GONGDAN_INSTANCE_PATH")
    return Flask("platform_core", instance_path=chosen or None, static_folder=None).instance_path


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the Gongdan WSGI application; ``config`` overrides environment settings (tests)."""
    app = Flask("platform_core", instance_path=instance_path(config), static_folder=None)
    app.config.update(load_config(app.instance_path, config))
    from platform_core import __version__

    app.config["GONGDAN_VERSION"] = __version__
    app.logger.setLevel(app.config["LOG_LEVEL"])
    if app.config["TRUSTED_PROXIES"]:
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]

    database = Database(app.config["DATABASE_URL"])
    install_session_hooks(database.sessionmaker)
    app.extensions["gongdan_db"] = database
    app.teardown_appcontext(close_session)

    from platform_core.web import ClientRouteConverter

    app.url_map.converters["client_route"] = ClientRouteConverter

    api = make_api(app)
    from designer.cli import templates as templates_cli
    from designer.template_views import bp as template_bp
    from designer.views import bp as designer_bp
    from platform_core.auth.views import bp as identity_bp
    from runtime.attachment_views import bp as attachments_bp
    from runtime.automation_views import bp as automations_bp
    from runtime.calendar_cli import calendars_cli
    from runtime.calendar_views import bp as calendars_bp
    from runtime.portal_views import bp as portal_bp
    from runtime.views import bp as runtime_bp

    for blueprint in (identity_bp, designer_bp, template_bp, runtime_bp, attachments_bp, automations_bp, portal_bp, calendars_bp):
        api.register_blueprint(blueprint)
    from runtime.notification_views import bp as notifications_bp
    from runtime.outbox_cli import outbox_cli

    api.register_blueprint(notifications_bp)
    app.cli.add_command(templates_cli)
    app.cli.add_command(outbox_cli)
    app.cli.add_command(calendars_cli)
    from runtime.sla_cli import sla as sla_cli

    app.cli.add_command(sla_cli)
    register_error_handlers(app)

    @app.before_request
    def _authenticate() -> None:
        if request.path.startswith(API_PREFIX + "/") and request.endpoint not in _PUBLIC_ENDPOINTS:
            auth_current.load_principal()

    @app.after_request
    def _headers(response: Response) -> Response:
        auth_current.after_request(response)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if request.path.startswith(API_PREFIX + "/"):
            response.headers.setdefault("Cache-Control", "no-store")
        elif request.endpoint == "web.spa":
            response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
            response.headers.setdefault("X-Frame-Options", "DENY")
        return response

    from platform_core.health import bp as health_bp
    from platform_core.web import bp as web_bp

    app.register_blueprint(health_bp)
    app.register_blueprint(web_bp)  # last: the client-route fallback
    return app


# The OpenAPI document, its page and login are public (login ignores any old session, so it
# needs no CSRF token); everything else under /api authenticates.
_PUBLIC_ENDPOINTS = frozenset({"api-docs.openapi_json", "api-docs.openapi_swagger_ui", "identity.login"})
