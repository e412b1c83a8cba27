"""Every reader: seed text, plain text, JSON Lines, JSON, CSV, HTML, RSS/Atom, gzip, directories, stdin, URLs."""

from __future__ import annotations

import gzip
import http.server
import io
import json
import shutil
import threading
from pathlib import Path

import pytest

from storyline.ingest import read_inputs
from storyline.model import Article, IngestProblem

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "ingest"
SHARED = Path(__file__).resolve().parents[3] / "shared"


def articles(items):
    return [x for x in items if isinstance(x, Article)]


def problems(items):
    return [x for x in items if isinstance(x, IngestProblem)]


def read(*inputs, **kw):
    return list(read_inputs([str(i) for i in inputs], **kw))


# ------------------------------------------------------------------------------------------------ seed / text

def test_seed_header_with_body_on_following_lines():
    items = read(FIX / "seed_dateline.txt")
    [a] = articles(items)
    assert not problems(items)
    assert a.date == "2025-03-14"
    assert a.origin == str(FIX / "seed_dateline.txt")
    assert a.source == "seed_dateline"
    assert a.id == ""
    # raw, uncleaned: the stray counter and the tail are still there
    assert a.text.startswith("7\nFriday 14 March 2025")
    assert "Related Stories" in a.text and a.raw == a.text


def test_seed_header_with_body_on_same_line():
    [a] = articles(read(FIX / "seed_inline.txt"))
    assert a.date == "2025-03-13"
    assert a.text.startswith("The Velmora harbour council will meet")


def test_seed_file_with_several_articles(tmp_path):
    p = tmp_path / "two.txt"
    p.write_text(" date 2025-01-02 First body text here.\n date 2025-01-03\nSecond body text.\n")
    arts = articles(read(p))
    assert [a.date for a in arts] == ["2025-01-02", "2025-01-03"]
    assert [a.origin for a in arts] == [f"{p}:1", f"{p}:2"]
    assert arts[1].text.strip() == "Second body text."


def test_plain_text_dates_from_path_then_dateline_then_none(tmp_path):
    [a] = articles(read(FIX / "dated" / "2025" / "03" / "11" / "letters.txt"))
    assert a.date == "2025-03-11" and a.meta["date_from"] == "path"
    [b] = articles(read(FIX / "operators_statement.txt"))
    assert b.date == "2025-03-12" and b.meta["date_from"] == "dateline"
    p = tmp_path / "report-2024-12-30.txt"
    p.write_text("A body without any dateline.\n")
    assert articles(read(p))[0].date == "2024-12-30"
    q = tmp_path / "undated.txt"
    q.write_text("March 3, 2026\n\nThe body of a dated report.\n")
    assert articles(read(q))[0].date == "2026-03-03"
    r = tmp_path / "nodate.txt"
    r.write_text("No date anywhere in this text.\n")
    assert articles(read(r))[0].date is None


def test_source_argument_overrides_everything():
    arts = articles(read(FIX / "articles.jsonl", FIX / "seed_inline.txt", source="Wire Desk"))
    assert {a.source for a in arts} == {"Wire Desk"}


# ------------------------------------------------------------------------------------------------ records

def test_jsonl_flexible_fields_and_meta():
    items = read(FIX / "articles.jsonl")
    a1, a2, a3 = articles(items)
    assert not problems(items)
    assert (a1.id, a1.title, a1.date, a1.source, a1.url, a1.lang) == (
        "vl-001", "Ferry fares frozen", "2025-03-14", "Velmora Post", "https://velmorapost.example/ferry-fares", "en")
    assert a1.meta == {"section": "local"}
    assert a1.origin == f"{FIX / 'articles.jsonl'}:1"
    # dateparser fallback, source from the URL host
    assert (a2.id, a2.date, a2.source) == ("cl-17", "2025-03-14", "coastal-ledger.example")
    # no source field, no URL: the file's stem
    assert (a3.id, a3.date, a3.source) == ("", None, "articles")


@pytest.mark.parametrize("shape", ["list", "object", "articles"])
def test_json_document_shapes(tmp_path, shape):
    rec = {"id": "j1", "text": "Body of a JSON article.", "date": "2025-02-01", "site": "Example Daily"}
    doc = {"list": [rec, dict(rec, id="j2")], "object": rec, "articles": {"articles": [rec, dict(rec, id="j2")]}}[shape]
    p = tmp_path / "doc.json"
    p.write_text(json.dumps(doc))
    arts = articles(read(p))
    assert arts[0].id == "j1" and arts[0].date == "2025-02-01" and arts[0].source == "Example Daily"
    if shape == "object":
        assert len(arts) == 1 and arts[0].origin == str(p)
    else:
        assert [a.origin for a in arts] == [f"{p}#1", f"{p}#2"]


def test_json_file_holding_json_lines_falls_back(tmp_path):
    p = tmp_path / "lines.json"
    p.write_text('{"text": "one body"}\n{"text": "two body"}\n')
    assert [a.text for a in articles(read(p))] == ["one body", "two body"]


def test_csv_flexible_fields_multiline_and_quotes():
    items = read(FIX / "articles.csv")
    c1, c2 = articles(items)
    assert not problems(items)
    assert (c1.id, c1.title, c1.date, c1.source, c1.meta) == (
        "c1", "Fare freeze agreed", "2025-03-14", "Velmora Post", {"extra": "a"})
    assert c2.text == 'Operators said the freeze "buys time" for talks.\nA second line of the same story.'
    assert c2.date == "2025-03-14"  # day-first 14/03/2025
    assert c2.origin == f"{FIX / 'articles.csv'}#2"


def test_tsv(tmp_path):
    p = tmp_path / "a.tsv"
    p.write_text("headline\tarticle\tdate\nT1\tBody one.\t2025-01-05\n")
    [a] = articles(read(p))
    assert (a.title, a.text, a.date) == ("T1", "Body one.", "2025-01-05")


# ------------------------------------------------------------------------------------------------ html / feeds

def test_html_via_trafilatura_and_htmldate():
    [a] = articles(read(FIX / "page.html"))
    assert a.title == "Ferry fares frozen after harbour talks"
    assert a.url == "https://velmorapost.example/2025/03/14/ferry-fares-frozen"
    assert a.date == "2025-03-14"
    assert a.source == "velmorapost.example"
    paras = a.text.split("\n\n")
    assert len(paras) == 3 and paras[0].startswith("The Velmora harbour council agreed")
    assert "Home" not in a.text


def test_rss_feed_content_encoded_and_summary():
    items = read(FIX / "feed.rss")
    a, b = articles(items)
    assert a.text == "The harbour council agreed to freeze ferry fares.\n\nOperators welcomed the decision."
    assert (a.id, a.title, a.date, a.url) == ("https://coastal-ledger.example/news/fare-freeze", "Fare freeze agreed",
                                              "2025-03-14", "https://coastal-ledger.example/news/fare-freeze")
    assert a.source == "Coastal Ledger - Harbour"  # the feed's title names the outlet, not the URL host
    assert b.text == "Operators will meet again next week."  # HTML stripped from the summary
    assert b.date == "2025-03-15" and b.origin.endswith("feed.rss#2")


def test_atom_feed():
    [a] = articles(read(FIX / "feed.atom"))
    assert (a.id, a.title, a.date, a.url) == ("urn:example:velmora:1", "Harbour talks end", "2025-03-14",
                                              "https://velmorapost.example/harbour-talks-end")
    assert a.text == "Talks between the council and the operators ended on Thursday."


def test_xml_extension_with_feed_root(tmp_path):
    p = tmp_path / "news.xml"
    shutil.copy(FIX / "feed.rss", p)
    assert len(articles(read(p))) == 2


# ------------------------------------------------------------------------------------------------ gzip / dirs

@pytest.mark.parametrize("name", ["articles.jsonl", "articles.csv", "seed_dateline.txt", "page.html", "feed.rss"])
def test_gzip_is_transparent(tmp_path, name):
    plain = articles(read(FIX / name))
    gz = tmp_path / (name + ".gz")
    gz.write_bytes(gzip.compress((FIX / name).read_bytes()))
    zipped = articles(read(gz))
    assert [(a.id, a.text, a.date, a.title) for a in zipped] == [(a.id, a.text, a.date, a.title) for a in plain]
    assert zipped[0].source != "articles.jsonl"  # the stem drops both suffixes


def test_directory_recursive_sorted_skipping_hidden(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.txt").write_text("second file body")
    (tmp_path / "a.txt").write_text("first file body")
    (tmp_path / ".hidden.txt").write_text("hidden body")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.txt").write_text("hidden dir body")
    (tmp_path / "c.jsonl").write_text('{"text": "third"}\n')
    arts = articles(read(tmp_path))
    assert [a.text.strip() for a in arts] == ["first file body", "second file body", "third"]


def test_fixture_directory_reads_everything_without_errors():
    items = read(FIX)
    assert not [p for p in problems(items) if p.severity == "error"]
    assert len(articles(items)) == 14


def test_streaming_generator_yields_before_reading_everything(tmp_path):
    p = tmp_path / "big.jsonl"
    with p.open("w") as f:
        for i in range(1000):
            f.write(json.dumps({"id": f"r{i}", "text": f"body {i}"}) + "\n")
    it = read_inputs([str(p)])
    first = next(it)
    assert isinstance(first, Article) and first.id == "r0"
    it.close()


# ------------------------------------------------------------------------------------------------ stdin

@pytest.mark.parametrize("fixture,expected", [
    ("seed_dateline.txt", 1), ("articles.jsonl", 3), ("page.html", 1), ("feed.rss", 2),
    ("operators_statement.txt", 1),
])
def test_stdin_sniffs_format(fixture, expected):
    data = (FIX / fixture).read_bytes()
    items = read("-", stdin=io.BytesIO(data))
    arts = articles(items)
    assert len(arts) == expected
    assert all(a.origin.startswith("stdin") for a in arts)


def test_stdin_json_document_and_gzip():
    doc = json.dumps([{"text": "a body"}, {"text": "b body"}]).encode()
    assert len(articles(read("-", stdin=io.BytesIO(doc)))) == 2
    arts = articles(read("-", stdin=io.BytesIO(gzip.compress((FIX / "articles.jsonl").read_bytes()))))
    assert [a.origin for a in arts] == ["stdin:1", "stdin:2", "stdin:3"]
    assert arts[2].source == "stdin"


# ------------------------------------------------------------------------------------------------ URLs

class _Handler(http.server.BaseHTTPRequestHandler):
    routes: dict[str, tuple[int, str, bytes]] = {}

    def do_GET(self):  # noqa: N802
        status, ctype, body = self.routes.get(self.path, (404, "text/plain", b"not found"))
        self.send_response(status)
        if status in (301, 302):
            self.send_header("Location", body.decode())
            body = b""
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    _Handler.routes = {
        "/page": (200, "text/html; charset=utf-8", (FIX / "page.html").read_bytes()),
        "/feed": (200, "application/rss+xml", (FIX / "feed.rss").read_bytes()),
        "/xmlfeed": (200, "text/xml", (FIX / "feed.atom").read_bytes()),
        "/2025/03/10/note.txt": (200, "text/plain; charset=utf-8", b"A plain text note about the ferry fares.\n"),
        "/data.jsonl": (200, "application/x-ndjson", (FIX / "articles.jsonl").read_bytes()),
        "/moved": (302, "text/plain", b"/page"),
        "/big": (200, "text/plain", b"x" * 5000),
    }
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    t = threading.Thread(target=httpd.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_url_html_with_allow_private(server):
    [a] = articles(read(server + "/page", allow_private=True))
    assert a.title == "Ferry fares frozen after harbour talks"
    assert a.origin == server + "/page"
    assert a.source == "127.0.0.1"
    assert a.url == "https://velmorapost.example/2025/03/14/ferry-fares-frozen"  # canonical link wins


def test_url_feed_and_xml_feed_and_text_and_jsonl(server):
    assert len(articles(read(server + "/feed", allow_private=True))) == 2
    assert len(articles(read(server + "/xmlfeed", allow_private=True))) == 1
    [t] = articles(read(server + "/2025/03/10/note.txt", allow_private=True))
    assert t.date == "2025-03-10" and t.url == server + "/2025/03/10/note.txt"
    assert len(articles(read(server + "/data.jsonl", allow_private=True))) == 3


def test_url_redirect_followed(server):
    [a] = articles(read(server + "/moved", allow_private=True))
    assert a.title == "Ferry fares frozen after harbour talks"


def test_url_private_refused_without_allow_private(server):
    items = read(server + "/page")
    assert not articles(items)
    [p] = problems(items)
    assert p.where == server + "/page"
    assert "refused" in p.reason and "127.0.0.1" in p.reason


def test_url_size_cap(server):
    [p] = problems(read(server + "/big", allow_private=True, max_bytes=1000))
    assert "too large" in p.reason


# ------------------------------------------------------------------------------------------------ real seeds

def test_real_seed_files_if_present():
    seeds = SHARED / "seeds"
    if not seeds.is_dir():
        pytest.skip(f"{seeds} not present")
    items = read(seeds)
    arts = articles(items)
    assert len(arts) == 2 and not problems(items)
    assert {a.date for a in arts} == {"2020-10-21"}


def test_source_from_dir_names_outlet_after_the_folder(tmp_path):
    outlet = tmp_path / "harbor-ledger"
    outlet.mkdir()
    (outlet / "story.txt").write_text(" date 2026-03-02 The ferry council met again on Monday to set fares.\n")
    mixed = tmp_path / "Valeska Daily"
    mixed.mkdir()
    (mixed / "other.txt").write_text(" date 2026-03-03 Fares were frozen for a year, the council said.\n")
    arts = articles(read_inputs([str(tmp_path)], source_from_dir=True))
    assert sorted(a.source for a in arts) == ["Harbor Ledger", "Valeska Daily"]
    # without the option the file name stands in for the missing outlet
    assert sorted(a.source for a in articles(read_inputs([str(tmp_path)]))) == ["other", "story"]
