"""What every request is checked for before any code uses it: input the parsers accept but the rest of the
stack cannot store or handle, refused once, at the edge, with a 4xx naming where it is.

- Ids in paths and bodies fit the database's integer columns (PostgreSQL's ``integer``: 2^31 - 1); a larger
  one names nothing, so a path answers 404 (``BoundedIntConverter``) and a body or query field 422
  (``platform_core.fields.Id``).
- JSON: integer literals longer than Python's 4,300-digit limit, lone UTF-16 surrogates (``"\\ud800"``:
  valid JSON, not encodable as UTF-8) and NUL characters (which PostgreSQL's text types cannot hold) are
  refused with 400 and the pointer of the first one (``check_json``); NUL in the query string too
  (``check_query``). GongdanParser calls these, so every endpoint that reads a body or a query gets them.
"""

from __future__ import annotations

import re
from typing import Any

from werkzeug.routing import IntegerConverter

from platform_core.errors import BadRequest

MAX_ID = 2**31 - 1

_UNUSABLE = re.compile("[\x00\ud800-\udfff]")


class BoundedIntConverter(IntegerConverter):
    """`<int:…>` in routes: at most MAX_ID; a larger number names nothing and the route does not match (404)."""

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def _escape(part: Any) -> str:
    return str(part).replace("~", "~0").replace("/", "~1")


def _why(text: str) -> str:
    found = _UNUSABLE.search(text)
    assert found is not None
    if found.group() == "\x00":
        return "Text may not contain the NUL character (\\u0000)."
    return "Text may not contain a lone UTF-16 surrogate (\\ud800 to \\udfff) that is not part of a pair."


def check_json(value: Any) -> None:
    """Raise BadRequest (400) at the first string or key holding NUL or a lone surrogate."""
    stack: list[tuple[Any, str]] = [(value, "")]
    while stack:
        node, pointer = stack.pop()
        if isinstance(node, str):
            if _UNUSABLE.search(node):
                _refuse(pointer, _why(node), "json")
        elif isinstance(node, dict):
            for key, item in node.items():
                at = f"{pointer}/{_escape(key)}"
                if isinstance(key, str) and _UNUSABLE.search(key):
                    _refuse(at, "A key: " + _why(key)[0].lower() + _why(key)[1:], "json")
                stack.append((item, at))
        elif isinstance(node, list):
            stack.extend((item, f"{pointer}/{index}") for index, item in enumerate(node))


def check_query(args: Any) -> None:
    """Raise BadRequest (400) for the first query parameter whose name or value holds NUL or a lone surrogate."""
    for key, values in args.lists():
        for text in (key, *values):
            if _UNUSABLE.search(text):
                _refuse(f"/{_escape(key)}", _why(text), "query")


def check_text(text: str, pointer: str, location: str) -> None:
    """Raise BadRequest (400) when a path segment or header value holds NUL or a lone surrogate."""
    if _UNUSABLE.search(text):
        _refuse(pointer, _why(text), location)


def _refuse(pointer: str, message: str, location: str) -> None:
    raise BadRequest(f"{pointer or 'The body'}: {message}" if location == "json" else message,
                     details=[{"path": pointer, "location": location, "message": message}], code="invalid_text")


def number_too_long() -> BadRequest:
    message = "The body holds a number with more than 4,300 digits; no field takes one."
    return BadRequest(message, details=[{"path": "", "location": "json", "message": message}], code="invalid_json")
