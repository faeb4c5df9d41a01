"""Provider-neutral types for a tool-calling conversation with a chat model."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, Protocol


@dataclass(frozen=True)
class ToolSpec:
    name: str
    description: str
    parameters: dict[str, Any]


@dataclass(frozen=True)
class ToolCall:
    id: str
    name: str
    arguments: dict[str, Any]


@dataclass(frozen=True)
class Turn:
    role: Literal["user", "assistant", "tool"]
    text: str = ""
    tool_calls: list[ToolCall] = field(default_factory=list)
    tool_call_id: str | None = None


@dataclass(frozen=True)
class Reply:
    text: str
    tool_calls: list[ToolCall]


class ToolChatModel(Protocol):
    async def step(self, system: str, turns: list[Turn], tools: list[ToolSpec], final: bool = False) -> Reply:
        """One model call: text for the user, or tool calls to run before asking again. With `final`
        the model may not call tools and must answer."""
