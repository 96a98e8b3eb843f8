"""Industry templates: ready-made ticket types, with the teams and roles they need, installed in one step.

A template is a folder under ``templates_library/`` holding a manifest, ``template.json``, and the ticket-type
definitions it lists::

    templates_library/it_service_desk/
        template.json
        it-incident.json
        it-request.json

The manifest, format 1 (``MANIFEST_SCHEMA`` is the exact rule)::

    {
      "format": 1,                        required: the version of this manifest format
      "key": "it-service-desk",           required: unique among templates; 1-64 of a-z 0-9 - _, starting with a letter
      "name": "IT service desk",          required: 1-200 characters
      "description": "...",               optional: up to 2,000 characters
      "version": 1,                       required: the template's own version, an integer >= 1
      "teams": [                          optional: teams the definitions route or escalate to
        {"key": "service-desk", "name": "Service desk", "description": "..."}
      ],
      "roles": [                          optional: custom roles the definitions name (never a built-in one)
        {"name": "executive", "description": "..."}
      ],
      "ticket_types": [                   required: definition files next to template.json, installed in this order
        "it-incident.json", "it-request.json"
      ]
    }

Each ticket-type file is a complete definition (designer/schemas/definition-v1.schema.json); teams, roles and
types named by the definitions should be the template's own, or built in.

**Checks.** ``load_template`` checks a folder without the database: the manifest against ``MANIFEST_SCHEMA``;
every listed file present and a JSON object; no two teams, roles or types with the same key, no two types with
the same number prefix; and every definition through ``validate_definition``, with the template's teams, the
built-in and the template's roles and the template's types as the known names. Any error makes the template
broken: it is listed with its ``problems`` and refuses to install. Warnings (``Template.warnings``) are shown
and do not block; the templates shipped with Gongdan have none (tests/designer/test_templates.py).

**Installing** (``install``) is one transaction, all checked before anything is written:

1. every ticket type that does not exist yet is checked again against the database (its number prefix must be
   free; teams, roles and types must exist or come with the template); any error stops the install and
   nothing is written;
2. missing roles and teams are created; existing ones are left exactly as they are;
3. each new ticket type is created with its draft and published as version 1. A type whose key exists already
   is skipped, never overwritten, since the adopter may have changed it: upgrading an installed type while
   keeping local changes is not supported yet;
4. an audit entry ``template.installed`` records what was created and what was skipped.

Installing a template again creates nothing and does no harm.
"""

from __future__ import annotations

import copy
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

import templates_library
from designer.drafts.models import TicketTypeDraft
from designer.format.document import upgrade
from designer.validation import validate_definition
from platform_core import audit
from platform_core.auth.models import BUILT_IN_ROLES, Role, Team, User
from platform_core.errors import Conflict, NotFound, ValidationFailed
from runtime.tickets.models import TicketType, TicketTypeVersion

__all__ = ["MANIFEST", "MANIFEST_SCHEMA", "TEMPLATES_ROOT", "InstallResult", "Skipped", "Template",
           "TemplateRole", "TemplateTeam", "TemplateType", "describe", "get_template", "install", "list_templates",
           "load_template"]

TEMPLATES_ROOT = Path(templates_library.__file__).resolve().parent
MANIFEST = "template.json"
MANIFEST_FORMAT = 1

_KEY = r"^[a-z][a-z0-9_-]{0,63}$"  # template keys, and team keys as definitions name them
_ROLE = r"^[a-z][a-z0-9_-]{1,39}$"
_FILE = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}\.json$"  # a file next to the manifest: no folders, no '..'
_TEXT = {"type": "string", "minLength": 1, "maxLength": 200}
_DESCRIPTION = {"type": "string", "maxLength": 2000}

MANIFEST_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "additionalProperties": False,
    "required": ["format", "key", "name", "version", "ticket_types"],
    "properties": {
        "format": {"const": MANIFEST_FORMAT},
        "key": {"type": "string", "pattern": _KEY},
        "name": _TEXT,
        "description": _DESCRIPTION,
        "version": {"type": "integer", "minimum": 1},
        "teams": {"type": "array", "maxItems": 100, "items": {
            "type": "object", "additionalProperties": False, "required": ["key", "name"],
            "properties": {"key": {"type": "string", "pattern": _KEY}, "name": _TEXT, "description": _DESCRIPTION}}},
        "roles": {"type": "array", "maxItems": 100, "items": {
            "type": "object", "additionalProperties": False, "required": ["name"],
            "properties": {"name": {"type": "string", "pattern": _ROLE}, "description": {"type": "string",
                                                                                         "maxLength": 500}}}},
        "ticket_types": {"type": "array", "minItems": 1, "maxItems": 100, "uniqueItems": True,
                         "items": {"type": "string", "pattern": _FILE, "not": {"const": MANIFEST}}},
    },
}
_MANIFEST_VALIDATOR = Draft202012Validator(MANIFEST_SCHEMA)


# --------------------------------------------------------------------------- what a template is


@dataclass(frozen=True)
class TemplateTeam:
    key: str
    name: str
    description: str = ""


@dataclass(frozen=True)
class TemplateRole:
    name: str
    description: str = ""


@dataclass(frozen=True)
class TemplateType:
    """One ticket-type definition of a template, as read from its file."""

    file: str
    document: dict[str, Any]

    def _text(self, name: str) -> str | None:
        value = self.document.get(name)
        return value if isinstance(value, str) else None

    @property
    def key(self) -> str | None:
        return self._text("key")

    @property
    def name(self) -> str | None:
        return self._text("name")

    @property
    def description(self) -> str:
        return self._text("description") or ""

    @property
    def number_prefix(self) -> str | None:
        return self._text("number_prefix")


@dataclass
class Template:
    """A template folder as loaded; ``problems`` (errors) make it broken, ``warnings`` do not.

    A problem or warning is ``{"location": file name, "path": JSON pointer into that file, "message", "code"}``.
    Whatever could be read of a broken template is kept, so that a listing can show it with its problems.
    """

    key: str
    path: Path
    name: str = ""
    description: str = ""
    version: int | None = None
    teams: list[TemplateTeam] = field(default_factory=list)
    roles: list[TemplateRole] = field(default_factory=list)
    ticket_types: list[TemplateType] = field(default_factory=list)
    problems: list[dict[str, str]] = field(default_factory=list)
    warnings: list[dict[str, str]] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.problems

    def problem(self, location: str, path: str, message: str, code: str) -> None:
        self.problems.append({"location": location, "path": path, "message": message, "code": code})


def _pointer(parts: Any) -> str:
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in parts)


def _read_json(template: Template, file: str, path: str) -> Any:
    """The parsed file, or None after recording why it could not be read (``path`` locates it in the manifest)."""
    try:
        return json.loads((template.path / file).read_text(encoding="utf-8"))
    except FileNotFoundError:
        template.problem(MANIFEST, path, f"The file '{file}' is not in the template's folder.", "template.missing_file")
    except (OSError, UnicodeDecodeError) as exc:
        template.problem(MANIFEST, path, f"The file '{file}' cannot be read: {exc}.", "template.unreadable_file")
    except json.JSONDecodeError as exc:
        template.problem(file, "", f"'{file}' is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}.",
                         "template.invalid_json")
    return None


def load_template(folder: Path) -> Template:
    """Read and check a template folder (no database). Never raises: problems are recorded on the template."""
    template = Template(key=folder.name, path=folder)
    manifest = _read_json(template, MANIFEST, "")
    if manifest is None:
        return template
    if not isinstance(manifest, dict):
        template.problem(MANIFEST, "", "The manifest must be a JSON object ({ … }).", "template.manifest")
        return template
    for error in sorted(_MANIFEST_VALIDATOR.iter_errors(manifest), key=lambda e: [str(p) for p in e.absolute_path]):
        template.problem(MANIFEST, _pointer(error.absolute_path), error.message, "template.manifest")

    # Keep whatever is usable, so that even a broken template can be listed with its problems.
    if isinstance(manifest.get("key"), str) and re.fullmatch(_KEY, manifest["key"]):
        template.key = manifest["key"]
    template.name = manifest["name"] if isinstance(manifest.get("name"), str) else template.key
    template.description = manifest["description"] if isinstance(manifest.get("description"), str) else ""
    version = manifest.get("version")
    template.version = version if isinstance(version, int) and not isinstance(version, bool) else None

    for index, team in enumerate(_items(manifest.get("teams"))):
        if isinstance(team.get("key"), str) and isinstance(team.get("name"), str):
            if any(t.key == team["key"] for t in template.teams):
                template.problem(MANIFEST, f"/teams/{index}/key", f"The team '{team['key']}' is listed twice.",
                                 "template.duplicate_team")
                continue
            template.teams.append(TemplateTeam(team["key"], team["name"], str(team.get("description", ""))))
    for index, role in enumerate(_items(manifest.get("roles"))):
        name = role.get("name")
        if not isinstance(name, str):
            continue
        if name in BUILT_IN_ROLES:
            template.problem(MANIFEST, f"/roles/{index}/name", f"'{name}' is a built-in role, which every installation "
                                                                "has; list only the custom roles the template needs.",
                             "template.built_in_role")
        elif any(r.name == name for r in template.roles):
            template.problem(MANIFEST, f"/roles/{index}/name", f"The role '{name}' is listed twice.",
                             "template.duplicate_role")
        else:
            template.roles.append(TemplateRole(name, str(role.get("description", ""))))

    files = manifest.get("ticket_types")
    for index, file in enumerate(files if isinstance(files, list) else []):
        if not isinstance(file, str) or not re.fullmatch(_FILE, file) or file == MANIFEST:
            continue  # the manifest schema reported it
        document = _read_json(template, file, f"/ticket_types/{index}")
        if document is None:
            continue
        if not isinstance(document, dict):
            template.problem(file, "", f"'{file}' must hold one ticket-type definition, a JSON object ({{ … }}).",
                             "template.definition")
            continue
        template.ticket_types.append(TemplateType(file, document))
    _check_types(template)
    return template


def _items(value: Any) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _check_types(template: Template) -> None:
    keys: dict[str, str] = {}
    prefixes: dict[str, str] = {}
    for ticket_type in template.ticket_types:
        for attribute, seen, what in (("key", keys, "key"), ("number_prefix", prefixes, "number prefix")):
            value = getattr(ticket_type, attribute)
            if value is None:
                continue  # validate_definition reports it
            if value in seen:
                template.problem(ticket_type.file, f"/{attribute}", f"The {what} '{value}' is also used by "
                                                                    f"'{seen[value]}'; each ticket type needs its own.",
                                 f"template.duplicate_{attribute}")
            else:
                seen[value] = ticket_type.file
    known = {"known_teams": {team.key for team in template.teams},
             "known_roles": set(BUILT_IN_ROLES) | {role.name for role in template.roles},
             "known_types": set(keys)}
    for ticket_type in template.ticket_types:
        report = validate_definition(ticket_type.document, **known)
        template.problems += [_located(ticket_type.file, p.as_dict()) for p in report.errors]
        template.warnings += [_located(ticket_type.file, p.as_dict()) for p in report.warnings]


def _located(file: str, problem: dict[str, str]) -> dict[str, str]:
    return {"location": file, "path": problem["path"], "message": problem["message"], "code": problem["code"]}


# --------------------------------------------------------------------------- finding templates


def list_templates(root: Path | None = None) -> list[Template]:
    """Every folder under ``root`` (default: templates_library/) with a template.json, by key."""
    root = TEMPLATES_ROOT if root is None else root
    if not root.is_dir():
        return []
    templates = [load_template(folder) for folder in sorted(root.iterdir())
                 if folder.is_dir() and (folder / MANIFEST).is_file()]
    by_key: dict[str, list[Template]] = defaultdict(list)
    for template in templates:
        by_key[template.key].append(template)
    for key, group in by_key.items():
        if len(group) > 1:
            folders = ", ".join(t.path.name for t in group)
            for template in group:
                template.problem(MANIFEST, "/key", f"The key '{key}' is used by several template folders ({folders}); "
                                                   "each template needs its own key.", "template.duplicate_key")
    return sorted(templates, key=lambda t: (t.key, t.path.name))


def get_template(key: str, root: Path | None = None) -> Template:
    templates = list_templates(root)
    for template in templates:
        if template.key == key:
            return template
    available = ", ".join(t.key for t in templates) or "none"
    raise NotFound(f"There is no template {key!r}. The templates are: {available}.")


def describe(session: Session, template: Template) -> dict[str, Any]:
    """A template as listed: what it holds, and which of its teams, roles and ticket types exist here."""
    type_keys = [t.key for t in template.ticket_types if t.key]
    installed = {t.key: t for t in session.scalars(select(TicketType).where(TicketType.key.in_(type_keys)))}
    team_keys = set(session.scalars(select(Team.key).where(Team.key.in_([t.key for t in template.teams]))))
    role_names = set(session.scalars(select(Role.name).where(Role.name.in_([r.name for r in template.roles]))))
    types = [{"key": t.key, "name": t.name, "description": t.description, "number_prefix": t.number_prefix,
              "file": t.file, "installed": t.key in installed,
              "installed_version": installed[t.key].latest_version if t.key in installed else None}
             for t in template.ticket_types]
    return {"key": template.key, "name": template.name, "description": template.description,
            "version": template.version, "valid": template.valid,
            "installed": bool(types) and all(t["installed"] for t in types),
            "teams": [{"key": t.key, "name": t.name, "description": t.description, "exists": t.key in team_keys}
                      for t in template.teams],
            "roles": [{"name": r.name, "description": r.description, "exists": r.name in role_names}
                      for r in template.roles],
            "ticket_types": types, "problems": template.problems, "warnings": template.warnings}


# --------------------------------------------------------------------------- installing


@dataclass(frozen=True)
class Skipped:
    kind: str  # "role", "team" or "ticket_type"
    key: str
    reason: str


@dataclass
class InstallResult:
    template: Template
    created_roles: list[str] = field(default_factory=list)
    created_teams: list[str] = field(default_factory=list)
    created_types: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    warnings: list[dict[str, str]] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        """Whether this install created anything (a second install does not)."""
        return bool(self.created_roles or self.created_teams or self.created_types)

    @property
    def created(self) -> dict[str, list[str]]:
        return {"roles": self.created_roles, "teams": self.created_teams, "ticket_types": self.created_types}

    @property
    def next_steps(self) -> list[str]:
        steps = []
        if self.created_teams:
            steps.append(f"Add members to the new team(s) {', '.join(self.created_teams)}, and give each a supervisor "
                         "and a manager: routing, on-duty assignment and escalations need them.")
        if self.created_roles:
            steps.append(f"Give the new role(s) {', '.join(self.created_roles)} to the people who should hold them.")
        if any(s.kind == "ticket_type" for s in self.skipped):
            steps.append("Ticket types that already existed were kept as they are; upgrading an installed type while "
                         "keeping local changes is not supported yet. Compare them with the template's files in the "
                         "designer if you want its changes.")
        return steps

    def as_dict(self) -> dict[str, Any]:
        return {"template": {"key": self.template.key, "name": self.template.name, "version": self.template.version},
                "changed": self.changed, "created": self.created,
                "skipped": [{"kind": s.kind, "key": s.key, "reason": s.reason} for s in self.skipped],
                "warnings": self.warnings, "next_steps": self.next_steps}


def _details(problems: list[dict[str, str]]) -> list[dict[str, str]]:
    return [{"path": p["path"], "location": p["location"], "message": p["message"], "code": p["code"]} for p in problems]


def _why_skipped(ticket_type: TicketType) -> str:
    keep = "kept as it is (upgrading an installed type while keeping local changes is not supported yet)"
    if ticket_type.latest_version is None:
        return f"already exists as an unpublished draft; {keep}"
    archived = ", archived" if ticket_type.archived else ""
    return f"already installed (version {ticket_type.latest_version}{archived}); {keep}"


def _check_new_types(session: Session, template: Template,
                     new_types: list[TemplateType]) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """The errors and warnings of the new types in this database, with the template's teams, roles and types."""
    known = {"known_teams": set(session.scalars(select(Team.key))) | {t.key for t in template.teams},
             "known_roles": set(session.scalars(select(Role.name))) | {r.name for r in template.roles},
             "known_types": set(session.scalars(select(TicketType.key))) | {t.key for t in template.ticket_types
                                                                            if t.key}}
    problems, warnings = [], []
    for ticket_type in new_types:
        report = validate_definition(ticket_type.document, **known)
        problems += [_located(ticket_type.file, p.as_dict()) for p in report.errors]
        warnings += [_located(ticket_type.file, p.as_dict()) for p in report.warnings]
        owner = session.scalar(select(TicketType.key).where(TicketType.number_prefix == ticket_type.number_prefix))
        if owner is not None:
            problems.append({"location": ticket_type.file, "path": "/number_prefix", "code": "prefix_taken",
                             "message": f"The number prefix {ticket_type.number_prefix!r} is already used by the ticket "
                                        f"type {owner!r}, so the template's type {ticket_type.key!r} cannot be "
                                        "installed next to it."})
    return problems, warnings


def _create_type(session: Session, template: Template, ticket_type: TemplateType, actor_id: int | None) -> str:
    """Create the type with its draft and publish the definition as version 1 (the caller commits); its key."""
    document = upgrade(copy.deepcopy(ticket_type.document))
    changelog = f"Installed from the template '{template.name}' ({template.key}), version {template.version}."
    created = TicketType(key=document["key"], name=document["name"], description=document.get("description", ""),
                         number_prefix=document["number_prefix"], latest_version=1)
    session.add(created)
    session.flush()
    session.add(TicketTypeDraft(ticket_type_id=created.id, definition=document, updated_by_id=actor_id))
    session.add(TicketTypeVersion(ticket_type_id=created.id, number=1, definition=copy.deepcopy(document),
                                  changelog=changelog, published_by_id=actor_id))
    audit.record(session, "ticket_type.imported", "ticket_type", created.key, actor_id=actor_id,
                 details={"template": template.key})
    audit.record(session, "ticket_type.published", "ticket_type", created.key, actor_id=actor_id,
                 details={"version": 1, "changelog": changelog})
    return created.key


def install(session: Session, key: str, *, actor: User | None, root: Path | None = None) -> InstallResult:
    """Install a template: missing roles and teams, and its ticket types that do not exist yet, published.

    One transaction, checked in full first: a broken template (422 ``template_invalid``) or a type that cannot be
    installed here, such as one whose number prefix another type uses, writes nothing. ``actor`` is None for
    the command line. See the module's docstring for what is created and what is skipped.
    """
    template = get_template(key, root)
    if template.problems:
        raise ValidationFailed(f"The template {key!r} has {len(template.problems)} problem(s); nothing was installed.",
                               details=_details(template.problems), code="template_invalid")
    actor_id = actor.id if actor is not None else None
    result = InstallResult(template)
    try:
        existing = {t.key: t for t in session.scalars(
            select(TicketType).where(TicketType.key.in_([t.key for t in template.ticket_types])))}
        new_types = [t for t in template.ticket_types if t.key not in existing]
        problems, result.warnings = _check_new_types(session, template, new_types)
        if problems:
            raise ValidationFailed(f"The template {key!r} cannot be installed here: {problems[0]['message']}"
                                   + (f" (and {len(problems) - 1} more problem(s))" if len(problems) > 1 else "")
                                   + " Nothing was installed.", details=_details(problems), code="template_invalid")

        roles = set(session.scalars(select(Role.name).where(Role.name.in_([r.name for r in template.roles]))))
        for role in template.roles:
            if role.name in roles:
                result.skipped.append(Skipped("role", role.name, "already exists; left as it is"))
                continue
            session.add(Role(name=role.name, description=role.description, built_in=False))
            audit.record(session, "role.created", "role", role.name, actor_id=actor_id,
                         details={"template": template.key})
            result.created_roles.append(role.name)
        teams = set(session.scalars(select(Team.key).where(Team.key.in_([t.key for t in template.teams]))))
        for team in template.teams:
            if team.key in teams:
                result.skipped.append(Skipped("team", team.key, "already exists; left as it is"))
                continue
            created_team = Team(key=team.key, name=team.name, description=team.description)
            session.add(created_team)
            session.flush()
            audit.record(session, "team.created", "team", created_team.id, actor_id=actor_id,
                         details={"key": team.key, "template": template.key})
            result.created_teams.append(team.key)
        for ticket_type in template.ticket_types:
            if ticket_type.key in existing:
                result.skipped.append(Skipped("ticket_type", ticket_type.key, _why_skipped(existing[ticket_type.key])))
            else:
                result.created_types.append(_create_type(session, template, ticket_type, actor_id))
        audit.record(session, "template.installed", "template", template.key, actor_id=actor_id,
                     details={"version": template.version, "created": result.created,
                              "skipped": [f"{s.kind}:{s.key}" for s in result.skipped]})
        session.commit()
    except IntegrityError:
        session.rollback()
        raise Conflict("Someone created the same teams, roles or ticket types at the same moment; nothing was "
                       "installed. Install the template again.") from None
    except BaseException:
        session.rollback()
        raise
    return result
