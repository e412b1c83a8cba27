"""JSON inputs: JSON Lines (one object per line, streamed) and whole JSON documents (a list of objects, a single
object, or ``{"articles": [...]}`` / ``{"items": [...]}``). Field names are flexible (see ``_common.FIELD_ALIASES``);
fields the reader does not map are kept in ``Article.meta``."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from ..model import Article, IngestProblem
from ._common import InputError, decode_line, record_to_article

_CONTAINER_KEYS = ("articles", "items", "documents", "docs", "records", "data", "entries", "results")


def _json_error(e: json.JSONDecodeError) -> str:
    return f"invalid JSON ({e.msg} at column {e.colno})"


def read_jsonl(lines: Iterable[bytes], where: str, *, source: str | None, stem: str,
               sep: str = ":") -> Iterator[Article | IngestProblem]:
    """Stream JSON Lines; every problem names its line (``where:LINE``)."""
    any_line = False
    for lineno, raw in enumerate(lines, 1):
        loc = f"{where}{sep}{lineno}"
        try:
            line, enc = decode_line(raw, first=lineno == 1)
        except InputError as e:
            yield IngestProblem(loc, str(e))
            continue
        if not line.strip():
            continue
        any_line = True
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            reason = _json_error(e)
            if not raw.endswith(b"\n"):
                reason = "truncated or " + reason
            yield IngestProblem(loc, reason)
            continue
        if not isinstance(obj, dict):
            yield IngestProblem(loc, f"JSON record is a {_kind(obj)}, not an object")
            continue
        for item in record_to_article(obj, loc, source_arg=source, stem=stem):
            if enc != "utf-8" and isinstance(item, Article):
                item.meta["encoding"] = enc
            yield item
    if not any_line:
        yield IngestProblem(where, "empty file (no JSON records)")


def _kind(obj: Any) -> str:
    return {list: "list", str: "string", int: "number", float: "number", bool: "boolean",
            type(None): "null"}.get(type(obj), type(obj).__name__)


def read_json(text: str, where: str, *, source: str | None, stem: str,
              encoding: str = "utf-8") -> Iterator[Article | IngestProblem]:
    """A whole JSON document. Falls back to JSON Lines when the document holds several top-level values."""
    if not text.strip():
        yield IngestProblem(where, "empty file")
        return
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as e:
        if e.msg == "Extra data":
            yield from read_jsonl((ln.encode("utf-8") + b"\n" for ln in text.splitlines()), where,
                                  source=source, stem=stem)
            return
        yield IngestProblem(where, f"invalid JSON ({e.msg} at line {e.lineno} column {e.colno})")
        return
    records: list[Any]
    if isinstance(doc, list):
        records = doc
    elif isinstance(doc, dict):
        key = next((k for k in _CONTAINER_KEYS if isinstance(doc.get(k), list)), None)
        if key is not None and not any(k in doc for k in ("text", "body", "content")):
            records = doc[key]
        else:
            for item in record_to_article(doc, where, source_arg=source, stem=stem):
                if encoding != "utf-8" and isinstance(item, Article):
                    item.meta["encoding"] = encoding
                yield item
            return
    else:
        yield IngestProblem(where, f"JSON document is a {_kind(doc)}, not an object or a list of objects")
        return
    if not records:
        yield IngestProblem(where, "empty JSON list (no records)")
        return
    for i, obj in enumerate(records, 1):
        loc = f"{where}#{i}"
        if not isinstance(obj, dict):
            yield IngestProblem(loc, f"JSON record is a {_kind(obj)}, not an object")
            continue
        for item in record_to_article(obj, loc, source_arg=source, stem=stem):
            if encoding != "utf-8" and isinstance(item, Article):
                item.meta["encoding"] = encoding
            yield item
