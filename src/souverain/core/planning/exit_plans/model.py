"""What an exit plan is made of (docs/exit-plans.md): the plan, its steps, skills,
contract steps, export and notes, and the phrases they are worded with.

Every text is a :class:`~souverain.core.errors.Phrase`: a message id of
``data/locales/exit_plans.<lang>.yaml`` and its parameters, put into words by
:func:`souverain.wording.render` (the JSON document of :mod:`souverain.exporters.exit_plans`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from souverain.core.catalog.model import Ring
from souverain.core.estate.duration import Duration
from souverain.core.phrase import Phrase, phrase
from souverain.core.vocabulary import Gravity

StepKind = Literal[
    "inventory",
    "contract",
    "export-test",
    "notice",
    "choose-alternative",
    "pilot",
    "exit-assistance",
    "migrate",
    "train",
    "switch",
    "decommission",
]
SkillKind = Literal["product", "self-hosting", "data-migration", "mastery", "in-use"]
ContractStepKind = Literal[
    "notice", "exit-assistance", "data-portability", "end-date", "no-contract"
]

# A parameter of a plan's phrase: text shown as it is (a name, an id, a date) or a phrase.
Param = str | Phrase


@dataclass(frozen=True)
class Note:
    """A sentence, with the estate field or catalog fact behind it."""

    text: Phrase
    ref: str | None = None
    source: str | None = None
    as_of: date | None = None


@dataclass(frozen=True)
class Step:
    """One step of a plan, in order; ``days`` only when a known figure gives it."""

    kind: StepKind
    text: Phrase
    days: float | None = None
    ref: str | None = None


@dataclass(frozen=True)
class Skill:
    kind: SkillKind
    text: Phrase
    mastery: str | None = None  # in-house mastery, for ``mastery`` and ``in-use``
    ref: str | None = None


@dataclass(frozen=True)
class ContractStep:
    """One contractual term of the exit and the estate field it comes from."""

    kind: ContractStepKind
    text: Phrase
    field: str
    value: bool | int | str | None


@dataclass(frozen=True)
class Export:
    """How the data comes out: formats (standard ids, open ones first) and openness."""

    formats: tuple[str, ...]
    open_export: bool | None  # None: the formats are not known
    source: str  # the estate field or catalog fact the formats come from
    tested: date | None = None
    tested_days_ago: int | None = None


@dataclass(frozen=True)
class ExitPlan:
    asset: str
    name: str
    gravity: Gravity
    process: str | None  # the process that makes the dependency grave
    provider: str | None
    alternative: str | None  # catalog product id
    alternative_name: str | None
    alternative_ring: Ring | None
    alternatives_considered: tuple[str, ...]  # the other candidates, preferred first
    export: Export
    steps: tuple[Step, ...]
    skills: tuple[Skill, ...]
    contract_steps: tuple[ContractStep, ...]
    duration: Duration | None  # None: not estimated
    duration_source: str | None
    notice_days: int | None
    notice_longer_than_work: bool | None
    fits_max_downtime: bool | None  # None: not assessed
    max_downtime: Duration | None
    reasons: tuple[Note, ...] = ()
    process_name: str | None = None
    provider_name: str | None = None
    deployment: str | None = None


# --- phrases the wording module renders specially (souverain.wording) ---------------

_LIST_MAX = 6  # a list in words shows this many items, and counts the rest


def listed(items: Sequence[str]) -> Param:
    """A short list in words; the rest counted."""
    shown = ", ".join(items[:_LIST_MAX])
    rest = len(items) - _LIST_MAX
    if rest <= 0:
        return shown
    return phrase("list-and-one-more" if rest == 1 else "list-and-more", shown=shown, rest=rest)
