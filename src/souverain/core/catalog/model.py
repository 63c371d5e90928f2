"""The knowledge base (docs/catalog.md): jurisdictions, providers, products, standards.

Catalog files are YAML documents ``{souverain_catalog: 1, kind: KIND, entries: [...]}``.
Every entry carries a ``source`` and an ``as_of`` date, which are the provenance
of its plain fields. A field may carry its own provenance instead, written
``{value: ..., source: ..., as_of: ...}``; either way the model stores a
:class:`Fact` so that every value the scoring engine uses can be cited.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, ClassVar, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from souverain.core.catalog.sourced import (
    Certification,
    Designation,
    Fact,
    Sourced,
)
from souverain.core.errors import InvalidInput, Problem
from souverain.core.estate.model import CountryCode, Id, LicenceTerms, Updates
from souverain.core.estate.validation import find_cycles, problems_from_pydantic
from souverain.core.phrase import phrase
from souverain.core.vocabulary import Deployment

T = TypeVar("T")

Permit = Literal["data_access", "service_cutoff", "export_control"]
# The roles in which a law reaches a provider (docs/catalog.md, "Scope"):
# ``service``, it runs a service for the organisation, carrying or holding its data
# (an electronic communication or remote computing service, a telecommunications
# operator); ``closed-software``, it supplies software not under an open-source
# licence, whose licences, updates and support it controls.
Role = Literal["service", "closed-software"]
# ``collection``: the state collects itself (signals intelligence on data in transit,
# chiefly abroad) and compels no provider; it follows neither control nor the place
# where data is stored, so no rule scores it (docs/catalog.md, "Reach").
Reach = Literal["control", "territory", "collection"]
Ring = Literal["adopt", "trial", "assess", "hold"]


Text = dict[Literal["en", "fr"], str]


class _Entry(Sourced):
    """An entry whose plain fields inherit its ``source`` and ``as_of``."""

    id: Id
    FACTS: ClassVar[tuple[str, ...]] = ()
    SOURCED_LISTS: ClassVar[tuple[str, ...]] = ()
    SOURCED_MAPS: ClassVar[tuple[str, ...]] = ()

    @model_validator(mode="before")
    @classmethod
    def _inherit_provenance(cls, data: Any) -> Any:
        return _inherit(data, cls.FACTS, cls.SOURCED_LISTS, cls.SOURCED_MAPS)


def _inherit(
    data: Any, facts: tuple[str, ...], lists: tuple[str, ...], maps: tuple[str, ...] = ()
) -> Any:
    """``data`` with its plain ``facts``, the items of its ``lists`` and its ``maps``
    given its own ``source`` and ``as_of`` (a field that carries its own provenance
    keeps it)."""
    if not isinstance(data, Mapping):
        return data
    out = dict(data)
    origin = {k: out[k] for k in ("source", "as_of") if k in out}
    for name in facts:
        if name in out and not (isinstance(out[name], Mapping) and "value" in out[name]):
            out[name] = {"value": out[name], **origin}
    for name in lists:
        if isinstance(out.get(name), list):
            out[name] = [
                {**origin, **item} if isinstance(item, Mapping) else item for item in out[name]
            ]
    for name in maps:
        if isinstance(out.get(name), Mapping):
            out[name] = {**origin, **out[name]}
    return out


class LawScope(BaseModel):
    """Whom a law compels: the roles a provider must play for it to apply.

    A law reaches a provider for an asset when the provider plays one of ``roles``
    for that asset (an unknown deployment or licence counts as playing it: unknown is
    never safe). ``text`` says the scope in words, ``source`` and ``as_of`` where it
    comes from (the law's own when left out).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    roles: list[Role] = Field(min_length=1)
    text: Text = Field(default_factory=dict)
    source: str | None = Field(default=None, min_length=1)
    as_of: date | None = None


class Law(Sourced):
    """A law that lets a state reach data or service controlled from its territory.

    ``applies_to``: whom it compels; left out, every provider it reaches.
    """

    id: Id
    name: str
    # The law as a sentence names it, with its article: "the CLOUD Act (…)", "le
    # CLOUD Act (…)"; left out, ``name`` (souverain.core.terms).
    called: Text = Field(default_factory=dict)
    permits: list[Permit] = Field(min_length=1)
    reach: list[Reach] = Field(default_factory=lambda: list[Reach](["control"]))
    applies_to: LawScope | None = None
    summary: Text = Field(default_factory=dict)

    def applies(self, roles: frozenset[str]) -> bool:
        """Whether the law compels a provider playing ``roles``."""
        return self.applies_to is None or not roles.isdisjoint(self.applies_to.roles)


class Adequacy(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    status: Literal["full", "partial", "none"]
    decided: date | None = None
    scope: str | None = None


class Jurisdiction(_Entry):
    """A country, its EU/EEA status, its GDPR adequacy and its reaching laws."""

    FACTS = ("eu", "eea", "adequacy")
    SOURCED_LISTS = ("laws",)

    id: CountryCode
    name: Text
    # The country as a sentence names it ("the United States", "les États-Unis") and
    # where something lies in it ("in the United States", "aux États-Unis"); left
    # out, worked out from ``name`` (souverain.core.terms).
    called: Text = Field(default_factory=dict)
    located: Text = Field(default_factory=dict)
    eu: Fact[bool]
    eea: Fact[bool]
    adequacy: Fact[Adequacy] | None = None
    laws: list[Law] = Field(default_factory=list)


ProviderKind = Literal["company", "community"]
"""A company (a firm, public or private) or a community: a project or foundation whose
software is a commons (docs/catalog.md, "Providers")."""
Steward = Literal["foundation", "single-vendor", "community"]
"""Who governs a project: a non-profit legal body (foundation or association), one
company, or a community of contributors with no legal body of its own."""
Diversity = Literal["low", "medium", "high"]


class LicenceChange(Sourced):
    """A past change of a project's licence by its steward."""

    changed: date
    before: str = Field(min_length=1)
    after: str = Field(min_length=1)


class Fork(Sourced):
    """A fork of the project, kept under open terms by another steward."""

    name: str = Field(min_length=1)
    product: Id | None = None
    steward: str | None = None


class Governance(Sourced):
    """How an open-source project is governed: who steers it and who may relicense it.

    Its plain fields inherit its ``source`` and ``as_of``, as an entry's do.
    """

    FACTS: ClassVar[tuple[str, ...]] = ("steward", "relicensing", "contributors")
    SOURCED_LISTS: ClassVar[tuple[str, ...]] = ("licence_changes", "forks")

    steward: Fact[Steward]
    relicensing: Fact[bool] | None = None
    contributors: Fact[Diversity] | None = None
    licence_changes: list[LicenceChange] = Field(default_factory=list)
    forks: list[Fork] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _inherit_provenance(cls, data: Any) -> Any:
        return _inherit(data, cls.FACTS, cls.SOURCED_LISTS)


class CatalogProvider(_Entry):
    """A legal entity known to the knowledge base."""

    FACTS = ("country", "owner", "open_source_vendor")
    SOURCED_LISTS = ("certifications", "designations")
    SOURCED_MAPS = ("governance",)

    name: str
    aliases: list[str] = Field(default_factory=list)
    country: Fact[CountryCode] | None = None
    owner: Fact[Id | list[Id]] | None = None
    open_source_vendor: Fact[bool] | None = None
    # Deprecated: certifications belong to offers (Product.certifications). Still read
    # so that older catalog layers load; never taken as the certificate of an offer.
    certifications: list[Certification] = Field(default_factory=list)
    website: str | None = None
    kind: ProviderKind = "company"
    governance: Governance | None = None
    designations: list[Designation] = Field(default_factory=list)

    @property
    def owners(self) -> list[str]:
        """The controlling entities: one owner, or each partner of a joint venture."""
        if self.owner is None:
            return []
        value = self.owner.value
        return [value] if isinstance(value, str) else list(value)


class Product(_Entry):
    """A product or service sold by a catalog provider."""

    FACTS: ClassVar[tuple[str, ...]] = (
        "licence",
        "self_hostable",
        "standards",
        "exports",
        "deployments",
    )
    SOURCED_LISTS = ("certifications",)

    name: str
    aliases: list[str] = Field(default_factory=list)
    category: Id
    provider: Id
    deployments: Fact[list[Deployment]] | None = None
    licence: Fact[str] | None = None
    self_hostable: Fact[bool] | None = None
    standards: Fact[list[Id]] | None = None
    exports: Fact[list[Id]] | None = None
    certifications: list[Certification] = Field(default_factory=list)
    # Who licenses the technology (a catalog provider, when it is not ``provider``:
    # a joint venture running another company's software), on what terms, and where
    # its updates come from (docs/catalog.md).
    licensor: Fact[Id] | None = None
    licence_terms: Fact[LicenceTerms] | None = None
    updates: Fact[Updates] | None = None
    FACTS = (*FACTS, "licensor", "licence_terms", "updates")


class Category(BaseModel):
    """A category of the asset taxonomy."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Id
    name: Text
    holds_data: bool = True
    # "privileged": its assets are a path to the data whatever they store (security
    # agents, cloud-connected cameras, TLS-terminating CDNs, remote support, backups).
    data_path: Literal["privileged"] | None = None
    quadrant: str | None = None


class Standard(_Entry):
    """A protocol or file format, and how open it is."""

    FACTS = ("open", "implementations", "body")

    name: str
    aliases: list[str] = Field(default_factory=list)
    type: Literal["format", "protocol", "api"]
    open: Fact[bool]
    body: Fact[str] | None = None
    implementations: Fact[int] | None = None


class Alternative(_Entry):
    """A candidate product for a category, for the tech radar."""

    category: Id
    product: Id
    ring: Ring
    maturity: str | None = None
    notes: Text = Field(default_factory=dict)


_KINDS: dict[str, type[BaseModel]] = {
    "jurisdiction": Jurisdiction,
    "provider": CatalogProvider,
    "product": Product,
    "category": Category,
    "standard": Standard,
    "alternative": Alternative,
}
KINDS = tuple(_KINDS)
# Each kind as the problems name it ("duplicate provider id").
_KIND_WORDS = {
    "jurisdiction": phrase("of-jurisdiction"),
    "provider": phrase("of-provider"),
    "product": phrase("of-product"),
    "category": phrase("of-category"),
    "standard": phrase("of-standard"),
    "alternative": phrase("of-alternative"),
}


@dataclass(frozen=True)
class CatalogDocument:
    """One parsed catalog file, before validation."""

    name: str
    data: Any


E = TypeVar("E")


@dataclass
class Catalog:
    """Every catalog entry, by kind and id."""

    jurisdictions: dict[str, Jurisdiction] = field(default_factory=dict)
    providers: dict[str, CatalogProvider] = field(default_factory=dict)
    products: dict[str, Product] = field(default_factory=dict)
    categories: dict[str, Category] = field(default_factory=dict)
    standards: dict[str, Standard] = field(default_factory=dict)
    alternatives: dict[str, Alternative] = field(default_factory=dict)
    # Where each entry was read: (kind, id) → (document name, index in its entries).
    origins: dict[tuple[str, str], tuple[str, int]] = field(default_factory=dict, repr=False)
    _standard_names: dict[str, Standard] = field(default_factory=dict, repr=False)
    _standards_indexed: int = field(default=-1, repr=False)

    def table(self, kind: str) -> Mapping[str, BaseModel]:
        """The entries of one kind, by id."""
        return _table(self, kind)

    def owner_chain(self, provider_id: str) -> list[CatalogProvider]:
        """The provider, then its owners, up to the ultimate parents, breadth first.

        A joint venture has several controlling owners; each of their chains is
        followed, so the list is the whole ownership tree above the provider.
        """
        chain: list[CatalogProvider] = []
        pending = [provider_id]
        seen: set[str] = set()
        while pending:
            ident = pending.pop(0)
            current = self.providers.get(ident)
            if current is None or ident in seen:
                continue
            seen.add(ident)
            chain.append(current)
            pending.extend(current.owners)
        return chain

    def standard(self, name: str) -> Standard | None:
        """A standard or format by id or alias, case-insensitively."""
        if self._standards_indexed != len(self.standards):
            self._standards_indexed = len(self.standards)
            self._standard_names.clear()
            for standard in self.standards.values():
                for alias in (*standard.aliases, standard.id):
                    self._standard_names[alias.lower()] = standard
        return self._standard_names.get(name.lower())

    def __iter__(self) -> Iterator[tuple[str, Mapping[str, BaseModel]]]:
        yield from (
            ("jurisdiction", self.jurisdictions),
            ("provider", self.providers),
            ("product", self.products),
            ("category", self.categories),
            ("standard", self.standards),
            ("alternative", self.alternatives),
        )


def _table(catalog: Catalog, kind: str) -> dict[str, Any]:
    tables: dict[str, dict[str, Any]] = {
        "jurisdiction": catalog.jurisdictions,
        "provider": catalog.providers,
        "product": catalog.products,
        "category": catalog.categories,
        "standard": catalog.standards,
        "alternative": catalog.alternatives,
    }
    return tables[kind]


def build_catalog(layers: Iterable[Iterable[CatalogDocument]], references: bool = True) -> Catalog:
    """Merge catalog layers, later layers replacing earlier entries with the same id.

    Raises :class:`InvalidInput` with every problem found, each problem's ``file``
    naming its document: the entries' own problems, then (with ``references``)
    references to entries that do not exist and ownership cycles. A caller that
    could not read every file leaves ``references`` out: the missing files' entries
    would show as dangling.
    """
    catalog = Catalog()
    problems: list[Problem] = []
    ranks: dict[str, tuple[int, int]] = {}  # document name → (layer, position)
    for number, layer in enumerate(layers):
        seen: dict[tuple[str, str], str] = {}
        for position, document in enumerate(layer):
            ranks.setdefault(document.name, (number, position))
            problems.extend(_merge(catalog, document, seen))
    if references:
        problems.extend(_dangling(catalog))
        problems.extend(_ownership_cycles(catalog, ranks))
    if problems:
        raise InvalidInput("catalog", problems)
    return catalog


def _merge(
    catalog: Catalog, document: CatalogDocument, seen: dict[tuple[str, str], str]
) -> list[Problem]:
    data = document.data
    here = document.name
    if not isinstance(data, Mapping) or data.get("souverain_catalog") != 1:
        return [
            Problem(
                (),
                phrase("not-a-catalog-file"),
                phrase("expected-catalog-file"),
                phrase("something-else"),
                file=here,
            )
        ]
    kind = data.get("kind")
    if kind not in _KINDS:
        return [
            Problem(
                ("kind",),
                phrase("unknown-catalog-kind"),
                phrase("one-of", choices=", ".join(KINDS)),
                repr(kind),
                file=here,
            )
        ]
    entries = data.get("entries")
    if not isinstance(entries, list):
        return [
            Problem(
                ("entries",),
                phrase("no-entries"),
                phrase("expected-entries"),
                repr(entries),
                file=here,
            )
        ]
    model = _KINDS[kind]
    table = _table(catalog, kind)
    problems: list[Problem] = []
    for index, raw in enumerate(entries):
        try:
            entry = model.model_validate(raw)
        except ValidationError as error:
            problems.extend(
                Problem(p.path, p.message, p.expected, p.found, file=here)
                for p in problems_from_pydantic(error, ("entries", index))
            )
            continue
        ident = str(entry.id)  # type: ignore[attr-defined]
        if (kind, ident) in seen:
            problems.append(
                Problem(
                    ("entries", index, "id"),
                    phrase("duplicate-kind-id", kind=_KIND_WORDS[kind]),
                    phrase("expected-once-per-layer"),
                    phrase("found-also-in", value=repr(ident), other=seen[(kind, ident)]),
                    file=here,
                )
            )
            continue
        seen[(kind, ident)] = here
        table[ident] = entry
        catalog.origins[(kind, ident)] = (here, index)
    return problems


_UNKNOWN = {
    "provider": (phrase("unknown-provider"), phrase("expected-catalog-provider")),
    "product": (phrase("unknown-product"), phrase("expected-catalog-product")),
    "category": (phrase("unknown-category"), phrase("expected-catalog-category")),
}


def _dangling(catalog: Catalog) -> list[Problem]:
    """References to entries that no layer defines, each at the entry that makes it."""
    problems = []

    def missing(kind: str, ident: str, field: str, what: str, ref: str) -> None:
        name, index = catalog.origins[(kind, ident)]
        message, expected = _UNKNOWN[what]
        problems.append(
            Problem(
                ("entries", index, field),
                message,
                expected,
                repr(ref),
                file=name,
            )
        )

    for provider in catalog.providers.values():
        for owner in provider.owners:
            if owner not in catalog.providers:
                missing("provider", provider.id, "owner", "provider", owner)
    for provider in catalog.providers.values():
        for fork in provider.governance.forks if provider.governance else []:
            if fork.product and fork.product not in catalog.products:
                missing("provider", provider.id, "governance", "product", fork.product)
    for product in catalog.products.values():
        if product.provider not in catalog.providers:
            missing("product", product.id, "provider", "provider", product.provider)
        if catalog.categories and product.category not in catalog.categories:
            missing("product", product.id, "category", "category", product.category)
        if product.licensor and product.licensor.value not in catalog.providers:
            missing("product", product.id, "licensor", "provider", product.licensor.value)
        source = product.updates.value.source if product.updates else None
        if source and source not in catalog.providers:
            missing("product", product.id, "updates", "provider", source)
    for alternative in catalog.alternatives.values():
        if alternative.product not in catalog.products:
            missing("alternative", alternative.id, "product", "product", alternative.product)
    return problems


def _ownership_cycles(catalog: Catalog, ranks: Mapping[str, tuple[int, int]]) -> list[Problem]:
    """Every ownership loop once, located at one of its members: the one read last
    (a later layer's entry closes a loop that the earlier ones did not make)."""

    def rank(ident: str) -> tuple[int, int, int]:
        name, index = catalog.origins[("provider", ident)]
        layer, position = ranks.get(name, (0, 0))
        return (-layer, position, index)

    owners = {
        ident: [o for o in provider.owners if o in catalog.providers]
        for ident, provider in catalog.providers.items()
    }
    problems = []
    for cycle in find_cycles(sorted(owners, key=rank), owners.__getitem__):
        name, index = catalog.origins[("provider", cycle.path[0])]
        problems.append(
            Problem(
                ("entries", index, "owner"),
                phrase("ownership-cycle"),
                phrase("expected-owner-chain-end"),
                cycle.text(),
                file=name,
            )
        )
    return problems
