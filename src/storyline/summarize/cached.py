"""Store-facing entry points of summarisation: event summaries on demand (cached), timelines of a story, a
query or the whole store. The faces (CLI, API) call these; the algorithms stay pure.

Event summaries

Summaries are computed lazily (first ``storyline summary``/``export --what events``/API request) and cached in
``events.summary`` with a fingerprint of their inputs. Why lazy rather than at cluster time: clustering is
incremental, so an event's membership changes with many batches, and summarising every touched event in every
batch would spend ingest time on summaries nobody reads yet; the fingerprint makes a stale cache impossible to
serve (a changed member list, length or method means recomputation).
"""

from __future__ import annotations

import hashlib
from typing import Any

from ..model import SummarySentence
from .summary import LLMConfig, rewrite_abstractive, summarize_event
from .timeline import build_timeline

METHOD_VERSION = "extractive-2"  # (2: connectives off, pronoun openers weighed down)


def fingerprint(article_ids: list[str], n: int, llm: LLMConfig | None = None) -> str:
    h = hashlib.sha1()
    h.update(f"{METHOD_VERSION}|{n}|{llm.model + '@' + llm.url if llm else '-'}|".encode())
    for aid in sorted(article_ids):
        h.update(aid.encode("utf-8") + b"\0")
    return h.hexdigest()


def event_summary(store, event_id: str, n: int = 4, *, refresh: bool = False,
                  llm: LLMConfig | None = None) -> list[SummarySentence] | None:
    """The event's cited summary (``None`` for an unknown event). ``llm`` (default: from the environment,
    ``STORYLINE_LLM_URL``) turns on the optional abstractive rewrite; citations are kept either way."""
    event = store.get_event(event_id)  # follows merges
    if event is None:
        return None
    event_id = event.id
    llm = llm if llm is not None else LLMConfig.from_env()
    ids = store.event_member_ids(event_id)
    fp = fingerprint(ids, n, llm)
    if not refresh:
        cached = store.get_event_summary(event_id)
        if cached is not None and cached[0] == fp:
            return cached[1]
    sentences = summarize_event(store.get_articles(ids), n=n)
    if llm is not None:
        sentences = rewrite_abstractive(sentences, llm)
    store.put_event_summary(event_id, fp, sentences)  # a read-only store just does not cache
    return sentences


def summary_field(store, event_id: str, n: int = 4) -> list[dict[str, Any]]:
    """The ``summary`` of an exported event: ``[{"text", "article_ids"}]`` (computed and cached if needed)."""
    return [{"text": s.text, "article_ids": list(s.article_ids)} for s in event_summary(store, event_id, n) or []]


class TimelineScopeError(ValueError):
    """The timeline's scope is missing, ambiguous or unknown."""


def store_timeline(store, *, story_id: str | None = None, query: str | None = None, everything: bool = False,
                   dates: int = 10, sentences: int = 2, since: str | None = None, until: str | None = None,
                   max_query_articles: int = 5000) -> list[dict[str, Any]]:
    """A timeline over one storyline, the articles matching a full-text query, or every stored article."""
    if sum([story_id is not None, query is not None, everything]) != 1:
        raise TimelineScopeError("give exactly one of a story id, --query or --all")
    if story_id is not None:
        story = store.get_story(story_id)  # follows merges
        if story is None:
            raise TimelineScopeError(f"no story {story_id!r}")
        articles = list(store.iter_articles(story_id=story.id, since=since, until=until))
    elif query is not None:
        hits = store.search(query, limit=max_query_articles)
        articles = [a for a in store.get_articles([h["id"] for h in hits])
                    if (since is None or (a.date or "") >= since) and (until is None or (a.date or "") <= until)]
    else:
        articles = list(store.iter_articles(since=since, until=until))
    return build_timeline(articles, dates=dates, sentences=sentences, query=query, since=since, until=until)
