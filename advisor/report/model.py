"""The report as data: the contract's JSON (CONTRACT §2) and the facts the
Markdown and HTML templates show. Keys are Spanish, as the contract names them."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..kb.schema import Source


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Fuente(_Model):
    ref: str
    capitulo: int | str
    seccion: str

    @classmethod
    def of(cls, source: Source) -> "Fuente":
        return cls(ref=source.ref, capitulo=source.chapter, seccion=source.section)


class Pilar(_Model):
    titulo: str
    nivel: Literal["inicial", "en_desarrollo", "consolidado"]
    porque: list[str] = Field(min_length=1)
    fuente: Fuente


class IdeaEstado(_Model):
    id: str
    titulo: str
    texto: str
    estado: Literal["cumplida", "parcial", "pendiente"]
    porque: list[str] = Field(min_length=1)
    fuente: Fuente


class Nivel(_Model):
    """The level of one derived fact a questionnaire reports as a table (a criterion, a step…)."""

    id: str
    titulo: str
    nivel: str
    texto: str
    porque: list[str] = Field(min_length=1)
    fuente: Fuente


class Resultado(_Model):
    """The outcome of a questionnaire that decides something (unirse, lista…)."""

    hecho: str
    valor: str
    texto: str
    porque: list[str] = Field(min_length=1)
    fuente: Fuente


class Paso(_Model):
    """One derived fact in the chain behind a recommendation."""

    hecho: str
    valor: Any
    texto: str
    regla: str
    porque: list[str]


class Elemento(_Model):
    """A catalogue entry listed under a recommendation (a funding source, an action…)."""

    id: str
    nombre: str
    texto: str
    detalle: list[str] = Field(description="Objetivos, preguntas, indicadores o requisitos de la entrada.")
    enlace: str | None
    cumplido: bool | None = Field(description="Si las respuestas muestran que ya está hecho; null si no se evalúa.")
    porque: list[str]
    fuente: Fuente
    criterio_propio: str | None = Field(None, description="Lo que la entrada afirma o exige sin que lo diga la guía.")


class Recomendacion(_Model):
    id: str
    titulo: str
    prioridad: int
    tema: str
    texto: str
    pasos: list[str]
    elementos: list[Elemento] = Field(default_factory=list)
    porque: list[str] = Field(min_length=1)
    cadena: list[Paso]
    regla: str
    fuente: Fuente
    criterio_propio: str | None = Field(
        None, description="Umbral o dato que la guía no da y que el consejo asume (CONTRACT §2)."
    )
    etapa: str | None = Field(None, description="Etapa del camino de la guía (advisor.kb.path.STAGES).")
    hecho: str | None = Field(None, description="Cómo se ve «hecho».")
    cuando_tenga: list[str] = Field(
        default_factory=list, description="Requisitos previos aún pendientes, para «cuando tenga …»."
    )
    falta_respuesta: list[str] = Field(
        default_factory=list,
        description="Claves sin respuesta sobre las que descansa el consejo, cuando ninguna respuesta lo sostiene.",
    )
    nota: str | None = Field(None, description="Nota del asesor sobre esta recomendación (notas del archivo de respuestas).")


class Nota(_Model):
    """An adviser's note on a recommendation the report does not give."""

    id: str
    titulo: str
    texto: str


class NoAplicada(_Model):
    id: str
    titulo: str
    tema: str
    falta: list[str]
    fuente: Fuente


class RespuestaLegible(_Model):
    """An answer as the user saw it: the question's short name and the chosen option's label."""

    clave: str
    pregunta: str
    respuesta: str


class Supuesto(_Model):
    clave: str
    pregunta: str
    no_sabe: bool
    supuesto: str


class Perfil(_Model):
    nombre: str
    pais: str | None
    pais_nombre: str | None
    nivel: str | None


class Report(_Model):
    """The report of one questionnaire's answers."""

    cuestionario: str
    titulo: str
    asesor: str | None = Field(None, description="Quién asesora (asesor del archivo de respuestas).")
    asunto: str | None = Field(None, description="De qué trata: el proyecto, la red o la convocatoria evaluada.")
    fecha: dt.date
    versiones: dict[str, str]
    perfil: Perfil
    primeros_pasos: list[str]
    plan: list[str] = Field(default_factory=list, description="Los primeros pasos del plan de acción, en orden (CONTRACT §2).")
    despues: list[str] = Field(default_factory=list, description="Lo que sigue a esos pasos: la etapa siguiente.")
    pilares: dict[str, Pilar]
    ideas: list[IdeaEstado]
    niveles: list[Nivel] = Field(default_factory=list)
    resultado: Resultado | None = None
    recomendaciones: list[Recomendacion]
    no_aplicadas: list[NoAplicada]
    supuestos: list[Supuesto]
    respuestas: dict[str, dict[str, Any]]
    respuestas_legibles: list[RespuestaLegible] = Field(
        default_factory=list, description="Las respuestas como las vio el usuario, en el orden del cuestionario."
    )
    otras_notas: list[Nota] = Field(
        default_factory=list, description="Notas del asesor sobre recomendaciones que este informe no da."
    )
