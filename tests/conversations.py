"""Conversations to post, written for these tests, as a client of the Omi API sends them."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

STARTED = "2026-04-14T10:00:00+02:00"  # a Tuesday, in Berlin


def body(lines: list[tuple[bool, str]], started_at: str = STARTED, **extra: Any) -> dict[str, Any]:
    """`lines` are (is_user, text) pairs; the other speaker is SPEAKER_01."""
    start = datetime.fromisoformat(started_at)
    segments = [
        {"text": text, "speaker": "SPEAKER_00" if is_user else "SPEAKER_01", "is_user": is_user,
         "start": i * 4.0, "end": i * 4.0 + 3.5}
        for i, (is_user, text) in enumerate(lines)
    ]
    finished = start + timedelta(seconds=len(lines) * 4)
    return {"started_at": started_at, "finished_at": finished.isoformat(), "transcript_segments": segments, **extra}


PLANNING = [
    (False, "Hi, it's Priya from the clinic. We need to move your physio appointment."),
    (True, "Oh, okay. When works?"),
    (False, "Could you do Thursday at 4 p.m. instead?"),
    (True, "Thursday at 4 p.m. works for me. I'll be there."),
    (False, "Great. Could you also email us your insurance number before then?"),
    (True, "Sure, I'll email it tomorrow morning."),
    (False, "And just to confirm, you're allergic to ibuprofen, right?"),
    (True, "Yes, ibuprofen. It gives me hives."),
    (True, "By the way, I live in Kreuzberg now, so the new address is Oranienstrasse 12."),
    (False, "Thanks, I've updated it. See you Thursday."),
]

SMALL_TALK = [(True, "Hey."), (False, "Hi there."), (True, "Cold today.")]
