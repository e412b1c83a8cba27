"""Cleanup of raw article text: scraping debris out, headline and dateline lifted into fields, text normalised.

``clean_article`` works line by line with regular expressions compiled once:

- PTB-tokenised text (``-LRB-``, ````` ``, `` , `` densely) is un-tokenised first; its one-sentence-per-line layout
  is kept (line breaks stay sentence breaks).
- whitespace: lines stripped, runs of spaces collapsed, paragraphs separated by exactly one blank line; curly
  quotes become straight; a doubled period at a sentence end becomes one.
- debris: number-only lines (page counters), share/follow/subscribe/cookie/advert lines, copyright lines, and a
  "Related Stories" / "Read more" / "More from ..." / "Recommended" heading in the last part of the text together
  with everything after it (the teaser list).
- the leading lines: a dateline line ("Wednesday 21 October 2020 - 13:38") or a dateline prefix of the first
  paragraph ("MOSCOW, Oct 21 (Agency) - ") goes to ``Article.dateline``; a headline (short, no terminal
  punctuation, mostly capitalised, followed by body) becomes the title when the article has none, and is removed
  from the body (when the article has a title, the line is removed only if it repeats that title). When the
  article has no date and the dateline holds a full date, that date is used (``meta["date_from"] = "dateline"``).
"""

from __future__ import annotations

import dataclasses
import re

from .ingest._common import DATELINE_LINE, normalise_date
from .model import Article

# ---------------------------------------------------------------------------------------------- PTB

_PTB_SPACED = re.compile(r" [,.;:?!](?= |\n|$)| n't\b| '(?:s|re|ve|ll|d|m)\b")
# fixed-string replacements first (str.replace is far faster than regexes that start on a space), in order
_PTB_LITERALS = [
    ("-LRB- ", "("), ("-LRB-", "("), (" -RRB-", ")"), ("-RRB-", ")"),
    ("-LSB- ", "["), ("-LSB-", "["), (" -RSB-", "]"), ("-RSB-", "]"),
    ("-LCB- ", "{"), ("-LCB-", "{"), (" -RCB-", "}"), ("-RCB-", "}"),
    ("`` ", '"'), ("``", '"'), (" ''", '"'), ("''", '"'), (" ` ", " '"),
    ("\\/", "/"), ("\\*", "*"), (" n't", "n't"), (" N'T", "N'T"), (" ...", "..."),
    (" ,", ","), (" ;", ";"), (" :", ":"), (" ?", "?"), (" !", "!"), (" %", "%"), (" .", "."),
    ("( ", "("), (" )", ")"), ("[ ", "["), (" ]", "]"), ("$ ", "$"), ("# ", "#"),
    ("s ' ", "s' "), ("gon na ", "gonna "), ("wan na ", "wanna "), ("Gon na ", "Gonna "), ("Wan na ", "Wanna "),
]
_PTB_REGEXES = [
    (re.compile(r" '([sdmSDM]|re|ve|ll|RE|VE|LL)\b"), r"'\1"),
    # "Lohan ' s", "it' s" (patterns start with a literal so the regex engine can skip ahead quickly)
    (re.compile(r" ' ([stdmSTDM]|re|ve|ll|RE|VE|LL)\b"), lambda m: _glue_contraction(m, 1)),
    (re.compile(r"' ([stdmSTDM]|re|ve|ll|RE|VE|LL)\b"), lambda m: _glue_contraction(m, 1)),
    (re.compile(r": (?=\d)"), lambda m: ":" if m.start() and m.string[m.start() - 1].isdigit() else m.group(0)),
]


def _glue_contraction(m: re.Match[str], group: int) -> str:
    """"Lohan ' s" -> "Lohan's" when the quote follows a word; anything else is left as it is."""
    start = m.start()
    if start and m.string[start - 1].isalnum():
        return "'" + m.group(group)
    return m.group(0)


_PTB_STRAIGHT_QUOTE = re.compile(r'(?:(?<=\s)|^)"(?=\s|$)', re.MULTILINE)


def _pair_quotes(line: str) -> str:
    """Glue free-standing straight quotes of a PTB line to their words: opening ones right, closing ones left."""
    parts = _PTB_STRAIGHT_QUOTE.split(line)
    if len(parts) < 2:
        return line
    out = [parts[0]]
    opening = True
    for part in parts[1:]:
        before = out[-1]
        # a quote that starts the line opens, one that ends it closes; in between they alternate
        is_open = True if not before.strip() else False if not part.strip() else opening
        if is_open:
            out.append('"' + part.lstrip())
        else:
            out[-1] = before.rstrip() + '"'
            out.append(part)
        opening = not is_open
    return "".join(out)


def _has_free_quote(text: str) -> bool:
    """A straight double quote standing alone between spaces / line edges (plain string tests: fast)."""
    return (' " ' in text or '\n" ' in text or ' "\n' in text or text.startswith('" ') or text.endswith(' "')
            or text == '"')


def is_ptb(text: str) -> bool:
    """True when the text clearly is Penn-Treebank tokenised (bracket tokens, `` quotes, or dense " , ")."""
    if "-LRB-" in text or "-RRB-" in text or "``" in text:
        return True
    spaced = len(_PTB_SPACED.findall(text))
    return spaced >= 3 and spaced * 25 >= text.count(" ") + 1


def unptb(text: str) -> str:
    """Undo PTB tokenisation; line breaks are kept."""
    for old, new in _PTB_LITERALS:
        if old in text:
            text = text.replace(old, new)
    for rx, rep in _PTB_REGEXES:
        text = rx.sub(rep, text)
    if _has_free_quote(text):
        text = "\n".join(_pair_quotes(line) if _has_free_quote(line) else line for line in text.split("\n"))
    return text


# ---------------------------------------------------------------------------------------------- normalisation

_QUOTES = str.maketrans({
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u00ab": '"', "\u00bb": '"', "\u2033": '"',
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u2009": " ", "\u200a": " ", "\u3000": " ",
    "\u200b": None, "\u200c": None, "\u200d": None, "\u2060": None, "\ufeff": None, "\u00ad": None,
    "\r": None, "\t": " ", "\f": "\n", "\v": "\n", "\u2028": "\n", "\u2029": "\n\n",
})
_SPACES = re.compile(r" {2,}")
_DOUBLE_PERIOD = re.compile(r"(?<![.])\.\.(?![.])(?=[\"')\]]?(?:\s|$))")

# ---------------------------------------------------------------------------------------------- debris

_COUNTER = re.compile(r"^[\d\s.,:/|()\[\]#-]{1,12}$")
_SHARE = re.compile(
    r"^(?:share (?:this|on|via)\b|share$|tweet$|email$|print$|comments?$|\d+\s+comments?$|"
    r"follow (?:us|@|[A-Z][\w ]{0,30} on)\b|like us on\b|"
    r"sign up (?:for|to) (?:our|the|a)?\s*(?:free )?(?:daily |weekly |morning |evening )?newsletter|"
    r"subscribe (?:to|now|for|today)\b|subscribe$|get (?:our|the) (?:free )?newsletter|"
    r"(?:this|our) (?:site|website) uses cookies|we use cookies|accept (?:all )?cookies|cookie (?:policy|settings)|"
    r"by (?:continuing|using) (?:to (?:use|browse) )?(?:this|our) (?:site|website)|"
    r"advertisement$|advert$|sponsored(?: content)?$|skip (?:to|the) (?:main )?(?:content|ad)|"
    r"click here (?:to|for)\b|download (?:our|the) app|"
    r"image (?:copyright|caption|source)\b|getty images$|reuters/[\w ]+$|"
    r"all rights reserved|(?:©|\(c\)|copyright\s*(?:©|\(c\))?)\s*(?:\d{4}|[A-Z]))",
    re.IGNORECASE,
)
_SHARE_MAX_WORDS = 25
# photo credits: only short lines (in one-sentence-per-line corpora a credit is often glued to a real sentence)
_CREDIT = re.compile(r"^(?:photo|picture|image|graphic|file photo)\s*:|^(?:ap|afp|reuters|getty) (?:photo|images)\b",
                     re.IGNORECASE)
_CREDIT_MAX_WORDS = 8
_TAIL_HEADING = re.compile(
    r"^(?:related(?: stories| articles| news| content| coverage| posts| links| reading| topics)?|"
    r"read more(?: stories| articles)?|more from [\w .'&-]{1,40}|more stories(?: from [\w .'&-]{1,40})?|"
    r"more on this (?:story|topic)|recommended(?: for you| stories| articles| reading)?|you (?:may|might) also like|"
    r"also read|see also|most read|most popular|trending(?: now)?|latest news|top stories|"
    r"other news|in other news|editor'?s picks?)\s*:?\s*$",
    re.IGNORECASE,
)
_TAIL_FRACTION = 0.4  # a tail heading counts when it starts in the last 60% of the text
# a server's include error ("(an error occurred while processing this directive)") and a poll's "YES | NO" buttons
_INLINE_DEBRIS = re.compile(r"\(an error occurred while processing this directive\)\s*|^YES \| NO\b\s*")
_READ_MORE_LINE = re.compile(r"^(?:read more|read also|also read|see also|related)\s*:\s*\S", re.IGNORECASE)

# ---------------------------------------------------------------------------------------------- head lines

_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|"
          r"Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
# "MOSCOW, Oct 21 (Reuters) - ", "WASHINGTON (AP) — ", "LONDON - ", "PARIS, France (CNN) -- "
_DATELINE_PREFIX = re.compile(
    r"^(?P<dl>[A-Z][A-Z.'\-]+(?:[ /][A-Z][A-Z.'\-]+){0,3}"
    r"(?:,\s*[A-Z][A-Za-z.'\-]+(?: [A-Z][A-Za-z.'\-]+){0,2})?"
    r"(?:,?\s*" + _MONTH + r"\s+\d{1,2}(?:,\s*\d{4})?)?"
    r"(?:\s*\([A-Za-z][\w .&'/-]{0,30}\))?)"
    r"\s*(?:--?|–|—)\s+(?=\S)"
)
_BYLINE = re.compile(r"^(?:by|from|posted by|written by)\s", re.IGNORECASE)
# Page header furniture glued to the first body line of scraped pages:
# a place and a time stamp, "TRIPOLI | Tue May 3, 2011 7:21 pm EDT " (what follows is the dateline proper)
_STAMP = re.compile(
    r"(?<![\w/])(?P<place>[A-Z][A-Z.'\-]+(?:[ /][A-Z][A-Z.'\-]+){0,3}"
    r"(?:, [A-Z][A-Za-z.'\-]+(?: [A-Z][A-Za-z.'\-]+){0,2})?)"
    r"(?:,? " + _MONTH + r" \d{1,2})?"
    r" \| (?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\.? " + _MONTH + r" \d{1,2}, \d{4}"
    r"(?: \d{1,2}:\d\d ?[ap]\.?m\.? [A-Z]{2,4})? (?=\S)")
# a news agency's dateline anywhere in the first line, after page furniture or a headline glued before it:
# "Libya sees oil output ... BENGHAZI, Libya (Reuters) - ", "* Bullet * Bullet LONDON, June 1 (Reuters) - ",
# "(Recasts; adds quotes) MEXICO CITY May 19 (Reuters) - ", "Tripoli, Libya (CNN) -- "
_WIRE_DATELINE = re.compile(
    r"(?<![\w/])(?P<dl>(?:[A-Z][A-Za-z.'\-]+(?:[ /][A-Z][A-Za-z.'\-]+){0,3}"
    r"(?:, [A-Z][A-Za-z.'\-]+(?: [A-Z][A-Za-z.'\-]+){0,2})?,? )?(?:" + _MONTH + r" \d{1,2},? )?"
    r"\((?:AP|Reuters|AFP|CNN|UPI|Bloomberg|dpa|Xinhua|Kyodo|Yonhap|EFE|ANSA|PTI|IANS|AAP)\))\s*(?:--?|–|—)\s+"
    r"(?=[\"“‘'A-Z0-9])")
_HEAD_SEARCH = 300  # how far into the first line such a dateline is looked for
# a page's date and time between the headline (and its standfirst) and the body, their line breaks lost: "... fears
# of an outbreak in Varn Saturday 7 March 2026 18.45 GMT Crowds queued outside the clinics ..."
_INLINE_WHEN = re.compile(
    r"(?<=\S)\s+(?P<when>(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,? \d{1,2} " + _MONTH + r",? \d{4},? "
    r"\d{1,2}[.:]\d\d(?: ?[AaPp]\.?[Mm]\.?)?(?: [A-Z]{2,4})?)\s+(?=[\"“‘'A-Z0-9])")
# a date before a byline, "January 31, 2011 | By ..."
_DATE_PIPE = re.compile(r"^" + _MONTH + r" \d{1,2}, \d{4} \| (?=By |From )")
# a publication time stamp: "Wednesday 23 February 2005 12.14 GMT ", "14 August 2012 Last updated at 08:40 GMT ",
# "Posted: Nov 27, 2005 8:20 AM ET ", "Wednesday, September 24, 2008; 2:00 PM ", "Page last updated at 11:14 GMT,
# Thursday, 3 February 2011 ", and a columnist's "Ann Lee | 12:14 UK time, Friday, 27 July 2012 "
_WHEN = (r"(?:(?:Published|Updated|Posted|Last updated)\s*:?\s*)?(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,? )?"
         r"(?:\d{1,2} " + _MONTH + r",? \d{4}|" + _MONTH + r" \d{1,2},? \d{4})")
_TIME = r"\d{1,2}[:.]\d\d(?: ?[AaPp]\.?[Mm]\.?)?(?: (?:[A-Z]{2,4}|UK time))?"
_TIME_STAMP = re.compile(
    r"^(?:" + _WHEN + r"[,;]?(?: (?:-|\||at|Last updated at))? " + _TIME
    + r"|(?:Page )?[Ll]ast updated at " + _TIME + r", (?P<on>" + _WHEN + r")(?: \d{1,2}:\d\d UK)?"
    + r"|(?P<by>" + r"[A-Z][a-z'\-]+(?: [A-Z][a-z'\-]+){1,2}" + r") \| " + _TIME + r", (?P<day>" + _WHEN + r"))"
    r"(?: Help)?\s+(?=[\"“(*A-Z0-9])")
# words that open a sentence, to tell where a place written after a byline ends ("BBC News, Golan Heights The ...")
_OPENER = (r"(?:The|A|An|Some|Many|Most|More|In|On|At|As|It|Its|There|This|These|Those|He|She|They|We|For|But|And|"
           r"When|While|After|Before|Everything|What|If|Nowhere|Everywhere|Few|One|Two|Three|Hundreds|Thousands)")
_NAME = r"(?!(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b)[A-Z][a-z'\-]+(?: [A-Z]\.)?(?: [A-Z][a-z'\-]+){1,2}"
# a byline: "By the CNN Wire Staff ", "By Emily Smith and Katie Glaeser, CNN ", "By Tarek Osman, Special to CNN ",
# "From Ann Lee, CNN ", "By Ann Lee for CNN ",
# "By Maggie Fox, Health and Science Editor ", or names right before a dateline ("By Ann Lee TOLEDO, Ohio --")
_BYLINE_HEAD = re.compile(
    r"^(?:By|From) (?:the [A-Z][\w.]*(?: [A-Z][\w.]*){0,3} (?:Wires? )?Staff"
    r"|" + _NAME + r"(?:(?:,| and|, and) " + _NAME + r")*"
    r"(?: for [A-Z]{2,6}(?= )|(?:,| -+) (?:Special to [A-Z][\w.]*(?: [A-Z][\w.]*){0,2}?(?= )|[A-Z]{2,6}(?= )"
    r"|(?:(?:[A-Z][a-z]+|and|of|for) ){0,5}(?:Editor|Correspondent|Reporter|Writer|Producer)(?= ))"
    # (a broadcaster's: "By Ann Lee BBC Diplomatic Correspondent", "By Ann Lee BBC News, Golan Heights The ...",
    # "By Ann Lee Chief International Correspondent, BBC News, northern Jordan Jordanian camps ...")
    r"|,? (?:(?:(?:BBC|CNN) )?(?:(?:[A-Z][a-z]+|and|of) ){0,5}(?:Correspondent|Editor|[Rr]eporter)"
    r"(?:, (?:BBC|CNN) News)?|(?:BBC|CNN)(?: News)?)"
    r"(?:, (?:in )?[\w'’\-]+(?:,? [\w'’\-]+){0,5}?(?= " + _OPENER + r"\b)|,(?= ))?(?= )"
    # (names right before a dateline or a place and time stamp)
    r"|(?= [A-Z]{3,}[A-Z.'\-]*(?: [A-Z][A-Z.'\-]+)*(?:, [A-Z][A-Za-z.'\-]+(?: [A-Z][A-Za-z.'\-]+)*)?"
    r"(?: \([A-Za-z]+\))? ?(?:--?|–|—|\|) )))"
    r"\s+(?=\S)")
_TERMINAL = re.compile(r"[.,;:\"'?)]$")
_WORD = re.compile(r"[^\W\d_][\w'’.-]*")
_SMALL_WORDS = frozenset("a an and as at but by for from in into of on or over the to up via vs with".split())


def _is_headline(line: str, rest_chars: int) -> bool:
    if not line or len(line) > 200 or rest_chars < 80 or _BYLINE.match(line):
        return False
    if _TERMINAL.search(line):
        return False
    words = _WORD.findall(line)
    if not 2 <= len(words) <= 22:
        return False
    significant = [w for w in words if w.lower() not in _SMALL_WORDS]
    if not significant:
        return False
    capitalised = sum(1 for w in significant if w[0].isupper())
    return capitalised / len(significant) >= 0.6


def _norm_title(s: str) -> str:
    return " ".join(_WORD.findall(s.lower()))


def _is_debris(line: str) -> bool:
    if _COUNTER.match(line) and any(c.isdigit() for c in line):
        return True
    if _SHARE.match(line) and len(line.split()) <= _SHARE_MAX_WORDS:
        return True
    if _CREDIT.match(line) and len(line.split()) <= _CREDIT_MAX_WORDS:
        return True
    return False


def clean_text(text: str) -> tuple[str, bool]:
    """Whitespace/quote/PTB normalisation and debris removal; returns ``(text, was_ptb)``. Lines are kept; the
    result has paragraphs separated by exactly one blank line."""
    text = text.translate(_QUOTES)
    ptb = is_ptb(text)
    if ptb:
        text = unptb(text)
    lines: list[str] = []
    for line in text.split("\n"):
        line = line.strip()
        if "  " in line:
            line = _SPACES.sub(" ", line)
        if line and (_is_debris(line) or _READ_MORE_LINE.match(line) and len(line.split()) <= 20):
            continue
        if "(an error" in line or line.startswith("YES | NO"):
            line = _INLINE_DEBRIS.sub("", line).strip()
        lines.append(line)
    # cut a related/read-more tail: from the heading to the end, when it sits in the last part of the text
    total = sum(len(ln) + 1 for ln in lines)
    pos = 0
    for i, line in enumerate(lines):
        if line and len(line) <= 60 and pos >= total * _TAIL_FRACTION and _TAIL_HEADING.match(line):
            lines = lines[:i]
            break
        pos += len(line) + 1
    out: list[str] = []
    blank = False
    for line in lines:
        if not line:
            blank = bool(out)
            continue
        if blank:
            out.append("")
            blank = False
        out.append(line)
    result = "\n".join(out)
    if ".." in result:
        result = _DOUBLE_PERIOD.sub(".", result)
    return result, ptb


def _lift_head(text: str, title: str | None) -> tuple[str, str | None, str | None, str | None]:
    """Take a dateline, a headline and a byline off the first lines: returns ``(body, headline, dateline,
    byline)``."""
    lines = text.split("\n")
    headline = dateline = None
    i = 0
    checked = 0
    while i < len(lines) and checked < 3:
        line = lines[i]
        if not line:
            i += 1
            continue
        checked += 1
        rest_chars = sum(len(x) for x in lines[i + 1:])
        if dateline is None and len(line) <= 80 and DATELINE_LINE.match(line):
            dateline = line
            lines[i] = ""
        elif headline is None and title is not None and _norm_title(line) == _norm_title(title):
            headline = line  # the body repeats the article's own title
            lines[i] = ""
        elif headline is None and i + 1 < len(lines) and (
                _is_headline(line, rest_chars) or _before_dateline(line, lines, i, rest_chars)
                or _standalone_headline(line, lines, i, rest_chars)):
            if title is None:
                headline = line
                lines[i] = ""
            else:
                break
        else:
            break
        i += 1
    # header furniture on the first body line: a byline, a place and time stamp (either, or both in either order)
    byline = stamp = when = None
    j = _first_line(lines, i)
    if j is not None:
        line = lines[j]
        m = _DATE_PIPE.match(line) or _TIME_STAMP.match(line)
        if m:
            byline = m.groupdict().get("by")
            # (kept: its day, a header date)
            when = m.group("day") if byline else m.groupdict().get("on") or line[:m.end()].rstrip(" |")
            line = line[m.end():]
        for _ in range(2):
            m = _BYLINE_HEAD.match(line)
            if m and byline is None:
                byline = line[line.index(" ") + 1:m.end()].strip().rstrip(",")
                line = line[m.end():]
            m = _STAMP.match(line)
            if m and stamp is None:
                stamp = m.group("place")
                line = line[m.end():]
        lines[j] = line
    if j is not None and dateline is None:
        # a stamp or an agency's dateline further on, on this line or, after a short one (a sidebar's teaser), the
        # next: what stands before it is page furniture ("Full Article", "Credit: Reuters/...", bullets, a revision
        # note) or the headline glued to the body
        for k in (j, _first_line(lines, j + 1) if len(lines[j]) <= _HEAD_SEARCH // 2 else None):
            if k is None:
                break
            m = (_STAMP.search(lines[k], 1, _HEAD_SEARCH) if stamp is None else None) \
                or _WIRE_DATELINE.search(lines[k], 0, _HEAD_SEARCH) \
                or (_INLINE_WHEN.search(lines[k], 1, _HEAD_SEARCH) if when is None else None)
            if m:
                head = _FULL_ARTICLE.sub("", lines[k][:m.start()].strip())
                lines[k] = lines[k][m.end():]
                is_headline = headline is None and title is None and _glued_headline(head)
                if m.re is _STAMP:
                    stamp = m.group("place")
                elif m.re is _INLINE_WHEN:
                    when = m.group("when")
                    if not is_headline and has_words(head):
                        # a headline and its standfirst, or a headline beside the article's own title: their own
                        # paragraph, not the body's first sentence
                        lines[k] = head + "\n\n" + lines[k]
                else:
                    dateline = m.group("dl").strip()
                if is_headline:
                    headline = head
                i = k  # (after a stamp, the dateline prefix is looked for on its line)
                break
    # a dateline prefix on the first body paragraph: "MOSCOW, Oct 21 (Reuters) - ..."
    j = _first_line(lines, i) if dateline is None else None
    if j is not None:
        m = _DATELINE_PREFIX.match(lines[j])
        if m and _is_prefix_dateline(m.group("dl")):
            dateline = m.group("dl").strip()
            lines[j] = lines[j][m.end():]
    # a headline, a byline or a caption glued to the first sentence by a lost line break: "Earthquake aftershocks
    # hit Haiti orphanage A paediatrics nurse who works at ...", "By the CNN Wire Staff The Libyan government says"
    j = _first_line(lines, i) if headline is None and title is None else None
    if j is not None and byline is None:
        # ... or a headline and its byline: "UK industry frets about BP backlash By Ann Lee Business reporter, BBC
        # News British industry fears ..."
        for m in _BY_INSIDE.finditer(lines[j], 1, _HEAD_SEARCH):
            head, tail = lines[j][:m.start(1)].strip(), lines[j][m.start(1):]
            by = _BYLINE_HEAD.match(tail)
            if by and _glued_headline(head) and len(tail) - by.end() > 40:
                headline, byline = head, tail[3:by.end()].strip().rstrip(",")
                lines[j] = tail[by.end():]
                j = None
                break
    split = _glued_head(lines[j]) if j is not None else None
    if split is not None:
        head, lines[j] = split
        if head.startswith(("By ", "BY ")) and len(head.split()) <= 12:  # (not "From Cairo to Tunis, ...")
            byline = byline or head[head.index(" ") + 1:].strip().rstrip(",")
        elif head[-1] not in ".,;:?!" and _glued_headline(head.rstrip("'’\"” ")):
            headline = head
        else:
            lines[j] = head + "\n" + lines[j]  # (not a header: its line break is all that is restored)
        split = _glued_head(lines[j])
        if split is not None:  # a caption glued to the same sentence: "... daily shelling A United Nations panel"
            lines[j] = "\n".join(split)
    dateline = dateline or stamp or when
    body = "\n".join(lines).strip("\n")
    if headline or dateline:
        body = re.sub(r"\n{3,}", "\n\n", body)
    return body, headline, dateline, byline


def _first_line(lines: list[str], start: int) -> int | None:
    """The index of the first line from ``start`` that is not empty, if any."""
    return next((k for k in range(start, len(lines)) if lines[k]), None)


def _before_dateline(line: str, lines: list[str], i: int, rest_chars: int) -> bool:
    """A sentence-case headline: a short line without terminal punctuation directly followed by a dateline,
    either a line of its own ("Wednesday 21 October 2020 - 13:38") or a paragraph's prefix ("MOSCOW, Oct 21
    (Agency) - ...")."""
    nxt = next((x for x in lines[i + 1:] if x), None)
    if nxt is None or rest_chars < 80 or len(line) > 200 or _TERMINAL.search(line) or len(line.split()) > 25:
        return False
    if len(nxt) <= 80 and DATELINE_LINE.match(nxt):
        return True
    m = _DATELINE_PREFIX.match(nxt)
    return bool(m and _is_prefix_dateline(m.group("dl")))


def _standalone_headline(line: str, lines: list[str], i: int, rest_chars: int) -> bool:
    """A sentence-case headline set as its own paragraph: a short first line without terminal punctuation,
    then a blank line, then body text that does end its sentences."""
    if i + 2 >= len(lines) or lines[i + 1] != "" or rest_chars < 200:
        return False
    if len(line) > 160 or _TERMINAL.search(line) or not 3 <= len(line.split()) <= 20 or _BYLINE.match(line):
        return False
    nxt = next((x for x in lines[i + 2:] if x), "")
    return bool(nxt) and nxt[-1] in ".!?\"'"


_MONTH_DAY_END = re.compile(r"\s+" + _MONTH + r"\s+\d{1,2}$")
_FULL_ARTICLE = re.compile(r"^(?:Full Article|Related News|Video)\s+")


def _glued_headline(head: str) -> bool:
    """Whether what stands before a stamp or a dateline on the first line is a headline, not page furniture
    (a photo credit, bullets, a revision note in brackets, a time stamp, a byline, a pipe menu)."""
    return bool(head) and head[0].isupper() and not head.startswith(("Credit", "By ", "From ")) and "|" not in head \
        and len(head.split()) <= 25 and not _TERMINAL.search(head) and has_words(head)


_BY_INSIDE = re.compile(r"\s(By [A-Z])")
# where a sentence starts after a headline whose line break was lost: a word ending in a small letter or a digit,
# then "A", "An", "The" or "It" (which prose writes in capitals mid-sentence only in names: "told The Associated
# Press", "starred in The Godfather" -- after a verb or a preposition, which no headline ends with)
_GLUED_OPENER = re.compile(r"(?<=[a-z0-9'’)])\s+(?=(?:A|An|The|It)\s+(?P<next>[\w'’]+))")
_ENDS_A_SENTENCE = re.compile(r"[.!?][\"'’”)]?\s*$|[.!?]\s")
_QUOTE_MARKS = re.compile(r"[\"'‘’“”](?!\w)|(?<!\w)[\"'‘’“”]")  # (not an apostrophe inside a word)
_HEAD_END_WORDS = _SMALL_WORDS | frozenset(
    """said told tells reported wrote writes added adds according than that which who whom whose
    is are was were be been being has have had of its their his her our my your""".split())


def _glued_head(line: str) -> tuple[str, str] | None:
    """``(head, sentence)`` when ``line`` is a short head (3 to 25 words, a capital first, no punctuation at its end)
    glued to a sentence of six words or more that ends as one; else None."""
    for m in _GLUED_OPENER.finditer(line, 0, _HEAD_SEARCH):
        head, rest = line[:m.start()].strip(), line[m.end():]
        words = head.split()
        if len(words) > 25:
            return None
        if len(words) < 3 or not head[0].isupper() or words[-1].lower() in _HEAD_END_WORDS \
                or m.group("next").lower() in _SMALL_WORDS or len(_QUOTE_MARKS.findall(head)) % 2:
            continue  # (an odd quote mark: inside a quotation, "Book Review: ' A Failure of Capitalism '")
        if len(rest.split()) >= 6 and _ENDS_A_SENTENCE.search(rest):
            return head, rest
    return None


def _is_prefix_dateline(dl: str) -> bool:
    # the place must be written in capitals ("MOSCOW", "NEW YORK"), at least 3 letters, not an acronym sentence
    place = _MONTH_DAY_END.sub("", dl.split(",")[0].split("(")[0].strip())  # ("TOKYO May 21 (Reuters)")
    letters = [c for c in place if c.isalpha()]
    return len(letters) >= 3 and all(c.isupper() for c in letters)


def has_words(text: str | None) -> bool:
    """Whether ``text`` holds a word (letters), not only numbers, punctuation and space."""
    return bool(text) and _WORD.search(text) is not None


def clean_article(article: Article) -> Article:
    """Return a cleaned copy of ``article`` (see the module docstring). ``raw`` keeps the reader's text."""
    source_text = article.text if article.text is not None else (article.raw or "")
    text, ptb = clean_text(source_text)
    title = article.title
    if title is not None:
        title = " ".join(title.translate(_QUOTES).split())
        if ptb or is_ptb(title):
            title = " ".join(unptb(title).split())
        title = title or None
    body, headline, dateline, byline = _lift_head(text, title)
    meta = article.meta
    date = article.date
    if dateline and date is None:
        d = _dateline_date(dateline)
        if d:
            date = d
            meta = {**meta, "date_from": "dateline"}
    if ptb:
        meta = {**meta, "ptb": True}
    if byline and "byline" not in meta:
        meta = {**meta, "byline": byline}
    return dataclasses.replace(
        article,
        text=body,
        title=title if title is not None else headline,
        dateline=article.dateline or dateline,
        date=date,
        raw=article.raw if article.raw is not None else source_text,
        meta=meta,
    )


def _dateline_date(dateline: str) -> str | None:
    if not DATELINE_LINE.match(dateline):
        return None
    s = re.sub(r"^(?:Published|Updated|Posted|Last updated|Date)\s*:?\s*", "", dateline, flags=re.IGNORECASE)
    s = re.sub(r"\s*(?:[-–—|]|at)\s*\d{1,2}[:.]\d{2}.*$", "", s)
    return normalise_date(s)
