"""Fixtures: a real database (SQLite by default, PostgreSQL with TEST_DATABASE_URL) migrated
once per run and emptied before each test; a real Redis with TEST_REDIS_URL."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, make_url, text

from gongdan import create_app
from platform_core.db import Base
from tests.support import fast_routes

fast_routes.install()

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL")

# Under pytest-xdist (`make test` runs `-n auto`) each worker gets its own PostgreSQL database
# (<name>_gw0, created on first use) and its own Redis database (the given number + 1 + the
# worker's), so workers never empty each other's tables or queues. SQLite is per run already.
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER")
if XDIST_WORKER:
    _index = int(XDIST_WORKER.removeprefix("gw"))
    if TEST_DATABASE_URL:
        _url = make_url(TEST_DATABASE_URL)
        TEST_DATABASE_URL = _url.set(database=f"{_url.database}_{XDIST_WORKER}").render_as_string(hide_password=False)
    if TEST_REDIS_URL:
        _base, _, _number = TEST_REDIS_URL.rpartition("/")
        TEST_REDIS_URL = f"{_base}/{int(_number or 0) + 1 + _index}"


def _create_postgresql_database(url: str) -> None:
    """CREATE DATABASE for a worker's URL, through the maintenance database, if it is missing."""
    target = make_url(url)
    engine = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        exists = connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :name"),
                                    {"name": target.database}).scalar()
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{target.database}"'))
    engine.dispose()

def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Everything under tests/browser is marked `browser`, so a run can choose (see .ci/run).

    A browser test that fails is run once more (pytest-rerunfailures; the summary lists it as RERUN):
    on two busy cores a click can still land on a widget that is sliding in, although every helper in
    tests/browser/antd.py acts again while its effect is missing. A defect of the product fails both runs."""
    for item in items:
        if "database_url" not in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.nodb)
        if item.nodeid.startswith("tests/browser/"):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.flaky(reruns=1))
    # The long tests first, then the browser stories, then the many short ones: xdist hands tests out in this order,
    # so the run ends with short tests on every worker instead of one worker finishing a long one alone (collection
    # order put the 90-second schemathesis run last).
    items.sort(key=lambda item: 0 if item.get_closest_marker("long") else 1 if item.get_closest_marker("browser") else 2)


needs_redis = pytest.mark.skipif(not TEST_REDIS_URL, reason="set TEST_REDIS_URL to run against a real Redis")

# Cheap password hashing keeps the suite fast; production uses the Argon2id defaults.
FAST_HASHING = {"PASSWORD_HASH_TIME_COST": 1, "PASSWORD_HASH_MEMORY_KIB": 1024}


# The webhook and chat-app receivers of the tests listen on loopback, which production refuses
# to call unless allowed (test_delivery_webhooks.py tests the refusal).
LOOPBACK_ALLOWED = {"OUTBOUND_ALLOW": "127.0.0.1"}


def app_config(database_url: str, tmp_path: Any, **extra: Any) -> dict[str, Any]:
    return {"TESTING": True, "SECRET_KEY": "test-secret", "DATABASE_URL": database_url,
            "REDIS_URL": TEST_REDIS_URL, "UPLOAD_DIR": str(tmp_path / "uploads"),
            "INSTANCE_PATH": str(tmp_path / "instance"), **FAST_HASHING, **LOOPBACK_ALLOWED, **extra}


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Migrated once per run from an empty schema, so the migrations themselves are tested."""
    url = TEST_DATABASE_URL or f"sqlite:///{tmp_path_factory.mktemp('db')}/gongdan-test.db"
    if XDIST_WORKER and url.startswith("postgresql"):
        _create_postgresql_database(url)
    app = create_app(app_config(url, tmp_path_factory.mktemp("migrate")))
    with app.app_context():
        from platform_core import migrate
        from platform_core.db import get_session

        if url.startswith("postgresql"):
            session = get_session()
            session.execute(text("DROP SCHEMA public CASCADE"))
            session.execute(text("CREATE SCHEMA public"))
            session.commit()
        migrate.upgrade()
    app.extensions["gongdan_db"].engine.dispose()
    return url


def empty_database(app: Flask) -> None:
    import gongdan.app  # noqa: F401  (every capability's models)

    engine = app.extensions["gongdan_db"].engine
    tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            # DELETE, not TRUNCATE: a test leaves a few rows in a few tables, and TRUNCATE of every table
            # costs PostgreSQL new files for each of them (0.3-1.5 s a test, against about 15 ms).
            # Sequences start again at 1, as TRUNCATE ... RESTART IDENTITY would have it.
            connection.exec_driver_sql("; ".join(f"DELETE FROM {table}" for table in tables))
            connection.exec_driver_sql(
                "DO $$ DECLARE s record; BEGIN FOR s IN SELECT sequencename FROM pg_sequences "
                "WHERE schemaname = current_schema() AND last_value IS NOT NULL LOOP "
                "EXECUTE 'ALTER SEQUENCE ' || quote_ident(s.sequencename) || ' RESTART'; END LOOP; END $$")
        else:
            # SQLite checks ON DELETE RESTRICT row by row, so a category deleted before its subcategory (in the
            # same statement) fails; PostgreSQL checks at the statement's end. Deferred, the checks run at the
            # commit, when every table is empty.
            connection.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
            for table in tables:
                connection.execute(text(f"DELETE FROM {table}"))
    with app.app_context():
        from platform_core.auth.services import ensure_built_in_roles
        from platform_core.db import get_session

        ensure_built_in_roles(get_session())


@pytest.fixture
def app(database_url: str, tmp_path: Any) -> Iterator[Flask]:
    app = create_app(app_config(database_url, tmp_path))
    empty_database(app)
    if TEST_REDIS_URL:
        from platform_core.jobs import get_redis

        get_redis(app).flushdb()
    yield app
    app.extensions["gongdan_db"].engine.dispose()


class Api:
    """A JSON client that remembers the CSRF token after logging in, as the browser does."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client
        self.csrf: str | None = None
        self.headers: dict[str, str] = {}

    def login(self, email: str, password: str) -> Any:
        response = self.client.post("/api/v1/auth/login", json={"email": email, "password": password})
        if response.status_code == 200:
            self.csrf = response.json["csrf_token"]
        return response

    def request(self, method: str, path: str, **kwargs: Any) -> Any:
        headers = {**self.headers, **kwargs.pop("headers", {})}
        if self.csrf and method not in ("GET", "HEAD"):
            headers.setdefault("X-CSRF-Token", self.csrf)
        return self.client.open(path, method=method, headers=headers, **kwargs)

    def get(self, path: str, **kw: Any) -> Any:
        return self.request("GET", path, **kw)

    def post(self, path: str, **kw: Any) -> Any:
        return self.request("POST", path, **kw)

    def patch(self, path: str, **kw: Any) -> Any:
        return self.request("PATCH", path, **kw)

    def put(self, path: str, **kw: Any) -> Any:
        return self.request("PUT", path, **kw)

    def delete(self, path: str, **kw: Any) -> Any:
        return self.request("DELETE", path, **kw)


PASSWORD = "correct horse battery"


@pytest.fixture
def make_user(app: Flask):
    def make(email: str, roles: list[str] | None = None, password: str | None = PASSWORD, **kw: Any) -> int:
        with app.app_context():
            from platform_core.auth import services
            from platform_core.db import get_session

            user = services.create_user(get_session(), email=email, name=kw.pop("name", email.split("@")[0].title()),
                                        roles=roles or ["requester"], password=password, actor_id=None, **kw)
            return user.id

    return make


@pytest.fixture
def api(app: Flask) -> Api:
    return Api(app.test_client())


@pytest.fixture
def admin(app: Flask, make_user) -> Api:
    make_user("admin@example.com", ["admin"], name="Ada Admin")
    client = Api(app.test_client())
    assert client.login("admin@example.com", PASSWORD).status_code == 200
    return client


def error_of(response: Any) -> dict[str, Any]:
    """The error object of a JSON error response (and a check that it has the documented shape)."""
    assert response.is_json, response.data[:200]
    error = response.json["error"]
    assert set(error) == {"code", "message", "details"}
    return error
