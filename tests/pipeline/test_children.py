"""souverain.pipeline and souverain.parallel: a child that fails is logged and its work
done here; every child is waited for (no zombies), even when the parent's own share
fails; a large audit is frozen for the rendering, then put back."""

from __future__ import annotations

import gc
import os
from collections.abc import Sequence

import pytest

from souverain import parallel, pipeline
from souverain.core.scoring.audit import AuditResult
from souverain.pipeline import Pipeline


def _zombies() -> list[int]:
    """Children of this process that ended and were not waited for."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] == "Z" and int(fields[1]) == os.getpid():
            found.append(int(entry))
    return found


needs_proc = pytest.mark.skipif(not os.path.isdir("/proc"), reason="no /proc")


@needs_proc
def test_a_failing_child_is_logged_in_one_line_and_its_share_done_here() -> None:
    parent = os.getpid()
    logged: list[str] = []

    def fails_in_child(items: Sequence[int]) -> list[int]:
        if os.getpid() != parent:
            raise ValueError("bad share")
        return [i + 1 for i in items]

    out = parallel.split_map(fails_in_child, range(10), minimum=1, failed=logged.append)
    assert out == list(range(1, 11))
    assert len(logged) == 1 and "ValueError: bad share" in logged[0]
    assert "\n" not in logged[0]
    assert _zombies() == []


@needs_proc
def test_the_default_log_is_one_line_on_standard_error(capfd: pytest.CaptureFixture[str]) -> None:
    parent = os.getpid()

    def dies() -> int:
        if os.getpid() != parent:
            os._exit(3)
        return 7

    assert parallel.beside(lambda: 1, dies) == (1, 7)
    err = capfd.readouterr().err
    assert err.count("\n") == 1 and "exited with status 3" in err
    assert _zombies() == []


@needs_proc
def test_children_are_reaped_when_this_process_fails_first() -> None:
    parent = os.getpid()

    def slow_child_failing_parent(items: Sequence[int]) -> list[int]:
        if os.getpid() == parent:
            raise RuntimeError("here")
        import time

        time.sleep(30)
        return list(items)

    with pytest.raises(RuntimeError):
        parallel.split_map(slow_child_failing_parent, range(10), minimum=1)
    with pytest.raises(RuntimeError):
        parallel.beside(lambda: (_ for _ in ()).throw(RuntimeError("main")), lambda: 1)
    assert _zombies() == []


@needs_proc
def test_a_pipeline_left_on_an_error_reaps_its_graph_child(
    monkeypatch: pytest.MonkeyPatch, tmp_path: os.PathLike[str]
) -> None:
    from pathlib import Path

    from souverain.core.errors import InvalidInput

    estate = Path(tmp_path) / "bad.yaml"
    estate.write_text("organisation: [\n")
    monkeypatch.setattr(pipeline, "PARALLEL_FROM_BYTES", 0)
    with pytest.raises(InvalidInput), Pipeline() as run:
        run.audit(estate, None, [], __import__("datetime").date(2026, 11, 23))
    assert _zombies() == []
    assert gc.isenabled()


def test_a_large_audit_is_frozen_for_the_rendering_then_put_back(
    mini_result: AuditResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = gc.get_freeze_count()
    with Pipeline() as run:
        run.settle(mini_result)  # small: left alone, the collector back on
        assert gc.isenabled() and gc.get_freeze_count() == before
    monkeypatch.setattr(pipeline, "SETTLE_FROM_DEPENDENCIES", 1)
    with Pipeline() as run:
        assert not gc.isenabled()
        run.settle(mini_result)
        assert gc.isenabled() and gc.get_freeze_count() > before
    assert gc.get_freeze_count() == 0 and gc.isenabled()


def test_the_actions_are_measured_once_per_audit(mini_result: AuditResult) -> None:
    assert mini_result.catalog is not None
    run = Pipeline()
    first = run.actions(mini_result, mini_result.catalog)
    assert run.actions(mini_result, mini_result.catalog) is first
