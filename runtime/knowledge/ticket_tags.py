"""The tags a ticket gives the article written from it (the definition's ``knowledge.article.tags_from``), and
every way such a tag may be spelled.

A field with fixed values (``oneOf``/``anyOf`` of ``{const, title}``, or ``enum`` with ``ui:enumNames``; a
multi-select's ``items`` likewise) gives the option's label in the draft's language, with the definition's
translations: ``voltage_interference`` is tagged 电压干扰类 in a Chinese draft and "Voltage interference" in an
English one. A value without a label (an open text field, a value the options no longer list) is tagged as
stored. Articles drafted before labels were used carry the stored value; ``spellings`` gives the value and its
label in every language, so that the root-cause articles of similar tickets are found whichever was stored.
"""

from __future__ import annotations

from typing import Any

from runtime.rules.cache import compiled_for, labels_for
from runtime.rules.i18n import LOCALES
from runtime.rules.labels import options_of
from runtime.tickets.models import Ticket

MAX_TAG = 64


def normalize(tag: Any) -> str:
    """A tag as articles store it: commas (which separate tags in the editor) become spaces, runs of white space
    one space, at most 64 characters."""
    return " ".join(str(tag).replace(",", " ").replace("，", " ").split())[:MAX_TAG]  # noqa: RUF001


def _pointers(ticket: Ticket) -> list[str]:
    document = compiled_for(ticket.type_version).document
    knowledge = document.get("knowledge") if isinstance(document, dict) else None
    mapping = knowledge.get("article") if isinstance(knowledge, dict) else None
    found = mapping.get("tags_from") if isinstance(mapping, dict) else None
    pointers = found if isinstance(found, list) else [found] if found else []
    return [p for p in pointers if isinstance(p, str) and p.startswith("/")]


def field_name(pointer: str) -> str:
    """The field a pointer such as ``/root_cause_tag`` names (its first segment, unescaped)."""
    return pointer[1:].split("/", 1)[0].replace("~1", "/").replace("~0", "~")


def _values(ticket: Ticket, name: str) -> list[str | int]:
    value = ticket.data.get(name)
    return [item for item in (value if isinstance(value, list) else [value])
            if isinstance(item, str | int) and not isinstance(item, bool)]


def _options(ticket: Ticket, name: str, locale: str) -> list[tuple[Any, str]]:
    """The field's fixed values with their labels for a reader of ``locale`` (a multi-select's items'), or []."""
    labels = labels_for(ticket.type_version, locale)  # a published version: its definition was checked
    schema, ui = labels.fields.get(name), labels.ui.get(name)
    if isinstance(schema, dict) and isinstance(schema.get("items"), dict):  # a multi-select: its items' options
        items_ui = ui.get("items") if isinstance(ui, dict) and isinstance(ui.get("items"), dict) else ui
        schema, ui = schema["items"], items_ui
    return options_of(schema, ui) or []


def _label(options: list[tuple[Any, str]], value: str | int) -> str:
    for option, label in options:
        if option == value and type(option) is type(value):
            return label
    return str(value)


def draft_tags(ticket: Ticket, locale: str) -> list[str]:
    """The tags of ``ticket``'s draft article, written for a reader of ``locale``: option labels, else values."""
    out: list[str] = []
    for pointer in _pointers(ticket):
        name = field_name(pointer)
        options = _options(ticket, name, locale)
        out.extend(normalize(_label(options, value)) for value in _values(ticket, name))
    return [tag for tag in dict.fromkeys(out) if tag]


def spellings(ticket: Ticket) -> set[str]:
    """Every tag an article written from ``ticket`` may carry for its ``tags_from`` values (the stored value and
    its label in each language), case-folded: what ``matching`` compares with."""
    out: set[str] = set()
    for pointer in _pointers(ticket):
        name = field_name(pointer)
        values = _values(ticket, name)
        out.update(normalize(value).casefold() for value in values)
        for locale in LOCALES:
            options = _options(ticket, name, locale)
            out.update(normalize(_label(options, value)).casefold() for value in values)
    out.discard("")
    return out


def matching(tags: list[str], forms: set[str]) -> list[str]:
    """The article's ``tags`` that are one of ``forms`` (``spellings``), in the article's order."""
    return [tag for tag in tags if normalize(tag).casefold() in forms] if forms else []
