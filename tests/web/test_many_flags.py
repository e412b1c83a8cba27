"""An event with many disagreements lists the first ones open and the rest behind a "N more" disclosure."""

from __future__ import annotations

import re

from storyline.model import Article, Disagreement
from storyline.pipeline import ingest_articles
from storyline.store import Store
from storyline.web.pages import FLAGS_SHOWN

TEXT = " ".join(f"Ada Voss said the Kesten bridge {i} had been shelled overnight." for i in range(12)) + " " + \
       " ".join(f"Serzh Harutyunian denied the Kesten bridge {i} had been shelled." for i in range(12))


def test_an_event_page_folds_the_flags_after_the_first(tmp_path) -> None:
    from fastapi.testclient import TestClient

    from storyline.api import create_app

    db = str(tmp_path / "f.db")
    with Store(db) as store:
        ingest_articles(store, [Article(id="a1", source="Harbor Ledger", date="2026-03-17", text=TEXT)])
        event_id = store.get_article("a1").event_id
        claims = store.event_claims(event_id)
        assert len(claims) >= 2 * (FLAGS_SHOWN + 2)
        flags = [Disagreement(kind="denial", claims=[i, i + 1], note=f"flag {i}") for i in range(0, 24, 2)]
        store.set_disagreements(event_id, flags, claims)
    with TestClient(create_app(db)) as client:
        page = client.get(f"/events/{event_id}").text
    section = page.split('id="h-dis"', 1)[1].split("</section>", 1)[0]
    shown, folded = section.split('<details class="more-flags">', 1)
    assert len(re.findall(r"flag \d+", shown)) == FLAGS_SHOWN
    assert f"{len(flags) - FLAGS_SHOWN} more" in folded and len(re.findall(r"flag \d+", folded)) == len(flags) - FLAGS_SHOWN
