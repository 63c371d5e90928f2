"""``souverain catalog``: look into the knowledge base, match names to it, check it.

Every subcommand reads the shipped catalog with the ``--catalog`` directories
merged over it, and takes ``--format json`` for machines (the names are a
contract: see docs/catalog.md).
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from souverain.cli.common import (
    AsOfOpt,
    CatalogOpt,
    LangOpt,
    LangOption,
    err,
    fail,
    out,
    parse_day,
    problem_detail,
    usage_error,
)
from souverain.core.catalog.model import KINDS, Catalog
from souverain.core.errors import InvalidInput, Problem
from souverain.core.limits import MAX_QUERY_CHARS, MAX_STALE_MONTHS
from souverain.exporters.catalog import (
    entry_country,
    entry_document,
    entry_name,
    match_document,
    validation_document,
)
from souverain.i18n import Lang, default_lang, label
from souverain.resources import (
    catalog_documents,
    catalog_from_documents,
    load_catalog,
    locate_in,
)

app = typer.Typer(
    help="Look into the knowledge base, match names to it, check it. / Base de connaissances.",
    no_args_is_help=True,
)


class OutputFormat(StrEnum):
    table = "table"
    json = "json"


class Kind(StrEnum):
    jurisdiction = "jurisdiction"
    provider = "provider"
    product = "product"
    category = "category"
    standard = "standard"
    alternative = "alternative"


FormatOption = Annotated[OutputFormat, typer.Option("--format", "-f", help="table | json")]


def _lang(option: LangOption | None) -> Lang:
    return option.value if option else default_lang()


def _load(catalogs: list[Path] | None, lang: Lang) -> Catalog:
    """The catalog as every other command reads it (the fast parser; the line-keeping
    one when there is a problem to locate)."""
    try:
        return load_catalog(catalogs or [])
    except InvalidInput as error:
        fail(error, lang)
        raise  # unreachable: fail exits


def _check_query(text: str, lang: Lang) -> None:
    """A name to match or words to look for: short (matching time grows with it)."""
    if len(text) > MAX_QUERY_CHARS:
        usage_error(
            lang,
            "TEXT",
            label(lang, "catalog_query_expected", max=MAX_QUERY_CHARS),
            label(lang, "catalog_query_found", count=len(text)),
        )


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


@app.command("match")
def match_command(
    text: Annotated[str, typer.Argument(help="A name as found in an invoice or a list.")],
    format: FormatOption = OutputFormat.table,
    limit: Annotated[int, typer.Option("--limit", min=1, max=50)] = 5,
    catalog: CatalogOpt = None,
    lang: LangOpt = None,
) -> None:
    """Which catalog entry a free-text name means, with a confidence. / Reconnaître un nom."""
    from souverain.core.catalog.matching import Matcher  # rapidfuzz: when needed

    language = _lang(lang)
    _check_query(text, language)
    result = Matcher(_load(catalog, language)).match(text, limit)
    if format is OutputFormat.json:
        _print_json(match_document(result))
        return
    if not result.matches:
        err.print(label(language, "catalog_no_match", query=text), highlight=False)
        raise typer.Exit(1)
    table = Table(title=text)
    for key in ("catalog_id", "catalog_kind", "catalog_name", "catalog_matched"):
        table.add_column(label(language, key))
    table.add_column(label(language, "catalog_confidence"), justify="right")
    for m in result.matches:
        table.add_row(m.id, m.kind, m.name, m.matched, f"{m.confidence:.0%}")
    out.print(table)
    if result.ambiguous:
        err.print(Text.assemble((label(language, "catalog_ambiguous"), "yellow")), highlight=False)


@app.command("search")
def search_command(
    text: Annotated[str, typer.Argument(help="Words to look for in ids, names and aliases.")],
    kind: Annotated[Kind | None, typer.Option("--kind", help="Only this kind.")] = None,
    category: Annotated[
        str | None,
        typer.Option("--category", help="Only products and alternatives of this category."),
    ] = None,
    country: Annotated[
        str | None, typer.Option("--country", help="Only providers of this country (ISO code).")
    ] = None,
    format: FormatOption = OutputFormat.table,
    catalog: CatalogOpt = None,
    lang: LangOpt = None,
) -> None:
    """Entries whose id, name or aliases contain the words. / Chercher dans le catalogue."""
    from souverain.core.catalog.matching import normalise

    language = _lang(lang)
    _check_query(text, language)
    loaded = _load(catalog, language)
    words = normalise(text).split()
    rows = []
    for entry_kind, entries in loaded:
        if kind and entry_kind != kind.value:
            continue
        for ident, entry in entries.items():
            if category and getattr(entry, "category", None) != category:
                continue
            if country and entry_country(loaded, entry) != country.upper():
                continue
            names = " ".join(
                normalise(n)
                for n in (
                    ident,
                    entry_name(entry, "en"),
                    entry_name(entry, "fr"),
                    *getattr(entry, "aliases", ()),
                )
            )
            if all(w in names for w in words):
                rows.append(
                    {
                        "id": ident,
                        "kind": entry_kind,
                        "name": entry_name(entry, language),
                        "country": entry_country(loaded, entry),
                    }
                )
    if format is OutputFormat.json:
        _print_json({"query": text, "results": rows})
        return
    if not rows:
        err.print(label(language, "catalog_no_result", query=text), highlight=False)
        raise typer.Exit(1)
    table = Table(title=f"{text} ({len(rows)})")
    for key in ("catalog_id", "catalog_kind", "catalog_name", "catalog_country"):
        table.add_column(label(language, key))
    for row in rows:
        table.add_row(row["id"], row["kind"], row["name"], row["country"] or "")
    out.print(table)


@app.command("show")
def show_command(
    ident: Annotated[str, typer.Argument(metavar="ID", help="A catalog id.")],
    kind: Annotated[
        Kind | None, typer.Option("--kind", help="When several kinds share the id.")
    ] = None,
    format: FormatOption = OutputFormat.table,
    catalog: CatalogOpt = None,
    lang: LangOpt = None,
) -> None:
    """One entry, its owner chain and the sources of its facts. / Afficher une entrée."""
    language = _lang(lang)
    loaded = _load(catalog, language)
    kinds = [k for k in KINDS if (kind is None or k == kind.value) and ident in loaded.table(k)]
    if not kinds:
        err.print(label(language, "catalog_not_found", id=ident), highlight=False)
        raise typer.Exit(1)
    document = entry_document(loaded, kinds[0], ident, language)
    if format is OutputFormat.json:
        _print_json(document)
        return
    table = Table(show_header=False, title=f"{document['name']} ({kinds[0]} {ident})")
    table.add_column(style="bold")
    table.add_column()
    if document["country"]:
        table.add_row(label(language, "catalog_country"), document["country"])
    if "provider" in document:
        table.add_row(
            label(language, "catalog_provider"),
            f"{document['provider_name']} ({document['provider']})",
        )
    if document["owner_chain"]:
        table.add_row(
            label(language, "catalog_owner_chain"),
            " → ".join(f"{e['name']} ({e['country'] or '?'})" for e in document["owner_chain"]),
        )
    for key, value in document["entry"].items():
        if key in ("id", "name", "source", "as_of", "owner", "country"):
            continue
        if isinstance(value, dict) and "value" in value:
            value = value["value"]
        table.add_row(key, _plain(value, language))
    table.add_row(
        label(language, "catalog_sources"),
        "\n".join(
            f"{s['field'] + ': ' if s['field'] else ''}{s['source']} ({s['as_of']})"
            for s in document["sources"]
        ),
    )
    out.print(table)
    if len(kinds) > 1:
        err.print(label(language, "catalog_also", kinds=", ".join(kinds[1:])), highlight=False)


def _plain(value: Any, lang: Lang) -> str:
    if isinstance(value, dict) and set(value) <= {"en", "fr"}:
        return str(value.get(lang) or value.get("en") or "")
    if isinstance(value, list):
        return ", ".join(_plain(v, lang) for v in value)
    if isinstance(value, dict):
        return ", ".join(
            f"{k}: {_plain(v, lang)}" for k, v in value.items() if k not in ("source", "as_of")
        )
    return str(value)


@app.command("stats")
def stats_command(
    older_than: Annotated[
        int, typer.Option("--older-than", help="Months after which a fact counts as stale.")
    ] = 24,
    as_of: AsOfOpt = None,
    format: FormatOption = OutputFormat.table,
    catalog: CatalogOpt = None,
    lang: LangOpt = None,
) -> None:
    """How many entries of each kind and category, and how many facts are old. / Statistiques."""
    from souverain.core.catalog.checks import catalog_stats

    language = _lang(lang)
    if not 1 <= older_than <= MAX_STALE_MONTHS:
        usage_error(
            language,
            "--older-than",
            label(language, "catalog_older_than_expected", max=MAX_STALE_MONTHS),
            str(older_than),
        )
    today = parse_day(as_of, language)
    stats = catalog_stats(_load(catalog, language), today, older_than)
    if format is OutputFormat.json:
        _print_json(stats)
        return
    table = Table(title=label(language, "catalog_stats_title"))
    table.add_column(label(language, "catalog_kind"))
    table.add_column(label(language, "catalog_count"), justify="right")
    for key in (
        "jurisdictions",
        "providers",
        "products",
        "categories",
        "standards",
        "alternatives",
        "facts",
    ):
        table.add_row(key if key != "facts" else label(language, "catalog_facts"), str(stats[key]))
    table.add_row(label(language, "catalog_stale", months=older_than), str(stats["stale"]))
    out.print(table)
    by_category = Table(title=label(language, "catalog_by_category"))
    by_category.add_column(label(language, "catalog_category"))
    by_category.add_column(label(language, "catalog_products"), justify="right")
    by_category.add_column(label(language, "catalog_alternatives"), justify="right")
    for category, counts in stats["by_category"].items():  # type: ignore[attr-defined]
        by_category.add_row(category, str(counts["products"]), str(counts["alternatives"]))
    out.print(by_category)


@app.command("validate")
def validate_command(
    as_of: AsOfOpt = None,
    format: FormatOption = OutputFormat.table,
    catalog: CatalogOpt = None,
    lang: LangOpt = None,
) -> None:
    """Check the catalog: schema, references, sources, aliases. Exit 1 on a problem. / Vérifier."""
    language = _lang(lang)
    today = parse_day(as_of, language)
    try:
        layers = catalog_documents(catalog or [])
        loaded = catalog_from_documents(layers)
    except InvalidInput as error:
        if format is OutputFormat.json:
            _print_json(validation_document(error.problems, [], language))
            raise typer.Exit(1) from None
        fail(error, language)
        return
    from souverain.core.catalog.checks import check_catalog

    report = check_catalog(loaded, today)
    errors = locate_in(layers, report.errors)
    warnings = locate_in(layers, report.warnings)
    if format is OutputFormat.json:
        _print_json(validation_document(errors, warnings, language))
    else:
        if warnings:
            err.print(
                Text.assemble((label(language, "catalog_warnings", count=len(warnings)), "yellow")),
                highlight=False,
            )
            for problem in warnings:
                err.print(f"  {_problem_line(problem, language)}", markup=False, highlight=False)
        if not errors:
            entries = sum(len(t) for _, t in loaded)
            files = sum(len(layer) for layer in layers)
            out.print(
                label(language, "catalog_valid", entries=entries, files=files), highlight=False
            )
    if errors:
        if format is not OutputFormat.json:
            fail(InvalidInput("catalog", errors), language)
        raise typer.Exit(1)


def _problem_line(problem: Problem, lang: Lang) -> str:
    where = f"{problem.file}:{problem.line}" if problem.line else problem.file or "?"
    return f"{where}: {problem.field()}: {problem_detail(problem, lang)}"
