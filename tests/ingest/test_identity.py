from __future__ import annotations

import hashlib

from storyline.ingest.identity import assign_identity, content_hash, normalise_url
from storyline.model import Article


def test_content_hash_folds_case_and_whitespace():
    a = assign_identity(Article(id="x", title="Fare  Freeze", text="The council\n\nagreed."))
    b = assign_identity(Article(id="y", title="fare freeze", text="  THE council agreed.  "))
    assert a.content_hash == b.content_hash
    assert a.content_hash == hashlib.sha1("fare freeze\nthe council agreed.".encode()).hexdigest()
    c = assign_identity(Article(id="z", title="fare freeze", text="The council disagreed."))
    assert c.content_hash != a.content_hash


def test_title_and_text_are_separated_in_the_hash():
    assert content_hash("a b", "c") != content_hash("a", "b c")
    assert content_hash(None, "c") == content_hash("", "c")


def test_existing_id_kept():
    a = assign_identity(Article(id="vl-001", text="body", url="https://example.org/a"))
    assert a.id == "vl-001"


def test_id_from_normalised_url():
    a = assign_identity(Article(id="", text="body",
                                url="HTTPS://News.Example.ORG/Path/Story?utm_source=rss&id=7&utm_medium=x#comments"))
    assert a.id == "https://news.example.org/Path/Story?id=7"
    assert a.url.startswith("HTTPS://")  # the url field itself is left as given


def test_id_from_hash_without_url():
    a = assign_identity(Article(id="", title="T", text="some body"))
    assert a.id == "sha1:" + a.content_hash[:16]
    assert len(a.id) == 5 + 16
    again = assign_identity(Article(id="  ", title="t", text="SOME   body"))
    assert again.id == a.id


def test_normalise_url_details():
    assert normalise_url("http://Example.com:80") == "http://example.com/"
    assert normalise_url("https://example.com:8443/a?b=1&utm_campaign=z") == "https://example.com:8443/a?b=1"
    assert normalise_url("https://example.com/a?q=x%20y") == "https://example.com/a?q=x%20y"  # untouched
    assert normalise_url("https://example.com/a?utm_source=x") == "https://example.com/a"
    assert normalise_url("not a url") == "not a url"


def test_input_not_mutated():
    src = Article(id="", text="body")
    out = assign_identity(src)
    assert src.id == "" and src.content_hash is None and out is not src
