"""Every limit souverain puts on what it reads, in one place.

Each limit protects the user from a crash, a hang or a silent misreading: past it,
the input is refused with a located error that names the limit. ``docs/limits.md``
states them for users; a test checks that every limit here is documented there.
"""

from __future__ import annotations

from typing import Final

# Files
MAX_FILE_BYTES: Final = 64 * 1024 * 1024
"""Largest estate, catalog, methodology or plan file read (an estate of 100,000 assets
is about 40 MB of YAML)."""

MAX_FLOW_DEPTH: Final = 1000
"""Deepest nesting of brackets (YAML flow collections, JSON) in a file."""
