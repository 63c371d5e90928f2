"""The scoring methodology as data (docs/methodology.md).

A methodology names its axes, each with a weight and rules; a rule applies a
named predicate of :mod:`souverain.core.scoring.rules` with parameters, and scores what
it finds. The risk matrix maps gravity × exposure to a level. Organisations may
ship their own file; the predicates are the only code.

Each predicate declares its :class:`Signature`: the parameters it takes and the
fields its texts may use. :func:`methodology_problems` checks a methodology
against those declarations when it is loaded, so that a misspelt parameter or a
text such as ``{entity.__class__}`` is refused with its place in the file
instead of never firing, crashing or leaking Python internals into a report.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from souverain.core.catalog.model import Text
from souverain.core.errors import Path, Problem
from souverain.core.limits import (
    METHODOLOGY_MAX_PEOPLE_ON_EXIT,
    METHODOLOGY_MAX_RULES,
    METHODOLOGY_MAX_WEIGHT,
    METHODOLOGY_MIN_PEOPLE_ON_EXIT,
)
from souverain.core.phrase import Phrase, Words, phrase
from souverain.core.terms import form_field
from souverain.core.vocabulary import GRAVITIES, Gravity, Level

Axis = Literal[
    "jurisdiction", "data_control", "operations", "supply_chain", "lock_in", "contract", "skills"
]
AXES: tuple[Axis, ...] = (
    "jurisdiction",
    "data_control",
    "operations",
    "supply_chain",
    "lock_in",
    "contract",
    "skills",
)


def _number(value: float) -> str:
    return f"{value:g}"


def bounds(low: float, high: float, whole: bool = False) -> Phrase:
    """A bound as people read it: ``a number from 0 to 4`` (both ends included)."""
    if whole:
        return phrase("whole-number-from", low=_number(low), high=_number(high))
    return phrase("number-from", low=_number(low), high=_number(high))


def _wrong(expected: Phrase) -> PydanticCustomError:
    """A validation error that reads ``wrong value — expected: …`` (see validation)."""
    return PydanticCustomError(
        "souverain",
        "{title}: expected {expected}",
        {"title": phrase("wrong-value"), "expected": expected},
    )


def _check(low: float, high: float, whole: bool = False) -> AfterValidator:
    """A pydantic check ``low ≤ value ≤ high`` whose message says exactly that."""

    def check(value: float) -> float:
        if not low <= value <= high:  # NaN included
            raise _wrong(bounds(low, high, whole))
        return value

    return AfterValidator(check)


def _schema(low: float, high: float) -> Any:
    """The same bounds, stated in the JSON Schema."""
    return Field(json_schema_extra={"minimum": low, "maximum": high})


Score = Annotated[int, _check(0, 4, whole=True), _schema(0, 4)]
Points = Annotated[float, _check(0, 4), _schema(0, 4)]
Weight = Annotated[float, _check(0, METHODOLOGY_MAX_WEIGHT), _schema(0, METHODOLOGY_MAX_WEIGHT)]
Share = Annotated[float, _check(0, 1), _schema(0, 1)]
People = Annotated[
    float,
    _check(METHODOLOGY_MIN_PEOPLE_ON_EXIT, METHODOLOGY_MAX_PEOPLE_ON_EXIT),
    _schema(METHODOLOGY_MIN_PEOPLE_ON_EXIT, METHODOLOGY_MAX_PEOPLE_ON_EXIT),
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Rule(_Strict):
    """When predicate ``when`` finds something, it scores ``score`` with ``text``."""

    id: str
    when: str
    params: dict[str, Any] = Field(default_factory=dict)
    score: Score
    text: Text
    # The least risk level of a dependency, by its gravity, when this rule finds
    # something confirmed there (docs/methodology.md, "Floors").
    floor: dict[Gravity, Level] = Field(default_factory=dict)


class AxisRules(_Strict):
    name: Text
    weight: Weight
    aggregate: Literal["max", "sum"] = "max"
    rules: list[Rule]
    clear: Text  # said when no rule applies


class ExitCriterion(_Strict):
    id: str
    when: str
    params: dict[str, Any] = Field(default_factory=dict)
    points: Points
    text: Text


Verdict = Literal[
    "fits",
    "too_long",
    "no_estimate",
    "downtime_unknown",
    "redundant",
    "redundant_common_mode",
    "redundant_unknown",
    "not_needed",
    "fits_survivability",
    "too_long_survivability",
    "survivability_unknown",
    "outlives",
    "notice_covers",
    "notice_short",
]
# Each verdict's fields, and the id its reason bears (the audit's ``rule``): fixed here.
VERDICT_FIELDS: Mapping[Verdict, tuple[str, ...]] = {
    "fits": ("duration", "max_downtime", "process"),
    "too_long": ("duration", "max_downtime", "process"),
    "no_estimate": (),
    "downtime_unknown": ("process", "duration"),
    "redundant": (),
    "redundant_common_mode": ("partners", "shared"),
    "redundant_unknown": ("partners",),
    "not_needed": (),
    "fits_survivability": ("duration", "max_downtime", "process", "survivability", "licensor"),
    "too_long_survivability": ("duration", "max_downtime", "process", "survivability", "licensor"),
    "survivability_unknown": ("duration", "max_downtime", "process", "licensor"),
    "outlives": ("licensor", "duration", "process"),
    "notice_covers": ("days", "duration"),
    "notice_short": ("days", "duration"),
}
VERDICT_RULES: Mapping[Verdict, str] = {
    "fits": "exit-fits",
    "too_long": "exit-too-long",
    "no_estimate": "exit-no-estimate",
    "downtime_unknown": "exit-downtime-unknown",
    "redundant": "exit-redundant",
    "redundant_common_mode": "exit-redundant-common-mode",
    "redundant_unknown": "exit-redundant-unknown",
    "not_needed": "exit-not-needed",
    "fits_survivability": "exit-fits-survivability",
    "too_long_survivability": "exit-too-long-survivability",
    "survivability_unknown": "exit-survivability-unknown",
    "outlives": "exit-outlives-licensor",
    "notice_covers": "exit-notice-covers",
    "notice_short": "exit-notice-short",
}


class ExitVerdicts(_Strict):
    """What souverain says of the time to leave, against the downtime processes tolerate."""

    fits: Text  # the estimate fits within the max downtime
    too_long: Text  # it does not
    no_estimate: Text  # no exit duration nor effort is given (not assessed)
    downtime_unknown: Text  # a needing process gives no max downtime (not assessed)
    redundant: Text  # only through any_of groups, each with an independent partner
    redundant_common_mode: Text  # a common mode defeats a group (scoring.takeover)
    redundant_unknown: Text  # whether a partner is independent is unknown
    not_needed: Text  # no process needs the asset
    fits_survivability: Text  # on premises: within its survivability + max downtime
    too_long_survivability: Text  # or not
    survivability_unknown: Text  # longer, but whether it runs on is unknown: never "no"
    outlives: Text  # on premises, it runs indefinitely without its licensor
    notice_covers: Text  # the contract's termination notice covers the time to leave
    notice_short: Text  # it does not

    def text(self, verdict: Verdict) -> Text:
        return getattr(self, verdict)  # type: ignore[no-any-return]


class ExitRules(_Strict):
    criteria: list[ExitCriterion]
    people_on_exit: People = 1  # people working on an exit in parallel
    verdicts: ExitVerdicts


class ExposureBlend(_Strict):
    """Overall exposure = max_weight × worst axis + (1 - max_weight) × weighted mean."""

    max_weight: Share


class Bands(_Strict):
    """How a dependency's level is read from its axes (docs/methodology.md, "Levels").

    The level is the risk matrix at the dependency's gravity (row) and its exposure band
    (column, 0–4). The band is read from the axes' scores on their assessed findings
    only, never from an average: an axis weighing at least ``main_weight`` counts with
    its score, a lighter one (weight above 0) with at most ``other_cap``; the band is the
    highest counted score, ``lone`` lower when no second axis counts as much. Findings
    not assessed raise the level to at most ``unknown_cap``.
    """

    main_weight: Weight = 2
    other_cap: Score = 2
    lone: Annotated[int, _check(0, 1, whole=True), _schema(0, 1)] = 1
    unknown_cap: Level = "medium"


class Methodology(_Strict):
    souverain_methodology: Literal[1]
    id: str
    version: str
    name: Text
    exposure: ExposureBlend
    axes: dict[Axis, AxisRules]
    risk_matrix: dict[Gravity, Annotated[list[Level], Field(min_length=5, max_length=5)]]
    exit: ExitRules
    # Optional: a methodology file written before it takes the defaults.
    levels: Bands = Field(default_factory=Bands)

    @field_validator("axes")
    @classmethod
    def _every_axis(cls, axes: dict[Axis, AxisRules]) -> dict[Axis, AxisRules]:
        missing = [a for a in AXES if a not in axes]
        if missing:
            raise _wrong(phrase("expected-every-axis", missing=", ".join(missing)))
        return axes

    @field_validator("risk_matrix")
    @classmethod
    def _full_matrix(cls, matrix: dict[Gravity, list[Level]]) -> dict[Gravity, list[Level]]:
        gaps = [g for g in GRAVITIES if g not in matrix]
        if gaps:
            raise _wrong(phrase("expected-matrix-rows", missing=", ".join(gaps)))
        return matrix

    def level(self, gravity: Gravity, exposure: int) -> Level:
        """The risk level of an exposure (0–4) at a gravity, from the matrix."""
        return self.risk_matrix[gravity][max(0, min(4, exposure))]


# --- predicates' signatures ------------------------------------------------------------


@dataclass(frozen=True)
class Param:
    """What one parameter of a predicate takes. Build it with the functions below."""

    kind: Literal["choice", "choices", "texts", "whole", "number", "flag"]
    required: bool = True
    values: tuple[str, ...] = ()
    low: float = 0
    high: float = 0

    @property
    def expected(self) -> Phrase:
        """What the parameter takes, in words."""
        if self.kind == "choice":
            return phrase("one-of", choices=", ".join(self.values))
        if self.kind == "choices":
            return phrase("some-of", choices=", ".join(self.values))
        if self.kind == "texts":
            return phrase("some-texts")
        if self.kind == "flag":
            return phrase("true-or-false")
        return bounds(self.low, self.high, whole=self.kind == "whole")

    def wrong(self, value: Any) -> tuple[Path, Any] | None:
        """Where in ``value`` (a path under it) and what is wrong; None if it is right."""
        if self.kind == "choice":
            return None if isinstance(value, str) and value in self.values else ((), value)
        if self.kind in ("choices", "texts"):
            if not isinstance(value, list) or not value:
                return (), value
            for index, item in enumerate(value):
                fine = isinstance(item, str) and (
                    item in self.values if self.kind == "choices" else item.strip() != ""
                )
                if not fine:
                    return (index,), item
            return None
        if self.kind == "flag":
            return None if isinstance(value, bool) else ((), value)
        if isinstance(value, bool) or not isinstance(value, int | float):
            return (), value
        if self.kind == "whole" and not isinstance(value, int):
            return (), value
        return None if self.low <= value <= self.high else ((), value)  # NaN is wrong


def one_of(*values: str, required: bool = True) -> Param:
    """A text among ``values``."""
    return Param("choice", required, tuple(values))


def some_of(*values: str, required: bool = True) -> Param:
    """A list of one or more texts among ``values``."""
    return Param("choices", required, tuple(values))


def texts(required: bool = True) -> Param:
    """A list of one or more texts."""
    return Param("texts", required)


def whole(low: int, high: int, required: bool = True) -> Param:
    """A whole number from ``low`` to ``high``."""
    return Param("whole", required, low=low, high=high)


def number(low: float, high: float, required: bool = True) -> Param:
    """A number from ``low`` to ``high``."""
    return Param("number", required, low=low, high=high)


def flag(required: bool = False) -> Param:
    """True or false."""
    return Param("flag", required)


@dataclass(frozen=True)
class ParamProblem:
    """What a signature's own check finds wrong with a rule's parameters together."""

    param: str
    missing: bool  # True: the parameter is missing; False: its value is wrong
    expected: Phrase
    found: Any = None


@dataclass(frozen=True)
class Signature:
    """A predicate's parameters and the fields of the texts it fills.

    ``check`` sees all the parameters at once, for constraints between them.
    """

    params: Mapping[str, Param] = field(default_factory=dict)
    fields: tuple[str, ...] = ()
    check: Callable[[Mapping[str, Any]], list[ParamProblem]] | None = None


def _found(value: Any) -> Words:
    """A value as a problem's ``found``, short, whatever its size."""
    if value is None:
        return phrase("nothing")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        if value.bit_length() > 13_000:  # str() refuses beyond 4,300 digits
            return phrase("found-digits-more-than", digits=3900)
        digits = len(str(abs(value)))
        return str(value) if digits <= 20 else phrase("found-digits", digits=digits)
    if isinstance(value, Mapping):
        return phrase("a-mapping")
    if isinstance(value, list):
        return phrase("found-list", count=len(value))
    text = repr(value) if isinstance(value, str | float) else type(value).__name__
    return text if len(text) <= 80 else text[:77] + "..."


def _nearest(name: str, choices: Sequence[str]) -> str | None:
    found = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.5)
    return found[0] if found else None


def _one_of(name: str, choices: Sequence[str]) -> Phrase:
    """``one of …``, led by the choice nearest to ``name`` if there is one."""
    listed = ", ".join(choices)
    near = _nearest(name, choices)
    if near:
        return phrase("nearest-or-one-of", nearest=near, choices=listed)
    return phrase("one-of", choices=listed)


def _param_problems(
    path: Path, owner: Phrase, when: str, params: Mapping[str, Any], signature: Signature
) -> list[Problem]:
    problems = []
    declared = signature.params
    suggested = set()  # a misspelt parameter is not reported missing as well
    for name, value in params.items():
        spec = declared.get(name)
        if spec is None:
            if declared:
                listed = ", ".join(declared)
                near = _nearest(name, [n for n in declared if n not in params])
                expected = phrase("parameter-of", predicate=when, params=listed)
                if near:
                    expected = phrase(
                        "parameter-of-nearest", predicate=when, params=listed, nearest=near
                    )
                    suggested.add(near)
            else:
                expected = phrase("no-parameter", predicate=when)
            problems.append(
                Problem(
                    (*path, name),
                    phrase("unknown-parameter", owner=owner),
                    expected,
                    _found(name),
                )
            )
            continue
        wrong = spec.wrong(value)
        if wrong is not None:
            where, what = wrong
            problems.append(
                Problem(
                    (*path, name, *where),
                    phrase("wrong-parameter", owner=owner, param=name),
                    spec.expected,
                    _found(what),
                )
            )
    for name, spec in declared.items():
        if spec.required and name not in params and name not in suggested:
            problems.append(
                Problem(
                    (*path, name),
                    phrase("missing-parameter", owner=owner, param=name),
                    spec.expected,
                    phrase("nothing"),
                )
            )
    if not problems and signature.check is not None:
        for found in signature.check(params):
            problems.append(
                Problem(
                    (*path, found.param),
                    phrase(
                        "missing-parameter" if found.missing else "wrong-parameter",
                        owner=owner,
                        param=found.param,
                    ),
                    found.expected,
                    phrase("nothing") if found.missing else _found(found.found),
                )
            )
    return problems


# --- texts: named fields only ----------------------------------------------------------

_NAME = re.compile(r"[^\W\d]\w*")


def _template_problem(text: str, allowed: Sequence[str] | None) -> tuple[Phrase, Words] | None:
    """The first thing wrong with ``text`` as a template: (what, the field as written).

    A template is literal text, ``{{`` and ``}}`` for braces, and ``{name}`` fields
    whose names are in ``allowed`` (any name if None). ``str.format_map`` reads such
    a template as plain key look-ups: no positional field, no attribute or index
    access, no conversion, no format spec.
    """
    index = 0
    while index < len(text):
        char = text[index]
        if char not in "{}":
            index += 1
            continue
        if text.startswith(char * 2, index):
            index += 2
            continue
        end = text.find("}", index + 1)
        if char == "}" or end < 0:
            return phrase("unbalanced-brace"), phrase("lone-brace", brace=char, at=index + 1)
        name = text[index + 1 : end]
        written = text[index : end + 1]
        if "{" in name:
            return phrase("unbalanced-brace"), phrase("lone-brace", brace="{", at=index + 1)
        if "!" in name or ":" in name:
            return phrase("format-spec"), written
        if "." in name or "[" in name:
            return phrase("attribute-access"), written
        if not _NAME.fullmatch(name):
            if name == "" or name.isdigit():
                return phrase("positional-field"), written
            return phrase("unknown-field"), written
        # {in_country}, {to_laws}...: a field in a grammatical form (core/terms.py)
        if allowed is not None and name not in allowed and form_field(name)[1] not in allowed:
            return phrase("unknown-field"), written
        index = end + 1
    return None


def _allowed(allowed: Sequence[str] | None) -> Phrase:
    if allowed is None:
        return phrase("predicate-fields")
    if not allowed:
        return phrase("no-field")
    return phrase("fields-among", fields=", ".join("{" + name + "}" for name in allowed))


def _text_problems(
    path: Path, label: str, text: Any, allowed: Sequence[str] | None
) -> list[Problem]:
    problems = []
    for lang, template in text.items() if isinstance(text, Mapping) else ():
        if not isinstance(template, str):
            continue
        wrong = _template_problem(template, allowed)
        if wrong is not None:
            what, written = wrong
            braces = what.id == "unbalanced-brace"
            expected = phrase("expected-braces") if braces else _allowed(allowed)
            message = phrase("in-text", what=what, text=label)
            problems.append(Problem((*path, lang), message, expected, written))
    return problems


def methodology_problems(
    methodology: Methodology, signatures: Mapping[str, Signature]
) -> list[Problem]:
    """Everything wrong with ``methodology`` that its types do not say, in file order.

    ``signatures`` are the predicates' declarations
    (:data:`souverain.core.scoring.rules.SIGNATURES`): each rule must name one, give it the
    parameters it declares, and use in its text only the fields it declares.
    """
    problems: list[Problem] = []
    count = sum(len(rules.rules) for rules in methodology.axes.values())
    count += len(methodology.exit.criteria)
    if count > METHODOLOGY_MAX_RULES:
        problems.append(
            Problem(
                ("axes",),
                phrase("too-many-rules"),
                phrase("expected-rules-at-most", count=METHODOLOGY_MAX_RULES),
                phrase("found-rules", count=count),
            )
        )

    def rule(
        path: Path, owner: Phrase, ident: str, when: str, params: Mapping[str, Any], text: Text
    ) -> None:
        signature = signatures.get(when)
        if signature is None:
            problems.append(
                Problem(
                    (*path, "when"),
                    phrase("unknown-predicate-of", owner=owner),
                    _one_of(when, sorted(signatures)),
                    _found(when),
                )
            )
        else:
            problems.extend(_param_problems((*path, "params"), owner, when, params, signature))
        fields = signature.fields if signature is not None else None
        problems.extend(_text_problems((*path, "text"), ident, text, fields))

    for axis, rules in methodology.axes.items():
        for index, item in enumerate(rules.rules):
            path: Path = ("axes", axis, "rules", index)
            owner = phrase("owner-rule", id=item.id)
            rule(path, owner, item.id, item.when, item.params, item.text)
        problems.extend(_text_problems(("axes", axis, "clear"), f"{axis}.clear", rules.clear, ()))
    if not any(rules.weight > 0 for rules in methodology.axes.values()):
        problems.append(
            Problem(
                ("axes",),
                phrase("no-weight"),
                phrase("expected-weight"),
                phrase("found-no-weight"),
            )
        )
    for index, criterion in enumerate(methodology.exit.criteria):
        path = ("exit", "criteria", index)
        owner = phrase("owner-criterion", id=criterion.id)
        rule(path, owner, criterion.id, criterion.when, criterion.params, criterion.text)
    for verdict, fields in VERDICT_FIELDS.items():
        path = ("exit", "verdicts", verdict)
        text = methodology.exit.verdicts.text(verdict)
        problems.extend(_text_problems(path, f"exit.verdicts.{verdict}", text, fields))
    return problems
