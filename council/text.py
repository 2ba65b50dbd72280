"""Text as people type it, minus what only hides or reorders it.

Everything a browser or a system sends (form fields, query strings, JSON) passes through ``clean`` on its way in
(council/requests.py), so no page, list or export ever shows a right-to-left override that turns “gpj.exe” into
“exe.jpg”, a zero-width space that makes two equal nicknames differ, or a control character that breaks a CSV
file. Emoji stay whole: the zero-width joiner inside 👨‍👩‍👧 and the variation selector after ❤️ are kept."""

from __future__ import annotations

import re
import unicodedata

# Bidirectional embeddings, overrides and isolates; invisible marks and spaces; the BOM; C0 controls except tab,
# line feed and carriage return; DEL and the C1 controls; interlinear annotations and the object replacement.
_REMOVE = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c"
                     "\u200b\u200c\u2060-\u2064\ufeff\u00ad\u180e"
                     "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufff9-\ufffc]")
_JOINER = "\u200d"


def _pictographic(char: str) -> bool:
    """An emoji-like symbol a joiner may bind (So: other symbols, Sk: skin-tone modifiers)."""
    return unicodedata.category(char) in ("So", "Sk") or char == "\ufe0f"


def _joiners(text: str) -> str:
    """A zero-width joiner stays only between two emoji, where it builds one picture."""
    if _JOINER not in text:
        return text
    kept = []
    for i, char in enumerate(text):
        if char == _JOINER and not (0 < i < len(text) - 1 and _pictographic(text[i - 1])
                                    and _pictographic(text[i + 1])):
            continue
        kept.append(char)
    return "".join(kept)


def clean(text: str) -> str:
    """``text`` without the invisible characters that hide, reorder or break it."""
    return _joiners(_REMOVE.sub("", text))


def clean_json(value):
    """Every string of a decoded JSON document, keys included, cleaned."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, list):
        return [clean_json(item) for item in value]
    if isinstance(value, dict):
        return {clean_json(key): clean_json(item) for key, item in value.items()}
    return value


def decode_file(data: bytes) -> str:
    """The text of an uploaded file as Chinese offices save it: UTF-8 with or without a byte-order mark, or GB18030
    (Excel's and Notepad's default on Chinese Windows). Raises ``UnicodeDecodeError`` when it is neither; the caller
    says so in its own words."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030")
