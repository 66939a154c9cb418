"""`advisor batch`: many answer files at once, bad ones listed, never fatal."""

from __future__ import annotations

import csv
import io
import shutil

import pytest
import yaml
from conftest import SAMPLES, run_cli

GOOD = ["municipio_pequeno", "caso_cuenca", "red_unirse", "cid_con_brechas"]


def folder_with_good_and_bad(tmp_path):
    inputs = tmp_path / "clientes"
    (inputs / "sub").mkdir(parents=True)
    for name in GOOD:
        shutil.copy(SAMPLES / f"{name}.yaml", inputs / f"{name}.yaml")
    # Same file name in a subfolder: its reports must not overwrite the first one's.
    shutil.copy(SAMPLES / "caso_jujuy.yaml", inputs / "sub" / "caso_cuenca.yaml")
    (inputs / "malo.yaml").write_text("cuestionario: diagnostico\nversion: 1\nrespuestas:\n  plan: {pai: quizas}\n",
                                      encoding="utf-8")
    (inputs / "roto.json").write_text("{", encoding="utf-8")
    hostile = {"cuestionario": "diagnostico", "version": 1, "respuestas": {"perfil": {"nombre": "=HYPERLINK(\"x\")"}}}
    (inputs / "formula.yaml").write_text(yaml.safe_dump(hostile), encoding="utf-8")
    (inputs / "notas.txt").write_text("no es un archivo de respuestas", encoding="utf-8")
    return inputs


#: The arguments of the batch both tests below run: two formats, a fixed date.
ARGS = ["--fecha", "2026-11-02", "--format", "json", "--format", "md"]


@pytest.fixture(scope="module")
def one_job(tmp_path_factory):
    """The good and bad files, and what one job in this process wrote from them (once per module)."""
    tmp = tmp_path_factory.mktemp("lote")
    inputs = folder_with_good_and_bad(tmp)
    return inputs, run_cli("batch", str(inputs), "-o", str(tmp / "salida"), "--jobs", "1", *ARGS), tmp / "salida"


def read_csv(path):
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_batch_writes_reports_summary_and_errors(one_job):
    # One job, in this process: test_one_job_and_many_give_the_same_files shows
    # worker processes write these very bytes, summaries included.
    _inputs, result, out = one_job
    assert result.returncode == 2, "some files were refused"
    assert "6 informes" in result.stdout and "2 archivos rechazados" in result.stdout
    for stem in [*GOOD, "caso_cuenca-2", "formula"]:
        assert (out / f"{stem}.json").exists() and (out / f"{stem}.md").exists(), stem
    assert not list(out.glob("*.html")), "only the formats asked for"

    rows = read_csv(out / "resumen.csv")
    assert len(rows) == 6
    by_report = {row["informe"]: row for row in rows}
    pequeno = by_report["municipio_pequeno"]
    assert pequeno["nombre"] == "Municipio de San Isidro del Valle" and pequeno["pais"] == "AR"
    assert pequeno["pilar_apoyo_politico"] == "inicial" and pequeno["idea.02"] in ("pendiente", "parcial")
    assert pequeno["recomendacion_1"].startswith("apoyo.asegurar_voluntad: ")
    assert by_report["red_unirse"]["resultado"] == "unirse" and by_report["red_unirse"]["pilar_apoyo_politico"] == ""
    assert by_report["caso_cuenca-2"]["nombre"] == "Provincia de Jujuy"
    # A spreadsheet opening the summary must not run what a user typed.
    assert by_report["formula"]["nombre"] == "'=HYPERLINK(\"x\")"

    errors = read_csv(out / "errores.csv")
    assert [e["archivo"].rsplit("/", 1)[-1] for e in errors] == ["malo.yaml", "roto.json"]
    assert "el valor «quizas» no está permitido" in errors[0]["mensaje"]
    assert "línea 1" in errors[1]["mensaje"]
    # Without a terminal, plain lines.
    assert "rechazado: " in result.stderr and "Traceback" not in result.stderr


def test_one_job_and_many_give_the_same_files(one_job, tmp_path):
    inputs, _result, one = one_job
    # Two worker processes share the same files; the one-job run is the module's.
    many = run_cli("batch", str(inputs), "-o", str(tmp_path / "2"), "--jobs", "2", *ARGS)
    assert many.returncode == 2 and "6 informes" in many.stdout
    names = sorted(p.name for p in one.iterdir())
    assert len(names) == 2 * 6 + 2  # two formats of six reports, the summary and the errors
    assert names == sorted(p.name for p in (tmp_path / "2").iterdir())
    for name in names:
        assert (one / name).read_bytes() == (tmp_path / "2" / name).read_bytes(), name


def test_all_good_exits_0_and_bad_arguments_are_spanish(tmp_path):
    result = run_cli("batch", str(SAMPLES / "municipio_rural.yaml"), "-o", str(tmp_path / "s"))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "s" / "municipio_rural.html").exists()
    assert (tmp_path / "s" / "errores.csv").read_bytes() == b"\xef\xbb\xbfarchivo,mensaje\r\n"
    bad = run_cli("batch", str(SAMPLES), "-o", str(tmp_path / "t"), "--jobs", "cero")
    assert bad.returncode == 2 and "«cero» no es un número entero positivo" in bad.stderr
    empty = tmp_path / "vacia"
    empty.mkdir()
    none = run_cli("batch", str(empty), "-o", str(tmp_path / "u"))
    assert none.returncode == 2 and "no se encontraron archivos de respuestas" in none.stderr


def test_summary_opens_right_in_a_spanish_spreadsheet(tmp_path):
    """UTF-8 with a byte-order mark, RFC 4180 line ends, and «;» when asked for."""
    inputs = tmp_path / "entrada"
    inputs.mkdir()
    (inputs / "cuenca.yaml").write_bytes((SAMPLES / "caso_cuenca.yaml").read_bytes())
    for separator, out in ((",", tmp_path / "coma"), (";", tmp_path / "punto_y_coma")):
        extra = [] if separator == "," else ["--separador", ";"]
        result = run_cli("batch", str(inputs), "-o", str(out), "--jobs", "1", "--fecha", "2026-11-02", *extra)
        assert result.returncode == 0, result.stderr
        raw = (out / "resumen.csv").read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
        header = raw[3:].split(b"\r\n")[0].decode("utf-8")
        assert header.split(separator)[:4] == ["archivo", "informe", "cuestionario", "nombre"]
        rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=separator))
        assert rows[0]["nombre"] == "GAD Municipal de Cuenca"
        assert (out / "errores.csv").read_bytes().startswith(b"\xef\xbb\xbf")
