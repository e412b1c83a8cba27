"""The bundled sample corpus through the real pipeline, scored against examples/truth.json."""

import json
from collections import defaultdict

import pytest
from helpers import EXAMPLES

from storyline.pipeline import ingest
from storyline.store import Store

TRUTH = json.loads((EXAMPLES / "truth.json").read_text())


@pytest.fixture(scope="module")
def corpus_store(tmp_path_factory):
    db = tmp_path_factory.mktemp("examples") / "examples.db"
    with Store(db) as store:
        report = ingest([str(EXAMPLES / "corpus")], store, source_from_dir=True)
        assert report.errors == [], report.errors
        yield store


def by_key(store):
    """truth key -> stored Article (keys are ids/URLs/guids, or file:<path under corpus/> for text files)."""
    articles = list(store.iter_articles())
    out = {}
    for key in TRUTH["articles"]:
        if key.startswith("file:"):
            rel = key[len("file:"):]
            [match] = [a for a in articles if (a.origin or "").endswith(rel)]
        else:
            [match] = [a for a in articles if a.id == key]
        out[key] = match
    return out


def test_every_article_is_read_with_its_outlet_date_and_title(corpus_store):
    arts = by_key(corpus_store)
    assert corpus_store.count_articles() == len(TRUTH["articles"])
    for key, truth in TRUTH["articles"].items():
        a = arts[key]
        assert a.source == truth["source"], key
        assert a.date == truth["date"], key
        if truth.get("title"):
            assert a.title == truth["title"], key


def test_scraping_debris_is_gone(corpus_store):
    for a in corpus_store.iter_articles():
        lines = [line.strip() for line in a.text.splitlines()]
        assert "0" not in lines, a.origin
        assert not any(line.startswith(("Related Stories", "Share this article", "Read more")) for line in lines), a.origin


def _groups(pairs):
    root = {}

    def find(x):
        while root.get(x, x) != x:
            x = root[x]
        return x

    nodes = {x for pair in pairs for x in pair}
    for a, b in pairs:
        root[find(a)] = find(b)
    groups = defaultdict(set)
    for x in nodes:
        groups[find(x)].add(x)
    return sorted(sorted(g) for g in groups.values())


def test_wire_copies_are_found_as_the_same_groups(corpus_store):
    arts = by_key(corpus_store)
    key_of = {a.id: k for k, a in arts.items()}
    truth_pairs = [(k, t["duplicate_of"]) for k, t in TRUTH["articles"].items() if t["duplicate_of"]]
    found_pairs = [(key_of[a.id], key_of[a.duplicate_of]) for a in arts.values() if a.duplicate_of]
    # which copy counts as "the original" depends on arrival order when they share a day; the groups must match
    assert _groups(found_pairs) == _groups(truth_pairs)
    # and duplicate_of always names the group's original, never another copy
    assert all(arts[k].duplicate_of is None for _, k in found_pairs)
