"""Event summaries on demand, cached in the store.

Summaries are computed lazily (first ``storyline summary``/``export --what events``/API request) and cached in
``events.summary`` with a fingerprint of their inputs. Why lazy rather than at cluster time: clustering is
incremental, so an event's membership changes with many batches, and summarising every touched event in every
batch would spend ingest time on summaries nobody reads yet; the fingerprint makes a stale cache impossible to
serve (a changed member list, length or method means recomputation).
"""

from __future__ import annotations

import hashlib

from ..model import SummarySentence
from .summary import LLMConfig, rewrite_abstractive, summarize_event

METHOD_VERSION = "extractive-1"


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
    if not store.event_exists(event_id):
        return None
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
