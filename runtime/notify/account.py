"""E-mails about a person's account: the invitation and password-reset links platform_core.auth.links issues
(its ``email_link`` hook), in the reader's language, queued in the outbox with the request's transaction."""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from sqlalchemy.orm import Session

from platform_core.auth.models import User
from runtime.notify.outbox import queue_account_email
from runtime.rules import texts
from runtime.rules.i18n import reader_locale


def email_password_link(session: Session, user: User, purpose: str, url: str, expires_at: datetime) -> bool:
    """Queue the e-mail carrying the link; False when e-mail is not set up (the admin hands the link over)."""
    if not current_app.config.get("SMTP_HOST") or not user.email:
        return False
    locale = reader_locale(user.locale)
    expires = texts.format_datetime(expires_at, locale, user.time_zone or "UTC")
    queue_account_email(session, user, f"account_{purpose}", texts.say(f"account.{purpose}.subject", locale),
                        texts.say(f"account.{purpose}", locale, url=url, expires=expires))
    return True
