"""Who-said-what quality and cost.

1. Quality on the bundled sample corpus (examples/corpus + examples/truth.json): entity-merge precision/recall
   (pairwise over the truth's aliases: is each pair put in the same entity or not) and claim-extraction
   precision/recall (a truth claim is found when a claim of the same article contains its ``text_contains``).
2. Cost on Timeline17 (../shared/data/timeline17/*/articles.jsonl, skipped when absent): articles/s of the
   whole ingest with enrichment and, in the same run, with the enrichment stage switched off.

    .venv/bin/python bench/bench_enrich.py [--limit N] [--skip-throughput] [--verbose]
"""

from __future__ import annotations

import argparse
import json
import re
import tempfile
import time
from itertools import combinations
from pathlib import Path

from storyline.pipeline import Ingestor, ingest
from storyline.store import Store

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
T17 = ROOT.parent / "shared" / "data" / "timeline17"


def norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower().replace("’", "'")).strip()


def entity_scores(store: Store, truth: list[dict]) -> tuple[float, float, int]:
    alias_entity: dict[str, str] = {}
    for e in sorted(store.list_entities(), key=lambda e: e["mentions"]):  # the most-mentioned entity wins
        for a in e["aliases"]:
            alias_entity[a] = e["id"]
    gold: dict[str, int] = {}
    for gi, group in enumerate(truth):
        for a in group["aliases"]:
            gold[a] = gi
    tp = fp = fn = 0
    for a, b in combinations(sorted(gold), 2):
        same_gold = gold[a] == gold[b]
        pa, pb = alias_entity.get(a), alias_entity.get(b)
        same_pred = pa is not None and pa == pb
        if same_pred and same_gold:
            tp += 1
        elif same_pred:
            fp += 1
        elif same_gold:
            fn += 1
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, tp


def truth_ids(store: Store) -> dict[str, str]:
    """Truth article key -> stored article id: "file:<path under corpus>" keys are found by origin."""
    out: dict[str, str] = {}
    for a in store.iter_articles():
        out[a.id] = a.id
        if a.origin and "corpus/" in a.origin:
            out["file:" + a.origin.split("corpus/", 1)[1]] = a.id
    return out


def claim_scores(store: Store, truth: list[dict]) -> tuple[float, float, float, list[dict], int, list]:
    ids = truth_ids(store)
    truth = [{**t, "article": ids.get(t["article"], t["article"])} for t in truth]
    claims = list(store.iter_claims())
    from storyline.enrich.sentences import split_sentences

    sentence_text: dict[tuple[str, int | None], str] = {}
    for art in store.get_articles(sorted({c.article_id for c in claims})):
        for i, (_s, _e, text) in enumerate(split_sentences(art.text)):
            sentence_text[(art.id, i)] = norm(text)
    by_article: dict[str, list] = {}
    for c in claims:
        by_article.setdefault(c.article_id, []).append(c)
    # a wire copy has no claims of its own (the pipeline reads only the original): its truth claims are looked
    # for in the article it copies, or in its fellow copies' original
    copy_of = {a.id: a.duplicate_of for a in store.iter_articles() if a.duplicate_of}
    for t in truth:
        original = copy_of.get(t["article"])
        if original:
            t["article"] = original
    matched_pred: set[str] = set()
    found = 0
    missed: list[dict] = []
    for t in truth:
        want = norm(t["text_contains"])
        hit = None
        for c in by_article.get(t["article"], []):
            if want in norm(c.text) or want in sentence_text.get((c.article_id, c.sentence), ""):
                hit = c
                break
        if hit is not None:
            found += 1
            matched_pred.add(hit.id)
        else:
            missed.append(t)
    truth_articles = {t["article"] for t in truth}
    pred = [c for c in claims if c.article_id in truth_articles]
    precision = len(matched_pred) / len(pred) if pred else 1.0
    # the truth lists the checkable claims (with figures, or denials): precision over those we extracted
    checkable = [c for c in pred if c.figures or c.polarity == "deny"]
    precision_checkable = len(matched_pred & {c.id for c in checkable}) / len(checkable) if checkable else 1.0
    recall = found / len(truth) if truth else 1.0
    wrong = [c for c in checkable if c.id not in matched_pred]
    return precision, recall, precision_checkable, missed, len(pred), wrong


def entity_misses(store: Store, truth: list[dict]) -> list[str]:
    """Truth groups the store splits or misses: one line per group, the aliases by the entity holding them."""
    holder: dict[str, tuple[str, str, str]] = {}
    for e in sorted(store.list_entities(), key=lambda e: e["mentions"]):
        for a in e["aliases"]:
            holder[a] = (e["id"], e["name"], e["type"])
    out = []
    for group in truth:
        where: dict[str, list[str]] = {}
        for a in group["aliases"]:
            h = holder.get(a)
            where.setdefault(f"{h[1]} [{h[2]}]" if h else "(not found)", []).append(a)
        if len(where) > 1 or "(not found)" in where:
            out.append(f"{group.get('name', group['aliases'][0])} ({group.get('type', '?')}): "
                       + "; ".join(f"{k} <- {', '.join(v)}" for k, v in where.items()))
    return out


def quality(verbose: bool = False) -> None:
    truth_path = EXAMPLES / "truth.json"
    if not truth_path.exists():
        print("examples/truth.json absent: quality skipped")
        return
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "ex.db")
        report = ingest([str(EXAMPLES / "corpus")], store)
        print(f"sample corpus: {report.summary_line()}")
        p, r, tp = entity_scores(store, truth.get("entities", []))
        print(f"entity merge (pairwise over {len(truth.get('entities', []))} truth groups): "
              f"precision {p:.3f} recall {r:.3f}")
        cp, cr, cpc, missed, npred, wrong = claim_scores(store, truth.get("claims", []))
        print(f"claims ({len(truth.get('claims', []))} truth, {npred} extracted in those articles): "
              f"recall {cr:.3f}; precision over claims with figures or denials {cpc:.3f}; "
              f"over all extracted claims {cp:.3f} (the truth does not list plain statements)")
        for t in missed if verbose else missed[:10]:
            print(f"   missed: [{t['article']}] {t['speaker']} {t['verb']}: {t['text_contains']}")
        if verbose:
            for c in wrong:
                figures = "; ".join(f"{f.value} {f.unit} {f.subject}" for f in c.figures)
                print(f"   not in truth: [{c.article_id}] {c.speaker} {c.verb} ({c.polarity}): {c.text[:110]}"
                      f"  [{figures}]")
            for line in entity_misses(store, truth.get("entities", [])):
                print(f"   entity split: {line}")
        store.close()


def throughput(limit: int | None) -> None:
    files = sorted(T17.glob("*/articles.jsonl"))
    if not files:
        print(f"{T17} absent: throughput skipped")
        return
    from storyline.ingest import read_inputs

    items = [x for x in read_inputs([str(f) for f in files]) if hasattr(x, "text")]
    if limit:
        items = items[:limit]
    results: dict[str, float] = {}
    cpu_results: dict[str, float] = {}  # this process's CPU time: steadier than wall time on a shared machine
    original = Ingestor._enrich
    for label, enrich in (("without enrichment", False), ("with enrichment", True)):
        if not enrich:
            Ingestor._enrich = lambda self, stored, report: None  # type: ignore[method-assign]
        else:
            Ingestor._enrich = original  # type: ignore[method-assign]
        with tempfile.TemporaryDirectory() as tmp:
            store = Store(Path(tmp) / "t17.db")
            t0, c0 = time.perf_counter(), time.process_time()
            Ingestor(store).run(list(items))
            dt, cpu = time.perf_counter() - t0, time.process_time() - c0
            results[label] = dt
            cpu_results[label] = cpu
            extra = f", {store.count_claims()} claims, {len(store.list_entities())} entities" if enrich else ""
            print(f"Timeline17 {len(items)} articles {label}: {dt:.1f}s = {len(items) / dt:.0f} articles/s "
                  f"({cpu:.1f}s CPU){extra}")
            store.close()
    Ingestor._enrich = original  # type: ignore[method-assign]
    ratio = results["with enrichment"] / results["without enrichment"]
    cpu_ratio = cpu_results["with enrichment"] / cpu_results["without enrichment"]
    print(f"ingest time ratio with/without enrichment: {ratio:.2f}x wall, {cpu_ratio:.2f}x CPU (budget: at most 2x)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--limit", type=int, default=None, help="Timeline17 articles to use (default: all)")
    ap.add_argument("--skip-throughput", action="store_true")
    ap.add_argument("--verbose", action="store_true",
                    help="list every missed truth claim, extracted checkable claim not in the truth, split entity")
    args = ap.parse_args()
    quality(args.verbose)
    if not args.skip_throughput:
        throughput(args.limit)


if __name__ == "__main__":
    main()
