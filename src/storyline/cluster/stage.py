"""The clustering stage as the pipeline runs it: load the clusterer's state from the store, cluster each
stored batch inside the batch's transaction, and checkpoint the state.

The state is checkpointed every ``save_every`` articles and at the end of a run, not after every batch
(serialising it costs more than clustering a batch). That stays crash-safe because clustering is
deterministic and sequential: on load, any clustered article the saved state does not know yet is replayed in
ingest order, which rebuilds exactly the state the lost checkpoint would have held.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from ..model import Article
from ..store.events import CLUSTER_STATE
from .clusterer import ArticleFeatures, ClusterParams, Clusterer, ClusterUpdate, StateVersionError

if TYPE_CHECKING:  # pragma: no cover
    from ..store import Store


class ClusterStage:
    def __init__(self, store: Store, params: ClusterParams | None = None, *, save_every: int = 2000) -> None:
        self.store = store
        self.params = params
        self.save_every = save_every
        self._clusterer: Clusterer | None = None
        self._unsaved = 0
        self.replayed = 0
        self.rebuilt = False  # events were made afresh (a state of another clusterer version): not from batches

    @property
    def clusterer(self) -> Clusterer:
        if self._clusterer is None:
            self._clusterer = self._load()
        return self._clusterer

    def _load(self) -> Clusterer:
        data = self.store.get_state(CLUSTER_STATE)
        clusterer = None
        if data:
            try:
                clusterer = Clusterer.from_bytes(data)
            except StateVersionError:  # written by another clusterer version: cluster everything afresh
                self.store.reset_clusters()
                self.rebuilt = True
        if clusterer is None:
            clusterer = Clusterer(self.params)
            if data:
                for batch in self.store.unclustered_articles(500):
                    self.store.apply_cluster_update(clusterer.partial_fit(batch))
                    self.replayed += len(batch)
                    self._unsaved += len(batch)
        # catch up on clustered articles a lost checkpoint did not cover (same order -> same result)
        missing = [r[0] for r in self.store.conn.execute(
            "SELECT id FROM articles WHERE event_id IS NOT NULL ORDER BY seq") if r[0] not in clusterer.assign]
        for i in range(0, len(missing), 500):
            arts = self.store.get_articles(missing[i:i + 500])
            clusterer.partial_fit(arts)
            self.replayed += len(arts)
        if missing:
            self._unsaved += len(missing)
        return clusterer

    def process(self, articles: list[Article],
                features: Mapping[str, ArticleFeatures] | None = None) -> ClusterUpdate:
        """Cluster one stored batch and write the result (call inside the batch's transaction). ``features``:
        the articles' vectors when already made (by the ingest's worker processes)."""
        update = self.clusterer.partial_fit(articles, features)
        self.store.apply_cluster_update(update)
        for a in articles:
            if a.id in update.assignments:
                a.event_id, a.story_id = update.assignments[a.id]
        self._unsaved += len(update.assignments)
        if self._unsaved >= self.save_every:
            self.save()
        return update

    def save(self) -> None:
        if self._clusterer is not None and self._unsaved:
            self.store.put_state(CLUSTER_STATE, self._clusterer.to_bytes())
            self._unsaved = 0


def cluster_store(store: Store, *, rebuild: bool = False, params: ClusterParams | None = None,
                  chunk: int = 500) -> dict[str, Any]:
    """Cluster every stored article that has no event yet (all of them with ``rebuild``), in ingest order."""
    if rebuild:
        store.reset_clusters()
    stage = ClusterStage(store, params)
    n = 0
    merges = 0
    _ = stage.clusterer  # load (and catch up) before looking for unclustered articles
    for batch in _batches(store, chunk):
        with store.transaction():
            update = stage.process(batch)
        n += len(update.assignments)
        merges += len(update.merges)
    with store.transaction():
        stage.save()
    return {"clustered": n, "merges": merges, "events": store.count_events(), "stories": store.count_stories(),
            "rebuilt": rebuild or stage.rebuilt}


def _batches(store: Store, chunk: int) -> Iterable[list[Article]]:
    yield from store.unclustered_articles(chunk)
