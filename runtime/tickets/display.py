"""What people read about a ticket, in their language: the one formatting layer of the ticket pages (Details,
History), the transition explainer, notifications and emails.

Stored values are keys: enum values, state and transition keys, team keys, users' emails, attachment ids.
``TicketDisplay`` turns them into what a reader reads — option labels and names from the ticket's own version
of its definition, localized (runtime.rules.labels), and team names, people's names and file names from the
database, each looked up once per page in one query.

The API renders labels, not sentences: an event keeps its machine-readable ``details`` and gains ``display``
(the same keys, as labels), and the web client keeps the sentences in its own two catalogs. That way a
sentence's layout stays the client's, the API stays stable for programs, and nothing on the client needs the
definition, the teams, the users or the attachments to read a ticket's history.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import quote

from flask import g, has_request_context, request
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from platform_core.auth.models import Team, User
from runtime.rules import texts
from runtime.rules.cache import labels_for
from runtime.rules.i18n import reader_locale
from runtime.rules.labels import Labels
from runtime.rules.texts import Reader
from runtime.tickets.models import Attachment, Ticket, TicketEvent


def reader_of(user: Any) -> Reader:
    """A user as a reader: their profile's language and time zone."""
    return Reader(reader_locale(getattr(user, "locale", None)), getattr(user, "time_zone", None) or "UTC")


def request_reader() -> Reader:
    """Who reads this response: the signed-in user by their profile, else (pages anyone may open) the
    request's Accept-Language."""
    user = g.get("user") if has_request_context() else None
    if user is not None:
        return reader_of(user)
    header = request.headers.get("Accept-Language") if has_request_context() else None
    return Reader(reader_locale(None, header))


def labels(ticket: Ticket, reader: Reader) -> Labels:
    """The ticket's definition (its own version) as the reader reads it."""
    return labels_for(ticket.type_version, reader.locale)


def _download_url(public_id: str) -> str:
    return f"/api/v1/attachments/{quote(public_id)}/download"


class TicketDisplay:
    """Display texts of one ticket for one reader. ``staff``: whether the reader may see internal attachments."""

    def __init__(self, session: Session, ticket: Ticket, reader: Reader, *, staff: bool = False) -> None:
        self.session = session
        self.ticket = ticket
        self.reader = reader
        self.staff = staff
        self.labels = labels(ticket, reader)
        self._teams: dict[str, str] = {}
        self._users: dict[str, str] = {}
        self._files: dict[str, dict[str, Any]] = {}
        if ticket.team is not None:
            self._teams[ticket.team.key] = ticket.team.name
        for user in (ticket.assignee, ticket.requester):
            if user is not None:
                self._users[user.email] = user.name

    # ---------------------------------------------------------------- look-ups, in bulk

    def load(self, *, teams: Iterable[Any] = (), emails: Iterable[Any] = (), files: Iterable[Any] = ()) -> None:
        """Fetch the names of the teams, people and files not known yet: one query for each kind."""
        wanted_teams = {k for k in teams if isinstance(k, str) and k and k not in self._teams}
        if wanted_teams:
            self._teams.update(self.session.execute(select(Team.key, Team.name).where(Team.key.in_(wanted_teams))).all())
        wanted_users = {e.lower() for e in emails if isinstance(e, str) and e and e not in self._users}
        if wanted_users:
            self._users.update(self.session.execute(select(User.email, User.name)
                                                    .where(User.email.in_(wanted_users))).all())
        wanted_files = {f for f in files if isinstance(f, str) and f and f not in self._files}
        if wanted_files:
            stmt = select(Attachment).where(Attachment.public_id.in_(wanted_files),
                                            or_(Attachment.ticket_id == self.ticket.id, Attachment.ticket_id.is_(None)))
            for attachment in self.session.scalars(stmt):
                if attachment.internal and not self.staff:
                    continue
                self._files[attachment.public_id] = {
                    "id": attachment.public_id, "filename": attachment.filename, "content_type": attachment.content_type,
                    "size": attachment.size, "download_url": _download_url(attachment.public_id)}

    def team(self, key: Any) -> str | None:
        if not isinstance(key, str) or not key:
            return None
        self.load(teams=[key])
        return self._teams.get(key, key)

    def user(self, email: Any) -> str | None:
        if not isinstance(email, str) or not email:
            return None
        self.load(emails=[email])
        return self._users.get(email.lower(), self._users.get(email, email))

    def files(self, ids: Iterable[str]) -> list[dict[str, Any]]:
        ids = list(ids)
        self.load(files=ids)
        return [self._files[i] for i in ids if i in self._files]

    # ---------------------------------------------------------------- values

    def value(self, field: str, value: Any) -> str:
        """A stored value of a field, as the reader reads it."""
        ids = self.labels.attachment_ids(field, value)
        if ids:
            self.load(files=ids)
        names = {i: f["filename"] for i, f in self._files.items()}
        return self.labels.value(field, value, attachments=names, time_zone=self.reader.time_zone)

    def fields(self, data: dict[str, Any]) -> list[dict[str, Any]]:
        """The ticket's filled fields in the form's order (then the fields transitions added): title, text and,
        for attachment fields, the files (for thumbnails and downloads)."""
        order = [n for n in self.labels.order if n in self.labels.form_fields]
        names = [*order, *(n for n in self.labels.form_fields if n not in order), *(n for n in data if n not in
                                                                                   self.labels.form_fields)]
        filled = [n for n in dict.fromkeys(names) if data.get(n) not in (None, "", [], {})]
        self.load(files=[i for n in filled for i in self.labels.attachment_ids(n, data[n])])
        shown = []
        for name in filled:
            entry: dict[str, Any] = {"field": name, "title": self.labels.field_title(name),
                                     "text": self.value(name, data[name])}
            ids = self.labels.attachment_ids(name, data[name])
            if ids:
                entry["files"] = self.files(ids)
            shown.append(entry)
        return shown

    def ticket_view(self) -> dict[str, Any]:
        """What the ticket page shows beyond the stored ticket: its state's name and its data as labels."""
        return {"status": self.labels.state(self.ticket.status), "fields": self.fields(self.ticket.data or {})}

    # ---------------------------------------------------------------- history

    def events(self, events: list[TicketEvent]) -> list[dict[str, Any]]:
        """The ``display`` of each event (in order), with every name they need fetched at once."""
        teams: list[Any] = []
        emails: list[Any] = []
        files: list[Any] = []
        for event in events:
            details = event.details or {}
            if event.kind == "assigned":
                teams += _pair(details.get("team"))
                emails += _pair(details.get("assignee"))
            elif event.kind == "watcher_added":
                emails.append(details.get("user"))
            elif event.kind.startswith("approval_"):
                emails += [details.get("on_behalf_of"), *_list(details.get("escalated_to"))]
            elif event.kind == "field_changed" and isinstance(details.get("field"), str):
                for value in (details.get("old"), details.get("new")):
                    files += self.labels.attachment_ids(details["field"], value)
        self.load(teams=teams, emails=emails, files=files)
        return [self.event(event) for event in events]

    def event(self, event: TicketEvent) -> dict[str, Any]:
        """One event's details as labels: what the web client puts into its sentences."""
        details = event.details or {}
        labels, locale = self.labels, self.reader.locale
        kind = event.kind
        if kind == "transitioned":
            key = details.get("transition")
            name = labels.transition(key) if key in labels.transitions else str(details.get("name") or key)
            return {"name": name, "from": labels.state(details.get("from")), "to": labels.state(details.get("to")),
                    "checklist": labels.checklist(str(key), _list(details.get("checklist")))}
        if kind == "assigned":
            return {"team": [self.team(k) for k in _pair(details.get("team"))],
                    "assignee": [self.user(e) for e in _pair(details.get("assignee"))]}
        if kind == "field_changed":
            field = details.get("field")
            if not isinstance(field, str):
                return {}
            shown: dict[str, Any] = {"field": labels.field_title(field), "old": self.value(field, details.get("old")),
                                     "new": self.value(field, details.get("new"))}
            if isinstance(details.get("transition"), str):
                shown["transition"] = labels.transition(details["transition"])
            return shown
        if kind == "created":
            routing = [step for step in _list(details.get("routing")) if isinstance(step, dict) and step.get("matched")]
            shown = {"status": labels.state(_initial(labels))}
            if routing:
                shown["routing"] = labels.named("routing", routing[0].get("index"), routing[0].get("name"))
            return shown
        if kind == "automation_ran":
            return {"automation": labels.named("automations", details.get("index"), details.get("automation"))}
        if kind == "notified":
            recipients = [texts.recipient_name(r, locale) for r in _list(details.get("to")) if isinstance(r, str)]
            return {"to": texts.join(recipients, locale)}
        if kind == "watcher_added":
            return {"user": self.user(details.get("user"))}
        if kind.startswith("approval_"):  # runtime/approvals: the state asking, the people by name
            shown = {"state": labels.state(details["state"])} if isinstance(details.get("state"), str) else {}
            if isinstance(details.get("on_behalf_of"), str):
                shown["on_behalf_of"] = self.user(details["on_behalf_of"])
            if details.get("escalated_to"):
                shown["escalated_to"] = texts.join((self.user(e) or str(e) for e in _list(details["escalated_to"])), locale)
            return shown
        if kind in ("sla_warning", "sla_breached", "escalated") and isinstance(details.get("metric"), str):
            return {"metric": texts.metric_name(details["metric"], locale)}
        return {}


def _pair(value: Any) -> list[Any]:
    return list(value)[:2] if isinstance(value, list | tuple) else []


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _initial(labels: Labels) -> str | None:
    return next((key for key, state in labels.states.items() if state.get("initial")), None)


# --------------------------------------------------------------------------- notifications
#
# Each gives a runtime.rules.texts.Message: the sentence is made for each recipient, in their language, from
# what the ticket is when the notification is sent.


def state_message(ticket: Ticket) -> texts.Message:
    """'INC-000042 is now 'Resolved': Printer on fire' (the state by its name in the reader's language)."""
    number, title, version, status = ticket.number, ticket.title, ticket.type_version, ticket.status
    return lambda reader: texts.say("notify.state", reader.locale, number=number, title=title,
                                    state=labels_for(version, reader.locale).state(status))


def assigned_message(ticket: Ticket) -> texts.Message:
    number, title = ticket.number, ticket.title
    return lambda reader: texts.say("notify.assigned", reader.locale, number=number, title=title)


def routed_message(ticket: Ticket, rule_index: int | None, rule_name: str) -> texts.Message:
    number, title, priority, version = ticket.number, ticket.title, ticket.priority, ticket.type_version
    return lambda reader: texts.say("notify.routed", reader.locale, number=number, title=title, priority=priority,
                                    rule=labels_for(version, reader.locale).named("routing", rule_index, rule_name))


def mentioned_message(ticket: Ticket, author: str, excerpt: str) -> texts.Message:
    number = ticket.number
    return lambda reader: texts.say("notify.mentioned", reader.locale, author=author, number=number, excerpt=excerpt)


def replied_message(ticket: Ticket, author: str, excerpt: str) -> texts.Message:
    number, title = ticket.number, ticket.title
    return lambda reader: texts.say("notify.replied", reader.locale, author=author, number=number, title=title,
                                    excerpt=excerpt)


def watched_message(ticket: Ticket, author: str, excerpt: str) -> texts.Message:
    number, title = ticket.number, ticket.title
    return lambda reader: texts.say("notify.watched", reader.locale, author=author, number=number, title=title,
                                    excerpt=excerpt)


def sla_warning_message(ticket: Ticket, metric: str, due_at: Any) -> texts.Message:
    number, title = ticket.number, ticket.title

    def message(reader: Reader) -> str:
        due = texts.format_datetime(due_at, reader.locale, reader.time_zone) if due_at is not None else "?"
        return texts.say("notify.sla_warning", reader.locale, number=number, title=title, due=due,
                         metric=texts.metric_name(metric, reader.locale))

    return message


def escalated_message(ticket: Ticket, level: int, metric: str) -> texts.Message:
    number, title = ticket.number, ticket.title
    return lambda reader: texts.say("notify.escalated", reader.locale, number=number, title=title, level=level,
                                    metric=texts.metric_name(metric, reader.locale))


def survey_message(ticket: Ticket, kind: str) -> texts.Message:
    number, title = ticket.number, ticket.title
    return lambda reader: texts.say("notify.survey", reader.locale, number=number, title=title,
                                    scale=texts.word(f"survey.scale.{kind}", reader.locale, kind))
