"""`gongdan backup` / `gongdan restore`: a consistent archive taken while tickets are being created, restored into
a fresh database that then works; refusals (a database that is not empty, an altered archive); retention."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import tarfile
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, make_url, text

from gongdan import create_app
from platform_core import backup
from platform_core.db import get_session
from tests.conftest import PASSWORD, Api, app_config

P3 = {"title": "Mail is slow", "category": "software", "urgency": "low", "impact": "company",
      "description": "Mail takes minutes to arrive", "region": "north"}


def _fresh_database_url(database_url: str, tmp_path: Path, name: str) -> str:
    """An empty database of the suite's kind: a new SQLite file, or a new PostgreSQL database."""
    if database_url.startswith("sqlite"):
        return f"sqlite:///{tmp_path / name}.db"
    url = make_url(database_url)
    database = f"{url.database}_{name}"
    engine = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{database}"'))
    engine.dispose()
    return url.set(database=database).render_as_string(hide_password=False)


def _counts(url: str) -> dict[str, int]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return backup._row_counts(connection)
    finally:
        engine.dispose()


def _files(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()} if root.is_dir() else {}


def _needs_pg_tools(url: str) -> None:
    if url.startswith("postgresql") and not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.skip("pg_dump/pg_restore are not on PATH: the PostgreSQL backup needs the PostgreSQL client programs")


@pytest.fixture
def desk(app, admin, make_user):
    """The IT service desk installed, a requester, and one ticket with an attachment."""
    assert admin.post("/api/v1/templates/it-service-desk/install").status_code == 201
    make_user("rita@example.com", ["requester"], name="Rita")
    rita = Api(app.test_client())
    assert rita.login("rita@example.com", PASSWORD).status_code == 200
    ticket = rita.post("/api/v1/tickets", json={"type": "it-incident", "data": P3})
    assert ticket.status_code == 201, ticket.json
    upload = rita.post(f"/api/v1/tickets/{ticket.json['id']}/attachments", content_type="multipart/form-data",
                       data={"file": (io.BytesIO(b"%PDF-1.4 fake but fine"), "jam.txt", "text/plain")})
    assert upload.status_code == 201, upload.json
    return rita


def test_a_backup_taken_while_tickets_are_created_restores_into_a_fresh_database_that_works(
        app, admin, desk, database_url, tmp_path):
    _needs_pg_tools(database_url)
    # A thread keeps creating tickets through the API during the backup.
    stop, created, errors = threading.Event(), [], []

    def create_tickets() -> None:
        client = Api(app.test_client())
        if client.login("rita@example.com", PASSWORD).status_code != 200:
            errors.append("login")
            return
        while not stop.is_set():
            response = client.post("/api/v1/tickets", json={"type": "it-incident", "data": P3})
            (created if response.status_code == 201 else errors).append(response.status_code)

    writer = threading.Thread(target=create_tickets)
    writer.start()
    try:
        from tests.support.servers import wait_until

        wait_until(lambda: len(created) >= 3, timeout=60, interval=0.05)
        with app.app_context():
            result = backup.create_backup(app, tmp_path / "backups")
        during = len(created)
        wait_until(lambda: len(created) >= during + 2, timeout=60, interval=0.05)
    finally:
        stop.set()
        writer.join(timeout=60)
    assert not errors, errors
    archive, manifest = result.path, result.manifest
    assert archive.parent == tmp_path / "backups" and backup.ARCHIVE_PATTERN.match(archive.name)
    assert oct(archive.stat().st_mode & 0o777) == "0o600"
    kind = make_url(database_url).get_backend_name()
    assert manifest["database"]["kind"] == kind and manifest["alembic_revision"]
    assert manifest["counts"]["uploads"] == 1 and not manifest["includes_secret_key"]
    tickets_in_backup = manifest["counts"]["tables"]["ticket"]
    # Consistent: every ticket in the archive has its history and clocks, and it saw some of the creates.
    assert 1 + 3 <= tickets_in_backup <= 1 + len(created)
    # The secret key is not in it, in any member.
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        assert "secret_key" not in names
        for member in tar.getmembers():
            assert b"test-secret" not in tar.extractfile(member).read()  # type: ignore[union-attr]
        settings = json.loads(tar.extractfile("settings.json").read())  # type: ignore[union-attr]
    assert "SECRET_KEY" not in settings and "DATABASE_URL" in settings

    # Restore into a fresh database and an empty upload folder.
    fresh_url = _fresh_database_url(database_url, tmp_path, "restored")
    restored = create_app(app_config(fresh_url, tmp_path / "restored", REDIS_URL=None))
    try:
        with restored.app_context():
            backup.restore_backup(restored, archive)
        assert _counts(fresh_url) == manifest["counts"]["tables"]
        assert _files(Path(restored.config["UPLOAD_DIR"])) == {
            name.removeprefix("uploads/"): info["sha256"] for name, info in manifest["files"].items()
            if name.startswith("uploads/")}
        assert json.loads((Path(restored.instance_path) / "restored-settings.json").read_text()) == settings

        # The smoke path on the restored copy: log in, list tickets, read the attachment, create one.
        client = Api(restored.test_client())
        assert client.login("rita@example.com", PASSWORD).status_code == 200
        seen, cursor = [], ""
        while cursor is not None:
            listed = client.get(f"/api/v1/tickets?limit=50&sort=created_at&cursor={cursor}")
            assert listed.status_code == 200, listed.json
            seen += listed.json["items"]
            cursor = listed.json["next_cursor"]
        assert len(seen) == tickets_in_backup
        first = seen[0]
        attachment = client.get(f"/api/v1/tickets/{first['id']}/attachments").json["items"][0]
        assert client.get(attachment["download_url"]).data == b"%PDF-1.4 fake but fine"
        new = client.post("/api/v1/tickets", json={"type": "it-incident", "data": P3})
        assert new.status_code == 201, new.json
        assert new.json["id"] > max(t["id"] for t in seen)  # sequences restored too

        # A second restore into the now filled database is refused, saying why; nothing changes.
        before = _counts(fresh_url)
        with pytest.raises(backup.BackupError, match="not empty"):
            backup.restore_backup(restored, archive)
        assert _counts(fresh_url) == before
    finally:
        restored.extensions["gongdan_db"].engine.dispose()


def _tampered(archive: Path, target: Path, member: str, change) -> Path:
    with tarfile.open(archive) as source, tarfile.open(target, "w:gz") as copy:
        for info in source.getmembers():
            data = source.extractfile(info).read()  # type: ignore[union-attr]
            if info.name == member:
                data = change(data)
                info.size = len(data)
            copy.addfile(info, io.BytesIO(data))
    return target


def test_a_tampered_archive_restores_nothing(app, admin, desk, database_url, tmp_path):
    _needs_pg_tools(database_url)
    with app.app_context():
        result = backup.create_backup(app, tmp_path / "backups")
    database_member = result.manifest["database"]["file"]
    flip = lambda data: data[:-10] + bytes([data[-10] ^ 1]) + data[-9:]  # noqa: E731
    altered = [
        _tampered(result.path, tmp_path / "db.tar.gz", database_member, flip),
        _tampered(result.path, tmp_path / "upload.tar.gz",
                  next(n for n in result.manifest["files"] if n.startswith("uploads/")), lambda d: d + b"!"),
        # The manifest changed to match an altered member: its own checksum gives it away.
        _tampered(result.path, tmp_path / "manifest.tar.gz", "manifest.json",
                  lambda d: d.replace(b'"uploads": 1', b'"uploads": 2')),
    ]
    fresh_url = _fresh_database_url(database_url, tmp_path, "tampered")
    target = create_app(app_config(fresh_url, tmp_path / "tampered", REDIS_URL=None))
    try:
        for archive in altered:
            with pytest.raises(backup.BackupError, match=r"checksum|nothing was restored"):
                backup.restore_backup(target, archive)
            engine = create_engine(fresh_url)
            with engine.connect() as connection:
                assert inspect(connection).get_table_names() == []
            engine.dispose()
            assert not Path(target.config["UPLOAD_DIR"]).exists()
        junk = tmp_path / "junk.tar.gz"
        junk.write_bytes(b"junk")
        with pytest.raises(backup.BackupError, match="not a readable"):
            backup.restore_backup(target, junk)
        # The untouched archive restores.
        backup.restore_backup(target, result.path)
        assert _counts(fresh_url)["ticket"] == 1
    finally:
        target.extensions["gongdan_db"].engine.dispose()


def test_the_cli_backs_up_with_the_key_on_request_and_prunes(app, admin, desk, database_url, tmp_path):
    _needs_pg_tools(database_url)
    runner = app.test_cli_runner()
    folder = tmp_path / "cli-backups"
    # An old archive beyond the retention, and a stray file that is not ours.
    folder.mkdir()
    old = folder / backup.archive_name(datetime.now(UTC) - timedelta(days=400))
    old.write_bytes(b"old")
    (folder / "notes.txt").write_text("keep me")
    done = runner.invoke(args=["backup", "--to", str(folder), "--include-secret-key", "--prune", "--keep-count", "1"])
    assert done.exit_code == 0, done.output
    assert "with the secret key" in done.output and "Pruned 1 old archive(s)" in done.output
    archives = [p for p in folder.iterdir() if backup.ARCHIVE_PATTERN.match(p.name)]
    assert len(archives) == 1 and not old.exists() and (folder / "notes.txt").exists()
    with tarfile.open(archives[0]) as tar:
        assert tar.extractfile("secret_key").read().decode().strip() == "test-secret"  # type: ignore[union-attr]

    fresh_url = _fresh_database_url(database_url, tmp_path, "cli")
    target = create_app(app_config(fresh_url, tmp_path / "cli-restore", REDIS_URL=None))
    try:
        done = target.test_cli_runner().invoke(args=["restore", str(archives[0])])
        assert done.exit_code == 0, done.output
        assert "row counts verified" in done.output and "secret key was written" in done.output
        assert (Path(target.instance_path) / "secret_key").read_text().strip() == "test-secret"
        again = target.test_cli_runner().invoke(args=["restore", str(archives[0])])
        assert again.exit_code != 0 and "not empty" in again.output
    finally:
        target.extensions["gongdan_db"].engine.dispose()


def test_without_pg_dump_a_postgresql_backup_says_what_is_missing(app, database_url, tmp_path, monkeypatch):
    if not database_url.startswith("postgresql"):
        pytest.skip("PostgreSQL only: SQLite is backed up by Python's own sqlite3")
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty folder: no pg_dump
    with pytest.raises(backup.BackupError, match="pg_dump is not on PATH"):
        backup.create_backup(app, tmp_path / "backups")
    assert not any((tmp_path / "backups").iterdir())


def test_retention_keeps_six_months_of_dailies_and_the_newest_few(tmp_path):
    now = datetime(2026, 12, 3, 6, 0, tzinfo=UTC)
    made = []
    for hours in range(0, 400 * 24, 12):  # two a day for 400 days
        path = tmp_path / backup.archive_name(now - timedelta(hours=hours))
        path.write_bytes(b"x")
        made.append(path)
    removed = backup.prune_backups(tmp_path, keep_days=186, keep_count=3, now=now)
    kept = sorted(p.name for p in tmp_path.iterdir())
    # The newest three, and one a day (the later) for 186 days.
    assert len(kept) == 187 + 1, len(kept)
    assert all(p.name in kept for p in made[:3])
    assert os.path.basename(made[-1]) not in kept and len(removed) == len(made) - len(kept)
    assert backup.prune_backups(tmp_path, keep_days=186, keep_count=3, now=now) == []


def test_the_backup_job_is_scheduled_only_with_a_backup_dir_and_runs_while_read_only(database_url, tmp_path):
    _needs_pg_tools(database_url)
    from platform_core import jobs, maintenance

    without = create_app(app_config(database_url, tmp_path / "without"))
    assert "backup" not in [job.name for job in jobs.periodic_jobs(without)]
    folder = tmp_path / "scheduled"
    app = create_app(app_config(database_url, tmp_path / "with", BACKUP_DIR=str(folder), BACKUP_KEEP_COUNT=1,
                                PERIODIC_INTERVALS="backup=3600"))
    try:
        job = next(job for job in jobs.periodic_jobs(app) if job.name == "backup")
        assert job.interval == 3600 and job.writes is False
        old = folder / backup.archive_name(datetime.now(UTC) - timedelta(days=300))
        folder.mkdir()
        old.write_bytes(b"old")
        with app.app_context():
            maintenance.set_read_only(app, True)
            try:
                assert jobs.run_periodic_if_due("backup") is True  # a backup reads: it runs while read-only
            finally:
                maintenance.set_read_only(app, False)
            assert jobs.last_runs(get_session())["backup"].last_status == "succeeded"
        archives = [p for p in folder.iterdir() if backup.ARCHIVE_PATTERN.match(p.name)]
        assert len(archives) == 1 and not old.exists()  # written, and the retention applied
    finally:
        app.extensions["gongdan_db"].engine.dispose()
        without.extensions["gongdan_db"].engine.dispose()
