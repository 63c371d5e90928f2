"""Loading an estate file: a valid file loads whole; any bad file raises
:class:`InvalidInput` whose problems each name the file, the line, the field,
what was expected and what was found (docs/estate.md)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from souverain.core.errors import InvalidInput, Problem
from souverain.core.estate.duration import Duration
from souverain.core.estate.model import AnyOf
from souverain.i18n import problem_text
from souverain.importers.estate import load_estate

DATA = Path(__file__).parent.parent / "data"
MB = 1024 * 1024

HEAD = """\
souverain: 1
organisation: {name: Forges de Bourgogne, country: FR}
"""


def write(tmp_path: Path, body: str, name: str = "estate.yaml") -> Path:
    """An estate file: two header lines (souverain, organisation), then ``body``."""
    path = tmp_path / name
    path.write_text(HEAD + textwrap.dedent(body), encoding="utf-8")
    return path


def problems_of(path: Path) -> list[Problem]:
    """Every problem ``load_estate`` reports; any exception but InvalidInput fails."""
    with pytest.raises(InvalidInput) as caught:
        load_estate(path)
    return list(caught.value.problems)


def the_problem(path: Path) -> Problem:
    problems = problems_of(path)
    assert len(problems) == 1, [p.field() for p in problems]
    return problems[0]


# --- a valid estate -------------------------------------------------------------------


def test_the_design_estate_loads_with_every_entry() -> None:
    estate = load_estate(DATA / "forges-mini.yaml")
    # Counted in the file: production, invoicing; sap, integrateur, ovhcloud, aws-emea,
    # amazon; mes, erp, aws-eu-central-1, entra-id, local-accounts, usine; c-erp; payroll.
    assert (
        len(estate.processes),
        len(estate.providers),
        len(estate.assets),
        len(estate.contracts),
        len(estate.processing),
    ) == (2, 5, 6, 1, 1)


def test_the_design_estate_reads_durations_dates_and_groups_as_values() -> None:
    estate = load_estate(DATA / "forges-mini.yaml")
    erp = next(a for a in estate.assets if a.id == "erp")
    assert erp.continuity is not None and erp.continuity.rto == Duration.parse("24h")
    assert erp.exit is not None and erp.exit.export_tested == date(2025, 3, 1)
    assert erp.depends_on == ["aws-eu-central-1", AnyOf(any_of=["entra-id", "local-accounts"])]


def test_country_no_is_read_as_norway_not_false(tmp_path: Path) -> None:
    path = tmp_path / "norway.yaml"
    path.write_text(
        "souverain: 1\n"
        "organisation: {name: Statkraft, country: NO}\n"
        "providers: [{id: telenor, country: NO}]\n"
        "assets: [{id: a, location: {country: NO}}]\n"
    )
    estate = load_estate(path)
    assert estate.organisation.country == "NO"
    assert estate.providers[0].country == "NO"
    assert estate.assets[0].location is not None and estate.assets[0].location.country == "NO"


def test_yes_and_on_stay_text(tmp_path: Path) -> None:
    path = write(tmp_path, "assets: [{id: a, data: [yes, on, off]}]\n")
    assert load_estate(path).assets[0].data == ["yes", "on", "off"]


def test_a_json_estate_loads(tmp_path: Path) -> None:
    path = tmp_path / "estate.json"
    path.write_text(
        '{"souverain": 1, "organisation": {"name": "Acme", "country": "FR"},\n'
        ' "assets": [{"id": "erp", "deployment": "saas"}]}\n'
    )
    estate = load_estate(path)
    assert [a.id for a in estate.assets] == ["erp"]
    assert estate.assets[0].deployment == "saas"


# --- one problem, located -------------------------------------------------------------


def test_wrong_enum_value_names_line_field_and_the_allowed_values(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        processes:
          - id: production
            criticality: vitl
        """,
    )
    problem = the_problem(path)
    assert problem.file == str(path)
    assert problem.line == 5  # 2 header lines, processes, - id, criticality
    assert problem.field() == "processes[0].criticality"
    assert "vital" in problem_text("en", problem.expected)
    assert problem_text("en", problem.found) == "'vitl'"


def test_unknown_asset_in_a_process_depends_on(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        processes:
          - id: production
            criticality: vital
            depends_on: [mes]
        """,
    )
    problem = the_problem(path)
    assert (problem.line, problem.field()) == (6, "processes[0].depends_on[0]")
    assert problem_text("en", problem.message) == "unknown asset"
    assert "assets" in problem_text("en", problem.expected)
    assert problem_text("en", problem.found) == "'mes'"


def test_unknown_asset_in_an_asset_depends_on(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        assets:
          - id: erp
            depends_on: [erp-db, vm]
          - id: erp-db
        """,
    )
    problem = the_problem(path)
    assert (problem.line, problem.field()) == (5, "assets[0].depends_on[1]")
    assert problem_text("en", problem.found) == "'vm'"


def test_unknown_asset_inside_an_any_of_group(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        assets:
          - id: erp
            depends_on:
              - any_of: [entra-id, local-accounts]
          - id: entra-id
        """,
    )
    problem = the_problem(path)
    assert (problem.line, problem.field()) == (6, "assets[0].depends_on[0].any_of[1]")
    assert problem_text("en", problem.found) == "'local-accounts'"


@pytest.mark.parametrize(
    ("body", "line", "field", "message", "found"),
    [
        (
            "assets:\n  - id: erp\n    provider: sap\n",
            5,
            "assets[0].provider",
            "unknown provider",
            "'sap'",
        ),
        (
            "assets:\n  - id: erp\n    contract: c-erp\n",
            5,
            "assets[0].contract",
            "unknown contract",
            "'c-erp'",
        ),
        (
            "providers:\n  - id: aws-emea\n    owner: amazon\n",
            5,
            "providers[0].owner",
            "unknown provider",
            "'amazon'",
        ),
        (
            "providers:\n  - id: integrateur\n    subcontractors: [ovhcloud]\n",
            5,
            "providers[0].subcontractors[0]",
            "unknown provider",
            "'ovhcloud'",
        ),
        (
            "contracts:\n  - id: c-erp\n    provider: sap\n",
            5,
            "contracts[0].provider",
            "unknown provider",
            "'sap'",
        ),
    ],
    ids=["asset-provider", "asset-contract", "owner", "subcontractor", "contract-provider"],
)
def test_unknown_reference_names_the_referring_field(
    tmp_path: Path, body: str, line: int, field: str, message: str, found: str
) -> None:
    problem = the_problem(write(tmp_path, body))
    assert (
        problem.line,
        problem.field(),
        problem_text("en", problem.message),
        problem_text("en", problem.found),
    ) == (
        line,
        field,
        message,
        found,
    )


def test_duplicate_id_names_the_second_entry_and_the_first(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        assets:
          - id: erp
          - id: erp
        """,
    )
    problem = the_problem(path)
    assert (problem.line, problem.field(), problem_text("en", problem.message)) == (
        5,
        "assets[1].id",
        "duplicate id",
    )
    assert "assets[0]" in problem_text("en", problem.found)


def test_asset_dependency_cycle_shows_the_cycle(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        assets:
          - {id: erp, depends_on: [db]}
          - {id: db, depends_on: [vm]}
          - {id: vm, depends_on: [erp]}
        """,
    )
    problem = the_problem(path)
    assert (problem.line, problem.field()) == (4, "assets[0].depends_on")
    assert problem_text("en", problem.found) == "erp → db → vm → erp"


def test_a_cycle_through_an_any_of_group_is_a_cycle(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        assets:
          - {id: erp, depends_on: [{any_of: [db, db-replica]}]}
          - {id: db, depends_on: [erp]}
          - {id: db-replica}
        """,
    )
    assert the_problem(path).found == "erp → db → erp"


def test_subcontractor_cycle_shows_the_cycle(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        providers:
          - {id: integrateur, subcontractors: [ovhcloud]}
          - {id: ovhcloud, subcontractors: [datacenter]}
          - {id: datacenter, subcontractors: [integrateur]}
        """,
    )
    problem = the_problem(path)
    assert problem.field() == "providers[0].subcontractors"
    assert problem_text("en", problem.found) == "integrateur → ovhcloud → datacenter → integrateur"


def test_ownership_cycle_shows_the_cycle(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        providers:
          - {id: holding-a, owner: holding-b}
          - {id: holding-b, owner: holding-a}
        """,
    )
    problem = the_problem(path)
    assert (problem.line, problem.field()) == (4, "providers[0].owner")
    assert problem_text("en", problem.message) == "provider dependency cycle"
    assert problem_text("en", problem.found) == "holding-a → holding-b → holding-a"


def test_malformed_duration(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        processes:
          - id: production
            criticality: vital
            max_downtime: 8x
        """,
    )
    problem = the_problem(path)
    assert (problem.line, problem.field()) == (6, "processes[0].max_downtime")
    assert problem_text("en", problem.expected) == (
        "a duration from 0s to 36525d (100 years), a number and a unit (s, m, h, d or w) "
        "such as 30m, 8h, 5d or 2w"
    )
    assert problem_text("en", problem.found) == "'8x'"


def test_impossible_date(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        providers: [{id: sap}]
        contracts:
          - id: c-erp
            provider: sap
            ends: 2025-13-01
        """,
    )
    problem = the_problem(path)
    assert (problem.line, problem.field()) == (7, "contracts[0].ends")
    assert "ISO 8601" in problem_text("en", problem.expected)
    assert problem_text("en", problem.found) == "'2025-13-01'"


def test_any_of_with_a_single_member(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        assets:
          - id: erp
            depends_on:
              - any_of: [entra-id]
          - id: entra-id
        """,
    )
    problem = the_problem(path)
    assert (problem.line, problem.field()) == (6, "assets[0].depends_on[0].any_of")
    assert problem_text("en", problem.expected) == "at least 2 item(s)"


def test_unknown_field_is_called_a_possible_typo(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        assets:
          - id: erp
            deploymnet: saas
        """,
    )
    problem = the_problem(path)
    assert (problem.line, problem.field()) == (5, "assets[0].deploymnet")
    assert "spelling" in problem_text("en", problem.expected)
    assert problem_text("en", problem.found) == "field 'deploymnet'"


def test_missing_required_field_points_at_its_entry(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        processes:
          - id: production
            max_downtime: 8h
        """,
    )
    problem = the_problem(path)
    assert (problem.line, problem.field()) == (4, "processes[0].criticality")
    assert "required" in problem_text("en", problem.expected)
    assert problem_text("en", problem.found) == "nothing"


# --- several problems -----------------------------------------------------------------


def test_every_problem_is_reported_at_once_in_document_order(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        processes:
          - {id: production, criticality: vitl}
        providers:
          - {id: sap, country: de}
        assets:
          - {id: erp, provider: sp}
          - {id: mes, max_downtime: 8h}
        """,
    )
    problems = problems_of(path)
    assert [(p.line, p.field()) for p in problems] == [
        (4, "processes[0].criticality"),
        (6, "providers[0].country"),
        (8, "assets[0].provider"),
        (9, "assets[1].max_downtime"),
    ]
    assert {p.file for p in problems} == {str(path)}


def test_problems_inside_one_entry_are_in_line_order(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        assets:
          - id: erp
            provider: ghost
            skills: expert
            deployment: cloud
        """,
    )
    assert [p.line for p in problems_of(path)] == [5, 6, 7]


# --- files that are not estates -------------------------------------------------------


def test_non_utf8_bytes_name_their_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(b"souverain: 1\norganisation: {name: \xff\xfe Forges}\n")
    problem = the_problem(path)
    assert (problem.file, problem.line, problem_text("en", problem.message)) == (
        str(path),
        2,
        "not UTF-8 text",
    )
    assert "UTF-8" in problem_text("en", problem.expected)
    assert "0xff" in problem_text("en", problem.found)


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "estate.yaml"
    path.write_bytes(b"\x7fELF\x02\x01\x01\x00\x00\x00souverain: 1\n")
    problem = the_problem(path)
    assert (
        problem.file,
        problem_text("en", problem.message),
        problem_text("en", problem.found),
    ) == (
        str(path),
        "binary file",
        "binary data",
    )
    assert "text" in problem_text("en", problem.expected)


def test_unbalanced_brackets_name_the_line_where_parsing_stops(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        assets:
          - {id: erp, deployment: saas
          - {id: mes}
        processes: []
        """,
    )
    problem = the_problem(path)
    # The flow mapping opened on line 4 is still open when line 5 starts a new entry.
    assert (problem.line, problem_text("en", problem.message)) == (5, "not valid YAML")
    assert "'}'" in problem_text("en", problem.found)


def test_duplicate_yaml_key_names_its_line(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        assets:
          - id: erp
            deployment: saas
            deployment: on-premise
        """,
    )
    problem = the_problem(path)
    assert (problem.line, problem_text("en", problem.message)) == (6, "duplicate key")
    assert "deployment" in problem_text("en", problem.found)


def test_duplicate_yaml_key_names_its_field(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        assets:
          - id: erp
            deployment: saas
            deployment: on-premise
        """,
    )
    assert the_problem(path).field() == "assets[0].deployment"


@pytest.mark.parametrize("content", ["", "\n\n   \n"], ids=["empty", "blank"])
def test_empty_file(tmp_path: Path, content: str) -> None:
    path = tmp_path / "estate.yaml"
    path.write_text(content)
    problem = the_problem(path)
    assert (problem.file, problem.line, problem_text("en", problem.message)) == (
        str(path),
        1,
        "empty file",
    )


def test_a_yaml_list_is_not_an_estate(tmp_path: Path) -> None:
    path = tmp_path / "estate.yaml"
    path.write_text("- erp\n- mes\n")
    problem = the_problem(path)
    assert (problem.line, problem_text("en", problem.message)) == (1, "not an estate")
    assert problem_text("en", problem.found).startswith("a list")


def test_invalid_json_names_the_json_line(tmp_path: Path) -> None:
    path = tmp_path / "estate.json"
    path.write_text(
        '{\n  "souverain": 1,\n  "organisation": {"name": "Acme"},\n'
        '  "assets": [\n    {"id": "erp",}\n  ]\n}\n'
    )
    problem = the_problem(path)
    # The trailing comma on line 5 is where a property name was expected.
    assert (problem.line, problem_text("en", problem.message)) == (5, "not valid JSON")
    assert "double quotes" in problem_text("en", problem.found)


def test_a_json_estate_with_a_bad_value_names_the_json_line(tmp_path: Path) -> None:
    path = tmp_path / "estate.json"
    path.write_text(
        '{\n  "souverain": 1,\n  "organisation": {"name": "Acme"},\n'
        '  "assets": [\n    {"id": "erp",\n     "deployment": "cloud"}\n  ]\n}\n'
    )
    problem = the_problem(path)
    assert (problem.line, problem.field()) == (6, "assets[0].deployment")


def test_missing_file(tmp_path: Path) -> None:
    problem = the_problem(tmp_path / "nowhere.yaml")
    assert problem_text("en", problem.message) == "no such file"


def test_a_directory_is_not_a_file(tmp_path: Path) -> None:
    problem = the_problem(tmp_path)
    assert problem_text("en", problem.message) == "not a file"


# --- hostile files --------------------------------------------------------------------


def test_fifty_megabytes_of_random_bytes_are_refused_as_binary(tmp_path: Path) -> None:
    path = tmp_path / "garbage.yaml"
    with path.open("wb") as stream:
        for _ in range(50):
            stream.write(os.urandom(MB))
    problem = the_problem(path)
    assert problem_text("en", problem.message) == "binary file"


def test_fifty_megabytes_of_non_utf8_bytes_name_the_first_bad_line(tmp_path: Path) -> None:
    # Bytes 0x01..0xff: no NUL, so the file is text-like until byte 0x80 at offset 127,
    # on line 2 (0x0a, the newline, is at offset 9).
    block = bytes(range(1, 256))
    path = tmp_path / "garbage.yaml"
    with path.open("wb") as stream:
        stream.write(block * (50 * MB // len(block)))
    problem = the_problem(path)
    assert (problem.line, problem_text("en", problem.message)) == (2, "not UTF-8 text")
    assert "0x80 at offset 127" in problem_text("en", problem.found)


def test_fifty_megabytes_of_printable_junk_are_not_valid_yaml(tmp_path: Path) -> None:
    line = b"}{ :: ][ - ? & * ! | > ' \" % @ ` junk\n"
    chunk = line * (MB // len(line))
    path = tmp_path / "garbage.yaml"
    with path.open("wb") as stream:
        for _ in range(50):
            stream.write(chunk)
    problem = the_problem(path)
    assert (problem.line, problem_text("en", problem.message)) == (1, "not valid YAML")


def test_a_file_over_the_size_limit_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as stream:
        stream.truncate(65 * MB)  # sparse: instant, and over the 64 MiB limit
    problem = the_problem(path)
    assert problem_text("en", problem.message) == "file too large"
    assert (problem_text("en", problem.expected), problem_text("en", problem.found)) == (
        "at most 64 MiB",
        "65.0 MiB",
    )


def test_the_size_limit_can_be_lowered(tmp_path: Path) -> None:
    path = write(tmp_path, "assets: []\n")
    with pytest.raises(InvalidInput) as caught:
        load_estate(path, max_bytes=10)
    assert [problem_text("en", p.message) for p in caught.value.problems] == ["file too large"]


_NESTED = """
import sys
from pathlib import Path
from souverain.core.errors import InvalidInput
from souverain.importers.estate import load_estate
from souverain.i18n import problem_text
try:
    load_estate(Path(sys.argv[1]))
except InvalidInput as error:
    print(problem_text("en", error.problems[0].message))
"""


def test_deeply_nested_brackets_are_a_problem_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "nested.yaml"
    path.write_text("[" * 100_000)
    # In a child process: a crash here must not take the test run down with it.
    run = subprocess.run(
        [sys.executable, "-c", _NESTED, str(path)], capture_output=True, text=True, timeout=60
    )
    assert run.returncode == 0, run.stderr[-500:]
    assert run.stdout.strip() in ("nested too deeply", "not valid YAML")


# --- the fast path ---------------------------------------------------------------
# A valid estate is read once, by yaml-rs (or orjson); anything it reads
# differently or that does not validate is read again by the line-keeping loader.

EXAMPLES = Path(__file__).parent.parent.parent / "examples"


@pytest.mark.parametrize(
    "path", [*sorted(EXAMPLES.glob("*.yaml")), DATA / "forges-mini.yaml"], ids=lambda p: p.name
)
def test_the_fast_parser_reads_the_examples_as_the_line_keeping_one(path: Path) -> None:
    from souverain.importers.document import fast_data, parse_text

    text = path.read_text(encoding="utf-8")
    assert fast_data(text) == parse_text(text, path.name).data


def test_a_value_the_fast_parser_reads_otherwise_gets_the_authoritative_reading(
    tmp_path: Path,
) -> None:
    # yaml-rs reads _7 as the number 7; a name must be text, so that reading does
    # not validate, and the line-keeping loader's reading (text) is the one used.
    path = write(
        tmp_path,
        """\
        assets: [{id: a, name: _7}]
        """,
    )
    from souverain.importers.document import fast_data

    assert fast_data(path.read_text())["assets"][0]["name"] == 7
    assert load_estate(path).assets[0].name == "_7"


def test_problems_found_after_a_fast_read_still_name_their_line(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        assets:
          - id: a
            deployment: sass
        """,
    )
    [problem] = problems_of(path)
    assert (problem.line, problem.field()) == (5, "assets[0].deployment")


def test_the_script_exits_with_the_command_status(tmp_path: Path) -> None:
    """``main`` ends the process with os._exit: the status and messages survive."""
    run = [sys.executable, "-c", "from souverain.cli.app import main; main()"]
    ok = subprocess.run([*run, "--version"], capture_output=True, text=True, check=False)
    assert ok.returncode == 0 and ok.stdout.startswith("souverain ")
    missing = subprocess.run(
        [*run, "audit", str(tmp_path / "nope.yaml")], capture_output=True, text=True, check=False
    )
    assert missing.returncode == 1
    assert "nope.yaml" in missing.stderr
    usage = subprocess.run([*run, "audit"], capture_output=True, text=True, check=False)
    assert usage.returncode == 2


_NUMBERS = st.from_regex(
    r"\A(?:[-+]?(?:0|[1-9](?:_?[0-9])*|0[0-9]+)(?:\.[0-9]*)?(?:[eE][-+]?[0-9]{1,2})?"
    r"|[-+]?0x[0-9a-f]{1,6}|[-+]?0o[0-7]{1,6}|[-+]?0b[01]{1,6}|[-+]?\.[0-9]{1,4}"
    r"|[0-9]{1,2}:[0-9]{2}|20[0-9]{2}-[01][0-9]-[0-3][0-9]"
    r"|true|false|True|FALSE|yes|no|NO|on|off|null|~|\.inf|-\.inf|\.nan)\Z"
)


@settings(max_examples=300, deadline=None)
@given(value=_NUMBERS)
def test_the_two_parsers_read_plain_scalars_alike(value: str) -> None:
    """Numbers, dates, times and words are read the YAML 1.2 way by both parsers
    (012 is twelve, 12:30 is text, NO is Norway), so a valid estate means the same
    whichever parser read it. (Known exceptions, left out here: yaml-rs also reads
    ``_7`` or ``0X1F`` as numbers and ``10:00:00`` as a time; where the estate wants
    text they do not validate, and the line-keeping reading is used.)"""
    from souverain.importers.document import fast_data, parse_text

    text = f"a: {value}\n"
    try:
        slow = parse_text(text, "x").data
    except InvalidInput:  # .inf and .nan: non-finite numbers are refused by both
        assert fast_data(text) is None
        return
    assert repr(fast_data(text)) == repr(slow)
