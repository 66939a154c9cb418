"""Reviewing the knowledge base like code: what `advisor kb check` reports,
and which items of the guide's inventory it cites (`advisor kb coverage`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterable, get_args

from ..errors import KnowledgeBaseError, Problem, suggest
from ..i18n import _, one_of
from ..model.conditions import COMPARISONS, conjunctions, matches, same, tests
from ..model.questionnaire import KeyedQuestion, Questionnaire
from .base import KnowledgeBase
from .compile import CompiledRule
from .completeness import completeness
from .guide import GUIDE_FILE
from .pathcheck import check as check_path, check_stages
from .schema import ListName

if TYPE_CHECKING:
    from .bundle import Bundle

#: The items of ../shared/guide/INDEX.md.
INVENTORY = tuple(f"K{n:02d}" for n in range(1, 41))
#: Network ids that CONTRACT §3 makes stable.
CONTRACT_NETWORKS = (
    "cglu", "metropolis", "c40", "iclei", "mercociudades", "cideu", "ucci", "aice", "polis",
    "cities_for_mobility", "red_ciudades_bid", "ocd", "flacma", "ocpm", "allas", "ramcc", "ogp",
    "red_ciudades_circulares", "city_data_alliance", "zicosur",
)

_ABSENT = object()


@dataclass(frozen=True)
class Domain:
    """What values a fact can take, for checking conditions against it."""

    kind: str  # boolean, choice, multi, integer, text, derived
    values: tuple[Any, ...] = ()
    low: int | None = None
    high: int | None = None


def domains(questionnaire: Questionnaire, kb: KnowledgeBase) -> dict[str, Domain]:
    """Every fact a rule of this questionnaire may test, with its domain."""
    result: dict[str, Domain] = {}
    for q in questionnaire.questions():
        result[q.key] = _question_domain(q)
    for key, spec in kb.fact_specs.items():
        result[key] = Domain("derived", tuple(spec.values))
    return result


def _question_domain(q: KeyedQuestion) -> Domain:
    if q.type == "boolean":
        return Domain("boolean", (True, False))
    if q.type in ("choice", "multi"):
        return Domain(q.type, tuple(o.value for o in q.options))
    if q.type == "integer":
        return Domain("integer", (), q.min, q.max)
    return Domain(q.type)


def check(bundle: "Bundle") -> list[Problem]:
    """Every inconsistency of the knowledge base; empty when all is well."""
    kb = bundle.kb
    problems: list[Problem] = []
    problems += _check_catalogue(kb, bundle)
    problems += completeness(bundle)
    for name, questionnaire in sorted(bundle.questionnaires.items()):
        rules = kb.rules_for(name)
        if rules:
            problems += _check_rules(kb, questionnaire, rules)
    known = set(bundle.questionnaires)
    for rule in kb.compiled:
        if rule.questionnaire not in known:
            problems.append(
                _at(kb, rule, _("las reglas son para el cuestionario «{name}», que no existe", name=rule.questionnaire),
                    expected=one_of(sorted(known)),
                    suggestion=suggest(rule.questionnaire, known))
            )
            break
    return problems


def _at(kb: KnowledgeBase, rule: CompiledRule | str, message: str, **extra: Any) -> Problem:
    origin = rule if isinstance(rule, str) else rule.origin
    file, line = kb.lines.get(origin, (None, None))
    return Problem(message, file=file, line=line, key=origin, **extra)


def _check_catalogue(kb: KnowledgeBase, bundle: "Bundle") -> list[Problem]:
    problems = []
    catalogue = kb.catalogue
    ids = [n.id for n in catalogue.networks]
    for missing in [n for n in CONTRACT_NETWORKS if n not in ids]:
        problems.append(
            Problem(_("falta la red «{id}», cuyo id es parte del contrato público", id=missing),
                    file="knowledge_base/catalogo.yaml", key="networks")
        )
    numbers = [idea.id for idea in catalogue.ideas]
    if numbers != [f"idea.{n:02d}" for n in range(1, 12)]:
        problems.append(
            Problem(_("las ideas deben ser idea.01 … idea.11, en el orden de la guía (K37)"),
                    file="knowledge_base/catalogo.yaml", key="ideas")
        )
    if kb.guide is not None and (kb.guide.folder / GUIDE_FILE).is_file():  # a missing text: completeness.py
        problems += _check_citations(kb)
    listed = {r.advice.items for r in kb.compiled if r.advice and r.advice.items}
    for name in get_args(ListName):
        if catalogue.entries(name) and name not in listed:
            problems.append(
                Problem(_("ninguna regla lista el catálogo «{name}» (advice.items), así que sus entradas nunca se "
                          "muestran", name=name),
                        file="knowledge_base/catalogos", key=name)
            )
    groups = {key.split(".")[0] for q in bundle.questionnaires.values() for key in q.by_key}
    for pillar in catalogue.pillars:
        for group in pillar.groups:
            if group not in groups:
                problems.append(
                    _at(kb, f"pillars:{pillar.id}", _("el pilar cita el grupo de respuestas «{group}», que no existe",
                                                      group=group),
                        suggestion=suggest(group, groups))
                )
    return problems


def _check_citations(kb: KnowledgeBase) -> list[Problem]:
    """Cited line ranges must lie inside the guide."""
    assert kb.guide is not None
    length = len(kb.guide.lines)
    # Keyed by origin: a network's rule and its catalogue entry are one citation.
    cited = {rule.origin: rule.source for rule in kb.compiled}
    cited |= {key: entry.source for _kind, key, entry in kb.catalogue.keyed()}
    problems = []
    for where, source in cited.items():
        if source.lines and not 1 <= source.lines[0] <= source.lines[1] <= length:
            problems.append(
                _at(kb, where, _("cita las líneas {first}–{last} de la guía, que no existen",
                                 first=source.lines[0], last=source.lines[1]),
                    expected=_("un rango creciente entre 1 y {length}", length=length))
            )
    return problems


def _check_rules(kb: KnowledgeBase, questionnaire: Questionnaire, rules: list[CompiledRule]) -> list[Problem]:
    problems: list[Problem] = []
    facts = domains(questionnaire, kb)
    produced: dict[str, set[Any]] = {}
    for rule in rules:
        for key, value in rule.derive.items():
            produced.setdefault(key, set()).add(value)

    # Derived facts must be declared, take declared values, and have one producer per value set.
    for rule in rules:
        for key, value in rule.derive.items():
            spec = kb.fact_specs.get(key)
            if spec is None:
                problems.append(
                    _at(kb, rule, _("deduce «{key}», un hecho que no está declarado en hechos.yaml", key=key),
                        suggestion=suggest(key, kb.fact_specs))
                )
            elif not any(same(value, v) for v in spec.values):
                problems.append(
                    _at(kb, rule, _("deduce «{key}: {value}», un valor que el hecho no admite", key=key, value=value),
                        expected=_list(spec.values))
                )
    # Each fact a condition tests → the first rule testing it (reversed: the first wins), in one walk.
    first_tester = {test.fact: r for r in reversed(rules) for test, _negated in tests(r.when)}
    for key in sorted(facts):
        if facts[key].kind == "derived" and key in kb.fact_specs and key not in produced and key in first_tester:
            problems.append(
                _at(kb, f"facts:{key}" if f"facts:{key}" in kb.lines else first_tester[key],
                    _("se evalúa el hecho «{key}», pero ninguna regla lo deduce", key=key))
            )

    # Every test, of a rule or of a catalogue entry a rule lists, names a known
    # fact and a value that fact can take.
    stepped = {r.id: r for r in rules if r.advice is not None and r.advice.steps}
    for rule in rules:
        problems += _check_condition(kb, rule, rule.when, facts)
        if rule.advice is not None:
            done_when = rule.path.done_when if rule.path else None
            for condition in [rule.advice.urgent_when, done_when, *(a.when for a in rule.advice.addenda)]:
                if condition is not None:
                    problems += _check_condition(kb, rule, condition, facts)
            problems += [_at(kb, rule, _("steps_of nombra «{id}», que no es un consejo con pasos de este cuestionario",
                                         id=a.steps_of), suggestion=suggest(a.steps_of, stepped))
                         for a in rule.advice.addenda if a.steps_of and a.steps_of not in stepped]
    listed = {f"{r.advice.items}:{e.id}": e for r in rules if r.advice and r.advice.items for e in r.entries}
    for where, entry in sorted(listed.items()):
        for condition in entry.conditions():
            problems += _check_condition(kb, where, condition, facts)

    # Classifications explain their default with facts that exist.
    for written in kb.classifications:
        name, spec = written.questionnaire, written.spec
        if name != questionnaire.id:
            continue
        for key in spec.explain:
            if key not in facts:
                problems.append(
                    _at(kb, spec.id, _("explain cita «{key}», que no existe", key=key), suggestion=suggest(key, facts))
                )

    # Pillars and ideas always get a value, so the report can show all of them.
    if questionnaire.id == "diagnostico":
        for pillar in kb.catalogue.pillars:
            if f"pilar.{pillar.id}" not in produced:
                problems.append(_at(kb, f"pillars:{pillar.id}",
                                    _("ninguna clasificación deduce el nivel de este pilar")))
        for idea in kb.catalogue.ideas:
            if idea.id not in produced:
                problems.append(_at(kb, f"ideas:{idea.id}", _("ninguna clasificación deduce el estado de esta idea")))

    stages = [w.spec for w in kb.stages if w.questionnaire == questionnaire.id]
    found = check_path(rules) + (check_stages(stages, rules) if any(r.path for r in rules) else [])
    problems += [_at(kb, next((r for r in rules if r.id == where), where), message,
                     **({"expected": expected} if expected else {}))
                 for where, message, expected in found]

    if not problems:
        problems += _check_engine(kb, rules)
    if not problems:
        problems += _check_reachable(kb, rules, facts, produced)
    return problems


def _check_condition(kb: KnowledgeBase, where: CompiledRule | str, condition: Any,
                     facts: dict[str, Domain]) -> list[Problem]:
    problems = []
    for test, _negated in tests(condition):
        domain = facts.get(test.fact)
        if domain is None:
            problems.append(
                _at(kb, where, _("la condición usa «{fact}», que ninguna pregunta ni regla produce", fact=test.fact),
                    expected=_("una clave del cuestionario o un hecho declarado"), suggestion=suggest(test.fact, facts))
            )
        else:
            problems += _check_test(kb, where, test, domain)
    return problems


def _check_engine(kb: KnowledgeBase, rules: list[CompiledRule]) -> list[Problem]:
    """What the engine compiler would refuse: cycles and oversized conditions."""
    from .strata import alternatives, stratify

    by_id = {r.id: r for r in rules}
    problems = []
    try:
        stratify(rules)
    except KnowledgeBaseError as error:
        for problem in error.problems:
            rule = by_id.get(problem.key or "")
            problems.append(_at(kb, rule, problem.message, expected=problem.expected) if rule else problem)
    for rule in rules:
        try:
            alternatives(rule)
        except KnowledgeBaseError as error:
            problems.append(_at(kb, rule, error.problems[0].message, expected=error.problems[0].expected))
    return problems


def _check_test(kb: KnowledgeBase, rule: CompiledRule | str, test: Any, domain: Domain) -> list[Problem]:
    op, value = test.op, test.value
    fact = test.fact
    if op == "answered":
        return []
    if domain.kind == "multi":
        if op == "equals":
            return [_at(kb, rule, _("la condición sobre «{fact}» usa «equals» sobre una lista de opciones", fact=fact),
                        expected=_("contains, in o una comparación (cuenta las opciones)"))]
        if op in COMPARISONS:
            return []
    elif op == "contains":
        return [_at(kb, rule,
                    _("la condición sobre «{fact}» usa «contains», que solo vale para preguntas de varias opciones",
                                fact=fact),
                    expected=_("equals o in"))]
    if op in COMPARISONS:
        if domain.kind != "integer":
            return [_at(kb, rule, _("la condición sobre «{fact}» compara con «{op}» un dato que no es un número",
                                    fact=fact, op=op),
                        expected=_("equals o in"))]
        return []
    if domain.kind in ("text", "country", "integer"):
        return []
    values = value if op == "in" else [value]
    bad = [v for v in values if not any(same(v, allowed) for allowed in domain.values)]
    return [
        _at(kb, rule, _("la condición sobre «{fact}» usa el valor «{value}», que el dato no admite", fact=fact,
                        value=v),
            expected=_list(domain.values), suggestion=suggest(v, domain.values))
        for v in bad
    ]


def _check_reachable(
    kb: KnowledgeBase, rules: list[CompiledRule], facts: dict[str, Domain], produced: dict[str, set[Any]]
) -> list[Problem]:
    """Rules whose condition no profile can satisfy. Derived facts can only take
    values that some reachable rule derives, so this runs to a fixed point."""
    reachable: set[str] = set()
    possible: dict[str, set[Any]] = {key: set() for key in produced}
    changed = True
    while changed:
        changed = False
        for rule in rules:
            if rule.id in reachable:
                continue
            if any(_satisfiable(alt, facts, possible) for alt in conjunctions(rule.when)):
                reachable.add(rule.id)
                for key, value in rule.derive.items():
                    possible.setdefault(key, set()).add(value)
                changed = True
    return [
        _at(kb, rule, _("la regla «{id}» no puede dispararse con ninguna combinación de respuestas", id=rule.id),
            expected=_("condiciones que algún perfil pueda cumplir"))
        for rule in rules
        if rule.id not in reachable
    ]


def _satisfiable(alternative: list, facts: dict[str, Domain], possible: dict[str, set[Any]]) -> bool:
    by_key: dict[str, list] = {}
    for test, negated in alternative:
        by_key.setdefault(test.fact, []).append((test, negated))
    return all(
        any(all(_holds(t, neg, candidate) for t, neg in constraints) for candidate in _candidates(key, constraints,
                                                                                                  facts, possible))
        for key, constraints in by_key.items()
    )


def _candidates(key: str, constraints: list, facts: dict[str, Domain], possible: dict[str, set[Any]]) -> list[Any]:
    domain = facts[key]
    if domain.kind == "derived":
        return [_ABSENT, *possible.get(key, ())]
    if domain.kind in ("boolean", "choice"):
        return [_ABSENT, *domain.values]
    if domain.kind == "multi":
        # Lists built from the required items, then grown by one item at a time,
        # cover contains, in and counts for the small domains we have.
        required = [t.value for t, neg in constraints if t.op == "contains" and not neg]
        lists = [tuple(required)]
        rest = [v for v in domain.values if v not in required]
        for size in range(1, len(rest) + 1):
            lists.append(tuple(required) + tuple(rest[:size]))
        lists += [tuple(required) + (v,) for v in rest]
        return [_ABSENT, *lists]
    constants = [t.value for t, _ in constraints if t.op != "answered"]
    if domain.kind == "integer":
        low = domain.low if domain.low is not None else -(10**9)
        high = domain.high if domain.high is not None else 10**9
        points = {low, high}
        for c in constants:
            for values in (c if isinstance(c, list) else [c]):
                points.update({int(values) - 1, int(values), int(values) + 1})
        return [_ABSENT, *sorted(p for p in points if low <= p <= high)]
    flat = [v for c in constants for v in (c if isinstance(c, list) else [c])]
    return [_ABSENT, "\x00otro", *flat]


def _holds(test: Any, negated: bool, candidate: Any) -> bool:
    if test.op == "answered":
        result = (candidate is not _ABSENT) == test.answered
    else:
        result = candidate is not _ABSENT and matches(test.op, test.value, candidate)
    return result != negated


def _list(values: Iterable[Any]) -> str:
    shown = ["true" if v is True else "false" if v is False else str(v) for v in values]
    return one_of(shown)


# --- coverage ------------------------------------------------------------------


def coverage(kb: KnowledgeBase) -> dict[str, list[str]]:
    """K id → the rules and catalogue entries that cite it (empty when missing)."""
    cited: dict[str, list[str]] = {k: [] for k in INVENTORY}

    def cite(ref: str, what: str) -> None:
        if what not in cited[ref]:
            cited[ref].append(what)

    for rule in kb.compiled:
        cite(rule.source.ref, rule.origin)
    for _kind, key, entry in kb.catalogue.keyed():
        cite(entry.source.ref, key)
    return cited
