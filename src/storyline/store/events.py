"""Events and storylines in the store: apply a clusterer update, list and read them back."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ..model import Article, Event, Story

if TYPE_CHECKING:  # pragma: no cover
    from ..cluster import ClusterUpdate

CLUSTER_STATE = "cluster"  # stage_state name of the clusterer's bytes

_NOW = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"


class EventStoreMixin:
    """Mixed into ``Store``: needs ``self.conn`` and ``self.transaction()``."""

    conn: sqlite3.Connection

    # -- writing -----------------------------------------------------------------------------------------
    def apply_cluster_update(self, update: ClusterUpdate) -> None:
        """Upsert the update's stories and events, record merges and set each article's event/story.

        Runs inside the caller's transaction (``transaction()`` nests), so a batch and its clustering land
        together or not at all.
        """
        with self.transaction() as conn:  # type: ignore[attr-defined]
            gone_stories = {old: new for kind, old, new in update.merges if kind == "story"}
            for s in update.stories:
                conn.execute(
                    f'INSERT INTO stories(id, title, start, "end") VALUES (?,?,?,?) ON CONFLICT(id) DO UPDATE SET '
                    f'title = excluded.title, start = excluded.start, "end" = excluded."end", merged_into = NULL, '
                    f"updated_at = {_NOW}",
                    (s.id, s.title, s.start, s.end),
                )
            for old, new in gone_stories.items():
                live = _follow(gone_stories, new)
                conn.execute("INSERT OR IGNORE INTO stories(id) VALUES (?)", (live,))
                conn.execute(
                    f"INSERT INTO stories(id, merged_into) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET "
                    f"merged_into = excluded.merged_into, updated_at = {_NOW}",
                    (old, live),
                )
                conn.execute("UPDATE stories SET merged_into = ? WHERE merged_into = ?", (live, old))
                conn.execute("UPDATE events SET story_id = ? WHERE story_id = ?", (live, old))
                conn.execute("UPDATE articles SET story_id = ? WHERE story_id = ?", (live, old))
            live_events = [e for e in update.events if e.merged_into is None]
            for e in live_events:
                conn.execute(
                    f'INSERT INTO events(id, story_id, title, start, "end") VALUES (?,?,?,?,?) ON CONFLICT(id) DO '
                    f'UPDATE SET story_id = excluded.story_id, title = excluded.title, start = excluded.start, '
                    f'"end" = excluded."end", merged_into = NULL, updated_at = {_NOW}',
                    (e.id, e.story_id, e.title, e.start, e.end),
                )
            gone_events = {old: new for kind, old, new in update.merges if kind == "event"}
            for old, new in gone_events.items():
                live = _follow(gone_events, new)
                conn.execute("INSERT OR IGNORE INTO events(id) VALUES (?)", (live,))
                conn.execute(
                    f"INSERT INTO events(id, story_id, merged_into) VALUES (?, NULL, ?) ON CONFLICT(id) DO UPDATE SET "
                    f"merged_into = excluded.merged_into, updated_at = {_NOW}",
                    (old, live),
                )
                conn.execute("UPDATE events SET merged_into = ? WHERE merged_into = ?", (live, old))
                conn.execute("UPDATE articles SET event_id = ? WHERE event_id = ?", (live, old))
            conn.executemany("INSERT INTO merges(kind, old_id, new_id) VALUES (?, ?, ?)", update.merges)
            conn.executemany(
                "UPDATE articles SET event_id = ?, story_id = ? WHERE id = ?",
                [(e, s, a) for a, (e, s) in update.assignments.items()],
            )
            # an event that moved to another storyline takes its earlier articles along
            conn.executemany("UPDATE articles SET story_id = ? WHERE event_id = ? AND story_id IS NOT ?",
                             [(e.story_id, e.id, e.story_id) for e in live_events])

    def reset_clusters(self) -> None:
        """Forget every event, storyline and merge (and the clusterer's state), keeping the articles."""
        with self.transaction() as conn:  # type: ignore[attr-defined]
            conn.execute("UPDATE articles SET event_id = NULL, story_id = NULL "
                         "WHERE event_id IS NOT NULL OR story_id IS NOT NULL")
            conn.execute("DELETE FROM merges")
            conn.execute("UPDATE events SET merged_into = NULL, story_id = NULL")
            conn.execute("UPDATE stories SET merged_into = NULL")
            conn.execute("DELETE FROM events")
            conn.execute("DELETE FROM stories")
            conn.execute("DELETE FROM stage_state WHERE name = ?", (CLUSTER_STATE,))

    # -- reading -----------------------------------------------------------------------------------------
    def _event_members(self, ids: list[str]) -> dict[str, tuple[list[str], list[str]]]:
        """event id -> (article ids in date/ingest order, distinct sources in first-seen order)."""
        out: dict[str, tuple[list[str], list[str]]] = {i: ([], []) for i in ids}
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            rows = self.conn.execute(
                "SELECT a.event_id, a.id, s.name FROM articles a LEFT JOIN sources s ON s.id = a.source_id "
                f"WHERE a.event_id IN ({','.join('?' * len(chunk))}) ORDER BY coalesce(a.date, ''), a.seq",
                chunk,
            )
            for eid, aid, source in rows:
                arts, sources = out[eid]
                arts.append(aid)
                if source and source not in sources:
                    sources.append(source)
        return out

    def _events_from_rows(self, rows: list[sqlite3.Row]) -> list[Event]:
        members = self._event_members([r["id"] for r in rows])
        return [Event(id=r["id"], story_id=r["story_id"], title=r["title"], start=r["start"], end=r["end"],
                      article_ids=members[r["id"]][0], sources=members[r["id"]][1], merged_into=r["merged_into"])
                for r in rows]

    def list_events(self, story_id: str | None = None, since: str | None = None, limit: int | None = None,
                    cursor: str | None = None) -> list[Event]:
        """Live events in time order (start, then id). ``since`` keeps events still running on or after that
        day; ``cursor`` is the id of the last event of the previous page (keyset pagination)."""
        where, params = ["merged_into IS NULL"], []  # type: list[str], list[Any]
        if story_id:
            where.append("story_id = ?")
            params.append(story_id)
        if since:
            where.append('coalesce("end", start) >= ?')
            params.append(since)
        if cursor:
            row = self.conn.execute("SELECT coalesce(start, '') FROM events WHERE id = ?", (cursor,)).fetchone()
            if row is not None:
                where.append("(coalesce(start, '') > ? OR (coalesce(start, '') = ? AND id > ?))")
                params += [row[0], row[0], cursor]
        sql = (f'SELECT id, story_id, title, start, "end", merged_into FROM events WHERE {" AND ".join(where)} '
               "ORDER BY coalesce(start, ''), id")
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return self._events_from_rows(self.conn.execute(sql, params).fetchall())

    def _live_id(self, table: str, item_id: str) -> str | None:
        seen: set[str] = set()
        current: str | None = item_id
        while current is not None and current not in seen:
            seen.add(current)
            row = self.conn.execute(f"SELECT merged_into FROM {table} WHERE id = ?", (current,)).fetchone()
            if row is None:
                return None
            if row[0] is None:
                return current
            current = row[0]
        return current

    def get_event(self, event_id: str) -> Event | None:
        """The event, following merges: a merged-away id returns the event it lives on in."""
        live = self._live_id("events", event_id)
        if live is None:
            return None
        rows = self.conn.execute('SELECT id, story_id, title, start, "end", merged_into FROM events WHERE id = ?',
                                 (live,)).fetchall()
        return self._events_from_rows(rows)[0]

    def event_articles(self, event_id: str) -> list[Article]:
        """The event's articles (following merges), in date then ingest order."""
        live = self._live_id("events", event_id)
        if live is None:
            return []
        ids = [r[0] for r in self.conn.execute(
            "SELECT id FROM articles WHERE event_id = ? ORDER BY coalesce(date, ''), seq", (live,))]
        return self.get_articles(ids)  # type: ignore[attr-defined]

    def _stories_from_rows(self, rows: list[sqlite3.Row]) -> list[Story]:
        out = []
        for r in rows:
            evs = [e[0] for e in self.conn.execute(
                "SELECT id FROM events WHERE story_id = ? AND merged_into IS NULL ORDER BY coalesce(start, ''), id",
                (r["id"],))]
            out.append(Story(id=r["id"], title=r["title"], start=r["start"], end=r["end"], event_ids=evs))
        return out

    def list_stories(self) -> list[Story]:
        """Live storylines, most recent first."""
        rows = self.conn.execute(
            'SELECT id, title, start, "end" FROM stories WHERE merged_into IS NULL '
            "ORDER BY coalesce(\"end\", start, '') DESC, id").fetchall()
        return self._stories_from_rows(rows)

    def get_story(self, story_id: str) -> Story | None:
        live = self._live_id("stories", story_id)
        if live is None:
            return None
        rows = self.conn.execute('SELECT id, title, start, "end" FROM stories WHERE id = ?', (live,)).fetchall()
        return self._stories_from_rows(rows)[0]

    def count_events(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM events WHERE merged_into IS NULL").fetchone()[0])

    def count_stories(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM stories WHERE merged_into IS NULL").fetchone()[0])

    def unclustered_articles(self, chunk: int = 500) -> Iterator[list[Article]]:
        """Stored articles without an event, in ingest order, in lists of ``chunk`` (to resume or rebuild)."""
        ids = [r[0] for r in self.conn.execute("SELECT id FROM articles WHERE event_id IS NULL ORDER BY seq")]
        for i in range(0, len(ids), chunk):
            yield self.get_articles(ids[i:i + chunk])  # type: ignore[attr-defined]


def _follow(redirects: dict[str, str], item: str) -> str:
    seen = set()
    while item in redirects and item not in seen:
        seen.add(item)
        item = redirects[item]
    return item
