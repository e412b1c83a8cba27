"""Two entities found to be one are merged for good: a person-shaped name an earlier ingest made a person joins the
organisation a later article shows it to be; its id still finds the entity (API, page), its claims move with it."""

from __future__ import annotations

from storyline.model import Article
from storyline.pipeline import ingest_articles
from storyline.store import Store

FIRST = [Article(id="k1", source="Harbor Ledger", date="2031-04-02",
                 text="Kessa Maren said on Tuesday that its quarterly profit fell by a third."),
         Article(id="k2", source="Corvin Times", date="2031-04-03",
                 text="Kessa Maren reported a loss of 400 million dollars, analysts said.")]
LATER = [Article(id="k3", source="Harbor Ledger", date="2031-04-04",
                 text="Shares of investment bank Kessa Maren fell 9 percent on Thursday.")]


def _named(store: Store, name: str) -> list[tuple[str, str, int]]:
    return [(e["id"], e["type"], len(e["article_ids"])) for e in store.list_entities() if e["name"] == name]


def test_a_person_a_later_article_shows_to_be_a_company_is_merged_into_it(tmp_path) -> None:
    from fastapi.testclient import TestClient

    from storyline.api import create_app

    db = str(tmp_path / "m.db")
    with Store(db) as store:
        ingest_articles(store, FIRST)
        [(person_id, typ, _)] = _named(store, "Kessa Maren")
        assert typ == "PERSON"  # (nothing in the first articles says otherwise)
        said = [c.id for c in store.iter_claims() if c.speaker_entity_id == person_id]
        assert said
        ingest_articles(store, LATER)
        [(org_id, typ, n)] = _named(store, "Kessa Maren")
        assert (typ, n) == ("ORG", 3) and org_id != person_id
        assert {c.id for c in store.iter_claims() if c.speaker_entity_id == org_id} >= set(said)
        assert not [c for c in store.iter_claims() if c.speaker_entity_id == person_id]
        assert store.load_entity_index().merged == {person_id}
    with TestClient(create_app(db)) as client:
        assert client.get(f"/api/v1/entities/{person_id}").json()["id"] == org_id
        page = client.get(f"/entities/{person_id}", follow_redirects=False)
        assert page.status_code == 308 and page.headers["location"] == f"/entities/{org_id}"
        listed = client.get("/api/v1/entities", params={"name": "Kessa"}).json()["items"]
        assert [e["id"] for e in listed] == [org_id]
    with Store(db) as store:  # a later run keeps the merged id taken and the entity whole
        ingest_articles(store, [Article(id="k4", source="Corvin Times", date="2031-04-05",
                                        text="Kessa Maren said it would cut 900 jobs.")])
        assert [(i, t) for i, t, _ in _named(store, "Kessa Maren")] == [(org_id, "ORG")]
