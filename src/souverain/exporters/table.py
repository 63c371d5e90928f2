"""``--format table``: the matrix for people at a terminal, sorted by risk, in colour;
and the consoles every terminal view prints to, which show user text as text."""

from __future__ import annotations

import io
from collections import Counter
from typing import Any

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderHook, RenderResult
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

from souverain import __version__
from souverain.core.scoring.audit import AuditResult
from souverain.core.scoring.methodology import AXES
from souverain.core.text import first_control, printable
from souverain.exporters.graph_findings import dependence_sentence
from souverain.exporters.interface import Exporter
from souverain.exporters.matrix import country_name, exit_word, main_reason, percent
from souverain.i18n import Lang, counted, label

LEVEL_STYLE = {
    "critical": "bold white on red",
    "high": "bold red",
    "medium": "yellow",
    "low": "green",
}
SCORE_STYLE = ["green", "green", "yellow", "red", "bold red"]
_EXIT_STYLE = {"yes": "green", "no": "red", "unknown": "yellow"}
COMPACT_BELOW = 130  # columns; below this the provider column is left out
WHY_ROWS = 15  # how many critical or high dependencies get their main reason printed


class _Printable:
    """A renderable whose text loses its control characters as it is rendered."""

    def __init__(self, renderable: RenderableType) -> None:
        self.renderable = renderable

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for segment in console.render(self.renderable, options):
            if segment.control or first_control(segment.text) is None:
                yield segment
            else:
                yield Segment(printable(segment.text), segment.style)


class _PrintableOnly(RenderHook):
    def process_renderables(self, renderables: list[Any]) -> list[Any]:
        return [_Printable(r) for r in renderables]


def text_console(**options: Any) -> Console:
    """A console on which every string is text: markup (``[bold]``, ``[/]``,
    ``[link=…]``) and emoji codes are printed as written, never interpreted, and no
    control character of any text (an ESC that clears the screen or sets the window's
    title) reaches the terminal. Styles are given as ``Text`` styles, never as markup."""
    console = Console(markup=False, emoji=False, **options)
    console.push_render_hook(_PrintableOnly())
    return console


def cell(text: str, style: str = "") -> Text:
    """A user string (a name, an id, a path) for a table cell or a title: one line of text."""
    return Text(printable(text, one_line=True), style=style)


def matrix_table(result: AuditResult, lang: Lang, width: int = 200) -> Group:
    """The matrix and its summary as rich renderables; narrow terminals lose the provider."""
    compact = width < COMPACT_BELOW
    org = result.estate.organisation
    table = Table(
        title=cell(f"{label(lang, 'title')} — {org.name}", style="table.title"),
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
        table.add_column(label(lang, "provider"), max_width=24, overflow="ellipsis", no_wrap=True)
    table.add_column(label(lang, "gravity"), no_wrap=True)
    table.add_column(label(lang, "level"), no_wrap=True)
    table.add_column(label(lang, "exposure")[:4] + ".", justify="right", no_wrap=True)
    table.add_column(label(lang, "coverage_short"), justify="right", no_wrap=True)
    for axis in AXES:
        table.add_column(label(lang, f"axis_short_{axis}"), justify="center", no_wrap=True)
    table.add_column(label(lang, "exit_short"), justify="center", no_wrap=True)
    table.add_column(label(lang, "in_time_short"), justify="center", no_wrap=True)
    provisional = label(lang, "provisional_short")
    for rank, dep in enumerate(result.dependencies, 1):
        risk = Text(label(lang, f"level_{dep.level}"), style=LEVEL_STYLE[dep.level])
        if dep.provisional:
            risk.append(f" {provisional}", style="dim")
        table.add_row(
            str(rank),
            cell(dep.asset),
            *([] if compact else [cell(dep.provider_name or "—")]),
            label(lang, f"gravity_{dep.gravity}"),
            risk,
            f"{dep.exposure_score:.1f}",
            percent(dep.coverage, lang),
            *[
                Text(
                    f"{dep.exposure[a].score}{'?' if a in dep.unknown_axes else ''}",
                    style=SCORE_STYLE[dep.exposure[a].score],
                )
                for a in AXES
            ],
            Text(str(dep.exit.readiness), style=SCORE_STYLE[4 - dep.exit.readiness]),
            Text(
                label(lang, exit_word(dep.exit.can_exit_within_max_downtime)),
                style=_EXIT_STYLE[exit_word(dep.exit.can_exit_within_max_downtime)],
            ),
        )
    legend = " · ".join(
        f"{label(lang, f'axis_short_{a}')} = {result.methodology.axes[a].name.get(lang, a)}"
        for a in AXES
    )
    legend += f" · {label(lang, 'exit_short')} = {label(lang, 'exit_readiness')} (0–4)"
    legend += f" · {label(lang, 'in_time_short')} = {label(lang, 'can_exit')}"
    lines: list[Table | Text] = [
        table,
        Text(legend, style="dim"),
        Text(label(lang, "table_legend_levels"), style="dim"),
    ]
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
    provisional_deps = [d for d in result.dependencies if d.provisional]
    if provisional_deps:
        confirmed = Counter(d.level_if_confirmed for d in provisional_deps)
        mean = sum(d.coverage for d in result.dependencies) / len(result.dependencies)
        lines.append(
            Text(
                "• "
                + label(
                    lang,
                    "provisional_line",
                    count=len(provisional_deps),
                    critical=confirmed["critical"],
                    high=confirmed["high"],
                    coverage=percent(mean, lang),
                )
            )
        )
    for item in result.concentration[:3]:
        lines.append(
            Text(
                "• "
                + counted(
                    lang,
                    "concentration_line",
                    item.count,
                    name=item.name,
                    country=country_name(result, item.country, lang),
                    count=item.count,
                    total=item.total,
                )
            )
        )
    if result.graph is not None:
        for dependence in result.graph.dependence[:3]:
            lines.append(Text("• " + dependence_sentence(dependence, lang)))
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
        console = text_console(width=200, record=True, color_system=None, file=io.StringIO())
        console.print(matrix_table(result, lang))
        return console.export_text().encode("utf-8")
