"""Free-text names to catalog entries: exact, alias, fuzzy, ambiguous."""

from __future__ import annotations

import pytest

from souverain.core.catalog.matching import Matcher, normalise
from souverain.core.catalog.model import Catalog
from souverain.resources import load_catalog


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(load_catalog())


def test_normalising_drops_case_accents_punctuation_legal_forms_and_purchase_words() -> None:
    assert normalise("Office 365 E3 licences") == "office 365 e3"
    assert normalise("Télécom de France S.A.S.") == "telecom france"
    assert normalise("OVH SAS") == "ovh"
    assert normalise("Abonnement annuel Dropbox") == "dropbox"


def test_the_issue_example_finds_microsoft_365_by_its_alias(matcher: Matcher) -> None:
    result = matcher.match("Office 365 E3 licences")
    assert not result.ambiguous
    assert result.best is not None
    assert (result.best.id, result.best.kind) == ("microsoft-365", "product")
    assert 0.9 <= result.best.confidence < 1.0  # not exact: "E3" is left over


def test_an_exact_name_is_certain(matcher: Matcher) -> None:
    best = matcher.match("Microsoft 365").best
    assert best is not None and (best.id, best.confidence) == ("microsoft-365", 1.0)


def test_an_exact_alias_is_certain(matcher: Matcher) -> None:
    best = matcher.match("azure active directory").best
    assert best is not None and (best.id, best.confidence) == ("entra-id", 1.0)


def test_a_legal_form_does_not_stop_a_provider_match(matcher: Matcher) -> None:
    best = matcher.match("OVH SAS").best
    assert best is not None and best.id == "ovhcloud" and best.kind == "provider"


def test_a_misspelt_name_is_found_with_less_confidence(matcher: Matcher) -> None:
    best = matcher.match("Micro soft").best
    assert best is not None and best.id == "microsoft"
    assert 0.6 <= best.confidence < 1.0


def test_text_that_names_nothing_matches_nothing(matcher: Matcher) -> None:
    result = matcher.match("zzzz qqqq")
    assert result.matches == () and not result.ambiguous and result.best is None


def test_matches_come_best_first(matcher: Matcher) -> None:
    confidences = [m.confidence for m in matcher.match("Google Workspace Business").matches]
    assert confidences == sorted(confidences, reverse=True)


def test_a_product_and_its_own_vendor_are_not_an_ambiguity(test_catalog: Catalog) -> None:
    # "Microsoft Teams" could be read as the vendor; the product says more.
    best = Matcher(load_catalog()).match("Microsoft Teams").best
    assert best is not None and best.id == "microsoft-teams"


def _two_vendors() -> Catalog:
    from souverain.core.catalog.model import CatalogDocument, build_catalog

    def provider(ident: str, name: str, aliases: list[str]) -> dict[str, object]:
        return {"id": ident, "name": name, "aliases": aliases, "source": "t", "as_of": "2026-01-01"}

    return build_catalog(
        [
            [
                CatalogDocument(
                    "p.yaml",
                    {
                        "souverain_catalog": 1,
                        "kind": "provider",
                        "entries": [
                            provider("atlas-fr", "Atlas Informatique SAS", ["Atlas"]),
                            provider("atlas-de", "Atlas Software GmbH", ["Atlas"]),
                            provider("nordcloud", "Nordcloud Oy", []),
                            provider("nordic-cloud", "Nordic Cloud AB", []),
                        ],
                    },
                )
            ]
        ]
    )


def test_two_entries_with_the_same_alias_are_ambiguous_never_picked() -> None:
    result = Matcher(_two_vendors()).match("Atlas")
    assert result.ambiguous and result.best is None
    assert {m.id for m in result.matches[:2]} == {"atlas-fr", "atlas-de"}


def test_two_close_fuzzy_candidates_are_ambiguous() -> None:
    result = Matcher(_two_vendors()).match("Nord cloud")
    assert result.ambiguous, result.matches
    assert {m.id for m in result.matches[:2]} == {"nordcloud", "nordic-cloud"}
