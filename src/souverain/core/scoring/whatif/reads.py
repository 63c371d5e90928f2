"""What an edit can move, named as the predicates declare what they read.

The what-if scores a row again only for the rules reading what moved: per thing a
predicate may read (``rules.base.Read``), :data:`READS` names the predicates declaring
they read it.
"""

from __future__ import annotations

from collections.abc import Mapping

from souverain.core.scoring.rules.base import READ, READS_OF
from souverain.core.scoring.takeover import EXIT_READS as DECLARED_EXIT_READS

# Per thing a predicate may read (rules.base.Read, beyond the fields of the asset that
# make its view), the predicates declaring they read it: when only some of these moved,
# only the axes with a rule reading them are scored again. Derived once from the
# declarations on the predicates, which a test checks against their sources
# (tests/roadmap/test_whatif_reads.py). "redundant", membership of an any_of group, is
# read by no predicate; the exit readiness reads it.
READS: Mapping[str, frozenset[str]] = {
    **{read: frozenset(name for name, reads in READS_OF.items() if read in reads) for read in READ},
    "redundant": frozenset(),
}
# Asset fields whose change re-scores only the axes reading them.
LOCAL_FIELDS = frozenset({"skills", "continuity", "exit"})
# What the exit readiness reads itself, whatever its criteria, as it declares it
# (scoring.takeover.EXIT_READS), and "redundant": membership of an any_of group.
EXIT_READS: frozenset[str] = frozenset({*DECLARED_EXIT_READS, "redundant"})
ESTATE_WIDE = READS["estate_counts"]
HOST_FIELDS = ("id", "name", "provider", "deployment", "category", "product")
