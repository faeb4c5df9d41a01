"""Memories: durable facts about the wearer, said by them or said to them and confirmed.

Health, relationships, work, preferences and personal details that would still matter in a
month. Not: small talk, weather, moods, generic knowledge, facts about strangers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mnemo.models.categories import MemoryCategory
from mnemo.models.extraction import MAX_MEMORIES

from .language import Turn, agrees, in_first_person, is_hedged, sentence_case, sentences

_FAMILY = (
    r"(?:son|daughter|wife|husband|partner|sister|brother|mom|mum|mother|dad|father|kids?|children|"
    r"boyfriend|girlfriend|fianc[ée]e?|grandma|grandmother|grandpa|grandfather|best friend|niece|nephew)"
)
_STATED = (
    (
        MemoryCategory.health,
        re.compile(
            r"\b(allergic|allergy|allergies|diagnosed|medication|milligrams|\d+\s?mg|surgery|seasick|carsick|"
            r"motion sick|migraines?|asthma|diabet\w*|blood pressure|vegetarian|vegan|intoleran\w+|deficien\w+|"
        r"tendinitis|tendonitis|sprain\w*|fractur\w*|injur\w*|torn \w+|arthritis|concussion|physio\w*|"
        r"celiac|coeliac|epilep\w+|pregnan\w+|"
            r"(?:vitamin \w+|iron|b12)(?: levels?)? (?:is |are )?(?:quite |very |really )?(?:low|high)|"
            r"i'm (?:still )?on (?:the )?\w+(?:ine|ol|am|ide|in)\b|im (?:still )?on (?:the )?\w+(?:ine|ol|am|ide|in)\b)"
        ),
    ),
    (
        MemoryCategory.relationships,
        re.compile(
            rf"\bmy {_FAMILY}\b(?!\s+(?:tomorrow|today|tonight|again|back|and|or|about|for|to|that|this|later|now|"
            r"when|if|on|at|in)\b)"
        ),
    ),
    (
        MemoryCategory.work,
        re.compile(
            r"\b(?:i'm|im|i am) (?:officially )?(?:taking over|starting at|joining|the new|leading|in charge)|"
            r"\bi work (?:at|for|as|in)\b|\bmy (?:job|boss|manager|role|team) (?:is|at)\b|"
            r"\b(?:i'd like to|i want to|i hope to|my goal is to)\b.*\b(?:manag\w*|lead\w*|career|senior|promot\w*)"
        ),
    ),
    (
        MemoryCategory.preferences,
        re.compile(
            r"\bi (?:really |absolutely )?(?:love|hate|can't stand|cant stand|don't like|dont like|prefer|adore|"
            r"can't eat|cant eat)\b(?! (?:it|that|this|you|them)\b)|\bi (?:really )?can't stand it\b|"
            r"\bmy favou?rite\b|\bnot a fan of\b"
        ),
    ),
    (
        MemoryCategory.personal,
        re.compile(
            r"\b(?:i live|where i live|we live|my address|i moved|we moved|i'm moving|im moving)\b|"
            r"\b(?:dog|cat|puppy|kitten|kelpie|labrador|retriever|terrier|parrot|rabbit)\b.*\b(?:called|named)\b|"
            r"\b(?:i'm|im|i am) (?:learning|studying|training for|aiming for)\b|\bmy first (?:\w+ )?"
            r"(?:marathon|race|triathlon|half)\b"
        ),
    ),
)
_ABOUT_WEARER = re.compile(r"\b(you|your|you're|youre)\b")
_SPEAKER_ABOUT_SELF = re.compile(r"\b(i'm|im|i am|i've|ive|my)\b")
_FIRST_PERSON = re.compile(r"\b(i|i'm|im|i've|ive|i'd|my|me|we|we've|weve|our)\b")
_QUESTION = re.compile(r"\?|^(?:how|what|when|where|are you|do you|did you|is)\b|\bhow long ago\b|\bagain$")
_FILLER = re.compile(r"^(?:yeah|yes|yep|okay|ok|so|and|but|oh|well|honestly|actually|right)[,.!]?\s+", re.IGNORECASE)


@dataclass(frozen=True)
class FoundMemory:
    content: str
    category: MemoryCategory
    turn: int


def find_memories(turns: list[Turn], name: str) -> list[FoundMemory]:
    found: list[FoundMemory] = []
    used: set[int] = set()
    for position, turn in enumerate(turns):
        memory = _stated_by_wearer(turn, name) if turn.is_user else _told_and_confirmed(turns, position, name)
        if memory is not None and memory.turn not in used:
            found.append(memory)
            used.add(memory.turn)
    return found[:MAX_MEMORIES]


def category_of(text: str) -> MemoryCategory | None:
    lowered = text.lower()
    for category, pattern in _STATED:
        if pattern.search(lowered):
            return category
    return None


def _stated_by_wearer(turn: Turn, name: str) -> FoundMemory | None:
    parts = sentences(turn.text)
    for index, sentence in enumerate(parts):
        category = category_of(sentence)
        if category is None or is_hedged(sentence) or not _FIRST_PERSON.search(sentence.lower()):
            continue
        chosen = sentence
        if len(sentence.split()) <= 6:  # "I really can't stand it." needs its neighbour to mean anything
            neighbour = (
                parts[index - 1]
                if re.search(r"\b(it|that|this)\b", sentence.lower()) and index
                else (parts[index + 1] if index + 1 < len(parts) else "")
            )
            chosen = (
                f"{neighbour} {sentence}" if neighbour and neighbour == parts[index - 1] else f"{sentence} {neighbour}"
            )
        return FoundMemory(_fact(chosen, name), category, turn.index)
    return None


def _told_and_confirmed(turns: list[Turn], position: int, name: str) -> FoundMemory | None:
    """Someone tells the wearer a fact about them (or their family), and the wearer confirms it."""
    turn = turns[position]
    reply = next((t for t in turns[position + 1 : position + 3] if t.is_user), None)
    if reply is None or is_hedged(turn.text):
        return None
    for sentence in sentences(turn.text):
        category = category_of(sentence) or category_of(sentence.replace("your ", "my "))
        if category is None:
            continue
        key = _key_clause(_FILLER.sub("", sentence))
        about_wearer = bool(_ABOUT_WEARER.search(key.lower())) and not _SPEAKER_ABOUT_SELF.search(key.lower())
        answered = bool(_QUESTION.search(sentence.lower().strip())) and len(reply.text.split()) >= 3
        if not (agrees(reply.text) or answered):
            continue
        if about_wearer or answered:
            fact = addressed_to(key, name)
            if answered:
                fact = f"{fact} {in_first_person(reply.text, name)}"
            return FoundMemory(sentence_case(fact), category, turn.index)
        confirmation = reply.text if len(reply.text.split()) >= 3 else ""
        fact = f"{key} {confirmation}".strip()
        return FoundMemory(sentence_case(fact), MemoryCategory.relationships, turn.index)
    return None


def _key_clause(sentence: str) -> str:
    """The part of a sentence that carries the fact ("Before I do, ... that you're allergic to X")."""
    parts = [p.strip() for p in re.split(r",|\bthat\b|\bso\b|\bbut\b|\bthough\b", sentence) if p.strip()]
    return next((part for part in parts if category_of(part) or category_of(part.replace("your ", "my "))), sentence)


def addressed_to(text: str, name: str) -> str:
    """Name the wearer where someone spoke to them: "you're allergic" -> "Rhys is allergic"."""
    text = re.sub(r"\byou're\b|\byoure\b|\byou are\b", f"{name} is", text, flags=re.IGNORECASE)
    text = re.sub(r"\byour\b", f"{name}'s", text, flags=re.IGNORECASE)
    return re.sub(r"\byou\b", name, text, flags=re.IGNORECASE)


def _fact(sentence: str, name: str) -> str:
    return sentence_case(in_first_person(_FILLER.sub("", sentence.strip()), name))
