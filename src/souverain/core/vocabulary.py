"""The words every part of souverain shares, defined once.

Estates, the methodology, the scoring, the scenarios and the planning all speak of
languages, gravities, risk levels, deployments and skill mastery. Each is defined here
and imported from here; a word with two meanings gets two names.
"""

from __future__ import annotations

from typing import Literal

Lang = Literal["en", "fr"]
LANGS: tuple[Lang, ...] = ("en", "fr")

Criticality = Literal["vital", "important", "useful", "minor"]
"""How much a business process matters, as the estate states it."""
CRITICALITIES: tuple[Criticality, ...] = ("vital", "important", "useful", "minor")

Gravity = Literal["vital", "important", "useful", "minor", "none"]
"""How grave an asset or provider is: the criticality of the gravest process reaching
it, or ``none`` when no process does."""
GRAVITIES: tuple[Gravity, ...] = ("vital", "important", "useful", "minor", "none")

GRAVE: tuple[Criticality, ...] = ("vital", "important")
""""Vital or important": the processes, assets and providers whose loss the
organisation cannot take, and that get exit plans and the report's attention."""

Level = Literal["low", "medium", "high", "critical"]
LEVELS: tuple[Level, ...] = ("low", "medium", "high", "critical")

Deployment = Literal[
    "saas", "public-cloud", "private-cloud", "on-premise", "link", "device", "site"
]
"""How an asset runs: a service bought whole (``saas``), the organisation's software on
a provider's cloud (``public-cloud``, ``private-cloud``) or on its own servers
(``on-premise``); a telecom service run by an operator (``link``: internet access,
leased line, mobile); end-user or field equipment running where it is (``device``:
workstations, phones, sensors, controllers); premises (``site``)."""

OFF_PREMISE: frozenset[str] = frozenset(("saas", "public-cloud", "private-cloud"))
"""Deployments run by a provider away from the organisation's premises: a service
(``saas``) or software on a provider's cloud."""

CLOUD_HOSTING: frozenset[str] = frozenset(("public-cloud", "private-cloud"))
"""Deployments where the organisation's own software runs on a provider's cloud
infrastructure (not a service bought whole)."""

RUNS_LOCALLY: frozenset[str] = frozenset(("on-premise", "device", "site"))
"""Deployments that keep running where the organisation is once their provider is
lost: software on its own servers, its devices, its premises. An order to the vendor
stops licences, updates and support, not the running asset."""

NO_SOFTWARE: frozenset[str] = frozenset(("link", "site"))
"""Deployments that are not software: a telecom link, premises. No licence to ask
for, no data stored in them."""

Mastery = Literal["none", "low", "medium", "high"]
MASTERY: tuple[Mastery, ...] = ("none", "low", "medium", "high")
"""Skill mastery, weakest first."""

Sensitivity = Literal[
    "personal",
    "health",
    "special-category",
    "criminal",
    "minors",
    "classified",
    "trade-secret",
    "export-controlled",
]
"""How sensitive a kind of data is (docs/estate.md, ``data``): personal data (GDPR
Art. 4(1)), health data and the other special categories (GDPR Art. 9), criminal
convictions and offences (Art. 10), children's data (Art. 8, recital 38), classified
information (« Diffusion Restreinte » and above, IGI 1300 / II 901), trade secrets
(Directive (EU) 2016/943), export-controlled technology (Regulation (EU) 2021/821)."""
SENSITIVITIES: tuple[Sensitivity, ...] = (
    "personal",
    "health",
    "special-category",
    "criminal",
    "minors",
    "classified",
    "trade-secret",
    "export-controlled",
)
