"""How the core has work shared out: a :data:`Mapper`.

``mapper(work, items)`` must equal ``work(items)``: ``work`` gives one result per item,
in order. The core itself does no process work; the CLI's pipeline passes
``souverain.parallel.split_map``, which deals the items out between this process and a
forked one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

Mapper = Callable[[Callable[[Sequence[Any]], list[Any]], Sequence[Any]], list[Any]]


def serially(work: Callable[[Sequence[Any]], list[Any]], items: Sequence[Any]) -> list[Any]:
    """The default :data:`Mapper`: ``work(items)``, here."""
    return work(items)
