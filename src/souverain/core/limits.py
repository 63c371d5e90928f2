"""Every limit souverain puts on what it reads, in one place.

Each limit protects the user from a crash, a hang or a silent misreading: past it,
the input is refused with a located error that names the limit. ``docs/limits.md``
states them for users; a test checks that every limit here is documented there.
"""

from __future__ import annotations

from datetime import date
from typing import Final

# Files
MAX_FILE_BYTES: Final = 64 * 1024 * 1024
"""Largest estate, catalog, methodology or plan file read (an estate of 100,000 assets
is about 40 MB of YAML)."""

MAX_FLOW_DEPTH: Final = 1000
"""Deepest nesting of brackets (YAML flow collections, JSON) in a file."""

# Methodology (src/souverain/data/methodology.yaml or --methodology FILE)
METHODOLOGY_MAX_WEIGHT: Final = 1000
"""Largest weight of an exposure axis. Weights are relative (only their ratios count);
the shipped ones are 1 to 3."""

METHODOLOGY_MIN_PEOPLE_ON_EXIT: Final = 0.01
"""Fewest people working on an exit at once (1 % of one person's time): the time to exit is
``effort_days / people_on_exit``, so a smaller figure would make it astronomically long."""

METHODOLOGY_MAX_PEOPLE_ON_EXIT: Final = 10_000
"""Most people working on an exit at once."""

METHODOLOGY_MAX_DAYS: Final = 36_525
"""Largest number of days a methodology rule counts (100 years): an age of an export or
restore test, a notice period, the days before a contract ends."""

METHODOLOGY_MAX_DEPTH: Final = 100
"""Deepest subcontracting level a methodology rule asks for (``min_depth``)."""

# Dates given on the command line
MIN_AS_OF: Final = date(1970, 1, 1)
"""Earliest ``--as-of`` date: an audit of a world before 1970 is a typo, not an audit."""

MAX_AS_OF: Final = date(2199, 12, 31)
"""Latest ``--as-of`` date: roadmaps, notice periods and exit times are projected years
beyond it, and must stay far from the last date Python knows (9999-12-31)."""

METHODOLOGY_MAX_RULES: Final = 500
"""Most rules and exit criteria in a methodology, all axes together (the shipped one has
69): every rule is tried on every asset, so scoring time grows with their number."""

# Parsing (souverain.importers.document)
MAX_NESTING_DEPTH: Final = 200
"""Deepest nesting of collections in a document, indentation, dashes and brackets
together (an estate nests about 6 levels, a methodology about 10). Far deeper nesting
overflows the parsers' stacks: yaml-rs and libyaml crashed near 11,000 levels, the
line-keeping loader's recursion stops near 330. Supersedes MAX_FLOW_DEPTH for parsing."""

MAX_INT_DIGITS: Final = 100
"""Most decimal digits of an integer in a document (its value stays below 10^100, in any
base). Every count in souverain is far below that; longer literals are typos or attacks
(Python refuses to convert integers of more than 4,300 digits at all)."""

MAX_AUDIT_JSON_BYTES: Final = 512 * 1024 * 1024
"""Largest audit JSON that ``diff`` reads back. An audit is much larger than its estate
(61 MiB for 10,000 assets, about 6.4 kB an asset): this reads the audits of estates of
about 80,000 assets. An estate given to ``diff`` keeps MAX_FILE_BYTES."""
