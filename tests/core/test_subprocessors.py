"""The jurisdiction axis follows the sub-processors that host or process the data
(docs/methodology.md, "Sub-processors"): the provider's subcontractors, transitively,
the assets an asset requires (plain requirements and ``any_of`` members) through their
providers' chains, each with the path in the reason and every fact cited.

The test catalog's US has a data-access law (Test Data Access Act) and a service-cutoff
law (Test Sanctions Act), both reaching by control; DE, FR and LU none.
"""

from __future__ import annotations

from typing import Any

import pytest

from souverain.core.catalog.model import Catalog
from souverain.core.scoring.audit import audit
from souverain.core.scoring.rules.base import SIGNATURES
from souverain.core.scoring.whatif import rescore
from souverain.resources import DATA, load_methodology
from tests.conftest import TODAY
from tests.core.conftest import AMAZON, AWS_EMEA, OVH, SAP, AuditOf, build_estate
from tests.core.test_axes import app, axis, reason, rules

ODOO = {"id": "odoo", "name": "Odoo SA", "country": "FR", "subcontractors": ["aws-emea"]}
SAAS = {"provider": "odoo", "deployment": "saas", "location": {"country": "FR"}, "data": ["orders"]}
CLEAR_EN = "No foreign law with extraterritorial reach found"


def host(ident: str, provider: str, **fields: Any) -> dict[str, Any]:
    return {"id": ident, "name": ident.upper(), "provider": provider, **fields}


def keys(holder: str) -> dict[str, Any]:
    return {"encryption": {"keys_held_by": holder}}


def refs(found: Any) -> list[str]:
    return [fact.ref for fact in found.facts]


# --- subcontractors ---------------------------------------------------------------------


def test_a_french_saas_with_a_us_owned_subcontractor_is_reached(audit_of: AuditOf) -> None:
    result = audit_of(providers=[ODOO, AWS_EMEA, AMAZON], assets=[app(**SAAS, **keys("provider"))])
    score = axis(result, "jurisdiction")
    assert score.score == 3
    assert "clear" not in rules(score)
    access = reason(score, "subcontractor-data-access")
    path = "Odoo SA (FR) → Amazon Web Services EMEA SARL (LU) → Amazon.com Inc. (US)"
    assert access.params["path"] == path
    assert access.params["processor"] == "Amazon Web Services EMEA SARL"
    assert (access.params["entity"], access.params["laws"]) == (
        "Amazon.com Inc.",
        "Test Data Access Act",
    )
    assert path in access.text("en") and path in access.text("fr")
    assert CLEAR_EN not in access.text("en")
    # Every fact on the path: the provider's country, the subcontracting link, the
    # subcontractor's country, the owner's country, the law.
    assert refs(access) == [
        "providers[odoo].country",
        "providers[odoo].subcontractors",
        "providers[aws-emea].country",
        "providers[amazon].country",
        "catalog jurisdiction US: test-data-law",
    ]
    assert access.evidence.source == "test fixture"
    cutoff = reason(score, "subcontractor-service-cutoff")
    assert (cutoff.score, cutoff.params["laws"]) == (3, "Test Sanctions Act")


def test_own_keys_lower_the_data_access_half_never_the_cutoff(audit_of: AuditOf) -> None:
    def run(holder: str) -> Any:
        return axis(
            audit_of(providers=[ODOO, AWS_EMEA, AMAZON], assets=[app(**SAAS, **keys(holder))]),
            "jurisdiction",
        )

    exposed, own = run("provider"), run("organisation")
    assert reason(exposed, "subcontractor-data-access").score == 3
    assert "subcontractor-data-access" not in rules(own)
    lowered = reason(own, "subcontractor-data-access-own-keys")
    assert lowered.score == 2
    assert "keys" in lowered.text("en") and "clés" in lowered.text("fr")
    assert lowered.params["path"] == reason(exposed, "subcontractor-data-access").params["path"]
    cutoff = reason(own, "subcontractor-service-cutoff")
    assert cutoff == reason(exposed, "subcontractor-service-cutoff")
    assert own.score == exposed.score == 3


def test_unknown_key_custody_counts_as_exposed(audit_of: AuditOf) -> None:
    result = audit_of(providers=[ODOO, AWS_EMEA, AMAZON], assets=[app(**SAAS)])
    assert reason(axis(result, "jurisdiction"), "subcontractor-data-access").score == 3


def test_subcontractors_are_followed_transitively_with_the_whole_path(
    audit_of: AuditOf,
) -> None:
    result = audit_of(
        providers=[
            {**ODOO, "subcontractors": ["ovhcloud"]},
            {**OVH, "subcontractors": ["aws-emea"]},
            AWS_EMEA,
            AMAZON,
        ],
        assets=[app(**SAAS)],
    )
    access = reason(axis(result, "jurisdiction"), "subcontractor-data-access")
    assert access.params["path"] == (
        "Odoo SA (FR) → OVH SAS (FR) → Amazon Web Services EMEA SARL (LU) → Amazon.com Inc. (US)"
    )
    assert "providers[ovhcloud].subcontractors" in refs(access)


def test_a_saas_holding_no_data_has_only_the_cutoff_half(audit_of: AuditOf) -> None:
    result = audit_of(providers=[ODOO, AWS_EMEA, AMAZON], assets=[app(**{**SAAS, "data": []})])
    score = axis(result, "jurisdiction")
    assert [r for r in rules(score) if "data-access" in r] == []
    assert reason(score, "subcontractor-service-cutoff").score == 3


def test_on_premises_a_us_subcontractor_can_stop_support_only(audit_of: AuditOf) -> None:
    result = audit_of(
        providers=[ODOO, AWS_EMEA, AMAZON],
        assets=[app(provider="odoo", deployment="on-premise", data=["orders"])],
    )
    score = axis(result, "jurisdiction")
    assert rules(score) == ["subcontractor-licence-cutoff"]
    assert score.score == 1


# --- hosts ------------------------------------------------------------------------------


def test_a_saas_hosted_on_a_us_owned_cloud_scores_as_its_provider_would(
    audit_of: AuditOf,
) -> None:
    result = audit_of(
        providers=[SAP, AWS_EMEA, AMAZON],
        assets=[
            app(
                provider="sap",
                deployment="saas",
                location={"country": "DE"},
                data=["orders"],
                depends_on=["vm"],
                **keys("provider"),
            ),
            host("vm", "aws-emea", category="iaas", deployment="public-cloud"),
        ],
    )
    score = axis(result, "jurisdiction")
    assert score.score == 4
    access = reason(score, "host-data-access")
    assert access.score == 4
    assert access.params["processor"] == "VM"
    assert access.params["path"] == (
        "VM → Amazon Web Services EMEA SARL (LU) → Amazon.com Inc. (US)"
    )
    assert refs(access) == [
        "assets[app].depends_on",
        "assets[vm].provider",
        "providers[aws-emea].country",
        "providers[amazon].country",
        "catalog jurisdiction US: test-data-law",
    ]
    assert reason(score, "host-service-cutoff").score == 4


def test_own_keys_lower_the_host_data_access_not_its_cutoff(audit_of: AuditOf) -> None:
    def run(holder: str) -> Any:
        return axis(
            audit_of(
                providers=[SAP, AWS_EMEA, AMAZON],
                assets=[
                    app(provider="sap", deployment="saas", data=["orders"], depends_on=["vm"])
                    | keys(holder)
                    | {"location": {"country": "DE"}},
                    host("vm", "aws-emea", category="iaas", deployment="public-cloud"),
                ],
            ),
            "jurisdiction",
        )

    exposed, own = run("third-party"), run("organisation")
    assert reason(exposed, "host-data-access").score == 4
    assert "host-data-access" not in rules(own)
    assert reason(own, "host-data-access-own-keys").score == 2
    assert reason(own, "host-service-cutoff") == reason(exposed, "host-service-cutoff")
    assert own.score == 4  # the cut-off half is untouched


def test_a_required_identity_service_is_a_cutoff_not_a_data_host(audit_of: AuditOf) -> None:
    # Categories the data-access rule takes: iaas, paas, databases, storage... not identity.
    result = audit_of(
        providers=[SAP, AWS_EMEA, AMAZON],
        assets=[
            app(
                provider="sap",
                deployment="saas",
                location={"country": "DE"},
                data=["orders"],
                depends_on=["sso"],
            ),
            host("sso", "aws-emea", category="identity", deployment="saas"),
        ],
    )
    score = axis(result, "jurisdiction")
    assert "host-data-access" not in rules(score)
    assert reason(score, "host-service-cutoff").params["processor"] == "SSO"


def test_a_host_within_the_providers_own_chain_is_not_repeated(audit_of: AuditOf) -> None:
    result = audit_of(
        providers=[AWS_EMEA, AMAZON],
        assets=[
            app(provider="aws-emea", deployment="saas", data=["orders"], depends_on=["vm"]),
            host("vm", "aws-emea", category="iaas", deployment="public-cloud"),
        ],
    )
    assert not [r for r in rules(axis(result, "jurisdiction")) if r.startswith("host-")]


def test_a_subcontractor_that_hosts_is_named_once_as_the_host(audit_of: AuditOf) -> None:
    # SAP RISE: SAP subcontracts to AWS, and the estate names the AWS host.
    result = audit_of(
        providers=[{**SAP, "subcontractors": ["aws-emea"]}, AWS_EMEA, AMAZON],
        assets=[
            app(
                provider="sap",
                deployment="saas",
                location={"country": "DE"},
                data=["orders"],
                depends_on=["vm"],
            ),
            host("vm", "aws-emea", category="iaas", deployment="public-cloud"),
        ],
    )
    names = rules(axis(result, "jurisdiction"))
    assert "host-data-access" in names and "host-service-cutoff" in names
    assert not [r for r in names if r.startswith("subcontractor-")]


# --- any_of groups ----------------------------------------------------------------------


def test_a_group_member_on_a_us_cloud_holds_a_copy_of_the_data(audit_of: AuditOf) -> None:
    result = audit_of(
        providers=[SAP, AWS_EMEA, AMAZON, OVH],
        assets=[
            app(
                provider="sap",
                deployment="saas",
                location={"country": "DE"},
                data=["orders"],
                depends_on=[{"any_of": ["vm", "ovh-vm"]}],
            ),
            host("vm", "aws-emea", category="iaas", deployment="public-cloud"),
            host("ovh-vm", "ovhcloud", category="iaas", deployment="public-cloud"),
        ],
    )
    score = axis(result, "jurisdiction")
    assert score.score == 4
    assert "clear" not in rules(score)
    assert reason(score, "host-data-access").params["processor"] == "VM"
    # The group outlives an order to Amazon: OVH is out of its reach.
    assert "host-service-cutoff" not in rules(score)
    covered = reason(score, "redundant-host-cutoff")
    assert (covered.score, covered.params["processor"], covered.params["others"]) == (
        1,
        "VM",
        "OVH-VM",
    )


def test_a_group_every_member_of_which_one_law_reaches_is_cut(audit_of: AuditOf) -> None:
    result = audit_of(
        providers=[SAP, AWS_EMEA, AMAZON],
        assets=[
            app(
                provider="sap",
                deployment="saas",
                location={"country": "DE"},
                data=[],
                depends_on=[{"any_of": ["vm", "vm2"]}],
            ),
            host("vm", "aws-emea", category="iaas", deployment="public-cloud"),
            host("vm2", "amazon", category="iaas", deployment="public-cloud"),
        ],
    )
    score = axis(result, "jurisdiction")
    cutoff = reason(score, "host-service-cutoff")
    assert (cutoff.score, cutoff.params["processor"]) == (4, "VM, VM2")
    assert "redundant-host-cutoff" not in rules(score)


# --- the clear text ---------------------------------------------------------------------


def test_the_clear_text_only_when_nothing_up_the_whole_chain_is_reached(
    audit_of: AuditOf,
) -> None:
    french = {
        "id": "editeur",
        "name": "Éditeur SAS",
        "country": "FR",
        "subcontractors": ["ovhcloud"],
    }
    on_premise = {"provider": "editeur", "deployment": "on-premise", "data": ["orders"]}
    result = audit_of(
        providers=[french, OVH],
        assets=[
            app(**on_premise, depends_on=["srv"]),
            host("srv", "ovhcloud", category="iaas", deployment="public-cloud"),
        ],
    )
    score = axis(result, "jurisdiction")
    assert (score.score, rules(score)) == (0, ["clear"])
    text = score.reasons[0].text("en")
    assert text.startswith(CLEAR_EN) and "subcontractors" in text
    assert "sous-traitants" in score.reasons[0].text("fr")
    # The same estate, but the French subcontractor is now owned from the US.
    owned = {**OVH, "owner": "amazon"}
    result = audit_of(
        providers=[french, owned, AMAZON],
        assets=[
            app(**on_premise, depends_on=["srv"]),
            host("srv", "ovhcloud", category="iaas", deployment="public-cloud"),
        ],
    )
    score = axis(result, "jurisdiction")
    assert "clear" not in rules(score)
    assert "host-data-access" in rules(score)  # its data is on that cloud
    assert score.score == 4


# --- methodology and what-if --------------------------------------------------------------


def test_key_custody_is_a_declared_parameter() -> None:
    for name in ("owner_chain_law", "processor_law"):
        spec = SIGNATURES[name].params["keys_held_by"]
        assert not spec.required
        assert set(spec.values) == {"organisation", "provider", "third-party", "unknown"}


def test_a_methodology_can_stop_trusting_own_keys(tmp_path: Any, test_catalog: Catalog) -> None:
    shipped = (DATA / "methodology.yaml").read_text("utf-8")
    old = "keys_held_by: [provider, third-party, unknown]}"
    assert old in shipped
    path = tmp_path / "methodology.yaml"
    path.write_text(
        shipped.replace(old, "keys_held_by: [organisation, provider, third-party, unknown]}"),
        "utf-8",
    )
    estate = build_estate(
        providers=[ODOO, AWS_EMEA, AMAZON], assets=[app(**SAAS, **keys("organisation"))]
    )
    row = audit(estate, load_methodology(path), test_catalog, TODAY).dependencies[0]
    assert reason(row.exposure["jurisdiction"], "subcontractor-data-access").score == 3


@pytest.mark.parametrize(
    "change",
    [
        {"category": "iaas"},  # identity → a data host
        {"provider": "ovhcloud"},  # out of reach
        {"deployment": "on-premise"},
    ],
)
def test_the_what_if_rescores_an_asset_whose_host_changes(
    test_catalog: Catalog, methodology: Any, change: dict[str, Any]
) -> None:
    sections = {
        "providers": [SAP, AWS_EMEA, AMAZON, OVH],
        "assets": [
            host("sso", "aws-emea", category="identity", deployment="saas"),
            app(
                provider="sap",
                deployment="saas",
                location={"country": "DE"},
                data=["orders"],
                depends_on=[{"any_of": ["sso", "sso2"]}],
            ),
            host("sso2", "aws-emea", category="identity", deployment="saas"),
        ],
    }
    estate = build_estate(**sections)
    base = audit(estate, methodology, test_catalog, TODAY)
    assets = [a.model_copy(update=change) if a.id == "sso" else a for a in estate.assets]
    after = estate.model_copy(update={"assets": assets})
    partial = rescore(base, after)
    assert partial is not None
    _, rows = partial
    whole = {d.asset: d for d in audit(after, methodology, test_catalog, TODAY).dependencies}
    again = {d.asset: d for d in rows}
    assert "app" in again
    assert again["app"].exposure == whole["app"].exposure
