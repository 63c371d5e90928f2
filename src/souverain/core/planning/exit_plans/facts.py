"""What a plan's steps, skills and contract steps are worked out from: :class:`Facts`,
one per plan, and the questions they ask of it (open formats, how the alternative runs)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from souverain.core.catalog.model import Catalog, Product
from souverain.core.catalog.queries import is_self_hostable
from souverain.core.estate.duration import Duration
from souverain.core.estate.model import Asset, Contract
from souverain.core.phrase import phrase
from souverain.core.planning.exit_plans.choice import Choice
from souverain.core.planning.exit_plans.context import PlanContext
from souverain.core.planning.exit_plans.model import Export, Param
from souverain.core.scoring.audit import Dependency
from souverain.core.vocabulary import OFF_PREMISE


@dataclass(frozen=True)
class Facts:
    dep: Dependency
    asset: Asset
    context: PlanContext
    contract: Contract | None
    deployment: str | None
    holds_data: bool | None
    choice: Choice
    export: Export
    duration: Duration | None
    notice: int | None
    notice_longer: bool | None
    fits: bool | None

    @property
    def target(self) -> Param:
        return self.choice.name or phrase("the-alternative")

    @property
    def process(self) -> Param:
        name = self.context.process_names.get(self.dep.gravity_process or "")
        return name or phrase("the-processes")

    @property
    def alternative_product(self) -> Product | None:
        ident = self.choice.product
        return self.context.catalog.products.get(ident) if ident else None

    @property
    def open_formats(self) -> list[str]:
        return open_formats(self.export, self.context.catalog)

    def formats_suffix(self, first_only: bool = False) -> Param:
        formats = self.open_formats[:1] if first_only else self.open_formats
        return phrase("in-formats", formats=", ".join(formats)) if formats else ""

    def clause(self, name: str) -> bool | None:
        clauses = self.contract.clauses if self.contract else None
        value = getattr(clauses, name) if clauses else None
        return value if isinstance(value, bool) else None

    def clause_ref(self, name: str) -> str:
        assert self.contract is not None
        return f"contracts[{self.contract.id}].clauses.{name}"


def open_formats(export: Export, catalog: Catalog) -> list[str]:
    if not export.open_export:
        return []
    out = []
    for ident in export.formats:
        standard = catalog.standards.get(ident)
        if standard is None or not standard.open.value:
            break  # open ones come first
        out.append(ident)
    return out


Hosting = Literal["both", "self", "saas"]


def hosting_of(product: Product | None) -> Hosting | None:
    """How the alternative can run: as a service, self-hosted, or both; None: unknown."""
    if product is None:
        return None
    deployments = set(product.deployments.value) if product.deployments else set()
    self_hostable = is_self_hostable(product)
    as_service = bool(deployments & OFF_PREMISE)
    if self_hostable and as_service:
        return "both"
    if self_hostable:
        return "self"
    return "saas" if as_service else None
