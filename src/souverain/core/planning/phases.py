"""The roadmap's three phases and its calendar: when a phase starts, when an action ends.

See docs/roadmap.md. Pure: dates in, dates out.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Literal

PhaseName = Literal["0-3 months", "3-12 months", "12-36 months"]
PHASES: tuple[PhaseName, ...] = ("0-3 months", "3-12 months", "12-36 months")
PHASE_START_MONTHS: Mapping[PhaseName, int] = {
    "0-3 months": 0,
    "3-12 months": 3,
    "12-36 months": 12,
}
PHASE_MONTHS: Mapping[PhaseName, int] = {"0-3 months": 3, "3-12 months": 9, "12-36 months": 24}
DEFAULT_CAPACITY_DAYS_PER_MONTH = 10.0  # half a person, every month, on the roadmap


def phase_start(today: date, phase: PhaseName) -> date:
    """The first day of a phase: ``today`` plus the phase's offset in months (the
    calendar's last day, 9999-12-31, at the latest: the CLI keeps ``today`` centuries
    before it, :data:`~souverain.core.limits.MAX_AS_OF`)."""
    months = PHASE_START_MONTHS[phase]
    year, month = divmod(today.month - 1 + months, 12)
    year += today.year
    if year > date.max.year:
        return date.max
    month += 1
    days = [31, 29 if _leap(year) else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    return date(year, month, min(today.day, days))


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def calendar_days(effort_days: float) -> int:
    """An action's length in the calendar: its effort, rounded up, at least one day."""
    return max(1, math.ceil(effort_days))


def action_end(start: date, effort_days: float) -> date:
    """The day an action begun on ``start`` ends, :func:`calendar_days` later.

    Never past the calendar's last day, 9999-12-31, which stands for "later than any
    calendar": with ``--as-of`` at most :data:`~souverain.core.limits.MAX_AS_OF` and
    every effort bounded, no action of a valid estate ends within centuries of it, but
    a date must never overflow (the action's ``effort_days`` still gives its length).
    """
    room = (date.max - start).days
    if not effort_days < room:  # also an infinite or undefined effort
        return date.max
    return start + timedelta(days=calendar_days(effort_days))
