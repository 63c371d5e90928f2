"""The scoring methodology as data (DESIGN.md §5).

A methodology names its axes, each with a weight and rules; a rule applies a
named predicate of :mod:`souverain.core.rules` with parameters, and scores what
it finds. The risk matrix maps gravity × exposure to a level. Organisations may
ship their own file; the predicates are the only code.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from souverain.core.catalog import Text

Axis = Literal[
    "jurisdiction", "data_control", "operations", "supply_chain", "lock_in", "contract", "skills"
]
AXES: tuple[Axis, ...] = (
    "jurisdiction",
    "data_control",
    "operations",
    "supply_chain",
    "lock_in",
    "contract",
    "skills",
)
Level = Literal["low", "medium", "high", "critical"]
LEVELS: tuple[Level, ...] = ("low", "medium", "high", "critical")
Gravity = Literal["vital", "important", "useful", "minor", "none"]
GRAVITIES: tuple[Gravity, ...] = ("vital", "important", "useful", "minor", "none")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Rule(_Strict):
    """When predicate ``when`` finds something, it scores ``score`` with ``text``."""

    id: str
    when: str
    params: dict[str, Any] = Field(default_factory=dict)
    score: int = Field(ge=0, le=4)
    text: Text


class AxisRules(_Strict):
    name: Text
    weight: float = Field(ge=0)
    aggregate: Literal["max", "sum"] = "max"
    rules: list[Rule]
    clear: Text  # said when no rule applies


class ExitCriterion(_Strict):
    id: str
    when: str
    params: dict[str, Any] = Field(default_factory=dict)
    points: float = Field(ge=0, le=4)
    text: Text


class ExitRules(_Strict):
    criteria: list[ExitCriterion]
    people_on_exit: float = Field(default=1, gt=0)  # people working on an exit in parallel


class ExposureBlend(_Strict):
    """Overall exposure = max_weight × worst axis + (1 - max_weight) × weighted mean."""

    max_weight: float = Field(ge=0, le=1)


class Methodology(_Strict):
    souverain_methodology: Literal[1]
    id: str
    version: str
    name: Text
    exposure: ExposureBlend
    axes: dict[Axis, AxisRules]
    risk_matrix: dict[Gravity, Annotated[list[Level], Field(min_length=5, max_length=5)]]
    exit: ExitRules
    settings: dict[str, Any] = Field(default_factory=dict)

    @field_validator("axes")
    @classmethod
    def _every_axis(cls, axes: dict[Axis, AxisRules]) -> dict[Axis, AxisRules]:
        missing = [a for a in AXES if a not in axes]
        if missing:
            raise ValueError(f"expected every axis, missing {', '.join(missing)}")
        return axes

    @field_validator("risk_matrix")
    @classmethod
    def _full_matrix(cls, matrix: dict[Gravity, list[Level]]) -> dict[Gravity, list[Level]]:
        gaps = [g for g in GRAVITIES if g not in matrix]
        if gaps:
            raise ValueError(f"expected a risk-matrix row per gravity, missing {', '.join(gaps)}")
        return matrix

    def level(self, gravity: Gravity, exposure: int) -> Level:
        """The risk level of an exposure (0–4) at a gravity, from the matrix."""
        return self.risk_matrix[gravity][max(0, min(4, exposure))]
