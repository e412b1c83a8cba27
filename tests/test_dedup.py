"""Deduper: exact and near duplicates, chains to the original, stored-index rebuild, determinism."""

from __future__ import annotations

import random

import pytest

from storyline.dedup import MIN_WORDS, Deduper
from storyline.ingest.identity import assign_identity
from storyline.model import Article

_VOCAB = ("harbour council ferry fare operators island season crossing vote budget chair spokesman said agreed "
          "plan talks week month morning sailing fuel cost rose winter decision public figures publish review "
          "autumn union workers strike port captain passengers tickets price increase freeze coast town mayor "
          "residents meeting hall report minister transport road bridge weather storm delay cancel service").split()


def story(seed: int, n: int = 120) -> str:
    rng = random.Random(seed)
    sents = []
    while sum(len(s.split()) for s in sents) < n:
        sents.append(" ".join(rng.choice(_VOCAB) for _ in range(rng.randint(8, 16))).capitalize() + ".")
    return " ".join(sents)


def mk(ident: str, text: str, title: str | None = None) -> Article:
    return assign_identity(Article(id=ident, text=text, title=title))


def light_edit(text: str, seed: int, changes: int = 2) -> str:
    rng = random.Random(seed)
    words = text.split()
    for _ in range(changes):
        words[rng.randrange(len(words))] = "CHANGED"
    return " ".join(words) + " Distributed by a wire service."


def test_exact_duplicates_in_batch_point_to_first():
    a, b, c = mk("a", story(1)), mk("b", story(1)), mk("c", story(2))
    sigs = Deduper().process([a, b, c], {})
    assert (a.duplicate_of, b.duplicate_of, c.duplicate_of) == (None, "a", None)
    assert set(sigs) == {"a", "b", "c"} and all(isinstance(s, bytes) for s in sigs.values())


def test_exact_duplicate_of_stored_article_via_known_hashes():
    stored = mk("old", story(3))
    new = mk("new", story(3))
    Deduper().process([new], {stored.content_hash: "old"})
    assert new.duplicate_of == "old"


def test_known_hash_pointing_to_itself_is_not_a_duplicate():
    a = mk("same", story(4))
    Deduper().process([a], {a.content_hash: "same"})
    assert a.duplicate_of is None


def test_near_duplicate_wire_copy():
    orig = mk("orig", story(5, 300))
    copy = mk("copy", light_edit(orig.text, 1))
    other = mk("other", story(6))
    Deduper().process([orig, other, copy], {})
    assert copy.duplicate_of == "orig" and other.duplicate_of is None


def test_different_stories_sharing_a_paragraph_are_not_duplicates():
    shared = story(7, 30)
    a = mk("a", shared + " " + story(8))
    b = mk("b", shared + " " + story(9))
    Deduper().process([a, b], {})
    assert b.duplicate_of is None


def test_most_similar_candidate_wins_and_ties_go_to_earliest():
    base = story(10, 300)
    far = mk("far", light_edit(base, 2, changes=12))
    near = mk("near", light_edit(base, 3, changes=1))
    probe = mk("probe", base)
    Deduper(threshold=0.7).process([far, near, probe], {})
    assert probe.duplicate_of == "near"
    x1, x2 = mk("x1", story(11) + " one"), mk("x2", story(11) + " two")
    Deduper().process([x1, x2], {})
    assert x2.duplicate_of == "x1"


def test_chains_point_to_the_original():
    orig = mk("orig", story(12, 300))
    c1 = mk("c1", light_edit(orig.text, 4, 1))
    c2 = mk("c2", light_edit(c1.text, 5, 1))
    c3 = mk("c3", c2.text)  # exact copy of a copy
    Deduper().process([orig, c1, c2, c3], {})
    assert [c.duplicate_of for c in (c1, c2, c3)] == ["orig", "orig", "orig"]


def test_rebuild_from_store_and_follow_stored_links():
    orig = mk("orig", story(13, 300))
    copy = mk("copy", light_edit(orig.text, 6, 1))
    first = Deduper()
    sigs = first.process([orig, copy], {})
    assert copy.duplicate_of == "orig"
    # a new process rebuilds the index from stored signatures; a new copy of the copy points to the original
    d = Deduper()
    d.add_existing("orig", sigs["orig"])
    d.add_existing("copy", sigs["copy"], duplicate_of="orig")
    later = mk("later", light_edit(copy.text, 7, 1))
    exact = mk("exact", copy.text)
    d.process([later, exact], {copy.content_hash: "copy"})
    assert later.duplicate_of == "orig" and exact.duplicate_of == "orig"


def test_short_texts_only_match_exactly():
    short = "Council agrees fare freeze"
    assert len(short.split()) < MIN_WORDS
    a, b, c = mk("a", short), mk("b", short + " today"), mk("c", short)
    Deduper().process([a, b, c], {})
    assert (b.duplicate_of, c.duplicate_of) == (None, "a")


def test_signature_roundtrip_and_jaccard():
    s1 = Deduper.signature(story(14))
    assert isinstance(s1, bytes) and Deduper.signature(story(14)) == s1
    assert Deduper.jaccard(s1, s1) == 1.0
    assert Deduper.jaccard(s1, Deduper.signature(story(15))) < 0.2
    assert Deduper.jaccard(s1, Deduper.signature(light_edit(story(14), 8, 1))) > 0.8
    # the signature of the default Deduper is the same as the static one
    art = mk("z", story(14))
    assert Deduper().process([art], {})["z"] == s1


def test_case_and_punctuation_do_not_matter_for_near_duplicates():
    a = mk("a", story(16))
    b = mk("b", a.text.upper().replace(".", " !"))
    Deduper().process([a, b], {})
    assert b.duplicate_of == "a"


def test_deterministic_across_instances():
    texts = [story(i % 7, 80) if i % 3 else light_edit(story(i % 7, 80), i, 1) for i in range(40)]

    def run():
        arts = [mk(f"id{i}", t) for i, t in enumerate(texts)]
        sigs = Deduper().process(arts, {})
        return [a.duplicate_of for a in arts], sigs

    assert run() == run()


def test_bad_parameters_and_signatures():
    with pytest.raises(ValueError):
        Deduper(threshold=0)
    d = Deduper(num_perm=64)
    with pytest.raises(ValueError, match="expected 64"):
        d.add_existing("x", Deduper.signature(story(1)))


def test_empty_text_gets_a_signature_but_no_match():
    a, b = mk("a", ""), mk("b", "")
    sigs = Deduper().process([a, b], {})
    assert set(sigs) == {"a", "b"}
    assert b.duplicate_of == "a"  # identical (empty) content hash


def test_copy_matching_two_originals_joins_them_under_the_earliest():
    words = story(40, 240).split()
    part = len(words) // 6
    lead_edit = " ".join(story(41, part).split()[:part] + words[part:])  # lead rewritten
    tail_cut = " ".join(words[: len(words) - part])  # tail cut
    d = Deduper()
    first = [mk("lead-edit", lead_edit), mk("tail-cut", tail_cut)]
    d.process(first, {})
    # each edited copy is too far from the other to be called a copy of it: both look like originals
    assert Deduper.jaccard(Deduper.signature(lead_edit), Deduper.signature(tail_cut)) < d.threshold
    assert [a.duplicate_of for a in first] == [None, None]
    agency = mk("agency", " ".join(words))
    d.process([agency], {})
    # the agency's full text matches both: they are one story, rooted at the earliest
    assert agency.duplicate_of == "lead-edit"
    assert d.take_relinked() == {"tail-cut": "lead-edit"}
    assert d.original("tail-cut") == "lead-edit"
    assert d.take_relinked() == {}


def test_signature_parts_match_datasketchs_own_update():
    """The one-pass numpy MinHash gives the bytes datasketch's update_batch gives (stored signatures stay
    comparable), and the worker's precomputed parts give the same marks as signing in process."""
    from storyline.dedup import _minhash, _shingle_hashes, _to_bytes, _words, signature_parts

    texts = ["The harbour council of Port Idris voted on the flood barrier budget again on Tuesday night.",
             "short text", "",
             " ".join(f"word{i % 97} item{i % 13}" for i in range(3000))]
    for text in texts:
        lean, n_words = signature_parts(text)
        assert n_words == len(_words(text))
        assert _to_bytes(lean) == _to_bytes(_minhash(_shingle_hashes(_words(text), 5), 128, 1))
        assert _to_bytes(lean) == Deduper.signature(text)
    base = "Officials in Port Idris said the flood barrier would be finished by spring, the council reported. " * 4
    arts = [Article(id="a", text=base), Article(id="b", text=base + "An extra closing line."),
            Article(id="c", text="Completely different words about a mountain festival and its music. " * 4)]
    marks = []
    for parts in (None, {a.id: signature_parts(a.text) for a in arts}):
        copies = [Article(id=a.id, text=a.text) for a in arts]
        sigs = Deduper().process(copies, {}, parts)
        marks.append(([a.duplicate_of for a in copies], sigs))
    assert marks[0] == marks[1] and marks[0][0] == [None, "a", None]
