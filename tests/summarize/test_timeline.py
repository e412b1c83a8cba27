"""Dated timelines: pure builder on the fictional fixture, CLI wiring, and the seed acceptance case."""

from __future__ import annotations

import json
import os
import subprocess
from datetime import date, timedelta

from helpers import STORYLINE, shared_path
from summarize.valdoria import ARTICLES

from storyline.model import Article
from storyline.summarize.timeline import build_timeline


def _by_date(tl: list[dict]) -> dict[str, dict]:
    return {e["date"]: e for e in tl}


def test_timeline_entries_dates_and_citations() -> None:
    tl = build_timeline(ARTICLES, dates=10, sentences=2)
    assert [e["date"] for e in tl] == sorted(e["date"] for e in tl)
    entries = _by_date(tl)
    # the publication day, the war's start, Saturday's ceasefire, the announced follow-up talks
    assert {"2031-05-14", "2031-04-19", "2031-05-10", "2031-05-16"} <= set(entries)
    assert any("Lunaport" in s for s in entries["2031-05-14"]["sentences"])
    assert all("April 19" in s for s in entries["2031-04-19"]["sentences"])
    assert set(entries["2031-04-19"]["article_ids"]) == {"harbour-herald-1", "daily-courier-7"}
    assert any("Saturday" in s for s in entries["2031-05-10"]["sentences"])
    known = {a.id for a in ARTICLES}
    for e in tl:
        assert 1 <= len(e["sentences"]) <= 2
        assert e["article_ids"] and set(e["article_ids"]) <= known
        assert set(e) == {"date", "sentences", "article_ids"}


def test_timeline_respects_limits_and_deduplicates() -> None:
    tl = build_timeline(ARTICLES, dates=2, sentences=1)
    assert len(tl) == 2
    # 2031-04-19 is referred back to by two outlets: it is among the most important days
    assert "2031-04-19" in {e["date"] for e in tl}
    full = build_timeline(ARTICLES, dates=10, sentences=3)
    sentences = [s for e in full for s in e["sentences"]]
    assert len(sentences) == len(set(sentences))
    # the two reports of the collapsed ceasefire are one timeline sentence
    assert sum("second ceasefire" in s for s in sentences) == 1


def test_timeline_since_until_and_query() -> None:
    tl = build_timeline(ARTICLES, since="2031-05-01", until="2031-05-31")
    assert tl and all("2031-05-01" <= e["date"] <= "2031-05-31" for e in tl)
    # the query steers which sentences tell a day (the articles themselves are the caller's choice)
    plain = _by_date(build_timeline(ARTICLES, dates=10, sentences=1))["2031-05-14"]["sentences"]
    fishing = _by_date(build_timeline(ARTICLES, query="fishing fleets estuary", dates=10, sentences=1))
    assert "Fishing fleets" not in plain[0]
    assert "Fishing fleets" in fishing["2031-05-14"]["sentences"][0]
    # a query matching nothing is ignored rather than emptying the timeline
    assert build_timeline(ARTICLES, query="zzzz-nothing") == build_timeline(ARTICLES)


def test_timeline_ranks_days_by_references_and_publications() -> None:
    start = date(2032, 3, 1)
    arts = []
    for i in range(12):  # a story over 12 days; every later report recalls the day the dam broke (March 2)
        d = start + timedelta(days=i)
        recall = " The Tamsin dam broke on March 2, flooding the lower valley." if i > 1 else ""
        arts.append(Article(id=f"a{i}", date=d.isoformat(),
                            text=f"Relief teams in the valley reported progress on day {i} of the operation.{recall}"))
    tl = build_timeline(arts, dates=1, sentences=1)
    assert [e["date"] for e in tl] == ["2032-03-02"]
    assert "dam broke" in tl[0]["sentences"][0]
    assert len(tl[0]["article_ids"]) >= 5  # the paraphrases in other reports are cited too


def test_timeline_calendar_dates_outweigh_relative_references() -> None:
    # two reports recall Monday (March 8) in words, two name March 10 as a date: the written date wins
    arts = [
        Article(id="r1", date="2032-03-12",
                text="Crowds gathered at the Orvel bridge on Monday to watch the new lights switched on."),
        Article(id="r2", date="2032-03-13",
                text="Thousands of visitors walked across the Orvel bridge on Monday evening, organisers said."),
        Article(id="c1", date="2032-03-12",
                text="The Orvel bridge was closed on March 10 after engineers found a crack in the main span."),
        Article(id="c2", date="2032-03-13",
                text="Engineers closed the Orvel bridge on March 10 when a crack appeared in its main span."),
    ]
    tl = build_timeline(arts, dates=1, sentences=1)
    assert [e["date"] for e in tl] == ["2032-03-10"]
    assert set(tl[0]["article_ids"]) == {"c1", "c2"}
    both = build_timeline(arts, dates=2, sentences=1)
    assert [e["date"] for e in both] == ["2032-03-08", "2032-03-10"]


def test_timeline_chronology_entries_count_extra() -> None:
    # a dated list of the story's events is an editor's own timeline: its entries outweigh a day that two
    # reports name in passing, while the same dates told in running prose do not
    events = [("March 1", "Protesters occupied the Velm square"), ("March 3", "The Velm council resigned"),
              ("March 5", "Troops were deployed along the Velm river"), ("March 7", "Talks opened in Kasso")]
    recall = [Article(id=f"p{i}", date="2033-03-18",
                      text=f"Velm officials said the river dam was damaged on March 9 during the storm ({i}).")
              for i in range(2)]
    listing = "\n".join(f"{d} - {what} after days of unrest." for d, what in events)
    chronology = Article(id="chron", date="2033-03-20", text=f"Key events in the Velm crisis:\n{listing}")
    tl = build_timeline([chronology, *recall], dates=1, sentences=1)
    assert [e["date"] for e in tl] == ["2033-03-01"]
    assert "Velm square" in tl[0]["sentences"][0]
    prose = " ".join(f"{what} on {d} after days of unrest." for d, what in events)
    story = Article(id="story", date="2033-03-20", text=f"The Velm crisis went on for weeks. {prose}")
    assert [e["date"] for e in build_timeline([story, *recall], dates=1, sentences=1)] == ["2033-03-09"]


def test_timeline_empty_and_undated() -> None:
    assert build_timeline([]) == []
    undated = [Article(id="u", text="Nothing here has a date at all, only words and more words.")]
    assert build_timeline(undated) == []


def _cli(args: list[str], env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(STORYLINE + args, env=env, capture_output=True, text=True, timeout=300)


def _write_jsonl(path, articles: list[Article]) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for a in articles:
            fh.write(json.dumps({"id": a.id, "title": a.title, "date": a.date, "source": a.source,
                                 "text": a.text}) + "\n")


def test_cli_timeline_and_summary_on_fixture(tmp_path, cli_env) -> None:
    src = tmp_path / "valdoria.jsonl"
    _write_jsonl(src, ARTICLES)
    assert _cli(["ingest", str(src)], cli_env).returncode == 0
    res = _cli(["timeline", "--all", "--json", "--dates", "5", "--sentences", "2"], cli_env)
    assert res.returncode == 0, res.stderr
    tl = json.loads(res.stdout)
    assert [e["date"] for e in tl] == sorted(e["date"] for e in tl)
    entries = _by_date(tl)
    assert any("Lunaport" in s for s in entries["2031-05-14"]["sentences"])
    assert "2031-04-19" in entries
    by_query = json.loads(_cli(["timeline", "--query", "Lunaport", "--json"], cli_env).stdout)
    assert by_query
    assert _cli(["timeline"], cli_env).returncode != 0  # a scope is required
    assert _cli(["timeline", "no-such-story"], cli_env).returncode != 0

    exported = [json.loads(ln) for ln in _cli(["export", "--what", "articles"], cli_env).stdout.splitlines()]
    event_id = next(r["event_id"] for r in exported if r["id"] == "harbour-herald-1")
    story_id = next(r["story_id"] for r in exported if r["id"] == "harbour-herald-1")
    assert event_id and story_id
    res = _cli(["summary", event_id, "--json", "--sentences", "3"], cli_env)
    assert res.returncode == 0, res.stderr
    summary = json.loads(res.stdout)
    assert 1 <= len(summary) <= 3 and all(s["article_ids"] for s in summary)
    again = json.loads(_cli(["summary", event_id, "--json", "--sentences", "3"], cli_env).stdout)
    assert again == summary  # served from the cache, unchanged
    story_tl = json.loads(_cli(["timeline", story_id, "--json"], cli_env).stdout)
    assert story_tl and all(e["article_ids"] for e in story_tl)
    assert _cli(["summary", "no-such-event"], cli_env).returncode != 0
    events = [json.loads(ln) for ln in _cli(["export", "--what", "events"], cli_env).stdout.splitlines()]
    assert events
    for ev in events:
        assert ev["summary"] and all(set(s) == {"text", "article_ids"} and s["article_ids"] for s in ev["summary"])
        assert {a for s in ev["summary"] for a in s["article_ids"]} <= set(ev["article_ids"])
    row = next(ev for ev in events if ev["event_id"] == event_id)
    assert [s["text"] for s in row["summary"]] == [s["text"] for s in summarize_cli(cli_env, event_id)]


def summarize_cli(env: dict, event_id: str) -> list[dict]:
    return json.loads(_cli(["summary", event_id, "--json"], env).stdout)


def test_seed_acceptance(cli_env) -> None:
    seeds = shared_path("seeds")
    assert _cli(["ingest", str(seeds)], cli_env).returncode == 0
    exported = [json.loads(ln) for ln in _cli(["export", "--what", "articles"], cli_env).stdout.splitlines()]
    assert len(exported) == 2
    stories = {r["story_id"] for r in exported}
    # the seed event's timeline: its storyline when both reports share one, else everything stored
    scope = [stories.pop()] if len(stories) == 1 else ["--all"]
    res = _cli(["timeline", *scope, "--json"], cli_env)
    assert res.returncode == 0, res.stderr
    entries = _by_date(json.loads(res.stdout))
    assert any("Moscow" in s for s in entries["2020-10-21"]["sentences"])
    assert any("September 27" in s for s in entries["2020-09-27"]["sentences"])
    assert any("October 23" in s or "Friday" in s for s in entries["2020-10-23"]["sentences"])


def test_summary_of_a_missing_store_is_an_error_and_leaves_no_file(tmp_path, cli_env):
    res = _cli(["summary", "ev-1"], cli_env)
    assert res.returncode == 2 and "no such database (run `storyline ingest` first)" in res.stderr
    assert not os.path.exists(cli_env["STORYLINE_DB"])
