"""Articles without a headline (seed-style text files, many feeds) are named by their lead sentence, cut at a
word, on the web pages and in ``storyline show``."""

from __future__ import annotations

import subprocess

from helpers import STORYLINE

from storyline.model import Article
from storyline.pipeline import ingest_articles
from storyline.store import Store

LEAD = ("Foreign ministers of Velmora and Drassk arrived in Tessara on Tuesday for a third round of truce talks "
        "hosted by the Ostrelian government, officials in both capitals said.")
ARTICLES = [
    Article(id="untitled-1", source="Harbor Ledger", date="2026-03-17",
            text=LEAD + "\n\nThe talks follow a week of shelling along the Orvan valley. Velmoran foreign minister "
                        "Anton Halek said he expected no breakthrough."),
    Article(id="titled-1", source="Corvin Times", date="2026-03-17", title="Truce talks open in Tessara",
            text="Velmoran foreign minister Anton Halek and his Drasski counterpart arrived in Tessara on Tuesday "
                 "for a third round of truce talks. Halek said he expected no breakthrough."),
]
CUT = ("Foreign ministers of Velmora and Drassk arrived in Tessara on Tuesday for a third round of truce talks "
       "hosted…")


def _store(path: str) -> str:
    with Store(path) as store:
        ingest_articles(store, ARTICLES)
    return path


def test_pages_name_an_untitled_article_by_its_lead(tmp_path) -> None:
    from fastapi.testclient import TestClient

    from storyline.api import create_app

    db = _store(str(tmp_path / "u.db"))
    with Store(db) as store:
        event_id = store.get_article("untitled-1").event_id
        halek = next(e["id"] for e in store.list_entities() if e["name"] == "Anton Halek")
    with TestClient(create_app(db)) as client:
        article = client.get("/articles/untitled-1").text
        assert f"<h1>{CUT}</h1>" in article and "(untitled)" not in article
        event = client.get(f"/events/{event_id}").text
        assert CUT in event and "Truce talks open in Tessara" in event and "(untitled)" not in event
        entity = client.get(f"/entities/{halek}").text
        assert CUT in entity and "(untitled)" not in entity


def test_show_names_an_untitled_article_by_its_lead(tmp_path) -> None:
    db = _store(str(tmp_path / "u.db"))
    with Store(db) as store:
        event_id = store.get_article("untitled-1").event_id
    shown = subprocess.run([*STORYLINE, "show", event_id, "--db", db], capture_output=True, text=True, timeout=120)
    assert shown.returncode == 0, shown.stderr
    row = next(line for line in shown.stdout.splitlines() if line.endswith("untitled-1"))
    # at most 80 characters, cut after a whole word
    assert "Foreign ministers of Velmora and Drassk arrived in Tessara on Tuesday for a…" in row
