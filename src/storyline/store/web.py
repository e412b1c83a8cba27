"""Store methods the HTTP API and web UI need beyond the other mixins: keyset-paged listings and filtered
full-text search with unambiguous highlight markers.

Keyset cursors are plain tuples here; the API turns them into opaque strings.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .filters import article_filters

if TYPE_CHECKING:  # pragma: no cover
    from ..model import Event

# FTS5 snippet markers: private-use code points, so the face can escape the snippet first and only then turn
# these into <mark> tags (text from an article can never forge a tag).
MARK_OPEN = "\ue000"
MARK_CLOSE = "\ue001"


def _fts_query(query: str) -> str:
    from .sqlite import _fts_query as fts

    return fts(query)


class WebMixin:
    """Mixed into ``Store``: needs ``self.conn`` and the events mixin's ``_live_id`` / ``_events_from_rows``."""

    conn: sqlite3.Connection
    _live_id: Any
    _events_from_rows: Any

    # -- articles --------------------------------------------------------------------------------------
    def article_seqs(self, ids: list[str]) -> dict[str, int]:
        """article id -> its ingest sequence number (the keyset of ``iter_articles``)."""
        out: dict[str, int] = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            q = f"SELECT id, seq FROM articles WHERE id IN ({','.join('?' * len(chunk))})"
            out.update((r[0], int(r[1])) for r in self.conn.execute(q, chunk))
        return out

    def source_names(self) -> list[str]:
        """Every outlet name, alphabetically (for filter menus)."""
        return [r[0] for r in self.conn.execute("SELECT name FROM sources ORDER BY name COLLATE NOCASE")]

    # -- search ----------------------------------------------------------------------------------------
    def search_page(
        self,
        query: str,
        *,
        source: str | None = None,
        since: str | None = None,
        until: str | None = None,
        limit: int = 20,
        offset: int = 0,
    ) -> list[dict[str, Any]]:
        """Full-text search, best first, filtered by outlet and date range. ``snippet`` marks matches with
        ``MARK_OPEN``/``MARK_CLOSE`` (never with characters that can occur in ordinary text)."""
        fts = _fts_query(query)
        if not fts:
            return []
        # Rank first (bm25 over every match, the unavoidable cost), join and cut snippets for the one page only:
        # a snippet in the ranking query would be computed for every match, not just the rows kept.
        where = ["articles_fts MATCH :q"]
        params: dict[str, Any] = {"q": fts, "limit": limit, "offset": offset}
        joins = ""
        if source or since or until:
            joins = " JOIN articles a ON a.seq = articles_fts.rowid"
        if source:
            where.append("a.source_id = (SELECT id FROM sources WHERE name = :source)")
            params["source"] = source
        if since:
            where.append("a.date >= :since")
            params["since"] = since
        if until:
            where.append("a.date <= :until")
            params["until"] = until
        rows = self.conn.execute(
            "WITH top AS (SELECT articles_fts.rowid AS seq, bm25(articles_fts, 5.0, 1.0) AS score "
            f"FROM articles_fts{joins} WHERE {' AND '.join(where)} "
            "ORDER BY score, articles_fts.rowid LIMIT :limit OFFSET :offset) "
            "SELECT a.id, a.title, a.date, s.name AS source, a.url, a.event_id, a.story_id, a.duplicate_of, "
            f"(SELECT snippet(articles_fts, 1, '{MARK_OPEN}', '{MARK_CLOSE}', ' … ', 14) FROM articles_fts "
            "WHERE articles_fts MATCH :q AND articles_fts.rowid = top.seq) AS snippet, top.score AS score "
            "FROM top JOIN articles a ON a.seq = top.seq LEFT JOIN sources s ON s.id = a.source_id "
            "ORDER BY top.score, top.seq",
            params,
        ).fetchall()
        return [dict(r) for r in rows]

    # -- events and storylines ---------------------------------------------------------------------------
    def get_events(self, event_ids: Sequence[str]) -> list[Event]:
        """``get_event`` for many ids at once, in the order asked: a merged-away id gives the event it joined,
        an unknown id is skipped. Two queries per 500 ids (the events, then their articles and outlets) plus a
        merge walk per merged-away id, instead of a round of queries per id."""
        ids = list(event_ids)
        rows: dict[str, sqlite3.Row] = {}

        def fetch(wanted: list[str]) -> None:
            for i in range(0, len(wanted), 500):
                chunk = wanted[i:i + 500]
                rows.update((r["id"], r) for r in self.conn.execute(
                    'SELECT id, story_id, title, start, "end", merged_into FROM events '
                    f"WHERE id IN ({','.join('?' * len(chunk))})", chunk))

        fetch(list(dict.fromkeys(ids)))
        live_of: dict[str, str] = {}
        for i in ids:
            row = rows.get(i)
            if row is None:
                continue
            live = i if row["merged_into"] is None else self._live_id("events", i)
            if live is not None:
                live_of[i] = live
        fetch([e for e in dict.fromkeys(live_of.values()) if e not in rows])
        events = {e.id: e for e in self._events_from_rows([rows[e] for e in dict.fromkeys(live_of.values())])}
        return [events[live_of[i]] for i in ids if i in live_of]

    def event_page(
        self,
        *,
        since: str | None = None,
        until: str | None = None,
        source: str | None = None,
        story_id: str | None = None,
        after: tuple[str, str] | None = None,
        limit: int = 20,
    ) -> list[tuple[tuple[str, str], str]]:
        """Live (unmerged) event ids, latest first (undated ones last): ``[((start or '', id) key, id)]``.
        ``after`` is the key of the last row of the previous page. Dates filter on overlap of the event's span
        with [since, until]."""
        where = ["e.merged_into IS NULL"]
        params: list[Any] = []
        if since:
            where.append("coalesce(e.\"end\", e.start) >= ?")
            params.append(since)
        if until:
            where.append("e.start <= ?")
            params.append(until)
        if story_id:
            where.append("e.story_id = ?")
            params.append(story_id)
        if source:
            # the outlet's events from its articles (a covering index); "+e.id" keeps the planner walking
            # events_start newest first and stopping at the page's end, instead of fetching every event of the
            # outlet by id and sorting them all
            where.append("+e.id IN (SELECT a.event_id FROM articles a WHERE a.event_id IS NOT NULL AND "
                         "a.source_id = (SELECT id FROM sources WHERE name = ?))")
            params.append(source)

        def query(extra: list[str], extra_params: list[Any], n: int) -> list[tuple[tuple[str, str], str]]:
            # DESC puts NULL starts last; the events_start index serves the order
            rows = self.conn.execute(
                f"SELECT e.start, e.id FROM events e WHERE {' AND '.join(where + extra)} "
                "ORDER BY e.start DESC, e.id DESC LIMIT ?", [*params, *extra_params, n]).fetchall()
            return [((r[0] or "", r[1]), r[1]) for r in rows]

        if after is None:
            return query([], [], limit)
        start, last_id = after
        if not start:
            return query(["e.start IS NULL", "e.id < ?"], [last_id], limit)
        # Dated rows after the key, then (when the page is not full) the undated ones. One condition with
        # "OR e.start IS NULL" would make SQLite collect and sort every matching event instead of reading
        # the index from the key on.
        found = query(["e.start <= ?", "(e.start < ? OR e.id < ?)"], [start, start, last_id], limit)
        if len(found) < limit and not until:
            found += query(["e.start IS NULL"], [], limit - len(found))
        return found

    def story_titles(self, story_ids: Sequence[str]) -> dict[str, str | None]:
        """Storyline id -> its title (following merges like ``get_story``; unknown ids are left out), for
        listings that show each event's storyline by name."""
        out: dict[str, str | None] = {}
        ids = list(dict.fromkeys(story_ids))
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            for sid, title, merged_into in self.conn.execute(
                    f"SELECT id, title, merged_into FROM stories WHERE id IN ({','.join('?' * len(chunk))})", chunk):
                if merged_into is None:
                    out[sid] = title
                elif (live := self._live_id("stories", sid)) is not None:
                    row = self.conn.execute("SELECT title FROM stories WHERE id = ?", (live,)).fetchone()
                    out[sid] = row[0] if row else None
        return out

    def story_page(
        self,
        *,
        since: str | None = None,
        until: str | None = None,
        after: tuple[str, str] | None = None,
        limit: int = 20,
    ) -> list[tuple[tuple[str, str], str]]:
        """Live storyline ids, most recently active first (by their last day): ``[((end, id) key, id)]``."""
        where = ["t.merged_into IS NULL"]
        params: list[Any] = []
        if since:
            where.append("coalesce(t.\"end\", t.start) >= ?")
            params.append(since)
        if until:
            where.append("t.start <= ?")
            params.append(until)
        if after is not None:
            where.append("(coalesce(t.\"end\", t.start, ''), t.id) < (?, ?)")
            params += [after[0], after[1]]
        params.append(limit)
        rows = self.conn.execute(
            f"SELECT coalesce(t.\"end\", t.start, '') AS k, t.id FROM stories t WHERE {' AND '.join(where)} "
            "ORDER BY k DESC, t.id DESC LIMIT ?",
            params,
        ).fetchall()
        return [((r[0], r[1]), r[1]) for r in rows]

    def resolve_merged(self, kind: str, item_id: str) -> str | None:
        """Follow ``merged_into`` from an event, story or entity id to the live one (None when unknown)."""
        return self._live_id({"event": "events", "story": "stories", "entity": "entities"}[kind], item_id)

    def story_volume(self, story_id: str) -> list[dict[str, Any]]:
        """Articles per (day, outlet) in a storyline, for the timeline chart: ``[{date, source, articles}]``."""
        rows = self.conn.execute(
            "SELECT a.date, coalesce(s.name, '') AS source, count(*) AS articles FROM articles a "
            "LEFT JOIN sources s ON s.id = a.source_id WHERE a.story_id = ? AND a.date IS NOT NULL "
            "GROUP BY a.date, s.name ORDER BY a.date, s.name",
            (story_id,),
        ).fetchall()
        return [dict(r) for r in rows]

    # -- entities and claims -----------------------------------------------------------------------------
    def entity_page(
        self,
        *,
        type: str | None = None,  # noqa: A002
        name: str | None = None,
        after: tuple[str, str] | None = None,
        limit: int = 20,
    ) -> list[tuple[tuple[str, str], str]]:
        """Entity ids by name (then id): ``[((name, id) key, id)]``; ``name`` filters on a prefix of the
        canonical name, case-insensitively."""
        where, params = [], []  # type: list[str], list[Any]
        if type:
            where.append("type = ?")
            params.append(type.upper())
        if name:
            where.append("name LIKE ? ESCAPE '\\'")
            params.append(name.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%")
        if after is not None:
            where.append("(name, id) > (?, ?)")
            params += [after[0], after[1]]
        params.append(limit)
        sql = "SELECT name, id FROM entities WHERE merged_into IS NULL"
        if where:
            sql += " AND " + " AND ".join(where)
        rows = self.conn.execute(sql + " ORDER BY name, id LIMIT ?", params).fetchall()
        return [((r[0], r[1]), r[1]) for r in rows]

    def entity_info(self, entity_id: str) -> dict[str, Any] | None:
        """One entity as ``list_entities`` shapes it: {id, name, type, aliases, article_ids, mentions}; a
        merged-away id gives the entity it joined."""
        live = self.resolve_merged("entity", entity_id)
        if live is None:
            return None
        entity_id = live
        row = self.conn.execute("SELECT id, name, type FROM entities WHERE id = ?", (entity_id,)).fetchone()
        d: dict[str, Any] = {"id": row[0], "name": row[1], "type": row[2], "aliases": [], "article_ids": [],
                             "mentions": 0}
        for alias, article_id, count in self.conn.execute(
                "SELECT alias, article_id, count FROM entity_aliases WHERE entity_id = ? ORDER BY rowid",
                (entity_id,)):
            if alias not in d["aliases"]:
                d["aliases"].append(alias)
            if article_id not in d["article_ids"]:
                d["article_ids"].append(article_id)
            d["mentions"] += int(count)
        return d

    def entity_events(self, entity_id: str, *, limit: int = 50) -> list[dict[str, Any]]:
        """Events whose articles mention the entity, most mentioning articles first: [{event_id, articles}]."""
        rows = self.conn.execute(
            "SELECT a.event_id, count(DISTINCT a.id) AS articles FROM entity_aliases ea "
            "JOIN articles a ON a.id = ea.article_id WHERE ea.entity_id = ? AND a.event_id IS NOT NULL "
            "GROUP BY a.event_id ORDER BY articles DESC, a.event_id LIMIT ?",
            (entity_id, limit),
        ).fetchall()
        return [dict(r) for r in rows]

    def claim_page(
        self,
        *,
        event_id: str | None = None,
        story_id: str | None = None,
        source: str | None = None,
        since: str | None = None,
        until: str | None = None,
        speaker_entity_id: str | None = None,
        after: int | None = None,
        limit: int = 20,
    ) -> list[tuple[int, Any, str | None]]:
        """Claims in storage order, filtered through their articles: ``[(rowid key, Claim, event id)]``."""
        from .entities import _row_to_claim

        where, params = article_filters(since=since, until=until, source=source, story_id=story_id,
                                        event_id=event_id)
        if speaker_entity_id:
            where.append("c.speaker_entity_id = ?")
            params.append(speaker_entity_id)
        if after is not None:
            where.append("c.rowid > ?")
            params.append(after)
        params.append(limit)
        sql = "SELECT c.rowid AS k, a.event_id AS article_event, c.* FROM claims c JOIN articles a ON a.id = c.article_id"
        if where:
            sql += " WHERE " + " AND ".join(where)
        rows = self.conn.execute(sql + " ORDER BY c.rowid LIMIT ?", params).fetchall()
        return [(int(r["k"]), _row_to_claim(r), r["article_event"]) for r in rows]
