"""JSON API: every endpoint, auth refusal, cursor pagination, bad parameters, body limit, idempotent upload."""

from __future__ import annotations

import json

import pytest
from web.webcorpus import TOKEN, XSS_TITLE, corpus

from storyline.export import article_row
from storyline.store import Store

API = "/api/v1"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def walk(client, url: str, params: dict | None = None, limit: int = 4) -> list[dict]:
    """Every item of a listing, following next_cursor until it is null."""
    items: list[dict] = []
    cursor = None
    for _ in range(1000):
        q = dict(params or {}, limit=limit)
        if cursor:
            q["cursor"] = cursor
        r = client.get(url, params=q)
        assert r.status_code == 200, r.text
        body = r.json()
        assert set(body) == {"items", "next_cursor"}
        assert len(body["items"]) <= limit
        items += body["items"]
        cursor = body["next_cursor"]
        if not cursor:
            return items
    raise AssertionError("pagination did not end")


def assert_error(r, status: int) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert set(body) == {"error", "detail"} and isinstance(body["error"], str) and body["error"]
    return body


# -- articles ---------------------------------------------------------------------------------------------------
def test_articles_cursor_walks_every_article_exactly_once(client, db_path):
    items = walk(client, f"{API}/articles", limit=4)
    ids = [a["id"] for a in items]
    assert len(ids) == len(set(ids)) == len(corpus())
    with Store(db_path, readonly=True) as store:
        assert ids == [a.id for a in store.iter_articles()]  # the store's order
        assert items[0] == article_row(store.get_article(ids[0]))  # the export shape


def test_articles_filters(client):
    lantern = walk(client, f"{API}/articles", {"source": "Lantern Post"}, limit=2)
    assert lantern and all(a["source"] == "Lantern Post" for a in lantern)
    assert len(lantern) == sum(1 for a in corpus() if a.source == "Lantern Post")
    march = walk(client, f"{API}/articles", {"since": "2026-03-01", "until": "2026-03-05"}, limit=3)
    expected = {a.id for a in corpus() if a.date and "2026-03-01" <= a.date <= "2026-03-05"}
    assert {a["id"] for a in march} == expected
    assert walk(client, f"{API}/articles", {"source": "No Such Outlet"}) == []


def test_article_by_id_including_ids_with_slashes(client, fresh_db):
    r = client.get(f"{API}/articles/xss-1")
    assert r.status_code == 200
    assert r.json()["title"] == XSS_TITLE
    assert_error(client.get(f"{API}/articles/nope"), 404)

    from fastapi.testclient import TestClient

    from storyline.api import create_app

    with TestClient(create_app(fresh_db, token=TOKEN)) as c:
        r = c.post(f"{API}/articles", headers=AUTH, json=[
            {"id": "https://paper.example/a/b?x=1", "title": "Slashes", "text": "An id that is a URL with slashes.",
             "date": "2026-03-01", "source": "Paper"}])
        assert r.status_code == 200 and r.json()["ingested"] == 1
        from urllib.parse import quote

        got = c.get(f"{API}/articles/" + quote("https://paper.example/a/b?x=1", safe=""))
        assert got.status_code == 200 and got.json()["id"] == "https://paper.example/a/b?x=1"


@pytest.mark.parametrize("query", [
    "limit=0", "limit=201", "limit=abc", "since=2026-02-30", "since=yesterday", "until=2026-13-01",
    "since=2026-03-05&until=2026-03-01", "cursor=%%%", "cursor=bm90LWpzb24", "cursor=eyJrIjoic2VhcmNoIiwidiI6Mn0",
    "cursor=eyJrIjoiYXJ0aWNsZXMiLCJ2IjoiYSJ9", "source=" + "x" * 400,
])
def test_articles_bad_parameters_are_4xx_json(client, query):
    assert_error(client.get(f"{API}/articles?{query}"), 400)


# -- search -----------------------------------------------------------------------------------------------------
def test_search_ranks_highlights_and_filters(client):
    r = client.get(f"{API}/search", params={"q": "ferry strike"})
    assert r.status_code == 200
    hits = r.json()["items"]
    assert hits and "strike" in (hits[0]["title"] or "").lower()
    assert all("<mark>" in h["snippet_html"] for h in hits)
    assert all("\ue000" not in h["snippet"] and "<mark>" not in h["snippet"] for h in hits)
    only = client.get(f"{API}/search", params={"q": "bridge", "source": "Quayside Daily"}).json()["items"]
    assert only and {h["source"] for h in only} == {"Quayside Daily"}
    dated = client.get(f"{API}/search", params={"q": "bridge", "since": "2026-03-09"}).json()["items"]
    assert dated and all(h["date"] >= "2026-03-09" for h in dated)


def test_search_snippet_is_escaped_before_marking(client):
    hits = client.get(f"{API}/search", params={"q": "never run"}).json()["items"]
    hit = next(h for h in hits if h["id"] == "xss-1")
    assert "&lt;b&gt;" in hit["snippet_html"] and "<b>" not in hit["snippet_html"]
    assert "<mark>never</mark>" in hit["snippet_html"]
    assert "[brackets]" in hit["snippet_html"]


def test_search_pagination_and_odd_queries(client):
    items = walk(client, f"{API}/search", {"q": "Velmora"}, limit=5)
    ids = [h["id"] for h in items]
    assert len(ids) == len(set(ids)) > 10
    for q in ['"', "AND OR NOT", "*", "NEAR(", "-", "a:b", "\u0000", "😀"]:
        r = client.get(f"{API}/search", params={"q": q})
        assert r.status_code == 200, (q, r.text)
    assert_error(client.get(f"{API}/search"), 400)
    assert_error(client.get(f"{API}/search?q="), 400)
    assert_error(client.get(f"{API}/search", params={"q": "x", "cursor": walk_cursor(client)}), 400)


def walk_cursor(client) -> str:
    """An articles cursor, which the search listing must refuse."""
    return client.get(f"{API}/articles", params={"limit": 1}).json()["next_cursor"]


# -- uploads ----------------------------------------------------------------------------------------------------
def _records():
    return [
        {"id": "up-1", "headline": "Lighthouse keeper retires", "body": "The last keeper of the Orlan lighthouse "
         "retired on Friday after forty years, the harbour office said.", "published": "2026-04-03",
         "outlet": "Coast Weekly"},
        {"title": "No text here", "date": "2026-04-03"},
        {"id": "up-2", "title": "Bad date kept", "text": "A record with a date nobody can read.", "date": "soon"},
    ]


def test_upload_needs_a_token(fresh_db):
    from fastapi.testclient import TestClient

    from storyline.api import create_app

    with TestClient(create_app(fresh_db, token=TOKEN)) as c:
        body = assert_error(c.post(f"{API}/articles", json=_records()), 401)
        assert "Bearer" in body["detail"]
        assert_error(c.post(f"{API}/articles", json=_records(), headers={"Authorization": "Bearer wrong"}), 401)
        assert_error(c.post(f"{API}/articles", json=_records(), headers={"Authorization": f"Basic {TOKEN}"}), 401)
        assert c.get(f"{API}/articles").json()["items"] == []
    with TestClient(create_app(fresh_db)) as c:  # no token configured: writes refused outright
        assert_error(c.post(f"{API}/articles", json=_records(), headers=AUTH), 403)


def test_upload_reports_problems_and_is_idempotent(fresh_db):
    from fastapi.testclient import TestClient

    from storyline.api import create_app

    with TestClient(create_app(fresh_db, token=TOKEN)) as c:
        r = c.post(f"{API}/articles", json={"articles": _records()}, headers=AUTH)
        assert r.status_code == 200, r.text
        report = r.json()
        assert report["ingested"] == 2 and report["read"] == 2
        problems = report["problems"]
        assert any(p["severity"] == "error" and "#2" in p["where"] and "text" in p["reason"] for p in problems)
        assert any(p["severity"] == "warning" and "#3" in p["where"] for p in problems)
        got = c.get(f"{API}/articles/up-1").json()
        assert got["title"] == "Lighthouse keeper retires" and got["source"] == "Coast Weekly"
        assert got["date"] == "2026-04-03"
        again = c.post(f"{API}/articles", json=_records(), headers=AUTH).json()
        assert again["ingested"] == 0 and again["already_stored"] == 2
        ids = [a["id"] for a in c.get(f"{API}/articles").json()["items"]]
        assert sorted(ids) == ["up-1", "up-2"]


@pytest.mark.parametrize("body", [b"not json", b"42", b'"text"', b"{}", b'{"articles": 3}', b"[]", b"\xff\xfe"])
def test_upload_bad_bodies_are_400(fresh_db, body):
    from fastapi.testclient import TestClient

    from storyline.api import create_app

    with TestClient(create_app(fresh_db, token=TOKEN)) as c:
        assert_error(c.post(f"{API}/articles", content=body, headers=AUTH), 400)


def test_upload_over_the_size_limit_is_413(fresh_db):
    from fastapi.testclient import TestClient

    from storyline.api import create_app

    with TestClient(create_app(fresh_db, token=TOKEN, max_body_bytes=10_000)) as c:
        big = json.dumps([{"text": "word " * 3000}]).encode()
        assert_error(c.post(f"{API}/articles", content=big, headers=AUTH), 413)

        def chunks():  # streamed without Content-Length
            for _ in range(5):
                yield b" " * 4000

        assert_error(c.post(f"{API}/articles", content=chunks(), headers=AUTH), 413)
        assert c.get(f"{API}/articles").json()["items"] == []


# -- the rest of the surface ------------------------------------------------------------------------------------
def test_security_headers_on_every_kind_of_response(client):
    for url in ["/", "/search?q=bridge", f"{API}/articles", f"{API}/articles/nope", "/static/app.js", "/docs",
                "/openapi.json", "/no-such-page"]:
        r = client.get(url)
        csp = r.headers["content-security-policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["referrer-policy"] == "no-referrer"


def test_openapi_and_local_docs(client):
    spec = client.get("/openapi.json").json()
    for path in ["/api/v1/articles", "/api/v1/articles/{article_id}", "/api/v1/search"]:
        assert path in spec["paths"], sorted(spec["paths"])
    docs = client.get("/docs").text
    assert "/static/swagger-ui-bundle.js" in docs and "//cdn" not in docs and "https://" not in docs
    assert client.get("/static/swagger-ui-bundle.js").status_code == 200


def test_unknown_api_path_and_method_are_json(client):
    assert_error(client.get(f"{API}/nothing"), 404)
    assert_error(client.delete(f"{API}/articles/xss-1"), 405)


# -- events, storylines, entities, claims, timeline -------------------------------------------------------------
def test_events_walk_filters_and_single(client, db_path):
    from storyline.export import event_export_row

    items = walk(client, f"{API}/events", limit=1)
    with Store(db_path, readonly=True) as store:
        live = store.list_events()
        assert sorted(e["event_id"] for e in items) == sorted(e.id for e in live) and len(items) == len(live) >= 3
        first = store.get_event(items[0]["event_id"])
        assert items[0] == event_export_row(first, store.events_who_said_what([first.id])[first.id])  # export shape
    starts = [e["start"] or "" for e in items]
    assert starts == sorted(starts, reverse=True)  # latest first
    bridge = next(e for e in items if "quayside-daily-2026-03-02-2" in e["article_ids"])
    one = client.get(f"{API}/events/{bridge['event_id']}").json()
    assert {k: v for k, v in one.items() if k != "summary"} == bridge
    assert one["summary"] and all(set(s) == {"text", "article_ids"} for s in one["summary"])
    assert all(set(s["article_ids"]) <= set(one["article_ids"]) for s in one["summary"])
    courier = walk(client, f"{API}/events", {"source": "Northern Courier"})
    assert courier and all("Northern Courier" in e["sources"] for e in courier)
    late = walk(client, f"{API}/events", {"since": "2026-03-09"})
    assert late and all((e["end"] or e["start"]) >= "2026-03-09" for e in late)
    assert_error(client.get(f"{API}/events/ev-nope"), 404)
    assert_error(client.get(f"{API}/events", params={"cursor": walk_cursor(client)}), 400)


def test_stories_and_timeline(client, db_path):
    stories = walk(client, f"{API}/stories", limit=1)
    with Store(db_path, readonly=True) as store:
        assert sorted(s["story_id"] for s in stories) == sorted(s.id for s in store.list_stories())
    story = max(stories, key=lambda s: len(s["event_ids"]))
    sid = story["story_id"]
    assert client.get(f"{API}/stories/{sid}").json() == story
    events = walk(client, f"{API}/events", {"story": sid})
    assert sorted(e["event_id"] for e in events) == sorted(story["event_ids"])
    tl = client.get(f"{API}/timeline", params={"story": sid}).json()
    assert tl["story_id"] == sid and tl["items"]
    days = [t["date"] for t in tl["items"]]
    assert days == sorted(days) and all(set(t) >= {"date", "sentences", "article_ids"} for t in tl["items"])
    assert client.get(f"{API}/timeline", params={"q": "ferry strike", "dates": 3}).status_code == 200
    assert_error(client.get(f"{API}/timeline"), 400)
    assert_error(client.get(f"{API}/timeline", params={"story": sid, "q": "x"}), 400)
    assert_error(client.get(f"{API}/timeline", params={"story": "st-nope"}), 404)
    assert_error(client.get(f"{API}/timeline", params={"story": sid, "dates": 0}), 400)
    assert_error(client.get(f"{API}/stories/st-nope"), 404)


def test_entities_and_claims(client, db_path):
    entities = walk(client, f"{API}/entities", limit=3)
    with Store(db_path, readonly=True) as store:
        everything = store.list_entities()
    assert sorted(e["id"] for e in entities) == sorted(e["id"] for e in everything)
    names = [(e["name"], e["id"]) for e in entities]
    assert names == sorted(names)
    brandt = next(e for e in entities if "Brandt" in e["name"])
    assert client.get(f"{API}/entities/{brandt['id']}").json() == brandt
    assert brandt == next(e for e in everything if e["id"] == brandt["id"])  # export shape
    people = walk(client, f"{API}/entities", {"type": "person"})
    assert people and all(e["type"] == "PERSON" for e in people)
    assert [e["id"] for e in walk(client, f"{API}/entities", {"name": brandt["name"][:4]})].count(brandt["id"]) == 1
    assert_error(client.get(f"{API}/entities/en-nope"), 404)

    claims = walk(client, f"{API}/claims", limit=2)
    with Store(db_path, readonly=True) as store:
        assert [c["id"] for c in claims] == [c.id for c in store.iter_claims()]
    assert claims and all(set(c) >= {"id", "speaker", "text", "article_id", "event_id", "figures"} for c in claims)
    event = claims[0]["event_id"]
    by_event = walk(client, f"{API}/claims", {"event": event})
    assert by_event and all(c["event_id"] == event for c in by_event)
    lantern = walk(client, f"{API}/claims", {"source": "Lantern Post"})
    assert all(c["article_id"].startswith("lantern-post") for c in lantern)
    spoken = [c for c in claims if c["speaker_entity_id"]]
    if spoken:
        sid = spoken[0]["speaker_entity_id"]
        assert all(c["speaker_entity_id"] == sid for c in walk(client, f"{API}/claims", {"speaker": sid}))


def test_json_answer_bytes_match_the_standard_library_and_fall_back_beyond_orjson():
    """orjson writes the same bytes as ``json.dumps(ensure_ascii=False, separators=(",", ":"))`` (quotes, control
    characters, non-ASCII, U+2028 and floats alike); what it refuses (a figure beyond 64 bits) still answers."""
    from storyline.api import json_answer

    rows = {"items": [{"title": 'Said "no" \u2028 to\tVelmora – 5 km²', "value": 1.5, "n": 12, "none": None,
                       "ok": True, "list": [0.1, -3, "é"]}], "next": None}
    expected = json.dumps(rows, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    assert json_answer(rows).body == expected
    huge = {"figures": [{"value": 10 ** 30}]}
    answer = json_answer(huge)
    assert answer.status_code == 200 and json.loads(answer.body) == huge
