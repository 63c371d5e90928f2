"""Durations as written in estates: ``30m``, ``8h``, ``5d``, ``2w``."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema

from souverain.core.limits import MAX_DURATION_DAYS

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_PATTERN = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*$")
DURATION_REGEX = r"^\d+(\.\d+)?[smhdw]$"
MAX_SECONDS = MAX_DURATION_DAYS * 86400
_LONGEST_TEXT = 40  # far more than "36525d" or "3155760000s" with decimals
EXPECTED = (
    f"a duration from 0s to {MAX_DURATION_DAYS}d (100 years), a number and a unit "
    "(s, m, h, d or w) such as 30m, 8h, 5d or 2w"
)


@dataclass(frozen=True, order=True)
class Duration:
    """A length of time; compares by its number of seconds."""

    seconds: float
    text: str = field(default="", compare=False)

    @classmethod
    def parse(cls, text: str) -> Duration:
        """Parse ``<number><unit>`` where unit is s, m, h, d or w, up to 100 years.

        ``ValueError`` otherwise (its text: ``expected …, found …``).
        """
        match = _PATTERN.match(text) if len(text) <= _LONGEST_TEXT else None
        seconds = float(match[1]) * _UNITS[match[2]] if match else -1.0
        if not 0 <= seconds <= MAX_SECONDS:
            shown = text if len(text) <= 60 else text[:57] + "..."
            raise ValueError(f"expected {EXPECTED}, found {shown!r}")
        return cls(seconds, text.strip())

    @classmethod
    def of_days(cls, days: float) -> Duration:
        """A duration of ``days`` days, written in days."""
        return cls(days * 86400, f"{days:g}d")

    @property
    def days(self) -> float:
        """This duration in days."""
        return self.seconds / 86400

    def __str__(self) -> str:
        return self.text or f"{self.seconds:g}s"


def _coerce(value: Any) -> Duration:
    if isinstance(value, Duration):
        return value
    if isinstance(value, str):
        return Duration.parse(value)
    raise ValueError(f"expected {EXPECTED}, found a {type(value).__name__}")


DurationField = Annotated[
    Duration,
    BeforeValidator(_coerce),
    PlainSerializer(str, return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": DURATION_REGEX,
            "maxLength": _LONGEST_TEXT,
            "examples": ["8h", "5d"],
            "description": f"A duration from 0s to {MAX_DURATION_DAYS}d (100 years): a number "
            "and a unit, s (seconds), m (minutes), h (hours), d (days) or w (weeks).",
        }
    ),
]
