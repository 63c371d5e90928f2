"""A dependency's level (docs/methodology.md, "Levels"): the risk matrix at its gravity
and the band of its assessed findings, how sure it is (coverage, the level if the
not-assessed findings were confirmed), and the floors rules may set."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, NamedTuple

from souverain.core.scoring.methodology import Axis, Bands, Methodology
from souverain.core.vocabulary import LEVELS, Gravity, Level

if TYPE_CHECKING:
    from souverain.core.scoring.score import AxisScore, CompiledAxis


def floored(
    level: Level,
    gravity: Gravity,
    score: AxisScore,
    floors: Mapping[str, Mapping[Gravity, Level]],
) -> Level:
    """``level`` raised to the floor of any rule with a floor that found something
    confirmed (not a not-assessed reason) on the axis, at the dependency's gravity."""
    for reason in score.reasons:
        floor = floors.get(reason.rule)
        least = floor.get(gravity) if floor and not reason.not_assessed else None
        if least is not None and LEVELS.index(least) > LEVELS.index(level):
            level = least
    return level


class Standing(NamedTuple):
    """A dependency's level and how sure it is (see :func:`standing_of`)."""

    level: Level
    band: int
    level_if_confirmed: Level
    coverage: float
    unknown_axes: tuple[Axis, ...]
    assessed: Mapping[Axis, int]


def standing_of(
    methodology: Methodology,
    axes: tuple[CompiledAxis, ...],
    gravity: Gravity,
    exposure: Mapping[Axis, AxisScore],
) -> Standing:
    """The level of a dependency of ``gravity`` scored ``exposure``, from its assessed
    findings (docs/methodology.md, "Levels"); and its coverage: the share of the axes'
    weight whose findings are all assessed. (One pass over the axes, the band of the
    assessed scores and that of all scores kept as :func:`exposure_band` keeps them:
    an audit works this out for every asset.)"""
    bands = methodology.levels
    main_weight, other_cap = bands.main_weight, bands.other_cap
    assessed: dict[Axis, int] = {}
    unknown: list[Axis] = []
    covered = total = 0.0
    best = second = best_all = second_all = 0
    for axis in axes:
        name = axis.name
        score, reasons = exposure[name]
        weight = axis.weight
        total += weight
        value = score
        if len(reasons) == 1 and not reasons[0][5]:  # most axes: one assessed reason
            covered += weight
        else:
            for reason in reasons:
                if reason[5]:  # not_assessed
                    kept = [r[1] for r in reasons if not r[5]]
                    value = int(min(4, sum(kept) if axis.summed else max(kept))) if kept else 0
                    unknown.append(name)
                    break
            else:
                covered += weight
        assessed[name] = value
        if weight <= 0:
            continue
        cap = 4 if weight >= main_weight else other_cap
        counted = value if value < cap else cap
        if counted > best:
            best, second = counted, best
        elif counted > second:
            second = counted
        counted = score if score < cap else cap
        if counted > best_all:
            best_all, second_all = counted, best_all
        elif counted > second_all:
            second_all = counted
    band = _band(best, second, bands.lone)
    level, confirmed = level_of(methodology, gravity, band, _band(best_all, second_all, bands.lone))
    coverage = round(covered / total, 2) if total else 1.0
    return Standing(level, band, confirmed, coverage, tuple(unknown), assessed)


def exposure_band(bands: Bands, axes: tuple[CompiledAxis, ...], scores: Mapping[Axis, int]) -> int:
    """The risk matrix's column (0–4) for these axis scores: the highest score counted
    (a main axis's score, a lighter axis's up to ``other_cap``, an axis of weight 0 not
    at all), ``lone`` lower when no second axis counts as much. Whole numbers only:
    no average, no rounding, so a small difference on another axis moves no band."""
    best = second = 0
    for axis in axes:
        if axis.weight <= 0:
            continue
        value = scores[axis.name]
        if axis.weight < bands.main_weight and value > bands.other_cap:
            value = bands.other_cap
        if value > best:
            best, second = value, best
        elif value > second:
            second = value
    return _band(best, second, bands.lone)


def _band(best: int, second: int, lone: int) -> int:
    """The highest counted score, ``lone`` lower when the second is below it."""
    return best if second >= best else max(0, best - lone)


def level_of(
    methodology: Methodology, gravity: Gravity, band: int, confirmed_band: int
) -> tuple[Level, Level]:
    """(level, level if the not-assessed findings were confirmed): the risk matrix at
    ``gravity`` and the band of the assessed findings, raised by the not-assessed ones
    (``confirmed_band``) to at most the methodology's ``unknown_cap``."""
    found = LEVELS.index(methodology.level(gravity, band))
    confirmed = max(found, LEVELS.index(methodology.level(gravity, confirmed_band)))
    cap = LEVELS.index(methodology.levels.unknown_cap)
    return LEVELS[max(found, min(confirmed, cap))], LEVELS[confirmed]
