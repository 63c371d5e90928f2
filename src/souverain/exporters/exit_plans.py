"""An exit plan as a JSON document (docs/exit-plans.md): :func:`exit_plan_document`,
every text put into words in one language (:mod:`souverain.wording`). The roadmap's
JSON and Markdown, the report and the workbook all print plans from this document."""

from __future__ import annotations

from typing import Any

from souverain.core.phrase import Phrase
from souverain.core.planning.exit_plans import ExitPlan
from souverain.core.vocabulary import LANGS, Lang
from souverain.wording import render

DOMAIN = "exit_plans"  # data/locales/exit_plans.<lang>.yaml


def exit_plan_document(plan: ExitPlan, lang: str) -> dict[str, Any]:
    """One plan as JSON-ready data, every text in ``lang`` (``en`` or ``fr``)."""
    if lang not in LANGS:
        raise ValueError(f"expected a language among {', '.join(LANGS)}, found {lang!r}")
    key: Lang = "fr" if lang == "fr" else "en"

    def text(value: Phrase) -> str:
        return render(value, key, DOMAIN)

    return {
        "asset": plan.asset,
        "name": plan.name,
        "gravity": plan.gravity,
        "process": plan.process,
        "provider": plan.provider,
        "alternative": plan.alternative,
        "alternative_name": plan.alternative_name,
        "alternative_ring": plan.alternative_ring,
        "alternatives_considered": list(plan.alternatives_considered),
        "export": {
            "formats": list(plan.export.formats),
            "open": plan.export.open_export,
            "source": plan.export.source,
            "tested": plan.export.tested.isoformat() if plan.export.tested else None,
        },
        "steps": [
            {"kind": s.kind, "text": text(s.text), "days": s.days, "ref": s.ref} for s in plan.steps
        ],
        "skills": [
            {"kind": s.kind, "text": text(s.text), "mastery": s.mastery} for s in plan.skills
        ],
        "contract_steps": [
            {"kind": c.kind, "text": text(c.text), "field": c.field, "value": c.value}
            for c in plan.contract_steps
        ],
        "duration": str(plan.duration) if plan.duration is not None else None,
        "duration_source": plan.duration_source,
        "notice_days": plan.notice_days,
        "notice_longer_than_work": plan.notice_longer_than_work,
        "fits_max_downtime": plan.fits_max_downtime,
        "max_downtime": str(plan.max_downtime) if plan.max_downtime is not None else None,
        "reasons": [
            {
                "text": text(n.text),
                "ref": n.ref,
                "source": n.source,
                "as_of": n.as_of.isoformat() if n.as_of else None,
            }
            for n in plan.reasons
        ],
    }
