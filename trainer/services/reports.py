"""Exports: a team as CSV, one trainee's progress report as PDF (Unicode, en and ru)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
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
    trainee: str
    team: str
    level: str
    next_level: str | None
    criteria: Sequence[ReportLine]
    attempts: Sequence[tuple[datetime, str, float | None]]  # when, scenario, overall
    generated_at: datetime
    attempts_title: str = "Attempts"  # in the reader's language


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
    _heading(pdf, report.attempts_title)
    for when_done, scenario, overall in report.attempts:
        score = f"{overall:.0f}" if overall is not None else "—"
        text = f"{when_done:%Y-%m-%d}  {score:>4}  {scenario}"
        pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


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
