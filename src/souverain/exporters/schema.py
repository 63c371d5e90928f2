"""JSON Schemas that souverain publishes: the estate, the audit output, the methodology."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from souverain.core.estate.model import Estate
from souverain.core.scoring.methodology import Methodology

Score = Field(ge=0, le=4)


class _Out(BaseModel):
    model_config = ConfigDict(extra="allow")


class FactOut(BaseModel):
    model_config = ConfigDict(extra="forbid")
    ref: str = Field(description="The estate field or catalog fact.")
    source: str | None = Field(description="Where a catalog fact comes from.")
    as_of: str | None = Field(description="When that source was read (YYYY-MM-DD).")


class ReasonOut(_Out):
    text: str
    rule: str
    score: float
    not_assessed: bool
    ref: str
    source: str | None
    as_of: str | None
    predicate: str | None = Field(
        description="The predicate of the rule that found it (the methodology's `when`); "
        "null for souverain's own reasons: an axis's clear text, the exit-duration verdicts."
    )
    evidence: list[FactOut] = Field(
        min_length=1,
        description="Every fact the reason used: a law reaching an owner cites the owner's "
        "country and each law; most reasons cite one fact, the same as ref, source, as_of.",
    )


class AxisOut(_Out):
    score: int = Score
    assessed_score: int | None = Field(
        None,
        ge=0,
        le=4,
        description="The axis's score on its assessed findings only (findings not assessed "
        "left out); the level is read from these. Absent from audits before souverain "
        "counted unknowns apart.",
    )
    reasons: list[ReasonOut] = Field(min_length=1)


class ExposureOut(BaseModel):
    model_config = ConfigDict(extra="forbid")
    jurisdiction: AxisOut
    data_control: AxisOut
    operations: AxisOut
    supply_chain: AxisOut
    lock_in: AxisOut
    contract: AxisOut
    skills: AxisOut


class ExitOut(_Out):
    readiness: int = Score
    can_exit_within_max_downtime: bool | None = Field(
        description="Whether leaving fits within the downtime the needing processes tolerate "
        "(plus, on premises, how long the asset keeps running once its licensor is lost); "
        "null when it cannot be told (no exit estimate, no max downtime), never false for "
        "want of an estimate."
    )
    time_to_exit: str | None
    max_downtime: str | None
    reasons: list[ReasonOut]


class SurvivabilityOut(_Out):
    """What the asset can do once its licensor or update channel is lost
    (docs/methodology.md, "Survivability")."""

    licensor: str | None = Field(
        description="Who licenses the technology: an estate provider id, or a catalog "
        "provider id that no estate provider stands for."
    )
    model: Literal["perpetual", "subscription", "open-source", "activation"] | None
    runs_for: str | None = Field(
        description="How long it keeps running (a duration); null when indefinitely or unknown."
    )
    runs_indefinitely: bool
    basis: Literal[
        "open-source", "perpetual", "subscription", "activation", "signatures", "unknown"
    ]
    stops_updating: list[Literal["signatures", "security", "features"]]
    updates_from: str | None
    sources: list[str]


class EntityOut(_Out):
    id: str
    name: str
    country: str | None
    depth: int = Field(
        0, description="Steps up from the provider; joint owners of one entity share a depth."
    )


class DependencyOut(_Out):
    rank: int
    asset: str
    name: str
    category: str | None
    provider: str | None
    provider_name: str | None
    owner_chain: list[EntityOut]
    gravity: Literal["vital", "important", "useful", "minor", "none"]
    gravity_process: str | None
    level: Literal["critical", "high", "medium", "low"] = Field(
        description="The risk matrix at the gravity and the exposure band, raised by "
        "findings not assessed to at most the methodology's unknown_cap."
    )
    provisional: bool = Field(
        False, description="Whether findings not assessed could raise the level."
    )
    level_if_confirmed: Literal["critical", "high", "medium", "low"] | None = Field(
        None,
        description="The level if every finding not assessed were confirmed at its rule's score.",
    )
    band: int | None = Field(
        None,
        ge=0,
        le=4,
        description="The exposure band, the risk matrix's column, read from the assessed "
        "axis scores (methodology.levels).",
    )
    coverage: float | None = Field(
        None,
        ge=0,
        le=1,
        description="The share of the axes' weight whose findings are all assessed.",
    )
    unknown_axes: list[str] = Field(
        default_factory=list, description="The axes with a finding not assessed."
    )
    exposure_score: float = Field(
        description="Overall exposure: max_weight × the worst axis + the rest × the weighted "
        "mean of the axes, findings not assessed included; it ranks dependencies of one "
        "level and enters the roadmap's risk total, it does not choose the level."
    )
    exposure: ExposureOut
    exit: ExitOut
    survivability: SurvivabilityOut | None = None


class SummaryOut(_Out):
    dependencies: int
    levels: dict[Literal["critical", "high", "medium", "low"], int]
    provisional: int = Field(0, description="Dependencies whose level is provisional.")
    levels_if_confirmed: dict[Literal["critical", "high", "medium", "low"], int] = Field(
        default_factory=dict,
        description="The levels' counts if every finding not assessed were confirmed.",
    )
    coverage: float | None = Field(None, ge=0, le=1, description="The dependencies' mean coverage.")
    unknowns: dict[str, int] = Field(
        default_factory=dict,
        description="Per axis, the dependencies with a finding not assessed on it.",
    )
    not_assessed: int
    cannot_exit_in_time: int
    exit_in_time_unknown: int = Field(
        0, description="Vital and important dependencies whose exit cannot be told to fit."
    )
    concentration: list[dict[str, Any]]
    single_points_of_failure: list[dict[str, Any]]
    dependence: list[dict[str, Any]]
    home_dependence: list[dict[str, Any]]
    nth_party_chains: list[dict[str, Any]]
    riskiest_chains: list[dict[str, Any]]


class LevelsOut(BaseModel):
    model_config = ConfigDict(extra="allow")
    main_weight: float
    other_cap: int
    lone: int
    unknown_cap: Literal["critical", "high", "medium", "low"]


class MethodologyOut(_Out):
    id: str
    version: str
    levels: LevelsOut | None = Field(
        None, description="How a level is read: the exposure band's cut-offs."
    )
    risk_matrix: dict[str, list[str]] | None = Field(
        None, description="Per gravity, the level at each exposure band 0–4."
    )


class AuditOut(_Out):
    """``souverain audit --format json``."""

    souverain: str
    methodology: MethodologyOut
    date: str
    lang: Literal["en", "fr"]
    organisation: dict[str, Any]
    summary: SummaryOut
    dependencies: list[DependencyOut]
    providers: list[dict[str, Any]]


_SCHEMAS: dict[str, type[BaseModel]] = {
    "estate": Estate,
    "audit": AuditOut,
    "methodology": Methodology,
}


def schema_for(kind: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of ``kind``: estate, audit or methodology."""
    model = _SCHEMAS[kind]
    schema = model.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://souverain.eu/schema/{kind}.json"
    return schema
