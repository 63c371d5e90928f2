"""The HTML templates read ``a.b`` of a dict as its key first (exporters.html): that is
Jinja2's own result only while no template calls a method of a dict."""

from __future__ import annotations

import re
from pathlib import Path

from souverain.exporters.html import environment

TEMPLATES = Path(__file__).parents[2] / "src" / "souverain" / "exporters" / "templates"
DICT_METHODS = re.compile(r"\.(" + "|".join(m for m in dir(dict) if not m.startswith("_")) + r")\b")


def test_no_template_calls_a_method_of_a_dict() -> None:
    found = [
        f"{path.name}: {match.group(0)}"
        for path in sorted(TEMPLATES.glob("*.j2"))
        for match in DICT_METHODS.finditer(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_a_dict_is_read_by_key_and_an_object_by_attribute() -> None:
    page = environment().from_string("{{ d.items }} {{ d.name }} {{ o.real }}")
    assert page.render(d={"items": 3, "name": "x"}, o=2) == "3 x 2"
    # A key it lacks: the attribute, as Jinja2 does.
    assert environment().from_string("{{ d.keys is callable }}").render(d={}) == "True"
