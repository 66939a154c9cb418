"""The diagnostic and the candidate-network questionnaire judge saturation by
one criterion (K15 gives no number; advisor/kb/saturation.py): whatever the
team, budget and memberships, they never disagree on whether one more network
fits, at any team size."""

from __future__ import annotations

import pytest

from advisor.app.assessment import compiled
from advisor.report.networks import room

#: Around the thresholds: one person, three, eleven (past the ten where the
#: diagnostic's check used to stop); without and with an own budget.
TEAMS = (1, 3, 11)
HELD = (1, 2, 4, 5, 6, 7, 21, 22, 23)


def diagnostic(bundle, team: int, budget: str, held: int) -> tuple[int, bool]:
    """How many networks the diagnostic leaves room for, and whether it asks to
    review the memberships."""
    networks = [n.id for n in bundle.kb.catalogue.networks][:held]
    facts = {"perfil.nombre": "Ciudad", "perfil.pais": "AR", "perfil.nivel": "municipio",
             "apoyo.maxima_autoridad": "activo", "recursos.ori": "oficina", "recursos.equipo": team,
             "recursos.presupuesto": budget, "antecedentes.redes": networks}
    inference = compiled(bundle, "diagnostico").run(facts)
    return room(inference.facts, bundle.kb.saturation("redes.excedidas")), "red.revisar_membresias" in inference.advice


def candidate(bundle, team: int, budget: str, held: int) -> str:
    facts = {"recursos.equipo": team, "recursos.presupuesto": budget, "antecedentes.membresias": held}
    return compiled(bundle, "red_candidata").run(facts).facts["candidatura.capacidad"]


@pytest.mark.parametrize("budget", ["operativo", "propio"])
def test_one_more_network_fits_in_both_questionnaires_or_in_neither(bundle, budget):
    assert len(bundle.kb.catalogue.networks) >= max(HELD)
    disagree = []
    for team in TEAMS:
        for held in HELD:
            space, review = diagnostic(bundle, team, budget, held)
            capacity = candidate(bundle, team, budget, held)
            if capacity != {0: "insuficiente", 1: "justa"}.get(space, "suficiente"):
                disagree.append((team, held, space, capacity))
            if review and capacity != "insuficiente":
                disagree.append((team, held, "review", capacity))
    assert not disagree, f"(team, memberships, diagnostic, candidate): {disagree}"


def test_the_review_of_memberships_has_no_largest_team(bundle):
    """Eleven people sustain 22 memberships, not 23: the check goes on past ten."""
    assert diagnostic(bundle, 11, "propio", 23)[1]
    assert not diagnostic(bundle, 12, "propio", 23)[1]
    assert candidate(bundle, 11, "propio", 23) == "insuficiente"
    assert candidate(bundle, 12, "propio", 23) == "justa"


def test_the_diagnostic_admits_every_network_it_can_be_given(bundle):
    """The criterion's condition covers as many memberships as the answers can tick."""
    assert bundle.kb.saturation("redes.excedidas").most >= len(bundle.kb.catalogue.networks)
