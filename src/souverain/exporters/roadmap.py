"""The roadmap as bytes: JSON, CSV (RFC 4180), Markdown and iCalendar (RFC 5545).

Every renderer takes the same document (:func:`roadmap_document`), so that the formats
never disagree. See docs/roadmap.md. User text reaches each format through one
function of its own: :func:`~souverain.exporters.safe.json_bytes`,
:func:`~souverain.exporters.safe.csv_text`, :func:`_md` and :func:`_ics_escape`, which
strip control characters and escape what the format gives a meaning to. The core's
words (notes, rationales) are phrases, put into words here in the document's language
(:func:`souverain.wording.render`, ``data/locales/roadmap.<lang>.yaml``).
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

from souverain import __version__
from souverain.core.planning.actions import Action, Migrate
from souverain.core.planning.phases import action_end, phase_start
from souverain.core.planning.roadmap import Roadmap
from souverain.core.scoring.audit import AuditResult
from souverain.core.text import printable
from souverain.exporters.safe import csv_text, json_bytes
from souverain.i18n import Lang, label
from souverain.wording import render, say_duration

# Where the roadmap's phrases are worded: data/locales/roadmap.<lang>.yaml.
DOMAIN = "roadmap"


def _action_document(
    action: Action, phase: str, order: int, today: date, lang: Lang
) -> dict[str, Any]:
    start = phase_start(today, phase)  # type: ignore[arg-type]
    change = action.change
    migrate = change if isinstance(change, Migrate) else None
    return {
        "order": order,
        "id": action.id,
        "kind": action.kind,
        "title": label(lang, f"roadmap_kind_{action.kind}"),
        "phase": phase,
        "targets": list(action.targets),
        "rationale": [
            {"rule": r.rule, "asset": r.asset, "text": render(r.text, lang, DOMAIN)}
            for r in action.rationale
        ],
        "effort_days": action.effort_days,
        "cost_band": action.cost_band,
        "cost_eur": round(action.cost_eur, 2),
        "yearly_cost_eur": round(action.yearly_cost_eur, 2),
        "prerequisites": list(action.prerequisites),
        "risk_reduction": action.risk_reduction,
        "uncertainty": action.uncertainty,
        "alternative": migrate.product if migrate else None,
        "deployment": migrate.deployment if migrate else None,
        "start": start.isoformat(),
        "end": action_end(start, action.effort_days).isoformat(),
        "note": render(action.note, lang, DOMAIN) if action.note else None,
    }


def roadmap_document(
    roadmap: Roadmap,
    result: AuditResult,
    lang: Lang,
    exit_plans: list[dict[str, Any]] | None = None,
    listed: int | None = None,
) -> dict[str, Any]:
    """The roadmap as the stable JSON object.

    ``listed``: only the first ``listed`` actions of each phase in full, the others
    reduced to their ``id``, ``kind`` and ``effort_days`` (the report lists no more and
    counts the rest; a large estate's roadmap has more actions than assets).
    """
    today = result.today
    phases = []
    order = 0
    for phase in roadmap.phases:
        actions = []
        for number, action in enumerate(phase.actions):
            order += 1
            if listed is not None and number >= listed:
                actions.append(
                    {"id": action.id, "kind": action.kind, "effort_days": action.effort_days}
                )
            else:
                actions.append(_action_document(action, phase.name, order, today, lang))
        phases.append(
            {
                "name": phase.name,
                "title": label(lang, f"roadmap_phase_{phase.name}"),
                "start": phase_start(today, phase.name).isoformat(),
                "effort_days": phase.effort_days,
                "capacity_days": phase.capacity_days,
                "risk_after": phase.risk_after,
                "actions": actions,
            }
        )
    return {
        "souverain_roadmap": 1,
        "generator": f"souverain {__version__}",
        "organisation": result.estate.organisation.name,
        "as_of": today.isoformat(),
        "methodology": {"id": result.methodology.id, "version": result.methodology.version},
        "risk_measure": label(lang, "roadmap_risk_explained"),
        "capacity_days_per_month": roadmap.capacity_days_per_month,
        "risk_before": roadmap.risk_before,
        "risk_after_each_phase": roadmap.risk_after_each_phase,
        "plan": {
            "dropped": list(roadmap.dropped),
            "pinned": list(roadmap.pinned),
            "rephased": list(roadmap.rephased),
        },
        "phases": phases,
        "exit_plans": exit_plans or [],
    }


def render_json(document: dict[str, Any]) -> bytes:
    return json_bytes(document)


CSV_COLUMNS = (
    "order",
    "phase",
    "id",
    "kind",
    "title",
    "targets",
    "effort_days",
    "cost_band",
    "yearly_cost_eur",
    "risk_reduction",
    "prerequisites",
    "start",
    "end",
    "rationale",
)


def render_csv(document: dict[str, Any]) -> bytes:
    """One row per action; lists joined with spaces, reasons with " | "; CRLF rows."""
    rows: list[list[Any]] = [list(CSV_COLUMNS)]
    for phase in document["phases"]:
        for a in phase["actions"]:
            rows.append(
                [
                    a["order"],
                    a["phase"],
                    a["id"],
                    a["kind"],
                    a["title"],
                    " ".join(a["targets"]),
                    a["effort_days"],
                    a["cost_band"],
                    a["yearly_cost_eur"],
                    a["risk_reduction"],
                    " ".join(a["prerequisites"]),
                    a["start"],
                    a["end"],
                    " | ".join(r["text"] for r in a["rationale"]),
                ]
            )
    return csv_text(rows).encode("utf-8")


# What Markdown would read as markup in a name: a backslash, a pipe (a table's next
# cell), a backtick (code), emphasis stars, brackets (links, images), and "<" before
# what could be an HTML tag or an autolink ("< 5 k€" stays as it is).
_MD_SPECIAL = re.compile(r"[\\|`*\[\]]|<(?=[A-Za-z/!?])")
# An id written as code as it is (ids have none of Markdown's special characters).
_MD_CODE = re.compile(r"[A-Za-z0-9:._/-]+")


def _md(text: object) -> str:
    """Text in a Markdown line (a table cell, a heading, a list item): on one line,
    without control characters, its markup characters escaped with a backslash."""
    return _MD_SPECIAL.sub(r"\\\g<0>", printable(str(text), one_line=True))


def _md_code(text: str) -> str:
    """An id as inline code; anything unlike an id as escaped text."""
    return f"`{text}`" if _MD_CODE.fullmatch(text) else _md(text)


def render_md(document: dict[str, Any], lang: Lang) -> bytes:
    after = document["risk_after_each_phase"][-1] if document["risk_after_each_phase"] else None
    lines = [
        f"# {label(lang, 'roadmap_title', organisation=_md(document['organisation']))}",
        "",
        label(
            lang,
            "roadmap_intro",
            date=document["as_of"],
            before=document["risk_before"],
            after=after,
            capacity=document["capacity_days_per_month"],
        ),
        "",
        f"*{label(lang, 'roadmap_risk_explained')}*",
        "",
    ]
    plan = document["plan"]
    if plan["dropped"] or plan["pinned"] or plan["rephased"]:
        lines += [
            label(
                lang,
                "roadmap_plan_applied",
                dropped=len(plan["dropped"]),
                pinned=len(plan["pinned"]),
                rephased=len(plan["rephased"]),
            ),
            "",
        ]
    header = (
        "roadmap_order",
        "roadmap_action",
        "roadmap_targets",
        "roadmap_effort",
        "roadmap_cost",
        "roadmap_reduction",
        "roadmap_prerequisites",
        "roadmap_rationale",
    )
    for phase in document["phases"]:
        lines += [f"## {phase['title']}", ""]
        summary = label(
            lang,
            "roadmap_phase_summary",
            effort=phase["effort_days"],
            capacity=phase["capacity_days"],
            risk=phase["risk_after"],
        )
        lines += [summary, ""]
        if phase["effort_days"] > phase["capacity_days"]:
            lines += [f"> {label(lang, 'roadmap_over_capacity')}", ""]
        if not phase["actions"]:
            lines += [label(lang, "roadmap_empty_phase"), ""]
            continue
        lines.append("| " + " | ".join(label(lang, k) for k in header) + " |")
        lines.append("|" + "---|" * len(header))
        for a in phase["actions"]:
            cost = a["cost_band"]
            if a["yearly_cost_eur"]:
                cost += " + " + label(lang, "roadmap_yearly", amount=int(a["yearly_cost_eur"]))
            why = " ".join(r["text"] for r in a["rationale"][:3])
            if a["note"]:
                why += f" ({a['note']})"
            cells = [
                _md(a["order"]),
                f"{_md(a['title'])} {_md_code(a['id'])}",
                _md(", ".join(a["targets"]) or "—"),
                _md(a["effort_days"]),
                _md(cost),
                _md(a["risk_reduction"]),
                ", ".join(_md_code(p) for p in a["prerequisites"]) or "—",
                _md(why),
            ]
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
    lines += [f"## {label(lang, 'roadmap_exit_plans')}", ""]
    if not document["exit_plans"]:
        lines += [label(lang, "roadmap_exit_plans_none"), ""]
    for plan_doc in document["exit_plans"]:
        lines += [f"### {_md(plan_doc.get('asset', '?'))}", ""]
        fits = plan_doc.get("fits_max_downtime")
        fits_text = {True: label(lang, "yes"), False: label(lang, "no")}.get(fits, "?")
        alternative = _md(plan_doc.get("alternative") or "—")
        duration = plan_doc.get("duration")
        took = _md(say_duration(duration, lang)) if duration else "—"
        lines += [
            f"- {label(lang, 'roadmap_exit_alternative')}: {alternative}",
            f"- {label(lang, 'roadmap_exit_duration')}: {took}",
            f"- {label(lang, 'roadmap_exit_fits')}: {fits_text}",
        ]
        steps = plan_doc.get("steps") or []
        if steps:
            lines += ["", f"{label(lang, 'roadmap_exit_steps')}:", ""]
            for number, step in enumerate(steps, 1):
                lines.append(f"{number}. {_md(_step_text(step))}")
        lines.append("")
    return ("\n".join(lines).rstrip("\n") + "\n").encode("utf-8")


def _step_text(step: object) -> str:
    if isinstance(step, dict):
        for key in ("text", "title", "name", "description"):
            if step.get(key):
                return str(step[key])
        return json.dumps(step, ensure_ascii=False)
    return str(step)


def _ics_escape(text: str, one_line: bool = True) -> str:
    """An RFC 5545 TEXT value (§3.3.11): no control characters, backslashes, commas
    and semicolons escaped, line breaks written ``\\n`` (none at all with ``one_line``,
    for a summary or a calendar's name: they become spaces)."""
    return (
        printable(text, one_line=one_line)
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\r", "\\n")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> list[str]:
    """RFC 5545 §3.1: lines of at most 75 octets, continued with a leading space."""
    out: list[str] = []
    current = ""
    size = 0
    for char in line:
        width = len(char.encode("utf-8"))
        limit = 75 if not out else 74  # continuation lines start with one space
        if size + width > limit:
            out.append(current)
            current, size = "", 0
        current += char
        size += width
    out.append(current)
    return [out[0]] + [" " + part for part in out[1:]]


def _uid_part(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-").lower() or "estate"


def render_ics(document: dict[str, Any], lang: Lang) -> bytes:
    """One all-day VEVENT per action, starting at the phase's start, lasting its effort."""
    stamp = date.fromisoformat(document["as_of"]).strftime("%Y%m%dT000000Z")
    organisation = _uid_part(document["organisation"])
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//souverain//roadmap {__version__}//{lang.upper()}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:"
        + _ics_escape(label(lang, "roadmap_title", organisation=document["organisation"])),
    ]
    for phase in document["phases"]:
        for a in phase["actions"]:
            start = date.fromisoformat(a["start"])
            days = (date.fromisoformat(a["end"]) - start).days
            description = "\n".join(
                [
                    f"{label(lang, 'roadmap_targets')}: {', '.join(a['targets']) or '—'}",
                    f"{label(lang, 'roadmap_effort')}: {a['effort_days']}",
                    f"{label(lang, 'roadmap_cost')}: {a['cost_band']}",
                    f"{label(lang, 'roadmap_reduction')}: {a['risk_reduction']}",
                    *(r["text"] for r in a["rationale"]),
                ]
            )
            lines += [
                "BEGIN:VEVENT",
                f"UID:{_uid_part(a['id'])}.{organisation}@souverain",
                f"DTSTAMP:{stamp}",
                f"DTSTART;VALUE=DATE:{start.strftime('%Y%m%d')}",
                f"DURATION:P{days}D",
                "SUMMARY:" + _ics_escape(f"{a['title']}: {', '.join(a['targets']) or a['id']}"),
                "DESCRIPTION:" + _ics_escape(description, one_line=False),
                "CATEGORIES:" + _ics_escape(a["kind"]),
                "X-SOUVERAIN-ACTION:" + _ics_escape(a["id"]),
                "X-SOUVERAIN-PHASE:" + _ics_escape(a["phase"]),
                "END:VEVENT",
            ]
    lines.append("END:VCALENDAR")
    return "".join(part + "\r\n" for line in lines for part in _fold(line)).encode("utf-8")
