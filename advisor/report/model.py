"""The report as data: the contract's JSON (CONTRACT §2) and the facts the
Markdown and HTML templates show. Keys are Spanish, as the contract names them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ..kb.schema import Source
from ..model.vocabulary import IdeaState, PillarLevel


class _Model(BaseModel):
    # Validators are built on first use: commands that make no report (kb
    # check, serve starting, ask refusing) import this module all the same.
    model_config = ConfigDict(extra="forbid", defer_build=True)


class Citation(_Model):
    ref: str
    capitulo: int | str
    seccion: str

    @classmethod
    def of(cls, source: Source) -> "Citation":
        return cls(ref=source.ref, capitulo=source.chapter, seccion=source.section)


class PillarResult(_Model):
    titulo: str
    nivel: PillarLevel
    porque: list[str] = Field(min_length=1)
    fuente: Citation
    criterio_propio: str = Field(description="Qué del nivel es criterio de advisor, no de la guía.")


class IdeaResult(_Model):
    id: str
    titulo: str
    texto: str
    estado: IdeaState
    porque: list[str] = Field(min_length=1)
    fuente: Citation


class LevelRow(_Model):
    """The level of one derived fact a questionnaire reports as a table (a criterion, a step…)."""

    id: str
    titulo: str
    nivel: str
    texto: str
    porque: list[str] = Field(min_length=1)
    fuente: Citation


class Outcome(_Model):
    """The outcome of a questionnaire that decides something (unirse, lista…)."""

    hecho: str
    valor: str
    texto: str
    porque: list[str] = Field(min_length=1)
    fuente: Citation


class Step(_Model):
    """One derived fact in the chain behind a recommendation."""

    hecho: str
    valor: Any
    texto: str
    regla: str
    porque: list[str]


class ListedEntry(_Model):
    """A catalogue entry listed under a recommendation (a funding source, an action…)."""

    id: str
    nombre: str
    texto: str
    detalle: list[str] = Field(description="Objetivos, preguntas, indicadores o requisitos de la entrada.")
    enlace: str | None
    cumplido: bool | None = Field(description="Si las respuestas muestran que ya está hecho; null si no se evalúa.")
    porque: list[str]
    fuente: Citation
    criterio_propio: str | None = Field(None, description="Lo que la entrada afirma o exige sin que lo diga la guía.")
    modalidades: list[str] = Field(
        default_factory=list,
        description="Cómo apoya una fuente de financiamiento (K16): financiera_no_reembolsable, "
                    "financiera_reembolsable, no_financiera; [] para las demás entradas.",
    )


class Recommendation(_Model):
    id: str
    titulo: str
    prioridad: int
    tema: str
    texto: str
    pasos: list[str]
    elementos: list[ListedEntry] = Field(default=[])
    porque: list[str] = Field(min_length=1)
    cadena: list[Step]
    regla: str
    fuente: Citation
    criterio_propio: str | None = Field(
        None, description="Umbral o dato que la guía no da y que el consejo asume (CONTRACT §2)."
    )
    criterio_lista: str | None = Field(
        None,
        description="Lo que todas las entradas de «elementos» de un tipo asumen sin que lo diga la guía, dicho una vez."
    )
    etapa: str | None = Field(None, description="Etapa del camino de la guía (advisor.kb.path.STAGES).")
    cumplido: bool | None = Field(
        None, description="Si las respuestas muestran el consejo ya cumplido (true), no cumplido (false) o no lo "
                          "dicen (null) (CONTRACT §6).")
    hecho: str | None = Field(None, description="Cómo se ve «hecho».")
    cuando_tenga: list[str] = Field(
        default=[], description="Requisitos previos aún pendientes, para «cuando tenga …»."
    )
    falta_respuesta: list[str] = Field(
        default=[],
        description="Claves sin respuesta sobre las que descansa el consejo, cuando ninguna respuesta lo sostiene.",
    )
    nota: str | None = Field(None,
                             description="Nota del asesor sobre esta recomendación (notas del archivo de respuestas).")


class StageResult(_Model):
    """One stage of the guide's path and its state (CONTRACT §6)."""

    id: str
    titulo: str
    estado: str = Field(description="completa, incompleta o desconocida.")


class Card(_Model):
    """What the reader sees as one card after the plan: a recommendation, or a
    family of them (the cooperation types, the networks…) shown together."""

    id: str = Field(description="El id de la recomendación, o el de la familia (cooperacion, redes…).")
    titulo: str
    recomendaciones: list[str] = Field(min_length=1, description="Ids de `recomendaciones` que muestra, en su orden.")
    breve: bool = Field(False, description="Nombrada en una línea al final, no mostrada entera: el informe ya tiene "
                                           "las tarjetas que se leen de una vez.")


class Note(_Model):
    """An adviser's note on a recommendation the report does not give."""

    id: str
    titulo: str
    texto: str


class NotGiven(_Model):
    id: str
    titulo: str
    tema: str
    falta: list[str]
    fuente: Citation


class ShownAnswer(_Model):
    """An answer as the user saw it: the question's short name and the chosen option's label."""

    clave: str
    pregunta: str
    respuesta: str


class Assumption(_Model):
    clave: str
    pregunta: str
    no_sabe: bool
    supuesto: str


class Profile(_Model):
    nombre: str
    pais: str | None
    pais_nombre: str | None
    nivel: str | None


class Suggestion(_Model):
    """One answer whose change would take this government furthest along the guide's path (advisor's criterion)."""

    clave: str
    pregunta: str
    valor: Any = Field(description="La respuesta sugerida, como la guarda un archivo de respuestas.")
    respuesta: str = Field(description="La respuesta sugerida como la lee el usuario.")
    actual: str = Field(description="La respuesta de hoy como la lee el usuario («sin respuesta», «No sé»…).")
    etapas: list[str] = Field(description="Títulos de las etapas del camino que quedarían completas.")
    pasos: list[str] = Field(
        description="Títulos de los pasos pendientes que quedarían cumplidos o ya no harían falta.")


class Report(_Model):
    """The report of one questionnaire's answers."""

    cuestionario: str
    titulo: str
    asesor: str | None = Field(None, description="Quién asesora (asesor del archivo de respuestas).")
    asunto: str | None = Field(None, description="De qué trata: el proyecto, la red o la convocatoria evaluada.")
    fecha: dt.date
    versiones: dict[str, str]
    perfil: Profile
    primeros_pasos: list[str]
    plan: list[str] = Field(default=[], description="Los primeros pasos del plan de acción, en orden (CONTRACT §2).")
    despues: list[str] = Field(default=[], description="Lo que sigue a esos pasos: la etapa siguiente.")
    etapas: list[StageResult] = Field(
        default=[], description="Las etapas del camino de la guía, en orden, con su estado (CONTRACT §6).")
    pilares: dict[str, PillarResult]
    ideas: list[IdeaResult]
    criterio_ideas: str | None = Field(
        None, description="Qué decide que cada idea se cumpla, criterio de advisor y no de la guía; null sin ideas."
    )
    niveles: list[LevelRow] = Field(default=[])
    resultado: Outcome | None = None
    recomendaciones: list[Recommendation]
    tarjetas: list[Card] = Field(
        default=[], description="Cómo se muestran las recomendaciones que no están en `plan`, en orden (report.cards)."
    )
    no_aplicadas: list[NotGiven]
    supuestos: list[Assumption]
    respuestas: dict[str, dict[str, Any]]
    respuestas_legibles: list[ShownAnswer] = Field(
        default=[], description="Las respuestas como las vio el usuario, en el orden del cuestionario."
    )
    lo_que_mas_cambiaria: list[Suggestion] = Field(
        default=[], description="Hasta tres cambios de una sola respuesta que más avanzarían en el camino de la guía: "
                                "primero los que completan o hacen avanzar la etapa por la que empieza el plan, "
                                "luego el de más etapas completadas y luego más pasos resueltos (criterio de "
                                "advisor).")
    criterio_cambiaria: str | None = Field(
        None,
        description="Cómo se ordena «lo_que_mas_cambiaria», criterio de advisor y no de la guía; null sin sugerencias.")
    otras_notas: list[Note] = Field(
        default=[], description="Notas del asesor sobre recomendaciones que este informe no da."
    )

    def to_do(self) -> list[Recommendation]:
        """The recommendations not already met, most urgent first: what is
        still advised, for summaries and comparisons."""
        return [rec for rec in self.recomendaciones if rec.cumplido is not True]
