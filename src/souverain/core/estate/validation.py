"""Turn a parsed document into an :class:`Estate`, or report every problem in it.

Type errors come from pydantic; references, duplicates and cycles are checked
here on the raw data, so that one malformed entry does not hide the others.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from datetime import date
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from souverain.core.catalog.licences import nearest
from souverain.core.errors import InvalidInput, Path, Problem
from souverain.core.estate.duration import EXPECTED as DURATION_EXPECTED
from souverain.core.estate.model import GROUP_TAG, REF_TAG, Estate, iso_date
from souverain.core.limits import MAX_DURATION_DAYS, MAX_GROUP_MEMBERS
from souverain.core.phrase import Words, phrase

_TAGS = {REF_TAG, GROUP_TAG}

# What people should read instead of pydantic's own wording, per error type.
_DATE = phrase("expected-iso-date")
_EXPECTED = {
    "missing": phrase("expected-required"),
    "extra_forbidden": phrase("expected-no-such-field"),
    "date_parsing": _DATE,
    "date_from_datetime_parsing": _DATE,
    "date_from_datetime_inexact": _DATE,
    "date_type": _DATE,
    "bool_parsing": phrase("true-or-false"),
    "bool_type": phrase("true-or-false"),
    "int_parsing": phrase("a-whole-number"),
    "int_type": phrase("a-whole-number"),
    "float_parsing": phrase("a-number"),
    "float_type": phrase("a-number"),
    "string_type": phrase("a-text"),
    "list_type": phrase("a-list"),
    "dict_type": phrase("a-mapping-of-fields"),
    "model_type": phrase("a-mapping-of-fields"),
    "model_attributes_type": phrase("a-mapping-of-fields"),
}

_TITLES = {
    "missing": phrase("missing-field"),
    "extra_forbidden": phrase("unknown-field"),
    "too_long": phrase("too-many-items"),
    "string_too_long": phrase("text-too-long"),
}

_PATTERN_MEANING = {
    r"^[A-Z]{2}$": phrase("expected-country-code"),
}

# What a ``ValueError`` raised inside the model says it expected, worded.
_VALUE_ERRORS = {
    DURATION_EXPECTED: phrase("expected-duration", most=f"{MAX_DURATION_DAYS}d"),
}


def _found(value: Any) -> Words:
    if isinstance(value, Mapping):
        return phrase("a-mapping")
    if isinstance(value, list):
        return phrase("found-list", count=len(value))
    if isinstance(value, int) and not -(10**60) < value < 10**60:
        # repr() of an int of more than 4,300 digits raises; none is worth printing.
        return phrase("found-huge-number", digits=int(value.bit_length() * 0.30103))
    if isinstance(value, str) and len(value) > 80:
        return repr(value[:77] + "...")
    text = repr(value) if not isinstance(value, date) else value.isoformat()
    return text if len(text) <= 80 else text[:77] + "..."


# pydantic's bound errors, as the constraint really is (``gt=0`` is "> 0", not "≥ 0").
_BOUNDS = {
    "greater_than_equal": ("≥", "ge"),
    "greater_than": (">", "gt"),
    "less_than_equal": ("≤", "le"),
    "less_than": ("<", "lt"),
}


def problems_from_pydantic(error: ValidationError, prefix: Path = ()) -> list[Problem]:
    """Translate pydantic's errors into :class:`Problem` values."""
    problems = []
    for item in error.errors(include_url=False):
        path = prefix + tuple(p for p in item["loc"] if p not in _TAGS)
        kind = item["type"]
        ctx = item.get("ctx") or {}
        expected: Words
        if kind == "literal_error":
            expected = phrase("one-of", choices=str(ctx.get("expected", "")).replace("'", ""))
        elif kind == "string_pattern_mismatch":
            pattern = str(ctx.get("pattern", ""))
            expected = _PATTERN_MEANING.get(pattern, phrase("expected-id"))
        elif kind == "too_short":
            expected = phrase("at-least-items", count=str(ctx.get("min_length")))
        elif kind == "too_long":
            expected = phrase("at-most-items", count=str(ctx.get("max_length")))
        elif kind == "string_too_long":
            expected = phrase("text-at-most", count=str(ctx.get("max_length")))
        elif kind == "souverain":  # the models' own checks say what they expect
            expected = ctx["expected"]
        elif kind == "value_error":
            text = str(ctx.get("error", item["msg"]))
            if text.startswith("expected "):
                text = text[len("expected ") :].split(", found")[0]
            expected = _VALUE_ERRORS.get(text, text)
        elif kind in _BOUNDS:
            sign, key = _BOUNDS[kind]
            expected = phrase("number-compared", sign=sign, bound=str(ctx.get(key)))
        else:
            expected = _EXPECTED.get(kind, item["msg"])
        found: Words
        if kind == "missing":
            found = phrase("nothing")
        elif kind == "extra_forbidden":
            found = phrase("found-field", name=repr(path[-1])) if path else phrase("unknown-field")
        else:
            found = _found(item.get("input"))
        title = ctx["title"] if kind == "souverain" else _TITLES.get(kind, phrase("wrong-value"))
        problems.append(Problem(path=path, message=title, expected=expected, found=found))
    return problems


def _entries(raw: Mapping[str, Any], section: str) -> Iterator[tuple[int, Mapping[str, Any]]]:
    items = raw.get(section)
    if isinstance(items, list):
        for index, item in enumerate(items):
            if isinstance(item, Mapping):
                yield index, item


def _ids(value: Any) -> Iterator[tuple[Path, str]]:
    """Ids inside a ``depends_on`` list, with their relative paths."""
    if not isinstance(value, list):
        return
    for index, item in enumerate(value):
        if isinstance(item, str):
            yield (index,), item
        elif isinstance(item, Mapping) and isinstance(item.get("any_of"), list):
            members = item["any_of"]
            if len(members) > MAX_GROUP_MEMBERS:
                continue  # refused as a whole (the model's max_length), not member by member
            for sub, member in enumerate(members):
                if isinstance(member, str):
                    yield (index, "any_of", sub), member
            strings = [m for m in members if isinstance(m, str)]
            if len(set(strings)) < len(strings):
                yield (index, "any_of"), "\0duplicate"


_UNKNOWN = {
    "asset": phrase("unknown-asset"),
    "provider": phrase("unknown-provider"),
    "contract": phrase("unknown-contract"),
}
_CYCLE = {"asset": phrase("asset-cycle"), "provider": phrase("provider-cycle")}


class _References:
    """The ids each section declares, and the problems found on the way."""

    def __init__(self, raw: Mapping[str, Any], problems: list[Problem]) -> None:
        self.raw = raw
        self.problems = problems
        self.declared: dict[str, dict[str, int]] = {}
        for section in ("processes", "providers", "assets", "contracts", "processing", "data"):
            seen: dict[str, int] = {}
            for index, entry in _entries(raw, section):
                ident = entry.get("id")
                if not isinstance(ident, str):
                    continue
                if ident in seen:
                    problems.append(
                        Problem(
                            path=(section, index, "id"),
                            message=phrase("duplicate-id"),
                            expected=phrase("expected-unused-id", section=section),
                            found=phrase(
                                "found-id-of", value=repr(ident), other=f"{section}[{seen[ident]}]"
                            ),
                        )
                    )
                else:
                    seen[ident] = index
            self.declared[section] = seen

    def check(self, path: Path, ident: Any, section: str, what: str, suggest: bool = False) -> None:
        if not isinstance(ident, str) or ident in self.declared[section]:
            return
        near = nearest(ident, sorted(self.declared[section])) if suggest else []
        self.problems.append(
            Problem(
                path=path,
                message=_UNKNOWN[what],
                expected=(
                    phrase("expected-estate-id-nearest", section=section, nearest=", ".join(near))
                    if near
                    else phrase("expected-estate-id", section=section)
                ),
                found=repr(ident),
            )
        )


def _check_references(refs: _References) -> None:
    raw = refs.raw
    for section in ("processes", "assets"):
        for index, entry in _entries(raw, section):
            for rel, ident in _ids(entry.get("depends_on")):
                path = (section, index, "depends_on", *rel)
                if ident == "\0duplicate":
                    refs.problems.append(
                        Problem(
                            path=path,
                            message=phrase("any-of-twice"),
                            expected=phrase("distinct-members"),
                            found=phrase("repeated-id"),
                        )
                    )
                else:
                    refs.check(path, ident, "assets", "asset")
    for index, entry in _entries(raw, "assets"):
        protects = entry.get("protects")
        if isinstance(protects, list):
            for sub, ident in enumerate(protects):
                refs.check(("assets", index, "protects", sub), ident, "assets", "asset")
        refs.check(("assets", index, "provider"), entry.get("provider"), "providers", "provider")
        refs.check(("assets", index, "contract"), entry.get("contract"), "contracts", "contract")
        licensor = entry.get("licensor")
        refs.check(("assets", index, "licensor"), licensor, "providers", "provider", suggest=True)
        updates = entry.get("updates")
        if isinstance(updates, Mapping):
            where = ("assets", index, "updates", "from")
            refs.check(where, updates.get("from"), "providers", "provider", suggest=True)
    for index, entry in _entries(raw, "providers"):
        refs.check(("providers", index, "owner"), entry.get("owner"), "providers", "provider")
        subs = entry.get("subcontractors")
        if isinstance(subs, list):
            for sub, ident in enumerate(subs):
                refs.check(
                    ("providers", index, "subcontractors", sub), ident, "providers", "provider"
                )
    for index, entry in _entries(raw, "contracts"):
        refs.check(("contracts", index, "provider"), entry.get("provider"), "providers", "provider")
    for index, entry in _entries(raw, "processing"):
        assets = entry.get("assets")
        if isinstance(assets, list):
            for sub, ident in enumerate(assets):
                refs.check(("processing", index, "assets", sub), ident, "assets", "asset")
        _check_via(refs, index, entry)


def _check_via(refs: _References, index: int, entry: Mapping[str, Any]) -> None:
    """Each asset a transfer leaves through (``transfers[].via``) is one of the
    record's ``assets``: the record says which of its systems sends the data."""
    assets, transfers = entry.get("assets"), entry.get("transfers")
    named = [a for a in assets if isinstance(a, str)] if isinstance(assets, list) else []
    for number, transfer in enumerate(transfers if isinstance(transfers, list) else []):
        via = transfer.get("via") if isinstance(transfer, Mapping) else None
        for sub, ident in enumerate(via if isinstance(via, list) else []):
            if isinstance(ident, str) and ident not in named:
                refs.problems.append(
                    Problem(
                        path=("processing", index, "transfers", number, "via", sub),
                        message=phrase("via-not-in-record"),
                        expected=(
                            phrase(
                                "expected-record-asset",
                                assets=", ".join(nearest(ident, named) or named),
                            )
                            if named
                            else phrase("expected-record-asset-none")
                        ),
                        found=repr(ident),
                    )
                )


def _check_contracts(refs: _References) -> None:
    """A contract ends on or after its start; an asset's contract is with its provider.

    The contract may be with a reseller, an integrator or another company of the
    provider's group: any provider linked to the asset's through ``owner`` or
    ``subcontractors`` links (in either direction) is accepted.
    """
    raw = refs.raw
    contracts: dict[str, tuple[int, Any]] = {}
    for index, entry in _entries(raw, "contracts"):
        starts, ends = iso_date(entry.get("starts")), iso_date(entry.get("ends"))
        if starts and ends and ends < starts:
            refs.problems.append(
                Problem(
                    path=("contracts", index, "ends"),
                    message=phrase("contract-ends-before-start"),
                    expected=phrase("expected-end-after-start", start=starts.isoformat()),
                    found=ends.isoformat(),
                )
            )
        ident = entry.get("id")
        if isinstance(ident, str) and ident not in contracts:
            contracts[ident] = (index, entry.get("provider"))
    declared = refs.declared["providers"]
    group: dict[str, str] = {}  # union-find over the providers' owner and subcontractor links

    def root(ident: str) -> str:
        top = ident
        while group.get(top, top) != top:
            top = group[top]
        while ident != top:
            group[ident], ident = top, group.get(ident, ident)
        return top

    for _, entry in _entries(raw, "providers"):
        ident = entry.get("id")
        subs = entry.get("subcontractors")
        linked = [entry.get("owner"), *(subs if isinstance(subs, list) else [])]
        for other in linked:
            if isinstance(ident, str) and isinstance(other, str) and other in declared:
                group[root(other)] = root(ident)
    for index, entry in _entries(raw, "assets"):
        provider, contract = entry.get("provider"), entry.get("contract")
        if not (isinstance(provider, str) and isinstance(contract, str)):
            continue  # wrong types are reported by the model's own check
        if provider not in declared or contract not in contracts:
            continue
        _, party = contracts[contract]
        if not isinstance(party, str) or party not in declared or root(party) == root(provider):
            continue
        refs.problems.append(
            Problem(
                path=("assets", index, "contract"),
                message=phrase("contract-other-provider"),
                expected=phrase("expected-contract-with", provider=provider),
                found=phrase("found-contract-with", contract=contract, provider=party),
            )
        )


class Cycle:
    """One loop of a directed graph: a closed path through its first member, and the
    other members of the same loop (strongly connected component) that the path
    does not go through (a joint venture owned by two partners it owns, say)."""

    __slots__ = ("others", "path")

    def __init__(self, path: list[str], others: list[str]) -> None:
        self.path = path
        self.others = others

    def __repr__(self) -> str:
        return f"Cycle({self.path!r}, {self.others!r})"

    def text(self) -> Words:
        """``a → b → a``, then ``; also in this loop: c, d`` if the loop has more."""
        text = " → ".join(self.path)
        if self.others:
            return phrase("found-cycle-and-others", path=text, others=", ".join(self.others))
        return text


def find_cycles(nodes: Iterable[str], successors: Callable[[str], Iterable[str]]) -> list[Cycle]:
    """Every loop of the directed graph, once each, in the order of ``nodes``.

    A loop is a strongly connected component with an edge inside it (Tarjan's
    algorithm, iterative so that deep graphs do not hit the recursion limit; linear
    in nodes and edges). Each is given by its shortest closed path from its first
    member in ``nodes``, plus the members that path misses. Successors that are not
    in ``nodes`` are ignored.
    """
    from collections import deque

    order = {node: position for position, node in enumerate(nodes)}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []
    for root in order:
        if root in index:
            continue
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        work: list[tuple[str, Iterator[str]]] = [(root, iter(successors(root)))]
        while work:
            node, pending = work[-1]
            for nxt in pending:
                if nxt not in order:
                    continue
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(successors(nxt))))
                    break
                if nxt in on_stack and index[nxt] < low[node]:
                    low[node] = index[nxt]
            else:
                work.pop()
                if work and low[node] < low[work[-1][0]]:
                    low[work[-1][0]] = low[node]
                if low[node] == index[node]:
                    component: list[str] = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    components.append(component)
    cycles: list[tuple[int, Cycle]] = []
    for component in components:
        start = min(component, key=order.__getitem__)
        members = set(component)
        parent: dict[str, str] = {}
        queue = deque([start])
        last: str | None = None
        while queue and last is None:
            node = queue.popleft()
            for nxt in successors(node):
                if nxt == start:
                    last = node
                    break
                if nxt in members and nxt not in parent:
                    parent[nxt] = node
                    queue.append(nxt)
        if last is None:
            continue  # a single node without an edge to itself: no loop
        path = [last]
        while path[-1] != start:
            path.append(parent[path[-1]])
        path.reverse()
        path.append(start)
        on_path = set(path)
        others = sorted((m for m in component if m not in on_path), key=order.__getitem__)
        cycles.append((order[start], Cycle(path, others)))
    cycles.sort(key=lambda item: item[0])
    return [cycle for _, cycle in cycles]


def _check_cycles(refs: _References) -> None:
    raw = refs.raw
    requires: Mapping[str, list[str]] = {}
    asset_cycles = False
    graphs: list[tuple[str, str, Callable[[Mapping[str, Any]], list[str]], str]] = [
        ("assets", "depends_on", lambda e: [i for _, i in _ids(e.get("depends_on"))], "asset"),
        (
            "providers",
            "subcontractors",
            lambda e: (
                [s for s in e.get("subcontractors") or [] if isinstance(s, str)]
                if isinstance(e.get("subcontractors"), list)
                else []
            ),
            "provider",
        ),
        (
            "providers",
            "owner",
            lambda e: [e["owner"]] if isinstance(e.get("owner"), str) else [],
            "provider",
        ),
    ]
    for section, field, edges, what in graphs:
        declared = refs.declared[section]
        entries = dict(_entries(raw, section))
        adjacency = {
            ident: [n for n in edges(entries[index]) if n in declared]
            for ident, index in declared.items()
        }
        cycles = find_cycles(adjacency, adjacency.__getitem__)
        if section == "assets":
            requires, asset_cycles = adjacency, bool(cycles)
        for cycle in cycles:
            refs.problems.append(
                Problem(
                    path=(section, declared[cycle.path[0]], field),
                    message=_CYCLE[what],
                    expected=(
                        phrase("expected-no-asset-cycle", field=field)
                        if what == "asset"
                        else phrase("expected-no-provider-cycle", field=field)
                    ),
                    found=cycle.text(),
                )
            )
    if not asset_cycles:  # reported only when depends_on alone has no cycle
        _check_protects_cycles(refs, requires)


def _check_protects_cycles(refs: _References, requires: Mapping[str, list[str]]) -> None:
    """A backup takes the gravity of what it protects: an asset may not protect,
    directly or through what it requires, an asset that requires it. ``requires``:
    each asset's ``depends_on``, known to have no cycle."""
    declared = refs.declared["assets"]
    entries = dict(_entries(refs.raw, "assets"))
    adjacency: dict[str, list[str]] | None = None
    for ident, index in declared.items():
        protects = entries[index].get("protects")
        if isinstance(protects, list):
            for protected in protects:
                if isinstance(protected, str) and protected in declared:
                    if adjacency is None:  # copied only when something protects
                        adjacency = {i: list(edges) for i, edges in requires.items()}
                    adjacency[protected].append(ident)
    if adjacency is None:
        return
    for cycle in find_cycles(adjacency, adjacency.__getitem__):
        refs.problems.append(
            Problem(
                path=("assets", declared[cycle.path[0]], "protects"),
                message=_CYCLE["asset"],
                expected=phrase("expected-no-asset-cycle", field="depends_on + protects"),
                found=cycle.text(),
            )
        )


def check_estate(raw: Any) -> tuple[Estate | None, list[Problem]]:
    """The estate, or ``None``, and every problem in it, in document order."""
    if not isinstance(raw, Mapping):
        return None, [
            Problem(
                path=(),
                message=phrase("not-an-estate"),
                expected=phrase("expected-estate"),
                found=_found(raw),
            )
        ]
    problems: list[Problem] = []
    estate: Estate | None = None
    try:
        estate = Estate.model_validate(raw)
    except ValidationError as error:
        problems.extend(problems_from_pydantic(error))
    refs = _References(raw, problems)
    _check_references(refs)
    _check_contracts(refs)
    _check_cycles(refs)
    if problems:
        return None, sorted(problems, key=_document_order(raw))
    return estate, []


def check_catalog_links(estate: Estate, known: Collection[str]) -> list[Problem]:
    """Problems of the providers whose ``catalog:`` link names no provider in ``known``
    (the catalog's provider ids): unchecked, their facts would silently be missing."""
    problems = []
    choices: list[str] | None = None
    for index, provider in enumerate(estate.providers):
        if provider.catalog is None or provider.catalog in known:
            continue
        choices = choices if choices is not None else sorted(known)
        near = nearest(provider.catalog, choices)
        problems.append(
            Problem(
                path=("providers", index, "catalog"),
                message=phrase("unknown-catalog-provider"),
                expected=(
                    phrase("expected-catalog-provider-nearest", nearest=", ".join(near))
                    if near
                    else phrase("expected-catalog-provider")
                ),
                found=repr(provider.catalog),
            )
        )
    return problems


def _document_order(raw: Mapping[str, Any]) -> Callable[[Problem], tuple[Any, ...]]:
    sections = {key: n for n, key in enumerate(raw)}
    return lambda p: (
        sections.get(str(p.path[0]), -1) if p.path else -1,
        tuple((0, x) if isinstance(x, int) else (1, x) for x in p.path[1:2]),
    )


def parse_estate(raw: Any) -> Estate:
    """Validate ``raw`` and return the estate; raise :class:`InvalidInput` otherwise."""
    estate, problems = check_estate(raw)
    if estate is None:
        raise InvalidInput("estate", problems)
    return estate


M = TypeVar("M", bound=BaseModel)


def parse_model(model: type[M], raw: Any, kind: str) -> M:
    """Validate ``raw`` against any pydantic model, reporting every problem."""
    try:
        return model.model_validate(raw)
    except ValidationError as error:
        raise InvalidInput(kind, problems_from_pydantic(error)) from None
