"""The table of attachments used by the Attachments tab and under each comment and note.

File names are untrusted service text: they are shown verbatim as plain cell text (control and
bidi characters made visible), never used as paths here. Rows are ``(where, Attachment)`` pairs as
``CaseDetail.all_attachments()`` returns them; activating a row emits the ``Attachment``.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from caseviewer.core.models import Attachment
from caseviewer.ui import formatting as fmt
from caseviewer.ui import theme
from caseviewer.ui.detail.table import Cell, Column, DataTable, time_cell, user_cell

Row = tuple[str, Attachment]


def attachment_flags(att: Attachment) -> str:
    flags = [name for name, on in (("PHI", att.is_phi), ("Restricted", att.is_restricted), ("Deleted", att.is_deleted)) if on]
    return " · ".join(flags) if flags else fmt.MISSING


def attachment_format(att: Attachment) -> Cell:
    """Inline base64 (with its approximate decoded size) or a link; the size is estimated from the
    base64 length, so nothing is decoded on the GUI thread."""
    if att.content:
        size = att.encoded_size or 0
        return Cell(f"Inline · {fmt.human_size(size)}", sort=size)
    if att.url:
        return Cell("Link", tooltip=fmt.plain_tooltip(att.url), sort=-1)
    return Cell("Not included", tooltip=fmt.plain_tooltip("The service sent no content or link for this file."), sort=-2)


def _name_cell(row: Row) -> Cell:
    att = row[1]
    shown = fmt.clean(att.file_name) if att.file_name else "(no file name)"
    tip = "\n".join(p for p in (f"File name: {att.file_name}" if att.file_name else "", f"ID: {att.id}" if att.id else "") if p)
    return Cell(shown, tooltip=fmt.plain_tooltip(tip), color=theme.color("muted") if att.is_deleted else None)


def attachment_columns(*, with_where: bool, fold_minor: bool = False) -> list[Column]:
    """``fold_minor``: who uploaded a file and its format go to the selected row's details."""
    columns = [Column("File name", _name_cell, max_width=300)]
    if with_where:
        columns.append(Column("Attached to", lambda r: r[0]))
    columns += [
        Column("Uploaded by", lambda r: user_cell(r[1].uploaded_by), max_width=180, fold=fold_minor),
        Column("Created", lambda r: time_cell(r[1].created_at)),
        Column("Flags", lambda r: attachment_flags(r[1])),
        Column("Format", lambda r: attachment_format(r[1]), fold=fold_minor),
    ]
    return columns


class AttachmentTable(DataTable):
    """Attachments as a table; ``attachment_activated(Attachment)`` on double-click or Enter."""

    attachment_activated = Signal(object)

    def __init__(self, rows: Sequence[Row], *, with_where: bool = True, fit_rows: int | None = None,
                 fit_width: bool = False, fold_minor: bool = False, name: str = "Attachments",
                 parent: QWidget | None = None) -> None:
        # ``fit_width``: the columns shrink to the table's width, names elided and whole in their
        # tooltips, instead of the table scrolling sideways; with ``fold_minor`` the uploader and
        # the format are in the selected row's details (the Attachments section) instead.
        super().__init__(attachment_columns(with_where=with_where, fold_minor=fold_minor), rows, fit_rows=fit_rows,
                         fold=fit_width or fold_minor, name=name, parent=parent)
        self.setToolTip("Double-click or press Enter to open a file")
        self.object_activated.connect(lambda row: self.attachment_activated.emit(row[1]))
