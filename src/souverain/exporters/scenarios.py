"""Scenario outcomes as JSON (docs/scenarios.md): ``souverain simulate -f json`` and
the examples' ``*.scenarios.json``.

:func:`outcome_document` is the stable JSON object of one scenario's
:class:`~souverain.core.scenarios.reference.Outcome` (its affected assets only).
:func:`outcome_json` and :func:`ranking_json` write the same text as
``json.dumps(..., ensure_ascii=False, indent=2)`` of those objects, straight from the
bit-parallel engine's :class:`~souverain.core.scenarios.sweep.Batch`: one piece of text
per process outcome and per affected asset, picked by the batch's arrays, with no
outcome built. A 10,000-asset estate's ranking is about 50 MB of JSON, which building
every outcome and the standard library's indenting encoder (pure Python) take seconds
to write. Tests check the texts against ``json.dumps`` of the reference walk's
outcomes.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from souverain.core.scenarios.reference import STATES, Outcome, ProcessOutcome
from souverain.core.scenarios.sweep import Batch


def process_document(process: ProcessOutcome) -> dict[str, Any]:
    """One process's fate in a scenario."""
    return {
        "id": process.id,
        "state": process.state,
        "time_to_impact": str(process.time_to_impact) if process.time_to_impact else None,
        "exceeds_max_downtime": process.exceeds_max_downtime,
    }


def outcome_document(outcome: Outcome) -> dict[str, Any]:
    """One scenario as the stable JSON object (affected assets only)."""
    return {
        "scenario": outcome.scenario.spec,
        "equivalent": list(outcome.scenario.equivalent),
        "processes": [process_document(p) for p in outcome.processes],
        "assets": [asset_document(a, s) for a, s in outcome.assets],
        "lost_data": list(outcome.lost_data),
        "unreachable_data": list(outcome.unreachable_data),
    }


def asset_document(ident: str, state: str) -> dict[str, str]:
    """One affected asset."""
    return {"id": ident, "state": state}


def outcome_json(batch: Batch, column: int) -> str:
    """Scenario ``column`` of ``batch`` (made with ``outcomes=True``) as its JSON
    document, indented, with a final newline."""
    return _Writer(batch, 0).outcome(column, None) + "\n"


def ranking_json(batch: Batch, columns: Sequence[int]) -> str:
    """Scenarios ``columns`` of ``batch`` (made with ``outcomes=True``), in that order,
    as a JSON list of their documents, each with its ``rank`` first (1 for the first),
    indented, with a final newline."""
    writer = _Writer(batch, 1)
    items = [writer.outcome(column, rank) for rank, column in enumerate(columns, 1)]
    return _list(items, 0) + "\n"


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)


# Stand-ins for an asset's id and state in its document's text: JSON writes them as
# they are, and an id or a state cannot be written into the field names.
_ID, _STATE = "\u0001id\u0001", "\u0001state\u0001"
_string = json.JSONEncoder(ensure_ascii=False).encode


def _list(items: Sequence[str], depth: int) -> str:
    """A JSON list at ``depth`` (its own line's indentation) of items already written
    for the depth below."""
    if not items:
        return "[]"
    pad = "  " * (depth + 1)
    return "[\n" + pad + (",\n" + pad).join(items) + "\n" + "  " * depth + "]"


class _Writer:
    """Writes a batch's outcomes as :func:`outcome_document` would give them, from a
    text per process outcome (a process has few) and per affected asset and
    state, each written once, picked by the batch's arrays."""

    def __init__(self, batch: Batch, depth: int) -> None:
        self.batch = batch
        self.depth = depth
        inner = "\n" + "  " * (depth + 2)  # the lines inside an item of a field's list
        self.inner = inner
        self.processes = np.array(
            [
                [_dumps(process_document(p)).replace("\n", inner) for p in row]
                for row in batch.process_outcomes()
            ],
            dtype=object,
        ).reshape(len(batch.graph.estate.processes), batch.outcome_width())
        self.rows = np.arange(self.processes.shape[0])
        self.codes = batch.codes()
        self.assets = self._asset_texts()

    def _asset_texts(self) -> NDArray[np.object_]:
        """The text of each asset some scenario hits, at [asset number, state]: the
        document of one asset written once, its id and state put in as JSON strings."""
        batch = self.batch
        ids = [ident for ident, _ in batch.graph.walk().assets]
        texts = np.empty((len(ids), len(STATES)), dtype=object)
        if batch.hits is None:
            raise ValueError("the batch was made without outcomes=True")
        _, numbers, states = batch.hits
        template = _dumps(asset_document(_ID, _STATE)).replace("\n", self.inner)
        before, _, after = template.partition(_string(_ID))
        middle, _, end = after.partition(_string(_STATE))
        state_texts = [middle + _string(state) + end for state in STATES]
        pairs = np.unique(numbers * len(STATES) + states)
        for number, state in zip(
            (pairs // len(STATES)).tolist(), (pairs % len(STATES)).tolist(), strict=True
        ):
            texts[number, state] = before + _string(ids[number]) + state_texts[state]
        return texts

    def outcome(self, column: int, rank: int | None) -> str:
        batch, depth = self.batch, self.depth
        processes = self.processes[self.rows, self.codes[:, column]].tolist()
        numbers, states = batch.asset_hits(column)
        affected = self.assets[numbers, states].tolist()
        data = [_dumps(category) for category in batch.unreachable_data()[column]]
        lost = [_dumps(category) for category in batch.lost_data()[column]]
        scenario = batch.scenarios[column]
        same = [_dumps(spec) for spec in scenario.equivalent]
        pad = "  " * (depth + 1)
        fields = [] if rank is None else [f'"rank": {rank}']
        fields += [
            '"scenario": ' + _dumps(scenario.spec),
            '"equivalent": ' + _list(same, depth + 1),
            '"processes": ' + _list(processes, depth + 1),
            '"assets": ' + _list(affected, depth + 1),
            '"lost_data": ' + _list(lost, depth + 1),
            '"unreachable_data": ' + _list(data, depth + 1),
        ]
        return "{\n" + pad + (",\n" + pad).join(fields) + "\n" + "  " * depth + "}"
