"""Events and storylines through the pipeline and the store: ingest, views, merges, rebuild, resume."""

from __future__ import annotations

from cluster.cluster_fixtures import corpus

from storyline.cluster import ClusterParams, Clusterer
from storyline.cluster.stage import ClusterStage, cluster_store
from storyline.model import Article
from storyline.pipeline import ingest_articles
from storyline.store import Store
from storyline.store.events import CLUSTER_STATE


def article_map(store: Store) -> dict[str, tuple[str | None, str | None]]:
    return {a.id: (a.event_id, a.story_id) for a in store.iter_articles()}


def test_ingest_clusters_every_article(tmp_path) -> None:
    arts = corpus()
    with Store(tmp_path / "a.db") as store:
        ingest_articles(store, arts, batch_size=4)
        got = article_map(store)
        assert all(e and s for e, s in got.values())
        assert got == Clusterer().partial_fit(corpus()).assignments  # batches of 4 == one batch
        events = store.list_events()
        assert sum(len(e.article_ids) for e in events) == len(arts)
        assert [e.start for e in events] == sorted(e.start for e in events)
        bridge = store.get_event(got["v1"][0])
        assert bridge is not None and bridge.article_ids == ["v1", "v2", "v3"]
        assert [a.id for a in store.event_articles(bridge.id)] == ["v1", "v2", "v3"]
        story = store.get_story(got["v1"][1])
        assert story is not None and bridge.id in story.event_ids
        assert len(store.list_stories()) == 2
        assert store.list_events(story_id=story.id) and all(e.story_id == story.id
                                                            for e in store.list_events(story_id=story.id))
        assert all((e.end or "") >= "2031-03-20" for e in store.list_events(since="2031-03-20"))
        page1 = store.list_events(limit=2)
        page2 = store.list_events(limit=2, cursor=page1[-1].id)
        assert len(page1) == 2 and not {e.id for e in page1} & {e.id for e in page2}
        assert store.get_state(CLUSTER_STATE)


def test_ingest_in_two_runs_resumes_the_same_clusters(tmp_path) -> None:
    arts = corpus()
    with Store(tmp_path / "b.db") as store:
        ingest_articles(store, arts[:4])
        ingest_articles(store, arts[4:])
        assert article_map(store) == Clusterer().partial_fit(corpus()).assignments


def test_lost_checkpoint_is_replayed(tmp_path) -> None:
    arts = corpus()
    with Store(tmp_path / "c.db") as store:
        ingest_articles(store, arts[:5])
        stale = store.get_state(CLUSTER_STATE)
        ingest_articles(store, arts[5:7])
        with store.transaction():
            store.put_state(CLUSTER_STATE, stale)  # as if the process died before the last checkpoint
        ingest_articles(store, arts[7:])
        assert article_map(store) == Clusterer().partial_fit(corpus()).assignments


def test_rebuild_gives_the_same_ids(tmp_path) -> None:
    with Store(tmp_path / "d.db") as store:
        ingest_articles(store, corpus())
        before = article_map(store)
        stats = cluster_store(store, rebuild=True)
        assert stats["clustered"] == len(before)
        assert article_map(store) == before
        assert stats["events"] == len(store.list_events())


def test_merges_are_stored_and_old_ids_redirect(tmp_path) -> None:
    params = ClusterParams(event_threshold=0.62, event_merge_threshold=0.2, story_merge_threshold=0.2)
    base = "Mayor Ilse Brandt said divers pulled eleven people from Velmora harbour after the bridge collapse."
    a1 = Article(id="m1", date="2031-03-04", text=base + " Four cars fell into the water on Kessel Street.")
    a2 = Article(id="m2", date="2031-03-04",
                 text=base + " Rescue boats from Tarnow searched the harbour for survivors all night.")
    a3 = Article(id="m3", date="2031-03-04", text=base + " Four cars fell into the water on Kessel Street. "
                 "Rescue boats from Tarnow searched the harbour for survivors all night.")
    with Store(tmp_path / "e.db") as store:
        store.add_articles([a1, a2, a3])
        stage = ClusterStage(store, params)
        with store.transaction():
            first = stage.process([a1, a2])
        e1, e2 = first.assignments["m1"][0], first.assignments["m2"][0]
        with store.transaction():
            stage.process([a3])
        rows = store.conn.execute("SELECT kind, old_id, new_id FROM merges").fetchall()
        assert ("event", e2, e1) in [tuple(r) for r in rows]
        assert {a.event_id for a in store.iter_articles()} == {e1}
        assert store.get_event(e2).id == e1  # the old id leads to the event it was merged into
        assert [e.id for e in store.list_events()] == [e1]


def test_reset_clusters_keeps_articles(tmp_path) -> None:
    with Store(tmp_path / "f.db") as store:
        ingest_articles(store, corpus())
        store.reset_clusters()
        assert store.count_articles() == len(corpus())
        assert store.list_events() == [] and store.list_stories() == []
        assert all(e is None and s is None for e, s in article_map(store).values())
        assert store.get_state(CLUSTER_STATE) is None


def test_a_state_from_another_clusterer_version_is_rebuilt(tmp_path) -> None:
    import io
    import json
    import zipfile

    arts = corpus()
    with Store(tmp_path / "v.db") as store:
        ingest_articles(store, arts[:6], batch_size=3)
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            z.writestr("meta.json", json.dumps({"format": "storyline.cluster", "version": 1}))
            z.writestr("arrays.npz", b"")
        with store.transaction():
            store.put_state(CLUSTER_STATE, buf.getvalue())
        ingest_articles(store, arts[6:], batch_size=3)
        assert article_map(store) == Clusterer().partial_fit(corpus()).assignments
        assert sum(len(e.article_ids) for e in store.list_events()) == len(arts)


def _disagreements(store: Store) -> list[tuple[str, str, str]]:
    return sorted(tuple(r) for r in store.conn.execute("SELECT event_id, kind, claim_ids FROM disagreements"))


def _claims_store(tmp_path):
    from helpers import REPO

    from storyline.pipeline import ingest

    store = Store(tmp_path / "claims.db")
    ingest([str(REPO / "tests" / "fixtures" / "claims")], store, workers=1)
    found = _disagreements(store)
    assert found  # the fixture holds a claim and its denial
    return store, found


def test_clustering_afresh_finds_the_disagreements_again(tmp_path) -> None:
    from storyline.pipeline import cluster

    store, found = _claims_store(tmp_path)
    with store:
        with store.transaction() as conn:  # as if the events had changed under them
            conn.execute("DELETE FROM disagreements")
        assert cluster(store)["rebuilt"] is False and _disagreements(store) == []  # nothing new: left alone
        assert cluster(store, rebuild=True)["rebuilt"] is True
        assert _disagreements(store) == found


def test_a_state_of_another_clusterer_version_is_clustered_afresh_with_its_disagreements(tmp_path) -> None:
    import io
    import json
    import zipfile

    store, found = _claims_store(tmp_path)
    with store:
        state = store.get_state(CLUSTER_STATE)
        buf = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(state)) as old, zipfile.ZipFile(buf, "w") as new:
            for name in old.namelist():
                data = old.read(name)
                if name == "meta.json":
                    meta = json.loads(data)
                    meta["version"] = -1  # written by some other version
                    data = json.dumps(meta).encode()
                new.writestr(name, data)
        with store.transaction() as conn:
            store.put_state(CLUSTER_STATE, buf.getvalue())
            conn.execute("DELETE FROM disagreements")
        ingest_articles(store, [Article(id="later", date="2031-09-01", title="Orchard harvest begins in Malven",
                                        text="Farmers in Malven began the apple harvest early.")])
        assert _disagreements(store) == found
