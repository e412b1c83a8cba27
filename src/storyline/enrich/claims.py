"""Who said what: attributed statements and the figures in them, by rule.

``extract_claims(article)`` reads each sentence for an attribution pattern:

* ``X said (that) ...`` / ``X has reported ...`` / ``X on October 21 denied ...`` (speaker first),
* ``"...," X said.`` / ``..., said X.`` (speaker last),
* ``according to X, ...`` / ``..., according to X.``

The speaker is the person named in the subject phrase if there is one, else its organisation or place (a
capital used as metonymy, "Yerevan says", stays the place); ``it``/``he``/``she`` is the speaker of the previous
sentence or, failing that, its first named organisation, place or person. Denials ("denied", "rejected the
accusation", "is untrue", "baseless") get polarity ``deny``.

``extract_figures(text)`` normalises amounts: "772 Armenian soldiers ... have been killed" -> (772, soldiers,
killed); "63 civilian casualties" -> (63, civilians, casualties); "Hundreds of soldiers" -> (None, soldiers,
approximate); number words and "1.2 million" are read.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import replace
from decimal import Decimal

from ..model import Article, Claim, Figure
from .entities import (
    DEMONYMS,
    MENTION_TYPES,
    MONTHS,
    MULTIPLIERS,
    NUMBER_RE,
    NUMBER_WORDS,
    ROLE_MODIFIERS,
    ROLE_WORDS,
    WEEKDAYS,
    EntityMention,
    capitals,
    extract_mentions,
    fold,
    is_month_or_day,
    sentence_spans,
)
from .sentences import STOPWORDS, has_whole_word

VERBS: dict[str, str] = {}
for _lemma, _forms in {
    "say": "say says said saying",
    "report": "report reports reported reporting",
    "deny": "deny denies denied denying",
    "claim": "claim claims claimed claiming",
    "accuse": "accuse accuses accused accusing",
    "announce": "announce announces announced announcing",
    "confirm": "confirm confirms confirmed confirming",
    "state": "states stated",  # (not "state": "Syrian state television said", "state media")
    "tell": "tell tells told",
    "add": "add adds added",
    "insist": "insist insists insisted",
    "warn": "warn warns warned",
    "allege": "allege alleges alleged",
    "reject": "reject rejects rejected",
    "dismiss": "dismiss dismisses dismissed",
    "refute": "refute refutes refuted",
    "acknowledge": "acknowledge acknowledges acknowledged",
    "estimate": "estimate estimates estimated",
    "declare": "declare declares declared",
    "admit": "admit admits admitted",
    "blame": "blame blames blamed",
    "write": "write writes wrote",
    "tweet": "tweet tweets tweeted",
    "maintain": "maintain maintains maintained",
    "find": "find finds found",
    "argue": "argue argues argued",
    "repeat": "repeat repeats repeated",
}.items():
    for _f in _forms.split():
        VERBS[_f] = _lemma
DENY_VERBS = frozenset({"deny", "reject", "dismiss", "refute"})
# verbs that attribute only with a "that" clause ("Velmora maintains that ...", "the poll found that ...")
THAT_VERBS = frozenset({"maintain", "find"})
# verbs that are also nouns: "The report has been passed to prosecutors" is no attribution by "The"
_NOUN_VERBS = frozenset({"report", "reports", "claim", "claims", "estimate", "estimates", "states", "finds"})
# A negated action at the head of the claim is a denial: "its forces did not shell the town", "We have not cut";
# not one in a clause of its own after "and" ("52 civilian deaths and has not published its losses").
NEGATED_PAST = r"did not|didn't|never|have not|haven't|has not|hasn't|had not|hadn't|was not|were not"
_NEGATED_ACTION = re.compile(
    r"^(?:(?!and\s)\S+\s+){0,5}?"
    rf"(?:{NEGATED_PAST})"
    r"\s+(?!been\b|yet\b|seen\b|heard\b|received\b|known\b)[a-z]+", re.IGNORECASE)
_DENIAL_TEXT = re.compile(
    r"\b(?:untrue|not true|false|baseless|groundless|unfounded|fabricat\w*|fake|lies?|disinformation|"
    r"misinformation|denied|denies|(?:its|his|her|their) denial|rejected the (?:accusation|claim|report)s?|"
    r"never happened|did not happen|"
    r"nothing to do with)\b",
    re.IGNORECASE,
)
_VERB_ALT = "|".join(sorted((v for v in VERBS if not v.endswith("ing")), key=len, reverse=True))
_FILLER = (r"(?:(?:has|have|had|also|again|earlier|later|previously|now|repeatedly|publicly|officially|flatly|"
           r"both|all|each|jointly|together|swiftly|angrily|vehemently|categorically|immediately|"
           r"continues\s+to|continue\s+to|continued\s+to|still|"
           r"strongly|quickly|then|further|already|late|early|on|in|a|statement|on\s+[A-Z][a-z]+(?:\s+\d{1,2})?|"
           r"[A-Z][a-z]+day)\s+)*")
_LEAD = re.compile(rf"^(?P<speaker>.{{1,140}}?)\s+{_FILLER}(?P<verb>{_VERB_ALT})\b(?P<rest>.*)$", re.DOTALL)
_TRAIL = re.compile(
    rf"^(?P<claim>.+?)[,;:]?[\"”’']?,?\s+(?P<speaker>[^,\"“”]{{1,90}}?)\s+{_FILLER}(?P<verb>said|says|added|"
    rf"told\s+\w+|stated|wrote|tweeted|announced|reported|insisted|warned|claimed|confirmed|noted|explained)"
    rf"(?P<tail>\b(?:[^\"“”]*|[^\"“”]*?,\s+(?:adding|saying|citing|according|accusing)\b.*))$", re.DOTALL)
_TRAIL_INV = re.compile(r"^(?P<claim>.+?)[,\"”’']+\s+(?P<verb>said|says|added)\s+(?P<speaker>[^,\"“”]{2,90}?)"
                        r"(?P<tail>,[^\"“”]*)?[.!]?$", re.DOTALL)
# What a speaker-last match needs at least: one of its verbs after a space, and no quotation mark after it
# (unless ", adding/saying ..." follows). One quick search spares the costly full pattern most sentences.
_TRAIL_HINT = re.compile(
    r"\s(?:said|says|added|told|stated|wrote|tweeted|announced|reported|insisted|warned|claimed|confirmed|noted|"
    r"explained)\b(?:[^\"“”]*$|[^\"“”]*?,\s+(?:adding|saying|citing|according|accusing)\b)")
_ACCORDING_LEAD = re.compile(r"^(?P<pre>.*?)\b[Aa]ccording to (?P<speaker>[^,]{2,90}),\s*(?P<claim>.+)$", re.DOTALL)
_ACCORDING_TRAIL = re.compile(
    r"^(?P<claim>.+?),?\s+according to (?P<speaker>[^,.;\"“”]{2,90}?)(?:\s*[,;].*|[.!]?)$", re.DOTALL)
# Figures given by a verb of their own: "X raised its death toll to nine", "X put losses at 14 soldiers killed",
# "X published figures showing a cut of 9 per cent".
_FIGURE_LEAD = re.compile(
    rf"^(?P<speaker>.{{1,120}}?)\s+{_FILLER}(?P<verb>raised|raises|revised|revises|put|puts|lowered|lowers|updated|"
    r"updates|gave|gives|published|publishes|released|releases)\s+(?P<rest>(?:(?:its|the|their|his|her|an?|new|"
    r"official|own|latest|updated|revised|death|casualty|injury|higher|lower|final|first|full|total|"
    r"preliminary|provisional|separate|[A-Z][\w\-]*)\s+){0,4}(?:toll|tolls|losses|"
    r"figures?|count|estimate|number|tally|data|results?)\b.*)$", re.DOTALL)
# "Polls put the two parties neck and neck at around 30 per cent": a figure put at a number
_PUT_AT = re.compile(
    rf"^(?P<speaker>.{{1,120}}?)\s+{_FILLER}(?P<verb>put|puts)\s+(?P<rest>[^.;]{{1,100}}?\s+at\s+(?:about\s+|around\s+|"
    r"roughly\s+|nearly\s+|some\s+|more\s+than\s+|over\s+|under\s+|at\s+least\s+)?\d.*)$", re.DOTALL)
# "..., which Drassk denies.", "..., a claim Drassk swiftly rejected as invented": a denial by a later speaker
_WHICH_DENIER = re.compile(
    r"^(?P<ante>.{12,}?),\s+(?:which|a\s+claim|a\s+figure|an\s+accusation|a\s+report)\s+"
    r"(?P<speaker>(?:the\s+)?[A-Z][^,;\"“”]{1,60}?)\s+(?:has\s+|have\s+|had\s+|swiftly\s+|flatly\s+|also\s+|"
    r"quickly\s+|strongly\s+)*(?P<verb>denies|denied|deny|rejects|rejected|disputes|disputed|dismissed|dismisses)\b"
    r"[^,;\"“”]*$", re.DOTALL)
# "by the union's count": the source of the figures in its sentence
_BY_COUNT = re.compile(r",?\s*\bby\s+(?:the\s+)?(?P<speaker>[^,;\"“”]{2,60}?)['’]s\s+(?:own\s+)?(?:count|estimate|"
                       r"tally|figures|reckoning|calculations?)\b,?")
# a deny verb whose object is a proposal refuses it and states nothing: "dismissed the offer"
_PROPOSAL = re.compile(r"^(?:the|an?|any|this|that|his|her|its|their)\s+(?:\w+\s+)?(?:offer|proposal|plan|deal|call|"
                       r"demand|request|invitation|idea|talks|bid|appeal|ultimatum|compromise|settlement)s?\b",
                       re.IGNORECASE)
# what one rejects or dismisses that is no statement of fact: an opinion, a proposal, advice, a person ("dismissed
# them as ...")
_NOT_A_STATEMENT = re.compile(
    r"^(?:(?:the|an?|any|this|that|these|those|his|her|its|their|our|[A-Z][\w\-]*(?:'s|’s))\s+)?(?:\w+\s+)?"
    r"(?:criticisms?|calls?|advice|recommendations?|comparisons?|possibility|idea|notion|requests?|demands?|pleas?|"
    r"appeals?|pressure|offers?|proposals?|plans?|deal|invitation|talks|bid|ultimatum|compromise|settlement|"
    r"resignation|legislation|bill|caps?|limits?|ruling|verdict|decision|resolution|motion|amendments?|treaty|"
    r"agreement|nomination|case|lawsuit|budget)\b|^(?:them|it|him|her|this|that|these|those)\s+as\b", re.IGNORECASE)
# "..., residents said they would wait and see": the claim follows the verb, the text before is no claim
_CLAUSE_AFTER = re.compile(r"^\s+(?:(?:that|they|he|she|it|we|i|there)\s+\w+\s+\w+|(?:[\w'’\-]+\s+){1,3}(?:were|was|is|are|"
                           r"had|has|have|would|will|could|can|did|should|may|might)\b)")
_FIGURE_VERBS = {"raised": "report", "raises": "report", "revised": "report", "revises": "report", "put": "report",
                 "puts": "report", "lowered": "report", "lowers": "report", "updated": "report",
                 "updates": "report", "gave": "report", "gives": "report", "published": "report",
                 "publishes": "report", "released": "report", "releases": "report"}
_FIGURE_HINT = re.compile(r"\s(?:raise[sd]|revise[sd]|puts?|lowere?d?s?|update[sd]|gave|gives|publishe[sd]|"
                          r"release[sd])\s")
# "X called the deal \"a pause, not a surrender\"": calling something by quoted words characterises it (a claim
# about it); "called for", "called on", "a town called Orl" do not (the object must be short and a quotation follow)
_CALLED = re.compile(
    rf"^(?P<speaker>.{{1,140}}?)\s+{_FILLER}(?P<verb>called|calls)\s+(?P<rest>(?!(?:for|on|off|in|up|out|back|"
    r"it\s+a\s+day)\b)[^\"“”,;:]{1,60}?\s+[\"“][^\"“”]{2,}[\"”].*)$", re.DOTALL)
_PARTICIPLE_HINT = re.compile(r",\s+(?:saying|adding|insisting|claiming|warning|arguing)\s")
# "..., which the fire service says injured four workers": the speaker inside a relative clause
_WHICH_SPEAKER = re.compile(
    r"(?P<ante>[^,;]{2,120}?),\s+which\s+(?P<speaker>[^,;\"“”]{2,60}?)\s+(?P<verb>says|said|claims|claimed|"
    r"estimates|estimated|reports|reported|believes|insists|insisted)\s+(?P<rest>[^,;]{3,})")
# "Halvik, which denies that any valves were disabled, said ...": the antecedent speaks
_WHICH_VERB = re.compile(
    r"(?P<speaker>[A-Z][^,;]{1,80}?),\s+(?:which|who)\s+(?:has\s+|had\s+|also\s+|continues\s+to\s+)?"
    r"(?P<verb>denies|denied|deny|says|said|claims|claimed|insists|insisted|maintains|maintained|rejects|rejected|"
    r"disputes|disputed|found|finds)\s+(?P<rest>[^,;]{3,})")
# "The Civic Alliance questioned the count, saying it had evidence that ...": a participle attributes
_SAYING = re.compile(
    r"^(?P<speaker>(?:The\s+)?(?:(?:[A-Z][\w'’\-]*|chief|minister|spokes\w+|leader|head|secretary|director|"
    r"official|inspector|commander)\s+){0,5}[A-Z][\w'’\-]*)\s+(?:also\s+|has\s+|had\s+)?"
    r"[a-z]+\b[^\"“”]*?,\s+(?P<verb>saying|adding|insisting|claiming|warning|arguing)\s+(?:that\s+)?"
    r"(?P<rest>.{3,})$", re.DOTALL)
# ", which runs field clinics on both sides," between a subject and its reporting verb
_APPOSITIVE = re.compile(rf",\s+(?:which|who|whose)\s+[^,\"“”]{{3,120}},(?=\s+{_FILLER}(?:{_VERB_ALT})\b)")
_GENERIC_SPEAKERS = re.compile(
    r"^(?:the |a |an |his |her |its |their |both |two |local |senior |government |military |other |many |some |"
    r"several |most |dozens of |hundreds of |scores of )*"
    r"(?:officials?|authorities|ministry|government|police|army|military|spokesm[ae]n|spokeswom[ae]n|"
    r"spokesperson|sources?|witnesses|residents|statement|report|reports|office|sides?|side|analysts?|"
    r"experts?|diplomats?|observers?|agency|media|president|minister|prime minister|leader|council|"
    r"commission|court|committee|administration|campaign|company|group|officers?|rebels|activists|"
    r"doctors|hospital|medics|monitors|monitoring group|general|commander|chief|envoy|ambassador|"
    r"(?:fire |rescue |emergency |health |civil defen[cs]e )?service|union|inspectors?|firm|poll|survey|"
    r"researchers?|investigators?|prosecutors?|regulators?|organi[sz]ers?|(?:election |electoral )?commission|"
    r"figures|data|estimates|records|polls?|refugees|survivors|villagers|protesters|demonstrators|relatives|"
    r"families|workers|students|nurses)\b",
    re.IGNORECASE)
_PRONOUNS = {"it", "he", "she", "they", "we", "i", "you"}
_PREPOSITIONS = frozenset({"ahead", "in", "on", "at", "after", "before", "during", "since", "upon", "amid", "despite",
                           "following", "for", "from", "with", "without", "by", "under", "over", "through",
                           "throughout", "within", "across", "against", "toward", "towards", "among", "between"})
# someone unnamed, who speaks only after a quotation ('"...," said a teacher', '..., said one resident')
_UNNAMED = re.compile(r"^(?:a|an|the|one)\s+(?!(?:of|who|which|that)\b)[a-z][\w\-]*(?:\s+[a-z][\w\-]*){0,2}$")
_PRONOUN_INSIDE = re.compile(r"\s(?:he|she|they|we)\b")
_WRITER_PRONOUNS = ("i", "we", "you")  # the writer (and an interviewer's "You say ..."): no attributed source
_BAD_IN_SPEAKER = re.compile(
    r"\b(?:was|were|is|are|be|been|being|has|have|had|did|does|do|who|which|that|would|could|should|will|may|might|"
    r"can|cannot|must|shall|if|when|because|while|after|before|not|to|though|although|unless|whether)\b|[\"“”;:(]"
    # a dash that opens an aside ("The claims of secret payments - denied by both men -")
    r"|\s[-–—]$"
    # a verb's contraction ("There's no water left", "won't"; a possessive is no contraction)
    r"|\b(?:there|it|that|he|she|what|here|where)['’]s\b|\w['’](?:ll|re|ve|m|d)\b|n['’]t\b"
    # a phrase cut off before its noun: "The number of", "Asked about", "With an", "Although the"
    r"|\b(?:of|about|the|a|an|for|with|at|in|on|from|by|as|than)$", re.IGNORECASE)


def _claim_id(article_id: str, sentence: int, verb: str, pos: int) -> str:
    return "cl-" + hashlib.sha1(f"{article_id}|{sentence}|{verb}|{pos}".encode()).hexdigest()[:12]


_CLAIM_LEAD = re.compile(
    r"^(?:(?:earlier|later|also|again)\s+)?(?:(?:on|late on|early on|in)\s+[A-Z][a-z]+(?:\s+\d{1,2})?"
    r"\s+)?(?:in a statement\s+)?(?:that\s+)?")
_CLAIM_THAT = re.compile(r"^(?:that)\s+")
_CLAIM_END = re.compile(r"[.!]+[\"”’']*$")


def _clean_claim(text: str) -> str:
    t = text.strip()
    t = _CLAIM_LEAD.sub("", t)
    t = _CLAIM_THAT.sub("", t)
    t = t.strip(" ,;:")
    t = _CLAIM_END.sub("", t)
    t = t.strip("\"“”‘’' ,")
    if (t.count('"') + t.count("“") + t.count("”")) % 2:
        t = t.replace('"', "").replace("“", "").replace("”", "")
    return " ".join(t.split())


# the words of a time or a date ("At 09:12 am on 3 Mar 2026", a reader's comment stamp after "Kestrel99 wrote:")
_WHEN_WORDS = frozenset(["at", "on", "am", "pm", "a", "m", "p", "this", "morning", "afternoon", "evening", "night",
                         "today", "gmt", "bst", "et", "utc", "uk", "time", "of",
                         *MONTHS, *(m[:3] for m in MONTHS), "sept", *WEEKDAYS, *(d[:3] for d in WEEKDAYS)])
_LETTERS = re.compile(r"[A-Za-z]+")


def _only_when(text: str) -> bool:
    """Whether a claim's text says nothing but when: no claim."""
    return all(w.lower() in _WHEN_WORDS for w in _LETTERS.findall(text))


class _Sentence:
    __slots__ = ("index", "start", "text", "mentions", "places")

    def __init__(self, index: int, start: int, text: str, mentions: list[EntityMention],
                 places: frozenset[str] = frozenset()) -> None:
        self.index, self.start, self.text, self.mentions = index, start, text, mentions
        self.places = places  # the names of places anywhere in the article


def extract_claims(
    article: Article,
    mentions: list[EntityMention] | None = None,
    alias_ids: Mapping[tuple[str, str], str] | None = None,
) -> list[Claim]:
    """The article's attributed statements, in text order.

    ``mentions`` are the article's entity mentions (computed when not given); ``alias_ids`` maps
    ``(article_id, folded name)`` (or ``("", folded name)``) to an entity id to fill ``speaker_entity_id``.
    """
    text = article.text or ""
    if mentions is None:
        mentions = extract_mentions(article)
    by_sentence: dict[int, list[EntityMention]] = {}
    for m in mentions:
        if m.sentence is not None and m.type in MENTION_TYPES:
            by_sentence.setdefault(m.sentence, []).append(m)
    place_names = frozenset(m.name for m in mentions if m.type == "PLACE")
    claims: list[Claim] = []
    prev_speaker: tuple[str | None, str | None] = (None, None)
    prev_sentence: _Sentence | None = None
    open_quote: list[_Sentence] = []  # sentences of a quotation still open (attributed where it closes)
    carry: Claim | None = None  # an attributed quotation: the next quoted sentences are its speaker's too
    open_carry: Claim | None = None  # ``carry`` when the open quotation began
    for si, (s, e) in enumerate(sentence_spans(text)):
        raw = text[s:e]
        sent = _Sentence(si, s, raw, by_sentence.get(si, []), place_names)
        claim = _claim_in(article, sent, prev_speaker, prev_sentence, alias_ids)
        quotes = raw.count('"') + raw.count("“") + raw.count("”")  # how many quotation marks
        if claim is not None:
            if open_quote and quotes % 2 == 1:  # '... the rest," she said.' closes the quotation
                claims.extend(_quoted_claim(q, claim) for q in open_quote)
            open_quote = []
            claims.append(claim)
            extra = _relative_denial(article, sent, prev_speaker, alias_ids) if claim.polarity != "deny" else None
            if extra is None and claim.verb not in DENY_VERBS:
                extra = _trailing_denial(article, sent, prev_speaker, alias_ids)
                if extra is not None:
                    claims[-1] = claim = _without_denier(claim)
            if extra is not None:
                claims.append(extra)  # "X, which denies ..., said it would contest the case"
            prev_speaker = (claim.speaker, claim.speaker_entity_id)
            carry = claim if quotes else None
        else:
            stripped = raw.strip()
            opens = stripped[:1] in "\"“"
            if opens and quotes % 2 == 1:
                open_quote = [sent]  # a quotation opens and runs on into the next sentence
                open_carry = carry
            elif open_quote and not quotes and len(open_quote) < 4:
                open_quote.append(sent)
            elif open_quote and quotes % 2 == 1 and open_carry is not None:
                # the quotation closes unattributed: it goes on from the attributed one before it
                claims.extend(_quoted_claim(q, open_carry) for q in (*open_quote, sent))
                open_quote = []
            elif carry is not None and opens and quotes and _QUOTE_CLOSE.search(stripped):
                claims.append(_quoted_claim(sent, carry))  # a whole quoted sentence after an attributed one
                open_quote = []
            else:
                open_quote = []
                carry = None
                extra = _trailing_denial(article, sent, prev_speaker, alias_ids)
                if extra is not None:
                    claims.append(extra)
            if not open_quote and carry is None:
                subject = _subject(sent)
                prev_speaker = subject if subject[0] else (None, None)
        prev_sentence = sent
    if claims:
        sides = _person_sides(text, mentions)
        for c in claims:
            if c.speaker in sides:
                c.side = sides[c.speaker]
            if c.speaker and c.speaker_entity_id is None and alias_ids:
                # a speaker taken from the subject of a sentence before ("Mayor Ilse Brandt visited the market.
                # 'It is very important ...,' she said"): the entity of that name too
                c.speaker_entity_id = _entity_of(c.speaker, article.id, alias_ids)
    return claims


def _entity_of(name: str, article_id: str, alias_ids: Mapping[tuple[str, str], str]) -> str | None:
    """The entity id ``alias_ids`` gives a name in this article, else anywhere (see ``extract_claims``)."""
    key = fold(name)
    return alias_ids.get((article_id, key)) or alias_ids.get(("", key))


def _names_a_side(word: str) -> bool:
    """A capitalised word that can name a country or a body: no sentence's first word ("But"), month or day."""
    low = word.lower()
    return word[:1].isupper() and low not in STOPWORDS and not is_month_or_day(word) and word[-1:] not in ",."


_WORD_TOKEN = re.compile(r"[\w.'’\-]+,?")
_OF_PLACE = re.compile(r",?\s+of\s+(?:the\s+)?([A-Z][\w\-]+)")
_POSSESSIVE = ("'s", "’s")


def _person_sides(text: str, mentions: list[EntityMention]) -> dict[str, str]:
    """Person name -> the country or body their article says they stand for, lower case: the capitalised word before
    their title ("Velmoran Defence Minister Tariq Aliev", "the Drasski foreign minister, Serzh Harutyunian"), a
    possessive right before their name ("Velmora's Tariq Aliev"), or a place after "of" ("Tarik Aliyev of
    Velmora")."""
    out: dict[str, str] = {}
    for m in mentions:
        if m.type != "PERSON" or m.name in out:
            continue
        titled = False
        tokens = _WORD_TOKEN.findall(text, max(0, m.start - 80), m.start)[-7:]
        for k in range(len(tokens) - 1, -1, -1):
            word = tokens[k].rstrip(",.")
            low = word.lower()
            if low in ROLE_WORDS or low in ROLE_MODIFIERS or low + "." in ROLE_WORDS:  # ("Adm.", "Sen.")
                titled = True
                continue
            if low in ("the", "of") and titled:
                continue
            if _names_a_side(word) and (titled or word.endswith(_POSSESSIVE)) and word == tokens[k]:
                # the first word of a name of several ("White House spokesman", "Coast Guard Adm.")
                while k > 0 and _names_a_side(tokens[k - 1]) and tokens[k - 1].lower() not in ROLE_WORDS:
                    k -= 1
                    word = tokens[k]
                base = word.lower().removesuffix("'s").removesuffix("’s")
                out[m.name] = DEMONYMS.get(base, base).lower()
            break
        if m.name not in out:
            after = _OF_PLACE.match(text, m.end, m.end + 40)
            if after and _names_a_side(after.group(1)) and after.group(1).lower() not in ROLE_MODIFIERS:
                out[m.name] = after.group(1).lower()
    return out


_DENY_HINT = re.compile(r"den(?:y|ies|ied)\b|reject|disput|dismiss")
_QUOTE_CLOSE = re.compile(r"[\"”][.!?]?$|[.!?][\"”]$")


_DENIER_TAIL = re.compile(r",\s+(?:which|a claim|a figure|an accusation|a report)\s+[^,;]*?\b(?:denies|denied|deny|"
                          r"rejects|rejected|disputes|disputed|dismissed|dismisses)\b.*$")


def _polarity(lemma: str, text: str) -> str:
    if lemma in ("reject", "dismiss") and _NOT_A_STATEMENT.match(text):
        return "assert"  # "rejected criticism of ...", "dismissed calls to halt ...": nothing said is denied
    return "deny" if (lemma in DENY_VERBS or _DENIAL_TEXT.search(text) or _NEGATED_ACTION.match(text)) else "assert"


def _without_denier(claim: Claim) -> Claim:
    """The claim without the relative clause that denies it ("..., which Velsk denies"): that is another
    speaker's claim."""
    m = _DENIER_TAIL.search(claim.text)
    if not m or m.start() < 3:
        return claim
    text = claim.text[:m.start()]
    return replace(claim, text=text, figures=claim_figures(text), polarity=_polarity(claim.verb or "", text))


def _trailing_denial(article: Article, sent: _Sentence, prev_speaker, alias_ids) -> Claim | None:
    """"..., which Drassk denies." / "..., a claim Drassk swiftly rejected as invented.": a denial of what the
    sentence says before it, by the speaker named in the relative clause."""
    if _DENY_HINT.search(sent.text) is None:
        return None
    raw = " ".join(sent.text.split())
    if not any(k in raw for k in (", which ", ", a claim ", ", a figure ", ", an accusation ", ", a report ")):
        return None
    m = _WHICH_DENIER.match(raw.rstrip(".!"))
    if not m or not _valid_speaker(m.group("speaker")):
        return None
    speaker, entity_id = _speaker(m.group("speaker"), sent, prev_speaker, article.id, alias_ids)
    text = _clean_claim(m.group("ante"))
    if speaker is None or len(text) < 3:
        return None
    lemma = VERBS.get(m.group("verb").lower(), "deny")
    return Claim(article_id=article.id, speaker=speaker, verb=lemma, text=text, figures=claim_figures(text),
                 speaker_entity_id=entity_id, sentence=sent.index, polarity="deny",
                 id=_claim_id(article.id, sent.index, lemma, m.start("verb")))


def _relative_denial(article: Article, sent: _Sentence, prev_speaker, alias_ids) -> Claim | None:
    """The denial in a relative clause beside a sentence's main attribution."""
    raw = " ".join(sent.text.split())
    m = _WHICH_VERB.search(raw) if (", which " in raw or ", who " in raw) else None
    if not m or VERBS.get(m.group("verb").lower()) not in DENY_VERBS or not _valid_speaker(m.group("speaker")):
        return None
    speaker, entity_id = _speaker(m.group("speaker"), sent, prev_speaker, article.id, alias_ids)
    text = _clean_claim(m.group("rest"))
    if speaker is None or len(text) < 3:
        return None
    return Claim(article_id=article.id, speaker=speaker, verb="deny", text=text, figures=claim_figures(text),
                 speaker_entity_id=entity_id, sentence=sent.index, polarity="deny",
                 id=_claim_id(article.id, sent.index, "deny", m.start("verb")))


def _quoted_claim(sent: _Sentence, closing: Claim) -> Claim:
    """A sentence inside a quotation attributed in a later sentence, with that sentence's speaker."""
    text = _clean_claim(sent.text)
    polarity = "deny" if (closing.verb in DENY_VERBS or _DENIAL_TEXT.search(text)
                          or _NEGATED_ACTION.match(text)) else "assert"
    return Claim(article_id=closing.article_id, speaker=closing.speaker, verb=closing.verb, text=text,
                 figures=claim_figures(text), speaker_entity_id=closing.speaker_entity_id, sentence=sent.index,
                 polarity=polarity, id=_claim_id(closing.article_id, sent.index, closing.verb or "", 0))


def _subject(sent: _Sentence) -> tuple[str | None, str | None]:
    """The first named organisation/place/person near the start of the sentence (a cheap subject)."""
    for m in sent.mentions:
        if m.start - sent.start > 40:
            continue
        if m.type in ("PERSON", "ORG", "PLACE", "SPEAKER") or (
                m.type == "MISC" and _APPOSITIVE_AFTER.match(sent.text, m.end - sent.start)):
            return m.name, None  # (a name its article has not typed yet, described: "Kovac, a former biologist,")
    return None, None


_APPOSITIVE_AFTER = re.compile(r",\s+(?:a|an|the)\s+[a-z][\w\-]*")


def _claim_in(article: Article, sent: _Sentence, prev_speaker, prev_sentence, alias_ids) -> Claim | None:
    if _TRIGGERS.isdisjoint(_LOWER_WORD.findall(sent.text.lower())):
        return None  # no reporting verb at all: the common case, decided by one set test
    raw = " ".join(sent.text.split())
    if len(raw) < 12:
        return None
    candidates: list[tuple[str, str, str, int]] = []  # speaker phrase, verb, claim text, position
    relative = ", which " in raw or ", who " in raw or ", whose " in raw
    # "Ferenc, who leads the Civic Alliance, said ...": the appositive goes first, so that the name is no opener
    opened = _strip_opener(_APPOSITIVE.sub("", raw) if relative else raw, sent)
    lead = _lead(opened)
    starts_quoted = raw[:1] in "\"“'‘"
    # a speaker-first match in a sentence that opens with no quotation mark goes before every speaker-last one
    # (and makes the fallbacks below moot): those patterns, the costly ones, are only tried when it could lose
    if lead is None or starts_quoted:
        m = _TRAIL_INV.match(raw)
        if m and (_valid_speaker(m.group("speaker")) or _UNNAMED.match(m.group("speaker"))):
            candidates.append((m.group("speaker"), m.group("verb"), m.group("claim"), m.start("verb")))
        m = _TRAIL.match(raw) if _TRAIL_HINT.search(raw) else None
        if m and (starts_quoted or _after_punct(raw, m.group("speaker"))) \
                and _valid_speaker(m.group("speaker")) and not _CLAUSE_AFTER.match(m.group("tail")):
            candidates.append((m.group("speaker"), m.group("verb").split()[0], m.group("claim"), m.start("verb")))
        if "ccording to " in raw:
            m = _ACCORDING_LEAD.match(raw)
            if m and not m.group("pre").strip(" ,"):
                candidates.append((m.group("speaker"), "according to", m.group("claim"), m.start("speaker")))
            m = _ACCORDING_TRAIL.match(raw)
            if m:
                candidates.append((m.group("speaker"), "according to", m.group("claim"), m.start("speaker")))
    quoted = starts_quoted and candidates
    if lead is None and not candidates:  # "..., after inspectors said ...": the subject after a conjunction
        lead = _lead(opened, split=True)
    if lead is not None and not quoted:
        candidates.insert(0, lead)
    m = _FIGURE_LEAD.match(_strip_opener(raw, sent)) if _FIGURE_HINT.search(raw) else None
    if m is None and " at " in raw and (" put " in raw or " puts " in raw):
        m = _PUT_AT.match(_strip_opener(raw, sent))
    if m and _valid_speaker(m.group("speaker")) and not m.group("speaker").lstrip().startswith(("\"", "“")):
        candidates.insert(0, (m.group("speaker"), m.group("verb"), m.group("rest"), m.start("verb")))
    if not candidates and "'s " in raw.replace("’s ", "'s ") and " by " in raw:
        m = _BY_COUNT.search(raw)
        if m and _valid_speaker(m.group("speaker")):
            candidates.append((m.group("speaker"), "count", raw[:m.start()] + raw[m.end():], m.start("speaker")))
    if not candidates and relative:
        m = _WHICH_VERB.search(raw)
        if m and _valid_speaker(m.group("speaker")):
            candidates.append((m.group("speaker"), m.group("verb"), m.group("rest"), m.start("verb")))
        m = _WHICH_SPEAKER.search(raw)
        if m and _valid_speaker(m.group("speaker")) and m.group("speaker").lower() not in _PRONOUNS:
            ante = m.group("ante").split(",")[-1].strip()
            candidates.append((m.group("speaker"), m.group("verb"), f"{ante} {m.group('rest')}", m.start("verb")))
    if not candidates and (" called " in raw or " calls " in raw):
        # "Hasanova called the attack \"a deliberate strike\"": a characterisation in quoted words
        m = _CALLED.match(_strip_opener(raw, sent))
        if m and _valid_speaker(m.group("speaker")):
            candidates.append((m.group("speaker"), m.group("verb"), m.group("rest"), m.start("verb")))
    if not candidates and _PARTICIPLE_HINT.search(raw):
        m = _SAYING.match(_strip_opener(raw, sent))
        if m and _valid_speaker(m.group("speaker")) and m.group("speaker").lower() not in ("the", "but", "and"):
            candidates.append((m.group("speaker"), "said", m.group("rest"), m.start("verb")))
    if not candidates:
        return None
    speaker_phrase, verb_form, claim_text, pos = candidates[0]
    if verb_form == "according to":
        lemma = "say"
    else:
        form = verb_form.lower()
        lemma = VERBS.get(form) or _FIGURE_VERBS.get(form) or ("call" if form in ("called", "calls") else form)
    speaker, entity_id = _speaker(speaker_phrase, sent, prev_speaker, article.id, alias_ids)
    if speaker is None:
        return None
    text = _clean_claim(claim_text)
    if len(text) < 3 or (lemma in DENY_VERBS and _PROPOSAL.match(text)) or _only_when(text):
        return None
    polarity = _polarity(lemma, text)
    return Claim(
        article_id=article.id,
        speaker=speaker,
        verb=lemma,
        text=text,
        figures=claim_figures(text),
        speaker_entity_id=entity_id,
        sentence=sent.index,
        polarity=polarity,
        id=_claim_id(article.id, sent.index, lemma, pos),
    )


# "... the preliminary" + "report": a determiner (and perhaps a lower-case adjective) right before the verb
_DETERMINED_NOUN = re.compile(r"(?:^|\s)[\"“]?(?:the|a|an|its|their|this|that|his|her|our|one|such|initial|"
                              r"preliminary)"
                              r"(?:\s+[a-z0-9][\w\-]*,?){0,3}$", re.IGNORECASE)
# ... or a plural after a quantifier ("Some estimates put", "Many reports said"; not "Many claim", a verb)
_QUANTIFIED_NOUN = re.compile(r"(?:^|\s)[\"“]?(?:some|many|most|other|these|those|several|all|both)"
                              r"(?:\s+[a-z0-9][\w\-]*,?){0,2}$", re.IGNORECASE)
# ... or a verb after it: "Ostrelian states have said", "Initial reports were"
_VERB_AFTER = re.compile(r"\s+(?:have|has|had|were|are|was|is|will|would|can|could|said|say|says|show|showed|"
                         r"suggest|suggested)\b")


def _lead(raw: str, split: bool = False) -> tuple[str, str, str, int] | None:
    """Speaker first: "X (has, on Monday, ...) said ...". A speaker that is no speaker ("The report has been
    passed", "The preliminary report by ...") sends the search on to the next reporting verb."""
    masked = raw
    for _ in range(3):
        m = _LEAD.match(masked)
        if not m:
            return None
        # (from the text itself: a verb masked before is part of this speaker, "The report said")
        speaker, verb = raw[m.start("speaker"):m.end("speaker")], m.group("verb")
        bare = speaker.strip(" ,").lower().split()
        noun_use = verb.lower() in _NOUN_VERBS and (not bare or _DETERMINED_NOUN.search(speaker.strip()) is not None
                                                     or (verb[-1:] == "s" and _QUANTIFIED_NOUN.search(speaker.strip()))
                                                     or _VERB_AFTER.match(m.group("rest")) is not None
                                                     or not _speaker_phrase(speaker))  # "Meanwhile reports ..."
        that_only = VERBS.get(verb.lower()) in THAT_VERBS and not m.group("rest").lstrip().startswith("that ")
        if noun_use or that_only:
            masked = masked[:m.start("verb")] + "\x00" * len(verb) + masked[m.end("verb"):]
            continue
        core = speaker.strip()
        if ", " in core and not core.endswith(","):
            # "In Orl, the town shelled on March 11, the hospital director said": the subject follows the last
            # comma ("Wey, leader of the Harbour Union, said" ends with one: an appositive, kept whole). Tried
            # only when no other pattern attributes ("Shells struck Orl, Velsk said, after ..." reads from the end)
            if not split:
                return None
            last = core.rsplit(", ", 1)[1]
            if _valid_speaker(last):
                speaker = last
        if split and not _valid_speaker(speaker):
            # "The release came a day after Velmora claimed ...": the speaker is the subject after the conjunction
            tail = _SUBORDINATE.split(speaker)[-1]
            if tail != speaker and len(tail.split()) <= 6 and _valid_speaker(tail):
                speaker = tail
        if not _valid_speaker(speaker) or speaker.endswith(("'s", "’s")) \
                or speaker.lstrip().startswith(("\"", "“")) or speaker.rstrip().endswith(("\"", "”", ",'", ",’")):
            # '"...," said X' is no speaker-first sentence, nor the end of a quotation begun sentences before
            return None
        rest = raw[m.start("rest"):]
        whom = _WHOM_THAT.match(rest) if verb.lower() in _TO_WHOM_VERBS else None
        if whom and not _BAD_IN_SPEAKER.search(whom.group(1)):
            rest = rest[whom.end():]  # "warned a regional security forum that ...", "told a hearing that ..."
        elif verb == "told":
            rest = _TOLD_WHOM.sub("", rest, count=1)
        if len(rest.strip()) <= 3:
            return None
        return speaker, verb, rest, m.start("verb")
    return None


_SUBORDINATE = re.compile(r",\s+|\b(?:after|when|as|because|while|before|since|until|though|although|once|where)\s+")
_TOLD_WHOM = re.compile(r"^\s+(?:the\s+)?[A-Za-z]+(?:\s+[A-Z][\w.]+)*")
# whom a verb of telling addresses before "that" (up to six words)
_TO_WHOM_VERBS = frozenset({"told", "tells", "tell", "warned", "warns", "assured", "assures", "reminded",
                            "reminds", "informed", "informs", "promised", "promises", "briefed", "briefs"})
_WHOM_THAT = re.compile(r"^\s+((?:[\w\-'’.]+\s+){1,6}?)that\s+"
                        r"(?!(?:was|is|were|are|would|will|has|had|could|should|can|might|may|must)\b)")
_OPENER = re.compile(r"^(?:[A-Z][a-z]+|In [a-z ]+|On [A-Z][a-z]+(?: \d{1,2})?),\s+(?=\S)")
_CAP_WORD = re.compile(r"\b[A-Z][\w\-]+")
_LOWER_HEAD = re.compile(r"^(?:(?i:a|an|the|one|two|three|several|many|some)\s+)?[a-z]")  # "a shopkeeper in ..."
_GENERIC_OF = re.compile(r"^\S+(?:\s+\S+){0,2}\s+(?:in|of|from|at)\s+")


def _after_punct(raw: str, phrase: str) -> bool:
    """Whether ``phrase`` follows a comma or closing quote and whitespace somewhere in ``raw``."""
    i = raw.find(phrase)
    while i > 0:
        j = i
        while j > 0 and raw[j - 1].isspace():
            j -= 1
        if j < i and j > 0 and raw[j - 1] in ",\"”’'":
            return True
        i = raw.find(phrase, i + 1)
    return False


_LOWER_WORD = re.compile(r"[a-z]+")
_TRIGGERS = frozenset(VERBS) | frozenset(_FIGURE_VERBS) | {"according", "saying", "adding", "insisting",
                                                            "claiming", "warning", "arguing", "count", "tally",
                                                            "reckoning", "calculation", "calculations", "called",
                                                            "calls"}


def _strip_opener(raw: str, sent: _Sentence | None = None) -> str:
    """"Meanwhile, both sides reported ..." -> "both sides reported ..."; a name is no opener ("Wendt, leader of
    the National Union, said ...")."""
    m = _OPENER.match(raw)
    if m is None:
        return raw
    if sent is not None:
        lead = len(sent.text) - len(sent.text.lstrip())
        if any(x.start - sent.start == lead for x in sent.mentions):
            return raw
    return raw[m.end():]


# a time or place said before the speaker ("In February, the Syrian government said"; "On the ground, correspondents
# reported") and an auxiliary of the verb after it ("activists have said", "He did say") are no part of the speaker
_LEADING_ADVERBIAL = re.compile(r"^(?i:In|On|At|After|Before|During|Since|Earlier|Later|Separately|Elsewhere|Meanwhile|"
                                r"Upon|Following|Amid|Despite|Throughout|Within|Ahead of|Speaking|"
                                r"For (?:its|their|his|her|our) part)"
                                r"\b[^,]{0,60},\s+(?=\S)")
# a time before the speaker with no comma after it: "Last month she warned", "On Tuesday the ministry said"
_LEADING_TIME = re.compile(
    r"^(?:(?:last|this|next|earlier this|later that|on|that)\s+(?:week|month|year|night|morning|afternoon|evening|"
    r"weekend|spring|summer|autumn|fall|winter|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day)|yesterday|today|"
    r"earlier|later)\s+(?=\S)", re.IGNORECASE)
# a page's note in brackets before the sentence: "(Updated 5:27 p.m. (0027 in Velmora)) President Aliev said"
_LEADING_BRACKETS = re.compile(r"^\s*\((?:[^()]|\([^()]*\))*\)\s*")
_TRAILING_AUXILIARY = re.compile(r"\s+(?:has|have|had|did|does|do)(?:\s+(?:also|since|now|repeatedly|already))?$",
                                 re.IGNORECASE)
# a conjunction or sentence adverb before the speaker is no part of it: "But he said", "And the ministry said"
_LEADING_CONJUNCTION = re.compile(r"^(?:but|and|yet|so|still|however|now|then|also|instead|as|meanwhile|separately|"
                                  r"elsewhere|moreover|furthermore|indeed|additionally)(?:\s+|,\s*|$)", re.IGNORECASE)
# a determiner alone names nobody ("The state-run channel reported": "state" is no reporting verb there); not
# "both" or "many": "Both said", "Many said" speak of people named before
_DETERMINERS = frozenset({"the", "a", "an", "this", "that", "these", "those", "every", "no", "such", "its",
                          "their", "his", "her", "our"})


def _speaker_phrase(phrase: str) -> str:
    p = _LEADING_CONJUNCTION.sub("", " ".join(_LEADING_BRACKETS.sub("", phrase.strip(" ,\"“”'")).split()))
    return _TRAILING_AUXILIARY.sub("", _LEADING_TIME.sub("", _LEADING_ADVERBIAL.sub("", p)))


def _valid_speaker(phrase: str) -> bool:
    p = _speaker_phrase(phrase)
    if not p or len(p.split()) > 12 or p.lower() in _DETERMINERS:
        return False
    words = p.split(None, 2)
    if words[0].lower() in _PREPOSITIONS:
        return False  # "Ahead of monthly (reports from the port ...)": an adverbial, no subject
    if len(words) > 1 and words[0].lower() in (*_WRITER_PRONOUNS, "i'm", "i've", "we're", "we've"):
        return False  # "I can say ...": the writer, no attributed source
    if (len(words) > 1 and words[0].lower() in ("he", "she", "it", "they") and words[1].islower()
            and words[1] != "and") or _PRONOUN_INSIDE.search(p):
        # "He read out a long attack on the council he said ...", "yesterday he shared part of ...": a
        # clause with a pronoun for its subject ("He Yafei" is a name)
        return False
    if p.lower() in _PRONOUNS:
        return True
    if _BAD_IN_SPEAKER.search(p):
        return False
    if p[0].isupper() or _GENERIC_SPEAKERS.match(p):
        return True
    return bool(_CAP_WORD.search(p))


_NAMED_BODY = re.compile(
    r"^(?:the\s+)?(?:[A-Z][\w\-]*(?:'s|’s)?\s+)+(?:[a-z][\w\-]*\s+){0,2}(?:ministry|army|police|military|"
    r"government|office|authorities|officials|forces|command|service|agency|council|commission)$", re.IGNORECASE)
_LEADING_ARTICLE = re.compile(r"^the\s+", re.IGNORECASE)


def _speaker(phrase: str, sent: _Sentence, prev_speaker, article_id: str, alias_ids) -> tuple[str | None, str | None]:
    p = _speaker_phrase(phrase)
    if p.lower() in _PRONOUNS:
        if p.lower() in _WRITER_PRONOUNS:
            return None, None
        if p.lower() in ("he", "she") and prev_speaker[0] in sent.places:
            return None, None  # "he" is no country or city said to speak before ("Egypt says ... , he said")
        return prev_speaker if prev_speaker[0] else (None, None)
    # ("Syria" is not in "Syrian Observatory for Human Rights")
    inside = [m for m in sent.mentions if m.type in MENTION_TYPES
              and has_whole_word(p, " ".join(m.text.split()))]
    generic = _GENERIC_SPEAKERS.match(p)
    person = [m for m in inside if m.type == "PERSON"]
    head = p.split(",", 1)[0].strip() if "," in p else ""
    first = [m for m in inside if head and " ".join(m.text.split()) == head]
    if first:
        chosen = first[0]  # "Wey, leader of the Harbour Union": the name, then what it is
    elif person:
        chosen = person[-1]
    elif (generic or _LOWER_HEAD.match(p)) and _GENERIC_OF.match(p[generic.start() if generic else 0:]) \
            and not p.lower().startswith(("spokes", "the spokes")):
        return p, None  # "Officials in Nagorno-Karabakh", "a shopkeeper in Kesten"
    elif inside and _NAMED_BODY.match(p) and not any(m.type == "ORG" for m in inside):
        # "the Drasski defence ministry", "Velmora's interior ministry": the body, not its country
        return _LEADING_ARTICLE.sub("", p), None
    elif inside:
        named = [m for m in inside if m.type in ("ORG", "PLACE")] or inside
        chosen = named[-1]
        if chosen.type != "ORG" and p[-1:].islower() and not p.endswith(" ".join(chosen.text.split())):
            return p, None  # a group its place names: "Velmoran border monitors", "Syrian state television"
    elif generic or p[:1].isupper() or _UNNAMED.match(p):
        return p, None
    else:
        return None, None
    name = chosen.name
    return name, _entity_of(name, article_id, alias_ids) if alias_ids else None


def speaker_country(speaker: str | None) -> str | None:
    """The country a speaker stands for when it is a capital or a country ("Yerevan" -> "Armenia")."""
    if not speaker:
        return None
    key = fold(speaker)
    return capitals().get(key)


# ------------------------------------------------------------------------------------------------------------
# Figures
# ------------------------------------------------------------------------------------------------------------

_VAGUE = re.compile(
    r"\b(?P<q>(?:tens|hundreds) of thousands|hundreds|thousands|dozens|scores|millions|tens)\s+of\s+",
    re.IGNORECASE)
_APPROX_BEFORE = re.compile(
    r"(?:about|around|nearly|almost|roughly|some|more than|over|at least|up to|approximately|an estimated|"
    r"fewer than|less than|close to|as many as|upwards of|estimated)\s+$", re.IGNORECASE)
_OUTCOMES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\b(?:killed|killing|dead|died|deaths?|death toll|lives|fatalities|perished|slain)\b", re.I),
     "killed"),
    (re.compile(r"\bcasualt(?:y|ies)\b", re.I), "casualties"),
    (re.compile(r"\b(?:wounded|wounding|injured|injuring|injuries|hurt)\b", re.I), "wounded"),
    (re.compile(r"\b(?:arrested|detained|arrests|detentions)\b", re.I), "arrested"),
    (re.compile(r"\bmissing\b", re.I), "missing"),
    (re.compile(r"\b(?:displaced|fled|refugees|forced from (?:their )?homes|left (?:their )?homes)\b", re.I),
     "displaced"),
    (re.compile(r"\b(?:captured|taken prisoner|prisoners)\b", re.I), "captured"),
    (re.compile(r"\b(?:evacuated)\b", re.I), "evacuated"),
    (re.compile(r"\b(?:infected|infections|cases)\b", re.I), "infected"),
    (re.compile(r"\b(?:shot down|downed|destroyed)\b", re.I), "destroyed"),
]
_OUTCOME_NOUNS = {"deaths": "killed", "dead": "killed", "fatalities": "killed", "casualties": "casualties",
                  "casualty": "casualties", "injuries": "wounded", "wounded": "wounded", "injured": "wounded",
                  "losses": "casualties", "arrests": "arrested", "infections": "infected", "cases": "infected"}
_PEOPLE_ADJ = {"civilian": "civilians", "military": "soldiers", "army": "soldiers", "police": "police",
               "troop": "soldiers", "child": "children"}
_SKIP_ADJ = frozenset(
    """armed innocent foreign local young elderly other more additional new confirmed suspected reported unarmed
    enemy government rebel opposition pro-government separatist more than total further fellow ethnic
    own its their his her our the of different separate various several similar single individual entire whole
    major minor main key top senior junior former current previous small large big old extra full such strong
    """.split())
_UNIT_NORMAL = {"person": "people", "persons": "people", "people": "people", "percent": "percent",
                "%": "percent", "per": "percent", "troops": "soldiers", "troop": "soldiers", "men": "men",
                "women": "women", "children": "children", "child": "children", "police": "police",
                "policemen": "police", "policeman": "police", "dollars": "USD", "dollar": "USD",
                "euros": "EUR", "euro": "EUR", "pounds": "GBP", "yen": "JPY", "yuan": "CNY",
                # measures under one name whatever the spelling or abbreviation
                "km": "km", "kms": "km", "kilometres": "km", "kilometers": "km", "kilometre": "km",
                "kilometer": "km", "metres": "metres", "meters": "metres", "metre": "metres", "meter": "metres",
                "feet": "feet", "foot": "feet", "ft": "feet", "mi": "miles", "litres": "litres", "liters": "litres",
                "litre": "litres", "liter": "litres", "kg": "kg", "kgs": "kg", "kilograms": "kg",
                "kilogram": "kg", "kilos": "kg", "lb": "lb", "lbs": "lb", "tonnes": "tonnes", "tonne": "tonnes",
                "hectares": "hectares", "hectare": "hectares", "ha": "hectares", "cm": "cm", "mm": "mm",
                "mph": "mph", "kph": "km/h", "mw": "MW", "gw": "GW", "kw": "kW", "bpd": "barrels per day",
                "magnitude": "magnitude"}
_NOT_UNIT = frozenset({"and", "or", "to", "in", "on", "at", "by", "from", "for", "with", "of", "a", "an",
                       "the", "that", "which", "who", "was", "were", "is", "are", "have", "has", "had", "but",
                       "them", "us", "those", "these", "whom", "it", "they", "we", "you", "this", "as", "so",
                       "than", "if", "when", "while", "because", "be", "been", "being", "do", "does", "did", "not",
                       "would", "will", "could", "should", "can", "may", "might", "must", "shall", "out", "over",
                       "under", "after", "before", "since", "until", "into", "up", "down", "off", "about", "around",
                       "each", "all", "both", "also", "only", "just", "now", "then", "there", "here", "worth",
                       "apiece", "plus", "less", "last", "next", "per"})
# A currency written before an amount ("$5 billion", "US$40 million", "£20m", "€3bn", "USD 12 million") and the
# code it stands for; a bare dollar sign is the US dollar
_CURRENCY_BEFORE = re.compile(r"(?:(?<![A-Za-z])(?P<prefix>US|AU|A|CA|C|HK|NZ|S)?\$|(?P<sym>[€£¥])"
                              r"|(?<![A-Za-z])(?P<iso>USD|EUR|GBP|JPY|CHF|CNY|AUD|CAD)[^\S\n])[^\S\n]?$")
_CURRENCY = {"": "USD", "US": "USD", "A": "AUD", "AU": "AUD", "C": "CAD", "CA": "CAD", "HK": "HKD", "NZ": "NZD",
             "S": "SGD", "€": "EUR", "£": "GBP", "¥": "JPY"}
# What is written onto the digits: a scale ("$20m", "5bn", "1.2tn", "30k"), or an ordinal, a decade or an hour
# ("5th", "the 1990s", "3pm": no amount); a unit's abbreviation ("30km") is read as a word after the number
_ON_DIGITS = re.compile(r"(?:(?P<scale>bn|tn|mn|mln|m|k)|(?P<none>st|nd|rd|th|s|am|pm))\b",
                        re.IGNORECASE)
_NEXT_WORD = re.compile(r"[^\S\n]+([a-z]+)\b")
# an hour of the day after the number ("at 3 p.m.", "8 am GMT")
_HOUR_AFTER = re.compile(r"[^\S\n]*(?:[ap]\.m\.?|[ap]m\b|GMT\b|ET\b|EST\b|EDT\b|BST\b)", re.IGNORECASE)
# a rate: "5,000 barrels a day", "3 percent per year"
_RATE_AFTER = re.compile(r"[^\S\n]+(?:a|an|per|each|every)[^\S\n]+(day|week|month|year|hour|minute|second)\b",
                         re.IGNORECASE)
# Nouns that count many without a final s ("300 police", "12 aircraft", "40 staff")
_PLURAL_AS_IS = frozenset({"people", "police", "staff", "personnel", "aircraft", "crew", "cattle", "livestock",
                           "sheep", "fish", "deer", "militia", "clergy", "infantry", "artillery", "equipment",
                           "feet", "teeth", "geese", "mice", "data", "media", "offspring"})


def _counts_many(word: str) -> bool:
    """Whether a lower-case word can be what a number above one counts: a plural ("turtles", "policemen",
    "grandchildren") or a noun that counts many as it is ("police"); no adjective or verb ("strong", "would")."""
    if word in _PLURAL_AS_IS or word.endswith(("men", "children", "people")):
        return True
    return word.endswith("s") and not word.endswith(("ss", "us", "is", "ous")) and word not in _NOT_UNIT


# Spans of time and other measures that frame a statement rather than state its figure ("within 48 hours",
# "for three weeks", "three times higher", "the two sides"): not a claim's figures (``claim_figures``).
_NOT_FIGURE_UNITS = frozenset({"seconds", "minutes", "hours", "days", "nights", "weeks", "months", "years",
                               "decades", "centuries", "times", "sides", "pages", "points", "a.m", "p.m",
                               "o'clocks", "rounds", "stages", "phases", "halves", "thirds", "quarters", "fifths",
                               "tenths", "year-olds", "month-olds", "week-olds", "day-olds"})
_MONTHS_RE = re.compile(r"(?:January|February|March|April|May|June|July|August|September|October|November|"
                        r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?\s*$")
_MONTH_AFTER = re.compile(r"^\s*(?:January|February|March|April|May|June|July|August|September|October|November|"
                          r"December)\b")


def parse_number(span: str) -> float | None:
    """"772" -> 772, "30,000" -> 30000, "1.2 million" -> 1200000, "thirty-six" -> 36, "two hundred" -> 200."""
    s = span.lower().replace(",", "").strip()
    m = re.match(r"^(\d+(?:\.\d+)?)\s*(\w+)?$", s)
    if m:
        # (in decimal: "33.8 billion" is 33800000000, not 33799999999.999996)
        return float(Decimal(m.group(1)) * MULTIPLIERS.get(m.group(2) or "", 1))
    total, current = 0.0, 0.0
    for word in re.split(r"[\s\-]+", s):
        if word in NUMBER_WORDS:
            current += NUMBER_WORDS[word]
        elif word == "hundred":
            current = (current or 1) * 100
        elif word in MULTIPLIERS:
            total += (current or 1) * MULTIPLIERS[word]
            current = 0
        elif word in ("a", "and"):
            continue
        else:
            return None
    return total + current


def _singular_to_plural(word: str) -> str:
    if word.endswith(("s", "men", "children")) or word in _PLURAL_AS_IS:
        return word
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return word[:-1] + "ies"
    if word.endswith(("ch", "sh", "x")):
        return word + "es"
    return word + "s"


def claim_figures(text: str) -> list[Figure]:
    """The figures a claim states: ``extract_figures`` without the time spans and measures that only frame it
    ("destroyed two weeks ago", "talks lasted 11 hours")."""
    return [f for f in extract_figures(text)
            if f.unit not in _NOT_FIGURE_UNITS and not _PARTITIVE.match(f.text) and not _definite(f, text)]


def _definite(fig: Figure, text: str) -> bool:
    """"the two parties", "the three leaders": a small number in words after "the" names a group, it does not
    count one."""
    first = fig.text.split()[0].lower() if fig.text else ""
    if first not in NUMBER_WORDS or fig.value is None or fig.value > 10:
        return False
    return re.search(rf"(?i)\bthe\s+{re.escape(fig.text)}", text) is not None


# "one of the plant's tanks" counts nothing; "two of the wounded (had died)", "three of the dead", "five of them":
# a part of a count given elsewhere, not a count of those wounded or dead (set against "40 wounded" it would make
# a conflict of nothing). "1,500 of its soldiers were killed" is a count and stays.
_PARTITIVE = re.compile(r"(?i)(?:one\s+of\b|\S+(?:[\s\-]+\w+)?\s+of\s+(?:(?:the|those|these)\s+)?"
                        r"(?:dead|wounded|injured|victims|casualties|killed|them|those|these)\b)")


def extract_figures(text: str) -> list[Figure]:
    """Amounts in a claim as (value, unit, subject); vague amounts ("hundreds of") have value None."""
    figures: list[Figure] = []
    # (start, end, value, approximate, currency): the span takes in a currency sign before and a scale after
    spans: list[tuple[int, int, float | None, bool, str | None]] = []
    for m in _VAGUE.finditer(text):
        spans.append((m.start(), m.end(), None, True, None))
    for m in NUMBER_RE.finditer(text):
        if any(s <= m.start() < e for s, e, _v, _a, _c in spans):
            continue
        raw = m.group(0)
        start, end = m.start(), m.end()
        before, after = text[:start], text[end:]
        cm = _CURRENCY_BEFORE.search(before[-5:])
        currency = None
        if cm:
            currency = cm.group("iso") or _CURRENCY[cm.group("sym") or cm.group("prefix") or ""]
            start -= len(cm.group(0))
            before = text[:start]
        od = _ON_DIGITS.match(after) if raw[-1:].isdigit() else None
        if od and od.group("none"):
            continue  # "5th", "the 1990s", "3pm"
        if od and od.group("scale"):
            if od.group(0).lower() == "m" and currency is None and not (
                    (w := _NEXT_WORD.match(after, 1)) and _counts_many(w.group(1))):
                continue  # "200m away", "the 100m final": metres or a race, not "2m people"
            raw = f"{raw} {od.group(0).lower()}"
            end += od.end()
            after = text[end:]
        # (the month must end the text before, bar whitespace: its last ten characters are enough to look at)
        if _MONTHS_RE.search(before.rstrip()[-10:]) or _MONTH_AFTER.match(after):
            continue  # a date ("October 21", "21 October")
        digits = raw.replace(",", "")
        if "," not in raw and re.fullmatch(r"(?:19|20)\d\d", digits) and not re.match(r"\s+(?:people|persons|soldiers|troops)", after):
            continue  # a year
        if raw.lower() in ("one", "a dozen") and not re.match(r"\s+[a-z]+s?\b(?! of)", after):
            continue
        value = parse_number(raw)
        if value is None or _HOUR_AFTER.match(after):
            continue
        approx = bool(_APPROX_BEFORE.search(before[-25:]))
        spans.append((start, end, value, approx, currency))
    spans.sort()
    for start, end, value, approx, currency in spans:
        if currency is not None:
            unit, subject, unit_end = currency, None, end
        else:
            unit, subject, unit_end = _unit_after(text, end, value)
        if unit is None and _TOLL_BEFORE.search(text[max(0, start - 60):start]):
            unit, subject, unit_end = "people", "killed", end  # "raised its death toll to nine"
        if unit is None and figures and _ACCORDING_AFTER.match(text, end):
            # "14 dead according to Marakand and nine according to Khoren": the count before, by another source
            unit, subject, unit_end = figures[-1].unit, figures[-1].subject, end
        if unit is None:
            continue
        if subject is None:
            before_verb = _OUTCOME_VERB_BEFORE.search(text[max(0, start - 30):start])
            subject = _OUTCOME_VERB_SUBJECT[before_verb.group(1).lower()] if before_verb else None
        if subject is None:
            subject = _outcome_near(text, unit_end, start)
        if subject is None and unit in _FIGHTERS and _LOST_BEFORE.search(text[max(0, start - 40):start]):
            subject = "killed"  # "Velmora had lost more than 1,500 soldiers"
        if subject is None:
            subject = _measured(text, start, unit_end)
        figures.append(Figure(value=value, unit=unit, subject=subject, text=text[start:unit_end].strip(),
                              approximate=approx or value is None))
    return figures


_ACCORDING_AFTER = re.compile(r"[^\S\n]+according[^\S\n]+to\b", re.IGNORECASE)
# "killing at least 11 civilians and wounding dozens": the outcome right before the number is its own
_OUTCOME_VERB_BEFORE = re.compile(r"\b(killing|killed|wounding|wounded|injuring|injured|evacuating|evacuated)\s+"
                                  r"(?:at\s+least\s+|about\s+|around\s+|more\s+than\s+|some\s+|nearly\s+|over\s+)?$",
                                  re.IGNORECASE)
_OUTCOME_VERB_SUBJECT = {"killing": "killed", "killed": "killed", "wounding": "wounded", "wounded": "wounded",
                         "injuring": "wounded", "injured": "wounded", "evacuating": "evacuated",
                         "evacuated": "evacuated"}
_TOLL_BEFORE = re.compile(r"\bdeath\s+toll\b(?:\s+\w+){0,3}?\s+(?:of|to|at)\s+(?:about\s+|around\s+|at\s+least\s+|"
                          r"more\s+than\s+|nearly\s+|some\s+)?$", re.IGNORECASE)
_FIGHTERS = frozenset({"soldiers", "servicemen", "men", "troops", "fighters", "officers", "police", "sailors",
                        "pilots"})
# verbs right after a number with no noun, of which it counts the people ("Four went to hospital")
_BARE_COUNT_VERBS = frozenset({"were", "are", "went", "died", "remain", "remained", "survived", "fled"})
_LOST_BEFORE = re.compile(r"\b(?:lost|losing|loses|lose)\b(?:\s+(?:more than|over|about|around|nearly|some|at least|"
                          r"up to))?\s*$", re.IGNORECASE)


def _unit_after(text: str, pos: int, value: float | None = None) -> tuple[str | None, str | None, int]:
    """The counted noun after a number: skips nationality and other adjectives; "civilian casualties" ->
    (civilians, casualties); "44 sea turtles" -> sea turtles; "5,000 barrels a day" -> barrels per day. After a
    number above one, a word that cannot count many ("1,000 strong", "200 would") is no unit."""
    unit, subject, end = _counted_noun(text, pos, value)
    if unit is not None and subject is None and " per " not in unit:
        rate = _RATE_AFTER.match(text, end)
        if rate:
            return f"{unit} per {rate.group(1).lower()}", None, rate.end()
    return unit, subject, end


def _counted_noun(text: str, pos: int, value: float | None) -> tuple[str | None, str | None, int]:
    if text[pos:pos + 1] == "%":
        return "percent", None, pos + 1
    words = list(re.finditer(r"[A-Za-z][A-Za-z\-']*", text[pos:pos + 80]))
    k = 0
    while k < len(words) and k < 5:
        w = words[k].group(0)
        lw = w.lower()
        # only whitespace between the number and the words
        gap = text[pos + (words[k - 1].end() if k else 0):pos + words[k].start()]
        if gap.strip() not in ("",) and not (k == 0 and gap.strip() in ("-",)):
            return None, None, pos
        if lw in ("per",) and k + 1 < len(words) and words[k + 1].group(0).lower() == "cent":
            return "percent", None, pos + words[k + 1].end()
        if k == 0 and lw in _BARE_COUNT_VERBS and gap == " ":
            return "people", None, pos  # "Four went to hospital", "Nine were killed": people
        if lw in DEMONYMS or lw in _SKIP_ADJ or (w[:1].isupper() and lw not in _UNIT_NORMAL):
            k += 1
            continue
        if lw in _PEOPLE_ADJ and k + 1 < len(words) and words[k + 1].group(0).lower() in _OUTCOME_NOUNS:
            return (_PEOPLE_ADJ[lw], _OUTCOME_NOUNS[words[k + 1].group(0).lower()], pos + words[k + 1].end())
        if lw in _OUTCOME_NOUNS:
            return "people", _OUTCOME_NOUNS[lw], pos + words[k].end()
        if lw in _NOT_UNIT:
            return None, None, pos
        if (lw.endswith(("an", "al", "ic", "ive", "ous", "ary", "ed")) and k + 1 < len(words)
                and text[pos + words[k].end():pos + words[k + 1].start()] == " "
                and words[k + 1].group(0).lower() not in _NOT_UNIT):
            k += 1  # an adjective before the counted noun ("two humanitarian cease-fires")
            continue
        if lw == "pounds" and text[pos + words[k].end():pos + words[k].end() + 4] == " of ":
            return "lb", None, pos + words[k].end()  # "20 pounds of explosives": a weight
        if lw in _UNIT_NORMAL:
            return _UNIT_NORMAL[lw], None, pos + words[k].end()
        if value is not None and value > 1 and not _counts_many(lw) and gap.strip() != "-":
            # ("a three-seat cushion", "a four-story building": a singular noun after a hyphen counts too)
            nxt = words[k + 1].group(0) if k + 1 < len(words) else ""
            if nxt.islower() and _counts_many(nxt) and nxt not in _UNIT_NORMAL \
                    and text[pos + words[k].end():pos + words[k + 1].start()] == " ":
                return f"{lw} {nxt}", None, pos + words[k + 1].end()  # "44 sea turtles", "20 square miles"
            return None, None, pos  # "1,000 strong", "200 would"
        return _singular_to_plural(lw), None, pos + words[k].end()
    return None, None, pos


# What a figure measures, when no outcome says it: the noun it is the level of ("unemployment had fallen to 5.1 per
# cent", "turnout stood at 41 per cent", "inflation of 3 percent"), or the change it is the size of ("cut the
# budget by 25 per cent", "a cut of 9 per cent", "a 4 percent rise")
_LEVEL_BEFORE = re.compile(
    r"\b(?P<noun>[a-z][a-z\-]+)(?:\s+(?:rate|figure|level))?(?:\s+(?:had|has|have|would|will|could))?"
    r"(?:\s+(?:been|be))?\s+(?:stood\s+at|stands\s+at|was|is|were|are|fell\s+to|fallen\s+to|falls\s+to|"
    r"rose\s+to|risen\s+to|rises\s+to|dropped\s+to|climbed\s+to|jumped\s+to|reached|hit|of)\s+"
    r"[\"“]?(?:(?:about|around|closer\s+to|close\s+to|nearly|almost|just\s+over|just\s+under|more\s+than|over|"
    r"under|only|some)\s+)?$", re.IGNORECASE)
_CHANGE_BY = re.compile(r"\b(?P<verb>cut|cuts|slashed|reduced|lowered|trimmed|raised|increased|boosted|lifted)\b"
                        r"[^.;]{0,60}?\bby\s+(?:about\s+|around\s+|nearly\s+|some\s+)?$", re.IGNORECASE)
_CHANGE_OF = re.compile(r"\b(?P<noun>cut|reduction|increase|rise|fall|drop|decline|growth)\s+of\s+"
                        r"(?:about\s+|around\s+|nearly\s+|some\s+)?$", re.IGNORECASE)
_CHANGE_AFTER = re.compile(r"[^\S\n]+(?P<noun>cut|reduction|increase|rise|fall|drop|decline)\b", re.IGNORECASE)
_CHANGES = {"cut": "cut", "cuts": "cut", "slashed": "cut", "reduced": "cut", "lowered": "cut", "trimmed": "cut",
            "reduction": "cut", "raised": "increase", "increased": "increase", "boosted": "increase",
            "lifted": "increase", "increase": "increase", "rise": "increase", "fall": "fall", "drop": "fall",
            "decline": "fall", "growth": "growth"}
CHANGE_KINDS = frozenset(_CHANGES.values())  # a figure's subject that is a change ("cut"; "budget cut")
_NO_MEASURE = STOPWORDS | frozenset({"it", "that", "this", "which", "what", "there", "total", "number", "figure",
                                     "toll", "one", "all", "each", "many", "some", "more", "less", "rate", "level",
                                     "amount", "average", "estimate", "equivalent",
                                     # (what describes a figure names nothing it measures: "the real figure was")
                                     "real", "official", "actual", "true", "latest", "final", "overall",
                                     "annual", "new", "current", "previous", "figures", "numbers"})


def _measured(text: str, start: int, end: int) -> str | None:
    """What a figure is the level or the change of, lower case: "unemployment", "turnout"; a change with what it
    changes when the text says ("budget cut": "cut the budget of the inspectorate by 25 per cent", "a 20 percent
    cut in their budget"), else the change alone ("a cut of 9 per cent": "cut")."""
    head = text[max(0, start - 90):start]
    m = _CHANGE_BY.search(head)
    if m:  # "cut the budget of the inspectorate by": what the verb takes, up to its first preposition
        return _changed(_CHANGES[m.group("verb").lower()], head[m.end("verb"):m.end()])
    m = _CHANGE_OF.search(head)
    if m:  # "a rise of 10 percent in full-year profit"
        return _changed(_CHANGES[m.group("noun").lower()], _IN_WHAT.match(text, end))
    m = _CHANGE_AFTER.match(text, end)
    if m:  # "a 2.4 percent decline in fuel prices"
        return _changed(_CHANGES[m.group("noun").lower()], _IN_WHAT.match(text, m.end()))
    m = _LEVEL_BEFORE.search(head)
    if m and m.group("noun").lower() not in _NO_MEASURE:
        return m.group("noun").lower()
    return None


_IN_WHAT = re.compile(r"[^\S\n]+in[^\S\n]+(?P<what>(?:[\w\-']+[^\S\n]+){0,3}?[\w\-']+)"
                      r"(?=[^\S\n]+(?:of|in|to|for|at|by|from|over|on|since|and|as|than|but)\b|[,.;:)]|$)")
_OBJECT_END = re.compile(r"\s(?:of|in|to|for|at|by|from|over|on)\s")


def _changed(change: str, what: re.Match[str] | str | None) -> str:
    """``change`` with the last word of what it changes ("the budget of ..." -> "budget cut"), when that is a
    lower-case word."""
    phrase = what.group("what") if isinstance(what, re.Match) else what
    if not phrase:
        return change
    words = _OBJECT_END.split(f" {phrase} ", 1)[0].split()
    noun = words[-1].strip(",.;:'’") if words else ""
    if noun.islower() and noun.isalpha() and noun not in _NO_MEASURE:
        return f"{noun} {change}"
    return change


def _outcome_near(text: str, after: int, before: int) -> str | None:
    clause_end = re.search(r"[;.!?]|\bbut\b|\bwhile\b|\bwhereas\b", text[after:])
    window = text[after:after + (clause_end.start() if clause_end else 200)]
    best: tuple[int, str] | None = None
    for pattern, subject in _OUTCOMES:
        m = pattern.search(window)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), subject)
    if best:
        return best[1]
    head = text[max(0, before - 40):before]
    for pattern, subject in _OUTCOMES:
        if pattern.search(head):
            return subject
    return None
