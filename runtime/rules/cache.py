"""Compiled definitions of published versions, built once per process."""

from __future__ import annotations

from typing import Any

from runtime.rules.definition import CompiledDefinition


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
