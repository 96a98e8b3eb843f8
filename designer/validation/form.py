"""The form: a valid JSON Schema 2020-12, usable field names, `required`, `ui:order`, the UI schema and categories."""

from __future__ import annotations

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
                self.error(f"{form_ptr}/$schema", f"The form's schema must be JSON Schema 2020-12: leave '$schema' out "
                                                 f"or set it to {FORM_SCHEMA_URIS[0]} (it is {_show(declared)}).",
                           "form.schema_dialect")
            self.check_json_schema(schema, ["form", "schema"])
            self.schema_walk(schema, ["form", "schema"])
        for name in self.fields:
            pointer = _join(form_ptr, "properties", name)
            if name in RESERVED_FIELDS:
                use = {"ticket": "rules read the ticket's attributes as ticket.*",
                       "comment": "'comment' in a transition's 'require' means the comment written when taking it",
                       "i18n": "'i18n' holds the translations of an object's texts"}[name]
                self.error(pointer, f"The field name '{name}' is reserved: {use}. Rename the field.", "form.reserved_field")
            elif not FIELD_NAME.match(name):
                self.error(pointer, f"The field name {_show(name)} cannot be used: a field name is 1 to 64 letters, "
                                    "digits or '_', starting with a letter (rules and field lists refer to fields by "
                                    "this name).", "form.field_name")
        for index, name in enumerate(_list(schema.get("required"))):
            if isinstance(name, str) and name not in self.fields:
                self.error(_join(form_ptr, "required", index),
                           f"The form requires '{_text(name)}', which is not one of its fields; the form could never "
                           f"be submitted.{_did_you_mean(name, self.fields)}", "form.unknown_field")
        self.ui_checks()
        for i, rule in enumerate(_list(self.form.get("field_rules"))):
            for verb in ("show", "hide", "require"):
                for j, name in enumerate(_list(_dict(rule).get(verb))):
                    if isinstance(name, str) and name not in self.fields:
                        self.error(_join("/form/field_rules", i, verb, j),
                                   f"Field rule {i + 1} {'requires' if verb == 'require' else verb + 's'} the field "
                                   f"'{_text(name)}', which the form does not have.{_did_you_mean(name, self.fields)}",
                                   "form.unknown_field")
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
            self.error(_pointer(base), "This JSON Schema is nested too deeply to check.", "document.too_deep")

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
                                 self.message(parts, f"'{_text(key)}' is not a JSON Schema keyword and has no effect."
                                                     f"{_did_you_mean(key, SCHEMA_KEYWORDS)}"), "form.unknown_keyword")
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
                problem = f"'$ref' points at {_show(ref)}, which is not in this schema."
            elif ref.startswith("#"):
                if urllib.parse.unquote(ref[1:]) in anchors:
                    continue
                problem = f"'$ref' points at the anchor {_show(ref)}, which no '$anchor' in this schema defines."
            else:
                problem = (f"'$ref' points outside the schema ({_show(ref)}); a definition must be self-contained: put "
                           "what it refers to under '$defs' and refer to it as '#/$defs/…'.")
            self.error(_pointer(parts), self.message(parts, problem), "form.unresolved_ref")

    def check_pattern(self, pattern: str, parts: list[Any]) -> None:
        """A pattern must run in the linear-time engine the runtime matches with (runtime.rules.patterns): no
        look-around, no backreferences, repetition counts up to 1,000, at most MAX_PATTERN_LENGTH characters."""
        if len(pattern) > MAX_PATTERN_LENGTH:
            self.error(_pointer(parts), self.message(parts, f"This pattern is {len(pattern):,} characters long; at most "
                                                            f"{MAX_PATTERN_LENGTH:,} are allowed."), "form.pattern_too_long")
            return
        problem = pattern_problem(pattern)
        if problem is not None:
            self.error(_pointer(parts), self.message(parts, f"The pattern {_show(pattern)} cannot be used: {problem}. "
                                                            "Patterns are matched in linear time, which rules out "
                                                            "look-ahead and look-behind ((?=…), (?!…), (?<=…), (?<!…)), "
                                                            "backreferences (\\1, \\k<name>) and repetition counts over "
                                                            "1,000."), "form.pattern_unsupported")

    def ui_checks(self) -> None:
        ui = _dict(self.form.get("ui"))
        order = ui.get("ui:order")
        if isinstance(order, list):
            seen: set[str] = set()
            for index, name in enumerate(order):
                pointer = _join("/form/ui", "ui:order", index)
                if not isinstance(name, str):
                    self.error(pointer, f"'ui:order' lists field names; {_show(name)} is not one.", "form.ui_order")
                elif name in seen:
                    self.error(pointer, f"'ui:order' lists '{_text(name)}' twice.", "form.ui_order")
                elif name != "*" and name not in self.fields:
                    self.error(pointer, f"'ui:order' lists '{_text(name)}', which is not a form field; the form would "
                                        f"not render.{_did_you_mean(name, self.fields)}", "form.ui_order")
                seen.add(name) if isinstance(name, str) else None
        elif order is not None:
            self.error("/form/ui/ui:order", "'ui:order' must be a list of field names.", "form.ui_order")
        for key in ui:
            if isinstance(key, str) and not key.startswith("ui:") and key not in self.fields and key != "i18n":
                self.warning(_join("/form/ui", key), f"The form's UI settings mention '{_text(key)}', which is not a "
                                                     f"form field; they have no effect.{_did_you_mean(key, self.fields)}",
                             "form.ui_unknown_field")

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
                self.error(pointer, f"The field 'category' offers {_show(value)}, which is not one of the ticket type's "
                                    f"categories ({_names(sorted(known)) or 'none'}). Add it to 'categories' or remove "
                                    "it from the field.", "categories.mismatch")
        offered = {v for v in values if isinstance(v, str)}
        for index, category in enumerate(categories):
            if isinstance(category, str) and category not in offered:
                self.warning(_join("/categories", index), f"Category '{_text(category)}' cannot be chosen: the field "
                                                          "'category' does not offer it.", "categories.unused")
