"""How many city-network memberships a team can sustain: advisor's criterion,
said once here for every questionnaire that weighs it.

The guide warns that many simultaneous memberships lead to saturation,
overload and inefficacy, and asks whether the administration has the human
and economic resources to join for the long term (K15, lines 1436-1449), but
gives no number; Bogotá, in more than 25 networks with 17 people, is its
success case (lines 4206, 4320). So: each person of the team sustains
``PER_PERSON`` memberships, and without an own budget (fees, travel) no more
than ``WITHOUT_BUDGET`` in all. The diagnostic suggests new networks and
reviews current ones with it, the candidate-network questionnaire decides
with it, and both get their conditions from ``exceeds`` below.
"""

from __future__ import annotations

from typing import Any

from ..i18n import _
from ..model.conditions import All, AnyOf, Condition, Test

#: Memberships one person of the team can sustain.
PER_PERSON = 2
#: Memberships a government without its own budget can sustain, whatever its team.
WITHOUT_BUDGET = 2
#: Budgets that pay for no fees or travel of their own.
SHORT_BUDGETS = ("ninguno", "operativo")


def sustained(team: int | None, budget: Any, minimum_team: int = 0, alone: bool = False) -> int | None:
    """Memberships a team of ``team`` people (at least ``minimum_team``) with
    that budget sustains; None when it cannot be judged (the team's size is
    unknown and nothing caps it). ``alone``: the team, of unknown size, is one
    person in charge."""
    people = max(team, minimum_team) if team is not None else 1 if alone else None
    if budget in SHORT_BUDGETS:
        return WITHOUT_BUDGET if people is None else min(PER_PERSON * people, WITHOUT_BUDGET)
    return None if people is None else PER_PERSON * people


def exceeds(held: str, team: str, budget: str, margin: int, most: int, minimum_team: int = 0,
            alone: Condition | None = None) -> Condition:
    """The condition that the memberships in fact ``held``, plus ``margin``
    more, exceed what ``sustained`` allows; ``most`` is the most memberships
    an answer may state. The engines compare a fact with a number, never
    with another fact, so it is one way per team size up to where no answer
    could exceed it: a team of at most k people holding 2k − margin + 1 or more."""

    def over(capacity: int) -> Test:
        return Test(fact=held, ge=capacity - margin + 1)

    ways: list[Condition] = [All(all=[Test(fact=budget, **{"in": list(SHORT_BUDGETS)}), over(WITHOUT_BUDGET)])]
    largest = (most + margin - 1) // PER_PERSON
    ways += [All(all=[Test(fact=team, le=k), over(PER_PERSON * k)]) for k in range(minimum_team, largest + 1)]
    if alone is not None:
        ways.append(All(all=[alone, Test(fact=team, answered=False), over(PER_PERSON)]))
    return AnyOf(any=ways)


def criterion() -> str:
    """The criterion, said as advisor's and not the guide's."""
    return _("La guía advierte contra la saturación de muchas membresías sin decir cuántas sostiene un equipo "
             "(Bogotá sostiene más de 25 con 17 personas). advisor considera que cada persona del equipo sostiene "
             "{per} membresías y que, sin presupuesto propio para cuotas y viajes, no se sostienen más de {without}.",
             per=PER_PERSON, without=WITHOUT_BUDGET)
