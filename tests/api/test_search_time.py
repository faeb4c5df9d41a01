"""Time words in a query become a time filter in the user's time zone, against a fixed clock."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from mnemo.app import create_app
from mnemo.config import Settings
from tests.conftest import Caller
from tests.scripted import CountingExtractor
from tests.searching import ESPRESSO, post, search

NOW = datetime(2026, 3, 20, 15, 0, tzinfo=UTC)  # a Friday


@pytest.fixture
async def clocked(settings: Settings) -> AsyncIterator[tuple[httpx.AsyncClient, Caller]]:
    app = create_app(settings, CountingExtractor(), clock=lambda: NOW)
    async with app.router.lifespan_context(app):
        user, token = await app.state.services.users.create_user("Carol")
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://mnemo.test") as client:
            yield client, Caller(user.uid, token)


async def _espresso_at(client: httpx.AsyncClient, caller: Caller, *moments: datetime) -> list[str]:
    return [(await post(client, caller, ESPRESSO, moment))["id"] for moment in moments]


async def _ids_and_filter(client: httpx.AsyncClient, caller: Caller, query: str) -> tuple[list[str], dict | None]:
    response = await search(client, caller, query)
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]], response.json()["time_filter"]


async def test_six_hours_ago_and_yesterday(clocked: tuple[httpx.AsyncClient, Caller]) -> None:
    client, carol = clocked
    six_hours, yesterday, last_week = await _espresso_at(
        client, carol, NOW - timedelta(hours=6), NOW - timedelta(days=1, hours=3), NOW - timedelta(days=8))

    ids, report = await _ids_and_filter(client, carol, "what did Marco say about espresso six hours ago")
    assert ids == [six_hours]
    assert report["phrase"] == "six hours ago" and report["applied"] is True

    ids, report = await _ids_and_filter(client, carol, "espresso machine yesterday")
    assert ids == [yesterday]
    assert report["start"] == "2026-03-19T00:00:00Z" and report["end"] == "2026-03-20T00:00:00Z"

    ids, _ = await _ids_and_filter(client, carol, "espresso last week")
    assert ids == [last_week]

    ids, report = await _ids_and_filter(client, carol, "espresso machine")
    assert sorted(ids) == sorted([six_hours, yesterday, last_week]) and report is None


async def test_yesterday_is_the_users_yesterday(clocked: tuple[httpx.AsyncClient, Caller]) -> None:
    client, carol = clocked
    response = await client.put("/v1/users/time-zone", json={"time_zone": "America/Los_Angeles"},
                                headers=carol.headers)
    assert response.status_code == 200, response.text
    # 04:00 UTC on the 20th is still the 19th in Los Angeles (UTC-7 in March): yesterday there.
    (late_evening,) = await _espresso_at(client, carol, datetime(2026, 3, 20, 4, 0, tzinfo=UTC))
    ids, report = await _ids_and_filter(client, carol, "espresso yesterday")
    assert ids == [late_evening]
    assert report["start"] == "2026-03-19T07:00:00Z"


async def test_an_empty_span_falls_back_to_all_time_and_says_so(clocked: tuple[httpx.AsyncClient, Caller]) -> None:
    client, carol = clocked
    (older,) = await _espresso_at(client, carol, NOW - timedelta(days=40))
    ids, report = await _ids_and_filter(client, carol, "espresso yesterday")
    assert ids == [older]
    assert report == {"phrase": "yesterday", "start": "2026-03-19T00:00:00Z", "end": "2026-03-20T00:00:00Z",
                      "applied": False}
