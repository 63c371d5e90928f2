"""Risk = gravity × exposure through the methodology's matrix; the methodology is
data an organisation may replace (docs/methodology.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from souverain.core.catalog.model import Catalog
from souverain.core.errors import InvalidInput
from souverain.core.scoring.audit import audit
from souverain.core.scoring.methodology import ExposureBlend, Methodology
from souverain.i18n import problem_text
from souverain.resources import DATA, load_methodology
from tests.conftest import TODAY
from tests.core.conftest import AuditOf, build_estate

SHIPPED = (DATA / "methodology.yaml").read_text(encoding="utf-8")

# Shipped axis weights: jurisdiction 3, data_control 2, operations 2, supply_chain 1,
# lock_in 2, contract 1, skills 1.
WEIGHTS = {
    "jurisdiction": 3,
    "data_control": 2,
    "operations": 2,
    "supply_chain": 1,
    "lock_in": 2,
    "contract": 1,
    "skills": 1,
}


def in_house(ident: str, skills: str = "low", **fields: Any) -> dict[str, Any]:
    """Software run in-house in Germany, well backed up: it is exposed only by its
    proprietary licence (lock_in 2) and its in-house mastery (skills)."""
    continuity = {
        "rto": "4h",
        "backup": {
            "held_by": "organisation",
            "offline_copy": True,
            "last_restore_test": "2026-10-01",
        },
    }
    return {
        "id": ident,
        "deployment": "on-premise",
        "location": {"country": "DE"},
        "data": ["orders"],
        "exports": ["csv"],
        "licence": "proprietary",
        "continuity": continuity,
        "skills": skills,
        **fields,
    }


def vital(*assets: str) -> dict[str, Any]:
    return {
        "id": "production",
        "criticality": "vital",
        "max_downtime": "8h",
        "depends_on": list(assets),
    }


# --- the matrix ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("gravity", "exposure", "level"),
    [
        ("vital", 0, "low"),
        ("vital", 1, "medium"),
        ("vital", 2, "high"),
        ("vital", 3, "critical"),
        ("important", 2, "medium"),
        ("important", 3, "high"),
        ("important", 4, "critical"),
        ("useful", 4, "high"),
        ("minor", 4, "medium"),
        ("none", 4, "low"),
    ],
)
def test_the_shipped_matrix(
    methodology: Methodology, gravity: Any, exposure: int, level: str
) -> None:
    assert methodology.level(gravity, exposure) == level


def test_exposure_outside_0_to_4_is_clamped(methodology: Methodology) -> None:
    assert methodology.level("vital", 9) == "critical"
    assert methodology.level("vital", -2) == "low"


# --- end to end ------------------------------------------------------------------------


def test_the_axis_scores_of_the_reference_asset(audit_of: AuditOf) -> None:
    result = audit_of(processes=[vital("app")], assets=[in_house("app")])
    row = result.dependencies[0]
    assert {axis: s.score for axis, s in row.exposure.items()} == {
        "jurisdiction": 0,
        "data_control": 0,
        "operations": 0,
        "supply_chain": 0,
        "lock_in": 2,
        "contract": 0,
        "skills": 3,
    }


def test_overall_exposure_blends_the_worst_axis_and_the_weighted_mean(audit_of: AuditOf) -> None:
    result = audit_of(processes=[vital("app")], assets=[in_house("app")])
    row = result.dependencies[0]
    mean = (WEIGHTS["lock_in"] * 2 + WEIGHTS["skills"] * 3) / sum(WEIGHTS.values())  # 7/12
    assert row.exposure_score == round(0.5 * 3 + 0.5 * mean, 2)  # 1.79
    # Lock-in 2 and skills 3, counted for 2 (a lighter axis): band 2; vital × 2 is high.
    assert (row.gravity, row.band, row.level) == ("vital", 2, "high")


def test_a_lighter_axis_at_4_counts_for_2_and_nothing_is_rounded(audit_of: AuditOf) -> None:
    # skills none (4, weight 1) + lock_in 2 (weight 2) + restore never tested: operations 2
    # (weight 2): the blend is 0.5 × 4 + 0.5 × (4 + 4 + 4) / 12 = 2.5, which once rounded
    # to 3 made this dependency critical. The band reads whole scores: skills counts for
    # at most 2 (other_cap), lock-in and operations score 2: band 2, vital × 2 = high.
    asset = in_house("app", skills="none")
    asset["continuity"]["backup"]["last_restore_test"] = None
    row = audit_of(processes=[vital("app")], assets=[asset]).dependencies[0]
    assert row.exposure_score == 2.5
    assert (row.band, row.level) == (2, "high")


def test_an_asset_no_process_needs_is_low_whatever_its_exposure(audit_of: AuditOf) -> None:
    row = audit_of(assets=[in_house("app", skills="none")]).dependencies[0]
    assert (row.gravity, row.level) == ("none", "low")


def test_dependencies_are_ranked_by_level_then_gravity_then_exposure(audit_of: AuditOf) -> None:
    # Bands (lock_in 2 always; skills high 0 / low 3 / none 4, counted for at most 2):
    #   high → lock-in 2 alone, one band lower: 1;  low and none → 2 and 2: band 2.
    # Exposures rank dependencies of one level: low 1.79 < none 2.33.
    result = audit_of(
        processes=[
            vital("b-vital-high", "c-vital-none", "e-vital-low"),
            {"id": "invoicing", "criticality": "important", "depends_on": ["d-important-none"]},
            {"id": "newsletter", "criticality": "minor", "depends_on": ["a-minor-none"]},
        ],
        assets=[
            in_house("a-minor-none", "none"),  # minor × 2 = low
            in_house("b-vital-high", "high"),  # vital × 1 = medium
            in_house("c-vital-none", "none"),  # vital × 2 = high (2.33)
            in_house("d-important-none", "none"),  # important × 2 = medium
            in_house("e-vital-low", "low"),  # vital × 2 = high (1.79)
        ],
    )
    assert [(d.asset, d.level) for d in result.dependencies] == [
        ("c-vital-none", "high"),
        ("e-vital-low", "high"),
        ("b-vital-high", "medium"),
        ("d-important-none", "medium"),
        ("a-minor-none", "low"),
    ]
    assert result.counts() == {"critical": 0, "high": 2, "medium": 2, "low": 1}


# --- a custom methodology --------------------------------------------------------------


def test_the_blend_ranks_but_does_not_choose_the_level(
    methodology: Methodology, test_catalog: Catalog
) -> None:
    # The blend weighs the worst axis against the mean: it moves the overall exposure
    # (ranking, risk total), never the level, which the band of whole scores chooses.
    estate = build_estate(processes=[vital("app")], assets=[in_house("app")])
    rows = {
        weight: audit(
            estate,
            methodology.model_copy(update={"exposure": ExposureBlend(max_weight=weight)}),
            test_catalog,
            TODAY,
        ).dependencies[0]
        for weight in (0.0, 0.5, 1.0)
    }
    assert [rows[w].exposure_score for w in (0.0, 0.5, 1.0)] == [round(7 / 12, 2), 1.79, 3]
    assert {(row.band, row.level) for row in rows.values()} == {(2, "high")}


def test_a_custom_matrix_changes_the_level(methodology: Methodology, test_catalog: Catalog) -> None:
    strict = methodology.model_copy(
        update={
            "risk_matrix": {
                **methodology.risk_matrix,
                "vital": ["medium", "high", "critical", "critical", "critical"],
            }
        }
    )
    estate = build_estate(processes=[vital("app")], assets=[in_house("app")])
    assert audit(estate, strict, test_catalog, TODAY).dependencies[0].level == "critical"


def test_a_methodology_file_can_rescore_a_rule(tmp_path: Path, test_catalog: Catalog) -> None:
    shipped = "{id: skills-low, when: mastery_is, params: {value: low}, score: 3,"
    assert shipped in SHIPPED
    path = tmp_path / "methodology.yaml"
    path.write_text(SHIPPED.replace(shipped, shipped.replace("score: 3", "score: 4")))
    estate = build_estate(processes=[vital("app")], assets=[in_house("app")])
    row = audit(estate, load_methodology(path), test_catalog, TODAY).dependencies[0]
    assert row.exposure["skills"].score == 4
    assert row.exposure_score == round(0.5 * 4 + 0.5 * (2 * 2 + 4) / 12, 2)  # 2.33


# --- invalid methodology files ---------------------------------------------------------


def invalid(tmp_path: Path, text: str) -> tuple[Path, InvalidInput]:
    path = tmp_path / "methodology.yaml"
    path.write_text(text)
    with pytest.raises(InvalidInput) as caught:
        load_methodology(path)
    return path, caught.value


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


VITAL_ROW = "vital:     [low, medium, high, critical, critical]"


def test_an_unknown_level_in_the_matrix_is_located(tmp_path: Path) -> None:
    text = SHIPPED.replace(VITAL_ROW, "vital:     [low, medium, hihg, critical, critical]")
    path, error = invalid(tmp_path, text)
    (problem,) = error.problems
    assert (problem.file, problem.line) == (str(path), line_of(SHIPPED, VITAL_ROW))
    assert problem.field() == "risk_matrix.vital[2]"
    assert problem_text("en", problem.found) == "'hihg'"


def test_a_matrix_row_of_4_levels_is_refused(tmp_path: Path) -> None:
    text = SHIPPED.replace(VITAL_ROW, "vital:     [low, medium, high, critical]")
    path, error = invalid(tmp_path, text)
    (problem,) = error.problems
    assert problem.file == str(path)
    assert "5" in problem_text("en", problem.expected)


def test_a_matrix_row_of_4_levels_is_located_at_the_row(tmp_path: Path) -> None:
    text = SHIPPED.replace(VITAL_ROW, "vital:     [low, medium, high, critical]")
    _, error = invalid(tmp_path, text)
    (problem,) = error.problems
    assert (problem.line, problem.field()) == (line_of(SHIPPED, VITAL_ROW), "risk_matrix.vital")


def without_skills_axis() -> str:
    start = SHIPPED.index("  skills:\n    name:")
    end = SHIPPED.index("# Risk = exposure")
    return SHIPPED[:start] + SHIPPED[end:]


def test_a_missing_axis_is_refused_by_name(tmp_path: Path) -> None:
    path, error = invalid(tmp_path, without_skills_axis())
    (problem,) = error.problems
    assert problem.file == str(path)
    assert "skills" in problem_text("en", problem.expected)


def test_a_missing_axis_is_located_at_the_axes(tmp_path: Path) -> None:
    _, error = invalid(tmp_path, without_skills_axis())
    (problem,) = error.problems
    assert (problem.line, problem.field()) == (line_of(SHIPPED, "axes:") + 1, "axes")


# The first rule of the first axis (jurisdiction) names a predicate that does not exist.
UNKNOWN_PREDICATE = SHIPPED.replace("when: owner_chain_law\n", "when: owner_chain_lawz\n", 1)


def test_an_unknown_predicate_is_refused_before_scoring(
    tmp_path: Path, test_catalog: Catalog
) -> None:
    assert UNKNOWN_PREDICATE != SHIPPED
    path = tmp_path / "methodology.yaml"
    path.write_text(UNKNOWN_PREDICATE)
    estate = build_estate(assets=[in_house("app")])
    with pytest.raises(InvalidInput) as caught:
        audit(estate, load_methodology(path), test_catalog, TODAY)
    (problem,) = caught.value.problems
    assert problem.field() == "axes.jurisdiction.rules[0].when"
    assert problem_text("en", problem.found) == "'owner_chain_lawz'"
    assert "owner_chain_law" in problem_text("en", problem.expected)


def test_an_unknown_predicate_is_located_in_the_methodology_file(tmp_path: Path) -> None:
    path, error = invalid(tmp_path, UNKNOWN_PREDICATE)
    (problem,) = error.problems
    assert problem.file == str(path)
    assert problem.line == line_of(UNKNOWN_PREDICATE, "owner_chain_lawz")
    assert problem.field() == "axes.jurisdiction.rules[0].when"
