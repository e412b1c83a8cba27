import sqlite3

import pytest

from storyline.model import Article
from storyline.store import Store, StoreError
from storyline.store.schema import SCHEMA_VERSION


def art(i, text="The harbour council met on Tuesday to discuss the flood barrier.", **kw):
    return Article(id=f"a{i}", text=text, title=kw.pop("title", f"Title {i}"), content_hash=f"h{i}", **kw)


def test_fresh_store_is_migrated_with_wal_and_foreign_keys(tmp_path):
    db = tmp_path / "s.db"
    with Store(db) as s:
        assert s.schema_version == SCHEMA_VERSION
        assert s.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert s.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    # reopening does not re-run migrations
    with Store(db) as s:
        assert s.schema_version == SCHEMA_VERSION


def test_add_articles_is_idempotent_and_keeps_raw_text(tmp_path):
    with Store(tmp_path / "s.db") as s:
        assert s.add_articles([art(1, raw="RAW 1", source="Harbor Ledger"), art(2)]) == ["a1", "a2"]
        assert s.add_articles([art(1), art(3)]) == ["a3"]
        assert s.count_articles() == 3
        a1 = s.get_article("a1")
        assert a1.raw == "RAW 1" and a1.source == "Harbor Ledger"
        assert [a.id for a in s.get_articles(["a3", "nope", "a1"])] == ["a3", "a1"]


def test_failed_batch_leaves_nothing(tmp_path):
    with Store(tmp_path / "s.db") as s:
        with pytest.raises(RuntimeError):
            with s.transaction():
                s.add_articles([art(1), art(2)])
                raise RuntimeError("crash mid-batch")
        assert s.count_articles() == 0
        assert s.search("harbour") == []


def test_fts_search_with_snippets_and_hostile_query(tmp_path):
    with Store(tmp_path / "s.db") as s:
        s.add_articles([art(1), art(2, text="Talks on the truce resumed in the capital.", title="Truce talks")])
        hits = s.search("truce")
        assert [h["id"] for h in hits] == ["a2"]
        assert "[truce]" in hits[0]["snippet"].lower()
        # FTS5 syntax characters in user input are not errors
        assert s.search('truce" OR ( NEAR') == []
        assert s.search("   ") == []


def test_iter_articles_filters_and_cursor(tmp_path):
    with Store(tmp_path / "s.db") as s:
        s.add_articles([art(i, date=f"2026-03-0{i}", source="A" if i % 2 else "B") for i in range(1, 6)])
        assert [a.id for a in s.iter_articles(since="2026-03-02", until="2026-03-04")] == ["a2", "a3", "a4"]
        assert [a.id for a in s.iter_articles(source="B")] == ["a2", "a4"]
        seq = s.article_seq("a2")
        assert [a.id for a in s.iter_articles(after_seq=seq, limit=2)] == ["a3", "a4"]
        assert s.stats()["articles"] == 5


def test_not_a_database_is_a_clear_error(tmp_path):
    bogus = tmp_path / "bogus.db"
    bogus.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(StoreError, match="not a usable storyline database"):
        Store(bogus)
    with pytest.raises(StoreError, match="no such database"):
        Store(tmp_path / "missing.db", readonly=True)


def test_newer_schema_is_refused(tmp_path):
    db = tmp_path / "s.db"
    Store(db).close()
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="newer"):
        Store(db)


def test_a_store_of_the_previous_schema_migrates_and_read_only_views_bring_it_up_to_date(tmp_path):
    import subprocess

    from helpers import STORYLINE

    from storyline.store import MigrationNeeded

    db = tmp_path / "old.db"
    with Store(db) as s:
        s.add_articles([art(1)])
    conn = sqlite3.connect(db)  # the store as storyline before schema 4 left it
    conn.execute("DROP TABLE lead_counts")
    conn.execute("ALTER TABLE entity_aliases DROP COLUMN kind")  # (schema 5)
    conn.execute("ALTER TABLE claims DROP COLUMN side")  # (schema 6)
    conn.execute("ALTER TABLE entities DROP COLUMN merged_into")  # (schema 7)
    conn.execute("PRAGMA user_version = 3")
    conn.commit()
    conn.close()
    with pytest.raises(MigrationNeeded, match="needs migrating"):
        Store(db, readonly=True)
    done = subprocess.run([*STORYLINE, "events", "--db", str(db), "--json"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    with Store(db, readonly=True) as s:
        assert s.schema_version == SCHEMA_VERSION and s.count_articles() == 1
        assert s.conn.execute("SELECT count(*) FROM lead_counts").fetchone()[0] == 0
