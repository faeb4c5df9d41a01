"""The offline answerer: picks the sentences of the retrieved evidence that best answer a question.

Each candidate sentence is scored by its embedding similarity to the question, the question's
content words it shares, and the rank of the passage it came from. The best sentence is the
answer (with a second when it scores nearly as well); a "when" question is answered with the
date of the conversation the sentence came from.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np

from mnemo.providers.embeddings.port import Embedder

from .language import content_words, sentences
from .time_words import time_span

_WHEN = re.compile(r"^\s*(when|what (day|date|time|month|year)|how long ago|which (day|month|year))\b", re.I)
_SPEAKER = re.compile(r"^(?P<who>[^:\n]{1,60}):\s+(?P<text>.+)$")
_DATE_LINE = re.compile(r"^On \w+day, \d{1,2} \w+ \d{4}, [^\n]+:$|^\(Conversation on [^)]+\.\)$")


@dataclass(frozen=True)
class Passage:
    text: str
    conversation_id: str | None
    rank: int
    said_at: datetime | None = None  # when the words were said (or the fact noted)
    paraphrase: bool = False  # a summary: answers quote the words said, if any were retrieved


@dataclass(frozen=True)
class Answer:
    text: str
    cited: list[str]


@dataclass(frozen=True)
class _Sentence:
    text: str
    who: str
    passage: Passage


def _sentences_of(passage: Passage) -> list[_Sentence]:
    found = []
    for line in passage.text.splitlines():
        line = line.strip()
        if _DATE_LINE.match(line):
            continue
        spoken = _SPEAKER.match(line)
        who, text = (spoken["who"], spoken["text"]) if spoken else ("", line)
        found.extend(_Sentence(part, who, passage) for part in sentences(text) if len(part.split()) >= 3)
    return found


def _same(one: _Sentence, other: _Sentence) -> bool:
    """Two sentences that say much the same (a summary repeating the transcript)."""
    a, b = content_words(one.text), content_words(other.text)
    return len(a & b) >= 0.6 * min(len(a), len(b) or 1)


def _spoken(moment: datetime) -> str:
    return f"{moment.day} {moment:%B %Y}"


def _when_said(said_at: datetime, text: str, time_zone: str) -> str:
    """When what the sentence tells happened: its time words ("yesterday", "last year", "next
    month") read against when it was said, or that moment itself; days in the user's time zone."""
    zone = ZoneInfo(time_zone)
    span = time_span(text, said_at, time_zone, clip=False)
    if span is None:
        return f"On {_spoken(said_at.astimezone(zone))}"
    start = span.start.astimezone(zone)
    days = (span.end - span.start) / timedelta(days=1)
    if days <= 1.01:
        return f"On {_spoken(start)}"
    if days <= 7.01:
        return f"In the week of {_spoken(start)}"
    if days <= 31.01:
        return f"In {start:%B %Y}"
    if days <= 366.01:
        return f"In {start.year}"
    return f"Between {_spoken(start)} and {_spoken(span.end.astimezone(zone))}"


def _rarity(candidates: list[_Sentence]) -> dict[str, float]:
    """Inverse document frequency over the candidates: a name in every sentence says little."""
    counts = Counter(word for c in candidates for word in content_words(c.text))
    return {word: math.log(1 + len(candidates) / n) for word, n in counts.items()}


class ExtractiveAnswerer:
    def __init__(self, embedder: Embedder, second_within: float = 0.03) -> None:
        self._embedder = embedder
        self._second_within = second_within

    async def answer(self, question: str, passages: list[Passage], time_zone: str = "UTC") -> Answer | None:
        quoted = [p for p in passages if not p.paraphrase]
        candidates = [s for p in quoted or passages for s in _sentences_of(p)]
        if not candidates:
            return None
        vectors = await self._embedder.embed([question] + [c.text for c in candidates])
        similarity = vectors[1:] @ vectors[0]
        asked = content_words(question)
        rarity = _rarity(candidates)
        weight = sum(rarity.get(w, math.log(1 + len(candidates))) for w in asked) or 1.0
        scores = np.array([
            0.6 * float(sim) + 0.3 * sum(rarity[w] for w in asked & content_words(c.text)) / weight
            + 0.1 / (1 + c.passage.rank)
            for sim, c in zip(similarity, candidates, strict=True)
        ])
        order = list(np.argsort(-scores))
        chosen = [candidates[order[0]]]
        runner_up = next((candidates[i] for i in order[1:] if not _same(candidates[i], chosen[0])), None)
        if runner_up is not None and scores[order[0]] - scores[candidates.index(runner_up)] <= self._second_within:
            chosen.append(runner_up)
        text = " ".join(f"{c.who}: {c.text}" if c.who else c.text for c in chosen)
        said_at = chosen[0].passage.said_at
        if _WHEN.search(question) and said_at is not None:
            text = f"{_when_said(said_at, chosen[0].text, time_zone)}. {text}"
        cited = list(dict.fromkeys(c.passage.conversation_id for c in chosen if c.passage.conversation_id))
        return Answer(text=text, cited=cited)
