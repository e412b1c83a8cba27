"""Readers: turn files, directories, stdin and explicitly given URLs into raw Articles and IngestProblems.

``read_inputs`` is a generator that streams: JSON Lines and CSV are read record by record; other formats are read
whole (each capped at ``max_bytes``). Articles come out uncleaned (``raw`` and ``text`` set) with ``origin`` naming
where they came from ("path", "path:LINE" for JSON Lines, "path#N" for CSV rows / JSON list items / feed entries,
"stdin", a URL) and ``source`` from the ``source`` argument (which overrides), else the record's field, else the
URL host, else the file's stem.

Every problem is an ``IngestProblem(where, reason, severity)``; the batch always goes on. Severity "warning" means
the article was kept (an unreadable date becomes ``None`` with the raw value in ``meta["invalid_date"]``; text
decoded as cp1252 is noted in ``meta["encoding"]``); "error" means the record or input was skipped.
"""

from __future__ import annotations

import errno
import gzip
import io
import os
import re
import sys
import typing
import zlib
from collections.abc import Iterable, Iterator

from ..model import Article, IngestProblem
from ._common import InputError, bom_encoding, decode_bytes, host_of, stem_of
from .csvfile import read_csv
from .feed import looks_like_feed, read_feed
from .html import read_html
from .jsonfile import read_json, read_jsonl
from .seed import looks_like_seed, read_seed
from .text import read_text

__all__ = ["read_inputs", "InputError"]

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
_GZIP_MAGIC = b"\x1f\x8b"
_URL = re.compile(r"^https?://", re.IGNORECASE)
_HTML_HEAD = re.compile(rb"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<(?:p|div|article)[\s>]", re.IGNORECASE)

Item = Article | IngestProblem


def read_inputs(
    inputs: list[str],
    *,
    source: str | None = None,
    allow_private: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    stdin: typing.BinaryIO | None = None,
    source_from_dir: bool = False,
) -> Iterator[Item]:
    """Yield raw Articles and IngestProblems from every input, in input order (see the module docstring).

    ``source_from_dir``: files that name no outlet get their parent directory's name as the source
    (``harbor-ledger/x.txt`` -> "Harbor Ledger") instead of their own file name — for archives kept one folder
    per outlet.
    """
    for inp in inputs:
        if inp == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            yield from _guard("stdin", lambda s=stream: _read_stream(s, "stdin", source, max_bytes))
        elif _URL.match(inp):
            yield from _guard(inp, lambda u=inp: _read_url(u, source, allow_private, max_bytes))
        else:
            yield from _read_path(inp, source, max_bytes, source_from_dir)


def _guard(where: str, produce: typing.Callable[[], Iterable[Item]]) -> Iterator[Item]:
    """Run a reader, turning any input-level failure into one IngestProblem (records already yielded stay)."""
    try:
        yield from produce()
    except InputError as e:
        yield IngestProblem(where, str(e))
    except PermissionError:
        yield IngestProblem(where, "permission denied")
    except OSError as e:
        yield IngestProblem(where, _os_reason(e))


def _os_reason(e: OSError) -> str:
    if e.errno == errno.ELOOP:
        return "symlink loop"
    if e.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if e.errno == errno.ENOENT:
        return "no such file or directory"
    return e.strerror or str(e)


# ---------------------------------------------------------------------------------------------- paths

def dir_source_name(path: str) -> str:
    """An outlet name from a file's parent directory: ``.../harbor-ledger/x.txt`` -> "Harbor Ledger"
    (names already mixed-case are kept as they are)."""
    name = os.path.basename(os.path.dirname(os.path.abspath(path))) or stem_of(path)
    words = re.sub(r"[-_]+", " ", name).split()
    return " ".join(w.capitalize() for w in words) if name == name.lower() else " ".join(words)


def _read_path(path: str, source: str | None, max_bytes: int, source_from_dir: bool = False) -> Iterator[Item]:
    try:
        os.stat(path)
    except OSError as e:
        if not os.path.lexists(path):
            yield IngestProblem(path, "no such file or directory")
        else:
            yield IngestProblem(path, _os_reason(e))
        return
    if os.path.isdir(path):
        found = False
        for item in _walk(path, {os.path.realpath(path)}):
            if isinstance(item, str):
                found = True
                yield from _read_file(item, source, max_bytes, source_from_dir)
            else:
                yield item
        if not found:
            yield IngestProblem(path, "empty directory (no files to read)")
        return
    yield from _read_file(path, source, max_bytes, source_from_dir)


def _walk(directory: str, visited: set[str]) -> Iterator[str | IngestProblem]:
    """Files under ``directory`` recursively, sorted by name, hidden files and directories skipped."""
    try:
        entries = sorted(os.scandir(directory), key=lambda e: e.name)
    except OSError as e:
        yield IngestProblem(directory, _os_reason(e))
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        try:
            is_dir = entry.is_dir()
        except OSError as e:
            yield IngestProblem(entry.path, _os_reason(e))
            continue
        if is_dir:
            real = os.path.realpath(entry.path)
            if real in visited:
                yield IngestProblem(entry.path, "symlink loop (directory already visited); skipped",
                                    severity="warning")
                continue
            yield from _walk(entry.path, visited | {real})
        else:
            yield entry.path


def _read_file(path: str, source: str | None, max_bytes: int, source_from_dir: bool = False) -> Iterator[Item]:
    try:
        st = os.stat(path)
    except OSError as e:
        yield IngestProblem(path, _os_reason(e))
        return
    if st.st_size > max_bytes:
        yield IngestProblem(path, f"file too large ({st.st_size} bytes > max {max_bytes}); skipped")
        return
    if st.st_size == 0:
        yield IngestProblem(path, "empty file")
        return
    yield from _guard(path, lambda: _read_opened(path, source, max_bytes, source_from_dir))


def _read_opened(path: str, source: str | None, max_bytes: int, source_from_dir: bool = False) -> Iterator[Item]:
    name = os.path.basename(path).lower()
    gz = name.endswith(".gz")
    if gz:
        name = name[:-3]
    ext = os.path.splitext(name)[1]
    stem = dir_source_name(path) if source_from_dir else stem_of(path)
    with open(path, "rb") as raw:
        head = raw.read(2)
        raw.seek(0)
        if gz and head != _GZIP_MAGIC:
            raise InputError("not a gzip file (bad magic number)")
        fh: typing.BinaryIO = gzip.GzipFile(fileobj=raw, mode="rb") if gz else raw  # type: ignore[assignment]
        yield from _dispatch(fh, path, ext, source, stem, max_bytes, path_for_date=path)


def _dispatch(fh: typing.BinaryIO, where: str, ext: str, source: str | None, stem: str, max_bytes: int,
              path_for_date: str | None) -> Iterator[Item]:
    if ext in (".jsonl", ".ndjson", ".jsonlines"):
        lines = _lines(fh, max_bytes)
        first = next(lines, None)
        if first is None:
            raise InputError("empty file")
        if first.lstrip().startswith(b"["):
            yield from _whole_json(first + _read_all(fh, max_bytes - len(first)), where, source, stem)
        else:
            yield from read_jsonl(_chain(first, lines), where, source=source, stem=stem)
    elif ext in (".csv", ".tsv"):
        yield from read_csv(_lines(fh, max_bytes), where, source=source, stem=stem,
                            delimiter="\t" if ext == ".tsv" else None)
    elif ext == ".json":
        yield from _whole_json(_read_all(fh, max_bytes), where, source, stem)
    elif ext in (".html", ".htm", ".xhtml", ".shtml"):
        text, enc = _decode_nonempty(_read_all(fh, max_bytes))
        yield from _annotate(read_html(text, where, source=source, stem=stem), enc)
    elif ext in (".rss", ".atom", ".xml"):
        data = _read_all(fh, max_bytes)
        if not data.strip():
            raise InputError("empty file")
        if ext == ".xml" and not looks_like_feed(data):
            raise InputError("XML file without an RSS/Atom/RDF feed root; not supported")
        yield from read_feed(data, where, source=source, stem=stem)
    elif ext in (".txt", ".text", ".md", ""):
        text, enc = _decode_nonempty(_read_all(fh, max_bytes))
        yield from _annotate(_text_like(text, where, source, stem, path_for_date), enc)
    else:
        data = _read_all(fh, max_bytes)
        try:
            text, enc = decode_bytes(data)
        except InputError as e:
            raise InputError(f"unsupported file type {ext!r} and not text ({e})") from None
        if not text.strip():
            raise InputError("empty file")
        yield from _sniffed(data, text, enc, where, source, stem, max_bytes, path_for_date)


def _whole_json(data: bytes, where: str, source: str | None, stem: str) -> Iterator[Item]:
    text, enc = _decode_nonempty(data)
    yield from read_json(text, where, source=source, stem=stem, encoding=enc)


def _text_like(text: str, where: str, source: str | None, stem: str, path: str | None) -> Iterator[Item]:
    if looks_like_seed(text):
        return read_seed(text, where, source=source or stem)
    return read_text(text, where, source=source or stem, path=path)


def _sniffed(data: bytes, text: str, enc: str, where: str, source: str | None, stem: str, max_bytes: int,
             path_for_date: str | None, url: str | None = None) -> Iterator[Item]:
    """Dispatch on content: seed header, JSON Lines, JSON, feed XML, HTML, else plain text."""
    start = text.lstrip("\ufeff \t\r\n")
    if looks_like_seed(text):
        yield from _annotate(read_seed(text, where, source=source or stem), enc)
    elif start.startswith("["):
        yield from read_json(text, where, source=source, stem=stem, encoding=enc)
    elif start.startswith("{"):
        first_line = start.split("\n", 1)[0].strip()
        if first_line.endswith("}") and (first_line.count("{") >= 1):
            yield from read_jsonl((ln.encode("utf-8") + b"\n" for ln in text.split("\n")), where,
                                  source=source, stem=stem)
        else:
            yield from read_json(text, where, source=source, stem=stem, encoding=enc)
    elif start.startswith("<") and looks_like_feed(data):
        yield from read_feed(data, where, source=source, stem=stem)
    elif start.startswith("<") and _HTML_HEAD.search(data[:8192]):
        yield from _annotate(read_html(text, where, source=source, stem=stem, url=url), enc)
    else:
        yield from _annotate(read_text(text, where, source=source or stem, path=path_for_date), enc)


def _annotate(items: Iterable[Item], enc: str) -> Iterator[Item]:
    for item in items:
        if enc not in ("utf-8", "utf-8-sig") and isinstance(item, Article):
            item.meta["encoding"] = enc
        yield item


def _decode_nonempty(data: bytes) -> tuple[str, str]:
    text, enc = decode_bytes(data)
    if not text.strip():
        raise InputError("empty file")
    return text, enc


# ---------------------------------------------------------------------------------------------- byte streams

def _read_all(fh: typing.BinaryIO, max_bytes: int) -> bytes:
    try:
        data = fh.read(max_bytes + 1)
    except EOFError:
        raise InputError("truncated gzip stream (compressed data ended early)") from None
    except (gzip.BadGzipFile, zlib.error) as e:
        raise InputError(f"corrupt gzip data ({e})") from None
    if len(data) > max_bytes:
        raise InputError(f"input too large (more than {max_bytes} bytes once decompressed); skipped")
    return data


def _lines(fh: typing.BinaryIO, max_bytes: int) -> Iterator[bytes]:
    """Lines of a binary stream (newline kept), capped at ``max_bytes``; utf-16 input is re-encoded as utf-8."""
    total = 0
    first = True
    while True:
        try:
            line = fh.readline()
        except EOFError:
            raise InputError("truncated gzip stream (compressed data ended early)") from None
        except (gzip.BadGzipFile, zlib.error) as e:
            raise InputError(f"corrupt gzip data ({e})") from None
        if not line:
            return
        if first:
            first = False
            enc = bom_encoding(line)
            if enc == "utf-16":
                text, _ = decode_bytes(line + _read_all(fh, max_bytes - len(line)))
                for ln in text.splitlines(keepends=True):
                    yield ln.encode("utf-8")
                return
        total += len(line)
        if total > max_bytes:
            raise InputError(f"input too large (more than {max_bytes} bytes); rest skipped")
        yield line


def _chain(first: bytes, rest: Iterator[bytes]) -> Iterator[bytes]:
    yield first
    yield from rest


class _Replay(io.RawIOBase):
    """A raw stream that first returns ``head`` and then the rest of ``stream``."""

    def __init__(self, head: bytes, stream: typing.BinaryIO) -> None:
        self.head = head
        self.stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:  # type: ignore[no-untyped-def]
        if self.head:
            n = min(len(b), len(self.head))
            b[:n] = self.head[:n]
            self.head = self.head[n:]
            return n
        chunk = self.stream.read(len(b))
        if not chunk:
            return 0
        b[: len(chunk)] = chunk
        return len(chunk)


def _peek(stream: typing.BinaryIO, n: int = 65536) -> tuple[bytes, typing.BinaryIO]:
    head = b""
    while len(head) < n:
        try:
            chunk = stream.read(n - len(head))
        except EOFError:
            raise InputError("truncated gzip stream (compressed data ended early)") from None
        if not chunk:
            break
        head += chunk
    return head, io.BufferedReader(_Replay(head, stream))


def _read_stream(stream: typing.BinaryIO, where: str, source: str | None, max_bytes: int) -> Iterator[Item]:
    head, fh = _peek(stream)
    if head.startswith(_GZIP_MAGIC):
        head, fh = _peek(gzip.GzipFile(fileobj=fh, mode="rb"))  # type: ignore[arg-type]
    stem = where
    probe = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not probe:
        raise InputError("empty input")
    if probe.startswith(b"{"):
        first_line = probe.split(b"\n", 1)[0].strip()
        if first_line.endswith(b"}"):
            yield from read_jsonl(_lines(fh, max_bytes), where, source=source, stem=stem)
            return
    data = _read_all(fh, max_bytes)
    text, enc = decode_bytes(data)
    yield from _sniffed(data, text, enc, where, source, stem, max_bytes, path_for_date=None)


# ---------------------------------------------------------------------------------------------- URLs

_FEED_TYPES = {"application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+json"}
_XML_TYPES = {"application/xml", "text/xml"}
_HTML_TYPES = {"text/html", "application/xhtml+xml"}
_JSON_TYPES = {"application/json", "text/json"}
_JSONL_TYPES = {"application/x-ndjson", "application/jsonl", "application/x-jsonlines", "application/ndjson"}


def _read_url(url: str, source: str | None, allow_private: bool, max_bytes: int) -> Iterator[Item]:
    from .fetch import fetch

    got = fetch(url, allow_private=allow_private, max_bytes=max_bytes)
    data = got.data
    if data.startswith(_GZIP_MAGIC):
        data = _read_all(gzip.GzipFile(fileobj=io.BytesIO(data), mode="rb"), max_bytes)  # type: ignore[arg-type]
    if not data.strip():
        raise InputError("URL returned an empty body")
    src = source or host_of(got.url)
    stem = host_of(got.url) or url
    ctype = got.content_type
    if ctype in _FEED_TYPES or (ctype in _XML_TYPES and looks_like_feed(data)):
        yield from read_feed(data, url, source=src, stem=stem)
        return
    text, enc = _decode_with_charset(data, got.charset)
    if ctype in _HTML_TYPES:
        yield from _annotate(_with_url(read_html(text, url, source=src, stem=stem, url=got.url), got.url), enc)
    elif ctype in _JSONL_TYPES:
        yield from read_jsonl((ln.encode("utf-8") + b"\n" for ln in text.split("\n")), url, source=src, stem=stem)
    elif ctype in _JSON_TYPES:
        yield from read_json(text, url, source=src, stem=stem, encoding=enc)
    elif ctype == "text/plain":
        yield from _annotate(_with_url(_text_like(text, url, src, stem, got.url), got.url), enc)
    else:
        yield from _with_url(_sniffed(data, text, enc, url, src, stem, max_bytes, path_for_date=got.url,
                                      url=got.url), got.url)


def _with_url(items: Iterable[Item], url: str) -> Iterator[Item]:
    for item in items:
        if isinstance(item, Article) and not item.url:
            item.url = url
        yield item


def _decode_with_charset(data: bytes, charset: str | None) -> tuple[str, str]:
    if charset and not bom_encoding(data):
        try:
            return data.decode(charset), charset.lower()
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_bytes(data)
