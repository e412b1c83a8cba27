"""Schema and forward migrations. ``PRAGMA user_version`` holds the version; each migration runs once,
in order, inside its own transaction. Never edit a migration that has shipped: append a new one."""

from __future__ import annotations

MIGRATIONS: list[tuple[int, str]] = [
    (
        1,
        """
        CREATE TABLE sources (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE
        );

        CREATE TABLE articles (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL UNIQUE,
            title TEXT,
            text TEXT NOT NULL,
            raw TEXT,
            date TEXT,
            source_id INTEGER REFERENCES sources(id),
            url TEXT,
            lang TEXT,
            dateline TEXT,
            origin TEXT,
            meta TEXT NOT NULL DEFAULT '{}',
            content_hash TEXT NOT NULL,
            duplicate_of TEXT REFERENCES articles(id),
            event_id TEXT REFERENCES events(id),
            story_id TEXT REFERENCES stories(id),
            ingested_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
        );
        CREATE INDEX articles_hash ON articles(content_hash);
        CREATE INDEX articles_date ON articles(date);
        CREATE INDEX articles_event ON articles(event_id);
        CREATE INDEX articles_story ON articles(story_id);
        CREATE INDEX articles_source ON articles(source_id);
        CREATE INDEX articles_url ON articles(url);

        -- MinHash signatures for incremental near-duplicate detection (one row per stored article).
        CREATE TABLE article_signatures (
            article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
            signature BLOB NOT NULL
        );

        CREATE VIRTUAL TABLE articles_fts USING fts5(
            title, text, content='articles', content_rowid='seq', tokenize='unicode61 remove_diacritics 2'
        );
        CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
            INSERT INTO articles_fts(rowid, title, text) VALUES (new.seq, coalesce(new.title, ''), new.text);
        END;
        CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
            INSERT INTO articles_fts(articles_fts, rowid, title, text)
            VALUES ('delete', old.seq, coalesce(old.title, ''), old.text);
        END;
        CREATE TRIGGER articles_au AFTER UPDATE OF title, text ON articles BEGIN
            INSERT INTO articles_fts(articles_fts, rowid, title, text)
            VALUES ('delete', old.seq, coalesce(old.title, ''), old.text);
            INSERT INTO articles_fts(rowid, title, text) VALUES (new.seq, coalesce(new.title, ''), new.text);
        END;

        CREATE TABLE stories (
            id TEXT PRIMARY KEY,
            title TEXT,
            start TEXT,
            "end" TEXT,
            merged_into TEXT REFERENCES stories(id),
            state BLOB,
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
            updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
        );

        CREATE TABLE events (
            id TEXT PRIMARY KEY,
            story_id TEXT REFERENCES stories(id),
            title TEXT,
            start TEXT,
            "end" TEXT,
            merged_into TEXT REFERENCES events(id),
            state BLOB,
            summary TEXT,
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
            updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
        );
        CREATE INDEX events_story ON events(story_id);
        CREATE INDEX events_start ON events(start);

        CREATE TABLE merges (
            kind TEXT NOT NULL CHECK (kind IN ('event', 'story')),
            old_id TEXT NOT NULL,
            new_id TEXT NOT NULL,
            at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
        );

        -- Opaque, versioned state of incremental stages (e.g. term document frequencies of the clusterer).
        CREATE TABLE stage_state (
            name TEXT PRIMARY KEY,
            value BLOB NOT NULL,
            updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
        );
        """,
    ),
    (
        2,
        """
        -- Canonical entities (who/what is mentioned) and every alias seen, per article.
        CREATE TABLE entities (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            type TEXT NOT NULL,
            updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
        );
        CREATE INDEX entities_type ON entities(type);
        CREATE TABLE entity_aliases (
            entity_id TEXT NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
            alias TEXT NOT NULL,
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            count INTEGER NOT NULL DEFAULT 1,
            PRIMARY KEY (entity_id, alias, article_id)
        );
        CREATE INDEX entity_aliases_article ON entity_aliases(article_id);

        -- Attributed statements (who said what) with their figures, and where reports of an event disagree.
        CREATE TABLE claims (
            id TEXT PRIMARY KEY,
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            event_id TEXT,
            speaker TEXT,
            speaker_entity_id TEXT,
            verb TEXT,
            text TEXT NOT NULL,
            polarity TEXT NOT NULL DEFAULT 'assert',
            sentence INTEGER,
            figures TEXT NOT NULL DEFAULT '[]'
        );
        CREATE INDEX claims_article ON claims(article_id);
        CREATE INDEX claims_event ON claims(event_id);
        CREATE TABLE disagreements (
            event_id TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('denial', 'figures')),
            claim_ids TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX disagreements_event ON disagreements(event_id);
        """,
    ),
    (
        3,
        """
        -- The events of one outlet (GET /api/v1/events?source=...) from the index alone, without reading the
        -- outlet's article rows (EXPLAIN QUERY PLAN: COVERING INDEX articles_source_event).
        CREATE INDEX IF NOT EXISTS articles_source_event ON articles(source_id, event_id);
        """,
    ),
    (
        4,
        """
        -- How many articles (wire copies aside) have each sentence among their first six, by a key of its words:
        -- a sentence that opens many articles is page furniture ("Get the briefing delivered to your inbox"), no
        -- lead to name an article or an event by (see pipeline.Ingestor._choose_leads).
        CREATE TABLE IF NOT EXISTS lead_counts (
            key INTEGER PRIMARY KEY,
            articles INTEGER NOT NULL
        ) WITHOUT ROWID;
        """,
    ),
    (
        5,
        """
        -- The type an article's mentions gave an entity ("PERSON" for "President Halvik", "SPEAKER" for "Halvik
        -- said", ...): an entity named by one word is typed by the vote of its articles
        -- (enrich.entities._voted_type), which a later ingest weighs again. NULL: stored before (the entity's type).
        ALTER TABLE entity_aliases ADD COLUMN kind TEXT;
        """,
    ),
    (
        6,
        """
        -- The country a claim's speaker stands for when an article says it of them ("Velmoran Defence Minister
        -- Tariq Aliev"): a denial by one's own side is no disagreement (enrich.disagreements). NULL: not said.
        ALTER TABLE claims ADD COLUMN side TEXT;
        """,
    ),
    (
        7,
        """
        -- The entity an entity was merged into when two turned out to be one (enrich.entities._Index.merge): its
        -- aliases and claims moved there; the id stays, so a link to it still finds the entity. NULL: live.
        ALTER TABLE entities ADD COLUMN merged_into TEXT;
        """,
    ),
]

SCHEMA_VERSION = MIGRATIONS[-1][0]
