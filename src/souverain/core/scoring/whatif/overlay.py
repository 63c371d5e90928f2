"""Edits of an estate, looked up without copying it.

:class:`Edit` holds replaced assets, replaced or added contracts and added providers;
:class:`Overlay` looks assets, contracts and providers up through an edit first, over
an :class:`EstateIndex` built once. :func:`edit_between` turns two estates into an edit,
for callers that hold a changed estate; :func:`materialise` does the reverse.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from souverain.core.estate.model import AnyOf, Asset, Contract, Estate, Provider

K = TypeVar("K")
V = TypeVar("V")


@dataclass(frozen=True)
class Edit:
    """Replaced assets, replaced or added contracts, and added providers (in order)."""

    assets: Mapping[str, Asset] = field(default_factory=dict)
    contracts: Mapping[str, Contract] = field(default_factory=dict)
    providers: Mapping[str, Provider] = field(default_factory=dict)

    def then(self, later: Edit) -> Edit:
        """This edit followed by ``later`` (``later`` wins where both change a thing)."""
        if not (later.assets or later.contracts or later.providers):
            return self
        return Edit(
            {**self.assets, **later.assets},
            {**self.contracts, **later.contracts},
            {**self.providers, **later.providers},
        )


NO_EDIT = Edit()


class Layered(dict[K, V]):
    """``top``'s entries over ``base``'s, without copying ``base`` (a lighter ChainMap
    of two: lookups are those of a dict, falling back once)."""

    __slots__ = ("base",)

    def __init__(self, top: Mapping[K, V], base: Mapping[K, V]) -> None:
        super().__init__(top)
        self.base = base

    def __missing__(self, key: K) -> V:
        return self.base[key]

    def get(self, key: K, default: Any = None) -> Any:
        if dict.__contains__(self, key):
            return dict.__getitem__(self, key)
        return self.base.get(key, default)

    def __contains__(self, key: object) -> bool:
        return dict.__contains__(self, key) or key in self.base


class EstateIndex:
    """An estate's assets, contracts and providers by id: built once, shared by
    every :class:`Overlay` of it."""

    def __init__(self, estate: Estate) -> None:
        self.estate = estate
        self.assets = {a.id: a for a in estate.assets}
        self.contracts = {c.id: c for c in estate.contracts}
        self.providers = {p.id: p for p in estate.providers}
        self.by_catalog: dict[str, str] = {}
        for provider in estate.providers:
            if provider.catalog:
                self.by_catalog.setdefault(provider.catalog, provider.id)


class Overlay:
    """An estate as an edit makes it, looked up without copying it."""

    def __init__(self, index: EstateIndex, edit: Edit = NO_EDIT) -> None:
        self.index = index
        self.edit = edit

    @property
    def estate(self) -> Estate:
        return self.index.estate

    def asset(self, ident: str) -> Asset | None:
        found = self.edit.assets.get(ident)
        return found if found is not None else self.index.assets.get(ident)

    def contract(self, ident: str) -> Contract | None:
        found = self.edit.contracts.get(ident)
        return found if found is not None else self.index.contracts.get(ident)

    def has_provider(self, ident: str) -> bool:
        return ident in self.edit.providers or ident in self.index.providers

    def provider_for_catalog(self, catalog_id: str) -> str | None:
        """The first estate provider linked to catalog entry ``catalog_id``."""
        found = self.index.by_catalog.get(catalog_id)
        if found is not None:
            return found
        return next((p.id for p in self.edit.providers.values() if p.catalog == catalog_id), None)

    def then(self, later: Edit) -> Overlay:
        return Overlay(self.index, self.edit.then(later))


def materialise(estate: Estate, edit: Edit) -> Estate:
    """A copy of ``estate`` with ``edit`` made; ``estate`` itself is never changed."""
    update: dict[str, Any] = {}
    if edit.assets:
        update["assets"] = [edit.assets.get(a.id, a) for a in estate.assets]
    if edit.contracts:
        known = {c.id for c in estate.contracts}
        update["contracts"] = [edit.contracts.get(c.id, c) for c in estate.contracts] + [
            c for ident, c in edit.contracts.items() if ident not in known
        ]
    if edit.providers:
        known = {p.id for p in estate.providers}
        update["providers"] = list(estate.providers) + [
            p for ident, p in edit.providers.items() if ident not in known
        ]
    return estate.model_copy(update=update) if update else estate


def edit_between(old: Estate, new: Estate) -> Edit | None:
    """``new`` as an edit of ``old``, or None when it is not one :class:`WhatIf` can
    follow: processes, processing records or the organisation changed; an asset was
    added, removed, or changed what data it holds; a provider was changed or removed
    (new ones may be appended); a contract was removed or moved to another provider."""
    if (
        new.organisation is not old.organisation
        or new.processes is not old.processes
        or new.processing is not old.processing
        or len(new.assets) != len(old.assets)
    ):
        return None
    kept = len(old.providers)
    if new.providers is not old.providers and (
        len(new.providers) < kept
        or any(a is not b for a, b in zip(new.providers[:kept], old.providers, strict=True))
    ):
        return None
    old_contracts = {c.id: c for c in old.contracts}
    contracts = {}
    for contract in new.contracts:
        earlier = old_contracts.pop(contract.id, None)
        if earlier is not None and earlier.provider != contract.provider:
            return None
        if contract is not earlier:
            contracts[contract.id] = contract
    if old_contracts:
        return None
    old_assets = {a.id: a for a in old.assets}
    assets = {}
    for asset in new.assets:
        before = old_assets.get(asset.id)
        if before is None:
            return None
        if asset is not before:
            if asset.data != before.data:
                return None
            assets[asset.id] = asset
    providers = {p.id: p for p in new.providers[kept:]}
    return Edit(assets, contracts, providers)


def changed_fields(asset: Asset, before: Asset) -> set[str]:
    """The fields of ``asset`` that are not those of ``before`` (by identity: edits
    copy models with ``model_copy(update=...)``, which keeps the other fields)."""
    old = before.__dict__
    return {k for k, v in asset.__dict__.items() if v is not old.get(k)}


def requirement_edges(asset: Asset) -> list[tuple[str, bool]]:
    """(required asset, strict) pairs: plain requirements are strict, any_of not."""
    out: list[tuple[str, bool]] = []
    for requirement in asset.depends_on:
        if isinstance(requirement, AnyOf):
            out.extend((member, False) for member in requirement.any_of)
        else:
            out.append((requirement, True))
    return out


def requirements_key(asset: Asset | None) -> tuple[Any, ...] | None:
    """What ``asset`` requires, hashable."""
    if asset is None:
        return None
    return tuple(r if isinstance(r, str) else ("any_of", *r.any_of) for r in asset.depends_on)


def any_of_members(asset: Asset) -> list[str]:
    return [m for r in asset.depends_on if isinstance(r, AnyOf) for m in r.any_of]
