"""What a single loss can take an asset with (its footprint), and what two footprints
share: the data of :mod:`souverain.core.scoring.redundancy`, whose documentation says
what a footprint holds and when two members are independent."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

Mode = Literal["owner", "country", "region", "asset", "unknown"]
MODES: tuple[Mode, ...] = ("owner", "country", "region", "asset", "unknown")
# What may be missing from a footprint.
Missing = Literal["provider", "country", "region"]


@dataclass(frozen=True)
class Footprint:
    """What a single loss can take an asset with (see the module's documentation)."""

    assets: frozenset[str]
    owners: Mapping[str, str]  # owner entity id → name
    countries: frozenset[str]
    regions: Mapping[str, str]  # region, case folded → as written
    missing: frozenset[Missing]


@dataclass(frozen=True)
class Shared:
    """What two footprints share, by mode: names of what is shared; ``unknown``: what
    is missing from either."""

    owner: tuple[str, ...] = ()
    country: tuple[str, ...] = ()
    region: tuple[str, ...] = ()
    asset: tuple[str, ...] = ()
    unknown: tuple[str, ...] = ()

    def of(self, mode: Mode) -> tuple[str, ...]:
        result: tuple[str, ...] = getattr(self, mode)
        return result

    @property
    def independent(self) -> bool:
        return not any(self.of(mode) for mode in MODES)


def needed_by_all(holders: list[list[Footprint]], part: str, key: str) -> bool:
    """Whether every holder's requirements hold ``key`` in their footprints' ``part``."""
    return all(any(key in getattr(f, part) for f in footprints) for footprints in holders)
