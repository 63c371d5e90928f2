"""``--format json``: the audit as one JSON object."""

from __future__ import annotations

import orjson

from souverain.core.audit import AuditResult
from souverain.exporters.interface import Exporter
from souverain.exporters.matrix import audit_document
from souverain.i18n import Lang


class JsonExporter(Exporter):
    format = "json"
    suffix = ".json"

    def render(self, result: AuditResult, lang: Lang) -> bytes:
        # orjson: indented output at C speed (json.dumps with indent falls back to Python).
        return orjson.dumps(audit_document(result, lang), option=orjson.OPT_INDENT_2) + b"\n"
