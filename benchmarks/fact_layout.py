"""How the layout of facts in experta's working memory changes the time of one
diagnostic inference. Three layouts of the same rules, measured in one run:

- one fact class, the key as a field: every fact is tested against the
  patterns of every key;
- one fact class per key: experta tests the class first, still on every branch;
- one class per key, routed (what advisor ships): the network's root sends a
  fact only to the branches of its class.
"""

from __future__ import annotations

import statistics
import time
from contextlib import contextmanager
from unittest import mock

from advisor.engine import experta as engine_experta
from advisor.engine._experta import P
from advisor.io.resources import data_dir
from advisor.kb.load import packaged_bundle
from advisor.model.answers import load_answers
from advisor.model.conditions import matches

SAMPLE = data_dir("samples") / "caso_cuenca.yaml"
RUNS = 100


def _key_as_field(test, bind):
    """The pattern as advisor first wrote it: ``Datum(key=…, value=…)``."""
    if test.op == "answered":
        pattern = engine_experta.Datum(key=test.fact)
    elif test.op == "equals" and isinstance(test.value, str):
        pattern = engine_experta.Datum(key=test.fact, value=test.value)
    else:
        op, expected = test.op, test.value
        pattern = engine_experta.Datum(key=test.fact, value=P(lambda actual: matches(op, expected, actual)))
    return bind << pattern if bind else pattern


@contextmanager
def layout(name: str):
    patches = []
    if name != "clase por clave, enrutada":
        patches.append(mock.patch.object(engine_experta, "_route_by_class", lambda engine: None))
    if name == "una clase, clave como campo":
        patches.append(mock.patch.object(engine_experta, "datum", lambda key: engine_experta.Datum))
        patches.append(mock.patch.object(engine_experta, "_pattern", _key_as_field))
    for patch in patches:
        patch.start()
    try:
        yield
    finally:
        for patch in patches:
            patch.stop()


def main() -> None:
    bundle = packaged_bundle()
    answers, questionnaire = load_answers(SAMPLE, bundle)
    rules, order = bundle.kb.rules_for("diagnostico"), [q.key for q in questionnaire.questions()]
    print(f"{'disposición de los hechos':<32} {'mediana':>9} {'mín':>9}")
    reference = None
    for name in ("una clase, clave como campo", "clase por clave, sin enrutar", "clase por clave, enrutada"):
        with layout(name):
            advisor = engine_experta.Advisor(rules, order)
            inference = advisor.run(answers.flat)
            times = []
            for _ in range(RUNS):
                start = time.perf_counter()
                advisor.run(answers.flat)
                times.append(time.perf_counter() - start)
        # The layout changes the speed, never the conclusions.
        assert reference is None or (inference.facts, set(inference.advice)) == reference, name
        reference = (inference.facts, set(inference.advice))
        print(f"{name:<32} {statistics.median(times) * 1000:>7.1f}ms {min(times) * 1000:>7.1f}ms")


if __name__ == "__main__":
    main()
