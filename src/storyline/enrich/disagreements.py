"""Where reports of one event disagree: a claim and its denial, and conflicting figures for one quantity.

``find_disagreements(claims, dates)`` takes an event's claim list (and its articles' days) and returns ``Disagreement``s whose ``claims`` are
indexes into that list.

* denial: a ``deny`` claim and an asserted claim by another speaker that share key terms at stem level
  (downed/downing) after a small synonym map (plane/aircraft/jet/warplane), at least two of them and one that
  is not a name;
* figures: the same quantity (same unit and subject, same qualifier such as "Armenian" when both have one)
  given with different values by different speakers.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from ..model import Claim, Disagreement, Figure, format_amount
from .claims import CHANGE_KINDS, DENY_VERBS, NEGATED_PAST
from .entities import DEMONYMS, MONTHS, NUMBER_WORDS, WEEKDAYS
from .sentences import STOPWORDS
from .temporal import parse_date

SYNONYMS: dict[str, str] = {
    "plane": "aircraft", "planes": "aircraft", "jet": "aircraft", "jets": "aircraft", "warplane": "aircraft",
    "warplanes": "aircraft", "airplane": "aircraft", "fighter": "aircraft", "aircrafts": "aircraft",
    "helicopter": "aircraft", "drone": "aircraft", "drones": "aircraft", "uav": "aircraft",
    "shot": "down", "downing": "down", "downed": "down",
    "killed": "kill", "killing": "kill", "dead": "kill", "died": "kill", "deaths": "kill", "death": "kill",
    "attacked": "attack", "attacks": "attack", "strike": "attack", "strikes": "attack", "struck": "attack",
    "firing": "attack", "fired": "attack",  # (not "fire": the one on the rig is no attack)
    "shelled": "shell", "shelling": "shell", "bombardment": "shell", "bombarded": "shell",
    "troops": "soldier", "soldiers": "soldier", "forces": "soldier",
    "mercenaries": "mercenary", "fighters": "mercenary",
    "accusation": "accus", "accusations": "accus", "accused": "accus", "accusing": "accus", "accuses": "accus",
    "captured": "capture", "seized": "capture", "took": "capture", "taken": "capture",
    "destroyed": "destroy", "destroying": "destroy",
    "civilians": "civilian", "residents": "civilian",
    "village": "settlement", "villages": "settlement", "town": "settlement", "towns": "settlement",
}
# words that carry no content in a claim/denial comparison
_WEAK = STOPWORDS | frozenset(
    """report reports reported untrue true false baseless claim claims claimed deny denied denies rejected
    reject statement its their his her side sides part area zone fighting conflict there other not no
    information allegation allegations news
    make makes made making sure take takes took taken get gets got want wants wanted need needs needed think
    thinks thought know knows knew see sees saw look looks come comes came give gives gave put puts keep keeps
    going go goes went able like just also still well very much many more most lot thing things way ways time
    times day days week weeks year years month months ago today yesterday tomorrow last next every say says said
    tell tells told set sets call calls called""".split())
_WORD = re.compile(r"[A-Za-z][A-Za-z\-']+")


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """A crude stem: synonyms first, then common English suffixes (downed/downing -> down)."""
    w = word.lower().strip("'")
    if w in SYNONYMS:
        return SYNONYMS[w]
    for suffix in ("ations", "ation", "ings", "ing", "ied", "ies", "ed", "es", "s"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: -len(suffix)]
            if suffix in ("ied", "ies"):
                w += "y"
            break
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "aeiousl":
        w = w[:-1]  # "downn", "shott"
    return SYNONYMS.get(w, w)


def key_terms(text: str) -> set[str]:
    return set(_key_terms(text))


@lru_cache(maxsize=50_000)
def _key_terms(text: str) -> frozenset[str]:
    """``key_terms``, remembered: an event's claims are compared again each time the event grows."""
    out = set()
    for m in _WORD.finditer(text):
        w = m.group(0)
        lw = w.lower()
        if lw in _WEAK or len(lw) < 3:
            continue
        out.add(stem(lw))
    return frozenset(out)


@lru_cache(maxsize=50_000)
def _name_terms(text: str) -> frozenset[str]:
    """The key terms a claim writes as names: "Hayward", "Tony", "Obama" (capitalised; the first word only
    when the next one is too, "Tony Hayward had lost", not "Rockets struck"). Two claims that name the same
    people are about them, not saying the same thing."""
    words = list(_WORD.finditer(text))
    return frozenset(stem(m.group(0).lower()) for k, m in enumerate(words)
                     if m.group(0)[:1].isupper() and m.group(0).lower() not in _WEAK
                     and (k or (len(words) > 1 and words[1].group(0)[:1].isupper())))


def _speaker_key(c: Claim) -> str:
    return c.speaker_entity_id or (c.speaker or "").lower()


def _side(c: Claim) -> str:
    """The country or body a speaker stands for: what an article said of them ("Velmoran Defence Minister Tariq
    Aliev", ``Claim.side``), else as far as its name says: "Velmoran defence ministry" and "Velmora" share
    "velmora" (a nationality adjective leads to its country)."""
    return c.side or _speaker_side(c.speaker or "")


@lru_cache(maxsize=50_000)
def _speaker_side(speaker: str) -> str:
    for w in _WORD.findall(speaker):
        if w[:1].isupper() and w.lower() not in ("the", "a", "an"):
            low = w.lower().removesuffix("'s").removesuffix("’s")
            return DEMONYMS.get(low, low).lower()
    return speaker.lower()


def _sides_match(x: str, y: str) -> bool:
    x, y = sorted((x, y), key=len)
    # "velmora"/"velmoran", "drassk"/"drasski", "liria"/"lirian": a name and its adjective
    return len(x) >= 4 and y.startswith(x) and len(y) - len(x) <= 3


@lru_cache(maxsize=4096)
def _is_name_term(term: str) -> bool:
    return term in DEMONYMS or term.rstrip("s") in DEMONYMS


_NEGATION = (r"(?:\s+(?!(?:should|would|could|must|might|may|can)\b)[a-z]+){0,2}?\s+"
             rf"(?:{NEGATED_PAST}|is not|are not)\b")
# a negated statement whose subject is the speaker's own: "its forces did not fire", "we have not cut the budget"
_OWN_NEGATION = re.compile(r"(?:that\s+)?(?P<who>we|our|its|their|it|they|i|my)" + _NEGATION, re.IGNORECASE)
_THIRD_PERSON = frozenset({"its", "their", "it", "they"})
# ... or has its own side as the agent: "the spill was not caused by its crews", "was not the work of our forces"
_OWN_AGENT = re.compile(rf"(?:\S+\s+){{0,6}}?(?:{NEGATED_PAST}|is not|are not)\s+(?:\w+\s+){{0,3}}?(?:by|of)\s+"
                        r"(?P<who>its|their|our|us)\b", re.IGNORECASE)
# ... or its own side by name: "Velmoran forces did not strike Lomira" (said by a Velmoran minister)
_NAMED_NEGATION = re.compile(r"([A-Z][\w\-]+)" + _NEGATION)
# what was said called untrue: "The report on the downing is untrue", "the claim was false", "its denial that"
_CALLED_UNTRUE = re.compile(
    r"\b(?:reports?|claims?|accusations?|allegations?|figures?|estimates?|story|stories|statements?|assertions?|"
    r"charges?)\b[^.;]{0,80}?\b(?:is|are|was|were)\s+(?:\w+\s+)?(?:untrue|not true|false|baseless|groundless|"
    r"unfounded|fabricated|lies|a lie|nonsense)\b|\b(?:its|his|her|their)\s+denials?\b", re.IGNORECASE)


def _denial_kind(c: Claim, side: str) -> str | None:
    """How a claim of deny polarity denies something said: "said" by its verb ("Drassk denies firing on Kesten")
    or by calling it untrue ("the report ... is untrue"); "own" by negating what its own side did ("its forces
    did not fire", "Velmoran forces did not strike Lomira" from a Velmoran minister), which denies only what was
    said of that side. None for a statement that merely negates something else ("he was not aware of it", "they
    should never have been needed", "the spill was not on their minds"): it denies nothing said."""
    if c.verb in DENY_VERBS or _CALLED_UNTRUE.search(c.text):
        return "said"
    own = _OWN_NEGATION.match(c.text) or _OWN_AGENT.match(c.text)
    if own and not (c.side and own.group("who").lower() in _THIRD_PERSON):
        return "own"  # (a person a side was said of speaks for it as "we", not as "they": "They didn't anticipate")
    m = _NAMED_NEGATION.match(c.text)
    return "own" if m is not None and side and _sides_match(_speaker_side(m.group(1)), side) else None


@lru_cache(maxsize=50_000)
def _named_sides(text: str) -> frozenset[str]:
    """The sides a claim's capitalised words name ("Drasski rockets" names drassk)."""
    return frozenset(_speaker_side(w) for w in _WORD.findall(text) if w[:1].isupper())


def _about_side(text: str, side: str) -> bool:
    return bool(side) and any(_sides_match(x, side) for x in _named_sides(text))


# A denial that names whose words it denies: "(rejected) Marten's assertions that ...", "the claims by the
# Drasski army", "a threat by Velmora to ...", "government reports that ..."
_WHAT_SAID = (r"(?:assertions?|claims?|allegations?|accusations?|reports?|statements?|suggestions?|charges?|"
              r"remarks?|comments?|version|account|figures?|estimates?|threats?|warnings?|accounts?)")
_NAME = r"[A-Z][\w\-.]*(?:\s+(?:of\s+)?[A-Z][\w\-.]*)*"
_DENIED_SOURCE = re.compile(
    rf"^(?:the\s+|a\s+|an\s+)?(?:(?P<owner>{_NAME}|government|regime|opposition|rebels?|army|military|"
    rf"police|activists?)(?:'s|’s|')?\s+(?:[a-z]+\s+)?{_WHAT_SAID}"
    rf"|(?:[a-z]+\s+)?{_WHAT_SAID}\s+(?:by|from|of)\s+(?:the\s+)?(?P<by>{_NAME}))\b")


@lru_cache(maxsize=50_000)
def denied_source(text: str) -> frozenset[str] | None:
    """The words of whoever a denial says made what it denies (``None`` when it names nobody): "Marten's
    assertions that ..." -> {"marten"}; "government claims that ..." -> {"government"}."""
    m = _DENIED_SOURCE.match(text)
    if m is None:
        return None
    who = m.group("owner") or m.group("by")
    words = frozenset(w.lower() for w in _WORD.findall(who) if w.lower() not in ("the", "of"))
    return words or None


def _made_by(claim: Claim, side: str, source: frozenset[str]) -> bool:
    """Whether an asserted claim's speaker is the source a denial names: one of its words ("Ivo Marten" for
    "Marten's"), or its side ("Velmoran defence ministry" for "Velmora's claims")."""
    spoken = {w.lower() for w in _WORD.findall(claim.speaker or "")}
    return bool(spoken & source) or any(_sides_match(_speaker_side(w.capitalize()), side) for w in source)


COMMON_MIN, COMMON_SHARE = 5, 0.33  # a term in more claims of the event than this many and this share is common


DENIAL_DAYS = 3  # a denial answers what its event's articles said this many days before or after it, not later


def _days_apart(x: str | None, y: str | None) -> int | None:
    dx, dy = parse_date(x), parse_date(y)
    return abs((dx - dy).days) if dx and dy else None  # (an undated article: no bound)


def _denial_pairs(claims: list[Claim], dates: Mapping[str, str | None]) -> list[Disagreement]:
    """Each denial with the asserted claims from another side that share the most key terms with it. Claims
    meet through an index of their content terms (a pair shares at least one term that is not a name), not by
    comparing every pair."""
    out: list[Disagreement] = []
    if not any(c.polarity == "deny" for c in claims):
        return out
    keys = [_speaker_key(c) for c in claims]
    # (a person one article of the event said the side of stands for it in the others too)
    said = {c.speaker_entity_id: c.side for c in claims if c.side and c.speaker_entity_id}
    sides = [said.get(c.speaker_entity_id or "") or _side(c) for c in claims]
    how = [_denial_kind(c, sides[i]) if c.polarity == "deny" else None for i, c in enumerate(claims)]
    denials = [d for d, kind in enumerate(how) if kind]
    if not denials:
        return out
    terms = [_key_terms(c.text) | ({"accus"} if c.verb == "accuse" else frozenset()) for c in claims]
    # terms a third of the event's claims hold ("oil", "spill" in every claim on a spill) tie no denial to a claim
    held = Counter(t for ts in terms for t in ts)
    common = {t for t, k in held.items() if k > max(COMMON_MIN, COMMON_SHARE * len(claims))}
    if common:
        terms = [ts - common for ts in terms]
    # only the terms some denial holds are looked up: an asserted claim is indexed under those alone (one set
    # intersection per claim, not a loop over all its terms)
    wanted = frozenset(t for d in denials for t in terms[d] if not _is_name_term(t))
    postings: dict[str, list[int]] = {}
    for a, claim in enumerate(claims):
        if claim.polarity != "deny":
            for t in terms[a] & wanted:
                postings.setdefault(t, []).append(a)
    names = [_name_terms(c.text) for c in claims]
    # one flag per denier and speaker denied, with every claim of either that meets the other: "Lavrov denies
    # what Clinton said" once, not once for each of her five sentences on the helicopters
    flags: dict[tuple[str, str], tuple[set[int], set[int], set[str]]] = {}
    for d in denials:
        source = denied_source(claims[d].text)
        candidates: set[int] = set()
        for t in terms[d]:
            candidates.update(postings.get(t, ()))
        scored: list[tuple[float, int, set[str]]] = []
        for a in sorted(candidates):
            if keys[a] == keys[d] or _sides_match(sides[a], sides[d]):
                continue
            shared = terms[d] & terms[a]
            if len(shared) < 2 or not shared - names[d] - names[a]:  # something said alike, besides whom they name
                continue
            if how[d] == "own" and not _about_side(claims[a].text, sides[d]):
                continue  # "its forces did not fire" answers only what was said of its forces
            if source is not None and not _made_by(claims[a], sides[a], source):
                continue  # "rejected Marten's assertions that ..." answers only what Marten said
            apart = _days_apart(dates.get(claims[a].article_id), dates.get(claims[d].article_id)) if dates else None
            if apart is not None and apart > DENIAL_DAYS:
                continue  # (an event of weeks: what a denial answers was said days around it)
            score = len(shared) / min(len(terms[d]), len(terms[a]))
            if score >= 0.2:
                scored.append((score, a, shared))
        if not scored:
            continue
        scored.sort(key=lambda x: (-x[0], x[1]))
        best = scored[0][0]
        for score, a, shared in scored:
            if score < best * 0.75:
                break
            asserted, denying, terms_shared = flags.setdefault((keys[d], keys[a]), (set(), set(), set()))
            asserted.add(a)
            denying.add(d)
            terms_shared |= shared
    for asserted, denying, shared in flags.values():
        a, d = min(asserted), min(denying)
        out.append(Disagreement(kind="denial", claims=[*sorted(asserted), *sorted(denying)],
                                note=f"{claims[d].speaker or 'a source'} denies what {claims[a].speaker or 'a source'}"
                                     f" said (shared: {', '.join(sorted(shared))})"))
    return out


def _qualifier(fig: Figure) -> str | None:
    for w in _WORD.findall(fig.text):
        if w.lower() in DEMONYMS:
            return DEMONYMS[w.lower()]
    return None


# "... it had lost nine men", "... its soldiers", "raised its death toll to nine": the speaker counts its own side
_OWN_SIDE = re.compile(r"\b(?:it|they|we)\s+(?:had\s+|has\s+|have\s+)?(?:lost|losing)\b|\b(?:its|their|our)\s+own\b"
                       r"|\b(?:its|their|our)\s+(?:soldiers|troops|men|servicemen|fighters|forces|death\s+toll|"
                       r"dead|casualties|losses)\b", re.IGNORECASE)
# "killed nine people in Kesten": where the counted people were (a capitalised word that is no month, weekday or
# nationality), right after the figure and before the clause ends
_PLACE_AFTER = re.compile(r"[^.;,:]{0,30}?\b(?:in|at|near)\s+(?:the\s+(?:town|city|village|district|port)\s+of\s+)?"
                          r"([A-Z][\w'\-]+)")
# "... in the eastern city of Deir al-Zour, killing at least 10 people": where, said before the figure in its
# sentence (the nearest place before it)
_PLACE_BEFORE = re.compile(r"\b(?:in|at|near)\s+(?:the\s+(?:[a-z]+\s+)?(?:town|city|village|district|port|province|"
                           r"region)\s+of\s+)?([A-Z][\w'\-]+)")
_NOT_PLACES = frozenset(MONTHS) | frozenset(WEEKDAYS)
# "Velmoran losses at 14 soldiers", "Drasski casualties of 200": whose losses a figure right after gives
_LOSSES_OF = re.compile(r"\b([A-Z][\w\-]+)\s+(?:military\s+|civilian\s+)?(?:losses|casualties|dead|death\s+toll)\s+"
                        r"(?:at|of|to|stood\s+at|rose\s+to|reached)\s+(?:about\s+|around\s+|at\s+least\s+|"
                        r"more\s+than\s+|nearly\s+|some\s+)?$")


# "The two attacks have killed at least 22 civilians between them": a figure that adds up several counts
_TOTAL = re.compile(r"\b(?:between\s+them|combined|in\s+total|in\s+all\b(?!\s+\w)|altogether|all\s+told|"
                    r"across\s+the\s+country|nationwide|throughout\s+the\s+country|"
                    r"taken\s+together|(?:the|both)\s+(?:two\s+|three\s+|four\s+)?"
                    r"(?:attacks|strikes|incidents|blasts|explosions|bombings|shellings))", re.IGNORECASE)
_TOTAL_PLACE = "\x00total"  # the place of such a figure: apart from every figure but other totals

# The stretch of time a count covers, when its clause says: a running toll "since the unrest began", one "in the
# past two days", one day's "on Saturday" / "today" / "overnight". Tolls over different stretches are different
# quantities (5,000 since March and 30 on Saturday do not contradict each other).
_SPAN = re.compile(r"\b(?:(?P<since>since)\s+(?!(?:been|then|become|gone)\b)(?:the\s+|its\s+|their\s+)?"
                   r"(?P<anchor>[\w\-]+)"  # (not the adverb: "had since been reversed")
                   r"|(?:in|over|during)\s+the\s+(?:past|last)\s+(?P<past>(?:\w+\s+)?(?:hours?|days?|weeks?|months?))"
                   r"|(?P<day>today|yesterday|overnight|so\s+far\s+(?:today|on\s+\w+day)|on\s+(?:Mon|Tues|Wednes|Thurs|"
                   r"Fri|Satur|Sun)day))\b")


def _figure_at(claim: Claim, fig: Figure) -> int:
    """Where a figure stands in its claim's text (-1: not found)."""
    return claim.text.find(fig.text) if fig.text else -1


def _whose(claim: Claim, fig: Figure, at: int) -> tuple[str | None, str | None, str | None]:
    """(whose people, where, over what stretch of time) a figure of the claim (at ``at``, see ``_figure_at``)
    counts, each None when the claim does not say; where is ``_TOTAL_PLACE`` for a sum over several places or
    attacks."""
    span = _span_of(claim, fig, at)
    if at >= 0 and _TOTAL.search(claim.text, max(0, at - 80), at + len(fig.text) + 60):
        return _side_of(claim, fig, at), _TOTAL_PLACE, span
    return _side_of(claim, fig, at), _place_of(claim, fig, at), span


# The words before a figure that make it a bound or an estimate (see ``_both_true``)
_AT_LEAST = re.compile(r"\b(?:more than|over|at least|upwards of|in excess of|no fewer than|not less than)\s+$",
                       re.IGNORECASE)
_AT_MOST = re.compile(r"\b(?:up to|fewer than|less than|as many as|nearly|almost|close to|under|no more than)\s+$",
                      re.IGNORECASE)
_ABOUT = re.compile(r"\b(?:about|around|roughly|some|approximately|an estimated|estimated)\s+$",
                    re.IGNORECASE)
ESTIMATE_SLACK = 0.1  # "about 200": anything within a tenth of it


def _bound(claim: Claim, fig: Figure, at: int) -> tuple[str, float]:
    """What a figure (at ``at`` in the claim) says of the count, as the words before it say: ("=", value), (">=", a
    lower bound), ("<=", an upper bound) or ("~", an estimate)."""
    v = float(fig.value or 0.0)
    before = claim.text[max(0, at - 25):at] if at > 0 else ""
    if _AT_LEAST.search(before):
        return ">=", v
    if _AT_MOST.search(before):
        return "<=", v
    if fig.approximate or _ABOUT.search(before):
        return "~", v
    return "=", v


def _both_true(x: tuple[str, float], y: tuple[str, float]) -> bool:
    """Whether two figures of one quantity can both be true: "at least 50" and 70, "up to 50,000" and 20,000,
    "about 200" and 190; not "at least 50" and 8. Two bounds the same way are two estimates: "up to 50,000" and
    "up to 200,000" disagree."""
    (kx, vx), (ky, vy) = x, y

    def interval(kind: str, v: float) -> tuple[float, float]:
        if kind == ">=" and kx != ky:
            return v, float("inf")
        if kind == "<=" and kx != ky:
            return 0.0, v
        if kind == "=":
            return v, v
        return v * (1 - ESTIMATE_SLACK), v * (1 + ESTIMATE_SLACK)

    (lo_x, hi_x), (lo_y, hi_y) = interval(kx, vx), interval(ky, vy)
    return lo_x <= hi_y and lo_y <= hi_x


def _running(span: str | None) -> bool:
    """A running toll ("since the unrest began") or a count so far ("By 4 p.m. turnout stood at 41 per cent"): not
    the count of one attack or day, nor the final one, whether or not that says so."""
    return span is not None and span.startswith(("since ", "by "))


# a count up to a time of the day, before the figure: "By 4 p.m. turnout stood at 41 per cent"
_BY_TIME = re.compile(r"\b[Bb]y\s+(?P<time>\d{1,2}(?:[:.]\d\d)?\s*(?:[ap]\.?m\b\.?)?|noon|midday|midnight|"
                      r"mid-?(?:morning|afternoon)|(?:early|late)\s+(?:morning|afternoon|evening))")


def _span_of(claim: Claim, fig: Figure, at: int) -> str | None:
    """The stretch of time a figure counts over, said in its clause after it (see ``_SPAN``)."""
    if at < 0:
        return None
    end = len(claim.text)
    for stop in (". ", "; "):
        k = claim.text.find(stop, at + len(fig.text))
        if k >= 0:
            end = min(end, k)
    m = _SPAN.search(claim.text, at + len(fig.text), min(end, at + len(fig.text) + 90))
    if not m:
        by = None
        for by in _BY_TIME.finditer(claim.text, max(0, at - 60), at):
            pass  # (the last one before the figure)
        return "by " + " ".join(by.group("time").lower().split()) if by else None
    if m.group("since"):
        return "since " + m.group("anchor").lower()
    if m.group("past"):
        return "past " + " ".join(m.group("past").lower().split())
    return "day"


def _side_of(claim: Claim, fig: Figure, at: int) -> str | None:
    """Whose people a figure (at ``at`` in the claim's text, -1: not found) counts: a nationality or other
    capitalised word in its words ("31 Velmoran soldiers") or in the losses it gives ("Velmoran losses at 14
    soldiers"), or the speaker's own side when the claim says so ("Drassk said it had lost nine men")."""
    q = _qualifier(fig)
    if q:
        return q.lower()
    for w in _WORD.findall(fig.text):  # (not a number or common word capitalised at a sentence start: "Nine")
        low = w.lower()
        if w[:1].isupper() and low not in NUMBER_WORDS and low not in STOPWORDS:
            return low
    m = _LOSSES_OF.search(claim.text, max(0, at - 60), at) if at > 0 else None
    if m:
        return DEMONYMS.get(m.group(1).lower(), m.group(1)).lower()
    return _side(claim) if _OWN_SIDE.search(claim.text) else None


def _place_of(claim: Claim, fig: Figure, at: int) -> str | None:
    """Where the counted people were, when the claim says it right after the figure (at ``at``), else before it
    in its sentence."""
    if at < 0:
        return None
    m = _PLACE_AFTER.match(claim.text, at + len(fig.text))
    place = _place_word(m.group(1)) if m else None
    if place is None:
        start = max(claim.text.rfind(". ", 0, at), claim.text.rfind("; ", 0, at)) + 1
        for m in _PLACE_BEFORE.finditer(claim.text, start, at):
            place = _place_word(m.group(1)) or place
    return place


def _place_word(word: str) -> str | None:
    word = word.lower().removesuffix("'s").removesuffix("’s")
    return None if word in _NOT_PLACES or word in DEMONYMS else word


def _apart(x: str | None, y: str | None) -> bool:
    """Both known and different: the two figures count different people."""
    return x is not None and y is not None and x != y


# Counted people that one figure may give under several names ("four workers injured" / "11 of its members
# injured"; "eight civilians killed" / "six people had died"), and outcomes that count the same people
# ("6,000 evacuated" / "9,000 forced from their homes"). Soldiers stay apart from the others.
_UNIT_CLASS = {u: "people" for u in ("people", "persons", "civilians", "residents", "workers", "members",
                                     "employees", "staff", "evacuees", "villagers", "inhabitants", "passengers")}
_UNIT_CLASS.update({u: "soldiers" for u in ("soldiers", "troops", "servicemen", "men", "fighters", "police",
                                             "policemen", "officers")})
_SUBJECT_CLASS = {"evacuated": "displaced"}


# "2,000 members of the security forces": armed men, whatever word counts them
_FORCES_AFTER = re.compile(r"\s+of\s+(?:the\s+)?(?:\w+\s+)?(?:security|armed)\s+forces\b", re.IGNORECASE)


def _unit_class(claim: Claim, fig: Figure) -> str:
    """What a figure counts, as a class of people: soldiers and other armed men apart from everyone else."""
    unit = _UNIT_CLASS.get(fig.unit or "", fig.unit or "")
    if unit == "people" and fig.text:
        at = claim.text.find(fig.text)
        if at >= 0 and _FORCES_AFTER.match(claim.text, at + len(fig.text)):
            return "soldiers"
    return unit


def _figure_conflicts(claims: list[Claim]) -> list[Disagreement]:
    groups: dict[tuple[str, str], list[tuple[int, Figure]]] = {}
    for i, c in enumerate(claims):
        for f in c.figures:
            if f.value is None or not f.unit or not f.subject:
                continue
            key = (_unit_class(c, f), _SUBJECT_CLASS.get(f.subject, f.subject))
            groups.setdefault(key, []).append((i, f))
    # a change that does not say what it changes ("a cut of 9 per cent") may be of anything the event's other
    # figures of that change and unit say is changed ("cut the budget by 25 per cent": budget cut; "cut funding
    # for the inspectorate by 25 per cent": funding cut): it is set against each
    for unit, change in [k for k in groups if k[1] in CHANGE_KINDS]:
        said = [k for k in groups if k[0] == unit and k[1].endswith(" " + change)]
        bare = groups.pop((unit, change)) if said else []
        for k in said:
            groups[k] = sorted(groups[k] + bare, key=lambda x: x[0])
    out: list[Disagreement] = []
    seen: set[tuple[int, ...]] = set()
    flag_of: dict[tuple[str, str, frozenset[tuple[str, Any]]], int] = {}  # (unit, subject, who said what) -> flag
    for (unit, subject), items in sorted(groups.items()):
        ats = [_figure_at(claims[i], f) for i, f in items]
        whose = [_whose(claims[i], f, at) for (i, f), at in zip(items, ats)]
        bounds = [_bound(claims[i], f, at) for (i, f), at in zip(items, ats)]

        def apart(a: int, b: int) -> bool:
            """Figures ``items[a]`` and ``items[b]`` count different people: another side's ("velmora" and
            "velmoran" are one side), in another place, over another stretch of time (a running toll is no one
            day's count), or one is a total of several counts and the other not."""
            (sa, pa, ta), (sb, pb, tb) = whose[a], whose[b]
            return (_apart(sa, sb) and not _sides_match(sa or "", sb or "")) or _apart(pa, pb) or _apart(ta, tb) \
                or _running(ta) != _running(tb) \
                or (pa == _TOTAL_PLACE) != (pb == _TOTAL_PLACE)

        for x in range(len(items)):
            i, fi = items[x]
            # the later figures from other speakers that contradict this one, in groups that each hold figures of
            # one quantity (a flag never sets Kesten's dead against Lomira's, though each may contradict this one)
            together: list[list[int]] = []
            for y in range(x + 1, len(items)):
                j, fj = items[y]
                if _both_true(bounds[x], bounds[y]):
                    continue
                if _speaker_key(claims[j]) == _speaker_key(claims[i]) or apart(x, y):
                    continue
                for group in together:
                    if all(items[z][0] != j and not apart(z, y) for z in group):
                        group.append(y)
                        break
                else:
                    together.append([y])
            for group in together:
                value_of = {i: fi.value, **{items[z][0]: items[z][1].value for z in group}}
                key = tuple(sorted(value_of))
                if key in seen:
                    continue
                seen.add(key)
                # the same speakers giving the same values in other claims (a speaker's figure repeated in
                # another article) are the same disagreement: one flag holding all their claims
                said = (unit, subject, frozenset((_speaker_key(claims[k]), value_of[k]) for k in key))
                if said in flag_of:
                    flag = out[flag_of[said]]
                    flag.claims = sorted({*flag.claims, *key})
                    continue
                flag_of[said] = len(out)
                shown = ", ".join(f"{claims[k].speaker or 'a source'}: {format_amount(value_of[k])}" for k in key)
                out.append(Disagreement(kind="figures", claims=list(key), note=f"{unit} {subject}: {shown}"))
    return out


def find_disagreements(claims: list[Claim], dates: Mapping[str, str | None] | None = None) -> list[Disagreement]:
    """Denials and conflicting figures among one event's claims (indexes into ``claims``). ``dates``: the day
    (ISO) of each claim's article, when known: a denial answers only what was said within ``DENIAL_DAYS`` of it."""
    return _denial_pairs(claims, dates or {}) + _figure_conflicts(claims)
