"""The graph findings' words (core/scenarios/findings.py) in a language, from
data/locales/scenarios.<lang>.yaml. Imports no numpy: the audit's formats use it."""

from __future__ import annotations

from souverain.core.scenarios.findings import Dependence
from souverain.core.vocabulary import Lang
from souverain.wording import render


def dependence_sentence(dependence: Dependence, lang: Lang) -> str:
    """The dependence as a sentence, with one full stop even after a name that ends
    with one ("Broadcom Inc.")."""
    sentence = render(dependence.phrase(), lang, "scenarios")
    return sentence if sentence.endswith(".") else sentence + "."
