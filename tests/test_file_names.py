"""The names of the files a person downloads or advisor writes for them are in
their language (``relatorio.md`` in Portuguese, ``informe.md`` in Spanish),
plain ASCII where a file system may not take more; the names scripts read
(the API's downloads, `advisor batch`'s CSV files) stay Spanish."""

from __future__ import annotations

import io
import re
import string
import zipfile
from urllib.parse import unquote

import pytest
from conftest import run_cli
from starlette.testclient import TestClient
from web_helpers import confirm_private_link, make_app

from advisor import i18n
from advisor.io import translations
from advisor.report import file_names

ANSWERS = {"cuestionario": "diagnostico", "version": 1, "fecha": "2026-12-07",
           "respuestas": {"perfil": {"nombre": "Villa Ñandú", "pais": "BR", "nivel": "municipio"}}}


@pytest.mark.parametrize("lang", [lang for lang in i18n.LANGUAGES if lang != i18n.DEFAULT])
def test_every_translated_file_name_is_plain_ascii_and_keeps_its_places(lang):
    places = string.Formatter()
    with translations.speaking(lang):
        for pattern in file_names.PATTERNS:
            translated = i18n.gettext_(pattern)
            assert translated != "" and re.fullmatch(r"[a-z0-9_.{}-]+", translated), (lang, pattern, translated)
            assert ({name for _t, name, _f, _c in places.parse(translated) if name}
                    == {name for _t, name, _f, _c in places.parse(pattern) if name}), (lang, pattern)


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    with TestClient(make_app(tmp_path_factory.mktemp("names") / "advisor.db"), raise_server_exceptions=False) as c:
        yield c


def _names(client, path: str, lang: str) -> tuple[str, str | None]:
    """The download's plain name and its UTF-8 name (None when it sends only the plain one)."""
    client.cookies.set("idioma", lang)
    response = client.get(path)
    assert response.status_code == 200, response.text[:300]
    header = response.headers["content-disposition"]
    plain = re.search(r'filename="([^"]*)"', header).group(1)
    full = re.search(r"filename\*=UTF-8''(\S+)", header)
    return plain, unquote(full.group(1)) if full else None


@pytest.mark.parametrize(("lang", "report", "memo", "answers"), [
    ("es", "informe", "memo", "respuestas"),
    ("pt", "relatorio", "memorando", "respostas"),
    ("en", "report", "memo", "answers"),
])
def test_an_assessments_downloads_are_named_in_the_pages_language(client, lang, report, memo, answers):
    ident = client.post("/api/evaluaciones", json=ANSWERS).json()["id"]
    questionnaire = {"es": "diagnostico", "pt": "diagnostico", "en": "diagnosis"}[lang]
    for download, expected in [("memo.docx", f"diagnostico-{memo}.docx"), ("informe.md", f"diagnostico-{report}.md"),
                               ("informe.html", f"diagnostico-{report}.html"),
                               ("informe.json", f"diagnostico-{report}.json"),
                               ("respuestas.yaml", f"{answers}-diagnostico.yaml")]:
        expected = expected.replace("diagnostico", questionnaire)
        plain, full = _names(client, f"/e/{ident}/descargas/{download}", lang)
        assert plain == f"villa-nandu-2026-12-07-{expected}"
        assert full == f"villa-ñandú-2026-12-07-{expected}"
    client.cookies.clear()


def test_a_nameless_assessments_download_says_assessment_in_the_language(client):
    ident = client.post("/api/evaluaciones", json={**ANSWERS, "respuestas": {}}).json()["id"]
    memo = f"/e/{ident}/descargas/memo.docx"
    assert _names(client, memo, "pt")[0] == "avaliacao-2026-12-07-diagnostico-memorando.docx"
    assert _names(client, memo, "es")[0] == "evaluacion-2026-12-07-diagnostico-memo.docx"
    client.cookies.clear()


def test_the_trainers_downloads_are_named_in_the_pages_language_and_the_apis_stay_spanish(client):
    made = client.post("/api/talleres", json={"nombre": "Oficina São Paulo"}).json()
    code, token = made["codigo"], made["token_docente"]
    client.post(f"/api/talleres/{code}/evaluaciones?nombre=Ana", json=ANSWERS)
    assert confirm_private_link(client, made["url_docente"]).status_code == 303
    page = f"/taller/{code}/docente/descargas"
    expected = {
        "pt": ["oficina-oficina-sao-paulo-{c}-resumo-virgula.csv",
               "oficina-oficina-sao-paulo-{c}-resumo-ponto-e-virgula.csv",
               "oficina-oficina-sao-paulo-{c}-resumo.xlsx", "oficina-oficina-sao-paulo-{c}-memorandos.zip"],
        "es": ["taller-oficina-sao-paulo-{c}-resumen-coma.csv",
               "taller-oficina-sao-paulo-{c}-resumen-punto-y-coma.csv",
               "taller-oficina-sao-paulo-{c}-resumen.xlsx", "taller-oficina-sao-paulo-{c}-memos.zip"],
        "en": ["workshop-oficina-sao-paulo-{c}-summary-comma.csv",
               "workshop-oficina-sao-paulo-{c}-summary-semicolon.csv",
               "workshop-oficina-sao-paulo-{c}-summary.xlsx", "workshop-oficina-sao-paulo-{c}-memos.zip"],
    }
    for lang, names in expected.items():
        got = [_names(client, f"{page}/{download}", lang) for download in
               ("resumen.csv", "resumen.csv?separador=%3B", "resumen.xlsx", "memos.zip")]
        assert got == [(name.format(c=code), None) for name in names], lang
    # The ZIP's members are the participants' and the workshop's names, in no language.
    client.cookies.set("idioma", "pt")
    members = zipfile.ZipFile(io.BytesIO(client.get(f"{page}/memos.zip").content)).namelist()
    assert members == ["01-ana-oficina-sao-paulo.docx"]
    api = client.get(f"/api/talleres/{code}/resumen.xlsx", headers={"authorization": f"Bearer {token}"})
    assert api.headers["content-disposition"] == f'attachment; filename="taller-{code}-resumen.xlsx"'
    client.cookies.clear()


def test_the_terminal_in_portuguese_writes_portuguese_default_names(tmp_path):
    result = run_cli("--lang", "pt", "demo", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    written = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert written == ["relatorios-demo/relatorio-demo.html", "relatorios-demo/relatorio-demo.md"]
    assert "relatorios-demo/relatorio-demo.html" in result.stdout
    def helped(*args: str) -> str:  # argparse may wrap a line after a dash
        return re.sub(r"-\s+", "-", " ".join(run_cli(*args, "--help").stdout.split()))

    assert "(por padrão, relatorios-demo)" in helped("--lang", "pt", "demo")
    assert "ANTERIOR-acompanhamento.yaml" in helped("--lang", "pt", "ask")
    assert "ANTERIOR-seguimiento.yaml" in helped("ask")


def test_the_interview_in_portuguese_saves_to_portuguese_default_names(tmp_path):
    """`advisor ask --lang pt` without -o, and `--from` a previous file: the
    answers go to respostas-diagnostico.yaml and ANTERIOR-acompanhamento.yaml."""
    import pexpect
    from pty_driver import CTRL_C, ENTER, answer, spawn

    def interrupted(*args: str, question: str, keys: str) -> str:
        child = spawn(tmp_path, *args, "--lang", "pt")
        answer(child, question, keys)
        child.expect(re.escape("Em que país fica?"))
        child.send(CTRL_C)
        child.expect(pexpect.EOF)
        child.close()
        assert child.exitstatus == 130
        return re.sub(r"\s+", " ", child.before)

    said = interrupted("diagnostico", question="Qual é o nome do governo local ou regional?", keys="Vila Teste" + ENTER)
    assert "Suas respostas ficaram salvas em respostas-diagnostico.yaml" in said
    assert "nombre: Vila Teste" in (tmp_path / "respostas-diagnostico.yaml").read_text(encoding="utf-8")
    said = interrupted("--from", "respostas-diagnostico.yaml", question="Qual é o nome do governo", keys=ENTER)
    assert "Suas respostas ficaram salvas em respostas-diagnostico-acompanhamento.yaml" in said
    assert sorted(p.name for p in tmp_path.iterdir()) == ["respostas-diagnostico-acompanhamento.yaml",
                                                          "respostas-diagnostico.yaml"]
