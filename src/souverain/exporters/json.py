"""``--format json``: the audit as one JSON object."""

from __future__ import annotations

import json

from souverain.core.audit import AuditResult
from souverain.exporters.interface import Exporter
from souverain.exporters.matrix import audit_document
from souverain.i18n import Lang


class JsonExporter(Exporter):
    format = "json"
    suffix = ".json"

    def render(self, result: AuditResult, lang: Lang) -> bytes:
        text = json.dumps(audit_document(result, lang), ensure_ascii=False, indent=2)
        return (text + "\n").encode("utf-8")
