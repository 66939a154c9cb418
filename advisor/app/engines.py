"""Each questionnaire's rules compiled for an engine, once per process: what
an assessment, a what-if and the suggestions all run."""

from __future__ import annotations

from weakref import WeakKeyDictionary

from ..engine.base import DEFAULT_ENGINE, Advisor, create
from ..kb.bundle import Bundle

#: Each bundle's rules compiled per questionnaire and engine, once per process.
_compiled: "WeakKeyDictionary[Bundle, dict[tuple[str, str], Advisor]]" = WeakKeyDictionary()


def compiled(bundle: Bundle, name: str, engine: str = DEFAULT_ENGINE, facts_only: bool = False) -> Advisor:
    """One questionnaire's rules compiled for an engine; the packaged bundle's
    network may come from the cache (its fingerprint names the rules). With
    ``facts_only``, only the rules that derive facts: a run that settles the
    levels and stages of the path several times faster, without the advice."""
    engines = _compiled.setdefault(bundle, {})
    variant = f"{name}-hechos" if facts_only else name
    if (variant, engine) not in engines:
        questionnaire = bundle.questionnaire(name)
        order = [q.key for q in questionnaire.questions()]
        key = (f"{bundle.cache_name}-{variant}", f"{bundle.fingerprint}:{variant}") if bundle.fingerprint else None
        rules = [r for r in bundle.kb.rules_for(name) if r.derive or not facts_only]
        engines[variant, engine] = create(engine, rules, order, key)
    return engines[variant, engine]
