"""Database engine, declarative base and the per-app-context session.

One engine per application; one session per application context (a request, a CLI
command, a job), closed when the context ends. Services own the unit of work: they
commit; views and helpers never do.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from flask import current_app, g
from sqlalchemy import JSON, DateTime, Insert, MetaData, Table, create_engine, event, insert, inspect
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import DeclarativeBase, Session, SessionTransaction, make_transient_to_detached, sessionmaker
from sqlalchemy.types import TypeDecorator
from werkzeug.local import LocalProxy

log = logging.getLogger(__name__)

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp that is always timezone-aware UTC in Python, whatever the database keeps.

    SQLite has no time zones; PostgreSQL gets ``timestamptz``. Naive values are refused
    rather than guessed.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


JSONDocument = JSON().with_variant(JSONB(), "postgresql")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSONDocument}


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str) -> Engine:
    """Create the engine for ``url`` with the settings each backend needs."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 10})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)


class Database:
    """The engine and session factory of one application."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self.sessionmaker = sessionmaker(bind=self.engine, expire_on_commit=False)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"


def get_database() -> Database:
    return current_app.extensions["gongdan_db"]


def get_session() -> Session:
    """The session of the current application context, created on first use."""
    session = g.get("_db_session")
    if session is None:
        session = get_database().sessionmaker()
        g._db_session = session
    return session


def close_session(_exc: BaseException | None = None) -> None:
    session = g.pop("_db_session", None)
    if session is not None:
        try:
            session.close()
        except DBAPIError as error:
            if not error.connection_invalidated:
                raise
            # The server went away after the answer was made (a restart): closing rolls back a transaction the
            # server has already dropped, and the pool has discarded the connection. The answer stands.
            log.warning("the database connection was lost while closing the session: %s", error.orig)


db_session: Session = LocalProxy(get_session)  # type: ignore[assignment]


# --------------------------------------------------------------------------- writes past the unit of work
#
# The ORM's unit of work costs about twice a Core statement per row written (dependency sorting,
# history, primary keys fetched back one batch per class and flush). The hottest writes take the
# two helpers below: new objects written as they are (a new ticket and its SLA clocks), and rows
# only ever appended and not read back in the same transaction (history events, inbox rows).


# Hot statements. SQLAlchemy memoizes a statement object's cache key, so a statement built once
# with bind parameters and kept (functools.cache) skips both building and keying on every
# execution: about 0.2 ms of CPU per statement, a fifth of the cost of a simple query. The
# statements every ticket create or request runs are kept this way; the rest are built inline.
# Core execution (``session.connection().execute``) of an UPDATE skips the ORM's bulk-update
# machinery too, where nothing in the session needs to see the change.


@lru_cache(maxsize=256)
def _insert(table: Table, returned: tuple[str, ...] = (), many: bool = False) -> Insert:
    """INSERT INTO table [RETURNING the named columns, in the order of the rows given], built once."""
    statement = insert(table)
    if returned:
        statement = statement.returning(*(table.c[key] for key in returned), sort_by_parameter_order=many)
    return statement


def insert_persistent(session: Session, objects: Sequence[Any]) -> None:
    """Insert new objects of one mapped class in one Core INSERT … RETURNING and make them
    persistent and clean in ``session``, as if just loaded: no flush writes them again.

    Many-to-one relationships set on the objects give their foreign keys (the related objects
    must have ids) and stay loaded; the columns not given come back from RETURNING, so ids and
    defaults are on the objects afterwards too. Collections are left unloaded: set them with
    ``set_committed_value`` or let them load.
    """
    if not objects:
        return
    mapper = inspect(type(objects[0]))
    table = mapper.local_table
    attrs = {prop.columns[0].key: prop.key for prop in mapper.column_attrs}
    many_to_one = [rel for rel in mapper.relationships if rel.direction.name == "MANYTOONE"]
    version = mapper.version_id_col
    rows = []
    for obj in objects:
        if any(rel.key in obj.__dict__ for rel in mapper.relationships if rel.direction.name != "MANYTOONE"):
            raise ValueError(f"{mapper.class_.__name__}: set collections after inserting directly")
        values = obj.__dict__
        row = {column: values[attr] for column, attr in attrs.items() if attr in values}
        for rel in many_to_one:
            if rel.key not in values:
                continue
            related = values[rel.key]
            for local, remote in rel.local_remote_pairs:
                key = rel.mapper.get_property_by_column(remote).key
                row[local.key] = None if related is None else getattr(related, key)
                if related is not None and row[local.key] is None:
                    raise ValueError(f"{mapper.class_.__name__}.{rel.key}: the related object has no id yet")
        if version is not None and version.key not in row:
            row[version.key] = mapper.version_id_generator(None)
        rows.append(row)
    given = set(rows[0])
    if any(set(row) != given for row in rows):
        raise ValueError(f"{mapper.class_.__name__}: objects inserted together must set the same attributes")
    missing = [column for column in table.c if column.key not in given]  # the id, and defaults
    statement = _insert(table, tuple(column.key for column in missing), len(rows) > 1)
    result = session.connection().execute(statement, rows if len(rows) > 1 else rows[0])
    returned = result.all() if missing else [()] * len(rows)
    for obj, given_row, row in zip(objects, rows, returned, strict=True):
        for column, value in [*given_row.items(), *zip((c.key for c in missing), row, strict=True)]:
            if attrs[column] not in obj.__dict__:  # ids, defaults, foreign keys, the version: loaded, not expired
                setattr(obj, attrs[column], value)
        make_transient_to_detached(obj)
        session.add(obj)


_DEFERRED = "gongdan_deferred_rows"


def defer_insert(session: Session, table: Table, row: dict[str, Any]) -> None:
    """Append a row to write just before this session commits, with the others for its table in
    one executemany. For write-only rows nobody reads back in the same transaction (history).

    The rows follow the transaction: a savepoint rolled back drops those added inside it, a
    rollback drops them all.
    """
    if not session.in_transaction():
        session.begin()  # so that a rollback or close before any statement still drops the row
    session.info.setdefault(_DEFERRED, []).append((table, row))


@event.listens_for(Session, "after_transaction_create")
def _mark_savepoint(session: Session, transaction: SessionTransaction) -> None:
    if transaction.nested:
        transaction._gongdan_mark = len(session.info.get(_DEFERRED, ()))  # type: ignore[attr-defined]


@event.listens_for(Session, "after_soft_rollback")
def _drop_rolled_back(session: Session, previous: SessionTransaction) -> None:
    pending = session.info.get(_DEFERRED)
    if pending and previous.nested:
        del pending[getattr(previous, "_gongdan_mark", 0):]


@event.listens_for(Session, "after_transaction_end")
def _drop_unwritten(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # the outermost ended: committed (written) or rolled back or closed
        session.info.pop(_DEFERRED, None)


@event.listens_for(Session, "before_commit")
def _write_deferred(session: Session) -> None:
    if session.in_nested_transaction():  # a savepoint released: its rows wait for the real commit
        return
    pending = session.info.pop(_DEFERRED, None)
    if not pending:
        return
    session.flush()  # the rows they refer to
    by_table: dict[Table, list[dict[str, Any]]] = {}
    for table, row in pending:
        by_table.setdefault(table, []).append(row)
    connection = session.connection()
    for table, rows in by_table.items():
        connection.execute(_insert(table), rows)


# Tables a migration makes with DDL the models cannot describe (SQLite FTS5 virtual tables), by name prefix: the
# table and its shadow tables (``<name>_data``, ``<name>_idx``...). Capabilities add to it when their models load.
unmanaged_tables: set[str] = set()


def include_object_for(dialect_name: str) -> Any:
    """Alembic's ``include_object`` hook: leave out schema objects declared for another database
    (``Index(...).ddl_if(dialect="postgresql")``), which Alembic itself does not know about, and the
    ``unmanaged_tables``."""

    def include_object(obj: Any, name: str | None, type_: str, reflected: bool, _compare_to: Any) -> bool:
        if type_ == "table" and reflected and name and any(
                name == prefix or name.startswith(f"{prefix}_") for prefix in unmanaged_tables):
            return False
        ddl_if = getattr(obj, "_ddl_if", None)
        return reflected or ddl_if is None or ddl_if.dialect in (None, dialect_name)

    return include_object


def insert_if_missing(session: Session, model: type, row: dict[str, Any]) -> None:
    """Insert a row unless one with its key exists (or another transaction inserts it meanwhile)."""
    try:
        with session.begin_nested():
            session.connection().execute(insert(model), row)
    except IntegrityError:
        pass  # made concurrently


def sqlite_write_lock(session: Session) -> None:
    """On SQLite, take the database's one write lock now (``BEGIN IMMEDIATE``), for a transaction that reads
    what it is about to claim: a second claimant waits (up to the busy timeout) until the first commits and then
    reads what is left, where row locks (``FOR UPDATE``) are not to be had. Elsewhere, nothing.

    The driver opens a transaction only at the first write, so reads before it see each commit; this makes the
    reads part of the writing transaction. Ends with the session's transaction (commit or rollback)."""
    connection = session.connection()
    if connection.dialect.name == "sqlite" and not connection.connection.dbapi_connection.in_transaction:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
