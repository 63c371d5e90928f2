"""Every limit souverain puts on what it reads, in one place.

Each limit protects the user from a crash, a hang or a silent misreading: past it,
the input is refused with a located error that names the limit. ``docs/limits.md``
states them for users; a test checks that every limit here is documented there.
"""

from __future__ import annotations

from datetime import date
from typing import Final

# Files and their parsing (souverain.importers.document)

MAX_FILE_BYTES: Final = 64 * 1024 * 1024
"""Largest estate, catalog, methodology or plan file read (an estate of 100,000 assets
is about 40 MB of YAML)."""

MAX_AUDIT_JSON_BYTES: Final = 512 * 1024 * 1024
"""Largest audit JSON that ``diff`` reads back. An audit is much larger than its estate
(61 MiB for 10,000 assets, about 6.4 kB an asset): this reads the audits of estates of
about 80,000 assets. An estate given to ``diff`` keeps MAX_FILE_BYTES."""

MAX_NESTING_DEPTH: Final = 200
"""Deepest nesting of collections in a document, indentation, dashes and brackets
together (an estate nests about 6 levels, a methodology about 10). Far deeper nesting
overflows the parsers' stacks: yaml-rs and libyaml crashed near 11,000 levels, the
line-keeping loader's recursion stops near 330."""

MAX_INT_DIGITS: Final = 100
"""Most decimal digits of an integer in a document (its value stays below 10^100, in any
base). Every count in souverain is far below that; longer literals are typos or attacks
(Python refuses to convert integers of more than 4,300 digits at all)."""

# Estate values (souverain.core.estate.model): every number, duration, date and text is bounded

MAX_NAME_CHARS: Final = 300
"""Longest short text in an estate: names, categories, regions, data and export kinds,
licences, an exit's alternative. Legal names stay under 200 characters. An alternative is
matched against every catalog name, in time that grows with its length: 75 ms for 1,000
characters, 15 s for 100,000 (and each distinct alternative is matched once)."""

MAX_DESCRIPTION_CHARS: Final = 20_000
"""Longest free text in an estate (``description``, a processing ``purpose``): a few
pages; reports print it whole."""

MAX_GROUP_MEMBERS: Final = 1_000
"""Most members of one ``any_of`` redundancy group: real groups have two to a few dozen
(a cluster, a pool of laptops); a 50,000-member one makes every member a roadmap action
(57 s)."""

MAX_DURATION_DAYS: Final = 36_525
"""Longest duration in an estate (100 years): ``max_downtime``, ``rto``, ``rpo``,
``exit.duration``, and any duration souverain parses. No tolerance or exit is longer;
a 400-digit figure is infinite, and today + 100 years stays far inside the calendar."""

MAX_EFFORT_DAYS: Final = 100_000
"""Largest ``exit.effort_days`` (person-days, about 450 person-years): the largest
public-sector migrations cost thousands. A roadmap action lasts its effort in calendar
days: from the last ``--as-of`` (2199) it still ends before year 2500."""

MAX_NOTICE_DAYS: Final = 3_650
"""Longest ``termination_notice_days`` (10 years): contracts give days to months. The
notice is counted back from the contract's end date, which may be 9999-12-31."""

MAX_NOTIFICATION_HOURS: Final = 8_760
"""Longest ``incident_notification_hours`` (a year): contracts and laws ask for hours
to days (NIS2 24 h, GDPR 72 h)."""

MIN_ESTATE_DATE: Final = date(1900, 1, 1)
"""Earliest date in an estate (tests, contract dates): an earlier one is a typo (0225-03-01
for 2025-03-01). The latest is 9999-12-31, the last date Python knows, often written for a
contract without an end: nothing is added to estate dates, only counted back from them."""

# Methodology (src/souverain/data/methodology.yaml or --methodology FILE)

METHODOLOGY_MAX_RULES: Final = 500
"""Most rules and exit criteria in a methodology, all axes together (the shipped one has
69): every rule is tried on every asset, so scoring time grows with their number."""

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

# Command-line options

MIN_AS_OF: Final = date(1970, 1, 1)
"""Earliest ``--as-of`` date: an audit of a world before 1970 is a typo, not an audit."""

MAX_AS_OF: Final = date(2199, 12, 31)
"""Latest ``--as-of`` date: roadmaps, notice periods and exit times are projected years
beyond it, and must stay far from the last date Python knows (9999-12-31)."""

MAX_STALE_MONTHS: Final = 1200
"""Largest ``catalog stats --older-than`` (months): a century, far older than any fact of
the catalog; the cut-off date must stay after year 1, the first date Python knows."""

MAX_CAPACITY_DAYS_PER_MONTH: Final = 100_000
"""Largest ``roadmap --capacity`` (person-days a month, about 5,000 people full time on the
roadmap alone): an infinite or absurd capacity would print as ``inf`` in every phase."""

MAX_QUERY_CHARS: Final = 1000
"""Longest text given to ``catalog match`` or ``catalog search``: a product or company
name, even a whole invoice line, is far shorter; fuzzy matching time grows with the text
(a 90,000-character query took over 20 s)."""
