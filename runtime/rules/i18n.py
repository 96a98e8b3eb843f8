"""Translations in a definition, and the reader's language.

A definition's texts are written in its top-level ``locale`` (``en`` unless it says ``zh-CN``). Any object that
holds display texts may carry ``"i18n": {"<locale>": {"<property>": <text>, ...}}`` (docs/definition-format.md,
"Translations"). This module knows where those objects are (``translation_sites``: the walk is structure-aware,
so a form field *named* ``i18n`` is never mistaken for translations) and gives a document as a reader of one
locale sees it (``localize``). Pure functions of JSON values: the designer validates and diffs with them, the
runtime shows forms, states, transitions and messages with them, and the browser's designer has a TypeScript
twin that must agree (tests/runtime/localize_cases.json is the shared table of cases).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

LOCALES = ("en", "zh-CN")
DEFAULT_LOCALE = "en"

# What translates where. A site is an object of the definition that may carry `i18n`.
DOCUMENT_TEXTS = ("name", "description")
SCHEMA_TEXTS = ("title", "description")
UI_TEXTS = ("ui:title", "ui:description", "ui:help", "ui:placeholder", "ui:enumNames")
STATE_TEXTS = ("name", "description")
TRANSITION_TEXTS = ("name", "description", "checklist")
NAME_TEXTS = ("name",)
CHART_TEXTS = ("title",)
MEASURE_TEXTS = ("label",)  # a chart's measures (charts[].measures[])
SECTION_TEXTS = ("title", "description")  # sections of the form's layout (form.ui["ui:layout"])
# Translated as a whole list, and only when the translation has as many entries as the authored list.
LIST_TEXTS = frozenset({"ui:enumNames", "checklist"})

# JSON Schema keywords that hold one subschema, a map of them, or a list of them.
_SCHEMA_ONE = ("items", "contains", "additionalProperties", "propertyNames", "if", "then", "else", "not",
               "unevaluatedItems", "unevaluatedProperties", "contentSchema")
_SCHEMA_MAP = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
_SCHEMA_LIST = ("allOf", "anyOf", "oneOf", "prefixItems")
_MAX_DEPTH = 64


@dataclass(frozen=True, slots=True)
class Site:
    """An object that may carry translations: where it is (path from the document's root), the object itself,
    what it is (``document``, ``schema``, ``ui``, ``section``, ``state``, ``transition``, ``routing``, ``sla``,
    ``automation``, ``chart``, ``measure``) and which of its properties translate."""

    path: tuple[str | int, ...]
    node: dict[str, Any]
    kind: str
    texts: tuple[str, ...]


def document_locale(document: Any) -> str:
    """The language a definition's own texts are written in."""
    value = document.get("locale") if isinstance(document, dict) else None
    return value if isinstance(value, str) and value else DEFAULT_LOCALE


def translation_sites(document: Any) -> Iterator[Site]:
    """Every object of the definition that may carry `i18n`, in document order. Defensive: parts of the wrong
    type are skipped, so a draft that is not valid yet can be walked too."""
    if not isinstance(document, dict):
        return
    yield Site((), document, "document", DOCUMENT_TEXTS)
    form = document.get("form")
    if isinstance(form, dict):
        yield from _schema_sites(form.get("schema"), ("form", "schema"))
        ui = form.get("ui")
        if isinstance(ui, dict):
            for key, value in ui.items():
                if isinstance(key, str) and not key.startswith("ui:") and key != "i18n":
                    yield from _ui_sites(value, ("form", "ui", key))
            layout = ui.get("ui:layout")
            for index, entry in enumerate(layout if isinstance(layout, list) else ()):
                if isinstance(entry, dict) and "section" in entry:
                    yield Site(("form", "ui", "ui:layout", index), entry, "section", SECTION_TEXTS)
    workflow = document.get("workflow")
    if isinstance(workflow, dict):
        for kind, key, texts in (("state", "states", STATE_TEXTS), ("transition", "transitions", TRANSITION_TEXTS)):
            items = workflow.get(key)
            for index, item in enumerate(items if isinstance(items, list) else ()):
                if isinstance(item, dict):
                    yield Site(("workflow", key, index), item, kind, texts)
                    if kind == "transition" and isinstance(item.get("fields"), dict):
                        for name, schema in item["fields"].items():
                            yield from _schema_sites(schema, ("workflow", key, index, "fields", name))
    for key, kind, texts in (("routing", "routing", NAME_TEXTS), ("sla", "sla", NAME_TEXTS),
                             ("automations", "automation", NAME_TEXTS), ("charts", "chart", CHART_TEXTS)):
        items = document.get(key)
        for index, item in enumerate(items if isinstance(items, list) else ()):
            if isinstance(item, dict):
                yield Site((key, index), item, kind, texts)
                measures = item.get("measures") if kind == "chart" else None
                for number, measure in enumerate(measures if isinstance(measures, list) else ()):
                    if isinstance(measure, dict):
                        yield Site((key, index, "measures", number), measure, "measure", MEASURE_TEXTS)


def _schema_sites(schema: Any, path: tuple[str | int, ...]) -> Iterator[Site]:
    """A JSON Schema and all its subschemas (iteratively: a schema may be deep)."""
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(schema, path)]
    while stack:
        node, where = stack.pop()
        if not isinstance(node, dict) or len(where) - len(path) > _MAX_DEPTH:
            continue
        yield Site(where, node, "schema", SCHEMA_TEXTS)
        children: list[tuple[Any, tuple[str | int, ...]]] = []
        for keyword, value in node.items():
            if keyword in _SCHEMA_ONE:
                if isinstance(value, list):  # `items` as a list (older drafts)
                    children.extend((sub, (*where, keyword, i)) for i, sub in enumerate(value))
                else:
                    children.append((value, (*where, keyword)))
            elif keyword in _SCHEMA_MAP and isinstance(value, dict):
                children.extend((sub, (*where, keyword, name)) for name, sub in value.items())
            elif keyword in _SCHEMA_LIST and isinstance(value, list):
                children.extend((sub, (*where, keyword, i)) for i, sub in enumerate(value))
        stack.extend(reversed(children))


def _ui_sites(ui: Any, path: tuple[str | int, ...]) -> Iterator[Site]:
    """A field's UI schema and the UI schemas nested in it (object fields' sub-fields, an array's `items`)."""
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(ui, path)]
    while stack:
        node, where = stack.pop()
        if not isinstance(node, dict) or len(where) - len(path) > _MAX_DEPTH:
            continue
        yield Site(where, node, "ui", UI_TEXTS)
        children = [(value, (*where, key)) for key, value in node.items()
                    if isinstance(key, str) and not key.startswith("ui:") and key != "i18n" and isinstance(value, dict)]
        stack.extend(reversed(children))


def _copy(value: Any) -> Any:
    """A deep copy of a JSON value, without recursion (a draft may be nested deeper than Python's stack)."""
    if not isinstance(value, dict | list):
        return value
    root: Any = {} if isinstance(value, dict) else []
    stack: list[tuple[Any, Any]] = [(value, root)]
    while stack:
        source, target = stack.pop()
        items = source.items() if isinstance(source, dict) else enumerate(source)
        for key, item in items:
            copied = ({} if isinstance(item, dict) else []) if isinstance(item, dict | list) else item
            if isinstance(target, dict):
                target[key] = copied
            else:
                target.append(copied)
            if isinstance(item, dict | list):
                stack.append((item, copied))
    return root


def localize(document: Any, locale: str) -> Any:
    """The definition as a reader of `locale` sees it.

    When `locale` is the document's own (``locale``, default ``en``), the document itself is returned (not a
    copy: do not change it). Otherwise a copy in which, object by object, each translatable property is
    replaced by ``i18n[locale][property]`` when that is a non-empty text; a list (``ui:enumNames``,
    ``checklist``) is replaced whole, and only by a list of texts as long as the authored one. Everything
    else, the `i18n` objects included, is kept, so the result can still be shown in another language by
    whoever kept the original.
    """
    if not isinstance(document, dict) or locale == document_locale(document):
        return document
    result = _copy(document)
    for site in translation_sites(result):
        translations = site.node.get("i18n")
        texts = translations.get(locale) if isinstance(translations, dict) else None
        if not isinstance(texts, dict):
            continue
        for prop in site.texts:
            if prop not in texts:
                continue
            value = texts[prop]
            if prop in LIST_TEXTS:
                authored = site.node.get(prop)
                if (isinstance(value, list) and isinstance(authored, list) and len(value) == len(authored)
                        and all(isinstance(item, str) for item in value)):
                    site.node[prop] = list(value)
            elif isinstance(value, str) and value:
                site.node[prop] = value
    return result


def missing_translations(document: Any, locale: str) -> list[tuple[tuple[str | int, ...], str]]:
    """Every authored text without a usable translation into `locale`: (path of its object, property). Empty
    for the document's own locale. A list translation of the wrong length counts as missing."""
    if not isinstance(document, dict) or locale == document_locale(document):
        return []
    missing = []
    for site in translation_sites(document):
        translations = site.node.get("i18n")
        texts = translations.get(locale) if isinstance(translations, dict) else None
        texts = texts if isinstance(texts, dict) else {}
        for prop in site.texts:
            authored = site.node.get(prop)
            if prop in LIST_TEXTS:
                if not isinstance(authored, list) or not authored:
                    continue
                value = texts.get(prop)
                if not (isinstance(value, list) and len(value) == len(authored)
                        and all(isinstance(v, str) and v for v in value)):
                    missing.append((site.path, prop))
            elif isinstance(authored, str) and authored and not (isinstance(texts.get(prop), str) and texts[prop]):
                missing.append((site.path, prop))
    return missing


def strip_translations(document: Any) -> Any:
    """A copy of the definition without its `i18n` objects (what the diff compares for everything else)."""
    if not isinstance(document, dict):
        return document
    result = _copy(document)
    for site in list(translation_sites(result)):
        site.node.pop("i18n", None)
    return result


# --------------------------------------------------------------------------- the reader's language


def normalize_locale(value: Any) -> str | None:
    """One of LOCALES for a language tag (``zh``, ``zh-cn``, ``zh-Hans-CN``, ``en-GB`` …), else None."""
    if not isinstance(value, str):
        return None
    tag = value.strip().replace("_", "-").lower()
    if tag == "en" or tag.startswith("en-"):
        return "en"
    if tag == "zh" or tag.startswith("zh-"):
        return "zh-CN"  # the only Chinese there is; closer than English for zh-TW readers too
    return None


def negotiate(accept_language: str | None) -> str:
    """The best of LOCALES for an HTTP Accept-Language header (RFC 9110 quality values), else the default."""
    if not accept_language:
        return DEFAULT_LOCALE
    choices: list[tuple[float, int, str]] = []
    for position, part in enumerate(accept_language.split(",")[:50]):
        tag, _, params = part.partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, number = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(number)
                except ValueError:
                    quality = 0.0
        tag = tag.strip()
        if quality <= 0 or not tag:
            continue
        locale = DEFAULT_LOCALE if tag == "*" else normalize_locale(tag)
        if locale is not None:
            choices.append((-quality, position, locale))
    return min(choices)[2] if choices else DEFAULT_LOCALE


def reader_locale(profile_locale: Any, accept_language: str | None = None) -> str:
    """A reader's language: their profile's (``user.locale``), else the request's Accept-Language (pages
    anyone may open), else English."""
    return normalize_locale(profile_locale) or negotiate(accept_language)
