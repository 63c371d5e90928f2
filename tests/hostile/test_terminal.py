"""What reaches the terminal: user text is printed as text.

Names, paths and arguments carrying rich markup (``[/]``, ``[bold]``, ``[link=…]``) are
shown literally, never parsed (``[/]`` crashed every command; ``Acme [group]`` lost its
bracket); ESC and OSC sequences never reach the terminal (clear screen, window title).
"""

from __future__ import annotations

from pathlib import Path

import pytest

CLOSE = "[/]"
BOLD = "[bold]x[/bold]"
GROUP = "Acme [group]"
LINK = "[link=http://evil]click[/link]"
MARKUP = (CLOSE, BOLD, GROUP, LINK)

ESTATE = f"""\
souverain: 1
organisation: {{name: "{GROUP} {CLOSE}", country: FR}}
processes:
  - {{id: sales, name: "{LINK}", criticality: vital, max_downtime: 1d, depends_on: [crm, erp]}}
  - {{id: pay, name: "{GROUP}", criticality: important, max_downtime: 5d, depends_on: [erp]}}
providers:
  - {{id: p1, name: "{BOLD} {CLOSE}", country: US}}
  - {{id: p2, name: "{GROUP}", country: FR}}
assets:
  - {{id: crm, name: "{CLOSE} crm {BOLD}", category: crm, provider: p1, deployment: saas,
     licence: proprietary}}
  - {{id: erp, name: "{GROUP}", category: erp, provider: p2, deployment: saas,
     licence: proprietary, depends_on: [crm]}}
"""

OSC_TITLE = "\\x1b]0;pwned\\x07"  # as a YAML escape: sets the window title
CLEAR = "\\x1b[2J"  # clears the screen


def printed(result, codes=(0,)) -> str:
    """Everything the command printed, after checking it ended as expected, without a
    traceback, and sent no control sequence to the terminal."""
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    text = result.stdout + result.stderr
    assert result.exit_code in codes, (result.exit_code, text)
    assert "Traceback" not in text
    assert "\x1b" not in text and "\x07" not in text, repr(text)
    return text


def flat(text: str) -> str:
    """The printed text with table borders and line breaks out of the way."""
    return " ".join(text.replace("│", " ").split())


@pytest.fixture()
def estate(tmp_path: Path) -> Path:
    path = tmp_path / "estate.yaml"
    path.write_text(ESTATE, encoding="utf-8")
    return path


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_audit_table_shows_bracketed_names_literally(run, estate: Path, lang: str) -> None:
    text = printed(run("audit", estate, "--as-of", "2026-01-01", "--lang", lang))
    assert f"{GROUP} {CLOSE}" in text  # the organisation, in the title
    assert f"{BOLD} {CLOSE}" in text  # a provider, in its column
    assert GROUP in text


def test_audit_table_file_is_literal_too(run, estate: Path, tmp_path: Path) -> None:
    target = tmp_path / "matrix.txt"
    printed(run("audit", estate, "-f", "table", "-o", target, "--as-of", "2026-01-01"))
    written = target.read_text(encoding="utf-8")
    assert f"{GROUP} {CLOSE}" in written and f"{BOLD} {CLOSE}" in written


def test_simulate_one_scenario_shows_process_names_literally(run, estate: Path) -> None:
    text = flat(printed(run("simulate", estate, "-s", "provider:p2", "--as-of", "2026-01-01")))
    assert LINK in text and GROUP in text


def test_roadmap_table_shows_organisation_literally(run, estate: Path) -> None:
    text = printed(run("roadmap", estate, "--as-of", "2026-01-01"))
    assert f"{GROUP} {CLOSE}" in text


@pytest.mark.parametrize("view", ["alternatives", "dependencies"])
def test_radar_table_shows_names_literally(run, estate: Path, view: str) -> None:
    text = flat(printed(run("radar", estate, "--view", view, "--as-of", "2026-01-01")))
    assert GROUP in text


def test_diff_of_files_named_with_markup(run, estate: Path, tmp_path: Path) -> None:
    old = tmp_path / f"old {CLOSE}.yaml"  # a folder "old [", a file "].yaml"
    old.parent.mkdir()
    old.write_text(ESTATE.replace("licence: proprietary}}", "licence: MIT}}"), encoding="utf-8")
    text = flat(printed(run("diff", old, estate, "--as-of", "2026-01-01")))
    assert CLOSE in text


@pytest.mark.parametrize("query", [*MARKUP, "Microsoft [/] 365", "[bold]OVH"])
def test_catalog_match_echoes_the_query_literally(run, query: str) -> None:
    text = printed(run("catalog", "match", query), codes=(0, 1))
    assert query in flat(text)


def test_catalog_search_and_show_print_catalog_names_literally(run, tmp_path: Path) -> None:
    folder = tmp_path / "catalog"
    folder.mkdir()
    (folder / "providers.yaml").write_text(
        "souverain_catalog: 1\nkind: provider\nentries:\n"
        f'  - {{id: acme-x, name: "{GROUP} {CLOSE} {LINK}", country: FR,'
        " source: test, as_of: 2026-01-01}\n",
        encoding="utf-8",
    )
    text = flat(printed(run("catalog", "search", "acme", "--catalog", folder)))
    assert GROUP in text and CLOSE in text
    text = flat(printed(run("catalog", "show", "acme-x", "--catalog", folder)))
    assert f"{GROUP} {CLOSE}" in text and LINK in text


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_invalid_estate_error_names_the_bad_value_literally(run, tmp_path: Path, lang: str) -> None:
    path = tmp_path / f"bad {CLOSE} {BOLD}.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(ESTATE.replace("criticality: vital", f'criticality: "{LINK}"'), "utf-8")
    text = printed(run("audit", path, "--lang", lang), codes=(1,))
    assert str(path) in text
    assert LINK in text


def test_missing_estate_named_with_markup(run, tmp_path: Path) -> None:
    text = printed(run("audit", tmp_path / f"{CLOSE}{BOLD}.yaml"), codes=(1,))
    assert f"{CLOSE}{BOLD}.yaml" in text


def test_output_path_with_markup_is_announced_literally(run, estate: Path, tmp_path: Path) -> None:
    target = tmp_path / f"{CLOSE} {BOLD} [link=file:x]y[/link].json"
    text = printed(run("audit", estate, "-f", "json", "-o", target, "--as-of", "2026-01-01"))
    assert target.exists()
    assert str(target) in text


@pytest.mark.parametrize("sequence", [OSC_TITLE, CLEAR])
@pytest.mark.parametrize("command", [["audit"], ["simulate", "-s", "provider:p1"], ["roadmap"]])
def test_escape_sequences_in_names_never_reach_the_terminal(
    run, tmp_path: Path, sequence: str, command: list[str]
) -> None:
    """Loaders may refuse control characters (then the error must not echo them raw), or
    accept them: either way the terminal gets no ESC nor BEL."""
    text = ESTATE
    for name in (GROUP, LINK, BOLD):
        text = text.replace(f'"{name}', f'"{sequence}{name}')
    path = tmp_path / "estate.yaml"
    path.write_text(text, encoding="utf-8")
    printed(run(command[0], path, *command[1:], "--as-of", "2026-01-01"), codes=(0, 1))


@pytest.mark.parametrize("sequence", ["\x1b]0;pwned\x07", "\x1b[2J", "[/]\x1b[2J"])
def test_escape_sequences_in_arguments_never_reach_the_terminal(
    run, estate: Path, tmp_path: Path, sequence: str
) -> None:
    printed(run("simulate", estate, "-s", f"provider:{sequence}"), codes=(1, 2))
    printed(run("simulate", estate, "-s", f"provider:{sequence}", "-f", "json"), codes=(1, 2))
    printed(run("catalog", "match", sequence), codes=(0, 1))
    printed(run("catalog", "search", sequence), codes=(0, 1))
    printed(run("catalog", "show", sequence), codes=(1,))
    printed(run("audit", tmp_path / f"{sequence}.yaml"), codes=(1,))
    printed(run("audit", estate, "--as-of", sequence), codes=(2,))
    printed(run("audit", estate, "--catalog", tmp_path / sequence), codes=(1,))
    printed(run("report", estate, "-o", tmp_path / f"{sequence}.docx"), codes=(2,))
    printed(run("workbook", estate, "-o", tmp_path / f"{sequence}.docx"), codes=(2,))
    printed(run("radar", estate, "-o", tmp_path / f"{sequence}.docx"), codes=(2,))


def test_as_of_out_of_range_is_a_usage_error(run, estate: Path) -> None:
    for day in ("9999-12-31", "0001-01-01", "1969-12-31", "2200-01-01"):
        result = run("roadmap", estate, "--as-of", day)
        text = printed(result, codes=(2,))
        assert "--as-of" in text and day in text
        assert "1970-01-01" in text and "2199-12-31" in text
    french = printed(run("audit", estate, "--as-of", "9999-12-31", "--lang", "fr"), codes=(2,))
    assert "attendu" in french and "1970-01-01" in french


@pytest.mark.parametrize("day", ["1970-01-01", "2199-12-31"])
def test_as_of_at_the_bounds_is_accepted(run, estate: Path, day: str) -> None:
    printed(run("audit", estate, "--as-of", day, "-f", "json"))
