"""Drawing a sheet as PDF with reportlab. Its built-in CID font STSong-Light needs no font file
(the reader's own Song face is used), so Chinese prints with nothing but `pip install`.

Two paper sizes, a setting of the terminal (TELLER_PAPER, README "Papers"):
- a4: 210 × 297 mm, the branch's laser printer;
- voucher: 241 × 140 mm, the half-height continuous voucher of a passbook or dot-matrix printer
  (9.5 in wide, 5.5 in high): what counter receipts are printed on.
"""

from __future__ import annotations

from io import BytesIO

from teller.printing.sheet import Sheet

A4, VOUCHER = "a4", "voucher"
SIZES = (A4, VOUCHER)
FONT = "STSong-Light"


def page_size(size: str) -> tuple[float, float]:
    from reportlab.lib.pagesizes import A4 as A4_SIZE
    from reportlab.lib.units import mm

    if size == A4:
        return A4_SIZE
    if size == VOUCHER:
        return (241 * mm, 140 * mm)
    raise ValueError(size)


def _font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT


def render(sheet: Sheet, size: str = A4) -> bytes:
    """The sheet as a PDF document (one page, more if its tables are long)."""
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
    from xml.sax.saxutils import escape

    font = _font()
    small = size == VOUCHER
    base = 8.5 if small else 10
    margin = (8 if small else 18) * mm
    width, height = page_size(size)
    body = ParagraphStyle("body", fontName=font, fontSize=base, leading=base * 1.35, wordWrap="CJK")
    head = ParagraphStyle("head", parent=body, fontSize=base * 1.6, leading=base * 2, alignment=1)
    sub = ParagraphStyle("sub", parent=body, fontSize=base * 0.9, alignment=1)
    bold = ParagraphStyle("bold", parent=body, fontSize=base * 1.05)

    def p(text: str, style: ParagraphStyle = body) -> Paragraph:
        return Paragraph(escape(text).replace("\n", "<br/>"), style)

    usable = width - 2 * margin
    story: list = [p(sheet.branch, sub), p(sheet.title + (f"  【{sheet.mark}】" if sheet.mark else ""), head),
                   Spacer(1, 1.5 * mm)]
    grid = TableStyle([("FONTNAME", (0, 0), (-1, -1), font), ("FONTSIZE", (0, 0), (-1, -1), base),
                       ("VALIGN", (0, 0), (-1, -1), "TOP"), ("TOPPADDING", (0, 0), (-1, -1), 1),
                       ("BOTTOMPADDING", (0, 0), (-1, -1), 1)])
    pairs = list(sheet.fields)
    rows = []
    for i in range(0, len(pairs), 2):
        row = []
        for label, value in pairs[i:i + 2]:
            row += [p(label + "：", bold), p(value)]
        rows.append(row + [""] * (4 - len(row)))
    if rows:
        story.append(Table(rows, colWidths=[usable * 0.16, usable * 0.34] * 2, style=grid, hAlign="LEFT"))
    for t in sheet.tables:
        story += [Spacer(1, 2 * mm), p(t.heading, bold)]
        if not t.rows:
            story.append(p("—"))
            continue
        lined = TableStyle(grid.getCommands() + [
            ("GRID", (0, 0), (-1, -1), 0.4, colors.black), ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke)])
        cells = [[p(c, bold) for c in t.columns]] + [[p(v) for v in r] for r in t.rows]
        story.append(Table(cells, colWidths=[usable / len(t.columns)] * len(t.columns), style=lined,
                           hAlign="LEFT", repeatRows=1))
    for note in sheet.notes:
        story += [Spacer(1, 1.5 * mm), p(note)]
    if sheet.signatures:
        story.append(Spacer(1, (5 if small else 10) * mm))
        cols = min(len(sheet.signatures), 3)
        sigs = [[p(s + "：" + "_" * (14 if cols == 3 else 20)) for s in sheet.signatures[i:i + cols]]
                for i in range(0, len(sheet.signatures), cols)]
        sigs = [r + [""] * (cols - len(r)) for r in sigs]
        story.append(Table(sigs, colWidths=[usable / cols] * cols, style=grid, hAlign="LEFT"))

    def decorate(canvas, _doc) -> None:  # noqa: ANN001 - reportlab's callback
        canvas.saveState()
        canvas.setFont(font, base * 0.8)
        if sheet.footer:
            canvas.drawString(margin, margin * 0.5, sheet.footer)
        canvas.drawRightString(width - margin, margin * 0.5, str(canvas.getPageNumber()))
        if sheet.mark:  # a reprint says so on every page, where a clerk's eye falls first
            canvas.setFont(font, base * 1.4)
            canvas.drawRightString(width - margin, height - margin * 0.7, sheet.mark)
        canvas.restoreState()

    out = BytesIO()
    doc = SimpleDocTemplate(out, pagesize=(width, height), leftMargin=margin, rightMargin=margin,
                            topMargin=margin, bottomMargin=margin, title=sheet.title,
                            author=sheet.branch, subject=sheet.stem, creator="teller")
    doc.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return out.getvalue()
