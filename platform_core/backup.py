"""Backups that restore: one archive (tar.gz) of the database, the uploaded files and the instance settings,
with a manifest and SHA-256 checksums; restoring it into an empty database; pruning old archives.

An archive holds::

    manifest.json        format, Gongdan version, Alembic revision, created_at, database kind, row counts,
                         and the SHA-256 and size of every other member
    manifest.sha256      the SHA-256 of manifest.json
    database.sqlite3     SQLite: a copy made with SQLite's online backup API (consistent while others write)
    database.pgdump      PostgreSQL: ``pg_dump --format=custom`` of one exported snapshot, the same snapshot the
                         row counts were taken in
    settings.json        the GONGDAN_* settings that differ from their defaults, passwords left out
    secret_key           only with ``include_secret_key``
    uploads/…            the files of UPLOAD_DIR

Nothing is written to the destination until the archive is complete: it is built under a temporary name and
renamed. Restoring checks every checksum before it touches anything, so a damaged or altered archive changes
nothing.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import create_engine, inspect, make_url
from sqlalchemy.engine import URL, Connection

from platform_core import __version__
from platform_core.config import SETTINGS

FORMAT = 1
ARCHIVE_PATTERN = re.compile(r"^gongdan-backup-(\d{8}T\d{6}(?:\d{6})?Z)\.tar\.gz$")
# Settings never written in clear to settings.json (the secret key has its own member, on request).
SECRET_SETTINGS = frozenset({"SECRET_KEY", "SMTP_PASSWORD"})


class BackupError(RuntimeError):
    """A backup or restore cannot be done; the message says why and what to do."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    manifest: dict[str, Any]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """A libpq connection string for pg_dump/pg_restore and the environment that carries the password
    (never on the command line, where ``ps`` shows it)."""
    env = {**os.environ}
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    parts = {"host": url.host, "port": url.port, "user": url.username, "dbname": url.database}
    for key, value in url.query.items():  # sslmode=…, and so on
        parts[key] = value if isinstance(value, str) else value[-1]
    dsn = " ".join(f"{key}='{str(value).replace(chr(92), chr(92) * 2).replace(chr(39), chr(92) + chr(39))}'"
                   for key, value in parts.items() if value not in (None, ""))
    return dsn, env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not on PATH: backups and restores of a PostgreSQL database need the PostgreSQL "
                          f"client programs (Debian/Ubuntu: apt install postgresql-client-<server major version>).")
    return found


def _major(version_text: str) -> int:
    match = re.search(r"(\d+)(?:\.\d+)?", version_text)
    return int(match.group(1)) if match else 0


def _check_client_version(tool: str, connection: Connection) -> str:
    """pg_dump refuses a server newer than itself (its major version); say so clearly before it fails."""
    client = subprocess.run([tool, "--version"], capture_output=True, text=True,  # noqa: S603  (a found program)
                            check=True).stdout.strip()
    server = str(connection.exec_driver_sql("SHOW server_version").scalar())
    if _major(client.rsplit(" ", 1)[-1]) < _major(server):
        raise BackupError(f"{client} is older than the PostgreSQL server ({server}): pg_dump can only dump servers of "
                          f"its own major version or older. Install postgresql-client-{_major(server)} and put its "
                          f"bin folder first on PATH.")
    return client


def _row_counts(connection: Connection) -> dict[str, int]:
    names = sorted(inspect(connection).get_table_names())
    preparer = connection.dialect.identifier_preparer
    return {name: int(connection.exec_driver_sql(f"SELECT count(*) FROM {preparer.quote(name)}")  # noqa: S608
                      .scalar() or 0)
            for name in names}


def _alembic_revision(connection: Connection) -> str | None:
    if "alembic_version" not in inspect(connection).get_table_names():
        return None
    return connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()


def _settings(config: dict[str, Any]) -> dict[str, Any]:
    """The settings an instance was configured with (those that differ from the defaults), no secrets."""
    chosen: dict[str, Any] = {}
    for name, (_kind, default, _doc) in SETTINGS.items():
        value = config.get(name)
        if name in SECRET_SETTINGS or value == default or value is None:
            continue
        if name == "DATABASE_URL":
            value = make_url(value).render_as_string(hide_password=True)
        chosen[name] = value
    return chosen


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("An in-memory SQLite database cannot be backed up or restored.")
    return Path(url.database)


def _dump_sqlite(url: URL, target: Path) -> tuple[dict[str, int], str | None]:
    source_path = _sqlite_path(url)
    if not source_path.is_file():
        raise BackupError(f"The SQLite database {source_path} does not exist.")
    source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True, timeout=30)
    try:
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)  # the online backup API: a consistent copy while other processes write
        finally:
            copy.close()
    finally:
        source.close()
    engine = create_engine(f"sqlite:///{target}")
    try:
        with engine.connect() as connection:
            return _row_counts(connection), _alembic_revision(connection)
    finally:
        engine.dispose()


def _dump_postgresql(url: URL, target: Path) -> tuple[dict[str, int], str | None, str]:
    pg_dump = _tool("pg_dump")
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            client = _check_client_version(pg_dump, connection)
        # One snapshot for the counts and the dump: the manifest says exactly what the dump holds.
        with engine.connect().execution_options(isolation_level="REPEATABLE READ") as connection, \
                connection.begin():
            snapshot = connection.exec_driver_sql("SELECT pg_export_snapshot()").scalar()
            counts, revision = _row_counts(connection), _alembic_revision(connection)
            dsn, env = _libpq(url)
            done = subprocess.run([pg_dump, "--format=custom",  # noqa: S603  (no shell; the DSN is quoted) "--no-owner", "--no-privileges",
                                   f"--snapshot={snapshot}", f"--file={target}", dsn],
                                  env=env, capture_output=True, text=True)
        if done.returncode != 0:
            raise BackupError(f"pg_dump failed (exit {done.returncode}): {done.stderr.strip()[:2000]}")
        return counts, revision, client
    finally:
        engine.dispose()


def archive_name(now: datetime) -> str:
    return f"gongdan-backup-{now.astimezone(UTC).strftime('%Y%m%dT%H%M%S%fZ')}.tar.gz"


def create_backup(app: Flask, to_dir: str | os.PathLike[str], *, include_secret_key: bool = False,
                  now: datetime | None = None) -> BackupResult:
    """Write one archive of the database, the uploads and the settings to ``to_dir``; its path and manifest."""
    now = now or datetime.now(UTC)
    destination = Path(to_dir)
    destination.mkdir(parents=True, exist_ok=True)
    url = make_url(app.config["DATABASE_URL"])
    kind = url.get_backend_name()
    with tempfile.TemporaryDirectory(prefix=".gongdan-backup-", dir=destination) as staging_name:
        staging = Path(staging_name)
        extra: dict[str, Any] = {}
        if kind == "sqlite":
            database_member = "database.sqlite3"
            counts, revision = _dump_sqlite(url, staging / database_member)
        elif kind == "postgresql":
            database_member = "database.pgdump"
            counts, revision, extra["pg_dump"] = _dump_postgresql(url, staging / database_member)
        else:
            raise BackupError(f"Backups support SQLite and PostgreSQL, not {kind}.")
        members: list[tuple[str, Path]] = [(database_member, staging / database_member)]

        (staging / "settings.json").write_text(json.dumps(_settings(app.config), indent=2, sort_keys=True))
        members.append(("settings.json", staging / "settings.json"))
        if include_secret_key:
            (staging / "secret_key").write_text(app.config["SECRET_KEY"] + "\n")
            members.append(("secret_key", staging / "secret_key"))
        # Uploads after the database: a file a row refers to was written before that row was committed.
        uploads = Path(app.config["UPLOAD_DIR"])
        upload_count = 0
        if uploads.is_dir():
            for path in sorted(p for p in uploads.rglob("*") if p.is_file() and not p.is_symlink()):
                members.append((f"uploads/{path.relative_to(uploads).as_posix()}", path))
                upload_count += 1

        files: dict[str, dict[str, Any]] = {}
        for name, path in members:
            files[name] = {"sha256": _sha256(path), "size": path.stat().st_size}
        manifest = {"format": FORMAT, "gongdan_version": __version__, "alembic_revision": revision,
                    "created_at": now.isoformat(), "database": {"kind": kind, "file": database_member, **extra},
                    "counts": {"tables": counts, "uploads": upload_count},
                    "includes_secret_key": include_secret_key, "files": files}
        manifest_bytes = json.dumps(manifest, indent=2, sort_keys=True).encode()
        (staging / "manifest.json").write_bytes(manifest_bytes)
        (staging / "manifest.sha256").write_text(f"{hashlib.sha256(manifest_bytes).hexdigest()}  manifest.json\n")

        final = destination / archive_name(now)
        partial = staging / (final.name + ".partial")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # it holds every ticket: owner only
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as archive:
            archive.add(staging / "manifest.json", "manifest.json")
            archive.add(staging / "manifest.sha256", "manifest.sha256")
            for name, path in members:
                archive.add(path, name, recursive=False)
        os.replace(partial, final)
    return BackupResult(final, manifest)


# --------------------------------------------------------------------------- restore


def read_archive(archive: str | os.PathLike[str], into: Path) -> dict[str, Any]:
    """Extract ``archive`` into ``into`` and verify it: the manifest's checksum, then every member's size and
    SHA-256, and no member the manifest does not list. Its manifest; BackupError on any mismatch."""
    path = Path(archive)
    if not path.is_file():
        raise BackupError(f"{path} is not a file.")
    try:
        with tarfile.open(path, "r:gz") as tar:
            tar.extractall(into, filter="data")  # no absolute paths, no .., no links out, no devices
    except (tarfile.TarError, OSError, EOFError) as error:
        raise BackupError(f"{path} is not a readable Gongdan backup archive: {error}") from None
    manifest_path, sum_path = into / "manifest.json", into / "manifest.sha256"
    if not manifest_path.is_file() or not sum_path.is_file():
        raise BackupError(f"{path} has no manifest.json and manifest.sha256: it is not a Gongdan backup archive.")
    expected = sum_path.read_text().split()[0] if sum_path.read_text().split() else ""
    if _sha256(manifest_path) != expected:
        raise BackupError("The checksum of manifest.json does not match manifest.sha256: the archive was damaged or "
                          "altered. Nothing was restored.")
    manifest = json.loads(manifest_path.read_text())
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Archive format {manifest.get('format')!r} is not one this version reads ({FORMAT}).")
    problems = []
    present = {p.relative_to(into).as_posix() for p in into.rglob("*") if p.is_file()} - {"manifest.json",
                                                                                          "manifest.sha256"}
    for name, info in sorted(manifest["files"].items()):
        member = into / name
        if name not in present:
            problems.append(f"{name} is missing")
        elif member.stat().st_size != info["size"] or _sha256(member) != info["sha256"]:
            problems.append(f"{name} does not match its checksum")
    problems += [f"{name} is not in the manifest" for name in sorted(present - set(manifest["files"]))]
    if problems:
        raise BackupError("The archive failed verification, nothing was restored: " + "; ".join(problems[:10]))
    return manifest


def _known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    from platform_core.migrate import MIGRATIONS

    script = ScriptDirectory(str(MIGRATIONS))
    return {revision.revision for revision in script.walk_revisions()}


def _refuse_unless_empty(connection: Connection) -> None:
    counts = _row_counts(connection)
    if counts:
        filled = [f"{name} ({count} rows)" for name, count in counts.items() if count][:5]
        raise BackupError(
            f"The target database is not empty: it has {len(counts)} table(s)"
            + (f", with rows in {', '.join(filled)}" if filled else "")
            + ". A restore only goes into an empty database, so that nothing is overwritten or mixed: create a new "
              "database (PostgreSQL: createdb; SQLite: a new file in GONGDAN_DATABASE_URL) and point the settings at it.")


def restore_backup(app: Flask, archive: str | os.PathLike[str]) -> dict[str, Any]:
    """Restore ``archive`` into the app's database, which must be empty, and its upload folder, which must be
    empty or missing. Every checksum is checked first. The manifest; BackupError when anything is refused."""
    url = make_url(app.config["DATABASE_URL"])
    kind = url.get_backend_name()
    uploads = Path(app.config["UPLOAD_DIR"])
    with tempfile.TemporaryDirectory(prefix="gongdan-restore-") as staging_name:
        staging = Path(staging_name)
        manifest = read_archive(archive, staging)
        if manifest["database"]["kind"] != kind:
            raise BackupError(f"The archive holds a {manifest['database']['kind']} database; the settings point at "
                              f"{kind}. Restore into the same kind of database.")
        revision = manifest.get("alembic_revision")
        if revision and revision not in _known_revisions():
            raise BackupError(f"The archive's schema revision {revision} is unknown to this version of Gongdan "
                              f"({__version__}): it comes from a newer version. Install that version to restore it.")
        if uploads.is_dir() and any(uploads.iterdir()):
            raise BackupError(f"The upload folder {uploads} is not empty; a restore only fills an empty one.")
        database_file = staging / manifest["database"]["file"]
        if kind == "sqlite":
            target = _sqlite_path(url)
            if target.exists() and target.stat().st_size > 0:
                engine = create_engine(url)
                try:
                    with engine.connect() as connection:
                        _refuse_unless_empty(connection)
                finally:
                    engine.dispose()
            target.parent.mkdir(parents=True, exist_ok=True)
            source, copy = sqlite3.connect(database_file), sqlite3.connect(target)
            try:
                source.backup(copy)
            finally:
                source.close()
                copy.close()
        else:
            pg_restore = _tool("pg_restore")
            engine = create_engine(url)
            try:
                with engine.connect() as connection:
                    _refuse_unless_empty(connection)
            finally:
                engine.dispose()
            dsn, env = _libpq(url)
            done = subprocess.run([pg_restore, "--no-owner",  # noqa: S603  (no shell; the DSN is quoted) "--no-privileges", "--exit-on-error",
                                   "--single-transaction", f"--dbname={dsn}", str(database_file)],
                                  env=env, capture_output=True, text=True)
            if done.returncode != 0:
                raise BackupError(f"pg_restore failed (exit {done.returncode}); the single transaction was rolled "
                                  f"back: {done.stderr.strip()[:2000]}")
        for name in manifest["files"]:
            if name.startswith("uploads/"):
                target_file = uploads / name.removeprefix("uploads/")
                target_file.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(staging / name, target_file)
        instance = Path(app.instance_path)
        instance.mkdir(parents=True, exist_ok=True)
        shutil.copy2(staging / "settings.json", instance / "restored-settings.json")
        if (staging / "secret_key").is_file():
            key_file = instance / "secret_key"
            if not key_file.exists():
                fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(fd, "w") as handle:
                    handle.write((staging / "secret_key").read_text())
                manifest["restored_secret_key"] = str(key_file)
    # What was restored is what the archive said it held.
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            restored = _row_counts(connection)
    finally:
        engine.dispose()
    differing = {name: (count, restored.get(name)) for name, count in manifest["counts"]["tables"].items()
                 if restored.get(name) != count}
    if differing:
        raise BackupError(f"The restored row counts differ from the manifest: {differing}")
    return manifest


# --------------------------------------------------------------------------- retention


def _archives(directory: Path) -> Iterator[tuple[datetime, Path]]:
    for path in directory.iterdir() if directory.is_dir() else ():
        match = ARCHIVE_PATTERN.match(path.name)
        if match and path.is_file():
            stamp = match.group(1)
            fmt = "%Y%m%dT%H%M%S%fZ" if len(stamp) > 16 else "%Y%m%dT%H%M%SZ"
            yield datetime.strptime(stamp, fmt).replace(tzinfo=UTC), path


def prune_backups(directory: str | os.PathLike[str], *, keep_days: int, keep_count: int,
                  now: datetime | None = None) -> list[Path]:
    """Delete archives that no rule keeps; the deleted paths.

    Kept: the newest ``keep_count`` archives whatever their age, and the newest archive of each day of the last
    ``keep_days`` days (the dailies). Only files named like an archive this module writes are considered.
    """
    now = now or datetime.now(UTC)
    archives = sorted(_archives(Path(directory)), reverse=True)
    keep = {path for _stamp, path in archives[:keep_count]}
    days: set[Any] = set()
    for stamp, path in archives:
        if now - stamp <= timedelta(days=keep_days) and stamp.date() not in days:
            days.add(stamp.date())
            keep.add(path)
    removed = []
    for _stamp, path in archives:
        if path not in keep:
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def periodic_backup() -> None:
    """Periodic job (when GONGDAN_BACKUP_DIR is set): write an archive there, then prune by the retention."""
    from flask import current_app

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    directory = app.config["BACKUP_DIR"]
    create_backup(app, directory)
    prune_backups(directory, keep_days=app.config["BACKUP_KEEP_DAYS"], keep_count=app.config["BACKUP_KEEP_COUNT"])
