"""Sentence splitting and tokenisation shared by every stage that reads text.

Rule-based and fast (regular expressions only): paragraphs first, then sentence ends (``.!?`` plus closing
quotes/brackets) followed by whitespace and an upper-case letter, digit or opening quote — except after known
abbreviations ("U.S.", "Mr.", "Gen.", "Jan.") and single initials ("J. Smith").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..model import Article, Sentence

_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "capt", "cpt", "sgt", "maj", "adm", "gov", "sen", "rep",
    "rev", "st", "jr", "sr", "mt", "ft", "no", "vs", "etc", "inc", "ltd", "co", "corp", "dept", "univ", "est",
    "approx", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mon", "tue",
    "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun", "u.s", "u.k", "u.n", "e.u", "a.m", "p.m", "d.c",
    "i.e", "e.g", "al", "pres", "supt", "messrs", "hon", "gov.-gen",
}

# A candidate boundary: terminal punctuation, optional closing quotes/brackets, whitespace, then a plausible
# sentence start.
# (a single character class first lets the engine skip to candidates: "[.!?…]+" would try every position)
_BOUNDARY = re.compile(r"""([.!?…][.!?…]*["'”’)\]]*)(\s+)(?=["'“‘(\[]?[A-Z0-9À-ÖØ-Þ])""")
_PARAGRAPH = re.compile(r"\n\s*\n+")
# a newline after terminal punctuation (group 1: from the end of the punctuation)
_LINE_END = re.compile(r"[.!?\"'”’]([ \t]*\n)")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.\-]*)\.$")

_TOKEN = re.compile(r"[^\W_]+(?:[-'’.][^\W_]+)*", re.UNICODE)

_STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has have having he
    her here hers herself him himself his how i if in into is it its itself just me more most my myself no nor not
    now of off on once only or other our ours ourselves out over own same she should so some such than that the
    their theirs them themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself yourselves said says say
    told according would could may might must shall also one two new last first year years week weeks day days
    time mr mrs ms per cent percent s t don ve ll re d m o y ain aren couldn didn doesn hadn hasn haven isn
    ma mightn mustn needn shan shouldn wasn weren won wouldn""".split()
)


def split_paragraphs(text: str) -> list[tuple[int, str]]:
    """Paragraphs with their start offsets."""
    out: list[tuple[int, str]] = []
    pos = 0
    for m in _PARAGRAPH.finditer(text):
        if text[pos:m.start()].strip():
            out.append((pos, text[pos:m.start()]))
        pos = m.end()
    if text[pos:].strip():
        out.append((pos, text[pos:]))
    return out


def ends_with_abbreviation(chunk: str) -> bool:
    """Whether text ending in a full stop ends with an abbreviation ("Mr.", "Feb.", "U.S.") or an initial
    ("Ben S."), so that the stop ends no sentence."""
    m = _WORD_BEFORE.search(chunk)
    if not m:
        return False
    word = m.group(1).lower().rstrip(".")
    if word in _ABBREVIATIONS:
        return True
    # single initials ("J.") and dotted acronyms ("U.S.", "N.A.T.O.")
    return len(word) == 1 or bool(re.fullmatch(r"(?:[a-z]\.)+[a-z]?", word))


def split_sentences(text: str) -> list[tuple[int, int, str]]:
    """Sentences as ``(start, end, text)`` with character offsets into ``text``.

    Each line of a paragraph that looks like a list or a one-line-per-sentence layout (pre-tokenised corpora)
    is split too: a newline ends a sentence when the line ends in terminal punctuation.
    """
    return [(s, e, " ".join(text[s:e].split())) for s, e in sentence_bounds(text)]


def sentence_bounds(text: str) -> list[tuple[int, int]]:
    """``split_sentences`` without the whitespace-normalised texts: only the ``(start, end)`` offsets (what
    the entity and claim readers use; each sentence's text is ``text[start:end]``)."""
    spans: list[tuple[int, int]] = []
    for p_start, para in split_paragraphs(text):
        # a newline after terminal punctuation is a boundary even before a lower-case word
        pieces: list[tuple[int, str]] = []
        line_start = 0
        if "\n" in para:
            for m in _LINE_END.finditer(para):
                pieces.append((line_start, para[line_start:m.start(1)]))
                line_start = m.end()
        pieces.append((line_start, para[line_start:]))
        for off, piece in pieces:
            start = 0
            for m in _BOUNDARY.finditer(piece):
                end = m.end(1)
                if m.group(1) == "." and ends_with_abbreviation(piece[start:end]):
                    continue
                _emit(spans, text, p_start + off + start, p_start + off + end)
                start = m.end()
            _emit(spans, text, p_start + off + start, p_start + off + len(piece))
    return spans


def _emit(spans: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    chunk = text[start:end]
    stripped = chunk.strip()
    if not stripped:
        return
    s = start + len(chunk) - len(chunk.lstrip())
    spans.append((s, s + len(stripped)))


def sentences(article: Article) -> list[Sentence]:
    """The article's sentences (the title is not included)."""
    return [
        Sentence(article_id=article.id, index=i, text=t, start=s, end=e, date=article.date,
                 date_granularity="day" if article.date else None)
        for i, (s, e, t) in enumerate(split_sentences(article.text))
    ]


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens (letters/digits, inner hyphens and apostrophes kept)."""
    return [t.lower() for t in _TOKEN.findall(text)]


def content_tokens(text: str) -> Iterator[str]:
    """Tokens without stopwords and one-character tokens: the terms similarity measures should count."""
    for t in tokens(text):
        if len(t) > 1 and t not in _STOPWORDS:
            yield t


STOPWORDS = _STOPWORDS


def has_whole_word(text: str, word: str, joiners: str = "") -> bool:
    """Whether ``word`` occurs in ``text`` with no letter or digit (nor any of ``joiners``) right before or after
    it: "Syria" is not in "Syrian Observatory" (case-sensitive; no regular expression to compile)."""
    n = len(word)
    i = text.find(word)
    while i >= 0:
        before = text[i - 1] if i else " "
        after = text[i + n] if i + n < len(text) else " "
        if not (before.isalnum() or before in joiners) and not (after.isalnum() or after in joiners):
            return True
        i = text.find(word, i + 1)
    return False
