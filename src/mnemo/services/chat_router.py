"""Which questions need the wearer's data, which are follow-ups, and what to say without context."""

from __future__ import annotations

import re

_SMALL_TALK = re.compile(
    r"^\s*(hi|hello|hey|hiya|yo|good (morning|afternoon|evening|night)|thanks?|thank you|thx|ok(ay)?|cool|"
    r"great|nice|bye|goodbye|see you|how are you( doing)?|who are you|what are you|what can you do|help)"
    r"[\s!.?,]*(there|mnemo|again|so much|a lot)?[\s!.?]*$",
    re.IGNORECASE,
)
_FOLLOW_UP_START = re.compile(r"^\s*(and|so|also|then|what about|how about|and then)\b", re.IGNORECASE)
_ANAPHORA = re.compile(r"\b(he|she|they|him|her|them|his|hers|their|it|that|this|there|those|these)\b", re.I)
_AFTER = re.compile(r"\b(after that|afterwards|next|then|after this)\b", re.IGNORECASE)
_CONTENT = re.compile(r"[a-z0-9']{4,}", re.IGNORECASE)
_QUESTION_WORDS = {"what", "when", "where", "which", "who", "whom", "whose", "why", "how", "does", "did", "said",
                   "tell", "about", "after", "that", "this", "then", "next", "there", "they", "them", "their",
                   "afterwards", "also", "with"}


def needs_context(text: str) -> bool:
    return not _SMALL_TALK.match(text)


def direct_reply(text: str, user_name: str) -> str:
    lowered = text.lower()
    if any(word in lowered for word in ("thank", "thx")):
        return "You're welcome!"
    if any(word in lowered for word in ("bye", "see you", "good night")):
        return "Goodbye! I'll keep listening and remembering for you."
    if any(phrase in lowered for phrase in ("who are you", "what are you", "what can you do", "help")):
        return ("I'm mnemo, your memory assistant. Ask me about your conversations and what you've "
                "heard: who said what, when something happened, what you promised to do.")
    if "how are you" in lowered:
        return "I'm doing well, thanks for asking! What would you like to remember?"
    return f"Hi {user_name}! Ask me anything about your conversations."


def is_follow_up(text: str) -> bool:
    """A question that leans on the previous one ("and what did she say after that?")."""
    own_words = {w.lower() for w in _CONTENT.findall(text)} - _QUESTION_WORDS
    return bool(_FOLLOW_UP_START.match(text) or (_ANAPHORA.search(text) and len(own_words) <= 3))


def asks_what_came_next(text: str) -> bool:
    return bool(_AFTER.search(text))
