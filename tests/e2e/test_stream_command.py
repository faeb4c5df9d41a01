"""`mnemo stream FILE` against a real server: live segments printed, then the processed conversation."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.api.listen_helpers import SPEECH, word_error_rate
from tests.e2e.conftest import MNEMO, environment, running_server

pytestmark = [pytest.mark.e2e, pytest.mark.skipif(not SPEECH.is_dir(), reason="needs ../shared/data/speech")]


@pytest.mark.parametrize("codec", ["pcm16", "opus"])
def test_streaming_a_wav_prints_segments_and_the_conversation(tmp_path: Path, codec: str) -> None:
    clip = SPEECH / "librivox-0870.wav"
    reference = json.loads((SPEECH / "transcripts.json").read_text())[clip.name]
    with running_server(tmp_path, environment()) as (base, _printed):
        done = subprocess.run([*MNEMO, "stream", str(clip), "--codec", codec, "--speed", "0", "--stop", "--url", base],
                              cwd=tmp_path, env=environment(), capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    first_line = done.stdout.splitlines()[0]
    assert json.loads(first_line)["id"]
    conversation = json.loads(done.stdout[done.stdout.index("{\n"):])
    assert conversation["status"] == "completed"
    spoken = " ".join(s["text"] for s in conversation["transcript_segments"])
    assert word_error_rate(reference, spoken) < 0.6


def test_a_file_without_audio_is_refused(tmp_path: Path) -> None:
    text_file = tmp_path / "notes.txt"
    text_file.write_text("not audio")
    done = subprocess.run([*MNEMO, "stream", str(text_file), "--token", "mnemo_x", "--url", "http://127.0.0.1:9"],
                          cwd=tmp_path, env=environment(), capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
