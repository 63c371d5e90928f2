"""The diff as its stable JSON object (docs/diff.md): ``souverain diff -f json``."""

from __future__ import annotations

from typing import Any

from souverain.core.scoring.diff import Diff, Snapshot, SnapshotFinding

DIRECTION = {-1: "better", 0: "same level", 1: "worse"}


def diff_document(found: Diff) -> dict[str, Any]:
    """The diff as JSON (stable names)."""
    return {
        "old": _side(found.old),
        "new": _side(found.new),
        "dependencies": {
            "added": list(found.added),
            "removed": list(found.removed),
            "changed": [
                {
                    "asset": c.asset,
                    "name": c.name,
                    "level": list(c.level),
                    "exposure_score": list(c.exposure_score),
                    "axes": {axis: list(pair) for axis, pair in c.axes.items()},
                    "exit_readiness": list(c.exit_readiness),
                    "direction": DIRECTION[c.direction],
                }
                for c in found.changed
            ],
        },
        "findings": {
            "opened": [_finding(f) for f in found.opened],
            "closed": [_finding(f) for f in found.closed],
        },
    }


def _side(snapshot: Snapshot) -> dict[str, Any]:
    return {
        "source": snapshot.label,
        "date": snapshot.date,
        "dependencies": len(snapshot.rows),
        "levels": snapshot.counts(),
        "level_total": snapshot.level_total,
        "findings": len(snapshot.findings),
    }


def _finding(item: SnapshotFinding) -> dict[str, str]:
    return {"asset": item.asset, "axis": item.axis, "rule": item.rule, "text": item.text}
