"""Domain types: lenient categories, speaker fields, time zones."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from mnemo.models.categories import ConversationCategory, ConversationSource, MemoryCategory
from mnemo.models.segment import SegmentIn
from mnemo.models.structured import Structured
from mnemo.models.user import is_valid_time_zone


def test_unknown_categories_fall_back_instead_of_failing() -> None:
    assert Structured(category="quantum-gardening").category is ConversationCategory.other
    assert Structured(category="romantic").category is ConversationCategory.romance
    assert MemoryCategory("interesting") is MemoryCategory.other
    assert MemoryCategory(" Work ") is MemoryCategory.work
    assert ConversationSource("letta") is ConversationSource.unknown
    assert ConversationSource("omi") is ConversationSource.omi


def test_segment_speaker_fields_fill_each_other() -> None:
    assert SegmentIn(text="hi", speaker="SPEAKER_03", start=0, end=1).speaker_id == 3
    assert SegmentIn(text="hi", speaker_id=1, start=0, end=1).speaker == "SPEAKER_01"
    stored = SegmentIn(text="hi", start=0, end=1).to_segment()
    assert (stored.speaker, stored.speaker_id) == ("SPEAKER_00", 0)


@pytest.mark.parametrize(("start", "end"), [(-1.0, 2.0), (5.0, 4.0)])
def test_segment_times_must_make_sense(start: float, end: float) -> None:
    with pytest.raises(ValidationError):
        SegmentIn(text="hi", start=start, end=end)


@pytest.mark.parametrize("name", ["UTC", "Europe/Berlin", "America/Argentina/Buenos_Aires", "Asia/Kolkata"])
def test_real_time_zones_are_valid(name: str) -> None:
    assert is_valid_time_zone(name)


@pytest.mark.parametrize("name", ["", "Berlin", "+02:00", "Europe/../UTC", "/etc/localtime", "Europe/Berlin "])
def test_made_up_time_zones_are_not(name: str) -> None:
    assert not is_valid_time_zone(name)
