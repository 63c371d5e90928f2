"""Predicates of the operations axis."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from souverain.core.limits import METHODOLOGY_MAX_DAYS
from souverain.core.phrase import phrase
from souverain.core.scoring.context import Evidence, View
from souverain.core.scoring.footprint import MODES
from souverain.core.scoring.methodology import ParamProblem, flag, one_of, whole
from souverain.core.scoring.rules.base import (
    DEPLOYMENTS,
    Finding,
    country_term,
    days_since,
    predicate,
    unknown,
)
from souverain.core.terms import Term, term, terms


def _deployment(view: View) -> str | None:
    return view.deployment


@predicate(
    params={"value": one_of(*DEPLOYMENTS)},
    fields=("deployment",),
    selects=(_deployment, "value"),
)
def deployment_is(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """The asset is deployed as ``value``."""
    if view.deployment == params["value"]:
        ref = (
            view.field("deployment")
            if view.asset.deployment
            else f"catalog product {view.asset.product}: deployments"
        )
        return [Finding({"deployment": term("deployment", str(params["value"]))}, Evidence(ref))]
    return []


@predicate()
def deployment_unknown(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """Nothing says how the asset is deployed (sites excepted: a category ``site`` is one)."""
    if view.deployment is None and (view.category is None or view.category.id != "site"):
        return unknown(view.field("deployment"))
    return []


@predicate(fields=("rto", "max_downtime", "process"), reads=("need", "continuity"))
def rto_exceeds_max_downtime(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """The asset's RTO is longer than the max downtime of a process that needs it."""
    continuity = view.asset.continuity
    need = view.need
    if continuity is None or continuity.rto is None or need is None or need.max_downtime is None:
        return []
    if continuity.rto <= need.max_downtime:
        return []
    return [
        Finding(
            {
                "rto": str(continuity.rto),
                "max_downtime": str(need.max_downtime),
                "process": need.process or "?",
            },
            Evidence(view.field("continuity.rto")),
        )
    ]


@predicate(reads=("need", "continuity"))
def rto_unknown(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """A process needs the asset, but its recovery time objective is not given."""
    if view.need is None:
        return []
    continuity = view.asset.continuity
    return [] if continuity and continuity.rto else unknown(view.field("continuity.rto"))


@predicate(fields=("provider",), reads=("continuity",))
def backup_held_by_provider(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """Backups are kept by the provider that runs the asset."""
    continuity = view.asset.continuity
    backup = continuity.backup if continuity else None
    if backup is None or backup.held_by != "provider" or view.provider is None:
        return []
    return [
        Finding({"provider": view.chain[0].name}, Evidence(view.field("continuity.backup.held_by")))
    ]


@predicate(reads=("continuity",))
def no_offline_copy(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """The asset's backups have no offline copy."""
    continuity = view.asset.continuity
    backup = continuity.backup if continuity else None
    if backup is None or backup.offline_copy is not False:
        return []
    return [Finding({}, Evidence(view.field("continuity.backup.offline_copy")))]


@predicate(reads=("continuity",))
def backup_unknown(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """The asset may hold data, but nothing says how it is backed up."""
    if view.holds_data is False:
        return []
    continuity = view.asset.continuity
    if continuity and continuity.backup and continuity.backup.held_by:
        return []
    return unknown(view.field("continuity.backup"))


@predicate(reads=("continuity",))
def restore_test_unknown(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """A backup is described, but not when a restore was last tested."""
    continuity = view.asset.continuity
    backup = continuity.backup if continuity else None
    if backup is None or "last_restore_test" in backup.model_fields_set:
        return []
    return unknown(view.field("continuity.backup.last_restore_test"))


def _never_or_days(params: Mapping[str, Any]) -> list[ParamProblem]:
    """``days`` is needed unless ``never`` is true, and is then meaningless."""
    if params.get("never") is True:
        if "days" in params:
            return [ParamProblem("days", False, phrase("no-days-with-never"), params["days"])]
        return []
    if "days" not in params:
        return [ParamProblem("days", True, whole(0, METHODOLOGY_MAX_DAYS).expected)]
    return []


def _restore_test_given(view: View) -> bool:
    continuity = view.asset.continuity
    backup = continuity.backup if continuity else None
    return backup is not None and "last_restore_test" in backup.model_fields_set


@predicate(
    params={"never": flag(), "days": whole(0, METHODOLOGY_MAX_DAYS, required=False)},
    fields=("when", "days"),
    check=_never_or_days,
    reads=("continuity",),
    selects=(_restore_test_given, None),
)
def restore_not_tested(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """With ``never``: restores were never tested; otherwise: not within ``days`` days."""
    continuity = view.asset.continuity
    backup = continuity.backup if continuity else None
    if backup is None or "last_restore_test" not in backup.model_fields_set:
        return []
    ref = view.field("continuity.backup.last_restore_test")
    if backup.last_restore_test is None:
        return [Finding({}, Evidence(ref))] if params.get("never") else []
    if params.get("never"):
        return []
    age = days_since(backup.last_restore_test, view.facts.today)
    if age > int(params["days"]):
        return [
            Finding({"when": backup.last_restore_test.isoformat(), "days": str(age)}, Evidence(ref))
        ]
    return []


def _group_ref(group: tuple[str, ...]) -> Evidence:
    return Evidence(f"any_of: [{', '.join(group)}]")


def _grouped(view: View) -> bool:
    redundancy = view.facts.redundancy
    return redundancy is not None and bool(redundancy.groups_of(view.asset.id))


def _backed_up(view: View) -> bool:
    redundancy = view.facts.redundancy
    return redundancy is not None and bool(redundancy.backups_of(view.asset.id))


@predicate(
    params={"mode": one_of(*MODES)},
    fields=("partners", "shared"),
    reads=("redundancy",),
    selects=(_grouped, None),
)
def redundancy_common_mode(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """A member of an ``any_of`` group with no partner independent of it: the partners
    it shares something with by ``mode`` — an owner entity, a foreign country of law,
    a region or a required asset (scoring.redundancy) — or, with ``unknown``, the
    partners whose independence cannot be established (provider, owners' country or
    region not given)."""
    redundancy = view.facts.redundancy
    if redundancy is None:
        return []
    mode = params["mode"]
    return [
        Finding(
            {"partners": redundancy.names(partners), "shared": _shared(view, mode, shared)},
            _group_ref(group),
            not_assessed=mode == "unknown",
        )
        for group, partners, shared in redundancy.common_modes(view.asset.id).get(mode, ())
    ]


def _shared(view: View, mode: str, shared: Iterable[str]) -> str:
    """What a group shares, as a reason names it: countries in words ("États-Unis"),
    owners, regions and assets by their names."""
    if mode != "country":
        return ", ".join(shared)
    found = [country_term(view.resolver.jurisdiction(code), code) for code in shared]
    return terms([t if isinstance(t, Term) else Term(t) for t in found], ("en", "fr"))


@predicate(fields=("partners",), reads=("redundancy",), selects=(_grouped, None))
def redundancy_independent(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """A member of ``any_of`` groups with, in each, a partner independent of it: it is
    no single point of failure, and takes its processes' gravity one step lower."""
    redundancy = view.facts.redundancy
    ident = view.asset.id
    if redundancy is None or not redundancy.backed(ident):
        return []
    found = []
    for group in sorted(redundancy.groups_of(ident)):
        partners = [
            p for p in group if p != ident and redundancy.shared(ident, p, group).independent
        ]
        found.append(Finding({"partners": redundancy.names(partners)}, _group_ref(group)))
    return found


@predicate(
    params={"mode": one_of(*(m for m in MODES if m != "unknown"))},
    fields=("backups", "shared"),
    reads=("redundancy",),
    selects=(_backed_up, None),
)
def backup_common_mode(view: View, params: Mapping[str, Any]) -> list[Finding]:
    """Every backup of the asset (the assets that ``protect`` it) shares with it, by
    ``mode``, an owner entity, a foreign country of law, a region or a required asset:
    the loss that takes the asset takes its copies."""
    redundancy = view.facts.redundancy
    if redundancy is None:
        return []
    ident = view.asset.id
    backups = redundancy.backups_of(ident)
    commons = [(b, redundancy.shared(ident, b)) for b in backups]
    if not commons or any(c.independent for _, c in commons):
        return []
    mode = params["mode"]
    hit = [(b, c.of(mode)) for b, c in commons if c.of(mode)]
    if not hit:
        return []
    shared = sorted({s for _, names in hit for s in names})
    return [
        Finding(
            {
                "backups": redundancy.names(b for b, _ in hit),
                "shared": _shared(view, mode, shared),
            },
            Evidence(f"assets[{', '.join(b for b, _ in hit)}].protects"),
        )
    ]
