"""Web benchmark: latency of the event page, search and /api/v1/events under 50 concurrent clients.

Builds (or reuses, with --db) a generated 100k-article store (bench/gen_store.py: fictional text; events and
storylines written directly through Store methods, not by the clustering stage; every event summary precomputed,
so GETs only read), starts `storyline serve --workers N` on 127.0.0.1 on a free port in a subprocess, and drives
50 concurrent keep-alive connections at each target for a bounded time, rotating over many distinct URLs drawn
from the store (default: 2000 event pages; 1000 searches mixing common topic words, places, people and
place + topic pairs, some with an outlet or date filter; 1000 /api/v1/events pages: deep cursors, outlets, date
windows, storylines). Prints p50/p95/p99 latency, the error count and the answer-cache hit rate per target (goal:
p95 < 50 ms, 0 errors).

Load generator: `wrk` (C, epoll; bench/wrk_paths.lua rotates the paths and reports percentiles and errors) when it
is installed. wrk corrects its latency histogram for coordinated omission (``stats_correct``: every answer slower
than the mean interval between a connection's requests adds samples as if requests had kept arriving at that
rate), so a cold run's percentiles weigh its first seconds, where every URL is a miss, far above their share of
the requests: they answer "what would clients arriving at the average rate have waited", not "how long did
each of these requests take". Without wrk, a Python httpx-async client, which competes with the server for the
same cores and so inflates the figures; the output names the generator used. Two phases by default: the server as shipped (answer cache on:
a "cold" run from an empty cache, then every URL asked once, then a "warm" run) and with `--cache-size 0` (every
request runs its queries and templates).

    python bench/bench_web.py --db /tmp/web100k.db                 # wrk, 50 connections, 15 s per target
    python bench/bench_web.py --articles 20000 --seconds 5 --generator python
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import quote, urlencode

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gen_store import NOUNS, generate, missing_summaries, precompute_summaries  # noqa: E402

WRK_SCRIPT = Path(__file__).resolve().parent / "wrk_paths.lua"


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


def loadavg() -> str:
    try:
        return Path("/proc/loadavg").read_text().strip()
    except OSError:
        return "unknown"


def _window(rng: random.Random, first_day: str | None, last_day: str | None, days: int) -> dict[str, str]:
    """A random ``days``-long since/until window inside the store's date range."""
    if not first_day or not last_day:
        return {}
    lo, hi = date.fromisoformat(first_day[:10]), date.fromisoformat(last_day[:10])
    start = lo + timedelta(days=rng.randrange(max(1, (hi - lo).days - days + 1)))
    return {"since": start.isoformat(), "until": (start + timedelta(days=days - 1)).isoformat()}


def search_queries(rng: random.Random, n: int, story_titles: list[str], event_titles: list[str],
                   sources: list[str], first_day: str | None, last_day: str | None) -> list[str]:
    """``n`` distinct search query strings (``q=...`` plus filters) in the mix a reader would send: common
    topic words (thousands of hits each), place names (hundreds), people's names (tens), place + topic pairs
    (a storyline's title); one in eight also filters by outlet, one in eight by a 90-day window."""
    places = sorted({t.split()[0] for t in story_titles if t.split()})
    people = sorted({" ".join(t.split()[:2]) for t in event_titles if len(t.split()) >= 2})
    out: dict[str, None] = {}
    for i in range(n * 20):
        if len(out) >= n:
            break
        r = rng.random()
        if r < 0.15 or not (places and people and story_titles):
            words = rng.choice(NOUNS)
        elif r < 0.45:
            words = rng.choice(places)
        elif r < 0.70:
            words = rng.choice(people)
        else:
            words = rng.choice(story_titles)
        params = {"q": words}
        if i % 8 == 5 and sources:
            params["source"] = rng.choice(sources)
        elif i % 8 == 7:
            params.update(_window(rng, first_day, last_day, 90))
        out[urlencode(params)] = None
    return list(out)


def event_listings(rng: random.Random, n: int, event_keys: list[tuple[str, str]], story_ids: list[str],
                   sources: list[str], first_day: str | None, last_day: str | None) -> list[str]:
    """``n`` distinct /api/v1/events pages (20 rows each): the first page, deep pages (a cursor taken from a
    random event's position), one outlet's events, a 30-day window, one storyline's events."""
    from storyline.api import encode_cursor

    out: dict[str, None] = {"/api/v1/events?limit=20": None}
    for i in range(n * 20):
        if len(out) >= n:
            break
        params: dict[str, str] = {"limit": "20"}
        kind = i % 4
        if kind == 0 and event_keys:
            params["cursor"] = encode_cursor("events", list(rng.choice(event_keys)))
        elif kind == 1 and sources:
            params["source"] = rng.choice(sources)
        elif kind == 2:
            params.update(_window(rng, first_day, last_day, 30))
        elif story_ids:
            params["story"] = rng.choice(story_ids)
        out["/api/v1/events?" + urlencode(params)] = None
    return list(out)


def run_wrk(base: str, paths: list[str], connections: int, seconds: float, threads: int) -> dict[str, float]:
    """One wrk run over ``paths``: {requests, seconds, p50_ms, p95_ms, p99_ms, max_ms, errors, kinds}."""
    with tempfile.NamedTemporaryFile("w", prefix="storyline-wrk-", suffix=".txt", delete=False) as f:
        f.write("\n".join(paths) + "\n")
    try:
        out = subprocess.run(
            ["wrk", f"-t{threads}", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--timeout", "10s",
             "-s", str(WRK_SCRIPT), base, "--", f.name],
            capture_output=True, text=True, timeout=seconds + 60, check=False)
    finally:
        os.unlink(f.name)
    line = next((ln for ln in out.stdout.splitlines() if ln.startswith("STORYLINE-WRK ")), None)
    if line is None:
        raise RuntimeError(f"wrk gave no result (exit {out.returncode}): {out.stdout[-1000:]} {out.stderr[-1000:]}")
    r = json.loads(line.split(" ", 1)[1])
    kinds = {k: int(r[k]) for k in ("non200", "connect", "read", "write", "timeout") if r[k]}
    # wrk's "status" (>= 400) is a subset of non200
    return {**r, "errors": sum(kinds.values()), "kinds": kinds}


async def drive(base: str, paths: list[str], concurrency: int, seconds: float) -> dict[str, object]:
    """Python fallback: ``concurrency`` closed-loop httpx clients rotating over ``paths`` for ``seconds``."""
    latencies: list[float] = []
    kinds: dict[str, int] = {}
    hits = 0
    deadline = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)

    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=10.0) as client:
        async def worker(offset: int) -> None:
            nonlocal hits
            i = offset
            while time.monotonic() < deadline:
                url = paths[i % len(paths)]
                i += 1
                t0 = time.perf_counter()
                try:
                    r = await client.get(url)
                    await r.aread()
                    if r.status_code != 200:
                        kinds["non200"] = kinds.get("non200", 0) + 1
                    if r.headers.get("x-storyline-cache") == "hit":
                        hits += 1
                except httpx.HTTPError as exc:
                    kinds[type(exc).__name__] = kinds.get(type(exc).__name__, 0) + 1
                latencies.append((time.perf_counter() - t0) * 1000)

        started = time.perf_counter()
        await asyncio.gather(*(worker(k * 7919) for k in range(concurrency)))
        wall = time.perf_counter() - started
    return {"requests": len(latencies), "seconds": wall, "p50_ms": pct(latencies, 50),
            "p95_ms": pct(latencies, 95), "p99_ms": pct(latencies, 99), "max_ms": max(latencies, default=0.0),
            "errors": sum(kinds.values()), "kinds": kinds, "cache_hits": hits}


async def prime(base: str, paths: list[str], concurrency: int = 4) -> dict[str, int]:
    """Ask for every distinct path once (a few clients at a time): {requests, errors, cache_hits}."""
    todo = list(dict.fromkeys(paths))
    counts = {"requests": 0, "errors": 0, "cache_hits": 0}
    async with httpx.AsyncClient(base_url=base, timeout=30.0) as client:
        async def worker(k: int) -> None:
            for url in todo[k::concurrency]:
                counts["requests"] += 1
                try:
                    r = await client.get(url)
                    counts["errors"] += r.status_code != 200
                    counts["cache_hits"] += r.headers.get("x-storyline-cache") == "hit"
                except httpx.HTTPError:
                    counts["errors"] += 1

        await asyncio.gather(*(worker(k) for k in range(concurrency)))
    return counts


def listeners(port: int) -> int | None:
    """How many sockets listen on ``port`` (one per worker with SO_REUSEPORT); None where /proc is not there."""
    found = None
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        fields = [ln.split() for ln in lines]
        found = (found or 0) + sum(1 for f in fields
                                   if len(f) > 3 and f[3] == "0A" and int(f[1].rsplit(":", 1)[1], 16) == port)
    return found


def start_server(db: str, workers: int, cache_size: int, log_path: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = dict(os.environ)
    env.pop("STORYLINE_TOKEN", None)
    log = open(log_path, "ab")  # noqa: SIM115 - closed by the caller's process teardown
    server = subprocess.Popen(
        [sys.executable, "-m", "storyline.cli", "serve", "--db", db, "--host", "127.0.0.1", "--port", str(port),
         "--workers", str(workers), "--cache-size", str(cache_size)],
        env=env, stdout=subprocess.DEVNULL, stderr=log, start_new_session=True)
    log.close()
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            # every worker must be up (each listens on a socket of its own once its app is loaded)
            up = listeners(port)
            if (up is None or up >= workers) and all(
                    httpx.get(f"{base}/api/v1/articles?limit=1", timeout=2).status_code == 200
                    for _ in range(2 * workers)):
                return server, base
        except httpx.HTTPError:
            pass
        if server.poll() is not None:
            break
        time.sleep(0.1)
    stop_server(server)
    raise RuntimeError("server did not start:\n" + Path(log_path).read_text(errors="replace")[-3000:])


def stop_server(server: subprocess.Popen) -> None:
    try:
        os.killpg(server.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", help="reuse this generated store (built there when missing)")
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--concurrency", type=int, default=50, help="concurrent connections")
    ap.add_argument("--seconds", type=float, default=15.0, help="duration per target")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="server processes (default: cores)")
    ap.add_argument("--generator", choices=["auto", "wrk", "python"], default="auto")
    ap.add_argument("--wrk-threads", type=int, default=1)
    ap.add_argument("--events", type=int, default=2000, help="distinct event pages to rotate over")
    ap.add_argument("--queries", type=int, default=1000,
                    help="distinct search queries, and distinct /api/v1/events pages, to rotate over")
    ap.add_argument("--phases", default="cache,nocache", help="comma list of: cache, nocache")
    args = ap.parse_args(argv)

    tmp = None
    db = args.db
    if db is None:
        tmp = tempfile.TemporaryDirectory(prefix="storyline-bench-web-")
        db = os.path.join(tmp.name, "web.db")
    if not Path(db).exists():
        print(f"generating {args.articles} articles into {db} ...", flush=True)
        print("  ", generate(db, args.articles, log=lambda m: print(m, flush=True)), flush=True)
    from storyline.store import Store

    with Store(db):  # a store of an older storyline: its schema brought up to date once, as `serve` would
        pass
    missing = missing_summaries(db)
    if missing:
        print(f"precomputing {len(missing)} missing event summaries ...", flush=True)
        precompute_summaries(db, log=lambda m: print(m, flush=True))

    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    n_articles = con.execute("SELECT count(*) FROM articles").fetchone()[0]
    event_keys = [(r[0] or "", r[1]) for r in con.execute(
        "SELECT start, id FROM events WHERE merged_into IS NULL ORDER BY start DESC, id DESC")]
    story_ids = [r[0] for r in con.execute("SELECT id FROM stories WHERE merged_into IS NULL ORDER BY id")]
    story_titles = [r[0] for r in con.execute("SELECT title FROM stories WHERE title IS NOT NULL ORDER BY id")]
    event_titles = [r[0] for r in con.execute("SELECT title FROM events WHERE title IS NOT NULL ORDER BY id")]
    first_day, last_day = con.execute("SELECT min(date), max(date) FROM articles").fetchone()
    sources = [r[0] for r in con.execute("SELECT name FROM sources ORDER BY name")]
    con.close()
    rng = random.Random(1)
    event_ids = [k[1] for k in event_keys]
    sample_events = rng.sample(event_ids, min(args.events, len(event_ids)))
    queries = search_queries(rng, args.queries, story_titles, event_titles, sources, first_day, last_day)
    print(f"store: {n_articles} articles, {len(event_ids)} events, {len(sources)} outlets; every event summary "
          f"precomputed (GETs only read)", flush=True)

    generator = args.generator
    if generator == "auto":
        generator = "wrk" if shutil.which("wrk") else "python"
    if generator == "wrk" and not shutil.which("wrk"):
        print("wrk is not installed (apt-get install wrk)", file=sys.stderr)
        return 2
    gen_note = (f"wrk ({args.wrk_threads} thread, bench/wrk_paths.lua)" if generator == "wrk" else
                "Python httpx-async clients (wrk not found: these figures include the client's own CPU use "
                "on the server's cores)")

    targets = {
        "event page": [f"/events/{quote(e, safe='')}" for e in sample_events],
        "search page": [f"/search?{q}" for q in queries],
        "search API": [f"/api/v1/search?{q}&limit=20" for q in queries],
        "/api/v1/events": event_listings(rng, args.queries, event_keys, story_ids, sources, first_day, last_day),
    }
    print(f"distinct URLs per target: " + ", ".join(f"{k} {len(set(v))}" for k, v in targets.items()))
    print(f"generator: {gen_note}; {args.concurrency} concurrent keep-alive connections, {args.seconds:g} s per "
          f"target, loopback; server: {args.workers} worker process(es); {os.cpu_count()} cores shared by server "
          f"and generator; load before: {loadavg()}", flush=True)

    server_log = tempfile.NamedTemporaryFile(prefix="storyline-bench-serve-", suffix=".log", delete=False)
    server_log.close()
    worst: dict[str, float] = {}  # run kind (warm, cold, cache off) -> worst p95 over the targets
    total_errors = 0
    try:
        for phase in [p.strip() for p in args.phases.split(",") if p.strip()]:
            cache_size = {"cache": 2048, "nocache": 0}[phase]
            server, base = start_server(db, args.workers, cache_size, server_log.name)
            try:
                print(f"\n[{phase}] storyline serve --workers {args.workers} --cache-size {cache_size}")
                print(f"{'target':<20}{'n':>7}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}"
                      f"{'req/s':>8}{'hits':>6}")
                for name, paths in targets.items():
                    # with the cache: a first run from an empty cache, then every URL of the rotation asked
                    # once more (the workers share computed answers, so after this each is cached: the cold run
                    # may not have reached them all), then the timed steady state; without it one run is enough
                    for run in (["cold", "warm"] if cache_size else [""]):
                        if run == "warm":
                            primed = asyncio.run(prime(base, paths))
                            print(f"{'  (primed)':<20}{primed['requests']:>7}{primed['errors']:>8}"
                                  f"{'':>45}{100 * primed['cache_hits'] / max(1, primed['requests']):>5.0f}%"
                                  "  every URL once, 4 clients", flush=True)
                            total_errors += int(primed["errors"])
                        if generator == "wrk":
                            r = run_wrk(base, paths, args.concurrency, args.seconds, args.wrk_threads)
                        else:
                            r = asyncio.run(drive(base, paths, args.concurrency, args.seconds))
                        total_errors += int(r["errors"])
                        kind = run or "cache off"
                        worst[kind] = max(worst.get(kind, 0.0), float(r["p95_ms"]))
                        hit_rate = f"{100 * r.get('cache_hits', 0) / max(1, r['requests']):>5.0f}%"
                        kinds = "  " + ", ".join(f"{k} {v}" for k, v in r["kinds"].items()) if r["kinds"] else ""
                        label = f"{name} {run}".strip()
                        print(f"{label:<20}{r['requests']:>7}{r['errors']:>8}{r['p50_ms']:>9.1f}"
                              f"{r['p95_ms']:>9.1f}{r['p99_ms']:>9.1f}{r['max_ms']:>9.1f}"
                              f"{r['requests'] / r['seconds']:>8.0f}{hit_rate}{kinds}", flush=True)
                single = {}
                with httpx.Client(base_url=base, timeout=30) as c:
                    for name, paths in targets.items():
                        lat = []
                        for u in paths[:60]:
                            t = time.perf_counter()
                            c.get(u)
                            lat.append((time.perf_counter() - t) * 1000)
                        single[name] = statistics.median(lat)
                print("one client at a time, median ms: " + ", ".join(f"{k} {v:.1f}" for k, v in single.items()))
            finally:
                stop_server(server)
        tail = Path(server_log.name).read_text(errors="replace")
        if total_errors and tail:
            print("server log tail:\n" + tail[-2000:])
        print("\nworst p95 over the targets: " + ", ".join(f"{k} {v:.1f} ms" for k, v in worst.items())
              + " (goal < 50 ms)" + ("; wrk's percentiles are corrected for coordinated omission" if generator == "wrk"
                                     else ""))
        print(f"errors {total_errors} (goal 0); generator {generator}; "
              f"load after: {loadavg()}")
    finally:
        os.unlink(server_log.name)
        if tmp is not None:
            tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
