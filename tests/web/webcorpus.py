"""A small fictional corpus (team-written) for the web tests."""

from __future__ import annotations

from storyline.model import Article

XSS_TITLE = "<script>alert(1)</script><img src=x onerror=alert(2)>"
TOKEN = "test-token-5b1e"

# Three fictional events, each reported by several fictional outlets over a few days.
_EVENTS = [
    ("2026-03-02", "Harbour bridge", [
        ("Lantern Post", "Storm closes Velmora harbour bridge",
         "VELMORA — The Velmora harbour bridge was closed on Monday after a storm damaged two of its cables, "
         "the city transport office said. Mayor Ilsa Brandt said repairs would take at least three weeks. "
         "\"We will not reopen it until every cable is checked,\" Brandt told reporters."),
        ("Northern Courier", "Velmora bridge shut after storm damage",
         "The harbour bridge in Velmora stayed shut on Monday after storm winds tore two cables, officials said. "
         "Mayor Ilsa Brandt said the repairs would take three weeks and cost 4 million crowns. "
         "Engineers from the Velmora Works Agency inspected the deck."),
        ("Quayside Daily", "Velmora's harbour bridge closed, mayor says repairs take weeks",
         "Velmora closed its harbour bridge on Monday. Mayor Ilsa Brandt said the damage to the cables was "
         "serious and that repairs would take at least three weeks. Ferry operators added extra crossings."),
    ]),
    ("2026-03-05", "Ferry strike", [
        ("Lantern Post", "Velmora ferry crews begin strike",
         "Ferry crews in Velmora walked out on Thursday over pay, the crew union said. Union leader Tomas Reyk "
         "said 300 workers joined the strike. The ferry company said only 120 workers stopped work."),
        ("Northern Courier", "Ferry strike halts crossings in Velmora",
         "Crossings between Velmora and the islands stopped on Thursday as ferry crews went on strike. "
         "Tomas Reyk, who leads the crew union, said 300 workers joined. The company denied that figure."),
    ]),
    ("2026-03-09", "Bridge reopens", [
        ("Quayside Daily", "Velmora harbour bridge reopens early",
         "The Velmora harbour bridge reopened on Monday, a week earlier than planned, Mayor Ilsa Brandt said. "
         "Engineers replaced the two damaged cables and the Velmora Works Agency approved the deck."),
        ("Lantern Post", "Bridge in Velmora open again after cable repairs",
         "Traffic returned to the harbour bridge in Velmora on Monday after repairs to two storm-damaged cables. "
         "Mayor Ilsa Brandt thanked the engineers of the Velmora Works Agency."),
    ]),
]


def corpus() -> list[Article]:
    from datetime import date, timedelta

    articles: list[Article] = []
    for day, _name, reports in _EVENTS:
        d0 = date.fromisoformat(day)
        for i, (source, title, text) in enumerate(reports):
            articles.append(Article(
                id=f"{source.lower().replace(' ', '-')}-{day}-{i}",
                title=title, text=text, source=source, date=(d0 + timedelta(days=i % 2)).isoformat(),
                url=f"https://{source.lower().replace(' ', '')}.example/{day}/{i}",
            ))
    articles.append(Article(
        id="xss-1", title=XSS_TITLE, source="Prank Gazette", date="2026-03-03",
        text="A reader sent a headline full of markup about the Velmora harbour bridge. "
             "It should show up as plain text <b>and</b> never run. [brackets] stay too.",
    ))
    # a filler outlet so listings have several pages
    for i in range(25):
        articles.append(Article(
            id=f"filler-{i:02d}", title=f"Velmora market report {i}", source="Market Sheet",
            date=f"2026-02-{i + 1:02d}",
            text=f"Fish prices in the Velmora market moved {i} percent on the day, traders said. "
                 f"Report number {i} on the market covers cod, herring and eel.",
        ))
    return articles
