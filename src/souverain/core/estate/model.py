"""The estate: what one organisation depends on (docs/estate.md).

This shape is a contract shared with every importer and exporter.
Fields left out are *unknown*, never *safe*: every optional field defaults to
``None`` and the scoring engine reads ``None`` as "not assessed".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from souverain.core.catalog.licences import EXPECTED as LICENCE_EXPECTED
from souverain.core.catalog.licences import LicenceError, normalise_licence
from souverain.core.estate.duration import DurationField
from souverain.core.limits import (
    MAX_DESCRIPTION_CHARS,
    MAX_EFFORT_DAYS,
    MAX_GROUP_MEMBERS,
    MAX_NAME_CHARS,
    MAX_NOTICE_DAYS,
    MAX_NOTIFICATION_HOURS,
    MIN_ESTATE_DATE,
)
from souverain.core.phrase import Phrase, phrase
from souverain.core.vocabulary import Criticality, Deployment, Mastery, Sensitivity

Id = Annotated[
    str,
    StringConstraints(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9][A-Za-z0-9._:/@-]*$"),
]
CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
Name = Annotated[str, StringConstraints(max_length=MAX_NAME_CHARS)]
"""A short text: a name, a category, a kind of data."""
Description = Annotated[str, StringConstraints(max_length=MAX_DESCRIPTION_CHARS)]
"""Free text, a few pages at most."""


def _problem(expected: Phrase, title: Phrase | None = None) -> PydanticCustomError:
    """A validation error whose problem reads ``title — expected: …`` (see validation)."""
    title = title or phrase("wrong-value")
    return PydanticCustomError(
        "souverain", "{title}: expected {expected}", {"title": title, "expected": expected}
    )


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _date(value: Any) -> date:
    """A YAML date or an ISO 8601 text; never a number (``0`` is not 1970-01-01)."""
    if isinstance(value, date) and not isinstance(value, datetime):
        day = value
    elif isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            day = date.fromisoformat(value)
        except ValueError:
            raise _problem(phrase("expected-existing-date")) from None
    else:
        raise _problem(phrase("expected-estate-date"))
    if day < MIN_ESTATE_DATE:
        low = MIN_ESTATE_DATE.isoformat()
        raise _problem(phrase("expected-date-from", low=low, high="9999-12-31"))
    return day


def iso_date(value: Any) -> date | None:
    """``value`` as an estate date, or None if it is not one (see :data:`DateField`)."""
    try:
        return _date(value)
    except PydanticCustomError:
        return None


DateField = Annotated[
    date,
    BeforeValidator(_date),
    WithJsonSchema(
        {
            "type": "string",
            "format": "date",
            "pattern": r"^\d{4}-\d{2}-\d{2}$",
            "description": f"An ISO 8601 date (YYYY-MM-DD) from {MIN_ESTATE_DATE.isoformat()} "
            "to 9999-12-31; a YAML date too, never a number.",
        }
    ),
]


def _bounded(expected: Phrase, low: int, high: int, whole: bool) -> Callable[[Any], Any]:
    """A check that a value is a number (not a boolean, not a text) within bounds."""

    def check(value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _problem(expected)
        if not low <= value <= high:  # NaN and infinities fail too
            raise _problem(expected)
        if whole:
            if isinstance(value, float) and not value.is_integer():
                raise _problem(expected)
            return int(value)
        return float(value)

    return check


EffortDays = Annotated[
    float,
    Field(ge=0, le=MAX_EFFORT_DAYS, description=f"Person-days, from 0 to {MAX_EFFORT_DAYS}."),
    BeforeValidator(
        _bounded(
            phrase("expected-person-days", low=0, high=MAX_EFFORT_DAYS),
            0,
            MAX_EFFORT_DAYS,
            whole=False,
        )
    ),
]
NoticeDays = Annotated[
    int,
    Field(ge=0, le=MAX_NOTICE_DAYS, description=f"Days, from 0 to {MAX_NOTICE_DAYS}."),
    BeforeValidator(
        _bounded(
            phrase("expected-whole-days", low=0, high=MAX_NOTICE_DAYS),
            0,
            MAX_NOTICE_DAYS,
            whole=True,
        )
    ),
]
NotificationHours = Annotated[
    int,
    Field(
        ge=0, le=MAX_NOTIFICATION_HOURS, description=f"Hours, from 0 to {MAX_NOTIFICATION_HOURS}."
    ),
    BeforeValidator(
        _bounded(
            phrase("expected-whole-hours", low=0, high=MAX_NOTIFICATION_HOURS),
            0,
            MAX_NOTIFICATION_HOURS,
            whole=True,
        )
    ),
]


def _licence(value: str) -> str:
    try:
        return normalise_licence(value)
    except LicenceError as error:
        raise _problem(error.expected, error.title) from None


Licence = Annotated[
    Name,
    AfterValidator(_licence),
    Field(description=f"{LICENCE_EXPECTED[0].upper()}{LICENCE_EXPECTED[1:]}; case is ignored."),
]

Holder = Literal["organisation", "provider", "third-party"]


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AnyOf(_Entry):
    """A redundancy group: holds while one member holds."""

    any_of: list[Id] = Field(min_length=2, max_length=MAX_GROUP_MEMBERS)


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
    name: Name = Field(min_length=1)
    country: CountryCode | None = None
    sector: Name | None = None
    regimes: list[Name] = Field(default_factory=list)


class Process(_Entry):
    """A business function; gravity flows from its criticality."""

    id: Id
    name: Name | None = None
    criticality: Criticality
    max_downtime: DurationField | None = None
    depends_on: list[Requirement] = Field(default_factory=list)
    description: Description | None = None


class Provider(_Entry):
    """A legal entity. ``catalog`` links it to the knowledge base."""

    id: Id
    name: Name | None = None
    catalog: Id | None = None
    country: CountryCode | None = None
    owner: Id | None = None
    subcontractors: list[Id] = Field(default_factory=list)


class Location(_Entry):
    country: CountryCode | None = None
    region: Name | None = None


class Backup(_Entry):
    held_by: Holder | None = None
    offline_copy: bool | None = None
    last_restore_test: DateField | None = None


class Continuity(_Entry):
    rto: DurationField | None = None
    rpo: DurationField | None = None
    last_failover_test: DateField | None = None
    backup: Backup | None = None


class Encryption(_Entry):
    keys_held_by: Holder | None = None


class Exit(_Entry):
    alternative: Name | None = None
    export_tested: DateField | None = None
    effort_days: EffortDays | None = None
    duration: DurationField | None = None


class Asset(_Entry):
    """An application, SaaS, cloud service, infrastructure, device or site."""

    id: Id
    name: Name | None = None
    category: Name | None = None
    product: Id | None = None
    provider: Id | None = None
    deployment: Deployment | None = None
    location: Location | None = None
    data: list[Name] | None = None
    exports: list[Name] | None = None
    licence: Licence | None = None
    contract: Id | None = None
    continuity: Continuity | None = None
    skills: Mastery | None = None
    encryption: Encryption | None = None
    exit: Exit | None = None
    depends_on: list[Requirement] = Field(default_factory=list)
    # The assets this one keeps copies of (a backup, a recovery site): it takes their
    # gravity and holds their data.
    protects: list[Id] = Field(default_factory=list)
    description: Description | None = None


class DataKind(_Entry):
    """A kind of data named in assets' ``data`` lists, and how sensitive it is."""

    id: Name = Field(min_length=1)
    name: Name | None = None
    sensitivity: list[Sensitivity] | None = None


class Clauses(_Entry):
    eu_hosting: bool | None = None
    data_portability: bool | None = None
    exit_assistance: bool | None = None
    termination_notice_days: NoticeDays | None = None
    subprocessor_approval: bool | None = None
    audit_rights: bool | None = None
    incident_notification_hours: NotificationHours | None = None
    price_protection: bool | None = None


class Contract(_Entry):
    id: Id
    provider: Id
    starts: DateField | None = None
    ends: DateField | None = None
    clauses: Clauses | None = None


class Transfer(_Entry):
    country: CountryCode
    mechanism: Name | None = None


class ProcessingRecord(_Entry):
    """A GDPR Art. 30 record of processing."""

    id: Id
    purpose: Description
    legal_basis: Name | None = None
    data_subjects: list[Name] = Field(default_factory=list)
    personal_data: list[Name] = Field(default_factory=list)
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
    data: list[DataKind] = Field(default_factory=list)


def requirement_ids(requirements: list[Requirement]) -> list[str]:
    """Every id named by a ``depends_on`` list, groups flattened."""
    out: list[str] = []
    for requirement in requirements:
        if isinstance(requirement, AnyOf):
            out.extend(requirement.any_of)
        else:
            out.append(requirement)
    return out
