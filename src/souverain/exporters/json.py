"""``--format json``: the audit as one JSON object."""

from __future__ import annotations

from souverain.core.scoring.audit import AuditResult
from souverain.exporters.interface import Exporter
from souverain.exporters.matrix import audit_document
from souverain.exporters.safe import json_bytes
from souverain.i18n import Lang


class JsonExporter(Exporter):
    format = "json"
    suffix = ".json"

    def render(self, result: AuditResult, lang: Lang) -> bytes:
        return json_bytes(audit_document(result, lang))
