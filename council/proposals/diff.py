"""Showing a facilitator's change beside the child's words, character by character (Chinese has no spaces)."""

from __future__ import annotations

from difflib import SequenceMatcher

from markupsafe import Markup, escape


def inline_diff(original: str, edited: str) -> Markup:
    parts = []
    for op, a1, a2, b1, b2 in SequenceMatcher(None, original, edited, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(escape(original[a1:a2]))
            continue
        if a2 > a1:
            parts.append(Markup("<del>%s</del>") % original[a1:a2])
        if b2 > b1:
            parts.append(Markup("<ins>%s</ins>") % edited[b1:b2])
    return Markup("").join(parts)
