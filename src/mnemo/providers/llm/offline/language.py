"""Small pieces of English the rules share: turns, sentences, hedges, agreement, noun phrases."""

from __future__ import annotations

import re
from dataclasses import dataclass

from mnemo.models.segment import TranscriptSegment

STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "if",
        "so",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "with",
        "from",
        "about",
        "as",
        "into",
        "over",
        "after",
        "before",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "am",
        "i",
        "me",
        "my",
        "mine",
        "we",
        "us",
        "our",
        "you",
        "your",
        "yours",
        "he",
        "him",
        "his",
        "she",
        "her",
        "they",
        "them",
        "their",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "there",
        "here",
        "what",
        "which",
        "who",
        "whom",
        "when",
        "where",
        "why",
        "how",
        "all",
        "any",
        "both",
        "each",
        "few",
        "more",
        "most",
        "other",
        "some",
        "such",
        "no",
        "nor",
        "not",
        "only",
        "own",
        "same",
        "than",
        "too",
        "very",
        "can",
        "will",
        "just",
        "don",
        "should",
        "now",
        "do",
        "does",
        "did",
        "have",
        "has",
        "had",
        "having",
        "would",
        "could",
        "might",
        "must",
        "shall",
        "may",
        "yeah",
        "yes",
        "ok",
        "okay",
        "oh",
        "um",
        "uh",
        "like",
        "really",
        "well",
        "also",
        "then",
        "got",
        "get",
        "gonna",
        "im",
        "ill",
        "ive",
        "youre",
        "thats",
        "its",
        "dont",
        "didnt",
        "cant",
        "wont",
        "let",
        "lets",
        "going",
        "go",
        "right",
        "sure",
        "know",
        "think",
        "one",
        "thing",
        "things",
    ]
)

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
HEDGES = re.compile(
    r"\b(maybe|might|perhaps|possibly|probably|not sure|if we|if you|if i|if it|if the|someday|some day|"
    r"sometime|one day|we should|would be|could be|i guess|wish|hopefully|not yet|let's not|lets not|"
    r"let's figure|lets figure|haven't decided|havent decided|don't know yet|dont know yet)\b"
)
_AGREE = re.compile(
    r"^\s*(?:\w+\s*,\s*)?(sure|yes|yeah|yep|yup|ok|okay|of course|will do|no problem|absolutely|definitely|"
    r"fine|deal|got it|sounds good|i can|i will|i'll|ill|tomorrow yeah|alright|all right)\b"
)
_REQUEST = re.compile(
    r"\b(?:can|could|would|will)\s+you\s+(?:please\s+)?(.+?)(?:\?|$)|\b(?:please)\s+(.+?)(?:[.!?]|$)|"
    r"\byou\s+(?:have to|need to|must|should)\s+(.+?)(?:[.!?]|$)|\bi'?d like you to\s+(.+?)(?:[.!?]|$)|"
    r"\bremember to\s+(.+?)(?:[.!?]|$)|\bdon'?t forget to\s+(.+?)(?:[.!?]|$)"
)
_PREPOSITIONS = frozenset(
    ["in", "on", "at", "to", "from", "with", "into", "for", "of", "about", "by", "under", "near", "inside", "onto"]
)
_DETERMINERS = ("the", "a", "an", "your", "my", "that", "this", "our", "his", "her")
_NOUN_PHRASE = re.compile(r"\b(the|a|an|your|you're|my|that|this|our)\s+((?:[a-z][a-z'-]*\s*){1,4})")
_PHRASE_END = _PREPOSITIONS | {
    "back",
    "up",
    "out",
    "over",
    "again",
    "tonight",
    "today",
    "tomorrow",
    "now",
    "is",
    "are",
    "was",
    "should",
    "will",
    "can",
    "please",
    "and",
    "or",
    "so",
    "then",
}
_CLAUSE_STOP = re.compile(r"\s+(?:so|because|and then|but|while|since|which)\s+|[,.;!?]")


@dataclass(frozen=True)
class Turn:
    index: int
    is_user: bool
    speaker_id: int
    text: str

    @property
    def lowered(self) -> str:
        return self.text.lower().replace("’", "'")


def turns(segments: list[TranscriptSegment]) -> list[Turn]:
    return [Turn(i, s.is_user, s.speaker_id, s.text.strip()) for i, s in enumerate(segments) if s.text.strip()]


def sentences(text: str) -> list[str]:
    return [part.strip() for part in _SENTENCE_END.split(text) if part.strip()]


def words(text: str) -> list[str]:
    return re.findall(r"[a-zà-ÿ0-9']+", text.lower())


def content_words(text: str) -> set[str]:
    return {w.strip("'") for w in words(text) if w not in STOPWORDS and len(w) > 2}


def is_hedged(text: str) -> bool:
    return bool(HEDGES.search(text.lower()))


def agrees(text: str) -> bool:
    return bool(_AGREE.search(text.lower()))


def request_in(text: str) -> str | None:
    """What a speaker asks the listener to do ("could you email us a photo?" -> "email us a photo")."""
    match = _REQUEST.search(text.lower())
    if not match:
        return None
    asked = next(group for group in match.groups() if group)
    return clause(asked)


def clause(text: str) -> str:
    """The first clause of `text`: up to a comma, a sentence end or a conjunction."""
    return _CLAUSE_STOP.split(text, maxsplit=1)[0].strip()


def object_phrase(text: str) -> str | None:
    """The latest noun phrase that is not the object of a preposition ("sign it ... in the bag")."""
    lowered = text.lower().replace("’", "'")
    found = None
    for match in _NOUN_PHRASE.finditer(lowered):
        before = lowered[: match.start()].split()
        if before and before[-1] in _PREPOSITIONS:
            continue
        kept = []
        for word in match.group(2).split():
            if word in _PHRASE_END or word in STOPWORDS:
                break
            kept.append(word)
        if kept:
            determiner = "your" if match.group(1) == "you're" else match.group(1)
            found = f"{determiner} {' '.join(kept)}"
    return as_listener(found) if found else None


def as_listener(text: str) -> str:
    """Turn words addressed to the wearer into the wearer's own ("bring your list" -> "bring my list")."""
    text = re.sub(
        r"\byou're(?=\s+(?:\w+ing|allergic|still|on|not|a|an|the|very|quite|so|really|fine|right|"
        r"welcome|due|done|free|busy|off|in|at|from)\b)",
        "I'm",
        text,
    )
    text = re.sub(r"\byou're\b|\byour\b", "my", text)
    text = re.sub(r"\byou've\b", "I've", text)
    text = re.sub(r"^(\w+)\s+(?:me|us)\s+", r"\1 ", text)
    return re.sub(r"\byou\b", "me", text)


def in_first_person(text: str, name: str) -> str:
    """Rewrite the wearer's first-person sentence about themself in the third person."""
    replacements = [
        (r"\bi'm\b|\bim\b|\bi am\b", f"{name} is"),
        (r"\bi've\b|\bive\b|\bi have\b", f"{name} has"),
        (r"\bi'd\b", f"{name} would"),
        (r"\bi'll\b", f"{name} will"),
        (r"\bmy\b", f"{name}'s"),
        (r"\bme\b", name),
        (r"\bmyself\b", name),
        (r"\bi\b", name),
    ]
    for pattern, replacement in replacements:
        text = re.sub(pattern, replacement, text, flags=re.IGNORECASE)
    return text


def sentence_case(text: str) -> str:
    text = text.strip().rstrip(",;")
    return text[:1].upper() + text[1:] if text else text
