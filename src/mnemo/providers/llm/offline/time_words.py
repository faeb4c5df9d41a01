"""Time words in a question ("yesterday", "six hours ago", "last week", "in March") as a time span.

Spans are computed in the user's time zone against a clock the caller passes in, and returned in
UTC as [start, end). Only the first time expression of a question is used.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from mnemo.models.search import TimeSpan

_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
            "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
            "thirty": 30, "a couple of": 2, "a few": 3, "couple of": 2, "few": 3}
_NUMBER = r"(?P<n>\d{1,3}|a couple of|couple of|a few|few|an?|one|two|three|four|five|six|seven|eight|nine|ten|" \
          r"eleven|twelve|fifteen|twenty|thirty)"
_UNIT = r"(?P<unit>minute|hour|day|week|month|year)s?"
_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december"]
_MONTH = r"(?P<month>" + "|".join(_MONTHS) + r"|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)"
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [(name, re.compile(pattern, re.IGNORECASE)) for name, pattern in [
    ("ago", rf"\b{_NUMBER}\s+{_UNIT}\s+ago\b"),
    ("past_n", rf"\b(?:in\s+the\s+|over\s+the\s+|during\s+the\s+)?(?:last|past|previous)\s+{_NUMBER}\s+{_UNIT}\b"),
    ("day_before", r"\bthe\s+day\s+before\s+yesterday\b|\bday\s+before\s+yesterday\b"),
    ("yesterday", r"\byesterday(?:\s+(?P<part>morning|afternoon|evening|night))?\b"),
    ("last_night", r"\blast\s+night\b"),
    ("today", r"\b(?:today|tonight|this\s+(?P<part>morning|afternoon|evening))\b"),
    ("tomorrow", r"\btomorrow\b"),
    ("period", r"\b(?P<which>this|last|past|previous|next)\s+(?P<period>week|weekend|month|year)\b"),
    ("month_day", rf"\b{_MONTH}\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<year>(?:19|20)\d\d))?\b"),
    ("month", rf"\b(?P<which>in|last|during|this|since|early|late|of)\s+{_MONTH}(?:\s+(?P<year>(?:19|20)\d\d))?\b"),
    ("month_year", rf"\b{_MONTH}\s+(?P<year>(?:19|20)\d\d)\b"),
    ("year", r"\b(?:in|during|of|since)\s+(?P<year>(?:19|20)\d\d)\b"),
    ("weekday", r"\b(?P<which>on|last|this\s+past)\s+(?P<weekday>" + "|".join(_WEEKDAYS) + r")\b"),
]]
_PARTS = {"morning": (5, 12), "afternoon": (12, 18), "evening": (17, 24), "night": (18, 24)}


def _count(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBERS[word.lower()]


def _month_number(word: str) -> int:
    word = word.lower().rstrip(".")
    return next(i for i, name in enumerate(_MONTHS, 1) if name.startswith(word[:3]))


def _midnight(moment: datetime) -> datetime:
    return moment.replace(hour=0, minute=0, second=0, microsecond=0)


def _month_start(year: int, month: int, tz: ZoneInfo) -> datetime:
    while month < 1:
        month, year = month + 12, year - 1
    while month > 12:
        month, year = month - 12, year + 1
    return datetime(year, month, 1, tzinfo=tz)


def time_span(query: str, now: datetime, time_zone: str, clip: bool = True) -> TimeSpan | None:
    """The span the first time expression in `query` names, or None if it names none. With `clip`,
    a span reaching past `now` ends at `now` (nothing later has been heard yet)."""
    tz = ZoneInfo(time_zone)
    local = now.astimezone(tz)
    found = min(((m.start(), name, m) for name, p in _PATTERNS if (m := p.search(query))), default=None,
                key=lambda hit: hit[0])
    if found is None:
        return None
    _, name, match = found
    span = _span(name, match, local, tz)
    if span is None:
        return None
    start, end = span
    future = name == "tomorrow" or (name == "period" and match["which"].lower() == "next")
    if clip and start < local < end and not future:
        end = local  # nothing after this moment has been heard yet
    return TimeSpan(start=start.astimezone(UTC), end=end.astimezone(UTC), phrase=match.group(0))


def without_time_words(query: str) -> str:
    """The query with its first time expression taken out (for keyword matching)."""
    hits = [(m.start(), m.end()) for _, p in _PATTERNS if (m := p.search(query))]
    if not hits:
        return query
    start, end = min(hits)
    return " ".join((query[:start] + " " + query[end:]).split())


def _span(name: str, m: re.Match[str], local: datetime, tz: ZoneInfo) -> tuple[datetime, datetime] | None:
    today = _midnight(local)
    if name == "ago":
        return _ago(_count(m["n"]), m["unit"].lower(), local, tz)
    if name == "past_n":
        unit = m["unit"].lower()
        days = {"minute": 1 / 1440, "hour": 1 / 24, "day": 1, "week": 7, "month": 30.44, "year": 365.25}[unit]
        return local - timedelta(days=days * _count(m["n"])), local
    if name == "day_before":
        return today - timedelta(days=2), today - timedelta(days=1)
    if name in ("yesterday", "today"):
        day = today - timedelta(days=1) if name == "yesterday" else today
        part = m["part"]
        if part:
            low, high = _PARTS[part.lower()]
            return day + timedelta(hours=low), day + timedelta(hours=high)
        return day, day + timedelta(days=1)
    if name == "tomorrow":
        return today + timedelta(days=1), today + timedelta(days=2)
    if name == "last_night":
        return today - timedelta(hours=6), today + timedelta(hours=5)
    if name == "period":
        return _period(m["which"].lower(), m["period"].lower(), local, today, tz)
    if name in ("month", "month_year", "month_day"):
        return _month(m, local, tz)
    if name == "year":
        year = int(m["year"])
        return datetime(year, 1, 1, tzinfo=tz), datetime(year + 1, 1, 1, tzinfo=tz)
    if name == "weekday":
        back = (today.weekday() - _WEEKDAYS.index(m["weekday"].lower())) % 7
        if back == 0 and m["which"].lower() != "on":
            back = 7
        day = today - timedelta(days=back)
        return day, day + timedelta(days=1)
    return None


def _ago(n: int, unit: str, local: datetime, tz: ZoneInfo) -> tuple[datetime, datetime]:
    if unit in ("minute", "hour"):
        size = timedelta(minutes=n) if unit == "minute" else timedelta(hours=n)
        slack = max(size / 2, timedelta(minutes=15) if unit == "minute" else timedelta(hours=1))
        return local - size - slack, local - size + slack
    if unit == "day":
        day = _midnight(local) - timedelta(days=n)
        return day, day + timedelta(days=1)
    if unit == "week":
        center = local - timedelta(weeks=n)
        return _midnight(center - timedelta(days=3)), _midnight(center + timedelta(days=4))
    if unit == "month":
        start = _month_start(local.year, local.month - n, tz)
        return start, _month_start(start.year, start.month + 1, tz)
    return datetime(local.year - n, 1, 1, tzinfo=tz), datetime(local.year - n + 1, 1, 1, tzinfo=tz)


def _period(which: str, period: str, local: datetime, today: datetime,
            tz: ZoneInfo) -> tuple[datetime, datetime]:
    if which == "past":
        days = {"week": 7, "weekend": 7, "month": 30, "year": 365}[period]
        return local - timedelta(days=days), local
    previous = which in ("last", "previous")
    step = -1 if previous else (1 if which == "next" else 0)
    if period == "week":
        monday = today - timedelta(days=today.weekday()) + timedelta(weeks=step)
        return monday, monday + timedelta(weeks=1)
    if period == "weekend":
        saturday = today - timedelta(days=(today.weekday() - 5) % 7)
        if previous and saturday + timedelta(days=2) > local:
            saturday -= timedelta(weeks=1)
        return saturday, saturday + timedelta(days=2)
    if period == "month":
        start = _month_start(local.year, local.month + step, tz)
        return start, _month_start(start.year, start.month + 1, tz)
    year = local.year + step
    return datetime(year, 1, 1, tzinfo=tz), datetime(year + 1, 1, 1, tzinfo=tz)


def _month(m: re.Match[str], local: datetime, tz: ZoneInfo) -> tuple[datetime, datetime] | None:
    month = _month_number(m["month"])
    groups = m.groupdict()
    if groups.get("year"):
        year = int(groups["year"])
    else:
        year = local.year if month <= local.month else local.year - 1
        if groups.get("which", "") == "last" and month == local.month:
            year -= 1
    day = groups.get("day")
    if day:
        try:
            start = datetime(year, month, int(day), tzinfo=tz)
        except ValueError:
            return None
        if not groups.get("year") and start > local:
            start = start.replace(year=year - 1)
        return start, start + timedelta(days=1)
    start = _month_start(year, month, tz)
    return start, _month_start(year, month + 1, tz)
