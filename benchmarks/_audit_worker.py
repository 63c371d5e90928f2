"""The audit, YAML in, JSON out, through the library: run in a fresh process by bench_audit.

``python _audit_worker.py run ESTATE OUT DATE`` audits as ``souverain audit --format json``
does; ``python _audit_worker.py stages ESTATE OUT DATE`` does the same and prints the
seconds of each stage as one JSON object.
"""

from __future__ import annotations

import gc
import json
import sys
import time
from datetime import date
from pathlib import Path

START = time.perf_counter()

from souverain.core.estate.validation import check_estate  # noqa: E402
from souverain.core.scoring.audit import audit  # noqa: E402
from souverain.exporters.json import JsonExporter  # noqa: E402
from souverain.importers.document import fast_data, read_text  # noqa: E402
from souverain.resources import load_catalog, load_methodology  # noqa: E402

IMPORTED = time.perf_counter()


def main(argv: list[str]) -> int:
    mode, estate_path, out_path, day = argv
    stages = {"import": IMPORTED - START}
    clock = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        stages[stage] = now - clock
        clock = now

    gc.disable()  # as the CLI does for one run
    text = read_text(Path(estate_path))
    data = fast_data(text)
    lap("parse")
    estate, problems = check_estate(data)
    if estate is None:
        raise SystemExit(f"the generated estate does not validate: {problems[:3]}")
    lap("validate")
    methodology = load_methodology()
    catalog = load_catalog()
    lap("resources")
    result = audit(estate, methodology, catalog, date.fromisoformat(day))
    lap("score")
    output = JsonExporter().render(result, "en")
    lap("render")
    Path(out_path).write_bytes(output)
    lap("write")
    if mode == "stages":
        print(json.dumps(stages))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
