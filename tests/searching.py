"""A small fixed corpus for search and chat tests, posted through the API as a client would."""

from __future__ import annotations

from datetime import datetime

import httpx

from tests.conftest import Caller
from tests.conversations import body

HIKING = [
    (True, "I went hiking with my sister Ruby at Mount Tamalpais on Saturday."),
    (False, "Did you see the waterfall near the trail?"),
    (True, "Yes, and Ruby said she wants to adopt a golden retriever next month."),
    (False, "A golden retriever is a lot of work, she should visit the shelter first."),
    (True, "I promised to send Ruby the adoption agency link tonight."),
]
DENTIST = [
    (False, "This is the Bright Smile dental office calling about your cleaning."),
    (True, "Hi, yes, I need to reschedule the dental cleaning."),
    (False, "We can move the dentist appointment to Thursday at nine in the morning."),
    (True, "Thursday at nine works for me, thank you."),
]
BUDGET = [
    (False, "The quarterly budget review moved to the big finance meeting room."),
    (True, "Then I will prepare the spreadsheet with all the marketing expenses."),
    (False, "Please also include the travel costs from the Lisbon conference."),
    (True, "Sure, the Lisbon travel costs will be in the spreadsheet by Monday."),
]
ESPRESSO = [
    (False, "Marco brought the new espresso machine to the office kitchen."),
    (True, "The espresso from that machine tastes much better than the old one."),
    (False, "Marco says the beans come from a small roaster in Naples."),
    (True, "I will order a bag of those Naples beans for the team tomorrow."),
]


async def post(client: httpx.AsyncClient, caller: Caller, lines: list[tuple[bool, str]],
               started_at: datetime | str = "2026-04-14T10:00:00+02:00") -> dict:
    start = started_at.isoformat() if isinstance(started_at, datetime) else started_at
    response = await client.post("/v1/conversations", json=body(lines, start), headers=caller.headers)
    assert response.status_code == 200, response.text
    conversation = response.json()["conversation"]
    assert conversation["status"] == "completed"
    return conversation


async def search(client: httpx.AsyncClient, caller: Caller, query: str, **extra: object) -> httpx.Response:
    return await client.post("/v1/conversations/search", json={"query": query, **extra}, headers=caller.headers)


async def search_ids(client: httpx.AsyncClient, caller: Caller, query: str, **extra: object) -> list[str]:
    response = await search(client, caller, query, **extra)
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]
