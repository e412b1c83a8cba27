"""Article features for clustering: weighted term counts in a hashed space, capitalised phrases, and the
day an article reports on.

Everything here is a pure function of one article, so features never depend on what else was seen; corpus
statistics (document frequencies) live in the clusterer's state.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections import Counter
from collections.abc import Mapping
from datetime import date
from typing import Any

import numpy as np

from ..enrich.sentences import STOPWORDS, ends_with_abbreviation, has_whole_word
from ..model import Article

# Penn Treebank escapes and quote tokens seen in pre-tokenised corpora; they carry no meaning.
_PTB = re.compile(r"-LRB-|-RRB-|-LSB-|-RSB-|-LCB-|-RCB-|``|''")
_TOKEN = re.compile(r"[^\W_]+(?:[-'’.][^\W_]+)*", re.UNICODE)
# A run of capitalised words (with inner "of"/"de"-style particles), e.g. "Betty Ford Center", "Bank of America".
_CAP_PHRASE = re.compile(
    r"\b[A-Z][\w'’.-]*[a-z0-9][\w'’.-]*(?:\s+(?:(?:of|de|del|la|al|van|von|the|for)\s+)?[A-Z][\w'’.-]*)+"
)
_EXTRA_STOP = frozenset({"lrb", "rrb", "lsb", "rsb", "lcb", "rcb", "nbsp", "http", "https", "www", "com"})
_WEEKDAYS = frozenset({"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"})

_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
    "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
_MONTH_RE = (r"(January|February|March|April|May|June|July|August|September|October|November|December|"
             r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)")
_DATE_MDY = re.compile(_MONTH_RE + r"\s*\.?\s+(\d{1,2})(?:st|nd|rd|th)?\s*,?\s+((?:19|20)\d\d)\b", re.I)
_DATE_DMY = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH_RE + r"\s*\.?\s*,?\s+((?:19|20)\d\d)\b", re.I)
_DATE_ISO = re.compile(r"\b((?:19|20)\d\d)-(\d\d)-(\d\d)\b")
_DATE_NUM = re.compile(r"\b(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d\d(?:\d\d)?)\b")
_URL_DATE = re.compile(r"/((?:19|20)\d\d)[/-]([a-z]{3,9}|\d{1,2})[/-](\d{1,2})(?:/|[-_.]|$)", re.I)

# How much of the text counts as the header where a dateline sits.
_HEADER_CHARS = 320


def clean_text(text: str) -> str:
    """Drop PTB escapes so raw and un-tokenised inputs give the same features."""
    return _PTB.sub(" ", text)


_DROP = frozenset(STOPWORDS | _EXTRA_STOP)


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


def content_terms(text: str) -> list[str]:
    return [t for t in _TOKEN.findall(text.lower().replace("’", "'")) if len(t) > 1 and t not in _DROP]


_EDGE = frozenset(STOPWORDS | _WEEKDAYS | set(_MONTHS))  # words that do not begin or end a phrase


def cap_phrases(text: str) -> dict[str, int]:
    """Multi-word capitalised phrases (names of people, places, organisations), lower-cased, with counts."""
    out: dict[str, int] = {}
    for m, n in Counter(_CAP_PHRASE.findall(text)).items():
        words = [w.strip(".'’") for w in m.lower().split()]
        while words and words[0] in _EDGE:
            words = words[1:]
        while words and words[-1] in _EDGE:
            words = words[:-1]
        if len(words) >= 2:
            k = " ".join(words)
            out[k] = out.get(k, 0) + n
    return out


# A capitalised word inside a sentence (after a lower-case word, a digit or a comma): a name ("said Brandt").
_NAME = re.compile(r"(?<=[a-z0-9,;:]\s)[A-Z][\w'.-]*")


def term_weights(article: Article, *, title_weight: float, lead_chars: int, lead_weight: float,
                 phrase_weight: float, name_weight: float = 0.0, number_weight: float = 0.0,
                 max_chars: int = 0, phrase_chars: int = 0) -> dict[str, float]:
    """Weighted term counts: body terms (the first ``max_chars`` characters when > 0), plus extra weight for
    the title and the lead, capitalised multi-word phrases (in the title and the first ``phrase_chars``
    characters when > 0), names (capitalised words inside a sentence) and numbers. Phrase keys start with
    ``\\x01`` and name keys with ``\\x02``: the hasher puts both in the upper half of the space, so names can be
    compared on their own.

    Two regular-expression scans of the text (terms; names) and dictionary work on distinct terms only: the
    per-article cost stays near one tokenisation of the text."""
    text = article.text or ""
    if max_chars and len(text) > max_chars:
        cut = text.rfind(" ", 0, max_chars)
        text = text[: cut if cut > 0 else max_chars]
    if "\u2019" in text:
        text = text.replace("\u2019", "'")
    counts: dict[str, float] = Counter(_TOKEN.findall(text.lower()))
    for t in _DROP.intersection(counts):
        del counts[t]
    odd = [t for t in counts if len(t) < 2 or t[0] <= "9"]  # one-character tokens and numbers
    for t in odd:
        if len(t) < 2:
            del counts[t]
        elif number_weight and t[0].isdigit():
            counts[t] *= 1.0 + number_weight
    get = counts.get
    for m, n in Counter(_NAME.findall(text)).items():
        t = m.lower().rstrip(".'")
        if t in counts:
            k = "\x02" + t
            counts[k] = get(k, 0) + n
            if name_weight:
                counts[t] += name_weight * n
    title = clean_text(article.title or "")
    if title:
        for t in content_terms(title):
            counts[t] = get(t, 0) + title_weight
    if lead_chars > 0 and lead_weight:
        for t in content_terms(clean_text(text[:lead_chars])):
            counts[t] = get(t, 0) + lead_weight
    if phrase_weight:
        body = clean_text(text[:phrase_chars] if phrase_chars else text)
        for p, n in cap_phrases(title + "\n" + body if title else body).items():
            k = "\x01" + p
            counts[k] = get(k, 0) + phrase_weight * n
    return counts


def _has_word(text: str, word: str) -> bool:
    """Whether ``word`` occurs in ``text`` as a whole word, an apostrophe, hyphen or underscore joining words."""
    return has_whole_word(text, word, "'’-_")


def prominent_names(article: Article, counts: dict[str, float], *, lead_chars: int, min_count: int = 2,
                    top: int = 2) -> list[str]:
    """The names a report is about: names (``\x02`` keys of ``term_weights``) written capitalised inside a
    sentence at least ``min_count`` times, named in the title or the first ``lead_chars`` characters, and never
    written in lower case (so "Police" or "President" are no names); weekdays and months are no names either.
    The ``top`` most mentioned of them (0: all; the earlier one first on ties), as plain terms: a name's column
    in the term part is where other reports mention it."""
    cands = sorted(((n, k[1:]) for k, n in counts.items() if n >= min_count and k[:1] == "\x02"),
                   key=lambda nt: -nt[0])
    if not cands:
        return []
    text = article.text or ""
    lead = clean_text((article.title or "") + "\n" + text[:lead_chars]).lower()
    out: list[str] = []
    for _, t in cands:
        if len(t) < 3 or t in _WEEKDAYS or t in _MONTHS or not _has_word(lead, t) or _has_word(text, t):
            continue
        out.append(t)
        if top and len(out) >= top:
            break
    return out


class Hasher:
    """Stable term -> column mapping (CRC32 modulo a power of two), cached per process."""

    def __init__(self, bits: int) -> None:
        self.bits = bits
        self.mask = (1 << bits) - 1
        self._cache: dict[str, int] = {}

    def __call__(self, term: str) -> int:
        h = self._cache.get(term)
        if h is None:
            h = zlib.crc32(term.encode("utf-8")) & (self.mask >> 1)
            if term[:1] in ("\x01", "\x02"):  # names and phrases live in the upper half
                h |= 1 << (self.bits - 1)
            if len(self._cache) < 2_000_000:
                self._cache[term] = h
        return h

    def vector(self, counts: dict[str, float]) -> tuple[np.ndarray, np.ndarray]:
        """Sublinear term frequencies, L2-normalised, as sorted unique (columns, values)."""
        if not counts:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
        cache = self._cache
        hashed = list(map(cache.get, counts))  # C-level lookups; hash only the terms not seen yet
        if None in hashed:
            for t in set(counts).difference(cache):
                self(t)
            hashed = list(map(cache.get, counts))
            if None in hashed:  # the cache is full: hash the rest each time
                hashed = [h if h is not None else self(t) for h, t in zip(hashed, counts)]
        cols = np.fromiter(hashed, dtype=np.int64, count=len(hashed))
        raw = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
        order = np.argsort(cols, kind="stable")
        cols, raw = cols[order], raw[order]
        if len(cols) > 1 and bool((cols[1:] == cols[:-1]).any()):  # hash collisions: add them up
            cols, inv = np.unique(cols, return_inverse=True)
            raw = np.bincount(inv, weights=raw, minlength=len(cols))
        val = np.where(raw > 1.0, 1.0 + np.log(np.maximum(raw, 1.0)), raw)  # sublinear above one occurrence
        val /= np.sqrt((val * val).sum())
        return cols, val


def _mk_date(y: int, m: int, d: int) -> int | None:
    try:
        return date(y, m, d).toordinal()
    except ValueError:
        return None


def _month(s: str) -> int | None:
    if s.isdigit():
        return int(s)
    return _MONTHS.get(s.lower().rstrip("."))


def parse_iso(value: str | None) -> int | None:
    if not value:
        return None
    m = _DATE_ISO.match(value.strip())
    return _mk_date(int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None


def header_date(article: Article) -> int | None:
    """The day an undated article was written, from its URL or its header (dateline, first lines).

    Only the header counts: dates deeper in the body are usually background ("convicted in March 2005").
    """
    if article.url:
        m = _URL_DATE.search(article.url)
        if m:
            mo = _month(m.group(2))
            if mo:
                d = _mk_date(int(m.group(1)), mo, int(m.group(3)))
                if d:
                    return d
    head = " ".join(x for x in (article.dateline, article.title) if x) + "\n" + (article.text or "")[:_HEADER_CHARS]
    head = clean_text(head)
    best: tuple[int, int] | None = None  # (position, ordinal)
    for pat, order in ((_DATE_MDY, "mdy"), (_DATE_DMY, "dmy"), (_DATE_ISO, "iso"), (_DATE_NUM, "num")):
        for m in pat.finditer(head):
            g = m.groups()
            if order == "mdy":
                mo, d, y = _month(g[0]), int(g[1]), int(g[2])
            elif order == "dmy":
                d, mo, y = int(g[0]), _month(g[1]), int(g[2])
            elif order == "iso":
                y, mo, d = int(g[0]), int(g[1]), int(g[2])
            else:
                mo, d, y = int(g[0]), int(g[1]), int(g[2])
                if y < 100:
                    y += 2000 if y < 70 else 1900
            if not mo:
                continue
            o = _mk_date(y, mo, d)
            if o and (best is None or m.start() < best[0]):
                best = (m.start(), o)
            break
    return best[1] if best else None


def article_day(article: Article) -> tuple[int | None, bool]:
    """(ordinal day, is_publication_date): the publication date, else a header date, else (None, False)."""
    d = parse_iso(article.date)
    if d is not None:
        return d, True
    return header_date(article), False


_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s")
_LEAD_CHARS = 4000  # the text read for its first sentences
_SPACE_BEFORE = re.compile(r"\s+([,.;:!?%)]|'s\b)")
_LEAD_WORD = re.compile(r"\w+")


def lead_sentences(text: str, n: int = 3) -> list[str]:
    """The first ``n`` sentence-ish pieces of a text: each line's sentences, a first one of 30 characters or
    fewer kept with the next ("Smoke clears. Markets reopened on..."), none ended by an abbreviation or an
    initial ("Chairman Ben S. Bernanke", "the major U.S. banks"), spaces tidied, nothing cut."""
    rest = clean_text((text or "")[:_LEAD_CHARS]).strip()
    out: list[str] = []
    while rest and len(out) < n:
        first, _, after = rest.partition("\n")
        for m in _SENTENCE_BREAK.finditer(first):
            if m.start() > 30 and not (first[m.start() - 1] == "." and ends_with_abbreviation(first[:m.start()])):
                first, after = first[:m.start()], first[m.start():] + "\n" + after
                break
        first = " ".join(first.split())
        if " " in first:  # (spaces before punctuation and "'s" of tokenised text)
            first = _SPACE_BEFORE.sub(r"\1", first)
        if first:
            out.append(first)
        rest = after.strip()
    return out


def cut_at_word(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters at a word, with an ellipsis when cut."""
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "…"


def lead_sentence(text: str, limit: int = 140) -> str:
    """The first sentence-ish line of a text, for titles of untitled events."""
    leads = lead_sentences(text, 1)
    return cut_at_word(leads[0], limit) if leads else ""


def lead_key(sentence: str) -> int:
    """A 63-bit key of a sentence's words (case and punctuation aside), to count the articles opening with it."""
    words = " ".join(_LEAD_WORD.findall(sentence.lower()))
    return int.from_bytes(hashlib.blake2b(words.encode("utf-8"), digest_size=8).digest(), "big") >> 1 if words else 0


def article_lead(article: Article | Mapping[str, Any], limit: int = 140) -> str:
    """What names an untitled article: the lead the ingest chose past page furniture (``meta["lead"]``, see
    ``pipeline``), else its first sentence; cut at a word. ``article`` is an ``Article`` or an exported row."""
    if isinstance(article, Mapping):
        meta, text = article.get("meta"), article.get("text")
    else:
        meta, text = article.meta, article.text
    lead = meta.get("lead") if isinstance(meta, Mapping) else None
    return cut_at_word(lead, limit) if isinstance(lead, str) and lead else lead_sentence(text or "", limit)
