"""Dates and clock times in conversational English, resolved against when the speaker spoke.

"next Tuesday at 3 p.m.", "Wednesday the 29th at 9:40", "the fourteenth at ten thirty",
"tomorrow morning", "by end of day", "saturday at seven" (dinner, so 19:00). Recurring
mentions ("on Tuesdays", "every morning") are flagged rather than resolved.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_NUMBERS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
}
_MINUTES = {
    "oh five": 5,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "forty-five": 45,
    "forty five": 45,
    "fifty": 50,
    "o'clock": 0,
}
_ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "thirteenth": 13,
    "fourteenth": 14,
    "fifteenth": 15,
    "sixteenth": 16,
    "seventeenth": 17,
    "eighteenth": 18,
    "nineteenth": 19,
    "twentieth": 20,
    "twenty-first": 21,
    "twenty first": 21,
    "twenty-second": 22,
    "twenty second": 22,
    "twenty-third": 23,
    "twenty third": 23,
    "twenty-fourth": 24,
    "twenty fourth": 24,
    "twenty-fifth": 25,
    "twenty fifth": 25,
    "twenty-sixth": 26,
    "twenty sixth": 26,
    "twenty-seventh": 27,
    "twenty seventh": 27,
    "twenty-eighth": 28,
    "twenty eighth": 28,
    "twenty-ninth": 29,
    "twenty ninth": 29,
    "thirtieth": 30,
    "thirty-first": 31,
    "thirty first": 31,
}

_HOUR_WORD = "|".join(_NUMBERS)
_MINUTE_WORD = "|".join(sorted(_MINUTES, key=len, reverse=True))
_ORDINAL_WORD = "|".join(sorted(_ORDINALS, key=len, reverse=True))
_MONTH = "|".join(MONTHS)
_WEEKDAY = "|".join(WEEKDAYS)

_CLOCK_DIGITS = re.compile(r"\b(\d{1,2}):(\d{2})\s*(am|pm)?")
_CLOCK_AMPM = re.compile(r"\b(\d{1,2})\s*(am|pm)\b")
_CLOCK_AT = re.compile(
    rf"\b(?:at|by|around|until|till)\s+(\d{{1,2}}|{_HOUR_WORD})(?:\s+({_MINUTE_WORD}))?\b(?!\s*(?:%|percent|minutes|"
    rf"mins|hours|days|weeks|years|people|dollars|euros|pounds|times))"
)
_CLOCK_SHARP = re.compile(rf"\b(\d{{1,2}}|{_HOUR_WORD})\s+sharp\b")
_NOON = re.compile(r"\b(noon|midday|midnight)\b")

_ORDINAL_DAY = re.compile(rf"\bthe\s+(\d{{1,2}})(?:st|nd|rd|th)\b|\bthe\s+({_ORDINAL_WORD})\b")
_MONTH_DAY = re.compile(rf"\b({_MONTH})\s+(\d{{1,2}})(?:st|nd|rd|th)?\b")
_DAY_MONTH = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH})\b")
_WEEKDAY_NAME = re.compile(rf"\b(next\s+|this\s+|coming\s+)?({_WEEKDAY})\b(?!s)")
_RECURRING = re.compile(
    rf"\b(?:every|each)\s+(?:day|morning|evening|night|week|{_WEEKDAY})|\b(?:{_WEEKDAY})s\b"
    r"|\bdaily\b|\bweekly\b|\bon weekends\b"
)

_TODAY = re.compile(
    r"\b(today|tonight|this morning|this afternoon|this evening|end of (?:the )?day|eod|"
    r"by the end of the day)\b"
)
_TOMORROW = re.compile(r"\btomorrow\b")
_DAY_AFTER = re.compile(r"\bday after tomorrow\b")

_MORNING = re.compile(r"\b(morning|am|breakfast)\b")
_EVENING = re.compile(r"\b(pm|evening|tonight|night|dinner|supper|drinks|party|afternoon)\b")
_PART_OF_DAY_CLOCK = (
    (re.compile(r"\bend of (?:the )?day\b|\beod\b"), time(17, 0)),
    (re.compile(r"\b(tonight|this evening|evening|after dinner)\b"), time(20, 0)),
    (re.compile(r"\bafternoon\b"), time(15, 0)),
    (re.compile(r"\bmorning\b"), time(9, 0)),
)


@dataclass(frozen=True)
class TimeMention:
    day: date | None
    clock: time | None
    recurring: bool

    @property
    def moment(self) -> tuple[date, time] | None:
        return (self.day, self.clock) if self.day and self.clock else None


def normalize(text: str) -> str:
    text = text.lower().replace("’", "'")
    text = re.sub(r"\b([ap])\.\s?m\.?", r"\1m", text)
    return re.sub(r"\s+", " ", text)


def find_time(text: str, reference: datetime) -> TimeMention:
    """The date and clock time a sentence names, relative to `reference` (a local, aware datetime)."""
    lowered = normalize(text)
    return TimeMention(
        day=_day(lowered, reference.date()), clock=_clock(lowered), recurring=bool(_RECURRING.search(lowered))
    )


def default_clock(text: str) -> time:
    """A sensible hour for a date without a clock time: "tonight" is 20:00, plain dates 09:00."""
    lowered = normalize(text)
    for pattern, clock in _PART_OF_DAY_CLOCK:
        if pattern.search(lowered):
            return clock
    return time(9, 0)


def _day(text: str, today: date) -> date | None:
    if _DAY_AFTER.search(text):
        return today + timedelta(days=2)
    if _TOMORROW.search(text):
        return today + timedelta(days=1)
    if match := _MONTH_DAY.search(text) or _DAY_MONTH.search(text):
        groups = match.groups()
        month_name, day_text = (groups[0], groups[1]) if groups[0] in MONTHS else (groups[1], groups[0])
        return _next_month_day(today, MONTHS.index(month_name) + 1, int(day_text))
    if match := _ORDINAL_DAY.search(text):
        number = int(match.group(1)) if match.group(1) else _ORDINALS[match.group(2)]
        return _next_day_of_month(today, number)
    if match := _WEEKDAY_NAME.search(text):
        ahead = (WEEKDAYS.index(match.group(2)) - today.weekday()) % 7
        return today + timedelta(days=ahead or 7)
    if _TODAY.search(text):
        return today
    return None


def _clock(text: str) -> time | None:
    if match := _CLOCK_DIGITS.search(text):
        return _hour_minute(text, int(match.group(1)), int(match.group(2)), match.group(3))
    if match := _CLOCK_AMPM.search(text):
        return _hour_minute(text, int(match.group(1)), 0, match.group(2))
    for pattern in (_CLOCK_AT, _CLOCK_SHARP):
        if match := pattern.search(text):
            hour_text = match.group(1)
            hour = int(hour_text) if hour_text.isdigit() else _NUMBERS[hour_text]
            minute = _MINUTES.get(match.group(2) or "", 0) if pattern is _CLOCK_AT else 0
            after = text[match.end() : match.end() + 12]
            meridiem = "am" if after.strip().startswith("am") else "pm" if after.strip().startswith("pm") else None
            return _hour_minute(text, hour, minute, meridiem)
    if match := _NOON.search(text):
        return time(0, 0) if match.group(1) == "midnight" else time(12, 0)
    return None


def _hour_minute(text: str, hour: int, minute: int, meridiem: str | None) -> time | None:
    if hour > 23 or minute > 59:
        return None
    if meridiem == "pm" and hour < 12:
        hour += 12
    elif meridiem == "am" and hour == 12:
        hour = 0
    elif meridiem is None and 1 <= hour <= 11:
        if _EVENING.search(text) and not _MORNING.search(text):
            hour += 12
        elif hour <= 6 and not _MORNING.search(text):
            hour += 12  # "at three" means the afternoon unless someone says otherwise
    return time(hour, minute)


def _next_day_of_month(today: date, day: int) -> date | None:
    if not 1 <= day <= 31:
        return None
    year, month = today.year, today.month
    for _ in range(13):
        try:
            candidate = date(year, month, day)
        except ValueError:
            candidate = None
        if candidate and candidate >= today:
            return candidate
        month += 1
        if month > 12:
            year, month = year + 1, 1
    return None


def _next_month_day(today: date, month: int, day: int) -> date | None:
    for year in (today.year, today.year + 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            return None
        if candidate >= today:
            return candidate
    return None
