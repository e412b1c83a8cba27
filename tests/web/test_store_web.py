"""Store methods behind the web face: batched reads give what the one-at-a-time reads give; the two-step
search (rank, then snippets for the kept page) gives what one query over every match gives."""

from __future__ import annotations

import shutil

import pytest
from storyline.cluster.clusterer import ClusterUpdate
from storyline.store import Store
from storyline.store.web import MARK_CLOSE, MARK_OPEN, _fts_query


@pytest.fixture()
def merged_db(db_path: str, tmp_path) -> tuple[str, str, str]:
    """A copy of the web corpus store where one event was merged into another: (path, old id, live id)."""
    path = str(tmp_path / "merged.db")
    shutil.copy(db_path, path)
    with Store(path) as store:
        ids = [e.id for e in store.list_events()]
        assert len(ids) >= 2
        old, live = ids[0], ids[1]
        update = ClusterUpdate()
        update.merges.append(("event", old, live))
        store.apply_cluster_update(update)
    return path, old, live


def test_get_events_matches_get_event_one_by_one(merged_db):
    path, old, live = merged_db
    with Store(path, readonly=True) as store:
        every = [r[0] for r in store.conn.execute("SELECT id FROM events ORDER BY id DESC")]
        asked = [*every, "no-such-event", old, every[0], live]  # unknown, merged-away and repeated ids
        expected = [e for i in asked if (e := store.get_event(i)) is not None]
        assert store.get_events(asked) == expected
        assert [e.id for e in store.get_events([old])] == [live]
        assert store.get_events([]) == []
        assert store.get_events(["no-such-event"]) == []


def test_get_events_many_ids_crosses_the_chunk_size(db_path):
    with Store(db_path, readonly=True) as store:
        ids = [r[0] for r in store.conn.execute("SELECT id FROM events")]
        asked = ids * (1200 // len(ids) + 1)
        assert len(asked) > 1000
        assert store.get_events(asked) == [store.get_event(i) for i in asked]


def test_story_titles_match_get_story(db_path, tmp_path):
    path = str(tmp_path / "stories.db")
    shutil.copy(db_path, path)
    with Store(path) as store:
        stories = [s.id for s in store.list_stories()]
        if len(stories) >= 2:  # merge one storyline into another: its old id gives the live title
            update = ClusterUpdate()
            update.merges.append(("story", stories[0], stories[1]))
            store.apply_cluster_update(update)
    with Store(path, readonly=True) as store:
        every = [r[0] for r in store.conn.execute("SELECT id FROM stories")]
        titles = store.story_titles([*every, "no-such-story", *every])
        assert titles == {i: s.title for i in every if (s := store.get_story(i)) is not None}


def _one_query_search(store: Store, query: str, *, source=None, since=None, until=None, limit=20, offset=0):
    """The reference: rank, join and snippet every match in one statement."""
    if not _fts_query(query):
        return []
    where, params = ["articles_fts MATCH ?"], [_fts_query(query)]
    if source:
        where.append("s.name = ?")
        params.append(source)
    if since:
        where.append("a.date >= ?")
        params.append(since)
    if until:
        where.append("a.date <= ?")
        params.append(until)
    rows = store.conn.execute(
        "SELECT a.id, a.title, a.date, s.name AS source, a.url, a.event_id, a.story_id, a.duplicate_of, "
        f"snippet(articles_fts, 1, '{MARK_OPEN}', '{MARK_CLOSE}', ' … ', 14) AS snippet, "
        "bm25(articles_fts, 5.0, 1.0) AS score FROM articles_fts JOIN articles a ON a.seq = articles_fts.rowid "
        "LEFT JOIN sources s ON s.id = a.source_id "
        f"WHERE {' AND '.join(where)} ORDER BY score, a.seq LIMIT ? OFFSET ?", [*params, limit, offset]).fetchall()
    return [dict(r) for r in rows]


@pytest.mark.parametrize("query, filters", [
    ("Velmora", {}),
    ("Velmora", {"limit": 3, "offset": 2}),
    ("Velmora", {"limit": 4, "offset": 100}),
    ("bridge", {"source": "Quayside Daily"}),
    ("bridge", {"source": "No Such Outlet"}),
    ("ferry strike", {"since": "2026-03-05", "until": "2026-03-06"}),
    ("Velmora", {"source": "Lantern Post", "since": "2026-03-03"}),
    ("never run", {}),
    ("*", {}),
])
def test_search_page_matches_the_one_query_form(db_path, query, filters):
    with Store(db_path, readonly=True) as store:
        expected = _one_query_search(store, query, **filters)
        got = store.search_page(query, **filters)
    assert got == expected
    if query == "Velmora" and not filters:
        assert len(got) == 20 and all(MARK_OPEN in h["snippet"] for h in got)
