"""Plain text files without a header: the whole file is one article. The date comes from a ``YYYY-MM-DD`` or
``YYYY/MM/DD`` in the path, else from a dateline in the first lines of the text, else it is unknown."""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Article, IngestProblem
from ._common import date_from_dateline, date_from_path


def read_text(text: str, where: str, *, source: str, path: str | None = None) -> Iterator[Article | IngestProblem]:
    text = text.lstrip("\ufeff")
    if not text.strip():
        yield IngestProblem(where, "empty text")
        return
    meta: dict[str, str] = {}
    date = date_from_path(path) if path else None
    if date:
        meta["date_from"] = "path"
    else:
        date, _line = date_from_dateline(text)
        if date:
            meta["date_from"] = "dateline"
    yield Article(id="", text=text, raw=text, date=date, source=source, origin=where, meta=meta)
