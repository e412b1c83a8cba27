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


@pytest.fixture()
def dated_db(tmp_path) -> str:
    """Events with ties on their first day, undated events and two outlets (written straight to the store)."""
    from storyline.model import Article, Event, Story

    path = str(tmp_path / "dated.db")
    days = ["2026-01-05", "2026-01-05", "2026-01-07", None, "2026-01-02", "2026-01-07", None, "2026-01-09",
            "2026-01-05", None, "2026-01-01", "2026-01-07"]
    update = ClusterUpdate()
    articles = []
    for n, day in enumerate(days):
        event_id, story_id = f"ev-{n:02d}", f"st-{n % 3}"
        update.events.append(Event(id=event_id, story_id=story_id, title=f"event {n}", start=day, end=day))
        for k in range(1 + n % 2):
            aid = f"a-{n:02d}-{k}"
            articles.append(Article(id=aid, text=f"Fictional report {n} {k} about the lantern fair.",
                                    title=f"report {n} {k}", date=day,
                                    source=("Lantern Post", "Quay Daily")[(n + k) % 2], content_hash=aid))
            update.assignments[aid] = (event_id, story_id)
    update.stories += [Story(id=f"st-{i}", title=f"story {i}") for i in range(3)]
    with Store(path) as store, store.transaction():
        store.add_articles(articles)
        store.apply_cluster_update(update)
    return path


def _one_query_event_page(store: Store, *, since=None, until=None, source=None, story_id=None, after=None, limit=20):
    """The reference: every filter and the cursor in one statement."""
    where, params = ["e.merged_into IS NULL"], []
    if since:
        where.append('coalesce(e."end", e.start) >= ?')
        params.append(since)
    if until:
        where.append("e.start <= ?")
        params.append(until)
    if story_id:
        where.append("e.story_id = ?")
        params.append(story_id)
    if source:
        where.append("e.id IN (SELECT a.event_id FROM articles a JOIN sources s ON s.id = a.source_id "
                     "WHERE s.name = ?)")
        params.append(source)
    if after is not None:
        if after[0]:
            where.append("(e.start < ? OR (e.start = ? AND e.id < ?) OR e.start IS NULL)")
            params += [after[0], after[0], after[1]]
        else:
            where.append("(e.start IS NULL AND e.id < ?)")
            params.append(after[1])
    rows = store.conn.execute(f"SELECT e.start, e.id FROM events e WHERE {' AND '.join(where)} "
                              "ORDER BY e.start DESC, e.id DESC LIMIT ?", [*params, limit]).fetchall()
    return [((r[0] or "", r[1]), r[1]) for r in rows]


def test_event_page_matches_the_one_query_form_at_every_cursor(dated_db):
    with Store(dated_db, readonly=True) as store:
        every = _one_query_event_page(store, limit=100)
        assert len(every) == 12 and every[-1][0][0] == ""  # undated events come last
        filters = [{}, {"source": "Lantern Post"}, {"source": "Quay Daily", "since": "2026-01-05"},
                   {"until": "2026-01-06"}, {"story_id": "st-1"}, {"since": "2026-01-03", "until": "2026-01-07"},
                   {"source": "Nobody"}]
        for f in filters:
            for after in [None, *(key for key, _ in every)]:
                for limit in (1, 2, 5, 20):
                    assert store.event_page(after=after, limit=limit, **f) == \
                        _one_query_event_page(store, after=after, limit=limit, **f), (f, after, limit)


def test_event_page_walk_visits_each_event_once(dated_db):
    with Store(dated_db, readonly=True) as store:
        seen, after = [], None
        while True:
            page = store.event_page(after=after, limit=2)
            seen += [eid for _, eid in page]
            if len(page) < 2:
                break
            after = page[-1][0]
        assert sorted(seen) == sorted(f"ev-{n:02d}" for n in range(12)) and len(seen) == len(set(seen))


def test_who_said_what_with_ids_gives_each_entity_its_stored_id(db_path):
    """The event page links entities by the ids ``with_ids`` adds; otherwise the shape is the export's."""
    with Store(db_path, readonly=True) as store:
        checked = 0
        for e in store.list_events():
            plain, linked = store.event_who_said_what(e.id), store.event_who_said_what(e.id, with_ids=True)
            assert [{k: v for k, v in x.items() if k != "id"} for x in linked["entities"]] == plain["entities"]
            assert all("id" not in x for x in plain["entities"])
            listed = {x["id"]: x["name"] for x in store.list_entities(event_id=e.id)}
            for x in linked["entities"]:
                assert listed[x["id"]] == x["name"]
                checked += 1
        assert checked > 5
