"""An entity named by one word is typed by what all its articles say of it, not by the first article that put a
cue next to it: a company that speaks is no person, a word capitalised by its place in one sentence is nobody,
and a later run weighs the same evidence as one run would (the store keeps each article's type of it)."""

from __future__ import annotations

import pytest

from storyline.enrich.entities import Reconciler, extract_names
from storyline.model import Article


def _one_by_one(articles: list[Article]) -> Reconciler:
    reconciler = Reconciler()
    for a in articles:  # one batch each: the type must not hang on the batch the cue came in
        reconciler.add({a.id: extract_names(a)})
    return reconciler


def _all_at_once(articles: list[Article]) -> Reconciler:
    reconciler = Reconciler()
    reconciler.add({a.id: extract_names(a) for a in articles})
    return reconciler


def _named(reconciler: Reconciler, name: str) -> list[tuple[str, int]]:
    return [(e.type, len(e.article_ids)) for e in reconciler.entities if e.name == name]


def _company() -> list[Article]:
    return [*[Article(id=f"s{i}", text=f"Kestrax said on day {i} that the well was sealed.") for i in range(3)],
            *[Article(id=f"r{i}", text=f"The rig was leased from Kestrax in year {i}.") for i in range(7)]]


@pytest.mark.parametrize("reconcile", [_one_by_one, _all_at_once])
def test_a_word_that_speaks_and_is_nobodys_name_is_an_organisation(reconcile) -> None:
    # (it was a person for good from its first "Kestrax said")
    assert _named(reconcile(_company()), "Kestrax") == [("ORG", 10)]


@pytest.mark.parametrize("reconcile", [_one_by_one, _all_at_once])
def test_one_cue_among_many_bare_mentions_does_not_type_a_word(reconcile) -> None:
    storm = [Article(id="p0", text="Oswin said the levees held."),
             *[Article(id=f"c{i}", text=f"Crews worked for {i} days after Oswin struck the coast.") for i in range(9)]]
    # (one "Oswin said" made the storm a person, with every article of it)
    assert _named(reconcile(storm), "Oswin") == [("MISC", 10)]
    plural = [Article(id=f"a{i}", text=f'"The town was shelled on day {i}," Activists said.') for i in range(4)]
    assert ("PERSON", 4) not in _named(reconcile(plural), "Activists")


@pytest.mark.parametrize("reconcile", [_one_by_one, _all_at_once])
def test_a_title_in_some_articles_makes_a_bare_name_a_person(reconcile) -> None:
    arts = [*[Article(id=f"t{i}", text=f"President Darvo opened bridge number {i}.") for i in range(2)],
            *[Article(id=f"d{i}", text=f"Darvo said bridge {i} would open soon.") for i in range(6)]]
    assert _named(reconcile(arts), "Darvo") == [("PERSON", 8)]


def test_a_surname_that_only_spoke_is_still_the_person_a_later_article_names_in_full() -> None:
    reconciler = Reconciler()
    reconciler.add({f"l{i}": extract_names(Article(id=f"l{i}", text=f"Lavrov said on day {i} that talks would go on."))
                    for i in range(1, 4)})
    assert _named(reconciler, "Lavrov") == [("ORG", 3)]  # (nothing yet says it is a person)
    reconciler.add({"l0": extract_names(Article(id="l0", text="Foreign Minister Sergei Lavrov met the envoys."))})
    assert _named(reconciler, "Sergei Lavrov") == [("PERSON", 4)] and not _named(reconciler, "Lavrov")


def test_a_later_run_weighs_each_articles_type_as_one_run_does(tmp_path) -> None:
    from storyline.pipeline import ingest_articles
    from storyline.store import Store

    towns = ["Orvik", "Saltmere", "Kesten", "Lomira", "Brask", "Tellin", "Harrow", "Vence", "Pollard", "Ismet",
             "Corran", "Dunmere", "Ealing", "Frome"]
    things = ["a school", "the new dam", "a clinic", "the harbour", "a bakery", "the rail line", "a library",
              "the stadium", "a ferry", "the market", "a bridge", "the airport", "a museum", "the water works"]
    arts = [Article(id="p0", text="President Darvo opened the bridge.", date="2031-05-01"),
            *[Article(id=f"m{i}", text=f"Crowds in {town} cheered for Darvo as {thing} opened after {i + 3} years.",
                      date="2031-05-02") for i, (town, thing) in enumerate(zip(towns, things))]]

    def darvo(store: Store) -> list[str]:
        return [e["type"] for e in store.list_entities() if e["name"] == "Darvo"]

    with Store(tmp_path / "one.db") as one, Store(tmp_path / "two.db") as two:
        ingest_articles(one, arts)
        ingest_articles(two, arts[:10])  # the title in one article of ten: a person, so far
        assert darvo(two) == ["PERSON"]
        ingest_articles(two, arts[10:])  # a new run, its reconciler loaded from the store
        # one title in fifteen articles: no person either way (had the store kept only the entity's type, every
        # article of the first run would have counted as a title)
        assert darvo(one) == darvo(two) == ["MISC"]
        darvo_id = next(e["id"] for e in two.list_entities() if e["name"] == "Darvo")
        kinds = two.load_entity_index().kinds[darvo_id]
        assert kinds["p0"] == "PERSON" and sorted(set(kinds.values())) == ["MISC", "PERSON"] and len(kinds) == 15


def test_a_titles_word_alone_is_nobody_whatever_cue_stood_before_it() -> None:
    arts = [Article(id=f"s{i}", text=f"The Secretary of State met envoy number {i} in Harrow.") for i in range(5)]
    arts += [Article(id="k0", text="Rena Major said the vote would wait. Major said it twice.")]
    reconciler = _all_at_once(arts)
    assert ("PERSON", 5) not in _named(reconciler, "State")
    assert _named(reconciler, "Rena Major") == [("PERSON", 1)]  # (a surname that is also a title word)


@pytest.mark.parametrize("text, name", [
    ("Kestrel Petroleum said the well was capped.", "Kestrel Petroleum"),
    ("Amnesty International said the arrests were unlawful.", "Amnesty International"),
    ("Brannock Oil reported a loss.", "Brannock Oil"),
])
def test_a_company_word_at_the_end_of_a_name_makes_an_organisation(text, name) -> None:
    found = [(m.name, m.type) for m in extract_names(Article(id="t", text=text))]
    assert (name, "ORG") in found


def test_a_portfolio_before_a_title_is_no_organisation() -> None:
    found = [(m.name, m.type) for m in extract_names(Article(id="t", text="Oil Minister Ali Naimi said output rose."))]
    assert found == [("Ali Naimi", "PERSON")]


def _typo_first() -> list[Article]:
    said = ["the report found", "inspectors wrote on Monday", "a lawyer for the families told the court"]
    return [Article(id="t0", text="The cement came from Haliburten, the report found.", date="2031-05-01"),
            *[Article(id=f"h{i}", text=f"The cement poured into well number {i + 7} came from Halliburton, {s}.",
                      date="2031-05-02") for i, s in enumerate(said)]]


@pytest.mark.parametrize("reconcile", [_one_by_one, _all_at_once])
def test_a_thing_is_named_as_most_of_its_articles_write_it(reconcile) -> None:
    found = [e for e in reconcile(_typo_first()).entities if "Haliburten" in e.aliases]
    assert [(e.name, len(e.article_ids)) for e in found] == [("Halliburton", 4)]


def test_a_later_run_names_a_thing_as_one_run_does(tmp_path) -> None:
    from storyline.pipeline import ingest_articles
    from storyline.store import Store

    arts = _typo_first()
    with Store(tmp_path / "one.db") as one, Store(tmp_path / "two.db") as two:
        ingest_articles(one, arts)
        ingest_articles(two, arts[:2])  # one article each way: the first spelling met stays
        ingest_articles(two, arts[2:])  # a new run: the store's count of each spelling is weighed
        names = [sorted(e["name"] for e in s.list_entities() if "Haliburten" in e["aliases"]) for s in (one, two)]
        assert names == [["Halliburton"], ["Halliburton"]]


def _spellings() -> list[Article]:
    """One leader in two transliterations (one rare), a minister by nickname and full name, and two people who share
    a surname with given names whose consonants agree but not their vowel groups."""
    return [Article(id="m0", text="Leader Moammar Gadhafi spoke in Tarvel on Monday.", date="2031-05-01"),
            *[Article(id=f"m{i}", text=f"Leader Muammar Gaddafi gave a speech in Tarvel {i} days later.",
                      date="2031-05-02") for i in range(1, 4)],
            Article(id="d0", text="Energy Minister Bob Dudley said the pipeline was safe.", date="2031-05-02"),
            Article(id="d1", text="Energy Minister Robert Dudley said the leak was small.", date="2031-05-03"),
            Article(id="a0", text="Mahmoud Haddad, a trader, said prices rose.", date="2031-05-03"),
            Article(id="a1", text="Mohammed Haddad, a farmer, said the harvest failed.", date="2031-05-03")]


@pytest.mark.parametrize("reconcile", [_one_by_one, _all_at_once])
def test_transliterated_and_nicknamed_given_names_are_one_person_named_as_most_write_it(reconcile) -> None:
    people = {e.name: sorted(e.aliases) for e in reconcile(_spellings()).entities if e.type == "PERSON"}
    assert people["Muammar Gaddafi"] == ["Moammar Gadhafi", "Muammar Gaddafi"]
    assert [aliases for name, aliases in people.items() if name.endswith("Dudley")] == [["Bob Dudley", "Robert Dudley"]]
    assert "Mahmoud Haddad" in people and "Mohammed Haddad" in people  # two people


def test_a_fuller_form_of_the_most_written_name_names_the_person() -> None:
    arts = [*[Article(id=f"b{i}", text=f"George Bush spoke on day {i}.") for i in range(3)],
            Article(id="w", text="George W. Bush spoke again.")]
    people = [e.name for e in _all_at_once(arts).entities if e.type == "PERSON"]
    assert people == ["George W. Bush"]


@pytest.mark.parametrize("text, found", [
    ("White House Chief of Staff Rahm Emanuel said so.", [("White House", "ORG"), ("Rahm Emanuel", "PERSON")]),
    ("High Commissioner for Human Rights Navi Pillay said so.", [("Navi Pillay", "PERSON")]),
    ("UN High Commissioner for Refugees Antonio Guterres said so.", [("Antonio Guterres", "PERSON")]),
    ("The High Commissioner for Refugees said so.", [("Refugees", "MISC")]),
    ("Secretary of Veterans Affairs Eric Shinseki said so.", [("Eric Shinseki", "PERSON")]),
    ("Minister of Public Works Ghazi Aridi said so.", [("Ghazi Aridi", "PERSON")]),
    ("Under Secretary for Strategic Communications Ben Rhodes said so.", [("Ben Rhodes", "PERSON")]),
    ("Lieutenant-General Charles Bouchard said so.", [("Charles Bouchard", "PERSON")]),
    ("The Minister for Europe, Jane Doe, said so.", [("Europe", "PLACE"), ("Jane Doe", "PERSON")]),
    ("Republican John McCain said so.", [("John McCain", "PERSON")]),
    ("Liberal Democrat Nick Clegg said so.", [("Nick Clegg", "PERSON")]),
    ("The Democratic National Convention opened.", [("Democratic National Convention", "MISC")]),
])
def test_offices_ranks_and_party_labels_are_no_part_of_a_name(text, found) -> None:
    assert [(m.name, m.type) for m in extract_names(Article(id="t", text=text))] == found


@pytest.mark.parametrize("text, name, typ", [
    ("Democratic Senators met. The senators left early.", "Democratic Senators", "MISC"),
    ("Robert Gates visited the old city gates.", "Robert Gates", "PERSON"),
    ("North Yorkshire police said so.", "North Yorkshire", "PLACE"),
    ("He drove to South Asia.", "South Asia", "PLACE"),
    ("Kanye West said so.", "Kanye West", "PERSON"),
    ("Halliburton Co said so.", "Halliburton Co", "ORG"),
    ("Barclays Capital analysts said so.", "Barclays Capital", "ORG"),
    ("Merrill Lynch & Co. said so.", "Merrill Lynch & Co", "ORG"),
])
def test_plurals_compass_points_and_company_endings_type_a_name(text, name, typ) -> None:
    assert (name, typ) in [(m.name, m.type) for m in extract_names(Article(id="t", text=text))]


@pytest.mark.parametrize("text, name, typ", [
    ("Shares of investment bank Brannock Sayle fell.", "Brannock Sayle", "ORG"),
    ("The mortgage lenders Kessa Maren were rescued.", "Kessa Maren", "ORG"),
    ("The tanker Orvan Star ran aground off the coast.", "Orvan Star", "MISC"),
    ("It was the worst spill since the 1989 Orvan Star disaster.", "Orvan Star", "MISC"),
])
def test_what_stands_before_a_name_says_it_is_a_company_or_a_ship(text, name, typ) -> None:
    assert (name, typ) in [(m.name, m.type) for m in extract_names(Article(id="t", text=text))]


def test_initials_are_nobodys_surname_and_join_the_organisation_so_written() -> None:
    arts = [Article(id="a0", text="By Ann Vell, business correspondent KPC's shareholders would lose."),
            Article(id="a1", text="Energy Minister Tomas Kel said KPC Group would pay."),
            Article(id="a2", text="KPC said the well was sealed."),
            Article(id="a3", text="Analysts said KPC would be fined.")]
    assert ("KPC", "ORG") in [(m.name, m.type) for m in extract_names(arts[0])]
    kinds = {(e.name, e.type) for e in _one_by_one(arts).entities if "KPC" in e.aliases}
    assert kinds and all(t != "PERSON" for _, t in kinds)


def test_a_word_an_organisation_cue_types_joins_the_entity_its_bare_mentions_made() -> None:
    arts = [Article(id="c0", text="Investors worried about Citraxo for weeks."),
            Article(id="c1", text="Analysts watched Citraxo closely."),
            Article(id="b", text="Members of the Citraxo movement marched.")]
    found = [(e.name, e.type, len(e.article_ids)) for e in _one_by_one(arts).entities if e.name == "Citraxo"]
    assert found == [("Citraxo", "ORG", 3)]


def test_two_people_found_to_be_one_are_merged_into_the_older() -> None:
    from storyline.model import Entity

    # two entities an earlier version kept apart ("Muammar"/"Moammar" did not meet then)
    older = Entity(id="en-older", name="Muammar Gaddafi", type="PERSON", aliases=["Muammar Gaddafi"],
                   article_ids=["a1", "a2"])
    newer = Entity(id="en-newer", name="Moammar Gadhafi", type="PERSON", aliases=["Moammar Gadhafi"],
                   article_ids=["a3"])
    other = Entity(id="en-other", name="Saif Gaddafi", type="PERSON", aliases=["Saif Gaddafi"], article_ids=["a4"])
    reconciler = Reconciler([older, newer, other])
    reconciler.add({"a5": extract_names(Article(id="a5", text="Leader Moammar Gadhafi spoke in Tarvel."))})
    assert reconciler.merges == [("en-newer", "en-older")]
    people = {e.id: (sorted(e.aliases), sorted(e.article_ids)) for e in reconciler.entities if e.type == "PERSON"}
    assert people == {"en-older": (["Moammar Gadhafi", "Muammar Gaddafi"], ["a1", "a2", "a3", "a5"]),
                      "en-other": (["Saif Gaddafi"], ["a4"])}


@pytest.mark.parametrize("reconcile", [_one_by_one, _all_at_once])
def test_a_words_entities_of_two_types_are_one_when_its_articles_agree_together(reconcile) -> None:
    arts = [*[Article(id=f"b{i}", text=f"Korvest was quiet on day {i}.") for i in range(3)],
            *[Article(id=f"p{i}", text=f"Shelling hit {i + 2} houses in Korvest.") for i in range(3)]]
    found = [(e.name, e.type, len(e.article_ids)) for e in reconcile(arts).entities if e.name == "Korvest"]
    assert found == [("Korvest", "PLACE", 6)]


def test_a_place_by_its_articles_alone_needs_a_twentieth_of_them() -> None:
    from storyline.enrich.entities import _voted_type

    assert _voted_type(["MISC"] * 30 + ["PLACE"] * 3) == "PLACE"  # "in Velmora" beside "the Velmora market"
    assert _voted_type(["MISC"] * 97 + ["PLACE"] * 4) == "MISC"  # "in the Internet" in 4 of 101


def test_a_city_with_its_states_initials_is_the_place_a_cue_made_of_it() -> None:
    arts = [Article(id="p", text="The summit was held in Washington DC on Monday."),
            *[Article(id=f"m{i}", text=f"Washington DC was quiet on day {i}.") for i in range(3)]]
    found = {(e.name, e.type, len(e.article_ids)) for e in _all_at_once(arts).entities if "Washington DC" in e.aliases}
    assert found == {("Washington DC", "PLACE", 4)}


@pytest.mark.parametrize("reconcile", [_one_by_one, _all_at_once])
def test_a_first_name_alone_is_the_one_well_named_person_who_has_it(reconcile) -> None:
    arts = [*[Article(id=f"k{i}", text=f"President Darvo Kessel spoke on day {i}.") for i in range(4)],
            *[Article(id=f"d{i}", text=f"President Darvo Kessel arrived on day {i}. Crowds cheered as "
                                       f"President Darvo waved.") for i in range(3)]]
    people = [(e.name, len(e.article_ids)) for e in reconcile(arts).entities if e.type == "PERSON"]
    assert people == [("Darvo Kessel", 7)]
    # two people of that first name in the same articles: which one it is, nothing says
    two = [Article(id=f"t{i}", text=f"President Darvo Kessel met Minister Darvo Melnik on day {i}. Crowds cheered "
                                    f"as President Darvo waved.") for i in range(4)]
    assert {e.name for e in reconcile(two).entities if e.type == "PERSON"} == {"Darvo Kessel", "Darvo Melnik",
                                                                                 "Darvo"}
    # nor is a first name written mostly where its namesake is not
    apart = [*arts[:4], *[Article(id=f"n{i}", text=f"Crowds cheered as President Darvo waved on day {i}.")
                          for i in range(3)]]
    assert {e.name for e in reconcile(apart).entities if e.type == "PERSON"} == {"Darvo Kessel", "Darvo"}


def test_a_name_without_a_given_name_merges_nobody() -> None:
    from storyline.enrich.entities import EntityMention
    from storyline.model import Entity

    known = [Entity(id="e1", name="Robert Smith", type="PERSON", aliases=["Robert Smith"], article_ids=["a1"]),
             Entity(id="e2", name="Bob Smith", type="PERSON", aliases=["Bob Smith"], article_ids=["a2"])]
    reconciler = Reconciler(known)
    reconciler.add([EntityMention("a3", "Smith Jr.", 0, 9, 0, "PERSON", "Smith Jr.")])
    assert reconciler.merges == []


def test_a_place_named_by_the_end_of_its_hyphenated_name_is_that_place() -> None:
    art = Article(id="h", text="Shelling hit villages in Nagorno-Marash on Monday. Talks on Marash resume soon.")
    assert [(m.text, m.name) for m in extract_names(art) if m.type == "PLACE"] == \
        [("Nagorno-Marash", "Nagorno-Marash"), ("Marash", "Nagorno-Marash")]


@pytest.mark.parametrize("reconcile", [_one_by_one, _all_at_once])
def test_a_name_that_starts_or_ends_anothers_full_name_is_that_person(reconcile) -> None:
    # one outlet writes the full name, another its end or its start: they need not meet in articles
    full = [Article(id=f"f{i}", text=f"President Recep Tayfun Ozkaya met the envoy on day {i}.") for i in range(4)]
    short = [Article(id=f"s{i}", text=f"President Tayfun Ozkaya spoke on day {i}.") for i in range(3)]
    people = {(e.name, len(e.article_ids)) for e in reconcile([*full, *short]).entities if e.type == "PERSON"}
    assert people == {("Recep Tayfun Ozkaya", 7)}
    # the start of a name, where the family name it leaves off is that of someone its articles name
    son = [Article(id=f"g{i}", text=f"Leader Omar Taliq said on day {i} that Saif al-Rashid Taliq would speak.")
           for i in range(4)]
    bare = [Article(id=f"b{i}", text=f"Leader Omar Taliq said on day {i} that his son Saif al-Rashid was safe.")
            for i in range(3)]
    people = {(e.name, len(e.article_ids)) for e in reconcile([*son, *bare]).entities if e.type == "PERSON"}
    assert ("Saif al-Rashid Taliq", 7) in people and not any(n == "Saif al-Rashid" for n, _ in people)


def test_a_western_middle_name_and_surname_are_another_person() -> None:
    # "Michael Joseph Jackson" and his father "Joe Jackson": the end of a Western name is no name of its own
    son = [Article(id=f"m{i}", text=f"Singer Michael Joe Vance died on day {i}.") for i in range(6)]
    father = [Article(id=f"j{i}", text=f"His father Joe Vance spoke on day {i}.") for i in range(3)]
    people = {e.name for e in _all_at_once([*son, *father]).entities if e.type == "PERSON"}
    assert {"Michael Joe Vance", "Joe Vance"} <= people


@pytest.mark.parametrize("reconcile", [_one_by_one, _all_at_once])
def test_a_name_a_place_cue_makes_a_place_is_that_place_where_only_its_shape_made_it_a_person(reconcile) -> None:
    placed = [Article(id=f"p{i}", text=f"Tanks shelled homes in Baba Dar on day {i}.") for i in range(3)]
    shaped = [Article(id=f"s{i}", text=f"The bombardment on Baba Dar went on, on day {i}.") for i in range(5)]
    found = {(e.name, e.type, len(e.article_ids)) for e in reconcile([*shaped, *placed]).entities
             if e.name == "Baba Dar"}
    assert found == {("Baba Dar", "PLACE", 8)}
