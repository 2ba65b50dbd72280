"""What each chart says in one sentence, for screen readers and for anyone who would rather read than look.

The charts themselves are SVG drawn on the server by the macros in templates/stats/_charts.html: no chart
library and no script, so they print, work without JavaScript and pass the content security policy."""

from __future__ import annotations

from flask_babel import gettext as _


def summary(rows) -> str:
    total = sum(row.value for row in rows)
    if not total:
        return _("Nothing to count yet.")
    top = max(rows, key=lambda row: row.value)
    return _("%(total)s in all; the most in %(label)s: %(n)s (%(share)s%%).", total=total, label=top.label,
             n=top.value, share=round(100 * top.value / total))


def bars(rows, width: int = 600, row_height: int = 40) -> dict:
    """Geometry of a horizontal bar chart: each row's bar length in viewBox units, and the box height."""
    peak = max((row.value for row in rows), default=0) or 1
    usable = width - 80  # room for the value written after the bar
    return {
        "height": row_height * len(rows) + 8,
        "bars": [(row, round(usable * row.value / peak), index * row_height) for index, row in enumerate(rows)],
    }


def columns(rows, height: int = 200, width: int = 600) -> dict:
    """Geometry of a column chart (one column per row, e.g. per month)."""
    peak = max((row.value for row in rows), default=0) or 1
    step = width / max(len(rows), 1)
    usable = height - 40
    return {
        "height": height,
        "step": step,
        "columns": [(row, round(index * step + step * 0.15, 1), round(step * 0.7, 1), round(usable * row.value / peak))
                    for index, row in enumerate(rows)],
        "base": height - 20,
    }
