"""`mnemo eval extraction DIR`: post labeled conversations as their user would and score the results.

Each labeled file (see shared/data/extraction/GUIDE.md) is sent through the public API: the
user's time zone is set, then `POST /v1/conversations` carries the segments. The answer is
scored against the labels: precision, recall and F1 for action items (with the due date right),
events (with the start right, within a minute) and memories, and the accuracy of the category
and of the discard decision.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx

KINDS = ("action_items", "events", "memories")


@dataclass
class Tally:
    matched: int = 0
    predicted: int = 0
    expected: int = 0

    def figures(self) -> dict[str, float | int]:
        precision = self.matched / self.predicted if self.predicted else 1.0
        recall = self.matched / self.expected if self.expected else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {"precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3),
                "matched": self.matched, "predicted": self.predicted, "expected": self.expected}


@dataclass
class Report:
    tallies: dict[str, Tally] = field(default_factory=lambda: {kind: Tally() for kind in KINDS})
    files: int = 0
    category_right: int = 0
    discard_right: int = 0
    per_file: list[dict[str, Any]] = field(default_factory=list)

    def figures(self) -> dict[str, Any]:
        return {
            **{kind: tally.figures() for kind, tally in self.tallies.items()},
            "category_accuracy": round(self.category_right / self.files, 3) if self.files else 0.0,
            "discard_accuracy": round(self.discard_right / self.files, 3) if self.files else 0.0,
            "files": self.files,
            "per_file": self.per_file,
        }


def labeled_files(folder: Path) -> list[Path]:
    files = sorted(folder.glob("*.json"))
    if not files:
        raise FileNotFoundError(f"no labeled .json files in {folder}")
    return files


def request_body(label: dict[str, Any]) -> dict[str, Any]:
    started = datetime.fromisoformat(label["started_at"])
    last_end = max((s.get("end", 0) for s in label["transcript_segments"]), default=0)
    return {"started_at": started.isoformat(), "finished_at": (started + timedelta(seconds=last_end)).isoformat(),
            "transcript_segments": label["transcript_segments"], "source": "omi", "language": "en"}


def evaluate(client: httpx.Client, folder: Path, headers_for: Any) -> Report:
    """`headers_for(label)` gives the auth headers to post one file as (a user per file, or one)."""
    report = Report()
    for path in labeled_files(folder):
        label = json.loads(path.read_text())
        headers = headers_for(label)
        zone = client.put("/v1/users/time-zone", json={"time_zone": label["timezone"]}, headers=headers)
        zone.raise_for_status()
        response = client.post("/v1/conversations", json=request_body(label), headers=headers, timeout=600)
        response.raise_for_status()
        score_file(report, path.name, label, response.json()["conversation"], _memories(client, headers, response))
    return report


def _memories(client: httpx.Client, headers: dict[str, str], created: httpx.Response) -> list[str]:
    conversation_id = created.json()["conversation"]["id"]
    listed = client.get("/v3/memories?limit=5000", headers=headers)
    listed.raise_for_status()
    return [m["content"] for m in listed.json() if m["conversation_id"] == conversation_id]


def score_file(report: Report, name: str, label: dict[str, Any], conversation: dict[str, Any],
               memories: list[str]) -> None:
    expected, structured = label["expected"], conversation["structured"]
    zone = ZoneInfo(label["timezone"])
    report.files += 1
    report.category_right += structured["category"] in expected["categories"]
    report.discard_right += conversation["discarded"] == expected["discarded"]
    items = [(i["description"], _local_day(i["due_at"], zone)) for i in structured["action_items"]]
    events = [(f"{e['title']} {e['description']}", datetime.fromisoformat(e["start"])) for e in structured["events"]]
    results = {
        "action_items": _match(items, expected["action_items"],
                               lambda got, want: _has(want["keywords"], got[0]) and got[1] == want["due"]),
        "events": _match(events, expected["events"], lambda got, want: _has(want["keywords"], got[0]) and abs(
            (got[1] - datetime.fromisoformat(want["start"])).total_seconds()) <= 60),
        "memories": _match(memories, expected["memories"], lambda got, want: _has(want["keywords"], got)),
    }
    for kind, (matched, predicted, wanted) in results.items():
        tally = report.tallies[kind]
        tally.matched, tally.predicted, tally.expected = (tally.matched + matched, tally.predicted + predicted,
                                                          tally.expected + wanted)
    report.per_file.append({"file": name, **{k: {"matched": m, "predicted": p, "expected": e}
                                             for k, (m, p, e) in results.items()},
                            "category": structured["category"], "discarded": conversation["discarded"]})


def _match(predictions: list[Any], labels: list[dict[str, Any]], fits: Any) -> tuple[int, int, int]:
    """Greedy one-to-one matching of predictions to labels."""
    free = list(range(len(labels)))
    matched = 0
    for prediction in predictions:
        for index in free:
            if fits(prediction, labels[index]):
                free.remove(index)
                matched += 1
                break
    return matched, len(predictions), len(labels)


def _has(groups: list[list[str]], text: str) -> bool:
    lowered = text.lower()
    return all(any(word.lower() in lowered for word in group) for group in groups)


def _local_day(value: str | None, zone: ZoneInfo) -> str | None:
    return datetime.fromisoformat(value).astimezone(zone).date().isoformat() if value else None


def render(figures: dict[str, Any]) -> str:
    lines = [f"{'':14}{'precision':>10}{'recall':>8}{'F1':>7}   matched/predicted/expected"]
    for kind in KINDS:
        f = figures[kind]
        lines.append(f"{kind:14}{f['precision']:>10.2f}{f['recall']:>8.2f}{f['f1']:>7.2f}   "
                     f"{f['matched']}/{f['predicted']}/{f['expected']}")
    lines.append(f"category accuracy {figures['category_accuracy']:.2f}, discard accuracy "
                 f"{figures['discard_accuracy']:.2f} ({figures['files']} files)")
    return "\n".join(lines)
