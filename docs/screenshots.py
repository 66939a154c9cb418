"""Takes the screenshots of docs/guia-de-uso.md (docs/img/*.png): `advisor
serve` on a throwaway database, in Debian's Chromium, the main steps a user
sees: the home page and a section at a phone's size, the report's plan and a
workshop's trainer page at a laptop's. Each PNG stays under 150 KB (checked).
Run: .venv/bin/python docs/screenshots.py"""

from __future__ import annotations

import json
import sys
import tempfile
import urllib.request
from pathlib import Path

HERE = Path(__file__).parent
IMAGES = HERE / "img"
sys.path.insert(0, str(HERE.parent / "tests"))
sys.path.insert(0, str(HERE))

from playwright.sync_api import Locator, Page, sync_playwright  # noqa: E402
from screenshot_taller import post  # noqa: E402
from web_helpers import Server  # noqa: E402

from advisor.io.documents import read_document  # noqa: E402
from advisor.io.resources import data_dir  # noqa: E402

PHONE = dict(viewport={"width": 360, "height": 640}, is_mobile=True, has_touch=True, device_scale_factor=1)
LAPTOP = dict(viewport={"width": 1024, "height": 700}, device_scale_factor=1)
MOST_BYTES = 150 * 1024


def sample(name: str) -> dict:
    return json.loads(json.dumps(read_document(data_dir("samples") / f"{name}.yaml").data, default=str))


def to_top(element: Locator) -> None:
    element.evaluate("element => element.scrollIntoView({block: 'start'})")


def shot(page: Page, name: str) -> None:
    path = IMAGES / name
    page.screenshot(path=str(path))
    size = path.stat().st_size
    if size > MOST_BYTES:
        raise SystemExit(f"{path}: {size} bytes, more than {MOST_BYTES}: take a smaller view")
    print(f"{path} ({size // 1024} KB)")


def main() -> None:
    IMAGES.mkdir(exist_ok=True)
    server = Server(Path(tempfile.mkdtemp()) / "advisor.db", args=["--host", "0.0.0.0"]).start()
    try:
        small = sample("municipio_pequeno")
        small["respuestas"]["recursos"].pop("puntos_focales", None)
        ident = post(server.url + "/api/evaluaciones", small)["id"]
        made = post(server.url + "/api/talleres", {"nombre": "Curso de paradiplomacia", "cuestionario": "diagnostico",
                                                   "referencia": "caso_cuenca"})
        code = made["codigo"]
        for n, case in enumerate(("caso_cuenca", "caso_jujuy", "caso_mendoza", "municipio_pequeno"), start=1):
            name = urllib.request.quote(["Ana", "Beto", "Carla", "Dora"][n - 1])
            post(f"{server.url}/api/talleres/{code}/evaluaciones?nombre={name}", sample(case))
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                                 args=["--headless", "--no-sandbox", "--disable-gpu"])
            phone = browser.new_context(base_url=server.url, **PHONE).new_page()
            phone.goto("/")
            shot(phone, "inicio.png")
            phone.goto(f"/e/{ident}/seccion/3")
            block = phone.locator("#bloque-q-recursos-puntos-focales")
            block.locator("details summary").click()
            to_top(block)
            shot(phone, "seccion.png")

            laptop = browser.new_context(base_url=server.url, **LAPTOP).new_page()
            laptop.goto(f"/e/{ident}/informe")
            to_top(laptop.get_by_role("heading", name="Plan de acción"))
            shot(laptop, "informe-plan.png")
            laptop.goto(made["url_docente"])
            laptop.get_by_role("button", name="Agregar a Sus talleres y abrirlo").click()  # the private link asks first
            laptop.wait_for_url(f"**/taller/{code}/docente")
            laptop.locator("#clase tbody tr").first.wait_for()
            to_top(laptop.get_by_role("heading", name="La clase", exact=True))
            shot(laptop, "taller-docente.png")
            browser.close()
    finally:
        server.stop()


if __name__ == "__main__":
    main()
