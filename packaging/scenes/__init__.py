"""Named screenshot scenes for review (``packaging/screenshots.py --scene NAME``).

``SCENES`` maps each name to the function that builds it on the real window and what it shows;
``run`` builds the stage once (private home and keyring, the app in the chosen theme), runs the
scenes in order, and prints one line per file written. A scene that fails (a wait timed out) is
reported on stderr and the others still run; ``run`` returns 1 then. The caller puts an overall
timeout around it (``screenshots.py``), so nothing can hang a review.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable
from pathlib import Path

from scenes import profile_scenes, window_scenes
from scenes.harness import SceneError, Stage

SCENES: dict[str, tuple[Callable[[Stage], list[Path]], str]] = {
    "case-rich": (window_scenes.case_rich, "the rich demo case on At a glance"),
    "case-hostile": (window_scenes.case_hostile, "the hostile demo case (markup, bidi, odd names)"),
    "case-sparse": (window_scenes.case_sparse, "the sparse demo case (almost every optional field missing)"),
    "case-huge": (window_scenes.case_huge, "the huge demo case (1 MiB comment, 200 activity entries)"),
    "lock": (window_scenes.lock, "the lock screen after Ctrl+Alt+L, a case open behind it"),
    "privacy-case": (window_scenes.privacy_case, "privacy mode on the rich case's page"),
    "privacy-table": (window_scenes.privacy_table, "privacy mode on the case table"),
    "access-log": (window_scenes.access_log, "Help > Access log after a few actions"),
    "profile-dialog": (profile_scenes.profile_dialog, "New profile, after one edit"),
    "manage-profiles": (profile_scenes.manage_profiles, "Manage profiles with two saved profiles"),
    "error-list": (window_scenes.error_list, "the list's error view (rejected token, Update credentials…)"),
    "error-detail": (window_scenes.error_detail, "the case page's error view (rejected API key)"),
    "sync-cancelled": (window_scenes.sync_cancelled, "the sync dialog after Cancel part way (3,000 cases)"),
    "offline-list": (window_scenes.offline_list, "Work offline after a sync: every cached case, then the Flagged view"),
    "flagged-online": (window_scenes.flagged_online, "online, three cases flagged, then the Flagged view"),
    "flagged-online-long": (window_scenes.flagged_online_long,
                            "online, 5,000 cases, two flagged far apart: the Flagged view's Keep looking"),
    "dossier": (window_scenes.dossier, "the rich case's dossier PDF with attachments, pages 1-3 and last"),
}


def describe() -> str:
    width = max(map(len, SCENES))
    return "\n".join(f"{name:<{width}}  {text}" for name, (_fn, text) in SCENES.items())


def run(out: Path, names: list[str], *, size: tuple[int, int], theme: str, all_sections: bool) -> int:
    out.mkdir(parents=True, exist_ok=True)
    stage = Stage(out, size=size, theme=theme, all_sections=all_sections)
    failed = []
    try:
        for name in names:
            try:
                SCENES[name][0](stage)
            except SceneError as exc:
                failed.append(name)
                print(f"scene {name} failed: {exc}", file=sys.stderr, flush=True)
            except Exception:  # noqa: BLE001 - one broken scene must not stop the review
                failed.append(name)
                print(f"scene {name} failed:\n{traceback.format_exc()}", file=sys.stderr, flush=True)
            finally:
                stage.close_windows()
    finally:
        stage.close()
    return 1 if failed else 0
