"""bench/metrics.py: B-cubed and pairwise scores on hand-computed cases."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

_spec = importlib.util.spec_from_file_location("bench_metrics", Path(__file__).resolve().parents[2] / "bench" / "metrics.py")
metrics = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(metrics)


def test_perfect_clustering() -> None:
    gold = {"a": 1, "b": 1, "c": 2}
    assert metrics.bcubed(gold, {"a": "x", "b": "x", "c": "y"}) == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert metrics.pairwise(gold, {"a": "x", "b": "x", "c": "y"})["f1"] == 1.0


def test_all_in_one_cluster() -> None:
    gold = {"a": 1, "b": 1, "c": 2, "d": 2}
    b = metrics.bcubed(gold, {k: 0 for k in gold})
    assert b["precision"] == pytest.approx(0.5) and b["recall"] == pytest.approx(1.0)
    assert b["f1"] == pytest.approx(2 / 3)


def test_hand_computed_case() -> None:
    # gold {a,b,c} {d}; predicted {a,b} {c,d}
    gold = {"a": 1, "b": 1, "c": 1, "d": 2}
    pred = {"a": "x", "b": "x", "c": "y", "d": "y"}
    b = metrics.bcubed(gold, pred)
    assert b["precision"] == pytest.approx((1 + 1 + 0.5 + 0.5) / 4)
    assert b["recall"] == pytest.approx((2 / 3 + 2 / 3 + 1 / 3 + 1) / 4)
    pw = metrics.pairwise(gold, pred)
    assert pw["precision"] == pytest.approx(1 / 2) and pw["recall"] == pytest.approx(1 / 3)


def test_missing_items_are_singletons() -> None:
    gold = {"a": 1, "b": 1}
    b = metrics.bcubed(gold, {"a": "x"})
    assert b["precision"] == 1.0 and b["recall"] == pytest.approx(0.5)


def test_ami_ari_perfect() -> None:
    gold = {"a": 1, "b": 1, "c": 2, "d": 2}
    m = metrics.all_metrics(gold, {"a": 5, "b": 5, "c": 7, "d": 7})
    assert m["ami"] == pytest.approx(1.0) and m["ari"] == pytest.approx(1.0) and m["clusters"] == 2
