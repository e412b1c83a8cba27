"""Dated timelines: the most important days of a set of articles, each with sentences saying what happened.

Unsupervised and fast (one TF-IDF fit, linear scans):

1. Every sentence gets the days it refers to (``enrich.temporal``: "on Saturday", "April 20, 2010",
   "yesterday" ...), resolved against its article's publication date.
2. Date selection. A day is important when articles published *later* refer back to it (Tran et al. 2013;
   Martschat & Markert 2018; the DATEWISE features of news-tls) and, less, when many articles are published
   on it. Each article counts once per day it refers to: 1 for a calendar date as written ("May 25"; a
   journalist writes the date out when recalling an event), ``RELATIVE_WEIGHT`` for a relative one ("on
   Friday", "yesterday": routine reporting of the news of the day), times ``FUTURE_WEIGHT`` for an
   announcement of a later day; an article recounting many dated events (``RETROSPECTIVE_DAYS`` or more) is a
   small timeline of its own and counts up to double. A chronology (an article with ``CHRONOLOGY_ENTRIES`` or
   more lines opening with distinct calendar dates: "February 24 - Rebels take Misrata") is an editor's own
   timeline of the story, and each of its entries adds ``CHRONOLOGY_WEIGHT`` more to its day; dates told in
   running prose do not. Each publication adds ``PUB_WEIGHT`` to its day. Page
   debris (comment and byline time stamps such as "March 9, 2011 at 11:01 am") is not a reference. Days
   considered: ``since``..``until`` when given, else from ``LOOKBACK_DAYS`` before the first publication to a
   week after the last.
3. Sentence selection per day, among sentences that mention the day or, having no date of their own, were
   published on it or the day after: ranked by cosine to the day's content centroid blended with the story's
   centroid (``GLOBAL_WEIGHT``: off-topic asides that happen to name the day rank lower) and with the query
   centroid when a query is given, sentences that name the day explicitly first-class. A sentence too
   similar to one already chosen anywhere in the timeline is skipped (similarity = the larger of the TF-IDF
   cosine and the word-set overlap cosine, >= ``REDUNDANCY``).

Returns ``[{"date", "sentences", "article_ids"}]`` in date order; ``article_ids`` are the articles stating the
chosen sentences (their own article plus near-paraphrases among that day's candidates).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np

from ..enrich.sentences import content_tokens
from ..enrich.temporal import parse_date, sentence_expressions
from ..model import Article
from .textsim import centroid, overlap_vectors, vectorize

PUB_WEIGHT = 0.2  # weight of a publication against a back-reference when scoring days
FUTURE_WEIGHT = 0.25  # weight of an announcement ("talks will be held on October 23")
RELATIVE_WEIGHT = 0.5  # a day named relatively ("on Friday", "yesterday") against a calendar date ("May 25")
RETROSPECTIVE_DAYS = 5  # an article referring to this many days counts double (it recounts a story)
CHRONOLOGY_ENTRIES = 4  # an article with this many lines opening with distinct calendar dates is a chronology
CHRONOLOGY_WEIGHT = 1.0  # extra score of a day for each chronology that gives it an entry
LOOKBACK_DAYS = 31  # how far before the first publication a timeline may reach without ``since``
REDUNDANCY = 0.5  # max cosine between two sentences of one timeline
PARAPHRASE = 0.5  # min cosine for another article's sentence to count as stating the same thing
MENTION_BONUS = 0.1  # ranking bonus for a sentence that names its day explicitly
GLOBAL_WEIGHT = 0.5  # weight of the story's centroid in a day's ranking centroid
MIN_TOKENS, MAX_TOKENS = 5, 50
_EPS = 1e-9  # thresholds are inclusive; cosines of equal word sets are not always exact in floating point


# a calendar date as written ("May 25", "25 May 2012", "2010-04-20", "4/20/2010"), not "Friday"/"yesterday"
_CALENDAR = re.compile(r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)|\d/\d|\d-\d", re.IGNORECASE)
_ENTRY_LEAD = re.compile(r"[\s*•·\-–—]*")  # what may precede the date of a chronology entry (bullets)
_TIMESTAMP = re.compile(r"\s*(?:at\s+)?\d{1,2}[:.]\d{2}\b")  # "March 9, 2011 at 11:01 am": page debris
# sentences that are page furniture or reader comments rather than reporting
_JUNK = re.compile(r"\||https?://|www\.|@\w|\b(?:click|subscribe|e-mail|email|reply|comments?|posted|"
                   r"copyright|advertisement|photo|video|watch|listen|podcast)\b", re.IGNORECASE)
_FIRST_PERSON = re.compile(r"^(?:``\s*|\"\s*)?(?:I|We|My|Our|You|Your)\b|\?\s*(?:''|\")?\s*$")


def _reportable(text: str) -> bool:
    """Could this sentence stand in a timeline? (no page furniture, questions, first-person remarks)"""
    n = len(text.split())
    return MIN_TOKENS <= n <= MAX_TOKENS and not _JUNK.search(text) and not _FIRST_PERSON.search(text)


@dataclass
class _Sent:
    article_id: str
    pub: date | None
    text: str
    index: int
    refs: list[date] = field(default_factory=list)  # days it refers to (day granularity)
    explicit: list[bool] = field(default_factory=list)  # per ref: written as a calendar date ("May 25")
    entry: date | None = None  # the day a line of it opens with, as a calendar date ("March 22 : Six ...")
    row: int = -1  # row in the TF-IDF matrix


def _collect(articles: Iterable[Article]) -> tuple[list[_Sent], dict[str, date | None]]:
    sents: list[_Sent] = []
    pubs: dict[str, date | None] = {}
    for art in articles:
        if art.duplicate_of:
            continue
        pub = parse_date(art.date)
        pubs[art.id] = pub
        for s, exprs in sentence_expressions(art):
            refs: list[date] = []
            explicit: list[bool] = []
            entry: date | None = None
            for e in exprs:
                if e.granularity == "day" and not _TIMESTAMP.match(art.text, e.end):
                    d = parse_date(e.value)
                    if d is None:
                        continue
                    named = bool(_CALENDAR.search(e.text))
                    # the date opens the sentence or one of its lines (after a heading ending in a colon)
                    line = max(s.start, art.text.rfind("\n", 0, e.start) + 1)
                    if named and not refs and _ENTRY_LEAD.fullmatch(art.text, line, e.start):
                        entry = d
                    if d not in refs:
                        refs.append(d)
                        explicit.append(named)
                    elif named:
                        explicit[refs.index(d)] = True
            sents.append(_Sent(art.id, pub, s.text, s.index, refs, explicit, entry))
    return sents, pubs


def _query_terms(query: str | None) -> set[str]:
    return set(content_tokens(query)) if query else set()


def _matches(text: str, terms: set[str]) -> bool:
    return bool(terms.intersection(content_tokens(text)))


def score_dates(sents: Sequence[_Sent], pubs: dict[str, date | None], *, lo: date | None = None,
                hi: date | None = None) -> Counter[date]:
    """Importance of each day (see the module docstring)."""
    per_article: dict[str, dict[date, float]] = defaultdict(dict)
    for s in sents:
        seen = per_article[s.article_id]
        for d, named in zip(s.refs, s.explicit):
            if s.pub is not None and d == s.pub:
                continue  # "today", "on Tuesday" in Tuesday's paper: the publication counts already
            w = 1.0 if named else RELATIVE_WEIGHT
            if s.pub is not None and d > s.pub:
                w *= FUTURE_WEIGHT
            if w > seen.get(d, 0.0):
                seen[d] = w
    # a chronology (a dated list of the story's events, "February 24 - Rebels take Misrata") is an editor's
    # own timeline: each of its entries adds CHRONOLOGY_WEIGHT to its day on top of the reference itself
    entries: dict[str, set[date]] = defaultdict(set)
    for s in sents:
        if s.entry is not None:
            entries[s.article_id].add(s.entry)
    score: Counter[date] = Counter()
    for days in entries.values():
        if len(days) >= CHRONOLOGY_ENTRIES:
            for d in days:
                score[d] += CHRONOLOGY_WEIGHT
    for aid, refs in per_article.items():
        # a retrospective article (one recounting many dated events) is itself a little timeline
        retro = 1.0 + min(1.0, len(refs) / RETROSPECTIVE_DAYS)
        for d, w in refs.items():
            score[d] += w * retro
    for pub in pubs.values():
        if pub is not None:
            score[pub] += PUB_WEIGHT
    return Counter({d: v for d, v in score.items() if (lo is None or d >= lo) and (hi is None or d <= hi)})


def build_timeline(
    articles: Sequence[Article],
    *,
    dates: int = 10,
    sentences: int = 2,
    query: str | None = None,
    since: str | None = None,
    until: str | None = None,
) -> list[dict[str, Any]]:
    """The ``dates`` most important days, each with up to ``sentences`` sentences, in date order."""
    lo, hi = parse_date(since), parse_date(until)
    chosen_articles = [a for a in articles
                       if (lo is None or (a.date or "9999") >= lo.isoformat())
                       and (hi is None or (a.date or "") <= hi.isoformat())]
    sents, pubs = _collect(chosen_articles)
    if not sents:
        return []
    if lo is None and hi is None:
        known = [p for p in pubs.values() if p is not None]
        if known:
            # the period the articles cover, plus the recent past they look back on
            lo, hi = min(known) - timedelta(days=LOOKBACK_DAYS), max(known) + timedelta(days=7)

    terms = _query_terms(query)
    # every article given counts (the caller chose them: a story, search hits); the query steers sentences
    usable = [s for s in sents if _reportable(s.text)]
    if not usable:
        return []
    matrix = vectorize([s.text for s in usable])
    words = overlap_vectors([s.text for s in usable])  # redundancy/paraphrase: max of the two cosines
    for i, s in enumerate(usable):
        s.row = i

    # candidates per day: sentences naming it; undated sentences published on it or the day after
    by_day: dict[date, list[tuple[_Sent, bool]]] = defaultdict(list)
    for s in usable:
        if s.refs:
            for d in s.refs:
                by_day[d].append((s, True))
        elif s.pub is not None:
            by_day[s.pub].append((s, False))
            by_day[s.pub - timedelta(days=1)].append((s, False))

    day_scores = score_dates(sents, pubs, lo=lo, hi=hi)
    query_vec = None
    if terms:
        rows = [s.row for s in usable if _matches(s.text, terms)]
        if rows:
            query_vec = centroid(matrix[rows])

    global_vec = centroid(matrix)
    ranked_days = sorted((d for d in day_scores if by_day.get(d)), key=lambda d: (-day_scores[d], d))
    timeline: list[dict[str, Any]] = []
    picked_rows: list[int] = []
    for day in ranked_days:
        if len(timeline) >= dates:
            break
        uniq: dict[int, tuple[_Sent, bool]] = {}
        for s, named in by_day[day]:
            if s.row not in uniq:
                uniq[s.row] = (s, named)
        cands = list(uniq.values())
        sub = matrix[[s.row for s, _ in cands]]
        # what the day's sentences share, pulled towards what the whole story is about (off-topic asides
        # that happen to name the day rank lower)
        c = centroid(sub) + GLOBAL_WEIGHT * global_vec
        c = c / (np.linalg.norm(c) or 1.0)
        if query_vec is not None:
            c = c + 0.5 * query_vec
            c = c / (np.linalg.norm(c) or 1.0)
        sims = np.asarray(sub @ c).ravel()
        rank = sims + MENTION_BONUS * np.array([named for _, named in cands], dtype=float)
        # redundancy against everything already in the timeline, updated as this day's picks are made
        sub_words = words[[s.row for s, _ in cands]]
        if picked_rows:
            red = np.maximum(np.asarray((sub @ matrix[picked_rows].T).max(axis=1).todense()).ravel(),
                             np.asarray((sub_words @ words[picked_rows].T).max(axis=1).todense()).ravel())
        else:
            red = np.zeros(len(cands))
        texts: list[str] = []
        ids: list[str] = []
        for i in np.argsort(-rank, kind="stable"):
            if len(texts) >= sentences or sims[i] <= 0:
                break
            s = cands[i][0]
            if red[i] >= REDUNDANCY - _EPS or s.text in texts:
                continue
            picked_rows.append(s.row)
            texts.append(s.text)
            support = np.maximum(np.asarray((sub @ matrix[s.row].T).todense()).ravel(),
                                 np.asarray((sub_words @ words[s.row].T).todense()).ravel())
            red = np.maximum(red, support)
            paraphrases = [j for j in np.argsort(-support, kind="stable") if support[j] >= PARAPHRASE - _EPS]
            for j in [i] + [j for j in paraphrases if j != i]:
                aid = cands[j][0].article_id
                if aid not in ids:
                    ids.append(aid)
        if texts:
            timeline.append({"date": day.isoformat(), "sentences": texts, "article_ids": ids})
    timeline.sort(key=lambda e: e["date"])
    return timeline


__all__ = ["build_timeline", "score_dates"]
