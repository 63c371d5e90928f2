"""The risk total: one number for how much an estate's dependencies put it at risk.

One dependency's risk = gravity weight × (overall exposure + EXIT_WEIGHT × (4 − exit
readiness)). Exposure runs 0–4; the exit term adds up to one point when the
organisation could not leave at all. Dependencies no process needs weigh 0. The
roadmap measures each action by the drop of this total (docs/roadmap.md); it is the
only "risk total" (the diff's count of dependencies weighted by level is its
``level_total``, docs/diff.md).
"""

from __future__ import annotations

from collections.abc import Mapping

from souverain.core.scoring.audit import AuditResult, Dependency
from souverain.core.vocabulary import Gravity

GRAVITY_WEIGHT: Mapping[Gravity, int] = {
    "vital": 4,
    "important": 3,
    "useful": 2,
    "minor": 1,
    "none": 0,
}
EXIT_WEIGHT = 0.25


def dependency_risk(dep: Dependency) -> float:
    """One dependency's share of :func:`risk_total`."""
    weight = GRAVITY_WEIGHT[dep.gravity]
    return weight * (dep.exposure_score + EXIT_WEIGHT * (4 - dep.exit.readiness))


def risk_total(result: AuditResult) -> float:
    """Σ gravity weight × (exposure + 0.25 × (4 − exit readiness)), rounded to 0.01."""
    return round(sum(dependency_risk(d) for d in result.dependencies), 2)
