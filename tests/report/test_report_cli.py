"""``souverain report`` end to end: HTML, PDF (one render, the smallest estate), and
the errors."""

from __future__ import annotations

import re
import zlib
from pathlib import Path

from typer.testing import CliRunner

from souverain.cli.app import app
from tests.conftest import DATA

runner = CliRunner()
MINI = DATA / "forges-mini.yaml"


def report(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["report", *args, "--as-of", "2026-11-23"])
    return result.exit_code, result.output


def pdf_objects(data: bytes) -> bytes:
    """The PDF with its compressed streams inflated, to read its structure."""
    parts = [data]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(parts)


def test_html_report(tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    code, _ = report(str(MINI), "-o", str(target), "--lang", "fr")
    assert code == 0
    page = target.read_text("utf-8")
    assert page.startswith("<!DOCTYPE html>") and '<html lang="fr">' in page
    assert "Forges de Bourgogne" in page and "Synthèse" in page


def test_pdf_report(tmp_path: Path) -> None:
    target = tmp_path / "report.pdf"
    code, _ = report(str(MINI), "-o", str(target), "--lang", "en")
    assert code == 0
    data = target.read_bytes()
    assert data.startswith(b"%PDF-")
    inflated = pdf_objects(data)
    pages = re.findall(rb"/Type\s*/Page(?![a-zA-Z])", inflated)
    assert len(pages) > 1
    # The document title and the bookmarks name the organisation.
    assert b"Forges de Bourgogne" in inflated


def test_an_unknown_extension_exits_2(tmp_path: Path) -> None:
    target = tmp_path / "report.docx"
    code, output = report(str(MINI), "-o", str(target), "--lang", "en")
    assert code == 2
    assert ".html or .pdf" in output
    assert not target.exists()


def test_an_invalid_estate_exits_1_and_writes_nothing(tmp_path: Path) -> None:
    estate = tmp_path / "broken.yaml"
    estate.write_text(
        "souverain: 1\norganisation: {name: X}\nassets:\n  - {id: a, deployment: moon}\n"
    )
    target = tmp_path / "report.html"
    code, _ = report(str(estate), "-o", str(target), "--lang", "en")
    assert code == 1
    assert list(tmp_path.iterdir()) == [estate]


def test_output_is_required() -> None:
    code, _ = report(str(MINI))
    assert code == 2
