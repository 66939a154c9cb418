"""Which networks to suggest: a few at most, the best fit first, and only as
many as the team can sustain (K13–K15).

The rules ``red.<id>`` say which networks are open to the government and
serve a priority it stated; this module keeps the best fits among them. How
many memberships a team sustains is advisor's own criterion, said once in
``kb.saturation`` and applied, through the diagnostic's ``redes.excedidas``
(``knowledge_base/reglas/redes.yaml``), both here and to decide when current
memberships outgrow it (``red.revisar_membresias``); the candidate-network
questionnaire decides with the same one. Every report says so
(``criterio_propio``).
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from ..i18n import _
from ..kb import saturation
from ..kb.catalogue import Network
from ..kb.schema import SaturationSpec

#: Networks suggested at most, whatever the capacity.
AT_MOST = 3
#: The rule that reviews memberships is not a network to join.
REVIEW = "red.revisar_membresias"


def room(facts: Mapping[str, Any], capacity: SaturationSpec) -> int:
    """How many networks to suggest now: the memberships the team sustains
    beyond those it holds; while that cannot be judged, one for a government
    in none yet and none for one that holds some: an unknown team is no
    room (K15 asks first whether the administration can sustain one more,
    lines 1436-1449)."""
    most = capacity.capacity(facts)
    held = len(facts.get(capacity.held, []))
    if most is None:  # an office of unknown size
        return 0 if held else 1
    return max(0, min(AT_MOST, most - held))


def fit(network: Network, facts: Mapping[str, Any]) -> int:
    """How well a network fits: the priority themes it works (twice), the reasons
    it serves, and one more when it is regional or national, closer to the
    government's own profile than a global one."""
    themes = set(facts.get("prioridades.temas", []))
    reasons = set(facts.get("prioridades.razones", []))
    return 2 * len(themes & set(network.themes)) + len(reasons & set(network.reasons)) + (network.scope != "global")


def choose(given: Sequence[str], networks: Sequence[Network], facts: Mapping[str, Any],
           capacity: SaturationSpec) -> list[str]:
    """The ids of ``given`` to keep: every recommendation that is not a network
    to join, and the best-fitting networks, as many as ``room`` allows. Ties
    keep the catalogue's order."""
    order = {f"red.{n.id}": (n, position) for position, n in enumerate(networks)}
    joins = [i for i in given if i in order and i != REVIEW]
    best = sorted(joins, key=lambda i: (-fit(order[i][0], facts), order[i][1]))[: room(facts, capacity)]
    return [i for i in given if i not in joins or i in best]


def criterion(facts: Mapping[str, Any], capacity: SaturationSpec) -> str:
    """The sentence that says which of this is advisor's, not the guide's."""
    now = room(facts, capacity)
    return " ".join([
        saturation.criterion(),
        _("La guía pide elegir pocas redes, las que sirven al plan y se pueden sostener, sin fijar cuántas: "
          "advisor sugiere a lo sumo {most}, las que más coinciden con sus temas y razones, y con un equipo de "
          "tamaño desconocido, una sola y solo si todavía no participa en ninguna.", most=AT_MOST),
        _("Con sus respuestas, {room} ahora.", room=now) if now else
        _("Con sus respuestas, ninguna más por ahora: primero sepa cuántas puede sostener su equipo.")
        if capacity.capacity(facts) is None else _("Con sus respuestas, ninguna más por ahora."),
    ])
