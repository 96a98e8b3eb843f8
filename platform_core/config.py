"""Settings read from the environment (prefix ``GONGDAN_``) with defaults that run out of the box.

Nothing here connects to anything or raises at import time; ``load_config`` is called by
``create_app`` and returns a plain dict that Flask takes as its configuration.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Any

PREFIX = "GONGDAN_"


class ConfigError(RuntimeError):
    """A setting is missing or malformed; the message says which and how to fix it."""


def _as_bool(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


# name -> (type, default, description). The README's configuration table is checked
# against this list by a test, so the two cannot drift apart.
SETTINGS: dict[str, tuple[type, Any, str]] = {
    "ENV": (str, "production", "`development`, `production` or `testing`. Development allows a missing secret key."),
    "INSTANCE_PATH": (str, None, "Folder for the SQLite file, the secret key and uploads. Default: `instance/` beside the code."),
    "DATABASE_URL": (str, None, "SQLAlchemy URL. Default: SQLite file `instance/gongdan.db`. PostgreSQL: `postgresql+psycopg://user:pass@host/db`."),
    "REDIS_URL": (str, None, "Redis for the job queue (rq). Unset: jobs run inline in the web process after the commit."),
    "SECRET_KEY": (str, None, "Secret for signing. Required outside development and tests; `make run` writes one to `instance/secret_key` (mode 0600) and it is read from there when this is unset."),
    "UPLOAD_DIR": (str, None, "Where attachments are stored. Default: `instance/uploads`."),
    "ATTACHMENT_MAX_BYTES": (int, 25 * 1024 * 1024, "Largest attachment accepted; larger uploads get 413."),
    "BASE_URL": (str, "http://127.0.0.1:5000", "The public address, used in links sent by email and webhooks."),
    "MAX_CONTENT_LENGTH": (int, 32 * 1024 * 1024, "Largest request body in bytes (above the attachment limit); larger requests get 413."),
    "TICKET_DATA_MAX_BYTES": (int, 256 * 1024, "Largest form data of one ticket, as UTF-8 JSON; more gets 422 (so that no ticket, and no list of tickets, is unbounded)."),
    "DEFINITION_MAX_BYTES": (int, 1024 * 1024, "Largest ticket-type definition accepted (draft, import, simulation); larger gets 413."),
    "SESSION_LIFETIME_HOURS": (int, 12, "A browser session ends after this many hours without use."),
    "SESSION_COOKIE_SECURE": (bool, None, "Force the `Secure` cookie flag. Default: set when the request arrived over HTTPS (see `TRUSTED_PROXIES`)."),
    "TRUSTED_PROXIES": (int, 0, "Number of reverse proxies in front of the app whose `X-Forwarded-*` headers are trusted."),
    "LOGIN_MAX_FAILURES_PER_ACCOUNT": (int, 5, "Failed logins for one account from one client address within the window before that pair gets 429 (others, the owner included, are not affected)."),
    "LOGIN_ACCOUNT_SLOWDOWN_AFTER": (int, 50, "Failed logins for one account from all addresses within the window after which the account is slowed: one attempt per `LOGIN_ACCOUNT_SLOWDOWN_SECONDS`."),
    "LOGIN_ACCOUNT_SLOWDOWN_SECONDS": (int, 5, "How long a slowed account waits after each failed login."),
    "LOGIN_MAX_FAILURES_PER_ADDRESS": (int, 20, "Failed logins from one client address within the window before 429."),
    "LOGIN_WINDOW_SECONDS": (int, 900, "The login-throttling window."),
    "INVITE_LINK_HOURS": (int, 168, "How long an invitation link (set your password) stays valid."),
    "RESET_LINK_MINUTES": (int, 60, "How long a password-reset link stays valid."),
    "RESET_MAX_PER_ACCOUNT": (int, 3, "Password-reset requests for one e-mail address within the window before 429."),
    "RESET_MAX_PER_ADDRESS": (int, 10, "Password-reset requests from one client address within the window before 429."),
    "RESET_WINDOW_SECONDS": (int, 3600, "The password-reset throttling window."),
    "SMTP_HOST": (str, None, "SMTP server for email notifications. Unset: no email is sent."),
    "SMTP_PORT": (int, 25, "SMTP port."),
    "SMTP_USERNAME": (str, None, "SMTP user name, if the server needs one."),
    "SMTP_PASSWORD": (str, None, "SMTP password."),
    "SMTP_STARTTLS": (bool, False, "Use STARTTLS."),
    "SMTP_FROM": (str, "gongdan@localhost", "Sender address of notification emails."),
    "SMTP_SSL": (bool, False, "Connect with implicit TLS (SMTPS, usually port 465) instead of plain SMTP or STARTTLS."),
    "SMTP_TIMEOUT_SECONDS": (int, 10, "How long one SMTP connection or reply may take before the attempt fails (and is retried)."),
    "WEBHOOK_TIMEOUT_SECONDS": (int, 10, "How long one webhook or chat-app call may take before the attempt fails (and is retried)."),
    "OUTBOUND_ALLOW": (str, None, "Networks webhooks and chat apps may call although they are not public, comma-separated (`10.20.0.0/16,127.0.0.1`). Unset: only public addresses; loopback, private, link-local (cloud metadata) and reserved ones are refused."),
    "OUTBOUND_CA_BUNDLE": (str, None, "A PEM file of certificate authorities that webhook and chat-app calls trust besides the public ones (an intranet receiver with a company CA)."),
    "OUTBOX_MAX_ATTEMPTS": (int, 8, "Delivery attempts of one email, webhook or chat message before it is marked dead."),
    "OUTBOX_RETRY_BASE_SECONDS": (int, 30, "Delay before the first retry of a failed delivery; it doubles with every further failure."),
    "OUTBOX_RETRY_MAX_SECONDS": (int, 3600, "The longest delay between two delivery attempts."),
    "OUTBOX_SENDING_TIMEOUT_SECONDS": (int, 300, "A message claimed for sending longer than this (its worker died) is sent again."),
    "OUTBOX_RETENTION_DAYS": (int, 30, "Sent and dead outbox messages are deleted after this many days."),
    "INTAKE_MAX_BYTES": (int, 64 * 1024, "Largest payload an intake endpoint accepts (`POST /api/v1/intake/<key>`); larger gets 413 and is logged as rejected."),
    "INTAKE_SIGNATURE_WINDOW_SECONDS": (int, 300, "How far the `X-Gongdan-Timestamp` of an HMAC-signed intake call may be from the server's clock; older or later signatures get 401."),
    "INTAKE_LOG_RETENTION_DAYS": (int, 30, "Intake log lines and the source keys seen (idempotency) are deleted after this many days."),
    "PASSWORD_HASH_TIME_COST": (int, 3, "Argon2id time cost for password hashes."),
    "PASSWORD_HASH_MEMORY_KIB": (int, 65536, "Argon2id memory cost (KiB) for password hashes."),
    "PERIODIC_INTERVALS": (str, None, "Run periodic jobs at other intervals than their own, in seconds, comma-separated (`sla_sweep=30,deliver_outbox=15`); the jobs are listed in docs/operations.md."),
    "BACKUP_DIR": (str, None, "Where the `backup` periodic job writes an archive every day (`gongdan backup`'s default folder too). Unset: no scheduled backups; `gongdan backup` writes to `instance/backups`."),
    "BACKUP_KEEP_DAYS": (int, 186, "Retention of backup archives: the newest archive of each day is kept this many days (six months and a few days)."),
    "BACKUP_KEEP_COUNT": (int, 7, "Retention of backup archives: the newest this many are kept whatever their age."),
    "MAINTENANCE_RETRY_AFTER_SECONDS": (int, 300, "The `Retry-After` of the 503 answered to writes while the instance is read-only (`gongdan maintenance read-only on`)."),
    "IDEMPOTENCY_KEY_HOURS": (int, 24, "How long an `Idempotency-Key` of a ticket create or a comment is remembered; housekeeping deletes older ones, after which the same key writes again."),
    "HOUSEKEEPING_VACUUM": (bool, True, "Let the daily housekeeping run the database's own maintenance (`ANALYZE` on PostgreSQL, `PRAGMA optimize` on SQLite)."),
    "METRICS_TOKEN": (str, None, "Bearer token that `/metrics` requires (`Authorization: Bearer …`). Unset: `/metrics` answers only requests from the machine itself (loopback)."),
    "HEALTH_MAX_SWEEP_LAG_SECONDS": (int, 600, "`/healthz` answers 503 when the SLA sweep's last successful run is older than this, or a due mark waits longer than this."),
    "HEALTH_MAX_OUTBOX_AGE_SECONDS": (int, 1800, "`/healthz` answers 503 when a notification has waited past its next attempt longer than this."),
    "QUEUE_NAME": (str, "default", "The rq queue the web processes enqueue to and workers listen on."),
    "LOG_LEVEL": (str, "INFO", "Python logging level."),
}


def _parse(name: str, kind: type, raw: str) -> Any:
    if kind is bool:
        return _as_bool(raw)
    if kind is int:
        try:
            return int(raw)
        except ValueError:
            raise ConfigError(f"{PREFIX}{name} must be a whole number, got {raw!r}") from None
    return raw


@lru_cache(maxsize=16)
def parse_networks(spec: str | None) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    """Networks (``10.20.0.0/16``) or single addresses, comma-separated, as in OUTBOUND_ALLOW."""
    networks = []
    for item in (spec or "").replace(" ", "").split(","):
        if item:
            try:
                networks.append(ipaddress.ip_network(item, strict=False))
            except ValueError:
                raise ConfigError(f"{PREFIX}OUTBOUND_ALLOW: {item!r} is not an IP network such as 10.20.0.0/16 "
                                  "or an address such as 10.20.0.5") from None
    return tuple(networks)


def parse_intervals(spec: str | None) -> dict[str, int]:
    """``sla_sweep=30,deliver_outbox=15`` -> ``{"sla_sweep": 30, "deliver_outbox": 15}`` (PERIODIC_INTERVALS)."""
    intervals: dict[str, int] = {}
    for item in (spec or "").replace(" ", "").split(","):
        if not item:
            continue
        name, _, seconds = item.partition("=")
        if not name or not seconds.isdigit() or int(seconds) < 1:
            raise ConfigError(f"{PREFIX}PERIODIC_INTERVALS: {item!r} is not a job name and a whole number of "
                              "seconds such as sla_sweep=30")
        intervals[name] = int(seconds)
    return intervals


def load_config(instance_path: str, overrides: dict[str, Any] | None = None,
                environ: dict[str, str] | None = None) -> dict[str, Any]:
    """Merge defaults, ``GONGDAN_*`` environment variables and explicit overrides."""
    env = os.environ if environ is None else environ
    overrides = dict(overrides or {})
    config: dict[str, Any] = {}
    for name, (kind, default, _doc) in SETTINGS.items():
        raw = env.get(PREFIX + name)
        config[name] = _parse(name, kind, raw) if raw not in (None, "") else default
    testing = bool(overrides.get("TESTING"))
    if testing:
        config["ENV"] = "testing"
    config.update(overrides)

    instance = Path(instance_path)
    if not config["DATABASE_URL"]:
        config["DATABASE_URL"] = f"sqlite:///{instance / 'gongdan.db'}"
    if not config["UPLOAD_DIR"]:
        config["UPLOAD_DIR"] = str(instance / "uploads")
    if not config["SECRET_KEY"]:
        key_file = instance / "secret_key"
        if key_file.is_file():
            config["SECRET_KEY"] = key_file.read_text().strip()
        elif config["ENV"] in {"development", "testing"}:
            # Sessions are stored server-side, so a per-process key only affects signed links.
            config["SECRET_KEY"] = secrets.token_urlsafe(32)
        else:
            raise ConfigError(
                f"{PREFIX}SECRET_KEY is not set and {key_file} does not exist. "
                f"Set {PREFIX}SECRET_KEY, run `gongdan secret-key` once, or set {PREFIX}ENV=development."
            )
    if config["ENV"] not in {"development", "production", "testing"}:
        raise ConfigError(f"{PREFIX}ENV must be development, production or testing, got {config['ENV']!r}")
    parse_intervals(config["PERIODIC_INTERVALS"])
    parse_networks(config["OUTBOUND_ALLOW"])  # refuse a malformed list at start, not at the first webhook
    bundle = config["OUTBOUND_CA_BUNDLE"]
    if bundle and not Path(bundle).is_file():
        raise ConfigError(f"{PREFIX}OUTBOUND_CA_BUNDLE: {bundle} is not a file (give a PEM file of CA certificates)")
    config["TESTING"] = config["ENV"] == "testing"
    config["DEBUG"] = False
    return config


def ensure_secret_key_file(instance_path: str) -> tuple[Path, bool]:
    """Write a new random secret key to ``instance/secret_key`` (mode 0600) unless one exists."""
    instance = Path(instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    key_file = instance / "secret_key"
    if key_file.exists():
        return key_file, False
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_urlsafe(48) + "\n")
    return key_file, True
