"""Typed errors raised by the core. Only the CLI turns them into exit statuses."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located by its path inside the document.

    ``path`` is a tuple of keys and list indexes (``("assets", 3, "deployment")``);
    importers turn it into a line number. ``expected`` and ``found`` are short
    phrases meant for people.
    """

    path: Path
    message: str
    expected: str = ""
    found: str = ""
    line: int | None = None
    file: str = ""

    def field(self) -> str:
        """The path written as people read it: ``assets[3].deployment``."""
        out = ""
        for part in self.path:
            if isinstance(part, int):
                out += f"[{part}]"
            else:
                out += ("." if out else "") + part
        return out


class SouverainError(Exception):
    """Base of every error the core raises on purpose."""


@dataclass
class InvalidInput(SouverainError):
    """A document (estate, catalog, methodology) failed validation.

    Carries every problem found, not only the first.
    """

    kind: str
    problems: Sequence[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        return f"invalid {self.kind}: {len(self.problems)} problem(s)"
