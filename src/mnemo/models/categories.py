"""The category lists of Omi: conversation categories, memory categories and sources."""

from __future__ import annotations

from .common import LenientEnum


class ConversationCategory(LenientEnum):
    personal = "personal"
    education = "education"
    health = "health"
    finance = "finance"
    legal = "legal"
    philosophy = "philosophy"
    spiritual = "spiritual"
    science = "science"
    entrepreneurship = "entrepreneurship"
    parenting = "parenting"
    romance = "romantic"
    travel = "travel"
    inspiration = "inspiration"
    technology = "technology"
    business = "business"
    social = "social"
    work = "work"
    sports = "sports"
    politics = "politics"
    literature = "literature"
    history = "history"
    architecture = "architecture"
    music = "music"
    weather = "weather"
    news = "news"
    entertainment = "entertainment"
    psychology = "psychology"
    real = "real"
    design = "design"
    family = "family"
    economics = "economics"
    environment = "environment"
    other = "other"


class MemoryCategory(LenientEnum):
    personal = "personal"
    health = "health"
    work = "work"
    relationships = "relationships"
    preferences = "preferences"
    other = "other"


class ConversationSource(LenientEnum):
    friend = "friend"
    omi = "omi"
    fieldy = "fieldy"
    bee = "bee"
    plaud = "plaud"
    frame = "frame"
    friend_com = "friend_com"
    apple_watch = "apple_watch"
    phone = "phone"
    phone_call = "phone_call"
    desktop = "desktop"
    openglass = "openglass"
    screenpipe = "screenpipe"
    workflow = "workflow"
    sdcard = "sdcard"
    external_integration = "external_integration"
    limitless = "limitless"
    rayban_meta = "rayban_meta"
    unknown = "unknown"

    @classmethod
    def fallback(cls) -> ConversationSource:
        return cls.unknown
