"""The wearer: an account with a display name and a time zone."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from pydantic import BaseModel, Field

from .common import new_id, utcnow

DEFAULT_TIME_ZONE = "UTC"


def is_valid_time_zone(name: str) -> bool:
    """True for IANA zone names such as "Europe/Berlin"; false for offsets, paths and junk."""
    if not name or name != name.strip() or name not in _zone_names():
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


_ZONES: set[str] = set()


def _zone_names() -> set[str]:
    if not _ZONES:
        _ZONES.update(available_timezones())
    return _ZONES


class User(BaseModel):
    uid: str = Field(default_factory=new_id)
    name: str
    time_zone: str = DEFAULT_TIME_ZONE
    created_at: datetime = Field(default_factory=utcnow)
