"""Show that a refactoring changed no result: the examples' audit, roadmap and
scenario JSON at a git revision and in the working tree, compared.

    .venv/bin/python scripts/same_results.py REV [--ignore KEY ...]

REV is checked out in a temporary git worktree and run with this tree's virtual
environment (PYTHONPATH points at its sources); the working tree runs as installed.
Keys named by --ignore (e.g. ``predicate`` and ``evidence``, fields a change added on
purpose) are dropped from both sides before comparing, wherever they appear. Exit 0
when every document is the same, 1 with the first differences otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
# (name, arguments after the estate): each example's documents, in both languages.
COMMANDS = [
    *((f"audit.{lang}", ["audit", "-f", "json", "--lang", lang]) for lang in ("en", "fr")),
    *((f"roadmap.{lang}", ["roadmap", "-f", "json", "--lang", lang]) for lang in ("en", "fr")),
    ("scenarios", ["simulate", "--all", "-f", "json"]),
]


def _run(source: Path, estate: Path, args: list[str]) -> Any:
    env = {**os.environ, "PYTHONPATH": str(source / "src")}
    command = [sys.executable, "-m", "souverain", args[0], str(estate), *args[1:]]
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=source)
    try:
        return json.loads(done.stdout)
    except json.JSONDecodeError:
        raise SystemExit(f"{' '.join(command)} failed in {source}:\n{done.stderr}") from None


def _without(value: Any, ignored: frozenset[str]) -> Any:
    if isinstance(value, dict):
        return {k: _without(v, ignored) for k, v in value.items() if k not in ignored}
    if isinstance(value, list):
        return [_without(v, ignored) for v in value]
    return value


def _differences(old: Any, new: Any, where: str = "") -> Iterator[str]:
    if isinstance(old, dict) and isinstance(new, dict):
        for key in sorted(old.keys() | new.keys(), key=str):
            if key not in new:
                yield f"{where}.{key}: removed"
            elif key not in old:
                yield f"{where}.{key}: added"
            else:
                yield from _differences(old[key], new[key], f"{where}.{key}")
    elif isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        for i, (a, b) in enumerate(zip(old, new, strict=True)):
            yield from _differences(a, b, f"{where}[{i}]")
    elif old != new:
        before, after = (json.dumps(v, ensure_ascii=False)[:120] for v in (old, new))
        yield f"{where}: {before} -> {after}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("rev", help="the git revision to compare the working tree with")
    parser.add_argument("--ignore", action="append", default=[], help="a key to drop on both sides")
    options = parser.parse_args()
    ignored = frozenset(options.ignore)
    same = True
    with tempfile.TemporaryDirectory() as folder:
        old_tree = Path(folder) / "old"
        add = ["git", "worktree", "add", "--detach", "-q", str(old_tree), options.rev]
        subprocess.run(add, cwd=ROOT, check=True)
        try:
            for estate in EXAMPLES:
                for name, args in COMMANDS:
                    old_estate = old_tree / "examples" / estate.name
                    old = _without(_run(old_tree, old_estate, args), ignored)
                    new = _without(_run(ROOT, estate, args), ignored)
                    found = list(_differences(old, new))
                    verdict = f"{len(found)} difference(s)" if found else "same"
                    print(f"{estate.stem} {name}: {verdict}")
                    for line in found[:10]:
                        print(f"    {line}")
                    same = same and not found
        finally:
            remove = ["git", "worktree", "remove", "--force", str(old_tree)]
            subprocess.run(remove, cwd=ROOT, check=True)
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
