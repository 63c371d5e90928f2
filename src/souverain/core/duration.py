"""Durations as written in estates: ``30m``, ``8h``, ``5d``, ``2w``."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_PATTERN = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*$")
DURATION_REGEX = r"^\d+(\.\d+)?[smhdw]$"


@dataclass(frozen=True, order=True)
class Duration:
    """A length of time; compares by its number of seconds."""

    seconds: float
    text: str = field(default="", compare=False)

    @classmethod
    def parse(cls, text: str) -> Duration:
        """Parse ``<number><unit>`` where unit is s, m, h, d or w."""
        match = _PATTERN.match(text)
        if not match:
            raise ValueError(f"expected a duration such as 30m, 8h, 5d or 2w, found {text!r}")
        number, unit = match.groups()
        return cls(float(number) * _UNITS[unit], text.strip())

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
    raise ValueError(f"expected a duration such as 30m, 8h, 5d or 2w, found {value!r}")


DurationField = Annotated[
    Duration,
    BeforeValidator(_coerce),
    PlainSerializer(str, return_type=str),
    WithJsonSchema({"type": "string", "pattern": DURATION_REGEX, "examples": ["8h", "5d"]}),
]
