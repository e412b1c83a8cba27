"""Web benchmark: latency of the event page, search and /api/v1/events under 50 concurrent clients.

Builds (or reuses, with --db) a generated 100k-article store (bench/gen_store.py: fictional text; events and
storylines written directly through Store methods, not by the clustering stage), starts `storyline serve` on
127.0.0.1 on a free port in a subprocess, and drives 50 concurrent httpx clients for a bounded number of
requests per target. Prints p50/p95/p99 latency and the error count per target (goal: p95 < 50 ms, 0 errors).
Loopback only; bounded in count and time.

    python bench/bench_web.py                      # 100k articles, 2000 requests per target
    python bench/bench_web.py --articles 20000 --requests 500
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gen_store import generate  # noqa: E402

WORDS = ["bridge", "treaty", "budget harbour", "strike", "election reform", "pipeline", "ferry tariff",
         "festival", "inquiry", "flood airport", "railway council", "market border"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


ERROR_KINDS: dict[str, int] = {}


async def drive(base: str, urls: list[str], concurrency: int, deadline: float) -> tuple[list[float], int, float]:
    """Fetch every url once with ``concurrency`` workers; (latencies in ms, errors, wall seconds)."""
    latencies: list[float] = []
    errors = 0
    queue: asyncio.Queue[str] = asyncio.Queue()
    for u in urls:
        queue.put_nowait(u)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)

    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30.0) as client:
        async def worker() -> None:
            nonlocal errors
            while time.monotonic() < deadline:
                try:
                    url = queue.get_nowait()
                except asyncio.QueueEmpty:
                    return
                t0 = time.perf_counter()
                try:
                    r = await client.get(url)
                    await r.aread()
                    if r.status_code != 200:
                        errors += 1
                        ERROR_KINDS[f"HTTP {r.status_code} {url}"] = ERROR_KINDS.get(f"HTTP {r.status_code} {url}", 0) + 1
                except httpx.HTTPError as exc:
                    errors += 1
                    kind = type(exc).__name__
                    ERROR_KINDS[kind] = ERROR_KINDS.get(kind, 0) + 1
                latencies.append((time.perf_counter() - t0) * 1000)

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return latencies, errors, time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", help="reuse this generated store (built there when missing)")
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--requests", type=int, default=2000, help="requests per target")
    ap.add_argument("--concurrency", type=int, default=50)
    ap.add_argument("--max-seconds", type=float, default=90.0, help="time cap per target")
    args = ap.parse_args(argv)

    tmp = None
    db = args.db
    if db is None:
        tmp = tempfile.TemporaryDirectory(prefix="storyline-bench-web-")
        db = os.path.join(tmp.name, "web.db")
    if not Path(db).exists():
        print(f"generating {args.articles} articles into {db} ...", flush=True)
        print("  ", generate(db, args.articles, log=lambda m: print(m, flush=True)), flush=True)

    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    n_articles = con.execute("SELECT count(*) FROM articles").fetchone()[0]
    event_ids = [r[0] for r in con.execute("SELECT id FROM events WHERE merged_into IS NULL")]
    sources = [r[0] for r in con.execute("SELECT name FROM sources")]
    con.close()
    rng = random.Random(1)
    sample_events = rng.sample(event_ids, min(300, len(event_ids)))
    print(f"store: {n_articles} articles, {len(event_ids)} events, {len(sources)} outlets", flush=True)

    port = free_port()
    env = dict(os.environ)
    env.pop("STORYLINE_TOKEN", None)
    server_log = tempfile.NamedTemporaryFile(prefix="storyline-bench-serve-", suffix=".log", delete=False)
    server = subprocess.Popen(
        [sys.executable, "-m", "storyline.cli", "serve", "--db", db, "--host", "127.0.0.1", "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=server_log, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                if httpx.get(f"{base}/api/v1/articles?limit=1", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if server.poll() is not None:
                print(Path(server_log.name).read_text(errors="replace")[-3000:], file=sys.stderr)
                return 1
            time.sleep(0.1)
        else:
            print("server did not start", file=sys.stderr)
            return 1

        # First views compute and cache each sampled event's summary; measured separately.
        t0 = time.perf_counter()
        with httpx.Client(base_url=base, timeout=60) as c:
            warm = [c.get(f"/events/{e}").status_code for e in sample_events]
        warm_s = time.perf_counter() - t0
        print(f"warm-up: {len(sample_events)} first event-page views (summary computed + cached) in {warm_s:.1f}s "
              f"({1000 * warm_s / max(1, len(sample_events)):.1f} ms each, sequential), "
              f"{sum(s != 200 for s in warm)} non-200", flush=True)

        targets = {
            "event page": [f"/events/{rng.choice(sample_events)}" for _ in range(args.requests)],
            "search page": [f"/search?q={rng.choice(WORDS).replace(' ', '+')}" for _ in range(args.requests)],
            "search API": [f"/api/v1/search?q={rng.choice(WORDS).replace(' ', '+')}&limit=20"
                           for _ in range(args.requests)],
            "/api/v1/events": [f"/api/v1/events?limit=20" + (f"&source={rng.choice(sources).replace(' ', '+')}"
                                                             if i % 4 == 3 else "")
                               for i in range(args.requests)],
        }
        print(f"\n{args.concurrency} concurrent clients, {args.requests} requests per target, loopback, "
              f"2-core machine shared with the client\n")
        print(f"{'target':<16}{'n':>6}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'req/s':>8}")
        worst = 0.0
        total_errors = 0
        for name, urls in targets.items():
            deadline = time.monotonic() + args.max_seconds
            lat, errors, wall = asyncio.run(drive(base, urls, args.concurrency, deadline))
            total_errors += errors
            worst = max(worst, pct(lat, 95))
            print(f"{name:<16}{len(lat):>6}{errors:>8}{pct(lat, 50):>9.1f}{pct(lat, 95):>9.1f}{pct(lat, 99):>9.1f}"
                  f"{len(lat) / wall:>8.0f}", flush=True)
        if ERROR_KINDS:
            print("errors by kind: " + "; ".join(f"{k}: {v}" for k, v in sorted(ERROR_KINDS.items())))
            print("server log tail:\n" + Path(server_log.name).read_text(errors="replace")[-2000:])
        print(f"\nworst p95 {worst:.1f} ms (goal < 50 ms), errors {total_errors} (goal 0); "
              f"single-request latency = p50 at concurrency 1 is much lower: the figures above include queueing "
              f"behind {args.concurrency - 1} other requests")
        single = {}
        with httpx.Client(base_url=base, timeout=30) as c:
            for name, urls in targets.items():
                lat = []
                for u in urls[:100]:
                    t = time.perf_counter()
                    c.get(u)
                    lat.append((time.perf_counter() - t) * 1000)
                single[name] = statistics.median(lat)
        print("one client at a time, median ms: " + ", ".join(f"{k} {v:.1f}" for k, v in single.items()))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        server_log.close()
        os.unlink(server_log.name)
        if tmp is not None:
            tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
