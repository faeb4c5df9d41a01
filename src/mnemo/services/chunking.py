"""What gets indexed for a conversation: its summary, overlapping windows of its transcript, and its
memories. Every window starts with the conversation's date in the user's time zone, so a
question asking "when" finds text that answers it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from mnemo.models.conversation import Conversation
from mnemo.models.memory import Memory
from mnemo.models.search import Chunk, ChunkKind


@dataclass(frozen=True)
class WindowSettings:
    size: int = 6
    stride: int = 3


def spoken_date(moment: datetime, time_zone: str) -> str:
    local = moment.astimezone(ZoneInfo(time_zone))
    return local.strftime("%A, %-d %B %Y, %-I:%M %p")


def conversation_chunks(uid: str, conversation: Conversation, user_name: str, time_zone: str,
                        windows: WindowSettings) -> list[Chunk]:
    at = conversation.started_at or conversation.created_at
    when = spoken_date(at, time_zone)
    chunks = []
    title, overview = conversation.structured.title.strip(), conversation.structured.overview.strip()
    if title or overview:
        chunks.append(Chunk(id=f"{conversation.id}:summary", uid=uid, kind=ChunkKind.summary, at=at,
                            conversation_id=conversation.id, text=f"{title}. {overview}\n(Conversation on {when}.)"))
    lines = [f"{user_name if s.is_user else f'Speaker {s.speaker_id}'}: {s.text.strip()}"
             for s in conversation.transcript_segments]
    for first in range(0, len(lines), windows.stride):
        last = min(first + windows.size, len(lines)) - 1
        chunks.append(Chunk(id=f"{conversation.id}:w{first}", uid=uid, kind=ChunkKind.transcript, at=at,
                            conversation_id=conversation.id, first_segment=first, last_segment=last,
                            text=f"On {when}:\n" + "\n".join(lines[first:last + 1])))
        if last == len(lines) - 1:
            break
    return chunks


def memory_chunk(memory: Memory, at: datetime | None = None) -> Chunk:
    return Chunk(id=f"m:{memory.id}", uid=memory.uid, kind=ChunkKind.memory, text=memory.content,
                 at=at or memory.created_at, conversation_id=memory.conversation_id, memory_id=memory.id)
