"""The address a class types (or scans) to join a workshop: the machine's
address on the local network when the server listens on every interface,
found by reading the interfaces' addresses (no packet is sent anywhere), and
its QR code as SVG."""

from __future__ import annotations

import ipaddress
import re
import socket
from pathlib import Path
from urllib.parse import urlsplit

from starlette.requests import Request

ANY_HOST = ("0.0.0.0", "::", "")


def lan_addresses() -> list[str]:
    """This machine's IPv4 addresses other than loopback, private ones first:
    from the kernel's table of local addresses, and what the host name resolves to."""
    found: list[str] = []
    try:
        text = Path("/proc/net/fib_trie").read_text(encoding="ascii", errors="replace")
    except OSError:
        text = ""
    # Each local address is printed as "|-- A.B.C.D" followed by "/32 host LOCAL".
    found += re.findall(r"\|--\s+(\d+\.\d+\.\d+\.\d+)\s*\n\s*/32 host LOCAL", text)
    try:
        found += [str(info[4][0]) for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)]
    except OSError:
        pass
    usable = []
    for text_address in dict.fromkeys(found):
        try:
            address = ipaddress.IPv4Address(text_address)
        except ValueError:
            continue
        if not (address.is_loopback or address.is_link_local or address.is_unspecified or address.is_multicast):
            usable.append(address)
    usable.sort(key=lambda a: (not a.is_private, a.packed))
    return [str(a) for a in usable]


def base_urls(host: str, port: int) -> list[str]:
    """Where others on the network open the server: its LAN addresses when it
    listens on every interface; none when it listens on one (it is then reached as asked)."""
    if host not in ANY_HOST:
        return []
    return [f"http://{address}:{port}" for address in lan_addresses()]


def is_loopback(host: str) -> bool:
    """Whether ``host`` names this machine only (127.x, ::1, localhost): no other device can open it."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def join_url(request: Request, code: str) -> str:
    """The participants' address: a LAN address when the trainer's own browser
    reached the server through loopback, the address it used otherwise."""
    shared = request.app.state.addresses
    base = f"{request.url.scheme}://{request.url.netloc}"
    if shared and is_loopback(request.url.hostname or ""):
        base = shared[0]
    return f"{base}/taller/{code}"


def room_address(request: Request, code: str) -> dict[str, object]:
    """What a trainer's page shows to join: the address (``join``), and whether it
    is loopback (``loopback``), which no phone in the room can open."""
    join = join_url(request, code)
    return {"join": join, "loopback": is_loopback(urlsplit(join).hostname or "")}


def qr_svg(text: str) -> bytes:
    """A QR code of ``text`` as a standalone SVG (black on white, a quiet zone of 2 modules)."""
    import qrcode
    from qrcode.image.svg import SvgPathFillImage

    code = qrcode.QRCode(border=2, image_factory=SvgPathFillImage, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(text)
    code.make(fit=True)
    return code.make_image().to_string(encoding="utf-8")
