"""Voice activity: cut a PCM stream into utterances at pauses (WebRTC's VAD, 30 ms frames)."""

from __future__ import annotations

from dataclasses import dataclass

import webrtcvad

from mnemo.models.audio import TARGET_RATE

FRAME_BYTES = TARGET_RATE * 2 * 30 // 1000  # 30 ms of 16 kHz PCM16


@dataclass(frozen=True)
class SpeechChunk:
    audio: bytes
    start: float  # seconds since the stream began
    end: float


class UtteranceCutter:
    """Feed PCM; get back the speech stretches that ended (a pause of `pause_ms`, or `max_seconds`)."""

    def __init__(self, aggressiveness: int = 2, pause_ms: int = 600, max_seconds: float = 15.0,
                 min_speech_ms: int = 300) -> None:
        self._vad = webrtcvad.Vad(aggressiveness)
        self._pause_frames = pause_ms // 30
        self._max_frames = int(max_seconds * 1000 // 30)
        self._min_frames = min_speech_ms // 30
        self._pending = b""
        self._frames_seen = 0
        self._speech: list[bytes] = []
        self._voiced = 0
        self._silent_run = 0
        self._speech_start = 0

    def feed(self, pcm: bytes) -> list[SpeechChunk]:
        self._pending += pcm
        done: list[SpeechChunk] = []
        while len(self._pending) >= FRAME_BYTES:
            frame, self._pending = self._pending[:FRAME_BYTES], self._pending[FRAME_BYTES:]
            chunk = self._step(frame, self._vad.is_speech(frame, TARGET_RATE))
            if chunk is not None:
                done.append(chunk)
        return done

    def flush(self) -> SpeechChunk | None:
        return self._cut() if self._speech else None

    def _step(self, frame: bytes, voiced: bool) -> SpeechChunk | None:
        self._frames_seen += 1
        if not self._speech:
            if voiced:
                self._speech_start = self._frames_seen - 1
                self._speech, self._voiced, self._silent_run = [frame], 1, 0
            return None
        self._speech.append(frame)
        self._voiced += voiced
        self._silent_run = 0 if voiced else self._silent_run + 1
        if self._silent_run >= self._pause_frames or len(self._speech) >= self._max_frames:
            return self._cut()
        return None

    def _cut(self) -> SpeechChunk | None:
        speech, voiced = self._speech, self._voiced
        self._speech, self._voiced, self._silent_run = [], 0, 0
        if voiced < self._min_frames:
            return None  # a click or a cough, not speech
        start = self._speech_start * 0.03
        return SpeechChunk(b"".join(speech), start, start + len(speech) * 0.03)
