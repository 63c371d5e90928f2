"""The plan file: a user's decisions over the generated actions (docs/roadmap.md).

``souverain roadmap --plan FILE`` reads it: for each action id, drop it, pin it ahead
of the others, or put it in a given phase. :func:`parse_plan` checks plain data (the
importer reads the file) and locates every problem by its path.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from souverain.core.errors import InvalidInput, Problem, type_name
from souverain.core.phrase import phrase
from souverain.core.planning.phases import PHASES, PhaseName


@dataclass(frozen=True)
class Override:
    drop: bool = False
    pin: bool = False
    phase: PhaseName | None = None


@dataclass(frozen=True)
class PlanFile:
    """A user's decisions over the generated actions, by action id."""

    actions: Mapping[str, Override] = field(default_factory=dict)


PLAN_KEYS = ("drop", "phase", "pin")


def parse_plan(data: Any) -> PlanFile:
    """A :class:`PlanFile` from plain data; :class:`InvalidInput` lists every problem, by path."""
    problems: list[Problem] = []
    if not isinstance(data, dict):
        raise InvalidInput(
            "plan", [Problem((), phrase("wrong-type"), phrase("a-mapping"), type_name(data))]
        )
    if data.get("souverain_plan") != 1:
        problems.append(
            Problem(
                ("souverain_plan",),
                phrase("unsupported-version"),
                "1",
                repr(data.get("souverain_plan")),
            )
        )
    for key in data:
        if key not in ("souverain_plan", "actions"):
            problems.append(
                Problem((str(key),), phrase("unknown-field"), "souverain_plan, actions", repr(key))
            )
    entries = data.get("actions") or {}
    actions: dict[str, Override] = {}
    if not isinstance(entries, dict):
        problems.append(
            Problem(
                ("actions",),
                phrase("wrong-type"),
                phrase("expected-action-ids"),
                type_name(entries),
            )
        )
        entries = {}
    for ident, entry in entries.items():
        where: tuple[str | int, ...] = ("actions", str(ident))
        if not isinstance(entry, dict):
            problems.append(
                Problem(where, phrase("wrong-type"), phrase("expected-decision"), repr(entry))
            )
            continue
        bad = False
        for key, value in entry.items():
            if key not in PLAN_KEYS:
                problems.append(
                    Problem(
                        (*where, str(key)), phrase("unknown-field"), "drop, phase, pin", repr(key)
                    )
                )
                bad = True
            elif key in ("drop", "pin") and not isinstance(value, bool):
                problems.append(
                    Problem(
                        (*where, key), phrase("wrong-type"), phrase("true-or-false"), repr(value)
                    )
                )
                bad = True
            elif key == "phase" and value not in PHASES:
                problems.append(
                    Problem((*where, key), phrase("unknown-phase"), ", ".join(PHASES), repr(value))
                )
                bad = True
        if entry.get("drop") is True and ("phase" in entry or entry.get("pin") is True):
            problems.append(
                Problem(
                    where,
                    phrase("conflicting-decisions"),
                    phrase("expected-drop-alone"),
                    repr(entry),
                )
            )
            bad = True
        if not bad:
            actions[str(ident)] = Override(
                bool(entry.get("drop")), bool(entry.get("pin")), entry.get("phase")
            )
    if problems:
        raise InvalidInput("plan", problems)
    return PlanFile(actions)
