"""The first check: the document is not absurdly deep or large (deeper parts are cut off and reported)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from designer.validation.common import MAX_DEPTH, MAX_ITEMS, MAX_SCHEMA_ITEMS, MAX_VALUES, _escape, _say
from designer.validation.report import _Collector

# --- shape: depth and size -----------------------------------------------------------------------------------

_SCHEMA_ROOT = re.compile(r"/form/schema|/workflow/transitions/\d+/fields/[^/]*")


def _preflight(document: Any, out: _Collector) -> tuple[Any, list[str], dict[str, int], bool]:
    """Walk the document once, without recursion, and enforce the shape limits.

    Returns (the document to check, the pointers of parts cut off for depth, pointer -> original length of
    the lists and objects that were shortened, whether checking may go on). The document is copied only when
    something had to be cut or shortened.
    """
    cut: list[str] = []
    huge: list[str] = []
    shortened: dict[str, int] = {}
    limits: dict[str, int] = {}
    values = 0
    stack: list[tuple[Any, str, int, bool]] = [(document, "", 0, False)]
    while stack:
        node, pointer, depth, in_schema = stack.pop()
        values += 1
        if isinstance(node, dict):
            items: Iterable[tuple[Any, Any]] = node.items()
            limit = MAX_ITEMS
        elif isinstance(node, list):
            items = enumerate(node)
            limit = MAX_SCHEMA_ITEMS if in_schema else MAX_ITEMS
        else:
            continue
        if node and depth >= MAX_DEPTH:
            cut.append(pointer)
            continue
        if len(node) > limit:
            shortened[pointer] = len(node)
            limits[pointer] = limit
        for count, (key, child) in enumerate(items):
            if count >= limit:
                break
            if isinstance(child, dict | list):
                child_pointer = f"{pointer}/{_escape(key)}"
                stack.append((child, child_pointer, depth + 1,
                              in_schema or (isinstance(child, dict) and _SCHEMA_ROOT.fullmatch(child_pointer) is not None)))
            else:
                values += 1
                if type(child) is int and child.bit_length() > 256:  # JSON allows it; Python cannot even print it
                    cut.append(f"{pointer}/{_escape(key)}")
                    huge.append(f"{pointer}/{_escape(key)}")
        if values > MAX_VALUES:
            out.error("", _say("check.document.too_large", limit=f"{MAX_VALUES:,}"), "document.too_large")
            return document, [], {}, False
    for pointer in cut:
        if pointer in huge:
            out.error(pointer, _say("check.document.huge_number"), "document.huge_number")
        else:
            out.error(pointer, _say("check.document.too_deep", limit=MAX_DEPTH), "document.too_deep")
    for pointer, size in shortened.items():
        out.error(pointer, _say("check.document.too_long", size=f"{size:,}", limit=f"{limits[pointer]:,}"),
                  "document.too_long")
    if not cut and not shortened:
        return document, [], {}, True
    return _pruned(document, set(cut), limits), cut, shortened, True


def _pruned(document: Any, cut: set[str], limits: dict[str, int]) -> Any:
    """A copy with the cut-off parts replaced by null and long lists and objects shortened to their limit."""
    def shell(node: Any, pointer: str) -> Any:
        if pointer in cut:
            return None
        if isinstance(node, dict):
            return {}
        if isinstance(node, list):
            return []
        return node

    root = shell(document, "")
    stack: list[tuple[Any, Any, str]] = [(document, root, "")]
    while stack:
        source, target, pointer = stack.pop()
        limit = limits.get(pointer)
        if isinstance(source, dict) and isinstance(target, dict):
            for count, (key, child) in enumerate(source.items()):
                if limit is not None and count >= limit:
                    break
                child_pointer = f"{pointer}/{_escape(key)}"
                target[key] = shell(child, child_pointer)
                if isinstance(target[key], dict | list):
                    stack.append((child, target[key], child_pointer))
        elif isinstance(source, list) and isinstance(target, list):
            for index, child in enumerate(source if limit is None else source[:limit]):
                child_pointer = f"{pointer}/{index}"
                target.append(shell(child, child_pointer))
                if isinstance(target[-1], dict | list):
                    stack.append((child, target[-1], child_pointer))
    return root
