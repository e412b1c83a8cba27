"""Page furniture that opens articles ("Get the briefing delivered to your inbox", a sidebar's headline) is no
lead: once the first sentence of an untitled article opens three articles or more (wire copies aside), the
article and its event are named by the next sentence that does not."""

from __future__ import annotations

from storyline.cluster.features import article_lead, lead_key, lead_sentences
from storyline.model import Article
from storyline.pipeline import ingest_articles
from storyline.store import Store

FURNITURE = "Get the Harbour Bulletin delivered to your inbox every weekday morning."
STORIES = [
    ("a1", "Port Idris", "Storm surge closed the Port Idris ferry terminal on Monday, harbour officials said. "
     "Ferries to the islands were cancelled and 300 passengers were stranded overnight in the terminal hall."),
    ("a2", "Valeska", "Valeska's city council voted to rebuild the collapsed Marrow Street bridge by next spring. "
     "The vote passed 31 to 9 after a four-hour debate about the cost of the steel."),
    ("a3", "Saltmere", "Saltmere's largest bakery chain recalled 40,000 loaves after metal fragments were found. "
     "The recall covers bread sold in 112 shops since Friday, the company said."),
    ("a4", "Tessara", "Talks on the Tessara water treaty resumed after a two-week pause, both delegations said. "
     "Negotiators met for six hours in the old customs house by the river."),
]


def article(aid: str, place: str, body: str, date: str = "2026-03-02") -> Article:
    return Article(id=aid, text=f"{FURNITURE}\n\n{body}", date=date, source=f"{place} Courier")


def test_lead_sentences_are_the_first_sentences_lead_sentence_sees() -> None:
    text = ("U.S. forces said the road was open.\nShort one. It stays with the rest of its line.\n"
            "The second sentence of this line is long enough. So it stands alone.")
    assert lead_sentences(text) == ["U.S. forces said the road was open.",
                                    "Short one. It stays with the rest of its line.",
                                    "The second sentence of this line is long enough."]
    # an abbreviation or an initial ends no sentence; a short first sentence stays with the next one only
    assert lead_sentences("Federal Reserve Chairman Ben S. Bernanke said rates would stay low. Markets rose.\n"
                          "Talks ended. A new round of negotiations begins on Monday. Both sides agreed.") == [
        "Federal Reserve Chairman Ben S. Bernanke said rates would stay low.", "Markets rose.",
        "Talks ended. A new round of negotiations begins on Monday."]
    assert lead_key("Get the BULLETIN, now!") == lead_key("get the bulletin now") != 0
    assert article_lead({"text": "One two three.", "meta": {"lead": "Four five six " * 20}}, 30).endswith("…")


def test_furniture_that_opens_many_articles_names_no_article_or_event(tmp_path) -> None:
    with Store(tmp_path / "s.db") as store:
        ingest_articles(store, [article(*s) for s in STORIES[:3]])
        for aid, _, body in STORIES[:3]:
            a = store.get_article(aid)
            assert a.meta["lead"] == lead_sentences(body)[0]
            assert article_lead(a).startswith(body[:30])
            event = store.get_event(a.event_id)
            assert event.title == lead_sentences(body)[0] and FURNITURE not in event.title
        # a later batch: the count is kept in the store
        ingest_articles(store, [article(*STORIES[3], date="2026-03-09")])
        a4 = store.get_article("a4")
        assert store.get_event(a4.event_id).title.startswith("Talks on the Tessara water treaty")


def test_a_first_sentence_few_articles_share_stays_their_lead(tmp_path) -> None:
    with Store(tmp_path / "s.db") as store:
        ingest_articles(store, [article(*s) for s in STORIES[:2]])
        for aid, _, _ in STORIES[:2]:
            a = store.get_article(aid)
            assert "lead" not in a.meta and article_lead(a) == FURNITURE


def test_wire_copies_do_not_make_a_lead_furniture(tmp_path) -> None:
    aid, place, body = STORIES[0]
    copies = [Article(id=f"c{i}", text=f"{FURNITURE}\n\n{body}", date="2026-03-02", source=f"Outlet {i}")
              for i in range(4)]
    with Store(tmp_path / "s.db") as store:
        report = ingest_articles(store, copies)
        assert report.duplicates == 3
        assert all("lead" not in store.get_article(f"c{i}").meta for i in range(4))


def test_reingesting_counts_nothing_twice(tmp_path) -> None:
    with Store(tmp_path / "s.db") as store:
        ingest_articles(store, [article(*s) for s in STORIES[:2]])
        ingest_articles(store, [article(*s) for s in STORIES[:2]])  # known ids: nothing happens
        assert store.add_lead_counts({lead_key(FURNITURE): 0}) == {lead_key(FURNITURE): 2}


def test_a_piece_without_words_is_never_the_lead(tmp_path) -> None:
    arts = [Article(id=a.id, text=a.text.replace("\n\n", "\n\n* * *\n\n", 1), date=a.date, source=a.source)
            for a in (article(*s) for s in STORIES[:3])]
    with Store(tmp_path / "s.db") as store:
        ingest_articles(store, arts)
        for aid, _, body in STORIES[:3]:
            assert store.get_article(aid).meta["lead"] == lead_sentences(body)[0]
