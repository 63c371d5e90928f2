"""Every limit of souverain.core.limits is on docs/limits.md, with its value."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from souverain.core import limits

PAGE = (Path(__file__).parents[2] / "docs" / "limits.md").read_text("utf-8")
NAMES = [name for name in vars(limits) if name.isupper()]


def _shown(name: str, value: object) -> str:
    """The value as the page writes it: MiB for sizes, ISO dates, grouped thousands."""
    if name.endswith("_BYTES") and isinstance(value, int):
        return f"{value // 2**20} MiB"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def test_there_are_limits_to_check() -> None:
    assert len(NAMES) >= 20


@pytest.mark.parametrize("name", NAMES)
def test_each_limit_is_documented_with_its_value(name: str) -> None:
    rows = [line for line in PAGE.splitlines() if line.startswith(f"| `{name}` |")]
    assert len(rows) == 1, f"docs/limits.md has no row (or several) for {name}"
    value = rows[0].split("|")[2].strip()
    assert value == _shown(name, getattr(limits, name))


def test_the_page_names_no_limit_that_does_not_exist() -> None:
    named = set(re.findall(r"^\| `([A-Z_]+)` \|", PAGE, re.M))
    assert named == set(NAMES)
