"""A small team-written fictional corpus: two storylines, four events, with truth labels."""

from __future__ import annotations

from storyline.model import Article

# (id, date, title, text, event, story)
_ROWS = [
    ("v1", "2031-03-04", "Velmora harbour bridge collapses during rush hour",
     "The Kessel Street bridge over Velmora harbour collapsed on Tuesday during the evening rush hour, sending "
     "four cars into the water. Mayor Ilse Brandt said divers from the Velmora fire brigade pulled eleven people "
     "from the harbour.", "bridge", "velmora"),
    ("v2", "2031-03-04", "Eleven rescued after Kessel Street bridge falls into Velmora harbour",
     "Divers rescued eleven people after the Kessel Street bridge in Velmora fell into the harbour on Tuesday. "
     "Mayor Ilse Brandt called the collapse of the bridge a tragedy and closed the harbour to boats.",
     "bridge", "velmora"),
    ("v3", "2031-03-05", "Velmora mourns two killed in harbour bridge collapse",
     "Two people died in the Kessel Street bridge collapse in Velmora harbour, the fire brigade said on "
     "Wednesday, as divers searched the water for cars. Mayor Ilse Brandt declared a day of mourning for the "
     "bridge victims.", "bridge", "velmora"),
    ("v4", "2031-03-25", "Velmora council orders inquiry into Kessel Street bridge collapse",
     "The Velmora city council voted to open a public inquiry into the Kessel Street bridge collapse, three weeks "
     "after the harbour disaster. Engineers from the Tarnow institute will examine corroded steel cables, Mayor "
     "Ilse Brandt said.", "inquiry", "velmora"),
    ("v5", "2031-03-26", "Engineers to examine corroded cables of collapsed Velmora bridge",
     "An inquiry ordered by the Velmora council will examine whether corroded steel cables caused the Kessel "
     "Street bridge collapse. Engineers of the Tarnow institute start the inquiry on Monday, Mayor Ilse Brandt "
     "said.", "inquiry", "velmora"),
    ("o1", "2031-03-10", "Orlin votes in snap parliamentary election",
     "Voters in Orlin cast ballots on Sunday in a snap parliamentary election called by Prime Minister Dario "
     "Vessel after his coalition collapsed. The Green Harvest party of Mira Ostrova led the final polls.",
     "vote", "orlin"),
    ("o2", "2031-03-10", "Polls close in Orlin snap election with high turnout",
     "Turnout in the Orlin snap parliamentary election reached 71 percent on Sunday, the electoral commission "
     "said. Prime Minister Dario Vessel and challenger Mira Ostrova of the Green Harvest party both voted in the "
     "capital.", "vote", "orlin"),
    ("o3", "2031-03-11", "Green Harvest wins Orlin election, Ostrova claims victory",
     "Mira Ostrova claimed victory on Monday after her Green Harvest party won the Orlin snap parliamentary "
     "election with 38 percent. Prime Minister Dario Vessel conceded defeat and congratulated Ostrova.",
     "result", "orlin"),
    ("o4", "2031-03-11", "Ostrova's Green Harvest party wins 38 percent in Orlin",
     "The Green Harvest party of Mira Ostrova won the Orlin parliamentary election with 38 percent of the vote, "
     "final results showed on Monday. Dario Vessel conceded and said his party would go into opposition.",
     "result", "orlin"),
]


def corpus(dated: bool = True) -> list[Article]:
    """The fixture articles in date order (``dated=False`` drops publication dates)."""
    rows = sorted(_ROWS, key=lambda r: (r[1], r[0]))
    return [Article(id=r[0], date=r[1] if dated else None, title=r[2], text=r[3], source=f"outlet-{i % 3}")
            for i, r in enumerate(rows)]


def truth(level: str) -> dict[str, str]:
    k = 4 if level == "event" else 5
    return {r[0]: r[k] for r in _ROWS}


def jet_reports() -> tuple[list[Article], Article]:
    """A claim reported three times and a denial that, on its own, fits none of them; a report a week later."""
    def art(aid, day, source, title, text):
        return Article(id=aid, date=f"2031-07-{day:02d}", source=source, title=title, text=text)

    first = [
        art("a1", 1, "Harbor Ledger", "Velmora says it shot down Drasski jet",
            "Velmora's army said on Tuesday it shot down a Drasski fighter jet over the Orvan valley. The Velmoran "
            "defence ministry said the jet crashed near Kesten."),
        art("d", 1, "Eastbank Herald", "Marakand says every plane is accounted for",
            "Officials in Marakand rejected as untrue the claim that an aircraft was lost; every plane of the air "
            "force returned safely to base, spokesman Ivo Sarn said."),
        art("a2", 1, "Corvin Times", "Drasski jet downed over Orvan valley, Velmora says",
            "A Drasski fighter jet was shot down over the Orvan valley, Velmora's army said. Officials in Marakand "
            "rejected the claim as untrue and said every plane of the air force returned to base."),
        art("a3", 2, "Solen Observer", "Velmora stands by claim it shot down Drasski jet",
            "Velmora's army said again on Wednesday that it shot down a Drasski fighter jet over the Orvan valley, "
            "although Marakand called the claim untrue."),
    ]
    later = art("z", 9, "Harbor Ledger", "Orchard harvest begins in Malven",
                "Farmers in Malven began the apple harvest early after a warm spring, the growers' association said.")
    return first, later
