"""Events: confirmed future happenings with a date and a clock time that involve the wearer.

The wearer names the time themself ("Tuesday at 3 p.m. for the vendor demo"), or accepts a
time someone offers ("Could you do Wednesday at 9:40?" / "Yes"). Not: other people's plans
("I've got the dentist at three"), maybes, past or recurring happenings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from .language import STOPWORDS, Turn, agrees, is_hedged, sentence_case
from .temporal import find_time

_SOMEONE_ELSES = re.compile(
    r"\b(?:i've got|ive got|i have got|i have a|i have the|she's got|shes got|he's got|hes got|she has|he has|"
    r"they have|they've got|theyve got|my (?:own )?(?:appointment|meeting|class))\b"
)
EVENT_NOUNS = tuple(
    """appointment meeting demo dinner lunch breakfast brunch flight flights session offsite off-site interview
    class party visit checkup check-up consultation reservation booking concert game match wedding exam lesson
    training practice presentation repair service delivery dentist doctor call review trip show standup stand-up
    sync one-on-one retro workshop webinar conference hearing screening shift viewing tasting recital ceremony
    funeral""".split()
)
_NOUN = re.compile(rf"\b(?:(\w+)\s+)?({'|'.join(EVENT_NOUNS)})\b")
_PARTY_PATTERNS = (
    re.compile(r"\bit's ((?:dr\.?|doctor) \w+(?: from [\w ]+?)?)(?=[.,?!]|$)", re.IGNORECASE),
    re.compile(r"\b(?:this is|it's|it is) (\w+ from (?:the )?[\w ]+?)(?=[.,?!]|$)", re.IGNORECASE),
    re.compile(r"\byou're speaking with (\w+)", re.IGNORECASE),
    re.compile(r"\bis this ([A-Z][\w' ]+?)\?"),
    re.compile(r"\bmy name is (\w+(?: \w+)?)", re.IGNORECASE),
)


@dataclass(frozen=True)
class FoundEvent:
    title: str
    description: str
    start: datetime
    turn: int


def other_party(turns: list[Turn]) -> str | None:
    """Who the wearer is talking to, when someone says so ("it's Dr. Osei from Elmwood Surgery")."""
    names = []
    for turn in turns:
        for pattern in _PARTY_PATTERNS:
            if (match := pattern.search(turn.text)) and match.group(1).strip() not in names:
                names.append(match.group(1).strip())
    return ", ".join(names) if names else None


def find_events(turns: list[Turn], reference: datetime, time_zone: str) -> list[FoundEvent]:
    zone = ZoneInfo(time_zone)
    party = other_party(turns)
    found: dict[datetime, FoundEvent] = {}
    for position, turn in enumerate(turns):
        start = _moment(turn.text, reference, zone)
        if start is None or not _involves_wearer(turns, position):
            continue
        context = [
            t.text
            for t in turns[max(0, position - 3) : position + 1]
            if _moment(t.text, reference, zone) == start or t is turn
        ]
        if start in found:
            continue
        topic = _topic_before(turns, position)
        if topic is not None and topic not in context:
            context.insert(0, topic)
        description = " ".join(context) + (f" (with {party})" if party else "")
        found[start] = FoundEvent(_title(context, party), description, start, turn.index)
    return sorted(found.values(), key=lambda event: event.start)


def _moment(text: str, reference: datetime, zone: ZoneInfo) -> datetime | None:
    mention = find_time(text, reference)
    if mention.recurring or mention.moment is None:
        return None
    day, clock = mention.moment
    start = datetime.combine(day, clock, tzinfo=zone)
    return start if start > reference else None


def _involves_wearer(turns: list[Turn], position: int) -> bool:
    turn = turns[position]
    if is_hedged(turn.text):
        return False
    if turn.is_user:
        return True
    if _SOMEONE_ELSES.search(turn.lowered):
        return False
    following = turns[position + 1] if position + 1 < len(turns) else None
    return following is not None and following.is_user and agrees(following.text) and not is_hedged(following.text)


def _topic_before(turns: list[Turn], position: int) -> str | None:
    """The sentence that named what is being scheduled ("we need to move your physio appointment")."""
    for turn in reversed(turns[max(0, position - 5):position]):
        if _NOUN.search(turn.text.lower()):
            return turn.text
    return None


def _title(context: list[str], party: str | None) -> str:
    for text in reversed(context):
        if match := _NOUN.search(text.lower()):
            modifier, noun = match.groups()
            words = [w for w in (modifier, noun) if w and w not in STOPWORDS and w not in ("next", "the")]
            return sentence_case(" ".join(words))
    return f"Appointment with {party}" if party else "Appointment"
