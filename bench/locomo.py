"""LoCoMo retrieval and answer quality on the offline profile.

Ingests `../shared/data/locomo/locomo-dev.json` through the public API (one user per sample,
named after `speaker_a`; each session one conversation posted to POST /v1/conversations with
`started_at` from the session date), then for every question of categories 1-4:

- evidence recall@5 and @10: the share of the question's evidence turns inside the top-k
  transcript windows that hybrid search returns (and the same for vector-only and BM25-only);
- session hit@5: the share of questions with a top-5 window from an evidence session;
- latency of POST /v1/conversations/search (in-process ASGI, so no network) and of the retrieval
  itself;
- token F1 of the chat's answers (POST /v2/messages, offline extractive answerer), LoCoMo-style.

    .venv/bin/python bench/locomo.py [--samples 5] [--skip-chat] [--database sqlite|postgres]

LoCoMo (Maharana et al., ACL 2024), snap-research/locomo, CC BY-NC 4.0, for evaluation only.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import re
import statistics
import string
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mnemo.app import create_app
from mnemo.config import Settings
from mnemo.models.search import ChunkKind, SearchMode

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "locomo" / "locomo-dev.json"
RESULTS = Path(__file__).parent / "results"
_EVIDENCE = re.compile(r"D(\d+):(\d+)")


def session_time(text: str) -> datetime:
    return datetime.strptime(text.strip(), "%I:%M %p on %d %B, %Y").replace(tzinfo=UTC)


def sessions(sample: dict[str, Any]) -> list[tuple[int, datetime, list[dict[str, Any]]]]:
    conversation = sample["conversation"]
    found = []
    for key, turns in conversation.items():
        match = re.fullmatch(r"session_(\d+)", key)
        if match and isinstance(turns, list) and turns:
            found.append((int(match[1]), session_time(conversation[f"{key}_date_time"]), turns))
    return sorted(found)


def segments(turns: list[dict[str, Any]], user: str) -> list[dict[str, Any]]:
    out = []
    for i, turn in enumerate(turns):
        text = turn["text"]
        if turn.get("blip_caption"):
            text += f" [shares a photo of {turn['blip_caption']}]"
        mine = turn["speaker"] == user
        out.append({"text": text, "speaker": "SPEAKER_00" if mine else "SPEAKER_01", "is_user": mine,
                    "start": i * 5.0, "end": i * 5.0 + 4.5})
    return out


def normalize(text: str) -> list[str]:
    text = str(text).lower()
    text = "".join(ch for ch in text if ch not in set(string.punctuation))
    text = re.sub(r"\b(a|an|the|and)\b", " ", text)
    return text.split()


def token_f1(prediction: str, truth: str) -> float:
    predicted, expected = normalize(prediction), normalize(truth)
    common = sum((Counter(predicted) & Counter(expected)).values())
    if not common:
        return 0.0
    precision, recall = common / len(predicted), common / len(expected)
    return 2 * precision * recall / (precision + recall)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


async def ingest(client: httpx.AsyncClient, services: Any, sample: dict[str, Any]) -> tuple[str, dict, dict[str, int]]:
    user_name = sample["conversation"]["speaker_a"]
    user, token = await services.users.create_user(user_name)
    headers = {"Authorization": f"Bearer {token}"}
    session_of: dict[str, int] = {}
    for number, started, turns in sessions(sample):
        body = {"started_at": started.isoformat(), "finished_at": (started + timedelta(minutes=30)).isoformat(),
                "transcript_segments": segments(turns, user_name), "source": "omi"}
        response = await client.post("/v1/conversations", json=body, headers=headers)
        response.raise_for_status()
        session_of[response.json()["conversation"]["id"]] = number
    return user.uid, headers, session_of


def evidence_of(qa: dict[str, Any]) -> set[tuple[int, int]]:
    return {(int(s), int(t) - 1) for s, t in _EVIDENCE.findall(" ".join(map(str, qa.get("evidence", []))))}


async def retrieval(services: Any, uid: str, session_of: dict[str, int], qa: dict[str, Any],
                    mode: SearchMode) -> dict[str, float]:
    wanted = evidence_of(qa)
    hits = (await services.search.ranked(uid, qa["question"], (ChunkKind.transcript,), mode=mode))[:10]
    windows = [(session_of.get(h.chunk.conversation_id or "", -1), h.chunk.first_segment, h.chunk.last_segment)
               for h in hits]

    def recall(k: int) -> float:
        covered = {(s, t) for s, first, last in windows[:k] for t in range(first, last + 1)}
        return len(wanted & covered) / len(wanted)

    sessions_wanted = {s for s, _ in wanted}
    return {"recall@5": recall(5), "recall@10": recall(10),
            "session_hit@5": float(any(s in sessions_wanted for s, _, _ in windows[:5]))}


async def ask(client: httpx.AsyncClient, headers: dict[str, str], question: str) -> str:
    await client.delete("/v2/messages", headers=headers)
    response = await client.post("/v2/messages", json={"text": question}, headers=headers)
    response.raise_for_status()
    done = response.text.strip().split("\n\n")[-1]
    return json.loads(base64.b64decode(done.removeprefix("done: ")))["text"]


async def run(args: argparse.Namespace) -> dict[str, Any]:
    samples = json.loads(DATA.read_text())[: args.samples]
    folder = Path(tempfile.mkdtemp(prefix="mnemo-locomo-"))
    settings = Settings(data_dir=folder, worker_in_server=False, database_url=args.database_url)
    app = create_app(settings)
    figures: dict[str, Any] = {"samples": len(samples), "database": "postgres" if args.database_url else "sqlite"}
    async with app.router.lifespan_context(app):
        services = app.state.services
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://mnemo.bench", timeout=120) as client:
            started = time.perf_counter()
            users = [await ingest(client, services, sample) for sample in samples]
            figures["ingest_seconds"] = round(time.perf_counter() - started, 1)
            await services.indexer.index.maintain()  # what the worker does when idle
            figures["conversations"] = sum(len(u[2]) for u in users)
            figures["windows_and_chunks"] = sum([await services.indexer.index.count(u[0]) for u in users])
            questions = [(users[i], qa) for i, sample in enumerate(samples) for qa in sample["qa"]
                         if qa.get("category") in (1, 2, 3, 4) and evidence_of(qa)]
            figures["questions"] = len(questions)
            for mode in SearchMode:
                scores = [await retrieval(services, u[0], u[2], qa, mode) for u, qa in questions]
                figures[mode.value] = {key: round(statistics.mean(s[key] for s in scores), 3)
                                       for key in scores[0]}
                by_category: dict[int, list[float]] = {}
                for (_, qa), s in zip(questions, scores, strict=True):
                    by_category.setdefault(qa["category"], []).append(s["recall@10"])
                figures[mode.value]["recall@10_by_category"] = {
                    str(c): round(statistics.mean(v), 3) for c, v in sorted(by_category.items())}
                print(mode.value, figures[mode.value], flush=True)
            route, core = [], []
            for (uid, headers, _), qa in questions:
                t0 = time.perf_counter()
                response = await client.post("/v1/conversations/search", json={"query": qa["question"]},
                                             headers=headers)
                route.append((time.perf_counter() - t0) * 1000)
                response.raise_for_status()
                t0 = time.perf_counter()
                await services.search.ranked(uid, qa["question"])
                core.append((time.perf_counter() - t0) * 1000)
            figures["latency_ms"] = {
                "search_route_p50": round(percentile(route, 50), 1),
                "search_route_p95": round(percentile(route, 95), 1),
                "retrieval_p50": round(percentile(core, 50), 1), "retrieval_p95": round(percentile(core, 95), 1)}
            print("latency", figures["latency_ms"], flush=True)
            if not args.skip_chat:
                f1s: dict[int, list[float]] = {}
                for (_, headers, _), qa in questions:
                    answer = await ask(client, headers, qa["question"])
                    f1s.setdefault(qa["category"], []).append(token_f1(answer, str(qa["answer"])))
                every = [f for values in f1s.values() for f in values]
                figures["chat_token_f1"] = round(statistics.mean(every), 3)
                figures["chat_token_f1_by_category"] = {str(c): round(statistics.mean(v), 3)
                                                        for c, v in sorted(f1s.items())}
                print("chat token F1", figures["chat_token_f1"], figures["chat_token_f1_by_category"], flush=True)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--samples", type=int, default=5)
    parser.add_argument("--skip-chat", action="store_true")
    parser.add_argument("--database-url", default=None, help="a PostgreSQL URL to measure pgvector instead")
    args = parser.parse_args()
    figures = asyncio.run(run(args))
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"locomo-{figures['database']}.json").write_text(json.dumps(figures, indent=2))
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
