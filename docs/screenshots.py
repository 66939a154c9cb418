"""Takes the screenshots of the user guides: `advisor serve` on a throwaway
database, in Debian's Chromium, the main steps a user sees. For
docs/guia-de-uso.md (docs/img/*.png): the home page and a section at a phone's
size, the report's plan and a workshop's trainer page at a laptop's. For
docs/guia-de-uso.pt.md (docs/img/pt/*.png, the pages in Portuguese through the
`idioma` cookie, a Brazilian municipality): the same, the report's plan at a
phone's size, and the projection page. Each PNG is recompressed losslessly
and stays under 150 KB (checked).
Run: .venv/bin/python docs/screenshots.py [es|pt]  (both without an argument)"""

from __future__ import annotations

import json
import struct
import sys
import tempfile
import urllib.request
import zlib
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
#: What the script clicks and looks for, as each language's pages say it.
WORDS = {
    "es": {"plan": "Plan de acción", "add": "Agregar a Sus talleres y abrirlo", "class": "La clase"},
    "pt": {"plan": "Plano de ação", "add": "Adicionar a Suas oficinas e abri-la", "class": "A turma"},
}


def sample(name: str) -> dict:
    return json.loads(json.dumps(read_document(data_dir("samples") / f"{name}.yaml").data, default=str))


def to_top(element: Locator) -> None:
    element.evaluate("element => element.scrollIntoView({block: 'start'})")


def smaller_png(data: bytes) -> bytes:
    """The same PNG with its image data deflated at the highest level (Chromium writes it fast, not small)."""
    chunks, at, pixels = [], 8, b""
    while at < len(data):
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        body = data[at + 8:at + 8 + length]
        at += 12 + length
        if kind == b"IDAT":
            pixels += body
            if data[at + 4:at + 8] != b"IDAT":
                chunks.append((b"IDAT", zlib.compress(zlib.decompress(pixels), 9)))
        elif kind in (b"IHDR", b"PLTE", b"tRNS", b"IEND"):
            chunks.append((kind, body))
    return data[:8] + b"".join(struct.pack(">I", len(body)) + kind + body
                               + struct.pack(">I", zlib.crc32(kind + body)) for kind, body in chunks)


def shot(page: Page, name: str, full_page: bool = False) -> None:
    path = IMAGES / name
    path.write_bytes(smaller_png(page.screenshot(full_page=full_page)))
    size = path.stat().st_size
    if size > MOST_BYTES:
        raise SystemExit(f"{path}: {size} bytes, more than {MOST_BYTES}: take a smaller view")
    print(f"{path} ({size // 1024} KB)")


def main(lang: str) -> None:
    words = WORDS[lang]

    def own(name: str) -> str:  # the Spanish guide's images are docs/img/*.png, the others' docs/img/LANG/*.png
        return name if lang == "es" else f"{lang}/{name}"

    (IMAGES / own("")).mkdir(parents=True, exist_ok=True)
    server = Server(Path(tempfile.mkdtemp()) / "advisor.db", args=["--host", "0.0.0.0"]).start()
    try:
        small = sample("municipio_pequeno")
        small["respuestas"]["recursos"].pop("puntos_focales", None)
        if lang == "pt":  # a Brazilian municipality for the Brazilian guide
            small["respuestas"]["perfil"].update(nombre="Vila Esperança", pais="BR")
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
            language = [{"name": "idioma", "value": lang, "url": server.url}]
            phone_context = browser.new_context(base_url=server.url, **PHONE)
            phone_context.add_cookies(language)
            phone = phone_context.new_page()
            phone.goto("/")
            shot(phone, own("inicio.png"))
            phone.goto(f"/e/{ident}/seccion/3")
            block = phone.locator("#bloque-q-recursos-puntos-focales")
            block.locator("details summary").click()
            to_top(block)
            shot(phone, own("seccion.png"))

            laptop_context = browser.new_context(base_url=server.url, **LAPTOP)
            laptop_context.add_cookies(language)
            laptop = laptop_context.new_page()
            # The Spanish guide shows the plan as wide as a laptop; the Portuguese one as a phone shows it.
            reader = laptop if lang == "es" else phone
            reader.goto(f"/e/{ident}/informe")
            to_top(reader.get_by_role("heading", name=words["plan"]))
            shot(reader, own("informe-plan.png"))
            laptop.goto(made["url_docente"])
            laptop.get_by_role("button", name=words["add"]).click()  # the private link asks first
            laptop.wait_for_url(f"**/taller/{code}/docente")
            laptop.locator("#clase tbody tr").first.wait_for()
            to_top(laptop.get_by_role("heading", name=words["class"], exact=True))
            shot(laptop, own("taller-docente.png"))
            if lang != "es":  # the Spanish guide's is docs/taller-proyeccion.png (screenshot_taller.py)
                laptop.goto(f"/taller/{code}/docente/proyeccion")
                shot(laptop, own("taller-proyeccion.png"), full_page=True)
            browser.close()
    finally:
        server.stop()


if __name__ == "__main__":
    for chosen in sys.argv[1:] or list(WORDS):
        main(chosen)
