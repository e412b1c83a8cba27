"""Property-based run of every documented operation (schemathesis, in-process ASGI): no input gives a 5xx,
and every error is the API's JSON error shape. Bounded: a few examples per operation, no deadline."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

import pytest

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is in the test extra")
from hypothesis import HealthCheck, settings  # noqa: E402
from web.webcorpus import TOKEN, corpus  # noqa: E402

from storyline.api import create_app  # noqa: E402
from storyline.pipeline import ingest_articles  # noqa: E402
from storyline.store import Store  # noqa: E402


def _app():
    # Schemathesis parametrizes at collection time, so this module builds its own small store then.
    tmp = Path(tempfile.mkdtemp(prefix="storyline-schemathesis-"))
    atexit.register(shutil.rmtree, tmp, ignore_errors=True)
    db = str(tmp / "st.db")
    with Store(db) as store:
        ingest_articles(store, corpus())
    return create_app(db, token=TOKEN)


schema = schemathesis.openapi.from_asgi("/openapi.json", _app())


@schema.parametrize()
@settings(max_examples=25, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much, HealthCheck.data_too_large])
def test_no_server_errors(case):
    headers = {"Authorization": f"Bearer {TOKEN}"} if case.method == "POST" else None
    response = case.call(headers=headers)
    assert response.status_code < 500, (case.method, case.formatted_path, case.query, response.text[:500])
    if response.status_code >= 400:
        body = response.json()
        assert isinstance(body, dict) and set(body) == {"error", "detail"}, body
