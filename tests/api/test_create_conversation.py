"""POST /v1/conversations with a body: stored, processed, answered with the result."""

from __future__ import annotations

import httpx
import pytest

from tests.conftest import Caller
from tests.conversations import PLANNING, SMALL_TALK, body


async def _post(client: httpx.AsyncClient, caller: Caller, payload: dict) -> httpx.Response:
    return await client.post("/v1/conversations", json=payload, headers=caller.headers)


async def _set_zone(client: httpx.AsyncClient, caller: Caller, zone: str = "Europe/Berlin") -> None:
    response = await client.put("/v1/users/time-zone", json={"time_zone": zone}, headers=caller.headers)
    assert response.status_code == 200


async def test_a_conversation_is_processed_before_the_answer(client: httpx.AsyncClient, alice: Caller) -> None:
    await _set_zone(client, alice)
    response = await _post(client, alice, body(PLANNING))
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["messages"] == []
    conversation = result["conversation"]
    assert conversation["status"] == "completed" and conversation["discarded"] is False
    structured = conversation["structured"]
    assert structured["title"] and structured["overview"] and structured["category"] == "health"
    [event] = structured["events"]
    assert event["start"] == "2026-04-16T14:00:00Z"  # Thursday 16:00 in Berlin
    assert "physio" in (event["title"] + event["description"]).lower()
    [item] = structured["action_items"]
    assert "insurance number" in item["description"].lower()
    assert item["due_at"].startswith("2026-04-15")
    assert len(conversation["transcript_segments"]) == len(PLANNING)

    items = (await client.get("/v1/action-items", headers=alice.headers)).json()["action_items"]
    assert [i["id"] for i in items] == [item["id"]]
    memories = (await client.get("/v3/memories", headers=alice.headers)).json()
    contents = " | ".join(m["content"].lower() for m in memories)
    assert "ibuprofen" in contents and "kreuzberg" in contents
    assert all(m["conversation_id"] == conversation["id"] and not m["manually_added"] for m in memories)
    listed = (await client.get("/v1/conversations", headers=alice.headers)).json()
    assert [c["id"] for c in listed] == [conversation["id"]]


async def test_agent_segments_count_like_anyone_elses(client: httpx.AsyncClient, alice: Caller) -> None:
    lines = [(True, "Can you remind me what I promised Tom?"),
             (False, "You said you would send Tom the quarterly report."),
             (True, "Right, I'll send Tom the quarterly report tonight.")]
    payload = body(lines)
    for segment in payload["transcript_segments"]:
        if not segment["is_user"]:
            segment.pop("speaker")
            segment["speaker_id"] = 1
    conversation = (await _post(client, alice, payload)).json()["conversation"]
    assert conversation["transcript_segments"][1]["speaker"] == "SPEAKER_01"
    assert ["quarterly report" in i["description"].lower() for i in conversation["structured"]["action_items"]] == [
        True]


async def test_short_conversations_are_discarded_without_a_model_call(
    client: httpx.AsyncClient, alice: Caller, extractor
) -> None:  # type: ignore[no-untyped-def]
    conversation = (await _post(client, alice, body(SMALL_TALK))).json()["conversation"]
    assert conversation["status"] == "completed" and conversation["discarded"] is True
    assert conversation["structured"]["action_items"] == [] and conversation["structured"]["events"] == []
    assert extractor.calls == 0
    assert (await client.get("/v3/memories", headers=alice.headers)).json() == []
    kept = await client.get("/v1/conversations?include_discarded=false", headers=alice.headers)
    assert kept.json() == []


async def test_custom_structured_and_memories_pass_through(
    client: httpx.AsyncClient, alice: Caller, extractor
) -> None:  # type: ignore[no-untyped-def]
    payload = body(PLANNING, custom_structured={"title": "Physio moved", "overview": "Moved to Thursday.",
                                                "emoji": "💪", "category": "health"},
                   custom_memories=[{"content": "Sees a physio for a shoulder injury", "category": "health"}])
    conversation = (await _post(client, alice, payload)).json()["conversation"]
    structured = conversation["structured"]
    assert (structured["title"], structured["overview"], structured["emoji"]) == ("Physio moved", "Moved to Thursday.",
                                                                                   "💪")
    memories = (await client.get("/v3/memories", headers=alice.headers)).json()
    assert "Sees a physio for a shoulder injury" in [m["content"] for m in memories]
    assert extractor.calls == 1


async def test_skip_processing_calls_no_model(client: httpx.AsyncClient, alice: Caller, extractor) -> None:  # type: ignore[no-untyped-def]
    payload = body(PLANNING, skip_processing=True, custom_structured={"title": "Given title"},
                   custom_memories=[{"content": "Prefers morning appointments", "category": "preferences"}])
    conversation = (await _post(client, alice, payload)).json()["conversation"]
    assert extractor.calls == 0
    assert conversation["status"] == "completed"
    assert conversation["structured"]["title"] == "Given title"
    assert conversation["structured"]["action_items"] == []
    memories = (await client.get("/v3/memories", headers=alice.headers)).json()
    assert [(m["content"], m["category"]) for m in memories] == [("Prefers morning appointments", "preferences")]


async def test_unknown_sources_are_kept_as_unknown(client: httpx.AsyncClient, alice: Caller) -> None:
    conversation = (await _post(client, alice, body(PLANNING, source="letta"))).json()["conversation"]
    assert conversation["source"] == "unknown"


@pytest.mark.parametrize(
    ("payload", "statuses"),
    [
        (body([]), (400, 422)),
        (body([(True, "   ")]), (400, 422)),
        ({**body(PLANNING), "started_at": "yesterday"}, (422,)),
        ({**body(PLANNING), "finished_at": "2020-01-01T00:00:00Z"}, (422,)),
        (body([(True, "x" * 10_001)]), (413, 422)),
        ({**body(PLANNING), "transcript_segments": [{"text": "hi", "start": 5, "end": 1}]}, (422,)),
        ({**body(PLANNING), "transcript_segments": [{"text": "hi", "start": -1, "end": 1}]}, (422,)),
        ({**body(PLANNING), "transcript_segments": "nope"}, (422,)),
        ({**body(PLANNING), "custom_memories": [{"content": ""}]}, (422,)),
    ],
)
async def test_bad_bodies_store_nothing(client: httpx.AsyncClient, alice: Caller, payload, statuses) -> None:  # type: ignore[no-untyped-def]
    response = await _post(client, alice, payload)
    assert response.status_code in statuses, response.text
    assert "detail" in response.json()
    everything = "statuses=in_progress,processing,completed,failed"
    assert (await client.get(f"/v1/conversations?{everything}", headers=alice.headers)).json() == []


async def test_a_hundred_thousand_segments_are_refused(client: httpx.AsyncClient, alice: Caller) -> None:
    segment = {"text": "a", "start": 0, "end": 1}
    payload = {**body(PLANNING), "transcript_segments": [segment] * 100_000}
    response = await _post(client, alice, payload)
    assert response.status_code in (413, 422)
    assert (await client.get("/v1/conversations?statuses=processing,completed,failed",
                             headers=alice.headers)).json() == []


async def test_finalize_without_a_conversation_in_progress(client: httpx.AsyncClient, alice: Caller) -> None:
    response = await client.post("/v1/conversations", headers=alice.headers)
    assert response.status_code == 404
    assert response.json() == {"detail": "Conversation in progress not found"}
