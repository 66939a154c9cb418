"""Hostile and broken files: each is refused with a Spanish message naming the
file (and key and line where there is one), exit code 2, no traceback, and
nothing written. docs/hostile-inputs.md lists these cases; keep both in step."""

from __future__ import annotations

import json
import shutil

import pytest

from advisor.model.answers import FOOTER, dump_answers, load_answers
from advisor.errors import ValidationError
from advisor.kb.load import packaged_bundle
from advisor.report.render import check_templates
from advisor.io.resources import data_dir
from conftest import SAMPLES, run_cli

HEAD = "cuestionario: diagnostico\nversion: 1\nrespuestas:\n"
BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(12)
)

# name: (file name, content, fragments the message must hold)
HOSTILE = {
    "bomba_de_alias": ("bomba.yaml", BOMB.encode(), ["bomba.yaml", "alias"]),
    "objeto_python": ("objeto.yaml", b"!!python/object/apply:os.system ['echo hola']\n", ["objeto.yaml", "etiqueta"]),
    "demasiado_grande": ("grande.yaml", HEAD.encode() + b"# " + b"x" * (1024 * 1024) + b"\n",
                         ["grande.yaml", "demasiado grande", "1 MiB"]),
    "anidado_yaml": ("hondo.yaml", ("a: " + "[" * 200 + "]" * 200 + "\n").encode(),
                     ["hondo.yaml", "anidados demasiado profundo", "como máximo 40 niveles"]),
    "anidado_json": ("hondo.json", ("[" * 5000 + "]" * 5000).encode(), ["hondo.json", "anidados demasiado profundo"]),
    "anidado_yaml_extremo": ("abismo.yaml", ("a: " + "[" * 20000 + "]" * 20000 + "\n").encode(),
                             ["abismo.yaml", "anidados demasiado profundo"]),
    "no_utf8": ("latin1.yaml", (HEAD + "  perfil:\n    nombre: Peñalolén\n").encode("latin-1"),
                ["latin1.yaml", "no está codificado en UTF-8", "línea 5"]),
    "binario": ("binario.yaml", b"\x00\x01\x02\xff\xfe" * 100, ["binario.yaml"]),
    "vacio": ("vacio.yaml", b"", ["vacio.yaml", "no es un conjunto de claves"]),
    "lista_en_la_raiz": ("lista.yaml", b"- diagnostico\n- 1\n", ["lista.yaml", "no es un conjunto de claves"]),
    "escalar_en_la_raiz": ("escalar.json", b'"diagnostico"', ["escalar.json", "no es un conjunto de claves"]),
    "version_desconocida": ("version.yaml", b"cuestionario: diagnostico\nversion: 7\nrespuestas: {}\n",
                            ["clave «version»", "la versión de formato «7» no es conocida", "version: 1"]),
    "cuestionario_desconocido": ("otro.yaml", b"cuestionario: diagnostic\nversion: 1\nrespuestas: {}\n",
                                 ["no existe", "¿Quiso decir «diagnostico»?"]),
    "claves_repetidas": ("repetidas.yaml", (HEAD + "  perfil:\n    nombre: A\n    nombre: B\n").encode(),
                         ["repetidas.yaml", "línea 6", "repetida"]),
    "entero_gigante": ("gigante.yaml", (HEAD + "  perfil:\n    poblacion: " + "9" * 5000 + "\n").encode(),
                       ["gigante.yaml", "línea 5", "respuestas.perfil.poblacion"]),
    "json_nan": ("nan.json", b'{"cuestionario": "diagnostico", "version": 1, "respuestas": {"perfil": {"poblacion": NaN}}}',
                 ["nan.json", "NaN"]),
    "extension_desconocida": ("respuestas.txt", HEAD.encode(), ["respuestas.txt", "tipo de archivo no es reconocido"]),
    "control_crudo": ("campana.yaml", (HEAD + "  perfil:\n    nombre: Villa\x07\n").encode(),
                      ["campana.yaml, línea 5: el texto contiene el carácter U+0007"]),
    "sustituto_suelto": ("sustituto.json", b'{"cuestionario": "diagnostico", "version": 1, "respuestas": '
                         b'{"perfil": {"nivel": "x\\ud800"}}}',
                         ["sustituto.json, clave «respuestas.perfil.nivel»: el texto contiene el carácter U+D800"]),
    "nul_en_json": ("nul.json", b'{"cuestionario": "diagnostico", "version": 1, "respuestas": '
                    b'{"perfil": {"nombre": "Villa\\u0000 Oculta"}}}',
                    ["clave «respuestas.perfil.nombre»: el texto contiene el carácter U+0000"]),
    "bidi": ("bidi.yaml", (HEAD + "  perfil:\n    nombre: \"\\u202Eodasrever\"\n").encode(),
             ["línea 5, clave «respuestas.perfil.nombre»: el texto contiene el carácter U+202E"]),
    "entero_json_gigante": ("gigante.json", ('{"cuestionario": "diagnostico", "version": 1, "respuestas": '
                                             '{"perfil": {"poblacion": ' + "9" * 5000 + '}}}').encode(),
                            ["gigante.json: hay un número demasiado largo"]),
    "poblacion_imposible": ("p63.yaml", (HEAD + "  perfil:\n    poblacion: 9223372036854775808\n").encode(),
                            ["el número ≥ 10^18 es mayor que el máximo. Se esperaba un número hasta 500000000"]),
    "hexadecimal": ("hex.yaml", (HEAD + "  perfil:\n    poblacion: 0x" + "f" * 4000 + "\n").encode(),
                    ["clave «respuestas.perfil.poblacion»: «0xfff", "no es un número entero"]),
    "sexagesimal": ("sexa.yaml", (HEAD + "  perfil:\n    poblacion: 190:20:30\n").encode(),
                    ["«190:20:30» no es un número entero"]),
    "lista_enorme": ("lista.json", ('{"cuestionario": "diagnostico", "version": 1, "respuestas": {"prioridades": '
                                    '{"temas": [' + ", ".join(['"turismo"'] * 80000) + ']}}}').encode(),
                     ["clave «respuestas.prioridades.temas»: la lista tiene 80000 elementos"]),
    "lista_de_flujo": ("flujo.yaml", (HEAD + "  prioridades:\n    temas: [" + "turismo, " * 116000 + "]\n").encode(),
                       ["clave «respuestas.prioridades.temas»: la lista tiene 116000 elementos"]),
    "escapes_de_terminal": ("ansi.yaml", (HEAD + "  perfil:\n    nivel: \"\\e[31mrojo\\e[0m\"\n").encode(),
                            ["ansi.yaml, línea 5, clave «respuestas.perfil.nivel»: el texto contiene el carácter U+001B"]),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_file_is_refused_cleanly(tmp_path, name):
    filename, content, fragments = HOSTILE[name]
    (tmp_path / filename).write_bytes(content)
    (tmp_path / "informe.json").write_text("anterior", encoding="utf-8")
    result = run_cli("report", filename, "-o", "informe.json", cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("advisor: ")
    assert "Traceback" not in result.stderr and "\x1b" not in result.stderr
    assert len(result.stderr) < 2000, "a refusal quotes values cut short, never whole"
    for fragment in fragments:
        assert fragment in result.stderr
    assert (tmp_path / "informe.json").read_text(encoding="utf-8") == "anterior"


def test_truncated_save_file_is_detected_not_half_loaded(tmp_path):
    """A file advisor wrote ends with a closing line; a copy cut short may still
    be valid YAML, and would silently lose answers, so it is refused."""
    saved = tmp_path / "guardadas.yaml"
    # What `advisor ask` writes: header, answers, closing line.
    answers, questionnaire = load_answers(SAMPLES / "municipio_pequeno.yaml", packaged_bundle())
    text = dump_answers(answers, questionnaire, saved)
    assert text.endswith(FOOTER)
    saved.write_text(text, encoding="utf-8")
    assert run_cli("report", str(saved), "--format", "json").returncode == 0

    cut = text[: text.index("  prioridades:")]            # still valid YAML, half the answers
    saved.write_text(cut, encoding="utf-8")
    for command in (["report", str(saved)], ["ask", "--resume", str(saved)]):
        result = run_cli(*command)
        assert result.returncode == 2
        assert "el archivo de respuestas está incompleto" in result.stderr
        assert "guardadas.yaml" in result.stderr and "Traceback" not in result.stderr
    assert saved.read_text(encoding="utf-8") == cut, "nothing rewrites a refused file"


def test_hand_written_files_need_no_closing_line(tmp_path):
    path = tmp_path / "a_mano.json"
    path.write_text(json.dumps({"cuestionario": "diagnostico", "version": 1, "respuestas": {}}), encoding="utf-8")
    assert run_cli("report", str(path)).returncode == 0


def test_broken_report_template_is_refused_with_file_and_line(tmp_path):
    folder = tmp_path / "reports"
    shutil.copytree(data_dir("reports"), folder)
    template = folder / "diagnostico.md.j2"
    template.write_text(template.read_text(encoding="utf-8") + "\n{% for x in %}\n", encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        check_templates(["diagnostico"], str(folder))
    problem = caught.value.problems[0]
    assert problem.file == "reports/diagnostico.md.j2" and problem.line is not None
    assert problem.message.startswith("la plantilla no es válida")
