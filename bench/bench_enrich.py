"""Who-said-what quality and cost.

1. Quality on the bundled sample corpus (examples/corpus + examples/truth.json, claims annotated by the guideline
   in examples/README.md): entity-merge precision/recall (pairwise over the truth's aliases: is each pair put in
   the same entity or not); claim-extraction precision/recall over every claim of the truth (``claims``: figure
   claims and both sides of denials; ``other_claims``: the rest of the guideline's claims) and every extracted
   claim (a truth claim is found when a claim of the same article contains its ``text_contains`` or comes from
   the sentence holding it, one extracted claim per truth claim); for the found figure/denial claims, how many truth figures are extracted (value; value and unit; value and subject)
   and whether denials are marked deny; disagreement detection on the truth's events (found truth
   disagreements, flags that link articles of one). ``--truth FILE`` scores against another truth file.
2. Cost on Timeline17 (../shared/data/timeline17/*/articles.jsonl, skipped when absent): articles/s of the
   whole ingest with enrichment and, in the same run, with it switched off (the enrich stage and the worker's
   name finding), with as many processes as `storyline ingest` uses (``--workers``), after a warm-up ingest;
   ``--repeat`` runs of each, alternating, the best of each shown (wall time, and CPU time of all processes).
   ``--profile`` prints a cProfile of one ingest with enrichment instead.

    .venv/bin/python bench/bench_enrich.py [--limit N] [--skip-throughput] [--repeat N] [--profile] [--verbose]
                                           [--truth FILE]
"""

from __future__ import annotations

import argparse
import json
import re
import tempfile
import time
from itertools import combinations
from pathlib import Path

from storyline.pipeline import Ingestor, default_workers, ingest
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


def _norm_unit(unit: str | None) -> str:
    u = norm(unit or "").replace("per cent", "percent")
    return " ".join(w[:-1] if w.endswith("s") and len(w) > 3 else w for w in u.split())


# the truth's free-form figure subjects in the extractor's vocabulary (killed, wounded, displaced, ...)
_SUBJECT_SYNONYMS = {"injured": "wounded", "hurt": "wounded", "died": "killed", "dead": "killed", "fled": "displaced"}


def claim_scores(store: Store, truth: list[dict], other: list[dict] | None = None) -> dict:
    """Claim recall and precision against the truth, and how the found claims' figures and polarity agree.

    ``truth`` are the figure claims, denials and asserted sides of denials (with figures); ``other`` every other
    claim of the guideline (examples/README.md). A truth claim is found when a claim of its article contains its
    ``text_contains`` (or comes from the sentence that contains it), one extracted claim per truth claim, the
    figure and denial claims first. Precision is over every extracted claim of the annotated articles (right
    when it is some truth claim's match), and, as before the annotation was complete, over those with figures
    or denials alone."""
    ids = truth_ids(store)
    n_listed = len(truth)
    truth = [{**t, "article": ids.get(t["article"], t["article"])} for t in [*truth, *(other or [])]]
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
    missed: list[dict] = []
    fig_total = fig_value = fig_unit = fig_subject = 0
    deny_total = deny_found = assert_as_deny = 0
    listed_found = 0
    for n, t in enumerate(truth):
        want = norm(t["text_contains"])
        hits = [c for c in by_article.get(t["article"], [])
                if want in norm(c.text) or want in sentence_text.get((c.article_id, c.sentence), "")]
        if not hits:
            missed.append(t)
            continue
        # one extracted claim per truth claim where the sentence has several: one not taken yet, of the same
        # polarity, holding the text itself, first
        hits.sort(key=lambda c: (c.id in matched_pred, c.polarity != t["polarity"], want not in norm(c.text)))
        matched_pred.add(hits[0].id)
        if n >= n_listed:
            continue  # figures and denials are scored on the listed claims
        listed_found += 1
        if t["polarity"] == "deny":
            deny_total += 1
            deny_found += any(c.polarity == "deny" for c in hits)
        elif all(c.polarity == "deny" for c in hits):
            assert_as_deny += 1
        predicted = [f for c in hits for f in c.figures]
        for tf in t["figures"]:
            fig_total += 1
            same = [f for f in predicted if (f.value is None and tf["value"] is None)
                    or (f.value is not None and tf["value"] is not None and abs(f.value - tf["value"]) < 1e-6)]
            if not same:
                continue
            fig_value += 1
            tu = _norm_unit(tf["unit"])
            fig_unit += any(_norm_unit(f.unit) == tu or _norm_unit(f.unit) in tu.split() for f in same)
            ts = norm(tf["subject"] or "")
            fig_subject += any(f.subject and (f.subject == _SUBJECT_SYNONYMS.get(ts, ts)) for f in same)
    truth_articles = {t["article"] for t in truth}
    pred = [c for c in claims if c.article_id in truth_articles]
    checkable = [c for c in pred if c.figures or c.polarity == "deny"]
    found = len(truth) - len(missed)
    return {
        "recall": found / len(truth) if truth else 1.0,
        "recall_listed": listed_found / n_listed if n_listed else 1.0,
        "precision": len(matched_pred & {c.id for c in checkable}) / len(checkable) if checkable else 1.0,
        "precision_all": len(matched_pred) / len(pred) if pred else 1.0,
        "n_truth": len(truth), "n_pred": len(pred), "n_checkable": len(checkable),
        "missed": missed, "wrong": [c for c in checkable if c.id not in matched_pred],
        "unmatched": [c for c in pred if c.id not in matched_pred and not (c.figures or c.polarity == "deny")],
        "figures": (fig_total, fig_value, fig_unit, fig_subject),
        "denials": (deny_total, deny_found, listed_found - deny_total, assert_as_deny),
    }


def disagreement_scores(store: Store, truth: dict) -> tuple[int, int, int, int, list[str]]:
    """Disagreement detection on the truth's events (so clustering does not enter): ``find_disagreements``
    over each truth event's stored claims. A truth disagreement is found when a flag of its kind links claims
    of its articles only; a flag is right when it is such a link for some truth disagreement of its event.
    Returns (truth count, found, flags, right flags, missed descriptions)."""
    from storyline.enrich.disagreements import find_disagreements

    ids = truth_ids(store)
    copy_of = {a.id: a.duplicate_of for a in store.iter_articles() if a.duplicate_of}

    def stored(key: str) -> str:
        sid = ids.get(key, key)
        return copy_of.get(sid) or sid

    event_articles: dict[str, list[str]] = {}
    for key, meta in truth["articles"].items():
        event_articles.setdefault(meta["event"], []).append(stored(key))
    truth_sets = [(d["kind"], {stored(k) for k in d["articles"]},
                   {truth["articles"][k]["event"] for k in d["articles"]}, d["about"])
                  for d in truth.get("disagreements", [])]
    found = [False] * len(truth_sets)
    flags = right = 0
    wrong: list[str] = []
    for event, arts in sorted(event_articles.items()):
        claims = store.article_claims(list(dict.fromkeys(arts)))
        for d in find_disagreements(claims):
            flags += 1
            linked = {claims[i].article_id for i in d.claims}
            ok = False
            for n, (kind, articles, events, _about) in enumerate(truth_sets):
                if kind == d.kind and event in events and linked <= articles:
                    found[n] = ok = True
            right += ok
            if not ok:
                wrong.append(f"{d.kind} in {event}: " + " | ".join(
                    f"{claims[i].speaker} {claims[i].verb} ({claims[i].polarity}): {claims[i].text[:70]}"
                    for i in d.claims))
    missed = [f"{kind}: {about}" for (kind, _a, _e, about), hit in zip(truth_sets, found) if not hit]
    return len(truth_sets), sum(found), flags, right, missed, wrong


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


def quality(verbose: bool = False, truth_path: Path = EXAMPLES / "truth.json") -> None:
    if not truth_path.exists():
        print(f"{truth_path} absent: quality skipped")
        return
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "ex.db")
        report = ingest([str(EXAMPLES / "corpus")], store)
        print(f"sample corpus: {report.summary_line()}")
        p, r, tp = entity_scores(store, truth.get("entities", []))
        print(f"entity merge (pairwise over {len(truth.get('entities', []))} truth groups): "
              f"precision {p:.3f} recall {r:.3f}")
        listed = truth.get("claims", [])
        cs = claim_scores(store, listed, truth.get("other_claims", []))
        print(f"claims ({cs['n_truth']} truth, {len(listed)} of them figure claims or sides of denials; "
              f"{cs['n_pred']} extracted in those articles): recall {cs['recall']:.3f}, precision "
              f"{cs['precision_all']:.3f}; figure/denial claims alone: recall {cs['recall_listed']:.3f}, "
              f"precision {cs['precision']:.3f} over the {cs['n_checkable']} extracted with figures or denials")
        total, value, unit, subject = cs["figures"]
        if total:
            print(f"figures of the found truth claims: {total} in truth; value found {value / total:.3f}, "
                  f"value and unit {unit / total:.3f}, value and subject {subject / total:.3f}")
        denials, deny_found, asserts, assert_as_deny = cs["denials"]
        if denials:
            print(f"polarity of the found truth claims: {deny_found}/{denials} denials marked deny; "
                  f"{assert_as_deny}/{asserts} assertions marked deny only")
        dt, dfound, flags, right, dmissed, dwrong = disagreement_scores(store, truth)
        if dt:
            print(f"disagreements on the truth's events: {dfound}/{dt} truth disagreements found (recall "
                  f"{dfound / dt:.3f}); {right}/{flags} flags link the articles of a truth disagreement "
                  f"(precision {right / flags if flags else 1.0:.3f})")
        for t in cs["missed"] if verbose else cs["missed"][:10]:
            print(f"   missed: [{t['article']}] {t['speaker']} {t['verb']}: {t['text_contains']}")
        for line in dmissed:
            print(f"   disagreement missed: {line}")
        if verbose:
            for line in dwrong:
                print(f"   flag outside the truth's disagreements: {line}")
            for c in cs["unmatched"]:
                print(f"   no truth claim: [{c.article_id}] {c.speaker} {c.verb} ({c.polarity}): {c.text[:110]}")
            for c in cs["wrong"]:
                figures = "; ".join(f"{f.value} {f.unit} {f.subject}" for f in c.figures)
                print(f"   not in truth: [{c.article_id}] {c.speaker} {c.verb} ({c.polarity}): {c.text[:110]}"
                      f"  [{figures}]")
            for line in entity_misses(store, truth.get("entities", [])):
                print(f"   entity split: {line}")
        store.close()


def throughput(limit: int | None, workers: int, repeat: int = 2) -> None:
    """Ingest Timeline17 without and with enrichment, ``repeat`` times each, alternating (a shared machine's
    speed drifts over a minute: alternating spreads the drift over both), and print the best of each: wall
    time, this process's CPU and all processes' CPU (the worker processes' too, as they are reaped)."""
    files = sorted(T17.glob("*/articles.jsonl"))
    if not files:
        print(f"{T17} absent: throughput skipped")
        return
    import resource

    from storyline.ingest import read_inputs

    items = [x for x in read_inputs([str(f) for f in files]) if hasattr(x, "text")]
    if limit:
        items = items[:limit]
    runs: dict[str, list[tuple[float, float, float]]] = {}  # label -> (wall, main CPU, all CPU) per run
    with tempfile.TemporaryDirectory() as tmp:  # imports, gazetteer and compiled patterns, before timing
        with Store(Path(tmp) / "warm.db") as store:
            Ingestor(store, workers=1).run(list(items[:200]))

    def children_cpu() -> float:
        r = resource.getrusage(resource.RUSAGE_CHILDREN)
        return r.ru_utime + r.ru_stime

    print(f"ingest with {workers} process(es), the main one included (storyline ingest --workers {workers}); "
          f"{repeat} run(s) of each, alternating, best shown")
    for i in range(repeat):
        for label, enrich in (("without enrichment", False), ("with enrichment", True)):
            # "without": neither the enrich stage nor the names and claims the per-article worker task finds
            with tempfile.TemporaryDirectory() as tmp:
                store = Store(Path(tmp) / "t17.db")
                t0, c0, k0 = time.perf_counter(), time.process_time(), children_cpu()
                Ingestor(store, workers=workers, who_said_what=enrich).run(list(items))  # (its workers end with it)
                dt, cpu = time.perf_counter() - t0, time.process_time() - c0
                runs.setdefault(label, []).append((dt, cpu, cpu + children_cpu() - k0))
                if i == repeat - 1 and enrich:
                    print(f"with enrichment: {store.count_claims()} claims, {len(store.list_entities())} entities")
                store.close()
    best = {label: tuple(min(r[k] for r in rs) for k in range(3)) for label, rs in runs.items()}
    for label, (dt, cpu, total) in best.items():
        walls = ", ".join(f"{r[0]:.1f}" for r in runs[label])
        print(f"Timeline17 {len(items)} articles {label}: {dt:.1f}s = {len(items) / dt:.0f} articles/s "
              f"(runs {walls} s; {cpu:.1f}s CPU here, {total:.1f}s CPU in all processes)")
    w, x = best["with enrichment"], best["without enrichment"]
    print(f"ingest time ratio with/without enrichment: {w[0] / x[0]:.2f}x wall, {w[1] / x[1]:.2f}x main-process "
          f"CPU, {w[2] / x[2]:.2f}x all processes' CPU (budget: at most 2x)")


def profile(limit: int | None, top: int = 30) -> None:
    """cProfile of one single-worker ingest with enrichment: the who-said-what functions by own time."""
    import cProfile
    import pstats

    files = sorted(T17.glob("*/articles.jsonl"))
    if not files:
        print(f"{T17} absent: profile skipped")
        return
    from storyline.ingest import read_inputs

    items = [x for x in read_inputs([str(f) for f in files]) if hasattr(x, "text")]
    if limit:
        items = items[:limit]
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "t17.db")
        prof = cProfile.Profile()
        t0 = time.perf_counter()
        prof.enable()
        Ingestor(store).run(list(items))
        prof.disable()
        print(f"profiled ingest of {len(items)} Timeline17 articles: {time.perf_counter() - t0:.1f}s")
        store.close()
    stats = pstats.Stats(prof)
    rows = []
    for (path, line, fn), (_cc, calls, own, cum, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        if "/enrich/" in path or "store/entities" in path or fn in ("_enrich", "_analyse"):
            rows.append((cum, own, calls, f"{Path(path).name}:{line} {fn}"))
    print(f"{'cumulative':>10} {'own':>8} {'calls':>9}  function (who-said-what code, by cumulative time)")
    for cum, own, calls, name in sorted(rows, reverse=True)[:top]:
        print(f"{cum:10.2f} {own:8.2f} {calls:9d}  {name}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--limit", type=int, default=None, help="Timeline17 articles to use (default: all)")
    ap.add_argument("--skip-throughput", action="store_true")
    ap.add_argument("--repeat", type=int, default=2, help="timed ingests of each kind, alternating (best shown)")
    ap.add_argument("--workers", type=int, default=default_workers(),
                    help="processes of the timed ingests, the main one included (default: as storyline ingest)")
    ap.add_argument("--truth", type=Path, default=EXAMPLES / "truth.json",
                    help="ground truth to score the sample corpus against (default: examples/truth.json)")
    ap.add_argument("--profile", action="store_true",
                    help="instead of the throughput runs, profile one ingest with enrichment (cProfile)")
    ap.add_argument("--verbose", action="store_true",
                    help="list every missed truth claim, extracted checkable claim not in the truth, split entity")
    args = ap.parse_args()
    quality(args.verbose, args.truth)
    if args.profile:
        profile(args.limit)
    elif not args.skip_throughput:
        throughput(args.limit, args.workers, args.repeat)


if __name__ == "__main__":
    main()
