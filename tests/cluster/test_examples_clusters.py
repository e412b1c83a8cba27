"""The bundled sample corpus (examples/) through the real pipeline, scored against its event/story truth."""

from __future__ import annotations

import importlib.util
import json

import pytest
from helpers import EXAMPLES

from storyline.pipeline import ingest
from storyline.store import Store

_spec = importlib.util.spec_from_file_location("bench_metrics", EXAMPLES.parent / "bench" / "metrics.py")
metrics = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(metrics)


@pytest.fixture(scope="module")
def clustered(tmp_path_factory):
    truth_path = EXAMPLES / "truth.json"
    if not truth_path.exists():
        pytest.skip("examples/truth.json not present")
    truth = json.loads(truth_path.read_text())
    with Store(tmp_path_factory.mktemp("ex") / "ex.db") as store:
        ingest([str(EXAMPLES / "corpus")], store, source_from_dir=True)
        articles = list(store.iter_articles())
        by_key = {}
        for key in truth["articles"]:
            if key.startswith("file:"):
                [a] = [a for a in articles if (a.origin or "").endswith(key[len("file:"):])]
            else:
                [a] = [a for a in articles if a.id == key]
            by_key[key] = a
        yield truth, by_key


def test_storylines_match_the_truth(clustered) -> None:
    truth, arts = clustered
    gold = {k: v["story"] for k, v in truth["articles"].items()}
    b3 = metrics.bcubed(gold, {k: a.story_id for k, a in arts.items()})
    assert b3["f1"] >= 0.95, b3


def test_events_match_the_truth(clustered) -> None:
    truth, arts = clustered
    gold = {k: v["event"] for k, v in truth["articles"].items()}
    b3 = metrics.bcubed(gold, {k: a.event_id for k, a in arts.items()})
    # measured 0.90 (P 0.91, R 0.89); 0.80 (P 0.74) before events stopped chaining across quiet days (gap_days).
    # Still wrong: the fire and the next day's evacuation share one event; three small events split off
    assert b3["f1"] >= 0.88, b3
    assert b3["precision"] >= 0.88 and b3["recall"] >= 0.85, b3


def test_wire_copies_share_their_originals_event(clustered) -> None:
    truth, arts = clustered
    for key, row in truth["articles"].items():
        if row.get("duplicate_of") and row["duplicate_of"] in arts:
            assert arts[key].event_id == arts[row["duplicate_of"]].event_id, key


def test_look_alike_shelling_events_stay_apart(clustered) -> None:
    truth, arts = clustered
    e02 = {arts[k].event_id for k, v in truth["articles"].items() if v["event"] == "E02"}
    e04 = {arts[k].event_id for k, v in truth["articles"].items() if v["event"] == "E04"}
    assert not (e02 & e04)
