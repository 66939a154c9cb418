"""Hostile and broken files: each is refused with a Spanish message naming the
file (and key and line where there is one), exit code 2, no traceback, and
nothing written. docs/hostile-inputs.md lists these cases; keep both in step."""

from __future__ import annotations

import json
import os
import shutil

import pytest
from conftest import SAMPLES, run_cli

from advisor.errors import ValidationError
from advisor.io.resources import data_dir
from advisor.kb.load import packaged_bundle
from advisor.model.answers import FOOTER, dump_answers, load_answers
from advisor.report.templates import check_templates

HEAD = "cuestionario: diagnostico\nversion: 1\nrespuestas:\n"
BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 4)}]\n" for i in range(12)
)

#: Words of Python, pydantic or the system that must never reach a Spanish message.
ENGLISH = ["should", "Input", "Keys", "Datetimes", "Errno", "error:", "File name", "symbolic", "Traceback"]

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
    "json_nan": ("nan.json",
                 b'{"cuestionario": "diagnostico", "version": 1, "respuestas": {"perfil": {"poblacion": NaN}}}',
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
    # Issue 23: values Python or pydantic would have read their own way, or described in English.
    "fecha_numero": ("fecha0.yaml", b"cuestionario: diagnostico\nversion: 1\nfecha: 0\nrespuestas: {}\n",
                     ["fecha0.yaml, línea 3, clave «fecha»: «0» no es una fecha AAAA-MM-DD",
                      "Se esperaba una fecha AAAA-MM-DD entre 1980-01-01 y 2107-12-31"]),
    "fecha_con_hora": ("hora.yaml",
                       b"cuestionario: diagnostico\nversion: 1\nfecha: 2026-01-01 10:30:00\nrespuestas: {}\n",
                       ["hora.yaml, línea 3, clave «fecha»: «2026-01-01 10:30:00» no es una fecha AAAA-MM-DD"]),
    "fecha_despues_de_2107": ("lejana.yaml",
                              b"cuestionario: diagnostico\nversion: 1\nfecha: 9999-12-31\nrespuestas: {}\n",
                              ["clave «fecha»: la fecha 9999-12-31 está fuera de rango",
                               "entre 1980-01-01 y 2107-12-31"]),
    "clave_que_es_fecha": ("clave.yaml", (HEAD + "  perfil:\n    2026-01-01: x\n").encode(),
                           ["clave.yaml, línea 5, clave «respuestas.perfil.2026-01-01»: cada clave debe ser un texto; "
                            "se encontró la fecha 2026-01-01"]),
    "pais_no_ascii": ("pais.yaml", (HEAD + "  perfil:\n    pais: \"\u0131t\"\n").encode(),
                      ["clave «respuestas.perfil.pais»: «ıt» no es un código de país",
                       "de dos letras", "¿Quiso decir «IT»?"]),
    "nombre_invisible": ("invisible.yaml", (HEAD + "  perfil:\n    nombre: \"\u200b\"\n").encode(),
                         ["clave «respuestas.perfil.nombre»: el texto no tiene ningún carácter visible",
                          "Se esperaba un texto con al menos una letra, cifra o signo"]),
    "escapes_de_terminal": ("ansi.yaml", (HEAD + "  perfil:\n    nivel: \"\\e[31mrojo\\e[0m\"\n").encode(),
                            ["ansi.yaml, línea 5, clave «respuestas.perfil.nivel»: el texto contiene el carácter "
                             "U+001B"]),
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
    for english in ENGLISH:
        assert english not in result.stderr
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


# --- The command line on odd machines and odd requests (issue 23) -------------------------------

SAMPLE = str(SAMPLES / "municipio_pequeno.yaml")
#: The smallest questionnaire's sample, where what is checked is the command, not the advice.
SMALL = str(SAMPLES / "cid_con_brechas.yaml")


def assert_refused(result, *fragments: str) -> None:
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert result.stderr.startswith("advisor: ")
    for fragment in fragments:
        assert fragment in result.stderr
    for english in ENGLISH:
        assert english not in result.stderr


def test_a_memo_dated_after_2107_is_refused_not_an_internal_error(tmp_path):
    # A .docx is a ZIP archive, whose dates end in 2107.
    result = run_cli("report", SMALL, "--format", "docx", "-o", "memo.docx", "--date", "9999-12-31", cwd=tmp_path)
    assert_refused(result, "clave «--date»: la fecha 9999-12-31 está fuera de rango",
                   "Se esperaba una fecha AAAA-MM-DD entre 1980-01-01 y 2107-12-31")
    assert not (tmp_path / "memo.docx").exists()
    assert run_cli("report", SMALL, "--format", "docx", "-o", "memo.docx", "--date", "2107-12-31",
                   cwd=tmp_path).returncode == 0
    assert (tmp_path / "memo.docx").stat().st_size > 0


def test_demo_into_a_file_is_refused(tmp_path):
    (tmp_path / "informes").write_text("mío", encoding="utf-8")
    result = run_cli("demo", "--dir", "informes", cwd=tmp_path)
    assert_refused(result, "informes: es un archivo, no una carpeta", "Se esperaba una carpeta de salida")
    assert (tmp_path / "informes").read_text(encoding="utf-8") == "mío"


def test_a_report_never_replaces_its_answer_file(tmp_path):
    answers = tmp_path / "r.json"
    answers.write_text(json.dumps({"cuestionario": "diagnostico", "version": 1, "respuestas": {}}), encoding="utf-8")
    before = answers.read_bytes()
    os.link(answers, tmp_path / "enlace.json")
    for output in ("r.json", "./r.json", "enlace.json"):
        result = run_cli("report", "r.json", "-o", output, cwd=tmp_path)
        assert_refused(result, "clave «-o»: la salida", "es el archivo de entrada", "un informe nunca reemplaza")
    result = run_cli("compare", "r.json", SAMPLE, "-o", "r.json", cwd=tmp_path)
    assert_refused(result, "es el archivo de entrada")
    assert answers.read_bytes() == before


def test_a_batch_never_writes_over_its_answer_files(tmp_path):
    folder = tmp_path / "c"
    folder.mkdir()
    shutil.copy(SMALL, folder / "a.yaml")
    answers = {"cuestionario": "diagnostico", "version": 1, "respuestas": {"perfil": {"nombre": "Villa B"}}}
    (folder / "b.json").write_text(json.dumps(answers), encoding="utf-8")
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    result = run_cli("batch", "c", "-o", "c", "--format", "json", cwd=tmp_path)
    assert_refused(result, "la salida c/b.json es el archivo de entrada c/b.json")
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before, "nothing written, nothing replaced"
    # Reports of another format in the same folder replace nothing: allowed.
    assert run_cli("batch", "c", "-o", "c", "--format", "md", cwd=tmp_path).returncode == 0
    assert (folder / "b.json").read_bytes() == before["b.json"] and (folder / "b.md").exists()


def test_any_number_of_jobs_works_and_never_exceeds_files_or_cores(tmp_path, monkeypatch):
    from advisor.app import batch

    started = []
    real = batch.ProcessPoolExecutor

    def counting(max_workers, **kwargs):
        started.append(max_workers)
        return real(max_workers=max_workers, **kwargs)

    monkeypatch.setattr(batch, "ProcessPoolExecutor", counting)
    files = [SAMPLE, str(SAMPLES / "municipio_rural.yaml"), str(SAMPLES / "ciudad_intermedia.yaml")]
    for jobs in ("99999999999999999999", "1000"):
        result = run_cli("batch", *files, "-o", f"salida-{jobs[:4]}", "--format", "json", "--jobs", jobs, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert len(list((tmp_path / f"salida-{jobs[:4]}").glob("*.json"))) == 3
    assert started and all(n <= min(3, batch.default_jobs()) for n in started), started


def test_the_os_causes_are_said_in_spanish(tmp_path):
    (tmp_path / "bucle.yaml").symlink_to(tmp_path / "bucle.yaml")
    result = run_cli("report", "bucle.yaml", cwd=tmp_path)
    assert_refused(result, "bucle.yaml: no se pudo leer el archivo (hay demasiados enlaces simbólicos encadenados")
    result = run_cli("report", SMALL, "-o", "x" * 300 + ".json", cwd=tmp_path)
    assert_refused(result, "el nombre del archivo es demasiado largo")


def test_every_sample_is_described_in_spanish():
    result = run_cli("samples")
    described = [line.split(None, 1)[1] for line in result.stdout.splitlines() if line and not line.startswith("Copie")]
    assert len(described) >= 17 and all(text.startswith(("Muestra:",
                                                         "Caso de referencia:")) for text in described), described


@pytest.mark.parametrize("command", ["", "ask", "report", "compare", "demo", "batch", "serve", "samples", "schema",
                                     "kb", "kb check", "kb translations", "kb coverage", "rules", "rules list",
                                     "rules show"])
def test_help_is_wholly_spanish_in_every_command(command):
    result = run_cli(*command.split(), "--help")
    assert result.returncode == 0
    assert result.stdout.startswith("uso: advisor") and "opciones:" in result.stdout
    assert "muestra esta ayuda y termina" in result.stdout
    for english in ("usage:", "positional arguments", "options:", "show this help", "optional arguments"):
        assert english not in result.stdout


def test_help_in_english_is_argparse_own_and_spanish_again_after():
    import gettext

    english = run_cli("--lang", "en", "report", "--help").stdout
    assert english.startswith("usage: advisor report") and "show this help message and exit" in english
    assert run_cli("report", "--help").stdout.startswith("uso: ")
    assert gettext.textdomain() == "messages", "gettext is left as it was for the rest of the process"
    result = run_cli("batch")
    assert result.returncode == 2 and result.stderr.startswith("uso: advisor batch")
    assert "\nadvisor: faltan estos argumentos: ENTRADA, -o/--output" in result.stderr
