"""Search latency with 100,000 memories for one user, other users' memories beside them.

Memories are loaded through the public API (POST /v3/memories/batch, 100 at a time, embedded by
the bundled all-MiniLM-L6-v2), the index is then maintained as the worker would (LanceDB builds
its HNSW index), and latency is measured:

- index query: the vector and keyword queries of one hybrid search, run as search runs them
  (concurrently), with the query already embedded: what the vector index costs;
- query embedding: one question through all-MiniLM-L6-v2;
- whole route: GET /v3/memories?query=... over HTTP on one keep-alive connection, varied questions.

    .venv/bin/python bench/search.py [--memories 100000] [--others 20000] [--postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mnemo.adapters import embedder_for, open_vector_index
from mnemo.app import create_app
from mnemo.config import Settings
from mnemo.local_server import serving
from mnemo.services.search import SearchService
from mnemo.services.users import UserService
from mnemo.storage.database import Database
from mnemo.storage.migrate import upgrade
from mnemo.storage.unit_of_work import Storage
from mnemo.storage.vectors.port import ChunkFilter

RESULTS = Path(__file__).parent / "results"
PEOPLE = ["Ana", "Ben", "Chloe", "Dev", "Emma", "Farid", "Grace", "Hugo", "Iris", "Jonas", "Kai", "Lena", "Mateo",
          "Nora", "Omar", "Priya", "Quinn", "Ravi", "Sofia", "Tomas"]
PLACES = ["Lisbon", "Berlin", "Osaka", "Denver", "Nairobi", "Lima", "Oslo", "Hanoi", "Austin", "Porto", "Cork",
          "Quebec", "Seville", "Tbilisi", "Goa", "Perth"]
THINGS = ["sourdough bread", "trail running", "jazz piano", "rock climbing", "green tea", "vintage cameras",
          "board games", "salsa dancing", "oil painting", "birdwatching", "espresso", "sci-fi novels", "yoga",
          "sailing", "pottery", "chess", "gardening", "podcasts", "ramen", "cycling"]
TEMPLATES = ["Met {p} in {c} during a conference about {t}", "Likes {t} and talks about it with {p}",
             "Planned a trip to {c} with {p} to try {t}", "{p} recommended {t} at a cafe in {c}",
             "Is learning {t} from {p}, who lives in {c}", "Bought {t} supplies in {c} for {p}'s birthday"]
QUESTIONS = ["who taught me {t}?", "what did {p} recommend?", "when am I going to {c}?", "what do I like?",
             "who lives in {c}?", "what gift did I buy for {p}?", "do I know anyone who does {t}?"]


def memory_texts(count: int, rng: random.Random) -> list[str]:
    combos = list(itertools.product(TEMPLATES, PEOPLE, PLACES, THINGS))
    rng.shuffle(combos)
    texts = [template.format(p=p, c=c, t=t) for template, p, c, t in combos]
    while len(texts) < count:
        texts += [f"{text} (note {len(texts) + i})" for i, text in enumerate(texts[: count - len(texts)])]
    return texts[:count]


def questions(count: int, rng: random.Random) -> list[str]:
    return [rng.choice(QUESTIONS).format(p=rng.choice(PEOPLE), c=rng.choice(PLACES), t=rng.choice(THINGS))
            for _ in range(count)]


def stats(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)

    def pick(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))], 2)

    return {"p50_ms": pick(0.5), "p95_ms": pick(0.95), "p99_ms": pick(0.99),
            "mean_ms": round(statistics.mean(values), 2)}


async def make_users(url: str, others: int) -> list[tuple[str, str]]:
    database = Database(url)
    try:
        await upgrade(database)
        users = UserService(Storage(database))
        made = [await users.create_user(name) for name in ["bench", *(f"other {i}" for i in range(others))]]
        return [(user.uid, token) for user, token in made]
    finally:
        await database.dispose()


def load(base: str, token: str, texts: list[str]) -> float:
    started = time.perf_counter()
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=120) as client:
        for start in range(0, len(texts), 100):
            batch = [{"content": text, "category": "personal"} for text in texts[start:start + 100]]
            client.post("/v3/memories/batch", json={"memories": batch}).raise_for_status()
    return time.perf_counter() - started


async def index_figures(settings: Settings, uid: str, asked: list[str]) -> dict[str, Any]:
    database = Database(settings.resolved_database_url)
    embedder = embedder_for(settings)
    index = await open_vector_index(settings, database, embedder.dimensions)
    try:
        started = time.perf_counter()
        await index.maintain()
        maintain_seconds = time.perf_counter() - started
        search = SearchService(Storage(database), embedder, index)
        vectors = await embedder.embed(asked)
        embed = []
        for question in asked[:100]:
            t0 = time.perf_counter()
            await embedder.embed([question])
            embed.append((time.perf_counter() - t0) * 1000)
        where = ChunkFilter(uid)
        for question, vector in zip(asked[:20], vectors, strict=False):  # warm the caches
            await asyncio.gather(index.nearest(where, vector, 100), index.keyword(where, question, 100))
        both, vector_only, keyword_only = [], [], []
        for question, vector in zip(asked, vectors, strict=True):
            t0 = time.perf_counter()
            await asyncio.gather(index.nearest(where, vector, 100), index.keyword(where, question, 100))
            both.append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            await index.nearest(where, vector, 100)
            vector_only.append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            await index.keyword(where, question, 100)
            keyword_only.append((time.perf_counter() - t0) * 1000)
        service = []
        for question in asked[:100]:
            t0 = time.perf_counter()
            await search.memories(uid, question, 10, 0)
            service.append((time.perf_counter() - t0) * 1000)
        return {"maintain_seconds": round(maintain_seconds, 1), "chunks_of_user": await index.count(uid),
                "index_query": stats(both), "vector_query": stats(vector_only), "keyword_query": stats(keyword_only),
                "query_embedding": stats(embed), "search_service": stats(service)}
    finally:
        await index.close()
        await database.dispose()


def route_figures(base: str, token: str, asked: list[str]) -> dict[str, Any]:
    timings = []
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=60) as client:
        for question in asked[:20]:
            client.get("/v3/memories", params={"query": question, "limit": 10}).raise_for_status()
        for question in asked:
            t0 = time.perf_counter()
            response = client.get("/v3/memories", params={"query": question, "limit": 10})
            timings.append((time.perf_counter() - t0) * 1000)
            response.raise_for_status()
    return stats(timings)


def run(settings: Settings, args: argparse.Namespace) -> dict[str, Any]:
    rng = random.Random(11)
    users = asyncio.run(make_users(settings.resolved_database_url, args.other_users))
    (uid, token), others = users[0], users[1:]
    asked = questions(args.queries, rng)
    figures: dict[str, Any] = {"memories_of_user": args.memories, "memories_of_others": args.others,
                               "vector_index": settings.resolved_vector_index}
    app = create_app(settings)
    with serving(app, lifespan="on") as base:
        seconds = load(base, token, memory_texts(args.memories, rng))
        for other_uid, other_token in others:
            seconds += load(base, other_token, memory_texts(args.others // len(others), random.Random(other_uid)))
        figures["load_seconds"] = round(seconds, 1)
        figures["load_memories_per_s"] = round((args.memories + args.others) / seconds, 1)
        print("loaded", figures, flush=True)
    figures.update(asyncio.run(index_figures(settings, uid, asked)))
    print("index", figures, flush=True)
    with serving(create_app(settings), lifespan="on") as base:
        figures["route"] = route_figures(base, token, asked)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--memories", type=int, default=100_000)
    parser.add_argument("--others", type=int, default=20_000, help="memories of the other users, together")
    parser.add_argument("--other-users", type=int, default=4)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--postgres", action="store_true", help="pgvector in a private pgserver PostgreSQL")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="mnemo-search-bench-"))
    if args.postgres:
        import pgserver

        server = pgserver.get_server(str(folder / "pg"), cleanup_mode="stop")
        url = server.get_uri()
    settings = Settings(data_dir=folder, worker_in_server=False, database_url=url if args.postgres else None)
    try:
        figures = run(settings, args)
    finally:
        if args.postgres:
            server.cleanup()
    name = "search-pgvector.json" if args.postgres else "search-lancedb.json"
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / name).write_text(json.dumps(figures, indent=2))
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
