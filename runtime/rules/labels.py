"""How a reader reads the values of one definition: field titles, option labels, state and transition names,
checklist items, yes/no, dates.

``Labels(document, locale)`` is built once per published version and locale (runtime.rules.cache.labels_for)
over the localized definition. It knows the definition only: what a team key, a user's email or an attachment
id is called comes from the database, and callers pass those names in (runtime.tickets.display does).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from runtime.rules import texts
from runtime.rules.i18n import localize

Names = Mapping[str, str]


def options_of(schema: Any, ui: Any = None) -> list[tuple[Any, str]] | None:
    """The fixed values of a field with their labels: `oneOf`/`anyOf` of {const, title}, else `enum` with the UI
    schema's `ui:enumNames` (positionally; a missing name is the value itself). None when the values are open."""
    if not isinstance(schema, dict):
        return None
    for keyword in ("oneOf", "anyOf"):
        options = schema.get(keyword)
        if isinstance(options, list) and options and all(isinstance(o, dict) and "const" in o for o in options):
            return [(o["const"], o["title"] if isinstance(o.get("title"), str) and o["title"] else _plain(o["const"]))
                    for o in options]
    enum = schema.get("enum")
    if isinstance(enum, list):
        names = ui.get("ui:enumNames") if isinstance(ui, dict) else None
        names = names if isinstance(names, list) else []
        return [(value, names[i] if i < len(names) and isinstance(names[i], str) and names[i] else _plain(value))
                for i, value in enumerate(enum)]
    return None


def _plain(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _same(a: Any, b: Any) -> bool:
    return (a == b and type(a) is type(b)) or (isinstance(a, int | float) and isinstance(b, int | float)
                                                 and not isinstance(a, bool) and not isinstance(b, bool) and a == b)


class Labels:
    """Display texts of one definition for one locale. Every method takes stored values (keys, enum values,
    authored checklist items) and answers what the reader sees."""

    def __init__(self, document: dict[str, Any], locale: str) -> None:
        self.locale = locale
        self.document = localize(document, locale)
        doc = self.document if isinstance(self.document, dict) else {}
        form = doc.get("form") if isinstance(doc.get("form"), dict) else {}
        schema = form.get("schema") if isinstance(form.get("schema"), dict) else {}
        self.ui: dict[str, Any] = form.get("ui") if isinstance(form.get("ui"), dict) else {}
        self.order: list[str] = [n for n in self.ui.get("ui:order", []) if isinstance(n, str) and n != "*"] \
            if isinstance(self.ui.get("ui:order"), list) else []
        properties = schema.get("properties") if isinstance(schema.get("properties"), dict) else {}
        self.form_fields: dict[str, Any] = dict(properties)
        self.fields: dict[str, Any] = dict(properties)
        workflow = doc.get("workflow") if isinstance(doc.get("workflow"), dict) else {}
        self.states: dict[str, dict[str, Any]] = {s["key"]: s for s in workflow.get("states", [])
                                                  if isinstance(s, dict) and isinstance(s.get("key"), str)}
        self.transitions: dict[str, dict[str, Any]] = {}
        for transition in workflow.get("transitions", []):
            if isinstance(transition, dict) and isinstance(transition.get("key"), str):
                self.transitions.setdefault(transition["key"], transition)
                for name, field in (transition.get("fields") or {}).items():
                    self.fields.setdefault(name, field)
        authored = document.get("workflow", {}).get("transitions", []) if isinstance(document, dict) else []
        # transition key -> authored checklist item -> the reader's text (items are stored as authored)
        self.checklists: dict[str, dict[str, str]] = {}
        for original in authored if isinstance(authored, list) else []:
            if not isinstance(original, dict) or original.get("key") not in self.transitions:
                continue
            items = original.get("checklist") or []
            shown = self.transitions[original["key"]].get("checklist") or []
            self.checklists[original["key"]] = {item: shown[i] if i < len(shown) else item for i, item in enumerate(items)}

    # ---------------------------------------------------------------- names

    def field_title(self, name: str) -> str:
        """A field's label: its UI title, else its schema title (form fields first, then transitions' fields)."""
        if name == "priority" and name not in self.fields:
            return texts.say("field.priority", self.locale)
        if name == "comment" and name not in self.fields:
            return texts.say("transition.comment", self.locale)
        ui = self.ui.get(name)
        if isinstance(ui, dict) and isinstance(ui.get("ui:title"), str) and ui["ui:title"]:
            return ui["ui:title"]
        schema = self.fields.get(name)
        title = schema.get("title") if isinstance(schema, dict) else None
        return title if isinstance(title, str) and title else name

    def state(self, key: Any) -> str:
        state = self.states.get(key) if isinstance(key, str) else None
        return str(state.get("name") or key) if state else _plain(key)

    def transition(self, key: Any) -> str:
        transition = self.transitions.get(key) if isinstance(key, str) else None
        return str(transition.get("name") or key) if transition else _plain(key)

    def checklist(self, transition: str, items: list[Any]) -> list[str]:
        """Authored checklist items (as stored in events) as the reader reads them."""
        known = self.checklists.get(transition, {})
        return [known.get(item, _plain(item)) if isinstance(item, str) else _plain(item) for item in items]

    def named(self, part: str, index: Any, default: Any) -> str:
        """The reader's name of a routing rule, SLA policy or automation by its position (its name when moved)."""
        items = self.document.get(part) if isinstance(self.document, dict) else None
        if isinstance(index, int) and isinstance(items, list) and 0 <= index < len(items) and isinstance(items[index], dict):
            return str(items[index].get("name") or default)
        return _plain(default)

    # ---------------------------------------------------------------- values

    def options(self, name: str) -> list[dict[str, Any]] | None:
        """A field's fixed values and their labels, for pickers: [{value, label}], or None for open values."""
        found = options_of(self.fields.get(name), self.ui.get(name))
        return None if found is None else [{"value": value, "label": label} for value, label in found]

    def value(self, name: str, value: Any, *, attachments: Names | None = None, time_zone: str | None = None) -> str:
        """A stored value of field `name` as the reader reads it: option labels for fixed values, yes/no, dates
        in the reader's time zone, file names for attachment ids (`attachments`: id -> file name), lists and
        rows of repeating tables spelled out. Empty values read '—'."""
        schema = self.fields.get(name)
        return self._value(schema if isinstance(schema, dict) else {}, self.ui.get(name), value,
                           attachments or {}, time_zone, 0)

    def _value(self, schema: dict[str, Any], ui: Any, value: Any, attachments: Names, time_zone: str | None,
               depth: int) -> str:
        locale = self.locale
        if value is None or value == "" or value == [] or value == {}:
            return texts.say("value.empty", locale)
        options = options_of(schema, ui)
        if options is not None and not isinstance(value, list | dict):
            for option, label in options:
                if _same(option, value):
                    return label
        if isinstance(value, bool):
            return texts.say("value.yes" if value else "value.no", locale)
        if isinstance(value, str):
            kind = schema.get("format")
            if kind == "attachment":
                return attachments.get(value, value)
            if kind == "date":
                return _parsed(value, dt.date.fromisoformat, lambda d: texts.format_date(d, locale))
            if kind == "date-time":
                return _parsed(value, _instant, lambda d: texts.format_datetime(d, locale, time_zone))
            return value
        if isinstance(value, list) and depth < 8:
            items = schema.get("items") if isinstance(schema.get("items"), dict) else {}
            items_ui = ui.get("items") if isinstance(ui, dict) and isinstance(ui.get("items"), dict) else ui
            if isinstance(items.get("properties"), dict):  # a repeating table: one row per line
                return "\n".join(self._value(items, items_ui, row, attachments, time_zone, depth + 1) for row in value)
            return texts.join((self._value(items, items_ui, item, attachments, time_zone, depth + 1) for item in value),
                              locale)
        if isinstance(value, dict) and depth < 8:
            properties = schema.get("properties") if isinstance(schema.get("properties"), dict) else {}
            parts = []
            for key, item in value.items():
                sub = properties.get(key) if isinstance(properties.get(key), dict) else {}
                sub_ui = ui.get(key) if isinstance(ui, dict) else None
                title = sub_ui.get("ui:title") if isinstance(sub_ui, dict) and sub_ui.get("ui:title") else sub.get("title")
                parts.append(f"{title or key}: {self._value(sub, sub_ui, item, attachments, time_zone, depth + 1)}")
            return texts.join(parts, locale) if locale != "zh-CN" else "；".join(parts)  # noqa: RUF001
        return _plain(value)

    def attachment_ids(self, name: str, value: Any) -> list[str]:
        """The attachment ids a value of field `name` holds (one, a list, none)."""
        schema = self.fields.get(name)
        if not isinstance(schema, dict):
            return []
        if schema.get("format") == "attachment" and isinstance(value, str):
            return [value]
        items = schema.get("items")
        if isinstance(items, dict) and items.get("format") == "attachment" and isinstance(value, list):
            return [v for v in value if isinstance(v, str)]
        return []


def _instant(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def _parsed(text: str, parse: Callable[[str], Any], show: Callable[[Any], str]) -> str:
    try:
        return show(parse(text))
    except (ValueError, OverflowError):  # not a date, or one with no equivalent in the reader's time zone
        return text
