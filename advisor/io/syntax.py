"""What the YAML and JSON parsers say of a malformed file, in the words of
our messages: PyYAML's, libyaml's and the json module's English, each
common case said once in Spanish."""

from __future__ import annotations

import yaml

from ..i18n import N_, _


def yaml_problem(exc: yaml.MarkedYAMLError, source: str) -> str:
    # The messages of both PyYAML's parser and libyaml's, which words some apart.
    translations = {
        "mapping values are not allowed here": N_("hay dos puntos «:» donde no corresponden"),
        "mapping values are not allowed in this context": N_("hay dos puntos «:» donde no corresponden"),
        "could not find expected ':'": N_("falta un «:» después de una clave"),
        "found character '\\t' that cannot start any token": N_("hay un tabulador; use espacios para sangrar"),
        "found a tab character": N_("hay un tabulador; use espacios para sangrar"),
        "did not find expected '-' indicator": N_("la sangría no es coherente"),
        "found undefined alias": N_("usa un alias (*) que no está definido"),
        "expected <block end>, but found": N_("la sangría no es coherente"),
        "did not find expected key": N_("la sangría no es coherente"),
        "found unexpected end of stream": N_("el archivo termina antes de tiempo"),
        "found duplicate anchor": N_("repite un ancla (&)"),
    }
    mark = exc.problem_mark
    if str(exc.problem).startswith("found character that cannot start any token") and mark is not None:
        row = source.splitlines()[mark.line] if mark.line < len(source.splitlines()) else ""
        if row[mark.column:mark.column + 1] == "\t":
            return _(translations["found a tab character"])
    for text in (str(exc.problem or ""), str(exc.context or "")):
        for english, spanish in translations.items():
            if text.startswith(english):
                return _(spanish)
    return _("la estructura no se puede leer (revise sangrías, comillas y dos puntos)")


#: The json module's messages, in the words of ours.
_JSON_PROBLEMS = {
    "Expecting property name enclosed in double quotes": N_("falta el nombre de una clave, entre comillas dobles"),
    "Expecting value": N_("falta un valor"),
    "Expecting ',' delimiter": N_("falta una coma"),
    "Expecting ':' delimiter": N_("faltan los dos puntos «:» después de una clave"),
    "Unterminated string starting at": N_("un texto no cierra sus comillas"),
    "Extra data": N_("hay algo más después del final"),
    "Invalid control character at": N_("hay un carácter de control dentro de un texto"),
    "Invalid \\escape": N_("hay una barra invertida «\\» que no forma un escape válido"),
}


def json_problem(message: str) -> str:
    for english, spanish in _JSON_PROBLEMS.items():
        if message.startswith(english):
            return _(spanish)
    return _("la estructura no se puede leer")
