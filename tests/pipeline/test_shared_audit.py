"""The audit's rows worked out, and its JSON and HTML rows rendered, in two processes
(souverain.parallel.split_map, as the CLI's pipeline does on a large estate) are those
worked out here: same JSON, same roadmap, whatever share each asset fell in."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from souverain import parallel
from souverain.core.planning.generation import generate_actions
from souverain.core.planning.roadmap import build_roadmap
from souverain.core.scoring.audit import audit
from souverain.exporters.html import HtmlExporter
from souverain.exporters.json import JsonExporter
from souverain.importers.estate import load_estate
from souverain.pipeline import Pipeline
from souverain.resources import load_catalog, load_methodology

EXAMPLES = Path(__file__).parents[2] / "examples"
TODAY = date(2026, 6, 1)


@pytest.mark.parametrize("name", ["forges-bourgogne", "mairie-exemple", "assurance-mutuelle"])
def test_an_audit_shared_with_a_child_is_the_audit_done_here(
    name: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    estate = load_estate(EXAMPLES / f"{name}.yaml")
    catalog = load_catalog([])
    methodology = load_methodology()
    alone = audit(estate, methodology, catalog, TODAY)
    monkeypatch.setattr(parallel, "MINIMUM", 1)  # fork, even for an example
    scorers = tmp_path / "pids"

    def mapper(work, items):  # type: ignore[no-untyped-def]
        def watched(share):  # type: ignore[no-untyped-def]
            with scorers.open("a") as out:  # each process that scores a share
                out.write(f"{os.getpid()}\n")
            return work(share)

        return parallel.split_map(watched, items)

    shared = audit(estate, methodology, catalog, TODAY, mapper=mapper)
    pids = set(scorers.read_text().split())
    assert len(pids) == 2 and str(os.getpid()) in pids  # a share was scored in a child
    whole = JsonExporter().render(alone, "en")
    assert JsonExporter().render(shared, "en") == whole
    # The JSON's rows serialised half in a child: the same bytes.
    assert b"".join(JsonExporter().pieces(alone, "en", parallel.split_map)) == whole
    # The HTML page's rows and reasons rendered half in a child: the same page.
    page = HtmlExporter().render(alone, "fr")
    assert b"".join(HtmlExporter().pieces(alone, "fr", parallel.split_map)) == page
    assert shared.dependencies == alone.dependencies
    assert build_roadmap(shared, generate_actions(shared, catalog), catalog) == build_roadmap(
        alone, generate_actions(alone, catalog), catalog
    )


def test_the_pipeline_shares_a_large_audit_and_tells_progress_here_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(parallel, "MINIMUM", 1)
    parent = os.getpid()
    told: list[tuple[int, int, bool]] = []

    class Told:
        def __init__(self, total: int) -> None:
            self.total = total

        def __enter__(self):  # type: ignore[no-untyped-def]
            return lambda done, total: told.append((done, total, os.getpid() == parent))

        def __exit__(self, *_: object) -> None:
            return None

    path = EXAMPLES / "forges-bourgogne.yaml"
    with Pipeline(progress=Told) as run:
        shared = run.audit(path, None, [], TODAY)
    alone = audit(load_estate(path), load_methodology(), load_catalog([]), TODAY)
    assert shared.dependencies == alone.dependencies
    assert told and all(here for _, _, here in told)
    assert told[-1][0] == told[-1][1] == len(alone.estate.assets)
