"""Small helpers every domain type uses: ids, clocks and lenient enums."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from enum import StrEnum


def new_id() -> str:
    return str(uuid.uuid4())


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """A naive datetime is taken to be UTC; an aware one is converted to UTC."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


class LenientEnum(StrEnum):
    """A string enum that maps any unknown string to its fallback member instead of failing.

    Clients of the Omi API send categories and sources from newer app versions; an unknown
    value must not reject the whole request.
    """

    @classmethod
    def fallback(cls) -> LenientEnum:
        return cls("other")

    @classmethod
    def _missing_(cls, value: object) -> LenientEnum | None:
        if isinstance(value, str):
            for member in cls:
                if member.value == value.strip().lower():
                    return member
            return cls.fallback()
        return None
