"""Dated timelines: the most important days of a set of articles, each with sentences saying what happened.

Unsupervised and fast (one TF-IDF fit, linear scans):

1. Every sentence gets the days it refers to (``enrich.temporal``: "on Saturday", "April 20, 2010",
   "yesterday" ...), resolved against its article's publication date.
2. Date selection. A day is important when many articles *refer back* to it and many are published on it
   (Tran et al. 2013; Martschat & Markert 2018; the DATEWISE features of news-tls). Score = distinct articles
   mentioning the day (each article once) + ``PUB_WEIGHT`` x articles published that day (+ the next day,
   half weight, since reports of an evening event run the day after). With a query, only articles matching
   it count.
3. Sentence selection per day, among sentences that mention the day or, having no date of their own, were
   published on it or the day after: ranked by cosine to the day's content centroid (blended with the query
   centroid when a query is given), sentences that name the day explicitly first-class. A sentence too
   similar (cosine >= ``REDUNDANCY``) to one already chosen anywhere in the timeline is skipped.

Returns ``[{"date", "sentences", "article_ids"}]`` in date order; ``article_ids`` are the articles stating the
chosen sentences (their own article plus near-paraphrases among that day's candidates).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np

from ..enrich.sentences import content_tokens
from ..enrich.temporal import parse_date, sentence_expressions
from ..model import Article
from .textsim import centroid, vectorize

PUB_WEIGHT = 0.5  # weight of a publication against a back-reference when scoring days
REDUNDANCY = 0.5  # max cosine between two sentences of one timeline
PARAPHRASE = 0.6  # min cosine for another article's sentence to count as stating the same thing
MENTION_BONUS = 0.1  # ranking bonus for a sentence that names its day explicitly
MIN_TOKENS, MAX_TOKENS = 5, 60


@dataclass
class _Sent:
    article_id: str
    pub: date | None
    text: str
    index: int
    refs: list[date] = field(default_factory=list)  # days it refers to (day granularity)
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
            for e in exprs:
                if e.granularity == "day":
                    d = parse_date(e.value)
                    if d is not None and d not in refs:
                        refs.append(d)
            sents.append(_Sent(art.id, pub, s.text, s.index, refs))
    return sents, pubs


def _query_terms(query: str | None) -> set[str]:
    return set(content_tokens(query)) if query else set()


def _matches(text: str, terms: set[str]) -> bool:
    return bool(terms.intersection(content_tokens(text)))


def score_dates(sents: Sequence[_Sent], pubs: dict[str, date | None], *, lo: date | None = None,
                hi: date | None = None, relevant: set[str] | None = None) -> Counter[date]:
    """Importance of each day (see the module docstring)."""
    score: Counter[date] = Counter()
    mentioned: set[tuple[str, date]] = set()
    for s in sents:
        if relevant is not None and s.article_id not in relevant:
            continue
        for d in s.refs:
            key = (s.article_id, d)
            if key not in mentioned:
                mentioned.add(key)
                score[d] += 1.0
    for aid, pub in pubs.items():
        if pub is None or (relevant is not None and aid not in relevant):
            continue
        score[pub] += PUB_WEIGHT
        score[pub - timedelta(days=1)] += PUB_WEIGHT / 2
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
            # the period the articles cover, plus what they look back on within a year
            lo, hi = min(known) - timedelta(days=365), max(known) + timedelta(days=7)

    terms = _query_terms(query)
    relevant: set[str] | None = None
    if terms:
        by_article: dict[str, list[_Sent]] = defaultdict(list)
        for s in sents:
            by_article[s.article_id].append(s)
        relevant = {aid for aid, ss in by_article.items() if any(_matches(s.text, terms) for s in ss)}
        if not relevant:
            relevant = None  # the query matches nothing: ignore it rather than return nothing

    usable = [s for s in sents if MIN_TOKENS <= len(s.text.split()) <= MAX_TOKENS and
              (relevant is None or s.article_id in relevant)]
    if not usable:
        return []
    matrix = vectorize([s.text for s in usable])
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

    day_scores = score_dates(sents, pubs, lo=lo, hi=hi, relevant=relevant)
    query_vec = None
    if terms:
        rows = [s.row for s in usable if _matches(s.text, terms)]
        if rows:
            query_vec = centroid(matrix[rows])

    ranked_days = sorted((d for d in day_scores if by_day.get(d)), key=lambda d: (-day_scores[d], d))
    timeline: list[dict[str, Any]] = []
    picked_rows: list[int] = []
    for day in ranked_days:
        if len(timeline) >= dates:
            break
        cands = by_day[day]
        seen_rows: set[int] = set()
        uniq = []
        for s, named in cands:
            if s.row not in seen_rows:
                seen_rows.add(s.row)
                uniq.append((s, named))
        rows = [s.row for s, _ in uniq]
        sub = matrix[rows]
        c = centroid(sub)
        if query_vec is not None:
            c = c + 0.5 * query_vec
            c = c / (np.linalg.norm(c) or 1.0)
        sims = sub @ c
        order = sorted(range(len(uniq)), key=lambda i: -(sims[i] + (MENTION_BONUS if uniq[i][1] else 0.0)))
        texts: list[str] = []
        ids: list[str] = []
        for i in order:
            if len(texts) >= sentences:
                break
            s = uniq[i][0]
            if sims[i] <= 0:
                break
            vec = matrix[s.row]
            if picked_rows and (matrix[picked_rows] @ vec.T).max() >= REDUNDANCY:
                continue
            if any(t == s.text for t in texts):
                continue
            picked_rows.append(s.row)
            texts.append(s.text)
            support = (sub @ vec.T).toarray().ravel()
            for j in [i] + [j for j in np.argsort(-support) if support[j] >= PARAPHRASE and j != i]:
                aid = uniq[j][0].article_id
                if aid not in ids:
                    ids.append(aid)
        if texts:
            timeline.append({"date": day.isoformat(), "sentences": texts, "article_ids": ids})
    timeline.sort(key=lambda e: e["date"])
    return timeline


__all__ = ["build_timeline", "score_dates"]
