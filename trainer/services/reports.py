"""Exports: a team as CSV, one trainee's progress report as PDF (Unicode, en and ru)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from fpdf import FPDF

from trainer.errors import CallcoachError, Err

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
BOLD_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")


BOM = "\ufeff"  # Excel reads a CSV as UTF-8 (Cyrillic names intact) only after this mark


def rows_to_csv(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """CSV text with a UTF-8 byte-order mark and a header line; numbers as written."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


@dataclass(frozen=True)
class ReportLine:
    """One readiness criterion in the report: what, the numbers, met or not."""

    label: str
    detail: str
    met: bool


@dataclass(frozen=True)
class TraineeReport:
    """What a lead hands on about one trainee; headings and lines in the reader's language."""

    trainee: str  # the trainee's name
    team: str
    level: str
    next_level: str | None
    criteria: Sequence[ReportLine]
    attempts: Sequence[tuple[datetime, str, float | None]]  # when, scenario, overall
    generated_at: datetime
    attempts_title: str = "Attempts"  # in the reader's language
    trend: Sequence[float] = ()  # overall per scored call, oldest first (corrected where so)
    pass_mark: float = 70.0  # the rubric's, drawn on the trend chart
    stages: Sequence[tuple[str, float]] = ()  # stage title, mean % of its maximum
    corrections: Sequence[str] = ()  # one line per correction, newest first
    titles: dict[str, str] = field(default_factory=dict)  # trend, stages, corrections headings
    scores: Sequence[str] = ()  # per attempt, what its score says ("66 — failed: …")


CHART_HEIGHT_MM = 40.0


def trainee_pdf(report: TraineeReport) -> bytes:
    """A one-to-two page PDF a team lead can file or send."""
    pdf = _document()
    pdf.set_font("DejaVu", "B", 16)
    pdf.cell(0, 10, f"callcoach · {report.trainee}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", size=10)
    when = report.generated_at.strftime("%Y-%m-%d %H:%M")
    pdf.cell(0, 6, f"{report.team} · {when}", new_x="LMARGIN", new_y="NEXT")
    target = f" → {report.next_level}" if report.next_level else ""
    _heading(pdf, f"{report.level}{target}")
    for line in report.criteria:
        mark = "✔" if line.met else "✘"
        pdf.multi_cell(0, 6, f"{mark} {line.label}: {line.detail}", new_x="LMARGIN", new_y="NEXT")
    if len(report.trend) >= 2:
        _heading(pdf, report.titles.get("trend", "Scores"))
        _trend_chart(pdf, report.trend, report.pass_mark)
    if report.stages:
        _heading(pdf, report.titles.get("stages", "Stages"))
        for title, percent in report.stages:
            pdf.cell(0, 6, f"{title}: {percent:.0f} %", new_x="LMARGIN", new_y="NEXT")
    _heading(pdf, report.attempts_title)
    shown = report.scores or [
        f"{overall:.0f}" if overall is not None else "—" for _, _, overall in report.attempts
    ]
    for (when_done, scenario, _), score in zip(report.attempts, shown, strict=True):
        row = f"{when_done:%Y-%m-%d}  {score:>4}  {scenario}"
        pdf.multi_cell(0, 6, row, new_x="LMARGIN", new_y="NEXT")
    if report.corrections:
        _heading(pdf, report.titles.get("corrections", "Corrections"))
        for correction in report.corrections:
            pdf.multi_cell(0, 6, correction, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _trend_chart(pdf: FPDF, scores: Sequence[float], pass_mark: float) -> None:
    """Overall per call as a line on a 0..100 scale, the pass mark dashed (drawn, no image)."""
    left, top = pdf.l_margin, pdf.get_y() + 2
    width = pdf.w - pdf.l_margin - pdf.r_margin

    def y(score: float) -> float:
        return top + CHART_HEIGHT_MM * (1 - max(0.0, min(score, 100.0)) / 100)

    pdf.set_draw_color(180, 180, 180)
    pdf.rect(left, top, width, CHART_HEIGHT_MM)
    pdf.set_dash_pattern(dash=1.5, gap=1.5)
    pdf.line(left, y(pass_mark), left + width, y(pass_mark))
    pdf.set_dash_pattern()
    pdf.set_draw_color(30, 90, 200)
    step = width / (len(scores) - 1)
    for index in range(1, len(scores)):
        pdf.line(
            left + step * (index - 1), y(scores[index - 1]), left + step * index, y(scores[index])
        )
    pdf.set_draw_color(0, 0, 0)
    pdf.set_y(top + CHART_HEIGHT_MM + 2)


def _document() -> FPDF:
    for font in (FONT, BOLD_FONT):
        if not font.exists():
            raise CallcoachError(Err.FONT_MISSING, path=font)
    pdf = FPDF(format="A4")
    pdf.add_font("DejaVu", "", str(FONT))
    pdf.add_font("DejaVu", "B", str(BOLD_FONT))
    pdf.set_title("callcoach progress report")
    pdf.add_page()
    return pdf


def _heading(pdf: FPDF, text: str) -> None:
    pdf.ln(4)
    pdf.set_font("DejaVu", "B", 12)
    pdf.cell(0, 8, text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", size=10)
