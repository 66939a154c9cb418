"""Takes docs/advisor-serve.png, the README's screenshot: `advisor serve` on a
throwaway database, a sample diagnostic's section page with its help open,
beside its report, in Debian's Chromium. Run: .venv/bin/python docs/screenshot.py"""

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


def main() -> None:
    server = Server(Path(tempfile.mkdtemp()) / "advisor.db").start()
    try:
        data = read_document(data_dir("samples") / "municipio_pequeno.yaml").data
        data["respuestas"]["recursos"].pop("puntos_focales", None)
        body = json.dumps(data, default=str).encode()
        request = urllib.request.Request(server.url + "/api/evaluaciones", data=body, method="POST")
        ident = json.loads(urllib.request.urlopen(request).read())["id"]
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                                 args=["--headless", "--no-sandbox", "--disable-gpu"])
            page = browser.new_page(viewport={"width": 900, "height": 900})
            page.goto(f"{server.url}/e/{ident}/seccion/3")
            page.locator("#bloque-q-recursos-puntos-focales details summary").click()
            page.locator("#bloque-q-recursos-puntos-focales").scroll_into_view_if_needed()
            page.evaluate("window.scrollTo(0, 0)")
            page.screenshot(path=str(HERE / "advisor-serve.png"))
            browser.close()
    finally:
        server.stop()


if __name__ == "__main__":
    main()
