"""The annual report as a PDF, with the same figures as its page.

ReportLab writes the PDF in the process, with no browser. Its Chinese font travels inside the file, so it prints
the same on any machine, a print shop's included: WenQuanYi Micro Hei (Apache 2.0, from Debian's fonts-wqy-microhei,
council/data/fonts/; Chinese and Latin), of which ReportLab embeds only the characters the report uses."""

from __future__ import annotations

import io
from pathlib import Path
from xml.sax.saxutils import escape

from flask_babel import format_date
from flask_babel import gettext as _
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from council.districts import current as current_district

FONT = "WenQuanYiMicroHei"
FONT_FILE = Path(__file__).resolve().parent.parent / "data" / "fonts" / "wqy-microhei.ttc"
GREEN = colors.HexColor("#1f7a4d")
pdfmetrics.registerFont(TTFont(FONT, str(FONT_FILE), subfontIndex=0))  # embedded as a subset of the characters used

STYLES = {
    "title": ParagraphStyle("title", fontName=FONT, fontSize=18, leading=24, spaceAfter=6 * mm, wordWrap="CJK"),
    "h2": ParagraphStyle("h2", fontName=FONT, fontSize=13, leading=18, spaceBefore=5 * mm, spaceAfter=2 * mm,
                         textColor=GREEN, wordWrap="CJK"),
    "body": ParagraphStyle("body", fontName=FONT, fontSize=10, leading=15, wordWrap="CJK"),
    "small": ParagraphStyle("small", fontName=FONT, fontSize=8, leading=11, textColor=colors.grey, wordWrap="CJK"),
}


def _p(text, style="body") -> Paragraph:
    return Paragraph(escape(str(text)), STYLES[style])


def _percent(rate) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


def _table(rows, widths=None) -> Table:
    table = Table([[_p(cell) for cell in row] for row in rows], colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.4, colors.lightgrey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef6f1")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    return table


def _bars(rows, width=170 * mm) -> Drawing:
    """A horizontal bar chart: label above each bar, value after it."""
    row_height = 11 * mm
    drawing = Drawing(width, row_height * len(rows) + 2 * mm)
    peak = max((row.value for row in rows), default=0) or 1
    usable = width - 20 * mm
    for index, row in enumerate(reversed(rows)):
        y = index * row_height + 2 * mm
        length = max(usable * row.value / peak, 1)
        drawing.add(Rect(0, y, length, 3.5 * mm, fillColor=GREEN, strokeColor=None))
        drawing.add(String(length + 2 * mm, y + 0.8 * mm, str(row.value), fontName=FONT, fontSize=9))
        drawing.add(String(0, y + 5 * mm, row.label, fontName=FONT, fontSize=9))
    return drawing


def annual_report(data: dict, *, highlights, coverage, today) -> bytes:
    scope, totals, satisfaction = data["scope"], data["totals"], data["satisfaction"]
    district = current_district()
    on_time, replied = data["answered_on_time"]
    story = [
        _p(_("%(title)s: annual report %(year)s", title=district.title, year=scope.year), "title"),
        _p(_("What children raised in %(year)s, what the councils decided and how the government units answered. "
             "Figures as of %(today)s.", year=scope.year, today=format_date(today, "medium"))),
        _p(_("The year in figures"), "h2"),
        _table([
            [_("Figure"), _("Number")],
            [_("Ideas raised"), totals.raised],
            [_("Public ideas"), totals.public],
            [_("Adopted by a council"), totals.adopted],
            [_("Adoption rate"), _percent(totals.adoption_rate)],
            [_("Sent to units"), totals.routed],
            [_("Answered"), totals.answered],
            [_("Closed"), totals.closed],
            [_("Unit answers on time"), f"{on_time} / {replied}"],
            [_("Children satisfied"), f"{_percent(satisfaction.rate)} ({_('%(n)s ratings', n=satisfaction.ratings)})"],
        ], widths=[90 * mm, 60 * mm]),
    ]
    for key, title in (("tiers", _("Ideas by council tier")), ("months", _("Ideas by month")),
                       ("areas", _("Ideas by area of the action plan"))):
        story += [_p(title, "h2"), _p(data["summaries"][key]), Spacer(1, 2 * mm), _bars(data[key])]
    story.append(_p(_("Ideas the units answered"), "h2"))
    if highlights:
        story.append(_table([[_("Idea"), _("Council"), _("Answered on")]] + [
            [idea.title, idea.current_council.display_name, format_date(idea.answered_at, "medium")]
            for idea in highlights], widths=[90 * mm, 50 * mm, 30 * mm]))
    else:
        story.append(_p(_("No idea sent this year has been answered yet.")))
    story.append(_p(_("The units"), "h2"))
    if data["units"]:
        header = [_("Rank"), _("Unit"), _("Tasks sent"), _("On-time rate"), _("Satisfaction rate")]
        rows = [[data["places"].get(f.unit.id, "—"), f.unit.display_name, f.dispatched, _percent(f.on_time_rate),
                 _percent(f.satisfaction_rate)] for f in data["units"]]
        story.append(_table([header, *rows], widths=[14 * mm, 76 * mm, 22 * mm, 28 * mm, 30 * mm]))
    else:
        story.append(_p(_("No task was sent to a unit in this year.")))
    story.append(_p(_("The action plan's tasks the ideas touched"), "h2"))
    touched = [row for row in coverage if row.ideas]
    for row in touched:
        story.append(_p(f"({row.task.no}) {row.task.display_title}: " + _(
            "%(n)s ideas, %(adopted)s adopted, %(answered)s answered", n=row.ideas, adopted=row.adopted,
            answered=row.answered)))
    if not touched:
        story.append(_p(_("No public idea sent this year is linked to a task yet.")))
    story += [Spacer(1, 6 * mm), _p(_("Children appear here only by what they wrote; no name, nickname or school is "
                                      "printed."), "small")]
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=18 * mm,
                                 bottomMargin=18 * mm, title=_("Annual report %(year)s", year=scope.year),
                                 author=district.title)
    document.build(story)
    return buffer.getvalue()
