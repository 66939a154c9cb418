"""The domain's words, said once: the levels of a pillar, the states of an
idea, the levels of the checklists and which of them need no action, the
modalities of development cooperation, the priorities, and the guide's
chapters. Translated where shown (``_()``)."""

from __future__ import annotations

from typing import Literal, Sequence, get_args

from ..i18n import N_, _, joined

#: A pillar's levels, lowest first (CONTRACT §2).
PillarLevel = Literal["inicial", "en_desarrollo", "consolidado"]
PILLAR_LEVELS: tuple[str, ...] = get_args(PillarLevel)
#: An idea's states, most done first (CONTRACT §2).
IdeaState = Literal["cumplida", "parcial", "pendiente"]
IDEA_STATES: tuple[str, ...] = get_args(IdeaState)

#: How a sentence says a level or a state («está en nivel en desarrollo»).
LEVEL_WORDS = {"inicial": N_("inicial"), "en_desarrollo": N_("en desarrollo"), "consolidado": N_("consolidado")}
STATE_WORDS = {"cumplida": N_("cumplida"), "parcial": N_("parcial"), "pendiente": N_("pendiente")}
#: How a table or a heading names a level.
LEVEL_NAMES = {"inicial": N_("Inicial"), "en_desarrollo": N_("En desarrollo"), "consolidado": N_("Consolidado")}
LEVEL_BARS = {"inicial": "▰▱▱", "en_desarrollo": "▰▰▱", "consolidado": "▰▰▰"}
STATE_MARKS = {"cumplida": N_("☑ cumplida"), "parcial": N_("◐ parcial"), "pendiente": N_("☐ pendiente")}

#: Levels of the other questionnaires' tables (criteria, steps, capacity).
LEVEL_MARKS = {
    "debil": N_("✗ débil"), "parcial": N_("◐ parcial"), "fuerte": N_("✔ fuerte"), "no_aplica": N_("— no aplica"),
    "sin_respuesta": N_("? sin respuesta"), "cumplido": N_("✔ cumplido"), "en_curso": N_("◐ en curso"),
    "pendiente": N_("✗ pendiente"), "suficiente": N_("✔ suficiente"), "justa": N_("◐ justa"),
    "insuficiente": N_("✗ insuficiente"),
}
#: The levels of those tables that need no action: a strong criterion, a step
#: done, one that does not apply, a sufficient capacity.
SETTLED = ("fuerte", "cumplido", "no_aplica", "suficiente")

#: The forms development cooperation takes (K16, lines 1479-1491): financial,
#: paid back (a loan) or not (a grant), and non-financial (knowledge,
#: technology, materials, technical assistance), which the guide values as much
#: when it answers a need. The funding catalogue says each source's with these
#: values, and the postulacion_cid questionnaire asks a call's (convocatoria.tipo).
Modality = Literal["financiera_no_reembolsable", "financiera_reembolsable", "no_financiera"]
MODALITIES: tuple[str, ...] = get_args(Modality)
#: How a report names each modality.
MODALITY_NAMES = {
    "financiera_no_reembolsable": N_("donaciones (no reembolsables)"),
    "financiera_reembolsable": N_("préstamos (reembolsables)"),
    "no_financiera": N_("cooperación no financiera (conocimiento, formación, intercambio o asistencia técnica)"),
}


def modalities_said(modalities: Sequence[str]) -> str:
    """A funding source's modalities as a report says them; a source of
    non-financial cooperation only says that it gives no money."""
    ways = [_(MODALITY_NAMES[m]) for m in modalities]
    said = joined(ways)
    return _("{ways}; no entrega dinero", ways=said) if list(modalities) == ["no_financiera"] else said

#: A recommendation's priority, 1 the most urgent.
PRIORITY_NAMES = {1: N_("condición previa"), 2: N_("bases"), 3: N_("estrategia y plan"), 4: N_("líneas de acción"),
                  5: N_("complemento")}

_CHAPTERS = {"recomendaciones": N_("Recomendaciones"), "anexo_1": N_("Anexo I"), "anexo_2": N_("Anexo II")}


def chapter_name(chapter: int | str, *, capital: bool = False) -> str:
    """A chapter of the guide as a citation names it («capítulo 3», «Anexo I»)."""
    if isinstance(chapter, int):
        return _("Capítulo {number}", number=chapter) if capital else _("capítulo {n}", n=chapter)
    return _(_CHAPTERS[chapter]) if chapter in _CHAPTERS else str(chapter)
