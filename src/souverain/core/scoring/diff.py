"""What changed between two audits: ``souverain diff OLD NEW`` (docs/diff.md).

An audit is reduced to a :class:`Snapshot` — for each dependency its level, exposure
per axis, exit readiness and the findings behind them — whether it comes from an
estate audited now or from an audit JSON written earlier. Comparing two snapshots
gives the dependencies added and removed, the scores and levels that moved, and the
findings opened and closed: how an organisation tracks its trajectory.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from souverain.core.scoring.audit import AuditResult
from souverain.core.scoring.methodology import AXES
from souverain.core.vocabulary import LEVELS, Lang

# Weight of each level in a snapshot's level total: a count of dependencies by level,
# which an audit JSON of any date gives. It is not the risk total
# (core/scoring/risk.py), which weighs exposure and exit readiness by gravity.
LEVEL_WEIGHT = {"critical": 8, "high": 4, "medium": 2, "low": 1}


@dataclass(frozen=True)
class SnapshotFinding:
    """A risk found: a reason of an exposure axis that scores above 0.

    Two findings are the same when asset, axis, rule and evidence are, whatever the
    language of their text.
    """

    asset: str
    rule: str
    text: str = field(compare=False)
    axis: str = ""  # the exposure axis
    ref: str = ""  # the evidence: estate field or catalog fact


@dataclass(frozen=True)
class Row:
    asset: str
    name: str
    level: str
    exposure_score: float
    axes: Mapping[str, int]
    exit_readiness: int
    can_exit_in_time: bool | None  # None: cannot be told


@dataclass
class Snapshot:
    """The parts of an audit a diff compares."""

    label: str  # the file it came from
    date: str | None
    rows: dict[str, Row] = field(default_factory=dict)
    findings: set[SnapshotFinding] = field(default_factory=set)

    @property
    def level_total(self) -> int:
        """Σ over the dependencies of their level's weight (:data:`LEVEL_WEIGHT`)."""
        return sum(LEVEL_WEIGHT.get(r.level, 0) for r in self.rows.values())

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = dict.fromkeys(reversed(LEVELS), 0)
        for row in self.rows.values():
            out[row.level] = out.get(row.level, 0) + 1
        return out


def snapshot_of(result: AuditResult, label: str, lang: Lang) -> Snapshot:
    """A fresh audit, its reason texts in ``lang``."""
    snapshot = Snapshot(label, result.today.isoformat())
    for dep in result.dependencies:
        snapshot.rows[dep.asset] = Row(
            dep.asset,
            dep.name,
            dep.level,
            dep.exposure_score,
            {axis: dep.exposure[axis].score for axis in AXES},
            dep.exit.readiness,
            dep.exit.can_exit_within_max_downtime,
        )
        for axis in AXES:
            for reason in dep.exposure[axis].reasons:
                if reason.score > 0:
                    text = reason.text(lang)
                    ref = reason.evidence.ref
                    snapshot.findings.add(SnapshotFinding(dep.asset, reason.rule, text, axis, ref))
    return snapshot


@dataclass(frozen=True)
class DependencyChange:
    """A dependency in both audits whose level, scores or exit readiness moved."""

    asset: str
    name: str
    level: tuple[str, str]
    exposure_score: tuple[float, float]
    axes: Mapping[str, tuple[int, int]]  # only the axes that moved
    exit_readiness: tuple[int, int]

    @property
    def direction(self) -> int:
        """-1 better, +1 worse, 0 level unchanged."""
        before, after = (LEVELS.index(x) for x in self.level)
        return (after > before) - (after < before)


@dataclass(frozen=True)
class Diff:
    old: Snapshot
    new: Snapshot
    added: tuple[str, ...]
    removed: tuple[str, ...]
    changed: tuple[DependencyChange, ...]
    opened: tuple[SnapshotFinding, ...]
    closed: tuple[SnapshotFinding, ...]


def diff(old: Snapshot, new: Snapshot) -> Diff:
    """Compare two snapshots. A finding is the same when asset, rule and text are."""
    added = tuple(a for a in new.rows if a not in old.rows)
    removed = tuple(a for a in old.rows if a not in new.rows)
    changed = []
    for asset, after in new.rows.items():
        before = old.rows.get(asset)
        if before is None:
            continue
        axes: dict[str, tuple[int, int]] = {
            axis: (before.axes.get(axis, 0), after.axes.get(axis, 0))
            for axis in AXES
            if before.axes.get(axis, 0) != after.axes.get(axis, 0)
        }
        if (
            axes
            or before.level != after.level
            or before.exposure_score != after.exposure_score
            or before.exit_readiness != after.exit_readiness
        ):
            changed.append(
                DependencyChange(
                    asset,
                    after.name,
                    (before.level, after.level),
                    (before.exposure_score, after.exposure_score),
                    axes,
                    (before.exit_readiness, after.exit_readiness),
                )
            )
    changed.sort(key=lambda c: (-abs(c.direction), -c.direction, c.asset))
    return Diff(
        old,
        new,
        added,
        removed,
        tuple(changed),
        _sorted(new.findings - old.findings),
        _sorted(old.findings - new.findings),
    )


def _sorted(findings: Iterable[SnapshotFinding]) -> tuple[SnapshotFinding, ...]:
    return tuple(sorted(findings, key=lambda f: (f.asset, f.axis, f.rule, f.ref)))
