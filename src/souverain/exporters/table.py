"""``--format table``: the matrix for people at a terminal, sorted by risk, in colour."""

from __future__ import annotations

import io

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from souverain import __version__
from souverain.core.audit import AuditResult
from souverain.core.methodology import AXES
from souverain.exporters.interface import Exporter
from souverain.exporters.matrix import main_reason
from souverain.i18n import Lang, label

LEVEL_STYLE = {
    "critical": "bold white on red",
    "high": "bold red",
    "medium": "yellow",
    "low": "green",
}
SCORE_STYLE = ["green", "green", "yellow", "red", "bold red"]
COMPACT_BELOW = 130  # columns; below this the provider column is left out
WHY_ROWS = 15  # how many critical or high dependencies get their main reason printed


def matrix_table(result: AuditResult, lang: Lang, width: int = 200) -> Group:
    """The matrix and its summary as rich renderables; narrow terminals lose the provider."""
    compact = width < COMPACT_BELOW
    org = result.estate.organisation
    table = Table(
        title=f"{label(lang, 'title')} — {org.name}",
        caption=label(
            lang,
            "subtitle",
            version=__version__,
            methodology=result.methodology.id,
            methodology_version=result.methodology.version,
            date=result.today.isoformat(),
        ),
        header_style="bold",
        show_lines=False,
        expand=False,
    )
    table.add_column(label(lang, "rank"), justify="right", no_wrap=True)
    table.add_column(label(lang, "asset"), no_wrap=True)
    if not compact:
        table.add_column(label(lang, "provider"), max_width=30, overflow="ellipsis", no_wrap=True)
    table.add_column(label(lang, "gravity"), no_wrap=True)
    table.add_column(label(lang, "level"), no_wrap=True)
    table.add_column(label(lang, "exposure")[:4] + ".", justify="right", no_wrap=True)
    for axis in AXES:
        table.add_column(label(lang, f"axis_short_{axis}"), justify="center", no_wrap=True)
    table.add_column(label(lang, "exit_short"), justify="center", no_wrap=True)
    table.add_column(label(lang, "in_time_short"), justify="center", no_wrap=True)
    for rank, dep in enumerate(result.dependencies, 1):
        table.add_row(
            str(rank),
            dep.asset,
            *([] if compact else [dep.provider_name or "—"]),
            label(lang, f"gravity_{dep.gravity}"),
            Text(label(lang, f"level_{dep.level}"), style=LEVEL_STYLE[dep.level]),
            f"{dep.exposure_score:.1f}",
            *[
                Text(str(dep.exposure[a].score), style=SCORE_STYLE[dep.exposure[a].score])
                for a in AXES
            ],
            Text(str(dep.exit.readiness), style=SCORE_STYLE[4 - dep.exit.readiness]),
            Text(
                label(lang, "yes" if dep.exit.can_exit_within_max_downtime else "no"),
                style="green" if dep.exit.can_exit_within_max_downtime else "red",
            ),
        )
    legend = " · ".join(
        f"{label(lang, f'axis_short_{a}')} = {result.methodology.axes[a].name.get(lang, a)}"
        for a in AXES
    )
    legend += f" · {label(lang, 'exit_short')} = {label(lang, 'exit_readiness')} (0–4)"
    legend += f" · {label(lang, 'in_time_short')} = {label(lang, 'can_exit')}"
    lines: list[Table | Text] = [table, Text(legend, style="dim")]
    grave = [
        (n, d) for n, d in enumerate(result.dependencies, 1) if d.level in ("critical", "high")
    ]
    if grave:
        lines.append(Text(label(lang, "why"), style="bold"))
        for rank, dep in grave[:WHY_ROWS]:
            line = Text(f"{rank:>3}. ")
            line.append(dep.asset, style=LEVEL_STYLE[dep.level])
            line.append(f" — {main_reason(dep, lang)}")
            lines.append(line)
    lines.append(Text(label(lang, "summary"), style="bold"))
    counts = result.counts()
    summary = Text()
    for level, count in counts.items():
        summary.append(f" {label(lang, f'level_{level}')}: {count} ", style=LEVEL_STYLE[level])
        summary.append(" ")
    lines.append(summary)
    for item in result.concentration[:3]:
        lines.append(
            Text(
                "• "
                + label(
                    lang,
                    "concentration_line",
                    name=item.name,
                    country=item.country or "?",
                    count=item.count,
                    total=item.total,
                )
            )
        )
    if result.graph is not None:
        for dependence in result.graph.dependence[:3]:
            lines.append(Text("• " + dependence.sentence(lang)))
        for spof in result.graph.single_points_of_failure:
            if spof.criticality == "vital" and spof.points:
                names = ", ".join(p.name for p in spof.points[:6])
                more = len(spof.points) - 6
                lines.append(
                    Text(
                        "• "
                        + label(lang, "spof_line", process=spof.name, points=names)
                        + (f" (+{more})" if more > 0 else "")
                    )
                )
    return Group(*lines)


class TableExporter(Exporter):
    format = "table"
    suffix = ".txt"

    def render(self, result: AuditResult, lang: Lang) -> bytes:
        console = Console(width=200, record=True, color_system=None, file=io.StringIO())
        console.print(matrix_table(result, lang))
        return console.export_text().encode("utf-8")
