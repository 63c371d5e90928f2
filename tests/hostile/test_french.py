"""Errors read in French are French: the parser's and the operating system's words too."""

from __future__ import annotations

from pathlib import Path

import pytest

FORGES = Path(__file__).parents[2] / "examples" / "forges-bourgogne.yaml"
ENGLISH = ("expected", "found", "did not", "could not", "while ", "No such", "not allowed")


@pytest.mark.parametrize(
    ("text", "french"),
    [
        ("a: [1, 2\nb: 3\n", "« , » ou « ] » attendu introuvable"),
        ('a: "abc\n', "fin de fichier inattendue"),
        ("a: b: c\n", "une paire clé: valeur n'est pas permise à cet endroit"),
        ("a: *x\n", "alias non défini"),
        ("a:\n  b: 1\n c: 2\n", "YAML invalide"),
    ],
)
def test_yaml_syntax_errors_are_worded_in_french(run, tmp_path: Path, text: str, french: str):
    path = tmp_path / "inventaire.yaml"
    path.write_text(text, "utf-8")
    result = run("audit", path, "--lang", "fr")
    assert result.exit_code == 1
    assert french in result.stderr
    assert not any(word in result.stderr for word in ENGLISH), result.stderr


def test_an_output_path_that_cannot_be_written_is_explained_in_french(run):
    result = run("audit", FORGES, "-f", "json", "-o", "/proc/nope/x.json", "--lang", "fr")
    assert result.exit_code == 2
    assert "aucun fichier ni dossier de ce nom" in result.stderr
    assert not any(word in result.stderr for word in ENGLISH), result.stderr


def test_usage_errors_share_the_french_spacing(run):
    result = run("roadmap", FORGES, "--capacity", "inf", "--lang", "fr")
    assert result.exit_code == 2
    assert "--capacity: attendu : un nombre de jours-personne par mois" in result.stderr
    assert "; trouvé : inf" in result.stderr
