"""Predicates of the lock-in axis."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from souverain.core.catalog.licences import PROPRIETARY, is_open_licence, is_source_available
from souverain.core.scoring.context import Evidence, View
from souverain.core.scoring.rules.base import Finding, names, predicate, software_open, unknown
from souverain.core.vocabulary import NO_SOFTWARE

# Deployments where the organisation runs the software itself and so holds its data
# stores: on its servers, on a cloud platform it administers, on its devices.
RUN_BY_ORGANISATION = frozenset(("on-premise", "public-cloud", "private-cloud", "device"))


@predicate()
def licence_proprietary(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """The software is under a proprietary licence."""
    licence, evidence = view.licence
    return [Finding({}, evidence)] if licence == PROPRIETARY else []


@predicate(fields=("licence",))
def licence_open(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """The software is under an open-source licence (an SPDX expression that is not
    source-available only)."""
    licence, evidence = view.licence
    if licence is None or not is_open_licence(licence):
        return []
    return [Finding({"licence": licence}, evidence)]


@predicate(fields=("licence",))
def licence_source_available(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """The code is published under a source-available licence (BUSL, SSPL, Elastic
    License...): its vendor restricts its use and alone decides its terms."""
    licence, evidence = view.licence
    if licence is None or not is_source_available(licence):
        return []
    return [Finding({"licence": licence}, evidence)]


@predicate()
def licence_unknown(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """The licence is not given and the catalog does not know it (not for a link or a
    site: they are not software)."""
    if view.category is not None and view.category.id == "site":
        return []
    if view.deployment in NO_SOFTWARE:
        return []
    licence, evidence = view.licence
    return [] if licence else unknown(evidence.ref)


def _exports(view: View) -> tuple[list[str] | None, Evidence]:
    if view.asset.exports is not None:
        return view.asset.exports, Evidence(view.field("exports"))
    if view.product and view.product.exports:
        return view.product.exports.value, Evidence.of_fact(
            f"catalog product {view.product.id}: exports", view.product.exports
        )
    return None, Evidence(view.field("exports"))


def _open_formats(view: View, formats: list[str]) -> list[str]:
    out = []
    for name in formats:
        standard = view.catalog.standard(name)
        if standard is not None and standard.open.value:
            out.append(name)
    return out


def _standard_formats(view: View) -> tuple[list[str], Evidence | None]:
    """The open file formats (catalog standards of type ``format``) the asset's product
    reads and writes, by name, with the evidence of the product's ``standards``."""
    product = view.product
    if product is None or product.standards is None:
        return [], None
    found = []
    for ident in product.standards.value:
        standard = view.catalog.standard(ident)
        if standard is not None and standard.type == "format" and standard.open.value:
            found.append(standard.id)
    evidence = Evidence.of_fact(f"catalog product {product.id}: standards", product.standards)
    return found, evidence


def _readable_in_house(view: View) -> bool:
    """Whether the organisation runs open software itself: its data lies in stores it
    administers, in a format the open code documents, export feature or not."""
    if view.deployment not in RUN_BY_ORGANISATION:
        return False
    return software_open(view) is True


@predicate()
def no_export(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """Data cannot be taken out at all (an empty ``exports`` list); not for open
    software the organisation runs itself (see :func:`own_data_open_code`)."""
    if view.holds_data is False or _readable_in_house(view) or _standard_formats(view)[0]:
        return []
    formats, evidence = _exports(view)
    return [Finding({}, evidence)] if formats == [] else []


@predicate(fields=("formats",))
def exports_closed_only(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """Data can be exported, but in no open format the catalog knows (not for open
    software the organisation runs itself, nor for a product working in open formats)."""
    if view.holds_data is False or _readable_in_house(view) or _standard_formats(view)[0]:
        return []
    formats, evidence = _exports(view)
    if not formats or _open_formats(view, formats):
        return []
    return [Finding({"formats": names(formats)}, evidence)]


@predicate(fields=("licence",))
def own_data_open_code(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """No open export is listed, but the software is open and the organisation runs
    it: the data lies in its own stores, readable with the open code."""
    if view.holds_data is False or not _readable_in_house(view):
        return []
    formats, evidence = _exports(view)
    if formats is None or _open_formats(view, formats):
        return []
    licence, licence_evidence = view.licence
    return [
        Finding(
            {"licence": str(licence)},
            evidence,
            cited=(evidence, licence_evidence, Evidence(view.field("deployment"))),
        )
    ]


@predicate(fields=("product", "standards"))
def works_in_open_formats(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """No open export is listed, but the product reads and writes open file formats
    (its catalog ``standards``): its data can be saved in them, item by item. Not for
    open software the organisation runs itself (:func:`own_data_open_code`)."""
    if view.holds_data is False or _readable_in_house(view):
        return []
    formats, evidence = _exports(view)
    if formats is None or _open_formats(view, formats):
        return []
    standards, standards_evidence = _standard_formats(view)
    if not standards or standards_evidence is None or view.product is None:
        return []
    return [
        Finding(
            {"product": view.product.name, "standards": names(standards)},
            standards_evidence,
            cited=(evidence, standards_evidence),
        )
    ]


@predicate(fields=("formats",))
def exports_open(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """Data can be exported in at least one open format."""
    formats, evidence = _exports(view)
    open_ones = _open_formats(view, formats or [])
    return [Finding({"formats": names(open_ones)}, evidence)] if open_ones else []


@predicate()
def exports_unknown(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """The asset may hold data, but its export formats are not known."""
    if view.holds_data is False:
        return []
    formats, evidence = _exports(view)
    return unknown(evidence.ref) if formats is None else []


@predicate(fields=("product",))
def saas_not_self_hostable(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """Offered only as a service: the catalog says it cannot be self-hosted."""
    product = view.product
    if product is None or product.self_hostable is None or product.self_hostable.value:
        return []
    if view.deployment not in ("saas", None):
        return []
    return [
        Finding(
            {"product": product.name},
            Evidence.of_fact(f"catalog product {product.id}: self_hostable", product.self_hostable),
        )
    ]
