"""``--format json``: the audit as one JSON object."""

from __future__ import annotations

from souverain.core.mapper import Mapper, serially
from souverain.core.scoring.audit import AuditResult
from souverain.exporters.interface import Exporter
from souverain.exporters.matrix import audit_head, dependency_document
from souverain.exporters.safe import json_pieces
from souverain.i18n import Lang


class JsonExporter(Exporter):
    format = "json"
    suffix = ".json"

    def render(self, result: AuditResult, lang: Lang) -> bytes:
        return b"".join(self.pieces(result, lang))

    def pieces(self, result: AuditResult, lang: Lang, mapper: Mapper = serially) -> list[bytes]:
        ranked = list(enumerate(result.dependencies, 1))
        return json_pieces(
            audit_head(result, lang),
            "dependencies",
            ranked,
            lambda row: dependency_document(row[0], row[1], lang),
            mapper,
        )
