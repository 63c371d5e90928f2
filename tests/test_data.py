"""The data shipped with souverain: catalog, methodology, labels and examples."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from souverain.core.catalog.model import Catalog
from souverain.core.scoring.audit import audit
from souverain.i18n import labels
from souverain.importers.estate import load_estate
from souverain.resources import load_catalog, load_methodology

EXAMPLES = sorted((Path(__file__).parents[1] / "examples").glob("*.yaml"))


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def test_french_and_english_labels_have_the_same_keys() -> None:
    assert set(labels("fr")) == set(labels("en"))


def test_methodology_texts_exist_in_both_languages() -> None:
    methodology = load_methodology()
    texts = [rule.text for axis in methodology.axes.values() for rule in axis.rules]
    texts += [axis.clear for axis in methodology.axes.values()]
    texts += [criterion.text for criterion in methodology.exit.criteria]
    for text in texts:
        assert text.get("en") and text.get("fr"), text


def test_shipped_catalog_loads_with_sources(catalog: Catalog) -> None:
    assert {"US", "FR", "DE", "IE", "LU"} <= set(catalog.jurisdictions)
    for kind, table in catalog:
        for entry in table.values():
            if kind == "category":
                continue
            assert getattr(entry, "source", ""), (kind, entry)
            assert getattr(entry, "as_of", None) <= date.today(), (kind, entry)


def test_owner_chain_of_an_eu_subsidiary_reaches_its_parent(catalog: Catalog) -> None:
    chain = [p.id for p in catalog.owner_chain("aws-emea")]
    assert chain[0] == "aws-emea"
    assert chain[-1] == "amazon"


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_examples_load_and_link_to_the_catalog(path: Path, catalog: Catalog) -> None:
    estate = load_estate(path)
    assert len(estate.processes) >= 8
    assert len(estate.assets) >= 15
    for provider in estate.providers:
        assert provider.catalog is None or provider.catalog in catalog.providers
    for asset in estate.assets:
        assert asset.product is None or asset.product in catalog.products
        assert asset.category is None or asset.category in catalog.categories


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_examples_reveal_foreign_reach(path: Path, catalog: Catalog) -> None:
    result = audit(load_estate(path), load_methodology(), catalog, date(2026, 11, 23))
    worst = result.dependencies[0]
    assert worst.level in ("critical", "high")
    assert any(d.exposure["jurisdiction"].score == 4 for d in result.dependencies)


def test_examples_cover_the_three_stories() -> None:
    assert [p.stem for p in EXAMPLES] == [
        "assurance-mutuelle",
        "forges-bourgogne",
        "mairie-exemple",
    ]
