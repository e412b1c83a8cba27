import os

import pytest


@pytest.fixture
def cli_env(tmp_path):
    """Environment for running the `storyline` CLI in a subprocess against a temporary database."""
    env = dict(os.environ)
    env["STORYLINE_DB"] = str(tmp_path / "cli.db")
    env.pop("STORYLINE_TOKEN", None)
    return env
