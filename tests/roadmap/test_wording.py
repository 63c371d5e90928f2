"""The roadmap's own words are data: data/locales/roadmap.<lang>.yaml, each id worded
in both languages with the same parameters, every id the planning code names worded,
and no English or French sentence left in the planning code."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import souverain.core.planning as planning
from souverain.core.planning.actions import Action
from souverain.importers.document import parse_text
from souverain.resources import DATA
from souverain.wording import render
from tests.sentences import string_constants

_FIELD = re.compile(r"\{(?:de_|que_)?(\w+)\}")
# The roadmap's modules (the exit plans and the radar have their own wordings).
MODULES = ("actions", "generation", "measure", "phases", "plan_file", "roadmap")


def _sources() -> str:
    folder = Path(planning.__file__).parent
    return "".join((folder / f"{name}.py").read_text("utf-8") for name in MODULES)


def _wordings(lang: str) -> dict[str, str]:
    path = DATA / "locales" / f"roadmap.{lang}.yaml"
    return {str(k): str(v) for k, v in parse_text(path.read_text("utf-8"), str(path)).data.items()}


def test_both_languages_word_the_same_ids_with_the_same_parameters() -> None:
    english, french = _wordings("en"), _wordings("fr")
    assert english.keys() == french.keys()
    for ident, text in english.items():
        assert set(_FIELD.findall(text)) == set(_FIELD.findall(french[ident])), ident


def test_every_roadmap_id_the_code_names_is_worded_and_every_wording_is_used() -> None:
    named = set(re.findall(r'phrase\(\s*"(roadmap-[\w-]+)"', _sources()))
    assert named == set(_wordings("en"))


def test_no_sentence_is_left_in_the_planning_code() -> None:
    """No string constant of four words or more outside docstrings and programming
    errors (a ValueError for a caller's mistake): words for people are phrases."""
    for name in MODULES:
        path = Path(planning.__file__).parent / f"{name}.py"
        for value in string_constants(path, _value_error):
            assert len(value.split()) < 4, (name, value)


def _value_error(node: ast.Raise) -> bool:
    return isinstance(node.exc, ast.Call) and getattr(node.exc.func, "id", None) == "ValueError"


def test_every_note_and_rationale_renders_in_both_languages(
    forges_actions: list[Action],
) -> None:
    for action in forges_actions:
        for lang in ("en", "fr"):
            if action.note is not None:
                assert render(action.note, lang, "roadmap"), action.id
            for rationale in action.rationale:
                assert render(rationale.text, lang, "roadmap"), action.id
