"""Lazy, fingerprinted summary cache in events.summary, and store-scoped timelines."""

from __future__ import annotations

import pytest
from summarize.valdoria import ARTICLES

from storyline.model import Article, SummarySentence
from storyline.pipeline import ingest_articles
from storyline.store import Store
from storyline.summarize.cached import TimelineScopeError, event_summary, fingerprint, store_timeline


@pytest.fixture
def store(tmp_path):
    path = tmp_path / "s.db"
    with Store(path) as s:
        ingest_articles(s, [Article(**{k: getattr(a, k) for k in ("id", "text", "title", "date", "source")})
                            for a in ARTICLES])
        yield s


def _an_event(store: Store) -> str:
    return next(a.event_id for a in store.iter_articles() if a.event_id)


def test_summary_is_cached_with_its_fingerprint(store) -> None:
    event_id = _an_event(store)
    first = event_summary(store, event_id, 3)
    assert first and all(isinstance(s, SummarySentence) and s.article_ids for s in first)
    fp, cached = store.get_event_summary(event_id)
    assert fp == fingerprint(store.event_member_ids(event_id), 3)
    assert cached == first
    # a stale fingerprint is never served: the summary is recomputed and the cache replaced
    store.put_event_summary(event_id, "stale", [SummarySentence("bogus", ["x"])])
    again = event_summary(store, event_id, 3)
    assert again == first
    assert store.get_event_summary(event_id)[0] == fp
    assert event_summary(store, "no-such-event") is None


def test_read_only_store_computes_but_does_not_cache(store, tmp_path) -> None:
    event_id = _an_event(store)
    with Store(store.path, readonly=True) as ro:
        assert ro.put_event_summary(event_id, "fp", []) is False
        assert event_summary(ro, event_id, 2)
    assert store.get_event_summary(event_id) is None


def test_store_timeline_scopes(store) -> None:
    everything = store_timeline(store, everything=True, dates=5)
    assert everything and all(e["article_ids"] for e in everything)
    story_id = next(a.story_id for a in store.iter_articles() if a.story_id)
    assert store_timeline(store, story_id=story_id, dates=5)
    assert store_timeline(store, query="Lunaport", dates=5)
    limited = store_timeline(store, everything=True, since="2031-05-01", until="2031-05-31")
    assert all("2031-05-01" <= e["date"] <= "2031-05-31" for e in limited)
    with pytest.raises(TimelineScopeError):
        store_timeline(store)
    with pytest.raises(TimelineScopeError):
        store_timeline(store, story_id=story_id, everything=True)
    with pytest.raises(TimelineScopeError):
        store_timeline(store, story_id="no-such-story")
