"""clean_article: debris, tails, headline/dateline, whitespace, quotes, PTB."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.clean import clean_article, is_ptb, unptb
from storyline.ingest import read_inputs
from storyline.model import Article

FIX = Path(__file__).resolve().parent / "fixtures" / "ingest"
SHARED = Path(__file__).resolve().parents[2] / "shared"

BODY = ("The harbour council met on Tuesday to discuss the fare plan for the coming season.\n\n"
        "Operators said they expected a decision within weeks, and the council agreed to publish its figures.\n\n"
        "A final vote is due next month after a public consultation on the crossings.")


def art(text: str, **kw) -> Article:
    return Article(id="t", text=text, raw=text, **kw)


def test_seed_lookalike_fixture():
    [raw] = [a for a in read_inputs([str(FIX / "seed_dateline.txt")]) if isinstance(a, Article)]
    a = clean_article(raw)
    assert a.date == "2025-03-14"
    assert a.title == "Harbour Council Reaches Deal On Ferry Fares"
    assert a.dateline == "Friday 14 March 2025 - 09:12"
    assert a.text.startswith("The Velmora harbour council agreed")
    for gone in ("Related Stories", "Coastal Ledger", "Share this article", "Harbour Council Faces Questions"):
        assert gone not in a.text
    assert "7" not in a.text.split("\n")
    assert '"a fair outcome for everyone who depends on the crossing."' in a.text  # curly -> straight
    assert "next month.\n" in a.text + "\n" and ".." not in a.text
    assert "\n\n\n" not in a.text
    assert a.raw == raw.raw  # raw keeps the reader's text


def test_real_seeds_if_present():
    seeds = SHARED / "seeds"
    if not seeds.is_dir():
        pytest.skip(f"{seeds} not present")
    arts = [clean_article(a) for a in read_inputs([str(seeds)]) if isinstance(a, Article)]
    assert len(arts) == 2
    assert all(a.date == "2020-10-21" for a in arts)
    headed = [a for a in arts if a.title]
    assert len(headed) == 1
    a = headed[0]
    assert a.title == "Armenia-Azerbaijan Hold Truce Talks again in Moscow"
    assert a.dateline and a.dateline.startswith("Wednesday 21 October 2020")
    assert "Related Stories" not in a.text and "Islam Times" not in a.text
    assert "0" not in [ln.strip() for ln in a.text.split("\n")]
    other = next(x for x in arts if x is not a)
    assert "Fears Of A Wider Conflict" in other.text  # a mid-text subheading is body, not debris


def test_number_only_lines_removed_but_numbers_in_text_kept():
    a = clean_article(art("12\n" + BODY + "\n\n3 / 10\n\nIn 2024, 45 people used the ferry daily."))
    assert "12" not in a.text.split("\n") and "3 / 10" not in a.text
    assert "In 2024, 45 people used the ferry daily." in a.text


@pytest.mark.parametrize("heading", ["Related Stories", "Related articles", "Read more", "More from Coastal Ledger",
                                     "Recommended", "You may also like", "Related:"])
def test_tail_headings_cut_to_the_end(heading):
    text = BODY + f"\n{heading}\nTeaser Headline About Something Else\nSome Outlet - A teaser line ...\n"
    a = clean_article(art(text))
    assert a.text == BODY


def test_tail_heading_early_in_text_is_not_cut():
    text = "Read more\n" + BODY
    a = clean_article(art(text))
    assert "A final vote is due next month" in a.text


@pytest.mark.parametrize("line", [
    "Share this article", "Follow us on Twitter", "Sign up for our newsletter", "Subscribe to our daily briefing",
    "We use cookies to improve your experience.", "Copyright 2025 Velmora Post. All rights reserved.",
    "\u00a9 2025 Coastal Ledger", "Advertisement", "Read more: Council faces budget questions",
])
def test_share_subscribe_cookie_copyright_lines(line):
    a = clean_article(art(BODY + "\n\n" + line + "\n\nOperators will meet again in May."))
    assert line.split()[0] not in a.text.split("\n")[-3:-1]
    assert line not in a.text
    assert a.text.endswith("Operators will meet again in May.")


def test_long_paragraph_mentioning_share_is_kept():
    para = ("Share prices of the ferry operators rose sharply on Tuesday after the council said it would review "
            "the fare plan, traders said, adding that volumes were high across the harbour sector.")
    a = clean_article(art(BODY + "\n\n" + para))
    assert para in a.text


def test_headline_detected_and_removed_from_body():
    a = clean_article(art("Council Backs New Fare Plan For Island Ferries\n\n" + BODY))
    assert a.title == "Council Backs New Fare Plan For Island Ferries"
    assert a.text == BODY


def test_existing_title_kept_and_repeated_headline_removed():
    a = clean_article(art("Council backs new fare plan\n\n" + BODY, title="Council Backs New Fare Plan"))
    assert a.title == "Council Backs New Fare Plan" and a.text == BODY
    b = clean_article(art("Different Kicker Line Here\n\n" + BODY, title="Council Backs New Fare Plan"))
    assert b.title == "Council Backs New Fare Plan" and b.text.startswith("Different Kicker Line Here")


def test_sentence_first_line_is_not_a_headline():
    a = clean_article(art("The council met on Tuesday.\n" + BODY))
    assert a.title is None and a.text.startswith("The council met on Tuesday.")
    b = clean_article(art("Will The Council Back The Plan?\n" + BODY))
    assert b.title is None


def test_sentence_case_headline_before_dateline():
    a = clean_article(art("Council backs a new fare plan for ferries\nMarch 3, 2026\n" + BODY))
    assert a.title == "Council backs a new fare plan for ferries"
    assert a.dateline == "March 3, 2026" and a.date == "2026-03-03"
    assert a.meta["date_from"] == "dateline"
    assert a.text == BODY


def test_dateline_line_does_not_override_known_date():
    a = clean_article(art("Wednesday 21 October 2020 - 13:38\n\n" + BODY, date="2020-10-22"))
    assert a.dateline == "Wednesday 21 October 2020 - 13:38" and a.date == "2020-10-22"


@pytest.mark.parametrize("prefix,dateline", [
    ("MOSCOW, Oct 21 (Agency) - ", "MOSCOW, Oct 21 (Agency)"),
    ("WASHINGTON (Wire Service) -- ", "WASHINGTON (Wire Service)"),
    ("NEW YORK \u2014 ", "NEW YORK"),
    ("GRAND ISLE, La. - ", "GRAND ISLE, La."),
])
def test_dateline_prefix(prefix, dateline):
    a = clean_article(art(prefix + BODY))
    assert a.dateline == dateline
    assert a.text == BODY


def test_transcript_speaker_is_not_a_dateline():
    a = clean_article(art("ANNA VOSS, HOST: Good evening.\n" + BODY))
    assert a.dateline is None and a.text.startswith("ANNA VOSS, HOST: Good evening.")


def test_whitespace_and_paragraphs():
    text = "  First   paragraph  line one.\n\tline two here.  \n\n\n\n   Second paragraph.\r\n\r\n\r\nThird.  "
    a = clean_article(art(text))
    assert a.text == "First paragraph line one.\nline two here.\n\nSecond paragraph.\n\nThird."


def test_quotes_and_double_period():
    a = clean_article(art("\u201cIt\u2019s fine,\u201d she said.. Then \u2018no\u2019... He left.."))
    assert a.text == "\"It's fine,\" she said. Then 'no'... He left."


def test_ptb_untokenised_keeping_lines():
    [raw] = [a for a in read_inputs([str(FIX / "ptb_sample.txt")]) if isinstance(a, Article)]
    a = clean_article(raw)
    assert a.text == ('Officials said the ferry plan "was workable", a spokesman said.\n'
                      "It wasn't clear when talks would resume (possibly next week).\n"
                      "The council's chair, Ilse Marten, did not comment.")
    assert a.meta["ptb"] is True


def test_ptb_detection_is_conservative():
    assert is_ptb("He said -LRB- quietly -RRB- no .")
    assert is_ptb("a , b , c . d , e . f , g .")
    assert not is_ptb("Normal prose, with commas, and a full stop. Another sentence, here.")
    assert not is_ptb(BODY)
    assert unptb("costs $ 5 , or 10 % more") == "costs $5, or 10% more"


def test_ptb_title_untokenised():
    a = clean_article(art("He said -LRB- quietly -RRB- no .\nIt 's late .\nThey do n't know .",
                          title="Talks `` stall '' again"))
    assert a.title == 'Talks "stall" again'


def test_clean_is_idempotent():
    [raw] = [a for a in read_inputs([str(FIX / "seed_dateline.txt")]) if isinstance(a, Article)]
    once = clean_article(raw)
    twice = clean_article(once)
    assert (twice.text, twice.title, twice.dateline, twice.date) == (once.text, once.title, once.dateline, once.date)


def test_empty_text():
    a = clean_article(art(""))
    assert a.text == "" and a.title is None


def test_ptb_spaced_curly_quotes_and_apostrophes():
    text = ("\u201c Most of the time , it \u2019 s the turn , \u201d he said .\n"
            "Vera Lind \u2019 s lawyer said the soldiers ' families were told .\n"
            "She said , \u201c we will see .\nIt was over . \u201d")
    a = clean_article(art(text))
    assert a.text.split("\n") == [
        '"Most of the time, it\'s the turn," he said.',
        "Vera Lind's lawyer said the soldiers' families were told.",
        'She said, "we will see.',
        'It was over."',
    ]


def test_photo_credit_lines():
    a = clean_article(art(BODY + "\n\nPhoto: Staff Archive\n\nOperators will meet again in May."))
    assert "Photo" not in a.text
    glued = "AP Photo/Files The council has begun work on a relief plan for the harbour, officials said."
    b = clean_article(art(BODY + "\n\n" + glued))
    assert glued in b.text  # a long line is a real sentence with a credit glued on: kept


EVAC_BODY = ("Around 6,000 residents of the harbour district left their homes overnight, the city said. "
        "Buses took them to two sports halls on the hill, where volunteers handed out blankets. ") * 2


def test_sentence_case_headline_before_a_dateline_prefix():
    a = clean_article(art("Ferry talks collapse in Port Idris\n\nPORT IDRIS, March 2 (Northgate Wire) - " + EVAC_BODY))
    assert a.title == "Ferry talks collapse in Port Idris"
    assert a.dateline == "PORT IDRIS, March 2 (Northgate Wire)"
    assert a.text.startswith("Around 6,000 residents")


def test_sentence_case_headline_as_its_own_paragraph():
    a = clean_article(art("Thousands evacuated as fumes spread over the harbour\n\n" + EVAC_BODY))
    assert a.title == "Thousands evacuated as fumes spread over the harbour"
    assert a.text.startswith("Around 6,000 residents")


def test_first_sentence_without_blank_line_is_not_a_headline():
    a = clean_article(art("the council said little\n" + EVAC_BODY))
    assert a.title is None and a.text.startswith("the council said little")


@pytest.mark.parametrize("text, body, dateline, byline", [
    ("SALTMERE | Tue May 3, 2026 7:21 pm CET SALTMERE (Harbour Wire) - Ferries stopped running on Tuesday.",
     "Ferries stopped running on Tuesday.", "SALTMERE (Harbour Wire)", None),
    ("PORT IDRIS, Velmora | Wed Mar 4, 2026 10:04 am CET PORT IDRIS, Velmora (Harbour Wire) - The port shut.",
     "The port shut.", "PORT IDRIS, Velmora (Harbour Wire)", None),
    ("By the Courier Wire Staff Velmora's cabinet met on Monday to discuss the ceasefire.",
     "Velmora's cabinet met on Monday to discuss the ceasefire.", None, "the Courier Wire Staff"),
    ("By Ada Voss and Piet Ansel, VDN Crowds gathered in Tessara for a third night.",
     "Crowds gathered in Tessara for a third night.", None, "Ada Voss and Piet Ansel, VDN"),
    ("March 3, 2026 | By Greta Holm, VDN Soldiers stood guard outside the museum.",
     "Soldiers stood guard outside the museum.", "March 3, 2026", "Greta Holm, VDN"),
    ("14 March 2026 Last updated at 08:40 GMT Help Velmora is preparing to host an envoy.",
     "Velmora is preparing to host an envoy.", "14 March 2026 Last updated at 08:40 GMT Help", None),
    ("Wednesday 4 March 2026 12.14 GMT A tank moves into position near the border.",
     "A tank moves into position near the border.", "Wednesday 4 March 2026 12.14 GMT", None),
    ("Ada Voss | 12:14 UK time, Friday, 27 March 2026 The battle of Khoren seems to be shaping up.",
     "The battle of Khoren seems to be shaping up.", "Friday, 27 March 2026", "Ada Voss"),
    ("By Oona Brandt, Special to VDN The talks represent a challenge to both capitals.",
     "The talks represent a challenge to both capitals.", None, "Oona Brandt, Special to VDN"),
    ("By Ilse Marek, Health and Science Editor KHOREN | Mon Mar 2, 2026 4:23 pm CET KHOREN (Harbour Wire) - "
     "Flu cases rose.", "Flu cases rose.", "KHOREN (Harbour Wire)", "Ilse Marek, Health and Science Editor"),
    ("By Ruben Adler and Nadia Ferreira TESSARA, Velmora -- Determined to keep the talks going, she spoke.",
     "Determined to keep the talks going, she spoke.", "TESSARA, Velmora", "Ruben Adler and Nadia Ferreira"),
])
def test_header_furniture_on_the_first_line_is_lifted(text, body, dateline, byline):
    a = clean_article(Article(id="x", text=text))
    assert (a.text, a.dateline, a.meta.get("byline")) == (body, dateline, byline)


@pytest.mark.parametrize("text", [
    "By the time the ferry reached Saltmere, the storm had passed.",
    "By Friday, VDN had reported the closure of the port.",
    "By Monday Night Football, VDN had the rights.",
    "By John Smith, the mayor, the council was dissolved.",
    "March 3, 2026 was the day the talks began.",
])
def test_a_sentence_starting_with_by_is_no_byline(text):
    a = clean_article(Article(id="x", text=text))
    assert a.text == text and "byline" not in a.meta


@pytest.mark.parametrize("text, body, byline", [
    ("March 3, 2026 | From Ada Voss and Piet Ansel, VDN Talks resumed.", "Talks resumed.", "Ada Voss and Piet Ansel, VDN"),
    ("By Greta Holm for VDN Prime Minister Jonas Wendt said the vote would go ahead.",
     "Prime Minister Jonas Wendt said the vote would go ahead.", "Greta Holm for VDN"),
])
def test_more_bylines(text, body, byline):
    a = clean_article(Article(id="x", text=text))
    assert (a.text, a.meta.get("byline")) == (body, byline)


@pytest.mark.parametrize("text, body, dateline, byline", [
    ("By Ada Voss, Piet Ansel and Greta Holm, VDN Rebel fighters fired into the air.",
     "Rebel fighters fired into the air.", None, "Ada Voss, Piet Ansel and Greta Holm, VDN"),
    ("TESSARA, March 27 | Mon Mar 27, 2026 4:19 am CET TESSARA, March 27 (Harbour Wire) - Talks resumed.",
     "Talks resumed.", "TESSARA, March 27 (Harbour Wire)", None),
])
def test_bylines_of_several_names_and_stamps_with_a_day(text, body, dateline, byline):
    a = clean_article(Article(id="x", text=text))
    assert (a.text, a.dateline, a.meta.get("byline")) == (body, dateline, byline)


@pytest.mark.parametrize("text, title, dateline, body", [
    # a web page's headline and stamp glued before the dateline proper
    ("Full Article Kesten port reopens after storm ORVIK | Wed Mar 2, 2031 3:06 pm EDT ORVIK (Reuters) - The port "
     "of Kesten reopened on Wednesday.", "Kesten port reopens after storm", "ORVIK (Reuters)",
     "The port of Kesten reopened on Wednesday."),
    # a photo credit, a revision note, summary bullets: no headline
    ("Credit: Reuters/Ann Lee/Handout SALTMERE | Sat May 2, 2031 2:35 am BST SALTMERE (Reuters) - Crews worked on.",
     None, "SALTMERE (Reuters)", "Crews worked on."),
    ("Wed Apr 6, 2031 6:31 am EDT (Adds minister's quotes) BRASK, April 6 (Reuters) - Velmora sent aircraft.",
     None, "BRASK, April 6 (Reuters)", "Velmora sent aircraft."),
    ("* Talks to resume * Both sides agree KESTEN, June 1 (Reuters) - The talks resume on Monday.",
     None, "KESTEN, June 1 (Reuters)", "The talks resume on Monday."),
    # a place without a comma before the day, a place in mixed case before an agency, cities with a slash
    ("ORVIK May 21 (Reuters) - Shares rose.", None, "ORVIK May 21 (Reuters)", "Shares rose."),
    ("Tessara, Velmora (CNN) -- Rebels pushed on.", None, "Tessara, Velmora (CNN)", "Rebels pushed on."),
    ("BRASK/KESTEN (Reuters) - Protests spread.", None, "BRASK/KESTEN (Reuters)", "Protests spread."),
    # an agency's name in brackets inside a sentence is no dateline
    ("The council met on Monday (AP) - to vote on the budget.", None, None,
     "The council met on Monday (AP) - to vote on the budget."),
])
def test_a_dateline_after_page_furniture_or_a_glued_headline(text, title, dateline, body):
    a = clean_article(Article(id="x", text=text))
    assert (a.title, a.dateline, a.text) == (title, dateline, body)


@pytest.mark.parametrize("text, dateline, body", [
    ("Page last updated at 11:14 GMT, Thursday, 3 February 2031 (an error occurred while processing this directive) "
     "The mayor of Orvik said the bridge would reopen.", "Thursday, 3 February 2031",
     "The mayor of Orvik said the bridge would reopen."),
    ("Page last updated at 08:58 GMT, Thursday, 24 June 2031 09:58 UK The harbour reopened.", "Thursday, 24 June 2031",
     "The harbour reopened."),
    ("Wednesday, September 24, 2031; 2:00 PM Staff writers took questions on the bailout.",
     "Wednesday, September 24, 2031; 2:00 PM", "Staff writers took questions on the bailout."),
    ("YES | NO The president of Velmora stepped down on Monday.", None,
     "The president of Velmora stepped down on Monday."),
])
def test_stamps_and_widget_debris_before_the_first_sentence(text, dateline, body):
    a = clean_article(Article(id="x", text=text))
    assert (a.dateline, a.text) == (dateline, body)


@pytest.mark.parametrize("text, byline, body", [
    ("By Ann Lee VDN Diplomatic Correspondent Velmora's troops crossed the river.", None,
     "By Ann Lee VDN Diplomatic Correspondent Velmora's troops crossed the river."),  # (no broadcaster we know)
    ("By Ann Lee BBC Diplomatic Correspondent Velmora's troops crossed the river.",
     "Ann Lee BBC Diplomatic Correspondent", "Velmora's troops crossed the river."),
    ("By Ann Lee BBC News, Golan Heights The shelling went on.", "Ann Lee BBC News, Golan Heights",
     "The shelling went on."),
    ("By Ann Lee Chief International Correspondent, BBC News, Kesten Refugees kept arriving.",
     "Ann Lee Chief International Correspondent, BBC News", "Kesten Refugees kept arriving."),
    ("By Ann Lee -- Special to CNN Seemingly every paper ran the story.", "Ann Lee -- Special to CNN",
     "Seemingly every paper ran the story."),
])
def test_a_broadcasters_byline(text, byline, body):
    a = clean_article(Article(id="x", text=text))
    assert (a.meta.get("byline"), a.text) == (byline, body)


@pytest.mark.parametrize("text, title, byline, first", [
    # a headline glued to the first sentence by a lost line break (a scraped page: one line per paragraph)
    ("Aftershocks hit Tessara orphanage A nurse who works at an orphanage outside the city said the walls cracked "
     "again on Tuesday.\nThe quake struck on Monday.", "Aftershocks hit Tessara orphanage", None,
     "A nurse who works at an orphanage outside the city said the walls cracked again on Tuesday."),
    ("Velmora minister: 'The talks are over ' The foreign minister of Velmora walked out of the talks in Tessara on "
     "Friday.", "Velmora minister: 'The talks are over '", None,
     "The foreign minister of Velmora walked out of the talks in Tessara on Friday."),
    ("More quakes will come and more planning is needed, experts say The lack of planning in Tessara is a disgrace, "
     "a doctor said.", "More quakes will come and more planning is needed, experts say", None,
     "The lack of planning in Tessara is a disgrace, a doctor said."),
    ("By the Northgate Wire Staff The government of Drassk says it has no word on the four missing reporters.",
     None, "the Northgate Wire Staff", "The government of Drassk says it has no word on the four missing reporters."),
])
def test_a_head_glued_to_the_first_sentence_is_lifted(text, title, byline, first) -> None:
    a = clean_article(art(text))
    assert a.title == title and a.meta.get("byline") == byline
    assert a.text.split("\n")[0] == first


@pytest.mark.parametrize("text", [
    # a capital "The" or "A" inside a sentence after a verb or a preposition, in a quotation, or before a small word
    "The mayor of Saltmere told The Harbour Ledger on Monday that the plant would stay shut for a month.",
    "Readers of the weekly review of ' A Failure of Capitalism ' said it was the best book of the year.",
    "Doctors in the harbour district found a lack of vitamin A and iron in most of the children they examined.",
    "It was a routine assignment that went wrong when the convoy reached the bridge near the border post.",
])
def test_a_sentence_with_a_capital_article_inside_is_not_split(text) -> None:
    a = clean_article(art(text))
    assert a.title is None and a.text == text


def test_a_caption_glued_after_a_glued_headline_gets_its_line_break_back() -> None:
    a = clean_article(art("Panel lists Velmoran officials for trial The Orvik district has endured weeks of daily "
                          "shelling A United Nations panel has named officials who could face trial for the attacks."))
    assert a.title == "Panel lists Velmoran officials for trial"
    assert a.text.split("\n")[:2] == ["The Orvik district has endured weeks of daily shelling",
                                      "A United Nations panel has named officials who could face trial for the "
                                      "attacks."]


def test_a_glued_head_opening_with_from_is_no_byline() -> None:
    a = clean_article(art("From Orvik to Kesten protests spread A wave of unrest swept the valley on Friday as crowds "
                          "gathered."))
    assert a.meta.get("byline") is None
    assert a.text.split("\n")[:2] == ["From Orvik to Kesten protests spread",
                                      "A wave of unrest swept the valley on Friday as crowds gathered."]


def test_a_headline_and_its_byline_glued_to_the_first_sentence() -> None:
    a = clean_article(art("Harbour trade frets about the Velmora backlash By Ann Lee Business reporter, BBC News "
                          "Harbour traders fear the row over the valley will hurt exports this spring.\nMore follows."))
    assert a.title == "Harbour trade frets about the Velmora backlash"
    assert a.meta.get("byline") == "Ann Lee Business reporter, BBC News"
    assert a.text.startswith("Harbour traders fear the row")
    # a capital "By" inside a sentence is no byline
    text = "The bill was passed By Senate vote on Monday after a long debate in the chamber of the harbour city."
    assert clean_article(art(text)).text == text


def test_a_page_date_between_headline_and_body_on_one_line_is_taken_off():
    from storyline.clean import clean_article
    from storyline.model import Article

    body = ("A steward was taken to hospital with a fever on Saturday after falling ill on a ferry from Kesten. "
            "Officials said the man was stable.")
    c = clean_article(Article(id="g", text=f"Flu alert spreads to Varn Saturday 25 April 2009 22.09 BST {body}"))
    assert (c.title, c.text, c.date) == ("Flu alert spreads to Varn", body, "2009-04-25")
    assert c.dateline == "Saturday 25 April 2009 22.09 BST"
    # beside the article's own title, what stood before the date is a paragraph of its own (a standfirst)
    c = clean_article(Article(id="h", title="Flu alert", text=f"Flu alert spreads to Varn Sunday 26 April 2009 "
                                                               f"18.45 BST {body}"))
    assert c.text == f"Flu alert spreads to Varn\n\n{body}"
