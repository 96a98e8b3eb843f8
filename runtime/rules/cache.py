"""Compiled definitions of published versions, and their display texts per locale, built once per process."""

from __future__ import annotations

from typing import Any

from runtime.rules.definition import CompiledDefinition
from runtime.rules.labels import Labels


def compiled_for(version: Any) -> CompiledDefinition:
    """The compiled definition of a published version, built once per process.

    ``version`` is a published ticket-type version (any object with ``id``, ``published_at`` and
    ``definition``). Versions never change, so the cache needs no invalidation. Its key adds the publish
    instant to the id because ids repeat across databases (a restored backup, a test
    database emptied between tests); the instant tells such versions apart.
    """
    key = (version.id, version.published_at)
    cached = _version_cache.get(key)
    if cached is None:
        cached = CompiledDefinition(version.definition)
        if len(_version_cache) >= 512:
            _version_cache.clear()
        _version_cache[key] = cached
    return cached


_version_cache: dict[tuple[int, Any], CompiledDefinition] = {}


def labels_for(version: Any, locale: str) -> Labels:
    """The display texts of a published version for a reader of `locale` (see runtime.rules.labels), built once
    per process and locale; its ``document`` is the version's localized definition."""
    key = (version.id, version.published_at, locale)
    cached = _labels_cache.get(key)
    if cached is None:
        cached = Labels(compiled_for(version).document, locale)
        if len(_labels_cache) >= 1024:
            _labels_cache.clear()
        _labels_cache[key] = cached
    return cached


def localized_for(version: Any, locale: str) -> dict[str, Any]:
    """A published version's definition as a reader of `locale` sees it (runtime.rules.i18n.localize), cached.
    Shared by every request: never change it."""
    return labels_for(version, locale).document


_labels_cache: dict[tuple[int, Any, str], Labels] = {}
