"""A database that is down or restarting, and a full upload disk, answer 503 with Retry-After (clients retry),
not 500; a real fault in the request or the code still answers what it did. The load harness
(bench/load, --faults restart-postgres,fill-disk) shows it on the running stack."""

from __future__ import annotations

import errno
import socket

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from gongdan import create_app
from platform_core.api import is_transient
from tests.conftest import app_config


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed again when the block ends: nothing listens there


def test_a_database_that_does_not_answer_is_a_503_with_retry_after(tmp_path):
    url = f"postgresql+psycopg://postgres@127.0.0.1:{_closed_port()}/gongdan"
    app = create_app(app_config(url, tmp_path, REDIS_URL=None))
    client = app.test_client()
    for headers in ({"Accept-Language": "en"}, {"Accept-Language": "zh-CN"}):
        response = client.get("/api/v1/me", headers={"Authorization": "Bearer gd_nothing", **headers})
        assert response.status_code == 503, response.get_data(as_text=True)
        assert response.headers["Retry-After"] == "5"
        error = response.json["error"]
        assert error["code"] == "unavailable"
        assert {d["locale"] for d in error["details"]} == {"en", "zh-CN"}
    assert "服务暂时不可用" in error["message"]
    app.extensions["gongdan_db"].engine.dispose()


def test_which_errors_are_transient():
    engine = create_engine(f"postgresql+psycopg://postgres@127.0.0.1:{_closed_port()}/gongdan")
    with pytest.raises(DBAPIError) as refused:
        engine.connect()
    assert is_transient(refused.value)
    sqlite = create_engine("sqlite://")
    with pytest.raises(DBAPIError) as wrong_sql, sqlite.connect() as connection:
        connection.execute(text("SELECT * FROM no_such_table"))
    assert not is_transient(wrong_sql.value)  # a bug stays a 500
    assert is_transient(OSError(errno.ENOSPC, "No space left on device"))
    assert not is_transient(OSError(errno.EACCES, "Permission denied"))
    assert not is_transient(ValueError("nope"))
