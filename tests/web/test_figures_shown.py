"""An event page writes a claim's figures as words: "20 million USD", not "2e+07"."""

from __future__ import annotations

from storyline.model import Article
from storyline.pipeline import ingest_articles
from storyline.store import Store


def test_an_event_page_writes_figures_as_words(tmp_path) -> None:
    from fastapi.testclient import TestClient

    from storyline.api import create_app

    db = str(tmp_path / "m.db")
    text = ("Halvik Chemworks said it had set aside $20m for the clean-up. "
            "The Saltmere council said about 1,387 residents had been evacuated.")
    with Store(db) as store:
        ingest_articles(store, [Article(id="m1", source="Harbor Ledger", date="2026-03-17", text=text)])
        event_id = store.get_article("m1").event_id
    with TestClient(create_app(db)) as client:
        page = client.get(f"/events/{event_id}").text
    assert "20 million USD" in page and "~1,387 residents evacuated" in page
    assert "e+07" not in page
