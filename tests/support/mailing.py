"""Fixtures for tests whose e-mail is sent for real, to a local SMTP server: import them into the test module
(`from tests.support.mailing import mailing_app, mailing_smtp  # noqa: F401`; they are
the fixtures `app` and `smtp`) to replace the suite's `app`."""

from __future__ import annotations

import pytest

from tests.support.notifications import make_app, outbox_settings
from tests.support.servers import SmtpServer


@pytest.fixture(name="smtp")
def mailing_smtp(tmp_path):
    with SmtpServer(tmp_path / "spool") as server:
        yield server


@pytest.fixture(name="app")
def mailing_app(database_url, tmp_path, smtp):
    """The application with e-mail on, pointed at `smtp`: e-mails (and the links in them) are queued and sent."""
    app = make_app(database_url, tmp_path, **outbox_settings(smtp.port))
    yield app
    app.extensions["gongdan_db"].engine.dispose()
