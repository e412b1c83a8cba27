"""Clustering metrics shared by the benchmarks: B-cubed, pairwise F1, and AMI/ARI (scikit-learn).

Inputs are two mappings item -> cluster label (gold, predicted). Items missing from the prediction count as
singletons; items missing from gold are ignored.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping


def _aligned(gold: Mapping[Hashable, Hashable], pred: Mapping[Hashable, Hashable]) -> tuple[list, list, list]:
    items = list(gold)
    g = [gold[i] for i in items]
    p = [pred[i] if i in pred and pred[i] is not None else ("\x00singleton", i) for i in items]
    return items, g, p


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def bcubed(gold: Mapping[Hashable, Hashable], pred: Mapping[Hashable, Hashable]) -> dict[str, float]:
    """B3 precision, recall and F1 (item-averaged)."""
    items, g, p = _aligned(gold, pred)
    if not items:
        return {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    joint = Counter(zip(g, p))
    gsize, psize = Counter(g), Counter(p)
    prec = sum(joint[(gi, pi)] / psize[pi] for gi, pi in zip(g, p)) / len(items)
    rec = sum(joint[(gi, pi)] / gsize[gi] for gi, pi in zip(g, p)) / len(items)
    return {"precision": prec, "recall": rec, "f1": _f1(prec, rec)}


def pairwise(gold: Mapping[Hashable, Hashable], pred: Mapping[Hashable, Hashable]) -> dict[str, float]:
    """Precision/recall/F1 over item pairs placed in the same cluster."""
    items, g, p = _aligned(gold, pred)

    def pairs(counter: Counter) -> int:
        return sum(n * (n - 1) // 2 for n in counter.values())

    both = pairs(Counter(zip(g, p)))
    pp, gp = pairs(Counter(p)), pairs(Counter(g))
    prec = both / pp if pp else 1.0
    rec = both / gp if gp else 1.0
    return {"precision": prec, "recall": rec, "f1": _f1(prec, rec)}


def ami_ari(gold: Mapping[Hashable, Hashable], pred: Mapping[Hashable, Hashable]) -> dict[str, float]:
    from sklearn.metrics import adjusted_mutual_info_score, adjusted_rand_score

    _, g, p = _aligned(gold, pred)
    gl = {x: i for i, x in enumerate(dict.fromkeys(g))}
    pl = {x: i for i, x in enumerate(dict.fromkeys(p))}
    gi, pi = [gl[x] for x in g], [pl[x] for x in p]
    return {"ami": float(adjusted_mutual_info_score(gi, pi)), "ari": float(adjusted_rand_score(gi, pi))}


def all_metrics(gold: Mapping[Hashable, Hashable], pred: Mapping[Hashable, Hashable]) -> dict[str, float]:
    b = bcubed(gold, pred)
    out = {"b3_p": b["precision"], "b3_r": b["recall"], "b3_f1": b["f1"], "pair_f1": pairwise(gold, pred)["f1"]}
    out.update(ami_ari(gold, pred))
    out["clusters"] = float(len(set(pred[i] for i in gold if i in pred)))
    return out
