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
