"""Ingest throughput on Timeline17, beside a bare read+tokenize pass over the same files (same run).

    .venv/bin/python bench/bench_ingest.py [--data ../shared/data/timeline17] [--limit N]

Prints articles/s and MB/s for: (a) bare pass: read each articles.jsonl, json-parse, tokenize the text;
(b) `storyline ingest` through the real pipeline into a fresh SQLite store (all stages that run at ingest);
and the ratio b/a.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from storyline.enrich.sentences import tokens  # noqa: E402
from storyline.pipeline import ingest  # noqa: E402
from storyline.store import Store  # noqa: E402

DEFAULT_DATA = REPO.parent / "shared" / "data" / "timeline17"


def corpus_files(root: Path) -> list[Path]:
    return sorted(root.glob("*/articles.jsonl"))


def bare_pass(files: list[Path]) -> tuple[int, int, float]:
    t0 = time.perf_counter()
    n = size = 0
    for f in files:
        data = f.read_bytes()
        size += len(data)
        for line in data.decode("utf-8").splitlines():
            if line.strip():
                tokens(json.loads(line)["text"])
                n += 1
    return n, size, time.perf_counter() - t0


def storyline_pass(files: list[Path], db: str) -> tuple[int, float, dict]:
    t0 = time.perf_counter()
    with Store(db) as store:
        report = ingest([str(f) for f in files], store)
    return report.ingested, time.perf_counter() - t0, report.to_dict()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = ap.parse_args()
    files = corpus_files(args.data)
    if not files:
        print(f"SKIP bench_ingest: no Timeline17 data under {args.data}")
        return 0
    n_bare, size, t_bare = bare_pass(files)
    mb = size / 1e6
    with tempfile.TemporaryDirectory() as tmp:
        n_ing, t_ing, report = storyline_pass(files, os.path.join(tmp, "bench.db"))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"== ingest throughput: Timeline17, {len(files)} files, {n_bare} articles, {mb:.1f} MB")
    print(f"{'pass':<28}{'seconds':>9}{'articles/s':>12}{'MB/s':>8}")
    print(f"{'bare read+tokenize':<28}{t_bare:>9.2f}{n_bare / t_bare:>12.0f}{mb / t_bare:>8.2f}")
    print(f"{'storyline ingest':<28}{t_ing:>9.2f}{n_ing / t_ing:>12.0f}{mb / t_ing:>8.2f}")
    print(f"ratio ingest/bare: {t_ing / t_bare:.1f}x   wire copies marked: {report['duplicates']}   "
          f"peak RSS: {peak_mb:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
