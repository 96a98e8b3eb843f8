"""Translations: `i18n` objects translate texts that exist, into languages Gongdan has, with lists as long as the
lists they translate; `i18n` is reserved as a field name.

The meta-schema already checks the `i18n` of the document, states, transitions, routing rules, SLA policies,
automations and charts (languages, which texts, their types); the JSON Schemas and the UI schema are free-form
there, so this module checks theirs in full. Where the meta-schema reported a problem, nothing more is said.
"""

from __future__ import annotations

from typing import Any

from designer.validation.common import _dict, _found, _join, _names, _pointer, _show, _text
from runtime.rules.i18n import LIST_TEXTS, LOCALES, document_locale, translation_sites

LANGUAGES = {"en": "English", "zh-CN": "Chinese"}

# What the things that carry translations are called in messages.
_WHAT = {"document": "the ticket type", "schema": "a field's schema", "ui": "a field's UI settings", "state": "a state",
         "transition": "a transition", "routing": "a routing rule", "sla": "an SLA policy",
         "automation": "an automation", "chart": "a chart"}


def _language(locale: str) -> str:
    return f"{LANGUAGES.get(locale, locale)} ({locale})"


class TranslationChecks:
    """Translations (see the module's docstring).

    A mixin of designer.validation.checker.Checker, which provides ``self``.
    """

    def translation_checks(self) -> None:
        own = document_locale(self.doc)
        for site in translation_sites(self.doc):
            if "i18n" in site.node:
                self.check_translations(site.path, site.node, site.kind, site.texts, own)
            if site.kind == "schema" and site.path != ("form", "schema") and "i18n" in _dict(site.node.get("properties")):
                parts = [*site.path, "properties", "i18n"]
                self.error(_pointer(parts), self.message(list(site.path), "The property name 'i18n' is reserved: it "
                                                                          "holds an object's translations. Rename it."),
                           "form.reserved_field")
        ui = _dict(_dict(self.doc.get("form")).get("ui"))
        if "i18n" in ui:
            self.error("/form/ui/i18n", "The form's UI settings as a whole have no texts to translate: put 'i18n' in "
                                        "the settings of a field, such as form.ui.category.i18n.", "i18n.misplaced")

    def check_translations(self, path: tuple[Any, ...], node: dict[str, Any], kind: str, texts: tuple[str, ...],
                           own: str) -> None:
        parts = [*path, "i18n"]
        base = _pointer(parts)
        translations = node["i18n"]
        if not isinstance(translations, dict):
            self.error(base, self.message(parts, f"'i18n' holds translations by language, such as "
                                                 f"{{\"zh-CN\": {{\"{texts[0]}\": \"…\"}}}}; this is {_found(translations)}."),
                       "i18n.not_object")
            return
        for locale, given in translations.items():
            where = _join(base, locale)
            if locale not in LOCALES:
                self.error(where, self.message(parts, f"{_show(locale)} is not a language Gongdan translates into: use "
                                                      f"{' or '.join(LOCALES)}."), "i18n.locale")
                continue
            language = _language(locale)
            if locale == own:
                self.warning(where, self.message(parts, f"The definition is written in {language} (its 'locale'), so "
                                                        f"these {language} texts are never used."), "i18n.same_locale")
            if not isinstance(given, dict):
                self.error(where, self.message(parts, f"The {language} translations are an object of texts, such as "
                                                      f"{{\"{texts[0]}\": \"…\"}}; this is {_found(given)}."),
                           "i18n.not_object")
                continue
            for prop, value in given.items():
                self.check_translation(parts, node, kind, texts, locale, prop, value)

    def check_translation(self, parts: list[Any], node: dict[str, Any], kind: str, texts: tuple[str, ...], locale: str,
                          prop: Any, value: Any) -> None:
        pointer = _join(_pointer(parts), locale, prop)
        language = _language(locale)
        if prop not in texts:
            self.error(pointer, self.message(parts, f"{_show(prop)} cannot be translated here: the texts of "
                                                    f"{_WHAT[kind]} are {_names(texts)}."), "i18n.unknown_text")
            return
        authored = node.get(prop)
        if prop in LIST_TEXTS:
            if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
                self.error(pointer, self.message(parts, f"The {language} '{prop}' is a list of texts, one per entry of "
                                                        f"'{prop}', not {_found(value)}."), "i18n.not_text")
                return
            if not isinstance(authored, list):
                self.error(pointer, self.message(parts, f"There is no '{prop}' here to translate: write it first, then "
                                                        f"its {language} translation."), "i18n.nothing_to_translate")
                return
            if len(value) != len(authored):
                self.error(pointer, self.message(parts, f"The {language} '{prop}' has {len(value)} "
                                                        f"entr{'y' if len(value) == 1 else 'ies'} but '{prop}' has "
                                                        f"{len(authored)}: give one per entry, in the same order (it is "
                                                        f"not used otherwise)."), "i18n.length")
            for index, item in enumerate(value):
                if not item.strip():
                    self.warning(_join(pointer, index), self.message(parts, f"Entry {index + 1} of the {language} "
                                                                            f"'{prop}' is empty."), "i18n.empty_entry")
            return
        if not isinstance(value, str):
            self.error(pointer, self.message(parts, f"The {language} '{prop}' must be text, not {_found(value)}."),
                       "i18n.not_text")
            return
        if not isinstance(authored, str) or not authored:
            self.error(pointer, self.message(parts, f"There is no '{prop}' here to translate: write it first, then its "
                                                    f"{language} translation ({_show(_text(value))})."),
                       "i18n.nothing_to_translate")
