"""Pipeline.in_background: work started in a child, its result the same as done here."""

from __future__ import annotations

import os

from souverain import parallel
from souverain.pipeline import Pipeline


def test_background_work_gives_its_result_from_a_child() -> None:
    parent = os.getpid()
    with Pipeline() as run:
        result = run.in_background(lambda: (os.getpid() != parent, [1, 2]), size=parallel.MINIMUM)
        assert result() == (True, [1, 2])


def test_small_background_work_is_done_here() -> None:
    parent = os.getpid()
    with Pipeline() as run:
        result = run.in_background(lambda: os.getpid() == parent, size=parallel.MINIMUM - 1)
        assert result() is True


def test_a_failing_background_child_is_logged_and_its_work_done_here() -> None:
    parent = os.getpid()
    logged: list[str] = []

    def work() -> str:
        if os.getpid() != parent:
            raise RuntimeError("boom")
        return "here"

    with Pipeline(failed=logged.append) as run:
        assert run.in_background(work, size=parallel.MINIMUM)() == "here"
    assert len(logged) == 1 and "boom" in logged[0]


def test_background_work_left_unwaited_is_reaped() -> None:
    with Pipeline() as run:
        run.in_background(lambda: __import__("time").sleep(30), size=parallel.MINIMUM)
        children = list(run._children)
    assert children and all(child._reaped for child in children)
