"""Timestamp lines of the raw format (README, "The raw import format"): what is accepted, ignored, or reported."""

from __future__ import annotations

import pytest

from generator.importing.timestamps import (
    TimestampProblem,
    parse_timestamp,
    read_timestamp,
    resembles_timestamp,
)

ACCEPTED = [
    # The seed's own form.
    ("June 18, 2024 AT 20:25", "2024-06-18T20:25"),
    ("September 4, 2024 AT 01:05", "2024-09-04T01:05"),
    # Month names: full, three letters, Sept, any case, with a dot.
    ("june 18, 2024 at 20:25", "2024-06-18T20:25"),
    ("JUNE 18, 2024 AT 20:25", "2024-06-18T20:25"),
    ("jun 18, 2024 at 20:25", "2024-06-18T20:25"),
    ("JUN 18, 2024 AT 20:25", "2024-06-18T20:25"),
    ("Jun. 18, 2024 at 20:25", "2024-06-18T20:25"),
    ("Sept 3, 2024 at 9:15", "2024-09-03T09:15"),
    ("SEPT 3, 2024 AT 9:15", "2024-09-03T09:15"),
    ("Sep 3, 2024 at 9:15", "2024-09-03T09:15"),
    ("jAnUaRy 1, 2025 At 0:00", "2025-01-01T00:00"),
    ("Feb 29, 2024 at 12:00", "2024-02-29T12:00"),
    ("Mar 5, 2024 at 6:30", "2024-03-05T06:30"),
    ("apr 30, 2024 at 23:59", "2024-04-30T23:59"),
    ("May 31, 2024 at 7:07", "2024-05-31T07:07"),
    ("JUL 4, 2024 AT 16:21", "2024-07-04T16:21"),
    ("August 14, 2024 at 14:10", "2024-08-14T14:10"),
    ("oct 10, 2024 at 10:10", "2024-10-10T10:10"),
    ("Nov 9, 2024 at 21:45", "2024-11-09T21:45"),
    ("Dec 31, 1999 at 23:59", "1999-12-31T23:59"),
    # One- and two-digit days and hours, ordinal suffixes, optional commas.
    ("June 1, 2024 at 8:05", "2024-06-01T08:05"),
    ("June 01, 2024 at 08:05", "2024-06-01T08:05"),
    ("June 18 2024 at 20:25", "2024-06-18T20:25"),
    ("June 18th, 2024 at 20:25", "2024-06-18T20:25"),
    ("June 1st, 2024 at 20:25", "2024-06-01T20:25"),
    ("June 18, 2024, at 20:25", "2024-06-18T20:25"),
    # 12-hour clock.
    ("June 18, 2024 at 8:00 PM", "2024-06-18T20:00"),
    ("June 18, 2024 at 8:00 pm", "2024-06-18T20:00"),
    ("June 18, 2024 at 8:00PM", "2024-06-18T20:00"),
    ("June 18, 2024 at 8:00 p.m.", "2024-06-18T20:00"),
    ("June 18, 2024 at 8:00 P.M.", "2024-06-18T20:00"),
    ("June 18, 2024 at 8:00 a.m.", "2024-06-18T08:00"),
    ("June 18, 2024 at 08:00 AM", "2024-06-18T08:00"),
    ("June 18, 2024 at 12:05 am", "2024-06-18T00:05"),
    ("June 18, 2024 at 12:05 AM", "2024-06-18T00:05"),
    ("June 18, 2024 at 12:00 PM", "2024-06-18T12:00"),
    ("June 18, 2024 at 11:59 pm", "2024-06-18T23:59"),
    ("June 18, 2024 at 1:00 am", "2024-06-18T01:00"),
    # Comma (or nothing) before the time instead of "at".
    ("June 18, 2024, 20:30", "2024-06-18T20:30"),
    ("June 18, 2024 20:25", "2024-06-18T20:25"),
    ("Jun 18 2024, 8:30 pm", "2024-06-18T20:30"),
    # Day first, with a month name.
    ("18 June 2024 AT 20:25", "2024-06-18T20:25"),
    ("18 June 2024, 20:25", "2024-06-18T20:25"),
    ("18th June 2024 at 8:25 pm", "2024-06-18T20:25"),
    ("1 Sept. 2024 09:05", "2024-09-01T09:05"),
    # ISO, with a space or T; seconds are dropped.
    ("2024-06-18 20:25", "2024-06-18T20:25"),
    ("2024-06-18T20:25", "2024-06-18T20:25"),
    ("2024-06-18T20:25:59", "2024-06-18T20:25"),
    ("2024-6-8 7:05", "2024-06-08T07:05"),
    # Numeric day/month whose order shows (a number above 12), or that reads the same both ways.
    ("18/06/2024 20:25", "2024-06-18T20:25"),
    ("18.06.2024, 20:25", "2024-06-18T20:25"),
    ("18-06-2024 at 20:25", "2024-06-18T20:25"),
    ("06/18/2024 8:25 PM", "2024-06-18T20:25"),
    ("07/07/2024 10:00", "2024-07-07T10:00"),
    # Surrounding whitespace (CR is removed earlier, with the line ending).
    ("  June 18, 2024 AT 20:25  ", "2024-06-18T20:25"),
    ("\tJune 18, 2024 AT 20:25", "2024-06-18T20:25"),
]

TEXT = [
    "",
    "   ",
    "At 8 o'clock we met",
    "June was hot",
    "May 2024 at the latest",
    "May 3 at 10:00 we met in Kyiv.",
    "June 18, 2024 was the day it happened.",
    "Meet me on June 18, 2024 at 20:25 by the station.",
    "June 18, 2024 AT 20:25 — that is when I wrote this.",
    "June 18, 24 at 20:25",
    "On 18 June 2024 at 20:25 the council voted.",
    "The budget passed 5–4 after 2 hours.",
    "Tuesday at 10:00 we met.",
    "Putin’s kiss‑off with Kim is a disaster waiting to explode.",
    "Indeed, SAI, your call for coordinated interdiction is exactly right.",
    "In 2024 at 10:00 sharp the talks began.",
]

PROBLEMS = [
    # (line, 1-based column of the offending part, substring of the message)
    ("June 31, 2024 AT 20:25", 6, "day 31 does not exist in June 2024"),
    ("Feb 29, 2023 at 10:00", 5, "day 29 does not exist in February 2023"),
    ("June 0, 2024 at 10:00", 6, "day 0"),
    ("Jnue 18, 2024 AT 20:25", 1, 'unknown month "Jnue"'),
    ("Juen 18, 2024 at 20:25", 1, 'unknown month "Juen"'),
    ("  Jnue 18, 2024 AT 20:25", 3, 'unknown month "Jnue"'),
    ("June 18, 2024 AT 25:10", 18, "hour 25"),
    ("June 18, 2024 AT 24:00", 18, "hour 24"),
    ("June 18, 2024 AT 13:00 PM", 18, "hour 13"),
    ("June 18, 2024 AT 0:30 am", 18, "hour 0"),
    ("June 18, 2024 AT 20:61", 21, "minute 61"),
    ("June 9, 2024 at 9:75 pm", 19, "minute 75"),
    ("31 June 2024 at 10:00", 1, "day 31 does not exist in June 2024"),
    ("18 Jnue 2024, 20:25", 4, 'unknown month "Jnue"'),
    ("2024-13-01 10:00", 6, "month 13 does not exist"),
    ("2024-02-30T10:00", 9, "day 30 does not exist in February 2024"),
    ("2024-06-18 24:00", 12, "hour 24"),
    ("31/02/2024 10:00", 1, "day 31 does not exist in February 2024"),
    ("13/13/2024 10:00", 1, 'neither number of "13/13/2024" can be a month'),
    # A numeric date that reads both ways: both readings named, the way out in the hint.
    ("06/07/2024 20:25", 1, 'ambiguous date "06/07/2024": 6 July 2024 (day first) or June 7, 2024 (month first)'),
    ("  3.4.2024 09:00", 3, 'ambiguous date "3.4.2024": 3 April 2024 (day first) or March 4, 2024 (month first)'),
]

# Lines that look like a timestamp in a form no rule reads: kept as text, with a warning.
NEAR_MISSES = [
    "Posted on Tue 18 June 2024 at 20:25",
    "Tuesday, June 18 2024 @ 20:25",
    "18 June 2024",
    "June 18, 2024",
    "2024/06/18 20:25",
    "June 18 at 20:25",
    "June 18, 24 at 20:25",
    "18.06.24 20:25",
    "20:25, 18 June 2024",
    "June 18, 2024 AT 20:25 UTC",
]


@pytest.mark.parametrize(("line", "iso"), ACCEPTED, ids=[a for a, _ in ACCEPTED])
def test_accepted_lines(line: str, iso: str) -> None:
    assert parse_timestamp(line) == iso


@pytest.mark.parametrize("line", TEXT)
def test_text_lines_are_not_timestamps(line: str) -> None:
    assert parse_timestamp(line) is None


@pytest.mark.parametrize(("line", "column", "message"), PROBLEMS, ids=[p[0] for p in PROBLEMS])
def test_problem_lines(line: str, column: int, message: str) -> None:
    problem = parse_timestamp(line)
    assert isinstance(problem, TimestampProblem)
    assert problem.column == column
    assert message in problem.message
    assert problem.hint


@pytest.mark.parametrize("line", NEAR_MISSES)
def test_near_misses_resemble_timestamps(line: str) -> None:
    assert parse_timestamp(line) is None
    assert resembles_timestamp(line)


@pytest.mark.parametrize("line", [t for t in TEXT if t != "June 18, 24 at 20:25"] + [a for a, _ in ACCEPTED])
def test_text_and_accepted_lines_do_not_resemble_timestamps(line: str) -> None:
    assert not resembles_timestamp(line) or parse_timestamp(line) is not None


@pytest.mark.parametrize(("line", "order", "iso"), [
    ("06/07/2024 20:25", "dmy", "2024-07-06T20:25"),
    ("06/07/2024 20:25", "mdy", "2024-06-07T20:25"),
    ("3.4.2024, 09:00", "dmy", "2024-04-03T09:00"),
    ("18/06/2024 20:25", "dmy", "2024-06-18T20:25"),
    ("06/18/2024 20:25", "mdy", "2024-06-18T20:25"),
    ("June 18, 2024 AT 20:25", "dmy", "2024-06-18T20:25"),  # a month name needs no order
])
def test_date_order_settles_numeric_dates(line: str, order: str, iso: str) -> None:
    assert parse_timestamp(line, order) == iso


@pytest.mark.parametrize(("line", "order"), [("18/06/2024 20:25", "mdy"), ("06/18/2024 20:25", "dmy")])
def test_date_order_contradicted_by_the_line(line: str, order: str) -> None:
    problem = parse_timestamp(line, order)
    assert isinstance(problem, TimestampProblem)
    assert "month 18 does not exist" in problem.message and "--date-order" in problem.hint


def test_numeric_order_is_reported_only_when_the_line_shows_it() -> None:
    for line, order in [("18/06/2024 20:25", "dmy"), ("06/18/2024 20:25", "mdy"), ("07/07/2024 10:00", None),
                        ("2024-06-18 20:25", None), ("18 June 2024, 20:25", None)]:
        stamp = read_timestamp(line)
        assert stamp is not None and not isinstance(stamp, TimestampProblem)
        assert stamp.order == order, line
