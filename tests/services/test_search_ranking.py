"""Rank fusion and the spreading of overlapping transcript windows."""

from __future__ import annotations

from datetime import UTC, datetime

from mnemo.models.search import Chunk, ChunkKind, ScoredChunk
from mnemo.services.search import fuse, spread

AT = datetime(2026, 1, 1, tzinfo=UTC)


def _hit(name: str, conversation: str = "c", first: int = -1, last: int = -1,
         kind: ChunkKind = ChunkKind.transcript) -> ScoredChunk:
    chunk = Chunk(id=name, uid="u", kind=kind, text=name, at=AT, conversation_id=conversation,
                  first_segment=first, last_segment=last)
    return ScoredChunk(chunk=chunk, score=0.0)


def test_a_chunk_both_rankings_like_beats_one_only_a_single_ranking_likes() -> None:
    vector = [_hit("a"), _hit("both"), _hit("b")]
    keyword = [_hit("c"), _hit("both"), _hit("d")]
    fused = fuse([(1.0, vector), (1.5, keyword)], 10)
    assert fused[0].chunk.id == "both"
    assert [h.chunk.id for h in fused][1] == "c", "keyword outweighs vectors at equal rank"
    assert len(fused) == 5 and fused[0].score > fused[1].score
    assert len(fuse([(1.0, vector), (1.5, keyword)], 2)) == 2


def test_overlapping_windows_of_one_conversation_move_down() -> None:
    hits = [_hit("w0", "c1", 0, 5), _hit("w3", "c1", 3, 8), _hit("x0", "c2", 0, 5), _hit("w6", "c1", 6, 11),
            _hit("s", "c1", kind=ChunkKind.summary)]
    assert [h.chunk.id for h in spread(hits)] == ["w0", "x0", "w6", "s", "w3"]
