"""Cited extractive multi-document summaries of an event.

``summarize_event(articles, n=4)`` picks ``n`` sentences that are

- salient: close to the event's TF-IDF centroid, and central in the sentence graph (LexRank-style degree:
  how many *other articles* say nearly the same thing), with a small lead-position prior (news put the
  essentials first);
- confirmed: a sentence stated by several outlets outranks one only a single article has;
- non-redundant: Maximal Marginal Relevance, and never two sentences with cosine >= ``REDUNDANCY``.

Every ``SummarySentence`` carries the ids of the articles that state it: its own article first, then the
articles holding a near-paraphrase (cosine >= ``PARAPHRASE``). Sentences come out in story order (by the
day they talk about, then by article and position).

``rewrite_abstractive`` optionally rewrites the chosen sentences through an OpenAI-compatible chat endpoint
(``STORYLINE_LLM_URL``, ``STORYLINE_LLM_MODEL``, ``STORYLINE_LLM_KEY``). It is off unless the URL is set, never
required, and keeps each sentence's citations; any failure returns the extractive sentences unchanged.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..enrich.temporal import date_sentences
from ..model import Article, SummarySentence
from .textsim import centroid, overlap_similarity, vectorize

REDUNDANCY = 0.5
PARAPHRASE = 0.5
MMR_LAMBDA = 0.7
MIN_TOKENS, MAX_TOKENS = 6, 60
MAX_CANDIDATES = 1500  # sentences compared pairwise (memory grows with the square)
PRONOUN_WEIGHT = 0.6  # salience kept by a sentence that opens on a pronoun ("He said ...": whose?)

# a connective that ties a sentence to the one before it in its article reads wrong out of it ("Meanwhile, ..."
# opening a summary): taken off
_CONNECTIVE = re.compile(r"^(?:(?:Meanwhile|However|Moreover|Furthermore|Separately|Nevertheless|In addition|"
                         r"Additionally|Also|Still),|But|And)\s+(?=\w)")
_PRONOUN_START = re.compile(r"^(?:He|She|They|It|This|These|Those|His|Her|Their|Its)\b")


@dataclass
class _Cand:
    article: int  # index into the article list
    index: int
    text: str
    date: str | None


def _candidates(articles: Sequence[Article]) -> list[_Cand]:
    out: list[_Cand] = []
    for ai, art in enumerate(articles):
        for s in date_sentences(art):
            n_tok = len(s.text.split())
            if not MIN_TOKENS <= n_tok <= MAX_TOKENS or s.text.rstrip().endswith("?"):
                continue
            out.append(_Cand(ai, s.index, s.text, s.date))
    return out


def summarize_event(articles: Sequence[Article], n: int = 4) -> list[SummarySentence]:
    """An ``n``-sentence cited extractive summary of the articles of one event (pure, deterministic)."""
    articles = [a for a in articles if not a.duplicate_of] or list(articles)
    if n <= 0 or not articles:
        return []
    cands = _candidates(articles)
    if not cands:
        # very short articles: fall back to every sentence, whatever its length
        cands = [_Cand(ai, s.index, s.text, s.date) for ai, a in enumerate(articles) for s in date_sentences(a)]
    if not cands:
        return []
    if len(cands) > MAX_CANDIDATES:
        # big events: the leading sentences of every article (news put the essentials first) keep the
        # pairwise similarity matrix small
        cands = sorted(cands, key=lambda c: (c.index, c.article))[:MAX_CANDIDATES]
        cands.sort(key=lambda c: (c.article, c.index))
    m = vectorize([c.text for c in cands])
    if m.shape[1] == 0:
        return [SummarySentence(c.text, [articles[c.article].id], c.date) for c in cands[:n]]
    # TF-IDF cosine, or word-set overlap where that is higher (IDF over one event's few sentences is noisy)
    sims = np.maximum((m @ m.T).toarray(), overlap_similarity([c.text for c in cands]))
    art_of = np.array([c.article for c in cands])
    n_articles = len(articles)

    # support: for each sentence, the other articles with a near-paraphrase
    support: list[list[int]] = []
    for i in range(len(cands)):
        others: dict[int, float] = {}
        for j in np.nonzero(sims[i] >= PARAPHRASE - 1e-9)[0]:
            a = int(art_of[j])
            if a != cands[i].article and sims[i, j] > others.get(a, 0.0):
                others[a] = float(sims[i, j])
        support.append(sorted(others, key=lambda a: -others[a]))

    cen = centroid(m)
    cen_sim = np.asarray(m @ cen).ravel()
    # LexRank-style degree: mean similarity to sentences of *other* articles
    other = art_of[None, :] != art_of[:, None]
    degree = np.where(other, sims, 0.0).sum(axis=1) / max(1, other.sum(axis=1).max())
    degree = degree / (degree.max() or 1.0)
    confirm = np.array([len(s) for s in support], dtype=float) / max(1, n_articles - 1)
    lead = np.array([1.0 / (1.0 + c.index) for c in cands])
    salience = 0.45 * cen_sim + 0.25 * degree + 0.2 * confirm + 0.1 * lead
    salience *= np.array([PRONOUN_WEIGHT if _PRONOUN_START.match(c.text) else 1.0 for c in cands])

    chosen: list[int] = []
    remaining = set(range(len(cands)))
    while remaining and len(chosen) < n:
        best, best_score = -1, -np.inf
        for i in remaining:
            red = max((sims[i, j] for j in chosen), default=0.0)
            if red >= REDUNDANCY - 1e-9:
                continue
            score = MMR_LAMBDA * salience[i] - (1 - MMR_LAMBDA) * red
            if score > best_score or (score == best_score and i < best):
                best, best_score = i, score
        if best < 0:
            break
        chosen.append(best)
        remaining.discard(best)

    def order(i: int) -> tuple[str, int, int]:
        c = cands[i]
        return (articles[c.article].date or c.date or "9999", c.article, c.index)

    out = []
    for i in sorted(chosen, key=order):
        c = cands[i]
        ids = [articles[c.article].id] + [articles[a].id for a in support[i]]
        out.append(SummarySentence(text=_standalone(c.text), article_ids=list(dict.fromkeys(ids)), date=c.date))
    return out


def _standalone(text: str) -> str:
    """A sentence as it reads out of its article: without a connective to the sentence before it."""
    m = _CONNECTIVE.match(text)
    if not m:
        return text
    rest = text[m.end():]
    return rest[:1].upper() + rest[1:]


# -- optional abstractive rewrite ----------------------------------------------------------------------


@dataclass
class LLMConfig:
    url: str
    model: str = "default"
    key: str | None = None
    timeout: float = 30.0

    @classmethod
    def from_env(cls) -> LLMConfig | None:
        url = os.environ.get("STORYLINE_LLM_URL")
        if not url:
            return None
        return cls(url=url, model=os.environ.get("STORYLINE_LLM_MODEL") or "default",
                   key=os.environ.get("STORYLINE_LLM_KEY") or None)

    @property
    def endpoint(self) -> str:
        u = self.url.rstrip("/")
        return u if u.endswith("/chat/completions") else u + "/chat/completions"


_PROMPT = (
    "Rewrite each numbered sentence from news reports as one clear, neutral, self-contained sentence. "
    "Keep every fact, name, number and date; add nothing. Answer with a JSON array of strings, one per "
    "input sentence, in the same order, and nothing else."
)


def rewrite_abstractive(sentences: Sequence[SummarySentence], config: LLMConfig | None = None
                        ) -> list[SummarySentence]:
    """Rewrite the sentences through an OpenAI-compatible endpoint, one output per input, citations kept.

    With no configuration (``STORYLINE_LLM_URL`` unset) or on any failure (network, HTTP status, an answer
    that is not a JSON list of as many strings) the extractive sentences are returned unchanged.
    """
    config = config or LLMConfig.from_env()
    sentences = list(sentences)
    if config is None or not sentences:
        return sentences
    import urllib.error
    import urllib.request

    numbered = "\n".join(f"{i + 1}. {s.text}" for i, s in enumerate(sentences))
    headers = {"Content-Type": "application/json"}
    if config.key:
        headers["Authorization"] = f"Bearer {config.key}"
    payload = {"model": config.model, "temperature": 0,
               "messages": [{"role": "system", "content": _PROMPT}, {"role": "user", "content": numbered}]}
    request = urllib.request.Request(config.endpoint, data=json.dumps(payload).encode("utf-8"), headers=headers,
                                     method="POST")
    try:
        with urllib.request.urlopen(request, timeout=config.timeout) as resp:  # noqa: S310 (user-configured)
            content = json.loads(resp.read().decode("utf-8"))["choices"][0]["message"]["content"]
        texts = _parse_list(content)
    except (OSError, urllib.error.URLError, KeyError, IndexError, TypeError, ValueError):
        return sentences
    if texts is None or len(texts) != len(sentences):
        return sentences
    return [SummarySentence(text=t.strip() or s.text, article_ids=list(s.article_ids), date=s.date)
            for t, s in zip(texts, sentences)]


def _parse_list(content: str) -> list[str] | None:
    m = re.search(r"\[.*\]", content, re.DOTALL)
    if not m:
        return None
    try:
        data = json.loads(m.group(0))
    except json.JSONDecodeError:
        return None
    if not isinstance(data, list) or not all(isinstance(t, str) for t in data):
        return None
    return data
