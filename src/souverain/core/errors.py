"""Typed errors raised by the core. Only the CLI turns them into exit statuses."""

from __future__ import annotations

import errno
from collections.abc import Sequence
from dataclasses import dataclass, field

from souverain.core.phrase import Phrase, Words, phrase

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located by its path inside the document.

    ``path`` is a tuple of keys and list indexes (``("assets", 3, "deployment")``);
    importers turn it into a line number. ``message`` says what is wrong,
    ``expected`` and ``found`` complete it: phrases, or text quoted as it is.
    """

    path: Path
    message: Phrase
    expected: Words = ""
    found: Words = ""
    line: int | None = None
    file: str = ""

    @property
    def code(self) -> str:
        """The message id: what kind of problem this is, in any language."""
        return self.message.id

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


_TYPE_NAMES = {
    "dict": phrase("type-dict"),
    "list": phrase("type-list"),
    "str": phrase("type-str"),
    "int": phrase("type-int"),
    "float": phrase("type-float"),
    "bool": phrase("type-bool"),
    "NoneType": phrase("type-none"),
}


def type_name(value: object) -> Words:
    """The type of a value read from a document, named as Python names it in English
    (``list``, ``str``) and worded in other languages."""
    name = type(value).__name__
    return _TYPE_NAMES.get(name, name)


_OS_REASONS = {
    errno.ENOENT: phrase("os-no-such-file"),
    errno.ENOTDIR: phrase("os-not-a-directory"),
    errno.EISDIR: phrase("os-is-a-directory"),
    errno.EACCES: phrase("os-permission-denied"),
    errno.EPERM: phrase("os-not-permitted"),
    errno.EROFS: phrase("os-read-only"),
    errno.ENOSPC: phrase("os-no-space"),
    errno.ENAMETOOLONG: phrase("os-name-too-long"),
    errno.ELOOP: phrase("os-loop"),
}


def os_reason(error: OSError) -> Words:
    """Why the operating system refused to read or write a path, worded, or as it
    says it (in English) when it is none of the usual reasons."""
    reason = _OS_REASONS.get(error.errno or 0)
    return reason if reason is not None else (error.strerror or str(error))
