"""Careless and hostile methodology files.

Each case is a copy of the shipped methodology with one thing changed. Every problem is
refused when the file is loaded, located (file, line, field), with what was expected and
what was found: a rule's parameters are checked against its predicate's declared
signature, and texts may use only the named fields their predicate declares.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from souverain.core.errors import InvalidInput, Problem
from souverain.core.phrase import Words
from souverain.core.scoring.audit import audit
from souverain.core.scoring.rules import PREDICATES
from souverain.core.scoring.rules.base import SIGNATURES
from souverain.i18n import problem_text
from souverain.importers.estate import load_estate
from souverain.resources import DATA, load_catalog, load_methodology

SHIPPED = (DATA / "methodology.yaml").read_text(encoding="utf-8")
ESTATE = Path(__file__).parents[1] / "data" / "forges-mini.yaml"
EXAMPLES = Path(__file__).parents[2] / "examples"

# Lines of the shipped file that the cases change.
FIRST_RULE = (
    "params: {permit: data_access, deployments: [saas, public-cloud, private-cloud], "
    "adequacy: [none, partial], keys_held_by: [provider, third-party, unknown]}"
)
PORTABILITY = "params: {clause: data_portability}"
RESTORE_OLD = 'params: {days: 365}\n        score: 2\n        text: {en: "Restore last'
SKILLS_NONE = 'text: {en: "No in-house mastery."'
CONCENTRATION = "params: {share: 0.3}"


def changed(old: str, new: str, text: str = SHIPPED) -> str:
    assert text.count(old) >= 1, old
    return text.replace(old, new, 1)


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def refused(tmp_path: Path, text: str) -> tuple[Path, list[Problem]]:
    path = tmp_path / "methodology.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidInput) as caught:
        load_methodology(path)
    return path, list(caught.value.problems)


def only(tmp_path: Path, text: str, needle: str) -> Problem:
    """The one problem of ``text``, checked to be located at the line of ``needle``."""
    path, problems = refused(tmp_path, text)
    assert len(problems) == 1, problems
    (problem,) = problems
    assert (problem.file, problem.line) == (str(path), line_of(text, needle))
    return problem


# --- a rule's parameters against its predicate's signature ---------------------


def test_an_unknown_parameter_is_refused_with_the_nearest_name(tmp_path: Path) -> None:
    text = changed(FIRST_RULE, FIRST_RULE.replace("{permit:", "{permitt:"))
    problem = only(tmp_path, text, "permitt")
    assert problem.field() == "axes.jurisdiction.rules[0].params.permitt"
    assert "chain-data-access" in problem_text("en", problem.message)
    assert "owner_chain_law" in problem_text("en", problem.expected)
    assert problem_text("en", problem.expected).endswith("the nearest is permit")
    assert problem_text("en", problem.found) == "'permitt'"


def test_a_parameter_of_a_predicate_that_takes_none_is_refused(tmp_path: Path) -> None:
    text = changed("when: keys_unknown\n", "when: keys_unknown\n        params: {days: 30}\n")
    problem = only(tmp_path, text, "params: {days: 30}")
    assert problem.field() == "axes.data_control.rules[4].params.days"
    assert problem_text("en", problem.expected) == "no parameter: keys_unknown takes none"


def test_a_missing_required_parameter_is_refused(tmp_path: Path) -> None:
    text = changed(FIRST_RULE, FIRST_RULE.replace("permit: data_access, ", ""))
    problem = only(
        tmp_path, text, "params: {deployments: [saas, public-cloud, private-cloud], adequacy"
    )
    assert problem_text("en", problem.message) == "rule chain-data-access: missing parameter permit"
    assert (
        problem_text("en", problem.expected) == "one of data_access, service_cutoff, export_control"
    )
    assert problem_text("en", problem.found) == "nothing"


@pytest.mark.parametrize(
    ("old", "new", "expected", "found"),
    [
        # A misspelt clause crashed the audit (AttributeError on the contract's clauses).
        (
            PORTABILITY,
            "params: {clause: data_portabilty}",
            "one of audit_rights, data_portability, eu_hosting, exit_assistance, "
            "price_protection, subprocessor_approval",
            "'data_portabilty'",
        ),
        # A permit no law has: the rule never fired.
        (FIRST_RULE, FIRST_RULE.replace("data_access", "data-access"), None, "'data-access'"),
        # A deployment that does not exist: the rule never fired for it.
        (FIRST_RULE, FIRST_RULE.replace("saas", "SaaS"), None, "'SaaS'"),
        (FIRST_RULE, FIRST_RULE.replace("[saas, public-cloud, private-cloud]", "[]"), None, None),
        (CONCENTRATION, "params: {share: 30}", "a number from 0 to 1", "30"),
        (CONCENTRATION, "params: {share: '30 %'}", "a number from 0 to 1", "'30 %'"),
        (CONCENTRATION, "params: {share: true}", "a number from 0 to 1", "true"),
        (
            "params: {days: 180}",
            "params: {days: -1}",
            "a whole number from 0 to 36525",
            "-1",
        ),
        ("params: {days: 180}", "params: {days: 1.5}", "a whole number from 0 to 36525", "1.5"),
        (
            "params: {days: 180}",
            "params: {days: 10000000000000000000000000000000000000000}",
            "a whole number from 0 to 36525",
            "a whole number of 41 digits",
        ),
        ("params: {min_depth: 1}", "params: {min_depth: 0}", "a whole number from 1 to 100", "0"),
        ("params: {value: medium}", "params: {value: average}", None, "'average'"),
        (
            "params: {schemes: [SecNumCloud]}",
            "params: {schemes: SecNumCloud}",
            "a list of one or more texts",
            "'SecNumCloud'",
        ),
        (
            "params: {clauses: [data_portability, exit_assistance]}",
            "params: {clauses: [data_portability, exit_assistanse]}",
            None,
            "'exit_assistanse'",
        ),
    ],
)
def test_a_wrong_parameter_value_is_refused(
    tmp_path: Path, old: str, new: str, expected: str | None, found: str | None
) -> None:
    problem = only(tmp_path, changed(old, new), new)
    assert re.fullmatch(
        r"(rule|exit criterion) [\w-]+: wrong value for parameter \w+",
        problem_text("en", problem.message),
    )
    if expected is not None:
        assert problem_text("en", problem.expected) == expected
    if found is not None:
        assert problem_text("en", problem.found) == found


def test_restore_rules_need_days_unless_never(tmp_path: Path) -> None:
    text = changed(RESTORE_OLD, RESTORE_OLD.replace("{days: 365}", "{never: false}"))
    problem = only(tmp_path, text, "{never: false}")
    assert problem_text("en", problem.message) == "rule restore-test-old: missing parameter days"
    assert problem_text("en", problem.expected) == "a whole number from 0 to 36525"


def test_days_with_never_true_is_refused_as_ignored(tmp_path: Path) -> None:
    text = changed("params: {never: true}", "params: {never: true, days: 30}")
    problem = only(tmp_path, text, "{never: true, days: 30}")
    assert (
        problem_text("en", problem.message)
        == "rule restore-never-tested: wrong value for parameter days"
    )
    assert problem_text("en", problem.expected) == "no days with never: true"


def test_every_problem_is_reported_not_only_the_first(tmp_path: Path) -> None:
    text = changed(FIRST_RULE, FIRST_RULE.replace("{permit:", "{permitt:"))
    text = changed(PORTABILITY, "params: {clause: nope}", text)
    text = changed("when: in_house\n", "when: in_housse\n", text)
    _, problems = refused(tmp_path, text)
    rules = load_methodology().axes["jurisdiction"].rules
    in_house = next(n for n, rule in enumerate(rules) if rule.when == "in_house")
    assert [p.field() for p in problems] == [
        "axes.jurisdiction.rules[0].params.permitt",
        f"axes.jurisdiction.rules[{in_house}].when",
        "axes.contract.rules[1].params.clause",
    ]
    assert "in_house" in problem_text("en", problems[1].expected).split(",")[0]
    assert problem_text("en", problems[1].message) == "rule in-house: unknown predicate"


# --- weights and bounds that say what they are ----------------------------------


def test_all_weights_zero_is_refused(tmp_path: Path) -> None:
    text = re.sub(r"(\n    weight: )\d+", r"\g<1>0", SHIPPED)
    assert text.count("weight: 0\n") == 7
    path, problems = refused(tmp_path, text)
    (problem,) = problems
    # A mapping's line is the line where its value starts.
    assert (problem.file, problem.line) == (str(path), line_of(text, "axes:") + 1)
    assert problem.field() == "axes"
    assert problem_text("en", problem.message) == "no axis has a weight above 0"
    assert (
        problem_text("en", problem.expected)
        == "at least one axis with a weight > 0 (the weighted mean needs one)"
    )


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        # "expected: a number ≥ 0.0; found: 0" said the opposite of the constraint.
        ("people_on_exit: 1", "people_on_exit: 0", "a number from 0.01 to 10000"),
        ("people_on_exit: 1", "people_on_exit: 1e-300", "a number from 0.01 to 10000"),
        ("people_on_exit: 1", "people_on_exit: 1e12", "a number from 0.01 to 10000"),
        ("    weight: 3\n", "    weight: -1\n", "a number from 0 to 1000"),
        ("    weight: 3\n", "    weight: 1e300\n", "a number from 0 to 1000"),
        ("max_weight: 0.5", "max_weight: 2", "a number from 0 to 1"),
        ("score: 4\n", "score: 9\n", "a whole number from 0 to 4"),
        ("points: 0.5,", "points: 5,", "a number from 0 to 4"),
    ],
)
def test_a_number_out_of_bounds_says_its_real_bounds(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    problem = only(tmp_path, changed(old, new), new.strip().rstrip(","))
    assert problem_text("en", problem.message) == "wrong value"
    assert problem_text("en", problem.expected) == expected


# --- texts are templates with named fields only --------------------------------


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("{0}", "positional field"),
        ("{}", "positional field"),
        ("{mastery.__class__.__mro__}", "attribute or index access"),
        ("{mastery[0]}", "attribute or index access"),
        ("{mastery!r}", "conversion or format spec"),
        ("{mastery:>30}", "conversion or format spec"),
        ("{entity}", "unknown field"),
    ],
)
def test_a_field_that_is_not_a_declared_name_is_refused(
    tmp_path: Path, field: str, message: str
) -> None:
    text = changed(SKILLS_NONE, f'text: {{en: "No in-house mastery {field}."')
    problem = only(tmp_path, text, f"mastery {field}")
    assert problem.field() == "axes.skills.rules[0].text.en"
    assert problem_text("en", problem.message) == f"{message} in text skills-none"
    assert problem_text("en", problem.expected) == "named fields among {mastery}"
    assert problem_text("en", problem.found) == field


@pytest.mark.parametrize("brace", ["{", "}", "{mastery", "mastery}"])
def test_an_unbalanced_brace_is_refused(tmp_path: Path, brace: str) -> None:
    text = changed(SKILLS_NONE, f'text: {{en: "No in-house {brace} mastery."')
    problem = only(tmp_path, text, f"No in-house {brace} mastery.")
    assert problem_text("en", problem.message) == "unbalanced brace in text skills-none"
    assert problem_text("en", problem.expected) == "{name} for a field, {{ and }} for a brace"


def test_doubled_braces_are_literal_braces(tmp_path: Path) -> None:
    path = tmp_path / "methodology.yaml"
    low = 'text: {en: "Low in-house mastery."'
    path.write_text(changed(low, 'text: {en: "{{Low}} in-house {mastery}."'), "utf-8")
    methodology = load_methodology(path)
    catalog = load_catalog()
    result = audit(load_estate(ESTATE), methodology, catalog, date(2026, 11, 23))
    texts = {r.text("en") for d in result.dependencies for r in d.exposure["skills"].reasons}
    assert "{Low} in-house low." in texts


@pytest.mark.parametrize(
    ("old", "new", "where", "expected"),
    [
        (
            'clear: {en: "No skills gap found."',
            'clear: {en: "No skills gap found for {asset}."',
            "axes.skills.clear.en",
            "no field: this text takes none",
        ),
        (
            'text: {en: "Alternative identified: {alternative}."',
            'text: {en: "Alternative identified: {alternative.name}."',
            "exit.criteria[0].text.en",
            "named fields among {alternative}",
        ),
        (
            'fr: "La sortie prend environ {duration}, ce',
            'fr: "La sortie prend environ {durée}, ce',
            "exit.verdicts.fits.fr",
            "named fields among {duration}, {max_downtime}, {process}",
        ),
        (
            'no_estimate: {en: "Not assessed: no exit effort',
            'no_estimate: {en: "Not assessed: {0} no exit effort',
            "exit.verdicts.no_estimate.en",
            "no field: this text takes none",
        ),
    ],
)
def test_every_text_of_the_methodology_is_checked(
    tmp_path: Path, old: str, new: str, where: str, expected: str
) -> None:
    problem = only(tmp_path, changed(old, new), new)
    assert problem.field() == where
    assert problem_text("en", problem.expected) == expected


@pytest.mark.parametrize(
    ("old", "new", "needle", "where", "message"),
    [
        (
            "  verdicts:\n",
            "  verdict:\n",
            "    fits:",
            "exit.verdict",
            "unknown field",
        ),
        (
            '    redundant: {en: "Redundant',
            '    redundant: "Redundant',
            "redundant:",
            "exit.verdicts.redundant",
            "wrong value",
        ),
    ],
)
def test_verdicts_are_checked(
    tmp_path: Path, old: str, new: str, needle: str, where: str, message: str
) -> None:
    text = changed(old, new)
    if "redundant" in old:  # the text was a mapping: drop its French part too
        text = re.sub(r'(    redundant: "Redundant[^"]*"), fr: "[^"]*"\}', r"\1", text)
    _, problems = refused(tmp_path, text)
    found = {(p.field(), problem_text("en", p.message), p.line) for p in problems}
    assert (where, message, line_of(text, needle)) in found, problems


def test_a_misspelt_or_missing_verdict_is_located(tmp_path: Path) -> None:
    text = changed("    too_long: {", "    too-long: {")
    _, problems = refused(tmp_path, text)
    found = {(p.field(), problem_text("en", p.message), p.line) for p in problems}
    line = line_of(text, "    too-long: {")
    assert ("exit.verdicts.too-long", "unknown field", line) in found
    assert any(
        p.field() == "exit.verdicts.too_long" and problem_text("en", p.message) == "missing field"
        for p in problems
    )


def test_settings_are_gone(tmp_path: Path) -> None:
    text = SHIPPED + "settings:\n  exit_texts: {}\n"
    _, problems = refused(tmp_path, text)
    assert [(p.field(), problem_text("en", p.message)) for p in problems] == [
        ("settings", "unknown field")
    ]


# --- through the command line, in both languages -----------------------------------------


HOSTILE_TEXTS = {
    "positional": changed(SKILLS_NONE, 'text: {en: "No in-house {0} mastery."'),
    "lone brace": changed(SKILLS_NONE, 'text: {en: "No in-house { mastery."'),
    "internals": changed(SKILLS_NONE, 'text: {en: "{mastery.__class__.__mro__}"'),
    "unknown parameter": changed(FIRST_RULE, FIRST_RULE.replace("{permit:", "{permitt:")),
    "wrong clause": changed(PORTABILITY, "params: {clause: data_portabilty}"),
    "zero weights": re.sub(r"(\n    weight: )\d+", r"\g<1>0", SHIPPED),
    "no people": changed("people_on_exit: 1", "people_on_exit: 0"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE_TEXTS))
def test_the_cli_refuses_with_a_located_message(tmp_path: Path, run, case: str) -> None:
    path = tmp_path / "methodology.yaml"
    path.write_text(HOSTILE_TEXTS[case], encoding="utf-8")
    for lang in ("en", "fr"):
        result = run("audit", ESTATE, "--methodology", path, "-f", "json", "--lang", lang)
        assert result.exit_code == 1, result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert f"{path}:" in result.stderr
        assert "__mro__" not in result.stdout
        assert "<class" not in result.stdout + result.stderr


FRENCH = {
    "positional": "champ positionnel dans le texte skills-none — attendu : des champs nommés",
    "lone brace": "accolade isolée dans le texte skills-none — attendu : {nom} pour un champ",
    "internals": "accès à un attribut ou à un indice dans le texte skills-none",
    "unknown parameter": "règle chain-data-access : paramètre inconnu — attendu : un paramètre "
    "de owner_chain_law (permit, deployments, adequacy, keys_held_by) ; le plus proche est "
    "permit",
    "wrong clause": "règle no-portability : valeur incorrecte pour le paramètre clause",
    "zero weights": "aucun axe n'a de poids supérieur à 0 — attendu : au moins un axe de poids "
    "> 0 (la moyenne pondérée en a besoin)",
    "no people": "attendu : un nombre de 0.01 à 10000",
}


@pytest.mark.parametrize("case", sorted(FRENCH))
def test_the_messages_are_in_french(tmp_path: Path, run, case: str) -> None:
    path = tmp_path / "methodology.yaml"
    path.write_text(HOSTILE_TEXTS[case], encoding="utf-8")
    result = run("audit", ESTATE, "--methodology", path, "--lang", "fr")
    assert result.exit_code == 1
    assert FRENCH[case] in " ".join(result.stderr.split())


# --- the shipped methodology and the declarations agree ----------------------------------


def test_every_predicate_declares_its_signature() -> None:
    assert set(SIGNATURES) == set(PREDICATES)


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_predicates_give_only_the_fields_they_declare(example: Path) -> None:
    methodology = load_methodology()
    result = audit(load_estate(example), methodology, load_catalog(), date(2026, 11, 23))
    exit_when = {c.id: c.when for c in methodology.exit.criteria}
    checked = 0
    for dependency in result.dependencies:
        for axis, score in dependency.exposure.items():
            when = {r.id: r.when for r in methodology.axes[axis].rules}
            for reason in score.reasons:
                if reason.rule in when:
                    assert set(reason.params) <= set(SIGNATURES[when[reason.rule]].fields)
                    checked += 1
        for reason in dependency.exit.reasons:
            if reason.rule in exit_when:
                assert set(reason.params) <= set(SIGNATURES[exit_when[reason.rule]].fields)
                checked += 1
    assert checked > 100


def test_a_methodology_of_too_many_rules_is_refused(tmp_path: Path) -> None:
    extra = "".join(
        f'      - {{id: extra-{n}, when: mastery_unknown, score: 0, text: {{en: "x"}}}}\n'
        for n in range(500)
    )
    text = changed(
        "    rules:\n      - {id: skills-none", f"    rules:\n{extra}      - {{id: skills-none"
    )
    _, problems = refused(tmp_path, text)
    (problem,) = problems
    assert problem_text("en", problem.message) == "too many rules"
    assert problem_text("en", problem.expected) == "at most 500 rules and exit criteria in all"
    # the 500 added, and the shipped methodology's own
    shipped = load_methodology()
    own = sum(len(axis.rules) for axis in shipped.axes.values()) + len(shipped.exit.criteria)
    assert problem_text("en", problem.found) == f"{500 + own} rules and exit criteria"


def test_the_docs_list_every_predicate_as_declared() -> None:
    def english(words: Words) -> str:
        return problem_text("en", words)

    docs = (Path(__file__).parents[2] / "docs" / "methodology.md").read_text("utf-8")
    for name, signature in SIGNATURES.items():
        params = "; ".join(
            f"`{param}`{'' if spec.required else ' (optional)'}: {english(spec.expected)}"
            for param, spec in signature.params.items()
        )
        fields = ", ".join(f"`{{{field}}}`" for field in signature.fields)
        assert f"| `{name}` | {params or '—'} | {fields or '—'} |\n" in docs, name
