"""The one place that imports experta.

experta 1.9.4 pins ``frozendict==1.2``, whose class derives from
``collections.Mapping`` (removed in Python 3.10), and it calls
``logging.basicConfig()`` on import, which would attach a handler to the root
logger of every program that imports us. Both are undone here, once, and every
other module imports the engine's names from this module.
"""

from __future__ import annotations

import collections
import collections.abc
import logging


def _import_experta():
    root = logging.getLogger()
    saved_handlers = root.handlers[:]
    patched = not hasattr(collections, "Mapping")
    if patched:
        # Only frozendict's class statement needs the alias; it is removed
        # right after so nothing else comes to rely on it.
        collections.Mapping = collections.abc.Mapping  # type: ignore[attr-defined]
    try:
        import experta
        import experta.matchers.rete.check  # noqa: F401
        import experta.matchers.rete.mixins  # noqa: F401
        import experta.matchers.rete.token  # noqa: F401
        import experta.strategies  # noqa: F401
    finally:
        if patched:
            del collections.Mapping  # type: ignore[attr-defined]
        root.handlers[:] = saved_handlers
    return experta


_experta = _import_experta()


def _build_tokens_without_checks() -> None:
    """experta checks the type of every fact of every token it builds, in a
    ``try`` that ``python -O`` does not strip: a fifth of an inference. The
    network only ever builds tokens from facts it was given, so the checks
    are dropped; what a token holds is unchanged."""
    token_class = _experta.matchers.rete.token.Token
    fact_class = _experta.Fact
    make = tuple.__new__

    def new(cls, tag, data, context=None):
        facts = {data} if isinstance(data, fact_class) else set(data)
        return make(cls, (tag, facts, {} if context is None else context))

    def copy(self):
        return make(self.__class__, (self[0], self[1].copy(), self[2].copy()))

    token_class.__new__ = new
    token_class.copy = copy


_build_tokens_without_checks()

KnowledgeEngine = _experta.KnowledgeEngine
Rule = _experta.Rule
Fact = _experta.Fact
AND = _experta.AND
OR = _experta.OR
NOT = _experta.NOT
P = _experta.P
Strategy = _experta.strategies.DepthStrategy
Token = _experta.matchers.rete.token.Token
TypeCheck = _experta.matchers.rete.check.TypeCheck
NoMemory = _experta.matchers.rete.mixins.NoMemory
ChildNode = _experta.matchers.rete.mixins.ChildNode
ConditionalElement = _experta.conditionalelement.ConditionalElement
FeatureCheck = _experta.matchers.rete.check.FeatureCheck
experta_version = getattr(_experta, "__version__", "1.9.4")

__all__ = ["KnowledgeEngine", "Rule", "Fact", "AND", "OR", "NOT", "P", "Strategy", "Token", "TypeCheck", "NoMemory",
           "experta_version", "ChildNode", "ConditionalElement", "FeatureCheck"]
