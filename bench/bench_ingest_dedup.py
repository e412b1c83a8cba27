"""Throughput of the front of the pipeline (read -> clean -> identity -> dedup) and wire-copy recall/precision.

Reads Timeline17's storylines.jsonl from ../shared/data (skips when absent), times every stage, then builds a
synthetic wire-copy set: for a sample of articles, a copy with light edits (a sentence dropped, a few words
changed, a different tail) and checks that the Deduper links each copy to its original and links nothing else.

    .venv/bin/python bench/bench_ingest_dedup.py [--limit N]
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import sys
import time
from pathlib import Path

from storyline.clean import clean_article
from storyline.dedup import Deduper
from storyline.ingest import read_inputs
from storyline.ingest.identity import assign_identity
from storyline.model import Article

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "timeline17" / "storylines.jsonl"


def edit_copy(a: Article, rng: random.Random, i: int) -> Article:
    lines = a.text.split("\n")
    if len(lines) > 6:
        del lines[rng.randrange(1, len(lines) - 1)]  # an editor drops one sentence
    words = "\n".join(lines).split(" ")
    for _ in range(3):  # and changes a few words
        j = rng.randrange(len(words))
        words[j] = words[j].upper()[::-1]
    text = " ".join(words) + "\n\nThis story was distributed by a wire service."
    return dataclasses.replace(a, id=f"copy:{i}", text=text, duplicate_of=None, content_hash=None)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit", type=int, default=5000)
    ap.add_argument("--copies", type=int, default=500)
    args = ap.parse_args()
    if not DATA.exists():
        print(f"skip: {DATA} not found")
        return 0
    t0 = time.perf_counter()
    raw = []
    for item in read_inputs([str(DATA)], max_bytes=1 << 30):
        if isinstance(item, Article):
            raw.append(item)
        if len(raw) >= args.limit:
            break
    t1 = time.perf_counter()
    cleaned = [clean_article(a) for a in raw]
    t2 = time.perf_counter()
    ided = [assign_identity(a) for a in cleaned]
    t3 = time.perf_counter()
    mb = sum(len(a.raw or "") for a in raw) / 1e6
    n = len(raw)
    print(f"articles {n}, {mb:.1f} MB of text")
    print(f"read      {t1 - t0:6.2f} s  {n / (t1 - t0):8.0f} docs/s")
    print(f"clean     {t2 - t1:6.2f} s  {n / (t2 - t1):8.0f} docs/s  {mb / (t2 - t1):5.1f} MB/s")
    print(f"identity  {t3 - t2:6.2f} s  {n / (t3 - t2):8.0f} docs/s")

    rng = random.Random(7)
    sample = rng.sample(range(n), min(args.copies, n))
    copies = [assign_identity(edit_copy(ided[k], rng, i)) for i, k in enumerate(sample)]
    batch = ided + copies
    d = Deduper()
    t4 = time.perf_counter()
    sigs = d.process(batch, {})
    t5 = time.perf_counter()
    print(f"dedup     {t5 - t4:6.2f} s  {len(batch) / (t5 - t4):8.0f} docs/s  ({len(batch)} docs incl. {len(copies)} "
          f"synthetic copies)")
    # the original of a copy may itself be a (real) duplicate of an earlier article: accept that root too
    root = {a.id: (a.duplicate_of or a.id) for a in ided}
    hits = sum(1 for c, k in zip(copies, sample) if c.duplicate_of == root[ided[k].id])
    linked = sum(1 for c in copies if c.duplicate_of)
    print(f"wire copies found {hits}/{len(copies)} (recall {hits / len(copies):.3f}); "
          f"copies linked to the wrong article {linked - hits}")
    # recall among the copies whose true (exact) shingle Jaccard with their original reaches the threshold
    from storyline.dedup import _shingle_hashes, _words

    def exact_j(x: str, y: str) -> float:
        sx, sy = set(_shingle_hashes(_words(x), 5)), set(_shingle_hashes(_words(y), 5))
        return len(sx & sy) / max(1, len(sx | sy))

    above = [(c, k) for c, k in zip(copies, sample) if exact_j(c.text, ided[k].text) >= d.threshold]
    found = sum(1 for c, k in above if c.duplicate_of == root[ided[k].id])
    print(f"copies with true Jaccard >= {d.threshold}: {len(above)}; found {found} "
          f"(recall {found / max(1, len(above)):.3f})")
    print(f"duplicates among the {n} corpus articles: {sum(1 for a in ided if a.duplicate_of)}")
    d2 = Deduper()
    t6 = time.perf_counter()
    for a in batch:
        d2.add_existing(a.id, sigs[a.id], a.duplicate_of)
    t7 = time.perf_counter()
    print(f"rebuild index from {len(batch)} stored signatures: {t7 - t6:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
