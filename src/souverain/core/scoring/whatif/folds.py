"""Gravity and strict need worked out again below the assets an edit rewires.

An asset's gravity and strict need are folds over the processes that reach it (the
lowest criticality rank, then the earliest process; the tightest downtime, then the
earliest process): :class:`Folds` works them out again only for the assets below a
changed requirement, in topological order, as far as they move, and must agree with
:mod:`souverain.core.scoring.gravity`.
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping
from typing import Any

from souverain.core.estate.model import AnyOf, Estate
from souverain.core.scoring.gravity import GravityOf, Independence, Need, stepped
from souverain.core.scoring.whatif.overlay import (
    EstateIndex,
    Overlay,
    requirement_edges,
    requirements_key,
)
from souverain.core.vocabulary import CRITICALITIES, GRAVITIES

Key = tuple[int, int]  # (criticality rank, process index): the lower, the graver
Folded = tuple[dict[tuple[str, str], GravityOf], dict[tuple[str, str], Need | None]]


class Folds:
    """An audited estate's gravities and needs, folded again where an edit rewires it.

    Edits that change a group's independence or what a backup protects are not
    followed here: the what-if works gravities out whole for them (see engine).
    """

    def __init__(
        self,
        estate: Estate,
        index: EstateIndex,
        grave: Mapping[tuple[str, str], GravityOf],
        needs: Mapping[tuple[str, str], Need | None],
        independent: Independence,
    ) -> None:
        self.estate = estate
        self.index = index
        self.needs = needs
        self.independent = independent
        # Each asset → its backups (gravity flows from what is protected to its backups).
        self.protectors: dict[str, list[str]] = {}
        for asset in estate.assets:
            for protected in asset.protects:
                self.protectors.setdefault(protected, []).append(asset.id)
        # (parent, strict, steps down) of each asset.
        self.parents: dict[str, list[tuple[str, bool, int]]] = {}
        for asset in estate.assets:
            for child, strict, step in self.stepped_edges(asset.depends_on):
                self.parents.setdefault(child, []).append((asset.id, strict, step))
        # A topological order of the audited estate (requirers first).
        self.rank = {
            ident: rank
            for rank, ident in enumerate(
                self.topological(set(index.assets), lambda i: self.edges(index.assets[i]))
            )
        }
        # What processes give each asset directly.
        self.process_index = {p.id: i for i, p in enumerate(estate.processes)}
        self.seed_key: dict[str, Key] = {}
        self.seed_need: dict[str, Need] = {}
        for rank, process in enumerate(estate.processes):
            key = (CRITICALITIES.index(process.criticality), rank)
            own = (
                Need(process.max_downtime, process.id, None)
                if process.max_downtime is not None
                else Need(None, None, process.id)
            )
            for member, strict, step in self.stepped_edges(process.depends_on):
                own_key = stepped(key, step)
                if member not in self.seed_key or own_key < self.seed_key[member]:
                    self.seed_key[member] = own_key
                if strict:
                    earlier = self.seed_need.get(member)
                    self.seed_need[member] = (
                        own if earlier is None else earlier.merge(own, self.process_index)
                    )
        self.base_keys = {ident: self._key(grave[("asset", ident)]) for ident in index.assets}
        self.refolds: dict[tuple[Any, ...], Folded] = {}
        # Each asset → (key, group or None) of each process naming it (built when needed).
        self.seeding: dict[str, list[tuple[Key, list[str] | None]]] | None = None

    def stepped_edges(
        self, requirements: list[Any], independent: Independence | None = None
    ) -> list[tuple[str, bool, int]]:
        """(required asset, strict, steps down) of a ``depends_on`` list."""
        independent = independent or self.independent
        out: list[tuple[str, bool, int]] = []
        for requirement in requirements:
            if isinstance(requirement, AnyOf):
                group = requirement.any_of
                out.extend((m, False, 1 if independent(group, m) else 0) for m in group)
            else:
                out.append((requirement, True, 0))
        return out

    def edges(self, asset: Any) -> list[tuple[str, bool]]:
        """What ``asset`` passes gravity to: what it requires, then its backups."""
        return requirement_edges(asset) + [(b, False) for b in self.protectors.get(asset.id, ())]

    def _key(self, gravity: GravityOf) -> Key | None:
        if gravity.process is None:
            return None
        return (CRITICALITIES.index(gravity.gravity), self.process_index[gravity.process])

    def _gravity_of(self, key: Key | None) -> GravityOf:
        if key is None:
            return GravityOf(GRAVITIES[-1], None)
        return GravityOf(CRITICALITIES[key[0]], self.estate.processes[key[1]].id)

    def seed(self, member: str, independent: Independence) -> Key | None:
        """What the processes give ``member`` directly, groups judged by ``independent``."""
        if self.seeding is None:
            self.seeding = {}
            for rank, process in enumerate(self.estate.processes):
                key = (CRITICALITIES.index(process.criticality), rank)
                for requirement in process.depends_on:
                    if isinstance(requirement, AnyOf):
                        for m in requirement.any_of:
                            self.seeding.setdefault(m, []).append((key, requirement.any_of))
                    else:
                        self.seeding.setdefault(requirement, []).append((key, None))
        best: Key | None = None
        for key, group in self.seeding.get(member, ()):
            own = stepped(key, 1 if group is not None and independent(group, member) else 0)
            if best is None or own < best:
                best = own
        return best

    def refolded(
        self,
        rewired: set[str],
        overlay: Overlay,
        independent: Independence | None = None,
        seeds: Mapping[str, Key | None] | None = None,
    ) -> tuple[dict[tuple[str, str], GravityOf], dict[tuple[str, str], Need | None]]:
        """:meth:`_refold`, kept by the requirements of the rewired assets, on which
        alone it depends: a migration's candidates that run on premises all drop the
        same cloud hosts. With ``independent`` (the edited estate's independence of
        group members, for the rewired assets' groups) or ``seeds`` (what processes
        give some members directly, when a group they name moved), not kept."""
        if independent is not None or seeds:
            return self._refold(rewired, overlay, independent, seeds or {})
        key = tuple(sorted((i, requirements_key(overlay.asset(i))) for i in rewired))
        found = self.refolds.get(key)
        if found is None:
            found = self.refolds[key] = self._refold(rewired, overlay)
        return found

    def _refold(
        self,
        rewired: set[str],
        overlay: Overlay,
        independent: Independence | None = None,
        seeds: Mapping[str, Key | None] | None = None,
    ) -> tuple[dict[tuple[str, str], GravityOf], dict[tuple[str, str], Need | None]]:
        """Gravity and strict need of the assets below a changed requirement, where
        they moved.

        Both are folds over an asset's requirers (and the processes naming it), so
        they are worked out again from the changed requirements down, in topological
        order, only as far as they move: in the order of the audited estate while its
        edges still follow it (removed requirements, or added ones that go down it),
        else in an order worked out for the assets below.
        """
        assets = self.index.assets

        def edges_of(ident: str) -> list[tuple[str, bool]]:
            asset = overlay.asset(ident)
            return self.edges(asset) if asset is not None else []

        added: dict[str, list[tuple[str, bool, int]]] = {}
        roots: set[str] = set()
        in_order = True
        for ident in rewired:
            roots.update(c for c, _ in requirement_edges(assets[ident]))
            after = overlay.asset(ident)
            for child, strict, step in self.stepped_edges(
                after.depends_on if after is not None else [], independent
            ):
                roots.add(child)
                added.setdefault(child, []).append((ident, strict, step))
                if child in assets and self.rank[child] <= self.rank[ident]:
                    in_order = False
        seeds = seeds or {}
        roots.update(seeds)
        roots &= assets.keys()
        needs = self.needs
        keys: dict[str, Key | None] = {}
        found: dict[str, Need | None] = {}
        process_rank = self.process_index

        def settle(node: str) -> bool:
            """Fold ``node`` again; whether it moved."""
            key = seeds[node] if node in seeds else self.seed_key.get(node)
            need = self.seed_need.get(node)
            parents = [p for p in self.parents.get(node, ()) if p[0] not in rewired]
            parents += added.get(node, ())
            parents += [(p, False, 0) for p in self.index.assets[node].protects]
            for parent, strict, step in parents:
                parent_key = keys[parent] if parent in keys else self.base_keys[parent]
                if parent_key is not None:
                    parent_key = stepped(parent_key, step)
                    if key is None or parent_key < key:
                        key = parent_key
                if strict:
                    parent_need = found[parent] if parent in found else needs.get(("asset", parent))
                    if parent_need is not None:
                        need = (
                            parent_need if need is None else need.merge(parent_need, process_rank)
                        )
            node_key = ("asset", node)
            if key == self.base_keys[node] and need == needs.get(node_key):
                return False
            keys[node] = key
            found[node] = need
            return True

        if in_order:
            heap = [(self.rank[n], n) for n in roots]
            heapq.heapify(heap)
            done: set[str] = set()
            while heap:
                _, node = heapq.heappop(heap)
                if node in done:
                    continue
                done.add(node)
                if settle(node):
                    for child, _ in edges_of(node):
                        if child in assets and child not in done:
                            heapq.heappush(heap, (self.rank[child], child))
        else:
            below: set[str] = set()
            stack = list(roots)
            while stack:
                node = stack.pop()
                if node not in below and node in assets:
                    below.add(node)
                    stack.extend(c for c, _ in edges_of(node))
                    stack.extend(c for c, _ in self.edges(assets[node]))
            dirty = set(roots)
            for node in self.topological(below, edges_of):
                if node in dirty and settle(node):
                    dirty.update(c for c, _ in edges_of(node))
        return (
            {("asset", n): self._gravity_of(k) for n, k in keys.items()},
            {("asset", n): v for n, v in found.items()},
        )

    @staticmethod
    def topological(nodes: set[str], edges: Any) -> list[str]:
        """``nodes``, each before those it requires (depth-first, iterative)."""
        order: list[str] = []
        done: set[str] = set()
        for start in sorted(nodes):
            if start in done:
                continue
            stack: list[tuple[str, bool]] = [(start, False)]
            while stack:
                node, expanded = stack.pop()
                if expanded:
                    order.append(node)
                    continue
                if node in done:
                    continue
                done.add(node)
                stack.append((node, True))
                stack.extend((c, False) for c, _ in edges(node) if c in nodes and c not in done)
        order.reverse()
        return order
