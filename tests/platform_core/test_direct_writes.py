"""Writes past the unit of work (platform_core.db): rows deferred to commit, objects inserted directly."""

from __future__ import annotations

import pytest
from sqlalchemy import func, inspect, select

from platform_core.auth.models import ApiToken, Team, User
from platform_core.db import defer_insert, get_session, insert_persistent, utcnow
from runtime.notify.models import Notification


def _note(session, user_id: int, message: str) -> None:
    defer_insert(session, Notification.__table__, {"user_id": user_id, "ticket_id": None, "kind": "test",
                                                   "message": message, "created_at": utcnow()})


def _messages(session) -> list[str]:
    return list(session.scalars(select(Notification.message).order_by(Notification.id)))


def test_deferred_rows_are_written_at_commit_and_follow_savepoints(app, make_user):
    uid = make_user("ann@example.com")
    with app.app_context():
        session = get_session()
        _note(session, uid, "A")
        assert session.scalar(select(func.count()).select_from(Notification)) == 0  # not before the commit
        with session.begin_nested():
            _note(session, uid, "B")
            with session.begin_nested():
                _note(session, uid, "C")  # released with its savepoint: waits for the real commit
        with pytest.raises(RuntimeError), session.begin_nested():
            _note(session, uid, "D")
            raise RuntimeError  # rolled back: D goes
        with pytest.raises(RuntimeError), session.begin_nested():
            _note(session, uid, "E")
            with session.begin_nested():
                _note(session, uid, "F")  # released into E's savepoint, which then rolls back
            raise RuntimeError
        _note(session, uid, "G")
        session.commit()
        assert _messages(session) == ["A", "B", "C", "G"]

        _note(session, uid, "H")
        session.rollback()
        _note(session, uid, "I")  # before any statement of the next transaction
        session.close()
        session.commit()
        assert _messages(session) == ["A", "B", "C", "G"]


def test_inserted_objects_are_persistent_clean_and_complete(app, make_user):
    uid = make_user("bob@example.com")
    with app.app_context():
        session = get_session()
        notes = [Notification(user_id=uid, ticket_id=None, kind="test", message=m) for m in ("one", "two")]
        insert_persistent(session, notes)
        for note in notes:
            state = inspect(note)
            assert state.persistent and not state.expired_attributes and not state.modified
            assert note.id is not None and note.created_at is not None and note.read_at is None  # defaults came back
        assert notes[0].id < notes[1].id and not session.new and not session.dirty
        session.commit()
        assert _messages(session) == ["one", "two"]  # written once: the flush at commit had nothing to do

        user = session.get(User, uid)
        token = ApiToken(user=user, name="ci", prefix="gd_x", token_hash="0" * 64)
        insert_persistent(session, [token])
        assert not {"id", "user_id", "created_at"} & inspect(token).unloaded  # reading them costs no query
        assert token.user_id == uid and token.user is user
        session.commit()
        assert session.scalar(select(ApiToken.user_id).where(ApiToken.id == token.id)) == uid


def test_direct_inserts_refuse_what_they_cannot_do(app, make_user):
    uid = make_user("cy@example.com")
    with app.app_context():
        session = get_session()
        with pytest.raises(ValueError, match="no id yet"):
            insert_persistent(session, [ApiToken(user=User(email="new@example.com", name="New"), name="x",
                                                 prefix="gd_y", token_hash="1" * 64)])
        with pytest.raises(ValueError, match="same attributes"):
            insert_persistent(session, [Notification(user_id=uid, kind="a", message="a"),
                                        Notification(user_id=uid, kind="b", message="b", ticket_id=None)])
        with pytest.raises(ValueError, match="collections"):
            insert_persistent(session, [Team(key="t", name="T", members=[])])
        session.rollback()
        assert session.scalar(select(func.count()).select_from(Notification)) == 0


def test_many_rows_come_back_in_order_with_their_defaults(app, make_user):
    """insert_rows: on PostgreSQL many rows go as one JSON document; what comes back, and what is written, is what
    a VALUES list would give — ids in the rows' order, Python defaults filled, JSON columns kept as given (a list
    stays one value), instants exact, NULLs NULL."""
    from datetime import UTC, datetime

    from platform_core.db import insert_rows
    from runtime.notify.models import OutboxMessage
    from runtime.tickets.models import TicketEvent

    uid = make_user("cy@example.com")
    at = datetime(2026, 3, 4, 5, 6, 7, 890123, tzinfo=UTC)
    with app.app_context():
        session = get_session()
        texts = [f"note {n} \"quoted\" \\ 中文" for n in range(250)]
        ids = insert_rows(session.connection(), Notification.__table__,
                          [{"user_id": uid, "ticket_id": None, "kind": "test", "message": text, "created_at": at,
                            "read_at": None} for text in texts], ("id", "created_at"))
        assert [row[1] for row in ids] == [at] * 250
        assert [row[0] for row in ids] == sorted(row[0] for row in ids)
        stored = dict(session.execute(select(Notification.id, Notification.message)).all())
        assert [stored[row[0]] for row in ids] == texts
        assert session.scalar(select(func.count()).where(Notification.read_at.is_(None))) == 250

        payloads = [{"to": ["a", "b"], "n": n, "nested": {"x": [1, 2.5, None, True]}} for n in range(3)]
        outbox = insert_rows(session.connection(), OutboxMessage.__table__,
                             [{"channel": "email", "event": "test", "target": "x@example.com", "payload": payload,
                               "max_attempts": 3} for payload in payloads], ("id",))
        rows = session.execute(select(OutboxMessage.payload, OutboxMessage.status, OutboxMessage.delivery_id,
                                      OutboxMessage.created_at).where(OutboxMessage.id.in_([r[0] for r in outbox]))
                               .order_by(OutboxMessage.id)).all()
        assert [row.payload for row in rows] == payloads
        assert {row.status for row in rows} == {"pending"} and len({row.delivery_id for row in rows}) == 3
        assert all(row.created_at.tzinfo is not None for row in rows)

        assert insert_rows(session.connection(), TicketEvent.__table__, []) == []
        session.rollback()
