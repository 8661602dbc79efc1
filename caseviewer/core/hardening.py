"""Process hardening at start: no core dumps, no crash-dump reports (no Qt here).

A core dump of caseviewer holds everything the process held: the sign-in password, the API key,
the cache key and the text of every case on screen. ``harden_process`` runs first thing in every
entry point (``caseviewer.cli.main``, so the GUI, every CLI command and ``demo-server``):

* POSIX: ``RLIMIT_CORE`` soft and hard limit 0, so the kernel writes no core file (and a hard
  limit of 0 cannot be raised again by this process).
* Linux: ``prctl(PR_SET_DUMPABLE, 0)``. This also stops a core pipe handler (systemd-coredump,
  apport) from collecting one, and makes ``/proc/<pid>/mem``, ``environ`` and ptrace attach
  unavailable to other processes of the same user (root still can).
* Windows: ``SetErrorMode`` without the fault dialog, and ``WerAddExcludedApplication`` so
  Windows Error Reporting does not write a dump of the process.
* macOS has no per-process dumpable flag; ``RLIMIT_CORE`` 0 is what the platform offers (cores
  are off by default there unless ``/cores`` is writable and the limit raised).

Every step is best effort: a platform that refuses one keeps the others, and the result says what
took effect (tests read ``/proc/<pid>/limits`` and ``/proc/<pid>/status`` of a real process).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
import sys
from dataclasses import dataclass

log = logging.getLogger(__name__)

PR_SET_DUMPABLE = 4
PR_GET_DUMPABLE = 3

# Windows SetErrorMode flags.
SEM_FAILCRITICALERRORS = 0x0001
SEM_NOGPFAULTERRORBOX = 0x0002


@dataclass(frozen=True)
class Hardening:
    """What ``harden_process`` managed to set (False where the platform has no such thing)."""

    core_limit_zero: bool = False
    not_dumpable: bool = False
    no_error_reporting: bool = False


def _limit_core() -> bool:
    try:
        import resource
    except ImportError:  # Windows
        return False
    try:
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (ValueError, OSError):
        try:  # a hard limit we may not lower on some systems: at least the soft one
            _soft, hard = resource.getrlimit(resource.RLIMIT_CORE)
            resource.setrlimit(resource.RLIMIT_CORE, (0, hard))
        except (ValueError, OSError):
            return False
    return resource.getrlimit(resource.RLIMIT_CORE)[0] == 0


def _not_dumpable() -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        if libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0:
            return False
        return libc.prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _no_error_reporting() -> bool:
    if os.name != "nt":
        return False
    try:
        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        kernel32.SetErrorMode(SEM_FAILCRITICALERRORS | SEM_NOGPFAULTERRORBOX)
        try:
            wer = ctypes.windll.wer  # type: ignore[attr-defined]
            wer.WerAddExcludedApplication(ctypes.c_wchar_p(sys.executable), False)
        except (OSError, AttributeError):
            pass  # WER exclusion is per user and optional; the error mode alone hides the dialog
        return True
    except (OSError, AttributeError):
        return False


def harden_process() -> Hardening:
    """Turn off core dumps and crash dumps for this process (idempotent, never raises)."""
    result = Hardening(
        core_limit_zero=_limit_core(),
        not_dumpable=_not_dumpable(),
        no_error_reporting=_no_error_reporting(),
    )
    log.debug("process hardening: %s", result)
    return result


__all__ = ["Hardening", "harden_process"]
