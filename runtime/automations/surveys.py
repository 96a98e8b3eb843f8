"""Satisfaction surveys: asked of the requester after closure (at once or after a delay, through a timer the
sweep fires), by the inbox, e-mail and chat with a signed link (runtime.automations.survey_links), answered
once — from the link without signing in, or in the portal. An answer fires the ``survey_answered``
automations with ``survey.*`` in the rule context; a bad score opens a follow-up task for the team's
supervisor (unless the definition says ``"follow_up": "none"``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from platform_core.auth.models import Team, User
from platform_core.db import utcnow
from platform_core.errors import Conflict, Forbidden, ValidationFailed
from runtime.automations import survey_links
from runtime.automations.models import SurveyFollowUp, TicketSurvey, TicketTimer
from runtime.automations.runner import fire
from runtime.notify.inbox import notify_users
from runtime.notify.outbox import queue_chat
from runtime.rules import texts
from runtime.rules.durations import parse_duration
from runtime.tickets.display import survey_message
from runtime.tickets.history import record_event
from runtime.tickets.models import Ticket

SCALES = {"csat": (1, 5), "nps": (0, 10)}
BAD_AT_MOST = {"csat": 2, "nps": 6}  # CSAT 1-2 are dissatisfied; NPS 0-6 are detractors
DEFAULT_EXPIRES = "P14D"
USER_CHANNELS = ("in_app", "email")


def bad_threshold(survey: TicketSurvey) -> int:
    return survey.bad_at_most if survey.bad_at_most is not None else BAD_AT_MOST.get(survey.kind, 2)


def is_bad(survey: TicketSurvey) -> bool:
    return survey.score is not None and survey.score <= bad_threshold(survey)


# --------------------------------------------------------------------------- asking


def request_survey(session: Session, ticket: Ticket, spec: dict[str, Any], now: datetime | None = None) -> None:
    """Ask the requester, once per ticket: a ticket closed again after reopening is not asked again."""
    now = now or utcnow()
    if session.scalar(select(TicketSurvey.id).where(TicketSurvey.ticket_id == ticket.id).limit(1)) is not None:
        return
    kind = spec.get("kind", "csat")
    lifetime = parse_duration(spec.get("expires") or DEFAULT_EXPIRES) or parse_duration(DEFAULT_EXPIRES)
    survey = TicketSurvey(ticket_id=ticket.id, kind=kind, requested_at=now, expires_at=now + lifetime,
                          ticket_type_id=ticket.ticket_type_id, team_id=ticket.team_id, agent_id=ticket.assignee_id,
                          bad_at_most=spec.get("bad_at_most"), follow_up=spec.get("follow_up", "supervisor"))
    session.add(survey)
    session.flush()  # its id goes into the link
    base = survey_message(ticket, kind)
    url = survey_links.url_for_link(survey.id, user_id=ticket.requester_id)
    channels = spec.get("channels")
    personal = [c for c in channels if c in USER_CHANNELS] if channels else None
    if ticket.requester.active and personal != []:
        notify_users(session, [ticket.requester_id], ticket, "survey",
                     lambda reader: texts.render(base, reader) + "\n" + texts.say("notify.survey_link", reader.locale, url=url),
                     channels=personal)
    chats = [c for c in channels or [] if c not in USER_CHANNELS]
    if chats:  # a chat message names nobody: its link asks whoever opens it to sign in as the requester
        chat_url = survey_links.url_for_link(survey.id, user_id=None)
        queue_chat(session, ticket, chats, "survey", lambda reader: texts.render(base, reader) + "\n"
                   + texts.say("notify.survey_link", reader.locale, url=chat_url))
    record_event(session, ticket, "survey_requested", actor_id=None, details={"kind": kind})


def schedule_survey(session: Session, ticket: Ticket, spec: dict[str, Any], now: datetime) -> None:
    after = spec.get("after")
    if not after or not parse_duration(after):
        request_survey(session, ticket, spec, now)
    else:
        session.add(TicketTimer(ticket_id=ticket.id, kind="survey", due_at=now + parse_duration(after),
                                ref={k: v for k, v in spec.items() if k != "do"}))


def survey_action(session: Session, user: Any, ticket: Ticket, action: dict[str, Any], origin: str,
                  now: datetime) -> list[str]:
    """The ``survey`` action of transitions and automations (registered in runtime.tickets.hooks.ACTIONS)."""
    schedule_survey(session, ticket, action, now)
    return []


# --------------------------------------------------------------------------- answering


def answer(session: Session, survey: TicketSurvey, ticket: Ticket, user: User, body: dict[str, Any], *,
           via: str, locale: str | None) -> TicketSurvey:
    """Record the requester's answer, once; then the ``survey_answered`` automations and the follow-up.

    A survey answered already keeps its first answer (409); an expired one takes none (410 from a link, 409 in
    the portal). Nothing is written when the answer is refused.
    """
    if ticket.requester_id != user.id:
        raise Forbidden(texts.say("survey.not_requester", locale))
    if survey.answered_at is not None:
        raise Conflict(texts.say("survey.answered_already", locale))
    now = utcnow()
    if survey.expires_at is not None and now >= survey.expires_at:
        if via == "link":
            raise survey_links.SurveyLinkInvalid(texts.say("survey.link_expired", locale))
        raise Conflict(texts.say("survey.expired", locale))
    low, high = SCALES.get(survey.kind, (1, 5))
    score = body["score"]
    if not low <= score <= high:
        raise ValidationFailed.field("/score", texts.say("survey.score_range", locale, low=low, high=high))
    comment = (body.get("comment") or "").strip() or None
    # one answer, even when two arrive at once: only the update that finds it unanswered writes
    claimed = session.execute(update(TicketSurvey).where(TicketSurvey.id == survey.id, TicketSurvey.answered_at.is_(None))
                              .values(score=score, comment=comment, answered_at=now, answered_via=via)
                              .execution_options(synchronize_session=False)).rowcount
    if claimed != 1:
        session.rollback()
        raise Conflict(texts.say("survey.answered_already", locale))
    session.refresh(survey)
    bad = is_bad(survey)
    record_event(session, ticket, "survey_answered", actor_id=user.id,
                 details={"kind": survey.kind, "score": score, "bad": bad, "via": via})
    fire(session, ticket, "survey_answered", now=now, extra={"survey": survey_facts(survey)})
    if bad and survey.follow_up != "none":
        open_follow_up(session, survey, ticket, now)
    session.commit()
    return survey


def survey_facts(survey: TicketSurvey) -> dict[str, Any]:
    """What ``survey_answered`` rules read as ``survey.*``."""
    return {"kind": survey.kind, "score": survey.score, "comment": survey.comment or "", "bad": is_bad(survey),
            "bad_at_most": bad_threshold(survey), "via": survey.answered_via}


def supervisor_of(session: Session, team_id: int | None) -> User | None:
    """Who follows up a team's bad answers: its supervisor, else its manager (None: the team's members see it)."""
    team = session.get(Team, team_id) if team_id else None
    if team is None:
        return None
    for person in (team.supervisor, team.manager):
        if person is not None and person.active:
            return person
    return None


def open_follow_up(session: Session, survey: TicketSurvey, ticket: Ticket, now: datetime) -> SurveyFollowUp:
    team_id = survey.team_id if survey.team_id is not None else ticket.team_id
    who = supervisor_of(session, team_id)
    task = SurveyFollowUp(survey_id=survey.id, ticket_id=ticket.id, team_id=team_id,
                          assignee_id=who.id if who else None, created_at=now)
    session.add(task)
    session.flush()
    number, title, score = ticket.number, ticket.title, survey.score
    high = SCALES.get(survey.kind, (1, 5))[1]
    if who is not None:
        notify_users(session, [who.id], ticket, "survey_follow_up", lambda reader: texts.say(
            "notify.survey_follow_up", reader.locale, number=number, title=title, score=score, high=high))
    record_event(session, ticket, "survey_follow_up", actor_id=None, internal=True,
                 details={"follow_up": task.id, "assignee": who.name if who else None, "score": score})
    return task


# --------------------------------------------------------------------------- the link


def by_link(session: Session, token: str, locale: str | None) -> tuple[TicketSurvey, Ticket, dict[str, Any]]:
    """The survey a link is for, with its ticket; 410 (nothing changes) when the link is not valid."""
    claims = survey_links.read(token)
    if isinstance(claims, str):
        raise survey_links.SurveyLinkInvalid(texts.say(f"survey.link_{claims}", locale))
    survey = session.get(TicketSurvey, claims["s"])
    ticket = session.get(Ticket, survey.ticket_id) if survey is not None else None
    if survey is None or ticket is None or (claims["u"] is not None and claims["u"] != ticket.requester_id):
        raise survey_links.SurveyLinkInvalid(texts.say("survey.link_invalid", locale))
    return survey, ticket, claims


def expired(survey: TicketSurvey, now: datetime | None = None) -> bool:
    return survey.expires_at is not None and (now or utcnow()) >= survey.expires_at


def scale(survey: TicketSurvey) -> tuple[int, int]:
    return SCALES.get(survey.kind, (1, 5))


def follow_up_done(session: Session, task: SurveyFollowUp, user: User, note: str | None,
                   locale: str | None) -> SurveyFollowUp:
    if task.status == "done":
        raise Conflict(texts.say("survey.follow_up_done", locale))
    task.status, task.done_at, task.done_by_id, task.note = "done", utcnow(), user.id, (note or "").strip() or None
    ticket = session.get(Ticket, task.ticket_id)
    if ticket is not None:
        record_event(session, ticket, "survey_follow_up_done", actor_id=user.id, internal=True,
                     details={"follow_up": task.id})
    session.commit()
    return task

