"""A transfer mechanism misspelt in an estate: refused with its file, line and
field, the known values and the nearest, in English and in French."""

from __future__ import annotations

import re
from pathlib import Path

from tests.hostile.test_validation import DAY, refused

ESTATE = """\
souverain: 1
organisation: {name: Careless SA, country: FR}
assets:
  - {id: erp, deployment: saas, data: [payslips]}
processing:
  - id: payroll
    purpose: Paie
    assets: [erp]
    transfers:
      - {country: US, mechanism: sccs, tia: true}
      - {country: US, mechanism: adequacyy}
"""


def test_a_misspelt_mechanism_is_located_with_the_nearest(run, tmp_path: Path) -> None:
    path = tmp_path / "estate.yaml"
    path.write_text(ESTATE.replace("sccs,", "scc,"), encoding="utf-8")
    text = refused(
        run("audit", path, *DAY, "--lang", "en"),
        "unknown transfer mechanism",
        "the nearest to 'adequacyy': adequacy",
    )
    assert re.search(r"estate\.yaml:11: processing\[0\]\.transfers\[1\]\.mechanism", text), text
    french = refused(
        run("audit", path, *DAY, "--lang", "fr"),
        "mécanisme de transfert inconnu",
        "les plus proches de 'adequacyy' : adequacy",
    )
    assert "processing[0].transfers[1].mechanism" in french


def test_the_usual_names_and_the_tia_are_accepted(run, tmp_path: Path) -> None:
    path = tmp_path / "estate.yaml"
    path.write_text(ESTATE.replace("adequacyy", "Standard Contractual Clauses"), "utf-8")
    result = run("audit", path, *DAY, "--format", "json")
    assert result.exit_code == 0, result.output[-800:]
