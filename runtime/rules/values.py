"""Value semantics of the rule engine: errors, truthiness, equality, ordering, number and text conversion, dates.

`runtime.rules.logic` compiles rules into closures; the closures call the helpers here whenever a value is not of
the one plain type their fast path expects. Keeping the semantics in one module means every operator coerces
the same way, and docs/rules.md can describe them once.

The semantics follow json-logic-js (the engine the designer's rule builder runs in the browser) wherever it is
sane, so that a rule behaves the same in the browser and on the server; the deliberate exceptions are listed in
docs/rules.md. Data is expected to be JSON-shaped (dict, list, str, int, float, bool, None).
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from runtime.rules.dates import format_instant, looks_like_date, parse_instant
from runtime.rules.errors import RuleError

# Integers beyond this are not exact in JavaScript (IEEE doubles); past it the engine computes in floats too,
# which also keeps arithmetic from building huge Python integers.
MAX_SAFE_INTEGER = 2**53
# Work one evaluation may do: array elements visited (map/filter/reduce/all/some/none, `in` over arrays,
# deep comparisons, text conversion of arrays) and characters or array items built (cat, merge, ...).
MAX_STEPS = 100_000
MAX_OUTPUT = 1_000_000
# Nesting of data that deep comparisons and text conversion will walk; deeper data is refused, not recursed into.
MAX_DATA_DEPTH = 100


class RuleLimitError(RuleError):
    """A rule exceeded a bound: too deep or too large to compile, or too much work or output in one evaluation."""


# Per-evaluation state, a plain list because it is created for every evaluation and a list is the cheapest
# object to build: [remaining work steps, remaining output, the evaluation instant as text or None until used].
Env = list
STEPS, OUTPUT, NOW = 0, 1, 2


def new_env(now: datetime | str | None) -> Env:
    """Fresh budgets for one evaluation; `now` fixes the instant that `now` and `today` return."""
    return [MAX_STEPS, MAX_OUTPUT, None if now is None else _instant_text(now)]


def charge(env: Env, steps: int, pointer: str, operator: str) -> None:
    """Spend `steps` of the work budget; raise RuleLimitError once it is exhausted."""
    env[STEPS] -= steps
    if env[STEPS] < 0:
        raise RuleLimitError(f"The rule did too much work: more than {MAX_STEPS:,} array steps in one evaluation "
                             f"(at {pointer or '/'}, operator '{operator}').", pointer, operator)


def emit(env: Env, size: int, pointer: str, operator: str) -> None:
    """Spend `size` of the output budget (characters or array items); raise RuleLimitError once exhausted."""
    env[OUTPUT] -= size
    if env[OUTPUT] < 0:
        raise RuleLimitError(f"The rule built too much output: more than {MAX_OUTPUT:,} characters or array items "
                             f"in one evaluation (at {pointer or '/'}, operator '{operator}').", pointer, operator)


def now_text(env: Env) -> str:
    """The evaluation instant as canonical ISO 8601 text; the same value for the whole evaluation."""
    if env[NOW] is None:
        env[NOW] = format_instant(datetime.now(UTC))
    return env[NOW]


def _instant_text(now: datetime | str) -> str:
    """Canonical text of a caller-supplied `now`: an aware or naive (UTC) datetime, or ISO 8601 text."""
    if isinstance(now, datetime):
        return format_instant(now if now.tzinfo is not None else now.replace(tzinfo=UTC))
    parsed = parse_instant(now) if isinstance(now, str) else None
    if parsed is None:
        raise TypeError(f"now must be a datetime or an ISO 8601 date-time string, not {now!r}")
    return format_instant(parsed)


# --- kinds -----------------------------------------------------------------------------------------------

NULL, BOOL, NUMBER, STRING, ARRAY, OBJECT, OPAQUE = range(7)
_KINDS = {type(None): NULL, bool: BOOL, int: NUMBER, float: NUMBER, str: STRING, list: ARRAY, dict: OBJECT}


def kind(value: Any) -> int:
    """The JSON kind of a value; subclasses (str enums, OrderedDict, ...) count as their base type."""
    found = _KINDS.get(type(value))
    if found is not None:
        return found
    for base, base_kind in ((bool, BOOL), (int, NUMBER), (float, NUMBER), (str, STRING), (list, ARRAY), (dict, OBJECT)):
        if isinstance(value, base):
            return base_kind
    return OPAQUE


def truthy(value: Any) -> bool:
    """JsonLogic truthiness: false, null, 0, "" and [] are false; everything else, objects included, is true."""
    t = type(value)
    if t is bool or t is str or t is int or t is float or t is list:
        return bool(value)
    if value is None:
        return False
    k = kind(value)
    if k in (BOOL, NUMBER, STRING, ARRAY):
        return bool(value)
    return True


# --- numbers ---------------------------------------------------------------------------------------------

_DECIMAL = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def parse_number(text: str) -> int | float | None:
    """The value of a decimal numeral (surrounding whitespace allowed), or None when the text is not one."""
    text = text.strip()
    if not _DECIMAL.fullmatch(text):
        return None
    if "." not in text and "e" not in text and "E" not in text and len(text) <= 16:
        return int(text)
    return number_result(float(text))


def to_number(value: Any) -> int | float | None:
    """Number conversion used by arithmetic and comparisons: None means "not a number".

    Numbers stay numbers (non-finite floats are not numbers), true/false are 1/0, strings holding a decimal
    numeral are that number; null, other strings, arrays and objects are not numbers.
    """
    t = type(value)
    if t is int:
        return value if -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER else number_result(value)
    if t is float:
        return value if math.isfinite(value) else None
    k = kind(value)
    if k == BOOL:
        return 1 if value else 0
    if k == NUMBER:
        return to_number(int(value) if isinstance(value, int) else float(value))
    if k == STRING:
        return parse_number(value)
    return None


def number_result(value: int | float) -> int | float | None:
    """Normalise an arithmetic result: integral values within the exact range become int, other large integers
    become floats, and NaN or infinities (which JSON cannot carry) become None."""
    if type(value) is int:
        if -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER:
            return value
        try:
            value = float(value)
        except OverflowError:
            return None
    if not math.isfinite(value):
        return None
    if value.is_integer() and -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER:
        return int(value)
    return value


def js_remainder(a: int | float, b: int | float) -> int | float | None:
    """JavaScript's `%`: the remainder takes the sign of the dividend; a zero divisor gives None."""
    if b == 0:
        return None
    if type(a) is int and type(b) is int:
        r = abs(a) % abs(b)
        return -r if a < 0 else r
    return number_result(math.fmod(a, b))


# --- text ------------------------------------------------------------------------------------------------

def js_number_text(value: int | float) -> str:
    """A number as JavaScript's String(number) writes it: 1.0 is "1", 1e21 is "1e+21", 1e-7 is "1e-7"."""
    if type(value) is int or (value.is_integer() and abs(value) < 1e21):
        return str(int(value))
    if not math.isfinite(value):
        return "NaN" if value != value else ("Infinity" if value > 0 else "-Infinity")
    sign = "-" if value < 0 else ""
    mantissa, _, exponent = repr(abs(value)).partition("e")
    whole, _, fraction = mantissa.partition(".")
    digits = whole + fraction
    stripped = digits.lstrip("0")
    n = len(whole) + int(exponent or 0) - (len(digits) - len(stripped))
    digits = stripped.rstrip("0")
    k = len(digits)
    if k <= n <= 21:
        return sign + digits + "0" * (n - k)
    if 0 < n <= 21:
        return sign + digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return sign + "0." + "0" * -n + digits
    e = n - 1
    exp_text = f"e+{e}" if e >= 0 else f"e{e}"
    return sign + (digits if k == 1 else digits[0] + "." + digits[1:]) + exp_text


def to_text(value: Any, env: Env, pointer: str, operator: str, depth: int = 0) -> str:
    """JavaScript's String(value): null is "null", true is "true", arrays join their items with "," (null items
    empty), objects are "[object Object]". Values that are not JSON are refused."""
    t = type(value)
    if t is str:
        return value
    if t is int:
        return str(value)
    k = kind(value)
    if k == STRING:
        return str.__str__(value)
    if k == BOOL:
        return "true" if value else "false"
    if k == NUMBER:
        return js_number_text(float(value) if isinstance(value, float) else int(value))
    if k == NULL:
        return "null"
    if k == OBJECT:
        return "[object Object]"
    if k == ARRAY:
        if depth >= MAX_DATA_DEPTH:
            raise _too_deep(pointer, operator)
        charge(env, len(value), pointer, operator)
        return ",".join("" if item is None else to_text(item, env, pointer, operator, depth + 1) for item in value)
    raise RuleError(f"Operator '{operator}' at {pointer or '/'} met a value of type {type(value).__name__}, "
                    "which is not JSON data and has no text form.", pointer, operator)


def _too_deep(pointer: str, operator: str) -> RuleLimitError:
    return RuleLimitError(f"Operator '{operator}' at {pointer or '/'} met data nested more than {MAX_DATA_DEPTH} levels deep.",
                          pointer, operator)


# --- equality and ordering -------------------------------------------------------------------------------

def strict_equal(a: Any, b: Any, env: Env, pointer: str, operator: str, depth: int = 0) -> bool:
    """`===`: same kind and same value; 1 and 1.0 are equal, true and 1 are not; arrays and objects are equal
    when their contents are (JavaScript would compare references; by value is what a rule author means)."""
    ka, kb = kind(a), kind(b)
    if ka != kb:
        return False
    if ka in (ARRAY, OBJECT):
        if depth >= MAX_DATA_DEPTH:
            raise _too_deep(pointer, operator)
        if len(a) != len(b):
            return False
        charge(env, len(a), pointer, operator)
        if ka == ARRAY:
            return all(strict_equal(x, y, env, pointer, operator, depth + 1) for x, y in zip(a, b, strict=True))
        return a.keys() == b.keys() and all(strict_equal(a[key], b[key], env, pointer, operator, depth + 1) for key in a)
    if ka == OPAQUE:
        return a is b
    return bool(a == b)


def loose_equal(a: Any, b: Any, env: Env, pointer: str, operator: str) -> bool:
    """`==`: JavaScript's loose equality on primitives, by-value equality on arrays and objects.

    null equals only null; a boolean compares as the number 1 or 0; a number and a string are equal when the
    string is a decimal numeral of that number; arrays and objects never equal a primitive.
    """
    ka, kb = kind(a), kind(b)
    if ka == kb:
        return strict_equal(a, b, env, pointer, operator)
    if ka in (NULL, ARRAY, OBJECT, OPAQUE) or kb in (NULL, ARRAY, OBJECT, OPAQUE):
        return False
    na, nb = to_number(a), to_number(b)
    return na is not None and nb is not None and na == nb


def order(a: Any, b: Any) -> int | None:
    """Compare two values for <, <=, >, >=: -1, 0 or 1, or None when they are not comparable.

    Two strings compare as text, except that two ISO 8601 date-times compare as instants; otherwise booleans,
    numbers and strings compare as numbers. null, arrays and objects are not ordered.
    """
    ka, kb = kind(a), kind(b)
    if ka == STRING and kb == STRING:
        return string_order(a, b)
    if ka not in (BOOL, NUMBER, STRING) or kb not in (BOOL, NUMBER, STRING):
        return None
    na, nb = to_number(a), to_number(b)
    if na is None or nb is None:
        return None
    return (na > nb) - (na < nb)


def string_order(a: str, b: str) -> int:
    """Text order (by code point), or instant order when both strings are ISO 8601 date-times."""
    if a == b:
        return 0
    if looks_like_date(a) and looks_like_date(b):
        ia, ib = parse_instant(a), parse_instant(b)
        if ia is not None and ib is not None:
            return (ia > ib) - (ia < ib)
    return -1 if a < b else 1


def less(a: Any, b: Any) -> bool:
    """`<` on any two values (see `order`)."""
    result = order(a, b)
    return result is not None and result < 0


def less_equal(a: Any, b: Any, env: Env, pointer: str, operator: str) -> bool:
    """`<=`: ordered and not greater, or else loosely equal (so null <= null and [1] <= [1] hold, as with `<`
    or `==` in json-logic-qubit and json-logic-js)."""
    result = order(a, b)
    if result is not None:
        return result <= 0
    return loose_equal(a, b, env, pointer, operator)


def contains(needle: Any, haystack: Any, env: Env, pointer: str, operator: str) -> bool:
    """`in`: substring test when the haystack is a string, strict-equality membership when it is an array;
    false for any other haystack."""
    hk = kind(haystack)
    if hk == STRING:
        nk = kind(needle)
        if nk in (STRING, NUMBER, BOOL):
            return to_text(needle, env, pointer, operator) in haystack
        return False
    if hk == ARRAY:
        charge(env, len(haystack), pointer, operator)
        if type(needle) is str:
            return needle in haystack
        return any(strict_equal(needle, item, env, pointer, operator) for item in haystack)
    return False


# --- data access -----------------------------------------------------------------------------------------

MISSING = object()
Path = tuple[tuple[str, int | None], ...]


def is_forbidden_segment(segment: str) -> bool:
    """Dunder names are never looked up, so that no path can even look like a walk to Python internals."""
    return len(segment) >= 4 and segment.startswith("__") and segment.endswith("__")


@lru_cache(maxsize=4096)
def split_path(path: str) -> Path | None:
    """A dotted `var` path as (key, list index or None) pairs, or None when a segment is forbidden.

    A segment indexes a list only when it is a canonical non-negative integer ("0", "12"; not "-1", "01", " 1").
    Cached: computed paths are split while evaluating, and the same few recur.
    """
    segments = []
    for segment in path.split("."):
        if is_forbidden_segment(segment):
            return None
        index = int(segment) if segment.isascii() and segment.isdigit() and (segment == "0" or segment[0] != "0") else None
        segments.append((segment, index))
    return tuple(segments)


def lookup(data: Any, path: Path, default: Any = None) -> Any:
    """Walk `path` through dicts (by key) and lists (by index); `default` when any step is absent.

    Only dict and list item access is used: never attributes, never a dict subclass's own __getitem__.
    """
    for key, index in path:
        if type(data) is dict:
            data = data.get(key, MISSING)
        elif isinstance(data, dict):
            data = dict.get(data, key, MISSING)
        elif index is not None and isinstance(data, list):
            data = list.__getitem__(data, index) if index < list.__len__(data) else MISSING
        else:
            return default
        if data is MISSING:
            return default
    return data


def path_of(value: Any) -> Path | None:
    """The path named by a computed `var` argument; None stands for "the whole data", MISSING for no path."""
    k = kind(value)
    if k == NULL:
        return None
    if k == STRING:
        return None if value == "" else (split_path(str.__str__(value)) or MISSING)
    if k == NUMBER:
        return split_path(js_number_text(value)) or MISSING
    return MISSING


# --- dates (arithmetic in runtime.rules.dates) -------------------------------------------------------------

def instant_of(value: Any) -> datetime | None:
    """The instant a rule value denotes: ISO 8601 text only (JSON has no date type)."""
    return parse_instant(str.__str__(value)) if kind(value) == STRING else None
