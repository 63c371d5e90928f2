"""What every exporter is: a renderer of an audit result into bytes."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import ClassVar

from souverain.core.mapper import Mapper, serially
from souverain.core.scoring.audit import AuditResult
from souverain.i18n import Lang


class ExportError(Exception):
    """An exporter could not render its output."""


class Exporter(ABC):
    """Renders an :class:`AuditResult`; one subclass per output format."""

    format: ClassVar[str]
    suffix: ClassVar[str]
    binary: ClassVar[bool] = False

    @abstractmethod
    def render(self, result: AuditResult, lang: Lang) -> bytes:
        """The whole output, ready to be written to a file."""

    def pieces(self, result: AuditResult, lang: Lang, mapper: Mapper = serially) -> Sequence[bytes]:
        """The whole output in pieces, to be written one after the other: a large output
        (the JSON of a large audit runs to a hundred megabytes) is written without first
        being copied whole into one object. ``mapper``: how a format that renders its
        rows one by one may share them out (the CLI's pipeline forks). By default,
        :meth:`render` as one piece."""
        return (self.render(result, lang),)
