"""Helpers shared by the readers: decoding, date normalisation, field mapping, HTML-to-text."""

from __future__ import annotations

import datetime as _dt
import email.utils
import html
import re
from html.parser import HTMLParser
from pathlib import PurePath
from typing import Any
from urllib.parse import urlsplit

from ..model import Article, IngestProblem


class InputError(Exception):
    """A whole input (file, stream, URL) cannot be read; the message is the one-line reason."""


# ---------------------------------------------------------------------------------------------- decoding

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
# bytes cp1252 leaves undefined: if any is present the text is not cp1252 either
_CP1252_UNDEFINED = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def bom_encoding(data: bytes) -> str | None:
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return enc
    return None


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode ``data`` as text; returns ``(text, encoding)``.

    Tries a BOM (utf-8-sig, utf-16), then utf-8, then cp1252 only if it decodes cleanly (no undefined bytes,
    no control characters). Raises :class:`InputError` for binary data (NUL bytes) or undecodable bytes.
    """
    enc = bom_encoding(data)
    if enc:
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError as e:
            raise InputError(f"undecodable {enc} text at byte {e.start}") from None
    if b"\x00" in data:
        raise InputError(f"binary file (NUL byte at offset {data.index(0)})")
    decoded = _utf8_or_cp1252(data)
    if isinstance(decoded, int):
        raise InputError(f"undecodable text: not utf-8 (invalid byte at offset {decoded}) and not clean cp1252")
    return decoded


def _utf8_or_cp1252(data: bytes) -> tuple[str, str] | int:
    """``(text, encoding)`` as utf-8, else as cp1252 when that decodes cleanly (no undefined bytes, no control
    characters); else the offset of the first byte that is not utf-8."""
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as e:
        bad = e.start
    if not _CP1252_UNDEFINED.search(data):
        text = data.decode("cp1252")
        if not _CONTROL.search(text):
            return text, "cp1252"
    return bad


def decode_line(line: bytes, first: bool = False) -> tuple[str, str]:
    """Decode one line of a line-oriented file (jsonl/csv): utf-8 (BOM stripped on the first line), else cp1252."""
    if first and line.startswith(b"\xef\xbb\xbf"):
        line = line[3:]
    if b"\x00" in line:
        raise InputError("binary data (NUL byte)")
    decoded = _utf8_or_cp1252(line)
    if isinstance(decoded, int):
        raise InputError(f"undecodable text (invalid byte at offset {decoded})")
    return decoded


# ---------------------------------------------------------------------------------------------- dates

_ISO = re.compile(r"^\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:$|[T\s_]|[+-]\d|Z)")
_COMPACT = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})\s*$")
_RFC2822 = re.compile(r"^\s*(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d{1,2}:\d{2}")
_DATEPARSER_SETTINGS = {
    # never fill a missing day/month/year from today's date
    "REQUIRE_PARTS": ["day", "month", "year"],
    "RETURN_AS_TIMEZONE_AWARE": False,
    "PREFER_DATES_FROM": "past",
    "DATE_ORDER": "DMY",
}
_dateparser = None


def _ymd(y: int, m: int, d: int) -> str | None:
    try:
        return _dt.date(y, m, d).isoformat()
    except ValueError:
        return None


def normalise_date(value: Any) -> str | None:
    """Any parsable date value -> ``YYYY-MM-DD``; ``None`` when it cannot be read as a full date.

    ISO strings, ``YYYY/MM/DD``, ``YYYYMMDD``, RFC 2822 and Unix timestamps take a fast path; everything else goes
    to dateparser with settings that require day, month and year (nothing is filled in from today's date).
    """
    global _dateparser
    if value is None:
        return None
    if isinstance(value, bool):
        return None
    if isinstance(value, (_dt.datetime, _dt.date)):
        return value.strftime("%Y-%m-%d") if isinstance(value, _dt.datetime) else value.isoformat()
    if isinstance(value, (int, float)):
        # Unix timestamp (seconds, or milliseconds when very large)
        ts = float(value)
        if ts > 1e11:
            ts /= 1000.0
        if 0 < ts < 4.2e9:
            return _dt.datetime.fromtimestamp(ts, tz=_dt.timezone.utc).strftime("%Y-%m-%d")
        return None
    if not isinstance(value, str):
        return None
    s = value.strip()
    if not s:
        return None
    m = _ISO.match(s)
    if m:
        return _ymd(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = _COMPACT.match(s)
    if m:
        return _ymd(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    if s.isdigit() and len(s) in (10, 13):
        return normalise_date(int(s))
    if _RFC2822.match(s):
        try:
            return email.utils.parsedate_to_datetime(s).strftime("%Y-%m-%d")
        except (TypeError, ValueError):
            pass
    if len(s) > 80 or not re.search(r"\d", s):
        return None
    if _dateparser is None:
        import dateparser

        _dateparser = dateparser
    try:
        d = _dateparser.parse(s, settings=_DATEPARSER_SETTINGS, languages=None)
    except Exception:  # dateparser raises assorted errors on odd input
        return None
    return d.strftime("%Y-%m-%d") if d else None


_PATH_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})[-/_.]?(0[1-9]|1[0-2])[-/_.]?(0[1-9]|[12]\d|3[01])(?!\d)")


def date_from_path(path: str) -> str | None:
    """A ``YYYY-MM-DD`` / ``YYYY/MM/DD`` date written in a path or URL (the last one wins)."""
    found = None
    for m in _PATH_DATE.finditer(path):
        if m.group(0).isdigit() and len(m.group(0)) == 8 and not re.search(r"[-/_.]", m.group(0)):
            # bare 8-digit runs are often ids; accept them only as a whole path component
            start, end = m.span()
            if (start > 0 and path[start - 1] not in "/_-.") or (end < len(path) and path[end] not in "/_-."):
                continue
        d = _ymd(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if d:
            found = d
    return found


_MONTHS = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
           r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
_WEEKDAY = r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\.?,?"
# a line that is just a date, optionally with weekday and time: "Wednesday 21 October 2020 - 13:38",
# "March 3, 2026", "May 03 , 2013", "2020-10-21 13:38", "Updated: 21 Oct 2020"
DATELINE_LINE = re.compile(
    r"^(?:(?:Published|Updated|Posted|Last updated|Date)\s*:?\s*)?(?:" + _WEEKDAY + r"\s*)?(?:"
    r"\d{1,2}(?:st|nd|rd|th)?\s+" + _MONTHS + r"\s*,?\s*\d{4}"
    r"|" + _MONTHS + r"\s+\d{1,2}(?:st|nd|rd|th)?\s*,?\s*\d{4}"
    r"|\d{4}-\d{2}-\d{2}"
    r")(?:\s*(?:[-–—|,]|at)?\s*\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s*\(?[A-Z]{2,5}\)?)?)?\s*$",
    re.IGNORECASE,
)


def date_from_dateline(text: str, max_lines: int = 5) -> tuple[str | None, str | None]:
    """Look for a dateline in the first non-empty lines: returns ``(date, dateline_line)``."""
    seen = 0
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        seen += 1
        if seen > max_lines:
            break
        if len(line) <= 60 and DATELINE_LINE.match(line):
            d = normalise_date(re.sub(r"^(?:Published|Updated|Posted|Last updated|Date)\s*:?\s*", "", line,
                                      flags=re.IGNORECASE))
            if d:
                return d, line
    return None, None


# ---------------------------------------------------------------------------------------------- records

FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "guid", "uid", "_id", "doc_id", "docid", "article_id"),
    "title": ("title", "headline", "heading"),
    "text": ("text", "body", "content", "article", "story", "maintext", "full_text", "fulltext"),
    "date": ("date", "published", "pubdate", "time", "datetime", "published_at", "publish_date", "pub_date",
             "date_published", "publication_date", "timestamp"),
    "source": ("source", "outlet", "site", "publisher", "source_name", "sitename"),
    "url": ("url", "link", "href", "canonical_url"),
    "lang": ("lang", "language"),
}
_ALIAS_TO_FIELD = {alias: fld for fld, aliases in FIELD_ALIASES.items() for alias in aliases}


def host_of(url: str | None) -> str | None:
    if not url:
        return None
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    if not host:
        return None
    return host[4:] if host.startswith("www.") else host


def _as_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "\n\n".join(v.strip() for v in value if v.strip())
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return None


def record_to_article(
    record: dict[str, Any], where: str, *, source_arg: str | None, stem: str
) -> list[Article | IngestProblem]:
    """Map a JSON object / CSV row with flexible field names to an Article (plus warnings), or a problem."""
    fields: dict[str, Any] = {}
    meta: dict[str, Any] = {}
    for key, value in record.items():
        k = str(key).strip()
        fld = _ALIAS_TO_FIELD.get(k.lower())
        if fld and fld not in fields and value not in (None, ""):
            fields[fld] = value
        elif fld and fld in fields:
            meta[k] = value
        elif not fld:
            meta[k] = value
    if "text" not in fields:
        empty = [k for k in record if _ALIAS_TO_FIELD.get(str(k).strip().lower()) == "text"]
        if empty:
            return [IngestProblem(where, f"empty text field {empty[0]!r}")]
        found = ", ".join(repr(str(k)) for k in record) or "none"
        return [IngestProblem(where, f"no text field (looked for text/body/content/article/story; found {found})")]
    text = _as_text(fields["text"])
    if text is None:
        return [IngestProblem(where, f"text field is a {type(fields['text']).__name__}, not a string")]
    if not text.strip():
        return [IngestProblem(where, "empty text field")]
    out: list[Article | IngestProblem] = []
    date = None
    if "date" in fields:
        date = normalise_date(fields["date"])
        if date is None:
            meta["invalid_date"] = fields["date"] if isinstance(fields["date"], (str, int, float)) else str(
                fields["date"])
            out.append(IngestProblem(where, f"invalid date {fields['date']!r}; article kept with no date",
                                     severity="warning"))
    url = _as_text(fields.get("url"))
    url = url.strip() if url else None
    source = source_arg or (_as_text(fields.get("source")) or "").strip() or host_of(url) or stem
    title = _as_text(fields.get("title"))
    ident = _as_text(fields.get("id"))
    lang = _as_text(fields.get("lang"))
    out.append(Article(
        id=ident.strip() if ident else "",
        text=text,
        raw=text,
        title=title.strip() if title and title.strip() else None,
        date=date,
        source=source,
        url=url or None,
        lang=lang.strip() if lang else None,
        origin=where,
        meta=meta,
    ))
    return out


def stem_of(path: str) -> str:
    name = PurePath(path).name
    for suffix in (".gz",):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
    return PurePath(name).stem or name


# ---------------------------------------------------------------------------------------------- HTML -> text

_BLOCK = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "table",
          "section", "article", "header", "footer", "pre", "figure", "figcaption", "hr"}
_SKIP = {"script", "style", "noscript", "template", "iframe", "svg"}


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skip += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag in _BLOCK:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in _BLOCK:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


_MULTI_BLANK = re.compile(r"\n[ \t]*(?:\n[ \t]*)+")
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment, block elements becoming paragraph breaks."""
    if "<" not in fragment:
        return html.unescape(fragment).strip()
    p = _TextExtractor()
    try:
        p.feed(fragment)
        p.close()
    except Exception:  # HTMLParser is lenient; this is belt and braces
        return re.sub(r"<[^>]+>", " ", fragment)
    text = "".join(p.parts)
    text = "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return _MULTI_BLANK.sub("\n\n", text).strip()
