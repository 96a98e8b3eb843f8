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
      "calendars": [                      optional: business calendars the SLA policies count in (calendar API format)
        {"key": "office-hours", "name": "Office hours", "timezone": "Asia/Shanghai", "week": {...},
         "holidays": [...], "workdays": [...]}
      ],
      "ticket_types": [                   required: definition files next to template.json, installed in this order
        "it-incident.json", "it-request.json"
      ],
      "knowledge": [                      optional: knowledge-base articles published on install (Markdown body)
        {"key": "printer-network", "title": "...", "body": "...", "tags": [...], "ticket_types": ["it-incident"],
         "visibility": "everyone"}
      ],
      "i18n": {                           optional: the manifest's texts in another language (en, zh-CN)
        "zh-CN": {"name": "IT 服务台", "description": "...",
                  "teams": {"service-desk": {"name": "服务台", "description": "..."}},
                  "roles": {"executive": {"description": "..."}},
                  "calendars": {"office-hours": {"name": "办公时间"}}}
      }
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
2. missing roles, teams and calendars are created, named in the installer's language; existing ones are left
   exactly as they are; the knowledge-base articles it has not seeded here before are published;
3. each new ticket type is created with its draft and published as version 1. A type whose key exists already
   is skipped, never overwritten, since the adopter may have changed it (a newer version of the template is
   taken with ``designer.templates.upgrade``, which keeps local changes);
4. the installed version is recorded (``InstalledTemplate``) with the definitions it shipped (the base of a later
   upgrade), and an audit entry ``template.installed`` records what was created and what was skipped.

Installing the same version again writes nothing, except that an install recorded before the shipped definitions
were kept (migration 0013) gets them filled in. Installing a newer version over an older one creates only what is
missing and keeps the older version recorded, so that the upgrade (which shows what changed on both sides) is
still offered; ``next_steps`` points to it.

``uninstall`` deletes the template's ticket types, refused
while any ticket of them exists (409 ``template_in_use``, saying how many); teams, roles, calendars and seeded
articles stay.
docs/templates.md describes the shipped templates.
"""

from __future__ import annotations

import copy
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import current_app, has_app_context
from jsonschema import Draft202012Validator
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

import templates_library
from designer.drafts.models import TicketTypeDraft
from designer.format.document import upgrade
from designer.templates.models import InstalledTemplate
from designer.validation import validate_definition
from designer.validation.common import LOCALE as VALIDATION_LOCALE
from designer.validation.common import _did_you_mean, _keyword_message, _names, _say, _show, _subject
from platform_core import audit
from platform_core.auth.models import BUILT_IN_ROLES, Role, Team, User
from platform_core.db import utcnow
from platform_core.errors import Conflict, NotFound, ValidationFailed
from runtime.calendars.checks import BUILT_IN_KEY, check_definition
from runtime.calendars.checks import KEY_PATTERN as CALENDAR_KEY
from runtime.calendars.models import BusinessCalendar
from runtime.knowledge.services import seed_article, seeded_articles
from runtime.rules import texts
from runtime.rules.i18n import DEFAULT_LOCALE, LOCALES, localize, reader_locale
from runtime.tickets.models import Ticket, TicketType, TicketTypeVersion

__all__ = ["MANIFEST", "MANIFEST_SCHEMA", "TEMPLATES_ROOT", "InstallResult", "Skipped", "Template",
           "TemplateCalendar", "TemplateRole", "TemplateTeam", "TemplateType", "UninstallResult", "create_support",
           "default_root", "describe", "details", "get_template", "install", "install_plan", "installed_version",
           "list_templates", "load_template", "record_version", "shipped_definitions", "uninstall"]

TEMPLATES_ROOT = Path(templates_library.__file__).resolve().parent
MANIFEST = "template.json"
MANIFEST_FORMAT = 1

_KEY = r"^[a-z][a-z0-9_-]{0,63}$"  # template keys, and team keys as definitions name them
_ROLE = r"^[a-z][a-z0-9_-]{1,39}$"
_FILE = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}\.json$"  # a file next to the manifest: no folders, no '..'
_TEXT = {"type": "string", "minLength": 1, "maxLength": 200}
_DESCRIPTION = {"type": "string", "maxLength": 2000}

_ARTICLE_TITLE = {"type": "string", "minLength": 1, "maxLength": 300}
_ARTICLE_BODY = {"type": "string", "minLength": 1, "maxLength": 50000}
_NAMED = {"type": "object", "additionalProperties": False,
          "properties": {"name": _TEXT, "description": _DESCRIPTION}}
# The manifest's own texts in another language (the definitions carry theirs in their own `i18n`).
_MANIFEST_TRANSLATION: dict[str, Any] = {
    "type": "object", "additionalProperties": False,
    "properties": {"name": _TEXT, "description": _DESCRIPTION,
                   "teams": {"type": "object", "additionalProperties": _NAMED},
                   "roles": {"type": "object", "additionalProperties": {
                       "type": "object", "additionalProperties": False, "properties": {"description": _DESCRIPTION}}},
                   "calendars": {"type": "object", "additionalProperties": _NAMED},
                   "knowledge": {"type": "object", "additionalProperties": {
                       "type": "object", "additionalProperties": False,
                       "properties": {"title": _ARTICLE_TITLE, "body": _ARTICLE_BODY}}}},
}

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
        "calendars": {"type": "array", "maxItems": 20, "items": {
            "type": "object", "additionalProperties": False, "required": ["key", "name", "timezone", "week"],
            "properties": {"key": {"type": "string", "pattern": CALENDAR_KEY}, "name": _TEXT, "timezone": {"type": "string"},
                           "week": {"type": "object"}, "holidays": {"type": "array"},
                           "workdays": {"type": "array"}}}},
        "ticket_types": {"type": "array", "minItems": 1, "maxItems": 100, "uniqueItems": True,
                         "items": {"type": "string", "pattern": _FILE, "not": {"const": MANIFEST}}},
        "knowledge": {"type": "array", "maxItems": 50, "items": {
            "type": "object", "additionalProperties": False, "required": ["key", "title", "body"],
            "properties": {"key": {"type": "string", "pattern": _KEY}, "title": _ARTICLE_TITLE, "body": _ARTICLE_BODY,
                           "tags": {"type": "array", "maxItems": 20, "uniqueItems": True,
                                    "items": {"type": "string", "minLength": 1, "maxLength": 64}},
                           "ticket_types": {"type": "array", "maxItems": 100, "uniqueItems": True,
                                            "items": {"type": "string"}},
                           "visibility": {"enum": ["everyone", "staff"]}}}},
        "i18n": {"type": "object", "additionalProperties": False,
                 "properties": {locale: _MANIFEST_TRANSLATION for locale in LOCALES}},
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
class TemplateCalendar:
    """A business calendar the template's SLA policies count in, as ``runtime.calendars`` stores it."""

    key: str
    name: str
    definition: dict[str, Any]  # timezone, week, holidays, workdays: normalised by check_definition


@dataclass(frozen=True)
class TemplateArticle:
    """A knowledge-base article the template seeds, published on install (Markdown body)."""

    key: str
    title: str
    body: str
    tags: tuple[str, ...] = ()
    ticket_types: tuple[str, ...] = ()  # suggestions for these types prefer it
    visibility: str = "everyone"  # or staff

    def marker(self, template_key: str) -> str:
        """The note of the article's first version, by which a later install finds it (whatever people edit)."""
        return f"Installed from the template {template_key}: {self.key}"


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
    calendars: list[TemplateCalendar] = field(default_factory=list)
    ticket_types: list[TemplateType] = field(default_factory=list)
    knowledge: list[TemplateArticle] = field(default_factory=list)
    problems: list[dict[str, str]] = field(default_factory=list)
    warnings: list[dict[str, str]] = field(default_factory=list)
    translations: dict[str, dict[str, Any]] = field(default_factory=dict)  # the manifest's `i18n`
    locale: str = DEFAULT_LOCALE  # the language of the problems and warnings (the reader's)

    @property
    def valid(self) -> bool:
        return not self.problems

    def problem(self, location: str, path: str, message: str, code: str) -> None:
        self.problems.append({"location": location, "path": path, "message": message, "code": code})

    @property
    def title(self) -> str:
        """The template's name in the reader's language, where the manifest translates it."""
        return _translated(self, self.locale, "name") or self.name

    def say(self, key: str, /, **params: Any) -> str:
        """The sentence ``key`` of runtime.rules.texts in the template's reader's language."""
        return texts.say(key, self.locale, **params)


def _pointer(parts: Any) -> str:
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in parts)


def _read_json(template: Template, file: str, path: str) -> Any:
    """The parsed file, or None after recording why it could not be read (``path`` locates it in the manifest)."""
    try:
        return json.loads((template.path / file).read_text(encoding="utf-8"))
    except FileNotFoundError:
        template.problem(MANIFEST, path, template.say("template.missing_file", file=file), "template.missing_file")
    except (OSError, UnicodeDecodeError) as exc:
        template.problem(MANIFEST, path, template.say("template.unreadable_file", file=file, reason=exc),
                         "template.unreadable_file")
    except json.JSONDecodeError as exc:
        template.problem(file, "", template.say("template.invalid_json", file=file, reason=exc.msg, line=exc.lineno,
                                                column=exc.colno), "template.invalid_json")
    return None


def _schema_problems(manifest: dict[str, Any], locale: str) -> list[tuple[str, str]]:
    """The manifest's departures from MANIFEST_SCHEMA as (JSON pointer, sentence in ``locale``), worded as the
    definitions' meta-schema problems are (designer.validation)."""
    found = []
    token = VALIDATION_LOCALE.set(locale)
    try:
        for error in sorted(_MANIFEST_VALIDATOR.iter_errors(manifest), key=lambda e: [str(p) for p in e.absolute_path]):
            parts, instance = list(error.absolute_path), error.instance
            schema = error.schema if isinstance(error.schema, dict) else {}
            if error.validator == "additionalProperties" and isinstance(instance, dict):
                allowed = [key for key in schema.get("properties", {}) if isinstance(key, str)]
                found += [(_pointer(parts), _say("check.schema.unknown_key", key=_show(key), allowed=_names(allowed))
                           + _did_you_mean(key, allowed)) for key in instance if key not in allowed]
            elif error.validator == "required" and isinstance(instance, dict):
                found += [(_pointer(parts), _say("check.schema.required", name=name))
                          for name in error.validator_value if name not in instance]
            else:
                text, _ = _keyword_message(error.validator, error, instance, schema, _subject(parts))
                found.append((_pointer(parts), text))
    finally:
        VALIDATION_LOCALE.reset(token)
    return found


# Checked templates by folder, language and the folder's files' (name, size, mtime): checking validates every
# definition (about 0.2 s a template), and every install, preview and listing reads all of them. A file that
# changes changes the fingerprint, so an edited template is read again; callers get their own copy to change.
_LOADED: dict[tuple[str, str, tuple[tuple[str, int, int], ...]], Template] = {}
_LOADED_MAX = 64


def _fingerprint(folder: Path) -> tuple[tuple[str, int, int], ...]:
    found = []
    for directory, _, files in os.walk(folder):
        for name in files:
            path = os.path.join(directory, name)
            try:
                status = os.stat(path)
            except OSError:
                continue
            found.append((os.path.relpath(path, folder), status.st_size, status.st_mtime_ns))
    return tuple(sorted(found))


def load_template(folder: Path, locale: str = DEFAULT_LOCALE) -> Template:
    """Read and check a template folder (no database). Never raises: problems are recorded on the template, in
    ``locale`` (the reader's language)."""
    return copy.deepcopy(_checked_template(folder, locale))


def _checked_template(folder: Path, locale: str) -> Template:
    """The checked template, shared: copy it before changing it."""
    key = (str(folder.resolve()), locale, _fingerprint(folder))
    cached = _LOADED.get(key)
    if cached is None:
        cached = _load_template(folder, locale)
        if len(_LOADED) >= _LOADED_MAX:
            _LOADED.clear()
        _LOADED[key] = cached
    return cached


def _load_template(folder: Path, locale: str) -> Template:
    template = Template(key=folder.name, path=folder, locale=locale)
    manifest = _read_json(template, MANIFEST, "")
    if manifest is None:
        return template
    if not isinstance(manifest, dict):
        template.problem(MANIFEST, "", template.say("template.manifest_not_object"), "template.manifest")
        return template
    for pointer, message in _schema_problems(manifest, locale):
        template.problem(MANIFEST, pointer, message, "template.manifest")

    # Keep whatever is usable, so that even a broken template can be listed with its problems.
    if isinstance(manifest.get("key"), str) and re.fullmatch(_KEY, manifest["key"]):
        template.key = manifest["key"]
    template.name = manifest["name"] if isinstance(manifest.get("name"), str) else template.key
    template.description = manifest["description"] if isinstance(manifest.get("description"), str) else ""
    version = manifest.get("version")
    template.version = version if isinstance(version, int) and not isinstance(version, bool) else None
    translations = manifest.get("i18n")
    if isinstance(translations, dict):
        template.translations = {locale: texts for locale, texts in translations.items()
                                 if locale in LOCALES and isinstance(texts, dict)}

    for index, team in enumerate(_items(manifest.get("teams"))):
        if isinstance(team.get("key"), str) and isinstance(team.get("name"), str):
            if any(t.key == team["key"] for t in template.teams):
                template.problem(MANIFEST, f"/teams/{index}/key", template.say("template.duplicate_team",
                                                                                key=team["key"]),
                                 "template.duplicate_team")
                continue
            template.teams.append(TemplateTeam(team["key"], team["name"], str(team.get("description", ""))))
    for index, role in enumerate(_items(manifest.get("roles"))):
        name = role.get("name")
        if not isinstance(name, str):
            continue
        if name in BUILT_IN_ROLES:
            template.problem(MANIFEST, f"/roles/{index}/name", template.say("template.built_in_role", key=name),
                             "template.built_in_role")
        elif any(r.name == name for r in template.roles):
            template.problem(MANIFEST, f"/roles/{index}/name", template.say("template.duplicate_role", key=name),
                             "template.duplicate_role")
        else:
            template.roles.append(TemplateRole(name, str(role.get("description", ""))))

    _read_calendars(template, manifest)

    files = manifest.get("ticket_types")
    for index, file in enumerate(files if isinstance(files, list) else []):
        if not isinstance(file, str) or not re.fullmatch(_FILE, file) or file == MANIFEST:
            continue  # the manifest schema reported it
        document = _read_json(template, file, f"/ticket_types/{index}")
        if document is None:
            continue
        if not isinstance(document, dict):
            template.problem(file, "", template.say("template.definition_not_object", file=file),
                             "template.definition")
            continue
        template.ticket_types.append(TemplateType(file, document))
    _check_types(template)
    _read_knowledge(template, manifest)
    _check_translations(template)
    return template


def _read_knowledge(template: Template, manifest: dict[str, Any]) -> None:
    """The seed articles; each names only the template's own ticket types."""
    types = {t.key for t in template.ticket_types if t.key}
    for index, article in enumerate(_items(manifest.get("knowledge"))):
        key, title, body = article.get("key"), article.get("title"), article.get("body")
        if not (isinstance(key, str) and isinstance(title, str) and isinstance(body, str)):
            continue  # the manifest schema reported it
        if any(a.key == key for a in template.knowledge):
            template.problem(MANIFEST, f"/knowledge/{index}/key", template.say("template.duplicate_article", key=key),
                             "template.duplicate_article")
            continue
        named = [t for t in article.get("ticket_types") or [] if isinstance(t, str)]
        for position, type_key in enumerate(named):
            if type_key not in types:
                template.problem(MANIFEST, f"/knowledge/{index}/ticket_types/{position}", template.say(
                    "template.article_unknown_type", key=type_key, keys=", ".join(sorted(types))),
                    "template.article_type")
        tags = tuple(t for t in article.get("tags") or [] if isinstance(t, str))
        visibility = article.get("visibility") if article.get("visibility") in ("everyone", "staff") else "everyone"
        template.knowledge.append(TemplateArticle(key, title, body, tags, tuple(named), visibility))


def _read_calendars(template: Template, manifest: dict[str, Any]) -> None:
    """The manifest's calendars, each checked as the calendar API checks one (problems located in the manifest)."""
    for index, calendar in enumerate(_items(manifest.get("calendars"))):
        key, name = calendar.get("key"), calendar.get("name")
        if not isinstance(key, str) or not isinstance(name, str):
            continue  # the manifest schema reported it
        if key == BUILT_IN_KEY:
            template.problem(MANIFEST, f"/calendars/{index}/key", template.say("template.built_in_calendar", key=key),
                             "template.built_in_calendar")
            continue
        if any(c.key == key for c in template.calendars):
            template.problem(MANIFEST, f"/calendars/{index}/key", template.say("template.duplicate_calendar", key=key),
                             "template.duplicate_calendar")
            continue
        try:
            definition = check_definition(calendar)
        except ValidationFailed as error:
            for detail in error.details or [{"path": "", "message": error.message}]:
                template.problem(MANIFEST, f"/calendars/{index}{detail.get('path', '')}", detail["message"],
                                 "template.calendar")
            continue
        template.calendars.append(TemplateCalendar(key, name, definition))


def _check_translations(template: Template) -> None:
    """Each translated team, role and calendar is one the manifest lists (a typo would leave it in English)."""
    listed = {"teams": {t.key for t in template.teams}, "roles": {r.name for r in template.roles},
              "calendars": {c.key for c in template.calendars}, "knowledge": {a.key for a in template.knowledge}}
    for locale, translation in template.translations.items():
        for kind, keys in listed.items():
            entries = translation.get(kind)
            for key in entries if isinstance(entries, dict) else {}:
                if key not in keys:
                    template.problem(MANIFEST, _pointer(["i18n", locale, kind, key]), template.say(
                        "template.unknown_translation", key=key, kind=template.say(f"template.kind.{kind}"),
                        keys=", ".join(sorted(keys)) or template.say("template.none")), "template.unknown_translation")


def _items(value: Any) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _check_types(template: Template) -> None:
    keys: dict[str, str] = {}
    prefixes: dict[str, str] = {}
    for ticket_type in template.ticket_types:
        for attribute, seen, sentence in (("key", keys, "template.duplicate_type_key"),
                                          ("number_prefix", prefixes, "template.duplicate_number_prefix")):
            value = getattr(ticket_type, attribute)
            if value is None:
                continue  # validate_definition reports it
            if value in seen:
                template.problem(ticket_type.file, f"/{attribute}", template.say(sentence, value=value,
                                                                                 other=seen[value]),
                                 f"template.duplicate_{attribute}")
            else:
                seen[value] = ticket_type.file
    known = {"known_teams": {team.key for team in template.teams},
             "known_roles": set(BUILT_IN_ROLES) | {role.name for role in template.roles},
             "known_types": set(keys)}
    for ticket_type in template.ticket_types:
        report = validate_definition(ticket_type.document, **known, locale=template.locale)
        template.problems += [_located(ticket_type.file, p.as_dict()) for p in report.errors]
        template.warnings += [_located(ticket_type.file, p.as_dict()) for p in report.warnings]


def _located(file: str, problem: dict[str, str]) -> dict[str, str]:
    return {"location": file, "path": problem["path"], "message": problem["message"], "code": problem["code"]}


# --------------------------------------------------------------------------- finding templates


def default_root() -> Path:
    """templates_library/, unless the application's ``TEMPLATES_ROOT`` names another folder (tests use it to ship
    a newer version of a template)."""
    configured = current_app.config.get("TEMPLATES_ROOT") if has_app_context() else None
    return Path(configured) if configured else TEMPLATES_ROOT


def list_templates(root: Path | None = None, locale: str = DEFAULT_LOCALE) -> list[Template]:
    """Every folder under ``root`` (default: ``default_root()``) with a template.json, by key; problems in
    ``locale``."""
    shared = _shared_templates(root, locale)
    return [_own_copy(template, shared) for template in shared]


def _shared_templates(root: Path | None, locale: str) -> list[Template]:
    """Every template under ``root``, checked and shared (not to be changed), by key and folder."""
    root = default_root() if root is None else root
    if not root.is_dir():
        return []
    templates = [_checked_template(folder, locale) for folder in sorted(root.iterdir())
                 if folder.is_dir() and (folder / MANIFEST).is_file()]
    return sorted(templates, key=lambda t: (t.key, t.path.name))


def _own_copy(template: Template, shared: list[Template]) -> Template:
    """A copy of a shared template for its caller, with the problem of a key that another folder also uses."""
    own = copy.deepcopy(template)
    group = [t for t in shared if t.key == template.key]
    if len(group) > 1:
        folders = ", ".join(t.path.name for t in group)
        own.problem(MANIFEST, "/key", own.say("template.duplicate_key", key=own.key, folders=folders),
                    "template.duplicate_key")
    return own


def get_template(key: str, root: Path | None = None, locale: str = DEFAULT_LOCALE) -> Template:
    """The template ``key`` (404 when there is none), its problems in ``locale``. Only that template is copied
    (a copy of a checked template costs about 13 ms)."""
    shared = _shared_templates(root, locale)
    for template in shared:
        if template.key == key:
            return _own_copy(template, shared)
    available = ", ".join(t.key for t in shared) or texts.say("template.none", locale)
    raise NotFound(texts.say("template.unknown", locale, key=key, available=available))


@dataclass(frozen=True)
class _Here:
    """Which of a template's ticket types, teams, roles and calendars exist in this database."""

    types: dict[str, TicketType]
    teams: set[str]
    roles: set[str]
    calendars: set[str]
    articles: set[str]  # the keys of the template's articles seeded here


def _here(session: Session, template: Template) -> _Here:
    type_keys = [t.key for t in template.ticket_types if t.key]
    return _Here(
        types={t.key: t for t in session.scalars(select(TicketType).where(TicketType.key.in_(type_keys)))},
        teams=set(session.scalars(select(Team.key).where(Team.key.in_([t.key for t in template.teams])))),
        roles=set(session.scalars(select(Role.name).where(Role.name.in_([r.name for r in template.roles])))),
        calendars=set(session.scalars(select(BusinessCalendar.key).where(
            BusinessCalendar.key.in_([c.key for c in template.calendars])))),
        articles=_seeded(session, template))


def _seeded(session: Session, template: Template) -> set[str]:
    found = seeded_articles(session, [a.marker(template.key) for a in template.knowledge])
    return {a.key for a in template.knowledge if a.marker(template.key) in found}


def _translated(template: Template, locale: str | None, *path: str) -> str | None:
    """The manifest's text at ``path`` (e.g. "teams", key, "name") in ``locale``, or None when it has none."""
    node: Any = template.translations.get(locale) if locale else None
    for part in path:
        node = node.get(part) if isinstance(node, dict) else None
    return node if isinstance(node, str) and node else None


def describe(session: Session, template: Template, locale: str | None = None) -> dict[str, Any]:
    """A template as listed: what it holds, and which of its teams, roles and ticket types exist here.

    With a ``locale`` (en, zh-CN), names and descriptions are in that language where the template translates
    them (the manifest's ``i18n``, each definition's own); without one, as written.
    """
    here = _here(session, template)

    def text(default: str, *path: str) -> str:
        return _translated(template, locale, *path) or default

    types = []
    for t in template.ticket_types:
        shown = TemplateType(t.file, localize(t.document, locale)) if locale else t
        types.append({"key": t.key, "name": shown.name, "description": shown.description,
                      "number_prefix": t.number_prefix, "file": t.file, "installed": t.key in here.types,
                      "installed_version": here.types[t.key].latest_version if t.key in here.types else None})
    return {"key": template.key, "name": text(template.name, "name"),
            "description": text(template.description, "description"),
            "version": template.version, "valid": template.valid,
            "installed_version": installed_version(session, template.key),
            "installed": bool(types) and all(t["installed"] for t in types),
            "teams": [{"key": t.key, "name": text(t.name, "teams", t.key, "name"),
                       "description": text(t.description, "teams", t.key, "description"),
                       "exists": t.key in here.teams} for t in template.teams],
            "roles": [{"name": r.name, "description": text(r.description, "roles", r.name, "description"),
                       "exists": r.name in here.roles} for r in template.roles],
            "calendars": [{"key": c.key, "name": text(c.name, "calendars", c.key, "name"),
                           "timezone": c.definition["timezone"], "exists": c.key in here.calendars}
                          for c in template.calendars],
            "knowledge_articles": [{"key": a.key, "title": text(a.title, "knowledge", a.key, "title"),
                                    "visibility": a.visibility, "exists": a.key in here.articles}
                                   for a in template.knowledge],
            "ticket_types": types, "problems": template.problems, "warnings": template.warnings}


def install_plan(session: Session, template: Template) -> dict[str, Any]:
    """What ``install`` would do here now, without writing: what it creates, what exists and is kept, and the
    problems that would stop it (a broken template, or a type that cannot be installed in this database)."""
    here = _here(session, template)
    new_types = [t for t in template.ticket_types if t.key not in here.types]
    if template.problems:
        problems, warnings = template.problems, template.warnings
    else:
        problems, warnings = _check_new_types(session, template, new_types)
    create = {"roles": [r.name for r in template.roles if r.name not in here.roles],
              "teams": [t.key for t in template.teams if t.key not in here.teams],
              "calendars": [c.key for c in template.calendars if c.key not in here.calendars],
              "ticket_types": [t.key for t in new_types if t.key]}
    existing = {"roles": [r.name for r in template.roles if r.name in here.roles],
                "teams": [t.key for t in template.teams if t.key in here.teams],
                "calendars": [c.key for c in template.calendars if c.key in here.calendars],
                "ticket_types": [t.key for t in template.ticket_types if t.key in here.types]}
    create["knowledge_articles"] = [a.key for a in template.knowledge if a.key not in here.articles]
    existing["knowledge_articles"] = [a.key for a in template.knowledge if a.key in here.articles]
    recorded = installed_version(session, template.key)
    return {"can_install": not problems, "changes": any(create.values()) or recorded != template.version,
            "create": create, "existing": existing, "problems": _details(problems), "warnings": _details(warnings)}


def details(session: Session, template: Template, locale: str) -> dict[str, Any]:
    """Everything the templates page shows of one template: as ``describe`` in ``locale``, with each ticket
    type's definition (localized, as the portal would show it) and the install plan."""
    return {**describe(session, template, locale), "locale": locale,
            "definitions": [{"key": t.key, "file": t.file, "definition": localize(t.document, locale)}
                            for t in template.ticket_types],
            "plan": install_plan(session, template)}


# --------------------------------------------------------------------------- installing


@dataclass(frozen=True)
class Skipped:
    kind: str  # "role", "team", "calendar" or "ticket_type"
    key: str
    reason: str


@dataclass
class InstallResult:
    template: Template
    created_roles: list[str] = field(default_factory=list)
    created_teams: list[str] = field(default_factory=list)
    created_calendars: list[str] = field(default_factory=list)
    created_types: list[str] = field(default_factory=list)
    created_articles: list[str] = field(default_factory=list)  # the keys of the seeded knowledge-base articles
    skipped: list[Skipped] = field(default_factory=list)
    warnings: list[dict[str, str]] = field(default_factory=list)
    upgrade_from: int | None = None  # an older version is installed: it stays recorded until the upgrade

    @property
    def changed(self) -> bool:
        """Whether this install created anything (a second install does not)."""
        return bool(self.created_roles or self.created_teams or self.created_calendars or self.created_types
                    or self.created_articles)

    @property
    def created(self) -> dict[str, list[str]]:
        return {"roles": self.created_roles, "teams": self.created_teams, "calendars": self.created_calendars,
                "ticket_types": self.created_types, "knowledge_articles": self.created_articles}

    @property
    def next_steps(self) -> list[str]:
        steps = []
        if self.upgrade_from is not None:
            steps.append(f"Version {self.upgrade_from} of this template is installed and version "
                         f"{self.template.version} ships: upgrade it to see what the template changed next to your "
                         f"changes and take them as drafts (gongdan templates upgrade {self.template.key}, or the "
                         "templates page).")
        if self.created_teams:
            steps.append(f"Add members to the new team(s) {', '.join(self.created_teams)}, and give each a supervisor "
                         "and a manager: routing, on-duty assignment and escalations need them.")
        if self.created_roles:
            steps.append(f"Give the new role(s) {', '.join(self.created_roles)} to the people who should hold them.")
        if self.created_calendars:
            steps.append(f"Check the business hours of the new calendar(s) {', '.join(self.created_calendars)} and add "
                         "your public holidays (gongdan calendars seed KEY --country CN --years 2027): SLA targets "
                         "count in them.")
        if any(s.kind == "ticket_type" for s in self.skipped):
            steps.append("Ticket types that already existed were kept as they are. When a newer version of the "
                         "template ships, its upgrade shows what it changed next to your changes and writes drafts "
                         f"for you to review (gongdan templates upgrade {self.template.key}).")
        return steps

    def as_dict(self) -> dict[str, Any]:
        return {"template": {"key": self.template.key, "name": self.template.name, "version": self.template.version},
                "changed": self.changed, "created": self.created,
                "skipped": [{"kind": s.kind, "key": s.key, "reason": s.reason} for s in self.skipped],
                "warnings": self.warnings, "next_steps": self.next_steps}


def _details(problems: list[dict[str, str]]) -> list[dict[str, str]]:
    return [{"path": p["path"], "location": p["location"], "message": p["message"], "code": p["code"]} for p in problems]


def _why_skipped(ticket_type: TicketType) -> str:
    keep = "kept as it is (a newer template version is taken with an upgrade, which keeps local changes)"
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
        report = validate_definition(ticket_type.document, **known, locale=template.locale)
        problems += [_located(ticket_type.file, p.as_dict()) for p in report.errors]
        warnings += [_located(ticket_type.file, p.as_dict()) for p in report.warnings]
        owner = session.scalar(select(TicketType.key).where(TicketType.number_prefix == ticket_type.number_prefix))
        if owner is not None:
            problems.append({"location": ticket_type.file, "path": "/number_prefix", "code": "prefix_taken",
                             "message": template.say("template.prefix_taken", prefix=ticket_type.number_prefix,
                                                     owner=owner, type=ticket_type.key)})
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


def create_support(session: Session, template: Template, result: InstallResult, actor_id: int | None,
                   locale: str | None = None) -> None:
    """Create the template's roles, teams and calendars that do not exist yet (the caller commits); existing ones
    are left exactly as they are and reported as skipped.

    Teams, roles and calendars hold one name and description (nobody translates them later), so they are created in
    ``locale``, the installing admin's language, where the manifest's ``i18n`` translates them; else as written.
    """

    def text(default: str, *path: str) -> str:
        return _translated(template, locale, *path) or default

    roles = set(session.scalars(select(Role.name).where(Role.name.in_([r.name for r in template.roles]))))
    for role in template.roles:
        if role.name in roles:
            result.skipped.append(Skipped("role", role.name, "already exists; left as it is"))
            continue
        session.add(Role(name=role.name, description=text(role.description, "roles", role.name, "description"),
                         built_in=False))
        audit.record(session, "role.created", "role", role.name, actor_id=actor_id,
                     details={"template": template.key})
        result.created_roles.append(role.name)
    teams = set(session.scalars(select(Team.key).where(Team.key.in_([t.key for t in template.teams]))))
    for team in template.teams:
        if team.key in teams:
            result.skipped.append(Skipped("team", team.key, "already exists; left as it is"))
            continue
        created_team = Team(key=team.key, name=text(team.name, "teams", team.key, "name"),
                            description=text(team.description, "teams", team.key, "description"))
        session.add(created_team)
        session.flush()
        audit.record(session, "team.created", "team", created_team.id, actor_id=actor_id,
                     details={"key": team.key, "template": template.key})
        result.created_teams.append(team.key)
    calendars = set(session.scalars(select(BusinessCalendar.key).where(
        BusinessCalendar.key.in_([c.key for c in template.calendars]))))
    for calendar in template.calendars:
        if calendar.key in calendars:
            result.skipped.append(Skipped("calendar", calendar.key, "already exists; left as it is"))
            continue
        record = BusinessCalendar(key=calendar.key, name=text(calendar.name, "calendars", calendar.key, "name"),
                                  **copy.deepcopy(calendar.definition))
        session.add(record)
        session.flush()
        audit.record(session, "calendar.created", "calendar", record.id, actor_id=actor_id,
                     details={"key": calendar.key, "timezone": record.timezone, "template": template.key})
        result.created_calendars.append(calendar.key)
    seed_knowledge(session, template, result, actor_id)


def _article_body(template: Template, article: TemplateArticle) -> dict[str, Any]:
    """The article as the knowledge base takes it: written in English, with every translation the manifest has."""
    texts_by_locale = {"en": {"title": article.title, "body": article.body}}
    for locale in template.translations:
        title = _translated(template, locale, "knowledge", article.key, "title")
        body = _translated(template, locale, "knowledge", article.key, "body")
        if locale != "en" and title and body:
            texts_by_locale[locale] = {"title": title, "body": body}
    return {"locale": "en", "texts": texts_by_locale, "tags": list(article.tags),
            "ticket_types": list(article.ticket_types), "visibility": article.visibility}


def seed_knowledge(session: Session, template: Template, result: InstallResult, actor_id: int | None) -> None:
    """Publish the template's knowledge-base articles that it has not seeded here before (the caller commits).

    An article is found again by the note of its first version, so one that people have edited since is kept as
    it is; one that was deleted is seeded again, as a deleted team is created again.
    """
    found = seeded_articles(session, [a.marker(template.key) for a in template.knowledge])
    for article in template.knowledge:
        if article.marker(template.key) in found:
            result.skipped.append(Skipped("knowledge_article", article.key, "already seeded; left as it is"))
            continue
        seed_article(session, _article_body(template, article), marker=article.marker(template.key),
                     actor_id=actor_id)
        result.created_articles.append(article.key)


def shipped_definitions(template: Template) -> dict[str, Any]:
    """Each type's definition as this template version ships it (upgraded to the current format), by key."""
    return {t.key: upgrade(copy.deepcopy(t.document)) for t in template.ticket_types if t.key}


def _record_new_types(session: Session, template: Template, created: list[str]) -> bool:
    """An older version stays recorded: add only the types this install created, with their definitions as base."""
    record = session.scalar(select(InstalledTemplate).where(InstalledTemplate.key == template.key))
    if record is None or not created:
        return False
    shipped = shipped_definitions(template)
    record.ticket_types = [*record.ticket_types, *(k for k in created if k not in record.ticket_types)]
    record.base_definitions = {**(record.base_definitions or {}), **{k: shipped[k] for k in created}}
    session.flush()
    return True


def record_version(session: Session, template: Template, actor_id: int | None) -> bool:
    """Record the template version as installed, with the definitions it shipped; whether the version changed.

    An install of the same version recorded before the definitions were kept (migration 0013) gets them filled in,
    which is bookkeeping, not a change: the caller commits it without an audit entry.
    """
    types = [t.key for t in template.ticket_types if t.key]
    record = session.scalar(select(InstalledTemplate).where(InstalledTemplate.key == template.key))
    if record is not None and record.version == template.version and record.ticket_types == types:
        if record.base_definitions is None:
            record.base_definitions = shipped_definitions(template)  # not flushed: the caller sees it in session.dirty
        return False
    if record is None:
        record = InstalledTemplate(key=template.key)
        session.add(record)
    record.version, record.ticket_types, record.installed_by_id = template.version, types, actor_id
    record.base_definitions = shipped_definitions(template)
    record.installed_at = utcnow()
    session.flush()
    return True


def installed_version(session: Session, key: str) -> int | None:
    """The version of the template ``key`` installed here, or None (never installed, or uninstalled)."""
    return session.scalar(select(InstalledTemplate.version).where(InstalledTemplate.key == key))


def install(session: Session, key: str, *, actor: User | None, locale: str | None = None,
            root: Path | None = None) -> InstallResult:
    """Install a template: missing roles and teams, and its ticket types that do not exist yet, published.

    One transaction, checked in full first: a broken template (422 ``template_invalid``) or a type that cannot be
    installed here, such as one whose number prefix another type uses, writes nothing. ``actor`` is None for
    the command line. ``locale`` is the installer's language (default: the actor's profile, else English): new
    teams, roles and calendars are named in it. See the module's docstring for what is created and what is skipped.
    """
    locale = reader_locale(actor.locale if actor is not None else None) if locale is None else locale
    template = get_template(key, root, locale)
    if template.problems:
        raise ValidationFailed(template.say("template.broken", key=key, count=len(template.problems)),
                               details=_details(template.problems), code="template_invalid")
    actor_id = actor.id if actor is not None else None
    result = InstallResult(template)
    installed = installed_version(session, template.key)
    if installed is not None and template.version is not None and installed < template.version:
        result.upgrade_from = installed
    try:
        existing = {t.key: t for t in session.scalars(
            select(TicketType).where(TicketType.key.in_([t.key for t in template.ticket_types])))}
        new_types = [t for t in template.ticket_types if t.key not in existing]
        problems, result.warnings = _check_new_types(session, template, new_types)
        if problems:
            more = template.say("template.more_problems", count=len(problems) - 1) if len(problems) > 1 else ""
            raise ValidationFailed(template.say("template.cannot_install_here", key=key,
                                                problem=problems[0]["message"], more=more),
                                   details=_details(problems), code="template_invalid")

        create_support(session, template, result, actor_id, locale)
        for ticket_type in template.ticket_types:
            if ticket_type.key in existing:
                result.skipped.append(Skipped("ticket_type", ticket_type.key, _why_skipped(existing[ticket_type.key])))
            else:
                result.created_types.append(_create_type(session, template, ticket_type, actor_id))
        recorded = (_record_new_types(session, template, result.created_types) if result.upgrade_from is not None
                    else record_version(session, template, actor_id))
        if result.changed or recorded:
            audit.record(session, "template.installed", "template", template.key, actor_id=actor_id,
                         details={"version": template.version, "created": result.created,
                                  "skipped": [f"{s.kind}:{s.key}" for s in result.skipped]})
            session.commit()
        elif session.dirty:
            session.commit()  # only the shipped definitions of an install recorded before they were kept
        else:
            session.rollback()  # the same version again: nothing to write, not even an audit entry
    except IntegrityError:
        session.rollback()
        raise Conflict(template.say("template.install_race")) from None
    except BaseException:
        session.rollback()
        raise
    return result


# --------------------------------------------------------------------------- uninstalling


@dataclass
class UninstallResult:
    template: Template
    removed_types: list[str] = field(default_factory=list)
    kept: dict[str, list[str]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"template": {"key": self.template.key, "name": self.template.name, "version": self.template.version},
                "removed": {"ticket_types": self.removed_types}, "kept": self.kept}


def uninstall(session: Session, key: str, *, actor: User | None, locale: str | None = None,
              root: Path | None = None) -> UninstallResult:
    """Remove the template's ticket types (with their drafts and versions) and its install record.

    Refused (409 ``template_in_use``, nothing changes) while any ticket of its types exists, saying how many:
    tickets are never deleted with a template. Teams, roles and calendars are kept, since people, rosters and
    other ticket types may use them; ``kept`` lists them.
    """
    locale = reader_locale(actor.locale if actor is not None else None) if locale is None else locale
    template = get_template(key, root, locale)
    actor_id = actor.id if actor is not None else None
    keys = [t.key for t in template.ticket_types if t.key]
    record = session.scalar(select(InstalledTemplate).where(InstalledTemplate.key == template.key))
    types = list(session.scalars(select(TicketType).where(TicketType.key.in_(keys))))
    if record is None and not types:
        raise NotFound(texts.say("template.not_installed", locale, template=template.title))
    counts = dict(session.execute(select(TicketType.key, func.count(Ticket.id)).join(Ticket, Ticket.ticket_type_id
                                                                                      == TicketType.id)
                                  .where(TicketType.key.in_(keys)).group_by(TicketType.key)).all())
    total = sum(counts.values())
    if total:
        raise Conflict(texts.say("template.in_use", locale, template=template.title, count=total,
                                 types=", ".join(f"{k}: {n}" for k, n in sorted(counts.items()))),
                       details=[{"path": f"/ticket_types/{k}", "location": "database", "message": str(n)}
                                for k, n in sorted(counts.items())], code="template_in_use")
    seeded = seeded_articles(session, [a.marker(template.key) for a in template.knowledge])
    result = UninstallResult(template, removed_types=sorted(t.key for t in types),
                             kept={"teams": [t.key for t in template.teams], "roles": [r.name for r in template.roles],
                                   "calendars": [c.key for c in template.calendars],
                                   "knowledge_articles": [a.key for a in template.knowledge
                                                          if a.marker(template.key) in seeded]})
    try:
        for ticket_type in types:
            audit.record(session, "ticket_type.deleted", "ticket_type", ticket_type.key, actor_id=actor_id,
                         details={"template": template.key})
            session.delete(ticket_type)
        if record is not None:
            session.delete(record)
        audit.record(session, "template.uninstalled", "template", template.key, actor_id=actor_id,
                     details={"version": template.version, "removed": result.removed_types})
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return result
