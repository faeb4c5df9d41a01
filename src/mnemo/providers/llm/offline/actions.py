"""Action items: next steps the wearer owns.

The wearer commits ("I'll send it tonight"), agrees to a request ("can you call the plumber?" /
"sure"), notes something for themself ("remind me to buy milk"), or names an open task ("I still
need to set up that sync"). Not: other people's tasks, hedges and wishes, recurring habits,
things already done, or promises of presence ("I'll be there").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from .language import Turn, agrees, as_listener, clause, content_words, is_hedged, object_phrase, request_in
from .temporal import find_time

_COMMIT = re.compile(
    r"\b(?:i'll|ill|i will|i'm going to|im going to|i'm gonna|im gonna|i'll go ahead and)\s+"
    r"(?!be\b|probably\b|see\b|think\b|let\b|need to leave\b|try\b|have to see\b|miss\b)([a-z].+)"
)
_REMINDER = re.compile(r"\b(remind me to|note to self,? (?:to )?|i need to remember to|don't let me forget to)\s+(.+)")
_OPEN_TASK = re.compile(r"\bi (?:still|really) (?:need|have) to\s+(.+)|\bi(?:'ve| have)? got to\s+(.+)")
_IMPERATIVE = re.compile(
    r"^(?:and |also |then |oh and )?(call|email|text|send|buy|get|pick up|book|sign|pay|finish|ask|tell|schedule|"
    r"bring|check|renew|cancel|order|fix|submit|write|prepare|set up|clean|return|message|ring|water|feed)\b(.+)"
)
_ANY_DAY = datetime(2000, 1, 3)  # only asks "does this sentence name a day?"
_PAST = re.compile(r"\b(already|i did|i've done|ive done|just did|i sent|i called|i booked)\b")
_PRONOUN_OBJECT = re.compile(
    r"^(\w+(?:\s+(?:up|over|back|out|off))?)\s+(it|them|those|that|this|one|both|her|him)"
    r"(?=\s*$|[.,!?]|\s+(?:up|over|back|out|off|to|tonight|today|tomorrow|now|later|in|on|at|by|for|with|this|"
    r"first|again|and|then|after|before|asap)\b)"
)
_TIME_WORDS = frozenset(
    [
        "today",
        "tonight",
        "tomorrow",
        "morning",
        "afternoon",
        "evening",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "week",
        "end",
        "day",
    ]
)


@dataclass(frozen=True)
class FoundItem:
    description: str
    due: date | None
    due_text: str
    turn: int


def find_action_items(turns: list[Turn], reference: datetime, event_days: dict[int, date]) -> list[FoundItem]:
    """`event_days` maps a turn index to the day of an event agreed in that turn."""
    monologue = all(t.is_user for t in turns)
    items: list[FoundItem] = []
    for position, turn in enumerate(turns):
        if not turn.is_user:
            continue
        previous = turns[position - 1] if position > 0 and not turns[position - 1].is_user else None
        found = _from_turn(turn, previous, monologue, turns[max(0, position - 3) : position])
        if found is None:
            continue
        description, due_text = found
        if _repeats_recent(description, items, turn.index):
            continue
        mention = find_time(due_text, reference)
        if mention.recurring:
            continue
        # Right after a booking, "bring the list" is due at the booking; a note-to-self list has no such link.
        due = mention.day or (None if monologue else _recent_event_day(event_days, turn.index))
        items.append(FoundItem(description, due, due_text, turn.index))
    return items


def _from_turn(turn: Turn, previous: Turn | None, monologue: bool, recent: list[Turn]) -> tuple[str, str] | None:
    text = turn.lowered
    if _PAST.search(text):
        return None
    asked = request_in(previous.lowered) if previous is not None and agrees(text) else None
    found = _own_task(text, monologue)
    own, own_sentence = found if found is not None and not is_hedged(found[0]) else (None, None)
    if own is None and asked is None:
        return None
    if own is not None:
        own = _resolve_pronoun(own, asked, recent)
        if own is None and asked is None:
            return None
    usable_ask = asked if asked is not None and _asked_object(asked) is not None else None
    if own is None:
        chosen = as_listener(asked)
    elif usable_ask is not None and _weight(usable_ask) > _weight(own):
        chosen = as_listener(usable_ask)
    else:
        chosen = own
    if chosen is own and own_sentence is not None:
        # The day nearest the promise wins: "Friday at 8 works, I'll book a table tonight" is due tonight.
        due_text = next((t for t in (own, own_sentence) if find_time(t, _ANY_DAY).day), text)
    else:
        due_text = f"{text} {previous.lowered}" if previous is not None else text
    return _tidy(chosen), due_text


def _own_task(text: str, monologue: bool) -> tuple[str, str] | None:
    """The task the wearer takes on in `text`, and the sentence it came from (for its due date)."""
    for sentence in re.split(r"(?<=[.!?])\s+", text):
        if match := _REMINDER.search(sentence):
            task = clause(match.group(2))
            return (f"{match.group(1)} {task}" if match.group(1).startswith("remind") else task), sentence
        if match := _COMMIT.search(sentence):
            return clause(match.group(1)), sentence
        if match := _OPEN_TASK.search(sentence):
            return clause(next(g for g in match.groups() if g)), sentence
        if monologue:
            for part in re.split(r",\s*", sentence):
                if match := _IMPERATIVE.search(part):
                    return clause(match.group(1) + match.group(2)), sentence
    return None


def _resolve_pronoun(task: str, asked: str | None, recent: list[Turn]) -> str | None:
    """Replace "it"/"those"/"her" with what they stand for; None when nothing is found."""
    match = _PRONOUN_OBJECT.match(task)
    if not match:
        return task
    if match.group(2) in ("both", "one"):
        return None
    referent = _asked_object(asked) if asked else None
    for turn in reversed(recent):
        if referent:
            break
        referent = object_phrase(turn.text)
    if not referent:
        return None
    return f"{match.group(1)} {as_listener(referent)}{task[match.end() :]}"


def _asked_object(asked: str) -> str | None:
    """The object of a request: "email us a photo of the plate" -> "a photo of the plate"."""
    if len(asked.split()) < 2:
        return None
    rest = re.sub(r"^\w+\s+(?:(?:me|us)\s+)?", "", asked)
    return None if not rest or _PRONOUN_OBJECT.match(f"do {rest}") else rest


def _weight(text: str) -> int:
    return len(content_words(text) - _TIME_WORDS)


def _repeats_recent(description: str, items: list[FoundItem], turn_index: int) -> bool:
    words = content_words(description) - _TIME_WORDS
    return any(
        turn_index - item.turn <= 4 and words & (content_words(item.description) - _TIME_WORDS) for item in items
    )


def _recent_event_day(event_days: dict[int, date], turn_index: int) -> date | None:
    for index in range(turn_index, turn_index - 4, -1):
        if index in event_days:
            return event_days[index]
    return None


def _tidy(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip(" ,.;")
    return text[:1].upper() + text[1:]
