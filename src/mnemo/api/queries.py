"""Query parameters several routers share."""

from __future__ import annotations

from datetime import datetime

from mnemo.models.common import as_utc


def utc_or_none(value: datetime | None) -> datetime | None:
    """Dates in query strings may come without an offset; those are taken as UTC."""
    return as_utc(value) if value is not None else None
