"""Errors read in French are French: the parser's and the operating system's words too."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest

from souverain.core.errors import Problem
from souverain.core.phrase import Phrase
from souverain.core.vocabulary import Lang
from souverain.importers.document import parse_text
from souverain.wording import wordings
from tests.hostile.wording import english_left

FORGES = Path(__file__).parents[2] / "examples" / "forges-bourgogne.yaml"
ENGLISH = ("expected", "found", "did not", "could not", "while ", "No such", "not allowed")


def _problems(lang: Lang) -> dict[str, str]:
    """Each problem id's wording in ``lang``."""
    return {ident: text for ident, (text, _) in wordings("problems", lang).items()}


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


SRC = Path(__file__).parents[2] / "src" / "souverain"


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def _phrases_in_code() -> list[tuple[str, str, set[str]]]:
    """Every ``phrase(id, **params)`` of the sources whose id is written out (or is one
    of two, ``phrase("a" if … else "b", …)``): (where, id, parameter names)."""
    found = []
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not (isinstance(node, ast.Call) and getattr(node.func, "id", "") == "phrase"):
                continue
            where = f"{path.relative_to(SRC)}:{node.lineno}"
            ident = node.args[0]
            options = [ident.body, ident.orelse] if isinstance(ident, ast.IfExp) else [ident]
            params = {k.arg for k in node.keywords if k.arg is not None}
            if len(params) < len(node.keywords):
                params = {"**"}  # parameters passed as a mapping: not known here
            found += [
                (where, str(option.value), params)
                for option in options
                if isinstance(option, ast.Constant)
            ]
    return found


def _other_phrases() -> dict[str, str]:
    """The English of the phrases other than problems' (exit plans, roadmap…)."""
    words: dict[str, str] = {}
    for path in sorted((SRC / "data" / "locales").glob("*.en.yaml")):
        if path.name != "problems.en.yaml":
            words.update(parse_text(path.read_text("utf-8"), str(path)).data)
    return words


def test_every_message_id_is_worded_in_both_languages_with_the_same_parameters():
    english, french = _problems("en"), _problems("fr")
    assert list(english) == list(french), "the same ids, in the same order"
    for ident, template in english.items():
        assert _placeholders(template) == _placeholders(french[ident]), ident
    others = _other_phrases()
    assert not set(english) & set(others), "a problem's id names nothing else"
    used = _phrases_in_code()
    for where, ident, params in used:
        template = english.get(ident, others.get(ident))
        assert template is not None, f"{where}: {ident} is not worded"
        if params != {"**"}:
            assert params == _placeholders(str(template)), f"{where}: parameters of {ident}"
    assert set(english) <= {ident for _, ident, _ in used}, "every problem id worded is used"


def test_the_french_wording_leaves_no_english_word():
    french = _problems("fr")
    for ident in french:
        params = tuple((name, "…") for name in sorted(_placeholders(french[ident])))
        problem = Problem((), Phrase(ident, params))
        assert not english_left(problem), (ident, french[ident])
    # and the check sees English where there is some
    assert english_left(Problem((), Phrase("missing-field"), "", "did not find expected key"))
    assert english_left(Problem((), Phrase("missing-field"), "", "Permission denied (x)"))


def test_french_errors_of_a_bad_estate_are_complete(run, tmp_path: Path):
    path = tmp_path / "inventaire.yaml"
    path.write_text(
        "souverain: 1\norganisation: {name: X}\nprocesses: []\n"
        "providers: [{id: p, name: P, owner: q}]\n"
        "assets:\n- {id: a, name: A, category: erp, deployment: cloud, criticality: vitl,"
        " provider: nobody, depends_on: [b, a], licence: GPL 3}\n- {id: a, name: B}\n"
        "contracts: [{id: c, provider: p, starts: 2025-02-01, ends: 2024-01-01}]\n",
        "utf-8",
    )
    result = run("audit", path, "--lang", "fr")
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if "attendu" in line]
    assert len(lines) >= 6, result.stderr
    assert not any(word in result.stderr for word in ENGLISH), result.stderr
