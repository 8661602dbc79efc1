"""Keeping a window out of screenshots, screen recordings and screen sharing, where the OS allows.

* **Windows 10 2004+**: ``SetWindowDisplayAffinity(hwnd, WDA_EXCLUDEFROMCAPTURE)`` — the window is
  left out of captures (it shows as black on older Windows, ``WDA_MONITOR``).
* **macOS**: ``NSWindow.sharingType = NSWindowSharingNone`` through the Objective-C runtime — honoured
  by the system's screenshot and sharing APIs (recent macOS versions and some capture tools may
  ignore it).
* **Linux (X11, most Wayland compositors)**: no such API exists; any X11 client can read the
  screen, and Wayland leaves capture to the compositor and its portal. ``supported()`` says so and
  the setting stays off.

Behind a setting (View > Exclude from screen capture, or the organisation policy), because it also
blocks a reviewer's own legitimate screen sharing.
"""

from __future__ import annotations

import ctypes
import logging
import sys

from PySide6.QtWidgets import QWidget

log = logging.getLogger(__name__)

WDA_NONE = 0x0
WDA_EXCLUDEFROMCAPTURE = 0x11
NS_WINDOW_SHARING_NONE = 0
NS_WINDOW_SHARING_READ_ONLY = 1

NOT_SUPPORTED = ("This desktop offers no way to keep a window out of screen capture (X11 and most "
                 "Wayland compositors): use privacy mode while sharing the screen.")


def supported(platform: str | None = None) -> bool:
    platform = platform or sys.platform
    return platform.startswith("win") or platform == "darwin"


def _windows(widget: QWidget, on: bool) -> bool:
    user32 = ctypes.windll.user32  # type: ignore[attr-defined]
    return bool(user32.SetWindowDisplayAffinity(ctypes.c_void_p(int(widget.winId())),
                                                WDA_EXCLUDEFROMCAPTURE if on else WDA_NONE))


def _macos(widget: QWidget, on: bool) -> bool:
    objc = ctypes.cdll.LoadLibrary("/usr/lib/libobjc.A.dylib")
    objc.sel_registerName.restype = ctypes.c_void_p
    objc.sel_registerName.argtypes = [ctypes.c_char_p]
    send = objc.objc_msgSend
    send.restype = ctypes.c_void_p
    send.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
    view = ctypes.c_void_p(int(widget.winId()))  # Qt's winId on macOS is the NSView
    window = send(view, objc.sel_registerName(b"window"))
    if not window:
        return False
    set_sharing = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_ulong)(
        ctypes.cast(objc.objc_msgSend, ctypes.c_void_p).value)
    set_sharing(window, objc.sel_registerName(b"setSharingType:"),
                NS_WINDOW_SHARING_NONE if on else NS_WINDOW_SHARING_READ_ONLY)
    return True


def exclude_from_capture(widget: QWidget, on: bool = True) -> bool:
    """Apply (or lift) the exclusion on ``widget``'s native window; False where it is not possible."""
    if not supported():
        return False
    try:
        return _windows(widget, on) if sys.platform.startswith("win") else _macos(widget, on)
    except (OSError, AttributeError, ValueError) as exc:
        log.warning("screen-capture exclusion not applied: %s", type(exc).__name__)
        return False


__all__ = ["NOT_SUPPORTED", "exclude_from_capture", "supported"]
