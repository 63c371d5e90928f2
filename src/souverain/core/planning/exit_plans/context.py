"""What every exit plan of one audit shares, worked out once: :class:`PlanContext`."""

from __future__ import annotations

from dataclasses import dataclass, field

from souverain.core.catalog.matching import Matcher, MatchResult
from souverain.core.catalog.model import Alternative, Catalog
from souverain.core.estate.model import Asset, Contract, requirement_ids
from souverain.core.planning.exit_plans.choice import Preference, preference
from souverain.core.planning.radar import RING_IDS, Radar, alternatives_radar
from souverain.core.scoring.audit import AuditResult

_RECENT_EXPORT_DAYS = 365  # when the methodology names no export_tested_within criterion


@dataclass
class PlanContext:
    """What every plan of one audit shares, worked out once."""

    result: AuditResult
    catalog: Catalog
    assets: dict[str, Asset]
    contracts: dict[str, Contract]
    process_names: dict[str, str]
    candidates: dict[str, list[str]]  # asset → alternative products (the radar's choice)
    entries: dict[tuple[str, str], Alternative]  # (category, product) → best-ring entry
    users: dict[str, list[str]]  # asset → what requires it (processes, assets)
    recent_days: int
    by_product: dict[str, list[Asset]]  # catalog product → the assets running it
    _matcher: Matcher | None = field(default=None, repr=False)
    _matches: dict[str, MatchResult] = field(default_factory=dict, repr=False)
    _preferences: dict[str, Preference] = field(default_factory=dict, repr=False)

    @classmethod
    def build(
        cls, result: AuditResult, catalog: Catalog, radar: Radar | None = None
    ) -> PlanContext:
        estate = result.estate
        candidates: dict[str, list[str]] = {}
        if radar is None or radar.view != "alternatives":
            radar = alternatives_radar(result, catalog)
        for blip in radar.blips:
            for asset_id in blip.replaces:
                candidates.setdefault(asset_id, []).append(blip.product or blip.id)
        entries: dict[tuple[str, str], Alternative] = {}
        for entry in catalog.alternatives.values():
            key = (entry.category, entry.product)
            known = entries.get(key)
            if known is None or RING_IDS.index(entry.ring) < RING_IDS.index(known.ring):
                entries[key] = entry
        users: dict[str, list[str]] = {}
        for process in estate.processes:
            for ident in dict.fromkeys(requirement_ids(process.depends_on)):
                users.setdefault(ident, []).append(process.name or process.id)
        for asset in estate.assets:
            for ident in dict.fromkeys(requirement_ids(asset.depends_on)):
                users.setdefault(ident, []).append(asset.name or asset.id)
        recent = next(
            (
                int(c.params["days"])
                for c in result.methodology.exit.criteria
                if c.when == "export_tested_within" and "days" in c.params
            ),
            _RECENT_EXPORT_DAYS,
        )
        by_product: dict[str, list[Asset]] = {}
        for asset in estate.assets:
            if asset.product:
                by_product.setdefault(asset.product, []).append(asset)
        return cls(
            result,
            catalog,
            {a.id: a for a in estate.assets},
            {c.id: c for c in estate.contracts},
            {p.id: p.name or p.id for p in estate.processes},
            candidates,
            entries,
            users,
            recent,
            by_product,
        )

    @property
    def matcher(self) -> Matcher:
        if self._matcher is None:
            self._matcher = Matcher(self.catalog, ("product",))
        return self._matcher

    def preference(self, entry: Alternative) -> Preference:
        """:func:`~souverain.core.planning.exit_plans.choice.preference`, worked out
        once per catalog entry."""
        found = self._preferences.get(entry.id)
        if found is None:
            found = self._preferences[entry.id] = preference(entry, self.catalog)
        return found

    def match(self, text: str) -> MatchResult:
        """The catalog products ``text`` names (the same answer for the same text)."""
        found = self._matches.get(text)
        if found is None:
            found = self._matches[text] = self.matcher.match(text)
        return found
