"""What a chat reply streams: progress notes, pieces of the answer, and the stored message."""

from __future__ import annotations

from dataclasses import dataclass

from mnemo.models.message import Message


@dataclass(frozen=True)
class Think:
    text: str


@dataclass(frozen=True)
class Data:
    text: str


@dataclass(frozen=True)
class Done:
    message: Message


ChatEvent = Think | Data | Done
