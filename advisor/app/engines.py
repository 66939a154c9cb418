"""Each questionnaire's rules compiled for an engine, once per process: what
an assessment, a what-if and the suggestions all run; and a run of the
path's rules from which runs of slightly changed answers are made cheaply."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any
from weakref import WeakKeyDictionary

from ..engine.base import DEFAULT_ENGINE, Advisor, create, freeze
from ..kb.bundle import Bundle
from ..kb.strata import downstream, settling
from ..model.conditions import tests

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


#: The rules downstream of a set of changed answers, compiled, kept per
#: bundle: a questionnaire's suggestions try a few dozen sets again and again.
#: A set is compiled the second time it is needed: compiling costs several
#: runs, and a command that makes one report needs each set once.
DOWNSTREAM_KEPT = 256
_Downstream = tuple[Advisor | None, set[str], set[str]]
_downstream: WeakKeyDictionary[Bundle, OrderedDict[tuple[str, str, frozenset[str]], _Downstream | None]] \
    = WeakKeyDictionary()
_downstream_lock = threading.Lock()


class Baseline:
    """The facts a run of the path's rules (``compiled(..., facts_only=True)``)
    settles for some answers, and those it would settle for answers that differ
    in a few keys, made by running again only the rules downstream of them
    (``kb.strata.downstream``): the same facts, in a fraction of a run."""

    def __init__(self, bundle: Bundle, name: str, answers: Mapping[str, Any], engine: str = DEFAULT_ENGINE,
                 facts: Mapping[str, Any] | None = None):
        """``facts``: those of a whole run of all the rules on ``answers``, when
        at hand (the path's facts are among them, the rules being stratified)."""
        self.bundle, self.name, self.engine = bundle, name, engine
        self.answers = dict(answers)
        self.path = compiled(bundle, name, engine, facts_only=True)
        if facts is None:
            self.facts = self.path.run(self.answers).facts
        else:
            settled = {key for rule in self.path.rules for key in rule.derive}
            self.facts = {k: v for k, v in facts.items() if k in self.answers or k in settled}

    def facts_if(self, answers: Mapping[str, Any]) -> dict[str, Any]:
        """The facts a run of the path's rules settles for ``answers``."""
        missing = object()
        keys = frozenset(k for k in self.answers.keys() | answers.keys()
                         if self.answers.get(k, missing) != answers.get(k, missing))
        if not keys:
            return dict(self.facts)
        found = self._downstream(keys)
        if found is None:
            return self.path.run(answers).facts
        advisor, changing, tested = found
        kept = {k: v for k, v in self.facts.items() if k not in changing}
        kept.update((k, freeze(answers[k])) for k in keys if k in answers)  # as a run holds them
        if advisor is not None:  # given only what its rules test: a smaller network to fill
            kept.update(advisor.run({k: v for k, v in kept.items() if k in tested}).facts)
        return kept

    def _downstream(self, keys: frozenset[str]) -> _Downstream | None:
        """The rules downstream of ``keys`` compiled (None when there are none),
        the facts they may change and the facts they test; None the first time."""
        memo_key = (self.name, self.engine, keys)
        with _downstream_lock:
            memo = _downstream.setdefault(self.bundle, OrderedDict())
            if memo_key not in memo:
                memo[memo_key] = None
                _trim(memo)
                return None
            found = memo[memo_key]
            memo.move_to_end(memo_key)
            if found is not None:
                return found
        rules, changing = downstream(self.path.rules, keys)
        tested = {test.fact for rule in rules for test, _negated in tests(rule.when)}
        found = (create(self.engine, rules, self.path.fact_order) if rules else None), changing, tested
        with _downstream_lock:
            memo[memo_key] = found
            _trim(memo)
        return found


def _trim(memo: OrderedDict[Any, Any]) -> None:
    while len(memo) > DOWNSTREAM_KEPT:
        memo.popitem(last=False)
