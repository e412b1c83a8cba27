"""Bad input: every kind yields an IngestProblem naming the place and the reason, and the batch goes on."""

from __future__ import annotations

import builtins
import gzip
import http.server
import json
import os
import socket
import threading
from pathlib import Path

import pytest

from storyline.ingest import read_inputs
from storyline.model import Article, IngestProblem

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "ingest"
GOOD = FIX / "seed_inline.txt"


def read(*inputs, **kw):
    return list(read_inputs([str(i) for i in inputs], **kw))


def split(items):
    return ([x for x in items if isinstance(x, Article)], [x for x in items if isinstance(x, IngestProblem)])


def one_problem(*inputs, **kw) -> IngestProblem:
    """Read the bad input followed by a good file: exactly one problem, and the good article still arrives."""
    arts, probs = split(read(*inputs, GOOD, **kw))
    assert len(probs) == 1, probs
    assert arts and arts[-1].origin == str(GOOD), "the rest of the batch must go on"
    assert str(probs[0]).startswith(probs[0].where + ": ")
    assert "\n" not in str(probs[0])
    return probs[0]


def test_missing_path(tmp_path):
    p = one_problem(tmp_path / "nope.txt")
    assert p.where == str(tmp_path / "nope.txt") and p.reason == "no such file or directory"
    assert p.severity == "error"


def test_permission_denied(tmp_path, monkeypatch):
    f = tmp_path / "locked.txt"
    f.write_text("secret body")
    real_open = builtins.open

    def guarded_open(file, *a, **k):
        if str(file) == str(f):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *a, **k)

    if os.geteuid() == 0:  # root ignores file modes: simulate the OS refusal instead
        monkeypatch.setattr(builtins, "open", guarded_open)
    else:
        f.chmod(0)
    p = one_problem(f)
    assert p.where == str(f) and p.reason == "permission denied"


def test_empty_directory(tmp_path):
    d = tmp_path / "empty"
    d.mkdir()
    (d / ".hidden").write_text("ignored")
    p = one_problem(d)
    assert p.where == str(d) and "empty directory" in p.reason


def test_binary_file(tmp_path):
    f = tmp_path / "blob.txt"
    f.write_bytes(b"text\x00\x01\x02 more")
    p = one_problem(f)
    assert "binary file" in p.reason and "NUL" in p.reason


def test_undecodable_bytes(tmp_path):
    f = tmp_path / "bad.txt"
    f.write_bytes(b"caf\xc3 and \x81\x8d bytes that are neither utf-8 nor cp1252")
    p = one_problem(f)
    assert "undecodable" in p.reason


def test_cp1252_fallback_is_noted_in_meta(tmp_path):
    f = tmp_path / "latin.txt"
    f.write_bytes("Caf\u00e9 owners said the \u201cfare\u201d rose.".encode("cp1252"))
    arts, probs = split(read(f))
    assert not probs
    assert arts[0].text.startswith("Caf\u00e9 owners said the \u201cfare\u201d")
    assert arts[0].meta["encoding"] == "cp1252"
    j = tmp_path / "latin.jsonl"
    j.write_bytes('{"text": "Caf\u00e9 report"}\n'.encode("cp1252"))
    [a] = split(read(j))[0]
    assert a.text == "Caf\u00e9 report" and a.meta["encoding"] == "cp1252"


def test_utf16_and_utf8_bom(tmp_path):
    f = tmp_path / "wide.txt"
    f.write_bytes(b"\xff\xfe" + "A UTF-16 body about the harbour.".encode("utf-16-le"))
    g = tmp_path / "bom.jsonl"
    g.write_bytes(b"\xef\xbb\xbf" + json.dumps({"text": "with a BOM"}).encode() + b"\n")
    h = tmp_path / "wide.csv"
    h.write_bytes("text,date\nwide csv body,2025-01-01\n".encode("utf-16"))
    arts, probs = split(read(f, g, h))
    assert not probs
    assert [a.text for a in arts] == ["A UTF-16 body about the harbour.", "with a BOM", "wide csv body"]


def test_empty_file(tmp_path):
    f = tmp_path / "empty.jsonl"
    f.write_bytes(b"")
    p = one_problem(f)
    assert p.reason == "empty file"
    w = tmp_path / "blank.txt"
    w.write_text("   \n\n  ")
    assert one_problem(w).reason == "empty file"


def test_empty_text_field(tmp_path):
    f = tmp_path / "a.jsonl"
    f.write_text('{"id": "x1", "text": ""}\n{"id": "x2", "text": "   "}\n{"id": "x3", "text": "fine"}\n')
    arts, probs = split(read(f))
    assert [a.id for a in arts] == ["x3"]
    assert [(p.where, p.reason) for p in probs] == [
        (f"{f}:1", "empty text field 'text'"), (f"{f}:2", "empty text field")]


def test_truncated_gzip(tmp_path):
    data = gzip.compress(b"".join(json.dumps({"id": f"g{i}", "text": "body " * 50}).encode() + b"\n"
                                  for i in range(200)))
    f = tmp_path / "cut.jsonl.gz"
    f.write_bytes(data[: len(data) // 2])
    arts, probs = split(read(f))
    assert arts, "records before the cut are kept"
    assert any("truncated gzip" in p.reason and p.where == str(f) for p in probs)
    t = tmp_path / "cut.txt.gz"
    t.write_bytes(gzip.compress(b"some text " * 1000)[:60])
    assert "truncated gzip" in one_problem(t).reason


def test_not_a_gzip_file(tmp_path):
    f = tmp_path / "fake.txt.gz"
    f.write_text("plain text pretending")
    assert "not a gzip file" in one_problem(f).reason


def test_truncated_and_invalid_json_lines_name_the_line(tmp_path):
    f = tmp_path / "a.jsonl"
    f.write_text('{"id": "ok1", "text": "one"}\n{"id": "bad", "text": "unterminated\n{"id": "ok2", "text": "two"}\n'
                 'not json at all\n{"id": "cut", "te')
    arts, probs = split(read(f))
    assert [a.id for a in arts] == ["ok1", "ok2"]
    assert [p.where for p in probs] == [f"{f}:2", f"{f}:4", f"{f}:5"]
    assert all("invalid JSON" in p.reason for p in probs)
    assert probs[-1].reason.startswith("truncated or invalid JSON")


def test_invalid_json_document(tmp_path):
    f = tmp_path / "doc.json"
    f.write_text('[{"text": "a"}, {"text": ')
    p = one_problem(f)
    assert p.where == str(f) and "invalid JSON" in p.reason and "line 1" in p.reason


def test_csv_row_with_wrong_column_count(tmp_path):
    f = tmp_path / "a.csv"
    f.write_text("id,text,date\nr1,first body,2025-01-01\nr2,too,many,columns\nr3,third body,2025-01-03\n")
    arts, probs = split(read(f))
    assert [a.id for a in arts] == ["r1", "r3"]
    [p] = probs
    assert p.where == f"{f}#2" and p.reason == "row has 4 columns, header has 3"


def test_json_record_not_an_object(tmp_path):
    f = tmp_path / "a.jsonl"
    f.write_text('["a", "list"]\n"a string"\n{"text": "fine"}\n')
    arts, probs = split(read(f))
    assert len(arts) == 1
    assert [(p.where, p.reason) for p in probs] == [
        (f"{f}:1", "JSON record is a list, not an object"), (f"{f}:2", "JSON record is a string, not an object")]
    g = tmp_path / "b.json"
    g.write_text('[{"text": "fine"}, 42]')
    arts, probs = split(read(g))
    assert len(arts) == 1 and probs[0].where == f"{g}#2" and "number" in probs[0].reason


def test_missing_text_field_lists_fields_found(tmp_path):
    f = tmp_path / "a.jsonl"
    f.write_text('{"id": "n1", "headline": "Only a title", "when": "2025-01-01"}\n')
    [p] = split(read(f))[1]
    assert p.where == f"{f}:1"
    assert "no text field" in p.reason and "'id'" in p.reason and "'headline'" in p.reason and "'when'" in p.reason


def test_invalid_date_keeps_article_with_warning(tmp_path):
    f = tmp_path / "a.jsonl"
    f.write_text('{"id": "d1", "text": "body", "date": "sometime soon"}\n'
                 '{"id": "d2", "text": "body", "date": "2025-02-30"}\n'
                 '{"id": "d3", "text": "body", "date": "March 2025"}\n')
    arts, probs = split(read(f))
    assert [a.id for a in arts] == ["d1", "d2", "d3"]
    assert all(a.date is None for a in arts)
    assert arts[0].meta["invalid_date"] == "sometime soon"
    assert [p.severity for p in probs] == ["warning"] * 3
    assert probs[0].where == f"{f}:1" and "invalid date 'sometime soon'" in probs[0].reason
    assert str(probs[0]).startswith(f"{f}:1: warning: ")


def test_oversized_file_checked_before_reading(tmp_path, monkeypatch):
    f = tmp_path / "big.txt"
    f.write_text("x" * 5000)
    real_open = builtins.open

    def no_open(file, *a, **k):
        if str(file) == str(f):
            raise AssertionError("an oversized file must not be opened")
        return real_open(file, *a, **k)

    monkeypatch.setattr(builtins, "open", no_open)
    p = one_problem(f, max_bytes=1000)
    assert "too large" in p.reason and "5000" in p.reason


def test_oversized_once_decompressed(tmp_path):
    f = tmp_path / "bomb.txt.gz"
    f.write_bytes(gzip.compress(b"a" * 100_000))
    assert "too large" in one_problem(f, max_bytes=10_000).reason


def test_malformed_feed_xml(tmp_path):
    f = tmp_path / "broken.rss"
    f.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></chan')
    p = one_problem(f)
    assert "malformed feed XML" in p.reason
    # entries that can be recovered from a broken feed are kept, with a warning about the XML
    g = tmp_path / "partial.rss"
    g.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>'
                 '<item><title>A</title><description>Recovered body.</description></item><item><title>unclosed')
    arts, probs = split(read(g))
    assert [a.text for a in arts] == ["Recovered body."]
    assert probs[0].severity == "warning" and "not well-formed" in probs[0].reason


def test_xml_without_feed_root(tmp_path):
    f = tmp_path / "data.xml"
    f.write_text('<?xml version="1.0"?><catalog><book>x</book></catalog>')
    assert "feed root" in one_problem(f).reason


def test_unsupported_extension(tmp_path):
    f = tmp_path / "scan.pdf"
    f.write_bytes(b"%PDF-1.4\x00\x01\x02binary")
    p = one_problem(f)
    assert "unsupported file type '.pdf'" in p.reason
    t = tmp_path / "notes.log"
    t.write_text("A plain text log line that reads as an article.")
    arts, probs = split(read(t))
    assert not probs and arts[0].text.startswith("A plain text log line")


def test_symlink_loops(tmp_path):
    loop = tmp_path / "loop.txt"
    os.symlink(loop, loop)
    p = one_problem(loop)
    assert p.reason == "symlink loop"
    d = tmp_path / "tree"
    (d / "sub").mkdir(parents=True)
    (d / "sub" / "a.txt").write_text("a body inside the tree")
    os.symlink(d, d / "sub" / "back")
    arts, probs = split(read(d))
    assert [a.text for a in arts] == ["a body inside the tree"]
    assert [(p.where, p.severity) for p in probs] == [(str(d / "sub" / "back"), "warning")]
    assert "symlink loop" in probs[0].reason


def test_url_refused_for_private_hosts():
    for url in ("http://127.0.0.1:9/x", "http://localhost:9/x", "http://10.1.2.3/x", "http://169.254.169.254/latest",
                "http://[::1]:9/x", "http://224.0.0.1/x"):
        p = one_problem(url)
        assert p.where == url and p.reason.startswith("URL refused")


def test_url_refused_after_redirect_to_private():
    from storyline.ingest.fetch import URLRefused, _CheckingRedirects

    handler = _CheckingRedirects(allow_private=False)
    with pytest.raises(URLRefused):
        handler.redirect_request(None, None, 302, "Found", {}, "http://127.0.0.1/secret")


def test_url_fetch_failure():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there now
    p = one_problem(f"http://127.0.0.1:{port}/x", allow_private=True)
    assert p.reason.startswith("URL fetch failed")


class _Slow(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802
        if self.path == "/missing":
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        threading.Event().wait(3)

    def log_message(self, *args):
        pass


def test_url_http_error_and_timeout(monkeypatch):
    import storyline.ingest.fetch as fetch_mod

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Slow)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    try:
        p = one_problem(base + "/missing", allow_private=True)
        assert p.reason == "URL fetch failed: HTTP 404 Not Found"
        real = fetch_mod.fetch
        monkeypatch.setattr(fetch_mod, "fetch", lambda url, **kw: real(url, **kw, timeout=0.5))
        p = one_problem(base + "/slow", allow_private=True)
        assert p.reason.startswith("URL fetch failed") and "timed out" in p.reason
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_stdin_empty():
    import io

    [p] = read("-", stdin=io.BytesIO(b"  \n"))
    assert (p.where, p.reason) == ("stdin", "empty input")


def test_feed_entry_without_text(tmp_path):
    f = tmp_path / "f.rss"
    f.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
                 '<item><title>Only a title</title><link>https://example.org/a</link></item>'
                 '<item><title>B</title><description>Body text.</description></item></channel></rss>')
    arts, probs = split(read(f))
    assert len(arts) == 1 and probs[0].where == f"{f}#1" and "no text" in probs[0].reason
