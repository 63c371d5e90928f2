"""Levels read from assessed findings; unknowns as coverage (docs/methodology.md,
"Levels" and "Coverage").

Each test builds a small estate for one rule and asserts its verdict."""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from souverain.core.catalog.model import Catalog
from souverain.core.errors import InvalidInput
from souverain.core.scoring.audit import audit
from souverain.core.scoring.levels import exposure_band
from souverain.core.scoring.methodology import AXES, Bands, Methodology
from souverain.core.scoring.score import compile_axes
from souverain.exporters.matrix import audit_document
from souverain.exporters.schema import AuditOut
from souverain.i18n import problem_text
from souverain.resources import DATA, load_methodology
from tests.conftest import TODAY
from tests.core.conftest import AMAZON, AWS_EMEA, AuditOf, build_estate

UNKNOWN_VENDOR = {"id": "vendor", "name": "Some Vendor"}  # no country, no owner


def process(criticality: str, *assets: str) -> dict[str, Any]:
    return {
        "id": f"p-{criticality}",
        "criticality": criticality,
        "max_downtime": "8h",
        "depends_on": list(assets),
    }


def unknown_saas(ident: str) -> dict[str, Any]:
    """A SaaS of a vendor of unknown country: nothing else is given."""
    return {"id": ident, "provider": "vendor", "deployment": "saas"}


def known_us_saas(ident: str, **fields: Any) -> dict[str, Any]:
    """A SaaS of a US-owned provider, documented: data in Germany, provider-held keys,
    backups at the organisation, a recent restore test, open exports."""
    return {
        "id": ident,
        "provider": "aws-emea",
        "deployment": "saas",
        "location": {"country": "DE"},
        "data": ["orders"],
        "encryption": {"keys_held_by": "provider"},
        "licence": "proprietary",
        "exports": ["csv"],
        "skills": "medium",
        "continuity": {
            "rto": "4h",
            "backup": {
                "held_by": "organisation",
                "offline_copy": True,
                "last_restore_test": "2026-10-01",
            },
        },
        **fields,
    }


# --- unknowns are coverage, not exposure -----------------------------------------------


def test_an_all_unknown_saas_is_medium_and_provisional_not_critical(audit_of: AuditOf) -> None:
    result = audit_of(
        providers=[UNKNOWN_VENDOR],
        processes=[process("important", "crm")],
        assets=[unknown_saas("crm")],
    )
    row = result.dependencies[0]
    # Its grave findings are "not assessed" (country, keys, contract, skills...): they
    # used to weigh as confirmed exposures. Only "it is a SaaS" (operations 3) is found.
    assert {a: s.score for a, s in row.exposure.items() if s.score >= 3} == {
        "jurisdiction": 3,
        "data_control": 3,
        "operations": 3,
        "contract": 3,
        "skills": 3,
    }
    assert row.assessed["jurisdiction"] == row.assessed["data_control"] == 0
    assert row.assessed["operations"] == 3
    assert (row.band, row.level, row.provisional) == (2, "medium", True)
    assert row.level_if_confirmed == "high"


def test_on_a_vital_process_an_all_unknown_saas_is_not_critical(audit_of: AuditOf) -> None:
    result = audit_of(
        providers=[UNKNOWN_VENDOR],
        processes=[process("vital", "crm")],
        assets=[unknown_saas("crm")],
    )
    row = result.dependencies[0]
    # A SaaS on a vital process is high (found); its unknowns would make it critical.
    assert (row.level, row.provisional, row.level_if_confirmed) == ("high", True, "critical")


def test_unknowns_alone_raise_a_level_to_medium_at_most(audit_of: AuditOf) -> None:
    # Nothing at all is given: every grave finding is "not assessed".
    result = audit_of(processes=[process("vital", "thing")], assets=[{"id": "thing"}])
    row = result.dependencies[0]
    assert row.band == 0  # nothing assessed found anything
    assert (row.level, row.provisional, row.level_if_confirmed) == ("medium", True, "high")


def test_a_confirmed_cloud_act_exposure_on_a_vital_process_stays_critical(
    audit_of: AuditOf,
) -> None:
    # The provider's US owner is known; everything else is unknown.
    result = audit_of(
        providers=[AWS_EMEA, AMAZON],
        processes=[process("vital", "mail")],
        assets=[{"id": "mail", "provider": "aws-emea", "deployment": "saas"}],
    )
    row = result.dependencies[0]
    assert row.assessed["jurisdiction"] == 4
    assert row.exposure["jurisdiction"].reasons[0].rule == "chain-data-access"
    assert (row.level, row.provisional) == ("critical", False)
    assert row.coverage < 0.5  # unknowns lower the coverage, never a confirmed level


def test_a_lone_foreign_law_exposure_on_a_vital_process_is_critical(audit_of: AuditOf) -> None:
    # Public cloud of a US-owned provider, the organisation holding the keys, documented:
    # jurisdiction 4 is the only grave axis, one band lower: 3, vital × 3 = critical.
    asset = known_us_saas(
        "iaas", deployment="public-cloud", encryption={"keys_held_by": "organisation"}
    )
    result = audit_of(
        providers=[AWS_EMEA, AMAZON], processes=[process("vital", "iaas")], assets=[asset]
    )
    row = result.dependencies[0]
    assert row.exposure["jurisdiction"].score == 4
    assert max(v for a, v in row.assessed.items() if a != "jurisdiction") <= 2
    assert (row.band, row.level) == (3, "critical")


# --- coverage --------------------------------------------------------------------------


def test_coverage_is_the_share_of_axis_weight_whose_findings_are_all_assessed(
    audit_of: AuditOf, methodology: Methodology
) -> None:
    result = audit_of(
        providers=[UNKNOWN_VENDOR],
        processes=[process("important", "crm")],
        assets=[unknown_saas("crm")],
    )
    row = result.dependencies[0]
    # Only supply chain (weight 1 of 12) has no finding "not assessed".
    assert set(row.unknown_axes) == set(AXES) - {"supply_chain"}
    weights = {a: methodology.axes[a].weight for a in AXES}
    assert row.coverage == round(weights["supply_chain"] / sum(weights.values()), 2) == 0.08


def test_a_fully_documented_dependency_has_full_coverage(audit_of: AuditOf) -> None:
    result = audit_of(
        providers=[AWS_EMEA, AMAZON],
        processes=[process("important", "mail")],
        assets=[known_us_saas("mail")],
        contracts=[],
    )
    row = result.dependencies[0]
    assessed = [a for a in AXES if a not in row.unknown_axes]
    assert "jurisdiction" in assessed and "data_control" in assessed
    assert row.coverage == pytest.approx(
        sum(result.methodology.axes[a].weight for a in assessed)
        / sum(result.methodology.axes[a].weight for a in AXES),
        abs=0.005,
    )


def test_the_summary_counts_unknowns_apart(audit_of: AuditOf) -> None:
    result = audit_of(
        providers=[UNKNOWN_VENDOR, AWS_EMEA, AMAZON],
        processes=[process("important", "crm", "mail")],
        assets=[unknown_saas("crm"), {"id": "mail", "provider": "aws-emea", "deployment": "saas"}],
    )
    summary = audit_document(result, "en")["summary"]
    assert summary["levels"] == {"critical": 1, "high": 0, "medium": 1, "low": 0}
    assert summary["levels_if_confirmed"] == {"critical": 1, "high": 1, "medium": 0, "low": 0}
    assert summary["provisional"] == 1  # crm; mail is critical whatever its unknowns
    assert summary["unknowns"]["jurisdiction"] == 2  # crm's country; where the data lies
    assert summary["unknowns"]["data_control"] == 2  # nobody says who holds the keys
    assert summary["unknowns"]["supply_chain"] == 0
    rows = {d.asset: d for d in result.dependencies}
    assert summary["coverage"] == round((rows["crm"].coverage + rows["mail"].coverage) / 2, 2)


def test_the_json_document_carries_the_level_its_confidence_and_the_cut_offs(
    audit_of: AuditOf,
) -> None:
    result = audit_of(
        providers=[UNKNOWN_VENDOR],
        processes=[process("important", "crm")],
        assets=[unknown_saas("crm")],
    )
    document = audit_document(result, "fr")
    row = document["dependencies"][0]
    assert (row["level"], row["provisional"], row["level_if_confirmed"]) == (
        "medium",
        True,
        "high",
    )
    assert (row["band"], row["coverage"]) == (2, 0.08)
    assert "jurisdiction" in row["unknown_axes"]
    assert row["exposure"]["jurisdiction"]["score"] == 3
    assert row["exposure"]["jurisdiction"]["assessed_score"] == 0
    method = document["methodology"]
    assert method["levels"] == {
        "main_weight": 2.0,
        "other_cap": 2,
        "lone": 1,
        "unknown_cap": "medium",
    }
    assert method["risk_matrix"]["vital"] == ["low", "medium", "high", "critical", "critical"]
    AuditOut.model_validate(document)  # `souverain schema audit` describes it


# --- no threshold artefacts ------------------------------------------------------------


def test_near_equal_dependencies_of_one_provider_and_law_land_alike(audit_of: AuditOf) -> None:
    # Same provider, same law, same data and keys; they differ on lighter matters:
    # lock-in (closed exports, 3, against open ones, 2), skills (low, 3, against high,
    # 0) and the contract (none linked, against one with every clause).
    clauses = dict.fromkeys(
        (
            "eu_hosting",
            "data_portability",
            "exit_assistance",
            "subprocessor_approval",
            "audit_rights",
            "price_protection",
        ),
        True,
    )
    result = audit_of(
        providers=[AWS_EMEA, AMAZON],
        processes=[process("important", "mail", "directory")],
        assets=[
            known_us_saas("mail", exports=["vendor-dump"], skills="low"),
            known_us_saas("directory", skills="high", contract="c-dir"),
        ],
        contracts=[{"id": "c-dir", "provider": "aws-emea", "clauses": clauses}],
    )
    rows = {d.asset: d for d in result.dependencies}
    mail, directory = rows["mail"], rows["directory"]
    assert mail.exposure["lock_in"].score > directory.exposure["lock_in"].score
    # The blend puts them on either side of a rounding cut-off...
    assert math.floor(mail.exposure_score + 0.5) != math.floor(directory.exposure_score + 0.5)
    # ...the band, read from whole scores, does not.
    assert mail.band == directory.band == 4
    assert mail.level == directory.level == "critical"


@pytest.mark.parametrize(
    ("scores", "band"),
    [
        ({"jurisdiction": 4, "data_control": 4}, 4),  # compounded: counts in full
        ({"jurisdiction": 4, "data_control": 3}, 3),  # alone at 4: one band lower
        ({"jurisdiction": 4}, 3),
        ({"operations": 3, "lock_in": 2}, 2),
        ({"operations": 3, "data_control": 3}, 3),
        ({"lock_in": 2}, 1),
        ({"skills": 4}, 1),  # a lighter axis counts for 2 at most, alone: 1
        ({"skills": 4, "contract": 3}, 2),
        ({"skills": 4, "lock_in": 2}, 2),
        ({}, 0),
    ],
)
def test_the_band_reads_whole_scores(
    methodology: Methodology, scores: dict[str, int], band: int
) -> None:
    axes = compile_axes(methodology)
    full = {a: scores.get(a, 0) for a in AXES}
    assert exposure_band(methodology.levels, axes, full) == band  # type: ignore[arg-type]


def test_an_axis_of_weight_0_does_not_count(methodology: Methodology) -> None:
    axes = compile_axes(methodology)
    silent = tuple(replace(a, weight=0) if a.name == "skills" else a for a in axes)
    scores = {a: 0 for a in AXES} | {"skills": 4}
    assert exposure_band(methodology.levels, silent, scores) == 0  # type: ignore[arg-type]


# --- the cut-offs are data -------------------------------------------------------------


def test_a_methodology_may_count_unknowns_as_nothing(
    methodology: Methodology, test_catalog: Catalog
) -> None:
    strict = methodology.model_copy(update={"levels": Bands(unknown_cap="low")})
    estate = build_estate(processes=[process("vital", "thing")], assets=[{"id": "thing"}])
    row = audit(estate, strict, test_catalog, TODAY).dependencies[0]
    assert (row.level, row.provisional, row.level_if_confirmed) == ("low", True, "high")


def test_a_methodology_may_band_on_the_worst_axis_alone(
    methodology: Methodology, test_catalog: Catalog
) -> None:
    worst = methodology.model_copy(update={"levels": Bands(lone=0)})
    estate = build_estate(
        providers=[UNKNOWN_VENDOR],
        processes=[process("important", "crm")],
        assets=[unknown_saas("crm")],
    )
    row = audit(estate, worst, test_catalog, TODAY).dependencies[0]
    assert (row.band, row.level) == (3, "high")  # the SaaS's operations 3, counted in full


def test_a_methodology_file_without_levels_takes_the_defaults(tmp_path: Path) -> None:
    shipped = (DATA / "methodology.yaml").read_text(encoding="utf-8")
    start = shipped.index("levels:\n")
    end = shipped.index("\n\n", start)
    path = tmp_path / "methodology.yaml"
    path.write_text(shipped[:start] + shipped[end + 2 :])
    assert load_methodology(path).levels == Bands()


def test_a_wrong_unknown_cap_is_located(tmp_path: Path) -> None:
    shipped = (DATA / "methodology.yaml").read_text(encoding="utf-8")
    text = shipped.replace("  unknown_cap: medium\n", "  unknown_cap: meduim\n")
    path = tmp_path / "methodology.yaml"
    path.write_text(text)
    with pytest.raises(InvalidInput) as caught:
        load_methodology(path)
    (problem,) = caught.value.problems
    assert problem.file == str(path)
    assert problem.line == text[: text.index("unknown_cap: meduim")].count("\n") + 1
    assert problem.field() == "levels.unknown_cap"
    assert problem_text("fr", problem.found) == "'meduim'"
    assert "medium" in problem_text("en", problem.expected)
