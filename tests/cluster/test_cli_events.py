"""CLI views of events and storylines: cluster, events, stories, show, export."""

from __future__ import annotations

import json
import subprocess

from cluster.cluster_fixtures import corpus
from helpers import STORYLINE

from storyline.pipeline import ingest_articles
from storyline.store import Store


def run(env, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*STORYLINE, *args], env=env, capture_output=True, text=True, timeout=120)


def test_cli_views(cli_env) -> None:
    with Store(cli_env["STORYLINE_DB"]) as store:
        ingest_articles(store, corpus())
    events = json.loads(run(cli_env, "events", "--json").stdout)
    assert sum(len(e["article_ids"]) for e in events) == len(corpus())
    assert set(events[0]) == {"event_id", "story_id", "title", "start", "end", "article_ids", "sources"}
    stories = json.loads(run(cli_env, "stories", "--json").stdout)
    assert len(stories) == 2 and all(s["event_ids"] for s in stories)
    story = next(s for s in stories if len(s["event_ids"]) == 2)
    only = json.loads(run(cli_env, "events", "--story", story["story_id"], "--json").stdout)
    assert [e["event_id"] for e in only] == story["event_ids"]
    plain = run(cli_env, "events")  # not a terminal: tab-separated text
    assert plain.returncode == 0 and plain.stdout.splitlines()[0].split("\t")[0] == "start"
    shown = run(cli_env, "show", events[0]["event_id"])
    assert shown.returncode == 0 and events[0]["event_id"] in shown.stdout
    assert all(a in shown.stdout for a in events[0]["article_ids"])
    assert run(cli_env, "show", "ev-missing").returncode != 0
    exported = [json.loads(x) for x in run(cli_env, "export", "--what", "events", "--format", "jsonl").stdout.splitlines()]
    assert sorted(e["event_id"] for e in exported) == sorted(e["event_id"] for e in events)
    exp_st = [json.loads(x) for x in run(cli_env, "export", "--what", "stories", "--format", "jsonl").stdout.splitlines()]
    assert {s["story_id"] for s in exp_st} == {s["story_id"] for s in stories}
    arts = [json.loads(x) for x in run(cli_env, "export", "--what", "articles", "--format", "jsonl").stdout.splitlines()]
    assert all(a["event_id"] and a["story_id"] for a in arts)
    rebuilt = run(cli_env, "cluster", "--rebuild", "--json")
    assert json.loads(rebuilt.stdout)["clustered"] == len(corpus())
    assert json.loads(run(cli_env, "events", "--json").stdout) == events
