"""The graph findings' words (core/scenarios/findings.py) in a language, from
data/locales/scenarios.<lang>.yaml. Imports no numpy: the audit's formats use it."""

from __future__ import annotations

from collections.abc import Sequence

from souverain.core.phrase import phrase
from souverain.core.scenarios.findings import Dependence
from souverain.core.vocabulary import Lang
from souverain.wording import render


def dependence_sentence(dependence: Dependence, lang: Lang) -> str:
    """The dependence as a sentence, with one full stop even after a name that ends
    with one ("Broadcom Inc.")."""
    sentence = render(dependence.phrase(), lang, "scenarios")
    return sentence if sentence.endswith(".") else sentence + "."


def scenario_words(key: str, lang: Lang, **params: str) -> str:
    """A crisis scenario's wording ``key`` of data/locales/scenarios.<lang>.yaml."""
    return render(phrase(key, **params), lang, "scenarios")


def unreachable_heading(losses: Sequence[tuple[str, str]], lang: Lang) -> str:
    """What a scenario's unreachable data are called: out of the site's reach only
    (held elsewhere) when every loss is a site, plainly unreachable otherwise."""
    only_sites = bool(losses) and all(kind == "site" for kind, _ in losses)
    return scenario_words("unreachable-from-site" if only_sites else "unreachable-data", lang)
