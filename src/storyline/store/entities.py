"""Store methods for entities, claims and disagreements (tables of migration 2).

Claims belong to articles; an event's claims are found through ``articles.event_id`` (so they follow their
articles when events merge). A disagreement stores claim ids; read back, its ``claims`` are indexes into the
event's claim list as ``event_claims`` orders it.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from typing import Any, NamedTuple

from ..model import Claim, Disagreement, Entity, Figure, stronger_kind


def _row_to_claim(row: sqlite3.Row) -> Claim:
    return _claim_of(row["id"], row["article_id"], row["speaker"], row["speaker_entity_id"], row["verb"],
                     row["text"], row["polarity"], row["sentence"], row["figures"], row["side"])


# the columns ``_claim_of`` takes, in its order (plain tuples: an event's claims are read again each batch)
_CLAIM_COLUMNS = ("c.id, c.article_id, c.speaker, c.speaker_entity_id, c.verb, c.text, c.polarity, c.sentence, "
                  "c.figures, c.side")


def _claim_of(cid: str, article_id: str, speaker: str | None, entity_id: str | None, verb: str | None, text: str,
              polarity: str, sentence: int | None, figures_json: str | None, side: str | None = None) -> Claim:
    figures = [] if not figures_json or figures_json == "[]" else [
        Figure(value=f.get("value"), unit=f.get("unit"), subject=f.get("subject"), text=f.get("text", ""),
               approximate=bool(f.get("approximate", False))) for f in json.loads(figures_json)]
    return Claim(article_id=article_id, speaker=speaker, verb=verb, text=text, figures=figures,
                 speaker_entity_id=entity_id, sentence=sentence, polarity=polarity, id=cid, side=side)


def _figure_row(value: Any, unit: str | None, subject: str | None, approximate: bool) -> dict[str, Any]:
    """A figure of a claim as the export contract and the API show it."""
    return {"value": value, "unit": unit, "subject": subject, "approximate": approximate}


def _figure_rows(figures_json: str | None) -> list[dict[str, Any]]:
    """A stored claim's figures as ``claim_row`` shows them, straight from their JSON."""
    if not figures_json or figures_json == "[]":
        return []
    return [_figure_row(f.get("value"), f.get("unit"), f.get("subject"), bool(f.get("approximate", False)))
            for f in json.loads(figures_json)]


def claim_row(c: Claim) -> dict[str, Any]:
    """A claim as the export contract and the API show it."""
    return {"id": c.id, "speaker": c.speaker, "speaker_entity_id": c.speaker_entity_id, "verb": c.verb,
            "text": c.text, "polarity": c.polarity,
            "figures": [_figure_row(f.value, f.unit, f.subject, f.approximate) for f in c.figures],
            "article_id": c.article_id, "sentence": c.sentence}


class StoredEntities(NamedTuple):
    """What ``load_entity_index`` reads: the input of incremental reconciliation."""

    entities: list[Entity]
    full_names: dict[str, set[str]]  # person entity id -> the articles naming them in full
    kinds: dict[str, dict[str, str]]  # one-word entity id -> article -> the type its mentions there gave it
    written: dict[str, dict[str, set[str]]]  # entity id (no place) -> alias (a person's: full names) -> articles
    merged: set[str]  # the ids of entities merged into others (taken: no new entity gets one)


class EntityStoreMixin:
    """Mixed into ``Store`` (which provides ``conn`` and ``transaction``)."""

    conn: sqlite3.Connection
    transaction: Callable[[], AbstractContextManager[sqlite3.Connection]]

    # -- entities --------------------------------------------------------------------------------------
    def save_entities(self, entities: Iterable[Entity]) -> int:
        """Upsert entities and the aliases of their (new) mentions; returns how many entities were written.

        Alias counts are per (entity, alias, article): an article arrives in one batch, so the count computed
        from the batch's mentions is the article's whole count (re-saving is idempotent). So is ``kind``: the
        strongest type those mentions had (``model.MENTION_KINDS``).
        """
        entity_rows: list[tuple[str, str, str]] = []
        alias_rows: list[tuple[str, str, str, int, str | None]] = []
        for e in entities:
            if not e.mentions:
                continue
            entity_rows.append((e.id, e.name, e.type))
            counts: dict[tuple[str, str], int] = {}
            kinds: dict[tuple[str, str], str | None] = {}
            for m in e.mentions:  # places keep the spelling as written ("U.S."), not the canonical name
                typ = getattr(m, "type", None)
                key = (m.text if typ == "PLACE" else getattr(m, "name", None) or m.text, m.article_id)
                counts[key] = counts.get(key, 0) + getattr(m, "count", 1)  # (compacted mentions count several)
                kinds[key] = stronger_kind(kinds.get(key), typ)
            eid = e.id
            alias_rows.extend((eid, alias, article_id, n, kinds[alias, article_id])
                              for (alias, article_id), n in counts.items())
        with self.transaction() as conn:  # two statements for the batch, not two per entity
            conn.executemany(
                "INSERT INTO entities(id, name, type) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET "
                "name = excluded.name, type = excluded.type, "
                "updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')", entity_rows)
            conn.executemany(
                "INSERT INTO entity_aliases(entity_id, alias, article_id, count, kind) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT(entity_id, alias, article_id) DO UPDATE SET count = excluded.count, kind = excluded.kind",
                alias_rows)
        return len(entity_rows)

    def load_entity_index(self) -> StoredEntities:
        """Every entity with its aliases and articles (no mentions), and what incremental reconciliation weighs
        besides (see ``enrich.entities.Reconciler``): the articles naming each person in full (an alias of
        several words), and, for the entities named by one word, the strongest type each article's mentions gave
        them; for the entities that are no place, the articles writing each alias (a person's full names only);
        the ids of entities merged into others. One pass over the alias rows."""
        by_id: dict[str, Entity] = {}
        merged: set[str] = set()
        for row in self.conn.execute("SELECT id, name, type, merged_into FROM entities ORDER BY rowid"):
            if row["merged_into"] is not None:
                merged.add(row["id"])
            else:
                by_id[row["id"]] = Entity(id=row["id"], name=row["name"], type=row["type"])
        one_word = {i for i, e in by_id.items() if " " not in e.name.strip()}
        full_names: dict[str, set[str]] = {}
        kinds: dict[str, dict[str, str]] = {}
        written: dict[str, dict[str, set[str]]] = {}
        seen_alias: set[tuple[str, str]] = set()
        seen_article: set[tuple[str, str]] = set()
        for entity_id, alias, article_id, kind in self.conn.execute(
                "SELECT entity_id, alias, article_id, kind FROM entity_aliases ORDER BY rowid"):
            e = by_id.get(entity_id)
            if e is None:
                continue
            if (entity_id, alias) not in seen_alias:
                seen_alias.add((entity_id, alias))
                e.aliases.append(alias)
            if (entity_id, article_id) not in seen_article:
                seen_article.add((entity_id, article_id))
                e.article_ids.append(article_id)
            if e.type == "PERSON" and " " in alias.strip():
                full_names.setdefault(entity_id, set()).add(article_id)
            if e.type != "PLACE" and (e.type != "PERSON" or " " in alias.strip()):
                written.setdefault(entity_id, {}).setdefault(alias, set()).add(article_id)
            if kind is not None and entity_id in one_word:
                strongest = stronger_kind(kinds.get(entity_id, {}).get(article_id), kind)
                if strongest is not None:
                    kinds.setdefault(entity_id, {})[article_id] = strongest
        return StoredEntities(list(by_id.values()), full_names, kinds, written, merged)

    def merge_entities(self, merges: Iterable[tuple[str, str]]) -> int:
        """Apply the reconciler's merges (merged-away id, id it joined), in order: the aliases and the claims'
        speakers of the one move to the other, whose row records it in ``merged_into``. Returns how many."""
        n = 0
        with self.transaction() as conn:
            for gone, keep in merges:
                conn.execute(
                    "INSERT INTO entity_aliases(entity_id, alias, article_id, count, kind) "
                    "SELECT ?, alias, article_id, count, kind FROM entity_aliases WHERE entity_id = ? "
                    "ON CONFLICT(entity_id, alias, article_id) DO UPDATE SET count = count + excluded.count",
                    (keep, gone))
                conn.execute("DELETE FROM entity_aliases WHERE entity_id = ?", (gone,))
                conn.execute("UPDATE claims SET speaker_entity_id = ? WHERE speaker_entity_id = ?", (keep, gone))
                n += conn.execute("UPDATE entities SET merged_into = ? WHERE id = ?", (keep, gone)).rowcount
        return n

    def list_entities(
        self, *, event_id: str | None = None, type: str | None = None, limit: int | None = None,  # noqa: A002
    ) -> list[dict[str, Any]]:
        """Entities as dicts {id, name, type, aliases, article_ids, mentions}, most-mentioned first; with
        ``event_id`` only what that event's articles mention (and only their aliases/articles)."""
        params: list[Any] = []
        sql = ("SELECT e.id, e.name, e.type, ea.alias, ea.article_id, ea.count FROM entity_aliases ea "
               "JOIN entities e ON e.id = ea.entity_id")
        where = []
        if event_id:
            sql += " JOIN articles a ON a.id = ea.article_id"
            where.append("a.event_id = ?")
            params.append(event_id)
        if type:
            where.append("e.type = ?")
            params.append(type.upper())
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY ea.rowid"
        out: dict[str, dict[str, Any]] = {}
        for row in self.conn.execute(sql, params):
            d = out.setdefault(row["id"], {"id": row["id"], "name": row["name"], "type": row["type"],
                                           "aliases": [], "article_ids": [], "mentions": 0})
            if row["alias"] not in d["aliases"]:
                d["aliases"].append(row["alias"])
            if row["article_id"] not in d["article_ids"]:
                d["article_ids"].append(row["article_id"])
            d["mentions"] += int(row["count"])
        items = sorted(out.values(), key=lambda d: (-len(d["article_ids"]), -d["mentions"], d["name"]))
        return items[:limit] if limit is not None else items

    # -- claims ----------------------------------------------------------------------------------------
    def save_claims(self, claims: Iterable[Claim], event_by_article: dict[str, str | None] | None = None) -> int:
        rows = []
        for c in claims:
            figures = [{"value": f.value, "unit": f.unit, "subject": f.subject, "text": f.text,
                        "approximate": f.approximate} for f in c.figures]
            rows.append((c.id, c.article_id, (event_by_article or {}).get(c.article_id), c.speaker,
                         c.speaker_entity_id, c.verb, c.text, c.polarity, c.sentence,
                         json.dumps(figures, ensure_ascii=False) if figures else "[]", c.side))
        with self.transaction() as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO claims(id, article_id, event_id, speaker, speaker_entity_id, verb, text, "
                "polarity, sentence, figures, side) VALUES (?,?,?,?,?,?,?,?,?,?,?)", rows)
        return len(rows)

    def event_claims(self, event_id: str) -> list[Claim]:
        """The event's claims in article ingest order, then sentence order."""
        cur = self.conn.cursor()
        cur.row_factory = None
        return [_claim_of(*r) for r in cur.execute(
            f"SELECT {_CLAIM_COLUMNS} FROM claims c JOIN articles a ON a.id = c.article_id WHERE a.event_id = ? "
            "ORDER BY a.seq, c.sentence, c.id", (event_id,))]

    def event_article_dates(self, event_id: str) -> dict[str, str | None]:
        """The event's articles: id -> date (ISO day, or None when undated)."""
        return dict(self.conn.execute("SELECT id, date FROM articles WHERE event_id = ?", (event_id,)).fetchall())

    def article_claims(self, article_ids: Sequence[str]) -> list[Claim]:
        out: list[Claim] = []
        for i in range(0, len(article_ids), 500):
            chunk = list(article_ids[i:i + 500])
            cur = self.conn.cursor()
            cur.row_factory = None
            out.extend(_claim_of(*r) for r in cur.execute(
                f"SELECT {_CLAIM_COLUMNS} FROM claims c JOIN articles a ON a.id = c.article_id WHERE c.article_id IN "
                f"({','.join('?' * len(chunk))}) ORDER BY a.seq, c.sentence, c.id", chunk))
        return out

    def iter_claims(self) -> Iterator[Claim]:
        cur = self.conn.cursor()
        cur.row_factory = None
        for r in cur.execute(f"SELECT {_CLAIM_COLUMNS} FROM claims c JOIN articles a ON a.id = c.article_id "
                             "ORDER BY a.seq, c.sentence, c.id"):
            yield _claim_of(*r)

    def count_claims(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM claims").fetchone()[0])

    def article_events(self, article_ids: Sequence[str]) -> dict[str, str | None]:
        """article id -> its event id (None when not clustered)."""
        out: dict[str, str | None] = {}
        for i in range(0, len(article_ids), 500):
            chunk = list(article_ids[i:i + 500])
            for row in self.conn.execute(
                    f"SELECT id, event_id FROM articles WHERE id IN ({','.join('?' * len(chunk))})", chunk):
                out[row[0]] = row[1]
        return out

    # -- disagreements ---------------------------------------------------------------------------------
    def set_disagreements(self, event_id: str, disagreements: Sequence[Disagreement], claims: Sequence[Claim]) -> None:
        """Replace the event's disagreements; ``claims`` is the list the disagreements index into."""
        with self.transaction() as conn:
            conn.execute("DELETE FROM disagreements WHERE event_id = ?", (event_id,))
            conn.execute("UPDATE claims SET event_id = ? WHERE article_id IN "
                         "(SELECT id FROM articles WHERE event_id = ?)", (event_id, event_id))
            conn.executemany(
                "INSERT INTO disagreements(event_id, kind, claim_ids, note) VALUES (?, ?, ?, ?)",
                [(event_id, d.kind, json.dumps([claims[i].id for i in d.claims]), d.note) for d in disagreements])

    def event_disagreements(self, event_id: str) -> list[Disagreement]:
        """The event's disagreements with ``claims`` as indexes into ``event_claims(event_id)``."""
        position = {c.id: i for i, c in enumerate(self.event_claims(event_id))}
        out: list[Disagreement] = []
        for row in self.conn.execute(
                "SELECT kind, claim_ids, note FROM disagreements WHERE event_id = ? ORDER BY rowid", (event_id,)):
            ids = json.loads(row["claim_ids"])
            if all(i in position for i in ids):
                out.append(Disagreement(kind=row["kind"], claims=[position[i] for i in ids], note=row["note"]))
        return out

    def event_who_said_what(self, event_id: str, *, with_ids: bool = False) -> dict[str, Any]:
        """The event's ``entities``, ``claims`` and ``disagreements`` in the export contract's shape (the
        disagreements' ``claims`` index into ``claims``); ``with_ids``: each entity also has its ``id``."""
        return self.events_who_said_what([event_id], with_ids=with_ids)[event_id]

    def events_who_said_what(self, event_ids: Sequence[str], *,
                             with_ids: bool = False) -> dict[str, dict[str, Any]]:
        """``event_who_said_what`` for many events at once (three queries per 500 events): event id ->
        {entities, claims, disagreements}. Entities are the event's people, organisations and places, most
        mentioned first, each with the aliases and articles of that event only."""
        out: dict[str, dict[str, Any]] = {
            e: {"entities": [], "claims": [], "disagreements": []} for e in event_ids}
        keys = ("name", "type", "aliases", "article_ids")
        if with_ids:
            keys = ("id", *keys)
        ids = list(out)
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            marks = ",".join("?" * len(chunk))
            claim_ids: dict[str, dict[str, int]] = {e: {} for e in chunk}
            # plain tuples, and the export rows made from them directly (``claim_row`` of the stored claim):
            # an event listing reads hundreds of claims per page
            cur = self.conn.cursor()
            cur.row_factory = None
            for cid, speaker, entity_id, verb, text, polarity, figures, article_id, sentence, live in cur.execute(
                    f"SELECT c.id, c.speaker, c.speaker_entity_id, c.verb, c.text, c.polarity, c.figures, "
                    f"c.article_id, c.sentence, a.event_id FROM claims c JOIN articles a ON a.id = c.article_id "
                    f"WHERE a.event_id IN ({marks}) ORDER BY a.seq, c.sentence, c.id", chunk):
                rows = out[live]["claims"]
                claim_ids[live][cid] = len(rows)
                rows.append({"id": cid, "speaker": speaker, "speaker_entity_id": entity_id, "verb": verb,
                             "text": text, "polarity": polarity, "figures": _figure_rows(figures),
                             "article_id": article_id, "sentence": sentence})
            for r in self.conn.execute(
                    f"SELECT event_id, kind, claim_ids, note FROM disagreements WHERE event_id IN ({marks}) "
                    f"ORDER BY rowid", chunk):
                position = claim_ids[r["event_id"]]
                cids = json.loads(r["claim_ids"])
                if all(c in position for c in cids):
                    out[r["event_id"]]["disagreements"].append(
                        {"kind": r["kind"], "claims": [position[c] for c in cids], "note": r["note"]})
            entities: dict[str, dict[str, dict[str, Any]]] = {e: {} for e in chunk}
            for live, eid, name, etype, alias, article_id, count in cur.execute(
                    f"SELECT a.event_id, e.id, e.name, e.type, ea.alias, ea.article_id, ea.count "
                    f"FROM articles a JOIN entity_aliases ea ON ea.article_id = a.id "
                    f"JOIN entities e ON e.id = ea.entity_id "
                    f"WHERE a.event_id IN ({marks}) AND e.type != 'MISC' ORDER BY ea.rowid", chunk):
                d = entities[live].get(eid)
                if d is None:
                    d = entities[live][eid] = {"id": eid, "name": name, "type": etype, "aliases": [],
                                               "article_ids": [], "mentions": 0}
                if alias not in d["aliases"]:
                    d["aliases"].append(alias)
                if article_id not in d["article_ids"]:
                    d["article_ids"].append(article_id)
                d["mentions"] += int(count)
            for e, by_id in entities.items():
                ranked = sorted(by_id.values(), key=lambda d: (-len(d["article_ids"]), -d["mentions"], d["name"]))
                out[e]["entities"] = [{k: d[k] for k in keys} for d in ranked]
        return out

    def events_with_claims(self) -> list[str]:
        """The events whose articles hold claims (the only ones that can have disagreements)."""
        return [r[0] for r in self.conn.execute(
            "SELECT DISTINCT a.event_id FROM claims c JOIN articles a ON a.id = c.article_id "
            "WHERE a.event_id IS NOT NULL ORDER BY a.event_id")]

    def prune_disagreements(self) -> int:
        """Drop disagreements of events that no longer have articles (merged away)."""
        with self.transaction() as conn:
            cur = conn.execute("DELETE FROM disagreements WHERE NOT EXISTS "
                               "(SELECT 1 FROM articles a WHERE a.event_id = disagreements.event_id)")
            return cur.rowcount
