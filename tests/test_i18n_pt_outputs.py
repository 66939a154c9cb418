"""Portuguese (Brazil) everywhere a user reads: every golden profile and sample
reports in Portuguese with the same advice in the same order as in Spanish, and
no Spanish or English word is left in a Portuguese report, memo, comparison,
page or message, beyond the guide's quotations and proper names."""

from __future__ import annotations

import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import SAMPLES, TESTS, run_cli
from golden_cases import CASES, load_case

from advisor.io import translations
from advisor.io.documents import read_document

#: Words only Spanish writes (Portuguese writes «o», «com», «uma», «você», «seu»…)
#: and words only English writes; a Portuguese text has none of them.
SPANISH = frozenset("""el la los las del y con una unos unas usted ustedes sus su pero cuando también según
    después informe informes recomendación recomendaciones respuesta respuestas pregunta preguntas gobierno
    guía taller talleres hecho sí ninguna ningún cuál cuáles qué cómo dónde hay muy estos""".split())
ENGLISH = frozenset("""the and of with your you report answer answers question questions government guide
    workshop which this that is are was were from not none yes done step steps""".split())
FOREIGN = SPANISH | ENGLISH
#: Words that end as only Spanish words do («organización», «relaciones»).
SPANISH_ENDING = re.compile(r"ci(ón|ones)$")
#: A country's code («BR»), not a word.
COUNTRY_CODE = re.compile(r"[A-Z]{2}")
#: A word on its own: not a part of «sustentá-la» or «AL-LAs».
WORD = re.compile(r"(?<![-\w])[^\W\d_]+(?![-\w])")
#: What stays Spanish on purpose: quoted text (the guide's words, always with a
#: rendering «tradução nossa» beside them, its section titles in citations, titles
#: of readings) and the guide's own title.
QUOTED = re.compile(r"«[^»]*»")
KEPT = ("Guía de acción internacional para gobiernos locales", "Universidad Austral",
        # within catalogue descriptions: a French department and a report's title
        "La Vienne", "Visioning Report")


class _Text(HTMLParser):
    """What a reader sees of a page: its text and the words of its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        self._hidden += tag in ("style", "script", "code")  # code: a rule's id
        self.parts += [value for name, value in attrs if name in ("title", "aria-label", "alt") and value]

    def handle_endtag(self, tag):
        self._hidden -= tag in ("style", "script", "code")

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def foreign_words(text: str, names: tuple[str, ...] = (), html: bool = False) -> list[str]:
    """The lines of ``text`` with a Spanish or English word, naming it; ``names``
    (proper names: what the user typed, the catalogues' entries) are skipped."""
    if html:
        reader = _Text()
        reader.feed(text)
        text = "\n".join(reader.parts)
    # Addresses, code and the commands' names («advisor report») are not words of a language.
    text = re.sub(r"https?://\S+|`[^`]*`|advisor [a-z]+", " ", QUOTED.sub(" ", text))
    # Only names of more than one word: what a user typed also holds «si» or «no».
    for name in sorted({*KEPT, *(name for name in names if " " in name.strip())}, key=len, reverse=True):
        text = text.replace(name, " ")
    found = []
    for line in text.splitlines():
        words = [w for w in WORD.findall(line) if not COUNTRY_CODE.fullmatch(w)
                 and (w.lower() in FOREIGN or SPANISH_ENDING.search(w))]
        if words or "¿" in line:
            found.append(f"{words}: {line.strip()[:140]}")
    return found


def test_the_detector_finds_spanish_and_english_and_spares_quotations_and_names():
    assert foreign_words("Os passos de cada orientação.\nLa recomendación del guia.") == [
        "['La', 'recomendación', 'del']: La recomendación del guia."]
    assert foreign_words("<p>Ver o <b>report</b></p><style>p{}</style>", html=True) == ["['report']: report"]
    assert foreign_words("¿Tiene?") == ["[]: ¿Tiene?"]
    quoted = "O guia diz «la ciudad y sus actores» («a cidade e os seus atores», tradução nossa); sustentá-la."
    assert foreign_words(quoted) == []
    assert foreign_words("Município de Villa del Río", names=("Villa del Río",)) == []


def _strings(data) -> list[str]:
    if isinstance(data, dict):
        return [s for value in data.values() for s in _strings(value)]
    if isinstance(data, list):
        return [s for value in data for s in _strings(value)]
    return [data] if isinstance(data, str) else []


@pytest.fixture(scope="module")
def portuguese_names(bundles):
    """Proper names the Portuguese texts keep: the catalogues' entries (networks,
    funds, their programmes) as the Portuguese data names them."""
    catalogue = bundles["pt"].kb.catalogue
    return tuple(entry.name for _kind, _key, entry in catalogue.keyed() if getattr(entry, "name", None))


def _documents() -> list[Path]:
    """Every golden profile, and every sample no golden profile already reads."""
    read = {load_case(path)[0].get("sample") for path in CASES}
    return [*CASES, *(path for path in sorted(SAMPLES.glob("*.yaml")) if path.name not in read)]


#: The JSON's fields whose words are the answers as a reader reads them («no», «Não»).
READABLE = {"respuesta", "actual"}


def _skeleton(data, key: str | None = None):
    """A report's JSON without its words: keys, ids and codes, in their order."""
    if isinstance(data, dict):
        return {name: _skeleton(value, name) for name, value in data.items()}
    if isinstance(data, list):
        return [_skeleton(value, key) for value in data]
    if isinstance(data, str) and (key in READABLE or not re.fullmatch(r"[a-z0-9_.\-]*", data)):
        return "…"
    return data


@pytest.fixture(scope="module")
def bundles(bundle):
    """The packaged bundle in Spanish and in Portuguese, as «advisor report --lang pt» loads it."""
    from advisor.kb.load import packaged_bundle

    # Loading derives some texts (a pillar's «está en nivel…») in the language spoken.
    with translations.speaking("pt"):
        brazilian = packaged_bundle()
    return {"es": bundle, "pt": brazilian}


@pytest.mark.parametrize("path", _documents(), ids=lambda path: path.stem)
def test_every_profile_reports_in_portuguese_the_same_advice_in_the_same_order(bundles, portuguese_names, path):
    from advisor.app.assessment import assess_document
    from advisor.report.render import render

    case, document = load_case(path) if path.parent == TESTS / "golden" else ({"sample": path.name},
                                                                                read_document(path))
    spanish = assess_document(document, bundles["es"])
    with translations.speaking("pt"):
        brazilian = assess_document(document, bundles["pt"])
        markdown = render(brazilian, "md")
        # The HTML is the same Markdown in a page: its own words are checked on the samples.
        html = render(brazilian, "html") if "sample" in case else None
    assert _skeleton(json.loads(brazilian.model_dump_json())) == _skeleton(json.loads(spanish.model_dump_json()))
    assert [r.id for r in brazilian.recomendaciones] == [r.id for r in spanish.recomendaciones]
    typed = tuple(_strings(document.data))
    assert foreign_words(markdown, (*typed, *portuguese_names)) == []
    if html is not None:
        assert foreign_words(html, (*typed, *portuguese_names), html=True) == []
        assert '<html lang="pt">' in html


def test_the_memo_and_the_comparison_speak_portuguese(tmp_path, portuguese_names):
    from docx import Document as Docx

    sample = SAMPLES / "municipio_pequeno.yaml"
    typed = tuple(_strings(read_document(sample).data))
    memo = tmp_path / "memo.docx"
    result = run_cli("report", str(sample), "--lang", "pt", "--format", "docx", "-o", str(memo))
    assert result.returncode == 0, result.stderr
    document = Docx(io.BytesIO(memo.read_bytes()))
    lines = [p.text for p in document.paragraphs]
    lines += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    text = "\n".join(lines)
    assert "Plano de ação" in text and re.search(r"\d{1,2} de (janeiro|fevereiro|março|abril|maio|junho|julho|"
                                                 r"agosto|setembro|outubro|novembro|dezembro) de \d{4}", text)
    assert foreign_words(text, (*typed, *portuguese_names)) == []

    compared = run_cli("compare", str(sample), str(sample), "--lang", "pt", "--format", "md")
    assert compared.returncode == 0, compared.stderr
    assert "Pilares que avançaram" in compared.stdout or "Nenhum nível mudou." in compared.stdout
    assert foreign_words(compared.stdout, (*typed, *portuguese_names)) == []


def test_numbers_and_lists_are_written_as_brazilians_write_them():
    from advisor import i18n

    with translations.speaking("pt"):
        assert i18n.number(8000) == "8.000"
        assert i18n.number(1_500_000) == "1.500.000"
        assert i18n.joined(["a", "b", "c"]) == "a, b e c" and i18n.joined(["a", "b", "c"], "or") == "a, b ou c"
        assert i18n.ngettext("{n} informe", "{n} informes", 2, n=2) == "2 relatórios"


def test_lists_and_dates_follow_each_language():
    """A reader sees dates and lists as their language writes them (Babel's
    patterns; English with the serial comma); files and JSON keep ISO dates."""
    import datetime as dt

    from advisor import i18n

    day = dt.date(2026, 12, 7)
    expected = {"es": ("a, b y c", "a, b o c", "7 de diciembre de 2026"),
                "en": ("a, b, and c", "a, b, or c", "December 7, 2026"),
                "pt": ("a, b e c", "a, b ou c", "7 de dezembro de 2026")}
    for lang, (both, either, date) in expected.items():
        with translations.speaking(lang):
            assert (i18n.joined(["a", "b", "c"]), i18n.joined(["a", "b", "c"], "or"), i18n.long_date(day)) == (
                both, either, date)


def test_messages_help_and_refusals_speak_portuguese(tmp_path):
    refused = run_cli("report", str(tmp_path / "nada.yaml"), "--lang", "pt")
    assert refused.returncode == 2
    assert "o arquivo não existe" in refused.stderr and "Traceback" not in refused.stderr
    assert foreign_words(refused.stderr, (str(tmp_path / "nada.yaml"),)) == []
    mistyped = run_cli("report", str(SAMPLES / "caso_cuenca.yaml"), "--lang", "pt", "--format", "mdd")
    assert mistyped.returncode == 2, mistyped.stderr
    assert "não é uma opção de --format. Esperava-se um de: «json», «md», «html» ou «docx»" in mistyped.stderr
    unknown = run_cli("reportt", "--lang", "pt")
    assert unknown.returncode == 2 and "Você quis dizer «report»?" in unknown.stderr, unknown.stderr
    helped = run_cli("report", "--help", "--lang", "pt")
    assert helped.stdout.startswith("uso: advisor report") and "mostra esta ajuda e termina" in helped.stdout
    assert foreign_words(helped.stdout) == []


def test_the_pages_speak_portuguese(tmp_path, portuguese_names):
    from starlette.testclient import TestClient
    from web_helpers import make_app

    with TestClient(make_app(tmp_path / "a.db"), raise_server_exceptions=False) as client:
        home = client.get("/idioma/pt")
        assert home.status_code == 200
        assert '<html lang="pt">' in home.text and '<span aria-current="true">Português</span>' in home.text
        assert foreign_words(home.text, html=True) == []
        data = json.loads(json.dumps(read_document(SAMPLES / "caso_cuenca.yaml").data, default=str))
        ident = client.post("/api/evaluaciones", json=data).json()["id"]
        typed = (*_strings(data), *portuguese_names)
        for path in (f"/e/{ident}/seccion/1", f"/e/{ident}/revision", f"/e/{ident}/informe", "/talleres", "/taller",
                     "/e/no-existe-esta-evaluacion"):
            page = client.get(path)
            assert page.status_code in (200, 404), path
            assert foreign_words(page.text, typed, html=True) == [], path


def test_the_interview_speaks_portuguese_in_a_terminal(tmp_path):
    """The real `advisor ask --lang pt` in a pseudo-terminal: the section, the
    questions, a Brazilian country name, the refusals and the Ctrl-C message
    in Portuguese."""
    import pexpect
    from pty_driver import CTRL_C, ENTER, answer, pick, spawn

    child = spawn(tmp_path, "diagnostico", "--lang", "pt", "-o", "meu.yaml")
    child.expect(re.escape("Seção 1 de 8: Perfil do governo"))
    answer(child, "Qual é o nome do governo local ou regional?", "Vila Teste" + ENTER)
    answer(child, "Em que país fica?", "Nárnia" + ENTER)
    child.expect(re.escape("«Nárnia» não é um código de país"))  # refused where it was typed
    child.send("\x15" + "Brasil" + ENTER)  # Ctrl-U erases it
    pick(child, "Qual é o nível de governo?")
    answer(child, "Quantos habitantes tem", "muitos" + ENTER)
    child.expect(re.escape("Esperava-se um número inteiro sem sinal, como 8000, 8.000 ou 8 000."))
    child.send(CTRL_C)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert "Interrompido. Suas respostas ficaram salvas em meu.yaml." in child.before
    assert "advisor ask --resume meu.yaml" in child.before
    screen = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", child.before)
    assert foreign_words(screen) == []
    saved = (tmp_path / "meu.yaml").read_text(encoding="utf-8")
    assert "pais: BR" in saved and "nombre: Vila Teste" in saved


def test_a_workshop_runs_in_portuguese(tmp_path, portuguese_names):
    """A trainer's pages (the class, the projection, a participant's reading
    beside the guide's) and the class's summary, in Portuguese."""
    from starlette.testclient import TestClient
    from test_web_workshops_api import join, new_workshop, sample
    from web_helpers import confirm_private_link, make_app

    with TestClient(make_app(tmp_path / "a.db"), raise_server_exceptions=False) as client:
        client.get("/idioma/pt")
        code, token = new_workshop(client, referencia="caso_cuenca")
        answers = sample("caso_cuenca")
        join(client, code, answers, name="Ana Souza")
        assert confirm_private_link(client, f"/taller/{code}/docente?token={token}").status_code == 303
        typed = (*_strings(answers), *portuguese_names, "Curso de paradiplomacia", "Ana Souza")
        klass = client.get(f"/taller/{code}/docente")
        assert "Projetar na sala" in klass.text and "Participantes: 1; terminaram: 0" in klass.text
        handle = re.search(r"/docente/participantes/([^/\"]+)/comparacion", klass.text).group(1)
        for path in ("", "/proyeccion", f"/participantes/{handle}/comparacion", f"/participantes/{handle}"):
            page = client.get(f"/taller/{code}/docente{path}")
            assert page.status_code == 200, path
            assert foreign_words(page.text, typed, html=True) == [], path
        summary = client.get(f"/taller/{code}/docente/descargas/resumen.csv?separador=%3B")
        assert summary.status_code == 200 and summary.text.lstrip("\ufeff").startswith("Participante;Memorando;")
        assert foreign_words(summary.text.replace(";", "; "), typed) == []
        assert client.get(f"/taller/{code}").status_code == 200
        assert foreign_words(client.get(f"/taller/{code}").text, typed, html=True) == []
