"""Fixtures for the web tests: the fictional corpus ingested once through the real pipeline, app and client."""

from __future__ import annotations

import pytest
from web.webcorpus import TOKEN, corpus

__all__ = ["TOKEN"]


@pytest.fixture(scope="session")
def db_path(tmp_path_factory: pytest.TempPathFactory) -> str:
    from storyline.pipeline import ingest_articles
    from storyline.store import Store

    path = str(tmp_path_factory.mktemp("web") / "web.db")
    with Store(path) as store:
        report = ingest_articles(store, corpus(), batch_size=8)
    assert report.ingested == len(corpus()), report.to_dict()
    return path


@pytest.fixture(scope="session")
def app(db_path: str):
    from storyline.api import create_app

    return create_app(db_path, token=TOKEN)


@pytest.fixture()
def client(app):
    from fastapi.testclient import TestClient

    with TestClient(app) as c:
        yield c


@pytest.fixture()
def fresh_db(tmp_path) -> str:
    """An empty store of its own, for tests that write."""
    return str(tmp_path / "fresh.db")
