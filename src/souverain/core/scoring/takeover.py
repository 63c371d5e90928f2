"""Whether another member takes over an asset the processes reach only through
``any_of`` groups (the exit verdict, docs/methodology.md "Exit readiness"), and what
the exit readiness reads beyond its asset.

Such an asset has no strict need: no process's max downtime reaches it through a
plain requirement. Another member takes over only when, in every group it belongs
to, a partner is *independent* of it (:mod:`souverain.core.scoring.redundancy`: no
owner group, foreign country of law, region or required asset in common). Otherwise:

- ``redundant_common_mode``: a group whose every partner shares something with it
  (named) does not cover its loss — one loss takes the whole group;
- ``redundant_unknown``: some partner shares nothing known, but its independence
  cannot be established (a provider, an owner's country or a region is not given).

A known common mode is said before an unknown one. Neither is "can be left": how long
leaving may take is not compared with a downtime (three-valued, ``null``).
"""

from __future__ import annotations

from typing import Literal

from souverain.core.scoring.context import Evidence, View
from souverain.core.scoring.footprint import MODES
from souverain.core.scoring.rules.base import Read

# What the exit readiness reads itself, beyond its asset's own fields and whatever its
# criteria read (their predicates declare it): the need of the processes and the
# gravity (score._fits; the what-if reads a gravity's move as "need"), the contract's
# notice and end (score._notice, survivability), the asset's exit plan, and the
# footprints of its redundancy partners (:func:`takeover`). The what-if scores the exit
# readiness again when one of these moves (whatif/reads.py); a test checks this
# declaration against the sources (tests/roadmap/test_whatif_reads.py).
EXIT_READS: frozenset[Read] = frozenset({"need", "contract", "exit", "redundancy"})

Takeover = Literal["redundant", "redundant_common_mode", "redundant_unknown"]


def takeover(view: View) -> tuple[Takeover, dict[str, str], Evidence | None]:
    """For an asset the processes reach only through ``any_of`` groups: whether
    another member takes over (see the module's documentation), the verdict's fields,
    and the group it rests on (None: the asset's exit field)."""
    redundancy = view.facts.redundancy
    ident = view.asset.id
    if redundancy is None or redundancy.backed(ident):
        return "redundant", {}, None
    modes = redundancy.common_modes(ident)
    unknown = {group: partners for group, partners, _ in modes.get("unknown", ())}
    # Each defeated group, by its first mode (owner, country, region, asset: the
    # operations axis names every one).
    defeated: dict[tuple[str, ...], tuple[list[str], tuple[str, ...]]] = {}
    for mode in MODES:
        for group, partners, shared in modes.get(mode, ()):
            if mode != "unknown" and group not in unknown:  # unknown: may be independent
                defeated.setdefault(group, (partners, shared))
    if defeated:
        group = min(defeated)
        partners, shared = defeated[group]
        fields = {"partners": redundancy.names(partners), "shared": ", ".join(shared)}
        return "redundant_common_mode", fields, _group_ref(group)
    if unknown:
        group = min(unknown)
        fields = {"partners": redundancy.names(unknown[group])}
        return "redundant_unknown", fields, _group_ref(group)
    # Not reached from a valid estate (a member not backed has a partner sharing
    # something, or not known to share nothing): never "takes over" by default.
    others = [p for g in redundancy.groups_of(ident) for p in g if p != ident]
    return "redundant_unknown", {"partners": redundancy.names(dict.fromkeys(others))}, None


def _group_ref(group: tuple[str, ...]) -> Evidence:
    return Evidence(f"any_of: [{', '.join(group)}]")
