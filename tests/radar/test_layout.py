"""Blip placement: deterministic, inside its sector, never two blips overlapping."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from souverain.exporters.radar_svg import AXIS, BLIP_R, EDGE, SPACING, layout, text_width

QUADRANTS = ("collaboration", "business-applications", "infrastructure", "data-identity")

# For each quadrant, 1 to 150 blips spread over the four rings in any proportion.
quadrant_counts = st.integers(1, 150).flatmap(
    lambda total: st.lists(st.integers(0, total), min_size=3, max_size=3).map(
        lambda cuts: _split(total, sorted(cuts))
    )
)


def _split(total: int, cuts: list[int]) -> list[int]:
    edges = [0, *cuts, total]
    return [edges[i + 1] - edges[i] for i in range(4)]


def check(counts: list[list[int]]) -> None:
    placed = layout(counts)
    radii = placed.radii
    assert list(radii) == sorted(radii)
    centres = []
    for q, row in enumerate(counts):
        sx, sy = (-1 if q in (0, 2) else 1), (-1 if q in (0, 1) else 1)
        for r, count in enumerate(row):
            points = placed.points[q][r]
            assert len(points) == count
            inner = radii[r - 1] if r else 0.0
            for x, y in points:
                assert x >= AXIS - 1e-9 and y >= AXIS - 1e-9  # clear of both axes
                distance = math.hypot(x, y)
                assert distance <= radii[r] - BLIP_R - EDGE + 1e-9
                if r:
                    assert distance >= inner + BLIP_R + EDGE - 1e-9
                centres.append((sx * x, sy * y))
    # No two blips closer than a diameter plus the gap, whatever their sectors.
    centres.sort()
    for i, (x1, y1) in enumerate(centres):
        for x2, y2 in centres[i + 1 :]:
            if x2 - x1 >= SPACING:
                break
            assert math.hypot(x2 - x1, y2 - y1) >= SPACING - 1e-6 > 2 * BLIP_R


@settings(max_examples=40, deadline=None)
@given(st.lists(quadrant_counts, min_size=4, max_size=4))
def test_placement_never_overlaps(counts: list[list[int]]) -> None:
    check(counts)


def test_placement_of_150_blips_in_one_ring_of_every_quadrant() -> None:
    for ring in range(4):
        check([[150 if r == ring else 0 for r in range(4)] for _ in QUADRANTS])


def test_placement_is_deterministic() -> None:
    counts = [[3, 7, 12, 1], [0, 0, 5, 2], [20, 1, 1, 1], [4, 4, 4, 4]]
    assert layout(counts) == layout(counts)


def test_rings_widen_for_their_labels_and_blips() -> None:
    small = layout([[1, 1, 1, 1]] * 4)
    crowded = layout([[1, 1, 1, 60]] * 4)
    assert crowded.radii[3] - crowded.radii[2] > small.radii[3] - small.radii[2]
    assert crowded.radii[:3] == small.radii[:3]
    wide = layout([[1, 1, 1, 1]] * 4, min_widths=[0, 0, 0, 200])
    assert wide.radii[3] - wide.radii[2] >= 200


def test_text_width_grows_with_text() -> None:
    assert text_width("WWW", 12) > text_width("iii", 12) > 0
    assert text_width("Abc", 12, bold=True) > text_width("Abc", 12)


def _fit_by_trimming(text: str, size: float, room: float) -> str:
    """What fit must give: the text, else its longest beginning that fits with "…"."""
    if text_width(text, size) <= room:
        return text
    while text and text_width(text + "…", size) > room:
        text = text[:-1]
    return text.rstrip(" ,·") + "…" if text else ""


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet="abcXYZ019 ,·iljmwMW@—é←.", max_size=60),
    st.sampled_from([9, 10, 11, 12.5, 13]),
    st.floats(min_value=0, max_value=400),
)
def test_fit_keeps_the_longest_beginning_that_fits(text: str, size: float, room: float) -> None:
    from souverain.exporters.radar_svg import fit

    shown = fit(text, size, room)
    assert shown == _fit_by_trimming(text, size, room)
    assert text_width(shown, size) <= room or shown == ""


def test_fit_reads_a_long_text_only_as_far_as_the_room_goes() -> None:
    """A blip replacing thousands of assets names them all: cutting that list to a
    legend line must read it once and only as far as the line goes (trimming it a
    character at a time took 216 s for a 10,000-asset radar)."""
    from collections.abc import Iterator

    from souverain.exporters.radar_svg import fit

    class Counted(str):
        read = 0

        def __iter__(self) -> Iterator[str]:
            for char in str.__iter__(self):
                Counted.read += 1
                yield char

    names = Counted(", ".join(f"application-{n:05d}" for n in range(200_000)))
    shown = fit(names, 11, 300)
    assert shown.endswith("…") and text_width(shown, 11) <= 300
    # The narrowest character is 0.36 em: 300 px at 11 px hold at most 76 of them.
    assert Counted.read <= 300 / (0.36 * 11) + 2
