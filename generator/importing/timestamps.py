"""Import stage: recognise the timestamp lines that start raw comments.

A raw dump marks each comment with a line such as ``June 18, 2024 AT 20:25``.
We accept full and three-letter month names in any case (and ``Sept``), an
optional comma and ordinal suffix after the day, ``AT``/``at``, 24-hour
``20:25`` and 12-hour ``8:00 PM`` / ``8:00 p.m.`` times, one- or two-digit days
and hours. The result is naive ISO 8601 ``YYYY-MM-DDTHH:MM``: the dump carries
no time zone, and inventing one would be wrong.

A line that has the *shape* of a timestamp but not valid values (``June 31``,
``25:10``, ``Jnue``) is reported rather than silently taken as comment text,
because it almost always means a typo in a comment boundary.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

_MONTHS: dict[str, int] = {}
for _number in range(1, 13):
    _MONTHS[calendar.month_name[_number].lower()] = _number
    _MONTHS[calendar.month_abbr[_number].lower()] = _number
_MONTHS["sept"] = 9

# The loose shape: a word, a day, a year, "at", a time. Anything matching this
# is a timestamp line or a mistake in one.
_SHAPE = re.compile(
    r"""^\s*(?P<month>[^\W\d_]+)\.?\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4}),?\s+
        at\s+(?P<hour>\d{1,2})[:.](?P<minute>\d{2})\s*(?P<ampm>[ap]\.?\s?m\.?)?\s*$""",
    re.IGNORECASE | re.VERBOSE,
)


@dataclass(frozen=True, slots=True)
class TimestampProblem:
    """Why a timestamp-shaped line could not be read."""

    column: int
    """1-based column of the offending part."""
    message: str
    """What is wrong."""
    hint: str
    """How to fix it."""


def parse_timestamp(line: str) -> str | TimestampProblem | None:
    """Read a timestamp line.

    Returns the ISO string, a :class:`TimestampProblem` for a timestamp-shaped
    line with impossible values, or None for an ordinary text line.
    """
    match = _SHAPE.match(line)
    if match is None:
        return None
    month = _MONTHS.get(match["month"].lower())
    if month is None:
        return TimestampProblem(
            match.start("month") + 1,
            f'unknown month "{match["month"]}" in timestamp line',
            "write the month in English, in full or as three letters, e.g. June 18, 2024 AT 20:25",
        )
    year, day = int(match["year"]), int(match["day"])
    last_day = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last_day:
        return TimestampProblem(
            match.start("day") + 1,
            f"day {day} does not exist in {calendar.month_name[month]} {year}",
            f"use a day from 1 to {last_day}",
        )
    hour, minute = int(match["hour"]), int(match["minute"])
    ampm = match["ampm"]
    if ampm is not None:
        if not 1 <= hour <= 12:
            return TimestampProblem(
                match.start("hour") + 1,
                f"hour {hour} is not a 12-hour clock hour",
                "with AM/PM use hours 1 to 12, or drop AM/PM and use 0 to 23",
            )
        is_pm = ampm.lower().startswith("p")
        hour = hour % 12 + (12 if is_pm else 0)
    elif hour > 23:
        return TimestampProblem(
            match.start("hour") + 1,
            f"hour {hour} is not a time of day",
            "use a 24-hour time from 0:00 to 23:59, or add AM/PM",
        )
    if minute > 59:
        return TimestampProblem(
            match.start("minute") + 1,
            f"minute {minute} is not a valid minute",
            "use minutes 00 to 59",
        )
    return f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}"
