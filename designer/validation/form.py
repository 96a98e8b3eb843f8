"""The form: a valid JSON Schema 2020-12, usable field names, `required`, `ui:order`, the UI schema and categories."""

from __future__ import annotations

import re
import urllib.parse
from typing import Any

from designer.format.document import (
    FORM_META_VALIDATOR,
)
from designer.validation.common import (
    _SUBSCHEMA,
    _SUBSCHEMA_LISTS,
    _SUBSCHEMA_MAPS,
    FIELD_NAME,
    FORM_SCHEMA_URIS,
    MAX_DEPTH,
    RESERVED_FIELDS,
    SCHEMA_KEYWORDS,
    _dict,
    _did_you_mean,
    _enum_values,
    _join,
    _list,
    _names,
    _plainly_valid,
    _pointer,
    _resolves,
    _show,
    _text,
)
from runtime.rules.patterns import MAX_PATTERN_LENGTH, pattern_problem

SECTION_ID = re.compile(r"[A-Za-z0-9_-]{1,64}\Z")
LAYOUT_KEYS = {"section": ("section", "title", "description", "items", "i18n"), "columns": ("columns",)}


class FormChecks:
    """The form: a valid JSON Schema 2020-12, usable field names, `required`, `ui:order`, the UI schema and categories.

    A mixin of designer.validation.checker.Checker, which provides ``self``.
    """

    def form_checks(self) -> None:
        form_ptr = "/form/schema"
        schema = self.form_schema
        if schema:
            declared = schema.get("$schema")
            if "$schema" in schema and declared not in FORM_SCHEMA_URIS:
                self.error(f"{form_ptr}/$schema", self.say("check.form.schema_dialect", uri=FORM_SCHEMA_URIS[0],
                                                            found=_show(declared)), "form.schema_dialect")
            self.check_json_schema(schema, ["form", "schema"])
            self.schema_walk(schema, ["form", "schema"])
        for name in self.fields:
            pointer = _join(form_ptr, "properties", name)
            if name in RESERVED_FIELDS:
                self.error(pointer, self.say("check.form.reserved_field", name=name, use=self.say(f"check.form.reserved.{name}")),
                           "form.reserved_field")
            elif not FIELD_NAME.match(name):
                self.error(pointer, self.say("check.form.field_name", name=_show(name)), "form.field_name")
        for index, name in enumerate(_list(schema.get("required"))):
            if isinstance(name, str) and name not in self.fields:
                self.error(_join(form_ptr, "required", index),
                           self.say("check.form.unknown_required", name=_text(name)) + _did_you_mean(name, self.fields),
                           "form.unknown_field")
        self.ui_checks()
        for i, rule in enumerate(_list(self.form.get("field_rules"))):
            for verb in ("show", "hide", "require", "readonly"):
                for j, name in enumerate(_list(_dict(rule).get(verb))):
                    if isinstance(name, str) and name not in self.fields:
                        self.error(_join("/form/field_rules", i, verb, j),
                                   self.say(f"check.form.rule_{verb}", n=i + 1, name=_text(name))
                                   + _did_you_mean(name, self.fields), "form.unknown_field")
        self.category_checks()

    def check_json_schema(self, schema: Any, base: list[Any]) -> None:
        """Report every way `schema` is not a valid JSON Schema 2020-12, at pointers below `base`.

        Field schemas that are plainly valid (see _plainly_valid) are left out of the meta-schema check: the
        meta-schema checks each property's schema on its own, so the errors are the same, in a fraction of
        the time (a 200-field form takes 40 ms through jsonschema, under 1 ms this way)."""
        if _plainly_valid(schema):
            return
        properties = schema.get("properties") if isinstance(schema, dict) else None
        if isinstance(properties, dict) and properties:
            unclear = {name: sub for name, sub in properties.items() if not _plainly_valid(sub)}
            if len(unclear) < len(properties):
                schema = {**schema, "properties": unclear}
        try:
            for error in FORM_META_VALIDATOR.iter_errors(schema):
                self.translate(error, base)
        except RecursionError:
            self.error(_pointer(base), self.say("check.form.schema_too_deep"), "document.too_deep")

    def schema_walk(self, schema: Any, base: list[Any]) -> None:
        """Look through a JSON Schema (the form's, or a transition field's) for what the meta-schema allows but
        the runtime cannot use: keywords JSON Schema does not know, usually misspelt ('maxlength', a warning),
        and `$ref`s that do not resolve inside the schema itself (an error: the runtime fetches nothing)."""
        refs: list[tuple[str, list[Any]]] = []
        anchors: set[str] = set()
        stack: list[tuple[Any, list[Any], int]] = [(schema, base, 0)]
        while stack:
            node, parts, depth = stack.pop()
            if not isinstance(node, dict) or depth > MAX_DEPTH:
                continue
            children: list[tuple[Any, list[Any], int]] = []
            for key, value in node.items():
                if not isinstance(key, str):
                    continue
                if key == "$ref" and isinstance(value, str):
                    refs.append((value, [*parts, key]))
                elif key == "pattern" and isinstance(value, str):
                    self.check_pattern(value, [*parts, key])
                elif key == "patternProperties" and isinstance(value, dict):
                    for pattern in value:
                        if isinstance(pattern, str):
                            self.check_pattern(pattern, [*parts, key, pattern])
                elif key in ("$anchor", "$dynamicAnchor") and isinstance(value, str):
                    anchors.add(value)
                if key not in SCHEMA_KEYWORDS and not key.startswith(("x-", "ui:")) and key != "i18n":
                    self.warning(_pointer([*parts, key]),
                                 self.message(parts, self.say("check.form.unknown_keyword", name=_text(key))
                                              + _did_you_mean(key, SCHEMA_KEYWORDS)), "form.unknown_keyword")
                elif key in _SUBSCHEMA:
                    children.append((value, [*parts, key], depth + 1))
                elif key in _SUBSCHEMA_MAPS and isinstance(value, dict):
                    children.extend((sub, [*parts, key, name], depth + 1) for name, sub in value.items())
                elif key in _SUBSCHEMA_LISTS and isinstance(value, list):
                    children.extend((sub, [*parts, key, i], depth + 1) for i, sub in enumerate(value))
            stack.extend(reversed(children))  # so that problems come in document order
        for ref, parts in refs:
            if ref == "#" or ref.startswith("#/"):
                target = urllib.parse.unquote(ref[1:])
                if _resolves(schema, target):
                    continue
                problem = self.say("check.form.ref_missing", ref=_show(ref))
            elif ref.startswith("#"):
                if urllib.parse.unquote(ref[1:]) in anchors:
                    continue
                problem = self.say("check.form.ref_anchor", ref=_show(ref))
            else:
                problem = self.say("check.form.ref_outside", ref=_show(ref))
            self.error(_pointer(parts), self.message(parts, problem), "form.unresolved_ref")

    def check_pattern(self, pattern: str, parts: list[Any]) -> None:
        """A pattern must run in the linear-time engine the runtime matches with (runtime.rules.patterns): no
        look-around, no backreferences, repetition counts up to 1,000, at most MAX_PATTERN_LENGTH characters."""
        if len(pattern) > MAX_PATTERN_LENGTH:
            self.error(_pointer(parts), self.message(parts, self.say("check.form.pattern_too_long", size=f"{len(pattern):,}",
                                                                      limit=f"{MAX_PATTERN_LENGTH:,}")),
                       "form.pattern_too_long")
            return
        problem = pattern_problem(pattern)
        if problem is not None:
            self.error(_pointer(parts), self.message(parts, self.say("check.form.pattern_unsupported", pattern=_show(pattern),
                                                                      problem=problem)), "form.pattern_unsupported")

    def ui_checks(self) -> None:
        ui = _dict(self.form.get("ui"))
        order = ui.get("ui:order")
        if isinstance(order, list):
            seen: set[str] = set()
            for index, name in enumerate(order):
                pointer = _join("/form/ui", "ui:order", index)
                if not isinstance(name, str):
                    self.error(pointer, self.say("check.form.ui_order_item", found=_show(name)), "form.ui_order")
                elif name in seen:
                    self.error(pointer, self.say("check.form.ui_order_twice", name=_text(name)), "form.ui_order")
                elif name != "*" and name not in self.fields:
                    self.error(pointer, self.say("check.form.ui_order_unknown", name=_text(name))
                               + _did_you_mean(name, self.fields), "form.ui_order")
                seen.add(name) if isinstance(name, str) else None
        elif order is not None:
            self.error("/form/ui/ui:order", self.say("check.form.ui_order_list"), "form.ui_order")
        if "ui:layout" in ui:
            self.layout_checks(ui["ui:layout"])
        for key in ui:
            if isinstance(key, str) and not key.startswith("ui:") and key not in self.fields and key != "i18n":
                self.warning(_join("/form/ui", key), self.say("check.form.ui_unknown_field", name=_text(key))
                             + _did_you_mean(key, self.fields), "form.ui_unknown_field")

    def layout_checks(self, layout: Any) -> None:
        """`ui:layout` (docs/designer.md, "Sections and two columns"): a list of field names, sections (`section`: an
        id, `title`, `description`, `items`: field names and column rows) and rows of two columns (`columns`: two
        lists of field names); sections do not nest; every name is a form field, placed once. The messages are in
        the designer's language."""
        base = "/form/ui/ui:layout"
        say = self.say
        if not isinstance(layout, list):
            self.error(base, say("layout.not_list"), "form.layout")
            return
        placed: set[str] = set()
        sections: set[str] = set()

        def field(name: Any, pointer: str, where: str) -> None:
            if not isinstance(name, str):
                self.error(pointer, say(where, found=_show(name)), "form.layout")
            elif name not in self.fields:
                self.error(pointer, say("layout.unknown_field", name=_text(name)) + _did_you_mean(name, self.fields),
                           "form.layout_unknown_field")
            elif name in placed:
                self.error(pointer, say("layout.twice", name=_text(name)), "form.layout_twice")
            else:
                placed.add(name)

        def extra_keys(entry: dict[str, Any], kind: str, pointer: str) -> None:
            for key in entry:
                if key not in LAYOUT_KEYS[kind]:
                    self.warning(_join(pointer, str(key)), say("layout.unknown_key", name=_text(str(key))),
                                 "form.layout_unknown_key")

        def columns(entry: dict[str, Any], pointer: str) -> None:
            value = entry.get("columns")
            if not (isinstance(value, list) and len(value) == 2 and all(isinstance(c, list) for c in value)):
                self.error(_join(pointer, "columns"), say("layout.columns"), "form.layout")
                return
            extra_keys(entry, "columns", pointer)
            for col, names in enumerate(value):
                for index, name in enumerate(names):
                    field(name, _join(pointer, "columns", col, index), "layout.item")

        for index, entry in enumerate(layout):
            pointer = _join(base, index)
            if isinstance(entry, str):
                field(entry, pointer, "layout.entry")
            elif isinstance(entry, dict) and "section" in entry:
                section = entry["section"]
                if not isinstance(section, str) or not SECTION_ID.match(section):
                    self.error(_join(pointer, "section"), say("layout.section_id"), "form.layout")
                elif section in sections:
                    self.error(_join(pointer, "section"), say("layout.section_twice", name=section), "form.layout")
                else:
                    sections.add(section)
                extra_keys(entry, "section", pointer)
                for key in ("title", "description"):
                    if key in entry and not isinstance(entry[key], str):
                        self.error(_join(pointer, key), say("layout.text", name=key), "form.layout")
                items = entry.get("items", [])
                if not isinstance(items, list):
                    self.error(_join(pointer, "items"), say("layout.items"), "form.layout")
                    continue
                for j, item in enumerate(items):
                    where = _join(pointer, "items", j)
                    if isinstance(item, dict) and "columns" in item and "section" not in item:
                        columns(item, where)
                    elif isinstance(item, str):
                        field(item, where, "layout.item")
                    else:
                        self.error(where, say("layout.item", found=_show(item)), "form.layout")
            elif isinstance(entry, dict) and "columns" in entry:
                columns(entry, pointer)
            else:
                self.error(pointer, say("layout.entry", found=_show(entry)), "form.layout")

    def category_checks(self) -> None:
        categories = self.doc.get("categories")
        category_field = self.fields.get("category")
        values = _enum_values(category_field)
        if not isinstance(categories, list) or values is None:
            return
        known = {c for c in categories if isinstance(c, str)}
        enum_key = "enum" if isinstance(_dict(category_field).get("enum"), list) else None
        for index, value in enumerate(values):
            if not isinstance(value, str) or value not in known:
                pointer = (_join("/form/schema/properties/category", "enum", index) if enum_key
                           else "/form/schema/properties/category")
                self.error(pointer, self.say("check.categories.mismatch", value=_show(value),
                                              known=_names(sorted(known)) or self.say("check.none")), "categories.mismatch")
        offered = {v for v in values if isinstance(v, str)}
        for index, category in enumerate(categories):
            if isinstance(category, str) and category not in offered:
                self.warning(_join("/categories", index), self.say("check.categories.unused", name=_text(category)),
                             "categories.unused")
