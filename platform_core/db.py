"""Database engine, declarative base and the per-app-context session.

One engine per application; one session per application context (a request, a CLI
command, a job), closed when the context ends. Services own the unit of work: they
commit; views and helpers never do.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time
from decimal import Decimal
from functools import lru_cache
from typing import Any, TypeVar

from flask import current_app, g
from sqlalchemy import (
    JSON,
    Column,
    Connection,
    DateTime,
    Insert,
    Integer,
    MetaData,
    Table,
    create_engine,
    event,
    insert,
    inspect,
    text,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import DeclarativeBase, Session, SessionTransaction, make_transient_to_detached, sessionmaker
from sqlalchemy.types import TypeDecorator
from werkzeug.local import LocalProxy

log = logging.getLogger(__name__)
_T = TypeVar("_T")

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


def insert_rows(connection: Connection, table: Table, rows: list[dict[str, Any]],
                returned: tuple[str, ...] = ()) -> Sequence[Any]:
    """Insert these rows (dicts with the same keys) in one statement; the ``returned`` columns of each row, in
    the order of the rows (an empty tuple each when none are asked for).

    On PostgreSQL, many rows go as one JSON document that the server turns into rows
    (``INSERT … SELECT … FROM jsonb_populate_recordset(…) WITH ORDINALITY``): a statement of a short, fixed
    text with one parameter, whatever the number of rows. A multi-row ``VALUES`` list (SQLAlchemy's
    "insertmanyvalues") has a placeholder per row and column, which psycopg parses in Python on every
    execution, and arrays (``unnest``) are escaped element by element in Python: with a batch of a few hundred
    rows, either costs more than PostgreSQL takes to write them. ``json.dumps`` of the whole batch is one C call.
    """
    if not rows:
        return []
    if len(rows) > 1 and connection.dialect.name == "postgresql":
        plan = _json_insert(table, tuple(rows[0]), returned)
        document = plan and plan.document(connection.dialect, rows)
        if plan is not None and document is not None:
            result = connection.execute(plan.statement, {"gongdan_rows": document})
            if not returned:
                return [()] * len(rows)
            # ids are drawn in the order of the rows (ORDER BY ordinality): sorted by id, they come in that order
            found = sorted(result.all(), key=lambda row: row[-1])
            if len(found) != len(rows):
                raise RuntimeError(f"{table.name}: {len(rows)} rows inserted, {len(found)} came back")
            return [tuple(row[:-1]) for row in found]
    if len(rows) > 1:
        result = connection.execute(_insert(table, returned, True), rows)
    else:
        result = connection.execute(_insert(table, returned), rows[0])
    return result.all() if returned else [()] * len(rows)


def _json_value(value: Any, written: dict[int, str]) -> Any:
    """A value ``json.dumps`` does not know, as PostgreSQL reads it; ``written``: those done, by object (a batch's
    rows mostly share one instant; the rows hold them all while they are written, so no id is reused)."""
    if isinstance(value, datetime | date | time):
        text = written.get(id(value))
        if text is None:
            text = written[id(value)] = value.isoformat()
        return text
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not written as JSON")


class _JsonInsert:
    """The PostgreSQL JSON INSERT of ``insert_rows`` for one table, columns given and returned."""

    def __init__(self, table: Table, keys: tuple[str, ...], defaults: list[Column[Any]], statement: Any) -> None:
        self.table, self.keys, self.defaults, self.statement = table, keys, defaults, statement
        self.json_columns = [key for key in keys if isinstance(table.c[key].type.dialect_impl(_PG), JSON)]

    def document(self, dialect: Any, rows: list[dict[str, Any]]) -> str | None:
        """The rows as one JSON array, each value as its column's bind processing gives it; None when one cannot
        be (a None in a JSON column, which SQLAlchemy writes as JSON null and the document would make NULL)."""
        for key in self.json_columns:
            if any(row[key] is None for row in rows):
                return None
        processors = [(key, self.table.c[key].type._cached_bind_processor(dialect))
                      for key in self.keys if key not in self.json_columns]
        processors = [(key, process) for key, process in processors if process is not None]
        makers = [(column.key, column.default.arg) for column in self.defaults]  # type: ignore[union-attr]
        written: dict[int, str] = {}
        out = rows
        if processors or makers:
            out = []
            done: dict[tuple[str, int], Any] = {}  # a value shared by many rows (an instant) is processed once
            for given in rows:
                row = dict(given)
                for key, process in processors:
                    value = row[key]
                    found = done.get((key, id(value)), done)
                    if found is done:
                        found = done[key, id(value)] = process(value)
                    row[key] = found
                for key, make in makers:
                    row[key] = make(None) if callable(make) else make  # SQLAlchemy's wrapper takes the context
                out.append(row)
        try:
            return json.dumps(out, default=lambda value: _json_value(value, written), allow_nan=False)
        except (TypeError, ValueError):  # bytes, NaN …: the VALUES list takes them
            return None


_PG = postgresql.dialect()


@lru_cache(maxsize=256)
def _json_insert(table: Table, keys: tuple[str, ...], returned: tuple[str, ...]) -> _JsonInsert | None:
    """None when the JSON INSERT cannot serve: a SQL-expression default, a RETURNING without one integer key
    the database draws."""
    defaults = []
    for column in table.c:
        if column.key in keys or column.default is None:
            continue
        if not (column.default.is_scalar or column.default.is_callable):
            return None
        defaults.append(column)
    key_columns = list(table.primary_key.columns)
    names = [*keys, *(column.key for column in defaults)]
    if returned and not (len(key_columns) == 1 and key_columns[0].key not in names
                         and isinstance(key_columns[0].type, Integer)):
        return None
    quote = _PG.identifier_preparer
    name = quote.format_table(table)
    columns = ", ".join(quote.quote(table.c[key].name) for key in names)
    selected = ", ".join(f"gongdan_row.{quote.quote(table.c[key].name)}" for key in names)
    # only the table's own, quoted names go into the text; the rows are the one parameter
    sql = (f"INSERT INTO {name} ({columns}) SELECT {selected} FROM jsonb_populate_recordset(NULL::{name}, "  # noqa: S608
           f"CAST(:gongdan_rows AS jsonb)) WITH ORDINALITY AS gongdan_row ORDER BY gongdan_row.ordinality")
    if returned:
        sql += " RETURNING " + ", ".join(quote.quote(table.c[key].name) for key in (*returned, key_columns[0].key))
    return _JsonInsert(table, keys, defaults, text(sql))


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
    returned = insert_rows(session.connection(), table, rows, tuple(column.key for column in missing))
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


def deferred_rows(session: Session, table: Table) -> list[dict[str, Any]]:
    """The rows ``defer_insert`` holds for ``table`` in this session's transaction, not yet written."""
    return [row for held, row in session.info.get(_DEFERRED, ()) if held is table]


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
        insert_rows(connection, table, rows)


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


def insert_if_missing_on(connection: Connection, model: type, row: dict[str, Any]) -> None:
    """``insert_if_missing`` on a connection of its own (inside ``write_apart``)."""
    try:
        with connection.begin_nested():
            connection.execute(insert(model), row)
    except IntegrityError:
        pass  # made concurrently


# A safety net: how long a write apart waits for a row lock before it is done in the session's transaction.
APART_LOCK_TIMEOUT_MS = 5000


def write_apart(session: Session, work: Callable[[Connection], _T]) -> _T:
    """``work(connection)``: a short write of a hot row that many transactions update — a ticket type's number
    counter, a team's round-robin cursor — done so that the row's lock is held for that write only, not until
    ``session`` commits.

    Taken inside the session's transaction, such a lock queues every other create behind the whole of this one
    (its SLA clocks, automations, notifications and commit): under load a create waited up to a second for
    others that were themselves only slow (a garbage collection, a busy core). On PostgreSQL the write runs in a
    transaction of its own, on a connection of its own, committed at once; so it stays even if the session's
    transaction is rolled back later (a ticket number or a round-robin turn is skipped, as a sequence skips
    values). That is done only while the session's transaction has written nothing (it has no transaction id
    yet): then it holds no row lock the write could wait for, and ``work`` cannot need a row only it can see.
    Otherwise — and when ``work`` finds nothing, or waits longer than ``APART_LOCK_TIMEOUT_MS`` — the write is
    done in the session's transaction, as everything is on SQLite (one writer at a time: the session's
    transaction is the only one that can write)."""
    bind = session.get_bind()
    if bind.dialect.name != "postgresql" or session.connection().exec_driver_sql(
            "SELECT txid_current_if_assigned() IS NOT NULL").scalar():
        return work(session.connection())
    try:
        with bind.engine.connect() as connection, connection.begin():
            # Its commit need not wait for the disk: a number or turn is only ever kept by a later commit of the
            # session (synchronous, so it flushes the log up to there, this commit included); lost in a crash
            # with nothing after it, it was used by nobody.
            connection.exec_driver_sql("SELECT set_config('lock_timeout', %(timeout)s, true), "
                                       "set_config('synchronous_commit', 'off', true)",
                                       {"timeout": f"{APART_LOCK_TIMEOUT_MS}ms"})
            result = work(connection)
    except DBAPIError as error:
        if getattr(error.orig, "sqlstate", None) != "55P03":  # lock_not_available
            raise
        log.warning("a write apart waited over %d ms for a lock: done in the session's transaction",
                    APART_LOCK_TIMEOUT_MS)
        result = None
    return result if result is not None else work(session.connection())


def sqlite_write_lock(session: Session) -> None:
    """On SQLite, take the database's one write lock now (``BEGIN IMMEDIATE``), for a transaction that reads
    what it is about to claim: a second claimant waits (up to the busy timeout) until the first commits and then
    reads what is left, where row locks (``FOR UPDATE``) are not to be had. Elsewhere, nothing.

    The driver opens a transaction only at the first write, so reads before it see each commit; this makes the
    reads part of the writing transaction. Ends with the session's transaction (commit or rollback)."""
    connection = session.connection()
    if connection.dialect.name == "sqlite" and not connection.connection.dbapi_connection.in_transaction:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
