"""Title, overview, emoji and category, taken from the transcript itself."""

from __future__ import annotations

import re
from collections import Counter

from mnemo.models.categories import ConversationCategory
from mnemo.models.extraction import MAX_TITLE_WORDS

from .language import Turn, content_words, sentence_case, sentences

_LEXICON: dict[ConversationCategory, tuple[str, ...]] = {
    ConversationCategory.work: (
        "meeting",
        "budget",
        "vendor",
        "demo",
        "project",
        "promotion",
        "manager",
        "office",
        "deadline",
        "client",
        "team",
        "invoice",
        "review",
        "offsite",
        "migration",
        "report",
    ),
    ConversationCategory.business: ("vendor", "procurement", "license", "pricing", "contract", "sales"),
    ConversationCategory.health: (
        "doctor",
        "prescription",
        "allergic",
        "surgery",
        "vitamin",
        "cholesterol",
        "medication",
        "pharmacy",
        "symptom",
        "blood",
        "knee",
        "physio",
        "dentist",
    ),
    ConversationCategory.family: (
        "mom",
        "mum",
        "dad",
        "dinner",
        "kids",
        "family",
        "sister",
        "brother",
        "thanksgiving",
        "lasagna",
        "grocery",
    ),
    ConversationCategory.parenting: ("school", "pickup", "kindergarten", "permission", "homework", "daycare"),
    ConversationCategory.travel: (
        "flight",
        "flights",
        "hotel",
        "airport",
        "trip",
        "condo",
        "rental",
        "snorkeling",
        "honolulu",
        "luggage",
        "passport",
    ),
    ConversationCategory.sports: ("marathon", "squats", "training", "workout", "gym", "hamstrings", "sets", "race"),
    ConversationCategory.social: ("brunch", "party", "friends", "jazz", "drinks", "neighborhood"),
    ConversationCategory.entertainment: (
        "episode",
        "show",
        "break",
        "brought to you by",
        "welcome back",
        "tonight we're",
    ),
    ConversationCategory.weather: ("weather", "windchill", "rain", "snow", "forecast", "sunny", "minus"),
    ConversationCategory.finance: ("bank", "loan", "mortgage", "tax", "savings", "investment"),
    ConversationCategory.education: ("exam", "class", "lesson", "course", "homework", "university"),
}
_EMOJI = {
    ConversationCategory.work: "💼",
    ConversationCategory.business: "📈",
    ConversationCategory.health: "🩺",
    ConversationCategory.family: "👨‍👩‍👧",
    ConversationCategory.parenting: "🧒",
    ConversationCategory.travel: "✈️",
    ConversationCategory.sports: "🏃",
    ConversationCategory.social: "🥂",
    ConversationCategory.entertainment: "📺",
    ConversationCategory.weather: "🌦️",
    ConversationCategory.finance: "💰",
    ConversationCategory.education: "📚",
    ConversationCategory.personal: "🧠",
    ConversationCategory.other: "💬",
}
_GREETING = re.compile(
    r"^(hi|hey|hello|morning|good (morning|afternoon|evening)|thanks|thank you|bye|cheers)\b", re.IGNORECASE
)


def category(turns: list[Turn]) -> ConversationCategory:
    text = " ".join(t.lowered for t in turns)
    scores = Counter(
        {
            cat: sum(len(re.findall(rf"\b{re.escape(word)}\b", text)) for word in words)
            for cat, words in _LEXICON.items()
        }
    )
    best, score = scores.most_common(1)[0] if scores else (ConversationCategory.other, 0)
    return best if score >= 2 else ConversationCategory.personal


def emoji(chosen: ConversationCategory) -> str:
    return _EMOJI.get(chosen, "🧠")


def title_and_overview(turns: list[Turn], highlights: list[str]) -> tuple[str, str]:
    """The title names the main topics; the overview strings together the most telling sentences."""
    ranked = _ranked_sentences(turns)
    overview = " ".join(sentence for _, sentence in sorted(ranked[:3]))
    topics = highlights or [sentence for _, sentence in ranked[:1]]
    return _short(topics), overview


def _ranked_sentences(turns: list[Turn]) -> list[tuple[int, str]]:
    frequency = Counter(word for turn in turns for word in content_words(turn.text))
    scored = []
    for order, sentence in enumerate(s for turn in turns for s in sentences(turn.text)):
        if _GREETING.match(sentence) and len(sentence.split()) < 6:
            continue
        words = content_words(sentence)
        if len(words) < 3:
            continue
        scored.append((sum(frequency[w] for w in words) / (len(words) ** 0.5), order, sentence))
    scored.sort(reverse=True)
    return [(order, sentence_case(sentence)) for _, order, sentence in scored]


def _short(topics: list[str]) -> str:
    """Whole topics joined by "and" while they fit in the title's word budget."""
    chosen: list[str] = []
    for topic in topics:
        topic_words = re.sub(r"[.?!,;]", "", topic).split()
        used = sum(len(t.split()) for t in chosen) + len(chosen)
        if not chosen:
            chosen.append(" ".join(topic_words[:MAX_TITLE_WORDS]))
        elif used + len(topic_words) <= MAX_TITLE_WORDS:
            chosen.append(" ".join(topic_words))
    return sentence_case(" and ".join(t.lower() if i else t for i, t in enumerate(chosen))) or "Conversation"
