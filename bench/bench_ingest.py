"""Ingest throughput on Timeline17, beside a bare read+tokenize pass over the same files (same run).

    .venv/bin/python bench/bench_ingest.py [--data ../shared/data/timeline17] [--workers N] [--batch-size N]

Prints articles/s and MB/s for: (a) bare pass: read each articles.jsonl, json-parse, tokenize the text;
(b) `storyline ingest` through the real pipeline into a fresh SQLite store (all stages that run at ingest);
the ratio b/a; where the ingest's wall time went, stage by stage (the pipeline's own timers); the CPU
seconds of this process and of its worker processes (steadier than wall time on a shared machine); and
the peak resident memory of this process and of the largest worker.
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


def bare_pass(files: list[Path]) -> tuple[int, int, float, float]:
    t0, c0 = time.perf_counter(), time.process_time()
    n = size = 0
    for f in files:
        data = f.read_bytes()
        size += len(data)
        for line in data.decode("utf-8").splitlines():
            if line.strip():
                tokens(json.loads(line)["text"])
                n += 1
    return n, size, time.perf_counter() - t0, time.process_time() - c0


def storyline_pass(files: list[Path], db: str, workers: int | None, batch_size: int | None) -> tuple[int, float, dict]:
    t0 = time.perf_counter()
    kwargs = {"batch_size": batch_size} if batch_size else {}
    with Store(db) as store:
        report = ingest([str(f) for f in files], store, workers=workers, **kwargs)
    return report.ingested, time.perf_counter() - t0, report.to_dict()


# the pipeline's stages in the order they run; "analyse" is the main process waiting for the workers
STAGES = (("read", "read + parse input"), ("skip_known", "skip stored ids"),
          ("analyse", "analyse (wait for workers)"), ("dedup", "dedup"), ("store", "store + commit"),
          ("cluster", "cluster"), ("enrich", "enrich"))


def print_breakdown(report: dict, total: float) -> None:
    stages, cpu = report.get("stage_seconds", {}), report.get("stage_cpu", {})
    print(f"{'stage (main process)':<28}{'wall s':>9}{'share':>8}{'CPU s':>9}")
    accounted = 0.0
    for key, label in STAGES:
        if key in stages:
            accounted += stages[key]
            print(f"{label:<28}{stages[key]:>9.2f}{stages[key] / total:>8.0%}{cpu.get(key, 0.0):>9.2f}")
    other = total - accounted
    print(f"{'other (open, close, ...)':<28}{other:>9.2f}{other / total:>8.0%}")
    if "analyse_cpu" in stages:
        print(f"per-article task seconds summed over workers: {stages['analyse_cpu']:.2f}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--workers", type=int, default=None, help="worker processes (default: one per core)")
    ap.add_argument("--batch-size", type=int, default=None, help="articles per batch (default: the pipeline's)")
    args = ap.parse_args()
    files = corpus_files(args.data)
    if not files:
        print(f"SKIP bench_ingest: no Timeline17 data under {args.data}")
        return 0
    n_bare, size, t_bare, cpu_bare = bare_pass(files)
    mb = size / 1e6
    self0, kids0 = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    with tempfile.TemporaryDirectory() as tmp:
        n_ing, t_ing, report = storyline_pass(files, os.path.join(tmp, "bench.db"), args.workers, args.batch_size)
    self1, kids1 = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_main = self1.ru_utime + self1.ru_stime - self0.ru_utime - self0.ru_stime
    cpu_kids = kids1.ru_utime + kids1.ru_stime - kids0.ru_utime - kids0.ru_stime
    peak_mb = self1.ru_maxrss / 1024
    peak_kid_mb = kids1.ru_maxrss / 1024
    print(f"== ingest throughput: Timeline17, {len(files)} files, {n_bare} articles, {mb:.1f} MB")
    print(f"{'pass':<28}{'seconds':>9}{'articles/s':>12}{'MB/s':>8}")
    print(f"{'bare read+tokenize':<28}{t_bare:>9.2f}{n_bare / t_bare:>12.0f}{mb / t_bare:>8.2f}")
    print(f"{'storyline ingest':<28}{t_ing:>9.2f}{n_ing / t_ing:>12.0f}{mb / t_ing:>8.2f}")
    print(f"ratio ingest/bare: {t_ing / t_bare:.1f}x   wire copies marked: {report['duplicates']}   "
          f"batches: {report['batches']}")
    print_breakdown(report, t_ing)
    print(f"CPU seconds: main process {cpu_main:.1f}, workers {cpu_kids:.1f}, total {cpu_main + cpu_kids:.1f} "
          f"(wall {t_ing:.1f})")
    # On a shared machine wall time mostly measures the neighbours; the CPU seconds bound what two idle
    # cores could do: the main process's serial stages run on one, everything else must fit on the two.
    cores = os.cpu_count() or 1
    bound = max(cpu_main, (cpu_main + cpu_kids) / cores)
    print(f"CPU-bound estimate on {cores} idle cores: >= {bound:.1f} s = {bound / cpu_bare:.1f}x the bare pass's "
          f"{cpu_bare:.2f} CPU s (max of main-process CPU and total CPU / cores)")
    print(f"peak RSS: main process {peak_mb:.0f} MB, largest worker {peak_kid_mb:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
