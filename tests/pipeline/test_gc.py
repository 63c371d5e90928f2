"""The commands pause the cyclic garbage collector while they work (souverain.pipeline)."""

from __future__ import annotations

import gc

from souverain.pipeline import Pipeline


def _made() -> list[list[int]]:
    return [[n] for n in range(50_000)]  # containers the collector tracks


def test_what_a_run_made_leaves_the_youngest_generation() -> None:
    """The first collection after the run must not walk everything it made (about a
    second after a large roadmap): it is moved to the oldest generation."""
    assert gc.isenabled()
    with Pipeline():
        assert not gc.isenabled()
        kept = _made()
    assert gc.isenabled()
    # Left in the youngest, they would be in the middle one by now: the first
    # allocation after the block collects the youngest.
    oldest = {id(o) for o in gc.get_objects(generation=2)}
    assert all(id(item) in oldest for item in kept[:1000])
    assert gc.get_freeze_count() == 0  # nothing stays frozen


def test_a_caller_that_freezes_itself_keeps_its_objects_frozen() -> None:
    before = gc.get_freeze_count()
    try:
        with Pipeline():
            kept = _made()
            gc.freeze()  # as the report does with the audit
        assert gc.isenabled()
        assert gc.get_freeze_count() >= before + len(kept)
    finally:
        gc.unfreeze()
