"""Incremental event clustering and storyline linking.

Each new article is compared with the centroids of events near it in time (TF-IDF cosine over a hashed term
space whose document frequencies are kept as running counts, so the IDF used is always the current one) and
joins the best one above ``event_threshold``, else starts a new event. A bounded refinement then re-checks only
what the article touched: its event against the other events it nearly joined (merge above
``event_merge_threshold``, the older id survives and the merge is recorded), and the event's storyline against
nearby storylines. Storylines have no time limit: events are local in time, storylines are not. A new event
joins the storyline whose aggregate centroid (all its articles) is most similar to its first article, when that
is above ``story_centroid_threshold`` and the names agree; a thread is better represented by its aggregate than
by any few of its events.

Articles are processed strictly one at a time in the order given, so feeding the same articles in one batch or
in several gives the same partition and the same ids; the whole state round-trips through ``to_bytes``.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from datetime import date

import numpy as np

from ..model import Article, Event, Story
from .features import Hasher, article_day, lead_sentence, term_weights

STATE_FORMAT = "storyline.cluster"
STATE_VERSION = 1


@dataclass(frozen=True)
class ClusterParams:
    """Every knob of the clusterer. Defaults are general (not fitted per corpus); see docs in the bench."""

    hash_bits: int = 20  # hashed term space: 2**hash_bits columns
    max_chars: int = 6000  # text read per article: the event is in the top of a report (inverted pyramid)
    title_weight: float = 2.0  # extra count for each title term
    lead_chars: int = 400  # the lead (first characters of the body) states the event ...
    lead_weight: float = 1.0  # ... so its terms count this much extra
    phrase_weight: float = 1.0  # count of each capitalised multi-word phrase ("Betty Ford Center")
    name_weight: float = 0.0  # extra count for a capitalised word inside a sentence (a name)
    number_weight: float = 0.5  # extra count for a number (figures, years, tolls: specifics of one event)
    top_terms: int = 24  # terms per article indexed for candidate search
    max_candidates: int = 40  # events scored exactly per article
    max_postings: int = 128  # events remembered per indexed term (least recently used forgotten): keeps the
    # candidate search, and so each article's cost, bounded as the archive grows
    event_threshold: float = 0.20  # cosine(article, event centroid) to join an event
    event_merge_threshold: float = 0.45  # cosine(event, event) to merge two events
    window_days: int = 7  # an event spans at most this many days (from its first to its last report)
    header_window_days: int = 60  # the same when the article's day comes from its header, not a pub date
    story_threshold: float = 0.10  # cosine(article, earlier event at any time) for that event to vote
    story_merge_threshold: float = 0.50  # cosine(storyline, storyline) to merge two storylines
    event_name_threshold: float = 0.0  # cosine over names only, needed too when both sides have names
    story_name_threshold: float = 0.15  # stories are about the same people/places: the gate that
    # keeps neighbouring threads (Egypt, Libya, Syria in 2011) apart
    story_centroid_threshold: float = 0.14  # cosine(new event's first article, a storyline's aggregate
    # centroid: all its articles) to join that storyline; 0 falls back to a vote of the nearest events
    story_name_relative: bool = True  # names also agree when shared and no rival candidate storyline shares more
    story_candidates: int = 20  # storylines scored per new event (those of its candidate events)
    story_votes: int = 5  # earlier events whose storylines vote for a new event's storyline
    story_check_candidates: int = 3  # storylines re-checked for a merge per touched storyline
    max_event_terms: int = 4000  # centroid pruning (largest weights kept)
    max_story_terms: int = 8000


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
    norm_at: int = -1  # n_docs when ``norm`` was computed (-1: stale)
    norm: float = 1.0


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


def _sp_dot(i1: np.ndarray, w1: np.ndarray, i2: np.ndarray, w2: np.ndarray) -> float:
    """Dot product of two sparse vectors given as sorted unique columns + values (i1 the shorter)."""
    if len(i1) > len(i2):
        i1, w1, i2, w2 = i2, w2, i1, w1
    if len(i1) == 0 or len(i2) == 0:
        return 0.0
    pos = np.searchsorted(i2, i1)
    pos[pos == len(i2)] = 0
    hit = i2[pos] == i1
    return float(w1[hit] @ w2[pos[hit]])


def _prune(c: _Cluster, limit: int) -> None:
    """Keep the ``limit`` largest centroid weights once the centroid grows half as large again."""
    if len(c.idx) > limit + limit // 2:
        keep = np.sort(np.argsort(-c.val, kind="stable")[:limit])
        c.idx, c.val = c.idx[keep], c.val[keep]
        c.norm_at = -1


def _iso(o: int | None) -> str | None:
    return date.fromordinal(o).isoformat() if o is not None else None


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

    # -- public API ------------------------------------------------------------------------------------
    def partial_fit(self, articles: list[Article]) -> ClusterUpdate:
        """Assign each new article (in the order given) to an event and a storyline; return what changed."""
        touched_events: dict[str, None] = {}
        touched_stories: dict[str, None] = {}
        merges: list[tuple[str, str, str]] = []
        batch_ids: list[str] = []
        for a in articles:
            if a.id in self.assign:
                continue
            ev = self._add_article(a, merges)
            batch_ids.append(a.id)
            touched_events[ev] = None
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

    def _norm(self, c: _Cluster) -> float:
        """||idf * centroid||, cached until the centroid changes or the corpus grows by 1/16th."""
        if c.norm_at < 0 or self.n_docs > c.norm_at + (c.norm_at >> 4):
            c.norm = float(np.linalg.norm(c.val * self._idf(c.idx))) or 1.0
            c.norm_at = self.n_docs
        return c.norm

    def _names_cos(self, c1: _Cluster, c2: _Cluster) -> float:
        i1, v1, n1 = self._name_part(c1)
        i2, v2, n2 = self._name_part(c2)
        if n1 == 0 or n2 == 0:
            return 1.0  # nothing to disagree on
        f = self._idf(i1)
        return _sp_dot(i1, v1 * f * f, i2, v2) / (n1 * n2)

    def _name_part(self, c: _Cluster) -> tuple[np.ndarray, np.ndarray, float]:
        """The names/phrases part of a centroid (the upper half of the sorted columns) and its idf norm."""
        start = int(np.searchsorted(c.idx, 1 << (self.params.hash_bits - 1)))
        i, v = c.idx[start:], c.val[start:]
        return i, v, float(np.linalg.norm(v * self._idf(i))) if len(i) else 0.0

    def _time_ok(self, day: int | None, window: int, c: _Cluster) -> bool:
        """Events are local in time: with the article, the event may span at most ``window`` days."""
        if day is None or c.lo is None or c.hi is None:
            return True
        return max(c.hi, day) - min(c.lo, day) <= window

    def _add_article(self, a: Article, merges: list[tuple[str, str, str]]) -> str:
        p = self.params
        day, is_pub = article_day(a)
        window = p.window_days if is_pub else p.header_window_days

        if a.duplicate_of:
            orig = self.event_of(a.duplicate_of)
            if orig is not None:  # a wire copy joins its original's event; it adds no new evidence
                c = self.events[orig]
                self.assign[a.id] = orig
                self._add_member(c, a, day, score=-2.0)
                self._add_member(self.stories[c.story or ""], a, day, score=-2.0, event=None)
                return orig

        self.seq += 1
        counts = term_weights(a, title_weight=p.title_weight, lead_chars=p.lead_chars, lead_weight=p.lead_weight,
                              phrase_weight=p.phrase_weight, name_weight=p.name_weight,
                              number_weight=p.number_weight, max_chars=p.max_chars)
        idx, tf = self._hasher.vector(counts)
        self.df[idx] += 1
        self.n_docs += 1
        idf = self._idf(idx)
        w = tf * idf
        wq = w * idf  # the article's side of a cosine against idf-weighted centroids
        anorm = float(np.linalg.norm(w)) or 1.0
        nstart = int(np.searchsorted(idx, 1 << (p.hash_bits - 1)))
        n_idx, n_wq, n_norm = idx[nstart:], wq[nstart:], float(np.linalg.norm(w[nstart:]))

        def names_ok(c: _Cluster, threshold: float) -> bool:
            if threshold <= 0 or n_norm == 0:
                return True
            ci, cv, cn = self._name_part(c)
            return cn == 0 or _sp_dot(n_idx, n_wq, ci, cv) / (n_norm * cn) >= threshold

        def names_sim(c: _Cluster) -> float | None:
            if n_norm == 0:
                return None
            ci, cv, cn = self._name_part(c)
            return _sp_dot(n_idx, n_wq, ci, cv) / (n_norm * cn) if cn else None

        top = idx[np.argsort(-w, kind="stable")[: p.top_terms]] if len(idx) else idx

        # candidate events: share a top term, fit in time; ranked by shared top-term weight
        cand: dict[str, float] = {}
        wmap = dict(zip(idx.tolist(), w.tolist()))
        for col in top.tolist():
            for eid in self.event_post.get(col, ()):
                eid = self._resolve_event(eid)
                cand[eid] = cand.get(eid, 0.0) + wmap[col]
        ranked = sorted(cand.items(), key=lambda kv: (-kv[1], self.events[kv[0]].seq))
        scored: list[tuple[float, str]] = []
        for eid, _ in ranked:
            c = self.events[eid]
            if not self._time_ok(day, window, c) or not names_ok(c, p.event_name_threshold):
                continue
            s = _sp_dot(idx, wq, c.idx, c.val) / (anorm * self._norm(c))
            scored.append((s, eid))
            if len(scored) >= p.max_candidates:
                break
        scored.sort(key=lambda t: (-t[0], self.events[t[1]].seq))

        if scored and scored[0][0] >= p.event_threshold:
            eid = scored[0][1]
            ev = self.events[eid]
            self._add_member(ev, a, day, score=scored[0][0], vec=(idx, tf))
            _prune(ev, p.max_event_terms)
            new_event = False
        else:
            eid = _stable_id("ev", a.id, self.events)
            ev = _Cluster(id=eid, seq=self.seq, idx=idx.copy(), val=tf.copy())
            self.events[eid] = ev
            self._add_member(ev, a, day, score=-1.0)
            new_event = True
        self.assign[a.id] = eid
        for col in top.tolist():
            post = self.event_post.setdefault(col, {})
            post.pop(eid, None)
            post[eid] = None  # most recently used last
            if len(post) > p.max_postings:  # bounded: the least recently used event leaves this term's list
                del post[next(iter(post))]

        # storyline of a new event: a vote of the most similar earlier events, at any time (each counts with
        # its similarity; only events above ``story_threshold`` whose names agree vote)
        known = {e: sc for sc, e in scored}

        def all_time() -> list[tuple[float, str]]:
            out: list[tuple[float, str]] = []
            for other, _ in ranked[: p.max_candidates]:
                other = self._resolve_event(other)
                c = self.events[other]
                sc = known.get(other)
                if sc is None:
                    sc = _sp_dot(idx, wq, c.idx, c.val) / (anorm * self._norm(c))
                out.append((sc, other))
            out.sort(key=lambda t: (-t[0], self.events[t[1]].seq))
            return out

        if new_event and p.story_centroid_threshold > 0:
            sid = self._best_story(ranked, idx, wq, anorm, names_sim)
            if sid is None:
                sid = _stable_id("st", a.id, self.stories)
                self.stories[sid] = _Cluster(id=sid, seq=self.seq, idx=np.zeros(0, dtype=np.int64),
                                             val=np.zeros(0))
            ev.story = sid
            self.stories[sid].event_ids.append(eid)
        elif new_event:
            sims = all_time()
            votes: dict[str, float] = {}
            for sc, other in sims[: p.story_votes]:
                if sc >= p.story_threshold and names_ok(self.events[other], p.story_name_threshold):
                    sid = self._resolve_story(self.events[other].story or "")
                    votes[sid] = votes.get(sid, 0.0) + sc
            best: tuple[float, str] | None = None
            if votes:
                sid = min(votes, key=lambda k: (-votes[k], self.stories[k].seq))
                best = (votes[sid], sid)
            if best is not None and best[0] >= p.story_threshold:
                sid = best[1]
            else:
                sid = _stable_id("st", a.id, self.stories)
                self.stories[sid] = _Cluster(id=sid, seq=self.seq, idx=np.zeros(0, dtype=np.int64),
                                             val=np.zeros(0))
            ev.story = sid
            self.stories[sid].event_ids.append(eid)
        st = self.stories[ev.story or ""]
        self._add_member(st, a, day, score=-1.0, vec=(idx, tf), event=None)
        _prune(st, p.max_story_terms)

        # bounded refinement: the article's event against the events it nearly joined
        if not new_event:
            for s, other in scored[1: 1 + p.story_check_candidates]:
                other = self._resolve_event(other)
                cur = self._resolve_event(eid)
                if other == cur or s < p.event_threshold * 0.5:
                    continue
                c1, c2 = self.events[cur], self.events[other]
                if not self._spans_ok(c1, c2, window):
                    continue
                if self._cos(c1, c2) >= p.event_merge_threshold:
                    self._merge_events(c1, c2, merges)
        eid = self._resolve_event(eid)
        ev = self.events[eid]
        if not new_event and (ev.n & (ev.n - 1)) == 0:  # the event doubled: re-check its storyline
            self._check_story(ev.story or "", all_time(), merges)
        return eid

    def _best_story(self, ranked: list[tuple[str, float]], idx: np.ndarray, wq: np.ndarray, anorm: float,
                    names_sim: Callable[[_Cluster], float | None]) -> str | None:
        """The storyline whose aggregate centroid is most similar to the article, among the storylines of its
        candidate events at any time, if it reaches ``story_centroid_threshold`` and its names agree: names
        cosine at least ``story_name_threshold``, or (with ``story_name_relative``) some names shared and no
        rival candidate storyline sharing more; a lone candidate has no rival to lose to, so it must pass the
        threshold."""
        p = self.params
        seen: dict[str, None] = {}
        for other, _ in ranked:
            seen[self._resolve_story(self.events[self._resolve_event(other)].story or "")] = None
            if len(seen) >= p.story_candidates:
                break
        best: tuple[float, int, str, float | None] | None = None
        best_names, rivals = -1.0, 0
        for sid in seen:
            st = self.stories[sid]
            ns = names_sim(st)
            if ns is not None:
                best_names, rivals = max(best_names, ns), rivals + 1
            sc = _sp_dot(idx, wq, st.idx, st.val) / (anorm * self._norm(st))
            if sc >= p.story_centroid_threshold and (best is None or (-sc, st.seq) < (-best[0], best[1])):
                best = (sc, st.seq, sid, ns)
        if best is None:
            return None
        ns = best[3]
        if ns is None or ns >= p.story_name_threshold or (
                p.story_name_relative and rivals > 1 and ns >= best_names and ns > 0):
            return best[2]
        return None

    def _spans_ok(self, c1: _Cluster, c2: _Cluster, window: int) -> bool:
        if c1.lo is None or c2.lo is None or c1.hi is None or c2.hi is None:
            return True
        return max(c1.hi, c2.hi) - min(c1.lo, c2.lo) <= window

    def _cos(self, c1: _Cluster, c2: _Cluster) -> float:
        i1 = self._idf(c1.idx)
        return _sp_dot(c1.idx, c1.val * i1 * i1, c2.idx, c2.val) / (self._norm(c1) * self._norm(c2))

    def _add_member(self, c: _Cluster, a: Article, day: int | None, *, score: float,
                    vec: tuple[np.ndarray, np.ndarray] | None = None, event: bool | None = True) -> None:
        c.n += 1
        if vec is not None:
            if c.norm_at >= 0:  # ||c + x||^2 = ||c||^2 + 2 c.x + ||x||^2 under the idf the norm was taken with
                i2 = self._idf(vec[0]) ** 2
                sq = c.norm ** 2 + 2 * _sp_dot(vec[0], vec[1] * i2, c.idx, c.val) + float(vec[1] ** 2 @ i2)
                c.norm = float(np.sqrt(max(sq, 0.0))) or 1.0
            c.idx, c.val = _sp_add(c.idx, c.val, vec[0], vec[1])
        if day is not None:
            c.lo = day if c.lo is None else min(c.lo, day)
            c.hi = day if c.hi is None else max(c.hi, day)
        if event:
            c.article_ids.append(a.id)
            if a.source and a.source not in c.sources:
                c.sources.append(a.source)
            title = (a.title or "").strip() or lead_sentence(a.text)
            # the representative headline: the member closest to the event when it joined (first one to start)
            if title and (c.title is None or score > c.title_score):
                c.title, c.title_score = title, score

    def _merge_events(self, c1: _Cluster, c2: _Cluster, merges: list[tuple[str, str, str]]) -> None:
        keep, gone = (c1, c2) if c1.seq < c2.seq else (c2, c1)
        keep.idx, keep.val = _sp_add(keep.idx, keep.val, gone.idx, gone.val)
        keep.norm_at = -1
        _prune(keep, self.params.max_event_terms)
        keep.n += gone.n
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
        s_keep, s_gone = self.stories[keep.story or ""], self.stories[gone.story or ""]
        if s_keep.id != s_gone.id:
            self._merge_stories(s_keep, s_gone, merges)
        story = self.stories[self._resolve_story(keep.story or "")]
        if gone.id in story.event_ids:
            story.event_ids.remove(gone.id)

    def _merge_stories(self, s1: _Cluster, s2: _Cluster, merges: list[tuple[str, str, str]]) -> None:
        keep, gone = (s1, s2) if s1.seq < s2.seq else (s2, s1)
        keep.idx, keep.val = _sp_add(keep.idx, keep.val, gone.idx, gone.val)
        keep.norm_at = -1
        _prune(keep, self.params.max_story_terms)
        keep.n += gone.n
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

    def _check_story(self, sid: str, scored: list[tuple[float, str]], merges: list[tuple[str, str, str]]) -> None:
        """Merge the storyline with the closest other storylines of the article's candidate events."""
        p = self.params
        sid = self._resolve_story(sid)
        seen = {sid}
        checked = 0
        for _, eid in scored:
            other = self._resolve_story(self.events[self._resolve_event(eid)].story or "")
            if other in seen:
                continue
            seen.add(other)
            checked += 1
            cur = self._resolve_story(sid)
            s1, s2 = self.stories[cur], self.stories[other]
            if other != cur and self._cos(s1, s2) >= p.story_merge_threshold and self._names_cos(s1, s2) >= (
                    p.story_name_threshold):
                self._merge_stories(s1, s2, merges)
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
        biggest = max(evs, key=lambda e: (e.n, -e.seq)) if evs else None
        return Story(id=sid, title=biggest.title if biggest else None, start=_iso(c.lo), end=_iso(c.hi),
                     event_ids=[e.id for e in evs])

    # -- serialisation ---------------------------------------------------------------------------------
    def to_bytes(self) -> bytes:
        """Versioned state: a zip holding ``meta.json`` (parameters, clusters, postings) and ``arrays.npz``."""
        arrays: dict[str, np.ndarray] = {"df": self.df}
        meta_clusters: dict[str, list[dict[str, object]]] = {"events": [], "stories": []}
        for kind, table in (("events", self.events), ("stories", self.stories)):
            idxs, vals, offsets = [], [], [0]
            for c in table.values():
                d = {k: v for k, v in asdict(c).items() if k not in ("idx", "val")}
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
            **meta_clusters,
        }
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as z:
            z.writestr("meta.json", json.dumps(meta, separators=(",", ":")))
            npz = io.BytesIO()
            np.savez(npz, **arrays)
            z.writestr("arrays.npz", npz.getvalue())
        return buf.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> Clusterer:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            meta = json.loads(z.read("meta.json"))
            if meta.get("format") != STATE_FORMAT:
                raise ValueError("not a storyline clusterer state")
            if meta.get("version") != STATE_VERSION:
                raise ValueError(f"unsupported clusterer state version {meta.get('version')}")
            arrays = np.load(io.BytesIO(z.read("arrays.npz")), allow_pickle=False)
            known = {f.name for f in fields(ClusterParams)}
            self = cls(ClusterParams(**{k: v for k, v in meta["params"].items() if k in known}))
            self.df = arrays["df"].astype(np.int32)
            self.n_docs, self.seq = int(meta["n_docs"]), int(meta["seq"])
            self.assign = dict(meta["assign"])
            self.event_post = {int(k): dict.fromkeys(v) for k, v in meta["event_post"].items()}
            for kind, table in (("events", self.events), ("stories", self.stories)):
                idx, val, off = arrays[f"{kind}_idx"], arrays[f"{kind}_val"], arrays[f"{kind}_off"]
                for i, d in enumerate(meta[kind]):
                    c = _Cluster(idx=idx[off[i]:off[i + 1]].copy(), val=val[off[i]:off[i + 1]].copy(), **d)
                    table[c.id] = c
        return self
