"""What-if: the rows an edit of an audited estate changes, without auditing it whole.

The roadmap measures every action by scoring the estate with the action applied. A
large estate's roadmap measures thousands of actions: a whole audit for each would
cost thousands of audits. An action changes a few assets' own fields, a contract, or
moves an asset to another provider: :class:`WhatIf` works out which rows such an
:class:`Edit` can change, and scores only those, exactly as a whole audit would.

A row is scored again when:

- its asset is replaced, or the contract it names is;
- an asset it requires directly (a plain requirement or an ``any_of`` member)
  changes provider, deployment, name, category or product (the only fields of hosts
  that rules read: ``processor_law``, ``redundant_host_law``, ``host_chain_law``);
- its gravity or its strict need moves: both are folds over the processes that reach
  the asset (the lowest criticality rank, then the earliest process; the tightest
  downtime, then the earliest process), so they are worked out again only for the
  assets below a changed requirement, in topological order;
- it joins or leaves an ``any_of`` group;
- an owner group's count of vital and important assets, or that count's total,
  moves, and a rule reading those estate-wide counts (:data:`ESTATE_WIDE`) finds
  otherwise for its provider's owner chain — or, with ``exact=True`` (the texts
  give the counts), whenever the group's count moves.

Edits never copy the estate: :class:`Overlay` looks assets, contracts and providers
up through the edit first. :func:`edit_between` turns two estates into an edit, for
callers that hold a changed estate; :func:`materialise` does the reverse.

The package: :mod:`.overlay` (edits and the estate they make, looked up without a
copy), :mod:`.reads` (what an edit can move, by what predicates declare they read),
:mod:`.folds` (gravities and needs worked out again below a rewired asset),
:mod:`.engine` (:class:`WhatIf`: which rows an edit reaches) and :mod:`.derived`
(:class:`Derived`: the edited estate, its rows scored again with
:mod:`souverain.core.scoring.score`, the functions the audit scores with).
"""

from souverain.core.scoring.whatif.derived import Derived
from souverain.core.scoring.whatif.engine import Mapper, WhatIf, rescore, serially
from souverain.core.scoring.whatif.overlay import (
    NO_EDIT,
    Edit,
    EstateIndex,
    Layered,
    Overlay,
    edit_between,
    materialise,
)
from souverain.core.scoring.whatif.reads import (
    ESTATE_WIDE,
    EXIT_READS,
    HOST_FIELDS,
    LOCAL_FIELDS,
    READS,
)

__all__ = [
    "ESTATE_WIDE",
    "EXIT_READS",
    "HOST_FIELDS",
    "LOCAL_FIELDS",
    "NO_EDIT",
    "READS",
    "Derived",
    "Edit",
    "EstateIndex",
    "Layered",
    "Mapper",
    "Overlay",
    "WhatIf",
    "edit_between",
    "materialise",
    "rescore",
    "serially",
]
