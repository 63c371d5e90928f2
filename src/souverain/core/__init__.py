"""The pure core of souverain: the estate model, the catalog, scoring.

Nothing in this package reads files, talks to the network or prints; the
import-linter contract in ``pyproject.toml`` keeps it that way.
"""
