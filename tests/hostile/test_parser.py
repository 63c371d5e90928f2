"""The document parser under hostile and careless input.

Every estate, catalog file, methodology, plan and ``diff`` input goes through
``souverain.importers.document``: whatever the bytes, it answers with located
problems, never a crash (segmentation fault, traceback), a hang or a silent
misreading. Inputs that could crash or hang the interpreter run in a child process
with a timeout, so that a regression fails its test rather than the test run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from souverain.core.errors import InvalidInput
from souverain.core.limits import (
    MAX_AUDIT_JSON_BYTES,
    MAX_FILE_BYTES,
    MAX_INT_DIGITS,
    MAX_NESTING_DEPTH,
)
from souverain.i18n import problem_text
from souverain.importers.document import fast_data, parse_text
from souverain.importers.estate import load_estate

SOUVERAIN = Path(sys.executable).with_name("souverain")
EXAMPLES = Path(__file__).parents[2] / "examples"
FORGES = EXAMPLES / "forges-bourgogne.yaml"
MIB = 1024 * 1024

HEAD = "souverain: 1\norganisation: {name: Org, country: FR}\n"
JSON_HEAD = '{"souverain": 1, "organisation": {"name": "Org", "country": "FR"},\n'


def cli(*args: object, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """The CLI in a child process (a crash or a hang fails only this test)."""
    env = {**os.environ, "COLUMNS": "500", "NO_COLOR": "1"}
    return subprocess.run(
        [str(SOUVERAIN), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )


def refused(result: subprocess.CompletedProcess[str], *fragments: str) -> str:
    """Exit 1 with located problems that contain every fragment."""
    assert result.returncode == 1, (result.returncode, result.stderr[-800:])
    assert "Traceback" not in result.stderr, result.stderr[-800:]
    for fragment in fragments:
        assert fragment in result.stderr, (fragment, result.stderr[-800:])
    return result.stderr


def problems(text: str, name: str = "estate.yaml", json_format: bool = False) -> list:
    """The problems parse_text reports for ``text`` (it must report some)."""
    with pytest.raises(InvalidInput) as caught:
        parse_text(text, name, json_format=json_format)
    return list(caught.value.problems)


# --- nesting: block sequences and mappings, and brackets hidden by strings --------

DASHES = HEAD + "assets:\n  - " + "- " * 30_000 + "x\n"  # 60 kB; yaml-rs and libyaml crashed


def _catalog_dir(tmp_path: Path, body: str) -> Path:
    folder = tmp_path / "catalog"
    folder.mkdir()
    (folder / "providers.yaml").write_text(
        "souverain_catalog: 1\nkind: provider\nentries:\n" + body, encoding="utf-8"
    )
    return folder


@pytest.mark.parametrize("where", ["estate", "catalog", "diff"])
def test_nested_block_sequences_are_refused_with_their_line(tmp_path: Path, where: str) -> None:
    limit = f"at most {MAX_NESTING_DEPTH} nested levels"
    if where == "estate":
        path = tmp_path / "estate.yaml"
        path.write_text(DASHES)
        refused(cli("audit", path), f"{path}:4: nested too deeply", limit)
    elif where == "catalog":
        folder = _catalog_dir(tmp_path, "  - " + "- " * 30_000 + "x\n")
        refused(cli("audit", FORGES, "--catalog", folder), "providers.yaml:4:", limit)
    else:
        path = tmp_path / "old.yaml"
        path.write_text(DASHES)
        refused(cli("diff", path, FORGES), f"{path}:4: nested too deeply", limit)


def test_nested_block_mappings_are_refused_at_the_level_over_the_limit() -> None:
    # Each key one space deeper than its parent: level n opens on line n + 1.
    text = "".join(" " * level + "k:\n" for level in range(400)) + " " * 400 + "v\n"
    assert fast_data(text) is None
    [problem] = problems(text)
    assert (problem_text("en", problem.message), problem.line) == (
        "nested too deeply",
        MAX_NESTING_DEPTH + 1,
    )
    assert problem_text("en", problem.expected).startswith(
        f"at most {MAX_NESTING_DEPTH} nested levels"
    )


@pytest.mark.parametrize(
    "text, line",
    [
        (HEAD + "assets:\n  - " + "? " * 30_000 + "x\n", 4),
        (HEAD + "assets: " + '["]", ' * 30_000 + "\n", 3),
        (JSON_HEAD + '"assets": ' + "[" * 5_000 + "]" * 5_000 + "}\n", 2),
        (JSON_HEAD + '"assets": ' + '{"a": ' * 5_000 + "1" + "}" * 5_001 + "\n", 2),
        (JSON_HEAD + '"assets": ' + '["]", ' * 30_000 + "\n", 2),
    ],
    ids=["explicit keys", "brackets behind strings", "json arrays", "json objects", "json strings"],
)
def test_deep_nesting_of_any_form_is_a_located_problem(
    tmp_path: Path, text: str, line: int
) -> None:
    path = tmp_path / ("estate.json" if text.startswith("{") else "estate.yaml")
    path.write_text(text)
    refused(cli("audit", path), f"{path}:{line}: nested too deeply")


def test_a_deep_document_made_of_shallow_lines_is_refused() -> None:
    # Indentation, dashes and brackets together go past the limit; none alone does.
    lines = [" " * (2 * n) + "- " * 2 + "k:" for n in range(0, 60)]
    text = "\n".join(lines) + " " + "[" * 150 + "]" * 150 + "\n"
    [problem] = problems(text)
    assert problem_text("en", problem.message) == "nested too deeply" and problem.line is not None


# --- an alias bomb holding one duplicate key -------------------------------------


def test_a_duplicate_key_behind_an_alias_bomb_is_located_at_once(tmp_path: Path) -> None:
    # 10^8 paths lead to the innermost list; the duplicate is elsewhere, found last.
    lines = ["dup: {x: 1, x: 2}", "l0: &l0 [a, b]"]
    lines += [f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 10) + "]" for i in range(1, 9)]
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n")
    assert path.stat().st_size < 1024
    refused(cli("audit", path, timeout=30), f"{path}:1: dup.x: duplicate key")


def test_a_duplicate_inside_an_aliased_mapping_is_named_where_its_anchor_is(
    tmp_path: Path,
) -> None:
    # The duplicate's mapping is reached through 10^11 alias paths; it is named by the
    # shortest, where the anchor is written, not by one deep inside the bomb.
    lines = ["a0: &a0 {k: 1, k: 2}"]
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 12)]
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n")
    refused(cli("audit", path, timeout=30), f"{path}:1: a0.k: duplicate key")


# --- devices and FIFOs: what is read is capped, not what stat says ---------------


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_an_endless_device_is_refused_quickly(device: str) -> None:
    refused(cli("audit", device, timeout=30), f"{device}: binary file")


def test_an_endless_text_stream_stops_at_the_size_limit() -> None:
    # `yes` writes "y\n" forever: text, never binary; reading stops past the limit.
    run = subprocess.run(
        f"yes | {SOUVERAIN} audit /dev/stdin",
        shell=True,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "COLUMNS": "500"},
    )
    refused(run, "file too large", f"at most {MAX_FILE_BYTES // MIB} MiB", "more than")


def test_a_fifo_with_no_writer_is_an_empty_file(tmp_path: Path) -> None:
    fifo = tmp_path / "estate.yaml"
    os.mkfifo(fifo)
    refused(cli("audit", fifo, timeout=30), f"{fifo}:1: empty file")


def test_a_fifo_in_a_catalog_folder_does_not_hang(tmp_path: Path) -> None:
    folder = tmp_path / "catalog"
    folder.mkdir()
    os.mkfifo(folder / "providers.yaml")
    refused(cli("catalog", "validate", "--catalog", folder, timeout=30), "providers.yaml")


def test_a_pipe_with_a_writer_is_read_whole() -> None:
    run = subprocess.run(
        ["bash", "-c", f'"{SOUVERAIN}" audit <(cat "{FORGES}") -f json'],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr[-800:]
    assert json.loads(run.stdout)["dependencies"]


# --- duplicate keys in JSON, as in YAML ------------------------------------------

DUPLICATE = JSON_HEAD + (
    '"processes": [{"id": "p", "criticality": "vital",\n'
    '  "criticality": "minor", "max_downtime": "1d", "depends_on": ["a"]}],\n'
    '"assets": [{"id": "a"}]}\n'
)


def test_a_duplicate_key_in_a_json_estate_is_refused(run, tmp_path: Path) -> None:
    path = tmp_path / "estate.json"
    path.write_text(DUPLICATE)
    result = run("audit", path)
    assert result.exit_code == 1, result.output
    assert f"{path}:3: processes[0].criticality: duplicate key" in result.output


def test_a_duplicate_key_in_a_json_catalog_file_is_refused(run, tmp_path: Path) -> None:
    folder = tmp_path / "catalog"
    folder.mkdir()
    (folder / "providers.json").write_text(
        '{"souverain_catalog": 1, "kind": "provider", "entries": [\n'
        '{"id": "x", "name": "X", "country": "FR",\n "country": "US", "source": "s",'
        ' "as_of": "2026-01-01"}]}\n'
    )
    result = run("audit", FORGES, "--catalog", folder)
    assert result.exit_code == 1, result.output
    assert "providers.json:3: entries[0].country: duplicate key" in result.output


def test_the_fast_json_path_refuses_duplicates_hidden_in_escapes() -> None:
    # "\u003a" is a colon: counting colons must not be fooled by escaped ones.
    text = '{"a\\u003a": 1, "b": {"c": 2, "c": 3}}'
    assert fast_data(text, json_format=True) is None
    assert fast_data('{"a\\u003a": 1, "b": {"c": 2}}', json_format=True) == {
        "a:": 1,
        "b": {"c": 2},
    }


# --- non-finite numbers ---------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [".inf", "-.inf", "+.INF", ".nan", ".NaN", "1e400", "-1.5e999", "9" * 400 + ".0"],
)
def test_a_non_finite_yaml_number_is_refused(run, tmp_path: Path, value: str) -> None:
    path = tmp_path / "estate.yaml"
    path.write_text(HEAD + f"assets:\n  - id: a\n    exit: {{effort_days: {value}}}\n")
    result = run("audit", path)
    assert result.exit_code == 1, result.output
    assert f"{path}:5: assets[0].exit.effort_days: not a finite number" in result.output


@pytest.mark.parametrize("value", ["Infinity", "-Infinity", "NaN", "1e400", "-2E+999"])
def test_a_non_finite_json_number_is_refused(run, tmp_path: Path, value: str) -> None:
    path = tmp_path / "estate.json"
    path.write_text(
        JSON_HEAD + f'"assets": [{{"id": "a",\n "exit": {{"effort_days": {value}}}}}]}}'
    )
    result = run("audit", path)
    assert result.exit_code == 1, result.output
    assert f"{path}:3: assets[0].exit.effort_days: not a finite number" in result.output


# --- huge integers --------------------------------------------------------------


@pytest.mark.parametrize("digits", [MAX_INT_DIGITS + 1, 5_000, 100_000])
@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_an_integer_with_too_many_digits_is_refused(
    run, tmp_path: Path, digits: int, suffix: str
) -> None:
    number = "7" * digits
    path = tmp_path / f"estate{suffix}"
    if suffix == ".json":
        path.write_text(
            JSON_HEAD + '"contracts": [{"id": "c", "provider": "p",\n'
            f' "clauses": {{"termination_notice_days": {number}}}}}]}}'
        )
    else:
        path.write_text(
            HEAD + "contracts:\n  - id: c\n    provider: p\n"
            f"    clauses: {{termination_notice_days: {number}}}\n"
        )
    line = 3 if suffix == ".json" else 6
    result = run("audit", path)
    assert result.exit_code == 1, result.output
    assert (
        f"{path}:{line}: contracts[0].clauses.termination_notice_days: number too long"
        f" — expected: an integer of at most {MAX_INT_DIGITS} digits;"
        f" found: an integer of {digits} digits"
    ) in " ".join(result.output.split())


def test_integers_in_other_bases_and_with_underscores_are_bounded_too() -> None:
    [problem] = problems("a: 0x" + "f" * 90 + "\n")
    assert problem_text("en", problem.message) == "number too long"
    assert parse_text("a: 0x" + "0" * 200 + "1_0\nb: 1_000\n", "x").data == {"a": 16, "b": 1000}


# --- control characters -------------------------------------------------------


@pytest.mark.parametrize(
    "suffix, name, code",
    [
        (".yaml", '"\\e[2J"', "U+001B"),
        (".yaml", '"\\x1b]0;title\\x07"', "U+001B"),
        (".yaml", '"bell\\u0007"', "U+0007"),
        (".yaml", '"nul\\0"', "U+0000"),
        (".yaml", '"next\\N line"', "U+0085"),
        (".yaml", "raw\x1b[2J", "U+001B"),
        (".yaml", "raw\x85next", "U+0085"),
        (".json", '"\\u001b[2J"', "U+001B"),
        (".json", '"del\x7f"', "U+007F"),
        (".json", '"c1\x9b2J"', "U+009B"),
    ],
)
def test_a_control_character_in_a_value_is_refused(
    run, tmp_path: Path, suffix: str, name: str, code: str
) -> None:
    path = tmp_path / f"estate{suffix}"
    if suffix == ".json":
        path.write_text(JSON_HEAD + f'"assets": [{{"id": "a",\n "name": {name}}}]}}')
    else:
        path.write_text(HEAD + f"assets:\n  - id: a\n    name: {name}\n")
    result = run("audit", path)
    line = 3 if suffix == ".json" else 5
    assert result.exit_code == 1, result.output
    assert f"{path}:{line}: assets[0].name: control character" in result.output
    assert code in result.output


def test_a_control_character_in_a_key_is_refused_and_not_printed(run, tmp_path: Path) -> None:
    path = tmp_path / "estate.yaml"
    path.write_text(HEAD + 'assets:\n  - id: a\n    "na\\x1bme": x\n')
    result = run("audit", path)
    assert result.exit_code == 1, result.output
    assert f"{path}:5: assets[0].name: control character" in result.output
    assert "U+001B" in result.output and "\x1b" not in result.output


@pytest.mark.parametrize("kind", ["catalog", "methodology", "plan"])
def test_control_characters_are_refused_in_every_kind_of_file(
    run, tmp_path: Path, kind: str
) -> None:
    if kind == "catalog":
        folder = _catalog_dir(tmp_path, '  - {id: x, name: "X\\a", country: FR}\n')
        result = run("audit", FORGES, "--catalog", folder)
        where = f"{folder / 'providers.yaml'}:4: entries[0].name"
    elif kind == "methodology":
        path = tmp_path / "methodology.yaml"
        path.write_text('souverain_methodology: 1\ntitle: "\\e[2J"\n')
        result = run("audit", FORGES, "--methodology", path)
        where = f"{path}:2: title"
    else:
        path = tmp_path / "plan.yaml"
        path.write_text('souverain_plan: 1\nactions:\n  governance: {note: "\\u0007"}\n')
        result = run("roadmap", FORGES, "--plan", path)
        where = f"{path}:3: actions.governance.note"
    assert result.exit_code == 1, result.output
    assert f"{where}: control character" in result.output


def test_tabs_and_line_breaks_are_text(run, tmp_path: Path) -> None:
    path = tmp_path / "estate.yaml"
    path.write_text(HEAD + 'assets:\n  - id: a\n    name: "tab\\there\\r\\nand a line"\n')
    result = run("audit", path, "-f", "json")
    assert result.exit_code == 0, result.output


# --- diff reads the audit's own output, however large ---------------------------


def test_a_large_audit_json_is_diffable_and_sizes_are_in_mib(run, tmp_path: Path) -> None:
    audit = tmp_path / "audit.json"
    assert run("audit", FORGES, "-f", "json", "-o", audit).exit_code == 0
    # Past the 64 MiB of an estate (a 10,000-asset estate's audit is 61 MiB).
    with audit.open("a") as stream:
        stream.write("\n" + " " * (MAX_FILE_BYTES + MIB))
    assert MAX_FILE_BYTES < audit.stat().st_size < MAX_AUDIT_JSON_BYTES
    result = run("diff", audit, audit, "-f", "json")
    assert result.exit_code == 0, result.output
    # The same size is too large for an estate: the message speaks MiB, like the docs.
    estate = tmp_path / "estate.yaml"
    estate.write_text("souverain: 1\n# " + "x" * (MAX_FILE_BYTES + MIB) + "\n")
    result = run("diff", estate, FORGES)
    assert result.exit_code == 1, result.output
    assert (
        f"file too large — expected: at most {MAX_FILE_BYTES // MIB} MiB;"
        f" found: {estate.stat().st_size / MIB:.1f} MiB"
    ) in result.output


# --- large inputs -----------------------------------------------------------------


def test_a_one_megabyte_name_is_read_quickly(tmp_path: Path) -> None:
    # Validation may bound names (a located refusal); the parser must not be the slow part.
    path = tmp_path / "estate.yaml"
    path.write_text(HEAD + "assets:\n  - id: a\n    name: " + "n" * 1_000_000 + "\n")
    start = time.perf_counter()
    try:
        assert len(load_estate(path).assets[0].name or "") == 1_000_000
    except InvalidInput as error:
        assert [(p.path, p.line) for p in error.problems] == [(("assets", 0, "name"), 5)]
    assert time.perf_counter() - start < 2
