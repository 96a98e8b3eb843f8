"""ISO 8601 durations as the definition format writes them (``PT30M``, ``PT4H``, ``P3D``, ``P1W2DT3H``).

Weeks, days, hours, minutes and seconds; a day is 24 hours, also of business time; years, months
and fractions are refused. SLA targets, warnings, escalation delays, `elapsed` automations,
delayed surveys and the calendars' what-if arithmetic all read durations here.
"""

from __future__ import annotations

import re
from datetime import timedelta
from functools import lru_cache

ZERO = timedelta(0)
_DURATION = re.compile(r"^P(?!$)(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$")


def parse_duration(text: str) -> timedelta:
    """The duration ``text`` denotes; ValueError for anything else (or one too long to represent)."""
    if not isinstance(text, str):
        raise ValueError(f"{text!r} is not a duration such as PT30M, PT4H or P3D.")
    return _parsed(text)


@lru_cache(maxsize=1024)  # a definition's few durations are read for every clock on every sweep
def _parsed(text: str) -> timedelta:
    match = _DURATION.match(text)
    if match is None:
        raise ValueError(f"{text!r} is not a duration such as PT30M, PT4H or P3D.")
    weeks, days, hours, minutes, seconds = (int(part or 0) for part in match.groups())
    try:
        return timedelta(weeks=weeks, days=days, hours=hours, minutes=minutes, seconds=seconds)
    except OverflowError:
        raise ValueError(f"{text!r} is too long a duration.") from None


def format_duration(value: timedelta) -> str:
    """ISO 8601 in hours, minutes and seconds (``PT49H30M``): business days vary in length."""
    if value < ZERO:
        return "-" + format_duration(-value)
    micro = value // timedelta(microseconds=1)
    seconds, micro = divmod(micro, 1_000_000)
    hours, seconds = divmod(seconds, 3600)
    minutes, seconds = divmod(seconds, 60)
    out = "PT"
    if hours:
        out += f"{hours}H"
    if minutes:
        out += f"{minutes}M"
    if seconds or micro or out == "PT":
        out += f"{seconds}.{micro:06d}".rstrip("0").rstrip(".") + "S" if micro else f"{seconds}S"
    return out
