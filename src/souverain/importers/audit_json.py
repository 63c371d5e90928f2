"""Read back an audit written by ``souverain audit --format json``, for ``diff``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from souverain.core.errors import InvalidInput, Problem
from souverain.core.estate.validation import parse_model
from souverain.core.limits import MAX_AUDIT_JSON_BYTES
from souverain.core.phrase import phrase
from souverain.core.scoring.diff import Row, Snapshot, SnapshotFinding
from souverain.core.scoring.methodology import AXES
from souverain.exporters.schema import AuditOut
from souverain.importers.document import Document, fast_data, is_json, read_document, read_text


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
        return _snapshot(document.name, document.data)
    except InvalidInput as error:
        raise InvalidInput("audit", document.locate(error.problems)) from None


def _snapshot(name: str, data: Any) -> Snapshot:
    audit = parse_model(AuditOut, data, "audit")
    snapshot = Snapshot(name, audit.date)
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
                        SnapshotFinding(dep.asset, reason.rule, reason.text, axis, reason.ref)
                    )
    return snapshot


def fast_snapshot(path: Path) -> Snapshot | bool | None:
    """``path`` read by the fast parser: its snapshot if it is a valid audit JSON,
    False if it is something else (an estate), None if only the line-keeping parser
    can tell (a malformed file, or an audit that does not validate: its problems are
    then located with :func:`read_snapshot`'s path).

    An audit is read up to :data:`MAX_AUDIT_JSON_BYTES`, much more than an estate: an
    estate found here is read again, within the estate's limit, to be audited."""
    data = fast_data(read_text(path, MAX_AUDIT_JSON_BYTES), is_json(path))
    if data is None:
        return None
    if not is_audit(data):
        return False
    try:
        return _snapshot(str(path), data)
    except InvalidInput:
        return None


def read_snapshot(path: Path) -> Snapshot:
    document = read_document(path, MAX_AUDIT_JSON_BYTES)
    if not is_audit(document.data):
        raise InvalidInput(
            "audit",
            [
                Problem(
                    (),
                    phrase("not-an-audit"),
                    phrase("expected-audit"),
                    phrase("something-else"),
                    file=str(path),
                )
            ],
        )
    return snapshot_from_document(document)
