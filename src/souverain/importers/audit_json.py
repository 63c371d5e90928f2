"""Read back an audit written by ``souverain audit --format json``, for ``diff``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from souverain.core.diff import Finding, Row, Snapshot
from souverain.core.errors import InvalidInput, Problem
from souverain.core.methodology import AXES
from souverain.core.validation import parse_model
from souverain.exporters.schema import AuditOut
from souverain.importers.document import Document, read_document


def is_audit(data: Any) -> bool:
    """Whether parsed data looks like an audit JSON (rather than an estate)."""
    return (
        isinstance(data, dict)
        and isinstance(data.get("souverain"), str)
        and ("dependencies" in data)
    )


def snapshot_from_document(document: Document) -> Snapshot:
    """The snapshot of an audit JSON; :class:`InvalidInput` located in the file if
    it is not one."""
    try:
        audit = parse_model(AuditOut, document.data, "audit")
    except InvalidInput as error:
        raise InvalidInput("audit", document.locate(error.problems)) from None
    snapshot = Snapshot(document.name, audit.date)
    for dep in audit.dependencies:
        axes = {axis: getattr(dep.exposure, axis) for axis in AXES}
        snapshot.rows[dep.asset] = Row(
            dep.asset,
            dep.name,
            dep.level,
            dep.exposure_score,
            {axis: value.score for axis, value in axes.items()},
            dep.exit.readiness,
            dep.exit.can_exit_within_max_downtime,
        )
        for axis, value in axes.items():
            for reason in value.reasons:
                if reason.score > 0:
                    snapshot.findings.add(
                        Finding(dep.asset, reason.rule, reason.text, axis, reason.ref)
                    )
    return snapshot


def read_snapshot(path: Path) -> Snapshot:
    document = read_document(path)
    if not is_audit(document.data):
        raise InvalidInput(
            "audit",
            [
                Problem(
                    (),
                    "not an audit",
                    "the output of souverain audit --format json",
                    "something else",
                    file=str(path),
                )
            ],
        )
    return snapshot_from_document(document)
