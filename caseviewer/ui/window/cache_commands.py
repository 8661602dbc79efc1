"""The offline cache's commands: Make available offline (sync), clear, purge, size, Find in cached.

Each chore runs on a worker (``core/cache_service.py``, given the repository); the
answers update the cache size the status bar and the action tips show.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QInputDialog, QMessageBox

from caseviewer.core import cache_service
from caseviewer.ui.window.cache_actions import format_bytes
from caseviewer.ui.dialogs.open_case_dialog import BY_ID, CaseLookup
from caseviewer.ui.window.index_builder import IndexBuilder
from caseviewer.ui.workers import cancellable

if TYPE_CHECKING:  # imported when first used: the sync (and SQLCipher) is only needed with a cache
    from caseviewer.ui.window.main_window import MainWindow
    from caseviewer.ui.dialogs.sync_dialog import SyncDialog

CACHE_CHANNEL = "cache"


class CacheCommands(QObject):
    """Sync dialog, clear, purge, cache size and Find in cached cases for the window."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.sync_dialog: SyncDialog | None = None
        self.size: int | None = None  # bytes on disk, once read
        self._channel = window.runner.channel(CACHE_CHANNEL, self)
        self._purge_channel = window.runner.channel(CACHE_CHANNEL + "-purge", self)
        # The reviewer's retention setting (File > Purge old cached cases…), applied at every start.
        QTimer.singleShot(0, lambda: self.purge_cached(window.settings.purge_days()))
        # The search index catching up behind a sync; a sync stopped before its index was written
        # left a backlog, written at start.
        self.index_builder: IndexBuilder | None = None
        QTimer.singleShot(0, self.build_search_index)

    def build_search_index(self) -> None:
        """Write what the search index still lacks, on a worker, with its progress in the status bar."""
        if self.window.closed:
            return
        if self.index_builder is None:  # the status bar is built after this controller
            self.index_builder = IndexBuilder(self.repository, self.window.runner, self.window.status_bar.index_label, self)
        self.index_builder.start()

    @property
    def repository(self):  # noqa: ANN201 - CaseRepository
        return self.window.repository

    @property
    def syncing(self) -> bool:
        return self.sync_dialog is not None and self.sync_dialog.running

    def update_cache_size(self) -> None:
        """Read the cache's size on a worker; shown in the status bar and the sync dialog."""
        if not self.repository.has_cache or self.window.closed:
            self.window.update_action_states()
            return
        repository = self.repository
        self._channel.submit(cancellable(cache_service.cache_size, repository), on_result=self._cache_size_known)

    def _cache_size_known(self, size: int | None) -> None:
        self.size = size
        if self.sync_dialog is not None:
            self.sync_dialog.set_cache_size(size)
        self.window.update_action_states()

    # -- sync -------------------------------------------------------------------------------

    def show_sync_dialog(self) -> SyncDialog | None:
        sync_action = self.window.sync_action
        if not sync_action.isEnabled():
            self.window.show_message(sync_action.toolTip())
            return None
        if self.sync_dialog is not None:
            self.sync_dialog.raise_()
            self.sync_dialog.activateWindow()
            return self.sync_dialog
        from caseviewer.ui.dialogs.sync_dialog import SyncDialog

        dialog = SyncDialog(self.repository, self.window.runner, self.window)
        dialog.started_sync.connect(self.window.update_action_states)
        dialog.cache_changed.connect(self.update_cache_size)  # the size grows while it runs
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.set_cache_size(self.size)
        dialog.finished_sync.connect(self._sync_finished)
        dialog.finished.connect(lambda _code: self._sync_dialog_closed(dialog))
        self.sync_dialog = dialog
        dialog.open()
        self.window.update_action_states()
        return dialog

    def _sync_dialog_closed(self, dialog: SyncDialog) -> None:
        if self.sync_dialog is dialog:
            self.sync_dialog = None
        self.window.update_action_states()

    def _sync_finished(self, _report: object) -> None:
        self.window.offline.update_offline_state()
        self.update_cache_size()
        self.window.triage.reload()  # the sync told the change tracker of newer copies (core.sync)
        self.build_search_index()  # the synced cases join Find in cached cases behind it

    # -- clear ------------------------------------------------------------------------------

    def confirm_clear_cache(self) -> QMessageBox | None:
        clear_action = self.window.clear_cache_action
        if not clear_action.isEnabled():
            self.window.show_message(clear_action.toolTip())
            return None
        size = "" if self.size is None else f" ({format_bytes(self.size)})"
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Clear offline cache",
            f"Remove every case kept in the offline cache{size}?\n\n"
            "Cases can then be read only while the case service can be reached, until they are "
            "opened or made available offline again.",
            QMessageBox.StandardButton.Cancel,
            self.window,
        )
        box.setObjectName("clearCacheConfirm")
        clear = box.addButton("Clear cache", QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.buttonClicked.connect(lambda button: self.clear_offline_cache() if button is clear else None)
        box.open()
        return box

    def clear_offline_cache(self) -> None:
        """Empty the cache on a worker (no confirmation: see ``confirm_clear_cache``)."""
        if not self.repository.has_cache or self.window.closed:
            return
        repository = self.repository
        self._channel.submit(
            cancellable(cache_service.clear_cache, repository),
            on_result=self._cache_cleared,
            on_error=lambda failure: self.window.show_message(f"Couldn't clear the offline cache: {failure.message}"),
        )

    def _cache_cleared(self, size: int | None) -> None:
        self._cache_size_known(size)
        self.window.show_message("The offline cache is empty.", 4000)
        if self.repository.is_offline:
            self.window.reload_everything()

    # -- find, purge ------------------------------------------------------------------------

    def show_text_search(self):  # noqa: ANN201 - TextSearchDialog | None
        """Find in cached cases (FTS over the offline cache); choosing a hit opens it in the pane."""
        if not self.repository.has_cache:
            self.window.show_message(self.window.cache_unavailable_reason)
            return None
        from caseviewer.ui.dialogs.text_search_dialog import TextSearchDialog

        dialog = TextSearchDialog(self.window.runner, self.repository, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.case_chosen.connect(lambda case_id: self.window.selection.open_case(CaseLookup(BY_ID, case_id)))
        dialog.show()
        return dialog

    def ask_purge_days(self) -> None:
        """Ask for N days (remembered), then purge cached cases older than that on a worker."""
        if not self.repository.has_cache:
            self.window.show_message(self.window.cache_unavailable_reason)
            return
        settings = self.window.settings
        days, accepted = QInputDialog.getInt(
            self.window,
            "Purge old cached cases",
            "Remove cached cases not refreshed for this many days\n(also done at every start; 0 = never):",
            settings.purge_days(),
            0,
            3650,
        )
        if accepted:
            settings.save_purge_days(days)
            self.purge_cached(days)

    def purge_cached(self, days: int) -> None:
        if days <= 0 or not self.repository.has_cache or self.window.closed:
            return
        repository = self.repository
        self._purge_channel.submit(
            cancellable(cache_service.purge_cache, repository, days),
            on_result=self._cache_purged,
            on_error=lambda failure: self.window.show_message(failure.message),
        )

    def _cache_purged(self, outcome: tuple[int, int | None]) -> None:
        removed, size = outcome
        self._cache_size_known(size)
        self.window.show_message(f"Purged {removed:,} old cached case{'s' if removed != 1 else ''}.", 4000)


__all__ = ["CACHE_CHANNEL", "CacheCommands"]
