"""RSS / Atom feeds via feedparser: one article per entry, text from content:encoded / content / summary with the
HTML stripped. Source: the ``source`` argument, else the entry's own source title, else the feed title (an outlet's
name, as a reader would show it), else the entry link's host, else the file stem. A feed that is malformed XML is an error when no entries could be recovered, else a warning."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

from ..model import Article, IngestProblem
from ._common import host_of, html_to_text, normalise_date

FEED_ROOT = re.compile(rb"<(?:rss|feed|rdf:RDF)[\s>]", re.IGNORECASE)


def looks_like_feed(head: bytes) -> bool:
    return bool(FEED_ROOT.search(head[:4096]))


def _entry_text(entry) -> str:  # type: ignore[no-untyped-def]
    for c in entry.get("content") or []:
        if c.get("value", "").strip():
            return html_to_text(c["value"])
    for key in ("summary", "description"):
        if entry.get(key, "").strip():
            return html_to_text(entry[key])
    return ""


def read_feed(data: bytes, where: str, *, source: str | None, stem: str) -> Iterator[Article | IngestProblem]:
    import feedparser

    parsed = feedparser.parse(data)
    entries = parsed.get("entries") or []
    if parsed.get("bozo") and not entries:
        exc = parsed.get("bozo_exception")
        yield IngestProblem(where, f"malformed feed XML ({exc})" if exc else "malformed feed XML")
        return
    if parsed.get("bozo"):
        yield IngestProblem(where, f"feed XML is not well-formed ({parsed.get('bozo_exception')}); "
                                   f"{len(entries)} entries recovered", severity="warning")
    if not entries:
        yield IngestProblem(where, "feed has no entries")
        return
    feed_title = (parsed.get("feed") or {}).get("title")
    for i, entry in enumerate(entries, 1):
        loc = f"{where}#{i}"
        text = _entry_text(entry)
        if not text.strip():
            yield IngestProblem(loc, "feed entry has no text (no content, summary or description)")
            continue
        date = None
        for key in ("published_parsed", "updated_parsed", "created_parsed"):
            st = entry.get(key)
            if st:
                date = time.strftime("%Y-%m-%d", st)
                break
        if date is None:
            for key in ("published", "updated", "dc_date"):
                if entry.get(key):
                    date = normalise_date(entry[key])
                    if date is None:
                        yield IngestProblem(loc, f"invalid date {entry[key]!r}; entry kept with no date",
                                            severity="warning")
                    break
        link = entry.get("link")
        title = html_to_text(entry["title"]) if entry.get("title") else None
        src_title = (entry.get("source") or {}).get("title") if isinstance(entry.get("source"), dict) else None
        yield Article(id=entry.get("id") or "", text=text, raw=text, title=title or None, date=date,
                      source=source or src_title or feed_title or host_of(link) or stem, url=link or None,
                      lang=entry.get("language") or (parsed.get("feed") or {}).get("language"), origin=loc,
                      meta={"format": "feed"})
