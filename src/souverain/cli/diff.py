"""``souverain diff OLD NEW``: what changed between two estates or two audits."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from souverain.cli.common import (
    AsOfOpt,
    CatalogOpt,
    LangOpt,
    MethodologyOpt,
    Outputs,
    emit_json,
    fail,
    out,
    parse_day,
    pipeline,
)
from souverain.core.errors import InvalidInput
from souverain.core.limits import MAX_AUDIT_JSON_BYTES
from souverain.core.scoring.diff import Diff, Snapshot, diff, snapshot_of
from souverain.exporters.diff import diff_document
from souverain.exporters.table import LEVEL_STYLE
from souverain.i18n import Lang, default_lang, label
from souverain.importers.audit_json import fast_snapshot, is_audit, snapshot_from_document
from souverain.importers.document import read_document
from souverain.pipeline import Pipeline


class DiffFormat(StrEnum):
    table = "table"
    json = "json"


def _snapshot(
    run: Pipeline,
    path: Path,
    methodology: Path | None,
    catalogs: list[Path],
    today: date,
    lang: Lang,
) -> Snapshot:
    """An audit JSON as it was written, or an estate audited now.

    The file is read by the fast parser first (the line-keeping one is several times
    slower on a large estate or audit); only a file it cannot settle is read again by the
    line-keeping parser, whose problems, located, are the ones reported. An audit JSON
    may be as large as MAX_AUDIT_JSON_BYTES; an estate is read again within its own limit."""
    fast = fast_snapshot(path)
    if isinstance(fast, Snapshot):
        return fast
    if fast is None:
        document = read_document(path, MAX_AUDIT_JSON_BYTES)
        if is_audit(document.data):
            return snapshot_from_document(document)
    # The diff compares rows and their findings: the graph findings are not worked out.
    result = run.audit(path, methodology, catalogs, today, graph_findings=False)
    return snapshot_of(result, str(path), lang)


def register(app: typer.Typer) -> None:
    @app.command("diff")
    def diff_command(
        old: Annotated[Path, typer.Argument(help="Earlier estate, or audit JSON.")],
        new: Annotated[Path, typer.Argument(help="Later estate, or audit JSON.")],
        format: Annotated[
            DiffFormat, typer.Option("--format", "-f", help="table | json")
        ] = DiffFormat.table,
        output: Annotated[
            Path | None, typer.Option("--output", "-o", help="Output file. / Fichier de sortie.")
        ] = None,
        lang: LangOpt = None,
        methodology: MethodologyOpt = None,
        catalog: CatalogOpt = None,
        as_of: AsOfOpt = None,
    ) -> None:
        """What changed between two estates or two audits. / Ce qui a changé."""
        language: Lang = lang.value if lang else default_lang()
        today = parse_day(as_of, language)
        outputs = Outputs(
            language, methodology=methodology, catalogs=catalog or [], compared=(old, new)
        )
        outputs.check(output)
        try:
            with pipeline(language) as run:  # two audits of long-lived rows
                before = _snapshot(run, old, methodology, catalog or [], today, language)
                after = _snapshot(run, new, methodology, catalog or [], today, language)
        except InvalidInput as error:
            fail(error, language)
            return
        found = diff(before, after)
        if format is DiffFormat.json:
            emit_json(diff_document(found), output, outputs)
            return
        _print(found, language)


def _print(found: Diff, lang: Lang) -> None:
    old, new = found.old, found.new
    out.print(
        label(
            lang,
            "diff_level_total",
            old=old.level_total,
            new=new.level_total,
            change=f"{new.level_total - old.level_total:+d}",
        ),
        highlight=False,
    )
    summary = Table(title=label(lang, "diff_levels"))
    summary.add_column("")
    for level, count in new.counts().items():
        summary.add_column(label(lang, f"level_{level}"), justify="right")
        del count
    summary.add_row(old.label, *(str(v) for v in old.counts().values()))
    summary.add_row(new.label, *(str(v) for v in new.counts().values()))
    out.print(summary)
    if found.added or found.removed:
        out.print(
            label(lang, "diff_added", items=", ".join(found.added) or "—")
            + "\n"
            + label(lang, "diff_removed", items=", ".join(found.removed) or "—"),
            highlight=False,
        )
    if found.changed:
        table = Table(title=label(lang, "diff_changed"))
        for key in ("diff_asset", "diff_level", "diff_exposure", "diff_axes", "diff_exit"):
            table.add_column(label(lang, key))
        for change in found.changed:
            before, after = change.level
            table.add_row(
                change.asset,
                Text.assemble(
                    (label(lang, "level_" + before), LEVEL_STYLE[before]),
                    " → ",
                    (label(lang, "level_" + after), LEVEL_STYLE[after]),
                ),
                f"{change.exposure_score[0]:.2f} → {change.exposure_score[1]:.2f}",
                ", ".join(f"{axis} {a}→{b}" for axis, (a, b) in change.axes.items()),
                f"{change.exit_readiness[0]} → {change.exit_readiness[1]}",
            )
        out.print(table)
    for key, items, style in (
        ("diff_closed", found.closed, "green"),
        ("diff_opened", found.opened, "red"),
    ):
        out.print(Text.assemble((label(lang, key, count=len(items)), f"bold {style}")))
        for item in items[:30]:
            out.print(f"  {item.asset}: {item.text}", highlight=False, markup=False)
        if len(items) > 30:
            out.print(f"  … (+{len(items) - 30})", highlight=False)
