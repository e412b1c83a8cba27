"""Would dense embeddings help the clustering? The evidence behind leaving them out (events issue, `[embed]`).

The only embedding model found on PyPI whose wheel holds its weights (nothing fetched at run time) is WordLlama's
256-dimension static model (token embeddings averaged). It is loaded from the package's own folder with downloads
disabled, and set beside the TF-IDF vectors (sublinear, English stop words) the baselines use:

* ECB+ dev (each topic holds two look-alike events): how well the cosine of two documents of one topic tells
  "same event" from "the look-alike" (ROC AUC over the within-topic pairs), and average-link clustering at its
  best threshold (B3-F1, an oracle choice);
* Timeline17: how often a report's nearest neighbour (and its ten nearest) belong to its story, and average-link
  clustering at its best threshold.

Each also for the mix 0.7 TF-IDF + 0.3 dense. Skips with a message when ../shared/data or wordllama is absent
(`pip install -e '.[bench]'` installs it).

    python bench/bench_dense.py [--chars 2000] [--skip-t17-linkage]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from metrics import all_metrics  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data"
ECB = DATA / "ecbplus-dev" / "docs.jsonl"
T17 = DATA / "timeline17" / "storylines.jsonl"


def embedder():  # type: ignore[no-untyped-def]
    """WordLlama from the files inside its package (no download: ``disable_download``)."""
    import wordllama
    from wordllama import WordLlama

    return WordLlama.load(cache_dir=Path(wordllama.__file__).parent, disable_download=True)


def dense(model, texts: list[str], chars: int) -> tuple[np.ndarray, float]:  # type: ignore[no-untyped-def]
    t = time.process_time()
    # (batches of 16: the tokenizer pads a batch to its longest text)
    vectors = model.embed([x[:chars] for x in texts], norm=True, batch_size=16)
    return np.asarray(vectors, dtype=np.float32), time.process_time() - t


def tfidf(texts: list[str]) -> np.ndarray:
    from sklearn.feature_extraction.text import TfidfVectorizer

    X = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(texts)
    return (X @ X.T).toarray().astype(np.float32)


def best_average_link(S: np.ndarray, ids: list[str], gold: dict[str, str]) -> tuple[float, float]:
    """B3-F1 of average-link clustering on 1 - cosine at its best threshold (and that threshold)."""
    from scipy.cluster.hierarchy import fcluster, linkage

    iu = np.triu_indices(len(ids), k=1)
    Z = linkage(np.clip(1.0 - S[iu], 0.0, 2.0), method="average")
    best = (0.0, 0.0)
    for t in np.arange(0.05, 1.0, 0.025):
        f1 = all_metrics(gold, dict(zip(ids, fcluster(Z, t=t, criterion="distance").tolist())))["b3_f1"]
        best = max(best, (f1, float(t)))
    return best


def similarities(texts: list[str], model,  # type: ignore[no-untyped-def]
                 chars: int) -> tuple[dict[str, np.ndarray], float]:
    St = tfidf(texts)
    E, seconds = dense(model, texts, chars)
    Sd = E @ E.T
    return {"TF-IDF": St, "dense": Sd, "0.7 TF-IDF + 0.3 dense": 0.7 * St + 0.3 * Sd}, seconds


def bench_ecb(model, chars: int) -> None:  # type: ignore[no-untyped-def]
    from sklearn.metrics import roc_auc_score

    docs = [json.loads(line) for line in ECB.open()]
    ids = [d["id"] for d in docs]
    gold = {d["id"]: d["event"] for d in docs}
    sims, seconds = similarities([d["text"] for d in docs], model, chars)
    i, j = np.triu_indices(len(docs), k=1)
    topic = np.array([d["topic"] for d in docs])
    event = np.array([d["event"] for d in docs])
    within = topic[i] == topic[j]
    same = (event[i] == event[j])[within]
    print(f"ECB+ dev ({len(docs)} documents; embedding {seconds:.1f}s CPU)")
    for name, S in sims.items():
        auc = roc_auc_score(same, S[i, j][within])
        f1, t = best_average_link(S, ids, gold)
        print(f"  {name:24s} same event vs look-alike AUC {auc:.3f} | average link best B3-F1 {f1:.3f} (at {t:.3f})")


def bench_t17(model, chars: int, linkage: bool) -> None:  # type: ignore[no-untyped-def]
    docs = [json.loads(line) for line in T17.open()]
    ids = [d["id"] for d in docs]
    gold = {d["id"]: d["story"] for d in docs}
    story = np.array([d["story"] for d in docs])
    sims, seconds = similarities([d["text"][:6000] for d in docs], model, chars)
    print(f"Timeline17 ({len(docs)} reports; embedding {seconds:.1f}s CPU)")
    for name, S in sims.items():
        S = S.copy()
        np.fill_diagonal(S, -np.inf)
        nearest = np.argsort(-S, axis=1)[:, :10]
        nn, top10 = (story[nearest[:, 0]] == story).mean(), (story[nearest] == story[:, None]).mean()
        line = f"  {name:24s} nearest report in its story {nn:.3f}, of the ten nearest {top10:.3f}"
        if linkage:
            np.fill_diagonal(S, 1.0)
            f1, t = best_average_link(S, ids, gold)
            line += f" | average link best B3-F1 {f1:.3f} (at {t:.3f})"
        print(line)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--chars", type=int, default=2000, help="characters of each text embedded")
    ap.add_argument("--skip-t17-linkage", action="store_true", help="nearest neighbours only on Timeline17")
    args = ap.parse_args()
    if not DATA.exists():
        print(f"skipped: {DATA} not present (benchmark data is not part of the repository)")
        return
    try:
        model = embedder()
    except ImportError:
        print("skipped: wordllama is not installed (pip install -e '.[bench]')")
        return
    bench_ecb(model, args.chars)
    bench_t17(model, args.chars, not args.skip_t17_linkage)


if __name__ == "__main__":
    main()
