"""Durations as estates write them: ``30m``, ``8h``, ``5d``, ``2w``."""

from __future__ import annotations

import pytest

from souverain.core.estate.duration import Duration

MINUTE = 60
HOUR = 60 * MINUTE
DAY = 24 * HOUR
WEEK = 7 * DAY


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("30m", 30 * MINUTE), ("8h", 8 * HOUR), ("5d", 5 * DAY), ("2w", 2 * WEEK)],
)
def test_each_unit_is_read_as_its_number_of_seconds(text: str, seconds: int) -> None:
    assert Duration.parse(text).seconds == seconds


def test_a_decimal_amount_is_allowed() -> None:
    assert Duration.parse("1.5h").seconds == 90 * MINUTE


def test_a_parsed_duration_is_shown_as_written() -> None:
    assert str(Duration.parse("8h")) == "8h"


def test_days_gives_the_length_in_days() -> None:
    # 36 hours is a day and a half.
    assert Duration.parse("36h").days == 1.5


def test_of_days_writes_the_duration_in_days() -> None:
    duration = Duration.of_days(2.5)
    assert duration.seconds == 2.5 * DAY
    assert str(duration) == "2.5d"


def test_durations_in_different_units_sort_by_length() -> None:
    written = ["2w", "30m", "5d", "8h"]
    ordered = sorted(Duration.parse(t) for t in written)
    assert [str(d) for d in ordered] == ["30m", "8h", "5d", "2w"]


def test_a_shorter_duration_is_less_than_a_longer_one_in_another_unit() -> None:
    # 23 hours < 1 day < 25 hours.
    assert Duration.parse("23h") < Duration.parse("1d") < Duration.parse("25h")


def test_equal_lengths_written_in_different_units_are_equal() -> None:
    assert Duration.parse("24h") == Duration.parse("1d")


def test_a_duration_is_at_most_an_equal_length_in_another_unit() -> None:
    # 7 days is exactly one week.
    assert Duration.parse("7d") <= Duration.parse("1w")


@pytest.mark.parametrize("text", ["8x", "", "h", "8", "-1h", "8 hours", "8H", "1e3h", "h8"])
def test_malformed_durations_are_rejected_with_examples(text: str) -> None:
    with pytest.raises(ValueError, match="30m, 8h, 5d or 2w"):
        Duration.parse(text)
