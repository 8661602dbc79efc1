"""The dossier export as one job, for a worker thread (the window) or the CLI process.

Steps, each reported as progress (0-100) and each checking the cancel event: build the content
from the case (``core.export.dossier_content``; with ``reviewer_state``, the reviewer's flag and
private note are read from the cache here, on the job's thread), fetch and classify the attachments when asked,
render the PDF (``renderer``), then write it atomically with mode 0600 and record the export.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Required, TypedDict, Unpack

from caseviewer.core.export.dossier_content import (
    Dossier,
    ReviewerAnnotations,
    build_dossier,
    load_attachments,
    reviewer_annotations,
)
from caseviewer.core.export.writing import ExportKind, ExportRecord, os_user, record_export, write_export
from caseviewer.core.repository import CaseResult
from caseviewer.core.reviewer_state import ReviewerState
from caseviewer.ui.export.render_process import export_in_child
from caseviewer.ui.export.renderer import RenderedPdf, render_dossier_pdf
from caseviewer.ui.formatting import format_timestamp

Progress = Callable[[int, int], None]


@dataclass
class DossierResult:
    path: Path | None
    pdf: RenderedPdf
    dossier: Dossier


def _source_note(result: CaseResult) -> str:
    provenance = result.provenance
    if provenance.from_cache and provenance.fetched_at is not None:
        return f"From the offline cache (copy of {format_timestamp(provenance.fetched_at.isoformat())})."
    return ""


def _dossier(result: CaseResult, reviewer: ReviewerAnnotations | None, state: ReviewerState | None) -> Dossier:
    assert result.detail is not None
    if reviewer is None:
        reviewer = reviewer_annotations(state, result.detail.id or result.case_id)
    return build_dossier(result.detail, result.record, reviewer=reviewer, exported_by=os_user(),
                         source_note=_source_note(result))


def _scaled(progress: Progress | None, low: int, high: int) -> Progress | None:
    if progress is None:
        return None
    return lambda done, total: progress(low + (high - low) * done // max(1, total), 100)


class DossierOptions(TypedDict, total=False):
    """``build_pdf``'s keywords: ``export_dossier``'s after the destination."""

    attachments: Required[bool]
    reviewer: ReviewerAnnotations | None
    reviewer_state: ReviewerState | None
    isolate: bool
    cancel: threading.Event | None
    progress: Progress | None


def build_pdf(result: CaseResult, download: Callable[..., int] | None, **options: Unpack[DossierOptions]) -> DossierResult:
    """The rendered dossier of ``result`` (which must carry a detail), not written anywhere."""
    return export_dossier(result, None, download, **options)


def export_dossier(
    result: CaseResult,
    path: Path | str | None,
    download: Callable[..., int] | None,
    *,
    attachments: bool,
    reviewer: ReviewerAnnotations | None = None,
    reviewer_state: ReviewerState | None = None,
    isolate: bool = False,
    cancel: threading.Event | None = None,
    progress: Progress | None = None,
) -> DossierResult:
    """Build the dossier and write it to ``path`` (atomically, 0600); the export is recorded.
    With ``path`` None it is only built (``build_pdf``: printing).

    ``isolate`` builds it in a child process (``render_process``): the window uses it so that
    neither Qt's layout nor copies of large attachments stall its GUI thread.
    """
    dossier = _dossier(result, reviewer, reviewer_state)
    if isolate:
        body, appended, final, data = export_in_child(
            dossier, download, destination=path, attachments=attachments, case_id=result.detail.id,
            cancel=cancel, progress=progress,
        )
        built = DossierResult(final, RenderedPdf(data or b"", body, appended), dossier)
    else:
        if attachments and download is not None:
            load_attachments(dossier, download, case_id=result.detail.id, cancel=cancel, progress=_scaled(progress, 0, 30))
        pdf = render_dossier_pdf(dossier, cancel=cancel, progress=_scaled(progress, 30 if attachments else 0, 95))
        built = DossierResult(None, pdf, dossier)
        if path is not None:
            built.path = write_export(path, pdf.data)
    if path is None:
        return built
    record_export(ExportRecord(
        ExportKind.DOSSIER_PDF, str(built.path), (built.dossier.case_id,), built.dossier.exported_by,
        with_attachments=attachments,
    ))
    if progress is not None:
        progress(100, 100)
    return built


__all__ = ["DossierOptions", "DossierResult", "build_pdf", "export_dossier"]
