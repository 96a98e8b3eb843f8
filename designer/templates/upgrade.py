"""Upgrading an installed template to the version that ships now, keeping the company's local changes.

For each ticket type of the template the plan compares three definitions (designer/format/merge.py):

- BASE: what the installed template version shipped, recorded at install (``InstalledTemplate.base_definitions``).
  Installs recorded before it was kept fall back to the type's version 1 when the install published it from the
  same template version (its changelog says so), else BASE is unknown and every difference is a conflict;
- THEIRS: the type's definition in the template version that ships now;
- MINE: the type's draft, which is the latest published version unless someone is editing it.

Applying the plan with a choice (``mine`` or ``theirs``) for every conflict writes each merged result as the type's
DRAFT, never as a published version: the admin reviews it in the designer and publishes it. Types the new version
adds are created as drafts (with the roles, teams and calendars it needs that do not exist yet); types it no longer
ships are left exactly as they are. Then the new version and its definitions are recorded as installed, and an
audit entry ``template.upgraded`` records the choices. One transaction: any refusal writes nothing.

The plan has an ETag made of the template version and each type's draft revision: applying a plan whose drafts
changed since (someone saved one) is refused with 409 ``upgrade_plan_stale``, as a draft save is.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from designer.drafts.models import TicketTypeDraft
from designer.drafts.services import check, get_draft
from designer.format.document import canonical_json, content_hash, upgrade
from designer.format.merge import MergePlan, plan_merge, resolve
from designer.templates.library import InstallResult, Template, create_support, get_template, record_version, shipped_definitions
from designer.templates.models import InstalledTemplate
from platform_core import audit
from platform_core.auth.models import User
from platform_core.db import utcnow
from platform_core.errors import Conflict, NotFound, ValidationFailed
from runtime.rules import texts
from runtime.rules.i18n import DEFAULT_LOCALE
from runtime.tickets.models import TicketType, TicketTypeVersion

__all__ = ["TypePlan", "UpgradePlan", "apply_upgrade", "plan_upgrade"]

_INSTALLED_FROM = re.compile(r"^Installed from the template .* \((?P<key>[^()]+)\), version (?P<version>\d+)\.$")


@dataclass
class TypePlan:
    """One ticket type of the template: ``status`` is "upgrade" (installed here: merged), "new" (the new version
    adds it: created as a draft) or "dropped" (no longer in the template: left as it is)."""

    key: str
    name: str
    status: str
    base_source: str | None = None  # "recorded", "first_version" or "unknown"
    merge: MergePlan | None = None
    theirs: dict[str, Any] | None = None
    mine: dict[str, Any] | None = None
    ticket_type: TicketType | None = None
    draft: TicketTypeDraft | None = None
    draft_differs_from_published: bool = False

    def as_dict(self) -> dict[str, Any]:
        decisions = self.merge.decisions if self.merge else []

        def of(side: str) -> list[dict[str, Any]]:
            return [d.as_dict() for d in decisions if d.side == side]

        return {"key": self.key, "name": self.name, "status": self.status, "base_source": self.base_source,
                "draft_revision": self.draft.revision if self.draft else None,
                "draft_differs_from_published": self.draft_differs_from_published,
                "theirs": of("theirs"), "mine": of("mine"), "both": of("both"), "conflicts": of("conflict")}


@dataclass
class UpgradePlan:
    template: Template
    installed_version: int
    types: list[TypePlan] = field(default_factory=list)

    @property
    def available(self) -> bool:
        return self.template.version is not None and self.template.version > self.installed_version

    @property
    def etag(self) -> str:
        """Changes when the template version or content, the installed version or any type's draft changes."""
        state = {"template": [self.template.version, content_hash(shipped_definitions(self.template))],
                 "installed": self.installed_version,
                 "drafts": {t.key: t.draft.revision if t.draft else None for t in self.types}}
        return content_hash(state)[:20]

    def as_dict(self) -> dict[str, Any]:
        return {"template": {"key": self.template.key, "name": self.template.name, "version": self.template.version},
                "installed_version": self.installed_version, "available": self.available, "etag": self.etag,
                "conflicts": sum(len(t.merge.conflicts) for t in self.types if t.merge),
                "types": [t.as_dict() for t in self.types]}


def _base(session: Session, record: InstalledTemplate, ticket_type: TicketType) -> tuple[dict[str, Any] | None, str]:
    """The definition the installed template version shipped for this type, and where it came from."""
    recorded = (record.base_definitions or {}).get(ticket_type.key)
    if isinstance(recorded, dict):
        return recorded, "recorded"
    first = session.scalar(select(TicketTypeVersion).where(TicketTypeVersion.ticket_type_id == ticket_type.id,
                                                           TicketTypeVersion.number == 1))
    match = _INSTALLED_FROM.match(first.changelog or "") if first is not None else None
    if match and match["key"] == record.key and int(match["version"]) == record.version:
        return first.definition, "first_version"
    return None, "unknown"


def plan_upgrade(session: Session, key: str, *, locale: str | None = None, root: Path | None = None) -> UpgradePlan:
    """The three-way comparison of every ticket type of the template ``key`` (404 when it is not installed)."""
    template = get_template(key, root, locale or DEFAULT_LOCALE)
    if template.problems:
        raise ValidationFailed(template.say("template.broken_upgrade", key=key, count=len(template.problems)),
                               details=[{"path": p["path"], "location": p["location"],
                                                           "message": p["message"], "code": p["code"]}
                                                          for p in template.problems], code="template_invalid")
    record = session.scalar(select(InstalledTemplate).where(InstalledTemplate.key == template.key))
    if record is None:
        raise NotFound(texts.say("template.not_installed", locale, template=template.title))
    plan = UpgradePlan(template, record.version)
    shipped = shipped_definitions(template)
    existing = {t.key: t for t in session.scalars(select(TicketType).where(
        TicketType.key.in_([*shipped, *(record.ticket_types or [])])))}
    for type_key, theirs in shipped.items():
        ticket_type = existing.get(type_key)
        if ticket_type is None:
            plan.types.append(TypePlan(type_key, theirs.get("name", type_key), "new", theirs=theirs))
            continue
        draft = get_draft(session, ticket_type)
        mine = draft.definition if isinstance(draft.definition, dict) else {}
        base, source = _base(session, record, ticket_type)
        published = session.scalar(select(TicketTypeVersion.definition).where(
            TicketTypeVersion.ticket_type_id == ticket_type.id,
            TicketTypeVersion.number == ticket_type.latest_version)) if ticket_type.latest_version else None
        plan.types.append(TypePlan(
            type_key, ticket_type.name, "upgrade", base_source=source, merge=plan_merge(base, theirs, mine),
            theirs=theirs, mine=mine, ticket_type=ticket_type, draft=draft,
            draft_differs_from_published=published is None or canonical_json(published) != canonical_json(mine)))
    for type_key in record.ticket_types or []:
        if type_key not in shipped and type_key in existing:
            plan.types.append(TypePlan(type_key, existing[type_key].name, "dropped"))
    return plan


def _check_choices(plan: UpgradePlan, choices: dict[str, dict[str, str]], locale: str | None) -> None:
    """Every conflict chosen, and nothing chosen that is not a conflict: else 422 naming each pointer."""
    details = []
    conflicts = {t.key: {d.pointer: d for d in t.merge.conflicts} for t in plan.types if t.merge}
    for type_key, chosen in choices.items():
        for pointer in chosen:
            if pointer not in conflicts.get(type_key, {}):
                details.append({"path": f"/choices/{type_key}", "location": "json", "code": "unknown_conflict",
                                "message": texts.say("template.upgrade_unknown_choice", locale, type=type_key,
                                                     pointer=pointer)})
    for type_key, by_pointer in conflicts.items():
        for pointer in by_pointer:
            if pointer not in choices.get(type_key, {}):
                details.append({"path": f"/choices/{type_key}", "location": "json", "code": "missing_choice",
                                "message": texts.say("template.upgrade_missing_choice", locale, type=type_key,
                                                     pointer=pointer)})
    if details:
        raise ValidationFailed(details[0]["message"] + (f" (+{len(details) - 1})" if len(details) > 1 else ""),
                               details=details, code="upgrade_choices")
    for type_key, by_pointer in conflicts.items():
        for pointer, decision in by_pointer.items():
            decision.choice = choices[type_key][pointer]


@dataclass
class UpgradeResult:
    plan: UpgradePlan
    drafts: list[dict[str, Any]] = field(default_factory=list)
    support: InstallResult | None = None

    def as_dict(self) -> dict[str, Any]:
        support = self.support
        return {"template": {"key": self.plan.template.key, "name": self.plan.template.name,
                             "version": self.plan.template.version},
                "from_version": self.plan.installed_version, "drafts": self.drafts,
                "created": support.created if support else {"roles": [], "teams": [], "calendars": [],
                                                             "ticket_types": []},
                "kept": [t.key for t in self.plan.types if t.status == "dropped"]}


def apply_upgrade(session: Session, key: str, choices: dict[str, dict[str, str]], *, if_match: str | None,
                  actor: User | None, locale: str | None = None, root: Path | None = None) -> UpgradeResult:
    """Write the merged definitions as drafts, create the new types as drafts and record the new version."""
    # Two admins applying the same plan at once: the second waits here, then finds the plan stale.
    session.execute(select(InstalledTemplate.id).where(InstalledTemplate.key == key).with_for_update())
    try:
        plan = plan_upgrade(session, key, locale=locale, root=root)
        if not plan.available:
            raise Conflict(texts.say("template.nothing_to_upgrade", locale, template=plan.template.title,
                                     version=plan.installed_version), code="nothing_to_upgrade")
        if if_match is not None and if_match != plan.etag:
            raise Conflict(texts.say("template.upgrade_stale", locale, template=plan.template.title),
                           details=[{"path": "", "location": "header",
                                     "message": texts.say("template.etag_now", locale, etag=plan.etag)}],
                           code="upgrade_plan_stale")
        _check_choices(plan, choices, locale)
    except BaseException:
        session.rollback()  # and so release the lock
        raise
    actor_id = actor.id if actor is not None else None
    result = UpgradeResult(plan)
    try:
        new_types = [t for t in plan.types if t.status == "new"]
        for type_plan in new_types:
            owner = session.scalar(select(TicketType.key).where(
                TicketType.number_prefix == type_plan.theirs["number_prefix"]))
            if owner is not None:
                raise ValidationFailed(texts.say("template.upgrade_prefix_taken", locale, type=type_plan.key,
                                                 prefix=type_plan.theirs["number_prefix"], owner=owner),
                                       code="template_invalid",
                                       details=[{"path": "/number_prefix", "location": type_plan.key,
                                                 "message": texts.say("template.used_by", locale, owner=owner)}])
        result.support = InstallResult(plan.template)
        create_support(session, plan.template, result.support, actor_id, locale)
        for type_plan in plan.types:
            if type_plan.status == "upgrade":
                result.drafts.append(_write_draft(session, type_plan, actor_id))
            elif type_plan.status == "new":
                result.drafts.append(_create_draft(session, plan, type_plan, actor_id))
                result.support.created_types.append(type_plan.key)
        record_version(session, plan.template, actor_id)
        audit.record(session, "template.upgraded", "template", plan.template.key, actor_id=actor_id, details={
            "from": plan.installed_version, "to": plan.template.version, "created": result.support.created,
            "drafts": {d["key"]: d["revision"] for d in result.drafts if d["written"]},
            "choices": {t.key: {d.pointer: d.choice for d in t.merge.conflicts} for t in plan.types if t.merge},
            "kept": result.as_dict()["kept"]})
        session.commit()
    except IntegrityError:
        session.rollback()
        raise Conflict(texts.say("template.upgrade_race", locale)) from None
    except BaseException:
        session.rollback()
        raise
    for entry in result.drafts:  # what the designer will say about each draft
        ticket_type = session.scalar(select(TicketType).where(TicketType.key == entry["key"]))
        problems = check(session, get_draft(session, ticket_type).definition, ticket_type, locale or "en")
        entry["errors"], entry["warnings"] = problems["errors"], problems["warnings"]
    return result


def _write_draft(session: Session, type_plan: TypePlan, actor_id: int | None) -> dict[str, Any]:
    assert type_plan.merge is not None and type_plan.draft is not None
    merged = resolve(type_plan.merge, type_plan.theirs, type_plan.mine)
    draft = type_plan.draft
    written = canonical_json(merged) != canonical_json(draft.definition)
    if written:
        draft.definition = merged
        draft.revision += 1
        draft.updated_at = utcnow()
        draft.updated_by_id = actor_id
    return {"key": type_plan.key, "status": "upgrade", "written": written, "revision": draft.revision,
            "taken": len(type_plan.merge.by_side("theirs")) + sum(1 for d in type_plan.merge.conflicts
                                                                  if d.choice == "theirs")}


def _create_draft(session: Session, plan: UpgradePlan, type_plan: TypePlan, actor_id: int | None) -> dict[str, Any]:
    document = copy.deepcopy(type_plan.theirs)
    assert document is not None
    created = TicketType(key=document["key"], name=document["name"], description=document.get("description", ""),
                         number_prefix=document["number_prefix"])
    session.add(created)
    session.flush()
    session.add(TicketTypeDraft(ticket_type_id=created.id, definition=upgrade(document), updated_by_id=actor_id))
    audit.record(session, "ticket_type.imported", "ticket_type", created.key, actor_id=actor_id,
                 details={"template": plan.template.key, "version": plan.template.version, "draft_only": True})
    return {"key": created.key, "status": "new", "written": True, "revision": 1, "taken": 0}
