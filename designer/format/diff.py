"""A structured diff between two definitions, as changes the designer can show as sentences.

Each change has a ``kind``, the JSON ``path`` it concerns, a ``summary`` sentence, and
``breaking: true`` when tickets already created could stop validating or lose their state.
"""

from __future__ import annotations

from typing import Any

from designer.format.document import canonical_json

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


def diff_definitions(old: Any, new: Any) -> list[dict[str, Any]]:
    changes: list[dict[str, Any]] = []

    def add(kind: str, path: str, summary: str, breaking: bool = False, **extra: Any) -> None:
        changes.append({"kind": kind, "path": path, "summary": summary, "breaking": breaking, **extra})

    for key in ("name", "description", "number_prefix", "categories"):
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
