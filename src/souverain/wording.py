"""Phrases put into words: a core :class:`~souverain.core.errors.Phrase` (a message id
and its parameters) rendered in one language from ``data/locales/<domain>.<lang>.yaml``.

The core says *what* to say; this module knows how each language says it: the wording
of each id, French elision (``{de_x}`` gives "d'Odoo", "de SAP", "des processus";
``{que_x}`` gives "qu'Odoo"), a duration's number and unit (``1,5 semaine``), and the
words a phrase carries in each language itself (``GIVEN``). Each domain's
wordings are read and prepared once per language; the exporters render thousands of
phrases per document.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from importlib import resources

from souverain.core import terms
from souverain.core.phrase import DURATION, GIVEN, Phrase, duration_words
from souverain.core.terms import a, de, que
from souverain.core.vocabulary import Lang
from souverain.importers.document import parse_text

_ELIDED = re.compile(r"\{(de|que|a)_(\w+)\}")

__all__ = ["a", "de", "que", "render", "say_duration", "wordings"]

_FORMS: dict[str, Callable[[str], str]] = {"de": de, "que": que, "a": a}


# A wording prepared: its text, and the French forms it asks of its parameters
# ({de_name} → ("de", "name")).
_Template = tuple[str, tuple[tuple[str, str], ...]]


@cache
def wordings(domain: str, lang: Lang) -> dict[str, _Template]:
    """Every id of ``data/locales/<domain>.<lang>.yaml``, its wording prepared."""
    name = f"{domain}.{lang}.yaml"
    text = (resources.files("souverain") / "data" / "locales" / name).read_text("utf-8")
    data = parse_text(text, f"<souverain>/data/locales/{name}").data
    return {
        str(ident): (
            str(wording),
            tuple(dict.fromkeys((m[1], m[2]) for m in _ELIDED.finditer(str(wording)))),
        )
        for ident, wording in data.items()
    }


def render(words: Phrase | str, lang: Lang, domain: str) -> str:
    """``words`` in ``lang``: a phrase worded from ``domain``'s wordings, its
    parameters rendered alike; plain text as it is."""
    if isinstance(words, str):
        return words
    return _render(words, lang, wordings(domain, lang))


def _render(words: Phrase, lang: Lang, table: dict[str, _Template]) -> str:
    ident = words.id
    if ident == GIVEN:
        given = dict(words.params)
        return str(given.get(lang) or given.get("en") or "")
    if ident == DURATION:
        return _duration(words, lang, table)
    text, forms = table[ident]
    if not words.params:
        # Every wording is a str.format template: "{{" is a brace even with no parameter.
        return text.format_map({}) if "{" in text or "}" in text else text
    values = {
        key: value
        if value.__class__ is str
        else _render(value, lang, table)
        if isinstance(value, Phrase)
        else str(value)
        for key, value in words.params
    }
    for form, key in forms:
        values[f"{form}_{key}"] = _FORMS[form](values[key])
    return text.format_map(values)


# How many makes a plural (CLDR: French "1,5 jour", "0 jour"; English "0 days"), and
# the decimal separator, in each language.
_PLURAL: dict[str, Callable[[float], bool]] = {"en": lambda n: n != 1, "fr": lambda n: n >= 2}
_DECIMAL = {"en": ".", "fr": ","}


def plural(lang: Lang, count: float) -> str:
    """The CLDR plural category of ``count`` in ``lang``: ``one`` or ``other``."""
    return "other" if _PLURAL[lang](count) else "one"


def number(value: float, lang: Lang, digits: int | None = None) -> str:
    """``value`` as a reader of ``lang`` writes it: "3,54" in French, "3.54" in
    English; ``digits``: decimals kept (as many as needed when None)."""
    text = f"{value:g}" if digits is None else f"{value:.{digits}f}"
    return text.replace(".", _DECIMAL[lang])


def say_duration(duration: object, lang: Lang) -> str:
    """A duration (or its text in the estate's notation, ``30d``) in words of ``lang``:
    "30 jours", "1 semaine", "30 days" — everywhere a reader sees one."""
    return render(duration_words(duration), lang, "exit_plans")  # where the units are


def term_words(kind: str, value: str, lang: str) -> str | None:
    """The words of an enumerated value or a duration (:mod:`souverain.core.terms`)."""
    language: Lang = "fr" if lang == "fr" else "en"
    if kind == "duration":
        return say_duration(value, language) if value != "?" else None
    entry = wordings("terms", language).get(f"{kind}-{value}")
    return entry[0] if entry else None


terms.install(term_words)


def _duration(words: Phrase, lang: Lang, table: dict[str, _Template]) -> str:
    params = dict(words.params)
    value = float(str(params["amount"]))
    word = table[f"unit-{params['unit']}-{'other' if _PLURAL[lang](value) else 'one'}"][0]
    number = f"{value:g}".replace(".", _DECIMAL[lang])
    return table[DURATION][0].format(amount=number, unit=word)
