"""User-facing labels in French and English, read from ``data/locales``."""

from __future__ import annotations

import locale
import os
import re
from functools import cache
from importlib import resources
from typing import Literal

from souverain.importers.document import parse_text

Lang = Literal["en", "fr"]
LANGS: tuple[Lang, ...] = ("en", "fr")


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


def default_lang() -> Lang:
    """French when the user's locale is French, English otherwise."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name)
        if value:
            return "fr" if value.lower().startswith("fr") else "en"
    code = locale.getlocale()[0] or ""
    return "fr" if code.lower().startswith("fr") else "en"


@cache
def _problem_wording() -> list[tuple[re.Pattern[str], str]]:
    text = (resources.files("souverain") / "data" / "locales" / "problems.yaml").read_text("utf-8")
    rows = parse_text(text, "<souverain>/data/locales/problems.yaml").data
    return [(re.compile(str(row["en"])), str(row["fr"])) for row in rows]


def problem_text(lang: Lang, text: str) -> str:
    """A problem's wording in ``lang``: English as written, French through the table."""
    if lang == "en" or not text:
        return text
    for pattern, french in _problem_wording():
        match = pattern.fullmatch(text)
        if match:
            return match.expand(french)
    return text
