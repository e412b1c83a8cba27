"""A team-written, fictional multi-outlet event (the Valdoria-Kestrel truce talks) for summary/timeline tests."""

from __future__ import annotations

from storyline.model import Article

# Publication day: Wednesday 2031-05-14.
PUB = "2031-05-14"

ARTICLES = [
    Article(
        id="harbour-herald-1",
        source="Harbour Herald",
        date=PUB,
        title="Valdoria and Kestrel envoys hold truce talks in Lunaport",
        text=(
            "The foreign ministers of Valdoria and Kestrel met in Lunaport for truce talks hosted by the "
            "Republic of Ostrava.\n\n"
            "Hundreds of soldiers and civilians have been killed since the fighting over the Sarn valley began "
            "on April 19.\n\n"
            "A second ceasefire agreed Saturday collapsed within hours, both sides said.\n\n"
            "The two ministers will travel on to Brenmoor for further talks on May 16.\n\n"
            "Ostrava's foreign minister Ilse Marten said the talks were difficult but useful."
        ),
    ),
    Article(
        id="daily-courier-7",
        source="Daily Courier",
        date=PUB,
        title="Truce talks in Lunaport as Sarn fighting rages",
        text=(
            "The Valdorian and Kestrelian foreign ministers held truce talks in Lunaport on Wednesday, "
            "hosted by Ostrava.\n\n"
            "The war over the Sarn valley erupted again on April 19 in fierce clashes.\n\n"
            "A second ceasefire agreed on Saturday fell apart almost immediately.\n\n"
            "Kestrel said 412 of its soldiers had been killed; Valdoria has not published its losses.\n\n"
            "The ministers are due to meet Brenmoor's president on Friday."
        ),
    ),
    Article(
        id="north-wire-3",
        source="North Wire",
        date=PUB,
        title="Lunaport talks",
        text=(
            "Envoys of Valdoria and Kestrel met for truce talks in Lunaport, the Ostravan capital, on Wednesday.\n\n"
            "Fishing fleets in the Sarn estuary stayed in port for a third week.\n\n"
            "Valdoria accused Kestrel of shelling the border town of Orvel overnight."
        ),
    ),
]
