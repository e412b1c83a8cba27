"""Temporal expressions: find the dates a text talks about and resolve them against its publication date.

Regular expressions only (``dateparser`` is far too slow for every sentence of a corpus). What is resolved:

- absolute: ``2010-04-20``, ``21 October 2020``, ``September 27``, ``Oct. 21``, ``April 20 , 2010`` (PTB
  commas), ``March 2008``, ``in March``, ``1994``, ``10/21/2020``;
- relative to the publication date: ``today``/``tonight``/``this morning``, ``yesterday``/``last night``,
  ``tomorrow``, ``the day before yesterday``, ``two days ago``, ``three weeks ago``, ``last month``,
  ``earlier this month``, ``next week``, ``this year``, ``on Friday``, ``last Tuesday``, ``Monday night``.

Conventions (news style, as in HeidelTime's news mode):

- A bare weekday ("on Friday", "agreed Saturday") is the most recent such day on or before the publication
  date, unless its clause is future-tense ("will", "is due to", "is expected to", "next"...), then the next
  one on or after it. ``last X`` is always before, ``next X`` always after.
- A month/day without a year takes the year that puts it nearest the publication date; when that is more
  than two months away the tense of the clause decides (past: on or before; future: on or after).
- Granularity is kept: ``day``, ``week`` (value = that week's Monday, ``YYYY-MM-DD``), ``month``
  (``YYYY-MM``) or ``year`` (``YYYY``).
- Undated text: absolute dates still resolve, taking a missing year from the nearest year stated earlier in
  the text (else the first stated anywhere); relative expressions are skipped.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from datetime import date, timedelta

from ..model import Article, Sentence
from .sentences import sentences as split_article

__all__ = ["TimeExpr", "resolve_expressions", "date_sentences", "sentence_expressions", "parse_date"]


@dataclass(frozen=True)
class TimeExpr:
    text: str  # the span as written
    start: int  # character offsets into the text given
    end: int
    value: str  # "YYYY-MM-DD" | "YYYY-MM" | "YYYY"
    granularity: str  # "day" | "week" | "month" | "year"


_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10,
    "nov": 11, "dec": 12,
}
_WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "a couple of": 2, "several": None,
}

_MONTH_FULL = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
# Abbreviations need the dot or a following day/year number (guarded by each pattern).
_MONTH_ABBR = r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)"
# Full names as written or in capitals; abbreviations with an optional dot (but a full name never eats the
# sentence's full stop).
_MONTH_ANY_UP = (r"(?:" + _MONTH_FULL[3:-1] + "|" + _MONTH_FULL[3:-1].upper() + "|" + _MONTH_ABBR + r"\.?"
                 + "|" + _MONTH_ABBR.upper() + r"\.?)")
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_YEAR = r"(?:1[6-9]\d\d|20\d\d)"
_ORD = r"(?:st|nd|rd|th)?"

# Each pattern: (kind, compiled). Longer/more specific ones win overlaps (see _candidates).
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"(?<![\d/-])(?P<y>" + _YEAR + r")-(?P<m>[01]?\d)-(?P<d>[0-3]?\d)(?![\d-])")),
    ("iso", re.compile(r"(?<![\d/-])(?P<y>" + _YEAR + r")/(?P<m>[01]\d)/(?P<d>[0-3]\d)(?![\d/])")),
    ("slash", re.compile(r"(?<![\d/])(?P<a>[0-3]?\d)/(?P<b>[0-3]?\d)/(?P<y>" + _YEAR + r")(?![\d/])")),
    ("dmy", re.compile(r"\b(?P<d>[0-3]?\d)" + _ORD + r"\s+(?:of\s+)?(?P<mon>" + _MONTH_ANY_UP + r")"
                       r"(?:\s*,?\s*(?P<y>" + _YEAR + r")(?!\d))?(?![\w-])")),
    ("mdy", re.compile(r"\b(?P<mon>" + _MONTH_ANY_UP + r")\s+(?:the\s+)?(?P<d>[0-3]?\d)" + _ORD +
                       r"(?![\d:.,]\d)(?!\w)(?:\s*,?\s*(?P<y>" + _YEAR + r")(?![\d,]))?")),
    ("my", re.compile(r"\b(?P<mon>" + _MONTH_ANY_UP + r")\s*,?\s*(?:of\s+)?(?P<y>" + _YEAR + r")(?![\d,])")),
    ("month", re.compile(r"\b(?P<pre>in|since|until|till|by|from|during|through|throughout|before|after|early|"
                         r"late|mid|end\s+of|beginning\s+of|start\s+of|last|this|next|of|on)[\s-]+"
                         r"(?P<mon>" + _MONTH_FULL + r")\b(?!\s*\d)", re.IGNORECASE)),
    ("year", re.compile(r"(?:(?<=mid-)|(?<![\d$£€.,/#-]))(?<![$£€] )(?P<y>" + _YEAR + r")"
                        r"(?![\d%]|s\b|'s\b|,\d|\.\d|-\d|/\d)")),
    ("daywords", re.compile(r"\b(?P<w>the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow|today|"
                            r"tonight|yesterday|tomorrow|this\s+(?:morning|afternoon|evening)|last\s+night)\b",
                            re.IGNORECASE)),
    ("ago", re.compile(r"\b(?P<n>a\s+couple\s+of|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|"
                       r"twelve|\d{1,3})\s+(?P<u>day|week|month|year)s?\s+ago\b", re.IGNORECASE)),
    ("rel", re.compile(r"\b(?:(?P<pre>earlier|later|early|late)\s+)?(?P<w>last|this|next)\s+"
                       r"(?P<u>week|month|year)\b", re.IGNORECASE)),
    ("weekday", re.compile(r"\b(?:(?P<pre>last|this|next|on|since|by|until|from|early|late)\s+)?"
                           r"(?P<wd>" + _WEEKDAY + r")(?:\s+(?P<part>morning|afternoon|evening|night))?\b")),
]

_FUTURE = re.compile(
    r"\b(?:will|wo\s*n't|won't|shall|'ll|going\s+to|due\s+to|set\s+(?:to|for)|slated|scheduled|"
    r"expected\s+to|plans?\s+to|"
    r"planning\s+to|planned|to\s+be\s+held|upcoming|next|coming|later\s+this|intends?\s+to|is\s+to|are\s+to)\b",
    re.IGNORECASE,
)
_CLAUSE_BREAK = re.compile(r"[.!?;]\s|\n")
_YEAR_COUNT_AFTER = re.compile(  # "2000 people", "1500 troops": a count, not a year
    r"\s+(?:[a-z]+s|people|men|women|children|police|staff|personnel|dead|killed|died|were|of\s+(?:them|whom))\b"
)
_YEAR_PREPOSITION = re.compile(
    r"(?:\b(?:in|since|of|by|until|till|from|before|after|early|late|mid|during|through|to|and|or|the|"
    r"between|spring|summer|autumn|fall|winter)|[-–(]|'s)\s*$", re.IGNORECASE
)


def parse_date(value: str | date | None) -> date | None:
    """``YYYY-MM-DD`` (or a ``date``) to a ``date``; anything else to ``None``."""
    if value is None:
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _is_future(text: str, start: int, end: int) -> bool:
    """Does the clause around ``text[start:end]`` speak about the future?"""
    lo = max(0, start - 120)
    before = text[lo:start]
    breaks = list(_CLAUSE_BREAK.finditer(before))
    if breaks:
        before = before[breaks[-1].end():]
    after = text[end:end + 40]
    m = _CLAUSE_BREAK.search(after)
    if m:
        after = after[:m.start()]
    return bool(_FUTURE.search(before) or _FUTURE.search(after))


def _month_of(name: str) -> int:
    return _MONTHS[name.rstrip(".").lower()]


def _shift_months(y: int, m: int, k: int) -> tuple[int, int]:
    idx = y * 12 + (m - 1) + k
    return idx // 12, idx % 12 + 1


def _pick_year_for_day(m: int, d: int, pub: date, future: bool) -> date | None:
    cands = [c for c in (_safe_date(pub.year + k, m, d) for k in (-1, 0, 1)) if c is not None]
    if not cands:
        return None
    nearest = min(cands, key=lambda c: abs((c - pub).days))
    if abs((nearest - pub).days) <= 62:
        return nearest
    if future:
        ok = [c for c in cands if c >= pub]
        return min(ok) if ok else nearest
    ok = [c for c in cands if c <= pub]
    return max(ok) if ok else nearest


def _pick_year_for_month(m: int, pub: date, future: bool, pre: str) -> int:
    pre = pre.lower()
    if pre == "this":
        return pub.year
    if pre == "last" or (pre in {"since", "after"} and not future):
        return pub.year if m < pub.month else pub.year - 1
    if pre == "next":
        return pub.year if m > pub.month else pub.year + 1
    if future:
        return pub.year if m >= pub.month else pub.year + 1
    return pub.year if m <= pub.month else pub.year - 1


class _YearContext:
    """The years stated in a text, for resolving month/day mentions of undated text."""

    def __init__(self, text: str) -> None:
        self.pos: list[int] = []
        self.years: list[int] = []
        for m in _PATTERNS[7][1].finditer(text):  # the "year" pattern
            self.pos.append(m.start())
            self.years.append(int(m.group("y")))

    def year_at(self, offset: int) -> int | None:
        i = bisect.bisect_right(self.pos, offset) - 1
        if i >= 0:
            return self.years[i]
        return self.years[0] if self.years else None


def _resolve(kind: str, m: re.Match[str], text: str, pub: date | None, years: _YearContext
             ) -> tuple[str, str] | None:
    g = m.groupdict()
    if kind == "iso":
        d = _safe_date(int(g["y"]), int(g["m"]), int(g["d"]))
        return (d.isoformat(), "day") if d else None
    if kind == "slash":
        a, b, y = int(g["a"]), int(g["b"]), int(g["y"])
        mm, dd = (b, a) if a > 12 else (a, b)  # US order unless impossible
        d = _safe_date(y, mm, dd)
        return (d.isoformat(), "day") if d else None
    if kind in {"dmy", "mdy"}:
        mon = _month_of(g["mon"])
        day = int(g["d"])
        if not 1 <= day <= 31:
            return None
        if g.get("y"):
            d = _safe_date(int(g["y"]), mon, day)
        elif pub is not None:
            d = _pick_year_for_day(mon, day, pub, _is_future(text, m.start(), m.end()))
        else:
            y = years.year_at(m.start())
            d = _safe_date(y, mon, day) if y else None
        return (d.isoformat(), "day") if d else None
    if kind == "my":
        return f"{int(g['y']):04d}-{_month_of(g['mon']):02d}", "month"
    if kind == "month":
        mon = _month_of(g["mon"])
        if g["mon"] == "May" and g["pre"].lower() in {"by", "of", "on"}:
            return None
        if g["mon"][0].islower():
            return None  # "in march" is rather the verb/noun
        if pub is not None:
            y = _pick_year_for_month(mon, pub, _is_future(text, m.start(), m.end()), g["pre"])
        else:
            y = years.year_at(m.start())
            if y is None:
                return None
        return f"{y:04d}-{mon:02d}", "month"
    if kind == "year":
        y = int(g["y"])
        before = text[max(0, m.start() - 25):m.start()]
        after = text[m.end():m.end() + 30]
        if _YEAR_COUNT_AFTER.match(after) and not _YEAR_PREPOSITION.search(before):
            return None  # "2000 people", "1500 troops"
        if y < 1800 and not _YEAR_PREPOSITION.search(before):
            return None
        return f"{y:04d}", "year"
    if pub is None:
        return None  # relative expressions need an anchor
    if kind == "daywords":
        w = " ".join(g["w"].lower().split())
        delta = {"today": 0, "tonight": 0, "this morning": 0, "this afternoon": 0, "this evening": 0,
                 "yesterday": -1, "last night": -1, "tomorrow": 1, "the day before yesterday": -2,
                 "the day after tomorrow": 2}[w]
        return (pub + timedelta(days=delta)).isoformat(), "day"
    if kind == "ago":
        n = _NUMBERS.get(" ".join(g["n"].lower().split())) if not g["n"].isdigit() else int(g["n"])
        if not n:
            return None
        u = g["u"].lower()
        if u == "day":
            return (pub - timedelta(days=n)).isoformat(), "day"
        if u == "week":
            return (pub - timedelta(weeks=n)).isoformat(), "day"
        if u == "month":
            y, mm = _shift_months(pub.year, pub.month, -n)
            return f"{y:04d}-{mm:02d}", "month"
        return f"{pub.year - n:04d}", "year"
    if kind == "rel":
        k = {"last": -1, "this": 0, "next": 1}[g["w"].lower()]
        u = g["u"].lower()
        if u == "week":
            monday = pub - timedelta(days=pub.weekday()) + timedelta(weeks=k)
            return monday.isoformat(), "week"
        if u == "month":
            y, mm = _shift_months(pub.year, pub.month, k)
            return f"{y:04d}-{mm:02d}", "month"
        return f"{pub.year + k:04d}", "year"
    if kind == "weekday":
        wd = _WEEKDAYS[g["wd"].lower()]
        pre = (g.get("pre") or "").lower()
        back = (pub.weekday() - wd) % 7  # days back to the most recent such day (0 = the publication day)
        if pre == "last":
            delta = -(back or 7)
        elif pre == "next":
            fwd = (wd - pub.weekday()) % 7
            delta = fwd or 7
        elif pre == "this":
            delta = wd - pub.weekday()  # the same calendar week
        elif pre in {"until", "by"} or _is_future(text, m.start(), m.end()):
            delta = (wd - pub.weekday()) % 7
        else:
            delta = -back
        return (pub + timedelta(days=delta)).isoformat(), "day"
    return None


# Case-insensitive patterns led by a long alternation are slow over a whole corpus; these are run only in a
# small window around a cheap anchor: (anchor, chars before, chars after, group that must start at the anchor).
_ANCHORED = {
    "month": (re.compile(r"\b(?:" + _MONTH_FULL[3:-1] + "|" + _MONTH_FULL[3:-1].upper() + r")\b"), 24, 16, "mon"),
    "ago": (re.compile(r"\b(?:ago|AGO|Ago)\b"), 40, 3, None),
}


def _finditer(kind: str, pat: re.Pattern[str], text: str) -> list[re.Match[str]]:
    anchored = _ANCHORED.get(kind)
    if anchored is None:
        return list(pat.finditer(text))
    anchor, back, fwd, group = anchored
    found: dict[int, re.Match[str]] = {}
    for a in anchor.finditer(text):
        lo = max(0, a.start() - back)
        for m in pat.finditer(text, lo, min(len(text), a.end() + fwd)):
            if a.start() <= m.end() and m.start() <= a.start() and (group is None or m.start(group) == a.start()):
                found[m.start()] = m
    return [found[k] for k in sorted(found)]


def _candidates(text: str) -> list[tuple[int, int, int, str, re.Match[str]]]:
    out = []
    for prio, (kind, pat) in enumerate(_PATTERNS):
        for m in _finditer(kind, pat, text):
            out.append((m.start(), m.end(), prio, kind, m))
    # longest first at the same start; then priority
    out.sort(key=lambda c: (c[0], -(c[1] - c[0]), c[2]))
    chosen: list[tuple[int, int, int, str, re.Match[str]]] = []
    last_end = -1
    for c in out:
        if c[0] >= last_end:
            chosen.append(c)
            last_end = c[1]
    return chosen


def resolve_expressions(text: str, pub_date: str | date | None = None) -> list[TimeExpr]:
    """Every temporal expression in ``text`` that can be resolved, in text order."""
    pub = parse_date(pub_date)
    years = _YearContext(text)
    out: list[TimeExpr] = []
    for start, end, _prio, kind, m in _candidates(text):
        res = _resolve(kind, m, text, pub, years)
        if res is None:
            continue
        value, gran = res
        # a weekday directly before the date it names ("Wednesday 21 October 2020") adds nothing: keep the date
        if out and out[-1].granularity == "day" and gran == "day" and kind in {"dmy", "mdy", "iso"} \
                and text[out[-1].end:start].strip(" ,") == "" and re.fullmatch(_WEEKDAY, out[-1].text):
            out[-1] = TimeExpr(out[-1].text, out[-1].start, out[-1].end, value, gran)
        out.append(TimeExpr(text[start:end], start, end, value, gran))
    return out


def sentence_expressions(article: Article) -> list[tuple[Sentence, list[TimeExpr]]]:
    """The article's sentences, each dated (see ``date_sentences``) and with the expressions inside it
    (offsets relative to ``Article.text``)."""
    exprs = resolve_expressions(article.text, article.date)
    starts = [e.start for e in exprs]
    out: list[tuple[Sentence, list[TimeExpr]]] = []
    for s in split_article(article):
        lo = bisect.bisect_left(starts, s.start)
        hi = bisect.bisect_left(starts, s.end)
        inside = [e for e in exprs[lo:hi] if e.end <= s.end]
        day = next((e for e in inside if e.granularity == "day"), None)
        if day is not None:
            s.date, s.date_granularity = day.value, "day"
        elif article.date:
            s.date, s.date_granularity = article.date, "day"
        else:
            s.date, s.date_granularity = None, None
        out.append((s, inside))
    return out


def date_sentences(article: Article) -> list[Sentence]:
    """The article's sentences, each with the day it talks about: its first day-granular expression, else
    the publication date."""
    return [s for s, _ in sentence_expressions(article)]
