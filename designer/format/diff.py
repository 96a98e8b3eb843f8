"""A structured diff between two definitions, as changes the designer can show as sentences.

Each change has a ``kind``, the JSON ``path`` it concerns, a ``summary`` sentence, and
``breaking: true`` when tickets already created could stop validating or lose their state.

Translations (``i18n`` objects) are compared on their own: a changed translation is one
``translations_changed`` change naming the languages, never a change of the field, state or rule that
carries it, and never breaking.
"""

from __future__ import annotations

from typing import Any

from designer.format.document import canonical_json
from runtime.rules.i18n import LOCALES, strip_translations, translation_sites

# Keywords whose change can only make a field accept less: any change to them is breaking.
_RESTRICTING = ("type", "enum", "const", "pattern", "format", "minLength", "minimum", "exclusiveMinimum",
                "minItems", "maxLength", "maximum", "exclusiveMaximum", "maxItems", "multipleOf", "items",
                "properties", "required", "additionalProperties")


def _get(document: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(document, dict):
            return None
        document = document.get(key)
    return document


def _by_key(items: Any, key: str = "key") -> dict[str, Any]:
    if not isinstance(items, list):
        return {}
    return {item[key]: item for item in items if isinstance(item, dict) and isinstance(item.get(key), str)}


def _same(a: Any, b: Any) -> bool:
    return canonical_json(a) == canonical_json(b)


def _field_restrictions(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """Which restricting keywords differ between two versions of a field's schema."""
    if not isinstance(old, dict) or not isinstance(new, dict):
        return ["schema"]
    changed = []
    for keyword in _RESTRICTING:
        if keyword in new and not _same(old.get(keyword), new.get(keyword)):
            if keyword == "enum" and isinstance(old.get("enum"), list) and isinstance(new["enum"], list) \
                    and set(map(canonical_json, old["enum"])) <= set(map(canonical_json, new["enum"])):
                continue  # only values added: existing data still valid
            changed.append(keyword)
    return changed


def _title(schema: Any, name: str) -> str:
    return schema.get("title", name) if isinstance(schema, dict) else name


_LANGUAGES = {"en": "English", "zh-CN": "Chinese"}


def _escape(part: Any) -> str:
    return str(part).replace("~", "~0").replace("/", "~1")


def _site_id(document: Any, path: tuple[Any, ...]) -> tuple[Any, ...]:
    """A translated object's identity across versions: list items by their key or name, not their position."""
    result: list[Any] = []
    node = document
    for part in path:
        item = node[part] if isinstance(node, dict | list) else None
        if isinstance(part, int) and isinstance(item, dict):
            ident = item.get("key") if isinstance(item.get("key"), str) else item.get("name")
            result.append(("item", ident) if isinstance(ident, str) else part)
        else:
            result.append(part)
        node = item
    return tuple(result)


def _what(document: Any, path: tuple[Any, ...], kind: str) -> str:
    """How a summary names the translated object: "field 'Title'", "state 'Resolved'", "the ticket type"."""
    node = document
    for part in path:
        node = node[part]
    if kind == "document":
        return "the ticket type"
    if kind == "schema":
        if len(path) >= 4 and path[:3] == ("form", "schema", "properties"):
            return f"field '{_title(node, str(path[3]))}'" if len(path) == 4 else f"a part of field '{path[3]}'"
        if len(path) >= 5 and path[3] == "fields":
            return f"field '{_title(node, str(path[4]))}' of a transition" if len(path) == 5 \
                else f"a part of field '{path[4]}'"
        return "the form"
    if kind == "ui":
        return f"the form settings of '{path[2]}'"
    if kind == "measure":
        chart = document[path[0]][path[1]]
        name = node.get("label") or node.get("agg")
        return f"measure '{name}' of chart '{chart.get('title') or chart.get('key')}'"
    label = {"state": "state", "transition": "transition", "routing": "routing rule", "sla": "SLA policy",
             "automation": "automation", "chart": "chart"}[kind]
    name = node.get("name") or node.get("title") or node.get("key")
    return f"{label} '{name}'" if isinstance(name, str) else label


def _translations(document: Any) -> dict[tuple[Any, ...], tuple[tuple[Any, ...], str, Any]]:
    found = {}
    for site in translation_sites(document):
        if "i18n" in site.node:
            found[_site_id(document, site.path)] = (site.path, site.kind, site.node["i18n"])
    return found


def _translation_changes(old: Any, new: Any) -> list[dict[str, Any]]:
    changes = []
    before, after = _translations(old), _translations(new)
    for ident in [*after, *(i for i in before if i not in after)]:
        old_i18n = before[ident][2] if ident in before else None
        new_i18n = after[ident][2] if ident in after else None
        if _same(old_i18n, new_i18n):
            continue
        old_by = old_i18n if isinstance(old_i18n, dict) else {}
        new_by = new_i18n if isinstance(new_i18n, dict) else {}
        locales = sorted({k for k in (*old_by, *new_by) if not _same(old_by.get(k), new_by.get(k))},
                         key=lambda k: (LOCALES.index(k) if k in LOCALES else len(LOCALES), str(k)))
        document, (path, kind, _) = (new, after[ident]) if ident in after else (old, before[ident])
        languages = ", ".join(_LANGUAGES.get(k, str(k)) for k in locales)
        changes.append({"kind": "translations_changed", "path": "".join(f"/{_escape(p)}" for p in (*path, "i18n")),
                        "summary": f"The {languages} translation{'s' if len(locales) > 1 else ''} of "
                                   f"{_what(document, path, kind)} changed.",
                        "breaking": False, "locales": locales})
    return changes


def diff_definitions(old: Any, new: Any) -> list[dict[str, Any]]:
    changes: list[dict[str, Any]] = _translation_changes(old, new)
    old, new = strip_translations(old), strip_translations(new)

    def add(kind: str, path: str, summary: str, breaking: bool = False, **extra: Any) -> None:
        changes.append({"kind": kind, "path": path, "summary": summary, "breaking": breaking, **extra})

    for key in ("name", "description", "number_prefix", "categories", "locale"):
        if not _same(_get(old, key), _get(new, key)):
            label = key.replace("_", " ")
            add(f"{key}_changed", f"/{key}", f"The {label} changed from {_get(old, key)!r} to {_get(new, key)!r}.",
                breaking=key == "number_prefix" and _get(old, key) is not None,
                old=_get(old, key), new=_get(new, key))

    old_props = _get(old, "form", "schema", "properties") or {}
    new_props = _get(new, "form", "schema", "properties") or {}
    old_required = set(_get(old, "form", "schema", "required") or [])
    new_required = set(_get(new, "form", "schema", "required") or [])
    for name in new_props:
        path = f"/form/schema/properties/{name}"
        if name not in old_props:
            required = name in new_required
            add("field_added", path, f"Field '{_title(new_props[name], name)}' was added"
                + (" as required: existing tickets do not have it." if required else "."),
                breaking=required, field=name)
        elif not _same(old_props[name], new_props[name]):
            restrictions = _field_restrictions(old_props[name], new_props[name])
            add("field_changed", path, f"Field '{_title(new_props[name], name)}' changed"
                + (f" ({', '.join(restrictions)}): existing values may no longer be valid." if restrictions else "."),
                breaking=bool(restrictions), field=name, restricted=restrictions)
    for name in old_props:
        if name not in new_props:
            closed = _get(new, "form", "schema", "additionalProperties") is False
            add("field_removed", f"/form/schema/properties/{name}",
                f"Field '{_title(old_props[name], name)}' was removed"
                + (": existing tickets that have it no longer validate." if closed
                   else "; existing values are kept but no longer shown."),
                breaking=closed, field=name)
    for name in sorted(new_required - old_required):
        if name in old_props:
            add("field_now_required", "/form/schema/required", f"Field '{_title(new_props.get(name), name)}' is now required.",
                breaking=True, field=name)
    for name in sorted(old_required - new_required):
        if name in new_props:
            add("field_now_optional", "/form/schema/required", f"Field '{_title(new_props.get(name), name)}' is now optional.",
                field=name)

    for part, noun in (("field_rules", "field rules"), ("ui", "form layout")):
        if not _same(_get(old, "form", part), _get(new, "form", part)):
            add(f"form_{part}_changed", f"/form/{part}", f"The {noun} changed.")
    if not _same(_get(old, "priority"), _get(new, "priority")):
        add("priority_changed", "/priority", "The priority matrix or its overrides changed.")

    old_states = _by_key(_get(old, "workflow", "states"))
    new_states = _by_key(_get(new, "workflow", "states"))
    for key in new_states.keys() - old_states.keys():
        add("state_added", "/workflow/states", f"State '{new_states[key].get('name', key)}' was added.", state=key)
    for key in old_states.keys() - new_states.keys():
        add("state_removed", "/workflow/states",
            f"State '{old_states[key].get('name', key)}' was removed: tickets in it keep running on their own version.",
            breaking=True, state=key)
    for key in old_states.keys() & new_states.keys():
        if not _same(old_states[key], new_states[key]):
            add("state_changed", "/workflow/states", f"State '{new_states[key].get('name', key)}' changed.", state=key)

    old_transitions = _by_key(_get(old, "workflow", "transitions"))
    new_transitions = _by_key(_get(new, "workflow", "transitions"))
    for key in new_transitions.keys() - old_transitions.keys():
        add("transition_added", "/workflow/transitions",
            f"Transition '{new_transitions[key].get('name', key)}' was added.", transition=key)
    for key in old_transitions.keys() - new_transitions.keys():
        add("transition_removed", "/workflow/transitions",
            f"Transition '{old_transitions[key].get('name', key)}' was removed.", transition=key)
    for key in old_transitions.keys() & new_transitions.keys():
        if not _same(old_transitions[key], new_transitions[key]):
            what = [k for k in sorted(set(old_transitions[key]) | set(new_transitions[key]))
                    if not _same(old_transitions[key].get(k), new_transitions[key].get(k))]
            add("transition_changed", "/workflow/transitions",
                f"Transition '{new_transitions[key].get('name', key)}' changed: {', '.join(what)}.",
                transition=key, changed=what)

    for part, label, name_key in (("routing", "Routing rule", "name"), ("sla", "SLA policy", "name"),
                                  ("automations", "Automation", "name"), ("charts", "Chart", "key")):
        old_items = _by_key(_get(old, part), name_key)
        new_items = _by_key(_get(new, part), name_key)
        for name in new_items.keys() - old_items.keys():
            add(f"{part}_added", f"/{part}", f"{label} '{name}' was added.", name=name)
        for name in old_items.keys() - new_items.keys():
            add(f"{part}_removed", f"/{part}", f"{label} '{name}' was removed.", name=name)
        for name in old_items.keys() & new_items.keys():
            if not _same(old_items[name], new_items[name]):
                add(f"{part}_changed", f"/{part}", f"{label} '{name}' changed.", name=name)
        if part == "routing" and old_items.keys() == new_items.keys() and list(old_items) != list(new_items):
            add("routing_reordered", "/routing", "The order of the routing rules changed (the first match wins).")
    changes.sort(key=lambda c: (not c["breaking"], c["path"]))
    return changes
