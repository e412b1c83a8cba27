"""Shared test helpers (importable as `helpers`: tests/ is on pythonpath)."""

import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
EXAMPLES = REPO / "examples"
STORYLINE = [sys.executable, "-m", "storyline.cli"]


def shared_path(*parts: str) -> Path:
    """A path under ../shared, or skip the test when the shared data is absent (a user's clone has none)."""
    p = SHARED.joinpath(*parts)
    if not p.exists():
        pytest.skip(f"{p} not present (shared benchmark data is not part of the repository)")
    return p
