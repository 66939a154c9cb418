"""The command line's grammar: commands, options and their help, in the
language asked (argparse's own words: ``argparse_i18n``)."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from typing import Any, Sequence

from .. import i18n
from ..errors import BadValue, Problem, UsageError, suggest
from ..i18n import N_, _, one_of
from ..report import file_names
from ..report.formats import COMPARISON, FORMATS
from ..version import __version__
from . import ask, batch, knowledge, reports, serve


class _Parser(argparse.ArgumentParser):
    # argparse translates its headings («options») and the help of -h when a
    # parser is built: program.main builds every parser inside
    # argparse_i18n.speaking(), so each command's is in the user's language too.
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: The parsers of this one's commands, as they are added (see add_language_option).
        self.commands: list[argparse.ArgumentParser] = []
        #: Their names and aliases, and the options that take a value: to find the word in a command's place.
        self.command_names: list[str] = []
        self.valued: set[str] = set()
        self.words: list[str] = []

    def add_argument(self, *args: Any, **kwargs: Any) -> argparse.Action:
        action = super().add_argument(*args, **kwargs)
        if action.nargs != 0:
            self.valued.update(action.option_strings)
        return action

    def add_subparsers(self, **kwargs: Any) -> Any:
        commands = super().add_subparsers(**kwargs)
        add_parser = commands.add_parser

        def adding(name: str, **options: Any) -> argparse.ArgumentParser:
            command = add_parser(name, **options)
            self.commands.append(command)
            self.command_names += [name, *options.get("aliases", ())]
            return command

        commands.add_parser = adding  # type: ignore[method-assign]
        return commands

    def parse_known_args(self, args: Any = None, namespace: Any = None) -> Any:
        self.words = list(sys.argv[1:] if args is None else args)
        return super().parse_known_args(args, namespace)

    def error(self, message: str) -> None:  # type: ignore[override]
        word = self._command_word()
        if word is not None and word not in self.command_names:
            # A command mistyped («advisor aks») gets the closest one.
            raise _not_one_of(word, self.command_names, self.prog)
        self.print_usage(sys.stderr)
        raise UsageError(Problem(message, expected=_("vea «{command} --help»", command=self.prog)))

    def _command_word(self) -> str | None:
        """The word in the place of this parser's command: the first that is
        neither an option nor an option's value (None without commands)."""
        if not self.command_names:
            return None
        words = iter(self.words)
        for word in words:
            if word.startswith("-"):
                if word in self.valued:
                    next(words, None)
                continue
            return word
        return None


def _not_one_of(value: str, choices: Sequence[str], where: str) -> UsageError:
    return UsageError(Problem(
        _("«{value}» no es una opción de {where}", value=value, where=where),
        expected=one_of(choices),
        suggestion=suggest(value, list(choices)),
    ))


def _one_of(choices: Sequence[str], *option: str) -> dict[str, Any]:
    """An option's ``type`` and ``metavar`` that take one of ``choices`` (shown
    as argparse shows choices); another value is refused naming the closest."""
    def checked(text: str) -> str:
        if text not in choices:
            raise _not_one_of(text, choices, "/".join(option))
        return text

    return {"type": checked, "metavar": "{" + ",".join(choices) + "}"}


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(_("«{text}» no es un número entero positivo", text=text))
    return value


def _days(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 36500:
        raise argparse.ArgumentTypeError(_("«{text}» no es un número de días (de 1 a 36500)", text=text))
    return int(text)


def _port(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(_("«{text}» no es un puerto (un número de 1 a 65535)", text=text))
    return int(text)


def _date(text: str) -> dt.date:
    from ..model.dates import checked_date

    try:
        return checked_date(text)
    except BadValue as exc:
        raise UsageError(Problem(exc.message, key="--date", expected=exc.expected)) from None


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="advisor",
        description=_("Sistema experto para planificar la acción internacional de gobiernos locales, "
                      "según la Guía de acción internacional para gobiernos locales."),
    )
    # Its help is a default argument of argparse's, which its translation never sees.
    parser.add_argument("--version", action="version", version=f"advisor {__version__}",
                        help=_("muestra la versión y termina"))
    commands = parser.add_subparsers(dest="command", metavar=_("COMANDO"), parser_class=_Parser)

    ask_command = commands.add_parser("ask", help=_("responder un cuestionario en la terminal"))
    ask_command.add_argument("questionnaire", nargs="?", metavar=_("CUESTIONARIO"),
                     help=_("cuestionario: diagnostico, evaluacion_proyecto, red_candidata o postulacion_cid "
                            "(sin él, un menú para elegir)"))
    ask_command.add_argument("-o", "--output", metavar=_("RESPUESTAS"), help=_("archivo donde guardar las respuestas"))
    ask_command.add_argument("--resume", metavar=_("RESPUESTAS"),
                             help=_("continuar un archivo de respuestas ya empezado"))
    ask_command.add_argument("--from", dest="previous", metavar=_("ANTERIOR"),
                     help=_("empezar una evaluación nueva con las respuestas de otra como valores por omisión "
                            "(por omisión se guarda en {name})",
                            name=_(file_names.FOLLOW_UP, stem=_("ANTERIOR"))))
    ask_command.set_defaults(handler=ask.cmd_ask, long_running=True)

    report = commands.add_parser("report", help=_("generar el informe de un archivo de respuestas"))
    report.add_argument("answers", metavar=_("RESPUESTAS"), help=_("archivo de respuestas (.yaml, .yml o .json)"))
    report.add_argument("--format", **_one_of(list(FORMATS), "--format"),
                        help=_("formato (por omisión, según -o o json); docx es el memo para entregar, y necesita -o"))
    report.add_argument("-o", "--output", metavar=_("RUTA"), help=_("archivo de salida (por omisión, la pantalla)"))
    report.add_argument("--date", "--fecha", dest="date", type=_date, metavar=_("AAAA-MM-DD"),
                        help=_("fecha del informe, para resultados reproducibles"))
    report.add_argument("--what-if", "--y-si", dest="what_if", action="append", metavar=_("CLAVE=VALOR"),
                        help=_("¿y si…?: cambiar una respuesta solo para este informe y mostrar qué cambia "
                               "(repetible; CLAVE= la deja sin respuesta, CLAVE=? responde «No sé»); no guarda nada"))
    report.set_defaults(handler=reports.cmd_report)

    compare = commands.add_parser("compare", help=_("comparar dos evaluaciones del mismo cuestionario: el progreso"))
    compare.add_argument("before", metavar="BASE", help=_("archivo de respuestas de la evaluación anterior"))
    compare.add_argument("after", metavar=_("SEGUIMIENTO"), help=_("archivo de respuestas de la evaluación nueva"))
    compare.add_argument("--format", **_one_of(list(COMPARISON), "--format"),
                         help=_("formato (por omisión, según -o o json)"))
    compare.add_argument("-o", "--output", metavar=_("RUTA"), help=_("archivo de salida (por omisión, la pantalla)"))
    compare.set_defaults(handler=reports.cmd_compare)

    demo = commands.add_parser("demo", help=_("generar los informes de un municipio de ejemplo"))
    demo.add_argument("--dir", metavar=_("CARPETA"),
                      help=_("carpeta de salida (por omisión, {folder})", folder=_(file_names.DEMO_FOLDER)))
    demo.set_defaults(handler=reports.cmd_demo)

    batch_command = commands.add_parser("batch",
                                        help=_("generar los informes de muchos archivos de respuestas a la vez"))
    batch_command.add_argument("inputs", nargs="+", metavar=_("ENTRADA"),
                               help=_("archivos de respuestas o carpetas que los contienen"))
    batch_command.add_argument("-o", "--output", required=True, metavar=_("CARPETA"), help=_("carpeta de salida"))
    batch_command.add_argument("--format", action="append", **_one_of(list(FORMATS), "--format"),
                       help=_("formato de los informes; repetible (por omisión, json y html)"))
    batch_command.add_argument("--jobs", type=_positive, metavar="N",
                               help=_("procesos en paralelo (por omisión, todos los núcleos)"))
    batch_command.add_argument("--separator", "--separador", dest="separator", default=",",
                               **{**_one_of([",", ";"], "--separator", "--separador"), "metavar": "SEP"},
                               help=_("separador de los archivos CSV: «,» (por omisión) o «;» (Excel en español)"))
    batch_command.add_argument("--date", "--fecha", dest="date", type=_date, metavar=_("AAAA-MM-DD"),
                               help=_("fecha de los informes, para resultados reproducibles"))
    batch_command.set_defaults(handler=batch.cmd_batch, long_running=True)

    for command in (ask_command, report, compare, demo, batch_command):
        command.add_argument("--engine", default="experta", metavar=_("MOTOR"),
                             help=_("motor de inferencia: experta (por omisión) o clips (requiere advisor[clips])"))

    serve_command = commands.add_parser("serve", help=_("los cuestionarios en el navegador: un servidor web local"))
    serve_command.add_argument("--host", default="127.0.0.1", metavar="HOST",
                       help=_("dirección donde escuchar (por omisión, 127.0.0.1: solo esta computadora)"))
    serve_command.add_argument("--port", type=_port, default=8000, metavar=_("PUERTO"),
                               help=_("puerto (por omisión, 8000)"))
    serve_command.add_argument("--db", metavar="URL",
                       help=_("base de datos: sqlite:///RUTA o postgresql://USUARIO:CLAVE@SERVIDOR:PUERTO/BASE "
                              "(por omisión, un archivo SQLite en la carpeta de datos del usuario)"))
    serve_command.add_argument("--open", "--abrir", dest="open", action="store_true",
                               help=_("abrir advisor en el navegador en cuanto esté listo"))
    serve_command.add_argument("--keep-days", "--dias", dest="keep_days", type=_days, default=serve.KEEP_DAYS,
                               metavar="N",
                               help=_("días que se guarda una evaluación o un taller sin cambios antes de borrarlo "
                                      "(por omisión, {n})", n=serve.KEEP_DAYS))
    serve_command.add_argument("--engine", default="experta", metavar=_("MOTOR"),
                               help=_("motor de inferencia: experta (por omisión) o clips (requiere advisor[clips]; "
                                      "responde «¿Y si…?» más rápido)"))
    serve_command.set_defaults(handler=serve.cmd_serve, long_running=True)

    purge = commands.add_parser("purge",
                                help=_("borrar de la base de datos del servidor web las evaluaciones y los talleres "
                                                "abandonados"))
    purge.add_argument("--db", metavar="URL",
                       help=_("base de datos, como en «advisor serve» (por omisión, la del usuario)"))
    purge.add_argument("--keep-days", "--dias", dest="keep_days", type=_days, default=serve.KEEP_DAYS, metavar="N",
                       help=_("borrar lo que nadie cambió en N días (por omisión, {n})", n=serve.KEEP_DAYS))
    purge.set_defaults(handler=serve.cmd_purge)

    samples = commands.add_parser("samples", help=_("listar los archivos de respuestas de ejemplo, o copiar uno"))
    samples.add_argument("name", nargs="?", metavar=_("NOMBRE"), help=_("ejemplo a copiar (sin él, la lista)"))
    samples.add_argument("-o", "--output", metavar=_("ARCHIVO"), help=_("dónde copiarlo (por omisión, NOMBRE.yaml)"))
    samples.set_defaults(handler=knowledge.cmd_samples)

    schema = commands.add_parser("schema", help=_("imprimir el JSON Schema de un formato de archivo"))
    schema.add_argument("questionnaire", nargs="?", default="diagnostico", metavar=_("CUESTIONARIO"))
    schema.add_argument("--type", "--tipo", dest="type", default="respuestas",
                        **_one_of(["respuestas", "cuestionario", "reglas", "catalogo", "catalogos", "hechos",
                                   "inventario", "traducciones"], "--type", "--tipo"))
    schema.set_defaults(handler=knowledge.cmd_schema)

    kb = commands.add_parser("kb", help=_("revisar la base de conocimiento"))
    kb_commands = kb.add_subparsers(dest="kb_command", metavar=_("ACCIÓN"), parser_class=_Parser)
    for name, handler, text in (
        ("check", knowledge.cmd_kb_check, N_("verificar reglas y catálogos")),
        ("coverage", knowledge.cmd_kb_coverage, N_("qué ítems de la guía (K01–K40) están citados")),
    ):
        action = kb_commands.add_parser(name, help=_(text))
        action.add_argument("--base", metavar=_("CARPETA"),
                            help=_("otra carpeta de base de conocimiento (por omisión, la incluida)"))
        action.set_defaults(handler=handler)
    translations = kb_commands.add_parser("translations", aliases=["traducciones"],
                                          help=_("qué textos no tienen traducción"))
    translations.add_argument("--target", "--idioma", dest="target", default="en", metavar=_("IDIOMA"),
                              help=_("idioma de las traducciones (por omisión, en)"))
    translations.add_argument("--fill", "--completar", dest="fill", action="store_true",
                              help=_("agregar a los archivos *.en.yaml las entradas que faltan, con la traducción "
                                     "vacía"))
    translations.add_argument("--base", metavar=_("CARPETA"),
                              help=_("otra carpeta de base de conocimiento (por omisión, la incluida)"))
    translations.set_defaults(handler=knowledge.cmd_kb_translations)

    rules = commands.add_parser("rules", help=_("explorar las reglas: qué aconsejan, cuándo y de qué parte de la guía"))
    rules_commands = rules.add_subparsers(dest="rules_command", metavar=_("ACCIÓN"), parser_class=_Parser)
    listing = rules_commands.add_parser("list", help=_("listar las reglas por tema"))
    listing.add_argument("--topic", "--tema", dest="topic", metavar=_("TEMA"),
                         help=_("solo las reglas de un tema (redes, cooperacion, plan…)"))
    listing.set_defaults(handler=knowledge.cmd_rules_list)
    show = rules_commands.add_parser("show",
                                     help=_("mostrar una regla: condiciones, consejo, cita y pasaje de la guía"))
    show.add_argument("id", metavar="ID", help=_("id de la regla (vea «advisor rules list»)"))
    show.add_argument("--full", "--completo", dest="full", action="store_true",
                      help=_("mostrar el pasaje de la guía completo"))
    show.set_defaults(handler=knowledge.cmd_rules_show)
    return parser


def requested_language(argv: Sequence[str]) -> str:
    """The ``--lang`` of a command line, read before the parser is built so that
    its help, too, speaks that language."""
    for index, arg in enumerate(argv):
        if arg == "--lang" and index + 1 < len(argv):
            return argv[index + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return os.environ.get("ADVISOR_LANG") or i18n.DEFAULT


def add_language_option(parser: argparse.ArgumentParser) -> None:
    """``--lang`` anywhere on the line: on the program and on every command."""
    parser.add_argument("--lang", metavar=_("IDIOMA"), default=argparse.SUPPRESS,
                        help=_("idioma de preguntas, informes y mensajes: es (por omisión), en o pt"))
    for command in getattr(parser, "commands", ()):
        add_language_option(command)
