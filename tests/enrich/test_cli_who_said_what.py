"""Who said what through the CLI on the bundled sample corpus: `show` sections, `export --what events` fields,
and the corpus' denials found as disagreements of their events."""

import json
import subprocess
from pathlib import Path

import pytest
from helpers import STORYLINE

from storyline.store import Store

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


def run(args, env):
    proc = subprocess.run(STORYLINE + args, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return proc


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """The sample corpus ingested once through the CLI: (env, stored events as exported, truth key -> id)."""
    import os

    tmp = tmp_path_factory.mktemp("wsw")
    env = dict(os.environ)
    env["STORYLINE_DB"] = str(tmp / "corpus.db")
    env.pop("STORYLINE_TOKEN", None)
    run(["ingest", str(EXAMPLES / "corpus"), "--source-from-dir", "--workers", "1"], env)
    events = [json.loads(line) for line in run(["export", "--what", "events"], env).stdout.splitlines()]
    store = Store(env["STORYLINE_DB"], readonly=True)
    try:
        ids, copies = {}, {}
        for a in store.iter_articles():
            ids[a.id] = a.id
            if a.origin and "corpus/" in a.origin:
                ids["file:" + a.origin.split("corpus/", 1)[1]] = a.id
            if a.duplicate_of:
                copies.setdefault(a.duplicate_of, set()).add(a.id)
                copies.setdefault(a.id, set()).add(a.duplicate_of)
    finally:
        store.close()
    return env, events, ids, copies


def test_export_events_rows_carry_entities_claims_and_disagreements(corpus):
    _env, events, _ids, _copies = corpus
    assert events
    for row in events:
        assert {"entities", "claims", "disagreements"} <= set(row)
        for e in row["entities"]:
            assert set(e) >= {"name", "type", "aliases", "article_ids"}
            assert e["type"] in ("PERSON", "ORG", "PLACE")
            assert set(e["article_ids"]) <= set(row["article_ids"])
        for c in row["claims"]:
            assert set(c) >= {"speaker", "verb", "text", "figures", "article_id"}
            assert c["article_id"] in row["article_ids"]
            for f in c["figures"]:
                assert set(f) >= {"value", "unit", "subject"}
        for d in row["disagreements"]:
            assert d["kind"] in ("denial", "figures")
            assert len(d["claims"]) >= 2
            assert all(0 <= i < len(row["claims"]) for i in d["claims"])
    assert sum(len(r["claims"]) for r in events) > 50
    assert any(f["value"] for r in events for c in r["claims"] for f in c["figures"])


def test_the_sample_corpus_denials_are_disagreements_of_their_events(corpus):
    _env, events, ids, copies = corpus
    truth = json.loads((EXAMPLES / "truth.json").read_text(encoding="utf-8"))
    denials = [d for d in truth["disagreements"] if d["kind"] == "denial"]
    assert len(denials) >= 3

    def group(key):
        aid = ids[key]
        return {aid} | copies.get(aid, set())

    found = 0
    for d in denials:
        listed = set().union(*(group(k) for k in d["articles"]))  # every report with either side
        for row in events:
            if not listed & set(row["article_ids"]):
                continue
            for dis in row["disagreements"]:
                if dis["kind"] != "denial":
                    continue
                # a claim and its denial, both from the reports the truth names (or their wire copies)
                sides = [row["claims"][i] for i in dis["claims"]]
                arts = {c["article_id"] for c in sides}
                if arts <= listed and any(c["polarity"] == "deny" for c in sides) \
                        and any(c["polarity"] == "assert" for c in sides):
                    found += 1
                    break
            else:
                continue
            break
    assert found == len(denials), f"{found} of {len(denials)} denials found"


def test_show_prints_entities_claims_and_disagreements(corpus):
    env, events, ids, _copies = corpus
    denied = ids["file:txt/harbor-ledger/jet-claim-denied.txt"]
    event = next(r for r in events if denied in r["article_ids"])
    shown = run(["show", event["event_id"]], env).stdout
    assert "\nEntities (" in shown and "\nClaims (" in shown and "\nDisagreements (" in shown
    entities = shown.split("\nEntities (", 1)[1].split("\nClaims (", 1)[0]
    claims = shown.split("\nClaims (", 1)[1].split("\nDisagreements (", 1)[0]
    disagreements = shown.split("\nDisagreements (", 1)[1]
    assert "Leyla Hasanova" in entities  # the Velmoran spokeswoman, under her full name
    assert "untrue" in claims
    assert "denial" in disagreements
    as_json = json.loads(run(["show", event["event_id"], "--json"], env).stdout)
    assert as_json["disagreements"] == event["disagreements"]
    assert as_json["claims"] == event["claims"]


def test_show_of_an_event_without_claims_prints_empty_sections(corpus):
    env, events, _ids, _copies = corpus
    quiet = min(events, key=lambda r: len(r["claims"]))
    shown = run(["show", quiet["event_id"]], env).stdout
    assert f"\nClaims ({len(quiet['claims'])})" in shown
    assert f"\nDisagreements ({len(quiet['disagreements'])})" in shown


def test_show_writes_figures_as_words(corpus):
    # "a relocation fund of 50 million crowns": 50000000 in the export, "50 million crowns" to read (not 5e+07)
    env, events, _ids, _copies = corpus
    row = next(r for r in events if any(f["value"] == 50_000_000 for c in r["claims"] for f in c["figures"]))
    out = run(["show", row["event_id"]], env).stdout
    assert "50 million crowns" in out and "e+07" not in out
