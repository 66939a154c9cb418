"""The report's plan: which recommendations it gives, in which order, and
which are the first steps.

It joins three things decided elsewhere: which networks to suggest
(report.networks), the order of the guide's path (kb.path) and, for
each recommendation, what it waits for («cuando tenga …»). Catalogue lists
are shown best fit first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Mapping

from ..kb.path import FOUNDATION, PATH_STAGE, Arrangement, arrange
from .networks import REVIEW, choose, criterion

if TYPE_CHECKING:
    from ..kb.base import KnowledgeBase
    from ..kb.catalogue import Entry
    from ..kb.compile import CompiledRule
    from .model import ListedEntry, Recommendation

#: The card that tells to choose networks: it says why none is suggested when
#: networks fit but the team cannot be shown to sustain one more.
CHOOSING = "dimension.cooperacion_multilateral"

#: Catalogue lists that are sequences or checklists, kept in their own order.
IN_ORDER = ("cid_steps", "criteria", "reasons")


def plan_of(
    given: dict[str, "Recommendation"], rules: dict[str, "CompiledRule"], kb: "KnowledgeBase", facts: Mapping[str, Any]
) -> tuple[list["Recommendation"], Arrangement]:
    """The recommendations to give, most urgent first (CONTRACT §2), and the
    arrangement that holds the plan and what comes after."""
    capacity = kb.saturation("redes.excedidas")
    keep = set(choose(list(given), kb.catalogue.networks, facts, capacity)) if capacity else set(given)
    chosen = {}
    for rid, rec in given.items():
        if rid not in keep:
            continue
        if rid.startswith("red.") and rid != REVIEW and capacity:  # a network to join: how many is advisor's criterion
            rec = rec.model_copy(update={"criterio_propio": _join(rec.criterio_propio, criterion(facts, capacity))})
        chosen[rid] = rec
    joins = [i for i in given if i.startswith("red.") and i != REVIEW]
    if capacity and joins and not keep & set(joins) and CHOOSING in chosen:
        rec = chosen[CHOOSING]
        chosen[CHOOSING] = rec.model_copy(update={"criterio_propio": _join(rec.criterio_propio, criterion(facts,
                                                                                                          capacity))})
    path = arrange([(i, r.prioridad, rules[i].path, r.fuente.ref, rules[i].source.lines, bool(r.falta_respuesta))
                    for i, r in chosen.items()], facts)
    for i in path.carried:  # its place is advisor's criterion, and the rule says why
        chosen[i] = chosen[i].model_copy(update={"criterio_propio": _join(chosen[i].criterio_propio,
                                                                          rules[i].path.carry)})  # type: ignore[union-attr]
    return [_waiting(chosen[i].model_copy(update={"prioridad": path.priority[i]}), path.waiting.get(i, []), rules)
            for i in path.by_priority], path


def carries(report: Any) -> bool:
    """Whether the plan holds a condition taken up from a complete stage
    (``PathSpec.carry``): known pending advice of the bases (priority 1–2, as
    ``kb.path`` carries only those) whose own stage is complete. Later-stage
    advice left pending at a complete stage is in the plan by its own place."""
    states = {stage.id: stage.estado for stage in report.etapas}
    by_id = {rec.id: rec for rec in report.recomendaciones}
    return any(by_id[i].cumplido is False and by_id[i].prioridad <= FOUNDATION
               and states.get(PATH_STAGE.get(by_id[i].etapa or "", "")) == "completa" for i in report.plan)


def best_first(items: str | None, listed: list[tuple["Entry", "ListedEntry"]]) -> list["ListedEntry"]:
    """Entries still to do before those already done. Actions go cheapest
    first, whatever supports them: the guide warns that not every government
    can pay for delegations abroad or every fair, and that clear goals matter
    more than the budget (K07, lines 868-874), so what costs more never leads;
    equal costs keep the guide's order. Other entries go those the profile
    gives a reason for first (the more reasons, the better the fit), then
    general ones, each group in the catalogue's order."""
    if items in IN_ORDER:
        return [element for _entry, element in listed]

    def key(pair: tuple["Entry", "ListedEntry"]) -> tuple[bool, tuple[int, int], int]:
        entry, element = pair
        cost = entry.cost()
        return element.cumplido is True, cost or (0, 0), 0 if cost is not None else -len(element.porque)

    return [element for _entry, element in sorted(listed, key=key)]


def _join(*sentences: str | None) -> str:
    return " ".join(s for s in sentences if s)


def _waiting(rec: "Recommendation", pending: list[str], rules: dict[str, "CompiledRule"]) -> "Recommendation":
    """The recommendation with what it waits for, said as «cuando tenga …»."""
    having = [rules[r].path.having for r in pending if rules[r].path and rules[r].path.having]  # type: ignore[union-attr]
    return rec.model_copy(update={"cuando_tenga": having}) if having else rec
