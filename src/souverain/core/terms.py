"""The values a reason's text names, said in the reader's language.

A reason's template (``data/methodology.yaml``) is filled with its finding's
parameters. Most are shown as they are (a name, a date, a number); some are machine
values a reader should never see raw — a country code (``US``), a GDPR transfer
mechanism (``scc``), a duration in the estate's notation (``30d``). Such a value is a
:class:`Term`: a ``str`` equal to the machine value (what the rules compare and the
JSON keeps), which :func:`say` puts into words.

A template may ask a term in a grammatical form by prefixing its field:
``{in_country}`` ("aux États-Unis", "in the United States"), ``{the_country}`` ("les
États-Unis"), ``{of_country}`` ("des États-Unis"), ``{to_laws}`` ("au CLOUD Act et à
la loi FISA"). The forms of a country or a law come from the catalog (its ``name``,
``called`` and ``located``); the words of an enumerated value (``mechanism: scc``) and
of a duration come from the wording data, through the lookup that
:mod:`souverain.wording` installs (the core reads no file).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping

# The forms a template may ask of a term: ``{<form>_<field>}``.
FORMS: tuple[str, ...] = ("in", "the", "of", "to")
_FORM_FIELD = re.compile(r"(in|the|of|to)_(\w+)")

_VOWELS = frozenset("aeiouyàâäéèêëîïôöûüœæ")


def de(name: str) -> str:
    """French "de X", contracted or elided: "des États-Unis", "du Royaume-Uni",
    "de la Chine", "d'Odoo", "de SAP"."""
    for article, contracted in (("les ", "des "), ("le ", "du ")):
        if name.startswith(article):
            return contracted + name[len(article) :]
    return f"d'{name}" if _elides(name) else f"de {name}"


def a(name: str) -> str:
    """French "à X", contracted: "aux États-Unis", "au CLOUD Act", "à la loi"."""
    for article, contracted in (("les ", "aux "), ("le ", "au ")):
        if name.startswith(article):
            return contracted + name[len(article) :]
    return f"à {name}"


def que(name: str) -> str:
    """French "que X", elided before a vowel: "qu'Odoo"."""
    return f"qu'{name}" if _elides(name) else f"que {name}"


def _elides(name: str) -> bool:
    return name[:1].casefold() in _VOWELS


def en(name: str) -> str:
    """French "in X" for a place: "aux États-Unis", "au Royaume-Uni", "en Chine"."""
    for article in ("la ", "l'"):
        if name.startswith(article):
            return "en " + name[len(article) :]
    return a(name) if name.startswith(("le ", "les ")) else f"en {name}"


def join(items: Iterable[str], lang: str) -> str:
    """``a, b and c`` / ``a, b et c``."""
    items = list(items)
    if len(items) < 2:
        return "".join(items)
    last = " et " if lang == "fr" else " and "
    return ", ".join(items[:-1]) + last + items[-1]


# A term's words: language → form ("" is the bare word) → text.
Words = Mapping[str, Mapping[str, str]]


class Term(str):
    """A machine value (the ``str`` itself) and how each language says it.

    ``words``: language → form → text, when the data gives them (a country, a law);
    ``kind``: the wording data's family of the value (``mechanism``, ``duration``)
    when the words come from there.
    """

    words: Words
    kind: str

    def __new__(cls, value: str, words: Words | None = None, kind: str = "") -> Term:
        self = super().__new__(cls, value)
        self.words = words or {}
        self.kind = kind
        return self

    def __reduce__(self) -> tuple[Callable[..., Term], tuple[str, Words, str]]:
        return (Term, (str(self), {k: dict(v) for k, v in self.words.items()}, self.kind))

    def say(self, lang: str, form: str = "") -> str:
        """This value in ``lang``, in ``form`` (bare when empty)."""
        forms = self.words.get(lang) or self.words.get("en")
        if forms is None and self.kind and _lookup is not None:
            word = _lookup(self.kind, str(self), lang)
            forms = {"": word} if word is not None else None
        if forms is None:
            return _form(str(self), lang, form)
        if form in forms:
            return forms[form]
        return _form(forms.get("the") or forms.get("") or str(self), lang, form)


def _form(text: str, lang: str, form: str) -> str:
    """``form`` of a value with no words of its own for it, from its bare text."""
    if form in ("", "the"):
        return text
    if lang == "fr":
        return {"of": de, "to": a, "in": en}[form](text)
    return f"{form} {text}"  # of, to, in


def terms(items: Iterable[Term], langs: Iterable[str]) -> Term:
    """Several terms as one, joined ("le CLOUD Act et la loi FISA"): its value is the
    values joined with ", " (what a rule compares), its words each form joined."""
    items = list(items)
    words = {
        lang: {form: join((t.say(lang, form) for t in items), lang) for form in ("", *FORMS)}
        for lang in langs
    }
    return Term(", ".join(items), words)


def term(kind: str, value: str) -> Term:
    """An enumerated value (``term("mechanism", "scc")``) or a duration
    (``term("duration", "30d")``), worded from the wording data."""
    return Term(value, kind=kind)


# (kind, value, language) → the words, or None when the data has none.
Lookup = Callable[[str, str, str], str | None]
_lookup: Lookup | None = None


def install(lookup: Lookup) -> None:
    """Where the words of enumerated values and durations come from (the wording data)."""
    global _lookup
    _lookup = lookup


def form_field(name: str) -> tuple[str, str]:
    """``(form, field)`` of a template field: ``in_country`` → ``("in", "country")``;
    a plain field → ``("", name)``."""
    match = _FORM_FIELD.fullmatch(name)
    return (match[1], match[2]) if match else ("", name)


class _Said(dict[str, str]):
    """A template's values in one language: a term in its words, a form asked
    (``{in_country}``) worked out from its field, a missing field as ``?``."""

    def __init__(self, params: Mapping[str, str], lang: str) -> None:
        super().__init__()
        self.params = params
        self.lang = lang

    def __missing__(self, key: str) -> str:
        value = self.params.get(key)
        form = ""
        if value is None:
            form, field = form_field(key)
            value = self.params.get(field) if form else None
        if value is None:
            return "?"
        if isinstance(value, Term):
            said = value.say(self.lang, form)
        else:
            said = _form(str(value), self.lang, form) if form and value != "?" else str(value)
        self[key] = said
        return said


def say(template: str, params: Mapping[str, str], lang: str) -> str:
    """``template`` filled with ``params`` in ``lang``: terms in words, forms asked
    by a field's prefix worked out, a missing field shown ``?``."""
    # A large audit has over a hundred thousand reasons: plain values, plain look-ups.
    for value in params.values():
        if value.__class__ is Term:
            break
    else:
        try:
            return template.format_map(params)
        except KeyError:
            pass
    return template.format_map(_Said(params, lang))
