"""Name shapes news text is full of: an owner and what it owns ("Velmora's Tariq Aliev"), a person "of" a place,
capitalised function words where a sentence break was lost, nationality words, place-name endings, and the
reconciliation rules that keep a country out of a person (and a person's bare surname out of a small town)."""

from __future__ import annotations

import pytest

from storyline.enrich.entities import extract_names, reconcile
from storyline.model import Article


def names(text: str) -> list[tuple[str, str]]:
    return [(m.name, m.type) for m in extract_names(Article(id="t", text=text))]


@pytest.mark.parametrize("text, owner, owned", [
    ("Velmora's Tariq Aliev said the army was ready.", "Velmora", ("Tariq Aliev", "PERSON")),
    ("Russia's Vladimir Putin spoke on Monday.", ("Russia", "PLACE"), ("Vladimir Putin", "PERSON")),
    ("CNN's Nic Robertson reported from the border.", "CNN", ("Nic Robertson", "PERSON")),
    ("Crowds filled Cairo's Tahrir Square again.", ("Cairo", "PLACE"), ("Tahrir Square", "PLACE")),
])
def test_an_owner_and_what_it_owns_are_two_entities(text, owner, owned) -> None:
    found = names(text)
    assert owned in found
    if isinstance(owner, tuple):
        assert owner in found
    else:
        assert any(n == owner and t != "PERSON" for n, t in found), found
    assert not any("'s" in n for n, _ in found)


@pytest.mark.parametrize("text, name", [
    ("She won the Women's World Cup last year.", "Women's World Cup"),
    ("Doctors at the Children's Hospital of Philadelphia said.", "Children's Hospital of Philadelphia"),
    ("The People's Daily carried the statement.", "People's Daily"),
])
def test_a_possessive_inside_one_name_stays(text, name) -> None:
    assert name in [n for n, _ in names(text)]


def test_the_place_a_person_is_of_is_no_part_of_their_name() -> None:
    found = names("Foreign Minister Tarik Aliyev of Velmora said the talks would resume.")
    assert ("Tarik Aliyev", "PERSON") in found
    assert any(n == "Velmora" and t != "PERSON" for n, t in found), found
    assert ("Dana Holt", "PERSON") in names("Sen. Dana Holt of Arizona voted against the bill.")
    assert ("Arizona", "PLACE") in names("Sen. Dana Holt of Arizona voted against the bill.")
    assert ("National Union", "ORG") in names("The National Union of Prime Minister Jonas Wendt said it would wait.")
    assert ("Britain", "PLACE") not in names("The Prime Minister of Britain said so.")  # (its canonical name)
    assert ("United Kingdom", "PLACE") in names("The Prime Minister of Britain said so.")


def test_capitalised_function_words_and_day_names_are_no_entities() -> None:
    assert names("Video shows people celebrating the death of the officials Our correspondent says it is real.") == []
    assert names("The group is energised by the upheaval sweeping the region It says it has no links.") == []
    assert not any(n.startswith("Wednesday") for n, _ in names("Historians will judge Wednesday's vote harshly."))
    assert names("Israelis said the crossing was closed.") == []
    assert ("WHO", "ORG") in names("The WHO said cases rose.")  # (in capitals: an acronym)
    assert ("Marta Obel", "PERSON") in names("Marta Obel What comes next is unclear.")  # a headline's run-on


def test_place_names_and_group_cues() -> None:
    assert ("Saudi Arabia", "PLACE") in names("Saudi Arabia said the talks were over.")
    assert ("Kettle Hill", "PLACE") in names("Classes in Harbourside and Kettle Hill remain suspended.")
    assert ("Orvan Valley", "PLACE") in names("Shelling hit the Orvan Valley overnight.")
    assert ("Green Harbour", "ORG") in names("Maria Kovac, whose Green Harbour party won seats, spoke.")
    assert ("BP Macondo", "PERSON") not in names("The BP Macondo well leaked for weeks.")


def test_a_bare_name_whose_adjective_the_article_uses_is_a_place() -> None:
    text = ("Velmora said it would not withdraw. Velmoran troops crossed the river at dawn, and Velmora "
            "accused Drassk of shelling. The Drasski army denied it.")
    found = names(text)
    assert ("Velmora", "PERSON") not in found and ("Drassk", "PERSON") not in found
    assert [t for n, t in found if n == "Velmora"] == ["PLACE"] * 3  # the adjective is named as its country
    assert ("Drassk", "PLACE") in found
    # a surname is not a country because it ends like one ("Gadaffi" is no adjective of "Gadaff")
    assert ("Gadaffi", "PLACE") not in names("Gadaffi is rambling. Gadaffi loyalists fought on.")


def test_a_country_does_not_become_a_persons_surname() -> None:
    arts = [Article(id="a1", text="Foreign Minister Tarik Aliyev of Velmora said the talks would resume."),
            Article(id="a2", text="Velmora and Drassk traded blame. Velmoran troops crossed the border."),
            Article(id="a3", text="Velmora said it was ready. Tarik Aliyev said nothing.")]
    entities = reconcile({a.id: extract_names(a) for a in arts})
    person = next(e for e in entities if e.name == "Tarik Aliyev")
    assert person.type == "PERSON" and "Velmora" not in person.aliases
    country = [e for e in entities if "Velmora" in e.aliases]
    assert len(country) == 1 and country[0].type == "PLACE" and set(country[0].article_ids) == {"a1", "a2", "a3"}


def test_a_small_town_named_like_a_known_person_is_that_persons_surname() -> None:
    # "Obama" is also a town in the gazetteer: bare, once Barack Obama is known (in three articles here), it is him
    arts = [Article(id=f"o{i}", text=f"President Barack Obama spoke in Ohio on day {i}.") for i in range(3)]
    arts.append(Article(id="o9", text="Critics said Obama had waited too long."))
    entities = reconcile({a.id: extract_names(a) for a in arts})
    obama = next(e for e in entities if e.name == "Barack Obama")
    assert "o9" in obama.article_ids and "Obama" in obama.aliases
    assert not any(e.type == "PLACE" and e.name == "Obama" for e in entities)


def test_an_acronym_meets_an_organisation_by_its_initials_only_where_that_article_names_it() -> None:
    arts = [Article(id="p1", text="The Bureau of Prisons said the transfer was routine."),
            Article(id="p2", text="BP said the well was capped on Thursday. BP shares rose."),
            Article(id="p3", text="The Central Intelligence Agency declined to comment. A CIA spokesman said later "
                                  "that the report was wrong.")]
    entities = reconcile({a.id: extract_names(a) for a in arts})
    prisons = next(e for e in entities if e.name == "Bureau of Prisons")
    assert "BP" not in prisons.aliases and prisons.article_ids == ["p1"]
    assert any(e.type == "ORG" and e.name == "BP" and e.article_ids == ["p2"] for e in entities)
    cia = next(e for e in entities if e.name == "Central Intelligence Agency")
    assert "CIA" in cia.aliases


def test_datelines_storms_long_agency_names_and_shouted_words() -> None:
    assert ("Houston", "PLACE") in names("HOUSTON (Reuters) - Oil prices rose on Monday.")
    assert ("Hurricane Katrina", "MISC") in names("After Hurricane Katrina hit, thousands fled.")
    assert ("National Oceanic and Atmospheric Administration", "ORG") in names(
        "The National Oceanic and Atmospheric Administration said the slick was growing.")
    assert ("Centers for Disease Control and Prevention", "ORG") in names(
        "The Centers for Disease Control and Prevention said cases rose.")
    found = names("The TV station said it was NOT true, at 10:00 GMT on Monday.")
    assert not any(n in ("TV", "NOT", "GMT") for n, _ in found), found
    assert names("Reply Even so, the vote was close.") == []


def test_a_small_towns_name_needs_a_place_cue() -> None:
    # "God" and "Obama" are towns in the gazetteer: bare, they are no place; after "in", a town is
    assert not any(t == "PLACE" for _, t in names("Thank God the rain stopped before noon."))
    assert ("Obama", "PLACE") not in names("Critics said Obama had waited too long.")
    assert ("Obama", "PLACE") in names("The festival was held in Obama, a port town.")
    arts = [Article(id="g1", text="Fearing God, the villagers prayed."),
            Article(id="g2", text="Thank God the rain stopped before noon."),
            Article(id="g3", text="God help us, said one resident.")]
    entities = reconcile({a.id: extract_names(a) for a in arts})
    assert not any(e.type == "PERSON" and len(e.article_ids) > 1 for e in entities), entities


@pytest.mark.parametrize("order", [0, 1, 2])
def test_an_organisation_is_named_without_a_place_written_before_it(order) -> None:
    from storyline.enrich.entities import Reconciler

    arts = [Article(id="w1", text="Officials in Mexico World Health Organization offices said the count rose."),
            Article(id="w2", text="The World Health Organization said cases rose."),
            Article(id="w3", text="The World Health Organization said cases fell.")]
    arts = arts[order:] + arts[:order]
    reconciler = Reconciler()
    for a in arts:  # one batch each: the order they come in must not matter
        reconciler.add({a.id: extract_names(a)})
    orgs = [e for e in reconciler.entities if e.type == "ORG"]
    assert [(e.name, sorted(e.article_ids)) for e in orgs] == [("World Health Organization", ["w1", "w2", "w3"])]


def test_a_plural_starting_a_sentence_is_no_person_by_its_verb_alone() -> None:
    assert ("Diplomats", "PERSON") not in names("Diplomats said the talks had focused on a ceasefire.")
    assert ("Investigators", "PERSON") not in names("Investigators say the valves were disabled.")
    assert ("Jones", "PERSON") in names("Rita Jones arrived late. Jones said she was tired.")


def test_a_bare_surname_is_the_namesake_its_article_names_before_the_famous_one() -> None:
    from storyline.enrich.entities import Reconciler

    reconciler = Reconciler()
    arts = [Article(id=f"m{i}", text=f"Michael Jackson sang in Ohio on day {i}.") for i in range(4)]
    arts.append(Article(id="j1", text="The Reverend Jesse Jackson spoke. Jackson said the march would go on."))
    for a in arts:
        reconciler.add({a.id: extract_names(a)})
    jesse = next(e for e in reconciler.entities if e.name == "Jesse Jackson")
    michael = next(e for e in reconciler.entities if e.name == "Michael Jackson")
    assert "Jackson" in jesse.aliases and "j1" not in michael.article_ids


def test_a_name_an_article_makes_an_organisation_is_no_person_where_only_its_shape_spoke() -> None:
    arts = [Article(id="h1", text="Maria Kovac, whose Green Harbour party won seats, spoke on Monday."),
            Article(id="h2", text="Green Harbour won four seats in Saltmere.")]
    entities = reconcile({a.id: extract_names(a) for a in arts})
    harbour = [e for e in entities if e.name == "Green Harbour"]
    assert [(e.type, sorted(e.article_ids)) for e in harbour] == [("ORG", ["h1", "h2"])]


def test_a_role_phrase_and_an_organisation_are_not_one_organisation() -> None:
    found = names("Kovac said both Prime Minister Jonas Wendt and Civic Alliance leader Lukas Ferenc had agreed.")
    assert ("Jonas Wendt", "PERSON") in found and ("Civic Alliance", "ORG") in found


@pytest.mark.parametrize("text, name", [
    ("Fire broke out on the Meridian Star overnight. Crews left the Meridian Star at dawn.", "Meridian Star"),
    ("Donations to the Red Crescent rose. Red Crescent teams reached the town.", "Red Crescent"),
    ("Prices fell as in the Great Slump. The Great Slump lasted years.", "Great Slump"),
])
def test_a_name_written_after_the_is_no_person(text, name) -> None:
    found = names(text)
    assert (name, "MISC") in found and (name, "PERSON") not in found


@pytest.mark.parametrize("text, name", [
    ("The Tarik Aliyev foundation paid. Tarik Aliyev said it would help. Tarik Aliyev left.", "Tarik Aliyev"),
    ("The Lukas Ferenc trial opened. Ferenc denied the charges.", "Lukas Ferenc"),
    ("The Rev. Jonas Wendt led the march. The marchers cheered Jonas Wendt.", "Jonas Wendt"),
])
def test_a_person_stays_a_person_beside_an_attributive_the(text, name) -> None:
    assert (name, "PERSON") in names(text)


@pytest.mark.parametrize("order", [0, 1])
def test_a_name_is_a_person_or_a_thing_by_the_articles_that_write_it_so(order) -> None:
    from storyline.enrich.entities import Reconciler

    things = [Article(id=f"s{i}", text=f"Divers reached the Meridian Star on day {i}. The Meridian Star sank.")
              for i in range(3)]
    bare = Article(id="b1", text="Meridian Star was insured in Saltmere.")
    people = [Article(id=f"p{i}", text=f"Lukas Ferenc spoke on day {i}.") for i in range(3)]
    attributive = Article(id="t1", text="The Lukas Ferenc trial opened in Saltmere.")
    batches = [[*things, bare, *people], [attributive]] if order == 0 else [[*people, *things], [bare, attributive]]
    reconciler = Reconciler()
    for batch in batches:
        reconciler.add({a.id: extract_names(a) for a in batch})
    by_name: dict[str, list[tuple[str, list[str]]]] = {}
    for e in reconciler.entities:
        by_name.setdefault(e.name, []).append((e.type, sorted(e.article_ids)))
    assert by_name["Meridian Star"] == [("MISC", ["b1", "s0", "s1", "s2"])]
    assert by_name["Lukas Ferenc"] == [("PERSON", ["p0", "p1", "p2", "t1"])]


def _bare_articles(n: int, start: int = 0) -> list[Article]:
    return [Article(id=f"w{i}", text=f"Harbourline said on day {i} that the Saltmere route would reopen.")
            for i in range(start, start + n)]


JUNK = Article(id="j0", text="Free Harbourline service will be available on the Saltmere route from May.")


@pytest.mark.parametrize("junk_first", [True, False])
def test_a_word_mostly_written_alone_is_no_surname_of_a_run_of_capitals(junk_first) -> None:
    from storyline.enrich.entities import Reconciler

    reconciler = Reconciler()
    batches = [[JUNK], _bare_articles(6)] if junk_first else [_bare_articles(6), [JUNK]]
    for batch in batches:
        reconciler.add({a.id: extract_names(a) for a in batch})
    junk = next(e for e in reconciler.entities if e.name == "Free Harbourline")
    assert junk.article_ids == ["j0"]
    word = next(e for e in reconciler.entities if e.name == "Harbourline")
    assert sorted(word.article_ids) == [f"w{i}" for i in range(6)]


def test_a_surname_after_a_full_name_elsewhere_is_that_person() -> None:
    from storyline.enrich.entities import Reconciler

    arts = [Article(id="l0", text="Foreign Minister Sergei Lavrov met the envoys in Moscow."),
            *[Article(id=f"l{i}", text=f"Lavrov said on day {i} that talks would go on.") for i in range(1, 4)]]
    reconciler = Reconciler()
    reconciler.add({a.id: extract_names(a) for a in arts})
    lavrov = next(e for e in reconciler.entities if e.name == "Sergei Lavrov")
    assert sorted(lavrov.article_ids) == ["l0", "l1", "l2", "l3"]


def test_the_store_keeps_who_was_named_in_full_between_runs(tmp_path) -> None:
    from storyline.pipeline import ingest_articles
    from storyline.store import Store

    with Store(tmp_path / "s.db") as store:
        ingest_articles(store, [JUNK, *_bare_articles(2)])
        ingest_articles(store, _bare_articles(4, start=2))  # a new run: the reconciler is loaded from the store
        assert store.load_entity_index().full_names == {
            e["id"]: {"j0"} for e in store.list_entities() if e["name"] == "Free Harbourline"}
        junk = next(e for e in store.list_entities() if e["name"] == "Free Harbourline")
        assert not {f"w{i}" for i in range(2, 6)} & set(junk["article_ids"])


def test_a_word_mostly_written_alone_joins_the_organisation_it_heads() -> None:
    from storyline.enrich.entities import Reconciler

    reconciler = Reconciler()
    org = Article(id="o0", text="Halvik Chemworks said the tanks were safe.")
    junk = Article(id="j0", text="Operator Halvik staff will be available on the site from May.")
    bare = [Article(id=f"h{i}", text=f"Halvik said on day {i} that the tanks were safe.") for i in range(6)]
    for batch in ([org], [junk], bare):
        reconciler.add({a.id: extract_names(a) for a in batch})
    halvik = next(e for e in reconciler.entities if e.name == "Halvik Chemworks")
    assert halvik.type == "ORG" and {f"h{i}" for i in range(6)} <= set(halvik.article_ids)


@pytest.mark.parametrize("text, name, typ", [
    ("Oil reached Plaquemines Parish on Friday.", "Plaquemines Parish", "PLACE"),
    ("Crews worked off Grand Isle all week.", "Grand Isle", "PLACE"),
    ("Read our Privacy Policy before you go.", "Privacy Policy", "MISC"),
    ("Editor's Note: this story was updated.", "Editor's Note", "MISC"),
    ("Veterans of the Border War marched.", "Border War", "MISC"),
    ("Lehman Brothers collapsed in 2008.", "Lehman Brothers", "ORG"),
    ("The picture came from Getty Images today.", "Getty Images", "ORG"),
    # a title's word opening a company's or a place's name is no title
    ("General Motors said it would cut 2,000 jobs.", "General Motors", "ORG"),
    ("Investors sold shares of General Electric.", "General Electric", "ORG"),
    ("Oil coated the shore of Prince William Sound.", "Prince William Sound", "PLACE"),
    ("Traffic stopped on the King Abdullah Bridge.", "King Abdullah Bridge", "PLACE"),
    ("Oil spread across the Gulf of Mexico.", "Gulf of Mexico", "PLACE"),
    ("Tankers crossed the Strait of Hormuz.", "Strait of Hormuz", "PLACE"),
    # an acronym that is a small town's name is no place; a time zone is nothing
    ("He spoke at the UN on Monday.", "UN", "ORG"),
    ("We trust in God and in the army, he said.", "God", "MISC"),
    ("Tar balls washed up on Pensacola Beach on Friday.", "Pensacola Beach", "PLACE"),
    ("The Committee to Protect Journalists said two reporters died.", "Committee to Protect Journalists", "ORG"),
    # the first word of a place's name: cape, gate, well, camp, lake
    ("Ras Orvan fell again, officials said.", "Ras Orvan", "PLACE"),
    ("Detainees at Camp Kesten were freed.", "Camp Kesten", "PLACE"),
])
def test_the_last_word_of_a_place_a_thing_or_a_company_is_no_surname(text, name, typ) -> None:
    assert (name, typ) in names(text)


def test_a_time_zone_is_no_entity() -> None:
    assert names("Twitter was blocked at 11 a.m. ET and voting began at 0300 GMT.") == [("Twitter", "MISC")]


def test_a_title_without_a_name_is_no_entity() -> None:
    assert names("Prime Minister said the talks would go on.") == []
    assert names("Defense Secretary Robert Gates said the base would close.") == [("Robert Gates", "PERSON")]
    assert names("General Stanley Marsh said the base would close.") == [("Stanley Marsh", "PERSON")]


@pytest.mark.parametrize("text, found", [
    ("Adm Allen said the well was capped.", [("Allen", "PERSON")]),
    ("Louisiana Gov. Bobby Jindal said the oil was coming.", [("Louisiana", "PLACE"), ("Bobby Jindal", "PERSON")]),
    ("Lt Col Ann Marsh said the base would close.", [("Ann Marsh", "PERSON")]),
])
def test_a_rank_or_title_abbreviated_with_or_without_its_full_stop_is_no_name(text, found) -> None:
    assert names(text) == found


@pytest.mark.parametrize("text, name", [
    ("President George W. Bush said the plan would work.", "George W. Bush"),
    ("Treasury Secretary Henry M. Paulson said on Monday the plan would work.", "Henry M. Paulson"),
    ("Michael J. Fox arrived late.", "Michael J. Fox"),
])
def test_a_middle_initial_stays_inside_the_name(text, name) -> None:
    found = names(text)
    assert (name, "PERSON") in found, found
    assert len([n for n, t in found if t == "PERSON"]) == 1, found


def test_a_middle_initial_name_is_the_person_named_without_it() -> None:
    arts = [Article(id="a", text="Treasury Secretary Henry M. Paulson spoke in Texas."),
            Article(id="b", text="Henry M Paulson said the plan would work."),
            Article(id="c", text="Paulson said he would not resign.")]
    people = [e for e in reconcile({a.id: extract_names(a) for a in arts}) if e.type == "PERSON"]
    assert len(people) == 1 and set(people[0].article_ids) == {"a", "b", "c"}, people
