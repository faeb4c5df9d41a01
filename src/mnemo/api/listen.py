"""`WS /v4/listen`: live capture, as the Omi device and app speak it.

Client to server: binary audio frames; a JSON list of segments or `{"type":
"suggested_transcript", "segments": [...]}` (text sources: integrations, agents);
`{"type": "stop_conversation"}`. Server to client: `{"type": "service_status", "status":
"ready"}`, JSON arrays of new or changed segments (stable ids), `ping` every 10 s,
`{"type": "memory_processing_started", ...}` and `{"type": "memory_created", ...}`.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from typing import Any

from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from pydantic import TypeAdapter, ValidationError

from mnemo.models.categories import ConversationSource
from mnemo.models.segment import SegmentIn
from mnemo.services.capture import AudioCapture, CaptureError
from mnemo.services.container import Services
from mnemo.services.listen import ListenSession
from mnemo.services.processing import wait_until_settled

router = APIRouter(tags=["listen"])
log = logging.getLogger("mnemo.listen")

TICK_SECONDS = 0.5
PING_SECONDS = 10.0
SEND_INTERVAL_SECONDS = 0.6  # segment updates go out at once, but no more often than this
MAX_TEXT_FRAME = 1024 * 1024
_SEGMENTS = TypeAdapter(list[SegmentIn])
_WRAPPING_UP: set[asyncio.Task[None]] = set()


class _Channel:
    """Serializes sends; after the client is gone, sending is a no-op."""

    def __init__(self, websocket: WebSocket) -> None:
        self.websocket = websocket
        self.open = True
        self._lock = asyncio.Lock()

    async def send(self, message: str | dict[str, Any] | list[Any]) -> None:
        if not self.open:
            return
        text = message if isinstance(message, str) else json.dumps(message)
        async with self._lock:
            try:
                await self.websocket.send_text(text)
            except (WebSocketDisconnect, RuntimeError):
                self.open = False


@router.websocket("/v4/listen")
async def listen(
    websocket: WebSocket,
    language: str = "en",
    sample_rate: int | None = None,
    codec: str = "pcm8",
    channels: int = 1,
    conversation_timeout: int | None = None,
    source: str = "omi",
    include_speech_profile: bool = True,
    stt_service: str | None = None,
    token: str | None = None,
) -> None:
    services: Services = websocket.app.state.services
    await websocket.accept()
    uid = await services.users.authenticate(_token(websocket, token) or "")
    if uid is None:
        await websocket.close(code=1008, reason="missing or invalid token")
        return
    origin = ConversationSource(source)
    lifecycle = services.lifecycle
    session = ListenSession(uid, lifecycle, origin, language,
                            lifecycle.settings.timeout_for(conversation_timeout, origin))
    try:
        capture = AudioCapture.open(services.stt, services.default_stt, codec, sample_rate, channels, language,
                                    stt_service, session.add)
    except CaptureError as error:
        await websocket.send_text(json.dumps({"type": "error", "detail": str(error)}))
        await websocket.close(code=error.close_code, reason=str(error)[:120])
        return
    channel = _Channel(websocket)
    deliveries: set[asyncio.Task[None]] = set()

    def deliver(conversation_id: str | None, job_id: str | None) -> None:
        if conversation_id and job_id:
            task = asyncio.create_task(_deliver(services, channel, uid, conversation_id, job_id))
            deliveries.add(task)
            task.add_done_callback(deliveries.discard)

    async def finalize() -> None:
        await _push(session, channel)  # the client sees every segment before the conversation closes
        conversation_id, finalization = await session.finalize()
        deliver(conversation_id, finalization.job_id if finalization else None)

    if resumed := await session.resume():
        deliver(resumed[0], resumed[1].job_id)
    await channel.send({"type": "service_status", "status": "ready"})
    background = [asyncio.create_task(_tick(session, channel, finalize)),
                  asyncio.create_task(_send_changes(session, channel))]
    clean = False

    async def wrap_up() -> None:
        for task in background:
            task.cancel()
        await asyncio.gather(*background, return_exceptions=True)
        await capture.close()
        await session.save()
        if clean:
            await finalize()
        channel.open = False

    try:
        clean = await _receive(websocket, channel, capture, session, finalize)
    finally:
        # Stored segments and a clean close's finalization must survive the handler being cancelled.
        closing = asyncio.create_task(wrap_up())
        _WRAPPING_UP.add(closing)
        closing.add_done_callback(_WRAPPING_UP.discard)
        await asyncio.shield(closing)


async def _receive(websocket: WebSocket, channel: _Channel, capture: AudioCapture, session: ListenSession,
                   finalize: Any) -> bool:
    """Handle client frames until the socket closes; True when it closed cleanly (code 1000)."""
    while True:
        message = await websocket.receive()
        if message["type"] == "websocket.disconnect":
            return message.get("code", 1000) == 1000
        if message.get("bytes") is not None:
            try:
                await capture.feed(message["bytes"])
            except CaptureError as error:
                await channel.send({"type": "error", "detail": str(error)})
                with contextlib.suppress(RuntimeError):
                    await websocket.close(code=error.close_code, reason=str(error)[:120])
                return False
        elif message.get("text") is not None and await _text_frame(message["text"], channel, session) == "stop":
            await capture.flush()
            await finalize()


async def _text_frame(text: str, channel: _Channel, session: ListenSession) -> str | None:
    if len(text) > MAX_TEXT_FRAME:
        await channel.send({"type": "error", "detail": f"text frames may have at most {MAX_TEXT_FRAME} bytes"})
        return None
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        await channel.send({"type": "error", "detail": "text frames must be JSON"})
        return None
    if isinstance(data, dict) and data.get("type") == "stop_conversation":
        return "stop"
    if isinstance(data, dict) and data.get("type") == "suggested_transcript":
        data = data.get("segments")
    try:
        segments = _SEGMENTS.validate_python(data)
    except ValidationError as error:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors()[:5])
        await channel.send({"type": "error", "detail": f"not a list of segments: {problems}"})
        return None
    await session.add(segments)
    return None


async def _send_changes(session: ListenSession, channel: _Channel) -> None:
    """Store and send changed segments as soon as they exist, at most once per SEND_INTERVAL_SECONDS."""
    loop = asyncio.get_running_loop()
    last_sent = -SEND_INTERVAL_SECONDS
    while True:
        await session.changed.wait()
        wait = last_sent + SEND_INTERVAL_SECONDS - loop.time()
        if wait > 0:
            await asyncio.sleep(wait)
        try:
            await _push(session, channel)
        except Exception:  # a passing database error must not end the capture
            log.exception("sending segments failed; retrying")
            await asyncio.sleep(TICK_SECONDS)
        last_sent = loop.time()


async def _tick(session: ListenSession, channel: _Channel, finalize: Any) -> None:
    """Store anything unsaved (at most a second behind), ping, and watch the silence timeout."""
    since_ping = 0.0
    while True:
        await asyncio.sleep(TICK_SECONDS)
        since_ping += TICK_SECONDS
        try:
            await session.save()
            if await session.timed_out():
                await finalize()
            if since_ping >= PING_SECONDS:
                since_ping = 0.0
                await channel.send("ping")
        except Exception:  # a passing database error must not end the capture
            log.exception("listen tick failed; continuing")


async def _push(session: ListenSession, channel: _Channel) -> None:
    """Show the client what changed, then store it (a crash loses at most this last moment)."""
    if unsent := session.take_unsent():
        await channel.send([s.model_dump(mode="json") for s in unsent])
    await session.save()


async def _deliver(services: Services, channel: _Channel, uid: str, conversation_id: str, job_id: str) -> None:
    """Tell the client its conversation is being processed, process it, and send the result."""
    async with services.storage.read() as uow:
        pending = await uow.conversations.get(uid, conversation_id)
    if pending is not None:
        await channel.send({"type": "memory_processing_started", "memory": pending.model_dump(mode="json")})
    if not await services.processing.run_now(job_id, "listen"):
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(600):
                await wait_until_settled(services.storage, uid, conversation_id)
    async with services.storage.read() as uow:
        done = await uow.conversations.get(uid, conversation_id)
    if done is not None:
        await channel.send({"type": "memory_created", "memory": done.model_dump(mode="json"), "messages": []})


def _token(websocket: WebSocket, query_token: str | None) -> str | None:
    header = websocket.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    return query_token
