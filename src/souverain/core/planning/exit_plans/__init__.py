"""Exit plans (docs/exit-plans.md): how to leave each vital or important dependency.

An exit plan names a target alternative, the data export path and format, concrete
ordered steps, the skills needed, the contract steps (notice, exit assistance, data
portability, end date), the estimated duration and whether leaving fits within the
max downtime of the processes concerned. Everything is derived from the audit, the
estate and the catalog; no number is invented.

- :func:`exit_plans` (:mod:`.plans`): one :class:`ExitPlan` per vital or important
  dependency, riskiest first;
- :mod:`.model`: the plan and its parts; every text is a phrase (a message id of
  ``data/locales/exit_plans.<lang>.yaml`` and its parameters), put into words outside
  the core (:mod:`souverain.wording`; the JSON document: :mod:`souverain.exporters.exit_plans`);
- :func:`preference` (:mod:`.choice`): how the catalog's alternatives are ranked, also
  used by the roadmap's migrations.
"""

from souverain.core.phrase import duration_words
from souverain.core.planning.exit_plans.choice import preference
from souverain.core.planning.exit_plans.model import (
    ContractStep,
    ExitPlan,
    Export,
    Note,
    Skill,
    Step,
)
from souverain.core.planning.exit_plans.plans import exit_plans

__all__ = [
    "ContractStep",
    "ExitPlan",
    "Export",
    "Note",
    "Skill",
    "Step",
    "duration_words",
    "exit_plans",
    "preference",
]
