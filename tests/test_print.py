"""The HTML report's pillar radar, traffic lights and print stylesheet: the chart
as drawn (points, escaping, only for the diagnostic), and the page printed to
an A4 PDF by headless Chromium as a user would from the browser."""

from __future__ import annotations

import io
import math
import re
import xml.etree.ElementTree as ET
from types import SimpleNamespace

import pytest
from conftest import SAMPLES, run_cli
from markupsafe import escape

from advisor.app.assessment import assess
from advisor.model.vocabulary import LEVEL_NAMES
from advisor.report.chart import CENTER, RADIUS, radar_svg
from advisor.report.render import render

SVG = "{http://www.w3.org/2000/svg}"
LEVELS = ["inicial", "en_desarrollo", "consolidado", "consolidado", "en_desarrollo", "inicial"]
VALUES = {"inicial": 1, "en_desarrollo": 2, "consolidado": 3}


def pillars(levels: list[str], title: str = "Pilar {n}") -> list[SimpleNamespace]:
    return [SimpleNamespace(titulo=title.format(n=n), nivel=level) for n, level in enumerate(levels, 1)]


def parse_points(text: str) -> list[tuple[float, float]]:
    return [(float(x), float(y)) for x, y in (pair.split(",") for pair in text.split())]


def expected_points(levels: list[str]) -> list[tuple[float, float]]:
    """Axis i points 360/n·i degrees clockwise from straight up; a level is 1/3, 2/3 or the whole radius."""
    result = []
    for i, level in enumerate(levels):
        angle = math.radians(-90 + 360 * i / len(levels))
        distance = RADIUS * VALUES[level] / 3
        result.append((CENTER[0] + distance * math.cos(angle), CENTER[1] + distance * math.sin(angle)))
    return result


def assert_close(points, expected):
    assert len(points) == len(expected)
    for (x, y), (ex, ey) in zip(points, expected, strict=True):
        assert abs(x - ex) <= 0.051 and abs(y - ey) <= 0.051, ((x, y), (ex, ey))


# --- The chart alone ------------------------------------------------------------


def test_levels_become_the_polygon_points():
    svg = str(radar_svg(pillars(LEVELS), LEVEL_NAMES))
    root = ET.fromstring(svg)  # well-formed XML, so any browser or converter reads it
    polygon = root.find(f"{SVG}polygon[@class='radar-levels']")
    points = parse_points(polygon.get("points"))
    assert_close(points, expected_points(LEVELS))
    assert points[0] == (CENTER[0], round(CENTER[1] - RADIUS / 3, 1)), "the first pillar points straight up"
    assert all(re.fullmatch(r"\d+\.\d,\d+\.\d", pair) for pair in polygon.get("points").split()), "one fixed decimal"
    assert svg == str(radar_svg(pillars(LEVELS), LEVEL_NAMES)), "deterministic"
    rings = root.findall(f"{SVG}polygon[@class='radar-ring']")
    assert [parse_points(ring.get("points"))[0] for ring in rings] == [
        (CENTER[0], round(CENTER[1] - RADIUS * k / 3, 1)) for k in (1, 2, 3)
    ], "one ring per level"
    assert [t.text for t in root.findall(f"{SVG}text[@class='radar-ring-label']")] == ["Inicial", "En desarrollo",
                                                                                       "Consolidado"]


def test_chart_is_accessible():
    root = ET.fromstring(str(radar_svg(pillars(LEVELS), LEVEL_NAMES)))
    assert root.get("role") == "img" and root.get("aria-labelledby") == "radar-title radar-desc"
    assert root.find(f"{SVG}title").text == "Gráfico radar del perfil por pilares"
    desc = root.find(f"{SVG}desc").text
    assert "Pilar 1: inicial; Pilar 2: en desarrollo; Pilar 3: consolidado;" in desc
    assert root.get("viewBox") == "0 0 480 360" and root.get("width") == "100%"


def test_a_hostile_title_is_text_in_the_chart():
    hostile = '<script>alert("x")</script> & <b onmouseover="y()">Apoyo</b>'
    svg = str(radar_svg(pillars(LEVELS, title=hostile), LEVEL_NAMES))
    assert "<script" not in svg and "<b " not in svg and "&lt;script&gt;" in svg
    root = ET.fromstring(svg)
    assert not list(root.iter(f"{SVG}script")) and not list(root.iter(f"{SVG}b"))
    labels = ["".join(t.itertext()) for t in root.findall(f"{SVG}text[@class='radar-axis']")]
    assert labels == [hostile] * 6, "long titles wrap into lines, and still read as the title"
    assert hostile in root.find(f"{SVG}desc").text


def test_only_the_diagnostic_gets_the_chart_and_the_markdown_stays_as_it_was(bundle):
    diagnostic = assess(SAMPLES / "caso_cuenca.yaml", bundle)
    html = render(diagnostic, "html")
    assert html.count("<svg") == 1 and html.count('role="img"') == 1
    heading = html.index("<h2>Perfil por pilares</h2>")
    assert heading < html.index('<figure class="radar"><svg') < html.index("<table>",
                                                                           heading), "at the top of the pillar section"
    md = render(diagnostic, "md")
    assert "| Apoyo político | En desarrollo | ▰▰▱ |" in md and "☐ pendiente: **Transversalidad**" in md
    assert "<svg" not in md and "<span" not in md and "<section" not in md

    for sample in ("red_unirse.yaml", "proyecto_con_brechas.yaml", "cid_lista.yaml"):
        other = render(assess(SAMPLES / sample, bundle), "html")
        assert "<svg" not in other and 'class="radar"' not in other, sample


def test_levels_and_states_are_traffic_lights_with_their_words(bundle):
    report = assess(SAMPLES / "caso_cuenca.yaml", bundle)
    html = render(report, "html")
    assert '<td>Apoyo político</td>\n<td><span class="light light-amber">En desarrollo</span></td>' in html
    assert '<td>Gobernanza</td>\n<td><span class="light light-green">Consolidado</span></td>' in html
    assert '<strong>Apoyo político: <span class="light light-amber">en desarrollo</span>.</strong>' in html
    assert '<span class="light light-red">☐ pendiente</span>: <strong>Transversalidad</strong>' in html
    assert '<span class="light light-amber">◐ parcial</span>: <strong>Planificar, ejecutar y medir</strong>' in html
    assert '<span class="light light-green">☑ cumplida</span>: <strong>Gobernanza</strong>' in html
    # Reasons and themes alone no longer make idea 1 met: the government plan does not say (K01, K37).
    assert '<span class="light light-amber">◐ parcial</span>: <strong>Un medio y no un fin</strong>' in html
    # Every pillar's level, in the table and in the detail, and every idea's state, has its light.
    light = r'<span class="light light-(?:red|amber|green)">[^<]+</span>'
    assert len(report.pilares) == 6 and len(report.ideas) == 11
    for pillar in report.pilares.values():
        name = re.escape(str(escape(pillar.titulo)))
        assert re.search(rf"<td>{name}</td>\n<td>{light}</td>", html), pillar.titulo
        assert re.search(rf"<strong>{name}: {light}\.</strong>", html), pillar.titulo
    for idea in report.ideas:
        assert re.search(rf"{light}: <strong>{re.escape(str(escape(idea.titulo)))}</strong>", html), idea.titulo
    assert '<section class="subsection"><h3>1. ' in html, "each recommendation is one block for print"


# --- The page in Chromium, printed ----------------------------------------------


@pytest.fixture(scope="module")
def cuenca(tmp_path_factory, bundle):
    """The diagnostic of Cuenca: its HTML file as the CLI writes it, and its pillars."""
    page = tmp_path_factory.mktemp("print") / "cuenca.html"
    result = run_cli("report", str(SAMPLES / "caso_cuenca.yaml"), "-o", str(page))
    assert result.returncode == 0, result.stderr
    return page, list(assess(SAMPLES / "caso_cuenca.yaml", bundle).pilares.values())


def test_the_chart_in_the_browser_and_under_print_media(file_page, cuenca):
    tab = file_page
    page, pilares = cuenca
    titles, levels = [p.titulo for p in pilares], [p.nivel for p in pilares]
    tab.goto(page.as_uri())
    charts = tab.locator("svg[role=img]")
    assert charts.count() == 1
    assert charts.locator("text.radar-axis").all_text_contents() == titles
    assert_close(parse_points(charts.locator("polygon.radar-levels").get_attribute("points")), expected_points(levels))
    figure = tab.locator("figure.radar")
    assert figure.evaluate("f => f.previousElementSibling.textContent") == "Perfil por pilares"
    assert figure.evaluate("f => f.nextElementSibling.tagName") == "TABLE"

    tab.emulate_media(media="print")
    assert tab.evaluate("matchMedia('print').matches")
    box = charts.evaluate("c => { const r = c.getBoundingClientRect(); return [getComputedStyle(c).display, r.width, "
                          "r.height] }")
    assert box[0] != "none" and box[1] > 200 and box[2] > 150, box
    styles = tab.evaluate(
        "() => { const s = getComputedStyle(document.querySelector('section.subsection'));"
        "const b = getComputedStyle(document.querySelector('.light'));"
        "return [s.breakInside, b.printColorAdjust, b.backgroundColor] }")
    assert styles[:2] == ["avoid", "exact"] and styles[2] != "rgba(0, 0, 0, 0)", styles


def test_the_page_prints_to_a_clean_a4_pdf(file_page, cuenca):
    import pypdf

    tab = file_page
    page, pilares = cuenca
    tab.goto(page.as_uri())
    # As a user prints from the browser: the print stylesheet, its page numbers, A4.
    pdf = pypdf.PdfReader(io.BytesIO(tab.pdf(width="21cm", height="29.7cm")))
    pages = len(pdf.pages)
    # Cuenca's diagnostic measured 48 pages before the plan; with the reference collapsed
    # it measures 10. Far fewer or more means the print stylesheet (or the plan) broke.
    assert 5 <= pages <= 25, pages
    width, height = (float(v) * 25.4 / 72 for v in pdf.pages[0].mediabox.upper_right)
    assert round(width) == 210 and round(height) == 297, "A4"
    texts = [p.extract_text() for p in pdf.pages]
    assert f"1 / {pages}" in texts[0], "numbered pages"
    text = "\n".join(texts)
    assert "Diagnóstico de la acción internacional" in text
    for pillar in pilares:
        assert pillar.titulo in text
    pillar_page = next(t for t in texts if "Perfil por pilares" in t)
    assert "Gobernanza" in pillar_page and "Consolidado" in pillar_page, "the heading kept with its chart and table"


@pytest.mark.parametrize("lang", ["es", "en"])
def test_the_chart_reads_on_a_phone(chromium_browser, tmp_path, lang):
    """At 360 px wide every pillar's name is whole inside the chart and about
    as large as the page's small print (12 px), in either language."""
    page_file = tmp_path / "cuenca.html"
    result = run_cli("report", str(SAMPLES / "caso_cuenca.yaml"), "--lang", lang, "-o", str(page_file))
    assert result.returncode == 0, result.stderr
    context = chromium_browser.new_context(viewport={"width": 360, "height": 740})
    try:
        page = context.new_page()
        page.goto(page_file.as_uri())
        boxes = page.evaluate("""() => {
            const svg = document.querySelector('figure.radar svg').getBoundingClientRect();
            return [[svg.left, svg.right, svg.top, svg.bottom],
                    Array.from(document.querySelectorAll('text.radar-axis'), t => {
                        const r = t.getBoundingClientRect();
                        return [t.textContent, r.left, r.right, r.top, r.bottom, t.getExtentOfChar(0).height];
                    })];
        }""")
    finally:
        context.close()
    (left, right, top, bottom), labels = boxes
    assert right - left <= 360 and len(labels) == 6
    scale = (right - left) / float(ET.fromstring(str(radar_svg(pillars(LEVELS),
                                                               LEVEL_NAMES))).get("viewBox").split()[2])
    for text, x0, x1, y0, y1, char_height in labels:
        assert left <= x0 and x1 <= right and top <= y0 and y1 <= bottom, f"«{text}» is cut off"
        # A character's box (ascent to descent) in the chart's units, as drawn on the screen.
        high = char_height * scale
        assert high >= 13.5, f"«{text}»: characters {high:.1f} px high (a 12 px font: 13.7)"
