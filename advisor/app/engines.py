"""Each questionnaire's rules compiled for an engine, once per process: what
an assessment, a what-if and the suggestions all run."""

from __future__ import annotations

from weakref import WeakKeyDictionary

from ..engine.base import DEFAULT_ENGINE, Advisor, create
from ..kb.bundle import Bundle
from ..kb.strata import settling

#: Each bundle's rules compiled per questionnaire and engine, once per process.
_compiled: WeakKeyDictionary[Bundle, dict[tuple[str, str], Advisor]] = WeakKeyDictionary()


def compiled(bundle: Bundle, name: str, engine: str = DEFAULT_ENGINE, facts_only: bool = False) -> Advisor:
    """One questionnaire's rules compiled for an engine; the packaged bundle's
    network may come from the cache (its fingerprint names the rules). With
    ``facts_only``, only the rules the path's state rests on (``kb.strata.settling``):
    a run that settles the stages and what is met several times faster, without the advice."""
    engines = _compiled.setdefault(bundle, {})
    variant = f"{name}-camino" if facts_only else name
    if (variant, engine) not in engines:
        questionnaire = bundle.questionnaire(name)
        order = [q.key for q in questionnaire.questions()]
        key = (f"{bundle.cache_name}-{variant}", f"{bundle.fingerprint}:{variant}") if bundle.fingerprint else None
        rules = settling(bundle.kb.rules_for(name)) if facts_only else bundle.kb.rules_for(name)
        engines[variant, engine] = create(engine, rules, order, key)
    return engines[variant, engine]
