"""Incremental event clustering and storyline linking.

Each new article is compared with the centroids of events near it in time (at most ``window_days`` from first to
last report, with no pause longer than ``gap_days`` between them) (TF-IDF cosine over a hashed term
space whose document frequencies are kept as running counts, so the IDF used is always the current one) and
joins the best one above ``event_threshold``, else starts a new event. A bounded refinement then re-checks only
what the article touched: its event against the other events it nearly joined (merge above
``event_merge_threshold``, the older id survives and the merge is recorded), and the event's storyline against
nearby storylines. Storylines have no time limit: events are local in time, storylines are not. A new event
joins the storyline whose aggregate centroid (all its articles) is most similar to its first article, when that
is above ``story_centroid_threshold`` and the names agree; a thread is better represented by its aggregate than
by any few of its events. Storylines clearly about one name (their anchor) take no loosely similar event about
other names, and do not merge with storylines where that name is rare. Orphans get a second look: an event of one
or two reports that nothing joined is taken in, once it is closed, by the bigger event it now fits (that event
has grown since); a storyline that two weeks on is still one small event is adopted by the clearly most similar
established storyline around it (``orphan_articles``, ``orphan_days``).

Articles are processed strictly one at a time in the order given, so feeding the same articles in one batch or
in several gives the same partition and the same ids; the whole state round-trips through ``to_bytes``.
"""

from __future__ import annotations

import hashlib
import heapq
import io
import json
import zipfile
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields
from datetime import date
from typing import NamedTuple

import numpy as np

from ..model import Article, Event, Story
from .features import Hasher, article_day, article_lead, prominent_names, term_weights

STATE_FORMAT = "storyline.cluster"
STATE_VERSION = 6  # 2: one-pass features (names = words never written in lower case), names norms;
# 3: storylines count their articles' names (salient entities); 4: gap between an event's reports, storyline anchors;
# 5: orphan storylines (pending checks, weeks of activity, events' prominent names); 6: orphan events


class StateVersionError(ValueError):
    """The saved state was written by another version of the clusterer."""


@dataclass(frozen=True)
class ClusterParams:
    """Every knob of the clusterer. Defaults are general (not fitted per corpus); see docs in the bench."""

    hash_bits: int = 20  # hashed term space: 2**hash_bits columns
    max_chars: int = 6000  # text read per article: the event is in the top of a report (inverted pyramid)
    title_weight: float = 2.0  # extra count for each title term
    lead_chars: int = 400  # the lead (first characters of the body) states the event ...
    lead_weight: float = 1.0  # ... so its terms count this much extra
    phrase_weight: float = 1.0  # count of each capitalised multi-word phrase ("Betty Ford Center") ...
    phrase_chars: int = 0  # ... found in the title and this many leading characters (0: all ``max_chars``)
    name_weight: float = 0.0  # extra count for a capitalised word inside a sentence (a name)
    number_weight: float = 0.5  # extra count for a number (figures, years, tolls: specifics of one event)
    top_terms: int = 24  # terms per article indexed for candidate search
    max_candidates: int = 15  # events scored exactly per article
    max_postings: int = 32  # events remembered per indexed term (least recently used forgotten): keeps the
    # candidate search, and so each article's cost, bounded as the archive grows
    event_threshold: float = 0.20  # cosine(article, event centroid) to join an event
    event_merge_threshold: float = 0.45  # cosine(event, event) to merge two events
    event_name_conflict: bool = True  # an article does not join (and events do not merge with) an event
    # when each side is about a name the other never mentions (see ``features.prominent_names``): two look-alike
    # events of one topic share the topic's words but not their participants
    event_name_top: int = 1  # the article's most mentioned prominent names count (0: all of them)
    window_days: int = 7  # an event spans at most this many days (from its first to its last report)
    header_window_days: int = 60  # the same when the article's day comes from its header, not a pub date
    gap_days: int = 3  # an event's reports come at most this many days apart: a report more than this after the
    # event's last day (or before its first) starts a new event, even within ``window_days`` (a development a week
    # after an attack is news of its own: "talks open" is not "shelling of the town")
    header_gap_days: int = 60  # the same when the article's day comes from its header, not a pub date
    story_merge_threshold: float = 0.50  # cosine(storyline, storyline) to merge two storylines
    event_name_threshold: float = 0.0  # cosine over names only, needed too when both sides have names
    story_name_threshold: float = 0.15  # stories are about the same people/places: the gate that
    # keeps neighbouring threads (Egypt, Libya, Syria in 2011) apart
    story_centroid_threshold: float = 0.14  # cosine(new event's first article, a storyline's aggregate
    # centroid: all its articles) to join that storyline
    story_attach_threshold: float = 0.06  # a new event below ``story_centroid_threshold`` still joins the most
    # similar storyline at this cosine, when that storyline is ``story_attach_margin`` times more similar than
    # the runner-up; such a loosely attached event does not move the storyline's centroid (no drift)
    story_attach_margin: float = 1.5
    story_entity_min_docs: int = 2  # a storyline's salient entities: names in at least ``story_entity_share`` of
    story_entity_share: float = 0.5  # its (core) articles, once it has ``story_entity_min_docs`` of them, and
    story_entity_lift: float = 3.0  # at least this many times more frequent there than in the whole corpus
    story_entity_merge_cos: float = 0.1  # two storylines merge at this cosine (below ``story_merge_threshold``)
    story_entity_overlap: float = 0.5  # when this share of the salient entities (idf-weighted, of the storyline
    # with fewer) are salient in both; checked when a storyline's core doubles (0: off)
    story_anchor_min_docs: int = 8  # the name checks below apply to storylines of this many core articles or more
    story_attach_names: int = 2  # a loose attachment (``story_attach_threshold``) needs one of the article's top
    story_attach_share: float = 0.2  # this many prominent names held by this share of the storyline's core articles
    story_anchor_strong: float = 0.7  # a storyline's anchor (its most held name, idf-weighted) held by this share of
    story_anchor_share: float = 0.4  # its core articles is strong: the storyline is clearly about it, and merges
    # (by centroid similarity or through an event merge) only with storylines where it is held by this share
    orphan_articles: int = 2  # an event of this many reports or fewer that nothing joined is an orphan once it is
    # closed (``gap_days`` + 1 days after its last report; for an event without publication dates, ``orphan_reports``
    # reports later): the bigger event it now fits best (``event_threshold``, ``orphan_margin`` times the runner-up,
    # its days within ``gap_days`` of that event's, no names conflict) takes it in, as a merge (0: off). One report
    # that nothing joined is rarely news of its own: an outlet's late angle on the event it resembles most
    orphan_reports: int = 50
    orphan_margin: float = 1.5
    orphan_days: int = 14  # likewise a storyline still one event of ``orphan_articles`` reports or fewer this many
    orphan_cos: float = 0.1  # days after its first report: the storyline most similar to it (cosine at least
    orphan_min_docs: int = 4  # ``orphan_cos``, ``orphan_margin`` times the runner-up), among those of
    orphan_span: int = 30  # ``orphan_min_docs`` core reports or more active within ``orphan_span`` days of it that
    # usually name what it is about, adopts it: a lone report that fitted no thread when it came usually belongs to
    # the one it resembles most once that has grown
    loose_max_articles: int = 3  # a loosely attached event that grows to this size opens its own storyline
    story_merge_on_event_merge: bool = True  # two events merging merge their storylines (else the older
    # event's storyline takes the merged event and the other storyline keeps the rest)
    story_name_relative: bool = True  # names also agree when shared and no rival candidate storyline shares more
    story_candidates: int = 20  # storylines scored per new event (those of its candidate events)
    story_check_candidates: int = 3  # storylines re-checked for a merge per touched storyline
    max_event_terms: int = 1500  # centroid pruning (largest weights kept)
    max_story_terms: int = 8000


# the parameters an article's feature vector depends on (see ``article_features``)
_FEATURE_PARAMS = ("hash_bits", "max_chars", "title_weight", "lead_chars", "lead_weight", "phrase_weight",
                   "phrase_chars", "name_weight", "number_weight", "event_name_conflict", "event_name_top",
                   "story_attach_names")


def feature_key(params: ClusterParams) -> tuple[object, ...]:
    """What an article's feature vector depends on besides the article: vectors made under the same key are
    interchangeable, whichever process made them."""
    return (STATE_VERSION, *(getattr(params, name) for name in _FEATURE_PARAMS))


class ArticleFeatures(NamedTuple):
    """An article's hashed term vector (sorted columns, L2-normalised sublinear weights), made by
    ``article_features`` -- in a worker process, say -- and handed to ``Clusterer.partial_fit``."""

    key: tuple[object, ...]  # ``feature_key`` of the parameters it was made with
    idx: np.ndarray
    tf: np.ndarray
    prom: list[int]  # columns of the article's prominent names (see ``features.prominent_names``)
    pnames: list[int] = []  # names-part columns of its ``story_attach_names`` top prominent names


_hashers: dict[int, Hasher] = {}


def article_features(article: Article, params: ClusterParams | None = None) -> ArticleFeatures:
    """The feature vector ``Clusterer.partial_fit`` would compute for ``article``: a pure function of the article
    and the parameters (the term -> column cache is per process), so any process can make it."""
    params = params or ClusterParams()
    hasher = _hashers.get(params.hash_bits)
    if hasher is None:
        hasher = _hashers[params.hash_bits] = Hasher(params.hash_bits)
    return ArticleFeatures(feature_key(params), *_vector(article, params, hasher))


def _vector(article: Article, p: ClusterParams,
            hasher: Hasher) -> tuple[np.ndarray, np.ndarray, list[int], list[int]]:
    counts = term_weights(article, title_weight=p.title_weight, lead_chars=p.lead_chars, lead_weight=p.lead_weight,
                          phrase_weight=p.phrase_weight, name_weight=p.name_weight, number_weight=p.number_weight,
                          max_chars=p.max_chars, phrase_chars=p.phrase_chars)
    idx, tf = hasher.vector(counts)
    top = 0 if p.event_name_top == 0 else max(p.event_name_top, p.story_attach_names)
    names = prominent_names(article, counts, lead_chars=p.lead_chars, top=top) \
        if (p.event_name_conflict or p.story_attach_names) else []
    prom = [hasher(t) for t in (names[:p.event_name_top] if p.event_name_top else names)] \
        if p.event_name_conflict else []
    pnames = [hasher("\x02" + t) for t in names[:p.story_attach_names]]  # where storylines count them
    return idx, tf, prom, pnames


@dataclass
class ClusterUpdate:
    """What one ``partial_fit`` changed."""

    assignments: dict[str, tuple[str, str]] = field(default_factory=dict)  # article id -> (event id, story id)
    events: list[Event] = field(default_factory=list)  # created or changed; merged-away ones have merged_into
    stories: list[Story] = field(default_factory=list)  # created or changed (live ones)
    merges: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, old_id, new_id)


@dataclass
class _Cluster:
    id: str
    seq: int
    idx: np.ndarray
    val: np.ndarray
    n: int = 0  # articles (wire copies included)
    lo: int | None = None  # first and last day (ordinals)
    hi: int | None = None
    article_ids: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    title: str | None = None
    title_score: float = -1.0
    story: str | None = None  # events only
    event_ids: list[str] = field(default_factory=list)  # stories only
    merged_into: str | None = None
    loose: bool = False  # events only: attached to its storyline without adding to the storyline's centroid
    norm_at: int = -1  # n_docs when ``norm`` and ``nnorm`` were computed (-1: stale)
    norm: float = 1.0  # ||idf * centroid||
    nnorm: float = 0.0  # the same over the names part (the upper half of the columns)
    nstart: int = 0  # where the names part starts in ``idx``
    nd: int = 0  # stories only: core articles whose names are counted in ``ndf``
    ndf: dict[int, int] = field(default_factory=dict)  # stories only: names column -> core articles holding it
    pnames: list[int] = field(default_factory=list)  # events only: names-part columns of the first report's top
    # prominent names (``ArticleFeatures.pnames``)
    anchor: int = -1  # stories only: names column of its anchor (see ``_set_anchor``), -1: none yet
    prom: dict[int, int] = field(default_factory=dict)  # events only: term column of a prominent name ->
    # members it is prominent in (``nd`` counts the members)


def _stable_id(prefix: str, key: str, taken: dict[str, _Cluster]) -> str:
    h = hashlib.sha1(key.encode("utf-8")).hexdigest()
    for length in (10, 16, 40):
        cid = f"{prefix}-{h[:length]}"
        if cid not in taken:
            return cid
    n = 2
    while f"{prefix}-{h}-{n}" in taken:
        n += 1
    return f"{prefix}-{h}-{n}"


def _sp_add(i1: np.ndarray, v1: np.ndarray, i2: np.ndarray, v2: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if len(i1) == 0:
        return i2.copy(), v2.copy()
    if len(i2) == 0:
        return i1, v1
    pos = np.searchsorted(i1, i2)
    inside = pos < len(i1)
    hit = np.zeros(len(i2), dtype=bool)
    hit[inside] = i1[pos[inside]] == i2[inside]
    v1 = v1.copy()
    v1[pos[hit]] += v2[hit]
    miss = ~hit
    if not miss.any():
        return i1, v1
    return np.insert(i1, pos[miss], i2[miss]), np.insert(v1, pos[miss], v2[miss])


def _has(idx: np.ndarray, col: int) -> bool:
    i = int(np.searchsorted(idx, col))
    return i < len(idx) and int(idx[i]) == col


def _prune(c: _Cluster, limit: int) -> None:
    """Keep the ``limit`` largest centroid weights once the centroid grows half as large again."""
    if len(c.idx) > limit + limit // 2:
        keep = np.sort(np.argsort(-c.val, kind="stable")[:limit])
        c.idx, c.val = c.idx[keep], c.val[keep]
        c.norm_at = -1


_SPARSE_LOOKUP = 16  # ``_dots`` looks the article's terms up in a centroid this many times longer than it
_HEADLINE_BONUS = 10.0  # added to a member's join score (a cosine, or -1/-2) when it has a headline of its own


def _name_table(st: _Cluster) -> tuple[np.ndarray, np.ndarray]:
    """A storyline's names table as arrays: (names columns, core articles holding each)."""
    n = len(st.ndf)
    return (np.fromiter(st.ndf.keys(), dtype=np.int64, count=n),
            np.fromiter(st.ndf.values(), dtype=np.float64, count=n))


def _story_title(st: _Cluster, events: list[_Cluster]) -> str | None:
    """A storyline's title: the headline of its most representative event. Among its events with at least half
    the reports of the biggest, the one whose terms are closest to the storyline's (cosine of the raw term
    centroids: it depends on the members alone, so it does not change with batching); the bigger, then the
    older, on a tie. The biggest event alone would title a war after whichever attack drew most reports."""
    titled = [e for e in events if e.title]
    if not titled:
        return None
    top = max(e.n for e in titled)
    candidates = [e for e in titled if 2 * e.n >= top]
    if len(candidates) == 1 or not len(st.idx):
        return max(candidates, key=lambda e: (e.n, -e.seq)).title
    st_norm = float(np.sqrt(st.val @ st.val)) or 1.0

    def closeness(e: _Cluster) -> float:
        _, i, j = np.intersect1d(e.idx, st.idx, assume_unique=True, return_indices=True)
        return round(float(e.val[i] @ st.val[j]) / ((float(np.sqrt(e.val @ e.val)) or 1.0) * st_norm), 9)

    return max(candidates, key=lambda e: (closeness(e), e.n, -e.seq)).title


def _iso(o: int | None) -> str | None:
    return date.fromordinal(o).isoformat() if o is not None else None


_META_FIELDS = tuple(f.name for f in fields(_Cluster) if f.name not in ("idx", "val"))  # what meta.json keeps


class Clusterer:
    """Incremental event clustering + storyline linking. Deterministic; state serialisable with ``to_bytes``."""

    def __init__(self, params: ClusterParams | None = None) -> None:
        self.params = params or ClusterParams()
        self._hasher = Hasher(self.params.hash_bits)
        self.df = np.zeros(1 << self.params.hash_bits, dtype=np.int32)
        self.n_docs = 0
        self.seq = 0
        self.events: dict[str, _Cluster] = {}
        self.stories: dict[str, _Cluster] = {}
        self.assign: dict[str, str] = {}  # article id -> event id when assigned (follow redirects)
        # column -> events (an ordered set) whose articles rank the term among their top terms
        self.event_post: dict[int, dict[str, None]] = {}
        self._touched_stories: dict[str, None] = {}
        self.orphan_q: list[tuple[int, int, str]] = []  # heap of (day its orphan check is due, seq, storyline)
        # heaps of (when its orphan check is due, seq, event): a day for events with publication dates, else the
        # number of reports processed by then
        self.event_orphans_by_day: list[tuple[int, int, str]] = []
        self.event_orphans_by_seq: list[tuple[int, int, str]] = []
        self.active_weeks: dict[int, dict[str, None]] = {}  # week (day ordinal // 7) -> storylines with core reports
        self._features: Mapping[str, ArticleFeatures] = {}  # precomputed vectors of the current batch
        self._gap = self.params.gap_days  # the current article's ``gap_days`` (pub date) or ``header_gap_days``
        self._is_pub = True  # whether the current article's day is its publication date
        self._pnames: list[int] = []  # the current article's ``ArticleFeatures.pnames``
        self._feature_key = feature_key(self.params)
        self._half = 1 << (self.params.hash_bits - 1)  # names and phrases live in columns from here on
        # scratch rows (dense, all zero between uses): a sparse vector scattered into one makes its dot product
        # with any centroid a single gather
        self._row = np.zeros(1 << self.params.hash_bits)
        self._no_article: tuple[np.ndarray, np.ndarray, int] = (np.zeros(0, dtype=np.int64), np.zeros(0), 0)
        self._article = self._no_article
        # storyline id -> (its ``nd``, the names columns held by ``story_entity_share`` of its core, their shares)
        self._held: dict[str, tuple[int, np.ndarray, np.ndarray]] = {}
        self._row2 = np.zeros(1 << self.params.hash_bits)

    # -- public API ------------------------------------------------------------------------------------
    def partial_fit(self, articles: list[Article],
                    features: Mapping[str, ArticleFeatures] | None = None) -> ClusterUpdate:
        """Assign each new article (in the order given) to an event and a storyline; return what changed.
        ``features``: article id -> its ``article_features`` made elsewhere (worker processes); used when made
        with this clusterer's feature parameters, else (or when missing) the vector is computed here. Either
        way the result is the same."""
        self._features = features or {}
        touched_events: dict[str, None] = {}
        touched_stories: dict[str, None] = {}
        self._touched_stories = touched_stories  # storylines changed by the way (an event moved out)
        merges: list[tuple[str, str, str]] = []
        batch_ids: list[str] = []
        try:
            for a in articles:
                if a.id in self.assign:
                    continue
                ev = self._add_article(a, merges)
                batch_ids.append(a.id)
                touched_events[ev] = None
        finally:
            self._features = {}
        update = ClusterUpdate(merges=merges)
        for kind, old, new in merges:
            (touched_events if kind == "event" else touched_stories)[old] = None
        for aid in batch_ids:
            e = self.event_of(aid)
            assert e is not None
            story = self.events[e].story
            assert story is not None
            update.assignments[aid] = (e, story)
        for eid in list(touched_events):
            live = self._resolve_event(eid)
            touched_events[live] = None
            touched_stories[self.events[live].story or ""] = None
        for eid in touched_events:
            update.events.append(self._event_model(eid))
        for sid in touched_stories:
            if sid and self.stories[sid].merged_into is None:
                update.stories.append(self._story_model(sid))
        return update

    def event_of(self, article_id: str) -> str | None:
        e = self.assign.get(article_id)
        return self._resolve_event(e) if e is not None else None

    def live_events(self) -> list[Event]:
        return [self._event_model(e) for e, c in self.events.items() if c.merged_into is None]

    def live_stories(self) -> list[Story]:
        return [self._story_model(s) for s, c in self.stories.items() if c.merged_into is None]

    # -- one article -----------------------------------------------------------------------------------
    def _idf(self, idx: np.ndarray) -> np.ndarray:
        return np.log((self.n_docs + 1.0) / (self.df[idx] + 1.0)) + 1.0

    def _refresh(self, c: _Cluster) -> None:
        """Cache ||idf * centroid|| (whole and names part) and where the names part starts; kept until the
        centroid is rebuilt or the corpus grows by 1/16th (additions update the norms in place)."""
        if c.norm_at < 0 or self.n_docs > c.norm_at + (c.norm_at >> 4):
            c.nstart = int(np.searchsorted(c.idx, self._half))
            x = c.val * self._idf(c.idx)
            c.norm = float(np.sqrt((x * x).sum())) or 1.0
            xn = x[c.nstart:]
            c.nnorm = float(np.sqrt((xn * xn).sum()))
            c.norm_at = self.n_docs

    def _dots(self, c: _Cluster) -> tuple[float, float]:
        """(article . centroid, names part of it) under the current idf, via the scratch row of the article; for
        a centroid many times longer than the article (a long storyline's: up to ``max_story_terms``), by
        looking the article's terms up in it instead (a gather over the whole centroid grew with the corpus)."""
        self._refresh(c)
        idx, wq, nstart = self._article
        if len(c.idx) <= _SPARSE_LOOKUP * len(idx):
            g = self._row[c.idx] * c.val  # (no BLAS dot: threaded BLAS stalls on a busy machine)
            return float(g.sum()), float(g[c.nstart:].sum())
        pos = np.searchsorted(c.idx, idx)
        pos[pos == len(c.idx)] = 0
        hit = c.idx[pos] == idx
        g = wq[hit] * c.val[pos[hit]]  # the shared terms, in column order (names last)
        return float(g.sum()), float(g[int(np.count_nonzero(hit[:nstart])):].sum())

    def _pair_dots(self, c1: _Cluster, c2: _Cluster) -> tuple[float, float]:
        """(c1 . c2, names part) with idf on both sides (centroid against centroid)."""
        self._refresh(c1)
        self._refresh(c2)
        if len(c1.idx) > len(c2.idx):
            c1, c2 = c2, c1
        i1 = self._idf(c1.idx)
        row = self._row2
        row[c1.idx] = c1.val * i1 * i1
        g = row[c2.idx] * c2.val
        row[c1.idx] = 0.0
        return float(g.sum()), float(g[c2.nstart:].sum())

    def _names_cos(self, c1: _Cluster, c2: _Cluster) -> float:
        self._refresh(c1)
        self._refresh(c2)
        if c1.nnorm == 0 or c2.nnorm == 0:
            return 1.0  # nothing to disagree on
        return self._pair_dots(c1, c2)[1] / (c1.nnorm * c2.nnorm)

    def _cos(self, c1: _Cluster, c2: _Cluster) -> float:
        d = self._pair_dots(c1, c2)[0]
        return d / (c1.norm * c2.norm)

    def _add_article(self, a: Article, merges: list[tuple[str, str, str]]) -> str:
        p = self.params
        day, is_pub = article_day(a)
        window = p.window_days if is_pub else p.header_window_days
        self._gap = p.gap_days if is_pub else p.header_gap_days
        self._is_pub = is_pub
        if p.orphan_articles:  # orphan checks due before this report: events, then storylines
            if day is not None:
                while self.event_orphans_by_day and self.event_orphans_by_day[0][0] < day:
                    due, q, eid = heapq.heappop(self.event_orphans_by_day)
                    ev = self.events[eid]
                    if ev.n <= p.orphan_articles and ev.merged_into is None and ev.hi is not None \
                            and ev.hi + p.gap_days + 1 > due:
                        heapq.heappush(self.event_orphans_by_day, (ev.hi + p.gap_days + 1, q, eid))  # grew since
                    else:
                        self._adopt_event(eid, p.gap_days, merges)
            while self.event_orphans_by_seq and self.event_orphans_by_seq[0][0] <= self.seq:
                self._adopt_event(heapq.heappop(self.event_orphans_by_seq)[2], p.header_gap_days, merges)
            if p.orphan_days and day is not None:
                while self.orphan_q and self.orphan_q[0][0] < day:
                    self._adopt(heapq.heappop(self.orphan_q)[2], merges)

        if a.duplicate_of:
            orig = self.event_of(a.duplicate_of)
            if orig is not None:  # a wire copy joins its original's event; it adds no new evidence
                c = self.events[orig]
                self.assign[a.id] = orig
                self._add_member(c, a, day, score=-2.0)
                self._add_member(self.stories[c.story or ""], a, day, score=-2.0, event=None)
                return orig

        self.seq += 1
        given = self._features.get(a.id)
        if given is not None and given.key == self._feature_key:
            idx, tf, prom, pnames = given.idx, given.tf, given.prom, given.pnames
        else:
            idx, tf, prom, pnames = _vector(a, p, self._hasher)
        self._pnames = pnames
        self.df[idx] += 1
        self.n_docs += 1
        idf = self._idf(idx)
        w = tf * idf
        wq = w * idf  # the article's side of a dot product against a centroid (the centroid's idf)
        anorm = float(np.sqrt((w * w).sum())) or 1.0
        nstart = int(np.searchsorted(idx, self._half))
        n_norm = float(np.sqrt((w[nstart:] ** 2).sum()))
        self._row[idx] = wq  # scratch row: a centroid's dot with the article is one gather
        self._article = (idx, wq, nstart)  # the same, sparse: for centroids far longer than the article
        try:
            return self._place(a, day, window, idx, tf, w, anorm, n_norm, merges, prom)
        finally:
            self._row[idx] = 0.0
            self._article = self._no_article

    def _place(self, a: Article, day: int | None, window: int, idx: np.ndarray, tf: np.ndarray, w: np.ndarray,
               anorm: float, n_norm: float, merges: list[tuple[str, str, str]], prom: list[int]) -> str:
        p = self.params
        top = idx[np.argsort(-w, kind="stable")[: p.top_terms]] if len(idx) else idx
        top_list = top.tolist()
        top_w = dict(zip(top_list, w[np.searchsorted(idx, top)].tolist()))

        # candidate events: share a top term; ranked by shared top-term weight
        cand: dict[str, float] = {}
        resolve = self._resolve_event
        events = self.events
        postings, get = self.event_post.get, cand.get  # (locals: this loop runs some 500 times per article)
        for col in top_list:
            post = postings(col)
            if post:
                wt = top_w[col]
                for eid in post:
                    if events[eid].merged_into is not None:
                        eid = resolve(eid)
                    cand[eid] = get(eid, 0.0) + wt

        def rank(kv: tuple[str, float]) -> tuple[float, int]:
            return -kv[1], events[kv[0]].seq

        # The events to score: those the article fits in time, in rank order (a total order, so sorting only
        # them gives their order in the whole ranking). The whole ranking, which storyline linking reads (over
        # any time), is sorted only when it is asked for: most candidates of a long collection are out of time.
        if day is None:
            in_time = sorted(cand.items(), key=rank)
        else:
            in_time = []
            for kv in cand.items():
                c = events[kv[0]]
                lo, hi = c.lo, c.hi
                # events are local in time: with the article, the event may span at most ``window`` days
                if lo is None or hi is None or (max(hi, day) - min(lo, day) <= window
                                                and day - hi <= self._gap and lo - day <= self._gap):
                    in_time.append(kv)
            in_time.sort(key=rank)
        whole: list[tuple[str, float]] | None = None

        def ranked() -> list[tuple[str, float]]:
            nonlocal whole
            if whole is None:
                whole = in_time if len(in_time) == len(cand) else sorted(cand.items(), key=rank)
            return whole

        scored: list[tuple[float, str]] = []
        for eid, _ in in_time:
            c = events[eid]
            d, dn = self._dots(c)
            if p.event_name_threshold > 0 and n_norm and c.nnorm and dn / (n_norm * c.nnorm) < p.event_name_threshold:
                continue
            scored.append((d / (anorm * c.norm), eid))
            if len(scored) >= p.max_candidates:
                break
        scored.sort(key=lambda t: (-t[0], events[t[1]].seq))

        join = None
        for s, eid in scored:
            if s < p.event_threshold:
                break
            if not (prom or events[eid].prom) or not self._conflict(prom, idx, events[eid]):
                join = (s, eid)
                break
        if join is not None:
            eid = join[1]
            ev = events[eid]
            self._add_member(ev, a, day, score=join[0], vec=(idx, tf), anorm=anorm, n_norm=n_norm, prom=prom)
            new_event = False
        else:
            eid = _stable_id("ev", a.id, events)
            ev = _Cluster(id=eid, seq=self.seq, idx=np.zeros(0, dtype=np.int64), val=np.zeros(0),
                          pnames=list(self._pnames))
            events[eid] = ev
            self._add_member(ev, a, day, score=-1.0, vec=(idx, tf), anorm=anorm, n_norm=n_norm, prom=prom)
            new_event = True
            if p.orphan_articles:
                if self._is_pub:
                    heapq.heappush(self.event_orphans_by_day, (day + p.gap_days + 1, self.seq, eid))
                else:
                    heapq.heappush(self.event_orphans_by_seq, (self.seq + p.orphan_reports, self.seq, eid))
        self.assign[a.id] = eid
        for col in top_list:
            post = self.event_post.get(col)
            if post is None:
                post = self.event_post[col] = {}
            else:
                post.pop(eid, None)
            post[eid] = None  # most recently used last
            if len(post) > p.max_postings:  # bounded: the least recently used event leaves this term's list
                del post[next(iter(post))]

        if new_event:
            sid, core = self._best_story(ranked(), anorm, n_norm)
            ev.loose = not core
            if sid is None:
                sid = _stable_id("st", a.id, self.stories)
                self.stories[sid] = _Cluster(id=sid, seq=self.seq, idx=np.zeros(0, dtype=np.int64),
                                             val=np.zeros(0))
                if p.orphan_days and day is not None:
                    heapq.heappush(self.orphan_q, (day + p.orphan_days, self.seq, sid))
            ev.story = sid
            self.stories[sid].event_ids.append(eid)
        st = self.stories[ev.story or ""]
        self._add_member(st, a, day, score=-1.0, vec=None if ev.loose else (idx, tf), event=None, anorm=anorm,
                         n_norm=n_norm)
        if ev.loose and ev.n >= p.loose_max_articles:  # it has become a thread of its own
            self._detach(ev)
        elif (p.story_entity_merge_cos > 0 and not ev.loose and st.nd >= p.story_entity_min_docs
              and (st.nd & (st.nd - 1)) == 0):  # the storyline's core doubled: consolidate on shared entities
            self._check_story_entities(st, ranked(), merges)

        # bounded refinement: the article's event against the events it nearly joined
        if not new_event:
            for s, other in scored[1: 1 + p.story_check_candidates]:
                other = self._resolve_event(other)
                cur = self._resolve_event(eid)
                if other == cur or s < p.event_threshold * 0.5:
                    continue
                c1, c2 = events[cur], events[other]
                if not self._spans_ok(c1, c2, window):
                    continue
                if self._cos(c1, c2) >= p.event_merge_threshold and not (
                        c1.prom and c2.prom and self._conflict(self._core_names(c1), c1.idx, c2)):
                    self._merge_events(c1, c2, merges)
        eid = self._resolve_event(eid)
        ev = events[eid]
        if not new_event and (ev.n & (ev.n - 1)) == 0:  # the event doubled: re-check its storyline
            self._check_story(ev.story or "", ranked(), merges)
        return eid

    @staticmethod
    def _core_names(ev: _Cluster) -> list[int]:
        """The event's prominent names: prominent in at least half of its members."""
        return [col for col, k in ev.prom.items() if 2 * k >= ev.nd]

    def _conflict(self, prom: list[int], idx: np.ndarray, ev: _Cluster) -> bool:
        """Whether a report (or event) about names ``prom`` (term columns; ``idx`` holds every term it
        mentions) and event ``ev`` are about different participants: each is about a name the other never
        mentions. Sharing the topic's words is not enough to be one event."""
        if not prom or not ev.prom:
            return False
        if all(_has(ev.idx, col) for col in prom):
            return False
        return any(not _has(idx, col) for col in self._core_names(ev))

    def _adopt_event(self, eid: str, gap: int, merges: list[tuple[str, str, str]]) -> None:
        """Let the bigger event that orphan event ``eid`` now fits best take it in (see ``orphan_articles``).
        Candidates: the events in the postings of its top terms (the bounded search a new report makes)."""
        p = self.params
        ev = self.events[eid]
        if ev.merged_into is not None or ev.n > p.orphan_articles or not len(ev.idx):
            return
        w = ev.val * self._idf(ev.idx)
        seen: dict[str, None] = {}
        for col in ev.idx[np.argsort(-w, kind="stable")[: p.top_terms]].tolist():
            for oid in self.event_post.get(col, ()):
                seen[self._resolve_event(oid)] = None
        fits = [o for o in map(self.events.__getitem__, seen) if o.id != eid and o.n > ev.n and (
            ev.lo is None or o.lo is None or ev.hi is None or o.hi is None  # its days within ``gap`` of the other's
            or (o.lo - gap <= ev.lo and ev.hi <= o.hi + gap))]
        o = self._clear_best(ev, fits, p.event_threshold)
        if o is None:
            return
        if ev.prom and o.prom and self._conflict(self._core_names(ev), ev.idx, o):
            return
        self._merge_events(o, ev, merges)

    def _clear_best(self, orphan: _Cluster, candidates: list[_Cluster], threshold: float) -> _Cluster | None:
        """The candidate most similar to ``orphan`` (centroid cosine; the older one on ties) when that is at least
        ``threshold`` and ``orphan_margin`` times the runner-up's similarity, else None."""
        best: tuple[float, int, _Cluster] | None = None
        second = 0.0
        for o in candidates:
            c = self._cos(orphan, o)
            if best is None or (-c, o.seq) < (-best[0], best[1]):
                if best is not None:
                    second = max(second, best[0])
                best = (c, o.seq, o)
            else:
                second = max(second, c)
        if best is None or best[0] < threshold or best[0] < self.params.orphan_margin * second:
            return None
        return best[2]

    def _adopt(self, sid: str, merges: list[tuple[str, str, str]]) -> None:
        """Let the most similar established storyline adopt storyline ``sid`` if it is still an orphan (see
        ``orphan_days``). Candidates: the storylines with core reports in the weeks within ``orphan_span`` days of
        the orphan's (``active_weeks``), so the search stays bounded by what happened around it."""
        p = self.params
        st = self.stories[sid]
        if st.merged_into is not None or st.n > p.orphan_articles or st.lo is None \
                or st.hi is None or not len(st.idx):
            return
        seen: dict[str, None] = {}
        for week in range((st.lo - p.orphan_span) // 7, (st.hi + p.orphan_span) // 7 + 1):
            for oid in self.active_weeks.get(week, ()):
                seen[self._resolve_story(oid)] = None
        adopter = self._clear_best(st, [o for o in map(self.stories.__getitem__, seen)
                                        if o.id != sid and o.nd >= p.orphan_min_docs], p.orphan_cos)
        if adopter is None:
            return
        # and, as for a loose attachment, the adopter usually names what the orphan is about
        if not self._names_held(adopter, [c for eid in st.event_ids for c in self.events[eid].pnames]):
            return
        self._merge_stories(adopter, st, merges)
        self._touched_stories[self._resolve_story(adopter.id)] = None

    def _detach(self, ev: _Cluster) -> None:
        """Move a loosely attached event out of its storyline into a new one (its articles never entered the old
        storyline's centroid, so that stays as it was)."""
        old = self.stories[self._resolve_story(ev.story or "")]
        if ev.id in old.event_ids:
            old.event_ids.remove(ev.id)
        old.n -= ev.n
        sid = _stable_id("st", ev.article_ids[0], self.stories)
        st = _Cluster(id=sid, seq=ev.seq, idx=ev.idx.copy(), val=ev.val.copy(), n=ev.n, lo=ev.lo, hi=ev.hi,
                      event_ids=[ev.id])
        self.stories[sid] = st
        ev.story, ev.loose = sid, False
        self._touched_stories[old.id] = None

    def _story_candidates(self, ranked: list[tuple[str, float]], limit: int) -> list[str]:
        seen: dict[str, None] = {}
        for other, _ in ranked:
            seen[self._resolve_story(self.events[self._resolve_event(other)].story or "")] = None
            if len(seen) >= limit:
                break
        return list(seen)

    def _best_story(self, ranked: list[tuple[str, float]], anorm: float, n_norm: float) -> tuple[str | None, bool]:
        """The storyline whose aggregate centroid is most similar to the article, among the storylines of its
        candidate events at any time, if it reaches ``story_centroid_threshold`` and its names agree: names
        cosine at least ``story_name_threshold``, or (with ``story_name_relative``) some names shared and no
        rival candidate storyline sharing more; a lone candidate has no rival to lose to, so it must pass the
        threshold. Returns (storyline or None, whether the event is a core member: see ``story_attach_threshold``)."""
        p = self.params
        best: tuple[float, int, str, float | None] | None = None
        second = 0.0
        best_names, rivals = -1.0, 0
        for sid in self._story_candidates(ranked, p.story_candidates):
            st = self.stories[sid]
            d, dn = self._dots(st)
            ns = dn / (n_norm * st.nnorm) if n_norm and st.nnorm else None
            if ns is not None:
                best_names, rivals = max(best_names, ns), rivals + 1
            sc = d / (anorm * st.norm)
            if best is None or (-sc, st.seq) < (-best[0], best[1]):
                if best is not None:
                    second = max(second, best[0])
                best = (sc, st.seq, sid, ns)
            else:
                second = max(second, sc)
        if best is None:
            return None, True
        sc, _, sid, ns = best
        if ns is None or ns >= p.story_name_threshold or (
                p.story_name_relative and rivals > 1 and ns >= best_names and ns > 0):
            if sc >= p.story_centroid_threshold:
                return sid, True
            st = self.stories[sid]  # a loose attachment needs its names held, once the storyline is established
            if 0 < p.story_attach_threshold <= sc and sc >= p.story_attach_margin * second and (
                    st.nd < p.story_anchor_min_docs or self._names_held(st, self._pnames)):
                return sid, False
        return None, True

    def _names_held(self, st: _Cluster, names: list[int]) -> bool:
        """Whether the storyline usually names what a report is about: one of ``names`` (names columns of the
        report's top prominent names) is held by ``story_attach_share`` of its core articles (true when there are
        no names to check)."""
        need = self.params.story_attach_share * st.nd
        return not names or any(st.ndf.get(c, 0) >= need for c in names)

    def _set_anchor(self, st: _Cluster) -> None:
        """The storyline's anchor: the name its core articles hold most, weighted by idf (so "Libya" rather than
        "U.S."). Set when its core doubles and after a merge, so it depends only on the articles' order."""
        if not st.ndf:
            st.anchor = -1
            return
        cols, counts = _name_table(st)
        st.anchor = int(cols[int(np.argmax(counts * self._idf(cols)))])

    def _anchors_agree(self, s1: _Cluster, s2: _Cluster) -> bool:
        """Whether two storylines may merge as far as their anchors go: a storyline clearly about a name (its
        anchor, held by ``story_anchor_strong`` of its core articles) does not merge with one where that name is
        rare (under ``story_anchor_share``): Libya's war and Egypt's protests share their vocabulary and mention
        each other, yet are two threads. Storylines under ``story_anchor_min_docs`` core articles always agree."""
        p = self.params
        if s1.nd < p.story_anchor_min_docs or s2.nd < p.story_anchor_min_docs:
            return True
        for a, b in ((s1, s2), (s2, s1)):
            top = a.anchor
            if top >= 0 and a.ndf.get(top, 0) >= p.story_anchor_strong * a.nd \
                    and b.ndf.get(top, 0) < p.story_anchor_share * b.nd:
                return False
        return True

    def _spans_ok(self, c1: _Cluster, c2: _Cluster, window: int) -> bool:
        if c1.lo is None or c2.lo is None or c1.hi is None or c2.hi is None:
            return True
        return max(c1.hi, c2.hi) - min(c1.lo, c2.lo) <= window and \
            max(c1.lo, c2.lo) - min(c1.hi, c2.hi) <= self._gap

    def _add_member(self, c: _Cluster, a: Article, day: int | None, *, score: float,
                    vec: tuple[np.ndarray, np.ndarray] | None = None, event: bool | None = True,
                    anorm: float = 0.0, n_norm: float = 0.0, prom: list[int] | None = None) -> None:
        """Add one article (its vector when given: the scratch row must hold it) to an event or storyline."""
        c.n += 1
        if vec is not None and event and self.params.event_name_conflict:
            c.nd += 1
            for col in prom or ():
                c.prom[col] = c.prom.get(col, 0) + 1
        if vec is not None and event is None:  # a storyline's core article: count its names
            c.nd += 1
            ndf = c.ndf
            for col in vec[0][int(np.searchsorted(vec[0], self._half)):].tolist():
                ndf[col] = ndf.get(col, 0) + 1
            if c.nd >= self.params.story_anchor_min_docs and (c.nd & (c.nd - 1)) == 0:
                self._set_anchor(c)
            if day is not None:
                self.active_weeks.setdefault(day // 7, {})[c.id] = None
        if vec is not None:
            if len(c.idx) == 0:
                c.idx, c.val = vec[0].copy(), vec[1].copy()
                c.norm_at = -1
            else:
                if c.norm_at >= 0:  # ||c + x||^2 = ||c||^2 + 2 c.x + ||x||^2 under the idf the norm was taken with
                    d, dn = self._dots(c)
                    c.norm = float(np.sqrt(max(c.norm ** 2 + 2 * d + anorm ** 2, 0.0))) or 1.0
                    c.nnorm = float(np.sqrt(max(c.nnorm ** 2 + 2 * dn + n_norm ** 2, 0.0)))
                c.idx, c.val = _sp_add(c.idx, c.val, vec[0], vec[1])
                c.nstart = int(np.searchsorted(c.idx, self._half))
                _prune(c, self.params.max_event_terms if event else self.params.max_story_terms)
        if day is not None:
            c.lo = day if c.lo is None else min(c.lo, day)
            c.hi = day if c.hi is None else max(c.hi, day)
        if event:
            c.article_ids.append(a.id)
            if a.source and a.source not in c.sources:
                c.sources.append(a.source)
            # the representative headline: a member's own headline rather than a lead sentence, then the member
            # closest to the event when it joined (the first one to start it; wire copies last)
            headline = (a.title or "").strip()
            rank = score + _HEADLINE_BONUS if headline else score
            if c.title is None or rank > c.title_score:
                title = headline or article_lead(a)
                if title:
                    c.title, c.title_score = title, rank

    def _merge_events(self, c1: _Cluster, c2: _Cluster, merges: list[tuple[str, str, str]]) -> None:
        keep, gone = (c1, c2) if c1.seq < c2.seq else (c2, c1)
        keep.idx, keep.val = _sp_add(keep.idx, keep.val, gone.idx, gone.val)
        keep.norm_at = -1
        _prune(keep, self.params.max_event_terms)
        keep.n += gone.n
        keep.nd += gone.nd
        for col, k in gone.prom.items():
            keep.prom[col] = keep.prom.get(col, 0) + k
        gone.prom, gone.nd = {}, 0
        keep.article_ids.extend(gone.article_ids)
        keep.sources.extend(s for s in gone.sources if s not in keep.sources)
        if gone.lo is not None:
            keep.lo = gone.lo if keep.lo is None else min(keep.lo, gone.lo)
            keep.hi = gone.hi if keep.hi is None else max(keep.hi, gone.hi or gone.lo)
        if gone.title_score > keep.title_score and gone.title:
            keep.title, keep.title_score = gone.title, gone.title_score
        gone.merged_into = keep.id
        gone.idx, gone.val, gone.article_ids, gone.sources = (np.zeros(0, dtype=np.int64), np.zeros(0), [], [])
        merges.append(("event", gone.id, keep.id))
        s_keep = self.stories[self._resolve_story(keep.story or "")]
        s_gone = self.stories[self._resolve_story(gone.story or "")]
        if gone.id in s_gone.event_ids:
            s_gone.event_ids.remove(gone.id)
        # the two storylines merge too, unless their anchors disagree (then the merged event is the older
        # event's storyline's and the other storyline keeps the rest); a storyline left without events goes
        if s_keep.id != s_gone.id and (not s_gone.event_ids or (
                self.params.story_merge_on_event_merge and self._anchors_agree(s_keep, s_gone))):
            self._merge_stories(s_keep, s_gone, merges)

    def _merge_stories(self, s1: _Cluster, s2: _Cluster, merges: list[tuple[str, str, str]]) -> None:
        keep, gone = (s1, s2) if s1.seq < s2.seq else (s2, s1)
        keep.idx, keep.val = _sp_add(keep.idx, keep.val, gone.idx, gone.val)
        keep.norm_at = -1
        _prune(keep, self.params.max_story_terms)
        keep.n += gone.n
        keep.nd += gone.nd
        for col, k in gone.ndf.items():
            keep.ndf[col] = keep.ndf.get(col, 0) + k
        gone.ndf, gone.nd, gone.anchor = {}, 0, -1
        if keep.nd >= self.params.story_anchor_min_docs:
            self._set_anchor(keep)
        if gone.lo is not None:
            keep.lo = gone.lo if keep.lo is None else min(keep.lo, gone.lo)
            keep.hi = gone.hi if keep.hi is None else max(keep.hi, gone.hi or gone.lo)
        for eid in gone.event_ids:
            self.events[eid].story = keep.id
            keep.event_ids.append(eid)
        gone.event_ids = []
        gone.merged_into = keep.id
        gone.idx, gone.val = np.zeros(0, dtype=np.int64), np.zeros(0)
        merges.append(("story", gone.id, keep.id))

    def _check_story(self, sid: str, ranked: list[tuple[str, float]], merges: list[tuple[str, str, str]]) -> None:
        """Merge the storyline with the closest other storylines of the article's candidate events."""
        p = self.params
        sid = self._resolve_story(sid)
        checked = 0
        for other in self._story_candidates(ranked, p.story_candidates):
            cur = self._resolve_story(sid)
            other = self._resolve_story(other)
            if other == cur:
                continue
            checked += 1
            s1, s2 = self.stories[cur], self.stories[other]
            if self._cos(s1, s2) >= p.story_merge_threshold and self._names_cos(s1, s2) >= p.story_name_threshold \
                    and self._anchors_agree(s1, s2):
                self._merge_stories(s1, s2, merges)
            if checked >= p.story_check_candidates:
                break

    def _entities(self, st: _Cluster) -> dict[int, float]:
        """The storyline's salient entities with their idf: names held by at least ``story_entity_share`` of its
        core articles (once it has ``story_entity_min_docs``), at least ``story_entity_lift`` times as common there
        as in the whole corpus."""
        p = self.params
        if st.nd < p.story_entity_min_docs:
            return {}
        # vectorised over the storyline's whole name table (a long storyline holds thousands of names), once per
        # size of its core: the table changes only as core articles come in (``nd`` counts them)
        held = self._held.get(st.id)
        if held is None or held[0] != st.nd:
            cols, counts = _name_table(st)
            mask = counts >= p.story_entity_share * st.nd
            held = self._held[st.id] = (st.nd, cols[mask], counts[mask] / st.nd)
        _, cols, share = held
        if not len(cols):
            return {}
        keep = share * self.n_docs >= p.story_entity_lift * self.df[cols]
        cols = cols[keep]
        return dict(zip(cols.tolist(), self._idf(cols).tolist()))

    def _check_story_entities(self, st: _Cluster, ranked: list[tuple[str, float]],
                              merges: list[tuple[str, str, str]]) -> None:
        """Merge the storyline with a candidate storyline of the article's events that is similar enough
        (``story_entity_merge_cos``) and shares most salient entities (``story_entity_overlap``)."""
        p = self.params
        mine = self._entities(st)
        if not mine:
            return
        checked = 0
        for other in self._story_candidates(ranked, p.story_candidates):
            cur = self._resolve_story(st.id)
            other = self._resolve_story(other)
            if other == cur:
                continue
            checked += 1
            s1, s2 = self.stories[cur], self.stories[other]
            theirs = self._entities(s2)
            if theirs:
                shared = sum(v for c, v in mine.items() if c in theirs)
                least = min(sum(mine.values()), sum(theirs.values()))
                if shared >= p.story_entity_overlap * least and self._cos(s1, s2) >= p.story_entity_merge_cos:
                    self._merge_stories(s1, s2, merges)
                    mine = self._entities(self.stories[self._resolve_story(cur)])
            if checked >= p.story_check_candidates:
                break

    def _resolve_event(self, eid: str) -> str:
        c = self.events[eid]
        while c.merged_into is not None:
            c = self.events[c.merged_into]
        return c.id

    def _resolve_story(self, sid: str) -> str:
        c = self.stories[sid]
        while c.merged_into is not None:
            c = self.stories[c.merged_into]
        return c.id

    # -- model objects ---------------------------------------------------------------------------------
    def _event_model(self, eid: str) -> Event:
        c = self.events[eid]
        if c.merged_into is not None:
            live = self._resolve_event(eid)
            return Event(id=eid, story_id=self.events[live].story, merged_into=live)
        story = self._resolve_story(c.story or "")
        return Event(id=eid, story_id=story, title=c.title, start=_iso(c.lo), end=_iso(c.hi),
                     article_ids=list(c.article_ids), sources=list(c.sources))

    def _story_model(self, sid: str) -> Story:
        c = self.stories[sid]
        evs = [self.events[e] for e in c.event_ids]
        evs.sort(key=lambda e: (e.lo if e.lo is not None else 10**9, e.seq))
        return Story(id=sid, title=_story_title(c, evs), start=_iso(c.lo), end=_iso(c.hi),
                     event_ids=[e.id for e in evs])

    # -- serialisation ---------------------------------------------------------------------------------
    def to_bytes(self) -> bytes:
        """Versioned state: a zip holding ``meta.json`` (parameters, clusters, postings) and ``arrays.npz``."""
        arrays: dict[str, np.ndarray] = {"df": self.df}
        meta_clusters: dict[str, list[dict[str, object]]] = {"events": [], "stories": []}
        for kind, table in (("events", self.events), ("stories", self.stories)):
            idxs, vals, offsets = [], [], [0]
            for c in table.values():
                # (not ``asdict``: it deep-copies every field, the arrays left out here included)
                d = {k: getattr(c, k) for k in _META_FIELDS}
                meta_clusters[kind].append(d)
                idxs.append(c.idx)
                vals.append(c.val)
                offsets.append(offsets[-1] + len(c.idx))
            arrays[f"{kind}_idx"] = np.concatenate(idxs) if idxs else np.zeros(0, dtype=np.int64)
            arrays[f"{kind}_val"] = np.concatenate(vals) if vals else np.zeros(0)
            arrays[f"{kind}_off"] = np.asarray(offsets, dtype=np.int64)
        meta = {
            "format": STATE_FORMAT, "version": STATE_VERSION, "params": asdict(self.params),
            "n_docs": self.n_docs, "seq": self.seq, "assign": self.assign,
            "event_post": {str(k): list(v) for k, v in self.event_post.items()},
            "orphan_q": [list(x) for x in self.orphan_q],
            "event_orphans_by_day": [list(x) for x in self.event_orphans_by_day],
            "event_orphans_by_seq": [list(x) for x in self.event_orphans_by_seq],
            "active_weeks": {str(k): list(v) for k, v in self.active_weeks.items()},
            **meta_clusters,
        }
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as z:
            npz = io.BytesIO()
            np.savez(npz, **arrays)
            for name, payload in (("meta.json", json.dumps(meta, separators=(",", ":")).encode("utf-8")),
                                  ("arrays.npz", npz.getvalue())):
                info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))  # same state, same bytes
                info.compress_type = zipfile.ZIP_DEFLATED
                z.writestr(info, payload, compresslevel=1)
        return buf.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> Clusterer:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            meta = json.loads(z.read("meta.json"))
            if meta.get("format") != STATE_FORMAT:
                raise ValueError("not a storyline clusterer state")
            if meta.get("version") != STATE_VERSION:
                raise StateVersionError(f"unsupported clusterer state version {meta.get('version')}")
            arrays = np.load(io.BytesIO(z.read("arrays.npz")), allow_pickle=False)
            known = {f.name for f in fields(ClusterParams)}
            self = cls(ClusterParams(**{k: v for k, v in meta["params"].items() if k in known}))
            self.df = arrays["df"].astype(np.int32)
            self.n_docs, self.seq = int(meta["n_docs"]), int(meta["seq"])
            self.assign = dict(meta["assign"])
            self.event_post = {int(k): dict.fromkeys(v) for k, v in meta["event_post"].items()}
            self.orphan_q = [(int(d), int(q), str(i)) for d, q, i in meta["orphan_q"]]
            self.event_orphans_by_day = [(int(d), int(q), str(i)) for d, q, i in meta["event_orphans_by_day"]]
            self.event_orphans_by_seq = [(int(d), int(q), str(i)) for d, q, i in meta["event_orphans_by_seq"]]
            self.active_weeks = {int(k): dict.fromkeys(v) for k, v in meta["active_weeks"].items()}
            for kind, table in (("events", self.events), ("stories", self.stories)):
                idx, val, off = arrays[f"{kind}_idx"], arrays[f"{kind}_val"], arrays[f"{kind}_off"]
                for i, d in enumerate(meta[kind]):
                    d["ndf"] = {int(k): v for k, v in d.get("ndf", {}).items()}
                    d["prom"] = {int(k): v for k, v in d.get("prom", {}).items()}
                    c = _Cluster(idx=idx[off[i]:off[i + 1]].copy(), val=val[off[i]:off[i + 1]].copy(), **d)
                    table[c.id] = c
        return self
