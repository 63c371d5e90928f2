"""``souverain radar``: the tech radar of an estate, as SVG, BYOR CSV/JSON or Zalando JSON.

The format follows ``--format``, else the extension of ``-o`` (``.svg``, ``.csv``,
``.json``); without either, the blips are printed as a table.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from souverain.cli.common import (
    AsOfOpt,
    CatalogOpt,
    LangOpt,
    MethodologyOpt,
    Outputs,
    err,
    fail,
    out,
    parse_day,
    pipeline,
)
from souverain.core.catalog.model import Catalog
from souverain.core.errors import InvalidInput
from souverain.core.planning.radar import Radar, radar_for
from souverain.core.scoring.audit import AuditResult
from souverain.exporters.radar_interface import quadrant_name, ring_name
from souverain.exporters.registry import radar_exporter_for
from souverain.i18n import LANGS, Lang, default_lang, label
from souverain.resources import load_catalog


class RadarFormat(StrEnum):
    svg = "svg"
    csv = "csv"
    json = "json"
    zalando = "zalando"


class ViewOption(StrEnum):
    """``--view``: the values of :data:`souverain.core.planning.radar.RadarView`."""

    alternatives = "alternatives"
    dependencies = "dependencies"


FORMAT_OF_SUFFIX = {".svg": RadarFormat.svg, ".csv": RadarFormat.csv, ".json": RadarFormat.json}


def radar_table(radar: Radar, lang: Lang) -> Table | str:
    """The blips as a rich table (or a sentence when there are none)."""
    if not radar.blips:
        return label(lang, f"radar_table_empty_{radar.view}")
    table = Table(title=label(lang, f"radar_title_{radar.view}", organisation=radar.organisation))
    table.add_column(label(lang, "radar_number"), justify="right")
    table.add_column(label(lang, "radar_name"))
    table.add_column(label(lang, "radar_ring"))
    table.add_column(label(lang, "radar_quadrant"))
    if radar.view == "alternatives":
        table.add_column(label(lang, "radar_replaces_column"))
    else:
        table.add_column(label(lang, "radar_level"))
    for blip in radar.blips:
        if radar.view == "alternatives":
            last = ", ".join(radar.asset_names.get(a, a) for a in blip.replaces)
        else:
            last = label(lang, f"level_{blip.level}") if blip.level else ""
        table.add_row(
            str(blip.number),
            blip.name,
            ring_name(radar, blip.ring, lang),
            quadrant_name(radar, blip.quadrant, lang),
            last,
        )
    return table


def _format_for(format: RadarFormat | None, output: Path | None, lang: Lang) -> RadarFormat | None:
    if format is not None:
        return format
    if output is None:
        return None
    found = FORMAT_OF_SUFFIX.get(output.suffix.lower())
    if found is None:
        err.print(
            label(lang, "radar_unknown_extension", path=output, suffix=output.suffix),
            highlight=False,
            markup=False,
            soft_wrap=True,
        )
        raise typer.Exit(2)
    return found


def radar_command(
    estate: Annotated[
        Path,
        typer.Argument(
            help="Estate file (YAML or JSON). / Fichier d'inventaire (YAML ou JSON).",
            show_default=False,
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Output file; its extension (.svg, .csv, .json) gives the format. "
            "/ Fichier de sortie ; son extension donne le format.",
        ),
    ] = None,
    format: Annotated[
        RadarFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="svg | csv, json (Build-Your-Own-Radar) | zalando (tech-radar config.json). "
            "/ Format de sortie.",
        ),
    ] = None,
    view: Annotated[
        ViewOption,
        typer.Option(
            "--view",
            help="alternatives (what could replace the dependencies) | dependencies "
            "(the current ones, by risk). / Vue : alternatives ou dépendances.",
        ),
    ] = ViewOption.alternatives,
    lang: LangOpt = None,
    methodology: MethodologyOpt = None,
    catalog: CatalogOpt = None,
    as_of: AsOfOpt = None,
) -> None:
    """The tech radar: alternatives to the estate's dependencies, or the dependencies by risk.

    Le radar technologique : les alternatives aux dépendances, ou les dépendances par risque.
    """
    language: Lang = lang.value if lang else default_lang()
    chosen = _format_for(format, output, language)
    today = parse_day(as_of, language)
    catalogs = catalog or []
    outputs = Outputs(language, estate=estate, methodology=methodology, catalogs=catalogs)
    outputs.check(output)
    with pipeline(language) as run:  # its garbage-collector policy covers the scoring
        try:
            # The radar shows no graph findings: they are not worked out.
            result = run.audit(estate, methodology, catalogs, today, graph_findings=False)
            radar = radar_for(view.value, result, result.catalog or load_catalog(catalogs))
        except InvalidInput as error:
            fail(error, language)
            return
    if chosen is None:
        out.print(radar_table(radar, language))
        return
    data = radar_exporter_for(chosen.value).render(radar, language)
    if output is None:
        sys.stdout.write(data.decode("utf-8"))
        return
    outputs.write(output, data)
    err.print(label(language, "written", path=output), highlight=False)


def register(app: typer.Typer) -> None:
    """Add the ``radar`` command to ``app``."""
    app.command("radar")(radar_command)


def write_demo_radars(
    result: AuditResult, catalog: Catalog, folder: Path, stem: str, outputs: Outputs
) -> None:
    """The radars of one demo estate, in French and English, into ``folder``.

    ``STEM.radar.LANG.svg`` (alternatives), ``STEM.radar-dependencies.LANG.svg``, and the
    alternatives for the radar tools: ``STEM.radar.LANG.byor.csv``, ``.byor.json`` and
    ``.zalando.json``.
    """
    alternatives = radar_for("alternatives", result, catalog)
    dependencies = radar_for("dependencies", result, catalog)
    for lang in LANGS:
        files = {
            f"{stem}.radar.{lang}.svg": (alternatives, "svg"),
            f"{stem}.radar-dependencies.{lang}.svg": (dependencies, "svg"),
            f"{stem}.radar.{lang}.byor.csv": (alternatives, "csv"),
            f"{stem}.radar.{lang}.byor.json": (alternatives, "json"),
            f"{stem}.radar.{lang}.zalando.json": (alternatives, "zalando"),
        }
        for name, (radar, fmt) in files.items():
            outputs.write(folder / name, radar_exporter_for(fmt).render(radar, lang))
