"""The exit plans' words are data: data/locales/exit_plans.<lang>.yaml, rendered by
souverain.wording (French elision, durations, lists, words the data gives)."""

from __future__ import annotations

import re
from pathlib import Path

import souverain.core.planning.exit_plans as package
from souverain.core.estate.duration import Duration
from souverain.core.phrase import duration_words, given, phrase
from souverain.core.planning.exit_plans.model import listed
from souverain.wording import de, que, render, wordings

_FIELD = re.compile(r"\{(?:de_|que_)?(\w+)\}")


def test_both_languages_word_the_same_ids_with_the_same_parameters() -> None:
    english, french = wordings("exit_plans", "en"), wordings("exit_plans", "fr")
    assert english.keys() == french.keys()
    for ident, template in english.items():
        fields = set(_FIELD.findall(template[0]))
        assert fields == set(_FIELD.findall(french[ident][0])), ident


def test_every_id_the_core_names_is_worded() -> None:
    """Every literal id of the package's phrase(...) calls, and every id an f-string
    builds (its prefix), has a wording."""
    known = wordings("exit_plans", "en").keys()
    sources = "".join(p.read_text("utf-8") for p in Path(package.__file__).parent.glob("*.py"))
    literals = re.findall(r'phrase\(\s*"([\w-]+)"', sources)
    assert literals and all(ident in known for ident in literals)
    for prefix in re.findall(r'phrase\(\s*f"([\w-]+)\{', sources):
        assert any(ident.startswith(prefix) for ident in known), prefix


def test_french_elision() -> None:
    assert [de("Odoo"), de("SAP"), de("les processus"), de("le portail")] == [
        "d'Odoo",
        "de SAP",
        "des processus",
        "du portail",
    ]
    assert [que("Odoo"), que("Nextcloud")] == ["qu'Odoo", "que Nextcloud"]
    text = phrase("migrate", name="Odoo", target="Dolibarr", formats="")
    assert render(text, "fr", "exit_plans").startswith("Migrer les données d'Odoo vers Dolibarr")


def test_lists_durations_and_given_words() -> None:
    assert listed(["a", "b"]) == "a, b"
    seven = listed([str(n) for n in range(7)])
    assert render(seven, "en", "exit_plans") == "0, 1, 2, 3, 4, 5 and 1 more"
    assert render(seven, "fr", "exit_plans") == "0, 1, 2, 3, 4, 5 et 1 autre"
    eight = listed([str(n) for n in range(8)])
    assert render(eight, "fr", "exit_plans").endswith(" et 2 autres")
    assert render(duration_words(Duration.parse("2w")), "fr", "exit_plans") == "2 semaines"
    crm = given({"en": "Customer relations", "fr": "Relation client"})
    assert render(crm, "fr", "exit_plans") == "Relation client"
    assert render(given({"en": "Only English"}), "fr", "exit_plans") == "Only English"
