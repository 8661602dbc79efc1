"""``AttachmentPreview``: the right-hand side of the Attachments tab.

``show_attachment(attachment, case_id=...)`` fetches and decodes on a worker (``loader.py``),
showing a progress bar with Cancel while a link downloads, then picks the viewer: image, PDF,
text (plain, CSV, JSON) or the info view for everything else and for every failure. Selecting
another attachment supersedes the running request (its answer is dropped: the runner's channel),
so quick arrow-key movement never flashes an earlier file.

Nothing is written to disk: bytes live in memory for as long as the attachment is shown (kept so
Save and Open-with do not download it again: ``current_data()``). Saving and opening are not done
here: the header and info view emit ``save_requested`` / ``open_external_requested`` for
``AttachmentActions`` (``attachment_actions.py``) to carry out.
"""

from __future__ import annotations

from enum import StrEnum
from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from caseviewer.core import errors
from caseviewer.core.decode import Kind, TextPreview
from caseviewer.core.models import Attachment
from caseviewer.ui import formatting as fmt
from caseviewer.ui.word_label import WordLabel
from caseviewer.ui.elided_label import ElidedLabel
from caseviewer.ui.preview import loader
from caseviewer.ui.preview.common import tool_button
from caseviewer.ui.preview.info_view import InfoView
from caseviewer.ui.workers import TaskFailure, TaskRunner, next_request_id


class PreviewState(StrEnum):
    """What the preview shows. A ``StrEnum``: ``state_changed`` carries the value as a plain str."""

    EMPTY = "empty"
    LOADING = "loading"
    IMAGE = "image"
    PDF = "pdf"
    TEXT = "text"
    INFO = "info"
    ERROR = "error"


EMPTY, LOADING, IMAGE, PDF, TEXT, INFO, ERROR = PreviewState

#: The states a viewer of the file's own content shows (privacy mode hides these).
CONTENT_STATES = frozenset({IMAGE, PDF, TEXT})

#: Failures worth a "Try again": the network, the service, an expired link, a cancel.
_RETRYABLE = (errors.NetworkError, errors.ServerError, errors.RateLimited, errors.LinkExpired,
              errors.Cancelled, errors.OfflineError)

_STYLE = """
#previewHeader { border-bottom: 1px solid palette(mid); }
#previewHeaderName { font-weight: 600; }
#previewMuted { color: palette(placeholder-text); }
#previewToolbar { border-bottom: 1px solid palette(midlight); }
#previewBanner { background: palette(alternate-base); border-bottom: 1px solid palette(midlight); }
#previewNote { color: palette(placeholder-text); padding-right: 8px; }
"""


def _uploader(attachment: Attachment) -> str:
    return fmt.user_name(attachment.uploaded_by) if attachment.uploaded_by is not None else fmt.MISSING


class AttachmentPreview(QWidget):
    """Previews one attachment at a time.

    Embed: ``preview = AttachmentPreview(runner)``, ``preview.set_repository(repository)``, then
    ``preview.show_attachment(attachment, case_id=detail.id)`` on ``attachment_activated``.
    """

    #: The state shown, a ``PreviewState`` value: "empty", "loading", "image", "pdf", "text", "info" or "error".
    state_changed = Signal(str)
    #: A preview finished (successfully or with a message); carries the final state.
    preview_ready = Signal(str)
    save_requested = Signal(object)  # Attachment
    open_external_requested = Signal(object)  # Attachment

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._channel = runner.channel("attachment-preview", self)
        self._repository = None
        self._attachment: Attachment | None = None
        self._case_id: str | None = None
        self._data: bytes | None = None
        self._type_label = ""
        self._request_id: int | None = None
        self._state = EMPTY
        self._message = ""
        self.setStyleSheet(_STYLE)

        self.info_view = InfoView()
        self.info_view.save_clicked.connect(self._request_save)
        self.info_view.open_clicked.connect(self._request_open)
        self.info_view.retry_clicked.connect(self.retry)

        self._stack = QStackedWidget()
        # The image, PDF and text viewers are built the first time a file needs one: most cases
        # are read without a preview, and the PDF viewer alone (QtPdf and PDFium) costs ~5 MB
        # resident and its import at start.
        self._pages: dict[PreviewState, QWidget] = {
            EMPTY: self._build_empty_page(),
            LOADING: self._build_loading_page(),
            INFO: self.info_view,
        }
        for page in self._pages.values():
            self._stack.addWidget(page)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self._build_header())
        layout.addWidget(self._stack, 1)
        self._show_page(EMPTY)

    # -- building ----------------------------------------------------------------------------

    def _build_header(self) -> QFrame:
        self._header = QFrame()
        self._header.setObjectName("previewHeader")
        # Beside the two buttons in a narrow pane, the name shortens (whole in its tooltip) and
        # the type, size, uploader and date wrap, rather than being cut off under the buttons.
        self._name = ElidedLabel()
        self._name.setObjectName("previewHeaderName")
        self._meta = WordLabel()
        self._meta.setObjectName("previewMuted")
        self._meta.setTextFormat(Qt.TextFormat.PlainText)
        self._meta.setWordWrap(True)
        texts = QVBoxLayout()
        texts.setSpacing(0)
        texts.addWidget(self._name)
        texts.addWidget(self._meta)
        self._save_button = tool_button("save", "Save a copy", self._request_save, ("Ctrl+S",), text="Save…")
        self._open_button = tool_button("open-external", "Open with the system app", self._request_open,
                                        text="Open…")
        row = QHBoxLayout(self._header)
        row.setContentsMargins(10, 6, 6, 6)
        row.addLayout(texts, 1)
        row.addWidget(self._save_button)
        row.addWidget(self._open_button)
        self._header.hide()
        return self._header

    def _build_empty_page(self) -> QWidget:
        label = QLabel("Select an attachment to preview it here.")
        label.setObjectName("previewMuted")
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setWordWrap(True)
        return label

    def _build_loading_page(self) -> QWidget:
        page = QWidget()
        self._loading_label = QLabel()
        self._loading_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._loading_label.setTextFormat(Qt.TextFormat.PlainText)
        self._loading_label.setWordWrap(True)
        self._progress = QProgressBar()
        self._progress.setTextVisible(False)
        self._progress.setFixedWidth(260)
        self._progress_text = QLabel()
        self._progress_text.setTextFormat(Qt.TextFormat.PlainText)
        self._progress_text.setObjectName("previewMuted")
        self._progress_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._cancel_button = QPushButton("Cancel")
        self._cancel_button.clicked.connect(self.cancel)
        layout = QVBoxLayout(page)
        layout.addStretch(2)
        layout.addWidget(self._loading_label)
        layout.addWidget(self._progress, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self._progress_text)
        layout.addWidget(self._cancel_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(3)
        return page

    # -- the viewers, built on first use ----------------------------------------------------

    @property
    def image_viewer(self):  # noqa: ANN201 - ImageViewer, imported on first use
        return self._viewer(IMAGE)

    @property
    def pdf_viewer(self):  # noqa: ANN201 - PdfViewer, imported on first use
        return self._viewer(PDF)

    @property
    def text_viewer(self):  # noqa: ANN201 - TextViewer, imported on first use
        return self._viewer(TEXT)

    def has_viewer(self, state: PreviewState) -> bool:
        """Whether the viewer for ``state`` has been built yet."""
        return state in self._pages

    def _viewer(self, state: PreviewState) -> QWidget:
        page = self._pages.get(state)
        if page is None:
            page = self._pages[state] = _build_viewer(state)
            self._stack.addWidget(page)
        return page

    # -- public API --------------------------------------------------------------------------

    def set_repository(self, repository) -> None:  # noqa: ANN001 - CaseRepository (core)
        """The repository downloads go through; changing it clears the preview."""
        self.clear()
        self._repository = repository

    def show_attachment(self, attachment: Attachment, *, case_id: str | None = None) -> None:
        """Preview ``attachment``; ``case_id`` lets an expired link be renewed."""
        self._runner.cancel(self._channel)
        self._attachment = attachment
        self._case_id = case_id
        self._data = None
        self._type_label = ""
        self._update_header()
        self._start()

    def retry(self) -> None:
        if self._attachment is not None:
            self._runner.cancel(self._channel)
            self._start()

    def cancel(self) -> None:
        """Stop the running download; the preview says it was cancelled, with Try again."""
        if self._state != LOADING:
            return
        self._runner.cancel(self._channel)
        self._request_id = None
        self._show_error(errors.Cancelled("The download was cancelled."))

    def set_masked(self, masked: bool) -> None:
        """Privacy mode: the preview's content is hidden behind a plain notice (it stays loaded)."""
        notice = getattr(self, "_masked_notice", None)
        if notice is None:
            notice = self._masked_notice = QLabel("Preview hidden: privacy mode is on.")
            notice.setObjectName("previewMuted")
            notice.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.layout().addWidget(notice, 1)
        notice.setVisible(masked)
        self._stack.setVisible(not masked)

    def clear(self) -> None:
        self._runner.cancel(self._channel)
        self._request_id = None
        self._attachment = None
        self._case_id = None
        self._data = None
        self._release_viewers()
        self._header.hide()
        self._show_page(EMPTY)

    def state(self) -> PreviewState:
        return self._state

    def message(self) -> str:
        """The message shown for "error" (and for "info", why there is no preview)."""
        return self._message

    def current_attachment(self) -> Attachment | None:
        return self._attachment

    def current_case_id(self) -> str | None:
        return self._case_id

    def current_data(self) -> bytes | None:
        """The attachment's bytes once fetched (in memory only), else None."""
        return self._data

    def progress_bar(self) -> QProgressBar:
        return self._progress

    # -- loading -----------------------------------------------------------------------------

    def _start(self) -> None:
        attachment = self._attachment
        assert attachment is not None
        self._release_viewers()
        self._message = ""
        name = fmt.clean(attachment.file_name) or "attachment"
        inline = attachment.content is not None
        self._loading_label.setText(f"Preparing {name}…" if inline else f"Downloading {name}…")
        self._progress.setRange(0, 0)
        self._progress_text.setText("")
        self._cancel_button.setVisible(not inline)
        self._show_page(LOADING)
        # The runner drops superseded answers already; the id check below also covers "cancel".
        request_id = next_request_id()
        repository, case_id = self._repository, self._case_id
        task = self._runner.submit(
            lambda context: loader.load_preview(repository, attachment, case_id=case_id, cancel=context.cancel,
                                                progress=context.progress),
            channel=self._channel,
            request_id=request_id,
            on_result=partial(self._on_result, request_id),
            on_error=partial(self._on_error, request_id),
            on_progress=partial(self._on_progress, request_id),
        )
        self._request_id = task.request_id

    def _on_progress(self, request_id: int, done: int, total: int) -> None:
        if request_id != self._request_id or self._state != LOADING:
            return
        if total > 0:
            self._progress.setRange(0, 1000)
            self._progress.setValue(int(done * 1000 / total))
            self._progress_text.setText(f"{fmt.human_size(done)} of {fmt.human_size(total)}")
        else:
            self._progress_text.setText(fmt.human_size(done))

    def _on_result(self, request_id: int, prepared: loader.Prepared) -> None:
        if request_id != self._request_id:
            return
        self._request_id = None
        self._data = prepared.data
        self._type_label = prepared.sniffed.label
        self._update_header()
        try:
            self._show_prepared(prepared)
        except errors.KnownError as exc:
            self._show_error(exc)

    def _show_prepared(self, prepared: loader.Prepared) -> None:
        if prepared.kind is Kind.IMAGE and prepared.image is not None:
            self.image_viewer.set_image(prepared.image, prepared.image_note)
            self._finish(IMAGE)
        elif prepared.kind is Kind.PDF:
            self.pdf_viewer.load(prepared.data)
            self._finish(PDF)
        elif prepared.text is not None:
            # Prose wraps; tables and JSON keep their columns and indentation.
            self.text_viewer.set_text(prepared.text, wrap=prepared.kind is Kind.TEXT)
            self._finish(TEXT)
        else:
            self._show_info("There is no preview for this type of file. Save it to open it in another app.")

    def _on_error(self, request_id: int, failure: TaskFailure) -> None:
        if request_id != self._request_id:
            return
        self._request_id = None
        if failure.is_bug:
            # The runner reports the bug itself (crash report); the reviewer gets a plain line.
            self._show_error(errors.KnownError("Something went wrong while preparing this preview."))
        else:
            self._show_error(failure.exception)

    # -- pages -------------------------------------------------------------------------------

    def _facts(self) -> list[tuple[str, str]]:
        att = self._attachment
        assert att is not None
        size = len(self._data) if self._data is not None else att.encoded_size
        unknown = "Not known until downloaded"
        facts = [("Name", fmt.clean(att.file_name) or fmt.MISSING)]
        if self._type_label or att.content is None:
            # An inline file that failed to decode has no type to tell; a link's is not known yet.
            facts.append(("Type", self._type_label or unknown))
        facts += [
            ("Size", fmt.human_size(size) if size is not None else unknown),
            ("Uploaded by", _uploader(att)),
            ("Uploaded", fmt.format_timestamp(att.created_at)),
        ]
        flags = [label for flag, label in ((att.is_phi, "PHI"), (att.is_restricted, "Restricted"),
                                           (att.is_deleted, "Deleted")) if flag]
        if flags:
            facts.append(("Marked", ", ".join(flags)))
        return facts

    def _show_info(self, message: str) -> None:
        self._message = message
        self.info_view.show_info(fmt.clean(self._attachment.file_name) or "Attachment", self._facts(),
                                 message=message)
        self._finish(INFO)

    def _show_error(self, exc: BaseException) -> None:
        message = str(exc) if isinstance(exc, errors.KnownError) else "This attachment cannot be shown."
        self._message = message
        self._release_viewers()
        if self._attachment is not None:
            self.info_view.show_info(
                "No preview", self._facts(), message=message, error=True,
                can_save=not isinstance(exc, errors.Cancelled) or self._data is not None,
                can_retry=isinstance(exc, _RETRYABLE),
            )
        self._finish(ERROR)

    def _finish(self, state: PreviewState) -> None:
        self._show_page(state)
        self.preview_ready.emit(state)

    def _show_page(self, state: PreviewState) -> None:
        self._state = state
        page = self._viewer(state) if state in CONTENT_STATES else self._pages[INFO if state is ERROR else state]
        self._stack.setCurrentWidget(page)
        self.state_changed.emit(state)

    def _release_viewers(self) -> None:
        """Drop what the viewers hold so an earlier attachment's bytes do not linger in memory
        (only those built so far: releasing must not build one)."""
        if self.has_viewer(IMAGE):
            self.image_viewer.clear()
        if self.has_viewer(PDF):
            self.pdf_viewer.clear()
        if self.has_viewer(TEXT):
            self.text_viewer.set_text(TextPreview(""))

    def _update_header(self) -> None:
        att = self._attachment
        if att is None:
            self._header.hide()
            return
        self._name.set_full_text(fmt.elide(fmt.clean(att.file_name) or "Attachment", 120))
        self._name.setToolTip(fmt.plain_tooltip(att.file_name))  # the name as sent, not shortened
        size = len(self._data) if self._data is not None else att.encoded_size
        parts = [p for p in (self._type_label, fmt.human_size(size) if size is not None else "",
                             _uploader(att), fmt.format_timestamp(att.created_at)) if p and p != fmt.MISSING]
        self._meta.setText("  ·  ".join(parts))
        self._header.show()

    def _request_save(self) -> None:
        if self._attachment is not None:
            self.save_requested.emit(self._attachment)

    def _request_open(self) -> None:
        if self._attachment is not None:
            self.open_external_requested.emit(self._attachment)


def _build_viewer(state: PreviewState) -> QWidget:
    """A new viewer for ``state``; its module (QtPdf for the PDF one) is imported here, not at start."""
    if state is IMAGE:
        from caseviewer.ui.preview.image_view import ImageViewer
        return ImageViewer()
    if state is PDF:
        from caseviewer.ui.preview.pdf_view import PdfViewer
        return PdfViewer()
    if state is TEXT:
        from caseviewer.ui.preview.text_view import TextViewer
        return TextViewer()
    raise ValueError(f"no viewer is built for {state!r}")
