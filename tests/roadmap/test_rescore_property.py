"""``audit.rescore`` against whole audits on random estates and random edits: every row
it keeps must equal the whole audit's, and every row it scores again too."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from souverain.core.catalog.model import Catalog
from souverain.core.estate.model import Continuity, Contract, Estate, Exit, Location
from souverain.core.estate.validation import parse_estate
from souverain.core.scoring.audit import Dependency, audit
from souverain.core.scoring.risk import dependency_risk
from souverain.core.scoring.whatif import Edit, WhatIf, edit_between, rescore
from souverain.resources import load_methodology
from tests.conftest import TODAY
from tests.scenarios.test_scenarios import ORG, estates

METHODOLOGY = load_methodology()


def view_of(dep: Dependency) -> tuple[Any, ...]:
    return (
        dep.provider,
        dep.provider_name,
        dep.category,
        dep.gravity,
        dep.gravity_process,
        dep.level,
        dep.band,
        dep.level_if_confirmed,
        dep.coverage,
        dep.unknown_axes,
        tuple(sorted(dep.assessed.items())),
        dep.exposure_score,
        tuple(
            (axis, s.score, tuple(r.text("en") for r in s.reasons))
            for axis, s in dep.exposure.items()
        ),
        dep.exit.readiness,
        dep.exit.can_exit_within_max_downtime,
        tuple(r.text("en") for r in dep.exit.reasons),
    )


KINDS = [
    "provider",
    "product",
    "drop-requirement",
    "add-requirement",
    "skills",
    "deployment",
    "continuity",
    "exit",
    "contract",
    "location",
    "protects",
]


def _edit(estate: Estate, draw: st.DataObject) -> Estate:
    """``estate`` with one asset changed in one random way."""
    assets = list(estate.assets)
    contracts = list(estate.contracts)
    index = draw.draw(st.integers(0, len(assets) - 1))
    target = assets[index]
    kind = draw.draw(st.sampled_from(KINDS))
    update: dict[str, Any] = {}
    if kind == "provider":
        update["provider"] = draw.draw(st.sampled_from([None] + [p.id for p in estate.providers]))
    elif kind == "product":
        update["product"] = draw.draw(st.sampled_from([None, "x", "y"]))
    elif kind == "drop-requirement" and target.depends_on:
        update["depends_on"] = target.depends_on[1:]
    elif kind == "add-requirement" and index:
        # Assets require earlier ones only: the estate stays acyclic.
        update["depends_on"] = [*target.depends_on, f"a{draw.draw(st.integers(0, index - 1))}"]
    elif kind == "skills":
        update["skills"] = draw.draw(st.sampled_from(["none", "low", "high"]))
    elif kind == "deployment":
        update["deployment"] = draw.draw(st.sampled_from(["saas", "on-premise", "link", "device"]))
    elif kind == "continuity":
        update["continuity"] = Continuity.model_validate(
            {
                "rto": draw.draw(st.sampled_from(["2h", "3d"])),
                "backup": {
                    "held_by": draw.draw(st.sampled_from(["provider", "organisation"])),
                    "offline_copy": draw.draw(st.booleans()),
                    "last_restore_test": "2026-01-10",
                },
            }
        )
    elif kind == "exit":
        update["exit"] = Exit.model_validate(
            {"alternative": "x", "export_tested": "2026-02-01", "duration": "3d"}
        )
    elif kind == "location":
        region = draw.draw(st.sampled_from([None, "north", "south"]))
        update["location"] = None if region is None else Location(region=region)
    elif kind == "protects":
        # An asset protects later ones only: with requirements of earlier ones, acyclic.
        later = [a.id for a in assets[index + 1 :]]
        update["protects"] = (
            draw.draw(st.lists(st.sampled_from(later), max_size=1)) if later else []
        )
    elif kind == "contract" and estate.providers:
        ident = f"c{len(contracts)}"
        clauses = {"eu_hosting": draw.draw(st.booleans()), "data_portability": True}
        contracts.append(
            Contract.model_validate(
                {"id": ident, "provider": target.provider or "p0", "clauses": clauses}
            )
        )
        update["contract"] = ident
    assets[index] = target.model_copy(update=update)
    return estate.model_copy(update={"assets": assets, "contracts": contracts})


def _described(data: tuple[dict[str, Any], dict[str, str]], draw: st.DataObject) -> dict[str, Any]:
    """The random estate's sections, some assets with an RTO and an exit duration (so
    that needs and their processes show in reasons)."""
    sections, exits = data
    assets = []
    count = len(sections["assets"])
    for index, asset in enumerate(sections["assets"]):
        asset = dict(asset)
        if index + 1 < count and draw.draw(st.integers(0, 3)) == 0:
            # A backup of a later asset (backups protect later assets only: acyclic).
            asset["protects"] = [f"a{draw.draw(st.integers(index + 1, count - 1))}"]
        if draw.draw(st.booleans()):
            asset["continuity"] = {"rto": draw.draw(st.sampled_from(["2h", "3d", "3w"]))}
        if asset["id"] in exits:
            asset["exit"] = {"duration": exits[asset["id"]]}
        assets.append(asset)
    return {**sections, "assets": assets}


def _risk(rows: list[Dependency]) -> float:
    return sum(dependency_risk(d) for d in rows)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=estates(), draw=st.data())
def test_rescore_agrees_with_a_whole_audit(
    test_catalog: Catalog, data: tuple[dict[str, Any], dict[str, str]], draw: st.DataObject
) -> None:
    """One to three random edits: every row as a whole audit gives it (texts and order
    of reasons included), and the risk total without the rows that only quote counts
    (the roadmap's way) the same as the whole audit's."""
    sections = _described(data, draw)
    estate = parse_estate({"souverain": 1, "organisation": ORG, **sections})
    base = audit(estate, METHODOLOGY, test_catalog, TODAY)
    after = estate
    for _ in range(draw.draw(st.integers(1, 3))):
        after = _edit(after, draw)
    partial = rescore(base, after)
    assert partial is not None
    whole = audit(after, METHODOLOGY, test_catalog, TODAY)
    expected = {d.asset: view_of(d) for d in whole.dependencies}
    before_rows, after_rows = partial
    rescored = {d.asset: view_of(d) for d in after_rows}
    assert {d.asset for d in before_rows} == set(rescored)
    for dep in base.dependencies:
        assert rescored.get(dep.asset, view_of(dep)) == expected[dep.asset], dep.asset
    edit = edit_between(estate, after)
    assert edit is not None
    fast_before, fast_after = WhatIf(base).rows(edit, exact=False)
    fast = _risk(base.dependencies) + _risk(fast_after) - _risk(fast_before)
    assert fast == pytest.approx(_risk(whole.dependencies))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=estates(), draw=st.data())
def test_a_local_edit_on_an_edited_estate_agrees_with_a_whole_audit(
    test_catalog: Catalog, data: tuple[dict[str, Any], dict[str, str]], draw: st.DataObject
) -> None:
    """Derived.local: an edit of an asset's own fields (skills, continuity, exit) made on
    an estate already edited re-scores that asset alone, as a whole audit would."""
    sections = _described(data, draw)
    estate = parse_estate({"souverain": 1, "organisation": ORG, **sections})
    base = audit(estate, METHODOLOGY, test_catalog, TODAY)
    first = _edit(estate, draw)
    edit = edit_between(estate, first)
    assert edit is not None
    derived = WhatIf(base).derive(edit, exact=draw.draw(st.booleans()))
    # Often the asset the first edit changed (a training after a migration).
    edited = [i for i, a in enumerate(first.assets) if a is not estate.assets[i]]
    index = draw.draw(st.sampled_from(edited or [0]) | st.integers(0, len(estate.assets) - 1))
    target = first.assets[index]
    update = draw.draw(
        st.sampled_from(
            [
                {"skills": "high"},
                {"continuity": Continuity.model_validate({"rto": "1h"})},
                {"exit": Exit.model_validate({"export_tested": "2026-03-01", "duration": "1d"})},
            ]
        )
    )
    changed = target.model_copy(update=update)
    local = derived.local(Edit(assets={target.id: changed}))
    assert local is not None
    [before], [row] = local
    second = first.model_copy(
        update={"assets": [changed if a.id == target.id else a for a in first.assets]}
    )
    expected = next(
        d
        for d in audit(second, METHODOLOGY, test_catalog, TODAY).dependencies
        if d.asset == target.id
    )
    if derived.exact:
        assert view_of(row) == view_of(expected)
    else:  # the roadmap's way: the risk, what totals add up
        assert dependency_risk(row) == pytest.approx(dependency_risk(expected))
    earlier = next(
        d
        for d in audit(first, METHODOLOGY, test_catalog, TODAY).dependencies
        if d.asset == target.id
    )
    assert dependency_risk(before) == pytest.approx(dependency_risk(earlier))


# --- each reason a row outside the edit is scored again, on a hand-built estate -------


def _check(
    test_catalog: Catalog,
    sections: dict[str, Any],
    target: str = "",
    updates: dict[str, dict[str, Any]] | None = None,
    **update: Any,
) -> set[str]:
    """Apply ``update`` to asset ``target`` (or each of ``updates`` to its asset); return
    the assets rescore scored again, after checking every row against a whole audit."""
    estate = parse_estate({"souverain": 1, "organisation": ORG, **sections})
    base = audit(estate, METHODOLOGY, test_catalog, TODAY)
    updates = updates or {target: update}
    assets = [a.model_copy(update=updates[a.id]) if a.id in updates else a for a in estate.assets]
    after = estate.model_copy(update={"assets": assets})
    partial = rescore(base, after)
    assert partial is not None
    whole = {
        d.asset: view_of(d) for d in audit(after, METHODOLOGY, test_catalog, TODAY).dependencies
    }
    rescored = {d.asset: view_of(d) for d in partial[1]}
    for dep in base.dependencies:
        assert rescored.get(dep.asset, view_of(dep)) == whole[dep.asset], dep.asset
    return set(rescored)


PROVIDERS = [
    {"id": "fr-host", "country": "FR"},
    {"id": "us-host", "country": "US"},
    {"id": "fr-app", "country": "FR"},
]


def test_an_asset_whose_host_changes_provider_is_scored_again(test_catalog: Catalog) -> None:
    sections = {
        "processes": [{"id": "p", "criticality": "vital", "depends_on": ["app"]}],
        "providers": PROVIDERS,
        "assets": [
            {"id": "app", "deployment": "saas", "provider": "fr-app", "depends_on": ["host"]},
            {"id": "host", "deployment": "public-cloud", "provider": "fr-host"},
        ],
    }
    # The host moves to a US provider: the app's jurisdiction reasons change with it.
    assert _check(test_catalog, sections, "host", provider="us-host") == {"host", "app"}


def test_an_asset_whose_gravity_moves_is_scored_again(test_catalog: Catalog) -> None:
    sections = {
        "processes": [
            {"id": "v", "criticality": "vital", "depends_on": ["core"]},
            {"id": "u", "criticality": "useful", "depends_on": ["app"]},
        ],
        "providers": PROVIDERS,
        "assets": [
            {"id": "core", "deployment": "saas", "provider": "fr-app"},
            {"id": "app", "deployment": "saas", "provider": "fr-app", "depends_on": ["tool"]},
            {"id": "tool", "deployment": "saas", "provider": "fr-host"},
        ],
    }
    # The app stops requiring the tool: the tool is no longer useful to anything.
    assert "tool" in _check(test_catalog, sections, "app", depends_on=[])


def test_assets_that_leave_a_redundancy_group_are_scored_again(test_catalog: Catalog) -> None:
    sections = {
        "processes": [{"id": "p", "criticality": "vital", "depends_on": ["app", "a", "b"]}],
        "providers": PROVIDERS,
        "assets": [
            {
                "id": "app",
                "deployment": "saas",
                "provider": "fr-app",
                "depends_on": [{"any_of": ["a", "b"]}],
            },
            {"id": "a", "deployment": "saas", "provider": "fr-host"},
            {"id": "b", "deployment": "saas", "provider": "us-host"},
        ],
    }
    assert {"a", "b"} <= _check(test_catalog, sections, "app", depends_on=[])


def test_a_member_whose_partner_loses_its_independence_has_its_exit_scored_again(
    test_catalog: Catalog,
) -> None:
    """The exit verdict reads the partners' footprints (scoring.takeover.EXIT_READS):
    when ``b`` moves to ``a``'s provider, ``a``'s "another member takes over" turns
    into the common mode that defeats the group, and back. The process is minor: the
    members' gravity cannot step lower, so nothing but the exit verdict moves."""
    sections = {
        "processes": [{"id": "p", "criticality": "minor", "depends_on": [{"any_of": ["a", "b"]}]}],
        "providers": PROVIDERS,
        "assets": [
            {"id": "a", "deployment": "saas", "provider": "fr-host", "location": {"region": "n"}},
            {"id": "b", "deployment": "saas", "provider": "fr-app", "location": {"region": "s"}},
        ],
    }
    assert "a" in _check(test_catalog, sections, "b", provider="fr-host")
    sections["assets"][1]["provider"] = "fr-host"
    assert "a" in _check(test_catalog, sections, "b", provider="fr-app")


def test_the_assets_of_an_owner_group_whose_count_moves_are_scored_again(
    test_catalog: Catalog,
) -> None:
    sections = {
        "processes": [{"id": "p", "criticality": "vital", "depends_on": ["a", "b", "c"]}],
        "providers": PROVIDERS,
        "assets": [
            {"id": "a", "deployment": "saas", "provider": "us-host"},
            {"id": "b", "deployment": "saas", "provider": "us-host"},
            {"id": "c", "deployment": "saas", "provider": "fr-host"},
        ],
    }
    # "b" moves away from the US group: "a" is left alone in it (2 of 3 → 1 of 3).
    assert "a" in _check(test_catalog, sections, "b", provider="fr-app")


def test_reasons_found_again_keep_the_audits_order(test_catalog: Catalog) -> None:
    """The app's host moves to a US provider: its new host reason (score 3) ties with
    its location reason (score 3, a later rule) and must come first, as in an audit."""
    sections = {
        "processes": [{"id": "p", "criticality": "vital", "depends_on": ["app"]}],
        "providers": PROVIDERS,
        "assets": [
            {
                "id": "app",
                "deployment": "saas",
                "provider": "fr-app",
                "location": {"country": "US"},
                "depends_on": ["host"],
            },
            {"id": "host", "deployment": "public-cloud", "provider": "fr-host"},
        ],
    }
    assert "app" in _check(test_catalog, sections, "host", provider="us-host")


def test_new_requirements_against_the_audits_order_are_refolded_in_order(
    test_catalog: Catalog,
) -> None:
    """z comes to require x, and x to require y: y, ordered before x in the audited
    estate, must be worked out after x, which gives it its gravity."""
    sections = {
        "processes": [{"id": "p", "criticality": "vital", "depends_on": ["z"]}],
        "providers": PROVIDERS,
        "assets": [
            {"id": "x", "deployment": "saas", "provider": "fr-app"},
            {"id": "y", "deployment": "saas", "provider": "fr-app"},
            {"id": "z", "deployment": "saas", "provider": "fr-app"},
        ],
    }
    updates = {"z": {"depends_on": ["x"]}, "x": {"depends_on": ["y"]}}
    assert {"x", "y"} <= _check(test_catalog, sections, updates=updates)


def test_an_unchanged_asset_whose_need_moves_has_its_rto_compared_again(
    test_catalog: Catalog,
) -> None:
    """The app stops requiring the tool: the tool's tightest need goes from 8 hours to
    two weeks, and its 3-day RTO no longer exceeds it."""
    sections = {
        "processes": [
            {"id": "v", "criticality": "vital", "max_downtime": "8h", "depends_on": ["app"]},
            {"id": "u", "criticality": "vital", "max_downtime": "2w", "depends_on": ["tool"]},
        ],
        "providers": PROVIDERS,
        "assets": [
            {"id": "app", "deployment": "saas", "provider": "fr-app", "depends_on": ["tool"]},
            {"id": "tool", "deployment": "saas", "provider": "fr-app", "continuity": {"rto": "3d"}},
        ],
    }
    assert "tool" in _check(test_catalog, sections, "app", depends_on=[])


def test_a_need_tied_between_two_processes_goes_to_the_earlier_one(
    test_catalog: Catalog,
) -> None:
    """c is needed within 8 hours by p1 (through a) and by p2 (through b0 and b): the
    audit and the what-if, which fold c's requirers in different orders, must both
    name p1, the earlier process."""
    sections = {
        "processes": [
            {"id": "p1", "criticality": "vital", "max_downtime": "8h", "depends_on": ["a"]},
            {"id": "p2", "criticality": "vital", "max_downtime": "8h", "depends_on": ["b0"]},
        ],
        "providers": PROVIDERS,
        "assets": [
            {"id": "b", "deployment": "saas", "provider": "fr-app", "depends_on": ["c"]},
            {"id": "a", "deployment": "saas", "provider": "fr-app", "depends_on": ["c"]},
            {"id": "b0", "deployment": "saas", "provider": "fr-app", "depends_on": ["b"]},
            {"id": "c", "deployment": "saas", "provider": "fr-app", "exit": {"duration": "4h"}},
            {"id": "d", "deployment": "saas", "provider": "fr-app"},
        ],
    }
    _check(test_catalog, sections, "a", depends_on=["c", "d"])
