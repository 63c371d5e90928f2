"""``souverain simulate``: crisis scenarios on an estate (docs/scenarios.md)."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table
from rich.text import Text

from souverain.cli.common import (
    AsOfOpt,
    CatalogOpt,
    LangOpt,
    MethodologyOpt,
    Outputs,
    emit_text,
    err,
    fail,
    out,
    parse_day,
    pipeline,
    problem_detail,
)
from souverain.core.errors import InvalidInput, Problem
from souverain.core.estate.duration import Duration
from souverain.core.limits import MAX_DURATION_DAYS
from souverain.core.phrase import phrase
from souverain.core.scoring.audit import AuditResult
from souverain.i18n import Lang, default_lang, label
from souverain.pipeline import scenario_graph
from souverain.wording import say_duration

if TYPE_CHECKING:  # the engine (numpy) is imported when a simulation runs
    from souverain.core.scenarios.reference import Outcome


STATE_STYLE = {"up": "green", "unpatched": "cyan", "degraded": "yellow", "down": "bold red"}


class SimulateFormat(StrEnum):
    table = "table"
    json = "json"


def usage(lang: Lang, option: str, problems: Sequence[Problem]) -> None:
    """If there are ``problems`` with the value of ``option``, say each (what is wrong,
    what was expected, what was found) and exit with status 2, a usage error."""
    if not problems:
        return
    for problem in problems:
        text = f"{option}: {problem_detail(problem, lang)}"
        err.print(text, markup=False, highlight=False, emoji=False, soft_wrap=True)
    raise typer.Exit(2)


def _grace(text: str | None, lang: Lang) -> Duration | None:
    """The ``--grace`` period, if given; a usage error unless it is a duration of at most
    :data:`~souverain.core.limits.MAX_DURATION_DAYS` days."""
    if text is None:
        return None
    try:
        grace = Duration.parse(text)
    except ValueError:
        grace = None
    if grace is None or not grace.days <= MAX_DURATION_DAYS:
        expected = phrase("expected-grace", days=MAX_DURATION_DAYS)
        usage(lang, "--grace", [Problem(("--grace",), phrase("wrong-value"), expected, repr(text))])
    assert grace is not None
    return grace


def register(app: typer.Typer) -> None:
    @app.command("simulate")
    def simulate_command(
        estate: Annotated[Path, typer.Argument(help="Estate file (YAML or JSON).")],
        scenario: Annotated[
            str | None,
            typer.Option(
                "--scenario",
                "-s",
                help="KIND:ID joined by + (provider, owner, jurisdiction, sanction, region, "
                "site, asset, product), e.g. jurisdiction:US, sanction:US or "
                "provider:a+site:b. / Scénario.",
            ),
        ] = None,
        every: Annotated[
            bool,
            typer.Option(
                "--all",
                help="Every single provider, owner group, foreign jurisdiction, sanction, "
                "region and site, ranked by impact. / Tous les scénarios simples, classés.",
            ),
        ] = False,
        grace: Annotated[
            str | None,
            typer.Option(
                "--grace",
                help="How long software keeps running once its vendor or licensor is lost "
                "(30d, 12w…), for every asset instead of its survivability (default: each "
                "asset's, 30d when unknown). / Délai de grâce, pour tous les actifs.",
            ),
        ] = None,
        format: Annotated[
            SimulateFormat, typer.Option("--format", "-f", help="table | json")
        ] = SimulateFormat.table,
        output: Annotated[
            Path | None, typer.Option("--output", "-o", help="Output file. / Fichier de sortie.")
        ] = None,
        top: Annotated[int, typer.Option("--top", min=1, help="Rows shown with --all.")] = 20,
        lang: LangOpt = None,
        methodology: MethodologyOpt = None,
        catalog: CatalogOpt = None,
        as_of: AsOfOpt = None,
    ) -> None:
        """What stops if a provider, a country's laws, a region or a site is lost. / Crise."""
        language: Lang = lang.value if lang else default_lang()
        if (scenario is None) == (not every):
            err.print(label(language, "simulate_one_of"), highlight=False)
            raise typer.Exit(2)
        grace_period = _grace(grace, language)
        today = parse_day(as_of, language)
        outputs = Outputs(language, estate=estate, methodology=methodology, catalogs=catalog or [])
        outputs.check(output)
        from souverain.core.scenarios.analyses import crisis_ranking
        from souverain.core.scenarios.spec import parse_scenario
        from souverain.core.scenarios.sweep import outcome_of, simulate_many
        from souverain.exporters.scenarios import outcome_json, ranking_json

        wanted = None
        if scenario is not None:
            try:
                wanted = parse_scenario(scenario)
            except InvalidInput as error:
                usage(language, "--scenario/-s", error.problems)
        with pipeline(language) as run:  # its garbage-collector policy covers it all
            try:
                # The simulation shows no graph findings: they are not worked out.
                result = run.audit(estate, methodology, catalog or [], today, graph_findings=False)
                assert result.catalog is not None
                graph = scenario_graph(result, result.catalog)
                # What is printed is read from the bit-parallel engine's batch; the table
                # details the --top worst scenarios only.
                if wanted is not None:
                    # A country, a region or a product nothing has is a typo, not a safe loss.
                    usage(language, "--scenario/-s", graph.check(wanted))
                    batch = simulate_many(graph, [wanted], grace_period, outcomes=True)
                    order = [0]
                else:  # the one selection rule of every ranking
                    batch, order = crisis_ranking(graph, grace_period)
            except InvalidInput as error:
                fail(error, language)
                return
            run.settle(result)
            if format is SimulateFormat.json:
                text = ranking_json(batch, order) if every else outcome_json(batch, 0)
                emit_text(text, output, outputs)
                return
            outcomes = [outcome_of(batch, c) for c in order[:top]]
            if every:
                out.print(_ranking(outcomes, result, language))
            else:
                _print_outcome(outcomes[0], result, language)


def _ranking(outcomes: list[Outcome], result: AuditResult, lang: Lang) -> Table:
    from souverain.exporters.graph_findings import scenario_words

    criticality = {p.id: p.criticality for p in result.estate.processes}
    table = Table(title=label(lang, "simulate_ranking"))
    table.add_column("#", justify="right")
    table.add_column(label(lang, "simulate_scenario"), min_width=24, overflow="fold")
    table.add_column(scenario_words("column-vital-beyond", lang), justify="right")
    table.add_column(scenario_words("column-important-beyond", lang), justify="right")
    for key in (
        "simulate_vital_down",
        "simulate_important_down",
        "simulate_vital_degraded",
        "simulate_important_degraded",
        "simulate_assets_down",
    ):
        table.add_column(label(lang, key), justify="right")
    table.add_column(scenario_words("column-lost", lang), justify="right")
    table.add_column(scenario_words("column-unreachable", lang), justify="right")
    for rank, o in enumerate(outcomes, 1):

        def count(level: str, state: str, o: Outcome = o) -> int:
            return sum(1 for p in o.processes if criticality[p.id] == level and p.state == state)

        def beyond(level: str, o: Outcome = o) -> int:
            return sum(
                1
                for p in o.processes
                if criticality[p.id] == level and p.state != "up" and p.exceeds_max_downtime
            )

        table.add_row(
            str(rank),
            _specs(o.scenario.specs, lang),  # equivalent scenarios: one line naming them all
            str(beyond("vital")),
            str(beyond("important")),
            str(count("vital", "down")),
            str(count("important", "down")),
            str(count("vital", "degraded")),
            str(count("important", "degraded")),
            str(sum(1 for _, s in o.assets if s == "down")),
            str(len(o.lost_data)),
            str(len(o.unreachable_data)),
        )
    return table


# Equivalent scenarios named in full on a line of the ranking table (the JSON names all).
SHOWN_SPECS = 6


def _specs(specs: tuple[str, ...], lang: Lang) -> str:
    """The specs of a ranking line, one a line; past :data:`SHOWN_SPECS`, counted."""
    shown = "\n".join(specs[:SHOWN_SPECS])
    if len(specs) > SHOWN_SPECS:
        shown += "\n" + label(lang, "report_and_more", count=len(specs) - SHOWN_SPECS)
    return shown


def _print_outcome(outcome: Outcome, result: AuditResult, lang: Lang) -> None:
    processes = {p.id: p for p in result.estate.processes}
    table = Table(title=f"{label(lang, 'simulate_scenario')}: {outcome.scenario.spec}")
    table.add_column(label(lang, "simulate_process"))
    table.add_column(label(lang, "simulate_criticality"))
    table.add_column(label(lang, "simulate_state"))
    table.add_column(label(lang, "simulate_time_to_impact"))
    table.add_column(label(lang, "simulate_max_downtime"))
    table.add_column(label(lang, "simulate_exceeds"))
    order = {"down": 0, "degraded": 1, "unpatched": 2, "up": 3}
    for p in sorted(outcome.processes, key=lambda p: (order[p.state], p.id)):
        process = processes[p.id]
        exceeds = {None: "?", True: label(lang, "yes"), False: label(lang, "no")}[
            p.exceeds_max_downtime
        ]
        table.add_row(
            process.name or p.id,
            label(lang, f"gravity_{process.criticality}"),
            Text.assemble((label(lang, "state_" + p.state), STATE_STYLE[p.state])),
            str(p.time_to_impact) if p.time_to_impact else "—",
            say_duration(process.max_downtime, lang) if process.max_downtime else "?",
            exceeds if p.state not in ("up", "unpatched") else "—",
        )
    out.print(table)
    out.print(
        label(
            lang,
            "simulate_assets_affected",
            count=len(outcome.assets),
            total=outcome.asset_count,
        )
    )
    from souverain.exporters.graph_findings import scenario_words, unreachable_heading

    if outcome.lost_data:
        out.print(
            Text.assemble(
                (scenario_words("lost-data", lang), "bold red"),
                _colon(lang) + ", ".join(outcome.lost_data),
            )
        )
    if outcome.unreachable_data:
        out.print(
            Text.assemble(
                (unreachable_heading(outcome.scenario.losses, lang), "bold red"),
                _colon(lang) + ", ".join(outcome.unreachable_data),
            )
        )


def _colon(lang: Lang) -> str:
    """A colon before a list, as each language writes it."""
    return " : " if lang == "fr" else ": "


def write_demo_scenarios(result: AuditResult, output: Path, stem: str, outputs: Outputs) -> None:
    """``make demo``: the ranking of ``simulate --all``, as JSON."""
    from souverain.core.scenarios.analyses import crisis_ranking
    from souverain.exporters.scenarios import ranking_json

    assert result.catalog is not None
    graph = scenario_graph(result, result.catalog)
    batch, order = crisis_ranking(graph)
    text = ranking_json(batch, order)
    outputs.write(output / f"{stem}.scenarios.json", text.encode("utf-8"))
