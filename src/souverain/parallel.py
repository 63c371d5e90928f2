"""Sharing pure work between this process and forked children (outside the core,
which does no process work: the CLI hands ``split_map`` to ``generate_actions``).

The roadmap measures thousands of actions, each independently of the others: on a
large estate, half of them are measured in a child process forked for the purpose,
which inherits the audit (no copy, no pickling of the estate) and sends back only its
results. Where ``fork`` does not exist, or the work is small, everything runs here.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable, Sequence
from functools import partial
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

WORKERS = 2  # the machines souverain targets have two cores or more
MINIMUM = 400  # fewer items: forking costs more than it saves


def in_child(work: Callable[[], T]) -> Callable[[], tuple[bool, T | None]]:
    """Start ``work()`` in a forked child; gives a function that waits for it and gives
    ``(True, result)``, or ``(False, None)`` if the child died or raised. Only for
    systems with ``fork``."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: work, send, leave without running the parent's exit code
        status = 1
        try:
            os.close(read)
            data = pickle.dumps(work(), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write, "wb") as stream:
                stream.write(data)
            status = 0
        finally:
            os._exit(status)
    os.close(write)

    def wait() -> tuple[bool, T | None]:
        with os.fdopen(read, "rb") as stream:
            data = stream.read()
        _, status = os.waitpid(pid, 0)
        if status != 0 or not data:
            return False, None
        return True, pickle.loads(data)

    return wait


def split_map(
    work: Callable[[Sequence[T]], list[R]],
    items: Sequence[T],
    workers: int = WORKERS,
    minimum: int | None = None,
) -> list[R]:
    """``work(items)``, the items dealt out (one in ``workers``) between this process
    and ``workers - 1`` forked children. ``work`` must give one result per item, in
    order, depend on nothing but its arguments and what the process held before the
    fork, and change nothing another share reads. A child that dies leaves its share
    to this process."""
    minimum = MINIMUM if minimum is None else minimum
    if workers < 2 or len(items) < minimum or not hasattr(os, "fork"):
        return work(items)
    shares = [items[k::workers] for k in range(workers)]
    waits = [in_child(partial(work, share)) for share in shares[1:]]
    results = [work(shares[0])]
    for share, wait in zip(shares[1:], waits, strict=True):
        done, value = wait()
        results.append(value if done and value is not None else work(share))
    out: list[R] = []
    for index in range(len(items)):
        out.append(results[index % workers][index // workers])
    return out


def beside(main: Callable[[], R], side: Callable[[], T], alone: bool = False) -> tuple[R, T]:
    """``(main(), side())``, ``side`` done in a forked child while ``main`` runs here
    (``side`` is done here after when ``alone`` — small work, where forking costs more
    than it saves —, where there is no ``fork``, or when the child fails)."""
    if alone or not hasattr(os, "fork"):
        return main(), side()
    wait = in_child(side)
    try:
        first = main()
    finally:
        done, value = wait()
    return first, (value if done else side())  # type: ignore[return-value]
