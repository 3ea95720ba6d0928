"""Timestamp lines of the raw format (docs/design.md §2): what is accepted, ignored, or reported."""

from __future__ import annotations

import pytest

from generator.importing.timestamps import TimestampProblem, parse_timestamp

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
    "June 18, 2024 20:25",
    "June 18, 24 at 20:25",
    "2024-06-18 20:25",
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
