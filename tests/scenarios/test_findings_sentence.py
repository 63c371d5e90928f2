"""The dependence sentence ends with one full stop, even after a name like "Inc."."""

from __future__ import annotations

from souverain.core.scenarios.findings import Dependence


def test_a_name_ending_with_a_full_stop_gets_no_second_one() -> None:
    found = Dependence("owner", "broadcom", "Broadcom Inc.", 1, 1, 1, 7)
    assert found.sentence("en") == (
        "1 of 1 vital processes and 1 of 7 important processes depend on one owner group: "
        "Broadcom Inc."
    )
    assert found.sentence("fr").endswith("d'un seul groupe : Broadcom Inc.")
    plain = Dependence("provider", "siemens", "Siemens AG", 0, 1, 2, 7)
    assert plain.sentence("en").endswith(": Siemens AG.")
