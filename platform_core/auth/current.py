"""Who is making this request: a browser session (cookie + CSRF header) or an API token."""

from __future__ import annotations

import functools
import hmac
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Response, current_app, g, request

from platform_core.auth import services
from platform_core.auth.models import User
from platform_core.db import db_session
from platform_core.errors import Forbidden, Unauthorized

SESSION_COOKIE = "gongdan_session"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
F = TypeVar("F", bound=Callable[..., Any])


def load_principal() -> None:
    """Before each API request: authenticate by bearer token or session cookie."""
    g.user = None
    g.auth_session = None
    g.api_token = None
    header = request.headers.get("Authorization")
    if header is not None:
        scheme, _, secret = header.partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            raise Unauthorized("The Authorization header must be 'Bearer <token>'.")
        token = services.token_for_secret(db_session, secret.strip())
        if token is None:
            raise Unauthorized("The API token is unknown, revoked or expired.")
        g.user, g.api_token = token.user, token
        return  # bearer requests carry no ambient credentials, so they need no CSRF token
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        return
    auth_session = services.session_for_token(db_session, cookie)
    if auth_session is None:
        g.clear_session_cookie = True
        return
    if request.method not in SAFE_METHODS:
        sent = request.headers.get(CSRF_HEADER, "")
        if not hmac.compare_digest(sent.encode(), auth_session.csrf_token.encode()):
            raise Forbidden(f"Missing or wrong {CSRF_HEADER} header; take it from GET /api/v1/me.",
                            code="csrf_failed")
    g.user, g.auth_session = auth_session.user, auth_session


def cookie_is_secure() -> bool:
    forced = current_app.config.get("SESSION_COOKIE_SECURE")
    return bool(forced) if forced is not None else request.is_secure


def set_session_cookie(response: Response, token: str) -> None:
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="Lax", secure=cookie_is_secure(),
                        max_age=current_app.config["SESSION_LIFETIME_HOURS"] * 3600, path="/")


def clear_session_cookie(response: Response) -> Response:
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="Lax", secure=cookie_is_secure())
    return response


def after_request(response: Response) -> Response:
    if g.get("clear_session_cookie"):
        clear_session_cookie(response)
    return response


def require(*roles: str) -> User:
    """The current user, who must hold one of ``roles`` if any are given."""
    return services.require_role(g.get("user"), *roles)


def requires(*roles: str) -> Callable[[F], F]:
    """Refuse the request (401/403) before its body is even parsed.

    Put it right under the route decorator so that it runs before ``@bp.arguments``: a
    caller without the right gets 403, never a validation error about a form they may not use.
    """

    def decorator(view: F) -> F:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            require(*roles)
            return view(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorator


def actor() -> User:
    """The authenticated user of a view guarded by ``requires``."""
    return g.user


def client_address() -> str:
    return request.remote_addr or "unknown"


def user_agent() -> Any:
    return request.headers.get("User-Agent")
