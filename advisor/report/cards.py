"""What the reader sees after the plan: the recommendations as cards.

Advice of one family (the cooperation types of K11, the development
cooperation material of K16–K19, the networks…) shares one card, and a report
shows at most ``CARDS_SMALL`` cards to a small municipality and ``CARDS`` to
anyone: the plan's steps count, each card after them too; what does not fit
is named in one line at the end. The JSON keeps every recommendation
(CONTRACT §2); ``tarjetas`` says how they are shown. How many cards and which
families are advisor's criterion for a report one reads in one sitting, not
the guide's.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Sequence

from ..i18n import N_, _, joined
from .explain import Explained, reason_lines
from .model import Card, Recommendation

#: At most this many cards (plan steps included) in any report.
CARDS = 25
#: At most this many for a small municipality (``small``): one officer reads it.
CARDS_SMALL = 15
#: A municipality with fewer inhabitants than this (or of unknown size) is small.
SMALL_POPULATION = 100_000


@dataclass(frozen=True)
class Family:
    """Advice shown together: the rules of these topics, and these rules."""

    id: str
    title: str
    intro: str
    topics: tuple[str, ...] = ()
    rules: tuple[str, ...] = ()

    def holds(self, rec: Recommendation) -> bool:
        return rec.tema in self.topics or rec.id in self.rules


#: In the guide's order (its chapter 2): cooperation (K10–K12), networks
#: (K13–K15), development cooperation (K16–K19), positioning (K05–K09), then
#: communication (K35).
FAMILIES = (
    Family("cooperacion", N_("Cooperar con otros gobiernos"),
           N_("La guía distingue varias formas de cooperar según el socio y el modo de trabajo. Estas son las que "
              "encajan con su perfil; elija las que mejor sirvan a sus objetivos."),
           topics=("cooperacion",), rules=("cooperacion.principios", "dimension.cooperacion_bilateral")),
    Family("redes", N_("Las redes de ciudades: a cuáles sumarse y qué leer"),
           N_("Lo que la guía dice de las redes de ciudades para su perfil: a cuáles sumarse, cuáles revisar y qué "
              "leer."),
           topics=("redes",), rules=("dimension.cooperacion_multilateral",)),
    Family("cooperacion_desarrollo", N_("La cooperación al desarrollo: principios, fuentes y pasos"),
           N_("Todo lo que la guía dice sobre la cooperación al desarrollo, junto: qué es, sus principios, las fuentes "
              "que le sirven y los diez pasos para postular."),
           topics=("cooperacion_desarrollo",), rules=("dimension.cooperacion_desarrollo",)),
    Family("posicionamiento", N_("Posicionar el territorio en el mundo"),
           N_("La dimensión de competencia de la guía: para qué posicionarse, qué preguntas responder primero y con "
              "qué acciones, a la medida de sus recursos."),
           topics=("posicionamiento",), rules=("dimension.competencia",)),
    Family("comunicacion", N_("La comunicación de la acción internacional"),
           N_("La estrategia de comunicación y sus canales, juntos."), topics=("comunicacion",)),
)
BY_ID = {f.id: f for f in FAMILIES}
#: Where one sentence of a note ends and the next begins.
_SENTENCE = re.compile(r"(?<=\.)\s+")
#: A sentence that opens with an imperative and its pronoun («Confírmelo…», «Check it…»).
_ANAPHORIC = re.compile(r"[A-ZÁÉÍÓÚ]\w*[áéíóú]\w*(?:lo|la|los|las|le|les)\b|[A-Z][a-z]+ (?:it|its|them)\b")


def small(facts: Mapping[str, Any], asks_level: bool) -> bool:
    """A municipality (or a government that did not say its level) under
    ``SMALL_POPULATION`` inhabitants, or that did not say how many; only a
    questionnaire that asks the level of government (``asks_level``) can tell."""
    if not asks_level or facts.get("perfil.nivel", "municipio") != "municipio":
        return False
    return facts.get("perfil.poblacion", 0) < SMALL_POPULATION


def cards(recommendations: Sequence[Recommendation], plan: Sequence[str], after: Sequence[str],
          limit: int) -> list[Card]:
    """The cards after the plan, in the order of ``recommendations``: a family
    with two or more of them shares one card where its first one stands. Cards
    past ``limit`` (the plan's steps count) are ``breve``, except those that hold
    a step of «Después», which the reader is told to look up."""
    rest = [rec for rec in recommendations if rec.id not in plan]
    family_of = {rec.id: next((f.id for f in FAMILIES if f.holds(rec)), None) for rec in rest}
    sizes = Counter(family_of.values())
    shown: list[Card] = []
    by_family: dict[str, Card] = {}
    for rec in rest:
        fid = family_of[rec.id]
        if fid is None or sizes[fid] < 2:
            shown.append(Card(id=rec.id, titulo=rec.titulo, recomendaciones=[rec.id]))
        elif fid in by_family:
            by_family[fid].recomendaciones.append(rec.id)
        else:
            by_family[fid] = Card(id=fid, titulo=_(BY_ID[fid].title), recomendaciones=[rec.id])
            shown.append(by_family[fid])
    position = {rec.id: n for n, rec in enumerate(rest)}
    by_ref = {rec.id: int(rec.fuente.ref[1:]) if rec.fuente.ref[1:].isdigit() else 0 for rec in rest}
    for card in by_family.values():  # the guide's order within a family: K16 before K17…
        card.recomendaciones.sort(key=lambda rid: (by_ref[rid], position[rid]))
    next_steps = set(after)
    room = limit - len(plan) - sum(1 for c in shown if next_steps & set(c.recomendaciones))
    for card in shown:
        if next_steps & set(card.recomendaciones):
            continue
        if room > 0:
            room -= 1
        else:
            card.breve = True
    return shown


def priority(recs: Iterable[Recommendation]) -> int:
    """A card's priority: its most urgent recommendation's, which placed it."""
    return min(rec.prioridad for rec in recs)


def intro(card: Card) -> str:
    """What a family's card says first; nothing for a card of its own."""
    family = BY_ID.get(card.id)
    return _(family.intro) if family else ""


def shared(recs: Iterable[Recommendation]) -> tuple[list[str], list[str], list[str]]:
    """What a card says once, not under each recommendation: the reasons all
    of them give, those two or more give, and the «cuando tenga» all share."""
    recs = list(recs)
    if len(recs) < 2:
        return [], [], []
    counts = Counter(reason for rec in recs for reason in dict.fromkeys(rec.porque))
    every = [r for r, n in counts.items() if n == len(recs)]
    several = [r for r, n in counts.items() if 1 < n < len(recs)]
    waiting = [w for w in recs[0].cuando_tenga if all(w in rec.cuando_tenga for rec in recs[1:])]
    return every, several, waiting


def card_criteria(recs: Iterable[Recommendation]) -> tuple[str, dict[str, str]]:
    """The «criterio de advisor» of a card's recommendations: the sentences two
    or more of them share, said once for the card, and what is left of each."""
    said = {rec.id: _SENTENCE.split(rec.criterio_propio) if rec.criterio_propio else [] for rec in recs}
    counts = Counter(sentence for sentences in said.values() for sentence in dict.fromkeys(sentences))
    # «Confírmelo en su sitio…» speaks of the sentence before it: it stays with it.
    common = [sentence for sentence, n in counts.items() if n > 1 and not _ANAPHORIC.match(sentence)]
    own = {rid: " ".join(s for s in sentences if s not in common) for rid, sentences in said.items()}
    return " ".join(common), own


def card_reasons(texts: Iterable[str], recs: Iterable[Recommendation], explained: Explained | None = None,
                 number: int | None = None) -> list[tuple[int, str]]:
    """Reasons a card says once, each derived one with its own reasons beneath
    it, unless a card before it (``explained``) already did."""
    return reason_lines(texts, [step for rec in recs for step in rec.cadena], explained, number)


def members(card: Card, report: Any) -> list[Recommendation]:
    """The recommendations a card shows, in its order."""
    by_id = {rec.id: rec for rec in report.recomendaciones}
    return [by_id[rid] for rid in card.recomendaciones]


def brief(recs: Sequence[Recommendation]) -> str:
    """A card named in one line: what it holds, where in the guide, and why."""
    refs = ", ".join(dict.fromkeys(rec.fuente.ref for rec in recs))
    holds = " " + _("Incluye: {items}.", items=joined([rec.titulo for rec in recs])) if len(recs) > 1 else ""
    return f"({refs}).{holds} {recs[0].porque[0]}"

