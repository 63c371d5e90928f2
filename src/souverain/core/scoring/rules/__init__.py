"""The predicates a methodology's rules are made of, one module per axis.

Each predicate looks at one :class:`~souverain.core.scoring.context.View` and returns
what it found, as :class:`Finding` values: the words to fill the rule's text
with and the evidence behind it. The methodology decides what each finding
scores. To find the rule behind a score: the methodology YAML names the
predicate in ``when``; the function of that name is here.
"""

from __future__ import annotations

from souverain.core.scoring.rules import (
    contract,
    data_control,
    exit,
    governance,
    jurisdiction,
    lock_in,
    operations,
    processors,
    regimes,
    skills,
    supply_chain,
)
from souverain.core.scoring.rules.base import PREDICATES, SIGNATURES, Finding, Predicate, predicate

# The modules above are imported for their side effect: registering their predicates.
__all__ = [
    "PREDICATES",
    "SIGNATURES",
    "Finding",
    "Predicate",
    "contract",
    "data_control",
    "exit",
    "governance",
    "jurisdiction",
    "lock_in",
    "operations",
    "predicate",
    "processors",
    "regimes",
    "skills",
    "supply_chain",
]
