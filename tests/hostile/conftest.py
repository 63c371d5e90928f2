"""Hostile and careless inputs: each test writes the input it needs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from souverain.cli.app import app
from souverain.cli.common import problem_detail
from souverain.core.errors import Problem
from tests.hostile.wording import english_left

EXAMPLES = Path(__file__).parents[2] / "examples"


@pytest.fixture()
def run():
    """Run the CLI in-process; returns the click Result (exit_code, stdout, stderr)."""
    runner = CliRunner()

    def invoke(*args: object):
        return runner.invoke(app, [str(a) for a in args], catch_exceptions=True)

    return invoke


# Tests that make problems with English in them on purpose, to check the check.
_ENGLISH_ON_PURPOSE = {"test_the_french_wording_leaves_no_english_word"}


@pytest.fixture(autouse=True)
def _every_problem_is_worded_in_french(
    monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
):
    """Each problem a hostile case makes, whatever language the case reads it in, is
    complete in French: no English word of souverain's own making is left in it."""
    made: dict[tuple[object, ...], Problem] = {}
    build = Problem.__init__

    def record(self: Problem, *args: Any, **kwargs: Any) -> None:
        build(self, *args, **kwargs)
        made.setdefault((self.message, self.expected, self.found), self)

    monkeypatch.setattr(Problem, "__init__", record)
    yield
    monkeypatch.undo()
    if request.node.name in _ENGLISH_ON_PURPOSE:
        return
    left = {problem_detail(p, "fr"): english_left(p) for p in made.values() if english_left(p)}
    assert not left, left
