"""Time words become spans in the user's time zone."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from mnemo.providers.llm.offline.time_words import time_span, without_time_words

NOW = datetime(2026, 3, 20, 15, 0, tzinfo=UTC)  # Friday, 16:00 in Berlin


def _span(query: str, tz: str = "UTC") -> tuple[str, str] | None:
    span = time_span(query, NOW, tz)
    return (span.start.isoformat(), span.end.isoformat()) if span else None


@pytest.mark.parametrize(("query", "expected"), [
    ("what did I eat yesterday", ("2026-03-19T00:00:00+00:00", "2026-03-20T00:00:00+00:00")),
    ("six hours ago", ("2026-03-20T06:00:00+00:00", "2026-03-20T12:00:00+00:00")),
    ("30 minutes ago", ("2026-03-20T14:15:00+00:00", "2026-03-20T14:45:00+00:00")),
    ("two days ago", ("2026-03-18T00:00:00+00:00", "2026-03-19T00:00:00+00:00")),
    ("meetings last week", ("2026-03-09T00:00:00+00:00", "2026-03-16T00:00:00+00:00")),
    ("this week", ("2026-03-16T00:00:00+00:00", "2026-03-20T15:00:00+00:00")),
    ("in the past 3 days", ("2026-03-17T15:00:00+00:00", "2026-03-20T15:00:00+00:00")),
    ("the trip in March", ("2026-03-01T00:00:00+00:00", "2026-03-20T15:00:00+00:00")),
    ("last March", ("2025-03-01T00:00:00+00:00", "2025-04-01T00:00:00+00:00")),
    ("in April", ("2025-04-01T00:00:00+00:00", "2025-05-01T00:00:00+00:00")),
    ("on March 5th", ("2026-03-05T00:00:00+00:00", "2026-03-06T00:00:00+00:00")),
    ("what happened in 2024", ("2024-01-01T00:00:00+00:00", "2025-01-01T00:00:00+00:00")),
    ("on Monday", ("2026-03-16T00:00:00+00:00", "2026-03-17T00:00:00+00:00")),
    ("last Friday", ("2026-03-13T00:00:00+00:00", "2026-03-14T00:00:00+00:00")),
    ("this morning", ("2026-03-20T05:00:00+00:00", "2026-03-20T12:00:00+00:00")),
    ("last month", ("2026-02-01T00:00:00+00:00", "2026-03-01T00:00:00+00:00")),
])
def test_spans(query: str, expected: tuple[str, str]) -> None:
    assert _span(query) == expected


def test_spans_follow_the_users_time_zone() -> None:
    assert _span("yesterday", "Europe/Berlin") == ("2026-03-18T23:00:00+00:00", "2026-03-19T23:00:00+00:00")
    assert _span("yesterday", "America/Los_Angeles") == ("2026-03-19T07:00:00+00:00", "2026-03-20T07:00:00+00:00")


@pytest.mark.parametrize("query", ["May I ask what the plan is?", "who said that", "what is my sister's job",
                                   "the march for climate"])
def test_no_time_words_no_span(query: str) -> None:
    assert time_span(query, NOW, "UTC") is None


def test_the_time_words_are_taken_out_for_keywords() -> None:
    assert without_time_words("what did Marco say yesterday about espresso") == "what did Marco say about espresso"
    assert without_time_words("espresso") == "espresso"


def test_future_words_name_future_spans() -> None:
    assert _span("tomorrow") == ("2026-03-21T00:00:00+00:00", "2026-03-22T00:00:00+00:00")
    assert _span("next month") == ("2026-04-01T00:00:00+00:00", "2026-05-01T00:00:00+00:00")
    assert _span("next week") == ("2026-03-23T00:00:00+00:00", "2026-03-30T00:00:00+00:00")
    span = time_span("this month", NOW, "UTC", clip=False)
    assert span is not None and span.end.isoformat() == "2026-04-01T00:00:00+00:00"
