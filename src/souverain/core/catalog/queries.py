"""What the planning asks of the catalog about a product: is it open source, is it
European, can the organisation run it itself. One definition each, used alike by the
exit plans and the roadmap.

Each answers ``True``, ``False`` or ``None``: ``None`` is "the catalog does not say",
never "no". Callers that must decide (the roadmap tries only alternatives known to be
open or European) compare with ``is True``.
"""

from __future__ import annotations

from souverain.core.catalog.licences import is_open_licence
from souverain.core.catalog.model import Catalog, Product


def is_open_source(product: Product) -> bool | None:
    """Whether the catalog gives the product an open-source licence (not a
    source-available one); None: unknown."""
    return None if product.licence is None else is_open_licence(product.licence.value)


def is_european(catalog: Catalog, provider_id: str) -> bool | None:
    """Whether every entity of the provider's owner chain is in the EU or the EEA.

    False as soon as one is outside (a European subsidiary of a foreign group is not
    European); None when the chain is unknown or one of its countries is.
    """
    chain = catalog.owner_chain(provider_id)
    verdict: bool | None = True if chain else None
    for entity in chain:
        country = entity.country.value if entity.country else None
        jurisdiction = catalog.jurisdictions.get(country) if country else None
        if jurisdiction is None:
            verdict = None
        elif not (jurisdiction.eu.value or jurisdiction.eea.value):
            return False
    return verdict


def is_self_hostable(product: Product) -> bool | None:
    """Whether the organisation can run the product itself: the catalog's
    ``self_hostable`` fact; without it, whether one of its deployments is on the
    premises; None when the catalog records neither."""
    if product.self_hostable is not None:
        return product.self_hostable.value
    deployments = set(product.deployments.value) if product.deployments else set()
    return "on-premise" in deployments if deployments else None
