"""End-to-end ingest through the CLI: idempotency, reports, exit codes, crash recovery."""

import json
import os
import signal
import sqlite3
import subprocess
import time

import pytest

from helpers import STORYLINE, shared_path

from cluster.cluster_fixtures import jet_reports
from storyline.pipeline import ingest_articles
from storyline.model import Article
from storyline.store import Store


def _records(n, start=0):
    for i in range(start, start + n):
        yield {
            "id": f"rec-{i}",
            "title": f"Harbour council vote number {i}",
            "text": (f"The harbour council of Port Idris voted {i} times on the flood barrier budget. "
                     f"Councillor Mara Quist said item {i} would be reviewed next week. ") * 3,
            "date": f"2026-03-{1 + i % 28:02d}",
            "source": ["Harbor Ledger", "Valeska Daily", "Northgate Wire"][i % 3],
        }


def write_jsonl(path, records):
    with open(path, "w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r) + "\n")
    return path


def run(args, env, **kw):
    return subprocess.run(STORYLINE + args, env=env, capture_output=True, text=True, timeout=300, **kw)


def test_ingest_export_roundtrip_and_idempotent_reingest(tmp_path, cli_env):
    src = write_jsonl(tmp_path / "a.jsonl", _records(12))
    first = run(["ingest", str(src), "--json"], cli_env)
    assert first.returncode == 0, first.stderr
    report = json.loads(first.stdout)
    assert report["ingested"] == 12 and report["problems"] == []
    again = run(["ingest", str(src)], cli_env)
    assert again.returncode == 0
    assert "ingested 0 new articles" in again.stdout and "12 already stored" in again.stdout
    exported = run(["export", "--what", "articles", "--format", "jsonl"], cli_env)
    rows = [json.loads(line) for line in exported.stdout.splitlines()]
    assert [r["id"] for r in rows] == [f"rec-{i}" for i in range(12)]
    for key in ("id", "title", "date", "source", "url", "duplicate_of", "text", "event_id", "story_id"):
        assert key in rows[0]
    assert rows[0]["date"] == "2026-03-01" and rows[0]["source"] == "Harbor Ledger"


def test_export_csv_and_parquet(tmp_path, cli_env):
    src = write_jsonl(tmp_path / "a.jsonl", _records(3))
    assert run(["ingest", str(src)], cli_env).returncode == 0
    csv_out = run(["export", "--format", "csv"], cli_env).stdout.splitlines()
    assert csv_out[0].startswith("id,title,date,source") and len(csv_out) == 4
    pq_path = tmp_path / "a.parquet"
    res = run(["export", "--format", "parquet", "--out", str(pq_path)], cli_env)
    assert res.returncode == 0, res.stderr
    import pyarrow.parquet as pq

    assert pq.read_table(pq_path).num_rows == 3
    bad = run(["export", "--format", "xml"], cli_env)
    assert bad.returncode == 2 and "unknown --format" in bad.stderr


def test_bad_and_good_input_in_one_run(tmp_path, cli_env):
    good = write_jsonl(tmp_path / "good.jsonl", _records(2))
    (tmp_path / "empty.txt").write_text("")
    res = run(["ingest", str(good), str(tmp_path / "empty.txt"), str(tmp_path / "missing.jsonl")], cli_env)
    assert res.returncode == 0
    lines = [line for line in res.stderr.splitlines() if line.strip()]
    assert any("empty.txt" in line for line in lines)
    assert any("missing.jsonl" in line for line in lines)
    assert "ingested 2 new articles" in res.stdout


def test_records_of_page_furniture_only_are_errors_not_empty_articles(tmp_path, cli_env):
    # "Advertisement" and a lone page number clean away to nothing: stored, they were empty articles, the
    # second one a "wire copy" of the first
    src = write_jsonl(tmp_path / "a.jsonl", [
        {"id": "ad", "text": "Advertisement"}, {"id": "page", "text": 5},
        {"id": "share", "text": "Share this: Facebook Twitter"}, *_records(1),
        {"id": "late", "text": "A bridge opened.", "date": "next week"}])
    res = run(["ingest", str(src)], cli_env)
    assert res.returncode == 0, res.stderr
    lines = [line for line in res.stderr.splitlines() if line.strip()]
    assert f"error: {src}:1: no article text left after removing page furniture ('Advertisement')" in lines
    assert any(line.startswith(f"error: {src}:2: no article text left") for line in lines)
    assert any(line.startswith(f"error: {src}:3: no article text left") for line in lines)
    # a warning names its severity once: "warning: place: reason"
    assert f"warning: {src}:5: invalid date 'next week'; article kept with no date" in lines
    assert "ingested 2 new articles, 0 already stored, 0 wire copies" in res.stdout
    ids = [json.loads(line)["id"] for line in run(["export"], cli_env).stdout.splitlines()]
    assert sorted(ids) == ["late", "rec-0"]


def test_nothing_readable_exits_1(tmp_path, cli_env):
    res = run(["ingest", str(tmp_path / "missing.jsonl")], cli_env)
    assert res.returncode == 1
    assert "missing.jsonl" in res.stderr


def test_kill_9_mid_ingest_then_rerun_completes_without_duplicates(tmp_path, cli_env):
    total = 3000
    src = write_jsonl(tmp_path / "big.jsonl", _records(total))
    db = cli_env["STORYLINE_DB"]
    proc = subprocess.Popen(STORYLINE + ["ingest", str(src), "--batch-size", "50"], env=cli_env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    stored = 0
    deadline = time.time() + 120
    while time.time() < deadline and proc.poll() is None:
        time.sleep(0.05)
        try:
            conn = sqlite3.connect(db, timeout=1)
            stored = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
            conn.close()
        except sqlite3.Error:
            continue
        if stored >= 200:
            break
    assert proc.poll() is None, "ingest finished before it could be killed; make the input larger"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with Store(db) as store:
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        partial = store.count_articles()
        assert 0 < partial < total
        assert partial % 50 == 0, "a batch is one transaction: whole batches or nothing"
        # the full-text index is consistent with the table
        store.conn.execute("INSERT INTO articles_fts(articles_fts) VALUES('integrity-check')")
    res = run(["ingest", str(src), "--json"], cli_env)
    assert res.returncode == 0, res.stderr
    report = json.loads(res.stdout)
    assert report["ingested"] == total - partial and report["already_stored"] == partial
    with Store(db) as store:
        ids = [r[0] for r in store.conn.execute("SELECT id FROM articles")]
        assert len(ids) == total == len(set(ids))


def test_ingest_articles_api_marks_exact_copies(tmp_path):
    text = "Storm surge closes the Port Idris ferry terminal for a second day, officials said on Monday. " * 2
    with Store(tmp_path / "s.db") as store:
        report = ingest_articles(store, [
            Article(id="orig", text=text, title="Ferry terminal closed", date="2026-03-02", source="Harbor Ledger"),
            Article(id="copy", text=text, title="Ferry terminal closed", date="2026-03-02", source="Valeska Daily"),
        ])
        assert report.ingested == 2 and report.duplicates == 1
        assert store.get_article("copy").duplicate_of == "orig"


def test_seeds_ingest_exactly_two_articles(tmp_path, cli_env):
    seeds = shared_path("seeds")
    res = run(["ingest", str(seeds), "--json"], cli_env)
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout)["ingested"] == 2
    rows = [json.loads(x) for x in run(["export"], cli_env).stdout.splitlines()]
    assert len(rows) == 2 and {r["date"] for r in rows} == {"2020-10-21"}
    second = [r for r in rows if r["title"] == "Armenia-Azerbaijan Hold Truce Talks again in Moscow"]
    assert len(second) == 1
    text = second[0]["text"]
    assert "Related Stories" not in text and "Islam Times" not in text
    assert all(line.strip() != "0" for line in text.splitlines())
    again = json.loads(run(["ingest", str(seeds), "--json"], cli_env).stdout)
    assert again["ingested"] == 0 and again["already_stored"] == 2
    # both outlets report one event: the foreign ministers' truce talks in Moscow
    assert rows[0]["event_id"] and rows[0]["event_id"] == rows[1]["event_id"]
    assert rows[0]["story_id"] == rows[1]["story_id"]


def test_worker_processes_give_the_same_store_as_one_process(tmp_path):
    from helpers import EXAMPLES

    from storyline.pipeline import ingest

    results = []
    for workers in (1, 2):
        with Store(tmp_path / f"w{workers}.db") as store:
            report = ingest([str(EXAMPLES / "corpus")], store, source_from_dir=True, workers=workers,
                            batch_size=128)
            assert report.errors == []
            results.append([(a.id, a.title, a.source, a.date, a.duplicate_of, a.event_id, a.story_id, a.text)
                            for a in store.iter_articles()])
    assert results[0] == results[1] and len(results[0]) > 60


def test_who_said_what_off_stores_the_same_articles_events_and_storylines_and_no_claims(tmp_path):
    """``who_said_what=False`` (what the benchmarks weigh that stage against) skips only that stage, in one
    process and with workers alike."""
    from helpers import EXAMPLES

    from storyline.ingest import read_inputs
    from storyline.pipeline import Ingestor

    def run(name: str, workers: int, who: bool) -> tuple[list, int, int]:
        with Store(tmp_path / f"{name}.db") as store:
            items = [x for x in read_inputs([str(EXAMPLES / "corpus")], source_from_dir=True) if hasattr(x, "text")]
            report = Ingestor(store, workers=workers, batch_size=128, who_said_what=who).run(items)
            assert report.errors == [] and report.ingested > 60
            rows = [(a.id, a.duplicate_of, a.event_id, a.story_id) for a in store.iter_articles()]
            return rows, store.count_claims(), len(store.list_entities())

    full = run("full", 1, True)
    assert full[1] > 100 and full[2] > 50
    for workers in (1, 2):
        rows, claims, entities = run(f"off{workers}", workers, False)
        assert rows == full[0] and claims == 0 and entities == 0


def test_work_share_balances_the_workers_against_this_process():
    from storyline.pipeline import _WorkShare

    share = _WorkShare(1)
    assert share.handed(200) == 100  # nothing measured yet: an equal share for each process
    # 3 s of analysis and 1 s of serial stages per 100 articles: the worker takes f = (3 + 1) / (2 * 3)
    share.observe(100, 3.0, 1.0)
    assert share.handed(300) == 200
    share = _WorkShare(3)  # three workers: f = 3 * (3 + 1) / (3 * 4) = 1, this process only stores
    share.observe(100, 3.0, 1.0)
    assert share.handed(300) == 300
    share = _WorkShare(1)  # serial stages dearer than the analysis: the worker takes it all
    share.observe(100, 1.0, 3.0)
    assert share.handed(50) == 50
    share = _WorkShare(1)  # the serial stages got dearer: the last batch weighs as much as all before it
    share.observe(100, 3.0, 1.0)
    share.observe(100, 3.0, 3.0)  # (4.5 s + 3.5 s) / 150 articles against 4.5 s / 150: f = 8 / 9
    assert share.handed(300) == 267


@pytest.mark.parametrize("fraction", [0.0, 0.5])
def test_a_batch_split_between_the_workers_and_this_process_gives_the_same_store(tmp_path, monkeypatch,
                                                                                fraction):
    from helpers import EXAMPLES

    import storyline.pipeline as pipeline
    from storyline.export import entity_row

    def stored(path, workers):
        with Store(path) as store:
            report = pipeline.ingest([str(EXAMPLES / "corpus")], store, source_from_dir=True, workers=workers,
                                     batch_size=128)
            assert report.errors == []
            return ([(a.id, a.duplicate_of, a.event_id, a.story_id) for a in store.iter_articles()],
                    sorted((c.article_id, c.sentence, c.speaker, c.speaker_entity_id, c.text)
                           for c in store.iter_claims()),
                    sorted(str(entity_row(e)) for e in store.list_entities()))

    single = stored(tmp_path / "one.db", 1)
    monkeypatch.setattr(pipeline._WorkShare, "handed", lambda self, n: round(n * fraction))
    split = stored(tmp_path / "split.db", 2)
    assert split == single and len(single[1]) > 300


def test_export_into_a_closed_pipe_is_quiet(tmp_path, cli_env):
    src = write_jsonl(tmp_path / "a.jsonl", _records(400))
    assert run(["ingest", str(src)], cli_env).returncode == 0
    proc = subprocess.Popen(STORYLINE + ["export"], env=cli_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.readline()
    proc.stdout.close()  # like `storyline export | head -1`
    _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 0 and b"error" not in stderr.lower()


def test_claims_from_workers_match_claims_extracted_with_the_reconciled_lookup(tmp_path):
    """The worker task extracts claims before the batch's entities are reconciled; once their speaker ids are
    looked up they must equal what extract_claims gives with the real lookup (and every mention: the worker's
    names are compacted, one per distinct name of the article)."""
    from helpers import EXAMPLES

    from storyline.enrich.claims import extract_claims
    from storyline.enrich.entities import Reconciler, alias_lookup, extract_names
    from storyline.ingest import read_inputs
    from storyline.pipeline import _analyse, _resolve_speakers

    results = [_analyse(a) for a in read_inputs([str(EXAMPLES / "corpus")], source_from_dir=True)
               if isinstance(a, Article)]
    results = [r for r in results if isinstance(r.item, Article)]
    assert len(results) > 60 and all(r.names is not None and r.claims is not None for r in results)
    touched = Reconciler().add({r.item.id: r.names for r in results})
    lookup = alias_lookup(touched)
    linked = 0
    for r in results:
        _resolve_speakers(r.claims, lookup)
        assert r.claims == extract_claims(r.item, extract_names(r.item), lookup)
        linked += sum(1 for c in r.claims if c.speaker_entity_id)
    assert linked > 10


def test_report_times_each_stage(tmp_path):
    from helpers import EXAMPLES

    from storyline.pipeline import ingest

    with Store(tmp_path / "t.db") as store:
        report = ingest([str(EXAMPLES / "corpus")], store, source_from_dir=True, workers=1)
    stages = report.to_dict()["stage_seconds"]
    for stage in ("read", "analyse", "analyse_cpu", "dedup", "store", "cluster", "enrich"):
        assert stages[stage] >= 0.0
    # the unrounded timers: the sum of six figures rounded to milliseconds may pass the total by 3 ms
    serial = ("read", "analyse", "dedup", "store", "cluster", "enrich")
    assert sum(report.stage_seconds[s] for s in serial) <= report.seconds


def test_worker_task_makes_the_clusterers_features_and_the_clusterer_uses_them(tmp_path, monkeypatch):
    """The per-article task makes each article's term vector (off the main process); it equals what the
    clusterer would compute, and the clustering stage takes it as given."""
    import numpy as np
    from helpers import EXAMPLES

    import storyline.pipeline as pipeline
    from storyline.cluster import ArticleFeatures, ClusterParams, article_features
    from storyline.cluster.clusterer import feature_key
    from storyline.ingest import read_inputs

    results = [pipeline._analyse(a) for a in read_inputs([str(EXAMPLES / "corpus")], source_from_dir=True)
               if isinstance(a, Article)]
    results = [r for r in results if isinstance(r.item, Article)]
    assert len(results) > 60
    for r in results:
        assert r.features is not None and r.features.key == feature_key(ClusterParams())
        mine = article_features(r.item)
        assert np.array_equal(r.features.idx, mine.idx) and np.array_equal(r.features.tf, mine.tf)
        assert r.features.prom == mine.prom

    def counts():
        with Store(tmp_path / f"{len(list(tmp_path.iterdir()))}.db") as store:
            ingest([str(EXAMPLES / "corpus")], store, source_from_dir=True, workers=1)
            return store.count_events()

    from storyline.pipeline import ingest

    events = counts()
    # vectors that share their one column: the clusterer, given them, joins far more articles into events
    monkeypatch.setattr(pipeline, "article_features", lambda a: ArticleFeatures(
        feature_key(ClusterParams()), np.array([7], dtype=np.int64), np.array([1.0]), []))
    assert counts() < events // 2


def test_an_orphan_taken_into_an_event_in_a_later_batch_has_its_claims_weighed_with_the_events(tmp_path, monkeypatch):
    import storyline.pipeline as pipeline

    first, later = jet_reports()
    weighed: list[set[str]] = []
    original = pipeline.find_disagreements

    def spy(claims, dates=None):
        weighed.append({c.article_id for c in claims})
        return original(claims, dates)

    monkeypatch.setattr(pipeline, "find_disagreements", spy)
    with Store(tmp_path / "s.db") as store:
        ingest_articles(store, first)
        arts = {a.id: a for a in store.iter_articles()}
        assert arts["d"].event_id != arts["a1"].event_id  # the denial alone fitted no report of the claim
        weighed.clear()
        ingest_articles(store, [later])  # a week on, the denial's lone event is closed: the claim's event takes it
        arts = {a.id: a for a in store.iter_articles()}
        assert arts["d"].event_id == arts["a1"].event_id == arts["a3"].event_id
        assert arts["d"].story_id == arts["a1"].story_id
        # the surviving event's disagreements were found again over its claims and the newcomer's
        assert any({"a1", "d"} <= ids for ids in weighed)
        merges = store.conn.execute("SELECT kind, old_id, new_id FROM merges").fetchall()
        assert any(kind == "event" and new == arts["a1"].event_id for kind, _, new in merges)
