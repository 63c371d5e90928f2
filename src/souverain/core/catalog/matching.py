"""Free text to catalog entries: "Office 365 E3 licences" → Microsoft 365.

Names come from invoices, spreadsheets and contract lists, so the text is
normalised first (case, accents, punctuation, legal forms such as SAS or Inc.,
words such as "licences" or "abonnement" that say nothing of the product), then
compared with every entry's name, aliases and id:

- an exact match of the normalised text scores 1.0 (and two entries matching
  exactly is an ambiguity);
- otherwise rapidfuzz's weighted ratio gives a similarity, and a name found whole
  inside the text (an alias followed by a plan code, say) scores higher than a
  partial resemblance.

Matches are best first. When the best is not exact and the next is within
:data:`AMBIGUITY_MARGIN` of it, the result says it is ambiguous: the caller must
ask, never pick silently.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from souverain.core.catalog.model import Catalog

MATCH_KINDS = ("product", "provider")
AMBIGUITY_MARGIN = 0.05
MIN_CONFIDENCE = 0.6

# Words that describe a purchase rather than what is bought (English and French).
_NOISE = frozenset(
    (
        "licence",
        "licences",
        "license",
        "licenses",
        "licencing",
        "licensing",
        "subscription",
        "subscriptions",
        "abonnement",
        "abonnements",
        "seat",
        "seats",
        "user",
        "users",
        "utilisateur",
        "utilisateurs",
        "poste",
        "postes",
        "plan",
        "plans",
        "forfait",
        "annual",
        "annuel",
        "annuelle",
        "monthly",
        "mensuel",
        "mensuelle",
        "renewal",
        "renouvellement",
        "contract",
        "contrat",
        "the",
        "of",
        "for",
        "and",
        "de",
        "la",
        "le",
        "les",
        "du",
        "des",
        "et",
        "pour",
        "en",
        "au",
        "aux",
        "avec",
        "with",
    )
)
# Legal forms, dropped from both sides so that "OVH SAS" finds "OVH".
_LEGAL = frozenset(
    (
        "inc",
        "incorporated",
        "ltd",
        "limited",
        "llc",
        "plc",
        "corp",
        "corporation",
        "co",
        "company",
        "sa",
        "sas",
        "sasu",
        "sarl",
        "eurl",
        "scop",
        "gmbh",
        "ag",
        "se",
        "kg",
        "kgaa",
        "bv",
        "nv",
        "spa",
        "srl",
        "ab",
        "oy",
        "asa",
        "as",
        "aps",
        "sl",
        "sro",
        "spzoo",
        "pbc",
        "lp",
    )
)
_WORD = re.compile(r"[a-z0-9]+")


def normalise(text: str) -> str:
    """Lower case, no accents, no punctuation, no legal forms or purchase words.

    Dots are dropped rather than split on, so that "S.A.S." is the legal form SAS.
    """
    plain = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in plain if not unicodedata.combining(c)).replace(".", "")
    words = [w for w in _WORD.findall(plain) if w not in _NOISE and w not in _LEGAL]
    return " ".join(words)


@dataclass(frozen=True)
class Match:
    id: str
    kind: str
    name: str
    confidence: float
    matched: str  # the name or alias that matched


@dataclass(frozen=True)
class MatchResult:
    query: str
    ambiguous: bool
    matches: tuple[Match, ...]

    @property
    def best(self) -> Match | None:
        """The match to use without asking, if there is one."""
        return self.matches[0] if self.matches and not self.ambiguous else None


@dataclass
class Matcher:
    """An index of the names of some kinds of catalog entries."""

    catalog: Catalog
    kinds: tuple[str, ...] = MATCH_KINDS
    _names: list[str] = field(default_factory=list, repr=False)
    _owners: list[tuple[str, str, str]] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        tables = dict(iter(self.catalog))
        for kind in self.kinds:
            for ident, entry in tables[kind].items():
                name = str(getattr(entry, "name", ident))
                for alias in dict.fromkeys((name, *getattr(entry, "aliases", ()), ident)):
                    key = normalise(alias)
                    if key:
                        self._names.append(key)
                        self._owners.append((kind, ident, alias))

    def match(self, text: str, limit: int = 5) -> MatchResult:
        query = normalise(text)
        if not query:
            return MatchResult(text, False, ())
        best: dict[tuple[str, str], Match] = {}
        for key, score, index in process.extract(
            query, self._names, scorer=_similarity, limit=max(50, limit * 10), score_cutoff=50
        ):
            kind, ident, alias = self._owners[index]
            confidence = 1.0 if key == query else round(min(score, 99.0) / 100, 3)
            known = best.get((kind, ident))
            if known is None or confidence > known.confidence:
                best[(kind, ident)] = Match(
                    ident, kind, _name(self.catalog, kind, ident), confidence, alias
                )
        ranked = sorted(
            (m for m in best.values() if m.confidence >= MIN_CONFIDENCE),
            key=lambda m: (-m.confidence, self.kinds.index(m.kind), m.id),
        )
        ranked = _prefer_products_over_their_vendor(self.catalog, ranked)[:limit]
        ambiguous = len(ranked) >= 2 and (
            ranked[1].confidence == 1.0  # two entries are called exactly that
            or (
                ranked[0].confidence < 1.0
                and ranked[0].confidence - ranked[1].confidence < AMBIGUITY_MARGIN
            )
        )
        return MatchResult(text, ambiguous, tuple(ranked))


def _similarity(query: str, name: str, **_: object) -> float:
    """How much ``query`` looks like ``name``, 0–100.

    A name found whole, word for word, inside the query ("office 365" in "office
    365 e3") is a strong sign; the longer the name, the stronger.
    """
    if not query or not name:
        return 0.0
    if query == name:
        return 100.0
    whole = f" {name} " in f" {query} "
    # A short name (OX, SAC) resembles part of almost anything: only whole words count.
    score = float(fuzz.WRatio(query, name) if len(name) > 3 else fuzz.ratio(query, name))
    if whole:
        coverage = len(name) / len(query)
        score = max(score, 90.0 + 9.0 * coverage)
    return score


def _name(catalog: Catalog, kind: str, ident: str) -> str:
    entry = dict(iter(catalog))[kind][ident]
    name = getattr(entry, "name", ident)
    return name.get("en", ident) if isinstance(name, dict) else str(name)


def _prefer_products_over_their_vendor(catalog: Catalog, ranked: Iterable[Match]) -> list[Match]:
    """A product and its own provider matching equally well is not an ambiguity:
    "Microsoft Teams" names the product, and its provider is known from it."""
    ranked = list(ranked)
    products = {m.id: m for m in ranked if m.kind == "product"}
    out = []
    for match in ranked:
        if match.kind == "provider" and any(
            catalog.products[p].provider == match.id and products[p].confidence >= match.confidence
            for p in products
        ):
            continue
        out.append(match)
    return out
