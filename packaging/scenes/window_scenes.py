"""Scenes on the main window over the demo service: cases, lock, privacy, access log, sync, dossier.

Each scene takes the ``Stage``, builds the state the review needs on the real window (the actions
the shortcuts trigger, the controllers' own dialogs), saves its PNGs and returns their paths.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from scenes.harness import SceneError, Stage, settle, wait_signal, wait_until

from caseviewer.demo.data import SPECIAL


def _slug(text: str) -> str:
    """A section's title as a file-name part, without its count ("Timeline (30)" -> "timeline")."""
    title = re.sub(r"\s*\([\d,]+\)\s*$", "", text)
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "section"


# -- one case on At a glance (and, with --all-sections, every section) --------------------------


def _case_scene(stage: Stage, scene: str, index: int) -> list[Path]:
    svc = stage.demo()
    window = stage.demo_window(svc)
    stage.open_index(window, svc, index)
    tabs = window.pane.tab_widget()
    window.pane.set_current_tab(0)
    written = [stage.save(window, scene)]
    if stage.all_sections:
        for i in range(tabs.count()):
            window.pane.set_current_tab(i)
            written.append(stage.save(window, scene, f"{i + 1:02d}-{_slug(tabs.tabText(i))}"))
    stage.close_window(window)
    return written


def case_rich(stage: Stage) -> list[Path]:
    return _case_scene(stage, "case-rich", SPECIAL["rich"])


def case_hostile(stage: Stage) -> list[Path]:
    return _case_scene(stage, "case-hostile", SPECIAL["hostile"])


def case_sparse(stage: Stage) -> list[Path]:
    return _case_scene(stage, "case-sparse", SPECIAL["sparse"])


def case_huge(stage: Stage) -> list[Path]:
    return _case_scene(stage, "case-huge", SPECIAL["huge"])


# -- safeguards --------------------------------------------------------------------------------


def lock(stage: Stage) -> list[Path]:
    """Ctrl+Alt+L with the rich case open: the demo's first lock (set a passphrase), then a profile
    whose sign-in password unlocks (the usual prompt)."""
    from caseviewer.core.secrets import PASSWORD, SecretStore
    from caseviewer.ui.safeguards.lock.screen import LockMode

    svc = stage.demo()
    window = stage.demo_window(svc)
    stage.open_index(window, svc, SPECIAL["rich"])
    guard = window.safeguards
    written = []
    for mode, suffix in ((LockMode.SET_PASSPHRASE, ""), (LockMode.ENTER, "password")):
        if mode is LockMode.ENTER:
            SecretStore().set("reviewer", PASSWORD, "synthetic password")
            guard.configure(profile="reviewer")
        guard.lock_action.trigger()  # what Ctrl+Alt+L triggers
        screen = guard.lock.screen
        wait_until(lambda: screen.mode is mode, f"the lock screen in {mode.name}")
        if window.isVisible():
            raise SceneError("the main window is still visible behind the lock screen")
        written.append(stage.save(screen, "lock", suffix))
        guard.lock.unlock()  # the step after a right secret; the scene does not type one
        wait_until(lambda: window.isVisible(), "the window back after unlock")
    stage.close_window(window)
    return written


def _privacy_window(stage: Stage):  # noqa: ANN202 - MainWindow
    svc = stage.demo()
    window = stage.demo_window(svc)
    stage.open_index(window, svc, SPECIAL["rich"])
    window.safeguards.privacy.action.trigger()  # what Ctrl+Shift+M triggers
    wait_until(lambda: window.safeguards.privacy.enabled, "privacy mode on")
    return window


def _privacy_off(stage: Stage, window) -> None:  # noqa: ANN001
    window.safeguards.privacy.action.setChecked(False)  # the mask state is process-wide
    stage.close_window(window)


def privacy_case(stage: Stage) -> list[Path]:
    window = _privacy_window(stage)
    window.pane.set_current_tab(0)
    written = [stage.save(window, "privacy-case")]
    comments = next((i for i in range(window.pane.tab_widget().count())
                     if window.pane.tab_widget().tabText(i).lower().startswith("comments")), None)
    if comments is not None:  # free text of comments is masked too
        window.pane.set_current_tab(comments)
        written.append(stage.save(window, "privacy-case", "comments"))
    _privacy_off(stage, window)
    return written


def privacy_table(stage: Stage) -> list[Path]:
    window = _privacy_window(stage)
    width = window.splitter.width()
    window.splitter.setSizes([width - 320, 320])  # the table wide, every column in view
    written = [stage.save(window, "privacy-table")]
    _privacy_off(stage, window)
    return written


def access_log(stage: Stage) -> list[Path]:
    """Help > Access log after three cases opened and a list search."""
    svc = stage.demo()
    window = stage.demo_window(svc)
    for index in (SPECIAL["rich"], SPECIAL["hostile"], SPECIAL["sparse"]):
        stage.open_index(window, svc, index)
    wait_signal(window.page_loaded, "the searched list", lambda: window.filter_bar.set_search("Northcott"))
    settle(500)  # the log's own thread writes the queued entries
    viewer = window.safeguards.show_access_log()  # what Help > Access log… triggers
    wait_signal(viewer.loaded, "the access log's entries")
    viewer.table.scrollToBottom()  # the newest entries: this scene's (earlier scenes share the demo's log)
    written = [stage.save(viewer, "access-log")]
    viewer.close()
    stage.close_window(window)
    return written


# -- errors (a profile whose secret the service rejects) ----------------------------------------


def error_list(stage: Stage) -> list[Path]:
    from caseviewer.ui.case_list.table_states import ERROR

    svc = stage.demo()
    stage.add_profile(svc, "stale-token", token="stale-token")
    window = stage.profile_window("stale-token")
    wait_until(lambda: window.overlay.kind == ERROR, "the list's error view")
    written = [stage.save(window, "error-list")]
    stage.close_window(window)
    return written


def error_detail(stage: Stage) -> list[Path]:
    svc = stage.demo()
    stage.add_profile(svc, "wrong-key", key="wrong-key")
    window = stage.profile_window("wrong-key")
    stage.wait_rows(window)
    wait_signal(window.detail_failed, "the case page's error", lambda: window.select_row(0))
    wait_until(lambda: window.pane.credentials_button.isVisible(), "Update credentials… on the case page")
    written = [stage.save(window, "error-detail")]
    stage.close_window(window)
    return written


# -- sync, cancelled part way ------------------------------------------------------------------


def sync_cancelled(stage: Stage) -> list[Path]:
    svc = stage.demo(cases=3000)
    window = stage.demo_window(svc)
    stage.wait_rows(window)
    svc.faults.update(latency_ms=5, scope="detail")  # slow enough to cancel part way
    try:
        dialog = window.show_sync_dialog()
        if dialog is None:
            raise SceneError(f"Sync is not available: {window.statusBar().currentMessage()}")
        wait_signal(dialog.finished_sync, "the sync to stop after Cancel", lambda: _start_and_cancel(dialog),
                    timeout_ms=180_000)
    finally:
        svc.faults.reset()
    written = [stage.save(dialog, "sync-cancelled")]
    dialog.close()
    stage.close_window(window)
    return written


def offline_list(stage: Stage) -> list[Path]:
    """Synced, then Work offline: every cached case listed at once; then the Flagged view."""
    from caseviewer.core.reviewer_state import Flag

    svc = stage.demo()
    window = stage.demo_window(svc)
    stage.wait_rows(window)
    dialog = window.show_sync_dialog()
    if dialog is None:
        raise SceneError(f"Sync is not available: {window.statusBar().currentMessage()}")
    wait_signal(dialog.finished_sync, "the sync to finish", dialog.start, timeout_ms=180_000)
    dialog.close()
    for row in (2, 5, 9):
        window.triage.set_flag(Flag.RED, [window.model.case_id(row)])
    window.set_work_offline(True)
    wait_until(lambda: window.case_list.shows_store and window.model.is_view_ready and not window.model.is_loading,
               "the cached list shown")
    window.view.scrollTo(window.model.index(120, 0))
    wait_until(lambda: window.model.is_held(120), "the rows scrolled to read")
    written = [stage.save(window, "offline-list")]
    window.views_bar.select("Flagged")
    wait_until(lambda: window.model.is_view_ready and window.model.rowCount() == 3, "the flagged cases listed")
    written.append(stage.save(window, "offline-list", "flagged"))
    stage.close_window(window)
    return written


def flagged_online(stage: Stage) -> list[Path]:
    """Online, three of the first page's cases flagged, then the Flagged view: the list line."""
    from caseviewer.core.reviewer_state import Flag

    svc = stage.demo()
    window = stage.demo_window(svc)
    stage.wait_rows(window)
    for row in (2, 5, 9):
        window.triage.set_flag(Flag.RED, [window.model.case_id(row)])
    window.views_bar.select("Flagged")
    wait_until(lambda: not window.model.canFetchMore() and not window.model.is_loading, "every page loaded")
    settle()
    written = [stage.save(window, "flagged-online")]
    stage.close_window(window)
    return written


def flagged_online_long(stage: Stage) -> list[Path]:
    """Online, a 5,000-case list with two cases flagged far apart: the Flagged view looks through
    its first 2,000 cases on its own, then offers Keep looking; then after Keep looking."""
    from caseviewer.core.reviewer_state import Flag
    from caseviewer.ui.triage.views import SCAN_CASES

    svc = stage.demo(cases=5_000)
    window = stage.demo_window(svc)
    stage.wait_rows(window)
    window.triage.set_flag(Flag.RED, [svc.data.case_id(3), svc.data.case_id(4_900)])
    window.views_bar.select("Flagged")
    wait_until(lambda: window.model.rowCount() >= SCAN_CASES and window.case_list.keep_looking_button.isVisible(),
               "the first 2,000 cases looked through", timeout_ms=120_000)
    settle()
    written = [stage.save(window, "flagged-online-long")]
    window.case_list.keep_looking_button.click()
    wait_until(lambda: window.model.rowCount() > SCAN_CASES and not window.model.is_loading
               and (window.case_list.keep_looking_button.isVisible() or not window.model.canFetchMore()),
               "2,000 more looked through", timeout_ms=120_000)
    settle()
    written.append(stage.save(window, "flagged-online-long", "kept-looking"))
    stage.close_window(window)
    return written


def _start_and_cancel(dialog) -> None:  # noqa: ANN001 - SyncDialog
    dialog.start()
    wait_until(lambda: dialog.progress_bar.value() >= 400, "400 cases synced", timeout_ms=150_000)
    dialog.cancel_button.click()


# -- the rich case's dossier PDF, pages rendered -----------------------------------------------


def dossier(stage: Stage) -> list[Path]:
    from caseviewer.ui.export.dialogs import Confirmed, ExportDialogs

    target = stage.out / f"dossier-rich-{stage.theme}.pdf"

    class Answers(ExportDialogs):
        """The Save dialog answers ``target``; the confirmation says yes, with attachments."""

        def save_path(self, parent, title, suggested, file_filter):  # noqa: ANN001, ANN201
            return str(target)

        def confirm(self, parent, **kwargs):  # noqa: ANN001, ANN003, ANN201
            return Confirmed(True, True)

        def report_error(self, parent, title, message):  # noqa: ANN001, ANN201
            raise SceneError(f"export failed: {message}")

    svc = stage.demo()
    window = stage.demo_window(svc)
    stage.open_index(window, svc, SPECIAL["rich"])
    window.exports.dialogs = Answers()
    wait_signal(window.exports.exported, "the dossier PDF", window.exports.pdf_action.trigger, timeout_ms=180_000)
    stage.close_window(window)
    print(target, flush=True)
    pages = _page_count(target)
    written = [target]
    for page in sorted({1, 2, 3, pages} & set(range(1, pages + 1))):
        prefix = stage.out / f"dossier-{stage.theme}-page-{page}"
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", str(page), "-l", str(page), "-singlefile",
                        str(target), str(prefix)], check=True, timeout=120)
        png = prefix.with_name(prefix.name + ".png")
        print(png, flush=True)
        written.append(png)
    return written


def _page_count(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True, timeout=60).stdout
    match = re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE)
    if match is None:
        raise SceneError(f"pdfinfo gave no page count for {pdf}")
    return int(match.group(1))
