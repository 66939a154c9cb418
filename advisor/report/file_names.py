"""The names of the files advisor chooses for a person (the web's downloads,
the terminal's default outputs), in the language in use: ``relatorio.md`` for
a Portuguese reader, ``informe.md`` for a Spanish one. The names that scripts
read (`advisor batch`'s ``resumen.csv`` and ``errores.csv``, the API's
downloads) are not chosen here: they stay Spanish in every language.

Each name is a Spanish pattern, its gettext msgid; a translation keeps the
``{places}`` and writes its words in plain ASCII letters (tests/test_file_names.py)."""

from __future__ import annotations

from ..i18n import N_, _

#: A report beside its answer file or a web download, before its extension.
REPORT = N_("{stem}-informe")
#: The memo (DOCX) a web page downloads, before its extension.
MEMO = N_("{stem}-memo")
#: The answer file the web downloads.
ANSWERS = N_("{who}-respuestas-{questionnaire}.yaml")
#: The answer file `advisor ask` writes when no -o names one.
NEW_ANSWERS = N_("respuestas-{questionnaire}.yaml")
#: The follow-up `advisor ask --from PREVIOUS` writes when no -o names one.
FOLLOW_UP = N_("{stem}-seguimiento.yaml")
#: `advisor demo`'s folder and its reports' stem.
DEMO_FOLDER = N_("informes-demo")
DEMO_REPORT = N_("informe-demo")
#: A web download of an assessment whose government has no name yet.
UNNAMED = N_("evaluacion")
#: A download of the trainer's page: the workshop's name and code, then what it holds.
WORKSHOP = N_("taller-{name}-{code}-{file}")
WORKSHOP_FILES = {
    "resumen.csv,": N_("resumen-coma.csv"),
    "resumen.csv;": N_("resumen-punto-y-coma.csv"),
    "resumen.xlsx": N_("resumen.xlsx"),
    "memos.zip": N_("memos.zip"),
}
#: Each questionnaire as a file name says it; one not listed keeps its id.
QUESTIONNAIRES = {
    "diagnostico": N_("diagnostico"),
    "evaluacion_proyecto": N_("evaluacion_proyecto"),
    "red_candidata": N_("red_candidata"),
    "postulacion_cid": N_("postulacion_cid"),
}
#: Every pattern above, for the test that their translations stay ASCII file names.
PATTERNS = [REPORT, MEMO, ANSWERS, NEW_ANSWERS, FOLLOW_UP, DEMO_FOLDER, DEMO_REPORT, UNNAMED, WORKSHOP,
            *WORKSHOP_FILES.values(), *QUESTIONNAIRES.values()]


def questionnaire_word(questionnaire: str) -> str:
    """The questionnaire ``questionnaire`` (an id) as a file name says it in the language in use."""
    return _(QUESTIONNAIRES[questionnaire]) if questionnaire in QUESTIONNAIRES else questionnaire


def workshop_file(name: str, code: str, download: str, separator: str = ",") -> str:
    """A download of the trainer's page (``download`` one of the page's
    ``resumen.csv``, ``resumen.xlsx``, ``memos.zip``) for the workshop called
    ``name`` (a slug, maybe empty) with ``code``; for a CSV, which separator
    (``…-resumen-punto-y-coma.csv`` opens in a spreadsheet set to Spanish)."""
    what = _(WORKSHOP_FILES[download + separator if download.endswith(".csv") else download])
    return _(WORKSHOP, name=name, code=code, file=what).replace("--", "-")
