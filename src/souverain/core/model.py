"""The estate: what one organisation depends on (DESIGN.md §3).

This shape is a contract shared with every importer, exporter and the web app.
Fields left out are *unknown*, never *safe*: every optional field defaults to
``None`` and the scoring engine reads ``None`` as "not assessed".
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, StringConstraints, Tag

from souverain.core.duration import DurationField

Id = Annotated[
    str,
    StringConstraints(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9][A-Za-z0-9._:/@-]*$"),
]
CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]

Criticality = Literal["vital", "important", "useful", "minor"]
CRITICALITIES: tuple[Criticality, ...] = ("vital", "important", "useful", "minor")
Deployment = Literal["saas", "public-cloud", "private-cloud", "on-premise"]
Mastery = Literal["none", "low", "medium", "high"]
Holder = Literal["organisation", "provider", "third-party"]


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AnyOf(_Entry):
    """A redundancy group: holds while one member holds."""

    any_of: list[Id] = Field(min_length=2)


def _requirement_kind(value: object) -> str:
    if isinstance(value, dict | AnyOf):
        return GROUP_TAG
    return REF_TAG


# Tags name the two shapes of a requirement; validation paths skip them.
REF_TAG = "<id>"
GROUP_TAG = "<any_of>"
Requirement = Annotated[
    Annotated[Id, Tag(REF_TAG)] | Annotated[AnyOf, Tag(GROUP_TAG)],
    Discriminator(_requirement_kind),
]


class Organisation(_Entry):
    name: str = Field(min_length=1)
    country: CountryCode | None = None
    sector: str | None = None
    regimes: list[str] = Field(default_factory=list)


class Process(_Entry):
    """A business function; gravity flows from its criticality."""

    id: Id
    name: str | None = None
    criticality: Criticality
    max_downtime: DurationField | None = None
    depends_on: list[Requirement] = Field(default_factory=list)
    description: str | None = None


class Provider(_Entry):
    """A legal entity. ``catalog`` links it to the knowledge base."""

    id: Id
    name: str | None = None
    catalog: Id | None = None
    country: CountryCode | None = None
    owner: Id | None = None
    subcontractors: list[Id] = Field(default_factory=list)


class Location(_Entry):
    country: CountryCode | None = None
    region: str | None = None


class Backup(_Entry):
    held_by: Holder | None = None
    offline_copy: bool | None = None
    last_restore_test: date | None = None


class Continuity(_Entry):
    rto: DurationField | None = None
    rpo: DurationField | None = None
    last_failover_test: date | None = None
    backup: Backup | None = None


class Encryption(_Entry):
    keys_held_by: Holder | None = None


class Exit(_Entry):
    alternative: str | None = None
    export_tested: date | None = None
    effort_days: float | None = Field(default=None, ge=0)
    duration: DurationField | None = None


class Asset(_Entry):
    """An application, SaaS, cloud service, infrastructure, device or site."""

    id: Id
    name: str | None = None
    category: str | None = None
    product: Id | None = None
    provider: Id | None = None
    deployment: Deployment | None = None
    location: Location | None = None
    data: list[str] | None = None
    exports: list[str] | None = None
    licence: str | None = None
    contract: Id | None = None
    continuity: Continuity | None = None
    skills: Mastery | None = None
    encryption: Encryption | None = None
    exit: Exit | None = None
    depends_on: list[Requirement] = Field(default_factory=list)
    description: str | None = None


class Clauses(_Entry):
    eu_hosting: bool | None = None
    data_portability: bool | None = None
    exit_assistance: bool | None = None
    termination_notice_days: int | None = Field(default=None, ge=0)
    subprocessor_approval: bool | None = None
    audit_rights: bool | None = None
    incident_notification_hours: int | None = Field(default=None, ge=0)
    price_protection: bool | None = None


class Contract(_Entry):
    id: Id
    provider: Id
    starts: date | None = None
    ends: date | None = None
    clauses: Clauses | None = None


class Transfer(_Entry):
    country: CountryCode
    mechanism: str | None = None


class ProcessingRecord(_Entry):
    """A GDPR Art. 30 record of processing."""

    id: Id
    purpose: str
    legal_basis: str | None = None
    data_subjects: list[str] = Field(default_factory=list)
    personal_data: list[str] = Field(default_factory=list)
    assets: list[Id] = Field(default_factory=list)
    transfers: list[Transfer] = Field(default_factory=list)


class Estate(_Entry):
    """One organisation's inventory, format version 1."""

    souverain: Literal[1]
    organisation: Organisation
    processes: list[Process] = Field(default_factory=list)
    providers: list[Provider] = Field(default_factory=list)
    assets: list[Asset] = Field(default_factory=list)
    contracts: list[Contract] = Field(default_factory=list)
    processing: list[ProcessingRecord] = Field(default_factory=list)


def requirement_ids(requirements: list[Requirement]) -> list[str]:
    """Every id named by a ``depends_on`` list, groups flattened."""
    out: list[str] = []
    for requirement in requirements:
        if isinstance(requirement, AnyOf):
            out.extend(requirement.any_of)
        else:
            out.append(requirement)
    return out
