"""Hostile and careless inputs: each test writes the input it needs."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from souverain.cli.app import app

EXAMPLES = Path(__file__).parents[2] / "examples"


@pytest.fixture()
def run():
    """Run the CLI in-process; returns the click Result (exit_code, stdout, stderr)."""
    runner = CliRunner()

    def invoke(*args: object):
        return runner.invoke(app, [str(a) for a in args], catch_exceptions=True)

    return invoke
