"""Import stage: recognise the timestamp lines that start raw comments.

A raw dump marks each comment with a line holding a date and a time. Accepted forms (any case):

* month first: ``June 18, 2024 AT 20:25``, ``June 18, 2024, 20:30``, ``Jun 18 2024 at 8:30 pm``;
* day first with a month name: ``18 June 2024 AT 20:25``, ``18th June 2024, 20:25``;
* ISO: ``2024-06-18 20:25``, ``2024-06-18T20:25`` (seconds, if given, are dropped);
* numeric day and month: ``18/06/2024 20:25`` (also with ``.`` or ``-``). When both numbers
  could be the month (``06/07/2024``) the line is ambiguous: reading it either way would be a
  guess, so it is a :class:`TimestampProblem` naming both readings unless the caller passes the
  order (``gloss import --date-order dmy|mdy``).

Month names are English, full or three letters (and ``Sept``); between the date and the time
an optional comma and/or ``at``; times are 24-hour (``20:25``) or 12-hour (``8:00 PM``,
``8:00 p.m.``). The result is naive ISO 8601 ``YYYY-MM-DDTHH:MM``: the dump carries no time
zone, and inventing one would be wrong.

A line that has the *shape* of an accepted form but not valid values (``June 31``, ``25:10``,
``Jnue``) is a :class:`TimestampProblem` rather than silently comment text, because it almost
always means a typo in a comment boundary. A line that merely *looks* like a timestamp in
some other form (``Posted on Tue 18 June 2024 at 20:25``, ``18 June 2024``) is found by
:func:`resembles_timestamp`, so the importer can warn about it at its line.
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

DATE_ORDERS = ("dmy", "mdy")
"""How a numeric ``DD/MM/YYYY`` or ``MM/DD/YYYY`` date is read when both numbers could be the month."""

_TIME = r"(?P<hour>\d{1,2})[:.](?P<minute>\d{2})(?::\d{2})?\s*(?P<ampm>[ap]\.?\s?m\.?)?"
# Between date and time: ", at", " at", "," or plain space.
_SEP = r"(?:,?\s+at\s+|,\s*|\s+)"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_FORMS = tuple(
    re.compile(rf"^\s*{form}\s*$", re.IGNORECASE)
    for form in (
        # The loose shapes: a word where the month goes. Anything matching is a timestamp or a typo in one.
        rf"(?P<month>[^\W\d_]+)\.?\s+{_DAY},?\s+(?P<year>\d{{4}}){_SEP}{_TIME}",
        rf"{_DAY}\s+(?P<month>[^\W\d_]+)\.?,?\s+(?P<year>\d{{4}}){_SEP}{_TIME}",
        rf"(?P<year>\d{{4}})-(?P<mm>\d{{1,2}})-(?P<day>\d{{1,2}})(?:T|{_SEP}){_TIME}",
        rf"(?P<first>\d{{1,2}})(?P<dsep>[/.\-])(?P<second>\d{{1,2}})(?P=dsep)(?P<year>\d{{4}}){_SEP}{_TIME}",
    )
)

# What makes a line look like a timestamp in a form we do not accept: a date and a time (or a date
# alone), and next to nothing else.
_LOOSE_DATE = re.compile(
    r"\b\d{4}[-/.]\d{1,2}[-/.]\d{1,2}\b|\b\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}\b"
    r"|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?\b,?(?:\s+\d{4})?"
    r"|\b\d{1,2}(?:st|nd|rd|th)?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?(?:\s+\d{4})?",
    re.IGNORECASE,
)
_LOOSE_TIME = re.compile(r"\b\d{1,2}[:.]\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?(?!\w)|\b\d{1,2}\s*[ap]\.?m\.?(?!\w)", re.I)
_FILLER = re.compile(
    r"\b(?:at|on|posted|written|published|edited|updated|commented|um|am|le|el|the|"
    r"mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|utc|gmt|cet|cest|bst|est|edt|pst|pdt)\b|[\W\d_]+",
    re.IGNORECASE,
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


@dataclass(frozen=True, slots=True)
class Timestamp:
    """A timestamp line, read."""

    iso: str
    """Naive ISO 8601 ``YYYY-MM-DDTHH:MM``."""
    order: str | None
    """For a numeric day/month date whose order showed (a number above 12): "dmy" or "mdy"."""


def resembles_timestamp(line: str) -> bool:
    """True for a short line made of a date (and perhaps a time) that no accepted form reads.

    "Posted on Tue 18 June 2024 at 20:25" and "18 June 2024" are such lines; a sentence
    that mentions a date ("On 18 June 2024 at 20:25 the council voted.") is not: it keeps
    more than two words once the date, time and filler words are taken out.
    """
    if len(line) > 60 or not _LOOSE_DATE.search(line):
        return False
    rest = _FILLER.sub(" ", _LOOSE_TIME.sub(" ", _LOOSE_DATE.sub(" ", line)))
    return len(rest.split()) <= 1


def parse_timestamp(line: str, order: str | None = None) -> str | TimestampProblem | None:
    """Read a timestamp line: its ISO string, a :class:`TimestampProblem`, or None (see :func:`read_timestamp`)."""
    stamp = read_timestamp(line, order)
    return stamp.iso if isinstance(stamp, Timestamp) else stamp


def read_timestamp(line: str, order: str | None = None) -> Timestamp | TimestampProblem | None:
    """Read a timestamp line.

    Returns the timestamp, a :class:`TimestampProblem` for a timestamp-shaped line with
    impossible values (or an ambiguous numeric date without ``order``), or None for any
    other line.
    """
    for form in _FORMS:
        match = form.match(line)
        if match is not None:
            return _read(match, order)
    return None


def _read(match: re.Match[str], order: str | None) -> Timestamp | TimestampProblem:
    groups = match.groupdict()
    year = int(match["year"])
    shown_order: str | None = None
    if groups.get("month") is not None:
        month = _MONTHS.get(match["month"].lower())
        if month is None:
            return TimestampProblem(
                match.start("month") + 1,
                f'unknown month "{match["month"]}" in timestamp line',
                "write the month in English, in full or as three letters, e.g. June 18, 2024 AT 20:25",
            )
        day, day_at = int(match["day"]), match.start("day")
    elif groups.get("mm") is not None:
        month, day, day_at = int(match["mm"]), int(match["day"]), match.start("day")
        if not 1 <= month <= 12:
            return TimestampProblem(match.start("mm") + 1, f"month {month} does not exist", "use a month from 1 to 12")
    else:
        first, second = int(match["first"]), int(match["second"])
        text = match.group(0).strip().split()[0].rstrip(",")
        if first > 12 and second > 12:
            return TimestampProblem(match.start("first") + 1, f'neither number of "{text}" can be a month',
                                    "write the day and the month, e.g. 18/06/2024")
        if order is None:
            if first <= 12 and second <= 12 and first != second:
                return TimestampProblem(
                    match.start("first") + 1,
                    f'ambiguous date "{text}": {_both_readings(first, second, year)}',
                    "pass --date-order dmy (day first) or --date-order mdy (month first)",
                )
            order = "mdy" if second > 12 else "dmy"
            shown_order = order if first != second else None
        else:
            shown_order = order
        day, month = (first, second) if order == "dmy" else (second, first)
        month_at = match.start("second" if order == "dmy" else "first")
        day_at = match.start("first" if order == "dmy" else "second")
        if not 1 <= month <= 12:
            reading = "day first" if order == "dmy" else "month first"
            return TimestampProblem(
                month_at + 1,
                f'month {month} does not exist in "{text}" read {reading}',
                "check the date, or the --date-order" if shown_order else "check the date",
            )
    last_day = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last_day:
        return TimestampProblem(
            day_at + 1,
            f"day {day} does not exist in {calendar.month_name[month]} {year}",
            f"use a day from 1 to {last_day}",
        )
    return _time(match, year, month, day, shown_order)


def _both_readings(first: int, second: int, year: int) -> str:
    """Both readings of ``first/second/year`` in words: "6 July 2024 (day first) or June 7, 2024 (month first)"."""
    return (f"{first} {calendar.month_name[second]} {year} (day first) "
            f"or {calendar.month_name[first]} {second}, {year} (month first)")


def _time(match: re.Match[str], year: int, month: int, day: int, order: str | None) -> Timestamp | TimestampProblem:
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
    return Timestamp(f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}", order)
