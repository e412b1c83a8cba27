"""Seed dated-text files: a ``date YYYY-MM-DD`` header (leading whitespace allowed), then the article body on the
same line and/or the following lines. A file may hold several such articles, each starting with its own header."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..model import Article, IngestProblem
from ._common import normalise_date

HEADER = re.compile(r"^[ \t]*date[ \t]+(\d{4}-\d{2}-\d{2})\b[ \t]*", re.MULTILINE)


def looks_like_seed(text: str) -> bool:
    m = HEADER.match(text.lstrip("\ufeff\r\n"))
    return bool(m)


def read_seed(text: str, where: str, *, source: str) -> Iterator[Article | IngestProblem]:
    text = text.lstrip("\ufeff")
    headers = list(HEADER.finditer(text))
    multi = len(headers) > 1
    for i, m in enumerate(headers):
        end = headers[i + 1].start() if i + 1 < len(headers) else len(text)
        body = text[m.end():end]
        loc = f"{where}:{text.count(chr(10), 0, m.start()) + 1}" if multi else where
        date = normalise_date(m.group(1))
        if not body.strip():
            yield IngestProblem(loc, "empty article body after the date header")
            continue
        if date is None:
            yield IngestProblem(loc, f"invalid date {m.group(1)!r} in header; article kept with no date",
                                severity="warning")
        yield Article(id="", text=body, raw=body, date=date, source=source, origin=loc,
                      meta={} if date else {"invalid_date": m.group(1)})
