"""Regulatory regimes an organisation declares (``organisation.regimes``, docs/estate.md).

A regime turns catalog facts into requirements the audit checks: an asset under
``hds`` must be hosted on an offer holding an HDS certificate, one under
``secnumcloud`` on a SecNumCloud-qualified offer; under ``dora``, the contracts of
ICT third-party services must carry the clauses of DORA Art. 30. The rules that
check them are in the methodology (predicates of
:mod:`souverain.core.scoring.rules.regimes`); this module only knows which regimes
exist, what they cover and the law behind each, so that an estate naming an
unknown regime is refused with the nearest known ids.

``scope``: ``organisation`` when the regime covers every dependency of an
organisation that declares it (DORA covers every ICT third-party service of a
financial entity); ``assets`` when it covers only the assets whose data it governs,
which the estate names in ``assets[].regimes`` (health data for HDS, data of
particular sensitivity for the State's cloud doctrine): only the organisation
knows which assets hold them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Literal

RegimeScope = Literal["organisation", "assets"]


@dataclass(frozen=True)
class Regime:
    """A regime: what it covers and the legal text it comes from (its source)."""

    id: str
    scope: RegimeScope
    source: str
    as_of: date
    # The data sensitivities it governs (``data[].sensitivity``, docs/estate.md): an
    # asset holding such data is under the regime when the organisation declares it,
    # whether or not the asset names it.
    data: tuple[str, ...] = ()


REGIMES = MappingProxyType(
    {
        regime.id: regime
        for regime in (
            Regime(
                "gdpr",
                "organisation",
                "Regulation (EU) 2016/679 (GDPR), OJ L 119, 4 May 2016, "
                "https://eur-lex.europa.eu/eli/reg/2016/679/oj",
                date(2016, 5, 4),
            ),
            Regime(
                "nis2",
                "organisation",
                "Directive (EU) 2022/2555 (NIS 2), Art. 21-22, OJ L 333, 27 December 2022, "
                "https://eur-lex.europa.eu/eli/dir/2022/2555/oj",
                date(2022, 12, 27),
            ),
            Regime(
                "dora",
                "organisation",
                "Regulation (EU) 2022/2554 (DORA), Art. 28-30, OJ L 333, 27 December 2022, "
                "https://eur-lex.europa.eu/eli/reg/2022/2554/oj",
                date(2022, 12, 27),
            ),
            Regime(
                "hds",
                "assets",
                "Code de la santé publique, art. L1111-8 II (a host of personal health data on "
                "a digital medium must hold a certificate of compliance, HDS); "
                "https://esante.gouv.fr/faq/quel-est-le-champ-dapplication-de-la-legislation-"
                "relative-lhebergement-de-donnees-de-sante-caractere-personnel",
                date(2025, 2, 11),
                data=("health",),
            ),
            Regime(
                "secnumcloud",
                "assets",
                "Circulaire n° 6404/SG du 31 mai 2023 relative à l'actualisation de la doctrine "
                "d'utilisation de l'informatique en nuage par l'État (« cloud au centre »): "
                "data of particular sensitivity on a commercial cloud requires a SecNumCloud "
                "qualification (R9), published on 1 June 2023 on circulaires.legifrance.gouv.fr; "
                "made law for public bodies by loi n° 2024-449 du 21 mai 2024 (SREN), art. 31",
                date(2023, 6, 1),
            ),
        )
    }
)
REGIME_IDS: tuple[str, ...] = tuple(REGIMES)
