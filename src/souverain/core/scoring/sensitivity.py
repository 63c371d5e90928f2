"""Confidentiality has its own gravity: the sensitivity of the data an asset holds.

The gravity of :mod:`souverain.core.scoring.gravity` measures availability: what stops
when the asset stops. Access to data by a foreign authority harms whatever the
processes' criticality: a "useful" archive of patients' records handed over under the
CLOUD Act is a breach of GDPR Art. 9 all the same. Each kind of data the estate
declares (``data``, docs/estate.md) carries sensitivities; the gravest gives the
asset a *confidentiality gravity* (:data:`CONFIDENTIALITY`). A backup holds the data of
what it ``protects``.

The data-access exposure of a row is the highest score of its assessed reasons that
a data-access law gives (rules whose ``permit`` is ``data_access``, and
:data:`DATA_ACCESS`). The row's level is then at least the level of that exposure at
the confidentiality gravity, on the methodology's risk matrix
(:func:`confidentiality_level`): an asset holding health data reached by a data-access
law is high or critical even when only a useful process needs it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from souverain.core.scoring.context import View
from souverain.core.scoring.methodology import Axis, Methodology
from souverain.core.vocabulary import GRAVITIES, Gravity, Level, Sensitivity

if TYPE_CHECKING:
    from souverain.core.scoring.score import AxisScore

CONFIDENTIALITY: Mapping[Sensitivity, Gravity] = {
    # Foreign access is itself an offence: compromise of classified information
    # (IGI 1300, II 901 for « Diffusion Restreinte »), an unlicensed export of dual-use
    # technology (Regulation (EU) 2021/821, Art. 2(2): a transfer by electronic media).
    "classified": "vital",
    "export-controlled": "vital",
    # GDPR Art. 9 special categories and health, Art. 10 offences, children (Art. 8,
    # recital 38); trade secrets lose their protection once disclosed (Directive (EU)
    # 2016/943, Art. 2(1)).
    "health": "important",
    "special-category": "important",
    "criminal": "important",
    "minors": "important",
    "trade-secret": "important",
    # Ordinary personal data (GDPR Art. 4(1)).
    "personal": "useful",
}
# Predicates whose findings are a data-access law reaching the data, whatever params.
DATA_ACCESS = frozenset({"keys_at_reachable_provider", "privileged_path_law"})


def held_kinds(view: View) -> list[str]:
    """The kinds of data the asset holds: its own and those of what it protects."""
    kinds = list(view.asset.data or ())
    for protected in view.asset.protects:
        kinds.extend(k for k in view.facts.data_of.get(protected, ()) if k not in kinds)
    return kinds


def sensitive_kinds(view: View) -> dict[str, list[Sensitivity]]:
    """The kinds of data the asset holds that are declared sensitive."""
    declared = view.facts.sensitivity
    return {kind: list(declared.get(kind) or ()) for kind in held_kinds(view) if declared.get(kind)}


def confidentiality_gravity(view: View) -> Gravity:
    """The gravest confidentiality gravity of the data the asset holds (``none``)."""
    best = len(GRAVITIES) - 1
    for sensitivities in sensitive_kinds(view).values():
        for sensitivity in sensitivities:
            best = min(best, GRAVITIES.index(CONFIDENTIALITY[sensitivity]))
    return GRAVITIES[best]


def data_access_exposure(exposure: Mapping[Axis, AxisScore]) -> int:
    """The highest score of the assessed reasons a data-access law gives (0: none)."""
    worst = 0.0
    for axis in exposure.values():
        for reason in axis.reasons:
            if reason.not_assessed:
                continue
            if reason.predicate in DATA_ACCESS or reason.rule_params.get("permit") == "data_access":
                worst = max(worst, reason.score)
    return int(min(4, worst))


def confidentiality_level(
    view: View, exposure: Mapping[Axis, AxisScore], methodology: Methodology
) -> Level | None:
    """The level the data's sensitivity calls for: the data-access exposure at the
    confidentiality gravity; None when the asset holds no sensitive data or no
    data-access law reaches it."""
    if not view.facts.sensitivity:
        return None  # no kind of data declared sensitive
    gravity = confidentiality_gravity(view)
    if gravity == "none":
        return None
    reach = data_access_exposure(exposure)
    if reach == 0:
        return None
    return methodology.level(gravity, reach)
