"""What a new workshop and a participant's name must be: the same checks for
the API and the trainer's form, refused with the field they concern."""

from __future__ import annotations

from typing import Any

from ....errors import Problem, ValidationError
from ....i18n import _
from ....io.text import visible
from .. import answer_files
from ..http.request import json_object
from ..storage.workshops import CAPACITY, MOST_CAPACITY, NAME_LIMIT, TITLE_LIMIT
from . import results

_FIELDS = {"nombre", "cuestionario", "referencia", "cupo"}


def read_new(raw: bytes) -> tuple[str, str, str | None, int]:
    """Name, questionnaire, reference case and participant cap of a new workshop, checked."""
    expected = _('{"nombre": "Curso de paradiplomacia", "cuestionario": "diagnostico"}')
    data = json_object(raw, _FIELDS, expected, key_limit=60)
    return (*checked(data.get("nombre"), data.get("cuestionario", "diagnostico"), data.get("referencia")),
            capacity(data.get("cupo", CAPACITY)))


def capacity(value: Any) -> int:
    """How many may join: a whole number from 1 to MOST_CAPACITY (a form's text too)."""
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MOST_CAPACITY:
        raise ValidationError(Problem(_("el cupo de participantes debe ser un número entero de 1 a {most}",
                                        most=MOST_CAPACITY), key="cupo"))
    return value


def checked(name: Any, questionnaire: Any, reference: Any) -> tuple[str, str, str | None]:
    """The same checks for the API and the page's form."""
    name = visible(name.strip()) if isinstance(name, str) else ""
    if not name or len(name) > TITLE_LIMIT:
        raise ValidationError(Problem(_("el taller necesita un nombre de hasta {n} caracteres", n=TITLE_LIMIT),
                                      key="nombre"))
    if not isinstance(questionnaire, str):
        raise ValidationError(Problem(_("falta «cuestionario», o no es un texto"), key="cuestionario"))
    answer_files.bundle().questionnaire(questionnaire)  # refuses an unknown one, with the nearest name
    if reference in (None, ""):
        return name, questionnaire, None
    if reference not in results.CASES:
        raise ValidationError(Problem(_("el caso de referencia «{case}» no existe", case=str(reference)[:40]),
                                      key="referencia", expected=", ".join(results.CASES)))
    if questionnaire != "diagnostico":
        raise ValidationError(Problem(
            _("los casos de referencia son diagnósticos: van con el cuestionario «diagnostico»"), key="referencia"))
    return name, questionnaire, reference


def participant_name(text: Any) -> str:
    name = " ".join(visible(text).split()) if isinstance(text, str) else ""
    return name[:NAME_LIMIT]
