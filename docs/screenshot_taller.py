"""Takes docs/taller-proyeccion.png, the trainers' guide's screenshot: `advisor
serve` on a throwaway database, a workshop whose participants answered three
Annex II cases, its projection page in Debian's Chromium.
Run: .venv/bin/python docs/screenshot_taller.py"""

from __future__ import annotations

import json
import sys
import tempfile
import urllib.request
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent / "tests"))

from playwright.sync_api import sync_playwright  # noqa: E402
from web_helpers import Server  # noqa: E402

from advisor.io.documents import read_document  # noqa: E402
from advisor.io.resources import data_dir  # noqa: E402


def post(url: str, body: dict) -> dict:
    request = urllib.request.Request(url, data=json.dumps(body, default=str).encode(), method="POST")
    return json.loads(urllib.request.urlopen(request).read())


def main() -> None:
    server = Server(Path(tempfile.mkdtemp()) / "advisor.db", args=["--host", "0.0.0.0"]).start()
    try:
        made = post(server.url + "/api/talleres", {"nombre": "Curso de paradiplomacia", "cuestionario": "diagnostico"})
        code = made["codigo"]
        for case in ("caso_cuenca", "caso_jujuy", "caso_mendoza"):
            post(f"{server.url}/api/talleres/{code}/evaluaciones",
                 read_document(data_dir("samples") / f"{case}.yaml").data)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                                 args=["--headless", "--no-sandbox", "--disable-gpu"])
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.goto(f"{server.url}/taller/{code}/docente?token={made['token_docente']}")
            page.get_by_role("button", name="Agregar a Sus talleres y abrirlo").click()  # the private link asks first
            page.wait_for_url(f"**/taller/{code}/docente")
            page.goto(f"{server.url}/taller/{code}/docente/proyeccion")
            page.screenshot(path=str(HERE / "taller-proyeccion.png"), full_page=True)
            browser.close()
    finally:
        server.stop()


if __name__ == "__main__":
    main()
