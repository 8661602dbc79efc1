"""Offline state in the window: the banner, probing while unreachable, and Work offline.

The repository decides when it is offline (``core/repository.py``, ``OfflineReason``); this
controller only reads its flags on the GUI thread (never I/O here), shows the banner, probes on a
timer while the services are unreachable, and runs Work offline on a worker.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

from caseviewer.core.offline import OfflineReason
from caseviewer.ui.workers import TaskFailure

if TYPE_CHECKING:
    from caseviewer.core.query import CasePage
    from caseviewer.ui.window.main_window import MainWindow

PROBE_CHANNEL = "probe"
OFFLINE_CHANNEL = "offline"
#: While the services are unreachable, ask every this many ms whether they answer again.
DEFAULT_PROBE_INTERVAL_MS = 15_000
#: The banner's "cached N min ago" is refreshed this often.
BANNER_REFRESH_MS = 30_000


class OfflineController(QObject):
    """Keeps the banner, the probe timer and the Work offline toggle true to the repository."""

    def __init__(self, window: MainWindow, *, probe_interval_ms: int = DEFAULT_PROBE_INTERVAL_MS) -> None:
        super().__init__(window)
        self.window = window
        self.banner = window.banner
        self._page_cached_at = None  # cached_at of the list page shown, when it came from the cache
        self._detail_cached_at = None  # fetched_at of the case shown, when it came from the cache
        self._reported_cache_error = None
        self._probe_channel = window.runner.channel(PROBE_CHANNEL, self)
        self._offline_channel = window.runner.channel(OFFLINE_CHANNEL, self)
        self.banner.try_again.connect(self.probe_now)
        self.banner.go_online.connect(lambda: self.set_work_offline(False))
        self.probe_timer = QTimer(self)
        self.probe_timer.setInterval(max(1, probe_interval_ms))
        self.probe_timer.timeout.connect(self.probe_now)
        self._banner_timer = QTimer(self)
        self._banner_timer.setInterval(BANNER_REFRESH_MS)
        self._banner_timer.timeout.connect(self.banner.refresh_text)

    @property
    def repository(self):  # noqa: ANN201 - CaseRepository
        return self.window.repository

    def stop(self) -> None:
        self.probe_timer.stop()
        self._banner_timer.stop()

    # -- what the window shows came from -----------------------------------------------------

    def page_arrived(self, page: CasePage) -> None:
        """A list page arrived: remember when a cached one was cached (for the banner)."""
        if page.provenance.from_cache:
            if page.query.page <= 1 or self._page_cached_at is None:
                self._page_cached_at = page.provenance.fetched_at
        elif page.query.page <= 1:
            self._page_cached_at = None
        self.update_offline_state()

    def list_cached_at(self, cached_at) -> None:  # noqa: ANN001 - datetime | None
        """The table lists the offline cache; its first rows were cached at ``cached_at``."""
        self._page_cached_at = cached_at
        self.update_offline_state()

    def detail_arrived(self, cached_at) -> None:  # noqa: ANN001 - datetime | None
        """The pane shows a case; ``cached_at`` when it came from the cache, else None."""
        self._detail_cached_at = cached_at
        self.update_offline_state()

    def _report_cache_write_failure(self) -> None:
        """A failed write-through (full disk, quota) never fails the read; say it once in the status bar."""
        failure = self.repository.last_cache_error
        if failure is not None and failure is not self._reported_cache_error:
            self._reported_cache_error = failure
            self.window.show_message(f"Not saved to the offline cache: {failure.message}")

    def update_offline_state(self) -> None:
        """Banner, probe timer and action states after anything that may have changed them.

        Reads the repository's two flags (plain bools) on the GUI thread; it never does I/O here.
        """
        self._report_cache_write_failure()
        reason = self.repository.offline_reason
        if reason:
            cached_at = self._page_cached_at or self._detail_cached_at
            self.banner.show_offline(reason, cached_at)
            if not self._banner_timer.isActive():
                self._banner_timer.start()
        else:
            self.banner.hide_banner()
            self._banner_timer.stop()
            self._page_cached_at = self._detail_cached_at = None
        if reason == OfflineReason.UNREACHABLE:
            if not self.probe_timer.isActive():
                self.probe_timer.start()
        else:
            self.probe_timer.stop()
            if reason:  # working offline by choice: a probe's answer no longer matters
                self._probe_channel.cancel()
            # Back online: a probe in flight is kept. It may be the one that cleared "unreachable"
            # (on its worker, before its answer got here); its answer reloads from the services.
            self.banner.set_probing(False)
        chosen = reason == OfflineReason.CHOSEN
        toggle = self.window.work_offline_action
        if toggle.isChecked() != chosen and self._offline_channel.current_request_id() is None:
            blocked = toggle.blockSignals(True)
            toggle.setChecked(chosen)
            toggle.blockSignals(blocked)
        self.window.update_action_states()

    # -- Work offline and probing -----------------------------------------------------------

    def set_work_offline(self, offline: bool) -> None:
        """Work from the cache only (True) or use the services again (False); on a worker."""
        toggle = self.window.work_offline_action
        blocked = toggle.blockSignals(True)
        toggle.setChecked(offline)
        toggle.blockSignals(blocked)
        if self.window.closed:
            return
        if not self.repository.has_cache and offline:
            toggle.setChecked(False)
            self.window.show_message(self.window.cache_unavailable_reason)
            return
        repository = self.repository
        self._offline_channel.submit(
            lambda _context: repository.set_offline(offline),
            on_result=lambda _none, offline=offline: self._offline_set(offline),
            on_error=lambda failure: (self.window.show_message(failure.message), self.update_offline_state()),
        )

    def _offline_set(self, offline: bool) -> None:
        self.update_offline_state()
        self.window.show_message("Working offline: showing the offline cache." if offline else "Back online.", 4000)
        self.window.reload_everything()

    def probe_now(self) -> None:
        """Ask (on a worker) whether the services answer again; on success reload from them.

        A newer probe supersedes an older one, whose answer is dropped.
        """
        if self.window.closed or self.repository.offline_reason != OfflineReason.UNREACHABLE:
            return
        self.banner.set_probing(True)
        repository = self.repository
        self._probe_channel.submit(
            lambda context: repository.probe(cancel=context.cancel),
            on_result=self._probed,
            on_error=self._probe_failed,
        )

    def _probed(self, reachable: bool) -> None:
        self.banner.set_probing(False)
        self.update_offline_state()
        if reachable and not self.repository.is_offline:
            self.window.show_message("The case service answers again: back online.", 4000)
            self.window.reload_everything()

    def _probe_failed(self, failure: TaskFailure) -> None:
        self.banner.set_probing(False)
        self.update_offline_state()


__all__ = ["DEFAULT_PROBE_INTERVAL_MS", "OFFLINE_CHANNEL", "PROBE_CHANNEL", "OfflineController"]
