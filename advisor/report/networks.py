"""Which networks to suggest: a few at most, the best fit first, and only as
many as the team can sustain (K13–K15).

The rules ``red.<id>`` say which networks are open to the government and
serve a priority it stated; this module keeps the best fits among them. The
guide names the risk of saturation but gives no number, so the capacity
below is advisor's own criterion, said as such in every report
(``criterio_propio``); ``knowledge_base/reglas/redes.yaml`` applies the same
one to decide when current memberships outgrow it (``red.revisar_membresias``).
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from ..i18n import _
from ..kb.catalogue import Network

#: Memberships one person of the team can sustain (advisor's criterion).
PER_PERSON = 2
#: Memberships a government without its own budget can sustain (fees, travel).
WITHOUT_BUDGET = 2
#: Networks suggested at most, whatever the capacity.
AT_MOST = 3
#: The rule that reviews memberships is not a network to join.
REVIEW = "red.revisar_membresias"


def capacity(facts: Mapping[str, Any]) -> int | None:
    """How many memberships the government can sustain, by advisor's criterion;
    None when it cannot be judged (an office or area of unknown size)."""
    ori = facts.get("recursos.ori")
    if ori in (None, "ninguna"):
        return 0
    if "recursos.equipo" in facts:
        room: int | None = PER_PERSON * max(int(facts["recursos.equipo"]), 1)
    else:
        room = PER_PERSON if ori == "responsable" else None
    if facts.get("recursos.presupuesto") in ("ninguno", "operativo"):
        room = WITHOUT_BUDGET if room is None else min(room, WITHOUT_BUDGET)
    return room


def room(facts: Mapping[str, Any]) -> int:
    """How many networks to suggest now."""
    most = capacity(facts)
    held = len(facts.get("antecedentes.redes", []))
    if most is None:  # an office of unknown size: one at a time, until its size is known
        return 1
    return max(0, min(AT_MOST, most - held))


def fit(network: Network, facts: Mapping[str, Any]) -> int:
    """How well a network fits: the priority themes it works (twice), the reasons
    it serves, and one more when it is regional or national, closer to the
    government's own profile than a global one."""
    themes = set(facts.get("prioridades.temas", []))
    reasons = set(facts.get("prioridades.razones", []))
    return 2 * len(themes & set(network.themes)) + len(reasons & set(network.reasons)) + (network.scope != "global")


def choose(given: Sequence[str], networks: Sequence[Network], facts: Mapping[str, Any]) -> list[str]:
    """The ids of ``given`` to keep: every recommendation that is not a network
    to join, and the best-fitting networks, as many as ``room`` allows. Ties
    keep the catalogue's order."""
    order = {f"red.{n.id}": (n, position) for position, n in enumerate(networks)}
    joins = [i for i in given if i in order and i != REVIEW]
    best = sorted(joins, key=lambda i: (-fit(order[i][0], facts), order[i][1]))[: room(facts)]
    return [i for i in given if i not in joins or i in best]


def criterion(facts: Mapping[str, Any]) -> str:
    """The sentence that says which of this is advisor's, not the guide's."""
    return _("La guía pide elegir pocas redes, las que sirven al plan y se pueden sostener, sin fijar cuántas. "
             "advisor sugiere a lo sumo {most}, las que más coinciden con sus temas y razones, y considera que "
             "cada persona del equipo sostiene {per} membresías y que sin presupuesto propio no se sostienen más "
             "de {without} (con un equipo de tamaño desconocido, una a la vez): con sus respuestas, {room} ahora.", most=AT_MOST, per=PER_PERSON, without=WITHOUT_BUDGET,
             room=room(facts))
