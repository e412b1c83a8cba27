"""Timeline summarisation on Timeline17 with the news-tls protocol, beside a PUBCOUNT + lead-lines baseline.

    .venv/bin/python bench/bench_timeline.py [--data ../shared/data/timeline17] [--only bpoil_bbc] [--json]

Requirements: the ``bench`` extra (``pip install -e .[bench]``: ``tilse``) and, for tilse's bundled
ROUGE-1.5.5, the Perl XML parser from Debian: ``apt-get install -y libxml-parser-perl``.

Protocol (news-tls, ACL 2020; see ../shared/BENCHMARKS.md): for each of the 19 reference timelines, the input
is the collection's articles published within [first reference date - 7 days, last reference date + 7 days];
the system is asked for L = number of reference dates and K = round(mean sentences per reference date) per date,
with the collection's keywords as query, and dates kept inside the input time span (as news-tls does). The
system is ``summarize.timeline.build_timeline``, the function behind ``storyline timeline`` (``--all --since
--until``; ``--query`` first narrows the stored articles by full-text search, which the protocol does instead
by giving the collection). Scores (tilse): alignment ROUGE-1/2 F1, many-to-one date-content
costs (AR1-F, AR2-F), and date F1 (exact day match); averaged over timelines. The baseline, measured in the same
run: the L days with most publications, each with the first lines of that day's articles (K per day).
Printed: per-timeline figures and seconds (wall and CPU) per timeline for storyline, and the averages of both
systems.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from storyline.model import Article  # noqa: E402
from storyline.summarize.timeline import build_timeline  # noqa: E402

DEFAULT_DATA = REPO.parent / "shared" / "data" / "timeline17"


def load_collection(path: Path) -> tuple[list[Article], list[dict[dt.date, list[str]]], list[str]]:
    articles = []
    with open(path / "articles.jsonl", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            articles.append(Article(id=rec["id"], text=rec["text"], date=rec["date"], source=rec.get("topic")))
    timelines = []
    with open(path / "timelines.jsonl", encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                tl = json.loads(line)
                timelines.append({dt.date.fromisoformat(d[:10]): [s.strip() for s in sents] for d, sents in tl})
    keywords = json.loads((path / "keywords.json").read_text(encoding="utf-8"))
    return articles, timelines, keywords


def pubcount_lead(articles: list[Article], n_dates: int, k: int) -> dict[dt.date, list[str]]:
    """Baseline: the days with most publications; each with the first lines of that day's articles."""
    counts = Counter(a.date for a in articles if a.date)
    days = sorted(counts, key=lambda d: (-counts[d], d))[:n_dates]
    by_day: dict[str, list[Article]] = defaultdict(list)
    for a in articles:
        by_day[a.date].append(a)
    out = {}
    for d in days:
        leads = []
        for a in by_day[d]:
            first = next((ln.strip() for ln in a.text.splitlines() if ln.strip()), "")
            if first:
                leads.append(first)
            if len(leads) >= k:
                break
        out[dt.date.fromisoformat(d)] = leads
    return out


def evaluate(pred: dict[dt.date, list[str]], ref: dict[dt.date, list[str]], evaluator) -> dict[str, float]:
    from tilse.data.timelines import GroundTruth, Timeline

    pred = {d: s for d, s in pred.items() if s}
    if not pred:
        return {"ar1": 0.0, "ar2": 0.0, "date_f1": 0.0}
    gt = GroundTruth([Timeline(ref)])
    scores = evaluator.evaluate_align_date_content_costs_many_to_one(Timeline(pred), gt)
    shared = len(set(pred) & set(ref))
    p = shared / len(pred)
    r = shared / len(ref)
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"ar1": scores["rouge_1"]["f_score"], "ar2": scores["rouge_2"]["f_score"], "date_f1": f}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--only", default=None, help="only collections whose name contains this")
    ap.add_argument("--no-query", action="store_true", help="do not pass the keywords as query")
    ap.add_argument("--json", action="store_true", help="print the averages as JSON at the end")
    ap.add_argument("--no-baseline", action="store_true", help="development runs: skip the baseline")
    args = ap.parse_args()
    if not args.data.is_dir():
        sys.exit(f"{args.data}: Timeline17 not found")
    from tilse.evaluation import rouge

    evaluator = rouge.TimelineRougeEvaluator(measures=["rouge_1", "rouge_2"])
    rows = []
    print(f"{'timeline':<26} {'L':>3} {'K':>2} {'arts':>5} | {'AR1-F':>6} {'AR2-F':>6} {'Date-F1':>7} {'s/tl':>5} "
          f"{'cpu':>5} | {'base AR1':>8} {'AR2':>6} {'Date':>6}")
    for coll in sorted(p for p in args.data.iterdir() if (p / "timelines.jsonl").exists()):
        if args.only and args.only not in coll.name:
            continue
        articles, timelines, keywords = load_collection(coll)
        for j, ref in enumerate(timelines):
            dates = sorted(ref)
            lo, hi = dates[0] - dt.timedelta(days=7), dates[-1] + dt.timedelta(days=7)
            inp = [a for a in articles if a.date and lo.isoformat() <= a.date <= hi.isoformat()]
            n_dates = len(dates)
            k = max(1, round(sum(len(v) for v in ref.values()) / len(ref)))
            t0, c0 = time.perf_counter(), time.process_time()
            # what `storyline timeline --all --since LO --until HI --dates L --sentences K` runs on a store
            # holding the collection (news-tls likewise keeps the dates inside the input time span)
            tl = build_timeline(inp, dates=n_dates, sentences=k, since=lo.isoformat(), until=hi.isoformat(),
                                query=None if args.no_query else " ".join(keywords))
            secs, cpu = time.perf_counter() - t0, time.process_time() - c0
            pred = {dt.date.fromisoformat(e["date"]): e["sentences"] for e in tl}
            ours = evaluate(pred, ref, evaluator)
            base = ({"ar1": float("nan"), "ar2": float("nan"), "date_f1": float("nan")} if args.no_baseline
                    else evaluate(pubcount_lead(inp, n_dates, k), ref, evaluator))
            name = f"{coll.name}#{j}" if len(timelines) > 1 else coll.name
            rows.append((name, ours, base, secs, cpu))
            print(f"{name:<26} {n_dates:>3} {k:>2} {len(inp):>5} | {ours['ar1']:>6.3f} {ours['ar2']:>6.3f} "
                  f"{ours['date_f1']:>7.3f} {secs:>5.2f} {cpu:>5.2f} | {base['ar1']:>8.3f} {base['ar2']:>6.3f} "
                  f"{base['date_f1']:>6.3f}", flush=True)
    if not rows:
        sys.exit("no timelines found")
    n = len(rows)

    def avg(i: int, key: str) -> float:
        return sum(r[i][key] for r in rows) / n

    secs = sum(r[3] for r in rows) / n
    cpu = sum(r[4] for r in rows) / n
    print(f"\naverage over {n} timelines")
    print(f"{'system':<34} {'AR1-F':>6} {'AR2-F':>6} {'Date-F1':>7}")
    print(f"{'PUBCOUNT dates + lead lines':<34} {avg(2, 'ar1'):>6.3f} {avg(2, 'ar2'):>6.3f} {avg(2, 'date_f1'):>7.3f}")
    print(f"{'storyline build_timeline':<34} {avg(1, 'ar1'):>6.3f} {avg(1, 'ar2'):>6.3f} {avg(1, 'date_f1'):>7.3f}")
    print(f"storyline seconds per timeline: {secs:.2f} wall, {cpu:.2f} CPU (the machine may be shared)")
    if args.json:
        print(json.dumps({"n": n, "storyline": {k: avg(1, k) for k in ("ar1", "ar2", "date_f1")},
                          "baseline": {k: avg(2, k) for k in ("ar1", "ar2", "date_f1")},
                          "seconds_per_timeline": secs, "cpu_seconds_per_timeline": cpu}))


if __name__ == "__main__":
    main()
