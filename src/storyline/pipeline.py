"""The pipeline: the only module that knows the order of stages.

read -> clean -> identity -> (skip known ids) -> dedup -> leads -> store  ...then the post-store stages, all inside
the batch's transaction so an interrupted run leaves whole batches or nothing.
"""

from __future__ import annotations

import dataclasses
import functools
import gc
import multiprocessing
import os
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, BinaryIO, NamedTuple, TypeVar

from .clean import clean_article, has_words
from .cluster.clusterer import ArticleFeatures, article_features
from .cluster.features import lead_key, lead_sentences
from .cluster.stage import ClusterStage, cluster_store
from .dedup import DEFAULT_PARAMS as DEDUP_PARAMS
from .dedup import Deduper, signature_parts
from .enrich.claims import extract_claims
from .enrich.disagreements import find_disagreements
from .enrich.entities import Reconciler, alias_lookup, compact_mentions, extract_names
from .ingest import read_inputs
from .ingest.identity import assign_identity
from .model import Article, Claim, IngestProblem
from .store import Store

DEFAULT_BATCH_SIZE = 256
LEAD_SENTENCES = 6  # an article's first sentences counted across articles (furniture comes in blocks: a newsletter
# pitch, then its blurb, then a "taking a break" note; see ``Ingestor._choose_leads``)
LEAD_REPEAT = 3  # a first sentence this many articles have (wire copies aside) is page furniture, not a lead
# Below this many articles in a batch the per-article stages run in-process: a pool costs more than it saves.
PARALLEL_MIN_BATCH = 64

T = TypeVar("T")
R = TypeVar("R")


def default_workers() -> int:
    """Processes an ingest uses, the main one included: $STORYLINE_WORKERS, else one per core. With N > 1,
    N - 1 worker processes analyse a batch while the main process stores the previous one."""
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
    # wall seconds of this process per stage (see STAGES); "analyse" is the time spent waiting for (or, in
    # process, doing) the per-article work, "analyse_cpu" the seconds that work took summed over the workers
    stage_seconds: dict[str, float] = field(default_factory=dict)
    stage_cpu: dict[str, float] = field(default_factory=dict)  # CPU seconds of this process, same stages

    @contextmanager
    def timed(self, stage: str) -> Iterator[None]:
        t0, c0 = time.perf_counter(), time.process_time()
        try:
            yield
        finally:
            self.add_time(stage, time.perf_counter() - t0, time.process_time() - c0)

    def add_time(self, stage: str, seconds: float, cpu: float | None = None) -> None:
        self.stage_seconds[stage] = self.stage_seconds.get(stage, 0.0) + seconds
        if cpu is not None:
            self.stage_cpu[stage] = self.stage_cpu.get(stage, 0.0) + cpu

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
            "stage_seconds": {k: round(v, 3) for k, v in self.stage_seconds.items()},
            "stage_cpu": {k: round(v, 3) for k, v in self.stage_cpu.items()},
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
    where = article.origin or article.id or "<input>"
    try:
        prepared = prepare(article)
    except Exception as exc:  # a bug or a pathological record must not stop the batch
        return IngestProblem(where, f"could not be cleaned: {exc}")
    if not has_words(prepared.text):
        # page furniture only ("Advertisement", "Share this: Facebook Twitter", a page number): storing it would
        # make an empty article, and every other such record its wire copy
        before = " ".join((article.text or article.raw or "").split())
        return IngestProblem(where, f"no article text left after removing page furniture ({before[:60]!r})")
    return prepared


class Analysed(NamedTuple):
    """What the per-article worker task returns (every field but ``item`` is None when it could not be made)."""

    item: Article | IngestProblem
    names: Any  # the entity mentions (extract_names)
    claims: list[Claim] | None  # attributed statements, speaker entity ids deferred (see _SpeakerIdsLater)
    signature: Any  # (LeanMinHash, word count) for the deduper
    seconds: float  # how long the task took
    features: ArticleFeatures | None = None  # the clusterer's term vector (default parameters)


_LATER = "\x00"  # marks a speaker entity id to look up once the batch's entities are reconciled


class _SpeakerIdsLater(Mapping[tuple[str, str], str]):
    """Stands in for the alias lookup while a worker extracts an article's claims: the canonical entities are
    only known after the serial reconcile step, so every speaker looked up gets a placeholder naming its
    folded name, which ``_resolve_speakers`` replaces with ``lookup.get((article, name)) or
    lookup.get(("", name))`` -- what ``extract_claims`` does with a real lookup."""

    def __getitem__(self, key: tuple[str, str]) -> str:
        return _LATER + key[1]

    def get(self, key: tuple[str, str], default: Any = None) -> Any:  # type: ignore[override]
        return _LATER + key[1]

    def __contains__(self, key: object) -> bool:
        return True

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(())

    def __len__(self) -> int:
        return 1  # truthy: extract_claims consults it


def _resolve_speakers(claims: Iterable[Claim], lookup: Mapping[tuple[str, str], str]) -> None:
    """Replace the placeholders ``_SpeakerIdsLater`` left in ``speaker_entity_id`` (in place)."""
    for c in claims:
        ref = c.speaker_entity_id
        if ref and ref.startswith(_LATER):
            name = ref[1:]
            c.speaker_entity_id = lookup.get((c.article_id, name)) or lookup.get(("", name))


class _Columns(list):  # type: ignore[type-arg]
    """A list of same-class dataclass objects (an article's entity mentions) that pickles as one tuple per
    field: a worker's result then unpickles in the main process as a few hundred strings and ints instead of
    a few hundred objects with their attribute dicts (half the main process's cost of receiving it)."""

    def __reduce__(self) -> tuple[Any, ...]:
        cls = type(self[0]) if self else None
        names = _init_fields(cls) if cls is not None else None
        if names is None or any(type(x) is not cls for x in self):
            return list, (list(self),)
        return _from_columns, (cls, tuple(tuple(getattr(x, n) for x in self) for n in names))


@functools.lru_cache(maxsize=16)
def _init_fields(cls: type) -> tuple[str, ...] | None:
    """The field names of a dataclass whose __init__ takes exactly its fields, in order; else None."""
    if not dataclasses.is_dataclass(cls):
        return None
    fields = dataclasses.fields(cls)
    return tuple(f.name for f in fields) if all(f.init for f in fields) else None


def _from_columns(cls: type, columns: tuple[tuple[Any, ...], ...]) -> list[Any]:
    return [cls(*values) for values in zip(*columns)]


def _analyse(article: Article, dedup_params: tuple[int, int, int] | None = None, enrich: bool = True) -> Analysed:
    """Everything per-article and context-free, in one worker task: cleanup, identity, the MinHash signature,
    the clusterer's term vector and, with ``enrich``, the names and claims the who-said-what stage needs (used
    only if the article turns out new and not a copy). Pure: runs in any process."""
    t0 = time.perf_counter()
    prepared = _prepare_or_problem(article)
    if isinstance(prepared, IngestProblem):
        return Analysed(prepared, None, None, None, time.perf_counter() - t0)
    signature = None
    if dedup_params is not None:
        try:
            signature = signature_parts(prepared.text or "", *dedup_params)
        except Exception:  # the deduper signs it again in-process
            signature = None
    features = None
    try:
        features = article_features(prepared)
    except Exception:  # the clusterer computes it in-process
        features = None
    names = claims = None
    if not enrich:
        return Analysed(prepared, None, None, signature, time.perf_counter() - t0, features)
    try:
        names = extract_names(prepared)
    except Exception:  # the enrich stage retries in-process and reports there
        names = None
    if names is not None:
        try:
            claims = extract_claims(prepared, names, _SpeakerIdsLater())
        except Exception:  # likewise
            claims = None
    if names is not None:
        names = _Columns(compact_mentions(names))  # (the claims needed every mention; the entities need these)
    return Analysed(prepared, names, claims, signature, time.perf_counter() - t0, features)


def _worker_init(parent: int) -> None:
    """A worker ends with the process that started it: after a ``kill -9`` of an ingest its workers would
    otherwise wait on their task queue for ever (Linux: the parent-death signal; elsewhere nothing)."""
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # it died before the signal was armed
        os._exit(1)


class _WorkShare:
    """How many articles of a batch go to the worker processes; this process analyses the rest after it has
    stored the previous batch. With every article handed over, the workers' analysis (names and claims: the
    costly part) is the critical path and this process waits for it half the time; the split that balances
    the two, from the running per-article costs, gives each of the ``workers`` pool processes
    f * A / workers and this one (1 - f) * A + S (A: the batch's analysis seconds, S: the rest of this process's work on it):
    f = workers * (A + S) / (A * (workers + 1)). S is all this process does for a batch besides analysing
    (reading, handing over, taking the results back, the serial stages). The costs per article change along a
    run (the clusterer's and the entity index's state grow), so recent batches weigh more: each observation
    halves the weight of the earlier ones. Where the work is done changes nothing in the result."""

    DECAY = 0.5  # the weight left to what was observed before each new batch

    def __init__(self, workers: int) -> None:
        self.workers = max(1, workers)
        self.articles = 0.0  # (decayed) articles observed
        self.analysis = 0.0  # seconds of analysis (in whichever process) over ``articles``
        self.serial = 0.0  # this process's other seconds over ``articles``

    def handed(self, n: int) -> int:
        if self.articles == 0 or self.analysis <= 0:
            # nothing measured yet (the first batch, when this process has nothing stored to wait for): an
            # equal share for every process
            return round(n * self.workers / (self.workers + 1))
        a = self.analysis / self.articles
        s = self.serial / self.articles
        f = self.workers * (a + s) / (a * (self.workers + 1))
        return max(0, min(n, round(n * f)))

    def observe(self, n: int, analysis: float, serial: float) -> None:
        d = self.DECAY
        self.articles = self.articles * d + n
        self.analysis = self.analysis * d + analysis
        self.serial = self.serial * d + serial


class Ingestor:
    """Runs batches through the stages into one store. Holds the in-memory state of incremental stages
    (the near-duplicate index) for the duration of one ingest run."""

    def __init__(self, store: Store, *, batch_size: int = DEFAULT_BATCH_SIZE, workers: int = 1,
                 who_said_what: bool = True) -> None:
        self.store = store
        self.batch_size = batch_size
        # False: no entities, claims or disagreements are found for these articles (the ingest as it was
        # before that stage: what the benchmarks weigh its cost against)
        self.who_said_what = who_said_what
        # processes, this one included; >1: per-article stages in forked worker processes (not from threads)
        self.workers = max(1, workers)
        self._pool: Executor | None = None
        self._deduper: Deduper | None = None
        self._reconciler: Reconciler | None = None  # canonical entities so far (loaded once per run)
        self._cluster: ClusterStage | None = None  # event/storyline clusterer (state loaded once per run)
        self._frozen = False  # objects moved out of the cyclic collector's reach by ``_enrich`` (see there)
        self._rebuilt_seen = False  # the clusterer made every event afresh and their disagreements were redone

    @property
    def deduper(self) -> Deduper:
        if self._deduper is None:
            deduper = Deduper()
            for article_id, signature, duplicate_of in self.store.signatures():
                deduper.add_existing(article_id, signature, duplicate_of)
            self._deduper = deduper
        return self._deduper

    @property
    def pool_size(self) -> int:
        """Worker processes beside this one: the main process runs the serial stages of a batch while the
        workers analyse the next, so it counts as one of the ``workers`` (more processes than cores would
        only take CPU from the serial stages, the critical path)."""
        return max(1, self.workers - 1)

    def _pool_for(self, n_items: int) -> Executor | None:
        if self.workers <= 1 or n_items < PARALLEL_MIN_BATCH:
            return None
        if self._pool is None:
            ctx = multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None
            self._pool = ProcessPoolExecutor(max_workers=self.pool_size, mp_context=ctx, initializer=_worker_init,
                                             initargs=(os.getpid(),))
        return self._pool

    def _map(self, fn: Callable[[T], R], items: Sequence[T]) -> list[R]:
        """``fn`` over ``items``: in worker processes for big batches when there are several cores (the
        per-article stages are pure functions of one article), else in-process. Results come in order."""
        pool = self._pool_for(len(items))
        if pool is None:
            return [fn(x) for x in items]
        return list(pool.map(fn, items, chunksize=self._chunksize(len(items))))

    def _chunksize(self, n: int) -> int:
        return max(1, n // (self.pool_size * 4))

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
        stages (dedup, store, clustering, who-said-what) here. With worker processes the next batch is handed
        to them before this batch's serial stages run, so both go on at once."""
        report = IngestReport()
        started = time.perf_counter()
        analyse = functools.partial(_analyse, dedup_params=DEDUP_PARAMS, enrich=self.who_said_what)
        # in-process the names and claims wait for the enrich stage, which reads only the new articles that are
        # no copies: worker processes find them ahead, while this process stores the batch before
        analyse_lean = functools.partial(_analyse, dedup_params=DEDUP_PARAMS, enrich=False)

        def problem(p: IngestProblem) -> None:
            report.problems.append(p)
            if on_problem:
                on_problem(p)

        share = _WorkShare(self.pool_size)
        cycle_start = time.process_time()

        def start(raw: list[Article]) -> tuple[int, Iterable[Analysed], list[Article] | None]:
            # records that carry an id already stored are known without cleaning them: a cheap re-ingest
            with report.timed("skip_known"):
                present = self.store.existing_ids(a.id for a in raw if a.id)
            todo = [a for a in raw if not (a.id and a.id in present)]
            skipped = len(raw) - len(todo)
            report.read += skipped
            report.already_stored += skipped
            with report.timed("analyse"):  # in-process: the work itself; with workers: only handing it over
                pool = self._pool_for(len(todo))
                if pool is None:
                    return len(raw), [analyse_lean(a) for a in todo], None  # all done here, nothing to share
                # the workers' share; this process analyses the rest once it has stored the previous batch
                k = share.handed(len(todo))
                handed = pool.map(analyse, todo[:k], chunksize=self._chunksize(k)) if k else []
                return len(raw), handed, todo[k:]

        def finish(pending: tuple[int, Iterable[Analysed], list[Article] | None]) -> None:
            nonlocal cycle_start
            size, handed, own = pending
            batch: list[Article] = []
            done: dict[str, Analysed] = {}
            with report.timed("analyse"):  # with workers: this process's share, then the wait for theirs
                mine = [analyse(a) for a in own or ()]
                results = [*handed, *mine]  # the batch's order
                for result in results:
                    report.add_time("analyse_cpu", result.seconds)
                    if isinstance(result.item, IngestProblem):
                        problem(result.item)
                    else:
                        batch.append(result.item)
                        done[result.item.id] = result
            if batch:
                self._flush(batch, report, done)
            # this process's CPU since the last batch was finished: its own share of the analysis and the rest
            # (the reading and handing over of the next batch, taking back the results, the serial stages)
            now = time.process_time()
            cycle, cycle_start = now - cycle_start, now
            if own is not None and results:  # a shared batch: what its analysis and the rest cost
                share.observe(len(results), sum(r.seconds for r in results),
                              max(0.0, cycle - sum(r.seconds for r in mine)))
            if on_progress:
                on_progress(size)

        def timed_read(items: Iterable[Article | IngestProblem]) -> Iterator[Article | IngestProblem]:
            it = iter(items)
            while True:
                t0, c0 = time.perf_counter(), time.process_time()
                try:
                    item = next(it)
                except StopIteration:
                    return
                finally:
                    report.add_time("read", time.perf_counter() - t0, time.process_time() - c0)
                yield item

        raw: list[Article] = []
        pending: tuple[int, Iterable[Analysed]] | None = None
        try:
            for item in timed_read(articles):
                if isinstance(item, IngestProblem):
                    problem(item)
                    continue
                raw.append(item)
                if len(raw) >= self.batch_size:
                    # hand this batch to the workers, then store the previous one while they work
                    ahead = start(raw)
                    raw = []
                    if pending is not None:
                        finish(pending)
                    pending = ahead
            if raw:
                ahead = start(raw)
                if pending is not None:
                    finish(pending)
                pending = ahead
            if pending is not None:
                finish(pending)
        finally:
            self.close()
            if self._frozen:
                gc.unfreeze()
                self._frozen = False
        if self._cluster is not None:
            with report.timed("cluster"), self.store.transaction():
                self._cluster.save()  # checkpoint the clusterer's state once per run
        report.seconds = time.perf_counter() - started
        return report

    def _flush(self, batch: list[Article], report: IngestReport, done: Mapping[str, Analysed] | None = None) -> None:
        report.read += len(batch)
        report.batches += 1
        done = done or {}
        # Known ids and repeats inside the batch are no-ops: re-ingest adds nothing.
        seen: set[str] = set()
        fresh: list[Article] = []
        with report.timed("store"):
            present = self.store.existing_ids(a.id for a in batch)
        for a in batch:
            if a.id in present or a.id in seen:
                report.already_stored += 1
                continue
            seen.add(a.id)
            fresh.append(a)
        if not fresh:
            return
        with report.timed("dedup"):
            known_hashes = self.store.ids_by_hash(a.content_hash for a in fresh if a.content_hash)
            deduper = self.deduper
            parts = {i: r.signature for i, r in done.items() if r.signature is not None}
            if deduper.params != DEDUP_PARAMS:  # signed with other parameters than this deduper's
                parts = {}
            signatures = deduper.process(fresh, known_hashes, parts)
        with self.store.transaction():
            with report.timed("leads"):
                self._choose_leads(fresh)
            with report.timed("store"):
                inserted = self.store.add_articles(fresh, signatures)
                relinked = self.deduper.take_relinked()
                if relinked:
                    self.store.relink_duplicates(relinked)
            stored = [a for a in fresh if a.id in set(inserted)]
            self._post_store(stored, report, done)
            t0, c0 = time.perf_counter(), time.process_time()
        report.add_time("store", time.perf_counter() - t0, time.process_time() - c0)  # the commit
        report.ingested += len(inserted)
        report.duplicates += sum(1 for a in stored if a.duplicate_of)

    def _choose_leads(self, fresh: list[Article]) -> None:
        """Count the first sentences of the batch's articles (wire copies aside) with those of every article
        stored before, and name an untitled article whose first sentence opens ``LEAD_REPEAT`` articles or more
        -- page furniture ("Get the briefing delivered to your inbox", a sidebar's headline) -- by the first of
        its next sentences that does not, else by the one fewest articles have (``meta["lead"]``; see
        ``cluster.features.article_lead``). An article stored before its first sentence turned out to be
        furniture keeps the name it had."""
        heads: list[tuple[Article, list[str], list[int]]] = []
        batch: dict[int, int] = {}
        for a in fresh:
            if a.duplicate_of:
                continue
            leads = lead_sentences(a.text, LEAD_SENTENCES)
            keys = [lead_key(s) for s in leads]
            heads.append((a, leads, keys))
            for k in set(keys) - {0}:
                batch[k] = batch.get(k, 0) + 1
        totals = self.store.add_lead_counts(batch)
        for a, leads, keys in heads:
            if a.title or not keys or totals.get(keys[0], 0) < LEAD_REPEAT:
                continue
            # the first sentence that opens fewer articles; failing that (a page of furniture), the rarest; never
            # a piece without words ("* * *")
            best = min(range(len(keys)), key=lambda i: (not keys[i], max(totals.get(keys[i], 0), LEAD_REPEAT - 1), i))
            if best and keys[best]:
                a.meta = {**a.meta, "lead": leads[best]}

    def _post_store(self, stored: list[Article], report: IngestReport, done: Mapping[str, Analysed]) -> None:
        """Stages that need the batch stored, in order, inside the batch's transaction."""
        if not stored:
            return
        with report.timed("cluster"):
            merged = self._cluster_batch(stored, report,
                                         {i: r.features for i, r in done.items() if r.features is not None})
        if not self.who_said_what:
            return
        with report.timed("enrich"):
            # keep last: disagreements are per event, so it runs after clustering
            self._enrich(stored, report, {i: r.names for i, r in done.items() if r.names is not None},
                         {i: r.claims for i, r in done.items() if r.claims is not None}, merged)

    def _cluster_batch(self, stored: list[Article], report: IngestReport,
                       features: Mapping[str, ArticleFeatures] | None = None) -> set[str]:
        """Events and storylines: each stored article joins an event (wire copies their original's).
        ``features``: the term vectors the workers made (the clusterer ignores any made with other parameters).
        Returns the events that took in another event (a merge, or an orphan taken in) in this batch."""
        if self._cluster is None:
            self._cluster = ClusterStage(self.store)
        update = self._cluster.process(stored, features)
        report.stats["event_merges"] = report.stats.get("event_merges", 0) + sum(
            1 for kind, _, _ in update.merges if kind == "event")
        gone = {old for kind, old, _ in update.merges if kind == "event"}
        merged = {e.merged_into or "" for e in update.events if e.id in gone} - {""}
        if self._cluster.rebuilt and not self._rebuilt_seen:  # every event is new: weigh all their claims again
            self._rebuilt_seen = True
            merged.update(self.store.events_with_claims())
        return merged

    def _enrich(self, stored: list[Article], report: IngestReport, names: dict[str, Any],
                found_claims: Mapping[str, list[Claim]] | None = None, merged: set[str] | None = None) -> None:
        """Who said what: entities (reconciled with the stored ones), claims, then the disagreements of every
        event the batch touched. Wire copies are skipped (their claims are the original's). ``names``: the
        articles' names found by the workers; the others are found here. ``found_claims``: the claims the
        workers extracted from those names, their speakers' entity ids still to be looked up. ``merged``: events
        that took in another event in this batch (their disagreements are found again too)."""
        fresh = [a for a in stored if not a.duplicate_of]
        missing = [a for a in fresh if a.id not in names]
        found = dict(zip((a.id for a in missing), self._map(extract_names, missing)))  # no DATE/NUMBER spans
        # (the workers' names come compacted: one per distinct name of an article, with its count)
        compact = {a.id: names[a.id] if a.id in names else compact_mentions(found[a.id]) for a in fresh}
        self._freeze()  # the batch's mentions live until its end
        if self._reconciler is None:
            self._reconciler = Reconciler(*self.store.load_entity_index())
        touched = self._reconciler.add(compact)  # in batch order
        self.store.save_entities(touched)
        self.store.merge_entities(self._reconciler.merges)  # (after: an entity kept may be new in this batch)
        lookup = alias_lookup(touched)
        found_claims = found_claims or {}
        claims: list[Claim] = []
        for a in fresh:
            if a.id in names and a.id in found_claims:  # extracted from the same names by the worker
                mine = found_claims[a.id]
                _resolve_speakers(mine, lookup)
            else:
                # (from every mention: a worker's names are compacted, so they are found again here)
                mine = extract_claims(a, found[a.id] if a.id in found else extract_names(a), lookup)
            claims.extend(mine)
        events = self.store.article_events([a.id for a in stored])
        self.store.save_claims(claims, events)
        # an event merged into another in this batch keeps no disagreements of its own (the surviving event is
        # found again here: it holds a batch article, or it is one of ``merged``)
        refresh_disagreements(self.store, {e for e in events.values() if e} | (merged or set()))
        report.stats["claims"] = report.stats.get("claims", 0) + len(claims)
        self._freeze()  # the entity index grew

    def _freeze(self) -> None:
        """Move every object that exists now out of the cyclic garbage collector's reach until the run ends
        (``run`` puts them back). The entity index grows by some ten objects per article and lives for the
        whole run, a batch's mentions for the whole batch: every full pass of the collector walked them all (a
        sixth of the enrichment's CPU time on Timeline17). What dies meanwhile is freed by reference counting
        as before (the who-said-what objects hold no reference cycles)."""
        gc.freeze()
        self._frozen = True


def refresh_disagreements(store: Store, event_ids: Iterable[str] | None = None) -> int:
    """Find the disagreements of the given events (default: every event with claims) again from their stored
    claims, and drop those of events that no longer have articles. Returns how many events were looked at."""
    ids = sorted(set(event_ids) if event_ids is not None else store.events_with_claims())
    for event_id in ids:
        event_claims = store.event_claims(event_id)
        dates = store.event_article_dates(event_id)
        store.set_disagreements(event_id, find_disagreements(event_claims, dates), event_claims)
    store.prune_disagreements()
    return len(ids)


def cluster(store: Store, *, rebuild: bool = False) -> dict[str, Any]:
    """Cluster the stored articles not clustered yet (all of them with ``rebuild``); when the events were made
    afresh, their disagreements are found again (they are per event)."""
    result = cluster_store(store, rebuild=rebuild)
    if result["rebuilt"]:
        with store.transaction():
            refresh_disagreements(store)
    return result


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
    ``workers``: processes to use, this one included (default: one per core, see ``default_workers``)."""
    items = read_inputs(inputs, source=source, source_from_dir=source_from_dir, allow_private=allow_private,
                        stdin=stdin)
    workers = default_workers() if workers is None else workers
    return Ingestor(store, batch_size=batch_size, workers=workers).run(
        items, on_problem=on_problem, on_progress=on_progress)


def ingest_articles(store: Store, articles: Iterable[Article], *, batch_size: int = DEFAULT_BATCH_SIZE,
                    workers: int = 1, who_said_what: bool = True) -> IngestReport:
    """Ingest already-built Article objects (API uploads, benchmarks, tests). In-process by default: a
    server thread should not fork. ``who_said_what``: see ``Ingestor``."""
    return Ingestor(store, batch_size=batch_size, workers=workers, who_said_what=who_said_what).run(articles)
