"""Outputs (``-o``): never over an input, never replacing a link, a FIFO or a device,
with the umask's permissions, and a located usage error for a path that cannot be
written — never a traceback, never a partial file."""

from __future__ import annotations

import errno
import json
import os
import stat
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest

from souverain.cli.common import write_atomically

SOUVERAIN = Path(sys.executable).parent / "souverain"

ESTATE = """\
souverain: 1
organisation: {name: Acme, country: FR}
processes:
  - {id: sales, criticality: vital, max_downtime: 1d, depends_on: [crm]}
providers:
  - {id: p1, name: Cloud Inc., country: US}
assets:
  - {id: crm, category: crm, provider: p1, deployment: saas, licence: proprietary}
"""
DAY = ("--as-of", "2026-01-01")


def usage_error(result, *words: str) -> str:
    """The command refused with exit 2, a message naming ``words``, no traceback."""
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    text = " ".join((result.stdout + result.stderr).split())
    assert result.exit_code == 2, (result.exit_code, text)
    for word in words:
        assert word in text, (word, text)
    return text


def only(folder: Path) -> set[str]:
    """The names in ``folder`` (a temporary file left behind would show here)."""
    return {p.name for p in folder.iterdir()}


@pytest.fixture()
def estate(tmp_path: Path) -> Path:
    path = tmp_path / "estate.yaml"
    path.write_text(ESTATE, encoding="utf-8")
    return path


# --- An output that is one of the inputs is refused --------------------------------


@pytest.mark.parametrize(
    "command",
    [
        ["audit", "-f", "json"],
        ["audit", "-f", "csv"],
        ["radar", "-f", "svg"],
        ["roadmap", "-f", "md"],
        ["simulate", "-s", "provider:p1", "-f", "json"],
        ["workbook"],
        ["report"],
    ],
)
def test_output_equal_to_the_estate_is_refused(run, tmp_path: Path, command: list[str]) -> None:
    # workbook and report want an output named .xlsx or .html: so is this estate
    suffix = {"workbook": ".xlsx", "report": ".html"}.get(command[0], ".yaml")
    estate = tmp_path / f"estate{suffix}"
    estate.write_text(ESTATE, encoding="utf-8")
    result = run(command[0], estate, *command[1:], "-o", estate, *DAY)
    usage_error(result, "--output", str(estate))
    assert estate.read_text(encoding="utf-8") == ESTATE


def test_output_through_another_spelling_or_link_of_the_estate_is_refused(
    run, estate: Path, tmp_path: Path
) -> None:
    link = tmp_path / "link.json"
    link.symlink_to(estate)
    hard = tmp_path / "hard.json"
    os.link(estate, hard)
    for target in (link, hard, tmp_path / "." / "sub" / ".." / "estate.yaml"):
        (tmp_path / "sub").mkdir(exist_ok=True)
        usage_error(run("audit", estate, "-f", "json", "-o", target, *DAY), "--output")
    assert estate.read_text(encoding="utf-8") == ESTATE
    assert link.is_symlink()


def test_output_equal_to_the_methodology_or_the_plan_is_refused(
    run, estate: Path, tmp_path: Path
) -> None:
    methodology = tmp_path / "methodology.yaml"
    shipped = Path(__file__).parents[2] / "src" / "souverain" / "data" / "methodology.yaml"
    methodology.write_bytes(shipped.read_bytes())
    result = run("audit", estate, "--methodology", methodology, "-f", "json", "-o", methodology)
    usage_error(result, "--output", str(methodology))
    assert methodology.read_bytes() == shipped.read_bytes()
    plan = tmp_path / "plan.yaml"
    plan.write_text("souverain_plan: 1\n", encoding="utf-8")
    result = run("roadmap", estate, "--plan", plan, "-f", "md", "-o", plan, *DAY)
    usage_error(result, "--output", str(plan))
    assert plan.read_text(encoding="utf-8") == "souverain_plan: 1\n"


def test_output_equal_to_a_diff_input_is_refused(run, estate: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.yaml"
    other.write_text(ESTATE, encoding="utf-8")
    for target in (estate, other):
        usage_error(run("diff", estate, other, "-f", "json", "-o", target, *DAY), "--output")
    assert estate.read_text(encoding="utf-8") == other.read_text(encoding="utf-8") == ESTATE


def test_output_into_a_catalog_folder_as_a_catalog_file_is_refused(
    run, estate: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "catalog"
    folder.mkdir()
    providers = folder / "providers.yaml"
    text = "souverain_catalog: 1\nkind: provider\nentries: []\n"
    providers.write_text(text, encoding="utf-8")
    for target in (providers, folder / "new.json"):
        result = run("audit", estate, "--catalog", folder, "-f", "json", "-o", target, *DAY)
        usage_error(result, "--output", str(target))
    assert providers.read_text(encoding="utf-8") == text
    assert only(folder) == {"providers.yaml"}


def test_refusal_is_in_french_with_lang_fr(run, estate: Path) -> None:
    text = usage_error(run("audit", estate, "-f", "json", "-o", estate, "--lang", "fr", *DAY))
    assert "attendu" in text and "inventaire" in text


def test_demo_refuses_a_link_to_an_example_estate(run, tmp_path: Path) -> None:
    examples = tmp_path / "examples"
    examples.mkdir()
    estate = examples / "acme.yaml"
    estate.write_text(ESTATE, encoding="utf-8")
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "acme.en.txt").symlink_to(estate)
    result = run("demo", "--examples", examples, "-o", folder)
    usage_error(result, "--output", "acme.en.txt")
    assert estate.read_text(encoding="utf-8") == ESTATE


# --- Links, FIFOs and devices ------------------------------------------------------


def test_symlink_is_written_through_to_its_target(run, estate: Path, tmp_path: Path) -> None:
    real = tmp_path / "real" / "audit.json"
    real.parent.mkdir()
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "audit.json"
    link.symlink_to(real)
    result = run("audit", estate, "-f", "json", "-o", link, *DAY)
    assert result.exit_code == 0, result.output
    assert link.is_symlink()
    assert json.loads(real.read_text(encoding="utf-8"))["organisation"]["name"] == "Acme"
    assert only(real.parent) == {"audit.json"}


def test_dangling_symlink_creates_its_target(run, estate: Path, tmp_path: Path) -> None:
    link = tmp_path / "audit.json"
    link.symlink_to(tmp_path / "target.json")
    assert run("audit", estate, "-f", "json", "-o", link, *DAY).exit_code == 0
    assert link.is_symlink() and (tmp_path / "target.json").is_file()


def test_fifo_is_written_as_a_stream(run, estate: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    received: list[bytes] = []

    def read() -> None:
        with open(fifo, "rb") as stream:
            received.append(stream.read())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    result = run("audit", estate, "-f", "json", "-o", fifo, *DAY)
    if result.exit_code != 0:  # let the reader go before failing
        with open(fifo, "wb"):
            pass
    reader.join(10)
    assert result.exit_code == 0, result.output
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert json.loads(received[0])["organisation"]["name"] == "Acme"
    assert only(tmp_path) == {"estate.yaml", "pipe.json"}


def test_character_device_is_written_as_a_stream(run, estate: Path, tmp_path: Path) -> None:
    node = tmp_path / "null"
    try:
        os.mknod(node, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # a private /dev/null
    except OSError:
        pytest.skip("cannot make a device node here")
    result = run("audit", estate, "-f", "json", "-o", node, *DAY)
    assert result.exit_code == 0, result.output
    assert stat.S_ISCHR(node.lstat().st_mode)
    assert only(tmp_path) == {"estate.yaml", "null"}


def test_dev_stdout_works(estate: Path, tmp_path: Path) -> None:
    """``-o /dev/stdout``: a link to ``/proc/self/fd/1`` — made here, since the bug this
    guards against replaced the link it was given (as root, the system's /dev/stdout)."""
    stdout = tmp_path / "stdout"
    stdout.symlink_to("/proc/self/fd/1")
    done = subprocess.run(
        [SOUVERAIN, "audit", estate, "-f", "json", "-o", stdout, *DAY],
        capture_output=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["organisation"]["name"] == "Acme"
    assert b"Traceback" not in done.stderr
    assert stdout.is_symlink()


# --- Permissions -------------------------------------------------------------------


@pytest.fixture()
def umask_027():
    previous = os.umask(0o027)
    try:
        yield
    finally:
        os.umask(previous)


def test_new_file_follows_the_umask(run, estate: Path, tmp_path: Path, umask_027) -> None:
    target = tmp_path / "audit.json"
    assert run("audit", estate, "-f", "json", "-o", target, *DAY).exit_code == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_overwritten_file_keeps_its_mode(run, estate: Path, tmp_path: Path, umask_027) -> None:
    target = tmp_path / "audit.csv"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o604)
    assert run("audit", estate, "-f", "csv", "-o", target, *DAY).exit_code == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o604
    assert target.read_text(encoding="utf-8") != "old"


def test_demo_files_follow_the_umask(run, tmp_path: Path, umask_027) -> None:
    examples = tmp_path / "examples"
    examples.mkdir()
    (examples / "acme.yaml").write_text(ESTATE, encoding="utf-8")
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "acme.en.json").mkdir()  # stops the demo after its first files
    result = run("demo", "--examples", examples, "-o", folder)
    usage_error(result, "acme.en.json")
    assert stat.S_IMODE((folder / "acme.en.txt").stat().st_mode) == 0o640


# --- Paths that cannot be written: located usage errors ----------------------------


def test_output_naming_a_folder(run, estate: Path, tmp_path: Path) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    for command in (["audit", "-f", "json"], ["radar", "-f", "svg"], ["roadmap", "-f", "md"]):
        usage_error(run(command[0], estate, *command[1:], "-o", folder, *DAY), str(folder))
    usage_error(run("schema", "-o", folder), "--output", str(folder))
    assert only(folder) == set()


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_output_under_a_file(run, estate: Path, tmp_path: Path, lang: str) -> None:
    for target in (estate / "audit.json", estate / "sub" / "audit.json"):
        text = usage_error(
            run("audit", estate, "-f", "json", "-o", target, "--lang", lang, *DAY),
            "--output",
            str(estate),
        )
        assert ("dossier" if lang == "fr" else "folder") in text
    assert estate.read_text(encoding="utf-8") == ESTATE


def test_output_name_too_long(run, estate: Path, tmp_path: Path) -> None:
    target = tmp_path / ("x" * 300 + ".json")
    usage_error(run("audit", estate, "-f", "json", "-o", target, *DAY), "--output", "255")
    assert only(tmp_path) == {"estate.yaml"}


def test_demo_into_a_file(run, estate: Path, tmp_path: Path) -> None:
    examples = tmp_path / "examples"
    examples.mkdir()
    (examples / "acme.yaml").write_text(ESTATE, encoding="utf-8")
    usage_error(run("demo", "--examples", examples, "-o", estate), "--output", str(estate))
    assert estate.read_text(encoding="utf-8") == ESTATE


@pytest.mark.parametrize(
    ("code", "words"),
    [
        (errno.EACCES, ("permission",)),
        (errno.EROFS, ("read-only",)),
        (errno.ENOSPC, ("space",)),
    ],
)
def test_failures_of_the_file_system(
    run, estate: Path, tmp_path: Path, monkeypatch, code: int, words: tuple[str, ...]
) -> None:
    """Permission denied, read-only file system, no space left: located, and nothing half
    written (the tests run as root, so the failures are made, not found)."""
    target = tmp_path / "audit.json"
    target.write_text("old", encoding="utf-8")

    def refuse(*args, **kwargs):
        raise OSError(code, os.strerror(code), str(tmp_path))

    if code == errno.ENOSPC:
        monkeypatch.setattr(os, "replace", refuse)
    else:
        monkeypatch.setattr(tempfile, "mkstemp", refuse)
    usage_error(run("audit", estate, "-f", "json", "-o", target, *DAY), str(target), *words)
    assert target.read_text(encoding="utf-8") == "old"
    assert only(tmp_path) == {"estate.yaml", "audit.json"}


def test_pieces_are_written_whole_however_the_system_splits_the_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # os.writev may write less than it was given: every byte must still be written,
    # in order, once.
    real = os.writev

    def stingy(handle: int, buffers: list[bytes]) -> int:
        return real(handle, [bytes(memoryview(b"".join(buffers))[:7])])

    monkeypatch.setattr(os, "writev", stingy)
    pieces = [f"{n:05d}-".encode() * (n % 5) for n in range(3000)]
    target = tmp_path / "out.json"
    write_atomically(target, pieces)
    assert target.read_bytes() == b"".join(pieces)
