"""Forking primitives: work done in a forked child, its result sent back through a pipe.

Only souverain.pipeline calls these (it decides what runs where and owns the children);
the core does no process work. A child inherits what this process holds (no copy, no
pickling of the estate) and sends back only its result. Where ``fork`` does not exist,
or the work is small, everything runs here.

A child that fails is logged (one line on standard error, through the ``failed``
callback; with ``SOUVERAIN_DEBUG`` set, the child also prints its traceback) and its
work is done again in this process, so a failure never changes a result. Every child
is waited for: a child whose result is no longer wanted is killed, then reaped.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
import traceback
from collections.abc import Callable, Sequence
from contextlib import suppress
from functools import partial
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")
T_co = TypeVar("T_co", covariant=True)

WORKERS = 2  # the machines souverain targets have two cores or more
MINIMUM = 400  # fewer items: forking costs more than it saves
DEBUG = "SOUVERAIN_DEBUG"  # set: a failing child prints its traceback


class ChildFailed(Exception):
    """A forked child died or raised; the message says how, in one line."""


def log_failure(reason: str) -> None:
    """The default ``failed`` callback: one line on standard error."""
    print(f"souverain: {reason}", file=sys.stderr, flush=True)


class Child(Generic[T_co]):
    """``work()`` running in a forked child (see :func:`in_child`)."""

    def __init__(self, work: Callable[[], T_co]) -> None:
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: work, send, leave without running the parent's exit code
            status = 1
            try:
                os.close(read)
                try:
                    data = b"R" + pickle.dumps(work(), protocol=pickle.HIGHEST_PROTOCOL)
                except BaseException as error:  # reported to the parent
                    if os.environ.get(DEBUG):
                        traceback.print_exc()
                    data = b"E" + f"{type(error).__name__}: {error}".splitlines()[0].encode()
                with os.fdopen(write, "wb") as stream:
                    stream.write(data)
                status = 0
            finally:
                os._exit(status)
        os.close(write)
        self.pid = pid
        self._read = read
        self._reaped = False

    def wait(self) -> T_co:
        """The child's result, once it has ended; raises ChildFailed if it died or raised."""
        try:
            with os.fdopen(self._read, "rb") as stream:
                data = stream.read()
        finally:
            status = self._reap()
        if data[:1] == b"R" and status == 0:
            return pickle.loads(data[1:])  # type: ignore[no-any-return]
        if data[:1] == b"E":
            raise ChildFailed(data[1:].decode(errors="replace"))
        raise ChildFailed(_ended(status))

    def kill(self) -> None:
        """End the child now if it is still running, and reap it (its result is lost)."""
        if self._reaped:
            return
        with suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        with suppress(OSError):
            os.close(self._read)
        self._reap()

    def _reap(self) -> int:
        if self._reaped:
            return 0
        self._reaped = True
        _, status = os.waitpid(self.pid, 0)
        return status


def _ended(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"killed by signal {os.WTERMSIG(status)}"
    if os.WIFEXITED(status):
        return f"exited with status {os.WEXITSTATUS(status)}"
    return "ended without a result"


def in_child(work: Callable[[], T]) -> Child[T]:
    """Start ``work()`` in a forked child. Only for systems with ``fork``."""
    return Child(work)


def _outcome(child: Child[T], what: str, failed: Callable[[str], None]) -> tuple[bool, T | None]:
    """``(True, result)``, or ``(False, None)`` once the failure is logged."""
    try:
        return True, child.wait()
    except ChildFailed as error:
        failed(f"{what} failed in a child process ({error}); worked out in this one instead")
        return False, None


def split_map(
    work: Callable[[Sequence[T]], list[R]],
    items: Sequence[T],
    workers: int = WORKERS,
    minimum: int | None = None,
    failed: Callable[[str], None] = log_failure,
) -> list[R]:
    """``work(items)``, the items dealt out (one in ``workers``) between this process
    and ``workers - 1`` forked children. ``work`` must give one result per item, in
    order, depend on nothing but its arguments and what the process held before the
    fork, and change nothing another share reads. A child that fails is logged and
    leaves its share to this process."""
    minimum = MINIMUM if minimum is None else minimum
    if workers < 2 or len(items) < minimum or not hasattr(os, "fork"):
        return work(items)
    shares = [items[k::workers] for k in range(workers)]
    children = [in_child(partial(work, share)) for share in shares[1:]]
    try:
        results = [work(shares[0])]
    except BaseException:
        for child in children:
            child.kill()
        raise
    for share, child in zip(shares[1:], children, strict=True):
        done, value = _outcome(child, "a share of the work", failed)
        results.append(value if done and value is not None else work(share))
    out: list[R] = []
    for index in range(len(items)):
        out.append(results[index % workers][index // workers])
    return out


def beside(
    main: Callable[[], R],
    side: Callable[[], T],
    alone: bool = False,
    failed: Callable[[str], None] = log_failure,
) -> tuple[R, T]:
    """``(main(), side())``, ``side`` done in a forked child while ``main`` runs here
    (``side`` is done here after when ``alone`` — small work, where forking costs more
    than it saves —, where there is no ``fork``, or when the child fails, logged)."""
    if alone or not hasattr(os, "fork"):
        return main(), side()
    child = in_child(side)
    try:
        first = main()
    except BaseException:
        child.kill()
        raise
    done, value = _outcome(child, "work beside the main one", failed)
    return first, (value if done else side())  # type: ignore[return-value]
