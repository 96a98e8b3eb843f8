"""Translations: `i18n` objects translate texts that exist, into languages Gongdan has, with lists as long as the
lists they translate; `i18n` is reserved as a field name.

The meta-schema already checks the `i18n` of the document, states, transitions, routing rules, SLA policies,
automations and charts (languages, which texts, their types); the JSON Schemas and the UI schema are free-form
there, so this module checks theirs in full. Where the meta-schema reported a problem, nothing more is said.
"""

from __future__ import annotations

from typing import Any

from designer.validation.common import _dict, _found, _join, _names, _or, _pointer, _say, _show, _text
from runtime.rules.i18n import LIST_TEXTS, LOCALES, document_locale, translation_sites

# The languages by name (check.language.*) and what the things that carry translations are called (check.what.*)
# are sentences of runtime.rules.texts.


def _language(locale: str) -> str:
    if locale in LOCALES:
        return _say("check.language", name=_say(f"check.language.{locale}"), locale=locale)
    return locale


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
                self.error(_pointer(parts), self.message(list(site.path), self.say("check.i18n.reserved_property")),
                           "form.reserved_field")
        ui = _dict(_dict(self.doc.get("form")).get("ui"))
        if "i18n" in ui:
            self.error("/form/ui/i18n", self.say("check.i18n.misplaced"), "i18n.misplaced")

    def check_translations(self, path: tuple[Any, ...], node: dict[str, Any], kind: str, texts: tuple[str, ...],
                           own: str) -> None:
        parts = [*path, "i18n"]
        base = _pointer(parts)
        translations = node["i18n"]
        if not isinstance(translations, dict):
            self.error(base, self.message(parts, self.say("check.i18n.not_object", text=texts[0], found=_found(translations))),
                       "i18n.not_object")
            return
        for locale, given in translations.items():
            where = _join(base, locale)
            if locale not in LOCALES:
                self.error(where, self.message(parts, self.say("check.i18n.locale", locale=_show(locale),
                                                                 locales=_or(LOCALES))), "i18n.locale")
                continue
            language = _language(locale)
            if locale == own:
                self.warning(where, self.message(parts, self.say("check.i18n.same_locale", language=language)),
                             "i18n.same_locale")
            if not isinstance(given, dict):
                self.error(where, self.message(parts, self.say("check.i18n.language_not_object", language=language,
                                                                 text=texts[0], found=_found(given))),
                           "i18n.not_object")
                continue
            for prop, value in given.items():
                self.check_translation(parts, node, kind, texts, locale, prop, value)

    def check_translation(self, parts: list[Any], node: dict[str, Any], kind: str, texts: tuple[str, ...], locale: str,
                          prop: Any, value: Any) -> None:
        pointer = _join(_pointer(parts), locale, prop)
        language = _language(locale)
        if prop not in texts:
            self.error(pointer, self.message(parts, self.say("check.i18n.unknown_text", name=_show(prop),
                                                             what=self.say(f"check.what.{kind}"), texts=_names(texts))),
                       "i18n.unknown_text")
            return
        authored = node.get(prop)
        if prop in LIST_TEXTS:
            if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
                self.error(pointer, self.message(parts, self.say("check.i18n.not_list", language=language, name=prop,
                                                                 found=_found(value))), "i18n.not_text")
                return
            if not isinstance(authored, list):
                self.error(pointer, self.message(parts, self.say("check.i18n.nothing_to_translate", name=prop,
                                                                 language=language)), "i18n.nothing_to_translate")
                return
            if len(value) != len(authored):
                self.error(pointer, self.message(parts, self.say("check.i18n.length_one" if len(value) == 1
                                                                 else "check.i18n.length",
                                                                 language=language, name=prop, count=len(value),
                                                                 authored=len(authored))), "i18n.length")
            for index, item in enumerate(value):
                if not item.strip():
                    self.warning(_join(pointer, index), self.message(parts, self.say("check.i18n.empty_entry", n=index + 1,
                                                                                      language=language, name=prop)),
                                 "i18n.empty_entry")
            return
        if not isinstance(value, str):
            self.error(pointer, self.message(parts, self.say("check.i18n.not_text", language=language, name=prop,
                                                             found=_found(value))), "i18n.not_text")
            return
        if not isinstance(authored, str) or not authored:
            self.error(pointer, self.message(parts, self.say("check.i18n.nothing_to_translate_text", name=prop,
                                                             language=language, value=_show(_text(value)))),
                       "i18n.nothing_to_translate")
