"""Chat (Omi's /v2/messages): a streamed answer, the history, and clearing it.

The stream is `text/event-stream`-like lines as Omi's clients read them: `think: <progress>`,
`data: <piece of the answer>` (newlines written as `__CRLF__`), and a last line
`done: <base64 of the stored message's JSON>`, each followed by a blank line.
"""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Query, Response
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field

from mnemo.models.message import Message
from mnemo.services.chat import MAX_MESSAGE_CHARS
from mnemo.services.chat_events import ChatEvent, Data, Think

from .deps import ServicesDep, UidDep
from .responses import model_response

router = APIRouter(prefix="/v2/messages", tags=["chat"])


class SendMessage(BaseModel):
    text: str = Field(min_length=1, max_length=MAX_MESSAGE_CHARS)
    file_ids: list[str] = Field(default_factory=list, max_length=0, description="attachments are not supported")


def _line(event: ChatEvent) -> bytes:
    if isinstance(event, Think):
        return f"think: {event.text.replace(chr(10), '__CRLF__')}\n\n".encode()
    if isinstance(event, Data):
        return f"data: {event.text.replace(chr(10), '__CRLF__')}\n\n".encode()
    encoded = base64.b64encode(event.message.model_dump_json().encode()).decode()
    return f"done: {encoded}\n\n".encode()


@router.post("", response_class=StreamingResponse)
async def send_message(body: SendMessage, uid: UidDep, services: ServicesDep,
                       app_id: Annotated[str | None, Query(max_length=100)] = None) -> StreamingResponse:
    question = await services.chat.ask(uid, body.text, app_id)

    async def stream() -> AsyncIterator[bytes]:
        async for event in services.chat.reply(uid, question):
            yield _line(event)

    return StreamingResponse(stream(), media_type="text/event-stream", headers={"Cache-Control": "no-cache"})


@router.get("", response_model=list[Message])
async def list_messages(uid: UidDep, services: ServicesDep, limit: Annotated[int, Query(ge=1, le=1000)] = 100,
                        offset: Annotated[int, Query(ge=0)] = 0) -> Response:
    return model_response(list[Message], await services.chat.history(uid, limit, offset))


@router.delete("")
async def clear_messages(uid: UidDep, services: ServicesDep) -> dict[str, object]:
    return {"status": "ok", "deleted_count": await services.chat.clear(uid)}
