"""The estate: what one organisation depends on (docs/estate.md).

This shape is a contract shared with every importer and exporter.
Fields left out are *unknown*, never *safe*: every optional field defaults to
``None`` and the scoring engine reads ``None`` as "not assessed".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated, Any, Literal, get_args

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
from souverain.core.catalog.licences import LicenceError, nearest, normalise_licence
from souverain.core.estate.duration import DurationField
from souverain.core.estate.regimes import REGIME_IDS
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


def _regime(value: Any) -> str:
    """A regime id of :data:`souverain.core.estate.regimes.REGIMES`, or the nearest ones."""
    choices = ", ".join(REGIME_IDS)
    if isinstance(value, str) and value in REGIME_IDS:
        return value
    near = nearest(value, REGIME_IDS) if isinstance(value, str) else []
    if near:
        expected = phrase("expected-regime-nearest", nearest=", ".join(near), choices=choices)
    else:
        expected = phrase("expected-regime", choices=choices)
    raise _problem(expected, phrase("unknown-regime"))


RegimeId = Annotated[
    str,
    BeforeValidator(_regime),
    WithJsonSchema(
        {
            "type": "string",
            "enum": list(REGIME_IDS),
            "description": "A regulatory regime (docs/estate.md, Regimes).",
        }
    ),
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
    regimes: list[RegimeId] = Field(default_factory=list)


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
    kind: Literal["company", "community"] | None = None


class Location(_Entry):
    country: CountryCode | None = None
    region: Name | None = None


class Backup(_Entry):
    held_by: Holder | None = None
    offline_copy: bool | None = None
    last_restore_test: DateField | None = None
    # A copy kept away from the asset's site (another site, a vault): a site loss does
    # not lose the data (docs/scenarios.md). Unknown counts as no.
    off_site: bool | None = None


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


LicenceModel = Literal["perpetual", "subscription", "open-source", "activation"]
UpdateCriticality = Literal["signatures", "security", "features"]


class LicenceTerms(_Entry):
    """The terms under which the technology is licensed (docs/estate.md): they say how
    long it keeps running once its licensor stops dealing with the organisation."""

    model: LicenceModel | None = None
    ends: DateField | None = None
    licence_server: bool | None = None
    grace: DurationField | None = None
    escrow: bool | None = None
    # The last test of the escrow: its deposit verified (built from the deposited
    # source) and its release conditions checked (docs/estate.md).
    escrow_tested: DateField | None = None


class Updates(_Entry):
    """Where the asset's updates come from, and what they carry."""

    source: Id | None = Field(default=None, alias="from")
    automatic: bool | None = None
    criticality: UpdateCriticality | None = None


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
    # Regimes covering this asset's data (health data: hds; data of particular
    # sensitivity of the State: secnumcloud), beyond those of the whole organisation.
    regimes: list[RegimeId] = Field(default_factory=list)
    licensor: Id | None = None
    licence_terms: LicenceTerms | None = None
    updates: Updates | None = None


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


Mechanism = Literal["adequacy", "dpf", "scc", "bcr", "derogation-49", "none"]
"""The legal basis of a transfer outside the EEA (GDPR Chapter V): an adequacy
decision (Art. 45), the EU-US Data Privacy Framework (a certified recipient),
standard contractual clauses or binding corporate rules (Art. 46-47), a derogation
of Art. 49; ``none`` when the organisation knows there is none (left out: not
documented, which is not the same)."""
MECHANISMS: tuple[str, ...] = get_args(Mechanism)
# The usual names of each mechanism, as older estates wrote them (case ignored).
_MECHANISM_NAMES = {
    **{m: m for m in MECHANISMS},
    "adequacy decision": "adequacy",
    "art. 45": "adequacy",
    "data privacy framework": "dpf",
    "eu-us dpf": "dpf",
    "eu-us data privacy framework": "dpf",
    "sccs": "scc",
    "standard contractual clauses": "scc",
    "clauses contractuelles types": "scc",
    "cct": "scc",
    "bcrs": "bcr",
    "binding corporate rules": "bcr",
    "règles d'entreprise contraignantes": "bcr",
    "derogation": "derogation-49",
    "art. 49": "derogation-49",
    "article 49": "derogation-49",
}


def _mechanism(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    known = _MECHANISM_NAMES.get(" ".join(value.split()).casefold())
    if known:
        return known
    near = nearest(value, MECHANISMS) or list(MECHANISMS)
    raise _problem(
        phrase("expected-mechanism-nearest", value=repr(value), nearest=", ".join(near)),
        phrase("unknown-mechanism"),
    )


class Transfer(_Entry):
    """Personal data sent outside the EEA: where, on which basis, and whether a
    transfer impact assessment (Schrems II, EDPB Recommendations 01/2020) was made."""

    country: CountryCode
    mechanism: Annotated[Mechanism, BeforeValidator(_mechanism)] | None = Field(
        default=None,
        description=(
            "The transfer's legal basis; case is ignored and usual names are read as "
            "these (SCC, Standard Contractual Clauses, binding corporate rules, Art. 49…)."
        ),
    )
    tia: bool | None = Field(
        default=None, description="Whether a transfer impact assessment was made."
    )
    via: list[Id] | None = Field(
        default=None,
        description=(
            "The assets of the record through which the data leaves (whose provider, "
            "host or recipient receives it in the country); left out, souverain finds "
            "them from the record's assets, and says when it cannot."
        ),
    )


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
