"""The in-memory answer cache: hits, ETag / If-None-Match -> 304, invalidation by any write; serve --workers."""

from __future__ import annotations

import sqlite3

import pytest
from fastapi.testclient import TestClient
from web.webcorpus import TOKEN, corpus

from storyline.api import create_app

API = "/api/v1"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture()
def small_db(tmp_path) -> str:
    from storyline.pipeline import ingest_articles
    from storyline.store import Store

    path = str(tmp_path / "cache.db")
    with Store(path) as store:
        ingest_articles(store, corpus()[:8], batch_size=8)
    return path


def test_repeated_get_is_a_cache_hit_with_the_same_body_and_etag(small_db):
    app = create_app(small_db, token=TOKEN)
    cache = app.state.response_cache
    with TestClient(app) as client:
        first = client.get(f"{API}/events", params={"limit": 5})
        assert first.status_code == 200
        assert cache.misses == 1 and cache.hits == 0
        second = client.get(f"{API}/events", params={"limit": 5})
        assert cache.hits == 1
        assert second.content == first.content
        assert second.headers["etag"] == first.headers["etag"]
        assert second.headers["cache-control"] == "no-cache"
        assert second.headers["content-type"] == first.headers["content-type"]
        assert second.headers["x-content-type-options"] == "nosniff"  # the security headers still apply
        assert (first.headers["x-storyline-cache"], second.headers["x-storyline-cache"]) == ("miss", "hit")
        other = client.get(f"{API}/events", params={"limit": 2})  # another query string is another entry
        assert cache.misses == 2
        assert other.json()["items"] == first.json()["items"][:2]


def test_if_none_match_gives_304_without_body(small_db):
    app = create_app(small_db, token=TOKEN)
    with TestClient(app) as client:
        event_id = client.get(f"{API}/events", params={"limit": 1}).json()["items"][0]["event_id"]
        for url in (f"/events/{event_id}", f"{API}/events/{event_id}", "/search?q=bridge"):
            page = client.get(url)
            assert page.status_code == 200
            etag = page.headers["etag"]
            assert etag.startswith('"') and etag.endswith('"')
            again = client.get(url, headers={"If-None-Match": etag})
            assert again.status_code == 304
            assert again.content == b""
            assert again.headers["etag"] == etag
            assert client.get(url, headers={"If-None-Match": f'"other", W/{etag}'}).status_code == 304
            assert client.get(url, headers={"If-None-Match": '"stale"'}).status_code == 200


def test_htmx_fragment_and_full_page_are_different_entries(small_db):
    app = create_app(small_db)
    with TestClient(app) as client:
        full = client.get("/search?q=bridge")
        fragment = client.get("/search?q=bridge", headers={"HX-Request": "true", "HX-Target": "results"})
        assert full.status_code == fragment.status_code == 200
        assert "<html" in full.text.lower() and "<html" not in fragment.text.lower()
        assert full.headers["etag"] != fragment.headers["etag"]


def test_errors_are_not_cached(small_db):
    app = create_app(small_db)
    cache = app.state.response_cache
    with TestClient(app) as client:
        assert client.get(f"{API}/events/no-such-event").status_code == 404
        assert client.get(f"{API}/events/no-such-event").status_code == 404
        assert cache.hits == 0 and not cache.entries


def test_post_ingest_invalidates_cached_answers(small_db):
    app = create_app(small_db, token=TOKEN)
    cache = app.state.response_cache
    with TestClient(app) as client:
        url = f"{API}/articles"
        before = client.get(url, params={"limit": 200})
        assert client.get(url, params={"limit": 200}).content == before.content and cache.hits == 1
        search_before = client.get(f"{API}/search", params={"q": "herring"}).json()["items"]
        new = {"id": "cache-test-1", "title": "Herring boats return to Velmora", "source": "Market Sheet",
               "date": "2026-03-20", "text": "Herring boats returned to the Velmora market on Friday, traders said."}
        r = client.post(url, json=[new], headers=AUTH)
        assert r.status_code == 200, r.text
        after = client.get(url, params={"limit": 200}, headers={"If-None-Match": before.headers["etag"]})
        assert after.status_code == 200  # the old ETag no longer matches
        ids = [a["id"] for a in after.json()["items"]]
        assert "cache-test-1" in ids and len(ids) == len(before.json()["items"]) + 1
        search_after = client.get(f"{API}/search", params={"q": "herring"}).json()["items"]
        assert "cache-test-1" in [h["id"] for h in search_after]
        assert "cache-test-1" not in [h["id"] for h in search_before]


def test_a_write_by_another_connection_invalidates_too(small_db):
    app = create_app(small_db)
    with TestClient(app) as client:
        event_id = client.get(f"{API}/events", params={"limit": 1}).json()["items"][0]["event_id"]
        first = client.get(f"{API}/events/{event_id}").json()
        assert client.get(f"{API}/events/{event_id}").json() == first  # cached now
        con = sqlite3.connect(small_db)  # e.g. a CLI ingest or another worker
        with con:
            con.execute("UPDATE events SET title = 'Retitled by another process' WHERE id = ?", (event_id,))
        con.close()
        assert client.get(f"{API}/events/{event_id}").json()["title"] == "Retitled by another process"


def test_cache_size_zero_disables_the_cache_but_keeps_etags(small_db):
    app = create_app(small_db, cache_entries=0)
    cache = app.state.response_cache
    with TestClient(app) as client:
        first = client.get(f"{API}/events")
        second = client.get(f"{API}/events", headers={"If-None-Match": first.headers["etag"]})
        assert second.status_code == 304
        assert cache.hits == 0 and not cache.entries
        assert "x-storyline-cache" not in first.headers


def test_cache_is_bounded(small_db):
    app = create_app(small_db, cache_entries=3)
    cache = app.state.response_cache
    with TestClient(app) as client:
        for limit in range(1, 8):
            assert client.get(f"{API}/articles", params={"limit": limit}).status_code == 200
        assert len(cache.entries) == 3


def test_serve_workers_and_cache_size_parse(monkeypatch, tmp_path):
    from typer.testing import CliRunner

    import storyline.api
    from storyline.cli import app as cli_app

    calls = []
    monkeypatch.setattr(storyline.api, "serve", lambda path, **kw: calls.append((path, kw)))
    db = str(tmp_path / "serve.db")
    runner = CliRunner()
    r = runner.invoke(cli_app, ["serve", "--db", db, "--workers", "2", "--cache-size", "0", "--port", "8123"])
    assert r.exit_code == 0, r.output
    assert calls[-1][1]["workers"] == 2 and calls[-1][1]["cache_entries"] == 0 and calls[-1][1]["port"] == 8123
    r = runner.invoke(cli_app, ["serve", "--db", db])
    assert r.exit_code == 0, r.output
    assert calls[-1][1]["workers"] == 1 and calls[-1][1]["cache_entries"] == 2048
    assert runner.invoke(cli_app, ["serve", "--db", db, "--workers", "0"]).exit_code != 0


def test_app_from_env_builds_the_worker_app(monkeypatch, small_db):
    import json

    from storyline.api import SERVE_ENV, app_from_env

    monkeypatch.setenv(SERVE_ENV, json.dumps({"db_path": small_db, "cache_entries": 5}))
    monkeypatch.delenv("STORYLINE_TOKEN", raising=False)
    worker_app = app_from_env()
    assert worker_app.state.db_path == small_db and worker_app.state.response_cache.max_entries == 5
    with TestClient(worker_app) as client:
        assert client.get(f"{API}/events").status_code == 200
        assert client.post(f"{API}/articles", json=[{"text": "x"}]).status_code == 403


def test_outlet_filter_of_events_reads_the_covering_index(small_db):
    from storyline.store import Store

    with Store(small_db, readonly=True) as store:
        names = {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert "articles_source_event" in names
        plan = " ".join(r[3] for r in store.conn.execute(
            "EXPLAIN QUERY PLAN SELECT a.event_id FROM articles a WHERE a.event_id IS NOT NULL AND "
            "a.source_id = (SELECT id FROM sources WHERE name = ?)", ("Lantern Post",)))
        assert "COVERING INDEX articles_source_event" in plan
        keys = store.event_page(source="Lantern Post", limit=50)
        expected = {r[0] for r in store.conn.execute(
            "SELECT DISTINCT a.event_id FROM articles a JOIN sources s ON s.id = a.source_id "
            "WHERE s.name = 'Lantern Post' AND a.event_id IS NOT NULL")}
        assert {eid for _, eid in keys} == expected and expected


def test_worker_socket_lets_asyncio_set_tcp_nodelay():
    import asyncio
    import socket

    from storyline.api import listening_socket

    async def check() -> int:
        seen: list[int] = []

        async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            sock = writer.get_extra_info("socket")
            seen.append(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            writer.close()

        sock = listening_socket("127.0.0.1", 0)
        server = await asyncio.start_server(handle, sock=sock)
        port = sock.getsockname()[1]
        _, writer = await asyncio.open_connection("127.0.0.1", port)
        for _ in range(100):
            if seen:
                break
            await asyncio.sleep(0.01)
        writer.close()
        server.close()
        await server.wait_closed()
        return seen[0]

    assert asyncio.run(check()) != 0


def test_workers_share_answers(small_db, tmp_path):
    shared = str(tmp_path / "answers.db")
    one, two = (create_app(small_db, shared_cache=shared) for _ in range(2))  # two worker processes' apps
    with TestClient(one) as a, TestClient(two) as b:
        for client in (a, b):  # a worker's first look retires what is shared (it cannot know what changed before)
            assert client.get(f"{API}/stories").status_code == 200
        url = f"{API}/events"
        first = a.get(url, params={"limit": 3})
        assert first.headers["x-storyline-cache"] == "miss"
        other = b.get(url, params={"limit": 3})  # computed by the other worker: a hit here
        assert other.headers["x-storyline-cache"] == "hit" and two.state.response_cache.shared_hits == 1
        assert other.content == first.content and other.headers["etag"] == first.headers["etag"]
        assert other.headers["content-type"] == first.headers["content-type"]
        assert other.headers["content-security-policy"] == first.headers["content-security-policy"]
        assert b.get(url, params={"limit": 3}).headers["x-storyline-cache"] == "hit"  # now in its own memory
        page = b.get("/search", params={"q": "bridge"})  # pages too, and they are shared the other way
        assert page.headers["x-storyline-cache"] == "miss"
        assert a.get("/search", params={"q": "bridge"}).content == page.content


def test_a_write_retires_shared_answers_in_every_worker(small_db, tmp_path):
    shared = str(tmp_path / "answers.db")
    one, two = (create_app(small_db, shared_cache=shared, token=TOKEN) for _ in range(2))
    with TestClient(one) as a, TestClient(two) as b:
        url = f"{API}/articles"
        before = a.get(url, params={"limit": 200})
        assert b.get(url, params={"limit": 200}).headers["x-storyline-cache"] == "miss"  # its first look
        assert b.get(url, params={"limit": 200}).headers["x-storyline-cache"] == "hit"
        con = sqlite3.connect(small_db)  # another process writes (a CLI ingest, say)
        with con:
            con.execute("UPDATE articles SET title = 'Retitled elsewhere' WHERE id = ?",
                        (before.json()["items"][0]["id"],))
        con.close()
        for client in (a, b, a):
            after = client.get(url, params={"limit": 200})
            assert after.json()["items"][0]["title"] == "Retitled elsewhere"
        r = b.post(url, json=[{"id": "shared-1", "text": "Lantern boats race at dusk, the harbour office said.",
                               "title": "Lantern boats race", "date": "2026-03-21"}], headers=AUTH)
        assert r.status_code == 200, r.text
        assert "shared-1" in [x["id"] for x in a.get(url, params={"limit": 200}).json()["items"]]


def test_shared_answers_are_bounded(tmp_path):
    from storyline.api import SharedAnswers

    shared = SharedAnswers(str(tmp_path / "answers.db"), max_entries=10)
    generation = shared.generation()
    for i in range(64):
        shared.put(f"key-{i}", generation, [(b"content-type", b"text/plain")], f"body {i}".encode(), b'"e"')
    count = shared.conn.execute("SELECT count(*) FROM answers").fetchone()[0]
    assert count == 10
    assert shared.get("key-63", generation) == ([(b"content-type", b"text/plain")], b"body 63", b'"e"')
    assert shared.get("key-0", generation) is None
    shared.bump()  # what was written under the old generation is not found under the new one
    assert shared.generation() == generation + 1 and shared.get("key-63", shared.generation()) is None
    shared.close()


def test_serve_with_workers_shares_answers_in_a_temporary_directory(monkeypatch, small_db):
    import json
    import os

    import storyline.api
    from storyline.api import SERVE_ENV, serve

    seen = {}

    def fake_run_workers(sockets, options):
        config = json.loads(os.environ[SERVE_ENV])
        ports = {s.getsockname()[1] for s in sockets}
        seen.update(config, existed=os.path.isdir(os.path.dirname(config["shared_cache"])), sockets=len(sockets),
                    ports=len(ports))

    monkeypatch.setattr(storyline.api, "run_workers", fake_run_workers)
    monkeypatch.delenv(SERVE_ENV, raising=False)
    serve(small_db, port=0, workers=3, cache_entries=7)
    assert seen["existed"] and seen["cache_entries"] == 7 and seen["db_path"] == small_db
    assert seen["sockets"] == 3 and seen["ports"] == 1  # one socket per worker, all on one port
    assert not os.path.exists(os.path.dirname(seen["shared_cache"]))  # removed when the server stops


def test_worker_sockets_share_the_connections():
    import socket

    from storyline.api import listening_sockets

    sockets = listening_sockets("127.0.0.1", 0, 2)
    try:
        for sock in sockets:
            sock.listen(64)
            sock.setblocking(False)
        port = sockets[0].getsockname()[1]
        clients = [socket.create_connection(("127.0.0.1", port)) for _ in range(40)]
        accepted = [0, 0]
        for i, sock in enumerate(sockets):
            while True:
                try:
                    conn, _ = sock.accept()
                except BlockingIOError:
                    break
                accepted[i] += 1
                conn.close()
        for c in clients:
            c.close()
        assert sum(accepted) == 40 and min(accepted) > 0  # the kernel spread them over both sockets
    finally:
        for sock in sockets:
            sock.close()


@pytest.mark.parametrize("cache_entries", [0, 16])
def test_heavy_reads_answer_the_same_with_the_cache_off_and_on(small_db, cache_entries):
    from markupsafe import escape

    app = create_app(small_db, cache_entries=cache_entries)
    with TestClient(app) as client:
        event_id = client.get(f"{API}/events", params={"limit": 1}).json()["items"][0]["event_id"]
        with sqlite3.connect(small_db) as con:  # no cached summary: the first view computes it
            con.execute("UPDATE events SET summary = NULL")
        page = client.get(f"/events/{event_id}")
        assert page.status_code == 200 and "No summary." not in page.text
        api = client.get(f"{API}/events/{event_id}").json()
        assert api["summary"] and str(escape(api["summary"][0]["text"])) in page.text
        assert client.get(f"/events/{event_id}").text == page.text
        assert client.get("/events/no-such-event").status_code == 404
        hits = client.get(f"{API}/search", params={"q": "bridge"}).json()["items"]
        assert hits and client.get("/search", params={"q": "bridge"}).text.count('<li class="hit">') == len(hits)
        assert client.get(f"{API}/search", params={"q": "bridge", "cursor": "bad"}).status_code == 400
        entity = client.get(f"{API}/entities", params={"limit": 1}).json()["items"][0]
        assert client.get(f"/entities/{entity['id']}").status_code == 200
        assert client.get("/entities/no-such-entity").status_code == 404
