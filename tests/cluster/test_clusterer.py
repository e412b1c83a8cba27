"""Incremental clustering: batching, ids, merges, wire copies, undated input, state bytes, determinism."""

from __future__ import annotations

import json

import pytest
from cluster.cluster_fixtures import corpus, jet_reports, truth

from storyline.cluster import ClusterParams, Clusterer, ClusterUpdate
from storyline.model import Article


def partition(assignments: dict[str, tuple[str, str]], level: int = 0) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for aid, ids in assignments.items():
        groups.setdefault(ids[level], set()).add(aid)
    return {frozenset(g) for g in groups.values()}


def run_batches(articles: list[Article], sizes: list[int], params: ClusterParams | None = None) -> Clusterer:
    c = Clusterer(params)
    start = 0
    for n in sizes:
        c.partial_fit(articles[start:start + n])
        start += n
    assert start == len(articles)
    return c


def final_assignments(c: Clusterer, ids: list[str]) -> dict[str, tuple[str, str]]:
    out = {}
    for aid in ids:
        e = c.event_of(aid)
        assert e is not None
        out[aid] = (e, next(ev.story_id for ev in c.live_events() if ev.id == e))
    return out


def test_events_and_storylines_of_the_fixture() -> None:
    arts = corpus()
    up = Clusterer().partial_fit(arts)
    assert set(up.assignments) == {a.id for a in arts}
    ev = {a: e for a, (e, _) in up.assignments.items()}
    st = {a: s for a, (_, s) in up.assignments.items()}
    # the collapse and the inquiry three weeks later are two events of one storyline
    assert ev["v1"] == ev["v2"] == ev["v3"]
    assert ev["v4"] == ev["v5"] != ev["v1"]
    assert st["v1"] == st["v4"]
    # the election is another storyline
    assert st["o1"] == st["o2"] == st["o3"] == st["o4"] != st["v1"]
    assert ev["o1"] == ev["o2"]
    # ids are derived from the first article: "ev-"/"st-" + hash
    assert ev["v1"].startswith("ev-") and st["v1"].startswith("st-")
    events = {e.id: e for e in up.events}
    bridge = events[ev["v1"]]
    assert bridge.article_ids == ["v1", "v2", "v3"]
    assert (bridge.start, bridge.end) == ("2031-03-04", "2031-03-05")
    assert bridge.title and "bridge" in bridge.title.lower()
    assert bridge.sources and all(s.startswith("outlet-") for s in bridge.sources)
    stories = {s.id: s for s in up.stories}
    assert set(stories[st["v1"]].event_ids) == {ev["v1"], ev["v4"]}


def test_three_batches_equal_one_batch_and_ids_are_stable() -> None:
    arts = corpus()
    one = Clusterer().partial_fit(arts).assignments
    three = run_batches(arts, [3, 4, 2])
    assert final_assignments(three, [a.id for a in arts]) == one
    # re-feeding known articles changes nothing
    again = three.partial_fit(arts[:4])
    assert again.assignments == {} and again.events == [] and again.merges == []


def test_state_round_trips_through_bytes() -> None:
    arts = corpus()
    c = Clusterer()
    c.partial_fit(arts[:5])
    data = c.to_bytes()
    assert isinstance(data, bytes) and data[:2] == b"PK"  # a zip: json + npz, no pickle
    restored = Clusterer.from_bytes(data)
    assert restored.to_bytes() == data
    restored.partial_fit(arts[5:])
    c.partial_fit(arts[5:])
    ids = [a.id for a in arts]
    assert final_assignments(restored, ids) == final_assignments(c, ids)
    assert final_assignments(restored, ids) == Clusterer().partial_fit(arts).assignments


def test_state_rejects_foreign_or_newer_bytes() -> None:
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("meta.json", json.dumps({"format": "storyline.cluster", "version": 999}))
        z.writestr("arrays.npz", b"")
    with pytest.raises(ValueError, match="version"):
        Clusterer.from_bytes(buf.getvalue())


def test_deterministic_across_runs() -> None:
    arts = corpus()
    a, b = Clusterer(), Clusterer()
    ua, ub = a.partial_fit(arts), b.partial_fit(arts)
    assert ua.assignments == ub.assignments
    assert [e.to_dict() for e in ua.events] == [e.to_dict() for e in ub.events]
    assert a.to_bytes() == b.to_bytes()


def test_wire_copy_joins_its_originals_event() -> None:
    arts = corpus()
    copy = Article(id="wire-1", date="2031-03-12", text="An unrelated rewrite that shares no words with it.",
                   duplicate_of="v1", source="agency")
    c = Clusterer()
    c.partial_fit(arts)
    up = c.partial_fit([copy])
    assert up.assignments["wire-1"] == (c.event_of("v1"), up.assignments["wire-1"][1])
    ev = next(e for e in up.events if e.id == c.event_of("v1"))
    assert "wire-1" in ev.article_ids and "agency" in ev.sources


def test_undated_articles_still_cluster() -> None:
    arts = corpus(dated=False)
    up = Clusterer().partial_fit(arts)
    ev = {a: e for a, (e, _) in up.assignments.items()}
    st = {a: s for a, (_, s) in up.assignments.items()}
    assert ev["v1"] == ev["v2"] == ev["v3"]
    assert st["o1"] == st["o3"] != st["v1"]
    assert all(e.start is None for e in up.events)


def test_header_dates_of_undated_articles_keep_far_apart_events_apart() -> None:
    text = ("Fire at the Lindqvist paper mill in Harrow destroyed two warehouses, the Harrow fire brigade said. "
            "Firefighters fought the blaze at the paper mill for six hours.")
    a = Article(id="h1", text="March 3, 2030\n" + text)
    b = Article(id="h2", text="November 9, 2034\n" + text)
    same = Article(id="h3", text="March 4, 2030\n" + text)
    up = Clusterer().partial_fit([a, b, same])
    assert up.assignments["h1"][0] == up.assignments["h3"][0] != up.assignments["h2"][0]


def test_merge_keeps_the_older_id_and_is_recorded() -> None:
    # a high join threshold splits two reports; a third report close to both merges them (merge threshold low)
    params = ClusterParams(event_threshold=0.62, event_merge_threshold=0.2, story_merge_threshold=0.2)
    base = "Mayor Ilse Brandt said divers pulled eleven people from Velmora harbour after the bridge collapse."
    a1 = Article(id="m1", date="2031-03-04", text=base + " Four cars fell into the water on Kessel Street.")
    a2 = Article(id="m2", date="2031-03-04",
                 text=base + " Rescue boats from Tarnow searched the harbour for survivors all night.")
    a3 = Article(id="m3", date="2031-03-04", text=base + " Four cars fell into the water on Kessel Street. "
                 "Rescue boats from Tarnow searched the harbour for survivors all night.")
    c = Clusterer(params)
    first = c.partial_fit([a1, a2])
    e1, e2 = first.assignments["m1"][0], first.assignments["m2"][0]
    assert e1 != e2
    up = c.partial_fit([a3])
    assert ("event", e2, e1) in up.merges
    assert c.event_of("m1") == c.event_of("m2") == c.event_of("m3") == e1
    gone = next(e for e in up.events if e.id == e2)
    assert gone.merged_into == e1
    live = next(e for e in up.events if e.id == e1)
    assert sorted(live.article_ids) == ["m1", "m2", "m3"]


def test_update_lists_changed_objects_only() -> None:
    arts = corpus()
    c = Clusterer()
    c.partial_fit(arts)
    extra = Article(id="o5", date="2031-03-12", title="Ostrova sworn in as Orlin prime minister",
                    text="Mira Ostrova of the Green Harvest party was sworn in as prime minister of Orlin on "
                         "Tuesday, two days after winning the snap parliamentary election against Dario Vessel.")
    up = c.partial_fit([extra])
    assert isinstance(up, ClusterUpdate)
    assert list(up.assignments) == ["o5"]
    assert len(up.stories) == 1 and up.stories[0].id == up.assignments["o5"][1]
    assert all(e.story_id == up.stories[0].id for e in up.events)


def test_ptb_tokenised_text_gives_the_same_partition() -> None:
    arts = corpus()
    ptb = [Article(id=a.id, date=a.date, title=a.title, source=a.source,
                   text=a.text.replace(",", " ,").replace(".", " .").replace("'s", " 's") + " -LRB- AP -RRB-")
           for a in arts]
    assert partition(Clusterer().partial_fit(ptb).assignments) == partition(Clusterer().partial_fit(arts).assignments)


def test_truth_labels_cover_the_fixture() -> None:
    assert set(truth("event")) == {a.id for a in corpus()}


def test_storyline_rules_relative_and_absolute_names_both_give_the_fixture_storylines() -> None:
    arts = corpus()
    for params in (ClusterParams(), ClusterParams(story_name_relative=False)):
        up = Clusterer(params).partial_fit(arts)
        gold = truth("story")
        assert partition(up.assignments, 1) == partition({a.id: (gold[a.id], gold[a.id]) for a in arts}, 1)


def test_a_thread_with_the_same_words_but_other_names_opens_its_own_storyline() -> None:
    def art(aid: str, day: str, city: str, leader: str) -> Article:
        return Article(id=aid, date=day, title=f"Protesters fill the streets of {city} against {leader}",
                       text=f"Thousands of protesters marched through {city} on Friday demanding that President "
                            f"{leader} resign, and security forces fired tear gas at the crowds. Opposition leaders "
                            f"in {city} said the protests against {leader} would go on until the government falls.")

    arts = [art("a1", "2031-01-25", "Corvin", "Malek Drossen"), art("b1", "2031-02-20", "Talmyra", "Osric Vane"),
            art("a2", "2031-03-20", "Corvin", "Malek Drossen")]
    st = {a: s for a, (_, s) in Clusterer().partial_fit(arts).assignments.items()}
    assert st["a1"] == st["a2"] != st["b1"]


def test_a_loosely_attached_event_leaves_the_storyline_centroid_alone_and_grows_into_its_own_storyline() -> None:
    arts = {a.id: a for a in corpus()}
    # nothing is similar enough to join a storyline as a core member; anything above 0.01 attaches loosely
    params = ClusterParams(story_centroid_threshold=0.9, story_attach_threshold=0.01, story_attach_margin=1.0,
                           loose_max_articles=2, story_merge_threshold=0.99)
    c = Clusterer(params)
    first = c.partial_fit([arts["v1"], arts["v2"], arts["v3"]])
    bridge_story = first.assignments["v1"][1]
    before = (c.stories[bridge_story].idx.copy(), c.stories[bridge_story].val.copy())
    inquiry = c.partial_fit([arts["v4"]])
    ev4, st4 = inquiry.assignments["v4"]
    assert st4 == bridge_story and ev4 != first.assignments["v1"][0]
    after = c.stories[bridge_story]
    assert (after.idx.tolist(), after.val.tolist()) == (before[0].tolist(), before[1].tolist())
    grown = c.partial_fit([arts["v5"]])
    ev5, st5 = grown.assignments["v5"]
    assert ev5 == ev4 and st5 != bridge_story
    changed = {s.id: s for s in grown.stories}
    assert ev4 not in changed[bridge_story].event_ids and changed[st5].event_ids == [ev4]
    assert {e.id: e.story_id for e in grown.events}[ev4] == st5


def _unrest(template: str, country: str, tag: str, days: int = 12) -> list[Article]:
    return [Article(id=f"{tag}{i:02d}", date=f"2031-05-{i + 1:02d}", title=f"Day {i + 1} of unrest in {country}",
                    text=template.format(day=i + 1)) for i in range(days)]


_ARVENIA = ("Students in Arvenia occupied the university of Lostra again on day {day}, demanding that President "
            "Kemal Oduya resign. Riot police in Arvenia cleared the Lostra campus with batons; Arvenia's student "
            "union said Kemal Oduya had ordered the raid. The Northern Council urged restraint in Arvenia.")
_BOSTREL = ("Miners in Bostrel blocked the railway to Varn on day {day}, their strike against President Tessa Morrow "
            "spreading to the ports. Bostrel's mining union said Tessa Morrow refused to negotiate, and troops "
            "guarded the Varn depots. The Northern Council urged restraint in Bostrel.")


def test_storylines_clearly_about_different_names_do_not_merge() -> None:
    arts = sorted(_unrest(_ARVENIA, "Arvenia", "a") + _unrest(_BOSTREL, "Bostrel", "b"), key=lambda a: (a.date, a.id))

    def stories(**kw: float) -> tuple[set[str], set[str]]:
        # every other merge rule lets any two candidate storylines merge; no event joins a storyline by similarity
        params = ClusterParams(story_merge_threshold=0.0, story_name_threshold=0.0, story_centroid_threshold=0.9,
                               story_attach_threshold=0.0, story_anchor_min_docs=1, **kw)
        st = {k: s for k, (_, s) in Clusterer(params).partial_fit(arts).assignments.items()}
        return {st[a.id] for a in arts if a.id[0] == "a"}, {st[a.id] for a in arts if a.id[0] == "b"}

    arvenia, bostrel = stories()
    assert len(arvenia) == len(bostrel) == 1 and arvenia != bostrel  # each is held by all its reports: two threads
    arvenia, bostrel = stories(story_anchor_strong=1.1)  # no anchor is ever strong: nothing keeps them apart
    assert arvenia == bostrel


def test_a_loose_attachment_needs_the_storyline_to_name_what_the_report_is_about() -> None:
    arvenia = _unrest(_ARVENIA, "Arvenia", "a")
    other = Article(id="b", date="2031-05-13", title="Miners in Bostrel strike against Tessa Morrow",
                    text="Miners in Bostrel went on strike against President Tessa Morrow, and students joined them "
                         "at the university of Varn. Tessa Morrow said the strike in Bostrel would fail. The "
                         "Northern Council urged restraint.")

    def story_of_other(**kw: float) -> tuple[str, str]:
        # only loose attachments: anything a little similar and more similar than the rest attaches
        params = ClusterParams(story_centroid_threshold=0.9, story_attach_threshold=0.01, story_attach_margin=1.0,
                               story_name_threshold=0.0, **kw)
        st = {k: s for k, (_, s) in Clusterer(params).partial_fit([*arvenia, other]).assignments.items()}
        return st["a00"], st["b"]

    thread, new = story_of_other()
    assert new != thread  # Bostrel and Tessa Morrow: no Arvenia report names them
    thread, new = story_of_other(story_attach_share=0.0)
    assert new == thread


def test_a_report_after_a_pause_opens_a_new_event_in_the_same_storyline() -> None:
    def art(aid: str, day: str) -> Article:
        return Article(id=aid, date=f"2031-06-{day}", title="Tarnow dockers strike over pay",
                       text="Dockers at the port of Tarnow walked out over pay on the orders of their union, "
                            "leaving container ships idle in Tarnow harbour. The Tarnow port authority said talks "
                            "with the dockers' union would resume.")

    daily = Clusterer().partial_fit([art("d1", "01"), art("d2", "03"), art("d3", "05")]).assignments
    assert daily["d1"][0] == daily["d2"][0] == daily["d3"][0]  # reported every other day: one running event
    paused = Clusterer().partial_fit([art("p1", "01"), art("p2", "05")]).assignments
    assert paused["p1"][0] != paused["p2"][0] and paused["p1"][1] == paused["p2"][1]  # four quiet days: news again
    week = Clusterer(ClusterParams(gap_days=7)).partial_fit([art("w1", "01"), art("w2", "05")]).assignments
    assert week["w1"][0] == week["w2"][0]


def test_an_event_takes_a_members_headline_over_a_lead_sentence() -> None:
    text = ("Dockers at the port of Tarnow walked out over pay on Monday, leaving container ships idle in Tarnow "
            "harbour. The Tarnow port authority said talks with the dockers' union would resume on Tuesday.")
    untitled = Article(id="u", date="2031-06-01", text=text)
    titled = Article(id="t", date="2031-06-01", title="Tarnow dockers strike over pay", text=text + " Ships waited.")
    up = Clusterer().partial_fit([untitled, titled])
    assert up.assignments["u"][0] == up.assignments["t"][0]
    [event] = up.events
    assert event.title == "Tarnow dockers strike over pay"
    alone = Clusterer().partial_fit([untitled]).events[0]
    assert alone.title and alone.title.startswith("Dockers at the port of Tarnow walked out")


def _dockers() -> tuple[list[Article], Article, Article]:
    verbs = ["walked out", "stayed out", "picketed the gates", "blocked the cranes", "marched to the town hall",
             "voted to go on"]
    thread = [Article(id=f"d{i}", date=f"2031-06-0{i + 1}", title=f"Tarnow dockers strike, day {i + 1}",
                      text=f"Dockers at the port of Tarnow {verbs[i]} on day {i + 1} of their strike over pay, leaving "
                           f"container ships idle in Tarnow harbour. The dockers' union leader Anja Weller said the "
                           f"strike would go on until the Tarnow port authority raised wages.") for i in range(6)]
    lone = Article(id="x", date="2031-06-03", title="Shipping line diverts freighters from Tarnow",
                   text="The Corvel shipping line said it would divert its freighters from Tarnow to the port of Ilsk "
                        "until the dockers' strike ends, as cargo piles up on the Tarnow quays.")
    later = Article(id="z", date="2031-06-25", title="Orchard harvest begins in Malven",
                    text="Farmers in Malven began the apple harvest early after a warm spring, the growers' "
                         "association said.")
    return thread, lone, later


def test_a_lone_report_is_adopted_by_the_thread_it_resembles_once_it_stays_alone() -> None:
    thread, lone, later = _dockers()
    # no event joins a storyline by similarity here: only the orphan rule can bring the lone report in
    params = ClusterParams(story_centroid_threshold=0.9, story_attach_threshold=0.0)
    c = Clusterer(params)
    first = c.partial_fit([*thread[:3], lone, *thread[3:]])
    strike = first.assignments["d0"][1]
    assert first.assignments["x"][1] != strike  # two weeks have not passed yet
    # the state goes through bytes on the way (as between two ingest runs): the pending check is kept
    c = Clusterer.from_bytes(c.to_bytes())
    up = c.partial_fit([later])  # the first report 14+ days after the lone one's day
    assert ("story", first.assignments["x"][1], strike) in up.merges
    assert strike in {s.id for s in up.stories}
    moved = {e.id: e.story_id for e in c.live_events()}
    assert moved[first.assignments["x"][0]] == strike and first.assignments["x"][0] != first.assignments["d0"][0]
    off = Clusterer(ClusterParams(story_centroid_threshold=0.9, story_attach_threshold=0.0, orphan_days=0))
    st = {k: s for k, (_, s) in off.partial_fit([*thread[:3], lone, *thread[3:], later]).assignments.items()}
    assert st["x"] != st["d0"]


def test_a_lone_report_joins_the_event_it_fits_once_that_event_has_grown() -> None:
    first, later = jet_reports()
    on = Clusterer()
    up = on.partial_fit(first)
    assert up.assignments["d"][0] != up.assignments["a1"][0]  # on its own the denial fitted no report of the claim
    on.partial_fit([later])  # a week later the denial's event is closed, and the claim's event has grown
    assert on.event_of("d") == on.event_of("a1") == up.assignments["a1"][0]  # the older event's id survives
    off = Clusterer(ClusterParams(orphan_articles=0))
    off.partial_fit([*first, later])
    assert off.event_of("d") != off.event_of("a1")
    # without publication dates the check waits ``orphan_reports`` reports instead of days
    undated = [Article(id=a.id, title=a.title, text=a.text) for a in first]
    fillers = [Article(id=f"f{i}", title=f"Orchard harvest begins in Malven, part {i}", text=later.text)
               for i in range(3)]
    c = Clusterer(ClusterParams(orphan_reports=3))
    c.partial_fit(undated)
    assert c.event_of("d") != c.event_of("a1")
    c.partial_fit(fillers)
    assert c.event_of("d") == c.event_of("a1")


def _fight(aid: str, opponent: str) -> Article:
    first, last = opponent.split()
    text = (f"Champion Boris Kalder stopped {opponent} in the sixth round in Mannheim to retain his heavyweight "
            f"titles on Saturday night. Kalder knocked {last} down twice before the referee ended the bout. "
            f"The challenger {last} said the champion was too strong. {first} {last} had trained for the heavyweight "
            f"fight for months, and Kalder said {last} had been brave.")
    return Article(id=aid, text=text)


def test_look_alike_events_about_other_participants_stay_apart() -> None:
    a, b, c = _fight("f1", "Hasan Ruhland"), _fight("f2", "Tomas Trevino"), _fight("f3", "Hasan Ruhland")
    on = Clusterer().partial_fit([a, b, c]).assignments
    assert on["f1"][0] == on["f3"][0] != on["f2"][0]
    off = Clusterer(ClusterParams(event_name_conflict=False)).partial_fit([a, b, c]).assignments
    assert off["f1"][0] == off["f2"][0]  # the same words alone would have made them one event


def test_prominent_names_skip_common_words_and_weekdays() -> None:
    from storyline.cluster.features import prominent_names, term_weights

    art = _fight("f1", "Hasan Ruhland")
    counts = term_weights(art, title_weight=2.0, lead_chars=400, lead_weight=1.0, phrase_weight=1.0)
    names = prominent_names(art, counts, lead_chars=400, top=0)
    assert "ruhland" in names and "kalder" in names
    assert "saturday" not in names and "champion" not in names


def test_features_made_elsewhere_give_the_same_clustering() -> None:
    """Vectors made by ``article_features`` (as the ingest's worker processes do) are used as given and give
    the same events, storylines and state as computing them in ``partial_fit``."""
    from concurrent.futures import ProcessPoolExecutor

    from storyline.cluster import article_features

    arts = corpus()
    with ProcessPoolExecutor(max_workers=1) as pool:
        made = dict(zip((a.id for a in arts), pool.map(article_features, arts)))
    here, there = Clusterer(), Clusterer()
    assert there.partial_fit(arts[:4], made).assignments == here.partial_fit(arts[:4]).assignments
    assert there.partial_fit(arts[4:], made).assignments == here.partial_fit(arts[4:]).assignments
    assert there.to_bytes() == here.to_bytes()


def test_features_are_used_only_when_made_with_the_clusterers_parameters() -> None:
    import numpy as np

    from storyline.cluster import ArticleFeatures, article_features

    arts = corpus()
    plain = Clusterer().partial_fit(arts).assignments
    other = ClusterParams(title_weight=5.0)
    made = {a.id: article_features(a, other) for a in arts}
    assert all(made[a.id].key != article_features(a).key for a in arts)
    assert Clusterer().partial_fit(arts, made).assignments == plain  # other parameters: computed again
    # the same parameters: the given vectors are what counts (here one shared term for every article)
    one = {a.id: ArticleFeatures(article_features(a).key, np.array([7], dtype=np.int64), np.array([1.0]), [])
           for a in arts}
    # (v1 and o1 are six days apart: a pause the default ``gap_days`` does not bridge, a week-long window does)
    shared = Clusterer(ClusterParams(gap_days=7)).partial_fit(arts, one).assignments
    assert plain["v1"][0] != plain["o1"][0] and shared["v1"][0] == shared["o1"][0]



def test_a_long_centroid_is_dotted_by_lookup_as_by_the_gather(monkeypatch):
    """A centroid far longer than the article (a long storyline's) is dotted by looking the article's terms up
    in it; the result is the gather's, names part included, and nothing is left of the article afterwards."""
    import numpy as np

    from storyline.cluster import clusterer as module

    cl = Clusterer()
    rng = np.random.default_rng(7)
    width = 1 << cl.params.hash_bits
    cols = np.sort(rng.choice(width, 6000, replace=False))
    centroid = module._Cluster(id="st-long", seq=0, idx=cols, val=rng.random(len(cols)))
    shared = rng.choice(cols, 60, replace=False)
    own = rng.choice(np.setdiff1d(np.arange(width), cols), 40, replace=False)
    idx = np.sort(np.concatenate([shared, own]))
    wq = rng.random(len(idx))
    assert (idx < cl._half).any() and (idx >= cl._half).any()  # both parts of the vector are exercised
    cl._row[idx] = wq
    cl._article = (idx, wq, int(np.searchsorted(idx, cl._half)))
    assert len(cols) > module._SPARSE_LOOKUP * len(idx)
    by_lookup = cl._dots(centroid)
    monkeypatch.setattr(module, "_SPARSE_LOOKUP", 10**9)
    by_gather = cl._dots(centroid)
    assert by_lookup == pytest.approx(by_gather, rel=1e-12) and by_lookup[1] > 0
    cl._row[idx] = 0.0
    cl._article = cl._no_article
    monkeypatch.setattr(module, "_SPARSE_LOOKUP", 16)
    assert cl._dots(centroid) == (0.0, 0.0)


def test_salient_entities_follow_the_storyline_core():
    """A storyline's salient-entity candidates are remembered per size of its core and found again as it grows."""
    import numpy as np

    from storyline.cluster import clusterer as module

    cl = Clusterer()
    p = cl.params
    n = max(p.story_entity_min_docs, 4)
    cl.n_docs = 1000
    a, b = cl._half + 11, cl._half + 22
    cl.df[[a, b]] = 5
    st = module._Cluster(id="st-x", seq=0, idx=np.zeros(0, dtype=np.int64), val=np.zeros(0), nd=n, ndf={a: n})
    assert set(cl._entities(st)) == {a}
    st.nd, st.ndf = 2 * n, {a: n, b: 2 * n}  # the core doubled: a is now held by half of it, b by all
    expected = {b} | ({a} if 0.5 >= p.story_entity_share else set())
    assert set(cl._entities(st)) == expected


def test_a_storyline_is_titled_by_its_most_representative_larger_event():
    """Not simply the biggest event's headline: among the events with at least half the biggest one's reports,
    the one whose terms are closest to the storyline's; a small event never titles it, however close."""
    import numpy as np

    from storyline.cluster.clusterer import _Cluster, _story_title

    def cluster(cid, seq, terms, n, title=None):
        idx = np.array(sorted(terms), dtype=np.int64)
        return _Cluster(id=cid, seq=seq, idx=idx, val=np.array([terms[i] for i in sorted(terms)]), n=n,
                        title=title)

    story = cluster("st", 0, {1: 5.0, 2: 5.0, 3: 1.0, 4: 1.0}, 20)  # a war: terms 1 and 2 everywhere
    attack = cluster("e1", 1, {3: 4.0, 1: 1.0}, 6, "Shells hit Lomira")  # the biggest, about one attack
    truce = cluster("e2", 2, {1: 3.0, 2: 3.0}, 5, "Velmora and Drassk sign a truce")
    tiny = cluster("e3", 3, {1: 5.0, 2: 5.0}, 1, "Velmora, Drassk: an explainer")
    assert _story_title(story, [attack, truce, tiny]) == "Velmora and Drassk sign a truce"
    assert _story_title(story, [attack, tiny]) == "Shells hit Lomira"  # the explainer is too small
    assert _story_title(story, [cluster("e4", 4, {}, 2)]) is None
