"""``catalog validate`` and ``catalog stats``, on the fixture catalog
with a layer of mistakes whose lines are known."""

from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path

import pytest

from souverain.core.catalog.checks import catalog_stats, check_catalog, stale_facts
from souverain.core.errors import InvalidInput, Problem
from souverain.i18n import problem_text
from souverain.importers.document import read_document
from souverain.resources import catalog_from_documents, locate_in

FIXTURE = Path(__file__).parent.parent / "data" / "catalog"
TODAY = date(2026, 11, 23)

MISTAKES = """\
souverain_catalog: 1
kind: product
entries:
  - id: erp-one
    name: ERP One
    category: erp
    provider: fr-telecom
    licence: GPL 3
    standards: [csv, carrier-pigeon]
    source: https://example.org/erp-one
    as_of: 2026-01-01
  - id: erp-two
    name: ERP Two
    aliases: [ERP One]
    category: erp
    provider: fr-telecom
    licence: AGPL-3.0-only OR LicenseRef-Vendor-Exception
    source: https://example.org/erp-two
    as_of: 2027-01-01
"""
ALTERNATIVES = """\
souverain_catalog: 1
kind: alternative
entries:
  - id: erp-erp-two
    category: erp
    product: erp-two
    ring: trial
    notes: {en: A good ERP.}
    source: https://example.org/erp-two
    as_of: 2026-01-01
"""
CYCLE = """\
souverain_catalog: 1
kind: provider
entries:
  - {id: holding-a, name: Holding A, owner: holding-b, source: s, as_of: 2026-01-01}
  - {id: holding-b, name: Holding B, owner: holding-a, source: s, as_of: 2026-01-01}
"""


def layers(tmp_path: Path, **files: str) -> list[list[object]]:
    for name, text in files.items():
        (tmp_path / f"{name}.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    base = [read_document(p) for p in sorted(FIXTURE.glob("*.yaml"))]
    extra = [read_document(p) for p in sorted(tmp_path.glob("*.yaml"))]
    return [base, extra]


def problems(tmp_path: Path, **files: str) -> tuple[list[Problem], list[Problem]]:
    docs = layers(tmp_path, **files)
    catalog = catalog_from_documents(docs)  # type: ignore[arg-type]
    report = check_catalog(catalog, TODAY)
    return locate_in(docs, report.errors), locate_in(docs, report.warnings)  # type: ignore[arg-type]


def find(found: list[Problem], message: str) -> Problem:
    matching = [p for p in found if problem_text("en", p.message) == message]
    assert len(matching) == 1, [(problem_text("en", p.message), p.field()) for p in found]
    return matching[0]


def test_the_fixture_catalog_is_valid() -> None:
    docs = [[read_document(p) for p in sorted(FIXTURE.glob("*.yaml"))]]
    report = check_catalog(catalog_from_documents(docs), TODAY)
    assert report.errors == []


def test_an_unknown_standard_is_named_with_its_line(tmp_path: Path) -> None:
    errors, _ = problems(tmp_path, products=MISTAKES)
    problem = find(errors, "unknown standard")
    assert problem.file.endswith("products.yaml")
    assert (problem.line, problem.field()) == (9, "entries[0].standards[1]")
    assert problem_text("en", problem.found) == "'carrier-pigeon'"


def test_a_licence_that_is_not_spdx_is_refused_and_an_expression_is_not(tmp_path: Path) -> None:
    errors, _ = problems(tmp_path, products=MISTAKES)
    problem = find(errors, "not a licence id")
    assert (problem.line, problem_text("en", problem.found)) == (8, "'GPL 3'")


def test_two_products_known_by_the_same_name_are_reported(tmp_path: Path) -> None:
    errors, _ = problems(tmp_path, products=MISTAKES)
    problem = find(errors, "name shared with another entry")
    assert problem.field() == "entries[1].aliases"
    assert problem.line == 14
    assert "erp-one" in problem_text("en", problem.found)


def test_a_date_in_the_future_is_refused(tmp_path: Path) -> None:
    errors, _ = problems(tmp_path, products=MISTAKES)
    problem = find(errors, "date in the future")
    assert (problem.line, problem_text("en", problem.found)) == (19, "2027-01-01")


def test_notes_must_be_in_both_languages(tmp_path: Path) -> None:
    errors, _ = problems(tmp_path, products=MISTAKES, alternatives=ALTERNATIVES)
    problem = find(errors, "missing text")
    assert problem.field() == "entries[0].notes.fr"
    assert problem.file.endswith("alternatives.yaml") and problem.line == 8


def test_an_ownership_cycle_is_reported(tmp_path: Path) -> None:
    # Refused at load (by every command), once, at its first member.
    with pytest.raises(InvalidInput) as caught:
        problems(tmp_path, providers=CYCLE)
    [cycle] = [
        p for p in caught.value.problems if problem_text("en", p.message) == "ownership cycle"
    ]
    assert (cycle.line, problem_text("en", cycle.found)) == (4, "holding-a → holding-b → holding-a")


def test_a_category_without_alternatives_is_a_warning(tmp_path: Path) -> None:
    errors, warnings = problems(tmp_path, products=MISTAKES, alternatives=ALTERNATIVES)
    assert {
        problem_text("en", p.found)
        for p in warnings
        if problem_text("en", p.message) == "no alternative"
    } == {"none"}
    categories = {p.field() for p in warnings if problem_text("en", p.message) == "no alternative"}
    assert len(categories) == 2  # iaas and identity (erp has one; site holds no data)
    assert not any(problem_text("en", p.message) == "no alternative" for p in errors)


def test_a_dangling_owner_in_an_override_is_a_load_error(tmp_path: Path) -> None:
    bad = (
        "souverain_catalog: 1\nkind: provider\nentries:\n"
        "  - {id: x, name: X, owner: nobody, source: s, as_of: 2026-01-01}\n"
    )
    with pytest.raises(InvalidInput) as caught:
        catalog_from_documents(layers(tmp_path, providers=bad))  # type: ignore[arg-type]
    [problem] = caught.value.problems
    assert (
        problem_text("en", problem.message) == "unknown provider"
        and problem_text("en", problem.found) == "'nobody'"
    )


def test_a_duplicate_id_within_one_layer_is_a_conflict(tmp_path: Path) -> None:
    one = (
        "souverain_catalog: 1\nkind: provider\nentries:\n"
        "  - {id: x, name: X, source: s, as_of: 2026-01-01}\n"
    )
    with pytest.raises(InvalidInput) as caught:
        catalog_from_documents(layers(tmp_path, a=one, b=one))  # type: ignore[arg-type]
    [problem] = caught.value.problems
    assert problem_text("en", problem.message) == "duplicate provider id"
    assert problem.file.endswith("b.yaml") and problem.line == 4
    assert "a.yaml" in problem_text("en", problem.found)


def test_an_override_replaces_the_shipped_entry_by_id(tmp_path: Path) -> None:
    moved = (
        "souverain_catalog: 1\nkind: provider\nentries:\n"
        "  - {id: fr-telecom, name: Télécom de France SA, country: DE,"
        " source: s, as_of: 2026-06-01}\n"
    )
    catalog = catalog_from_documents(layers(tmp_path, providers=moved))  # type: ignore[arg-type]
    entry = catalog.providers["fr-telecom"]
    assert entry.country is not None and entry.country.value == "DE"
    assert catalog.origins[("provider", "fr-telecom")][0].endswith("providers.yaml")


def test_stats_count_each_kind_and_the_stale_facts() -> None:
    docs = [[read_document(p) for p in sorted(FIXTURE.glob("*.yaml"))]]
    catalog = catalog_from_documents(docs)
    stats = catalog_stats(catalog, TODAY, 6)
    assert stats["providers"] == len(catalog.providers) == 5
    assert stats["categories"] == 5 and stats["alternatives"] == len(catalog.alternatives)
    # Every fixture fact is dated 2026-01-01 or 2026-02-01: all older than 6 months on
    # 23 Nov 2026 (cut-off 2026-05-23), none older than 12 months.
    assert stats["stale"] == len(stale_facts(catalog, TODAY, 6)) > 0
    assert catalog_stats(catalog, TODAY, 12)["stale"] == 0
