"""Regular expressions that come from a definition, matched in linear time.

A definition's JSON Schemas (the form, transition fields) hold ECMA-262 regular expressions
(`pattern`, `patternProperties`) written by a designer and matched against what requesters type.
Python's `re` backtracks: `^(a+)+$` against 30 characters holds a worker for seconds, 40 for hours.
These are matched with RE2 (google-re2), whose time is linear in the input, whatever the pattern.

RE2 has no backreferences and no look-around, and refuses repetition counts over 1,000. The designer's
validation refuses such patterns, and patterns longer than MAX_PATTERN_LENGTH, before publishing
(`pattern_problem`). A version published before that check may still hold one: matching it raises
`UnsupportedPattern`, which the form validators turn into an error on the field (a 422 naming it), never
into a slow match; `gongdan definitions check-patterns` lists such versions.

ECMA-262 and RE2 agree on what forms use (classes, `\\d`, `\\w`, anchors, counted repetition, groups,
alternation); `$` without the multiline flag is the very end in both. The spelling of a few escapes differs
and is translated: `\\uXXXX` and `\\u{X…}` become `\\x{…}`, and `.` (outside a class) excludes the four ECMA
line terminators, not only `\\n`.
"""

from __future__ import annotations

from functools import lru_cache

import re2

MAX_PATTERN_LENGTH = 1_000

_OPTIONS = re2.Options()
_OPTIONS.log_errors = False  # a refused pattern is reported to the designer, not logged by the C++ library
_ANY_BUT_LINE_END = r"[^\n\r\x{2028}\x{2029}]"
_HEX = frozenset("0123456789abcdefABCDEF")


class UnsupportedPattern(Exception):
    """A pattern the linear-time engine cannot run (look-around, a backreference, …) or one that is too long."""

    def __init__(self, pattern: str, reason: str) -> None:
        super().__init__(reason)
        self.pattern = pattern
        self.reason = reason


def _translate(pattern: str) -> str:
    """The ECMA-262 pattern in RE2's syntax (see the module's docstring); anything else is passed as it is."""
    out: list[str] = []
    i, n, in_class = 0, len(pattern), False
    while i < n:
        char = pattern[i]
        if char == "\\" and i + 1 < n:
            nxt = pattern[i + 1]
            if nxt == "u" and i + 2 < n and pattern[i + 2] == "{":
                end = pattern.find("}", i + 3)
                digits = pattern[i + 3:end] if end != -1 else ""
                if digits and len(digits) <= 6 and set(digits) <= _HEX:
                    out.append(f"\\x{{{digits}}}")
                    i = end + 1
                    continue
            elif nxt == "u" and len(pattern[i + 2:i + 6]) == 4 and set(pattern[i + 2:i + 6]) <= _HEX:
                out.append(f"\\x{{{pattern[i + 2:i + 6]}}}")
                i += 6
                continue
            out.append(pattern[i:i + 2])
            i += 2
            continue
        if in_class:
            if char == "]":
                in_class = False
        elif char == "[":
            in_class = True  # ECMA's "[]" and "[^]" have no RE2 spelling: RE2 refuses them
        elif char == ".":
            out.append(_ANY_BUT_LINE_END)
            i += 1
            continue
        out.append(char)
        i += 1
    return "".join(out)


@lru_cache(maxsize=1024)
def _compiled(pattern: str) -> re2._Regexp | UnsupportedPattern:
    if len(pattern) > MAX_PATTERN_LENGTH:
        return UnsupportedPattern(pattern, f"it is {len(pattern):,} characters long; at most "
                                           f"{MAX_PATTERN_LENGTH:,} are allowed")
    try:
        return re2.compile(_translate(pattern), _OPTIONS)
    except re2.error as error:
        reason = error.args[0] if error.args else str(error)
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", "replace")
        return UnsupportedPattern(pattern, str(reason))


def compile_pattern(pattern: str) -> re2._Regexp:
    """The compiled pattern (cached); raises UnsupportedPattern."""
    found = _compiled(pattern)
    if isinstance(found, UnsupportedPattern):
        raise found
    return found


def pattern_problem(pattern: str) -> str | None:
    """Why the pattern cannot be used (RE2's reason, or its length), or None when it can."""
    found = _compiled(pattern)
    return found.reason if isinstance(found, UnsupportedPattern) else None


def search(pattern: str, text: str) -> bool:
    """Whether the pattern matches somewhere in `text` (JSON Schema's `pattern` is not anchored), in time linear
    in the length of `text`. Raises UnsupportedPattern."""
    return compile_pattern(pattern).search(text) is not None


_NOT_SCHEMAS = frozenset({"enum", "const", "default", "examples", "i18n"})  # values, not schemas: no patterns there


def _schema_patterns(node: object, pointer: str) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    stack = [(node, pointer)]
    while stack:
        current, where = stack.pop()
        if isinstance(current, list):
            stack.extend((item, f"{where}/{index}") for index, item in enumerate(current))
            continue
        if not isinstance(current, dict):
            continue
        for key, value in current.items():
            if not isinstance(key, str) or key in _NOT_SCHEMAS:
                continue
            at = f"{where}/{key.replace('~', '~0').replace('/', '~1')}"
            if key == "pattern" and isinstance(value, str):
                found.append((at, value))
            elif key == "patternProperties" and isinstance(value, dict):
                found.extend((f"{at}/{p.replace('~', '~0').replace('/', '~1')}", p) for p in value if isinstance(p, str))
                stack.extend((sub, f"{at}/{p.replace('~', '~0').replace('/', '~1')}") for p, sub in value.items())
            else:
                stack.append((value, at))
    return sorted(found)


def unusable_patterns(document: object) -> list[tuple[str, str]]:
    """Every pattern of a definition's schemas (the form's, transition fields') that cannot be matched, as
    (JSON pointer, reason): what `gongdan definitions check-patterns` reports for published versions."""
    if not isinstance(document, dict):
        return []
    places = [(document.get("form", {}).get("schema") if isinstance(document.get("form"), dict) else None,
               "/form/schema")]
    transitions = document.get("workflow", {}).get("transitions") if isinstance(document.get("workflow"), dict) else None
    for index, transition in enumerate(transitions if isinstance(transitions, list) else []):
        if isinstance(transition, dict):
            places.append((transition.get("fields"), f"/workflow/transitions/{index}/fields"))
    problems = []
    for schema, pointer in places:
        for at, pattern in _schema_patterns(schema, pointer):
            reason = pattern_problem(pattern)
            if reason is not None:
                problems.append((at, reason))
    return problems
