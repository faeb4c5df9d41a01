"""Audio as wearables send it."""

from __future__ import annotations

from enum import StrEnum

TARGET_RATE = 16_000  # everything downstream works on 16 kHz mono PCM16


class Codec(StrEnum):
    pcm8 = "pcm8"  # 8 kHz PCM16LE
    pcm16 = "pcm16"  # 16 kHz PCM16LE
    opus = "opus"  # one Opus packet per frame
    opus_fs320 = "opus_fs320"  # Opus packets of 320 samples (20 ms at 16 kHz), as the Omi device sends

    @property
    def is_opus(self) -> bool:
        return self in (Codec.opus, Codec.opus_fs320)

    @property
    def default_rate(self) -> int:
        return 8_000 if self is Codec.pcm8 else 16_000
