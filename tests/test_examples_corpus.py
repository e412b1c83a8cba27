"""Validates the bundled sample corpus (examples/corpus) against its ground truth (examples/truth.json).

Uses only the standard library (json, csv, xml.etree, html.parser) and none of storyline's own code, so a
broken reader in the product can never make the ground truth look right. See examples/README.md for how
article keys, sources and dates are derived from each format.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import json
import re
import xml.etree.ElementTree as ET
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
CORPUS = EXAMPLES / "corpus"
TRUTH_PATH = EXAMPLES / "truth.json"

SEED_HEADER = re.compile(r"^ date (\d{4}-\d{2}-\d{2})(?:[ \t]+|\n)")
NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "content": "http://purl.org/rss/1.0/modules/content/",
}


def norm(text: str) -> str:
    """Whitespace collapsed, typographic quotes made straight."""
    text = text.replace("\u201c", '"').replace("\u201d", '"').replace("\u2018", "'").replace("\u2019", "'")
    return re.sub(r"\s+", " ", text).strip()


def strip_tags(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", fragment))


def outlet_from_dir(name: str) -> str:
    return " ".join(w.capitalize() for w in name.split("-"))


class _Page(HTMLParser):
    """Pulls what the README promises out of an HTML page: canonical URL, site name, publication time,
    headline (h1) and the paragraphs of the story body."""

    def __init__(self) -> None:
        super().__init__()
        self.canonical = self.site = self.published = None
        self.title_tag = ""
        self.h1 = ""
        self.paras: list[str] = []
        self._in: str | None = None
        self._body_depth = 0
        self._div_depth = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "link" and a.get("rel") == "canonical":
            self.canonical = a.get("href")
        elif tag == "meta" and a.get("property") == "og:site_name":
            self.site = a.get("content")
        elif tag == "meta" and a.get("property") == "article:published_time":
            self.published = a.get("content")
        elif tag == "title":
            self._in = "title"
        elif tag == "h1":
            self._in = "h1"
        elif tag == "div":
            self._div_depth += 1
            if "story-body" in (a.get("class") or "").split():
                self._body_depth = self._div_depth
        elif tag == "p" and self._body_depth:
            self._in = "p"
            self.paras.append("")

    def handle_endtag(self, tag):
        if tag == "div":
            if self._div_depth == self._body_depth:
                self._body_depth = 0
            self._div_depth -= 1
        elif tag in ("title", "h1", "p"):
            self._in = None

    def handle_data(self, data):
        if self._in == "title":
            self.title_tag += data
        elif self._in == "h1":
            self.h1 += data
        elif self._in == "p":
            self.paras[-1] += data


def _add(records: dict, key: str, rec: dict) -> None:
    assert key, f"record without a key: {rec.get('where')}"
    assert key not in records, f"article key {key!r} used twice ({records.get(key, {}).get('where')}, {rec['where']})"
    records[key] = rec


def load_records() -> dict[str, dict]:
    """key -> {text, body, source, date, title, where}. Raises (fails the test) on anything malformed."""
    records: dict[str, dict] = {}
    for path in sorted((CORPUS / "txt").rglob("*.txt")):
        raw = path.read_text(encoding="utf-8")
        m = SEED_HEADER.match(raw)
        assert m, f"{path}: text files must begin with ' date YYYY-MM-DD'"
        rel = path.relative_to(CORPUS).as_posix()
        _add(records, f"file:{rel}", {
            "where": rel, "text": raw[m.end():], "body": raw[m.end():], "date": m.group(1),
            "source": outlet_from_dir(path.parent.name), "title": None,
            "lines": [ln.strip() for ln in raw.splitlines()],
        })
    for path in sorted((CORPUS / "jsonl").glob("*.jsonl")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            obj = json.loads(line)
            assert set(obj) == {"id", "title", "text", "date", "source", "url"}, f"{path}:{n}: fields {sorted(obj)}"
            _add(records, obj["id"], {
                "where": f"{path.name}:{n}", "text": obj["title"] + "\n" + obj["text"], "body": obj["text"],
                "date": obj["date"][:10], "source": obj["source"], "title": obj["title"],
            })
    for path in sorted((CORPUS / "csv").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            assert reader.fieldnames == ["headline", "body", "published", "outlet", "link", "uid"], reader.fieldnames
            for n, row in enumerate(reader, 2):
                _add(records, row["uid"], {
                    "where": f"{path.name}#{n}", "text": row["headline"] + "\n" + row["body"], "body": row["body"],
                    "date": row["published"][:10], "source": row["outlet"], "title": row["headline"],
                })
    for path in sorted((CORPUS / "html").rglob("*.html")):
        page = _Page()
        page.feed(path.read_text(encoding="utf-8"))
        page.close()
        assert page.canonical and page.site and page.published and page.h1, f"{path}: missing page metadata"
        assert page.paras, f"{path}: no story paragraphs"
        body = "\n\n".join(page.paras)
        _add(records, page.canonical, {
            "where": path.relative_to(CORPUS).as_posix(), "text": page.h1 + "\n" + body, "body": body,
            "date": page.published[:10], "source": page.site, "title": page.h1.strip(),
        })
    for path in sorted((CORPUS / "feeds").glob("*.rss")):
        channel = ET.parse(path).getroot().find("channel")
        outlet = channel.findtext("title")
        for item in channel.findall("item"):
            key = item.findtext("guid") or item.findtext("link")
            body = strip_tags(item.findtext("content:encoded", namespaces=NS) or "")
            when = parsedate_to_datetime(item.findtext("pubDate")).astimezone(dt.timezone.utc)
            _add(records, key, {
                "where": f"{path.name}#{key}", "text": item.findtext("title") + "\n" + body, "body": body,
                "date": when.date().isoformat(), "source": outlet, "title": item.findtext("title"),
            })
    for path in sorted((CORPUS / "feeds").glob("*.atom")):
        feed = ET.parse(path).getroot()
        outlet = feed.findtext("atom:title", namespaces=NS)
        for entry in feed.findall("atom:entry", NS):
            key = entry.findtext("atom:id", namespaces=NS)
            body = strip_tags(entry.findtext("atom:content", namespaces=NS) or "")
            title = entry.findtext("atom:title", namespaces=NS)
            _add(records, key, {
                "where": f"{path.name}#{key}", "text": title + "\n" + body, "body": body,
                "date": entry.findtext("atom:published", namespaces=NS)[:10], "source": outlet, "title": title,
            })
    for rec in records.values():
        rec["norm"] = norm(rec["text"])
    return records


@pytest.fixture(scope="module")
def truth() -> dict:
    return json.loads(TRUTH_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def records() -> dict[str, dict]:
    return load_records()


def test_truth_shape(truth):
    assert set(truth) == {"articles", "events", "stories", "entities", "claims", "other_claims", "disagreements"}
    for key, a in truth["articles"].items():
        assert set(a) == {"event", "story", "duplicate_of", "source", "date", "title"}, key
    for eid, e in truth["events"].items():
        assert re.fullmatch(r"E\d\d", eid) and set(e) == {"story", "title", "date"}, eid
    for sid, s in truth["stories"].items():
        assert re.fullmatch(r"S\d+", sid) and set(s) == {"title"}, sid


def test_only_known_file_types():
    allowed = {"txt": {".txt"}, "jsonl": {".jsonl"}, "csv": {".csv"}, "html": {".html"}, "feeds": {".rss", ".atom"}}
    for path in CORPUS.rglob("*"):
        if path.is_file():
            top = path.relative_to(CORPUS).parts[0]
            assert path.suffix in allowed.get(top, set()), f"unexpected file {path}"


def test_every_record_is_in_truth_and_back(records, truth):
    assert set(truth["articles"]) - set(records) == set(), "truth keys without a record"
    assert set(records) - set(truth["articles"]) == set(), "records missing from truth"


def test_source_date_title_match(records, truth):
    for key, a in truth["articles"].items():
        rec = records[key]
        assert rec["source"] == a["source"], key
        assert rec["date"] == a["date"], key
        dt.date.fromisoformat(a["date"])
        if rec["title"] is not None:
            assert a["title"] == rec["title"].strip(), key
        elif a["title"] is not None:  # text files: the headline is a line of its own
            assert a["title"] in rec["lines"], key


def test_corpus_size_and_spread(truth):
    arts = truth["articles"]
    assert len(arts) >= 64
    assert len({a["source"] for a in arts.values()}) >= 8
    days = sorted(dt.date.fromisoformat(a["date"]) for a in arts.values())
    assert (days[-1] - days[0]).days >= 21
    assert all(d.year == 2026 and d.month == 3 for d in days)
    assert len(truth["events"]) >= 9 and len(truth["stories"]) >= 3
    total = sum(p.stat().st_size for p in EXAMPLES.rglob("*") if p.is_file())
    assert total < 420_000, total


def test_article_length(records, truth):
    for key, a in truth["articles"].items():
        n = len(records[key]["body"].split())
        assert 150 <= n <= 560, f"{key}: {n} words"


def test_events_and_stories_consistent(truth):
    events, stories = truth["events"], truth["stories"]
    for key, a in truth["articles"].items():
        assert a["event"] in events, key
        assert events[a["event"]]["story"] == a["story"], f"{key}: event {a['event']} is not in story {a['story']}"
    used = {a["event"] for a in truth["articles"].values()}
    assert used == set(events), "every event needs articles"
    assert {e["story"] for e in events.values()} == set(stories)
    for e in events.values():
        dt.date.fromisoformat(e["date"])
    for story in stories:  # at least three events per storyline
        assert sum(e["story"] == story for e in events.values()) >= 3, story


def _shingles(text: str, k: int = 5) -> set:
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i:i + k]) for i in range(max(1, len(words) - k + 1))}


def test_duplicates(records, truth):
    arts = truth["articles"]
    dups = {k: a["duplicate_of"] for k, a in arts.items() if a["duplicate_of"]}
    assert len(dups) >= 5
    def plain(key: str) -> str:  # body without a text file's own headline line
        body, title = norm(records[key]["body"]), arts[key]["title"]
        if records[key]["title"] is None and title and body.startswith(norm(title)):
            body = body[len(norm(title)):].strip()
        return body

    exact = 0
    for key, orig in dups.items():
        assert orig in arts and orig != key, key
        assert arts[orig]["duplicate_of"] is None, f"{key}: duplicate_of must name the original"
        assert arts[orig]["event"] == arts[key]["event"], key
        a, b = _shingles(records[key]["body"]), _shingles(records[orig]["body"])
        assert len(a & b) / len(a | b) >= 0.6, f"{key} is not a near copy of {orig}"
        exact += plain(key) == plain(orig)
    assert exact >= 1, "need one exact copy under a different id"
    assert len(dups) - exact >= 4, "need at least four near-verbatim republications"


def _occurs(needle: str, hay: str) -> bool:
    return re.search(r"(?<!\w)" + re.escape(norm(needle)) + r"(?!\w)", hay) is not None


def test_entities(records, truth):
    ents = truth["entities"]
    assert len(ents) >= 25
    seen: dict[str, str] = {}
    for e in ents:
        assert set(e) == {"name", "type", "aliases"}, e
        assert e["type"] in {"PERSON", "ORG", "PLACE"}, e
        assert e["name"] in e["aliases"], e
        for alias in e["aliases"]:
            assert alias not in seen, f"alias {alias!r} given to {seen.get(alias)} and {e['name']}"
            seen[alias] = e["name"]
            assert any(_occurs(alias, r["norm"]) for r in records.values()), f"alias {alias!r} never occurs"
    assert any(len(e["aliases"]) >= 4 for e in ents if e["type"] == "PERSON")


def test_same_surname_people_are_distinct(truth):
    people = [e for e in truth["entities"] if e["type"] == "PERSON"]
    surnames: dict[str, list[str]] = {}
    for e in people:
        surnames.setdefault(e["name"].split()[-1], []).append(e["name"])
    assert any(len(v) >= 2 for v in surnames.values()), "need two people sharing a surname"


def test_claims(records, truth):
    claims = truth["claims"]
    assert len(claims) >= 30
    for c in claims:
        assert set(c) == {"article", "speaker", "verb", "text_contains", "polarity", "figures"}, c
        assert c["article"] in records, c
        assert c["polarity"] in {"assert", "deny"}, c
        assert norm(c["text_contains"]) in records[c["article"]]["norm"], c
        for f in c["figures"]:
            # a vague amount ("dozens of", "hundreds of") is a figure without a value
            assert set(f) == {"value", "unit", "subject"} and (f["value"] is None
                                                               or isinstance(f["value"], (int, float))), c
        if c["polarity"] == "assert" and not c["figures"]:
            # an assertion without figures is only listed as the claim side of a denial
            assert any(d["kind"] == "denial" and c["article"] in d["articles"] for d in truth["disagreements"]), c
    assert sum(c["polarity"] == "deny" for c in claims) >= 4
    assert sum(bool(c["figures"]) for c in claims) >= 20


def test_other_claims_complete_the_annotation(records, truth):
    # every claim of the guideline that is not a figure claim, a denial or the asserted side of one
    other = truth["other_claims"]
    assert len(other) >= len(truth["claims"])
    originals = {k for k, a in truth["articles"].items() if a["duplicate_of"] is None}
    for c in other:
        assert set(c) == {"article", "speaker", "verb", "text_contains", "polarity"}, c
        assert c["article"] in originals, f"wire copies carry no claims of their own: {c}"
        assert c["polarity"] in {"assert", "deny"}, c
        assert norm(c["text_contains"]) in records[c["article"]]["norm"], c
    # every original article is annotated, and no claim is listed twice (two speakers of one text are two claims)
    assert originals <= {c["article"] for c in other} | {c["article"] for c in truth["claims"]}
    keys = [(c["article"], c["speaker"], norm(c["text_contains"])) for c in truth["claims"] + other]
    assert len(keys) == len(set(keys))


def test_disagreements(truth):
    dis = truth["disagreements"]
    assert len(dis) >= 4
    assert sum(d["kind"] == "denial" for d in dis) >= 2
    assert sum(d["kind"] == "figures" for d in dis) >= 2
    for d in dis:
        assert set(d) == {"kind", "articles", "about"} and d["kind"] in {"denial", "figures"}, d
        assert len(d["articles"]) >= 2 and all(k in truth["articles"] for k in d["articles"]), d
        events = {truth["articles"][k]["event"] for k in d["articles"]}
        stories = {truth["articles"][k]["story"] for k in d["articles"]}
        assert len(stories) == 1, d
        has_claim = {c["article"] for c in truth["claims"]}
        assert all(k in has_claim for k in d["articles"]), f"disagreement articles need claims: {d}"
        if d["kind"] == "denial":
            denials = [c for c in truth["claims"] if c["article"] in d["articles"] and c["polarity"] == "deny"]
            assert denials, d
        del events


def test_relative_and_absolute_dates_present(records):
    text = " ".join(r["norm"] for r in records.values())
    for phrase in ("on Friday", "yesterday", "last month", "earlier this month", "two days ago", "next Tuesday",
                   "March 3", "3 March 2026", "in 1994"):
        assert phrase.lower() in text.lower(), phrase


def test_text_debris_present(records):
    lines = [ln for r in records.values() for ln in r.get("lines", [])]
    for marker in ("0", "Related Stories", "Read more", "Share this article"):
        assert marker in lines, marker
    assert any(re.fullmatch(r"\w+day \d{1,2} March 2026 - \d\d:\d\d", ln) for ln in lines)
