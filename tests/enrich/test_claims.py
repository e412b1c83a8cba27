"""Claims, figures and disagreements on the fictional fixture (always) and the seeds (when present)."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.clean import clean_article
from storyline.enrich.claims import claim_figures, extract_claims, extract_figures, parse_number
from storyline.enrich.disagreements import find_disagreements, stem
from storyline.enrich.entities import alias_lookup, extract_mentions, reconcile
from storyline.model import Article, Claim, Figure
from storyline.pipeline import ingest_articles
from storyline.store import Store

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "claims"
SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"


def claims_of(articles):
    mentions = {a.id: extract_mentions(a) for a in articles}
    lookup = alias_lookup(reconcile(mentions))
    return [c for a in articles for c in extract_claims(a, mentions[a.id], lookup)]


def figs(claim):
    return [(f.value, f.unit, f.subject) for f in claim.figures]


def fixture_articles():
    return [Article(id=p.stem, text=p.read_text(encoding="utf-8")) for p in sorted(FIXTURES.glob("*.txt"))]


@pytest.mark.parametrize("text,expected", [
    ("Hundreds of soldiers and civilians have been killed", [(None, "soldiers", "killed")]),
    ("772 Armenian soldiers and 36 civilians have been killed",
     [(772, "soldiers", "killed"), (36, "civilians", "killed")]),
    ("63 civilian casualties but has yet to disclose military losses", [(63, "civilians", "casualties")]),
    ("eleven people were injured", [(11, "people", "wounded")]),
    ("a war that left 30,000 people dead", [(30000, "people", "killed")]),
    ("1.2 million people were displaced", [(1_200_000, "people", "displaced")]),
    ("talks on October 21 lasted 11 hours", [(11, "hours", None)]),
    ("the 1994 ceasefire", []),
])
def test_figures(text, expected):
    assert [(f.value, f.unit, f.subject) for f in extract_figures(text)] == expected


@pytest.mark.parametrize("text,expected", [
    # money: the currency written before the amount, a scale written onto the digits
    ("it raised about $5 billion in bonds", [(5e9, "USD", None, "$5 billion")]),
    ("$2.7 trillion can look like a lot", [(2.7e12, "USD", None, "$2.7 trillion")]),
    ("between $20m and $50m for shelters", [(2e7, "USD", None, "$20m"), (5e7, "USD", None, "$50m")]),
    ("a £20m fund and €3bn of loans", [(2e7, "GBP", None, "£20m"), (3e9, "EUR", None, "€3bn")]),
    ("US$ 40 million was pledged, HK$1.2bn more", [(4e7, "USD", None, "US$ 40 million"),
                                                  (1.2e9, "HKD", None, "HK$1.2bn")]),
    ("spent $33.8bn", [(33_800_000_000, "USD", None, "$33.8bn")]),  # in decimal, not 33799999999.999996
    ("20 pounds of explosives", [(20, "lb", None, "20 pounds")]),
    # hours, ordinals and decades are no amounts
    ("at 3 p.m. and again at 9pm on the 5th, as in the 1990s", []),
    ("2m people fled; the 200m wall stood", [(2e6, "people", "displaced", "2m people")]),
    # one name per measure, rates, compound nouns
    ("30km or 20 kilometres or 6,000 feet", [(30, "km", None, "30km"), (20, "km", None, "20 kilometres"),
                                             (6000, "feet", None, "6,000 feet")]),
    ("leaking 5,000 barrels a day, or 60,000 bpd", [(5000, "barrels per day", None, "5,000 barrels a day"),
                                                    (60000, "barrels per day", None, "60,000 bpd")]),
    ("44 sea turtles and 12 Velmoran cruise missiles", [(44, "sea turtles", None, "44 sea turtles"),
                                                        (12, "cruise missiles", None,
                                                         "12 Velmoran cruise missiles")]),
    # after a number above one, no adjective or verb is what it counts
    ("a 10,000 strong crowd; 200 would follow; the Article 9 hearing", []),
    ("two strong aftershocks after the 6.1-magnitude quake", [(2, "aftershocks", None, "two strong aftershocks"),
                                                             (6.1, "magnitude", None, "6.1-magnitude")]),
    ("a three-seat cushion", [(3, "seats", None, "three-seat")]),
    # a number that is the subject counts people; "according to" gives another source's count of the same
    ("Four went to hospital", [(4, "people", None, "Four")]),
    ("14 dead according to Marakand and nine according to Khoren",
     [(14, "people", "killed", "14 dead"), (9, "people", "killed", "nine")]),
])
def test_figures_on_real_news_shapes(text, expected):
    assert [(f.value, f.unit, f.subject, f.text) for f in claim_figures(text)] == expected


@pytest.mark.parametrize("text,subject", [
    # the level a figure is of, or the change it is the size of, with what changes when the text says
    ("unemployment had fallen to 5.1 per cent", "unemployment"),
    ('real unemployment was "closer to 7 per cent"', "unemployment"),
    ("turnout stood at 41 per cent", "turnout"),
    ("the government had cut the budget of the inspectorate by 25 per cent", "budget cut"),
    ("a 20 percent cut in their budget over four years", "budget cut"),
    ("a 2.4 percent decline in fuel prices", "prices fall"),
    ("budget documents show a cut of 9 per cent", "cut"),
    ("it was 5 percent", None),
])
def test_what_a_figure_measures(text, subject):
    assert [f.subject for f in claim_figures(text)] == [subject]


def test_fractions_ages_and_times_are_no_claim_figures():
    assert claim_figures("Two-thirds of Britons believe it; a 22-year-old was held at 11:47 PM") == []


def test_parse_number_words():
    assert parse_number("thirty-six") == 36
    assert parse_number("twelve thousand") == 12000
    assert parse_number("two hundred") == 200
    assert extract_figures("Hundreds of soldiers died")[0].approximate is True
    assert extract_figures("about 40 rebels died")[0].approximate is True


def test_attribution_patterns_and_it_said():
    a = Article(id="t", text=(
        "Police in Ostrava reported 14 arrests. "
        "According to the Red Cross, 200 families have fled. "
        "\"We will not retreat,\" the general said. "
        "Kestran on Monday denied shelling the bridge. "
        "\"The report is baseless,\" it said."))
    cs = claims_of([a])
    got = [(c.speaker, c.verb, c.polarity) for c in cs]
    assert ("Police in Ostrava", "report", "assert") in got
    assert ("Red Cross", "say", "assert") in got
    assert ("the general", "say", "assert") in got
    assert ("Kestran", "deny", "deny") in got
    assert got[-1] == ("Kestran", "say", "deny")  # "it said" is the previous sentence's speaker


def test_fixture_claims_figures_and_denial():
    cs = claims_of(fixture_articles())
    by_speaker = {}
    for c in cs:
        by_speaker.setdefault(c.speaker, []).append(c)
    assert (412, "soldiers", "killed") in figs(by_speaker["Arvenna"][0])
    assert (27, "civilians", "killed") in figs(by_speaker["Arvenna"][0])
    assert figs(by_speaker["Kestra City"][0]) == [(51, "civilians", "casualties")]
    assert by_speaker["Mariam Sarkisian"][0].speaker_entity_id
    denial = [c for c in cs if c.polarity == "deny" and "untrue" in c.text][0]
    assert denial.speaker == "Kestran"  # resolved from "it said"
    flags = find_disagreements(cs)
    pairs = {(cs[a].speaker, cs[d].speaker) for f in flags if f.kind == "denial"
             for a in f.claims if cs[a].polarity != "deny" for d in f.claims if cs[d].polarity == "deny"}
    assert ("Mariam Sarkisian", "Kestran") in pairs


def test_figure_conflicts_need_same_quantity_and_different_speakers():
    def claim(speaker, value, unit="soldiers", subject="killed", text="x"):
        return Claim(article_id=speaker, speaker=speaker, verb="say", text=text,
                     figures=[Figure(value, unit, subject, text=f"{value} {unit}")])
    cs = [claim("Arvenna", 412), claim("Kestra City", 2300), claim("Arvenna", 500),
          claim("Kestra City", 51, "civilians", "casualties")]
    flags = [d for d in find_disagreements(cs) if d.kind == "figures"]
    assert [d.claims for d in flags] == [[0, 1], [1, 2]]
    assert "Arvenna: 412" in flags[0].note and "Kestra City: 2,300" in flags[0].note
    # a vague figure beside an exact one in the same claim does not break the note
    mixed = Claim("m", "M", "say", "t", figures=[Figure(None, "soldiers", "killed", approximate=True),
                                                 Figure(90, "soldiers", "killed")])
    assert [d.note for d in find_disagreements([cs[0], mixed])] == ["soldiers killed: Arvenna: 412, M: 90"]
    # different qualifiers ("Armenian" vs "Azerbaijani" soldiers) are different quantities
    a = Claim("a", "A", "say", "t", figures=[Figure(10, "soldiers", "killed", text="10 Armenian soldiers")])
    b = Claim("b", "B", "say", "t", figures=[Figure(20, "soldiers", "killed", text="20 Azerbaijani soldiers")])
    assert find_disagreements([a, b]) == []



def test_figures_of_other_places_or_of_the_speakers_own_side_are_other_quantities():
    def said(speaker, text):
        return Claim(article_id=speaker, speaker=speaker, verb="say", text=text, figures=claim_figures(text))

    kesten = said("Velmora", "Drasski rockets killed nine people in Kesten on March 5")
    lomira = said("Drassk", "Velmoran artillery killed 13 people in Lomira")
    unplaced = said("Ostrelia", "11 people were killed")
    assert find_disagreements([kesten, lomira]) == []
    # a figure with no place may disagree with either, but one flag never holds both places
    flags = find_disagreements([unplaced, kesten, lomira])
    assert flags and all(not {0, 1, 2} <= set(d.claims) for d in flags)
    assert {tuple(d.claims) for d in flags} == {(0, 1), (0, 2)}
    # "it had lost nine men": Drassk counts its own soldiers, not Velmora's
    own = said("Drassk", "it had lost nine men")
    theirs = said("Velmoran army", "31 Velmoran soldiers had been killed")
    other = said("Ostrelia", "Drasski losses stood at 20 soldiers killed")
    assert find_disagreements([own, theirs]) == []
    assert [d.claims for d in find_disagreements([own, other])] == [[0, 1]]
    # whose losses a figure gives may come just before it
    losses = said("Ostrelian monitors", "Velmoran losses stood at 14 soldiers killed")
    assert find_disagreements([own, losses]) == [] and find_disagreements([theirs, losses])
    # "raised its death toll to nine": the speaker's own dead, not the other side's
    toll = said("Velmora's interior ministry", "its death toll rose to nine on Friday morning")
    drasski = said("Serzh Harutyunian", "at least 15 Drasski civilians had been killed")
    assert find_disagreements([toll, drasski]) == []
    # a number word capitalised at the start of a sentence says nothing of whose people they were
    nine = said("Velmora", "Nine soldiers were killed overnight")
    assert [d.claims for d in find_disagreements([nine, theirs])] == [[0, 1]]



def test_a_part_of_a_count_or_a_total_of_several_counts_is_no_rival_figure():
    def said(speaker, text):
        return Claim(article_id=speaker, speaker=speaker, verb="say", text=text, figures=claim_figures(text))

    # "two of the wounded had died" counts no wounded; "1,500 of its soldiers were killed" is a count
    assert [f.value for f in claim_figures("the death toll rose to 13, saying two of the wounded had died")] == [13]
    assert claim_figures("three of the dead were children") == []
    assert [f.value for f in claim_figures("1,500 of its soldiers were killed")] == [1500]
    clinic = said("Civilian Aid Network", "its clinic had received 40 wounded people by midday")
    toll = said("Drasski interior ministry", "the death toll rose to 13, saying two of the wounded had died")
    assert find_disagreements([toll, clinic]) == []
    # a sum over two attacks is set against neither attack's figure, only against another sum
    kesten = said("Velmora", "Drasski rockets killed nine people in Kesten on March 5")
    unplaced = said("Drassk", "Velmoran artillery killed 13 people")
    total = said("Ostrelia", "The two attacks, six days apart, have killed 22 civilians between them")
    other_total = said("monitors", "25 civilians were killed in the two attacks combined")
    assert find_disagreements([total, kesten]) == [] and find_disagreements([total, unplaced]) == []
    assert [d.claims for d in find_disagreements([total, kesten, other_total])] == [[0, 2]]

def test_stems_and_synonyms():
    assert stem("downed") == stem("downing") == "down"
    assert stem("plane") == stem("aircraft") == stem("warplanes")


def test_seeds_claims_and_disagreement():
    if not SEEDS.is_dir():
        pytest.skip(f"seeds not available at {SEEDS}")
    arts = [clean_article(Article(id=p.stem, text=p.read_text(encoding="utf-8"))) for p in sorted(SEEDS.glob("*.txt"))]
    cs = claims_of(arts)
    all_figs = {(c.speaker, f.value, f.unit, f.subject) for c in cs for f in c.figures}
    assert ("Yerevan", 772, "soldiers", "killed") in all_figs
    assert ("Yerevan", 36, "civilians", "killed") in all_figs
    assert ("Baku", 63, "civilians", "casualties") in all_figs
    flags = [d for d in find_disagreements(cs) if d.kind == "denial"]
    texts = [(cs[a].text, cs[d].text) for f in flags
             for a in f.claims if cs[a].polarity != "deny" for d in f.claims if cs[d].polarity == "deny"]
    assert any("downed an Azerbaijani military plane" in a and "untrue" in b for a, b in texts)


def test_pipeline_stores_entities_claims_and_disagreements(tmp_path):
    store = Store(tmp_path / "t.db")
    arts = fixture_articles()
    ingest_articles(store, arts[:1])
    ingest_articles(store, arts[1:])  # second batch: reconciled against the stored entities
    ents = store.list_entities(type="PERSON")
    aliyev = [e for e in ents if "Ceyhan Aliyev" in e["aliases"]]
    assert aliyev and "Jeyhan Aliev" in aliyev[0]["aliases"] and len(aliyev[0]["article_ids"]) == 2
    claims = list(store.iter_claims())
    assert any(f.value == 412 for c in claims for f in c.figures)
    # put both articles in one event and recompute its disagreements as the pipeline does
    with store.transaction() as conn:
        conn.execute("INSERT INTO events(id) VALUES ('ev-1')")
        conn.execute("UPDATE articles SET event_id = 'ev-1'")
    ev_claims = store.event_claims("ev-1")
    store.set_disagreements("ev-1", find_disagreements(ev_claims), ev_claims)
    view = store.event_who_said_what("ev-1")
    kinds = {d["kind"] for d in view["disagreements"]}
    assert "denial" in kinds
    d = next(d for d in view["disagreements"] if d["kind"] == "denial")
    assert all(0 <= i < len(view["claims"]) for i in d["claims"])
    assert any(e["name"] == "Davit Karapetian" for e in view["entities"])
    store.close()


def test_speaker_phrases_without_conjunctions_determiners_or_partial_words() -> None:
    arts = [Article(id="s1", text="Anna Berg, the mayor of Varn, spoke first. But she said the bridge would reopen "
                                  "within a week."),
            Article(id="s2", text="The state-run Kestrel Radio reported clashes near the border overnight."),
            Article(id="s3", text="The Lirian Observatory for Civil Rights said 24 people were detained across "
                                  "Liria on Monday.")]
    found = {c.article_id: c for c in claims_of(arts)}
    assert found["s1"].speaker == "Anna Berg"  # "But she" is Anna Berg, not a speaker called "But she"
    assert "s2" not in found or found["s2"].speaker != "The"  # "The" + "state" is no speaker and verb
    assert found["s3"].speaker == "Lirian Observatory for Civil Rights"  # not "Liria", inside "Lirian"


def test_speaker_phrases_without_a_time_before_or_an_auxiliary_after() -> None:
    arts = [Article(id="a1", text="In February, the Drasski government said 3,838 people had been killed."),
            Article(id="a2", text="Monitors have said the crossings at Orvik stayed shut all week."),
            Article(id="a3", text="The number of cases has risen to 72, the health ministry said on Monday."),
            Article(id="a4", text="Every district in Orvik has one clinic that stays open, the mayor said."),
            Article(id="a5", text="Asked about the talks, Anna Berg said the bridge would reopen within a week.")]
    speakers = {c.article_id: c.speaker for c in claims_of(arts)}
    assert speakers["a1"] == "Drasski government"
    assert speakers["a2"] == "Monitors"
    assert speakers.get("a3") != "The number of" and speakers.get("a4") != "Every district in Orvik has one"
    assert speakers["a5"] == "Anna Berg"


def test_a_group_its_place_names_is_the_speaker_not_the_place() -> None:
    arts = [Article(id="g1", text="Velmoran border monitors said the crossings at Orvik stayed shut all week."),
            Article(id="g2", text="Drasski state television said the army had entered the town of Lomira.")]
    speakers = {c.article_id: (c.speaker, c.verb) for c in claims_of(arts)}
    assert speakers == {"g1": ("Velmoran border monitors", "say"), "g2": ("Drasski state television", "say")}


def test_a_bracketed_page_note_before_the_speaker_and_he_after_a_country() -> None:
    noted = Article(id="n1", text="(Updated 5:27 p.m. (0027 in Velmora)) President Tariq Aliev said he was on the "
                                  "side of the people.\n\"I assure you that I am working for the people,\" he said.")
    assert [c.speaker for c in claims_of([noted])] == ["Tariq Aliev", "Tariq Aliev"]
    country = Article(id="n2", text="Fighting went on in Velmora. Velmora said the curfew would hold.\n\"I assure "
                                    "you that I am working for the people,\" he said.")
    assert [c.speaker for c in claims_of([country])] == ["Velmora"]  # "he" is no country
    shop = Article(id="n3", text="A shopkeeper in Kesten said the market was empty.\n\"Several families have left,\" "
                                 "she said.")
    assert [c.speaker for c in claims_of([shop])] == ["A shopkeeper in Kesten"] * 2  # not the place: "she" is her


def test_the_writer_is_no_attributed_source() -> None:
    arts = [Article(id="w1", text="As I said last week, the bridge will not reopen before May."),
            Article(id="w2", text="I can say the bridge will not reopen before May."),
            Article(id="w3", text="You say the bridge will not reopen before May.")]  # (an interviewer)
    assert claims_of(arts) == []


def test_one_flag_per_denier_and_speaker_denied():
    def claim(speaker: str, text: str, polarity: str = "assert") -> Claim:
        return Claim(article_id="a", speaker=speaker, verb="deny" if polarity == "deny" else "say", text=text,
                     polarity=polarity)

    cs = [claim("Ada Voss", "Drassk was supplying attack helicopters to the Velmoran army"),
          claim("Ada Voss", "Drassk had shipped attack helicopters to the Velmoran army by sea"),
          claim("Serzh Harutyunian", "Drassk was not supplying attack helicopters to the Velmoran army", "deny"),
          claim("Rauf Guliyev", "the attack helicopters reached the Velmoran army last week")]
    flags = [f for f in find_disagreements(cs) if f.kind == "denial"]
    by_pair = {(cs[min(f.claims)].speaker, cs[max(i for i in f.claims if cs[i].polarity == "deny")].speaker):
               sorted(f.claims) for f in flags}
    assert by_pair[("Ada Voss", "Serzh Harutyunian")] == [0, 1, 2]
    assert len(flags) == len(by_pair)


def _figure_flags(said: list[tuple[str, str]]) -> list[list[int]]:
    """The figure conflicts among claims made of (speaker, text), each as its sorted claim indexes."""
    from storyline.enrich.claims import claim_figures

    cs = [Claim(article_id="a", speaker=speaker, verb="say", text=text, figures=claim_figures(text))
          for speaker, text in said]
    return [sorted(f.claims) for f in find_disagreements(cs) if f.kind == "figures"]


def test_counts_of_different_towns_and_a_national_total_are_no_conflict():
    assert _figure_flags([
        ("Activists", "troops fired mortars at protesters in the eastern city of Kesten, killing at least 10 people"),
        ("The observatory", "at least seven people were killed in Lomira, a suburb of the capital"),
        ("The group", "58 people had been killed in violence across the country on Wednesday"),
        ("Medics", "nine people were killed in Kesten overnight")]) == [[0, 3]]  # Kesten's two counts only


@pytest.mark.parametrize("text, speaker", [
    ("The government and the rebels have both denied the report of a truce.", "The government and the rebels"),
    ("The ministry and the army have each rejected the figure of 400 dead.", "The ministry and the army"),
    ("The ministry vehemently denied shelling the town of Lomira.", "The ministry"),
])
def test_adverbs_before_the_verb_are_no_part_of_the_speaker(text, speaker):
    cs = claims_of([Article(id="a", text=text)])
    assert [c.speaker for c in cs] == [speaker]


def test_tolls_over_different_stretches_of_time_are_no_conflict():
    assert _figure_flags([
        ("Activists", "135 people have died in the past two days"),
        ("The ministry", "about 200 people have been killed since the mission was renewed"),
        ("Medics", "30 people have been killed so far on Saturday"),
        ("Monitors", "more than 5,000 people have been killed since protests erupted in March"),
        ("Observers", "more than 6,400 people have been killed since protests erupted in March")]) == [[3, 4]]


def test_armed_men_are_counted_apart_from_people():
    assert _figure_flags([
        ("The ministry", "about 2,000 members of the security forces have been killed since the unrest began"),
        ("Monitors", "more than 5,000 people have been killed since the unrest began"),
        ("The army", "some 2,600 members of the armed forces have been killed since the unrest began")]) == [[0, 2]]


@pytest.mark.parametrize("text, side", [
    ("Velmoran Defence Minister Tariq Aliev said the figure was false.", "velmoran"),
    ("The Drasski foreign minister, Serzh Harutyunian, said the figure was false.", "drasski"),
    ("Velmora's Tariq Aliev said the figure was false.", "velmora"),
    ("Foreign Minister Tarik Aliyev of Velmora said the figure was false.", "velmora"),
    ("On Monday, Tariq Aliev said the figure was false.", None),
])
def test_the_side_an_article_says_a_speaker_stands_for(text, side):
    [claim] = claims_of([Article(id="s", text=text)])
    assert claim.side == side


def test_a_denial_by_ones_own_side_is_no_disagreement():
    said = Article(id="a", text="The Velmoran defence ministry said 1,900 Drasski soldiers had been killed in Orvik.")
    own = Article(id="b", text="Velmoran Defence Minister Tariq Aliev denied that 1,900 Drasski soldiers had been "
                               "killed in Orvik.")
    other = Article(id="c", text="Drasski Defence Minister Serzh Harutyunian denied that 1,900 Drasski soldiers had "
                                 "been killed in Orvik.")
    assert [d.kind for d in find_disagreements(claims_of([said, own]))] == []
    assert [d.kind for d in find_disagreements(claims_of([said, other]))] == ["denial"]
    # a later article naming him without his title: the event's other article said whom he stands for
    bare = Article(id="d", text="Tariq Aliev denied that 1,900 Drasski soldiers had been killed in Orvik.")
    assert [d.kind for d in find_disagreements(claims_of([said, own, bare]))] == []


def test_a_denial_meets_no_claim_on_the_terms_most_of_the_events_claims_hold():
    def said(speaker, text, polarity="assert"):
        return Claim(article_id=speaker, speaker=speaker, verb="say", text=text, polarity=polarity)

    background = [said(f"Reporter {i}", f"the oil spill reached beach number {i} of the coast") for i in range(8)]
    denial = said("Kestrax", "the oil spill was not caused by its crews", polarity="deny")
    unrelated = said("Ann Lee", "the oil spill reached the harbour on Monday")
    blamed = said("Rita Wendt", "Kestrax crews caused the oil spill")
    # "oil" and "spill" are in every claim of the event: they tie the denial to no claim
    assert find_disagreements([*background, unrelated, denial]) == []
    assert [d.kind for d in find_disagreements([*background, blamed, denial])] == ["denial"]
    # in an event of a few claims the same two terms still meet what was said of the denier's side ...
    assert [d.kind for d in find_disagreements([blamed, denial])] == ["denial"]
    # ... and nothing else: its crews not causing the spill answers no word on where the spill reached
    assert find_disagreements([unrelated, denial]) == []


def test_figures_that_can_both_be_true_are_no_disagreement():
    def said(speaker, text):
        return extract_claims(Article(id=speaker, text=f"{speaker} said {text}."))[0]

    def flagged(x, y):
        return [d.kind for d in find_disagreements([said("Velmora", x), said("Drassk", y)])] == ["figures"]

    assert flagged("40 soldiers were killed in Orvik", "12 soldiers were killed in Orvik")
    assert not flagged("at least 40 soldiers were killed in Orvik", "52 soldiers were killed in Orvik")
    assert flagged("at least 40 soldiers were killed in Orvik", "12 soldiers were killed in Orvik")
    assert not flagged("up to 50,000 people were killed in Orvik", "20,000 people were killed in Orvik")
    assert flagged("up to 50,000 people were killed in Orvik", "up to 200,000 people were killed in Orvik")
    assert not flagged("more than 5,000 people were killed in Orvik", "more than 5,400 people were killed in Orvik")
    assert flagged("nearly 500 people were killed in Orvik", "900 people were killed in Orvik")
    assert not flagged("about 200 people were killed in Orvik", "190 people were killed in Orvik")
    assert flagged("about 6,000 people were evacuated from Orvik", "about 9,000 people were evacuated from Orvik")


def test_a_noun_that_reads_as_a_verb_stays_in_the_speaker():
    # "report" is first read as the verb and set aside; the speaker is then the text as written, not the mask
    a = Article(id="r", text="The report said that 94 of 116 villages had no water. The report on the dam found "
                             "that its gates had failed.")
    got = [(c.speaker, c.verb) for c in claims_of([a])]
    assert got == [("The report", "say"), ("The report on the dam", "find")]


def test_rival_levels_and_changes_and_counts_so_far() -> None:
    def said(speaker, text):
        return Claim(article_id=speaker, speaker=speaker, verb="say", text=text, figures=claim_figures(text))

    def conflicts(*cs):
        return [d.note for d in find_disagreements(list(cs)) if d.kind == "figures"]

    assert conflicts(said("Wendt", "unemployment had fallen to 5.1 per cent"),
                     said("Ferenc", 'real unemployment was "closer to 7 per cent"'))
    # a change that does not say what it changes is set against the changes of what the event says is changed
    assert conflicts(said("Ferenc", "the government had cut the budget of the inspectorate by 25 per cent"),
                     said("the Union", "figures showing a cut of 9 per cent in 2024, which had since been reversed"))
    # one speaker's figure repeated in another article is the same disagreement: one flag
    flags = [d for d in find_disagreements([
        said("Ferenc", "the government had cut the budget of the inspectorate by 25 per cent"),
        said("the Union", "figures showing a cut of 9 per cent in 2024"),
        said("Ferenc", "the government cut the inspectorate's budget by 25 per cent")]) if d.kind == "figures"]
    assert [d.claims for d in flags] == [[0, 1, 2]]
    assert flags[0].note == "percent budget cut: Ferenc: 25, the Union: 9"
    # a count up to an hour of the day is no rival of the final one
    assert conflicts(said("the commission", "By 4 p.m. turnout stood at 41 per cent"),
                     said("Ostrel Radio", "turnout was 64.3 per cent")) == []
    assert conflicts(said("the commission", "At 4 p.m. turnout stood at 41 per cent"),
                     said("Ostrel Radio", "turnout was 64.3 per cent"))  # (no "by": two figures of one thing)


def test_figures_read_as_words():
    from storyline.model import figure_label, format_amount

    assert [format_amount(v) for v in (1387, 5.1, 2e7, 2.7e12, 33.8e9, None)] == [
        "1,387", "5.1", "20 million", "2.7 trillion", "33.8 billion", "some"]
    assert figure_label(772, "soldiers", "killed", approximate=True) == "~772 soldiers killed"
    assert figure_label(2e7, "USD", None) == "20 million USD"


def test_a_speaker_taken_from_a_sentence_before_is_linked_to_its_entity():
    a = Article(id="s", text="Mayor Ilse Brandt visited the burned market in Ostrava on Tuesday. \"It is very important "
                             "that people have somewhere to go,\" she said. Brandt later met the families.")
    mentions = {a.id: extract_mentions(a)}
    entities = reconcile(mentions)
    brandt = next(e.id for e in entities if e.name == "Ilse Brandt")
    cs = extract_claims(a, mentions[a.id], alias_lookup(entities))
    assert [(c.speaker, c.speaker_entity_id) for c in cs] == [("Ilse Brandt", brandt)]
