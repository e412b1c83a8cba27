"""The HTTP face: a JSON API under ``/api/v1`` and the web UI (``storyline.web.pages``), served by ``storyline serve``.

No logic lives here: every row comes from ``storyline.export`` row functions, every read from a ``Store`` method,
every write through ``storyline.pipeline``. GET requests use read-only SQLite connections from a small pool;
uploads open their own read-write store, one at a time.

Light reads (well under a millisecond) run on the event loop. The heavier ones behind the event pages, searches
and event listings go through ``StorePool.run``, in threads, as does work that can take long (a summary not
cached yet, timelines, uploads). ``serve --workers N`` gives one process per core.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import os
import queue
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from datetime import date
from pathlib import Path
from typing import Annotated, Any, TypeVar

import orjson
from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPBearer
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from . import __version__
from .export import article_row, claim_export_row, entity_row, search_row
from .store import Store

T = TypeVar("T")

API = "/api/v1"
MAX_BODY_BYTES = 20 * 1024 * 1024
MAX_LIMIT = 200
WEB_DIR = Path(__file__).parent / "web"

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


class ApiError(Exception):
    """A 4xx answer with the API's error shape: ``{"error": ..., "detail": ...}``."""

    def __init__(self, status: int, error: str, detail: Any = None, headers: dict[str, str] | None = None) -> None:
        super().__init__(error)
        self.status = status
        self.error = error
        self.detail = detail
        self.headers = headers


def error_response(status: int, error: str, detail: Any = None, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": error, "detail": detail}, status_code=status, headers=headers)


def json_answer(content: Any) -> Response:
    """A 200 JSON answer of plain rows (str, numbers, None, lists, dicts), serialised once, by orjson (a third of
    the standard library's time on a page of events; the same bytes). Returning a ``Response`` makes FastAPI
    skip its generic encoder, which walks every value of a page (tens of milliseconds for a page of events with
    their claims and entities). What orjson refuses (an integer beyond 64 bits, say) goes to the standard
    library."""
    try:
        body = orjson.dumps(content)
    except (TypeError, orjson.JSONEncodeError):
        body = json.dumps(content, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")
    return Response(body, media_type="application/json")


# -- connections ---------------------------------------------------------------------------------------------
class StorePool:
    """A few read-only ``Store`` connections shared by request threads (one request holds one at a time)."""

    def __init__(self, db_path: str, size: int = 8) -> None:
        self.db_path = db_path
        self.size = size
        self._idle: queue.LifoQueue[Store] = queue.LifoQueue()
        self._created = 0
        self._lock = threading.Lock()

    @contextmanager
    def read(self) -> Iterator[Store]:
        try:
            store = self._idle.get_nowait()
        except queue.Empty:
            with self._lock:
                grow = self._created < self.size
                if grow:
                    self._created += 1
            if grow:
                try:
                    store = Store(self.db_path, readonly=True)
                except BaseException:
                    with self._lock:
                        self._created -= 1
                    raise
            else:
                store = self._idle.get()
        try:
            yield store
        finally:
            self._idle.put(store)

    async def run(self, read: Callable[..., T], *args: Any) -> T:
        """``read(*args)`` in a worker thread: for the reads that take milliseconds (event pages, searches,
        event listings). On the event loop such a read would hold up everything else the process is doing
        (cache hits, accepting, sending); in threads, SQLite (which releases the GIL) overlaps with Python work.
        Measured with 50 clients and the answer cache off: 1.4-2.2x the requests per second of running them
        on the loop, and no timeouts, although one request alone is a little slower (the hand-off)."""
        return await run_in_threadpool(read, *args)

    def close(self) -> None:
        """Close the idle connections (the pool stays usable: it opens new ones on demand)."""
        while True:
            try:
                store = self._idle.get_nowait()
            except queue.Empty:
                return
            store.close()
            with self._lock:
                self._created -= 1


# -- middleware (plain ASGI: cheap, and applies to every response including errors and static files) -----------
class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                headers += [(k, v) for k, v in SECURITY_HEADERS if k not in present]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyLimit:
    """Refuse request bodies over ``max_bytes`` with a 413 JSON answer, whether announced by Content-Length or
    streamed. The body is buffered (it is bounded) and replayed to the app."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        too_big = error_response(413, "request too large",
                                 f"the request body is limited to {self.max_bytes} bytes")
        for key, value in scope.get("headers", []):
            if key == b"content-length":
                try:
                    announced = int(value)
                except ValueError:
                    await error_response(400, "bad request", "invalid Content-Length")(scope, receive, send)
                    return
                if announced > self.max_bytes:
                    await too_big(scope, receive, send)
                    return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body = message.get("body", b"")
            size += len(body)
            if size > self.max_bytes:
                await too_big(scope, receive, send)
                return
            chunks.append(body)
            if not message.get("more_body", False):
                break
        whole = b"".join(chunks)
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": whole, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


# -- response cache ------------------------------------------------------------------------------------------
class StoreGeneration:
    """The store's write generation: SQLite's ``PRAGMA data_version`` on a connection of our own that never
    writes, so it changes whenever any other connection (this process's upload or summary writes, another
    worker, a CLI ingest) commits. Called from the event loop thread only."""

    def __init__(self, db_path: str) -> None:
        import sqlite3

        self.conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, isolation_level=None,
                                    check_same_thread=False)
        self.conn.execute("PRAGMA busy_timeout = 30000")

    def __call__(self) -> int:
        return int(self.conn.execute("PRAGMA data_version").fetchone()[0])

    def close(self) -> None:
        self.conn.close()


def _etag(body: bytes) -> bytes:
    import hashlib

    return b'"' + hashlib.blake2b(body, digest_size=16).hexdigest().encode() + b'"'


def _etag_matches(if_none_match: bytes, etag: bytes) -> bool:
    """RFC 9110 weak comparison of an If-None-Match list against our (strong) ETag."""
    for candidate in if_none_match.split(b","):
        candidate = candidate.strip()
        if candidate == b"*":
            return True
        if candidate.startswith(b"W/"):
            candidate = candidate[2:]
        if candidate == etag:
            return True
    return False


class SharedAnswers:
    """The answers of ``serve --workers N`` shared by its processes: a small SQLite file of its own (in a fresh
    temporary directory per server run), so each URL is computed once for all workers instead of once in each.

    Its entries carry a shared generation number rather than a store generation: ``PRAGMA data_version`` values
    only compare within one connection, so a worker that sees its own ``data_version`` move (any commit to the
    store) bumps the shared number, which retires every shared entry at once. Bounded to ``max_entries``
    answers, oldest written first out."""

    def __init__(self, path: str, max_entries: int) -> None:
        import sqlite3

        self.max_entries = max_entries
        self.conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=30)
        self.conn.execute("PRAGMA busy_timeout = 30000")
        self.conn.execute("PRAGMA journal_mode = WAL")
        self.conn.execute("PRAGMA synchronous = OFF")  # a cache: losing it in a crash loses nothing
        self.conn.execute("CREATE TABLE IF NOT EXISTS answers (key TEXT PRIMARY KEY, generation INTEGER NOT NULL, "
                          "headers TEXT NOT NULL, body BLOB NOT NULL, etag BLOB NOT NULL)")
        self.conn.execute("CREATE TABLE IF NOT EXISTS generation (id INTEGER PRIMARY KEY CHECK (id = 0), "
                          "value INTEGER NOT NULL)")
        self.conn.execute("INSERT OR IGNORE INTO generation (id, value) VALUES (0, 0)")
        self._writes = 0

    def generation(self) -> int:
        return int(self.conn.execute("SELECT value FROM generation WHERE id = 0").fetchone()[0])

    def bump(self) -> None:
        self.conn.execute("UPDATE generation SET value = value + 1 WHERE id = 0")

    def get(self, key: str, generation: int) -> tuple[list[tuple[bytes, bytes]], bytes, bytes] | None:
        row = self.conn.execute("SELECT headers, body, etag FROM answers WHERE key = ? AND generation = ?",
                                (key, generation)).fetchone()
        if row is None:
            return None
        headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in json.loads(row[0])]
        return headers, bytes(row[1]), bytes(row[2])

    def put(self, key: str, generation: int, headers: list[tuple[bytes, bytes]], body: bytes, etag: bytes) -> None:
        encoded = json.dumps([[k.decode("latin-1"), v.decode("latin-1")] for k, v in headers])
        # REPLACE gives the row a new rowid, so rowid order is write order
        self.conn.execute("INSERT OR REPLACE INTO answers (key, generation, headers, body, etag) "
                          "VALUES (?, ?, ?, ?, ?)", (key, generation, encoded, body, etag))
        self._writes += 1
        if self._writes % 32 == 0:
            self.conn.execute("DELETE FROM answers WHERE rowid <= (SELECT max(rowid) FROM answers) - ?",
                              (self.max_entries,))

    def close(self) -> None:
        self.conn.close()


class ResponseCache:
    """In-memory cache of successful GET answers of the pages and the JSON API, plus ETag / If-None-Match.

    The key is (path, query string, the htmx headers a page varies on); an entry is valid only while the store's
    write generation (``StoreGeneration``) is the one read before the answer was computed, so any commit by
    anyone invalidates every entry at once and a stale answer is never served. Every 200 GET answer gets a
    strong ETag (a hash of its body) and ``Cache-Control: no-cache`` (browsers revalidate each time); a request
    whose If-None-Match names the current ETag gets an empty 304. Static files keep their own ETags.
    Bounded: ``max_entries`` answers of at most ``max_entry_bytes`` each, least recently used evicted first.
    ``max_entries=0`` turns the cache off (ETags and 304s still work). While it is on, every GET answer says
    ``x-storyline-cache: hit`` or ``miss`` (the load benchmark reports the hit rate from it). With
    ``shared_path`` (``serve --workers N``) a miss here is looked up in the workers' ``SharedAnswers`` before
    it is computed, and what is computed is put there too."""

    VARY = (b"hx-request", b"hx-target")

    def __init__(self, db_path: str, max_entries: int = 2048, max_entry_bytes: int = 1024 * 1024,
                 shared_path: str | None = None) -> None:
        from collections import OrderedDict

        self.db_path = db_path
        self.shared_path = shared_path if max_entries > 0 else None
        self._shared: SharedAnswers | None = None
        self._seen_generation: int | None = None
        self.shared_hits = 0
        self.max_entries = max_entries
        self.max_entry_bytes = max_entry_bytes
        self.entries: OrderedDict[tuple[Any, ...], tuple[int, list[tuple[bytes, bytes]], bytes, bytes]] = \
            OrderedDict()
        self.hits = 0
        self.misses = 0
        self._generation: StoreGeneration | None = None

    def generation(self) -> int:
        if self._generation is None:
            self._generation = StoreGeneration(self.db_path)
        return self._generation()

    def clear(self) -> None:
        self.entries.clear()
        if self._generation is not None:
            self._generation.close()
            self._generation = None
        if self._shared is not None:
            self._shared.close()
            self._shared = None

    def shared(self, generation: int) -> tuple[SharedAnswers, int] | None:
        """The answers shared with the other workers and their current generation (bumped first when this
        process's store generation moved since its last request)."""
        if self.shared_path is None:
            return None
        if self._shared is None:
            self._shared = SharedAnswers(self.shared_path, self.max_entries)
        # the first look bumps too: this process cannot tell whether the store changed before it started
        if generation != self._seen_generation:
            self._shared.bump()
        self._seen_generation = generation
        return self._shared, self._shared.generation()

    async def serve(self, app: ASGIApp, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or scope["path"].startswith("/static/"):
            await app(scope, receive, send)
            return
        headers = dict(scope.get("headers", []))
        if_none_match = headers.get(b"if-none-match")
        key = (scope["path"], scope.get("query_string", b""), *(headers.get(h) for h in self.VARY))
        generation = self.generation() if self.max_entries > 0 else None
        entry = self.entries.get(key) if generation is not None else None
        if entry is not None and entry[0] == generation:
            self.entries.move_to_end(key)
            self.hits += 1
            await self._answer(send, [*entry[1], (b"x-storyline-cache", b"hit")], entry[2], entry[3], if_none_match)
            return
        if entry is not None:
            del self.entries[key]
        shared = self.shared(generation) if generation is not None else None
        shared_key = ""
        if shared is not None:
            shared_key = json.dumps([k.decode("latin-1") if isinstance(k, bytes) else k for k in key])
            found = shared[0].get(shared_key, shared[1])
            if found is not None:
                self._keep(key, generation, *found)
                self.hits += 1
                self.shared_hits += 1
                await self._answer(send, [*found[0], (b"x-storyline-cache", b"hit")], found[1], found[2],
                                   if_none_match)
                return
        self.misses += 1

        start: Message | None = None
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                return
            if message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if message.get("more_body", False):
                    return
                assert start is not None
                body = b"".join(chunks)
                if start["status"] != 200:
                    await send(start)
                    await send({"type": "http.response.body", "body": body})
                    return
                etag = _etag(body)
                kept = [(k, v) for k, v in start.get("headers", []) if k.lower() not in (b"etag", b"cache-control")]
                kept += [(b"etag", etag), (b"cache-control", b"no-cache")]
                if generation is not None and len(body) <= self.max_entry_bytes:
                    self._keep(key, generation, kept, body, etag)
                    if shared is not None:
                        shared[0].put(shared_key, shared[1], kept, body, etag)
                if generation is not None:
                    kept = [*kept, (b"x-storyline-cache", b"miss")]
                await self._answer(send, kept, body, etag, if_none_match)
                return
            await send(message)

        await app(scope, receive, capture)

    def _keep(self, key: tuple[Any, ...], generation: int | None, headers: list[tuple[bytes, bytes]], body: bytes,
              etag: bytes) -> None:
        self.entries[key] = (generation, headers, body, etag)
        while len(self.entries) > self.max_entries:
            self.entries.popitem(last=False)

    @staticmethod
    async def _answer(send: Send, headers: list[tuple[bytes, bytes]], body: bytes, etag: bytes,
                      if_none_match: bytes | None) -> None:
        if if_none_match is not None and _etag_matches(if_none_match, etag):
            await send({"type": "http.response.start", "status": 304,
                        "headers": [(b"etag", etag), (b"cache-control", b"no-cache")]})
            await send({"type": "http.response.body", "body": b""})
            return
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})


class CachedApp:
    """ASGI middleware: serve ``app`` through ``cache`` (a ``ResponseCache``)."""

    def __init__(self, app: ASGIApp, cache: ResponseCache) -> None:
        self.app = app
        self.cache = cache

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.cache.serve(self.app, scope, receive, send)


# -- cursors -------------------------------------------------------------------------------------------------
def encode_cursor(kind: str, value: Any) -> str:
    raw = json.dumps({"k": kind, "v": value}, separators=(",", ":"), ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(kind: str, cursor: str | None) -> Any:
    """The value inside an opaque cursor made by ``encode_cursor(kind, ...)``; ApiError 400 when it is not one."""
    if cursor is None or cursor == "":
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw.decode("utf-8"))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise ApiError(400, "bad cursor", "pass back the next_cursor of a previous page unchanged") from None
    if not isinstance(data, dict) or data.get("k") != kind or "v" not in data:
        raise ApiError(400, "bad cursor", f"this cursor does not belong to the {kind} listing")
    return data["v"]


def int_cursor(kind: str, cursor: str | None) -> int | None:
    value = decode_cursor(kind, cursor)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ApiError(400, "bad cursor", "pass back the next_cursor of a previous page unchanged")
    return value


def pair_cursor(kind: str, cursor: str | None) -> tuple[str, str] | None:
    value = decode_cursor(kind, cursor)
    if value is None:
        return None
    if not (isinstance(value, list) and len(value) == 2 and all(isinstance(v, str) for v in value)):
        raise ApiError(400, "bad cursor", "pass back the next_cursor of a previous page unchanged")
    return value[0], value[1]


def date_range(since: date | None, until: date | None) -> tuple[str | None, str | None]:
    if since and until and since > until:
        raise ApiError(400, "bad date range", f"since ({since}) is after until ({until})")
    return (since.isoformat() if since else None, until.isoformat() if until else None)


# -- shared query parameters -----------------------------------------------------------------------------------
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page.")]
Cursor = Annotated[str | None, Query(max_length=2000, description="The next_cursor of the previous page.")]
Since = Annotated[date | None, Query(description="Only items on or after this day (YYYY-MM-DD).")]
Until = Annotated[date | None, Query(description="Only items on or before this day (YYYY-MM-DD).")]
Source = Annotated[str | None, Query(max_length=300, description="Only items from this outlet.")]
StoryFilter = Annotated[str | None, Query(max_length=300, description="Only items of this storyline id.")]
EventFilter = Annotated[str | None, Query(max_length=300, description="Only items of this event id.")]


UPLOAD_RECORD: dict[str, Any] = {
    "type": "object",
    "properties": {
        "id": {"type": "string"}, "title": {"type": "string"}, "text": {"type": "string"},
        "date": {"type": "string", "example": "2026-03-02"}, "source": {"type": "string"},
        "url": {"type": "string"}, "lang": {"type": "string"},
    },
    "additionalProperties": True,
}
bearer = HTTPBearer(auto_error=False, description="The token given to `storyline serve --token`.")


def page(items: list[dict[str, Any]], next_cursor: str | None) -> dict[str, Any]:
    return {"items": items, "next_cursor": next_cursor}


def not_found(kind: str, item_id: str) -> ApiError:
    return ApiError(404, "not found", f"no {kind} with id {item_id!r}")


# -- JSON API ------------------------------------------------------------------------------------------------
def api_router(pool: StorePool, db_path: str, token: str | None) -> APIRouter:
    router = APIRouter(prefix=API)
    write_lock = threading.Lock()

    @router.get("/articles", tags=["articles"], summary="List articles in ingest order")
    async def list_articles(
        limit: Limit = 20, cursor: Cursor = None, since: Since = None, until: Until = None, source: Source = None,
        story: StoryFilter = None, event: EventFilter = None,
    ) -> dict[str, Any]:
        after = int_cursor("articles", cursor)
        lo, hi = date_range(since, until)
        with pool.read() as store:
            found = list(store.iter_articles(since=lo, until=hi, source=source, story_id=story, event_id=event,
                                             limit=limit + 1, after_seq=after))
            more = len(found) > limit
            found = found[:limit]
            nxt = None
            if more:
                nxt = encode_cursor("articles", store.article_seqs([found[-1].id])[found[-1].id])
        return json_answer(page([article_row(a) for a in found], nxt))  # type: ignore[return-value]

    @router.get("/articles/{article_id:path}", tags=["articles"], summary="One article")
    async def get_article(article_id: str) -> dict[str, Any]:
        with pool.read() as store:
            article = store.get_article(article_id)
        if article is None:
            raise not_found("article", article_id)
        return json_answer(article_row(article))  # type: ignore[return-value]

    @router.post("/articles", tags=["articles"], summary="Ingest a batch of articles (needs the bearer token)",
                 description="A JSON list of article objects, or `{\"articles\": [...]}`, with the same flexible "
                 "field names as JSON Lines input (`text`/`body`/`content`, `title`/`headline`, `date`/`published`, "
                 "`source`/`outlet`, `url`, `id`, `lang`; other fields kept as metadata). Runs the same pipeline as "
                 "`storyline ingest` and returns its report, with one entry per problem record.",
                 responses={401: {"description": "missing or wrong token"},
                            403: {"description": "the server has no token: writes are disabled"},
                            413: {"description": "body over the size limit"}},
                 openapi_extra={"requestBody": {"required": True, "content": {"application/json": {"schema": {
                     "oneOf": [
                         {"type": "array", "items": UPLOAD_RECORD},
                         {"type": "object", "required": ["articles"],
                          "properties": {"articles": {"type": "array", "items": UPLOAD_RECORD}}},
                     ]}}}}})
    async def post_articles(request: Request, _auth: Annotated[Any, Depends(bearer)] = None) -> JSONResponse:
        check_token(request, token)
        body = await request.body()
        try:
            doc = json.loads(body)
        except (ValueError, UnicodeDecodeError) as exc:
            raise ApiError(400, "invalid JSON", str(exc)) from None
        if not isinstance(doc, (list, dict)):
            raise ApiError(400, "invalid body", "send a JSON list of article objects or {\"articles\": [...]}")
        if isinstance(doc, dict) and not isinstance(doc.get("articles"), list):
            raise ApiError(400, "invalid body", "send a JSON list of article objects or {\"articles\": [...]}")
        records = doc if isinstance(doc, list) else doc["articles"]
        if not records:
            raise ApiError(400, "invalid body", "no articles in the request")
        report = await run_in_threadpool(_ingest_records, db_path, records, write_lock)
        return JSONResponse(report, status_code=200)

    @router.get("/search", tags=["search"], summary="Full-text search over articles, best match first")
    async def search(
        q: Annotated[str, Query(min_length=1, max_length=500, description="Words to look for.")],
        limit: Limit = 20, cursor: Cursor = None, since: Since = None, until: Until = None, source: Source = None,
    ) -> dict[str, Any]:
        offset = int_cursor("search", cursor) or 0
        if offset > 10_000:
            raise ApiError(400, "bad cursor", "search pages stop after 10000 hits; narrow the query")
        lo, hi = date_range(since, until)

        def read() -> Response:
            with pool.read() as store:
                hits = store.search_page(q, source=source, since=lo, until=hi, limit=limit + 1, offset=offset)
            more = len(hits) > limit
            return json_answer(page([search_row(h) for h in hits[:limit]],
                                    encode_cursor("search", offset + limit) if more else None))

        return await pool.run(read)  # type: ignore[return-value]

    # -- events, storylines, timelines ------------------------------------------------------------------------
    @router.get("/events", tags=["events"], summary="List events, latest first")
    async def list_events(
        limit: Limit = 20, cursor: Cursor = None, since: Since = None, until: Until = None, source: Source = None,
        story: StoryFilter = None,
    ) -> dict[str, Any]:
        from .export import event_export_row

        after = pair_cursor("events", cursor)
        lo, hi = date_range(since, until)

        def read() -> Response:
            with pool.read() as store:
                keys = store.event_page(since=lo, until=hi, source=source, story_id=story, after=after,
                                        limit=limit + 1)
                events = store.get_events([eid for _, eid in keys[:limit]])
                who = store.events_who_said_what([e.id for e in events])
            rows = [event_export_row(e, who.get(e.id)) for e in events]
            nxt = encode_cursor("events", list(keys[limit - 1][0])) if len(keys) > limit else None
            return json_answer(page(rows, nxt))

        return await pool.run(read)  # type: ignore[return-value]

    @router.get("/events/{event_id}", tags=["events"], summary="One event with its cited summary (a merged-away id gives the event it joined)")
    async def get_event(event_id: str) -> dict[str, Any]:
        from .export import event_detail_row
        from .web.pages import cached_summary, fresh_summary

        def read() -> tuple[Any, Any, Any]:
            with pool.read() as store:
                event = store.get_event(event_id)
                if event is None:
                    raise not_found("event", event_id)
                return event, store.events_who_said_what([event.id]).get(event.id), cached_summary(store, event.id)

        event, who, summary = await pool.run(read)
        if summary is None:  # first request: compute and cache it with a short-lived writable connection
            summary = await run_in_threadpool(fresh_summary, pool.db_path, event.id)
        return json_answer(event_detail_row(event, who, summary))  # type: ignore[return-value]

    @router.get("/stories", tags=["stories"], summary="List storylines, most recently active first")
    async def list_stories(
        limit: Limit = 20, cursor: Cursor = None, since: Since = None, until: Until = None,
    ) -> dict[str, Any]:
        from .export import story_export_row

        after = pair_cursor("stories", cursor)
        lo, hi = date_range(since, until)
        with pool.read() as store:
            keys = store.story_page(since=lo, until=hi, after=after, limit=limit + 1)
            rows = [story_export_row(t) for _, sid in keys[:limit] if (t := store.get_story(sid)) is not None]
        nxt = encode_cursor("stories", list(keys[limit - 1][0])) if len(keys) > limit else None
        return json_answer(page(rows, nxt))  # type: ignore[return-value]

    @router.get("/stories/{story_id}", tags=["stories"], summary="One storyline")
    async def get_story(story_id: str) -> dict[str, Any]:
        from .export import story_export_row

        with pool.read() as store:
            story = store.get_story(story_id)
        if story is None:
            raise not_found("storyline", story_id)
        return json_answer(story_export_row(story))  # type: ignore[return-value]

    @router.get("/timeline", tags=["stories"], summary="Dated timeline of a storyline or of the articles matching words")
    def timeline(
        story: StoryFilter = None,
        q: Annotated[str | None, Query(min_length=1, max_length=500,
                                       description="Timeline of the articles matching these words.")] = None,
        since: Since = None, until: Until = None,
        dates: Annotated[int, Query(ge=1, le=50, description="How many days.")] = 10,
        sentences: Annotated[int, Query(ge=1, le=5, description="Sentences per day.")] = 2,
    ) -> dict[str, Any]:
        from .summarize.cached import TimelineScopeError, store_timeline

        if (story is None) == (q is None):
            raise ApiError(400, "invalid parameter", "give exactly one of story or q")
        lo, hi = date_range(since, until)
        with pool.read() as store:
            found = store.get_story(story) if story is not None else None
            if story is not None and found is None:
                raise not_found("storyline", story)
            try:
                items = store_timeline(store, story_id=found.id if found else None, query=q, dates=dates,
                                       sentences=sentences, since=lo, until=hi)
            except TimelineScopeError as exc:
                raise ApiError(400, "invalid parameter", str(exc)) from None
        return json_answer(  # type: ignore[return-value]
            {"story_id": found.id if found else None, "query": q, "items": items})

    # -- entities and claims ----------------------------------------------------------------------------------
    @router.get("/entities", tags=["entities"], summary="List entities by name")
    async def list_entities(
        limit: Limit = 20, cursor: Cursor = None,
        type: Annotated[str | None, Query(max_length=20, description="PERSON, ORG, PLACE, ...")] = None,  # noqa: A002
        name: Annotated[str | None, Query(max_length=300, description="Prefix of the name.")] = None,
    ) -> dict[str, Any]:
        after = pair_cursor("entities", cursor)
        with pool.read() as store:
            keys = store.entity_page(type=type, name=name, after=after, limit=limit + 1)
            rows = [store.entity_info(eid) for _, eid in keys[:limit]]
        nxt = encode_cursor("entities", list(keys[limit - 1][0])) if len(keys) > limit else None
        return json_answer(page([entity_row(e) for e in rows if e is not None], nxt))  # type: ignore[return-value]

    @router.get("/entities/{entity_id}", tags=["entities"], summary="One entity with its aliases and articles")
    async def get_entity(entity_id: str) -> dict[str, Any]:
        with pool.read() as store:
            entity = store.entity_info(entity_id)
        if entity is None:
            raise not_found("entity", entity_id)
        return json_answer(entity_row(entity))  # type: ignore[return-value]

    @router.get("/claims", tags=["claims"], summary="List claims (who said what), in storage order")
    async def list_claims(
        limit: Limit = 20, cursor: Cursor = None, since: Since = None, until: Until = None, source: Source = None,
        story: StoryFilter = None, event: EventFilter = None,
        speaker: Annotated[str | None, Query(max_length=300, description="Only claims by this entity id.")] = None,
    ) -> dict[str, Any]:
        after = int_cursor("claims", cursor)
        lo, hi = date_range(since, until)
        with pool.read() as store:
            found = store.claim_page(event_id=event, story_id=story, source=source, since=lo, until=hi,
                                     speaker_entity_id=speaker, after=after, limit=limit + 1)
        nxt = encode_cursor("claims", found[limit - 1][0]) if len(found) > limit else None
        rows = [claim_export_row(c, ev) for _, c, ev in found[:limit]]
        return json_answer(page(rows, nxt))  # type: ignore[return-value]

    return router


def check_token(request: Request, token: str | None) -> None:
    if not token:
        raise ApiError(403, "writes disabled",
                       "this server has no token; start it with --token or STORYLINE_TOKEN to accept uploads")
    header = request.headers.get("authorization", "")
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer" or not given:
        raise ApiError(401, "unauthorized", "send Authorization: Bearer <token>",
                       headers={"WWW-Authenticate": "Bearer"})
    if not hmac.compare_digest(given.strip().encode(), token.encode()):
        raise ApiError(401, "unauthorized", "wrong token", headers={"WWW-Authenticate": "Bearer"})


def _ingest_records(db_path: str, records: list[Any], lock: threading.Lock) -> dict[str, Any]:
    """Run uploaded records through the same reader rules and pipeline as `storyline ingest`."""
    from .ingest.jsonfile import read_json
    from .pipeline import Ingestor

    text = json.dumps(records, ensure_ascii=False)
    with lock, Store(db_path) as store:
        report = Ingestor(store).run(read_json(text, "request", source=None, stem="api"))
    return report.to_dict()


# -- the application -----------------------------------------------------------------------------------------
def create_app(db_path: str, *, token: str | None = None, max_body_bytes: int = MAX_BODY_BYTES,
               pool_size: int = 8, cache_entries: int = 2048, shared_cache: str | None = None) -> FastAPI:
    """The whole server: JSON API, web pages, static files, local API docs. ``token`` enables uploads;
    ``cache_entries`` bounds the in-memory answer cache (0 turns it off; see ``ResponseCache``);
    ``shared_cache`` names the answers file shared with sibling worker processes (see ``SharedAnswers``)."""
    db_path = str(db_path)
    with Store(db_path):  # create or migrate once, so every later read can be read-only
        pass
    pool = StorePool(db_path, size=pool_size)
    cache = ResponseCache(db_path, max_entries=cache_entries, shared_path=shared_cache)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        import anyio.to_thread

        # no more request threads than pooled connections: extra threads would only wait for a connection while
        # taking GIL turns from the event loop, which serves cached answers and accepts connections
        anyio.to_thread.current_default_thread_limiter().total_tokens = pool_size
        yield
        pool.close()
        cache.clear()

    app = FastAPI(
        lifespan=lifespan,
        title="storyline",
        version=__version__,
        description="Events, storylines, entities and claims from news articles. Lists are paged: pass "
        "`next_cursor` back as `cursor`. Errors are JSON: `{\"error\": ..., \"detail\": ...}`.",
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.pool = pool
    app.state.db_path = db_path
    app.state.response_cache = cache

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> Response:
        if not request.url.path.startswith(API + "/") and request.url.path != API:
            from .web.pages import error_page

            return error_page(request, exc.status, exc.error, exc.detail)
        return error_response(exc.status, exc.error, exc.detail, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        detail = [{"where": ".".join(str(p) for p in e.get("loc", ())), "problem": e.get("msg", "")}
                  for e in exc.errors()]
        if not request.url.path.startswith(API + "/"):
            from .web.pages import error_page

            return error_page(request, 400, "bad request",
                              "; ".join(f"{d['where']}: {d['problem']}" for d in detail))
        return error_response(400, "invalid parameter", detail)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        names = {404: "not found", 405: "method not allowed"}
        error = names.get(exc.status_code, "error")
        if not request.url.path.startswith(API + "/") and not request.url.path.startswith("/static/"):
            from .web.pages import error_page

            return error_page(request, exc.status_code, error, exc.detail)
        return error_response(exc.status_code, error, exc.detail, getattr(exc, "headers", None))

    app.include_router(api_router(pool, db_path, token))

    from .web.pages import pages_router

    app.include_router(pages_router(pool))
    app.mount("/static", StaticFiles(directory=WEB_DIR / "static"), name="static")
    app.add_middleware(BodyLimit, max_bytes=max_body_bytes)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(CachedApp, cache=cache)  # outermost: a hit skips every other layer (headers are kept)

    return app


SERVE_ENV = "STORYLINE_SERVE_CONFIG"


def app_from_env() -> FastAPI:
    """The app of one ``serve --workers N`` worker process, configured by the parent through the environment."""
    config = json.loads(os.environ[SERVE_ENV])
    return create_app(config["db_path"], token=os.environ.get("STORYLINE_TOKEN") or None,
                      cache_entries=config["cache_entries"], shared_cache=config.get("shared_cache"))


def serve(db_path: str, *, host: str = "127.0.0.1", port: int = 8000, token: str | None = None,
          log_level: str = "info", workers: int = 1, cache_entries: int = 2048) -> None:
    """Run the server until interrupted (the CLI's `storyline serve`). ``workers`` > 1 runs that many server
    processes on the one port (see ``run_workers``); each has its own connection pool and answer cache, backed
    by answers shared between them (a file in a temporary directory removed at exit), and every cache follows
    the store's write generation, so a write through any of them invalidates all."""
    import uvicorn

    token = token or os.environ.get("STORYLINE_TOKEN") or None
    # keep-alive longer than uvicorn's 5 s so busy clients do not race the server closing idle connections
    options: dict[str, Any] = dict(log_level=log_level, access_log=False, timeout_keep_alive=30)
    if workers <= 1:
        uvicorn.run(create_app(db_path, token=token, cache_entries=cache_entries), host=host, port=port, **options)
        return
    import shutil
    import tempfile

    shm = Path("/dev/shm")
    shared_dir = tempfile.mkdtemp(prefix="storyline-answers-", dir=shm if shm.is_dir() else None)
    sockets = listening_sockets(host, port, workers)
    try:
        os.environ[SERVE_ENV] = json.dumps({
            "db_path": str(db_path), "cache_entries": cache_entries,
            "shared_cache": os.path.join(shared_dir, "answers.db") if cache_entries > 0 else None})
        if token:
            os.environ["STORYLINE_TOKEN"] = token
        with Store(db_path):  # migrate once here, not racing in every worker
            pass
        run_workers(sockets, options)
    finally:
        for sock in sockets:
            sock.close()
        shutil.rmtree(shared_dir, ignore_errors=True)


def _worker(sock: Any, options: dict[str, Any]) -> None:
    """One worker process of ``run_workers``: uvicorn serving ``app_from_env`` on its own socket."""
    import uvicorn

    config = uvicorn.Config("storyline.api:app_from_env", factory=True, **options)
    uvicorn.Server(config).run(sockets=[sock])


def run_workers(sockets: list[Any], options: dict[str, Any]) -> None:
    """One uvicorn process per socket (``listening_sockets``), until SIGINT or SIGTERM; a worker that dies after
    it has run a while is started again, one that dies at once stops the server (it would only die again).

    Not uvicorn's own supervisor: that hands every worker the same listening socket, and whichever process
    wakes first accepts a whole burst of new connections (measured: 49 of 50 in one process, 1 in the other),
    so one core queues what the other could serve. Each worker here listens on a socket of its own bound with
    SO_REUSEPORT to the same port, and the kernel spreads the connections over them evenly."""
    import multiprocessing
    import signal
    import threading
    import time

    context = multiprocessing.get_context("spawn")
    stop = threading.Event()
    processes: list[Any] = [None] * len(sockets)
    started = [0.0] * len(sockets)

    def start(i: int) -> None:
        processes[i] = context.Process(target=_worker, args=(sockets[i], options), name=f"storyline-worker-{i}")
        processes[i].start()
        started[i] = time.monotonic()

    previous = {sig: signal.signal(sig, lambda *_: stop.set()) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        for i in range(len(sockets)):
            start(i)
        while not stop.wait(0.5):
            for i, process in enumerate(processes):
                if process.is_alive():
                    continue
                if time.monotonic() - started[i] < 10:
                    raise RuntimeError(f"server worker {i} exited at start (exit code {process.exitcode})")
                start(i)
    finally:
        for process in processes:
            if process is not None and process.is_alive():
                process.terminate()  # SIGTERM: uvicorn finishes the requests in flight
        for process in processes:
            if process is not None:
                process.join(30)
                if process.is_alive():
                    process.kill()
                    process.join()
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def listening_sockets(host: str, port: int, n: int) -> list[Any]:
    """``n`` TCP sockets bound to one address with SO_REUSEPORT (port 0: the port the first one got), one per
    worker process; their accepted connections get TCP_NODELAY."""
    sockets = [listening_socket(host, port, reuse_port=True)]
    port = sockets[0].getsockname()[1]
    try:
        sockets += [listening_socket(host, port, reuse_port=True) for _ in range(n - 1)]
    except OSError:
        for sock in sockets:
            sock.close()
        raise
    return sockets


def listening_socket(host: str, port: int, *, reuse_port: bool = False) -> Any:
    """A bound TCP socket to serve on; its accepted connections get TCP_NODELAY.

    uvicorn's own socket (Config.bind_socket) is made with protocol 0, so asyncio does not set TCP_NODELAY on
    the connections it accepts, and every answer written as headers + a body under one TCP segment waits for
    the client's delayed ACK (~40 ms on Linux). A socket made with IPPROTO_TCP avoids that."""
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if reuse_port:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock
