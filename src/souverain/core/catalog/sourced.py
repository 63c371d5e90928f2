"""Sourced facts of the catalog (docs/catalog.md): provenance, a value with its
provenance, and the sourced lists a provider or an offer carries — certifications of
an offer, designations of an entity."""

from __future__ import annotations

from datetime import date
from typing import Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")


class Sourced(BaseModel):
    """Provenance of a fact: where it comes from and when it was last checked."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: str = Field(min_length=1)
    as_of: date


class Fact(Sourced, Generic[T]):
    """A value with its provenance."""

    value: T


CertificationStatus = Literal["qualified", "in-progress", "expired", "not-held"]


class Certification(Sourced):
    """A certification or qualification of one offer (docs/catalog.md).

    ``status``: ``qualified`` (certified or qualified: the certificate is valid),
    ``in-progress`` (a candidate: application filed or audit under way, not a
    certificate), ``expired`` (withdrawn, suspended or lapsed), ``not-held`` (the
    scheme's official register, read on ``as_of`` — the ``source`` —, does not list the
    offer: a stated absence, unlike a scheme the catalog does not list at all, which is
    unknown). ``until``: the end of the certificate's validity; past it, a
    ``qualified`` certificate is expired.
    Entries written before ``status`` existed listed certificates held: the default.
    """

    scheme: str
    status: CertificationStatus = "qualified"
    since: date | None = None
    until: date | None = None
    scope: str | None = None

    def status_on(self, today: date) -> CertificationStatus:
        """The status on ``today``: a qualified certificate past its ``until`` is expired."""
        if self.status == "qualified" and self.until is not None and self.until < today:
            return "expired"
        return self.status


DesignationList = Literal[
    "fcc-covered-list",
    "bis-entity-list",
    "ofac-sdn",
    "eu-restrictive-measures",
    "national-warning",
]


class Designation(Sourced):
    """An official list naming an entity as a sanctions target or a high-risk vendor.

    Written ``{list, authority, since, scope, source, as_of}``; it reaches the
    entity's subsidiaries too, through the owner chain (docs/catalog.md).
    """

    model_config = ConfigDict(extra="forbid", frozen=True, serialize_by_alias=True)

    listed_on: DesignationList = Field(alias="list")
    authority: str = Field(min_length=1)
    since: date | None = None
    scope: str | None = None
