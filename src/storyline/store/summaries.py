"""Store methods for cached event summaries (the ``events.summary`` column).

The cache holds JSON ``{"fingerprint": ..., "sentences": [{"text", "article_ids", "date"}]}``; the fingerprint
names the inputs it was computed from (member articles, length, method), so a summary whose event gained or
lost articles is simply recomputed by ``storyline.summarize.cached``.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from contextlib import AbstractContextManager

from ..model import SummarySentence


class SummariesMixin:
    """Mixed into ``Store`` (which provides ``conn`` and ``transaction``)."""

    conn: sqlite3.Connection
    transaction: Callable[[], AbstractContextManager[sqlite3.Connection]]

    def event_member_ids(self, event_id: str) -> list[str]:
        """Ids of the articles assigned to the event, in ingest order."""
        rows = self.conn.execute("SELECT id FROM articles WHERE event_id = ? ORDER BY seq", (event_id,))
        return [r[0] for r in rows]

    def get_event_summary(self, event_id: str) -> tuple[str, list[SummarySentence]] | None:
        """The cached summary as ``(fingerprint, sentences)``, or ``None`` when none is stored."""
        row = self.conn.execute("SELECT summary FROM events WHERE id = ?", (event_id,)).fetchone()
        if not row or not row[0]:
            return None
        try:
            data = json.loads(row[0])
            sentences = [SummarySentence(text=s["text"], article_ids=list(s["article_ids"]), date=s.get("date"))
                         for s in data["sentences"]]
            return str(data.get("fingerprint", "")), sentences
        except (ValueError, KeyError, TypeError):
            return None  # an unreadable cache is no cache

    def put_event_summary(self, event_id: str, fingerprint: str, sentences: list[SummarySentence]) -> bool:
        """Cache the summary; ``False`` when the store is read-only (nothing is cached then)."""
        payload = json.dumps(
            {"fingerprint": fingerprint,
             "sentences": [{"text": s.text, "article_ids": list(s.article_ids), "date": s.date} for s in sentences]},
            ensure_ascii=False,
        )
        try:
            with self.transaction() as conn:
                conn.execute("UPDATE events SET summary = ? WHERE id = ?", (payload, event_id))
        except sqlite3.OperationalError as exc:
            if "readonly" in str(exc).replace("-", "").lower():
                return False
            raise
        return True
