"""The export contract: what `storyline export` and the HTTP API return, row by row.

Each exporter maps store objects to plain dicts with stable keys (benchmarks and later stages rely on them).
Writers turn rows into JSON lines, CSV or Parquet.
"""

from __future__ import annotations

import csv
import html
import json
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any

from .model import Article, Event, Story
from .store import Store

ARTICLE_FIELDS = ["id", "title", "date", "source", "url", "lang", "dateline", "duplicate_of", "event_id", "story_id",
                  "text", "meta"]


def article_row(a: Article) -> dict[str, Any]:
    return {
        "id": a.id,
        "title": a.title,
        "date": a.date,
        "source": a.source,
        "url": a.url,
        "lang": a.lang,
        "dateline": a.dateline,
        "duplicate_of": a.duplicate_of,
        "event_id": a.event_id,
        "story_id": a.story_id,
        "text": a.text,
        "meta": a.meta,
    }


def highlight_html(snippet: str | None) -> str:
    """An FTS snippet as safe HTML: escape everything first, then turn the store's private-use match markers
    into <mark> tags (balanced even if the text itself contained marker characters)."""
    from .store.web import MARK_CLOSE, MARK_OPEN

    out: list[str] = []
    open_ = False
    for ch in html.escape(snippet or "", quote=True):
        if ch == MARK_OPEN and not open_:
            out.append("<mark>")
            open_ = True
        elif ch == MARK_CLOSE and open_:
            out.append("</mark>")
            open_ = False
        elif ch not in (MARK_OPEN, MARK_CLOSE):
            out.append(ch)
    if open_:
        out.append("</mark>")
    return "".join(out)


def search_row(hit: dict[str, Any]) -> dict[str, Any]:
    """One full-text hit (``Store.search_page``): ``snippet`` is plain text, ``snippet_html`` is escaped HTML
    with matches in <mark>."""
    from .store.web import MARK_CLOSE, MARK_OPEN

    raw = hit.get("snippet") or ""
    return {
        "id": hit["id"],
        "title": hit.get("title"),
        "date": hit.get("date"),
        "source": hit.get("source"),
        "url": hit.get("url"),
        "event_id": hit.get("event_id"),
        "story_id": hit.get("story_id"),
        "duplicate_of": hit.get("duplicate_of"),
        "snippet": raw.replace(MARK_OPEN, "").replace(MARK_CLOSE, ""),
        "snippet_html": highlight_html(raw),
        "score": round(float(hit.get("score") or 0.0), 4),
    }


def export_articles(store: Store) -> Iterator[dict[str, Any]]:
    for a in store.iter_articles():
        yield article_row(a)


def entity_row(e: dict[str, Any]) -> dict[str, Any]:
    """An entity (as ``Store.list_entities``/``entity_info`` give it) in the export contract's shape."""
    return {"id": e["id"], "name": e["name"], "type": e["type"], "aliases": e["aliases"],
            "article_ids": e["article_ids"], "mentions": e["mentions"]}


def export_entities(store: Store) -> Iterator[dict[str, Any]]:
    for e in store.list_entities():
        yield entity_row(e)


def export_claims(store: Store) -> Iterator[dict[str, Any]]:
    from .store.entities import claim_row

    events = {}
    for c in store.iter_claims():
        if c.article_id not in events:
            events.update(store.article_events([c.article_id]))
        yield claim_export_row(c, events.get(c.article_id))


def claim_export_row(c: Any, event_id: str | None) -> dict[str, Any]:
    """A claim in the export contract's shape: ``claim_row`` plus the event of its article."""
    from .store.entities import claim_row

    return {**claim_row(c), "event_id": event_id}


def event_export_row(e: Event, who_said_what: dict[str, Any] | None = None) -> dict[str, Any]:
    """An event in the export contract's shape (``export --what events``); with ``who_said_what`` (as
    ``Store.events_who_said_what`` gives it) also its ``entities``, ``claims`` and ``disagreements``."""
    row = {"event_id": e.id, "story_id": e.story_id, "title": e.title, "start": e.start, "end": e.end,
           "article_ids": list(e.article_ids), "sources": list(e.sources)}
    if who_said_what is not None:
        row.update({k: who_said_what.get(k, []) for k in ("entities", "claims", "disagreements")})
    return row


def event_detail_row(e: Event, who_said_what: dict[str, Any] | None, summary: list[Any] | None) -> dict[str, Any]:
    """``event_export_row`` plus the cited summary (``[{text, article_ids}]``): the API's single event."""
    return {**event_export_row(e, who_said_what),
            "summary": [{"text": s.text, "article_ids": list(s.article_ids)} for s in summary or []]}


def story_export_row(s: Story) -> dict[str, Any]:
    """A storyline in the export contract's shape (``export --what stories``)."""
    return {"story_id": s.id, "title": s.title, "start": s.start, "end": s.end, "event_ids": list(s.event_ids)}


def export_events(store: Store) -> Iterator[dict[str, Any]]:
    from .summarize.cached import summary_field

    cursor = None
    while True:
        page = store.list_events(limit=500, cursor=cursor)
        who = store.events_who_said_what([e.id for e in page])  # one batch of queries per page
        # plus the cited summary: cached in events.summary, computed when missing or stale (summarize.cached)
        yield from ({**event_export_row(e, who[e.id]), "summary": summary_field(store, e.id)} for e in page)
        if len(page) < 500:
            return
        cursor = page[-1].id


def export_stories(store: Store) -> Iterator[dict[str, Any]]:
    yield from (story_export_row(s) for s in store.list_stories())


# what -> row generator. Later stages register theirs here (events, stories, entities, claims).
EXPORTERS: dict[str, Callable[[Store], Iterable[dict[str, Any]]]] = {
    "articles": export_articles,
    "events": export_events,
    "stories": export_stories,
    "entities": export_entities,
    "claims": export_claims,
}

FORMATS = ("jsonl", "csv", "parquet")


class ExportError(Exception):
    pass


def write_jsonl(rows: Iterable[dict[str, Any]], out: IO[str]) -> int:
    n = 0
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
        n += 1
    return n


def _flat(value: Any) -> Any:
    if isinstance(value, (dict, list, tuple)):
        return json.dumps(value, ensure_ascii=False)
    return value


def write_csv(rows: Iterable[dict[str, Any]], out: IO[str]) -> int:
    writer: csv.DictWriter[str] | None = None
    n = 0
    for row in rows:
        if writer is None:
            writer = csv.DictWriter(out, fieldnames=list(row.keys()), extrasaction="ignore")
            writer.writeheader()
        writer.writerow({k: _flat(v) for k, v in row.items()})
        n += 1
    return n


def write_parquet(rows: Iterable[dict[str, Any]], path: str) -> int:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ExportError("parquet export needs pyarrow: pip install 'storyline[parquet]'") from exc
    materialised = [{k: _flat(v) if isinstance(v, dict) else v for k, v in r.items()} for r in rows]
    table = pa.Table.from_pylist(materialised)
    pq.write_table(table, path)
    return len(materialised)


def export(store: Store, what: str, fmt: str, out: IO[str] | None = None, path: str | None = None) -> int:
    if what not in EXPORTERS:
        raise ExportError(f"unknown --what {what!r}; choose one of: {', '.join(sorted(EXPORTERS))}")
    if fmt not in FORMATS:
        raise ExportError(f"unknown --format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    rows = EXPORTERS[what](store)
    if fmt == "parquet":
        if not path:
            raise ExportError("--format parquet needs --out FILE")
        return write_parquet(rows, path)
    assert out is not None
    return write_jsonl(rows, out) if fmt == "jsonl" else write_csv(rows, out)
