"""Hostile and careless catalog folders (``--catalog DIR``), ``catalog`` options, and
dependency cycles (large inputs)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from souverain.core import limits
from souverain.core.catalog.checks import catalog_stats, stale_facts
from souverain.core.errors import InvalidInput
from souverain.core.estate import validation
from souverain.i18n import problem_text
from souverain.importers.estate import load_estate
from souverain.resources import load_catalog

from .conftest import EXAMPLES

SOUVERAIN = Path(sys.executable).parent / "souverain"
ESTATE = EXAMPLES / "mairie-exemple.yaml"
HEAD = "souverain_catalog: 1\nkind: {kind}\nentries:\n"


def provider(ident: str, owner: str | None = None) -> str:
    owned = f", owner: {owner}" if owner else ""
    return f"  - {{id: {ident}, name: Name of {ident}{owned}, source: s, as_of: 2024-01-01}}\n"


def folder(tmp_path: Path, **files: str) -> Path:
    """A catalog folder holding ``files`` (name → text)."""
    directory = tmp_path / "catalog"
    directory.mkdir(exist_ok=True)
    for name, text in files.items():
        (directory / name.replace("__", ".")).write_text(text, encoding="utf-8")
    return directory


def validate(run, directory: Path) -> tuple[int, dict]:
    result = run("catalog", "validate", "--format", "json", "--catalog", directory)
    assert "Traceback" not in result.output
    return result.exit_code, json.loads(result.stdout)


def no_traceback(result) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output


# Dangling references: file and line of the referring entry.


def test_a_dangling_reference_names_the_file_and_line_of_the_entry(run, tmp_path: Path) -> None:
    directory = folder(
        tmp_path,
        providers__yaml=HEAD.format(kind="provider") + provider("acme", "nobody-here"),
        products__yaml=HEAD.format(kind="product")
        + "  - id: anvil\n    name: Anvil\n    category: erp\n    provider: ghost-vendor\n"
        "    source: s\n    as_of: 2024-01-01\n",
    )
    code, report = validate(run, directory)
    assert code == 1
    where = {(e["file"], e["line"], e["field"], e["found"]) for e in report["errors"]}
    assert where == {
        (str(directory / "providers.yaml"), 4, "entries[0].owner", "'nobody-here'"),
        (str(directory / "products.yaml"), 7, "entries[0].provider", "'ghost-vendor'"),
    }
    result = run("audit", ESTATE, "--catalog", directory)
    assert result.exit_code == 1
    assert f"{directory / 'providers.yaml'}:4" in result.output and "?:" not in result.output


# Cycles: every one, once, in order, located at one member.


def test_every_ownership_cycle_of_a_catalog_is_reported_once(run, tmp_path: Path) -> None:
    directory = folder(
        tmp_path,
        providers__yaml=HEAD.format(kind="provider")
        + provider("a1", "a2")
        + provider("a2", "a1")
        + provider("b1", "b2")
        + provider("b2", "b3")
        + provider("b3", "b1")
        + provider("self", "self")
        + provider("fine", "a1"),
    )
    code, report = validate(run, directory)
    assert code == 1
    cycles = [(e["line"], e["found"]) for e in report["errors"]]
    assert cycles == [(4, "a1 → a2 → a1"), (6, "b1 → b2 → b3 → b1"), (9, "self → self")]


def test_an_ownership_cycle_is_refused_by_every_command(run, tmp_path: Path) -> None:
    directory = folder(
        tmp_path,
        providers__yaml=HEAD.format(kind="provider") + provider("a1", "a2") + provider("a2", "a1"),
    )
    for command in (
        ("audit", ESTATE),
        ("roadmap", ESTATE),
        ("catalog", "stats"),
        ("catalog", "show", "a1"),
    ):
        result = run(*command, "--catalog", directory)
        no_traceback(result)
        assert result.exit_code == 1, command
        assert f"{directory / 'providers.yaml'}:4" in result.output
        assert "ownership cycle" in result.output and "a1 → a2 → a1" in result.output


def test_an_ownership_loop_through_a_joint_venture_names_every_member(tmp_path: Path) -> None:
    # x is owned by y and z, each owned by x: one loop, two cycles through x.
    graph = {"x": ["y", "z"], "y": ["x"], "z": ["x"], "w": ["x"]}
    [cycle] = validation.find_cycles(graph, graph.__getitem__)
    assert cycle.path == ["x", "y", "x"] and cycle.others == ["z"]
    assert problem_text("en", cycle.text()) == "x → y → x; also in this loop: z"


def test_every_estate_dependency_cycle_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "estate.yaml"
    path.write_text(
        "souverain: 1\norganisation: {name: Test, country: FR}\n"
        "assets:\n"
        "  - {id: a, depends_on: [b]}\n"
        "  - {id: b, depends_on: [a]}\n"
        "  - {id: c, depends_on: [d]}\n"
        "  - {id: d, depends_on: [e]}\n"
        "  - {id: e, depends_on: [c]}\n"
        "  - {id: f, depends_on: [a]}\n"
        "providers:\n"
        "  - {id: p, subcontractors: [q]}\n"
        "  - {id: q, subcontractors: [p]}\n"
        "  - {id: r, subcontractors: [r]}\n",
        encoding="utf-8",
    )
    with pytest.raises(InvalidInput) as caught:
        load_estate(path)
    cycles = [
        (p.line, p.field(), problem_text("en", p.found))
        for p in caught.value.problems
        if "cycle" in problem_text("en", p.message)
    ]
    assert cycles == [
        (4, "assets[0].depends_on", "a → b → a"),
        (6, "assets[2].depends_on", "c → d → e → c"),
        (11, "providers[0].subcontractors", "p → q → p"),
        (13, "providers[2].subcontractors", "r → r"),
    ]


def test_a_long_dependency_chain_and_ring_are_checked_quickly() -> None:
    count = 100_000
    chain = {str(i): [str(i + 1)] for i in range(count)} | {str(count): []}
    started = time.perf_counter()
    assert validation.find_cycles(chain, chain.__getitem__) == []
    ring = chain | {str(count): ["0"]}
    [cycle] = validation.find_cycles(ring, ring.__getitem__)
    assert len(cycle.path) == count + 2 and cycle.others == []
    assert time.perf_counter() - started < 5


# Files of a catalog folder: every problem, one run; only regular files.


def test_every_unreadable_catalog_file_is_reported_in_one_run(run, tmp_path: Path) -> None:
    directory = folder(tmp_path, a__yaml="entries: [unclosed\n", b__yaml="x: 1\n")
    (directory / "c.yaml").write_bytes(b"kind: \xff\xfe\n")
    (directory / "d.json").write_text('{"souverain_catalog": 1,}', encoding="utf-8")
    (directory / "e.yaml").write_text(
        HEAD.format(kind="provider") + "  - {id: x, source: s, as_of: 2024-01-01}\n",
        encoding="utf-8",
    )
    code, report = validate(run, directory)
    assert code == 1
    files = sorted(Path(e["file"]).name for e in report["errors"])
    assert files == ["a.yaml", "b.yaml", "c.yaml", "d.json", "e.yaml"], report["errors"]


def test_a_folder_without_catalog_files_is_an_error(run, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    code, report = validate(run, empty)
    assert code == 1
    [error] = report["errors"]
    assert error["file"] == str(empty) and error["message"] == "no catalog file"
    assert error["found"] == "nothing"
    notes = folder(tmp_path, README__md="# notes\n", providers__txt="x\n")
    code, report = validate(run, notes)
    assert code == 1
    assert report["errors"][0]["found"] == "only other files: README.md, providers.txt"
    result = run("catalog", "validate", "--catalog", empty, "--lang", "fr")
    assert "aucun fichier de catalogue" in result.output


def test_upper_case_suffixes_are_read_as_yaml_and_json(run, tmp_path: Path) -> None:
    directory = folder(tmp_path, providers__YAML=HEAD.format(kind="provider") + provider("acme"))
    (directory / "more.Json").write_text(
        json.dumps(
            {
                "souverain_catalog": 1,
                "kind": "provider",
                "entries": [{"id": "zenith", "name": "Z", "source": "s", "as_of": "2024-01-01"}],
            }
        ),
        encoding="utf-8",
    )
    for ident in ("acme", "zenith"):
        result = run("catalog", "show", ident, "--format", "json", "--catalog", directory)
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout)["file"].lower().endswith((".yaml", ".json"))


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_or_a_directory_named_like_a_catalog_file_is_refused(tmp_path: Path) -> None:
    directory = folder(tmp_path, real__yaml=HEAD.format(kind="provider") + provider("acme"))
    os.mkfifo(directory / "providers.yaml")
    (directory / "products.yaml").mkdir()
    (directory / "broken.yaml").symlink_to(tmp_path / "nowhere.yaml")
    result = subprocess.run(
        [SOUVERAIN, "catalog", "validate", "--format", "json", "--catalog", directory],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 1, result.stderr
    errors = {Path(e["file"]).name: e["found"] for e in json.loads(result.stdout)["errors"]}
    assert errors == {
        "providers.yaml": "a FIFO (named pipe)",
        "products.yaml": "a directory",
        "broken.yaml": "nothing at this path",
    }


# Options: bounded, usage errors naming the option, the range and the value.


def test_older_than_is_bounded(run) -> None:
    for value in ("30000", "0", "-5", str(10**30)):
        result = run("catalog", "stats", "--older-than", value)
        no_traceback(result)
        assert result.exit_code == 2, (value, result.output)
        assert "--older-than" in result.output and value in result.output
        assert f"1 to {limits.MAX_STALE_MONTHS}" in result.output
    result = run("catalog", "stats", "--older-than", "30000", "--lang", "fr")
    assert f"de 1 à {limits.MAX_STALE_MONTHS}" in result.output
    assert run("catalog", "stats", "--older-than", limits.MAX_STALE_MONTHS).exit_code == 0


def test_stale_facts_before_the_first_day_of_the_calendar() -> None:
    catalog = load_catalog()
    assert stale_facts(catalog, date(1, 1, 1), 24) == []
    assert stale_facts(catalog, date(1, 6, 1), limits.MAX_STALE_MONTHS) == []
    assert catalog_stats(catalog, date(9999, 12, 31), -(10**6))["stale"] > 0


def test_a_very_long_query_is_refused_at_once(run) -> None:
    query = " ".join(f"microsoft office{i}" for i in range(6000))[:90_000]
    for command in ("match", "search"):
        started = time.perf_counter()
        result = run("catalog", command, query)
        assert time.perf_counter() - started < 10
        no_traceback(result)
        assert result.exit_code == 2, result.output
        assert f"at most {limits.MAX_QUERY_CHARS} characters" in result.output
        assert "90000 characters" in result.output
    assert run("catalog", "match", "x" * limits.MAX_QUERY_CHARS).exit_code in (0, 1)


# Large catalogs: loading and checking stay fast.


def test_a_catalog_of_many_entries_and_a_deep_owner_chain_is_checked_fast(
    run, tmp_path: Path
) -> None:
    count = 20_000
    entries = "".join(
        provider(f"p{i}", f"p{i + 1}" if i + 1 < count else None) for i in range(count)
    )
    directory = folder(tmp_path, providers__yaml=HEAD.format(kind="provider") + entries)
    started = time.perf_counter()
    code, report = validate(run, directory)
    assert code == 0, report["errors"][:3]
    assert time.perf_counter() - started < 15


def test_a_one_megabyte_name_loads_fast(run, tmp_path: Path) -> None:
    name = "x" * 1_000_000
    directory = folder(
        tmp_path,
        providers__yaml=HEAD.format(kind="provider")
        + f"  - {{id: longy, name: {name}, source: s, as_of: 2024-01-01}}\n",
    )
    started = time.perf_counter()
    assert run("catalog", "stats", "--catalog", directory).exit_code == 0
    assert run("catalog", "match", "microsoft teams", "--catalog", directory).exit_code == 0
    assert time.perf_counter() - started < 10
