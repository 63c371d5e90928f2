"""The speed machinery, in one place: one :class:`Pipeline` per command run.

A command parses its arguments, calls the pipeline, renders what it gives. The pipeline
owns what makes a large estate fast, so that neither the commands nor the core carry it:

- **garbage-collector policy**: inside ``with Pipeline(...)``, the cyclic collector is
  off (a run builds a few hundred thousand long-lived objects and ends; the collector
  would only rescan them). On leaving, what was made meanwhile is moved to the oldest
  generation (``gc.freeze`` then ``gc.unfreeze``), so the first collection after does
  not walk it whole. :meth:`Pipeline.settle` switches the collector back on for a
  rendering, the audit of a large estate frozen (set aside) until the end of the run;
- **forking** (souverain.parallel): the graph findings of a large estate file are worked
  out by a child forked before this process loads it; the assets are scored half in a
  child (:meth:`Pipeline.mapper`, given to the core's audit), and the rows of the audit's
  JSON and HTML rendered half in a child (given to the exporter); the roadmap's actions
  are measured half in a child, and the rows of an edit of many assets (a phase's risk
  total) scored half in a child; the phases are projected in a child while the report's
  other parts are worked out here; a command can start work of its own in a child
  (:meth:`Pipeline.in_background`: the workbook's audit sheets, written while the
  roadmap is made);
- **sending results back from a child**: a roadmap comes back with its actions given by
  index (this process has them);
- **children**: a child that fails is logged on standard error, one line (its traceback
  too with ``SOUVERAIN_DEBUG`` set), and its work done again here; every child is
  waited for, and one still running when the run ends (an error) is killed and reaped;
- **reuse**: the actions measured for an audit are kept for the roadmap built from it.

The figures behind the thresholds are in benchmarks/README.md.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar

from souverain import parallel
from souverain.core.estate.validation import check_catalog_links
from souverain.core.scenarios.findings import GraphFindings
from souverain.core.scoring.audit import AuditResult, audit, audit_graph
from souverain.importers.estate import load_estate
from souverain.resources import load_catalog, load_methodology

if TYPE_CHECKING:
    from souverain.core.catalog.model import Catalog
    from souverain.core.estate.duration import Duration
    from souverain.core.planning.actions import Action
    from souverain.core.planning.exit_plans import ExitPlan
    from souverain.core.planning.measure import RiskScorer
    from souverain.core.planning.plan_file import PlanFile
    from souverain.core.planning.radar import Radar
    from souverain.core.planning.roadmap import Roadmap
    from souverain.core.scenarios.graph import ScenarioGraph
    from souverain.core.scenarios.reference import Outcome

T = TypeVar("T")

# From this size of estate file, the graph findings are worked out by a forked child,
# from the files, while this process loads and scores (two cores: the graph then costs
# no wall time). Forking first, while this process is still small, keeps copy-on-write
# from slowing either side.
PARALLEL_FROM_BYTES = 400_000
# From this many dependencies, the audit is frozen out of the collector's reach for a
# rendering (see Pipeline.settle); a small estate is left alone.
SETTLE_FROM_DEPENDENCIES = 2000
WORST_SCENARIOS = 8  # the report shows these, of every single loss

# Given the number of assets to score: a context giving a callback (done, total), or
# None for no progress shown.
Progress = Callable[[int], AbstractContextManager[Callable[[int, int], None] | None]]


@dataclass(frozen=True)
class ReportParts:
    """What the report adds to the audit, worked out once for every language."""

    outcomes: list[Outcome]
    scenario_count: int
    grace: Duration
    radar: Radar
    roadmap: Roadmap
    plans: list[ExitPlan]


def scenario_graph(result: AuditResult, catalog: Catalog) -> ScenarioGraph:
    """The scenario graph, each asset's exit time taken from its audit."""
    from souverain.core.scenarios.graph import ScenarioGraph

    exit_times = {d.asset: d.exit.time_to_exit for d in result.dependencies}
    return ScenarioGraph.build(result.estate, catalog, exit_times, today=result.today)


def detailed_first(plans: Sequence[ExitPlan], count: int) -> list[ExitPlan]:
    """The first ``count`` plans whole, the others without their steps, skills and
    contract steps (everything else kept): a report shows only so many plans in full,
    and the words of the others would be rendered for nothing."""
    return [
        plan if rank < count else replace(plan, steps=(), skills=(), contract_steps=())
        for rank, plan in enumerate(plans)
    ]


class Pipeline:
    """One run of a command: see the module's documentation."""

    def __init__(
        self,
        progress: Progress | None = None,
        failed: Callable[[str], None] = parallel.log_failure,
    ) -> None:
        self._progress = progress
        self._failed = failed
        self._children: list[parallel.Child[object]] = []
        # The actions measured for an audit, and the scorer that measured them.
        self._actions: tuple[AuditResult, Catalog, list[Action], RiskScorer] | None = None
        self._frozen = False
        self._settled = False

    # -- garbage-collector policy ---------------------------------------------------

    def __enter__(self) -> Pipeline:
        gc.disable()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()
        if not self._settled:
            self._settle_young()
            gc.enable()
        if self._frozen:
            gc.unfreeze()
            self._frozen = False

    def settle(self, result: AuditResult) -> None:
        """The collector back on for a rendering, whose layout trees have cycles; the
        audit of a large estate, which lives until the end, frozen first: switched on
        with it, the collector would walk all of it at once, and again at every full
        collection (figures: benchmarks/README.md). Frozen until the pipeline is left."""
        if self._settled:
            return
        self._settled = True
        if len(result.dependencies) >= SETTLE_FROM_DEPENDENCIES:
            gc.freeze()
            self._frozen = True
        else:
            self._settle_young()
        gc.enable()

    def _settle_young(self) -> None:
        # Moved to the oldest generation — unless something is frozen, which would be
        # thawed with it.
        if gc.get_freeze_count() == 0:
            gc.freeze()
            gc.unfreeze()

    # -- children ---------------------------------------------------------------------

    def close(self) -> None:
        """Kill and reap every child still running (their results are no longer
        wanted: the run is ending, usually on an error)."""
        for child in self._children:
            child.kill()
        self._children.clear()

    def mapper(self, work: Callable[[Sequence[Any]], list[Any]], items: Sequence[Any]) -> list[Any]:
        """A :data:`~souverain.core.mapper.Mapper` for the core and the exporters: the
        items shared with a child (souverain.parallel.split_map)."""
        return parallel.split_map(work, items, failed=self._failed)

    def _graph_in_background(
        self, estate_path: Path, catalogs: list[Path]
    ) -> Callable[[], GraphFindings | None]:
        """The estate's graph findings worked out in a child; gives a function that
        waits for them, or gives None where they could not be had (no ``fork``, a small
        estate, a failed child), and the audit then works them out itself."""
        try:
            large = estate_path.stat().st_size >= PARALLEL_FROM_BYTES
        except OSError:
            large = False
        if not hasattr(os, "fork") or not large:
            return lambda: None
        child: parallel.Child[object] = parallel.in_child(
            lambda: audit_graph(load_estate(estate_path), load_catalog(catalogs))
        )
        self._children.append(child)

        def findings() -> GraphFindings | None:
            self._children.remove(child)
            try:
                found = child.wait()
            except parallel.ChildFailed:
                # A file the child could not read: this process reads it next, and
                # reports its problems, located.
                return None
            return found if isinstance(found, GraphFindings) else None

        return findings

    def in_background(self, work: Callable[[], T], size: int) -> Callable[[], T]:
        """``work()`` started in a child now, while this process goes on; gives a
        function that waits for its result. ``work()`` is done by that function instead
        when ``size`` (how many assets, rows… it covers) is under ``parallel.MINIMUM``,
        without ``fork``, or when the child fails (logged)."""
        if size < parallel.MINIMUM or not hasattr(os, "fork"):
            return work
        child: parallel.Child[T] = parallel.in_child(work)
        self._children.append(child)

        def result() -> T:
            self._children.remove(child)
            try:
                return child.wait()
            except parallel.ChildFailed as error:
                self._failed(
                    f"work in the background failed in a child process ({error}); "
                    "worked out in this one instead"
                )
                return work()

        return result

    # -- the work -----------------------------------------------------------------

    def audit(
        self,
        estate_path: Path,
        methodology: Path | None,
        catalogs: list[Path],
        today: date,
        graph_findings: bool = True,
    ) -> AuditResult:
        """Load and audit an estate. ``graph_findings=False``: for a command that does
        not show the single points of failure, dependence and chains."""
        graph: GraphFindings | Callable[[], GraphFindings | None] = (
            self._graph_in_background(estate_path, catalogs)
            if graph_findings
            else GraphFindings((), (), ())
        )
        estate = load_estate(estate_path)
        method = load_methodology(methodology)
        catalog = load_catalog(catalogs)
        if check_catalog_links(estate, catalog.providers):  # read again to locate them
            estate = load_estate(estate_path, catalog_providers=catalog.providers)
        if self._progress is None:
            return audit(estate, method, catalog, today, findings=graph, mapper=self.mapper)
        with self._progress(len(estate.assets)) as progress:
            return audit(
                estate,
                method,
                catalog,
                today,
                progress=_here_only(progress),
                findings=graph,
                mapper=self.mapper,
            )

    def actions(self, result: AuditResult, catalog: Catalog) -> list[Action]:
        """The roadmap's actions for an audit, measured half in a child; kept for the
        roadmap built from the same audit."""
        return self.measured(result, catalog)[0]

    def measured(self, result: AuditResult, catalog: Catalog) -> tuple[list[Action], RiskScorer]:
        """The actions and the scorer that measured them (its indexes take a moment on a
        large estate: the roadmap's phases are projected with the same one)."""
        from souverain.core.planning.generation import generate_actions
        from souverain.core.planning.measure import RiskScorer

        kept = self._actions
        if kept is not None and kept[0] is result and kept[1] is catalog:
            return kept[2], kept[3]
        # An edit of many rows (the roadmap's phases) has them scored half in a child.
        scorer = RiskScorer(result, catalog, self.mapper)
        actions = generate_actions(result, catalog, self.mapper, scorer)
        self._actions = (result, catalog, actions, scorer)
        return actions, scorer

    def roadmap(
        self,
        result: AuditResult,
        catalog: Catalog,
        capacity: float,
        plan: PlanFile | None,
        side: Callable[[], T],
    ) -> tuple[Roadmap, T]:
        """The roadmap, and ``side()`` worked out in a child while the phases are
        projected (measuring the actions already keeps both cores busy; projecting, one)."""
        from souverain.core.planning.roadmap import build_roadmap

        actions, scorer = self.measured(result, catalog)
        return parallel.beside(
            lambda: build_roadmap(result, actions, catalog, capacity, plan, scorer),
            side,
            alone=len(result.estate.assets) < parallel.MINIMUM,
            failed=self._failed,
        )

    def report_parts(self, result: AuditResult, catalog: Catalog) -> ReportParts:
        """The worst single losses, the radar, the roadmap and the exit plans of an audit.

        On a large estate the roadmap's phases are projected in a child while the
        scenarios, the radar and the exit plans are worked out here (the roadmap is the
        lighter of the two to send back)."""
        from souverain.core.planning.exit_plans import exit_plans
        from souverain.core.planning.phases import DEFAULT_CAPACITY_DAYS_PER_MONTH
        from souverain.core.planning.radar import radar_for
        from souverain.core.planning.roadmap import build_roadmap
        from souverain.core.scenarios.analyses import crisis_ranking
        from souverain.core.scenarios.reference import DEFAULT_GRACE, simulate_one
        from souverain.exporters.report import Limits, prepare

        def others() -> tuple[list[Outcome], int, Radar, list[ExitPlan]]:
            graph = scenario_graph(result, catalog)
            # Ranked as simulate --all ranks them (the home laws are no foreign reach).
            batch, order = crisis_ranking(graph)
            scenarios = batch.scenarios
            worst = order[:WORST_SCENARIOS]
            radar = radar_for("alternatives", result, catalog)
            # The plans reuse the radar's candidates. Only those the report can show in
            # full keep their steps (every plan up to Limits.plans_full, else the first
            # plans_detail): the others are listed only, and their words never rendered.
            detailed = max(Limits.plans_full, Limits.plans_detail)
            plans = detailed_first(exit_plans(result, catalog, radar), detailed)
            outcomes = [simulate_one(graph, scenarios[c]) for c in worst]
            prepare()  # the phases take longer in the other process: compile the page
            return outcomes, len(order), radar, plans  # the lines, equivalents merged

        actions, scorer = self.measured(result, catalog)

        def phases() -> Roadmap:
            capacity = DEFAULT_CAPACITY_DAYS_PER_MONTH
            roadmap = build_roadmap(result, actions, catalog, capacity, None, scorer)
            return _by_index(roadmap, actions)  # sent back light: this process has them

        small = len(result.estate.assets) < parallel.MINIMUM
        (outcomes, count, radar, plans), light = parallel.beside(
            others, phases, alone=small, failed=self._failed
        )
        return ReportParts(
            outcomes=outcomes,
            scenario_count=count,
            grace=DEFAULT_GRACE,
            radar=radar,
            roadmap=_from_index(light, actions),
            plans=plans,
        )


def _here_only(
    progress: Callable[[int, int], None] | None,
) -> Callable[[int, int], None] | None:
    """``progress``, called only in this process: a forked child scoring a share of the
    assets must not draw on the terminal (this process's share stands for the whole)."""
    if progress is None:
        return None
    here = os.getpid()

    def report(done: int, total: int) -> None:
        if os.getpid() == here:
            progress(done, total)

    return report


def _by_index(roadmap: Roadmap, actions: list[Action]) -> Roadmap:
    """``roadmap`` with each action that is one of ``actions`` given by its index (the
    roadmap of a large estate is tens of thousands of actions, megabytes pickled)."""
    at = {id(a): n for n, a in enumerate(actions)}
    phases = tuple(  # indices stand in for actions only while the roadmap is sent
        replace(p, actions=tuple(at.get(id(a), a) for a in p.actions))  # type: ignore[misc]
        for p in roadmap.phases
    )
    return replace(roadmap, phases=phases)


def _from_index(roadmap: Roadmap, actions: list[Action]) -> Roadmap:
    """The roadmap :func:`_by_index` gave, with its actions back."""
    phases = tuple(
        replace(p, actions=tuple(actions[a] if isinstance(a, int) else a for a in p.actions))
        for p in roadmap.phases
    )
    return replace(roadmap, phases=phases)


def report_parts(result: AuditResult, catalog: Catalog) -> ReportParts:
    """:meth:`Pipeline.report_parts` in a pipeline of its own (``make demo``, tests)."""
    return Pipeline().report_parts(result, catalog)
