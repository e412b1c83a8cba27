"""Extractive cited event summaries and the optional abstractive rewrite (against a local fake server)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from summarize.valdoria import ARTICLES, PUB

from storyline.model import Article, SummarySentence
from storyline.summarize.summary import LLMConfig, rewrite_abstractive, summarize_event


def _source_text(article_id: str) -> str:
    return next(a.text for a in ARTICLES if a.id == article_id)


def test_summary_length_and_extractive_citations() -> None:
    summary = summarize_event(ARTICLES, n=4)
    assert len(summary) == 4
    for s in summary:
        assert isinstance(s, SummarySentence)
        assert s.article_ids, s
        # extractive: the text is a sentence of the first cited article
        assert s.text in _source_text(s.article_ids[0])
        assert len(set(s.article_ids)) == len(s.article_ids)


def test_summary_prefers_what_several_outlets_confirm() -> None:
    summary = summarize_event(ARTICLES, n=3)
    texts = " ".join(s.text for s in summary)
    assert "Lunaport" in texts  # all three outlets report the talks
    talks = next(s for s in summary if "Lunaport" in s.text)
    assert len(talks.article_ids) >= 2  # cited by its own article plus a paraphrase elsewhere
    # single-outlet side details are not among the three
    assert "Fishing fleets" not in texts


def test_summary_is_not_redundant() -> None:
    summary = summarize_event(ARTICLES, n=5)
    talk_sentences = [s for s in summary if "truce talks" in s.text]
    assert len(talk_sentences) == 1  # the three near-paraphrases are one summary sentence


def test_summary_dates_are_resolved() -> None:
    summary = summarize_event(ARTICLES, n=5)
    for s in summary:
        if "April 19" in s.text:
            assert s.date == "2031-04-19"
        if "Saturday" in s.text:
            assert s.date == "2031-05-10"


def test_summary_is_deterministic_and_ignores_wire_copies() -> None:
    copy = Article(id="copy", text=ARTICLES[0].text, date=PUB, duplicate_of=ARTICLES[0].id)
    a = summarize_event(ARTICLES, n=4)
    b = summarize_event(ARTICLES + [copy], n=4)
    assert [s.text for s in a] == [s.text for s in b]
    assert all("copy" not in s.article_ids for s in b)


def test_summary_edge_cases() -> None:
    assert summarize_event([], n=4) == []
    assert summarize_event(ARTICLES, n=0) == []
    short = [Article(id="s", text="Dam bursts.", date=PUB)]
    assert [s.text for s in summarize_event(short, n=3)] == ["Dam bursts."]


# -- abstractive rewrite against a fake OpenAI-compatible server on 127.0.0.1 ----------------------------


class _FakeLLM(BaseHTTPRequestHandler):
    mode = "ok"
    requests: list[dict] = []

    def do_POST(self) -> None:  # noqa: N802 (http.server API)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).requests.append({"path": self.path, "auth": self.headers.get("Authorization"), "body": body})
        if self.mode == "error":
            self.send_response(500)
            self.end_headers()
            return
        lines = [ln.split(". ", 1)[1] for ln in body["messages"][-1]["content"].splitlines()]
        if self.mode == "short":
            lines = lines[:-1]
        content = "Here you go:\n" + json.dumps([f"REWRITTEN: {ln}" for ln in lines])
        data = json.dumps({"choices": [{"message": {"role": "assistant", "content": content}}]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def fake_llm():
    server = HTTPServer(("127.0.0.1", 0), _FakeLLM)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _FakeLLM.requests = []
    _FakeLLM.mode = "ok"
    try:
        yield server, f"http://127.0.0.1:{server.server_address[1]}/v1"
    finally:
        server.shutdown()
        server.server_close()


def test_rewrite_keeps_citations(fake_llm, monkeypatch) -> None:
    _, url = fake_llm
    monkeypatch.setenv("STORYLINE_LLM_URL", url)
    monkeypatch.setenv("STORYLINE_LLM_MODEL", "tiny-local")
    monkeypatch.setenv("STORYLINE_LLM_KEY", "sekret")
    extractive = summarize_event(ARTICLES, n=3)
    rewritten = rewrite_abstractive(extractive)
    assert [r.text for r in rewritten] == [f"REWRITTEN: {s.text}" for s in extractive]
    assert [r.article_ids for r in rewritten] == [s.article_ids for s in extractive]
    assert [r.date for r in rewritten] == [s.date for s in extractive]
    req = _FakeLLM.requests[0]
    assert req["path"] == "/v1/chat/completions"
    assert req["auth"] == "Bearer sekret"
    assert req["body"]["model"] == "tiny-local"


@pytest.mark.parametrize("mode", ["error", "short"])
def test_rewrite_failure_falls_back_to_extractive(fake_llm, mode) -> None:
    _, url = fake_llm
    _FakeLLM.mode = mode
    extractive = summarize_event(ARTICLES, n=3)
    assert rewrite_abstractive(extractive, LLMConfig(url=url)) == extractive


def test_rewrite_off_by_default(monkeypatch) -> None:
    monkeypatch.delenv("STORYLINE_LLM_URL", raising=False)
    extractive = summarize_event(ARTICLES, n=2)
    assert LLMConfig.from_env() is None
    assert rewrite_abstractive(extractive) == extractive


def test_rewrite_unreachable_server_falls_back() -> None:
    extractive = summarize_event(ARTICLES, n=2)
    cfg = LLMConfig(url="http://127.0.0.1:9/v1", timeout=2.0)  # discard port: nothing listens
    assert rewrite_abstractive(extractive, cfg) == extractive


def test_a_summary_sentence_reads_without_its_articles_connective() -> None:
    from storyline.summarize.summary import _standalone

    assert _standalone("Meanwhile, Drassk said the border was closed.") == "Drassk said the border was closed."
    assert _standalone("But the ministry denied it.") == "The ministry denied it."
    assert _standalone("Butter prices rose.") == "Butter prices rose."
    assert _standalone("Still waters ran deep.") == "Still waters ran deep."
    arts = [Article(id=f"a{i}", date="2026-03-03", source=f"Outlet {i}", text=(
        "Meanwhile, Velmoran troops shelled the border town of Kesten on Tuesday, officials said. "
        "Velmoran troops shelled the town of Kesten near the border, residents said.")) for i in range(3)]
    summary = summarize_event(arts, n=1)
    assert summary and not summary[0].text.startswith("Meanwhile")
