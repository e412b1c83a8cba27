"""Build a large fictional store for the web benchmark, fast.

Articles are generated text (a made-up vocabulary of places, people and verbs; nothing real) and go in through
``Store.add_articles`` (so FTS5 indexes them exactly as at ingest). Events and storylines are NOT produced by
the clustering stage (too slow for 100k articles inside a benchmark's time budget): the generator knows which
event each article was written about and records that with ``Store.apply_cluster_update``; entities and claims
likewise go in through ``Store.save_entities`` / ``Store.save_claims``. The store therefore has the shape the
pages read (events of ~3-15 articles from several outlets, storylines of ~10 events, entities, claims), not
the clusterer's output.

Every event's cited summary is computed and cached at the end (``precompute_summaries``), so the web benchmark
measures reads: an event page never has to compute and write its summary on first view.

    python bench/gen_store.py --articles 100000 --out /tmp/web100k.db
    python bench/gen_store.py --summaries-only --out /tmp/web100k.db   # an older store: add missing summaries
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from storyline.cluster.clusterer import ClusterUpdate
from storyline.model import Article, Claim, Entity, Event, Figure, Mention, Story
from storyline.store import Store

SYLLABLES = ["ka", "lo", "mer", "vin", "dra", "sel", "tor", "ana", "bre", "quo", "zel", "mir", "pha", "dun", "ost",
             "rel", "yan", "gor", "tes", "wil", "ux", "eno", "cai", "pim"]
VERBS = ["announced", "rejected", "approved", "delayed", "opened", "closed", "signed", "disputed", "reported",
         "postponed", "confirmed", "denied", "launched", "suspended", "extended", "criticised"]
NOUNS = ["bridge", "treaty", "budget", "harbour", "strike", "election", "reform", "pipeline", "ferry", "tariff",
         "festival", "inquiry", "flood", "airport", "railway", "council", "market", "border", "reservoir", "school"]
FILLER = ["the", "officials", "said", "on", "after", "a", "week", "of", "talks", "with", "local", "leaders", "and",
          "residents", "who", "gathered", "near", "the", "square", "while", "critics", "warned", "that", "costs",
          "could", "rise", "further", "in", "coming", "months", "according", "to", "documents", "seen", "by",
          "reporters", "at", "least", "two", "groups", "also", "called", "for", "an", "independent", "review"]


def word(rng: random.Random, parts: int = 2) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(parts)).capitalize()


def generate(path: str, n_articles: int = 100_000, *, seed: int = 7, n_sources: int = 40,
             log=print) -> dict[str, int]:  # type: ignore[no-untyped-def]
    rng = random.Random(seed)
    sources = [f"The {word(rng)} {rng.choice(['Post', 'Courier', 'Herald', 'Daily', 'Times', 'Wire'])}"
               for _ in range(n_sources)]
    places = [word(rng, 3) for _ in range(400)]
    people = [f"{word(rng)} {word(rng, 3)}" for _ in range(1500)]
    orgs = [f"{word(rng)} {rng.choice(['Agency', 'Union', 'Council', 'Bank', 'Party'])}" for _ in range(300)]
    day0 = date(2024, 1, 1)
    started = time.perf_counter()
    stats = {"articles": 0, "events": 0, "stories": 0, "entities": 0, "claims": 0}
    ent_ids: dict[tuple[str, str], str] = {}

    def eid(kind: str, name: str) -> str:
        key = (kind, name)
        if key not in ent_ids:
            ent_ids[key] = "en-" + hashlib.sha1(f"{kind}|{name}".encode()).hexdigest()[:12]
        return ent_ids[key]

    with Store(path) as store:
        seq = 0
        story_no = 0
        while seq < n_articles:
            story_no += 1
            place, noun = rng.choice(places), rng.choice(NOUNS)
            cast = rng.sample(people, 4)
            org = rng.choice(orgs)
            sid = f"st-{story_no:06d}"
            start = day0 + timedelta(days=rng.randrange(0, 1000))
            story = Story(id=sid, title=f"{place} {noun}", start=start.isoformat())
            update = ClusterUpdate()
            articles: list[Article] = []
            entities: dict[str, Entity] = {}
            claims: list[Claim] = []
            day = start
            for ev_no in range(rng.randint(4, 16)):
                if seq >= n_articles:
                    break
                day += timedelta(days=rng.randint(0, 6))
                verb = rng.choice(VERBS)
                ev_id = f"ev-{story_no:06d}-{ev_no:02d}"
                ev_title = f"{cast[0]} {verb} {place} {noun} plan"
                n = min(rng.randint(3, 15), n_articles - seq)
                outlets = rng.sample(sources, min(n, rng.randint(2, 8)))
                ev_days: list[str] = []
                for k in range(n):
                    seq += 1
                    d = (day + timedelta(days=rng.choice([0, 0, 0, 1, 2]))).isoformat()
                    ev_days.append(d)
                    speaker = rng.choice(cast)
                    figure = rng.randint(10, 5000)
                    body = " ".join(rng.choice(FILLER) for _ in range(rng.randint(90, 160)))
                    text = (f"{place.upper()} — {speaker} {verb} the {place} {noun} plan on {d}, {org} said. "
                            f"\"We counted {figure} people at the {noun},\" {speaker} said.\n\n{body}.\n\n"
                            f"{cast[1]} of the {org} {rng.choice(VERBS)} the {noun} figures.")
                    aid = f"gen-{seq:07d}"
                    articles.append(Article(
                        id=aid, text=text, title=f"{speaker} {verb} {place} {noun} plan",
                        date=d, source=outlets[k % len(outlets)], url=f"https://news.example/{seq}",
                        lang="en", content_hash=hashlib.sha1(text.encode()).hexdigest()))
                    update.assignments[aid] = (ev_id, sid)
                    for kind, name in (("PERSON", speaker), ("PLACE", place), ("ORG", org), ("PERSON", cast[1])):
                        i = eid(kind, name)
                        ent = entities.setdefault(i, Entity(id=i, name=name, type=kind))
                        ent.mentions.append(Mention(article_id=aid, text=name))
                    claims.append(Claim(article_id=aid, speaker=speaker, verb="said",
                                        text=f"We counted {figure} people at the {noun}.",
                                        figures=[Figure(value=float(figure), unit="people", subject=None,
                                                        text=f"{figure} people")],
                                        speaker_entity_id=eid("PERSON", speaker), sentence=1,
                                        id=f"cl-{seq:07d}"))
                update.events.append(Event(id=ev_id, story_id=sid, title=ev_title, start=min(ev_days),
                                           end=max(ev_days)))
                stats["events"] += 1
            story.end = max(e.end or e.start or "" for e in update.events) or None
            update.stories.append(story)
            with store.transaction():
                store.add_articles(articles)
                store.apply_cluster_update(update)
                store.save_entities(entities.values())
                store.save_claims(claims, {a: e for a, (e, _s) in update.assignments.items()})
            stats["articles"] = seq
            stats["stories"] += 1
            stats["claims"] += len(claims)
            if story_no % 200 == 0:
                log(f"  {seq} articles, {stats['events']} events, {time.perf_counter() - started:.0f}s")
        store.conn.execute("PRAGMA optimize")
    stats["entities"] = len(ent_ids)
    stats["summaries"] = precompute_summaries(path, log=log)
    stats["seconds"] = round(time.perf_counter() - started)
    return stats


def missing_summaries(path: str) -> list[str]:
    """Live events of the store whose cached summary is absent or stale (read-only check)."""
    from storyline.summarize.cached import fingerprint
    from storyline.summarize.summary import LLMConfig

    llm = LLMConfig.from_env()
    with Store(path, readonly=True) as store:
        members: dict[str, list[str]] = {}
        for event_id, article_id in store.conn.execute(
                "SELECT a.event_id, a.id FROM articles a JOIN events e ON e.id = a.event_id "
                "WHERE e.merged_into IS NULL ORDER BY a.seq"):
            members.setdefault(event_id, []).append(article_id)
        missing = []
        for event_id, ids in members.items():
            cached = store.get_event_summary(event_id)
            if cached is None or cached[0] != fingerprint(ids, 4, llm):
                missing.append(event_id)
    return missing


def precompute_summaries(path: str, *, log=print) -> int:  # type: ignore[no-untyped-def]
    """Compute and cache the summary of every live event that lacks a current one; returns how many."""
    from storyline.summarize.cached import event_summary

    todo = missing_summaries(path)
    started = time.perf_counter()
    with Store(path) as store:
        for i, event_id in enumerate(todo, 1):
            event_summary(store, event_id)
            if i % 1000 == 0:
                log(f"  {i}/{len(todo)} summaries, {time.perf_counter() - started:.0f}s")
    return len(todo)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--out", required=True, help="database path (must not exist)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--summaries-only", action="store_true",
                    help="only compute the missing event summaries of an existing store")
    args = ap.parse_args(argv)
    if args.summaries_only:
        if not Path(args.out).exists():
            print(f"{args.out} does not exist", file=sys.stderr)
            return 2
        print({"summaries": precompute_summaries(args.out)})
        return 0
    if Path(args.out).exists():
        print(f"{args.out} exists; remove it first", file=sys.stderr)
        return 2
    print(generate(args.out, args.articles, seed=args.seed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
