"""Words for people, as the core holds them: a message id and its parameters.

The core never holds an English or French sentence. It says *what* to say — a
:class:`Phrase` — and :mod:`souverain.wording` says it in a language, from the
wordings of ``data/locales/<domain>.<lang>.yaml`` (docs/architecture.md, "Add a
locale"). Problems, exit plans, roadmap rationales, radar and scenario findings all
speak through it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Phrase:
    """A message id and its parameters. A parameter is a value shown as it is (an id,
    a number, the user's own text) or a phrase, worded in the same language."""

    id: str
    params: tuple[tuple[str, Param], ...] = ()


Param = str | int | Phrase

# What a message says: a phrase, or text shown as it is in every language (the user's
# own input, quoted; a path; a value). Such text is never translated.
Words = Phrase | str

# A phrase with this id carries its words in each language as its parameters
# (``en=..., fr=...``): text the data gives (a catalog name, a methodology's verdict).
GIVEN = "given"
# A duration: parameters ``amount`` (a number, as text) and ``unit`` (s, m, h, d, w),
# worded with the number and the unit's word in the language.
DURATION = "duration"


def phrase(ident: str, /, **params: Param) -> Phrase:
    """The phrase ``ident`` with its parameters: ``phrase("at-most-items", count=5)``."""
    return Phrase(ident, tuple(params.items()))


def given(text: Mapping[str, str]) -> Phrase:
    """Words the data gives in each language (a catalog name, a methodology's text)."""
    return Phrase(GIVEN, tuple(text.items()))


_UNITS = frozenset("smhdw")


def duration_words(duration: object) -> Phrase:
    """A duration (a :class:`~souverain.core.estate.duration.Duration`, or its text in
    the estate's notation, ``30d``) in words: "25 days" / "25 jours", "1.5 weeks" /
    "1,5 semaine" — the one way a duration reaches a reader
    (:func:`souverain.wording.say_duration`)."""
    text = str(duration)
    number, unit = text[:-1], text[-1:]
    try:
        amount = float(number) if unit in _UNITS and number else None
    except ValueError:
        amount = None
    if amount is None:
        days = getattr(duration, "days", None)
        if days is None:
            return Phrase(GIVEN, (("en", text), ("fr", text)))
        amount, unit = float(days), "d"
    return phrase(DURATION, amount=f"{amount:g}", unit=unit)
