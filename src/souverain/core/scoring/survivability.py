"""How long an asset keeps running once its licensor or its update channel is lost
(docs/methodology.md, "Survivability"; docs/scenarios.md).

The licensor is whoever licenses the technology (``assets[].licensor``, else the
catalog product's ``licensor``, else the asset's provider): it can stop the licence and
the updates even when someone else operates the asset (a joint venture running another
company's software under licence). What the asset can do without it follows its licence
terms (the asset's fields override the product's, one by one):

- ``open-source``: the code cannot be revoked; it runs indefinitely (its risk is the
  project's governance, not a cut-off); the licensor's own updates stop;
- ``perpetual``: runs indefinitely, unpatched;
- ``subscription``: runs until the subscription ends (``licence_terms.ends``, else the
  asset's contract's ``ends``), unknown without an end date;
- ``activation`` or ``licence_server: true``: runs for its ``grace`` (how long it works
  without reaching its activation or licence server), unknown without one;
- updates whose ``criticality`` is ``signatures`` (antivirus, EDR, IDS) lose their value
  within :data:`SIGNATURE_DAYS` days: the protection lapses then, whatever the licence.

Nothing known gives an unknown survivability (never "safe"): the asset keeps running
without its updates, and whether it stops at all is unknown (:attr:`Survivability.
stops_unknown`) — the simulation leaves it unpatched and says whether an outage exceeds
a max downtime is unknown, rather than inventing a date. Terms that do stop it
(subscription, activation) with no date or grace given stop it at an unknown date: the
simulation then uses its default grace period.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal, TypeVar

from souverain.core.catalog.licences import is_open_licence
from souverain.core.catalog.model import Catalog, Product
from souverain.core.catalog.sourced import Fact
from souverain.core.estate.duration import Duration
from souverain.core.estate.model import Asset, Contract, LicenceTerms, Updates
from souverain.core.scoring.context import Evidence, Resolver, licence_of

M = TypeVar("M", LicenceTerms, Updates)

# Security signatures (antivirus, EDR, IDS rules) without updates: new threats go
# undetected within days (ANSSI and BSI guidance count signature freshness in hours).
SIGNATURE_DAYS = 7

Basis = Literal["open-source", "perpetual", "subscription", "activation", "signatures", "unknown"]


@dataclass(frozen=True)
class Licensor:
    """Who licenses an asset's technology: an estate provider id (``estate``) or a
    catalog provider id that no estate provider stands for."""

    id: str
    estate: bool
    source: str  # where it was read: "assets[ID].licensor", "catalog product ID: licensor"


@dataclass(frozen=True)
class Survivability:
    """What an asset can do once its licensor or update channel is lost."""

    licensor: Licensor | None
    model: str | None
    runs: Duration | None  # how long it keeps running; None: indefinitely or unknown
    indefinitely: bool
    basis: Basis
    stops: tuple[str, ...]  # what is no longer updated: signatures, security, features
    update_source: str | None
    sources: tuple[Evidence, ...]  # the fields read, for the reasons' evidence

    @property
    def stops_unknown(self) -> bool:
        """Whether it stops at all is unknown: no licence terms, no open licence, no
        signatures are known. It keeps running unpatched for as long as anyone knows."""
        return self.basis == "unknown"

    @property
    def hours(self) -> float | None:
        """Hours it keeps running: ``inf`` indefinitely, None when unknown."""
        if self.indefinitely:
            return float("inf")
        return None if self.runs is None else self.runs.seconds / 3600

    def document(self) -> dict[str, object]:
        """The audit JSON's ``survivability`` object (exporters/schema.py)."""
        return {
            "licensor": self.licensor.id if self.licensor else None,
            "model": self.model,
            "runs_for": None if self.runs is None else str(self.runs),
            "runs_indefinitely": self.indefinitely,
            "basis": self.basis,
            "stops_updating": list(self.stops),
            "updates_from": self.update_source,
            "sources": [e.ref for e in self.sources],
        }


def _merged(
    name: str,
    own: M | None,
    base: Fact[M] | None,
    asset: Asset,
    product: Product | None,
    sources: list[Evidence],
) -> M | None:
    """The asset's ``name`` (licence terms, updates) over the product's, field by
    field; the facts used added to ``sources``."""
    if base is not None and product is not None:
        sources.append(Evidence.of_fact(f"catalog product {product.id}: {name}", base))
    if own is not None:
        sources.append(Evidence(f"assets[{asset.id}].{name}"))
    if base is None:
        return own
    if own is None:
        return base.value
    fields = {k: v for k, v in own.model_dump().items() if v is not None}
    return base.value.model_copy(update=fields)


def licence_terms_of(
    asset: Asset, product: Product | None
) -> tuple[LicenceTerms | None, tuple[Evidence, ...]]:
    """The asset's licence terms over its catalog product's, field by field, with the
    facts read."""
    sources: list[Evidence] = []
    base = product.licence_terms if product else None
    terms = _merged("licence_terms", asset.licence_terms, base, asset, product, sources)
    return terms, tuple(sources)


def stand_ins(resolver: Resolver) -> dict[str, str]:
    """Catalog provider ids (and estate ids) → the estate provider standing for each:
    the one linked to it (``catalog:``), or with the same id. Worked out once per
    resolver (kept in its cache of shared findings)."""
    key = (("licensor-stand-ins",), "")
    found = resolver.findings.get(key)
    if found is None:
        out: dict[str, str] = {}
        for provider in resolver.providers.values():
            if provider.catalog:
                out.setdefault(provider.catalog, provider.id)
        out.update({ident: ident for ident in resolver.providers})
        found = resolver.findings[key] = [out]
    table: dict[str, str] = found[0]
    return table


def licensor_of(asset: Asset, catalog: Catalog, estate_ids: dict[str, str]) -> Licensor | None:
    """The asset's licensor, as an estate provider when one stands for it.

    ``estate_ids`` maps catalog provider ids (and estate ids) to the estate provider
    that stands for them (its ``catalog:`` link, or the same id)."""
    if asset.licensor:
        return Licensor(asset.licensor, True, f"assets[{asset.id}].licensor")
    product = catalog.products.get(asset.product) if asset.product else None
    if product is not None and product.licensor is not None:
        ident = product.licensor.value
        source = f"catalog product {product.id}: licensor"
        if ident in estate_ids:
            return Licensor(estate_ids[ident], True, source)
        return Licensor(ident, False, source)
    if asset.provider:
        return Licensor(asset.provider, True, f"assets[{asset.id}].provider")
    return None


def _open_licence(asset: Asset, product: Product | None) -> Evidence | None:
    """The fact that the asset's software is under an open-source licence, if it is."""
    licence, fact = licence_of(asset, product)
    return fact if licence is not None and is_open_licence(licence) else None


def survivability(
    asset: Asset,
    catalog: Catalog,
    today: date,
    contract: Contract | None = None,
    estate_ids: dict[str, str] | None = None,
) -> Survivability:
    """What ``asset`` can do once its licensor or update channel is lost, on ``today``."""
    product = catalog.products.get(asset.product) if asset.product else None
    sources: list[Evidence] = []
    terms = _merged(
        "licence_terms",
        asset.licence_terms,
        product.licence_terms if product else None,
        asset,
        product,
        sources,
    )
    updates = _merged(
        "updates", asset.updates, product.updates if product else None, asset, product, sources
    )
    licensor = licensor_of(asset, catalog, estate_ids or {})
    model = terms.model if terms else None
    runs: Duration | None = None
    indefinitely = False
    basis: Basis = "unknown"
    if terms is not None and (model == "activation" or terms.licence_server):
        basis = "activation"
        runs = terms.grace
    elif model == "open-source":
        basis, indefinitely = "open-source", True
    elif model == "perpetual":
        basis, indefinitely = "perpetual", True
    elif model is None and (licence := _open_licence(asset, product)) is not None:
        # No licence terms given, but an open-source licence (the estate's, else the
        # catalog product's): open code keeps running whoever is lost.
        basis, indefinitely = "open-source", True
        sources.append(licence)
    elif model == "subscription":
        basis = "subscription"
        ends = terms.ends if terms else None
        if ends is None and contract is not None and contract.ends is not None:
            ends = contract.ends
            sources.append(Evidence(f"contracts[{contract.id}].ends"))
        if ends is not None:
            runs = Duration.of_days(max(0, (ends - today).days))
    stops: tuple[str, ...] = ()
    source = None
    if updates is not None:
        source = updates.source
        if updates.criticality:
            stops = (updates.criticality,)
        if updates.criticality == "signatures":
            lapse = Duration.of_days(SIGNATURE_DAYS)
            if indefinitely or runs is None or runs > lapse:
                basis, runs, indefinitely = "signatures", lapse, False
    return Survivability(licensor, model, runs, indefinitely, basis, stops, source, tuple(sources))
