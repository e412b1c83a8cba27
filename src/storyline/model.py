"""The one vocabulary every stage speaks: plain dataclasses, no behaviour beyond small helpers.

Stages are pure functions over batches of these objects (``list[Article]`` in, results out), so the same
code runs in-process, in tests, and later inside Spark executors. Only ``storyline.store`` turns them into
rows and back.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Article:
    """One news report as the pipeline sees it.

    ``id`` is stable: the input's own id, else its URL, else a content hash (see ``ingest.identity``).
    ``date`` is the publication day as ``YYYY-MM-DD`` (or ``None`` when unknown). ``text`` is the cleaned
    body with paragraphs separated by blank lines; ``raw`` is what the reader got before cleanup.
    """

    id: str
    text: str
    title: str | None = None
    date: str | None = None
    source: str | None = None
    url: str | None = None
    lang: str | None = None
    dateline: str | None = None
    raw: str | None = None
    origin: str | None = None  # where it came from: "path[:line]" or "stdin:3" or a URL
    meta: dict[str, Any] = field(default_factory=dict)
    content_hash: str | None = None
    duplicate_of: str | None = None
    event_id: str | None = None
    story_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Sentence:
    article_id: str
    index: int  # position in the article, 0-based
    text: str
    start: int = 0  # character offsets into Article.text
    end: int = 0
    date: str | None = None  # the day the sentence talks about (resolved), else the publication date
    date_granularity: str | None = None  # "day" | "month" | "year"


@dataclass(slots=True)
class Mention:
    article_id: str
    text: str  # surface form as written
    start: int = 0
    end: int = 0
    sentence: int | None = None


# What an article's mentions of an entity say it is, strongest first: a title before a name says more than a verb
# after it ("SPEAKER"), and that more than nothing ("MISC"). An entity named by one word is typed by these, one per
# article (``enrich.entities._voted_type``); the store keeps them.
MENTION_KINDS = ("PERSON", "PLACE", "ORG", "SPEAKER", "MISC")
_KIND_RANK = {k: i for i, k in enumerate(MENTION_KINDS)}


def stronger_kind(kind: str | None, other: str | None) -> str | None:
    """The stronger of two ``MENTION_KINDS`` (anything else, or None, counts for nothing)."""
    if other not in _KIND_RANK:
        return kind if kind in _KIND_RANK else None
    if kind not in _KIND_RANK or _KIND_RANK[other] < _KIND_RANK[kind]:
        return other
    return kind


@dataclass
class Entity:
    """A canonical entity: one real-world person/organisation/place with every alias seen."""

    id: str
    name: str
    type: str  # PERSON | ORG | PLACE | DATE | NUMBER | MISC
    aliases: list[str] = field(default_factory=list)
    article_ids: list[str] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("mentions", None)
        return d


@dataclass
class Figure:
    value: float | None  # None for vague amounts ("hundreds")
    unit: str | None  # what is counted: "soldiers", "civilians", "people"
    subject: str | None  # what happened to them: "killed", "casualties"
    text: str = ""  # the span as written ("772 Armenian soldiers")
    approximate: bool = False


_SCALES = ((10**12, "trillion"), (10**9, "billion"), (10**6, "million"))


def format_amount(value: float | None, vague: str = "some") -> str:
    """A figure's value for people to read: "1,387", "5.1", "20 million", "2.7 trillion" (not "2e+07"); ``vague``
    for an amount given only in words ("hundreds")."""
    if value is None:
        return vague
    for scale, word in _SCALES:
        if abs(value) >= scale:
            return f"{value / scale:,.3f}".rstrip("0").rstrip(".") + f" {word}"
    return f"{value:,.3f}".rstrip("0").rstrip(".")


def figure_label(value: float | None, unit: str | None, subject: str | None, approximate: bool = False) -> str:
    """A figure in a line: "~772 soldiers killed", "20 million USD", "5.1 percent unemployment"."""
    amount = format_amount(value, "some")
    return " ".join(p for p in (("~" if approximate and value is not None else "") + amount, unit, subject) if p)


@dataclass
class Claim:
    article_id: str
    speaker: str | None
    verb: str | None
    text: str
    figures: list[Figure] = field(default_factory=list)
    speaker_entity_id: str | None = None
    sentence: int | None = None
    polarity: str = "assert"  # "assert" | "deny"
    id: str | None = None
    # the country or body a speaker stands for when an article says it of them ("Velmoran Defence Minister Tariq
    # Aliev", "Tarik Aliyev of Velmora", "White House spokesman"): lower case, as ``enrich.disagreements`` compares
    side: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Disagreement:
    kind: str  # "denial" | "figures"
    claims: list[int]  # indexes into the event's claim list
    note: str = ""


@dataclass
class SummarySentence:
    text: str
    article_ids: list[str]
    date: str | None = None


@dataclass
class Event:
    id: str
    story_id: str | None = None
    title: str | None = None
    start: str | None = None
    end: str | None = None
    article_ids: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    merged_into: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Story:
    id: str
    title: str | None = None
    start: str | None = None
    end: str | None = None
    event_ids: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class IngestProblem:
    """A piece of input that could not be ingested: where and why. Printed as one line on stderr."""

    where: str  # "path", "path:line", "path#record 3", "stdin:2", a URL
    reason: str
    severity: str = "error"  # "error": the record was dropped; "warning": it was kept (e.g. bad date -> None)

    def __str__(self) -> str:
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{self.where}: {prefix}{self.reason}"
