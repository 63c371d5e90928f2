"""Random and mutated inputs thrown at every command through the CLI runner.

Each example takes a valid input (an estate in YAML or JSON, a methodology, a catalog
file, a plan file), damages it the way careless or hostile hands do (a line dropped,
doubled or re-indented, a value replaced by a hostile one, the file cut short, bytes
inserted), and runs a command on it. Whatever the input, the command must end with
exit status 0, 1 or 2, print no traceback, finish within a bound, and touch no file
but the output it was asked to write.

The examples are derandomised, so that CI checks the same inputs every run; set
``SOUVERAIN_FUZZ_EXAMPLES`` to throw more (and new) ones locally.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from souverain.cli.app import app

DATA = Path(__file__).parents[1] / "data"
MINI = (DATA / "forges-mini.yaml").read_text("utf-8")
FORGES = (Path(__file__).parents[2] / "examples" / "forges-bourgogne.yaml").read_text("utf-8")
METHODOLOGY = (resources.files("souverain") / "data" / "methodology.yaml").read_text("utf-8")
CATALOG_PROVIDERS = (DATA / "catalog" / "providers.yaml").read_text("utf-8")
PLAN = (
    "souverain_plan: 1\nactions:\n  migrate:erp: {drop: true}\n"
    "  test-export:mes: {phase: 12-36 months}\n"
)

EXAMPLES = int(os.environ.get("SOUVERAIN_FUZZ_EXAMPLES", "0"))
SECONDS = 30  # far above what any of these small inputs takes; a hang ends here

# Values careless and hostile hands put where a value was.
HOSTILE = [
    "",
    "null",
    "~",
    "[]",
    "{}",
    "0",
    "-1",
    "1e400",
    "-1e400",
    ".inf",
    ".nan",
    "1e300",
    "9" * 5000,
    "99999999999999999999w",
    "0d",
    "2025-13-01",
    "9999-12-31",
    "1",
    "true",
    "NO",
    "'[/]'",
    "'[bold]x[/bold]'",
    "'Acme [group]'",
    '"\\x1b[2J"',
    '"\\x1b]0;pwned\\x07"',
    '"\\x00"',
    '\'=HYPERLINK("http://x","y")\'',
    "'+cmd|'' /C calc''!A0'",
    "'@SUM(A1)'",
    "'<script>alert(1)</script>'",
    "'{entity.__class__.__mro__}'",
    "'{0}'",
    "'{'",
    "&anchor value",
    "*anchor",
    "*missing",
    "!!python/object:os.system ls",
    "[" * 50,
    "'" + "x" * 100_000 + "'",
    "proprietary",
    "Proprietary",
    "NOT-A-LICENCE",
    "jurisdiction:USA",
    "unknown-id",
]


def _mutate(text: str, data: st.DataObject) -> str:
    """``text`` damaged by one to three random edits."""
    lines = text.split("\n")
    for _ in range(data.draw(st.integers(1, 3), label="edits")):
        if not lines:
            lines = [""]
        at = data.draw(st.integers(0, len(lines) - 1), label="line")
        edit = data.draw(
            st.sampled_from(
                ["drop", "double", "value", "indent", "dedent", "insert", "cut", "bytes"]
            ),
            label="edit",
        )
        line = lines[at]
        if edit == "drop":
            del lines[at]
        elif edit == "double":
            lines.insert(at, line)
        elif edit == "value":
            key, colon, _ = line.partition(": ")
            value = data.draw(st.sampled_from(HOSTILE), label="value")
            lines[at] = f"{key}{colon}{value}" if colon else f"{line} {value}"
        elif edit == "indent":
            lines[at] = "  " + line
        elif edit == "dedent":
            lines[at] = line.lstrip()
        elif edit == "insert":
            lines.insert(at, data.draw(st.sampled_from(HOSTILE), label="inserted"))
        elif edit == "cut":
            cut = data.draw(st.integers(0, len(line)), label="cut")
            lines = [*lines[:at], line[:cut]]
        else:
            noise = data.draw(st.text(max_size=8), label="noise")
            cut = data.draw(st.integers(0, len(line)), label="at")
            lines[at] = line[:cut] + noise + line[cut:]
    return "\n".join(lines)


def _snapshot(folder: Path) -> dict[str, tuple[int, str]]:
    """Every file under ``folder``: its mode and a hash of its bytes."""
    return {
        str(path.relative_to(folder)): (
            path.lstat().st_mode,
            hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "",
        )
        for path in sorted(folder.rglob("*"))
    }


@contextmanager
def _deadline(seconds: int) -> Iterator[None]:
    def expire(signum: int, frame: object) -> None:
        raise TimeoutError(f"no answer within {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _check(folder: Path, args: list[str], output: str | None) -> None:
    """Run ``souverain ARGS`` in ``folder``: exit 0, 1 or 2, no traceback, on time,
    and nothing touched but ``output``."""
    before = _snapshot(folder)
    cwd = Path.cwd()
    os.chdir(folder)
    try:
        with _deadline(SECONDS):
            result = CliRunner().invoke(app, args, catch_exceptions=True)
    finally:
        os.chdir(cwd)
    shown = f"souverain {' '.join(args)!r}\n{result.stderr[-2000:]}"
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"{type(result.exception).__name__}: {result.exception}\n{shown}")
    assert result.exit_code in (0, 1, 2), shown
    assert "Traceback" not in result.stderr + result.stdout, shown
    after = _snapshot(folder)
    if output is not None:
        before.pop(output, None)
        after.pop(output, None)
    assert after == before, f"files touched besides {output}: {shown}"
    if result.exit_code != 0 and output is not None:
        assert not (folder / output).exists(), f"a failed run left {output}: {shown}"


def _fuzz(seed: str, data: st.DataObject, name: str, commands: Callable[[str], list[tuple]]):
    text = _mutate(seed, data)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / name).write_text(text, "utf-8", errors="surrogatepass")
        if name != "estate.yaml":
            (folder / "estate.yaml").write_text(MINI, "utf-8")
        args, output = data.draw(st.sampled_from(commands(name)), label="command")
        _check(folder, [str(a) for a in args], output)


FUZZ = settings(
    max_examples=EXAMPLES or 60,
    derandomize=not EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _estate_commands(name: str) -> list[tuple]:
    return [
        (["audit", name, "-f", "json", "-o", "out.json", "--as-of", "2026-11-23"], "out.json"),
        (["audit", name, "-f", "csv", "-o", "out.csv", "--as-of", "2026-11-23"], "out.csv"),
        (["audit", name, "--as-of", "2026-11-23"], None),
        (["roadmap", name, "-f", "json", "-o", "out.json", "--as-of", "2026-11-23"], "out.json"),
        (["roadmap", name, "-f", "ics", "-o", "out.ics", "--as-of", "2026-11-23"], "out.ics"),
        (["simulate", name, "-s", "provider:sap", "-f", "json"], None),
        (["simulate", name, "--all"], None),
        (["radar", name, "-o", "out.svg"], "out.svg"),
        (["radar", name, "-o", "out.csv"], "out.csv"),
        (["diff", "estate.yaml", name], None),
        (["report", name, "-o", "out.html", "--as-of", "2026-11-23"], "out.html"),
        (["workbook", name, "-o", "out.xlsx", "--as-of", "2026-11-23"], "out.xlsx"),
        (["workbook", name, "-o", "out.ods", "--as-of", "2026-11-23"], "out.ods"),
        (["audit", name, "-f", "xlsx", "-o", "out.xlsx", "--as-of", "2026-11-23"], "out.xlsx"),
        (["audit", name, "-f", "html", "-o", "out.html", "--as-of", "2026-11-23"], "out.html"),
        (["radar", name, "--view", "dependencies", "-o", "out.json"], "out.json"),
    ]


@FUZZ
@given(st.data())
def test_mutated_yaml_estates(data: st.DataObject) -> None:
    _fuzz(MINI, data, "fuzzed.yaml", _estate_commands)


@FUZZ
@given(st.data())
def test_mutated_json_estates(data: st.DataObject) -> None:
    from souverain.importers.document import read_document

    seed = json.dumps(read_document(DATA / "forges-mini.yaml").data, indent=1, default=str)
    _fuzz(seed, data, "fuzzed.json", _estate_commands)


@FUZZ
@given(st.data())
def test_mutated_example_estate(data: st.DataObject) -> None:
    _fuzz(
        FORGES,
        data,
        "fuzzed.yaml",
        lambda name: [
            (["audit", name, "-f", "json", "-o", "o.json", "--as-of", "2026-11-23"], "o.json"),
            (["roadmap", name, "-f", "md", "-o", "o.md", "--as-of", "2026-11-23"], "o.md"),
            (["simulate", name, "-s", "jurisdiction:US"], None),
        ],
    )


@FUZZ
@given(st.data())
def test_mutated_methodologies(data: st.DataObject) -> None:
    _fuzz(
        METHODOLOGY,
        data,
        "method.yaml",
        lambda name: [
            (
                ["audit", "estate.yaml", "--methodology", name, "-f", "json", "-o", "o.json"],
                "o.json",
            ),
            (["roadmap", "estate.yaml", "--methodology", name, "-f", "md", "-o", "o.md"], "o.md"),
            (["report", "estate.yaml", "--methodology", name, "-o", "o.html"], "o.html"),
        ],
    )


@FUZZ
@given(st.data())
def test_mutated_catalog_files(data: st.DataObject) -> None:
    def commands(name: str) -> list[tuple]:
        return [
            (["catalog", "validate", "--catalog", "cat"], None),
            (["audit", "estate.yaml", "--catalog", "cat", "-f", "json", "-o", "o.json"], "o.json"),
            (["catalog", "match", "Office 365", "--catalog", "cat"], None),
            (["catalog", "stats", "--catalog", "cat"], None),
            (["catalog", "search", "cloud", "--catalog", "cat"], None),
            (["roadmap", "estate.yaml", "--catalog", "cat", "-f", "csv", "-o", "o.csv"], "o.csv"),
        ]

    text = _mutate(CATALOG_PROVIDERS, data)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "cat").mkdir()
        (folder / "cat" / "providers.yaml").write_text(text, "utf-8", errors="surrogatepass")
        (folder / "estate.yaml").write_text(MINI, "utf-8")
        args, output = data.draw(st.sampled_from(commands("")), label="command")
        _check(folder, list(args), output)


@FUZZ
@given(st.data())
def test_mutated_plan_files(data: st.DataObject) -> None:
    forges = Path(__file__).parents[2] / "examples" / "forges-bourgogne.yaml"
    _fuzz(
        PLAN,
        data,
        "plan.yaml",
        lambda name: [
            (
                ["roadmap", str(forges), "--plan", name, "-f", "json", "-o", "o.json"],
                "o.json",
            ),
        ],
    )


@FUZZ
@given(st.lists(st.text(max_size=40), min_size=1, max_size=3))
def test_random_scenarios_and_options(words: list[str]) -> None:
    """Random text where a command expects a scenario, a duration, a date or a query."""
    candidates = [
        ["simulate", "estate.yaml", "-s", words[0]],
        ["simulate", "estate.yaml", "--all", "--grace", words[0]],
        ["audit", "estate.yaml", "--as-of", words[0]],
        ["catalog", "match", *words],
        ["roadmap", "estate.yaml", "--capacity", words[0]],
    ]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "estate.yaml").write_text(MINI, "utf-8")
        for args in candidates:
            if any("\x00" in a for a in args):
                continue  # the operating system itself refuses NUL in arguments
            _check(folder, args, None)


@pytest.mark.parametrize("junk", [b"\xff\xfe\x00\x01" * 64, bytes(range(256)) * 8, b"- " * 20_000])
def test_binary_and_degenerate_files(tmp_path: Path, junk: bytes) -> None:
    (tmp_path / "estate.yaml").write_text(MINI, "utf-8")
    (tmp_path / "junk.yaml").write_bytes(junk)
    for args, output in _estate_commands("junk.yaml"):
        _check(tmp_path, list(args), output)
