"""Frames of any supported codec, rate and channel count in; 16 kHz mono PCM16LE out.

Opus is decoded with the libopus that PyAV bundles; resampling and down-mixing use PyAV's
resampler (libswresample).
"""

from __future__ import annotations

import av
import numpy as np

from mnemo.models.audio import TARGET_RATE, Codec

MAX_FRAME_BYTES = 256 * 1024


class BadAudio(ValueError):
    """The bytes are not audio of the declared codec."""


class AudioDecoder:
    def __init__(self, codec: Codec, sample_rate: int | None = None, channels: int = 1) -> None:
        if channels not in (1, 2):
            raise BadAudio(f"channels must be 1 or 2, not {channels}")
        self.codec = codec
        self.rate = sample_rate or codec.default_rate
        if not 4_000 <= self.rate <= 192_000:
            raise BadAudio(f"sample_rate {self.rate} is out of range (4000 to 192000)")
        self.channels = channels
        self._layout = "mono" if channels == 1 else "stereo"
        self._resampler = av.AudioResampler(format="s16", layout="mono", rate=TARGET_RATE)
        self._opus = None
        if codec.is_opus:
            self._opus = av.CodecContext.create("libopus", "r")
            self._opus.sample_rate = self.rate
            self._opus.layout = self._layout

    def decode(self, frame: bytes) -> bytes:
        if len(frame) > MAX_FRAME_BYTES:
            raise BadAudio(f"an audio frame may have at most {MAX_FRAME_BYTES} bytes")
        if not frame:
            return b""
        if self._opus is not None:
            return self._decode_opus(frame)
        return self._decode_pcm(frame)

    def _decode_pcm(self, frame: bytes) -> bytes:
        width = 2 * self.channels
        if len(frame) % width:
            raise BadAudio(f"PCM16 frames must hold whole samples ({width} bytes each); got {len(frame)} bytes")
        if self.rate == TARGET_RATE and self.channels == 1:
            return frame
        samples = np.frombuffer(frame, dtype="<i2").reshape(1, -1)
        audio = av.AudioFrame.from_ndarray(samples, format="s16", layout=self._layout)
        audio.sample_rate = self.rate
        return self._resample(audio)

    def _decode_opus(self, packet: bytes) -> bytes:
        try:
            frames = self._opus.decode(av.Packet(packet))  # type: ignore[union-attr]
        except (av.error.InvalidDataError, ValueError) as error:
            raise BadAudio(f"not an Opus packet: {error}") from error
        return b"".join(self._resample(frame) for frame in frames)

    def _resample(self, audio: av.AudioFrame) -> bytes:
        out = bytearray()
        for frame in self._resampler.resample(audio):
            out += bytes(frame.planes[0])[: frame.samples * 2]
        return bytes(out)
