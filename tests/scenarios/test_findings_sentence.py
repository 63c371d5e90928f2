"""The graph findings' words are data (data/locales/scenarios.<lang>.yaml): the
dependence sentence in both languages, ending with one full stop even after a name
like "Inc."; both languages word the same ids with the same parameters, every id the
findings name is worded, and no sentence is left in the scenario code."""

from __future__ import annotations

import re
from pathlib import Path

import souverain.core.scenarios as scenarios
from souverain.core.scenarios.findings import Dependence
from souverain.exporters.graph_findings import dependence_sentence
from souverain.importers.document import parse_text
from souverain.resources import DATA
from tests.sentences import string_constants

_FIELD = re.compile(r"\{(?:de_|que_)?(\w+)\}")
FOLDER = Path(scenarios.__file__).parent


def _wordings(lang: str) -> dict[str, str]:
    path = DATA / "locales" / f"scenarios.{lang}.yaml"
    return {str(k): str(v) for k, v in parse_text(path.read_text("utf-8"), str(path)).data.items()}


def test_a_name_ending_with_a_full_stop_gets_no_second_one() -> None:
    found = Dependence("owner", "broadcom", "Broadcom Inc.", 1, 1, 1, 7)
    assert dependence_sentence(found, "en") == (
        "1 of 1 vital processes and 1 of 7 important processes depend on one owner group: "
        "Broadcom Inc."
    )
    assert dependence_sentence(found, "fr") == (
        "1 des 1 processus vitaux et 1 des 7 processus importants dépendent d'un seul "
        "groupe : Broadcom Inc."
    )
    plain = Dependence("provider", "siemens", "Siemens AG", 0, 1, 2, 7)
    assert dependence_sentence(plain, "en") == (
        "2 of 7 important processes depend on one provider: Siemens AG."
    )


def test_a_country_is_named_in_french_in_french() -> None:
    found = Dependence("jurisdiction", "DE", "Germany", 3, 4, 0, 2, name_fr="Allemagne")
    assert dependence_sentence(found, "en") == (
        "3 of 4 vital processes depend on one country's laws: Germany."
    )
    assert dependence_sentence(found, "fr") == (
        "3 des 4 processus vitaux dépendent des lois d'un seul pays : Allemagne."
    )


def test_both_languages_word_the_same_ids_with_the_same_parameters() -> None:
    english, french = _wordings("en"), _wordings("fr")
    assert english.keys() == french.keys()
    for ident, text in english.items():
        assert set(_FIELD.findall(text)) == set(_FIELD.findall(french[ident])), ident


def test_every_id_the_findings_name_is_worded_and_every_wording_is_used() -> None:
    source = (FOLDER / "findings.py").read_text("utf-8")
    named = set(re.findall(r'phrase\(\s*"(dependence[\w-]*)"', source))
    # The words of a scenario's outcome, used by the commands and the report.
    src = FOLDER.parents[1]
    for path in ("exporters/graph_findings.py", "cli/simulate.py", "exporters/report.py"):
        text = (src / path).read_text("utf-8")
        named |= set(re.findall(r'scenario_words\(\s*"([\w-]+)"', text))
        named |= set(re.findall(r'"((?:unreachable|lost)-[\w-]+)"', text))
    assert named == set(_wordings("en"))


def test_no_sentence_is_left_in_the_scenario_code() -> None:
    """No string constant of four words or more outside docstrings and programming
    errors (a ValueError for a caller's mistake): words for people are phrases."""
    for path in sorted(FOLDER.glob("*.py")):
        for value in string_constants(path, lambda node: True):
            assert len(value.split()) < 4, (path.name, value)
