"""Ticket types, drafts, publishing, versions, diff, import/export, the rule playground and simulation.

Services own their unit of work: each that writes commits once, after every check passed,
so a refused publish or import writes nothing.
"""

from __future__ import annotations

import copy
from typing import Any

from flask import current_app, request
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from designer.drafts.models import TicketTypeDraft
from designer.format.diff import diff_definitions
from designer.format.document import canonical_json, upgrade, without_layout
from designer.validation import validate_definition
from platform_core import audit
from platform_core.auth.models import Role, Team, User
from platform_core.db import utcnow
from platform_core.errors import Conflict, NotFound, PayloadTooLarge, PreconditionFailed, ValidationFailed
from runtime.calendars.services import get_calendars
from runtime.rules import texts
from runtime.rules.i18n import DEFAULT_LOCALE, reader_locale
from runtime.tickets.models import TicketType, TicketTypeVersion

DESIGNERS = ("admin", "designer")
READERS = ("admin", "designer", "agent")


def check_definition_size() -> None:
    """Definitions are limited well below the general body limit (DEFINITION_MAX_BYTES)."""
    limit = current_app.config["DEFINITION_MAX_BYTES"]
    if request.content_length is not None and request.content_length > limit:
        raise PayloadTooLarge(f"A definition may be at most {limit:,} bytes; this one is {request.content_length:,}.")


def is_designer(user: User) -> bool:
    return user.has_role(*DESIGNERS)


# --------------------------------------------------------------------------- reading


def visible_types_query(user: User, include_archived: bool) -> Any:
    stmt = select(TicketType)
    if not is_designer(user):
        stmt = stmt.where(TicketType.latest_version.is_not(None), TicketType.archived_at.is_(None))
    elif not include_archived:
        stmt = stmt.where(TicketType.archived_at.is_(None))
    return stmt


def get_type(session: Session, key: str, user: User) -> TicketType:
    ticket_type = session.scalar(select(TicketType).where(TicketType.key == key))
    if ticket_type is None or (not is_designer(user) and (ticket_type.latest_version is None or ticket_type.archived)):
        raise NotFound(f"There is no ticket type {key!r}.")
    return ticket_type


def get_draft(session: Session, ticket_type: TicketType) -> TicketTypeDraft:
    draft = session.get(TicketTypeDraft, ticket_type.id)
    if draft is None:  # every type has a draft; recreate one from the latest version if it went missing
        draft = TicketTypeDraft(ticket_type_id=ticket_type.id, definition=latest_document(session, ticket_type) or {})
        session.add(draft)
        session.flush()
    return draft


def get_version(session: Session, ticket_type: TicketType, number: int) -> TicketTypeVersion:
    version = session.scalar(select(TicketTypeVersion).where(TicketTypeVersion.ticket_type_id == ticket_type.id,
                                                             TicketTypeVersion.number == number))
    if version is None:
        raise NotFound(f"Ticket type {ticket_type.key!r} has no version {number}.")
    return version


def list_versions(session: Session, ticket_type: TicketType) -> list[TicketTypeVersion]:
    return list(session.scalars(select(TicketTypeVersion).where(TicketTypeVersion.ticket_type_id == ticket_type.id)
                                .order_by(TicketTypeVersion.number.desc())))


def latest_document(session: Session, ticket_type: TicketType) -> dict[str, Any] | None:
    if ticket_type.latest_version is None:
        return None
    return get_version(session, ticket_type, ticket_type.latest_version).definition


def draft_summaries(session: Session, types: list[TicketType]) -> dict[int, dict[str, Any]]:
    """For the designer's home: each type's draft (revision, who saved it and when) and whether it
    differs from the latest published version, in two queries for the whole page."""
    ids = [t.id for t in types]
    if not ids:
        return {}
    drafts = {d.ticket_type_id: d for d in session.scalars(select(TicketTypeDraft).where(
        TicketTypeDraft.ticket_type_id.in_(ids)))}
    published = dict(session.execute(
        select(TicketTypeVersion.ticket_type_id, TicketTypeVersion.definition)
        .join(TicketType, (TicketType.id == TicketTypeVersion.ticket_type_id)
              & (TicketType.latest_version == TicketTypeVersion.number))
        .where(TicketTypeVersion.ticket_type_id.in_(ids))).all())
    summaries = {}
    for type_id, draft in drafts.items():
        latest = published.get(type_id)
        summaries[type_id] = {
            "revision": draft.revision, "updated_at": draft.updated_at, "updated_by": draft.updated_by,
            "differs_from_published": latest is None or canonical_json(without_layout(draft.definition))
            != canonical_json(without_layout(latest))}
    return summaries


# --------------------------------------------------------------------------- validation


def _known_names(session: Session) -> dict[str, set[str]]:
    return {"known_teams": set(session.scalars(select(Team.key))),
            "known_roles": set(session.scalars(select(Role.name))),
            "known_types": set(session.scalars(select(TicketType.key)))}


def _unknown_calendars(session: Session, document: dict[str, Any], locale: str) -> list[dict[str, str]]:
    """A warning for each SLA policy naming a business calendar that does not exist (24x7 is used then)."""
    policies = [(i, p.get("calendar")) for i, p in enumerate(document.get("sla") or [])
                if isinstance(p, dict) and isinstance(p.get("calendar"), str)]
    known = get_calendars(session, {key for _, key in policies}) if policies else {}
    return [{"path": f"/sla/{i}/calendar", "code": "unknown_calendar",
             "message": texts.say("definition.unknown_calendar", locale, calendar=texts.quote(key, locale))}
            for i, key in policies if key not in known]


def check(session: Session, document: Any, ticket_type: TicketType | None = None,
          locale: str = DEFAULT_LOCALE) -> dict[str, list[dict[str, str]]]:
    """Every error and warning of a document, including those that need the database (`locale`: the reader's
    language, for the checks that speak both)."""
    report = validate_definition(upgrade(document) if isinstance(document, dict) else document, **_known_names(session),
                                 locale=locale)
    errors = [p.as_dict() for p in report.errors]
    warnings = [p.as_dict() for p in report.warnings]
    if isinstance(document, dict):
        if ticket_type is not None and "key" in document and document["key"] != ticket_type.key:
            errors.append({"path": "/key", "code": "key_changed",
                           "message": texts.say("definition.key_changed", locale,
                                                key=texts.quote(ticket_type.key, locale))})
        warnings += _unknown_calendars(session, document, locale)
        prefix = document.get("number_prefix")
        if isinstance(prefix, str):
            owner = session.scalar(select(TicketType.key).where(TicketType.number_prefix == prefix))
            if owner is not None and (ticket_type is None or owner != ticket_type.key):
                errors.append({"path": "/number_prefix", "code": "prefix_taken",
                               "message": f"The number prefix {prefix!r} is already used by the ticket type {owner!r}."})
    return {"errors": errors, "warnings": warnings}


# --------------------------------------------------------------------------- writing


def skeleton(key: str, name: str, number_prefix: str, description: str = "") -> dict[str, Any]:
    """The smallest valid definition: a title and a description, new -> in progress -> closed."""
    return {
        "format": 1, "key": key, "name": name, "description": description, "number_prefix": number_prefix,
        "form": {"schema": {"type": "object", "required": ["title"], "properties": {
            "title": {"type": "string", "title": "Title", "minLength": 3, "maxLength": 200},
            "description": {"type": "string", "title": "Description", "maxLength": 20000}}},
            "ui": {"ui:order": ["title", "description"], "description": {"ui:widget": "textarea"}}},
        "workflow": {
            "states": [{"key": "new", "name": "New", "category": "new", "initial": True},
                       {"key": "in_progress", "name": "In progress", "category": "open"},
                       {"key": "closed", "name": "Closed", "category": "closed", "final": True}],
            "transitions": [{"key": "start", "name": "Start", "from": ["new"], "to": "in_progress", "roles": ["agent"]},
                            {"key": "close", "name": "Close", "from": ["new", "in_progress"], "to": "closed",
                             "roles": ["agent"]}]},
    }


# Keys the API's paths use next to /ticket-types/<key>: a type cannot have one (its address would be taken).
RESERVED_KEYS = frozenset({"import"})


def _check_unique(session: Session, key: str, number_prefix: str) -> None:
    if key in RESERVED_KEYS:
        raise ValidationFailed.field("/key", f"{key!r} cannot be a ticket type's key: /ticket-types/{key} is "
                                             "another address of the API.")
    if session.scalar(select(TicketType.id).where(TicketType.key == key)) is not None:
        raise Conflict(f"A ticket type with the key {key!r} already exists.",
                       details=[{"path": "/key", "location": "json", "message": "Already in use."}])
    owner = session.scalar(select(TicketType.key).where(TicketType.number_prefix == number_prefix))
    if owner is not None:
        raise Conflict(f"The number prefix {number_prefix!r} is already used by {owner!r}.",
                       details=[{"path": "/number_prefix", "location": "json", "message": "Already in use."}])


def create_type(session: Session, values: dict[str, Any], *, actor: User) -> TicketType:
    _check_unique(session, values["key"], values["number_prefix"])
    document = values.get("definition")
    if document is None:
        document = skeleton(values["key"], values["name"], values["number_prefix"], values.get("description", ""))
    else:
        document = {**document, "key": values["key"], "name": values["name"], "number_prefix": values["number_prefix"]}
    ticket_type = TicketType(key=values["key"], name=values["name"], description=values.get("description", ""),
                             number_prefix=values["number_prefix"])
    session.add(ticket_type)
    session.flush()
    session.add(TicketTypeDraft(ticket_type_id=ticket_type.id, definition=document, updated_by_id=actor.id))
    audit.record(session, "ticket_type.created", "ticket_type", ticket_type.key, actor_id=actor.id)
    session.commit()
    return ticket_type


def update_type(session: Session, ticket_type: TicketType, values: dict[str, Any], *, actor: User) -> TicketType:
    draft = get_draft(session, ticket_type)
    document = copy.deepcopy(draft.definition) if isinstance(draft.definition, dict) else None
    for key in ("name", "description"):
        if key in values:
            setattr(ticket_type, key, values[key])
            if document is not None:
                document[key] = values[key]
    if document is not None and document != draft.definition:
        draft.definition = document
        draft.revision += 1
        draft.updated_at = utcnow()
        draft.updated_by_id = actor.id
    if "archived" in values:
        ticket_type.archived_at = (ticket_type.archived_at or utcnow()) if values["archived"] else None
    audit.record(session, "ticket_type.updated", "ticket_type", ticket_type.key, actor_id=actor.id, details=values)
    session.commit()
    return ticket_type


def delete_type(session: Session, ticket_type: TicketType, *, actor: User) -> None:
    """Only a type that was never published can be deleted; a published one is archived instead."""
    if ticket_type.latest_version is not None:
        raise Conflict(f"{ticket_type.key!r} has published versions that tickets may use; archive it instead "
                       "(PATCH {\"archived\": true}).")
    audit.record(session, "ticket_type.deleted", "ticket_type", ticket_type.key, actor_id=actor.id)
    session.delete(ticket_type)
    session.commit()


def save_draft(session: Session, ticket_type: TicketType, document: dict[str, Any], *, actor: User,
               if_match: int | None) -> TicketTypeDraft:
    """Save the draft as it is, valid or not (work in progress); ``if_match`` guards against lost updates."""
    draft = get_draft(session, ticket_type)
    if if_match is not None and if_match != draft.revision:
        who = draft.updated_by.name if draft.updated_by else "someone"
        raise PreconditionFailed(f"The draft changed since you loaded it (revision {draft.revision}, saved by {who} "
                                 f"at {draft.updated_at.isoformat()}). Reload it and apply your changes again.")
    draft.definition = document
    draft.revision += 1
    draft.updated_at = utcnow()
    draft.updated_by_id = actor.id
    session.commit()
    return draft


def _publish_document(session: Session, ticket_type: TicketType, document: dict[str, Any], changelog: str,
                      actor: User) -> TicketTypeVersion:
    number = (session.scalar(select(func.max(TicketTypeVersion.number))
                             .where(TicketTypeVersion.ticket_type_id == ticket_type.id)) or 0) + 1
    version = TicketTypeVersion(ticket_type_id=ticket_type.id, number=number, definition=document,
                                changelog=changelog, published_by_id=actor.id)
    session.add(version)
    ticket_type.latest_version = number
    ticket_type.name = document["name"]
    ticket_type.description = document.get("description", "")
    ticket_type.number_prefix = document["number_prefix"]
    audit.record(session, "ticket_type.published", "ticket_type", ticket_type.key, actor_id=actor.id,
                 details={"version": number, "changelog": changelog})
    return version


def publish(session: Session, ticket_type: TicketType, changelog: str, *, actor: User) -> TicketTypeVersion:
    # Lock the type so two publishes cannot both take the same number (the unique constraint is the backstop).
    session.execute(select(TicketType.id).where(TicketType.id == ticket_type.id).with_for_update())
    draft = get_draft(session, ticket_type)
    locale = reader_locale(actor.locale)
    problems = check(session, draft.definition, ticket_type, locale)
    if problems["errors"]:
        session.rollback()
        raise ValidationFailed(texts.say("definition.publish_errors", locale, count=len(problems["errors"])),
                               details=problems["errors"], code="definition_invalid")
    document = upgrade(draft.definition)
    if ticket_type.latest_version is not None \
            and without_layout(latest_document(session, ticket_type)) == without_layout(document):
        session.rollback()
        raise Conflict(texts.say("definition.nothing_to_publish", locale, version=ticket_type.latest_version))
    version = _publish_document(session, ticket_type, document, changelog, actor)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raise Conflict("Someone published this ticket type at the same moment; reload and try again.") from None
    return version


def import_definition(session: Session, document: Any, *, actor: User, publish_now: bool) -> TicketType:
    """Create a ticket type from an exported definition: all checked first, nothing written on any error."""
    key = document.get("key") if isinstance(document, dict) else None
    if key in RESERVED_KEYS:
        raise ValidationFailed.field("/key", f"{key!r} cannot be a ticket type's key: /ticket-types/{key} is "
                                             "another address of the API.")
    if isinstance(key, str) and session.scalar(select(TicketType.id).where(TicketType.key == key)) is not None:
        raise Conflict(f"A ticket type with the key {key!r} already exists; change the file's key to import it as "
                       "a new type, or paste it into the existing type's draft.",
                       details=[{"path": "/key", "location": "json", "message": "Already in use."}])
    locale = reader_locale(actor.locale)
    problems = check(session, document, locale=locale)
    if problems["errors"]:
        raise ValidationFailed(texts.say("definition.import_errors", locale, count=len(problems["errors"])),
                               details=problems["errors"], code="definition_invalid")
    document = upgrade(document)
    _check_unique(session, document["key"], document["number_prefix"])
    ticket_type = TicketType(key=document["key"], name=document["name"], description=document.get("description", ""),
                             number_prefix=document["number_prefix"])
    session.add(ticket_type)
    session.flush()
    session.add(TicketTypeDraft(ticket_type_id=ticket_type.id, definition=document, updated_by_id=actor.id))
    audit.record(session, "ticket_type.imported", "ticket_type", ticket_type.key, actor_id=actor.id)
    if publish_now:
        _publish_document(session, ticket_type, document, "Imported", actor)
    session.commit()
    return ticket_type


# --------------------------------------------------------------------------- diff, export, playground, simulation


def resolve_document(session: Session, ticket_type: TicketType, which: str | int | None) -> tuple[Any, str | int]:
    """A version's document by number, or the draft ("draft"); None means the latest version."""
    if which == "draft":
        return get_draft(session, ticket_type).definition, "draft"
    if which is None:
        if ticket_type.latest_version is None:
            raise NotFound(f"{ticket_type.key!r} has no published version yet.")
        which = ticket_type.latest_version
    return get_version(session, ticket_type, int(which)).definition, int(which)


def diff(session: Session, ticket_type: TicketType, from_: str | int | None, to: str | int) -> dict[str, Any]:
    old, old_label = resolve_document(session, ticket_type, from_)
    new, new_label = resolve_document(session, ticket_type, to)
    changes = diff_definitions(old, new)
    return {"from": old_label, "to": new_label, "breaking": any(c["breaking"] for c in changes), "changes": changes}
