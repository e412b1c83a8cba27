"""Temporal expressions resolved against the publication date: a team-written table of expected resolutions."""

from __future__ import annotations

import pytest

from storyline.enrich.temporal import date_sentences, resolve_expressions, sentence_expressions
from storyline.model import Article

WED = "2020-10-21"  # a Wednesday
MON = "2010-05-03"  # a Monday
JAN = "2021-01-05"  # early January: month/day mentions of December belong to the year before

# (text, publication date, expected (surface, value, granularity) of the first expression)
TABLE: list[tuple[str, str | None, tuple[str, str, str]]] = [
    # --- absolute, full dates
    ("The well blew out on 2010-04-20 in the gulf.", None, ("2010-04-20", "2010-04-20", "day")),
    ("Filed 2019/03/07 by the clerk.", None, ("2019/03/07", "2019-03-07", "day")),
    ("It was signed on 21 October 2020 in Moscow.", None, ("21 October 2020", "2020-10-21", "day")),
    ("Signed on 21st of October 2020.", None, ("21st of October 2020", "2020-10-21", "day")),
    ("The vote on October 21, 2020 was close.", None, ("October 21, 2020", "2020-10-21", "day")),
    ("The rig exploded on April 20 , 2010 .", None, ("April 20 , 2010", "2010-04-20", "day")),
    ("Talks resumed on Oct. 21, 2010 in Geneva.", None, ("Oct. 21, 2010", "2010-10-21", "day")),
    ("Dated 10/21/2020 in the ledger.", None, ("10/21/2020", "2020-10-21", "day")),
    ("Dated 21/10/2020 in the ledger.", None, ("21/10/2020", "2020-10-21", "day")),
    ("ON 5 MAY 2011 THE PORT REOPENED.", None, ("5 MAY 2011", "2011-05-05", "day")),
    ("Mayor Olsen spoke on Sept. 3, 2015.", None, ("Sept. 3, 2015", "2015-09-03", "day")),
    # --- month/day without a year, resolved with the publication date
    ("The hostilities began on September 27.", WED, ("September 27", "2020-09-27", "day")),
    ("They will hold talks on October 23 in Washington.", WED, ("October 23", "2020-10-23", "day")),
    ("The ministry said on Oct. 21 that it had left.", WED, ("Oct. 21", "2020-10-21", "day")),
    ("The strike started on 3 October.", WED, ("3 October", "2020-10-03", "day")),
    ("Elections are due on November 3.", WED, ("November 3", "2020-11-03", "day")),
    ("The blaze broke out on December 28.", JAN, ("December 28", "2020-12-28", "day")),
    ("The court will rule on January 15.", JAN, ("January 15", "2021-01-15", "day")),
    ("The mine collapsed on March 2 last spring.", WED, ("March 2", "2020-03-02", "day")),
    ("The summit will open on March 2.", WED, ("March 2", "2021-03-02", "day")),
    ("The dam failed on May 5th.", MON, ("May 5th", "2010-05-05", "day")),
    # --- months and years
    ("The firm collapsed in March 2008.", WED, ("March 2008", "2008-03", "month")),
    ("Prices rose in Sept. 2009 again.", WED, ("Sept. 2009", "2009-09", "month")),
    ("The plant was shut in March.", WED, ("in March", "2020-03", "month")),
    ("The plant will reopen in March.", WED, ("in March", "2021-03", "month")),
    ("Protests have grown since July.", WED, ("since July", "2020-07", "month")),
    ("Fighting flared in early October.", WED, ("early October", "2020-10", "month")),
    ("It has lasted since a fragile 1994 cease-fire.", WED, ("1994", "1994", "year")),
    ("Oil prices peaked in 2008 and fell.", WED, ("2008", "2008", "year")),
    ("The dispute dates from the 1990s war of 1994.", None, ("1994", "1994", "year")),
    ("By mid-2011 the fund was empty.", WED, ("2011", "2011", "year")),
    # --- day words
    ("The talks ended yesterday.", WED, ("yesterday", "2020-10-20", "day")),
    ("The minister arrived today.", WED, ("today", "2020-10-21", "day")),
    ("The minister arrives tomorrow.", WED, ("tomorrow", "2020-10-22", "day")),
    ("Shelling resumed tonight.", WED, ("tonight", "2020-10-21", "day")),
    ("Shelling resumed last night.", WED, ("last night", "2020-10-20", "day")),
    ("Police said this morning that two were held.", WED, ("this morning", "2020-10-21", "day")),
    ("He was arrested the day before yesterday.", WED, ("the day before yesterday", "2020-10-19", "day")),
    ("Yesterday the strike ended.", WED, ("Yesterday", "2020-10-20", "day")),
    # --- "... ago"
    ("The ceasefire was agreed two days ago.", WED, ("two days ago", "2020-10-19", "day")),
    ("The plane crashed a week ago.", WED, ("a week ago", "2020-10-14", "day")),
    ("The dam was finished 3 months ago.", WED, ("3 months ago", "2020-07", "month")),
    ("The war ended ten years ago.", WED, ("ten years ago", "2010", "year")),
    # --- last / this / next
    ("Inflation fell last month.", WED, ("last month", "2020-09", "month")),
    ("A truce was agreed earlier this month.", WED, ("earlier this month", "2020-10", "month")),
    ("Inflation fell last month.", JAN, ("last month", "2020-12", "month")),
    ("The court sits next month.", WED, ("next month", "2020-11", "month")),
    ("The report is due next week.", WED, ("next week", "2020-10-26", "week")),
    ("Markets slid this week.", WED, ("this week", "2020-10-19", "week")),
    ("Growth slowed this year.", WED, ("this year", "2020", "year")),
    ("Growth slowed late last year.", WED, ("late last year", "2019", "year")),
    ("Elections are due next year.", WED, ("next year", "2021", "year")),
    # --- weekdays (Wednesday 2020-10-21)
    ("A second ceasefire agreed Saturday fell apart.", WED, ("Saturday", "2020-10-17", "day")),
    ("The strike began on Friday.", WED, ("on Friday", "2020-10-16", "day")),
    ("The ministers are due to meet Pompeo on Friday.", WED, ("on Friday", "2020-10-23", "day")),
    ("The leaders will meet on Monday.", WED, ("on Monday", "2020-10-26", "day")),
    ("Rockets hit the town on Monday night.", WED, ("on Monday night", "2020-10-19", "day")),
    ("The bill passed last Tuesday.", WED, ("last Tuesday", "2020-10-20", "day")),
    ("The vote is next Tuesday.", WED, ("next Tuesday", "2020-10-27", "day")),
    ("Officials said on Wednesday that five died.", WED, ("on Wednesday", "2020-10-21", "day")),
    ("The fire started Sunday morning.", WED, ("Sunday morning", "2020-10-18", "day")),
    ("The spill began on Tuesday.", MON, ("on Tuesday", "2010-04-27", "day")),
    ("The hearing is set for Thursday.", MON, ("Thursday", "2010-05-06", "day")),
]


@pytest.mark.parametrize("text,pub,expected", TABLE, ids=[f"{i:02d}" for i in range(len(TABLE))])
def test_resolution_table(text: str, pub: str | None, expected: tuple[str, str, str]) -> None:
    found = resolve_expressions(text, pub)
    assert found, f"nothing resolved in {text!r}"
    first = found[0]
    assert (first.text, first.value, first.granularity) == expected
    assert text[first.start:first.end] == first.text


def test_table_is_large_enough() -> None:
    assert len(TABLE) >= 60


@pytest.mark.parametrize("text", [
    "The ministers met on Friday.",
    "The talks ended yesterday.",
    "Inflation fell last month.",
    "The war ended ten years ago.",
    "It will be decided next week.",
])
def test_relative_needs_a_publication_date(text: str) -> None:
    assert resolve_expressions(text, None) == []


@pytest.mark.parametrize("text", [
    "About 2000 people marched through the capital.",
    "Some 1500 troops were deployed.",
    "It cost $ 2010 per barrel.",
    "Call 555-2010-44 now.",
    "They may march again in the spring.",
    "Jan Kowalski resigned.",
])
def test_not_dates(text: str) -> None:
    assert resolve_expressions(text, WED) == []


def test_undated_article_takes_the_year_from_context() -> None:
    text = "The floods of 2013 were the worst. The river rose on June 3 and fell on 9 June."
    found = resolve_expressions(text, None)
    assert [(e.text, e.value) for e in found] == [("2013", "2013"), ("June 3", "2013-06-03"), ("9 June", "2013-06-09")]


def test_undated_without_year_context_skips_month_day() -> None:
    assert resolve_expressions("The river rose on June 3.", None) == []


def test_seed_case_fictional() -> None:
    text = ("Hundreds have been killed in the flare-up that began on September 27.\n\n"
            "The two ministers will travel to Washington for talks on October 23.\n\n"
            "A second ceasefire agreed Saturday fell apart almost immediately.")
    values = [e.value for e in resolve_expressions(text, "2020-10-21")]
    assert values == ["2020-09-27", "2020-10-23", "2020-10-17"]


def test_date_sentences_uses_first_day_expression_else_publication() -> None:
    art = Article(
        id="a1", date="2020-10-21",
        text=("Envoys from Valdoria and Kestrel met in Lunaport. The clashes began on September 27. "
              "Fighting has raged since July. A truce agreed Saturday collapsed."),
    )
    sents = date_sentences(art)
    assert [s.date for s in sents] == ["2020-10-21", "2020-09-27", "2020-10-21", "2020-10-17"]
    assert all(s.date_granularity == "day" for s in sents)
    pairs = sentence_expressions(art)
    assert [e.value for e in pairs[2][1]] == ["2020-07"]
    for s, exprs in pairs:
        for e in exprs:
            assert s.start <= e.start and e.end <= s.end
            assert art.text[e.start:e.end] == e.text


def test_date_sentences_undated_article() -> None:
    art = Article(id="u", text="The harbour closed on 4 March 2019. It reopened later.")
    sents = date_sentences(art)
    assert [s.date for s in sents] == ["2019-03-04", None]
