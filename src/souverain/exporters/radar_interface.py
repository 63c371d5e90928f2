"""What every radar exporter is: a renderer of a :class:`Radar` into bytes.

Radar outputs render a :class:`souverain.core.planning.radar.Radar`, not an audit, so they sit
behind their own small interface and registry (``RADAR_EXPORTERS`` in
:mod:`souverain.exporters.registry`).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import ClassVar

from souverain.core.phrase import Phrase
from souverain.core.planning.radar import Blip, Radar
from souverain.i18n import Lang, label
from souverain.wording import render


class RadarExporter(ABC):
    """Renders a :class:`Radar`; one subclass per output format."""

    format: ClassVar[str]
    suffix: ClassVar[str]
    binary: ClassVar[bool] = False

    @abstractmethod
    def render(self, radar: Radar, lang: Lang) -> bytes:
        """The whole output, ready to be written to a file."""


def radar_title(radar: Radar, lang: Lang) -> str:
    """The radar's title, e.g. "Tech radar of alternatives — Forges de Bourgogne"."""
    return label(lang, f"radar_title_{radar.view}", organisation=radar.organisation)


def radar_words(words: Phrase, lang: Lang) -> str:
    """A phrase of the radar in ``lang`` (``data/locales/radar.<lang>.yaml``)."""
    return render(words, lang, "radar")


def quadrant_name(radar: Radar, quadrant: str, lang: Lang) -> str:
    return next(radar_words(q.name, lang) or q.id for q in radar.quadrants if q.id == quadrant)


def ring_name(radar: Radar, ring: str, lang: Lang) -> str:
    return next(radar_words(r.name, lang) or r.id for r in radar.rings if r.id == ring)


def blip_description(blip: Blip, lang: Lang) -> str:
    """A blip's description in ``lang``: its sentences, those with words, one after
    the other."""
    return " ".join(filter(None, (radar_words(p, lang) for p in blip.description)))
