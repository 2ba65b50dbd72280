"""QR codes made here with segno (no outside service): SVG for the screen and the printed page, PNG of at least
PRINT_PIXELS for a print shop."""

from __future__ import annotations

import io
import math

import segno
from markupsafe import Markup

PRINT_PIXELS = 1000
BORDER = 4  # the quiet zone the standard asks for, in modules


def _code(url: str) -> segno.QRCode:
    return segno.make(url, error="m", micro=False)


def svg(url: str, title: str) -> Markup:
    """An inline SVG that scales with the page (CSS sets its size), named for screen readers."""
    code = _code(url)
    return Markup(code.svg_inline(scale=1, border=BORDER, title=title, svgclass="qr", omitsize=True))


def png(url: str, pixels: int = PRINT_PIXELS) -> bytes:
    """A PNG at least ``pixels`` wide, black on white, sharp at any print size."""
    code = _code(url)
    width = code.symbol_size(scale=1, border=BORDER)[0]
    buffer = io.BytesIO()
    code.save(buffer, kind="png", scale=math.ceil(pixels / width), border=BORDER)
    return buffer.getvalue()
