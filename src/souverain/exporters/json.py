"""``--format json``: the audit as one JSON object."""

from __future__ import annotations

from souverain.core.scoring.audit import AuditResult
from souverain.exporters.interface import Exporter
from souverain.exporters.matrix import audit_head, dependency_documents
from souverain.exporters.safe import json_pieces
from souverain.i18n import Lang


class JsonExporter(Exporter):
    format = "json"
    suffix = ".json"

    def render(self, result: AuditResult, lang: Lang) -> bytes:
        return b"".join(self.pieces(result, lang))

    def pieces(self, result: AuditResult, lang: Lang) -> list[bytes]:
        return json_pieces(
            audit_head(result, lang), "dependencies", dependency_documents(result, lang)
        )
