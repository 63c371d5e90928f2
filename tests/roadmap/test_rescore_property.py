"""``audit.rescore`` against whole audits on random estates and random edits: every row
it keeps must equal the whole audit's, and every row it scores again too."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from souverain.core.audit import Dependency, audit
from souverain.core.whatif import rescore
from souverain.core.catalog import Catalog
from souverain.core.validation import parse_estate
from souverain.resources import load_methodology
from tests.conftest import TODAY
from tests.scenarios.test_scenarios import ORG, estates

METHODOLOGY = load_methodology()


def view_of(dep: Dependency) -> tuple[Any, ...]:
    return (
        dep.gravity,
        dep.gravity_process,
        dep.level,
        dep.exposure_score,
        tuple(
            (axis, s.score, tuple(r.text("en") for r in s.reasons))
            for axis, s in dep.exposure.items()
        ),
        dep.exit.readiness,
        dep.exit.can_exit_within_max_downtime,
        tuple(r.text("en") for r in dep.exit.reasons),
    )


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=estates(), edit=st.data())
def test_rescore_agrees_with_a_whole_audit(
    test_catalog: Catalog, data: tuple[dict[str, Any], dict[str, str]], edit: st.DataObject
) -> None:
    sections, _ = data
    estate = parse_estate({"souverain": 1, "organisation": ORG, **sections})
    base = audit(estate, METHODOLOGY, test_catalog, TODAY)
    assets = list(estate.assets)
    index = edit.draw(st.integers(0, len(assets) - 1))
    target = assets[index]
    kind = edit.draw(st.sampled_from(["provider", "drop-requirement", "skills", "deployment"]))
    update: dict[str, Any] = {}
    if kind == "provider":
        update["provider"] = edit.draw(st.sampled_from([None] + [p.id for p in estate.providers]))
    elif kind == "drop-requirement" and target.depends_on:
        update["depends_on"] = target.depends_on[1:]
    elif kind == "skills":
        update["skills"] = edit.draw(st.sampled_from(["none", "low", "high"]))
    else:
        update["deployment"] = edit.draw(st.sampled_from(["saas", "on-premise"]))
    assets[index] = target.model_copy(update=update)
    after = estate.model_copy(update={"assets": assets})
    partial = rescore(base, after)
    whole = {
        d.asset: view_of(d) for d in audit(after, METHODOLOGY, test_catalog, TODAY).dependencies
    }
    if partial is None:
        return
    before_rows, after_rows = partial
    rescored = {d.asset: view_of(d) for d in after_rows}
    assert {d.asset for d in before_rows} == set(rescored)
    for dep in base.dependencies:
        expected = whole[dep.asset]
        got = rescored.get(dep.asset, view_of(dep))
        assert got == expected, (kind, update, dep.asset)


# --- each reason a row outside the edit is scored again, on a hand-built estate -------


def _check(test_catalog: Catalog, sections: dict[str, Any], target: str, **update: Any) -> set[str]:
    """Apply ``update`` to asset ``target``; return the assets rescore scored again,
    after checking every row against a whole audit."""
    estate = parse_estate({"souverain": 1, "organisation": ORG, **sections})
    base = audit(estate, METHODOLOGY, test_catalog, TODAY)
    assets = [a.model_copy(update=update) if a.id == target else a for a in estate.assets]
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
