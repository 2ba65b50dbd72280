"""The nine pictures of a picture code, drawn as small SVGs (no fonts, no emoji, nothing from outside).

A child's picture code is three of them in order. Each has a word for screen readers and for the card."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

# (name, label, SVG body on a 48 × 48 canvas). Shapes and colours differ enough to tell apart in print
# and on a small screen; fills are presentation attributes because the CSP forbids inline style.
PICTURES: list[tuple[str, object, str]] = [
    ("sun", _l("Sun"),
     '<g stroke="#c77700" stroke-width="3" stroke-linecap="round"><path d="M24 3v7M24 38v7M3 24h7M38 24h7'
     'M9 9l5 5M34 34l5 5M39 9l-5 5M14 34l-5 5"/></g><circle cx="24" cy="24" r="10" fill="#ffb400"'
     ' stroke="#c77700" stroke-width="2"/>'),
    ("moon", _l("Moon"),
     '<path d="M30 5a19 19 0 1 0 13 30A15 15 0 0 1 30 5z" fill="#f3d36b" stroke="#8a6d00" stroke-width="2"/>'),
    ("star", _l("Star"),
     '<path d="M24 4l6 13 14 2-10 10 3 14-13-7-13 7 3-14L4 19l14-2z" fill="#e8443a" stroke="#8c1c15"'
     ' stroke-width="2" stroke-linejoin="round"/>'),
    ("tree", _l("Tree"),
     '<rect x="20" y="28" width="8" height="16" fill="#7a4a1e"/><circle cx="24" cy="19" r="15" fill="#2f9e44"'
     ' stroke="#1b5e29" stroke-width="2"/>'),
    ("flower", _l("Flower"),
     '<path d="M24 30v15" stroke="#2f9e44" stroke-width="3"/><g fill="#e64980" stroke="#9c1d55"'
     ' stroke-width="1.5"><circle cx="24" cy="9" r="7"/><circle cx="35" cy="18" r="7"/><circle cx="31" cy="30"'
     ' r="7"/><circle cx="17" cy="30" r="7"/><circle cx="13" cy="18" r="7"/></g><circle cx="24" cy="21" r="6"'
     ' fill="#ffd43b" stroke="#9c6f00" stroke-width="1.5"/>'),
    ("fish", _l("Fish"),
     '<path d="M34 24l11-10v20z" fill="#1c7ed6" stroke="#0b4a85" stroke-width="2" stroke-linejoin="round"/>'
     '<ellipse cx="21" cy="24" rx="17" ry="11" fill="#339af0" stroke="#0b4a85" stroke-width="2"/>'
     '<circle cx="12" cy="21" r="2.5" fill="#0b2540"/>'),
    ("house", _l("House"),
     '<path d="M4 24L24 6l20 18" fill="none" stroke="#8c1c15" stroke-width="3" stroke-linejoin="round"/>'
     '<rect x="10" y="22" width="28" height="22" fill="#f08c00" stroke="#8a4b00" stroke-width="2"/>'
     '<rect x="20" y="31" width="8" height="13" fill="#5c3a12"/>'),
    ("car", _l("Car"),
     '<path d="M6 30l5-11h24l6 11z" fill="#7048e8" stroke="#3b1f99" stroke-width="2" stroke-linejoin="round"/>'
     '<rect x="3" y="28" width="42" height="10" rx="3" fill="#7048e8" stroke="#3b1f99" stroke-width="2"/>'
     '<circle cx="13" cy="39" r="5" fill="#212529"/><circle cx="35" cy="39" r="5" fill="#212529"/>'),
    ("apple", _l("Apple"),
     '<path d="M24 14c-4-3-16-4-17 9-1 11 8 22 17 18 9 4 18-7 17-18-1-13-13-12-17-9z" fill="#c92a2a"'
     ' stroke="#6b1111" stroke-width="2"/><path d="M24 14c0-5 2-8 5-10" stroke="#5c3a12" stroke-width="3"'
     ' fill="none"/><path d="M27 9c4-4 9-3 10-1-3 3-7 3-10 1z" fill="#2f9e44"/>'),
]
COUNT = len(PICTURES)


def label(index: int) -> str:
    return str(PICTURES[index][1])


def svg(index: int, *, size: int = 48, labelled: bool = False) -> Markup:
    """The picture as inline SVG. ``labelled``: it carries its own name for screen readers (no text beside it)."""
    name, word, body = PICTURES[index]
    role = f'role="img" aria-label="{escape(str(word))}"' if labelled else 'aria-hidden="true" focusable="false"'
    return Markup(f'<svg class="picture picture-{name}" viewBox="0 0 48 48" width="{size}" height="{size}" '
                  f'{role}>{body}</svg>')
