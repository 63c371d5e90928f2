"""Predicates of the lock-in axis."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from souverain.core.scoring.context import Evidence, View
from souverain.core.scoring.rules.base import Finding, names, predicate, unknown


def _licence(view: View) -> tuple[str | None, Evidence]:
    if view.asset.licence:
        return view.asset.licence, Evidence(view.field("licence"))
    if view.product and view.product.licence:
        return view.product.licence.value, Evidence.of_fact(
            f"catalog product {view.product.id}: licence", view.product.licence
        )
    return None, Evidence(view.field("licence"))


@predicate()
def licence_proprietary(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """The software is under a proprietary licence."""
    licence, evidence = _licence(view)
    return [Finding({}, evidence)] if licence == "proprietary" else []


@predicate(fields=("licence",))
def licence_open(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """The software is under an open-source licence (an SPDX id)."""
    licence, evidence = _licence(view)
    return [Finding({"licence": licence}, evidence)] if licence and licence != "proprietary" else []


@predicate()
def licence_unknown(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """The licence is not given and the catalog does not know it."""
    if view.category is not None and view.category.id == "site":
        return []
    licence, evidence = _licence(view)
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


@predicate()
def no_export(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """Data cannot be taken out at all (an empty ``exports`` list)."""
    if view.holds_data is False:
        return []
    formats, evidence = _exports(view)
    return [Finding({}, evidence)] if formats == [] else []


@predicate(fields=("formats",))
def exports_closed_only(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """Data can be exported, but in no open format the catalog knows."""
    if view.holds_data is False:
        return []
    formats, evidence = _exports(view)
    if not formats or _open_formats(view, formats):
        return []
    return [Finding({"formats": names(formats)}, evidence)]


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
