"""WS /v4/listen with text segments: auth, live segments, and the conversation lifecycle."""

from __future__ import annotations

import json

import pytest
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from mnemo.config import Settings
from tests.api.listen_helpers import (
    Clock,
    conversations,
    live,
    receive_json,
    receive_until,
    segment,
    send_segments,
    wait_for,
)


@pytest.fixture
def server(settings: Settings):  # type: ignore[no-untyped-def]
    with live(settings) as client:
        yield client


@pytest.fixture
def token(server: TestClient) -> str:
    return server.app.state.settings.token_file.read_text().strip()  # type: ignore[attr-defined]


def _connect(server: TestClient, token: str, query: str = ""):  # type: ignore[no-untyped-def]
    return server.websocket_connect(f"/v4/listen?codec=pcm16&token={token}{query}")


def test_a_bad_token_is_closed_with_1008(server: TestClient) -> None:
    for path in ("/v4/listen?token=mnemo_wrong", "/v4/listen"):
        with server.websocket_connect(path) as ws, pytest.raises(WebSocketDisconnect) as closed:
            ws.receive_text()
        assert closed.value.code == 1008


def test_the_header_token_works_and_ready_comes_first(server: TestClient, token: str) -> None:
    with server.websocket_connect("/v4/listen", headers={"Authorization": f"Bearer {token}"}) as ws:
        assert receive_json(ws) == {"type": "service_status", "status": "ready"}


def test_segments_come_back_merged_with_stable_ids(server: TestClient, token: str) -> None:
    with _connect(server, token) as ws:
        receive_json(ws)
        send_segments(ws, segment("So about the garden", 0.0, 1.5))
        [first] = receive_json(ws)
        send_segments(ws, segment("we should plant tomatoes.", 1.8, 3.0))
        [merged] = receive_json(ws)
        assert merged["id"] == first["id"]
        assert merged["text"] == "So about the garden we should plant tomatoes." and merged["end"] == 3.0
        send_segments(ws, segment("Sounds good.", 3.2, 4.0, user=False, speaker=1))
        [other] = receive_json(ws)
        assert other["id"] != first["id"] and other["speaker"] == "SPEAKER_01" and other["is_user"] is False
    [stored] = wait_for(lambda: [c for c in conversations(server, token) if len(c["transcript_segments"]) == 2])
    assert [s["text"] for s in stored["transcript_segments"]] == [merged["text"], "Sounds good."]


def test_stop_conversation_finalizes_and_keeps_the_socket(server: TestClient, token: str) -> None:
    with _connect(server, token) as ws:
        receive_json(ws)
        send_segments(ws, segment("Right, I'll send Tom the quarterly report tomorrow morning.", 0.0, 3.0))
        receive_json(ws)
        ws.send_text(json.dumps({"type": "stop_conversation"}))
        started = receive_until(ws, "memory_processing_started")
        created = receive_until(ws, "memory_created")
        assert created["memory"]["id"] == started["memory"]["id"] and created["messages"] == []
        assert created["memory"]["status"] == "completed"
        assert "quarterly report" in created["memory"]["structured"]["action_items"][0]["description"].lower()
        send_segments(ws, segment("A new topic entirely.", 0.0, 2.0))
        receive_json(ws)
    ids = wait_for(lambda: {c["id"] for c in conversations(server, token)} if len(conversations(server, token)) == 2
                   else None)
    assert started["memory"]["id"] in ids


def test_a_clean_close_finalizes(server: TestClient, token: str) -> None:
    with _connect(server, token) as ws:
        receive_json(ws)
        send_segments(ws, segment("Remind me to call the dentist tomorrow about the filling.", 0.0, 3.0))
        receive_json(ws)
        ws.close(code=1000)
    done = wait_for(lambda: [c for c in conversations(server, token) if c["status"] == "completed"])
    assert done[0]["transcript_segments"][0]["text"].startswith("Remind me")


def test_an_abnormal_drop_keeps_the_conversation_for_a_reconnect(server: TestClient, token: str) -> None:
    with _connect(server, token) as ws:
        receive_json(ws)
        send_segments(ws, segment("First part of the story.", 0.0, 2.0))
        receive_json(ws)
        ws.close(code=1006)
    [kept] = wait_for(lambda: conversations(server, token))
    assert kept["status"] == "in_progress"
    with _connect(server, token) as ws:
        receive_json(ws)
        send_segments(ws, segment("And the second part.", 5.0, 7.0))
        receive_json(ws)
    [continued] = wait_for(lambda: [c for c in conversations(server, token) if len(c["transcript_segments"]) == 2])
    assert continued["id"] == kept["id"]


def test_the_silence_timeout_finalizes(server: TestClient, token: str) -> None:
    clock = Clock()
    server.app.state.services.lifecycle.clock = clock  # type: ignore[attr-defined]
    with _connect(server, token, "&conversation_timeout=300") as ws:
        receive_json(ws)
        send_segments(ws, segment("We agreed to repaint the fence on Saturday morning.", 0.0, 3.0))
        receive_json(ws)
        wait_for(lambda: [c for c in conversations(server, token) if c["transcript_segments"]])  # stored
        clock.advance(299)
        clock.advance(2)
        started = receive_until(ws, "memory_processing_started")
        assert started["memory"]["transcript_segments"][0]["text"].startswith("We agreed")


def test_an_expired_conversation_is_finalized_on_connect(server: TestClient, token: str) -> None:
    clock = Clock()
    server.app.state.services.lifecycle.clock = clock  # type: ignore[attr-defined]
    with _connect(server, token) as ws:
        receive_json(ws)
        send_segments(ws, segment("Yesterday's leftovers need eating today, I'll bring them to lunch.", 0.0, 3.0))
        receive_json(ws)
        ws.close(code=1006)
    [old] = wait_for(lambda: [c for c in conversations(server, token) if c["transcript_segments"]])
    clock.advance(3600)
    with _connect(server, token) as ws:
        receive_json(ws)
        assert receive_until(ws, "memory_created")["memory"]["id"] == old["id"]
        send_segments(ws, segment("Fresh start.", 0.0, 1.0))
        receive_json(ws)
    def settled() -> dict | None:
        found = {c["id"]: c for c in conversations(server, token)}
        return found if len(found) == 2 and all(c["transcript_segments"] for c in found.values()) else None

    both = wait_for(settled)
    assert both[old["id"]]["status"] == "completed"
    [fresh] = [c for cid, c in both.items() if cid != old["id"]]
    assert [s["text"] for s in fresh["transcript_segments"]] == ["Fresh start."]


def test_two_sockets_of_one_user_share_the_conversation(server: TestClient, token: str) -> None:
    with _connect(server, token) as phone, _connect(server, token) as pendant:
        receive_json(phone), receive_json(pendant)
        send_segments(phone, segment("From the phone.", 0.0, 1.0))
        receive_json(phone)
        send_segments(pendant, segment("From the pendant.", 2.0, 3.0, user=False, speaker=1))
        receive_json(pendant)
        [shared] = wait_for(lambda: [c for c in conversations(server, token) if len(c["transcript_segments"]) == 2])
        phone.send_text(json.dumps({"type": "stop_conversation"}))
        receive_until(phone, "memory_created")
        send_segments(pendant, segment("After the stop.", 4.0, 5.0, user=False, speaker=1))
        receive_json(pendant)
        fresh = wait_for(lambda: [c for c in conversations(server, token) if c["status"] == "in_progress"])
    assert fresh[0]["id"] != shared["id"]
    assert [s["text"] for s in fresh[0]["transcript_segments"]] == ["After the stop."]


@pytest.mark.parametrize(
    "frame",
    ["{not json", json.dumps({"type": "unknown"}), json.dumps([{"text": "x", "start": -1, "end": 1}]),
     json.dumps([{"text": "x", "start": 5, "end": 1}]), json.dumps([{"start": 0, "end": 1}])],
)
def test_bad_text_frames_get_an_error_and_change_nothing(server: TestClient, token: str, frame: str) -> None:
    with _connect(server, token) as ws:
        receive_json(ws)
        send_segments(ws, segment("Kept as it is.", 0.0, 1.0))
        receive_json(ws)
        ws.send_text(frame)
        error = receive_json(ws)
        assert error["type"] == "error" and error["detail"]
        send_segments(ws, segment("Still listening.", 3.0, 4.0))
        assert receive_json(ws)[0]["text"] == "Still listening."
    [stored] = wait_for(lambda: [c for c in conversations(server, token) if len(c["transcript_segments"]) == 2])
    assert [s["text"] for s in stored["transcript_segments"]] == ["Kept as it is.", "Still listening."]
