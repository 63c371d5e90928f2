"""A plan's contract steps: notice, exit assistance, data portability and end date,
each with the estate field it comes from."""

from __future__ import annotations

from datetime import date, timedelta

from souverain.core.estate.duration import Duration
from souverain.core.phrase import duration_words, phrase
from souverain.core.planning.exit_plans.facts import Facts
from souverain.core.planning.exit_plans.model import (
    ContractStep,
    ContractStepKind,
    Param,
)


def contract_steps(f: Facts) -> list[ContractStep]:
    if f.contract is None:
        return [
            ContractStep(
                "no-contract",
                phrase("c-no-contract", name=f.dep.name),
                f"assets[{f.asset.id}].contract",
                None,
            )
        ]
    steps: list[ContractStep] = []
    if f.notice is None:
        text = phrase("c-notice-unknown")
    else:
        compare: Param = ""
        if f.duration is not None:
            key = "c-notice-longer" if f.notice_longer else "c-notice-shorter"
            compare = phrase(key, duration=duration_words(f.duration))
        text = phrase("c-notice", days=duration_words(Duration.of_days(f.notice)), compare=compare)
    steps.append(ContractStep("notice", text, f.clause_ref("termination_notice_days"), f.notice))
    clauses: tuple[tuple[ContractStepKind, str, str], ...] = (
        ("exit-assistance", "exit_assistance", "c-assistance"),
        ("data-portability", "data_portability", "c-portability"),
    )
    for kind, clause, prefix in clauses:
        value = f.clause(clause)
        suffix = {True: "yes", False: "no", None: "unknown"}[value]
        steps.append(
            ContractStep(
                kind,
                phrase(f"{prefix}-{suffix}"),
                f.clause_ref(clause),
                value,
            )
        )
    steps.append(_end_date_step(f))
    return steps


def _end_date_step(f: Facts) -> ContractStep:
    assert f.contract is not None
    ends = f.contract.ends
    ref = f"contracts[{f.contract.id}].ends"
    if ends is None:
        return ContractStep("end-date", phrase("c-ends-unknown"), ref, None)
    today = f.context.result.today
    when = ends.isoformat()
    if ends < today:
        text = phrase("c-ended", ends=when)
    elif f.notice is None:
        text = phrase("c-ends", ends=when)
    else:
        deadline: Param
        if f.notice > (ends - date.min).days:  # before year 1: long passed
            key = "c-ends-deadline-passed"
            deadline = phrase("days-before", days=f.notice, date=when)
        else:
            day = ends - timedelta(days=f.notice)
            key = "c-ends-deadline-passed" if day < today else "c-ends-deadline"
            deadline = day.isoformat()
        text = phrase(key, ends=when, deadline=deadline)
    return ContractStep("end-date", text, ref, when)
