"""POST /v2/messages (the stream, byte for byte), GET and DELETE /v2/messages, citations, follow-ups."""

from __future__ import annotations

import base64
import json
import re

import httpx

from tests.conftest import Caller
from tests.searching import BUDGET, DENTIST, HIKING, post

EVENT = re.compile(r"(think|data|done): ([^\n]*)\n\n")


def parse_stream(raw: bytes) -> tuple[list[tuple[str, str]], dict]:
    """Split an Omi chat stream into (kind, payload) events; the last is `done` with the message JSON."""
    text = raw.decode()
    events = [(m[1], m[2]) for m in EVENT.finditer(text)]
    assert "".join(f"{kind}: {payload}\n\n" for kind, payload in events) == text, "nothing outside the events"
    kinds = [kind for kind, _ in events]
    assert kinds.count("done") == 1 and kinds[-1] == "done"
    message = json.loads(base64.b64decode(events[-1][1], validate=True))
    return events, message


async def ask(client: httpx.AsyncClient, caller: Caller, text: str) -> tuple[list[tuple[str, str]], dict]:
    response = await client.post("/v2/messages", json={"text": text}, headers=caller.headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/event-stream")
    return parse_stream(response.content)


async def _corpus(client: httpx.AsyncClient, caller: Caller) -> dict[str, dict]:
    return {
        "hiking": await post(client, caller, HIKING, "2026-04-11T15:00:00+00:00"),
        "dentist": await post(client, caller, DENTIST, "2026-04-12T09:00:00+00:00"),
        "budget": await post(client, caller, BUDGET, "2026-04-13T11:00:00+00:00"),
    }


def _transcript(conversation: dict) -> str:
    return " ".join(s["text"] for s in conversation["transcript_segments"])


async def test_the_stream_is_what_an_omi_client_parses(client: httpx.AsyncClient, alice: Caller) -> None:
    corpus = await _corpus(client, alice)
    events, message = await ask(client, alice, "What does Ruby want to adopt?")
    assert events[0][0] == "think"
    streamed = "".join(payload for kind, payload in events if kind == "data").replace("__CRLF__", "\n")
    assert streamed == message["text"]
    assert set(message) == {"id", "text", "created_at", "sender", "app_id", "type", "memories_id"}
    assert message["sender"] == "ai" and message["type"] == "text"
    assert "golden retriever" in message["text"]
    assert message["memories_id"] == [corpus["hiking"]["id"]]
    history = (await client.get("/v2/messages", headers=alice.headers)).json()
    assert [m["sender"] for m in history] == ["ai", "human"]
    assert history[0] == message
    assert history[1]["text"] == "What does Ruby want to adopt?"


async def test_the_cited_conversation_supports_the_answer(client: httpx.AsyncClient, alice: Caller) -> None:
    corpus = await _corpus(client, alice)
    for question, key, words in [("When is the dentist appointment?", "dentist", "Thursday at nine"),
                                 ("What should be in the spreadsheet?", "budget", "spreadsheet")]:
        _, message = await ask(client, alice, question)
        assert message["memories_id"] == [corpus[key]["id"]], question
        assert words in message["text"]
        quoted = message["text"].split(": ", 1)[-1]
        assert quoted.split(".")[0] in _transcript(corpus[key])


async def test_when_questions_are_answered_with_the_date(client: httpx.AsyncClient, alice: Caller) -> None:
    corpus = await _corpus(client, alice)
    _, message = await ask(client, alice, "When did I go hiking with Ruby?")
    assert message["text"].startswith("On 11 April 2026.")
    assert message["memories_id"] == [corpus["hiking"]["id"]]


async def test_a_follow_up_continues_the_same_conversation(client: httpx.AsyncClient, alice: Caller) -> None:
    corpus = await _corpus(client, alice)
    _, first = await ask(client, alice, "What did Ruby say she wants to adopt?")
    assert "golden retriever next month" in first["text"]
    _, second = await ask(client, alice, "and what did they say after that?")
    assert second["memories_id"] == [corpus["hiking"]["id"]]
    assert "visit the shelter first" in second["text"]


async def test_small_talk_needs_no_context(client: httpx.AsyncClient, alice: Caller) -> None:
    await _corpus(client, alice)
    events, message = await ask(client, alice, "hi!")
    assert [kind for kind, _ in events if kind == "think"] == []
    assert message["memories_id"] == [] and "Alice" in message["text"]


async def test_nothing_found_cites_nothing(client: httpx.AsyncClient, bob: Caller) -> None:
    _, message = await ask(client, bob, "What did the plumber say about the leak?")
    assert message["memories_id"] == []
    assert "couldn't find" in message["text"]


async def test_chat_never_sees_another_users_data(client: httpx.AsyncClient, alice: Caller, bob: Caller) -> None:
    corpus = await _corpus(client, alice)
    await ask(client, alice, "What does Ruby want to adopt?")
    _, message = await ask(client, bob, "What does Ruby want to adopt?")
    assert message["memories_id"] == []
    assert "retriever" not in message["text"]
    bob_history = (await client.get("/v2/messages", headers=bob.headers)).json()
    assert len(bob_history) == 2 and all(m["memories_id"] == [] for m in bob_history)
    assert (await client.delete("/v2/messages", headers=bob.headers)).json()["deleted_count"] == 2
    assert len((await client.get("/v2/messages", headers=alice.headers)).json()) == 2
    await client.delete(f"/v1/conversations/{corpus['hiking']['id']}", headers=alice.headers)
    _, after = await ask(client, alice, "What does Ruby want to adopt?")
    assert corpus["hiking"]["id"] not in after["memories_id"]


async def test_clearing_the_history(client: httpx.AsyncClient, alice: Caller) -> None:
    await ask(client, alice, "hello")
    response = await client.delete("/v2/messages", headers=alice.headers)
    assert response.status_code == 200 and response.json()["deleted_count"] == 2
    assert (await client.get("/v2/messages", headers=alice.headers)).json() == []


async def test_bad_messages_are_refused_and_nothing_is_stored(client: httpx.AsyncClient, alice: Caller) -> None:
    for payload in ({"text": ""}, {"text": "   "}, {"text": "x" * 5000}, {}, {"text": 3},
                    {"text": "hi", "file_ids": ["f1"]}):
        response = await client.post("/v2/messages", json=payload, headers=alice.headers)
        assert response.status_code in (400, 422), payload
        assert "detail" in response.json()
    assert (await client.post("/v2/messages", content=b"{oops", headers=alice.headers)).status_code == 422
    assert (await client.post("/v2/messages", json={"text": "hi"})).status_code == 401
    assert (await client.get("/v2/messages", params={"limit": 0}, headers=alice.headers)).status_code == 422
    assert (await client.get("/v2/messages", headers=alice.headers)).json() == []


async def test_when_answers_read_relative_dates_against_the_conversation(
    client: httpx.AsyncClient, alice: Caller
) -> None:
    pottery = await post(client, alice, [
        (True, "I finally went to my first pottery class yesterday and made a wobbly bowl."),
        (False, "A wobbly bowl is a great start, will you keep going?"),
        (True, "Yes, and next month I will start the wheel throwing course at the studio."),
    ], "2026-04-11T15:00:00+00:00")
    _, first = await ask(client, alice, "When did I go to my first pottery class?")
    assert first["text"].startswith("On 10 April 2026.") and first["memories_id"] == [pottery["id"]]
    _, course = await ask(client, alice, "When does the wheel throwing course start?")
    assert course["text"].startswith("In May 2026.")
