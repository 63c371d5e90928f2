"""User-facing labels in French and English, read from ``data/locales``."""

from __future__ import annotations

import locale
import os
from functools import cache
from importlib import resources

from souverain.core.phrase import Words
from souverain.core.vocabulary import LANGS as LANGS
from souverain.core.vocabulary import Lang as Lang
from souverain.importers.document import parse_text


@cache
def labels(lang: Lang) -> dict[str, str]:
    """Every label in ``lang``."""
    text = (resources.files("souverain") / "data" / "locales" / f"{lang}.yaml").read_text("utf-8")
    # Our loader reads YAML 1.2 booleans, so the keys ``yes`` and ``no`` stay text.
    data = parse_text(text, f"<souverain>/data/locales/{lang}.yaml").data
    return {str(k): str(v) for k, v in data.items()}


def label(lang: Lang, key: str, **params: object) -> str:
    """One label, formatted with ``params``."""
    return labels(lang)[key].format(**params)


def counted(lang: Lang, key: str, count: float, /, **params: object) -> str:
    """The label ``key`` agreeing with ``count``: ``<key>_one`` where the language says
    "one" of ``count`` (French 0 and 1, English 1; CLDR) and the locale has that form,
    ``key`` otherwise — never "1 des 1 dépendances"."""
    from souverain.wording import plural

    one = f"{key}_one"
    if plural(lang, count) == "one" and one in labels(lang):
        key = one
    return label(lang, key, **params)


def default_lang() -> Lang:
    """French when the user's locale is French, English otherwise."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name)
        if value:
            return "fr" if value.lower().startswith("fr") else "en"
    code = locale.getlocale()[0] or ""
    return "fr" if code.lower().startswith("fr") else "en"


def problem_text(lang: Lang, words: Words) -> str:
    """What a problem says, in ``lang``: a phrase worded from
    ``data/locales/problems.<lang>.yaml``; text quoted from the input as it is."""
    from souverain.wording import render

    return render(words, lang, "problems")
