"""The pipeline: the only module that knows the order of stages.

read -> clean -> identity -> (skip known ids) -> dedup -> store  ...then the post-store stages, all inside the
batch's transaction so an interrupted run leaves whole batches or nothing.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any, BinaryIO, TypeVar

from .clean import clean_article
from .cluster.stage import ClusterStage
from .dedup import Deduper
from .enrich.claims import extract_claims
from .enrich.disagreements import find_disagreements
from .enrich.entities import Reconciler, alias_lookup, extract_names
from .ingest import read_inputs
from .ingest.identity import assign_identity
from .model import Article, IngestProblem
from .store import Store

DEFAULT_BATCH_SIZE = 256
# Below this many articles in a batch the per-article stages run in-process: a pool costs more than it saves.
PARALLEL_MIN_BATCH = 64

T = TypeVar("T")
R = TypeVar("R")


def default_workers() -> int:
    """Worker processes for the per-article stages: $STORYLINE_WORKERS, else one per core."""
    env = os.environ.get("STORYLINE_WORKERS", "").strip()
    if env.isdigit() and int(env) > 0:
        return int(env)
    return max(1, os.cpu_count() or 1)


@dataclass
class IngestReport:
    read: int = 0  # articles read successfully (new or already stored)
    ingested: int = 0  # newly stored
    already_stored: int = 0  # skipped: id already in the store or repeated in the input
    duplicates: int = 0  # newly stored articles marked as copies of an earlier one
    problems: list[IngestProblem] = field(default_factory=list)
    seconds: float = 0.0
    batches: int = 0
    stats: dict[str, Any] = field(default_factory=dict)  # filled by post-store stages (events touched, ...)

    @property
    def errors(self) -> list[IngestProblem]:
        return [p for p in self.problems if getattr(p, "severity", "error") == "error"]

    @property
    def ok(self) -> bool:
        """True when anything at all could be read (so exit status 0)."""
        return self.read > 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "read": self.read,
            "ingested": self.ingested,
            "already_stored": self.already_stored,
            "duplicates": self.duplicates,
            "problems": [{"where": p.where, "reason": p.reason, "severity": getattr(p, "severity", "error")}
                         for p in self.problems],
            "seconds": round(self.seconds, 3),
            "batches": self.batches,
            **self.stats,
        }

    def summary_line(self) -> str:
        parts = [f"ingested {self.ingested} new article{'s' if self.ingested != 1 else ''}"]
        parts.append(f"{self.already_stored} already stored")
        parts.append(f"{self.duplicates} wire cop{'ies' if self.duplicates != 1 else 'y'}")
        for key, value in self.stats.items():
            parts.append(f"{value} {key.replace('_', ' ')}")
        errors = len(self.errors)
        warnings = len(self.problems) - errors
        parts.append(f"{errors} error{'s' if errors != 1 else ''}")
        if warnings:
            parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
        return ", ".join(parts) + f" in {self.seconds:.1f}s"


def prepare(article: Article) -> Article:
    """Per-article stages that need no context: cleanup and identity. Pure; safe in any executor."""
    return assign_identity(clean_article(article))


def _prepare_or_problem(article: Article) -> Article | IngestProblem:
    try:
        return prepare(article)
    except Exception as exc:  # a bug or a pathological record must not stop the batch
        return IngestProblem(article.origin or article.id or "<input>", f"could not be cleaned: {exc}")


def _analyse(article: Article) -> tuple[Article | IngestProblem, Any]:
    """Everything per-article and context-free, in one worker task: cleanup, identity, and the names the
    who-said-what stage needs (used only if the article turns out new and not a copy)."""
    prepared = _prepare_or_problem(article)
    if isinstance(prepared, IngestProblem):
        return prepared, None
    try:
        return prepared, extract_names(prepared)
    except Exception:  # the enrich stage retries in-process and reports there
        return prepared, None


class Ingestor:
    """Runs batches through the stages into one store. Holds the in-memory state of incremental stages
    (the near-duplicate index) for the duration of one ingest run."""

    def __init__(self, store: Store, *, batch_size: int = DEFAULT_BATCH_SIZE, workers: int = 1) -> None:
        self.store = store
        self.batch_size = batch_size
        self.workers = max(1, workers)  # >1: per-article stages in forked worker processes (not from threads)
        self._pool: Executor | None = None
        self._deduper: Deduper | None = None
        self._reconciler: Reconciler | None = None  # canonical entities so far (loaded once per run)
        self._cluster: ClusterStage | None = None  # event/storyline clusterer (state loaded once per run)

    @property
    def deduper(self) -> Deduper:
        if self._deduper is None:
            deduper = Deduper()
            for article_id, signature, duplicate_of in self.store.signatures():
                deduper.add_existing(article_id, signature, duplicate_of)
            self._deduper = deduper
        return self._deduper

    def _pool_for(self, n_items: int) -> Executor | None:
        if self.workers <= 1 or n_items < PARALLEL_MIN_BATCH:
            return None
        if self._pool is None:
            ctx = multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None
            self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=ctx)
        return self._pool

    def _map_async(self, fn: Callable[[T], R], items: Sequence[T]) -> Iterable[R]:
        """Start ``fn`` over ``items``: in worker processes for big batches when there are several cores (the
        per-article stages are pure functions of one article), else in-process. Results come in order."""
        pool = self._pool_for(len(items))
        if pool is None:
            return [fn(x) for x in items]
        return pool.map(fn, items, chunksize=max(1, len(items) // (self.workers * 4)))

    def _map(self, fn: Callable[[T], R], items: Sequence[T]) -> list[R]:
        return list(self._map_async(fn, items))

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def run(
        self,
        articles: Iterable[Article | IngestProblem],
        *,
        on_problem: Callable[[IngestProblem], None] | None = None,
        on_progress: Callable[[int], None] | None = None,
    ) -> IngestReport:
        """Ingest a stream, batch by batch: the per-article work of a batch in the workers, then its serial
        stages (dedup, store, clustering, who-said-what) here. (Overlapping the two measured slower on two cores:
        the pool's feeder thread then competes with the serial stages for the GIL.)"""
        report = IngestReport()
        started = time.perf_counter()

        def problem(p: IngestProblem) -> None:
            report.problems.append(p)
            if on_problem:
                on_problem(p)

        def start(raw: list[Article]) -> tuple[int, Iterable[tuple[Article | IngestProblem, Any]]]:
            # records that carry an id already stored are known without cleaning them: a cheap re-ingest
            present = self.store.existing_ids(a.id for a in raw if a.id)
            todo = [a for a in raw if not (a.id and a.id in present)]
            skipped = len(raw) - len(todo)
            report.read += skipped
            report.already_stored += skipped
            return len(raw), self._map_async(_analyse, todo)

        def finish(pending: tuple[int, Iterable[tuple[Article | IngestProblem, Any]]]) -> None:
            size, results = pending
            batch: list[Article] = []
            names: dict[str, Any] = {}
            for item, item_names in results:
                if isinstance(item, IngestProblem):
                    problem(item)
                else:
                    batch.append(item)
                    if item_names is not None:
                        names[item.id] = item_names
            if batch:
                self._flush(batch, report, names)
            if on_progress:
                on_progress(size)

        raw: list[Article] = []
        try:
            for item in articles:
                if isinstance(item, IngestProblem):
                    problem(item)
                    continue
                raw.append(item)
                if len(raw) >= self.batch_size:
                    finish(start(raw))
                    raw = []
            if raw:
                finish(start(raw))
        finally:
            self.close()
        if self._cluster is not None:
            with self.store.transaction():
                self._cluster.save()  # checkpoint the clusterer's state once per run
        report.seconds = time.perf_counter() - started
        return report

    def _flush(self, batch: list[Article], report: IngestReport, names: dict[str, Any] | None = None) -> None:
        report.read += len(batch)
        report.batches += 1
        # Known ids and repeats inside the batch are no-ops: re-ingest adds nothing.
        seen: set[str] = set()
        fresh: list[Article] = []
        present = self.store.existing_ids(a.id for a in batch)
        for a in batch:
            if a.id in present or a.id in seen:
                report.already_stored += 1
                continue
            seen.add(a.id)
            fresh.append(a)
        if not fresh:
            return
        known_hashes = self.store.ids_by_hash(a.content_hash for a in fresh if a.content_hash)
        signatures = self.deduper.process(fresh, known_hashes)
        with self.store.transaction():
            inserted = self.store.add_articles(fresh, signatures)
            relinked = self.deduper.take_relinked()
            if relinked:
                self.store.relink_duplicates(relinked)
            stored = [a for a in fresh if a.id in set(inserted)]
            self._post_store(stored, report, names or {})
        report.ingested += len(inserted)
        report.duplicates += sum(1 for a in stored if a.duplicate_of)

    def _post_store(self, stored: list[Article], report: IngestReport, names: dict[str, Any]) -> None:
        """Stages that need the batch stored, in order, inside the batch's transaction."""
        if not stored:
            return
        self._cluster_batch(stored, report)
        self._enrich(stored, report, names)  # keep last: disagreements are per event, so it runs after clustering

    def _cluster_batch(self, stored: list[Article], report: IngestReport) -> None:
        """Events and storylines: each stored article joins an event (wire copies their original's)."""
        if self._cluster is None:
            self._cluster = ClusterStage(self.store)
        update = self._cluster.process(stored)
        report.stats["event_merges"] = report.stats.get("event_merges", 0) + sum(
            1 for kind, _, _ in update.merges if kind == "event")

    def _enrich(self, stored: list[Article], report: IngestReport, names: dict[str, Any]) -> None:
        """Who said what: entities (reconciled with the stored ones), claims, then the disagreements of every
        event the batch touched. Wire copies are skipped (their claims are the original's). ``names``: the
        articles' names found by the workers; the others are found here."""
        fresh = [a for a in stored if not a.duplicate_of]
        missing = [a for a in fresh if a.id not in names]
        found = dict(zip((a.id for a in missing), self._map(extract_names, missing)))  # no DATE/NUMBER spans
        mentions = {a.id: names[a.id] if a.id in names else found[a.id] for a in fresh}  # in batch order
        if self._reconciler is None:
            self._reconciler = Reconciler(self.store.load_entities())
        touched = self._reconciler.add(mentions)
        self.store.save_entities(touched)
        lookup = alias_lookup(touched)
        claims = [c for a in fresh for c in extract_claims(a, mentions[a.id], lookup)]
        events = self.store.article_events([a.id for a in stored])
        self.store.save_claims(claims, events)
        for event_id in sorted({e for e in events.values() if e}):
            event_claims = self.store.event_claims(event_id)
            self.store.set_disagreements(event_id, find_disagreements(event_claims), event_claims)
        # an event merged into another in this batch keeps no disagreements of its own (the surviving event
        # holds the batch's article, so it was recomputed above)
        self.store.prune_disagreements()
        report.stats["claims"] = report.stats.get("claims", 0) + len(claims)


def ingest(
    inputs: list[str],
    store: Store,
    *,
    source: str | None = None,
    source_from_dir: bool = False,
    allow_private: bool = False,
    stdin: BinaryIO | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    workers: int | None = None,
    on_problem: Callable[[IngestProblem], None] | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> IngestReport:
    """Read every input, run the stages, store the result. Bad records are reported, never fatal.
    ``workers``: processes for the per-article stages (default: one per core, see ``default_workers``)."""
    items = read_inputs(inputs, source=source, source_from_dir=source_from_dir, allow_private=allow_private,
                        stdin=stdin)
    workers = default_workers() if workers is None else workers
    return Ingestor(store, batch_size=batch_size, workers=workers).run(
        items, on_problem=on_problem, on_progress=on_progress)


def ingest_articles(store: Store, articles: Iterable[Article], *, batch_size: int = DEFAULT_BATCH_SIZE,
                    workers: int = 1) -> IngestReport:
    """Ingest already-built Article objects (API uploads, benchmarks, tests). In-process by default: a
    server thread should not fork."""
    return Ingestor(store, batch_size=batch_size, workers=workers).run(articles)
