"""The embedded SQLite store. The only module (with its siblings in ``storyline.store``) that speaks SQL."""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..model import Article
from .entities import EntityStoreMixin
from .events import EventStoreMixin
from .filters import article_filters
from .schema import MIGRATIONS, SCHEMA_VERSION
from .summaries import SummariesMixin
from .web import WebMixin

DEFAULT_DB = "storyline.db"


class StoreError(Exception):
    """The database cannot be opened or is not a storyline store."""


class MigrationNeeded(StoreError):
    """A read-only open of a store written by an older storyline: open it read-write once to migrate it."""


def default_db_path() -> str:
    return os.environ.get("STORYLINE_DB") or DEFAULT_DB


_ARTICLE_COLUMNS = (
    "a.id, a.title, a.text, a.raw, a.date, s.name AS source, a.url, a.lang, a.dateline, a.origin, a.meta, "
    "a.content_hash, a.duplicate_of, a.event_id, a.story_id"
)


def _row_to_article(row: sqlite3.Row) -> Article:
    return Article(
        id=row["id"],
        text=row["text"],
        title=row["title"],
        date=row["date"],
        source=row["source"],
        url=row["url"],
        lang=row["lang"],
        dateline=row["dateline"],
        raw=row["raw"],
        origin=row["origin"],
        meta=json.loads(row["meta"] or "{}"),
        content_hash=row["content_hash"],
        duplicate_of=row["duplicate_of"],
        event_id=row["event_id"],
        story_id=row["story_id"],
    )


class Store(WebMixin, SummariesMixin, EntityStoreMixin, EventStoreMixin):
    """A storyline database. Open with ``Store(path)``; use as a context manager to close it.

    Writes happen inside ``transaction()``: one batch is one transaction, so a crash (even ``kill -9``)
    leaves either the whole batch or none of it, and WAL mode keeps readers working during ingest.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None, *, readonly: bool = False,
                 create: bool = True) -> None:
        """``create=False``: a missing database is an error, as it always is with ``readonly``."""
        self.path = str(path if path is not None else default_db_path())
        if (readonly or not create) and self.path != ":memory:" and not Path(self.path).exists():
            raise StoreError(f"{self.path}: no such database (run `storyline ingest` first)")
        if self.path != ":memory:":
            parent = Path(self.path).resolve().parent
            if not parent.is_dir():
                raise StoreError(f"{self.path}: directory {parent} does not exist")
        try:
            uri = f"file:{self.path}?mode=ro" if readonly else self.path
            self.conn = sqlite3.connect(uri, uri=readonly, timeout=30, isolation_level=None,
                                        check_same_thread=False)
            self.conn.row_factory = sqlite3.Row
            self.conn.execute("PRAGMA foreign_keys = ON")
            self.conn.execute("PRAGMA busy_timeout = 30000")
            if not readonly:
                self.conn.execute("PRAGMA journal_mode = WAL")
                self.conn.execute("PRAGMA synchronous = NORMAL")
            self._migrate(readonly)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: not a usable storyline database ({exc})") from exc
        self._in_tx = False

    # -- lifecycle -----------------------------------------------------------------------------------
    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _migrate(self, readonly: bool) -> None:
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: schema version {version} is newer than this storyline ({SCHEMA_VERSION}); upgrade"
            )
        if version == SCHEMA_VERSION:
            return
        if readonly:
            raise MigrationNeeded(f"{self.path}: schema version {version} needs migrating; open it read-write once")
        for number, sql in MIGRATIONS:
            if number <= version:
                continue
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                for statement in _split_sql(sql):
                    self.conn.execute(statement)
                self.conn.execute(f"PRAGMA user_version = {number}")
                self.conn.execute("COMMIT")
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise

    @property
    def schema_version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic unit of work. Nested calls join the outer transaction."""
        if self._in_tx:
            yield self.conn
            return
        self.conn.execute("BEGIN IMMEDIATE")
        self._in_tx = True
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")
        finally:
            self._in_tx = False

    # -- sources -------------------------------------------------------------------------------------
    def sources(self) -> list[dict[str, Any]]:
        rows = self.conn.execute(
            "SELECT s.name, count(a.seq) AS articles FROM sources s LEFT JOIN articles a ON a.source_id = s.id "
            "GROUP BY s.id ORDER BY articles DESC, s.name"
        ).fetchall()
        return [dict(r) for r in rows]

    # -- articles ------------------------------------------------------------------------------------
    def existing_ids(self, ids: Iterable[str]) -> set[str]:
        found: set[str] = set()
        ids = list(ids)
        for chunk in _chunks(ids, 500):
            q = f"SELECT id FROM articles WHERE id IN ({','.join('?' * len(chunk))})"
            found.update(r[0] for r in self.conn.execute(q, chunk))
        return found

    def ids_by_hash(self, hashes: Iterable[str]) -> dict[str, str]:
        """content_hash -> the earliest stored article id with it."""
        out: dict[str, str] = {}
        for chunk in _chunks(list(set(hashes)), 500):
            q = (f"SELECT content_hash, id FROM articles WHERE content_hash IN ({','.join('?' * len(chunk))}) "
                 "ORDER BY seq DESC")
            for h, i in self.conn.execute(q, chunk):
                out[h] = i
        return out

    def _source_ids(self, names: Iterable[str | None]) -> dict[str, int]:
        """Source name -> id for every non-empty name, creating the missing ones (a few statements a batch)."""
        wanted = {n for n in names if n}
        ids: dict[str, int] = {}
        for chunk in _chunks(sorted(wanted), 500):
            q = f"SELECT name, id FROM sources WHERE name IN ({','.join('?' * len(chunk))})"
            ids.update((name, int(i)) for name, i in self.conn.execute(q, chunk))
        for name in sorted(wanted - ids.keys()):
            ids[name] = int(self.conn.execute("INSERT INTO sources(name) VALUES (?)", (name,)).lastrowid)
        return ids

    def add_lead_counts(self, counts: Mapping[int, int]) -> dict[int, int]:
        """Add ``counts`` (sentence key -> articles of a batch that have it among their first sentences) to the
        stored counts; returns the totals of those keys. Call inside the batch's transaction."""
        if not counts:
            return {}
        self.conn.executemany(
            "INSERT INTO lead_counts(key, articles) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET articles = articles + excluded.articles", counts.items())
        totals: dict[int, int] = {}
        for chunk in _chunks(list(counts), 500):
            totals.update(self.conn.execute(
                f"SELECT key, articles FROM lead_counts WHERE key IN ({','.join('?' * len(chunk))})", chunk))
        return totals

    def add_articles(self, articles: Sequence[Article], signatures: dict[str, bytes] | None = None) -> list[str]:
        """Insert the articles that are not stored yet; return the ids actually inserted.

        Must be called inside ``transaction()`` for batch atomicity (it opens one itself otherwise).
        """
        inserted: list[str] = []
        with self.transaction() as conn:
            present = self.existing_ids(a.id for a in articles)
            new: list[Article] = []
            for a in articles:
                if a.id in present:
                    continue
                present.add(a.id)
                new.append(a)
            source_ids = self._source_ids(a.source for a in new)
            conn.executemany(
                "INSERT INTO articles(id, title, text, raw, date, source_id, url, lang, dateline, origin, meta, "
                "content_hash, duplicate_of, event_id, story_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [(a.id, a.title, a.text, a.raw, a.date, source_ids.get(a.source) if a.source else None, a.url,
                  a.lang, a.dateline, a.origin, json.dumps(a.meta, ensure_ascii=False, sort_keys=True),
                  a.content_hash or "", a.duplicate_of, a.event_id, a.story_id) for a in new],
            )
            if signatures:
                conn.executemany("INSERT INTO article_signatures(article_id, signature) VALUES (?, ?)",
                                 [(a.id, signatures[a.id]) for a in new if a.id in signatures])
            inserted = [a.id for a in new]
        return inserted

    def relink_duplicates(self, relinked: dict[str, str]) -> None:
        """Re-point former originals, and the copies that pointed at them, to their (earlier) original."""
        with self.transaction() as conn:
            for old, new in relinked.items():
                conn.execute("UPDATE articles SET duplicate_of = ? WHERE (id = ? OR duplicate_of = ?) AND id != ?",
                             (new, old, old, new))

    def signatures(self) -> Iterator[tuple[str, bytes, str | None]]:
        """(article_id, MinHash signature, duplicate_of) for every stored article, in ingest order."""
        yield from self.conn.execute(
            "SELECT g.article_id, g.signature, a.duplicate_of FROM article_signatures g "
            "JOIN articles a ON a.id = g.article_id ORDER BY a.seq"
        )

    def get_article(self, article_id: str) -> Article | None:
        row = self.conn.execute(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles a LEFT JOIN sources s ON s.id = a.source_id WHERE a.id = ?",
            (article_id,),
        ).fetchone()
        return _row_to_article(row) if row else None

    def get_articles(self, ids: Sequence[str]) -> list[Article]:
        """Articles by id, in the order asked (missing ids are skipped)."""
        by_id: dict[str, Article] = {}
        for chunk in _chunks(list(ids), 500):
            q = (f"SELECT {_ARTICLE_COLUMNS} FROM articles a LEFT JOIN sources s ON s.id = a.source_id "
                 f"WHERE a.id IN ({','.join('?' * len(chunk))})")
            for row in self.conn.execute(q, chunk):
                by_id[row["id"]] = _row_to_article(row)
        return [by_id[i] for i in ids if i in by_id]

    def iter_articles(
        self,
        *,
        since: str | None = None,
        until: str | None = None,
        source: str | None = None,
        story_id: str | None = None,
        event_id: str | None = None,
        limit: int | None = None,
        after_seq: int | None = None,
    ) -> Iterator[Article]:
        """Articles in ingest order, filtered. ``after_seq`` is a keyset cursor (see ``article_seq``)."""
        where, params = article_filters(since=since, until=until, source=source, story_id=story_id,
                                        event_id=event_id)
        if after_seq is not None:
            where.append("a.seq > ?")
            params.append(after_seq)
        sql = f"SELECT {_ARTICLE_COLUMNS}, a.seq FROM articles a LEFT JOIN sources s ON s.id = a.source_id"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY a.seq"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        for row in self.conn.execute(sql, params):
            yield _row_to_article(row)

    def article_seq(self, article_id: str) -> int | None:
        row = self.conn.execute("SELECT seq FROM articles WHERE id = ?", (article_id,)).fetchone()
        return int(row[0]) if row else None

    def count_articles(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM articles").fetchone()[0])

    def count_duplicates(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL").fetchone()[0])

    def stats(self) -> dict[str, Any]:
        """Counts of what the store holds, for `storyline stats` and the demo."""
        one = lambda sql: int(self.conn.execute(sql).fetchone()[0])  # noqa: E731
        dates = self.conn.execute("SELECT min(date), max(date) FROM articles").fetchone()
        return {
            "articles": self.count_articles(),
            "wire_copies": self.count_duplicates(),
            "undated": one("SELECT count(*) FROM articles WHERE date IS NULL"),
            "first_date": dates[0],
            "last_date": dates[1],
            "events": one("SELECT count(*) FROM events WHERE merged_into IS NULL"),
            "storylines": one("SELECT count(*) FROM stories WHERE merged_into IS NULL"),
            "schema_version": self.schema_version,
            "sources": self.sources(),
        }

    def search(self, query: str, *, limit: int = 20, offset: int = 0) -> list[dict[str, Any]]:
        """Full-text search (FTS5) over title and text, best first, with highlighted snippets."""
        fts_query = _fts_query(query)
        if not fts_query:
            return []
        rows = self.conn.execute(
            "SELECT a.id, a.title, a.date, s.name AS source, a.event_id, a.story_id, "
            "snippet(articles_fts, 1, '[', ']', ' … ', 12) AS snippet, bm25(articles_fts, 5.0, 1.0) AS score "
            "FROM articles_fts JOIN articles a ON a.seq = articles_fts.rowid "
            "LEFT JOIN sources s ON s.id = a.source_id "
            "WHERE articles_fts MATCH ? ORDER BY score LIMIT ? OFFSET ?",
            (fts_query, limit, offset),
        ).fetchall()
        return [dict(r) for r in rows]

    # -- stage state -----------------------------------------------------------------------------------
    def get_state(self, name: str) -> bytes | None:
        row = self.conn.execute("SELECT value FROM stage_state WHERE name = ?", (name,)).fetchone()
        return bytes(row[0]) if row else None

    def put_state(self, name: str, value: bytes) -> None:
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO stage_state(name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET "
                "value = excluded.value, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
                (name, value),
            )


def _chunks(items: list[Any], n: int) -> Iterator[list[Any]]:
    for i in range(0, len(items), n):
        yield items[i:i + n]


def _split_sql(script: str) -> list[str]:
    """Split a migration into statements, keeping trigger bodies (BEGIN ... END;) whole."""
    statements: list[str] = []
    buf = ""
    for line in script.splitlines(keepends=True):
        stripped = line.strip()
        if stripped.startswith("--") and not buf.strip():
            continue
        buf += line
        if sqlite3.complete_statement(buf):
            if buf.strip():
                statements.append(buf.strip())
            buf = ""
    if buf.strip():
        statements.append(buf.strip())
    return statements


def _fts_query(query: str) -> str:
    """Turn user words into a safe FTS5 query: each word quoted (so punctuation cannot inject syntax),
    all words required."""
    words = [w for w in "".join(c if c.isalnum() else " " for c in query).split() if w]
    return " ".join(f'"{w}"' for w in words)
