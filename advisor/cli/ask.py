"""advisor ask: a questionnaire in the terminal, saved after every answer."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import Problem, UsageError
from ..i18n import _
from ..io.text import emit, visible
from ..report import file_names
from .common import EXIT_INTERRUPTED, build_report, checked_bundle, exists, write_reports

if TYPE_CHECKING:
    from ..model.questionnaire import Questionnaire


def cmd_ask(args: argparse.Namespace) -> int:
    # The terminal's modules (prompt_toolkit: about 0.25 s of CPU) are imported
    # only once there is a question to ask: a refusal comes without them.
    from ..engine.base import backend
    from ..io.lock import held
    from ..model.answers import Answers, load_answers, save_answers

    bundle = checked_bundle()
    questionnaire: Questionnaire | None = None
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
                _("el archivo es del cuestionario «{found}», no de «{asked}»", found=questionnaire.id,
                  asked=args.questionnaire),
                file=str(path), key="cuestionario",
            ))
    if args.previous:
        # A new assessment: the previous file is only read, and the new one dated by the interview.
        answers.date = None
        path = Path(args.output) if args.output else path.with_name(_(file_names.FOLLOW_UP, stem=path.stem))
        if path.exists():
            raise exists(path)
    elif not args.resume:
        questionnaire = bundle.questionnaire(args.questionnaire) if args.questionnaire else None
        if args.output and Path(args.output).exists():
            raise exists(Path(args.output))
    if not (sys.stdin and sys.stdin.isatty() and sys.stdout and sys.stdout.isatty()):
        raise UsageError(Problem(
            _("«advisor ask» necesita una terminal interactiva"),
            expected=_("ejecutarlo en una terminal; sin terminal, escriba un archivo de respuestas "
                       "(vea «advisor schema» y los ejemplos de «advisor samples») y use «advisor report ARCHIVO»"),
        ))
    if not (args.resume or args.previous):
        if questionnaire is None:
            from ..app.interview import choose_questionnaire
            questionnaire = choose_questionnaire(_menu(bundle))
        path = Path(args.output or _(file_names.NEW_ANSWERS,
                                         questionnaire=file_names.questionnaire_word(questionnaire.id)))
        if path.exists():
            raise exists(path)
        answers = Answers(questionnaire=questionnaire.id)
    assert questionnaire is not None  # read from the file, named, or chosen above
    try:
        with held(path):
            if not args.resume and path.exists():
                raise exists(path)  # another session made it meanwhile
            from ..app.interview import Interview
            from ..report.explain import Explainer
            Interview(questionnaire, answers, path, Explainer(questionnaire, bundle.kb),
                      revisit=bool(args.previous)).run()
            save_answers(answers, questionnaire, path)
        written = write_reports(build_report(path, args), path.with_name(_(file_names.REPORT, stem=path.stem)))
    except KeyboardInterrupt:
        if not path.exists():
            raise
        emit(_("\nInterrumpido. Sus respuestas quedaron guardadas en {path}.\n"
               "Para continuar: advisor ask --resume {path}", path=visible(str(path))), sys.stderr)
        return EXIT_INTERRUPTED
    emit(_("\nRespuestas guardadas en {path}", path=visible(str(path))))
    for item in written:
        emit(_("Informe: {path}", path=visible(str(item))))
    if args.previous:
        emit(_("Para ver el progreso: advisor compare {before} {after}", before=visible(str(args.previous)),
               after=visible(str(path))))
    return 0


def _menu(bundle) -> list:
    """Questionnaires in the order users meet them: the diagnostic first."""
    return sorted(bundle.questionnaires.values(), key=lambda q: (q.id != "diagnostico", q.title))
