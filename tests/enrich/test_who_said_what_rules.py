"""General English news patterns for who said what (attribution forms, denials, figures, names), the
DATE/NUMBER-free extraction the pipeline uses, and the batched store read behind `export --what events`."""

from __future__ import annotations

import pytest

from storyline.enrich.claims import claim_figures, extract_claims
from storyline.enrich.entities import extract_mentions, extract_names, reconcile
from storyline.model import Article, Claim, Disagreement
from storyline.pipeline import ingest_articles
from storyline.store import Store
from storyline.store.entities import claim_row


def claims(text: str) -> list[Claim]:
    return extract_claims(Article(id="a", text=text))


def one(text: str) -> Claim:
    found = claims(text)
    assert len(found) == 1, [(c.speaker, c.verb, c.text) for c in found]
    return found[0]


def figs(c: Claim) -> list[tuple]:
    return [(f.value, f.unit, f.subject) for f in c.figures]


@pytest.mark.parametrize("text,speaker,contains", [
    ("The Kardon interior ministry raised its death toll to nine on Friday.", "Kardon interior ministry",
     "death toll to nine"),
    ("Defence Minister Ivo Marten put Kardon losses at 14 soldiers killed.", "Ivo Marten", "14 soldiers killed"),
    ("His Unity party published figures showing a cut of 9 per cent in 2024.", "Unity", "cut of 9 per cent"),
    ("The poll, carried out by the research firm Pulsar, found that 34 per cent of viewers backed Ola Brenn.",
     "Pulsar", "34 per cent of viewers"),
    ("By 4 p.m. turnout stood at 41 per cent, according to the Central Election Commission, several points up.",
     "Central Election Commission", "turnout stood at 41 per cent"),
    ("The Relief Network, which runs field clinics on both sides, said its teams had treated 1,100 people.",
     "Relief Network", "treated 1,100 people"),
    ("The Civic Alliance questioned the count in Tarn, saying 3,000 postal ballots had been wrongly rejected.",
     "Civic Alliance", "3,000 postal ballots"),
])
def test_attribution_forms(text, speaker, contains):
    c = one(text)
    assert c.speaker == speaker
    assert contains in c.text


def test_speaker_inside_a_relative_clause():
    c = one("The fire, which the fire service says injured four workers, started in a storage hall.")
    assert c.speaker == "the fire service"
    assert c.text == "The fire injured four workers"
    assert figs(c) == [(4, "workers", "wounded")]


def test_the_antecedent_of_which_denies_is_the_speaker():
    said, denial = claims("Halvik Chemworks, which denies that any valves were disabled, said it would contest "
                          "the case.")
    assert (said.speaker, said.verb, said.text) == ("Halvik Chemworks", "say", "it would contest the case")
    assert (denial.speaker, denial.verb, denial.polarity) == ("Halvik Chemworks", "deny", "deny")
    assert denial.text == "any valves were disabled"
    assert said.id != denial.id


def test_a_quotation_over_two_sentences_is_attributed_where_it_closes():
    found = claims('"Four workers were injured, one of them seriously. Nobody else was hurt," Fire chief '
                   'Oona Brandt told reporters.')
    assert [(c.speaker, c.text) for c in found] == [
        ("Oona Brandt", "Four workers were injured, one of them seriously"), ("Oona Brandt", "Nobody else was hurt")]
    assert figs(found[0]) == [(4, "workers", "wounded")]  # "one of them" counts nothing


@pytest.mark.parametrize("text", [
    "Kardon maintains that its forces did not shell the town.",
    '"Kardon forces did not strike Lomen," Defence Minister Ivo Marten said.',
    "Finance Minister Ola Brenn said: We have not cut the inspection budget by a single crown.",
])
def test_a_negated_action_is_a_denial(text):
    assert one(text).polarity == "deny"


def test_a_negated_passive_is_no_denial():
    assert one("Captain Ivo Marten said the pilot had not been seen to eject.").polarity == "assert"


def test_nouns_that_look_like_reporting_verbs_are_no_attribution():
    assert claims("The report has been passed to prosecutors, who have opened an investigation.") == []
    c = one("A preliminary report by the Tarn Inspectorate said three of the five valves had been blanked off.")
    assert c.verb == "say" and c.speaker == "Tarn Inspectorate"
    assert claims("The claim came on the eighth day of fighting.") == []


def test_an_inverted_quote_is_not_a_speaker_first_sentence():
    for c in claims('"My mother cannot walk, so we stay," said one man outside the hospital.'):
        assert not c.speaker.startswith("My mother")


def test_time_spans_are_no_claim_figures():
    assert claim_figures("monitors to be deployed within 48 hours, while 12 soldiers were killed") == [
        f for f in claim_figures("12 soldiers were killed")]
    assert claim_figures("they had been patient for three weeks") == []


def test_person_of_place_splits_and_company_short_forms_join():
    a = Article(id="n1", text="Foreign ministers Serzh Harutyunian of Drassk and Tarik Aliyev of Velmora met. "
                              "A fire broke out at the Halvik Chemworks plant in the Orvan valley. Halvik said it "
                              "would cooperate with the Lirian Environmental Inspectorate. Harutyunian agreed.")
    b = Article(id="n2", text="The Environmental Inspectorate said Halvik had disabled valves near Orvan.")
    ms = {x.id: extract_mentions(x) for x in (a, b)}
    names = {(m.text, m.type) for m in ms["n1"]}
    assert ("Serzh Harutyunian", "PERSON") in names and ("Tarik Aliyev", "PERSON") in names
    assert ("Halvik Chemworks", "ORG") in names and ("Orvan valley", "PLACE") in names
    entities = reconcile(ms)
    holder = {alias: e.id for e in entities for alias in e.aliases}
    assert holder["Halvik"] == holder["Halvik Chemworks"]
    assert holder["Environmental Inspectorate"] == holder["Lirian Environmental Inspectorate"]
    assert holder["Orvan"] == holder["Orvan valley"]
    assert holder["Harutyunian"] == holder["Serzh Harutyunian"]


def test_extract_names_is_extract_mentions_without_dates_and_numbers():
    a = Article(id="x", text="On March 3 Foreign Minister Tarik Aliyev said 772 soldiers had died in Velmora.\n\n"
                             "SALTMERE, Liria - Twelve workers of Halvik Chemworks were hurt on Tuesday.")
    full = extract_mentions(a)
    assert {m.type for m in full} >= {"DATE", "NUMBER", "PERSON"}
    names = extract_names(a)
    assert [(m.start, m.end, m.type, m.name) for m in names] == [
        (m.start, m.end, m.type, m.name) for m in full if m.type not in ("DATE", "NUMBER")]


def test_events_who_said_what_matches_the_per_event_view_and_drops_merged_events(tmp_path):
    store = Store(tmp_path / "s.db")
    texts = [
        "Velmora said its air defence downed a Drasski jet near Serin on Monday, killing the pilot.",
        "The Drasski defence ministry said the report on the downing of a Drasski jet near Serin was untrue.",
        "Velmora said 31 soldiers had been killed near Serin, while Drassk said 22 soldiers had been killed.",
    ]
    ingest_articles(store, [Article(id=f"j{i}", text=t, date="2026-03-09", source=f"Outlet {i}")
                            for i, t in enumerate(texts)])
    events = [e.id for e in store.list_events()]
    batch = store.events_who_said_what(events)
    assert set(batch) == set(events)
    for e in events:
        assert batch[e] == store.event_who_said_what(e)
        # the listing builds its claim rows from the stored columns: the same rows as the export contract's
        assert batch[e]["claims"] == [claim_row(c) for c in store.event_claims(e)]
    assert sum(len(v["claims"]) for v in batch.values()) >= 3
    assert any(row["figures"] for v in batch.values() for row in v["claims"])
    # disagreements of an event no article belongs to any more (merged away) are dropped
    gone = "ev-gone"
    claims = store.event_claims(events[0])
    if len(claims) >= 2:
        store.set_disagreements(gone, [Disagreement(kind="denial", claims=[0, 1])], claims)
    store.prune_disagreements()
    assert store.events_who_said_what([gone])[gone]["disagreements"] == []
    assert store.conn.execute("SELECT count(*) FROM disagreements WHERE event_id = ?", (gone,)).fetchone()[0] == 0
    store.close()


# -- quotations, relative denials, subjects (fictional names) ----------------------------------------------

def test_quoted_sentences_around_an_attributed_quotation_keep_its_speaker():
    found = claims('Mira Tolle, chair of the dockers\' union, said nine workers were hurt. "Nine people were hurt. '
                   'Two went to hospital. The other seven are injured too," she said. "We counted them ourselves."')
    assert {c.speaker for c in found} == {"Mira Tolle"}
    texts = [c.text for c in found]
    assert "Two went to hospital" in texts and "We counted them ourselves" in texts
    assert "The other seven are injured too" in texts


def test_a_quotation_after_an_unrelated_sentence_is_not_carried():
    found = claims('"The report is untrue," the ministry said. Roads were closed all day. "Nobody was told."')
    assert [c.text for c in found] == ["The report is untrue"]


def test_which_x_denies_is_a_denial_by_x():
    found = claims("The talks came a day after Kardon claimed to have shot down a Velsk drone, which Velsk denies.")
    claim = next(c for c in found if c.polarity == "assert")
    denial = next(c for c in found if c.polarity == "deny")
    assert (claim.speaker, claim.verb) == ("Kardon", "claim")
    assert denial.speaker == "Velsk" and "shot down a Velsk drone" in denial.text


def test_a_claim_x_rejected_is_a_denial_by_x():
    found = claims("Kardon said its gunners had downed a jet near Orl, a claim Velsk swiftly rejected as invented.")
    assert [(c.speaker, c.polarity) for c in found] == [("Kardon", "assert"), ("Velsk", "deny")]


def test_an_appositive_with_whose_and_a_name_before_a_comma():
    c = one("Ada Rinn, whose party won 19 seats, said she had chosen Tomas Wey for 200 new inspectors.")
    assert c.speaker == "Ada Rinn" and "200 new inspectors" in c.text
    c = one("Wey, leader of the Harbour Union, said unemployment had fallen to 5.1 per cent.")
    assert c.speaker == "Wey"


def test_dismissing_an_offer_states_nothing():
    assert claims("Lena Ostrova, the lawyer for the residents, dismissed the offer.") == []


def test_a_clause_after_the_verb_is_the_claim_not_the_text_before():
    found = claims("In Orl, where rockets killed nine people in March, residents said they would wait and see.")
    assert all("nine people" not in c.text for c in found)


@pytest.mark.parametrize("text,speaker,value", [
    ("Polls published this week put the two main parties neck and neck at around 30 per cent each.",
     "Polls", 30),
    ("Halden employs 900 people directly and, by the union's count, supports 2,500 more jobs in the port.",
     "union", 2500),
    ("The Orl interior ministry gave a higher death toll of eight.", "Orl interior ministry", 8),
])
def test_figure_attributions(text, speaker, value):
    c = one(text)
    assert speaker in c.speaker
    assert value in [f.value for f in c.figures]


def test_figures_subjects_and_groups():
    assert [(f.value, f.unit, f.subject) for f in claim_figures(
        "Velsk had lost more than 1,500 soldiers")] == [(1500, "soldiers", "killed")]
    assert [f.subject for f in claim_figures("shells struck, killing at least eight civilians")] == ["killed"]
    assert [f.subject for f in claim_figures("a fire broke out, injuring four workers")] == ["wounded"]
    assert claim_figures("negotiators for the two parties drafted a programme") == []
    assert [f.value for f in claim_figures("the 900 workers at the plant stay on full pay")] == [900]


def test_figure_conflicts_across_names_for_the_same_people():
    from storyline.enrich.disagreements import find_disagreements
    a = one("A fire broke out at the plant on Tuesday, injuring four workers, the fire service said.")
    b = one("The union said 11 of its members had been injured.")
    flags = find_disagreements([a, b])
    assert [(d.kind, d.claims) for d in flags] == [("figures", [0, 1])]


def test_a_number_with_a_thousands_comma_is_no_year_and_the_outcome_before_a_number_is_its_own():
    assert [(f.value, f.subject) for f in claim_figures("1,900 Velsk soldiers had been killed")] == [(1900, "killed")]
    assert [(f.value, f.subject) for f in claim_figures("killing 11 civilians and wounding dozens")][0] == (11, "killed")


def test_a_trailing_attribution_followed_by_its_own_clause_reads_from_the_verb():
    c = one("In Orl, the town shelled on March 11, the hospital director said staff were treating 30 wounded.")
    assert c.speaker == "the hospital director" and "30 wounded" in c.text
    c = one("Shells struck Orl, killing 11 civilians, Velsk said, six days after a similar attack.")
    assert c.speaker == "Velsk" and "killing 11 civilians" in c.text


@pytest.mark.parametrize("text,speaker,contains", [
    ('Spokeswoman Ilka Varro called the raid "a deliberate strike on a sleeping town".', "Ilka Varro",
     "the raid a deliberate strike"),
    ('Opposition leader Tomas Rell called the accord "a pause, not a surrender", while others called on the army.',
     "Tomas Rell", "the accord a pause"),
    ('Officials in Orl called that explanation "insulting".', "Officials in Orl", "insulting"),
])
def test_calling_something_by_quoted_words_is_a_claim_about_it(text, speaker, contains):
    c = one(text)
    assert (c.speaker, c.verb, c.polarity) == (speaker, "call", "assert") and contains in c.text.replace("\"", "")


@pytest.mark.parametrize("text", [
    "The mayor called for calm after the blast.",
    "Union leaders called on the ministry to reopen the plant.",
    'They live in a village called Orl, "the end of the world" to its people.',
])
def test_calling_for_or_naming_is_no_claim(text):
    assert claims(text) == []


# -- which denials deny something said ---------------------------------------------------------------------
def _event(*texts: str) -> list[Claim]:
    out: list[Claim] = []
    for i, text in enumerate(texts):
        out.extend(extract_claims(Article(id=f"a{i}", text=text)))
    return out


def _denial_flags(*texts: str) -> list[str]:
    from storyline.enrich.disagreements import find_disagreements
    return [d.note for d in find_disagreements(_event(*texts)) if d.kind == "denial"]


def test_a_statement_that_merely_negates_denies_nothing_said() -> None:
    assert _denial_flags("Ann Marsh said the oil company had not had enough time to repair the damage to the coast.",
                         "Tom Reyes said he did not think the oil company should pay for the damage to the coast.") == []
    assert _denial_flags("The coastguard said the spill had reached the marshes near Porto Vell on Friday.",
                         "Residents said the spill was not on their minds when they reached the marshes.") == []


def test_a_side_negating_what_it_did_denies_what_was_said_of_it() -> None:
    accusation = "Velmora said Drasski rockets killed nine people in the market of Kesten on Friday."
    assert _denial_flags(accusation, "Drassk said its forces did not fire rockets at the market in Kesten.")
    assert _denial_flags(accusation, "The Drasski defence ministry said Drasski forces did not fire rockets at the "
                                     "market in Kesten.")
    # what others were said to have done is no answer of theirs
    assert _denial_flags("Velmora said Ostrelian volunteers fired rockets at the market in Kesten.",
                         "Drassk said its forces did not fire rockets at the market in Kesten.") == []


def test_a_denial_must_share_more_than_the_names_of_those_it_is_about() -> None:
    assert _denial_flags("Ann Marsh said Tony Hayward had lost the trust of the board.",
                         "Tom Reyes denied that Tony Hayward would resign this week.") == []
    assert _denial_flags("Ann Marsh said Tony Hayward would resign this week.",
                         "Tom Reyes denied that Tony Hayward would resign this week.")


def test_common_verbs_tie_no_denial_and_a_person_speaks_for_a_side_as_we() -> None:
    assert _denial_flags("Ann Marsh said the council would make sure the beaches of Orvik are clean by May.",
                         "Tom Reyes denied that the bank had made sure of the loans.") == []
    accusation = "Velmora said Drasski rockets killed nine people in the market of Kesten on Friday."
    assert _denial_flags(accusation, "Drasski Defence Minister Serzh Harutyunian said we did not fire rockets at "
                                     "the market in Kesten.")
    # "they", from a person, is others: no denial of what was said of his side
    assert _denial_flags(accusation, "Drasski Defence Minister Serzh Harutyunian said they did not fire rockets at "
                                     "the market in Kesten.") == []


def test_a_denial_that_names_whose_words_it_denies_answers_only_them() -> None:
    rebels = "Tomas Reval said rebels controlled the port of Orvik and the coast road."
    minister = "Ivo Marten said rebels controlled the port of Orvik and the coast road."
    denial = "Ana Brel rejected Marten's assertions that rebels controlled the port of Orvik and the coast road."
    assert _denial_flags(rebels, denial) == []
    assert len(_denial_flags(minister, denial)) == 1
    assert len(_denial_flags(rebels, "Ana Brel rejected the assertions that rebels controlled the port of Orvik "
                                     "and the coast road.")) == 1  # (whose, unsaid: anyone's)


@pytest.mark.parametrize("text", [
    "Velan Reyes dismissed calls to halt the offshore drilling programme.",
    "The council rejected criticism of the decision to close the airfield.",
    "Tom Reyes dismissed them as a bunch of ineffective young people.",
    "Harry Vale rejected a proposed cap of $10 billion as inadequate.",
    "The court dismissed the case against the mayor.",
])
def test_rejecting_an_opinion_or_a_proposal_denies_nothing_said(text) -> None:
    assert [(c.verb, c.polarity) for c in claims(text)] in ([("dismiss", "assert")], [("reject", "assert")])


@pytest.mark.parametrize("text,expected", [
    # the end of a quotation begun sentences before is no speaker-first subject: the speaker follows "said"
    ('"We need help. There\'s no water left in Kesten," said Irek Valo, a bus driver.',
     [("Irek Valo", "We need help"), ("Irek Valo", "There's no water left in Kesten")]),
    # someone unnamed speaks after a quotation
    ('"We had a ceasefire in 1994. My father believed it," said a teacher.',
     [("a teacher", "We had a ceasefire in 1994"), ("a teacher", "My father believed it")]),
    # a clause is no speaker: a conjunction, a contraction, a modal or a pronoun for its subject
    ("Though the damage looked like what she said, Velnet could not confirm her account.", []),
    ("He read out a long attack on the council he said he had led for 12 years.", []),
    ("Oren Tal, adviser to the envoy in Kesten, said yesterday he shared part of that view.", []),
    # an adverbial before the subject is no part of it, and none is a subject ("reports" is a noun there)
    ("But upon reaching Kesten, dozens of families said they had lost their papers.",
     [("dozens of families", "they had lost their papers")]),
    ("Ahead of monthly reports from the port on grain stocks, a poll of traders pointed to a fall.", []),
    # a noun that is also a reporting verb: before a verb, after an adverb alone, after a determiner and modifiers
    ("Ostrelian states have said they will meet the envoy next week.",
     [("Ostrelian states", "they will meet the envoy next week")]),
    ("Meanwhile reports from northern Kesten said the bridge had fallen.",
     [("reports from northern Kesten", "the bridge had fallen")]),
    ("The lengthy, 80-page report ties the fire to a chain of errors.", []),
    ("Some reports said the port was closed.", [("Some reports", "the port was closed")]),
    ("Many claim the vote was rigged.", [("Many", "the vote was rigged")]),  # (a verb after "Many")
    ("For its part, Halvik, one of the biggest producers, said it would not buy.", [("Halvik", "it would not buy")]),
    ("The claims of secret payments to the mayor - denied by both men - took up most of the hearing.", []),
    # a reader's comment stamp says only when
    ("Kestrel99 wrote: At 09:12 am on 3 Mar 2026", []),
    # whom a verb of telling addresses is no part of the claim
    ("Oil executives told a congressional hearing that Halvik had ignored industry standards.",
     [("Oil executives", "Halvik had ignored industry standards")]),
])
def test_speakers_are_noun_phrases(text, expected):
    assert [(c.speaker, c.text) for c in claims(text)] == expected


def test_a_time_before_a_pronoun_and_a_described_name_give_the_speaker():
    got = claims("Solberg, a veteran envoy, spent the week in Tessara. Last month she warned a regional forum that "
                 "the line of contact was a match waiting to be struck.")
    assert [(c.speaker, c.verb, c.text) for c in got] == [
        ("Solberg", "warn", "the line of contact was a match waiting to be struck")]


def test_a_denial_answers_what_was_said_days_around_it() -> None:
    from storyline.enrich.disagreements import find_disagreements

    cs = _event("Velmora said Drasski rockets hit the market of Kesten on Friday.",
                "Drassk denied that its rockets hit the market of Kesten.")
    near = {"a0": "2026-03-05", "a1": "2026-03-07"}
    far = {"a0": "2026-03-05", "a1": "2026-03-20"}
    assert [d.kind for d in find_disagreements(cs, near)] == ["denial"]
    assert find_disagreements(cs, far) == []
    assert [d.kind for d in find_disagreements(cs, {"a0": "2026-03-05", "a1": None})] == ["denial"]  # (undated)
