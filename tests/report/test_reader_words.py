"""What a reader sees is written in their language: no country code, GDPR mechanism id,
deployment id or duration in the estate's notation left raw in a sentence, and no
"1 des 1" (issue 13 review of the French report)."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from souverain.cli.app import app
from souverain.core.terms import Term, say, terms
from souverain.i18n import counted

ROOT = Path(__file__).parents[2]
EXAMPLES = sorted(p.stem for p in (ROOT / "examples").glob("*.yaml"))

CODES = r"(?:US|CN|RU|GB|CH|IN|IL|JP|KR|AU|TR|AE|SG|CA|BR)"
# A country code in a sentence: after a preposition, or as a tag after a name.
RAW_COUNTRY = re.compile(rf"\b(?:vers|en|aux?|sous|de|to|in|of)\s+{CODES}\b|\({CODES}\)")
RAW_MECHANISM = re.compile(
    r"\b(?:sous|under|mécanisme\s*:|mechanism:)\s*(?:scc|bcr|dpf|adequacy)\b"
)
RAW_DURATION = re.compile(r"(?<![\w.-])\d+(?:\.\d+)?[smhdw](?![\w-])")
RAW_DEPLOYMENT = re.compile(r"\((?:on-premise|saas|public-cloud|private-cloud)\)")
ONE_OF_ONE = re.compile(
    r"\b1 (?:des|of the) 1\b|\b1 des \d+ \w+ (?:vitales|vitaux)[^.]* ne peuvent"
)


def _audit_reasons(name: str, lang: str, tmp_path: Path) -> list[str]:
    out = tmp_path / f"{name}.{lang}.json"
    args = ["audit", str(ROOT / "examples" / f"{name}.yaml"), "-f", "json", "--lang", lang]
    result = CliRunner().invoke(app, [*args, "--as-of", "2026-11-23", "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    document = json.loads(out.read_text("utf-8"))
    texts = [line["text"] for line in document["summary"]["concentration"]]
    for dep in document["dependencies"]:
        for axis in dep["exposure"].values():
            texts += [r["text"] for r in axis["reasons"]]
        texts += [r["text"] for r in dep["exit"]["reasons"]]
    return texts


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("name", EXAMPLES)
def test_reasons_name_countries_mechanisms_and_durations_in_words(
    name: str, lang: str, tmp_path: Path
) -> None:
    for text in _audit_reasons(name, lang, tmp_path):
        # A chain or path lists entities with their country tag: "(chemin : A (LU) → B (US))"
        prose = re.sub(
            r"\((?:chain|chaîne|path|chemin)\s?:\s?[^()]*(?:\([^()]*\)[^()]*)*\)", "", text
        )
        assert not RAW_COUNTRY.search(prose), text
        assert not RAW_MECHANISM.search(text), text
        assert not RAW_DURATION.search(text), text
        assert not ONE_OF_ONE.search(text), text


def _page_text(page: str) -> str:
    page = re.sub(r"<(style|script|svg)\b.*?</\1>", "", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def test_the_french_report_reads_as_french(tmp_path: Path) -> None:
    out = tmp_path / "rapport.html"
    args = ["report", str(ROOT / "examples" / "mairie-exemple.yaml"), "--lang", "fr"]
    result = CliRunner().invoke(app, [*args, "--as-of", "2026-11-23", "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    text = _page_text(out.read_text("utf-8"))
    # The summary, the matrix's reasons, the concentration, the exit plans and the roadmap
    for pattern in (RAW_MECHANISM, RAW_DEPLOYMENT, ONE_OF_ONE):
        assert not pattern.search(text), pattern.search(text)
    assert not re.search(r"\b(?:vers|en|aux?|sous) " + CODES + r"\b", text)
    assert not re.search(rf"\({CODES}\) porte", text)
    assert not re.search(r"≤ \d+[smhdw]\b", text)  # max downtime in the matrix
    assert "soumis au CLOUD Act" in text
    assert "Interruption max. 1 jour" in re.sub(r"\s+", " ", text) or "1 jour" in text
    # The organisation's regimes by their French names (the estate says gdpr, nis2).
    assert "RGPD, NIS 2" in text and "GDPR" not in text
    assert re.search(r"Pays\s+France", text)  # not its code, FR
    # Numbers with the decimal comma: the exposure scores, the roadmap's risk totals.
    assert re.search(r"risque total \d+,\d+ aujourd'hui, \d+,\d+ une fois", text)
    assert not re.search(r"(?<![\d.])\d\.\d\d(?![\d.])", text), re.search(
        r"(?<![\d.])\d\.\d\d(?![\d.])", text
    )


def test_terms_take_the_french_forms() -> None:
    us = Term(
        "US",
        {
            "fr": {"": "États-Unis", "the": "les États-Unis"},
            "en": {"": "United States", "the": "the United States"},
        },
    )
    china = Term("CN", {"fr": {"": "Chine", "the": "la Chine"}, "en": {"": "China"}})
    laws = terms(
        [
            Term("CLOUD Act", {"fr": {"": "le CLOUD Act"}, "en": {"": "the CLOUD Act"}}),
            Term("FISA", {"fr": {"": "la section 702 du FISA"}, "en": {"": "FISA 702"}}),
        ],
        ("en", "fr"),
    )
    params = {"country": us, "other": china, "laws": laws}
    text = "{in_country}, {the_country}, {of_country}, {in_other}, soumis {to_laws}, "
    assert say(text + "en vertu {of_laws}", params, "fr") == (
        "aux États-Unis, les États-Unis, des États-Unis, en Chine, "
        "soumis au CLOUD Act et à la section 702 du FISA, en vertu du CLOUD Act et de la section "
        "702 du FISA"
    )
    assert say("{country} {in_country} {laws}", params, "en") == (
        "United States in the United States the CLOUD Act and FISA 702"
    )
    assert us == "US"  # rules and JSON keep the code


def test_a_count_of_one_agrees() -> None:
    one = counted("fr", "report_exit_text", 1, cannot=1, grave=1)
    assert "1 des 1" not in one and "ne peut pas être quittée" in one
    many = counted("fr", "report_exit_text", 3, cannot=3, grave=18)
    assert "ne peuvent pas être quittées" in many
    assert "dépendance vitale ou importante sur" in counted(
        "fr", "concentration_line", 1, name="X", country="France", count=1, total=1
    )
