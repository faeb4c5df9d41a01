"""`mnemo eval extraction`: the offline extractor meets its bar on the shared and our own labels."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from mnemo.eval_runner import run_extraction_eval
from mnemo.extraction_eval import Report, score_file
from tests.e2e.conftest import MNEMO, environment

SHARED_DEV = Path(__file__).resolve().parents[2] / "shared" / "data" / "extraction" / "dev"
OWN = Path(__file__).parent / "data" / "extraction"


def _meets_the_bar(figures: dict) -> None:
    assert figures["action_items"]["f1"] >= 0.8 and figures["action_items"]["precision"] >= 0.85, figures
    assert figures["events"]["f1"] >= 0.8, figures
    assert figures["memories"]["f1"] >= 0.7, figures
    assert figures["discard_accuracy"] >= 0.9, figures


@pytest.mark.skipif(not SHARED_DEV.is_dir(), reason="needs ../shared/data/extraction/dev beside the repository")
def test_the_shared_dev_set_meets_the_targets() -> None:
    _meets_the_bar(run_extraction_eval(SHARED_DEV).figures())


def test_our_own_labeled_conversations_meet_the_bar() -> None:
    _meets_the_bar(run_extraction_eval(OWN).figures())


def test_the_command_prints_and_writes_the_figures(tmp_path: Path) -> None:
    out = tmp_path / "figures.json"
    done = subprocess.run([*MNEMO, "eval", "extraction", str(OWN), "--out", str(out)], capture_output=True,
                          text=True, timeout=300, env=environment(), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "action_items" in done.stdout and "discard accuracy" in done.stdout
    figures = json.loads(out.read_text())
    assert figures["files"] == len(list(OWN.glob("*.json")))
    assert {"precision", "recall", "f1"} <= set(figures["events"])


def test_a_wrong_due_date_is_not_a_match() -> None:
    label = {"timezone": "UTC", "expected": {
        "discarded": False, "categories": ["work"], "events": [], "memories": [],
        "action_items": [{"keywords": [["report"]], "due": "2026-01-02"}]}}
    conversation = {"discarded": False, "structured": {"category": "work", "events": [], "action_items": [
        {"description": "Send the report", "due_at": "2026-01-03T09:00:00Z"}]}}
    report = Report()
    score_file(report, "x.json", label, conversation, [])
    assert report.figures()["action_items"]["matched"] == 0
