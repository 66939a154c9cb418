"""The ``advisor`` command. The one place where errors become the Spanish
messages a user reads, and where Ctrl-C is handled."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from pathlib import Path
from typing import Any, Callable, Sequence

from . import __version__
from . import i18n
from .i18n import N_, _
from .errors import AdvisorError, Problem, UsageError, suggest
from .text import emit, visible
from .messages import format_error

EXIT_INTERRUPTED = 130

# argparse writes its own words through gettext; these are the ones users see.
_ARGPARSE_WORDS = {
    "usage: ": "uso: ",
    "positional arguments": "argumentos",
    "options": "opciones",
    "show this help message and exit": "muestra esta ayuda y termina",
    "show program's version number and exit": "muestra la versión y termina",
    "the following arguments are required: %s": "faltan estos argumentos: %s",
    "unrecognized arguments: %s": "argumentos desconocidos: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "opción no válida: %(value)r (elija entre %(choices)s)",
    "argument %(argument_name)s: %(message)s": "argumento %(argument_name)s: %(message)s",
    "expected one argument": "falta su valor",
    "%(prog)s: error: %(message)s\n": "%(prog)s: error: %(message)s\n",
    "ambiguous option: %(option)s could match %(matches)s": "opción ambigua: %(option)s puede ser %(matches)s",
}
# In English, argparse's own words are already right.
argparse._ = lambda text: _ARGPARSE_WORDS.get(text, text) if i18n.current() == "es" else text  # type: ignore[attr-defined]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        raise UsageError(Problem(message, expected=_("vea «{command} --help»", command=self.prog)))


# --- commands --------------------------------------------------------------------


def _bundle(args: argparse.Namespace | None = None):
    from .loading import load_bundle, packaged_bundle

    from .render import check_templates

    base = getattr(args, "base", None)
    bundle = load_bundle(kb_dir=Path(base)) if base else packaged_bundle()
    check_templates(sorted(bundle.questionnaires))
    return bundle


def _build_report(answers_path: Path, args: argparse.Namespace, date: dt.date | None = None):
    from .assessment import assess

    return assess(answers_path, _bundle(), date, args.engine)


def _write_output(text: str, output: str | None) -> None:
    from .atomic import write_atomic

    if output is None or output == "-":
        emit(text)
    else:
        write_atomic(output, text)


def cmd_report(args: argparse.Namespace) -> int:
    from .atomic import write_atomic
    from .render import BINARY_FORMATS, render, render_bytes

    fmt = args.format or _format_from_suffix(args.output, BINARY_FORMATS)
    if fmt in BINARY_FORMATS and (args.output is None or args.output == "-"):
        raise UsageError(Problem(
            _("el formato {fmt} es un documento y no se puede mostrar en la pantalla", fmt=fmt), key="--format",
            expected=_("un archivo de salida con -o, por ejemplo «-o memo.{fmt}»", fmt=fmt),
        ))
    report = _build_report(Path(args.answers), args, args.fecha)
    if fmt in BINARY_FORMATS:
        write_atomic(args.output, render_bytes(report, fmt))
    else:
        _write_output(render(report, fmt), args.output)
    if args.output and args.output != "-":
        emit(_("Informe escrito en {path}", path=visible(str(args.output))), sys.stderr)
    return 0


def _format_from_suffix(output: str | None, documents: tuple[str, ...] = ()) -> str:
    if output:
        suffix = Path(output).suffix.lower().lstrip(".")
        if suffix in documents:
            return suffix
        return {"htm": "html", "markdown": "md"}.get(suffix, suffix) if suffix in ("json", "md", "html", "htm", "markdown") else "json"
    return "json"


def cmd_ask(args: argparse.Namespace) -> int:
    from .answers import Answers, load_answers
    from .explain import Explainer
    from .engine import backend
    from .interview import Interview, choose_questionnaire
    from .lock import held

    bundle = _bundle()
    backend(args.engine)  # before the first question, not after the last
    if args.resume and args.previous:
        raise UsageError(Problem(
            _("«--from» y «--resume» no se pueden usar juntos"),
            expected=_("«--from ANTERIOR» para empezar un seguimiento, o «--resume RESPUESTAS» para continuar "
                       "un archivo empezado"),
        ))
    if args.resume or args.previous:
        path = Path(args.resume or args.previous)
        answers, questionnaire = load_answers(path, bundle)
        if args.questionnaire and args.questionnaire != questionnaire.id:
            raise UsageError(Problem(
                _("el archivo es del cuestionario «{found}», no de «{asked}»", found=questionnaire.id, asked=args.questionnaire),
                file=str(path), key="cuestionario",
            ))
    if args.previous:
        # A new assessment: the previous file is only read, and the new one dated by the interview.
        answers.date = None
        path = Path(args.output) if args.output else path.with_name(path.stem + "-seguimiento.yaml")
        if path.exists():
            raise _exists(path)
    elif not args.resume:
        questionnaire = bundle.questionnaire(args.questionnaire) if args.questionnaire else None
        if args.output and Path(args.output).exists():
            raise _exists(Path(args.output))
    if not (sys.stdin and sys.stdin.isatty() and sys.stdout and sys.stdout.isatty()):
        raise UsageError(Problem(
            _("«advisor ask» necesita una terminal interactiva"),
            expected=_("ejecutarlo en una terminal; sin terminal, escriba un archivo de respuestas "
                       "(vea «advisor schema» y los ejemplos de «advisor samples») y use «advisor report ARCHIVO»"),
        ))
    if not (args.resume or args.previous):
        if questionnaire is None:
            questionnaire = choose_questionnaire(_menu(bundle))
        path = Path(args.output or f"respuestas-{questionnaire.id}.yaml")
        if path.exists():
            raise _exists(path)
        answers = Answers(questionnaire=questionnaire.id)
    args.saving_to = path
    with held(path):
        if not args.resume and path.exists():
            raise _exists(path)  # another session made it meanwhile
        Interview(questionnaire, answers, path, Explainer(questionnaire, bundle.kb), revisit=bool(args.previous)).run()
        from .answers import save_answers

        save_answers(answers, questionnaire, path)
    written = _write_reports(_build_report(path, args), path.with_name(path.stem + "-informe"))
    emit(_("\nRespuestas guardadas en {path}", path=visible(str(path))))
    for item in written:
        emit(_("Informe: {path}", path=visible(str(item))))
    if args.previous:
        emit(_("Para ver el progreso: advisor compare {before} {after}", before=visible(str(args.previous)), after=visible(str(path))))
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    from .compare import compare_files
    from .render import render_comparison

    fmt = args.format or _format_from_suffix(args.output)
    comparison = compare_files(args.before, args.after, _bundle(), args.engine)
    _write_output(render_comparison(comparison, fmt), args.output)
    if args.output and args.output != "-":
        emit(_("Informe de seguimiento escrito en {path}", path=visible(str(args.output))), sys.stderr)
    return 0


def _exists(path: Path) -> UsageError:
    return UsageError(Problem(
        _("el archivo ya existe y no se sobrescribe"),
        file=str(path),
        expected=_("otro nombre con -o, o continuar ese archivo con «advisor ask --resume {path}»", path=visible(str(path))),
    ))


def _menu(bundle) -> list:
    """Questionnaires in the order users meet them: the diagnostic first."""
    return sorted(bundle.questionnaires.values(), key=lambda q: (q.id != "diagnostico", q.title))


def _write_reports(report, stem: Path) -> list[Path]:
    from .render import render

    written = []
    for fmt in ("html", "md"):
        target = stem.with_suffix(f".{fmt}")
        _write_output(render(report, fmt), str(target))
        written.append(target)
    return written


def cmd_demo(args: argparse.Namespace) -> int:
    from .resources import data_dir

    sample = data_dir("samples") / "municipio_pequeno.yaml"
    folder = Path(args.dir)
    folder.mkdir(parents=True, exist_ok=True)
    report = _build_report(sample, args)
    written = _write_reports(report, folder / "informe-demo")
    emit(_summary(report.model_dump(mode="json")))
    emit("")
    for item in written:
        emit(_("Informe: {path}", path=visible(str(item))))
    return 0


def _summary(report: dict[str, Any]) -> str:
    """Ten lines: who, the pillar profile, and what to do first."""
    levels = {"inicial": _("inicial"), "en_desarrollo": _("en desarrollo"), "consolidado": _("consolidado")}
    recs = {r["id"]: r for r in report["recomendaciones"]}
    lines = [_("Diagnóstico de {name} ({date})", name=report["perfil"]["nombre"], date=report["fecha"])]
    lines.append(_("Pilares: {levels}", levels="; ".join(f"{p['titulo']}: {levels[p['nivel']]}" for p in report["pilares"].values())))
    done = sum(1 for i in report["ideas"] if i["estado"] == "cumplida")
    lines.append(_("Ideas de la guía cumplidas: {done} de {total}", done=done, total=len(report["ideas"])))
    lines.append(_("Recomendaciones: {count}. Qué hacer primero:", count=len(report["recomendaciones"])))
    for number, rid in enumerate(report["primeros_pasos"], start=1):
        lines.append(f"  {number}. {recs[rid]['titulo']} ({recs[rid]['fuente']['ref']})")
    return "\n".join(lines[:10])


def cmd_batch(args: argparse.Namespace) -> int:
    from . import batch

    from .engine import backend

    _bundle()  # refuse a broken knowledge base or template before any work
    backend(args.engine)  # and an engine that is not there
    paths = batch.answer_files(args.inputs)
    if not paths:
        raise UsageError(Problem(_("no se encontraron archivos de respuestas"), key="ENTRADA",
                                 expected=_("archivos .yaml, .yml o .json, o carpetas que los contengan")))
    formats = tuple(dict.fromkeys(args.format or ["json", "html"]))
    jobs = args.jobs or batch.default_jobs()
    show = _Progress(len(paths), sys.stderr)
    done, refused = batch.write(batch.run(paths, formats, jobs, args.fecha, args.engine), Path(args.output), format_error, show,
                                args.separador)
    show.finish()
    emit(_("{done} informe(s) en {folder}; {refused} archivo(s) rechazado(s)", done=done, folder=visible(str(args.output)),
            refused=refused) + (_(", vea {path}", path=visible(str(Path(args.output) / batch.ERRORS))) if refused else "") + ".")
    emit(_("Resumen: {path}", path=visible(str(Path(args.output) / batch.SUMMARY))))
    return 2 if refused else 0


class _Progress:
    """A bar on a terminal; one plain line per file otherwise (logs, CI)."""

    def __init__(self, total: int, stream):
        self.total, self.count, self.stream = total, 0, stream
        self.bar = stream.isatty()

    def __call__(self, outcome) -> None:
        from .batch import shown_path

        self.count += 1
        if self.bar:
            filled = int(30 * self.count / self.total)
            self.stream.write(f"\r[{'█' * filled}{'·' * (30 - filled)}] {self.count}/{self.total}")
        else:
            state = _("rechazado") if outcome.problems else _("listo")
            self.stream.write(f"{self.count}/{self.total} {state}: {shown_path(outcome.path)}\n")
        self.stream.flush()

    def finish(self) -> None:
        if self.bar:
            self.stream.write("\n")


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(_("«{text}» no es un número entero positivo", text=text))
    return value


def cmd_samples(args: argparse.Namespace) -> int:
    """List the bundled sample answer files, or copy one to work on."""
    from .atomic import write_atomic
    from .resources import data_dir

    samples = {p.stem: p for p in sorted(data_dir("samples").glob("*.yaml"))}
    if args.name is None:
        for name, path in samples.items():
            first = path.read_text(encoding="utf-8").splitlines()[0].lstrip("# ")
            emit(f"{name:<24} {first}")
        emit(_("\nCopie uno para trabajar sobre él: advisor samples NOMBRE"))
        return 0
    if args.name not in samples:
        raise UsageError(Problem(_("no existe el ejemplo «{name}»", name=args.name), expected=_("uno de: {names}", names=", ".join(samples)),
                                 suggestion=suggest(args.name, samples)))
    target = Path(args.output or f"{args.name}.yaml")
    if target.exists():
        raise _exists(target)
    write_atomic(target, samples[args.name].read_bytes())
    emit(_("Ejemplo copiado en {path}. Su informe: advisor report {path} --format html -o {stem}.html", path=visible(str(target)), stem=visible(target.stem)))
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from .guide import Inventory
    from .i18n import TranslationFile
    from .knowledge import Catalogue, CatalogueFile, FactFile, RuleFile
    from .questionnaire import Questionnaire

    models: dict[str, Callable[[], Any]] = {
        "cuestionario": lambda: Questionnaire,
        "reglas": lambda: RuleFile,
        "catalogo": lambda: Catalogue,
        "catalogos": lambda: CatalogueFile,
        "hechos": lambda: FactFile,
        "inventario": lambda: Inventory,
        "traducciones": lambda: TranslationFile,
    }
    if args.tipo == "respuestas":
        model = _bundle().questionnaire(args.questionnaire).answer_model
    else:
        model = models[args.tipo]()
    schema = model.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    sys.stdout.write(json.dumps(schema, ensure_ascii=False, indent=2) + "\n")
    return 0


def cmd_kb_check(args: argparse.Namespace) -> int:
    bundle = _bundle(args)  # loading runs every check, and raises with every problem found
    kb = bundle.kb
    rules = len(kb.rules) + len(kb.classifications)
    entries = sum(1 for kind, _key, _entry in kb.catalogue.keyed() if kind not in ("pillars", "ideas", "networks"))
    emit(_("Base de conocimiento {version}: {rules} reglas y clasificaciones, {networks} redes, "
            "{entries} entradas de otros catálogos, {questionnaires} cuestionario(s). Sin problemas.",
            version=kb.version, rules=rules, networks=len(kb.catalogue.networks), entries=entries,
            questionnaires=len(bundle.questionnaires)))
    return 0


def cmd_kb_translations(args: argparse.Namespace) -> int:
    lacking = i18n.missing(_bundle(args).sources, args.idioma)
    total = sum(len(texts) for texts in lacking.values())
    for path, texts in lacking.items():
        emit(_("{path}: faltan {count} traducción(es)", path=path, count=len(texts)))
        if args.completar:
            i18n.add_missing(path, texts)
    if args.completar and lacking:
        emit(_("Se agregaron las entradas que faltaban, con «en» vacío, para completarlas."))
    if not total:
        emit(_("Todos los textos tienen su traducción ({lang}).", lang=args.idioma))
    return 1 if total and not args.completar else 0


def cmd_kb_coverage(args: argparse.Namespace) -> int:
    from .kbcheck import coverage

    cited = coverage(_bundle(args).kb)
    covered = sum(1 for refs in cited.values() if refs)
    for ref, where in cited.items():
        state = _("citado ({n})", n=len(where)) if where else _("FALTA")
        emit(f"{ref}  {state:<12} {', '.join(where[:4])}{' …' if len(where) > 4 else ''}")
    emit(_("\nCobertura: {covered}/{total} ítems de la guía citados.", covered=covered, total=len(cited)))
    return 0


def cmd_rules_list(args: argparse.Namespace) -> int:
    from .browse import Browser

    emit(Browser(_bundle(args)).listing(args.tema))
    return 0


def cmd_rules_show(args: argparse.Namespace) -> int:
    from .browse import Browser

    emit(Browser(_bundle(args)).show(args.id, complete=args.completo))
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from .web.server import serve

    return serve(args.host, args.port, args.db)


def _port(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(_("«{text}» no es un puerto (un número de 1 a 65535)", text=text))
    return int(text)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("«{text}» no es una fecha AAAA-MM-DD", text=text)) from None


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="advisor",
        description=_("Sistema experto para planificar la acción internacional de gobiernos locales, "
                      "según la Guía de acción internacional para gobiernos locales."),
    )
    parser.add_argument("--version", action="version", version=f"advisor {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMANDO", parser_class=_Parser)

    ask = commands.add_parser("ask", help=_("responder un cuestionario en la terminal"))
    ask.add_argument("questionnaire", nargs="?", metavar="CUESTIONARIO",
                     help=_("cuestionario: diagnostico, evaluacion_proyecto, red_candidata o postulacion_cid "
                            "(sin él, un menú para elegir)"))
    ask.add_argument("-o", "--output", metavar="RESPUESTAS", help=_("archivo donde guardar las respuestas"))
    ask.add_argument("--resume", metavar="RESPUESTAS", help=_("continuar un archivo de respuestas ya empezado"))
    ask.add_argument("--from", dest="previous", metavar="ANTERIOR",
                     help=_("empezar una evaluación nueva con las respuestas de otra como valores por omisión "
                            "(por omisión se guarda en ANTERIOR-seguimiento.yaml)"))
    ask.set_defaults(handler=cmd_ask)

    report = commands.add_parser("report", help=_("generar el informe de un archivo de respuestas"))
    report.add_argument("answers", metavar="RESPUESTAS", help=_("archivo de respuestas (.yaml, .yml o .json)"))
    report.add_argument("--format", choices=["json", "md", "html", "docx"],
                        help=_("formato (por omisión, según -o o json); docx es el memo para entregar, y necesita -o"))
    report.add_argument("-o", "--output", metavar="RUTA", help=_("archivo de salida (por omisión, la pantalla)"))
    report.add_argument("--fecha", type=_date, metavar="AAAA-MM-DD", help=_("fecha del informe, para resultados reproducibles"))
    report.set_defaults(handler=cmd_report)

    compare = commands.add_parser("compare", help=_("comparar dos evaluaciones del mismo cuestionario: el progreso"))
    compare.add_argument("before", metavar="BASE", help=_("archivo de respuestas de la evaluación anterior"))
    compare.add_argument("after", metavar="SEGUIMIENTO", help=_("archivo de respuestas de la evaluación nueva"))
    compare.add_argument("--format", choices=["json", "md", "html"], help=_("formato (por omisión, según -o o json)"))
    compare.add_argument("-o", "--output", metavar="RUTA", help=_("archivo de salida (por omisión, la pantalla)"))
    compare.set_defaults(handler=cmd_compare)

    demo = commands.add_parser("demo", help=_("generar los informes de un municipio de ejemplo"))
    demo.add_argument("--dir", default="informes-demo", metavar="CARPETA", help=_("carpeta de salida (por omisión, informes-demo)"))
    demo.set_defaults(handler=cmd_demo)

    batch = commands.add_parser("batch", help=_("generar los informes de muchos archivos de respuestas a la vez"))
    batch.add_argument("inputs", nargs="+", metavar="ENTRADA", help=_("archivos de respuestas o carpetas que los contienen"))
    batch.add_argument("-o", "--output", required=True, metavar="CARPETA", help=_("carpeta de salida"))
    batch.add_argument("--format", action="append", choices=["json", "md", "html", "docx"],
                       help=_("formato de los informes; repetible (por omisión, json y html)"))
    batch.add_argument("--jobs", type=_positive, metavar="N", help=_("procesos en paralelo (por omisión, todos los núcleos)"))
    batch.add_argument("--fecha", type=_date, metavar="AAAA-MM-DD", help=_("fecha de los informes, para resultados reproducibles"))
    batch.add_argument("--separador", choices=[",", ";"], default=",", metavar="SEP",
                       help=_("separador de los archivos CSV: «,» (por omisión) o «;» (Excel en español)"))
    batch.set_defaults(handler=cmd_batch)

    for command in (ask, report, compare, demo, batch):
        command.add_argument("--engine", default="experta", metavar="MOTOR",
                             help=_("motor de inferencia: experta (por omisión) o clips (requiere advisor[clips])"))

    serve = commands.add_parser("serve", help=_("los cuestionarios en el navegador: un servidor web local"))
    serve.add_argument("--host", default="127.0.0.1", metavar="HOST",
                       help=_("dirección donde escuchar (por omisión, 127.0.0.1: solo esta computadora)"))
    serve.add_argument("--port", type=_port, default=8000, metavar="PUERTO", help=_("puerto (por omisión, 8000)"))
    serve.add_argument("--db", metavar="URL",
                       help=_("base de datos: sqlite:///RUTA o postgresql://USUARIO:CLAVE@SERVIDOR:PUERTO/BASE "
                              "(por omisión, un archivo SQLite en la carpeta de datos del usuario)"))
    serve.set_defaults(handler=cmd_serve)

    samples = commands.add_parser("samples", help=_("listar los archivos de respuestas de ejemplo, o copiar uno"))
    samples.add_argument("name", nargs="?", metavar="NOMBRE", help=_("ejemplo a copiar (sin él, la lista)"))
    samples.add_argument("-o", "--output", metavar="ARCHIVO", help=_("dónde copiarlo (por omisión, NOMBRE.yaml)"))
    samples.set_defaults(handler=cmd_samples)

    schema = commands.add_parser("schema", help=_("imprimir el JSON Schema de un formato de archivo"))
    schema.add_argument("questionnaire", nargs="?", default="diagnostico", metavar="CUESTIONARIO")
    schema.add_argument("--tipo", default="respuestas", choices=["respuestas", "cuestionario", "reglas", "catalogo", "catalogos", "hechos", "inventario", "traducciones"])
    schema.set_defaults(handler=cmd_schema)

    kb = commands.add_parser("kb", help=_("revisar la base de conocimiento"))
    kb_commands = kb.add_subparsers(dest="kb_command", metavar="ACCIÓN", parser_class=_Parser)
    for name, handler, text in (
        ("check", cmd_kb_check, N_("verificar reglas y catálogos")),
        ("coverage", cmd_kb_coverage, N_("qué ítems de la guía (K01–K40) están citados")),
    ):
        action = kb_commands.add_parser(name, help=_(text))
        action.add_argument("--base", metavar="CARPETA", help=_("otra carpeta de base de conocimiento (por omisión, la incluida)"))
        action.set_defaults(handler=handler)
    translations = kb_commands.add_parser("traducciones", help=_("qué textos no tienen traducción"))
    translations.add_argument("--idioma", default="en", metavar="IDIOMA", help=_("idioma de las traducciones (por omisión, en)"))
    translations.add_argument("--completar", action="store_true",
                              help=_("agregar a los archivos *.en.yaml las entradas que faltan, con la traducción vacía"))
    translations.add_argument("--base", metavar="CARPETA", help=_("otra carpeta de base de conocimiento (por omisión, la incluida)"))
    translations.set_defaults(handler=cmd_kb_translations)

    rules = commands.add_parser("rules", help=_("explorar las reglas: qué aconsejan, cuándo y de qué parte de la guía"))
    rules_commands = rules.add_subparsers(dest="rules_command", metavar="ACCIÓN", parser_class=_Parser)
    listing = rules_commands.add_parser("list", help=_("listar las reglas por tema"))
    listing.add_argument("--tema", metavar="TEMA", help=_("solo las reglas de un tema (redes, cooperacion, plan…)"))
    listing.set_defaults(handler=cmd_rules_list)
    show = rules_commands.add_parser("show", help=_("mostrar una regla: condiciones, consejo, cita y pasaje de la guía"))
    show.add_argument("id", metavar="ID", help=_("id de la regla (vea «advisor rules list»)"))
    show.add_argument("--completo", action="store_true", help=_("mostrar el pasaje de la guía completo"))
    show.set_defaults(handler=cmd_rules_show)
    return parser


def _requested_language(argv: Sequence[str]) -> str:
    """The ``--lang`` of a command line, read before the parser is built so that
    its help, too, speaks that language."""
    for index, arg in enumerate(argv):
        if arg == "--lang" and index + 1 < len(argv):
            return argv[index + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return os.environ.get("ADVISOR_LANG") or i18n.DEFAULT


def _add_language_option(parser: argparse.ArgumentParser) -> None:
    """``--lang`` anywhere on the line: on the program and on every command."""
    parser.add_argument("--lang", metavar="IDIOMA", default=argparse.SUPPRESS,
                        help=_("idioma de preguntas, informes y mensajes: es (por omisión) o en"))
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for command in dict.fromkeys(action.choices.values()):
                _add_language_option(command)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = argparse.Namespace()
    try:
        i18n.load(_requested_language(argv))
        parser = build_parser()
        _add_language_option(parser)
        args = parser.parse_args(argv)
        handler = getattr(args, "handler", None)
        if handler is None:
            parser.print_help()
            return 2
        return handler(args)
    except AdvisorError as error:
        emit(format_error(error), sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        saved = getattr(args, "saving_to", None)
        if saved is not None and Path(saved).exists():
            emit(_("\nInterrumpido. Sus respuestas quedaron guardadas en {path}.\nPara continuar: advisor ask --resume {path}",
                    path=visible(str(saved))), sys.stderr)
        else:
            emit(_("\nInterrumpido."), sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return 0
    except Exception as error:  # a defect: say so plainly, keep the traceback for developers
        if os.environ.get("ADVISOR_DEBUG"):
            raise
        emit(_("advisor: error interno ({kind}: {error}). Es un defecto de advisor, no de sus datos; "
                "repórtelo con el comando que usó. Con ADVISOR_DEBUG=1 se ve el detalle.",
                kind=type(error).__name__, error=error), sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
