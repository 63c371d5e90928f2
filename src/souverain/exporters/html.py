"""``--format html``: the audit as one self-contained page, for people who read reports.

Everything the page needs is inside it (styles, and a few lines of script that open the
reasons before printing): like the tool, it loads nothing from anywhere. The template
renders :func:`souverain.exporters.matrix.audit_document`, the same data as the JSON
export, with autoescaping on since every name in it comes from the user.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from souverain import __version__
from souverain.core.mapper import Mapper, serially
from souverain.core.scoring.audit import AuditResult
from souverain.core.scoring.methodology import AXES
from souverain.core.text import printable
from souverain.core.vocabulary import GRAVE, LEVELS
from souverain.exporters.interface import Exporter
from souverain.exporters.matrix import audit_document
from souverain.i18n import Lang, label, labels
from souverain.wording import number, say_duration, term_words
from souverain.wording import plural as _plural

TEMPLATE = "audit.html.j2"
MACROS = "_macros.html.j2"
# The gravities that summary_document counts in "cannot exit in time".


class _DocumentEnvironment(Environment):
    """Jinja2 reading ``a.b`` of a dict as its key first: the templates render JSON
    documents (dicts), and Jinja2's default (the attribute first, the key when that
    fails) raises and catches an AttributeError for each of the millions of cells of
    a large matrix. Same result: the templates call no method of a dict, and a dict's
    missing key falls back to the default."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


@cache
def environment() -> Environment:
    """The Jinja2 environment of the report templates (autoescaping, strict names)."""
    env = _DocumentEnvironment(
        loader=PackageLoader("souverain.exporters", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    # {{ value | duration(lang) }}: "30 jours", never the estate's "30d"; "?" when unknown
    env.filters["duration"] = lambda value, lang: say_duration(value, lang) if value else "?"
    # {{ value | term("regime", lang) }}: an enumerated value in words ("RGPD")
    env.filters["term"] = lambda value, kind, lang: term_words(kind, value, lang) or value
    # {{ value | number(lang, 2) }}: "3,54" in French, "3.54" in English
    env.filters["number"] = lambda value, lang, digits=None: number(value, lang, digits)
    # {{ count | plural(lang) }}: "one" or "other" (CLDR), to pick a label that agrees
    env.filters["plural"] = lambda count, lang: _plural(lang, count)
    return env


def render_page(template: str, context: dict[str, Any]) -> bytes:
    """``template`` rendered, as UTF-8, without control characters: HTML cannot carry
    them, and any in a user's name is left out. The page is cleaned in one pass once
    written (a filter on each value would be one call per cell of the matrix, instead of
    one pass)."""
    return printable(environment().get_template(template).render(context)).encode("utf-8")


def _country_name(result: AuditResult, lang: Lang) -> str | None:
    """The organisation's country by its name in ``lang`` (the catalog's), else its code."""
    code = result.estate.organisation.country
    known = result.catalog.jurisdictions.get(code) if result.catalog and code else None
    return (known.name.get(lang) or known.name.get("en") or code) if known else code


def report_context(result: AuditResult, lang: Lang) -> dict[str, Any]:
    """What the template needs: the audit document, labels, axes and a few lists."""
    document = audit_document(result, lang)
    methodology = result.methodology
    return {
        "lang": lang,
        "doc": document,
        "country_name": _country_name(result, lang),
        "t": labels(lang),
        "axes": [
            {
                "key": a,
                "name": methodology.axes[a].name.get(lang, a),
                "short": label(lang, f"axis_short_{a}"),
            }
            for a in AXES
        ],
        "levels": list(reversed(LEVELS)),  # critical first
        "methodology_name": methodology.name.get(lang) or methodology.id,
        "subtitle": label(
            lang,
            "subtitle",
            version=__version__,
            methodology=methodology.id,
            methodology_version=methodology.version,
            date=result.today.isoformat(),
        ),
        "cannot_exit": [
            d
            for d in document["dependencies"]
            if d["gravity"] in GRAVE and d["exit"]["can_exit_within_max_downtime"] is False
        ],
        # Each dependency's matrix row and reasons, already rendered (rendered_rows),
        # else rendered by the page.
        "rows": None,
        "details": None,
    }


def rendered_rows(context: dict[str, Any], mapper: Mapper) -> dict[str, list[Markup]]:
    """The page's ``rows`` and ``details``: each dependency's matrix row and reasons
    rendered by the macros the page would call, through ``mapper`` (the rows of a large
    audit are most of its page: the CLI's pipeline renders half in a forked child,
    which sends back text)."""
    macros = environment().get_template(MACROS).make_module(vars=context)
    row: Callable[[dict[str, Any]], str] = macros.matrix_row  # type: ignore[attr-defined]
    details: Callable[[dict[str, Any]], str] = macros.dependency_details  # type: ignore[attr-defined]

    def render(share: Sequence[dict[str, Any]]) -> list[tuple[str, str]]:
        return [(str(row(d)), str(details(d))) for d in share]

    done = mapper(render, context["doc"]["dependencies"])
    return {"rows": [Markup(r) for r, _ in done], "details": [Markup(d) for _, d in done]}


class HtmlExporter(Exporter):
    """A printable report: summary, the matrix sorted by risk, every reason with its evidence."""

    format = "html"
    suffix = ".html"

    def render(self, result: AuditResult, lang: Lang) -> bytes:
        return self.pieces(result, lang)[0]

    def pieces(self, result: AuditResult, lang: Lang, mapper: Mapper = serially) -> list[bytes]:
        context = report_context(result, lang)
        if mapper is not serially:
            context.update(rendered_rows(context, mapper))
        return [render_page(TEMPLATE, context)]
