"""Writing attachment bytes to disk: atomic saves that never overwrite unasked, and a private
temp folder for "Open with system app".

Plaintext PHI reaches the disk only through here, and only on an explicit user action:

* ``AtomicFile`` writes to a hidden temporary file in the target folder, fsyncs it and then
  publishes it under its final name in one step, so a crash or a full disk never leaves half an
  attachment under a real name. Without ``overwrite`` the final step is a hard link, which fails
  if the name was taken in the meantime (another app, another save); it falls back to an
  existence check on file systems without hard links.
* ``plan_saves`` decides the names of a "Save all" up front: sanitised (``filenames.py``),
  duplicates within the batch numbered " (2)", " (3)", and clashes with files already on disk
  flagged so the UI can ask Overwrite / Keep both / Skip before anything is downloaded.
* ``PrivateTempDir`` is a 0700 folder from ``tempfile.mkdtemp`` for files handed to another
  application; it is wiped by ``cleanup()`` (the app calls it on quit, also on SIGTERM/SIGINT)
  and by an ``atexit`` hook, and folders of earlier runs that died are removed at the next start
  (``remove_stale_private_copies``). Copies are named after their sniffed content and marked as
  downloaded; programs and launchers are refused (``core/sniff.py``).

Files are created 0600: a saved attachment is still PHI, readable by its owner only until the
user decides otherwise.
"""

from __future__ import annotations

import atexit
import enum
import logging
import os
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from caseviewer.core import errors
from caseviewer.core.filenames import numbered, safe_file_name
from caseviewer.core.sniff import open_copy_name

log = logging.getLogger(__name__)

_TEMP_PREFIX = ".caseviewer-"
_TEMP_SUFFIX = ".part"

#: How many " (n)" numbers to try before giving up on a folder full of copies.
_MAX_NUMBER = 10_000


class SaveError(errors.KnownError):
    """A file could not be written (no permission, disk full, folder gone)."""


class Conflict(str, enum.Enum):
    """What to do when the target name already exists on disk."""

    KEEP_BOTH = "keep_both"  # write under the next free " (n)" name
    OVERWRITE = "overwrite"
    SKIP = "skip"


def _fsync_dir(folder: Path) -> None:
    # Makes the rename itself durable; not possible (or needed) on Windows.
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _os_error(exc: OSError, path: Path) -> SaveError:
    reason = exc.strerror or type(exc).__name__
    return SaveError(f"Could not write {path.name} in {path.parent}: {reason}.")


def _taken(path: Path, reserved: set[str]) -> bool:
    return path.name.casefold() in reserved or os.path.lexists(path)


def free_path(folder: Path, name: str, reserved: Iterable[str] = ()) -> Path:
    """``folder/name``, or ``folder/"name (2)"``... whichever is neither on disk nor ``reserved``.

    ``reserved`` are names already promised in the same batch; compared case-insensitively
    because macOS and Windows folders are.
    """
    taken = {r.casefold() for r in reserved}
    candidate = folder / name
    number = 2
    while _taken(candidate, taken):
        if number > _MAX_NUMBER:
            raise SaveError(f"There are too many copies of {name} in {folder} already.")
        candidate = folder / numbered(name, number)
        number += 1
    return candidate


class AtomicFile:
    """A file that appears under its final name complete, or not at all.

    ``with AtomicFile(path) as f: f.write(...)``; ``final_path`` is where it landed (with
    ``overwrite=False`` and ``keep_both=True`` a name taken meanwhile gives the next " (n)").
    """

    def __init__(self, path: Path, *, overwrite: bool = False, keep_both: bool = True) -> None:
        self.path = Path(path)
        self.overwrite = overwrite
        self.keep_both = keep_both
        self.final_path: Path | None = None
        self._file: BinaryIO | None = None
        self._temp: Path | None = None

    def __enter__(self) -> BinaryIO:
        folder = self.path.parent
        try:
            fd, temp = tempfile.mkstemp(prefix=_TEMP_PREFIX, suffix=_TEMP_SUFFIX, dir=folder)
        except OSError as exc:
            raise _os_error(exc, self.path) from None
        self._temp = Path(temp)
        self._file = os.fdopen(fd, "wb")
        return self._file

    def __exit__(self, exc_type, exc, tb) -> None:
        assert self._file is not None and self._temp is not None
        try:
            if exc_type is None:
                self._file.flush()
                os.fsync(self._file.fileno())
            self._file.close()
            if exc_type is None:
                self.final_path = self._publish()
                _fsync_dir(self.path.parent)
        except OSError as exc2:
            raise _os_error(exc2, self.path) from None
        finally:
            if self._temp.exists():
                self._temp.unlink(missing_ok=True)

    def _publish(self) -> Path:
        assert self._temp is not None
        if self.overwrite:
            os.replace(self._temp, self.path)
            return self.path
        target = self.path
        for _ in range(_MAX_NUMBER):
            if self._link(target):
                return target
            if not self.keep_both:
                raise FileExistsError(target)
            target = free_path(target.parent, self.path.name, ())
        raise SaveError(f"There are too many copies of {self.path.name} in {self.path.parent} already.")

    def _link(self, target: Path) -> bool:
        """Publish without ever replacing: False when ``target`` exists."""
        assert self._temp is not None
        try:
            os.link(self._temp, target)
        except FileExistsError:
            return False
        except OSError:
            # No hard links here (FAT, some network shares): check, then rename. Not atomic
            # against a concurrent writer, which is the best such a file system allows.
            if os.path.lexists(target):
                return False
            os.replace(self._temp, target)
            return True
        self._temp.unlink()
        return True


def write_file(path: Path, data: bytes, *, overwrite: bool = False) -> Path:
    """Write ``data`` atomically to ``path`` (a free " (n)" name if taken and not ``overwrite``)."""
    atomic = AtomicFile(path, overwrite=overwrite)
    with atomic as f:
        f.write(data)
    assert atomic.final_path is not None
    return atomic.final_path


@dataclass
class PlannedSave:
    """One file of a "Save all": ``index`` into the caller's list, where it goes, and whether that
    name is already on disk (``exists``) with what to do about it (``conflict``)."""

    index: int
    target: Path
    exists: bool
    conflict: Conflict = Conflict.KEEP_BOTH

    @property
    def skipped(self) -> bool:
        return self.exists and self.conflict is Conflict.SKIP


def plan_saves(folder: Path, names: Iterable[str | None]) -> list[PlannedSave]:
    """Target paths for a batch: sanitised names, unique within the batch, clashes flagged.

    A clash with a file on disk keeps the plain name (so "Overwrite" has a target); the numbered
    name for "Keep both" is chosen at write time, when the folder is looked at again.
    """
    plans: list[PlannedSave] = []
    promised: set[str] = set()
    for index, raw in enumerate(names):
        name = safe_file_name(raw)
        target = folder / name
        number = 2
        while target.name.casefold() in promised:
            target = folder / numbered(name, number)
            number += 1
        promised.add(target.name.casefold())
        plans.append(PlannedSave(index, target, os.path.lexists(target)))
    return plans


def open_planned(plan: PlannedSave, reserved: Iterable[str] = ()) -> AtomicFile:
    """The ``AtomicFile`` that carries out ``plan`` (not for skipped plans).

    ``reserved`` are the other names of the batch, so "Keep both" does not take a name a later
    file of the same batch was promised.
    """
    if plan.exists and plan.conflict is Conflict.OVERWRITE:
        return AtomicFile(plan.target, overwrite=True)
    target = free_path(plan.target.parent, plan.target.name, reserved)
    return AtomicFile(target, overwrite=False)


def _pid_alive(pid: int) -> bool:
    """Whether a process with this id runs (a reused id keeps a stale folder one more start)."""
    if pid <= 0:
        return False
    if os.name == "nt":
        import ctypes

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        try:
            code = ctypes.c_ulong()
            return bool(kernel32.GetExitCodeProcess(handle, ctypes.byref(code))) and code.value == 259
        finally:
            kernel32.CloseHandle(handle)
    try:
        os.kill(pid, 0)  # signal 0: existence check only (POSIX)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: alive
    return True


def _user_tag() -> str:
    getuid = getattr(os, "getuid", None)
    return str(getuid()) if getuid is not None else "u"  # Windows: the temp folder is per user


def mark_downloaded(path: Path) -> None:
    """Mark a copy as coming from the internet, so the OS treats it with caution when opened:
    Mark-of-the-Web (a ``Zone.Identifier`` stream, Internet zone) on Windows, the
    ``com.apple.quarantine`` attribute on macOS. Linux desktops have no such mark: a no-op."""
    try:
        if os.name == "nt":
            with open(f"{path}:Zone.Identifier", "w", encoding="ascii") as stream:
                stream.write("[ZoneTransfer]\r\nZoneId=3\r\n")
        elif sys.platform == "darwin":
            import ctypes
            import ctypes.util

            value = f"0083;{int(time.time()):08x};caseviewer;".encode()
            libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
            libc.setxattr(os.fsencode(path), b"com.apple.quarantine", value, len(value), 0, 0)
    except OSError:
        log.warning("Could not mark an opened attachment as downloaded")


class PrivateTempDir:
    """A private (0700) folder for files handed to other applications, wiped on exit.

    Created on first use, so a session that never opens a file externally leaves nothing. Its
    name carries the user id and the owning process id (``caseviewer-open-<uid>-<pid>-<random>``)
    so that ``remove_stale()`` at the next start can delete the folders of earlier runs that died
    without cleaning up (SIGKILL, a crash, a power cut) while keeping those of instances still
    running. Thread-safe: workers write into it.
    """

    def __init__(self, prefix: str = "caseviewer-open-") -> None:
        self._prefix = prefix
        self._path: Path | None = None
        self._lock = threading.Lock()
        self._hooked = False

    @property
    def path(self) -> Path | None:
        return self._path

    def _own_prefix(self) -> str:
        return f"{self._prefix}{_user_tag()}-"

    def ensure(self) -> Path:
        with self._lock:
            if self._path is None or not self._path.is_dir():
                # mkdtemp creates the folder 0700 and with an unguessable name.
                self._path = Path(tempfile.mkdtemp(prefix=f"{self._own_prefix()}{os.getpid()}-"))
                if not self._hooked:
                    atexit.register(self.cleanup)
                    self._hooked = True
            return self._path

    def write(self, name: str | None, data: bytes) -> Path:
        """Write ``data`` for another app to open, named after its sniffed content
        (``core/sniff.py``: programs, launchers and unrecognised files raise ``UnsafeFileType``)
        and marked as downloaded. Each file goes in its own 0700 subfolder so the app that opens
        it sees the real name without clashing with earlier copies."""
        final_name = open_copy_name(name, data)
        folder = Path(tempfile.mkdtemp(dir=self.ensure()))
        path = write_file(folder / final_name, data)
        mark_downloaded(path)
        return path

    def cleanup(self) -> None:
        """Delete the folder and everything in it. Safe to call more than once."""
        with self._lock:
            path, self._path = self._path, None
        if path is not None and path.exists():
            shutil.rmtree(path, ignore_errors=True)
            if path.exists():
                log.warning("Could not remove the temporary folder of opened attachments")

    def remove_stale(self, temp_root: Path | None = None) -> list[Path]:
        """Delete this user's private folders whose process is gone; returns what was removed."""
        root = Path(temp_root or tempfile.gettempdir())
        prefix = self._own_prefix()
        removed: list[Path] = []
        try:
            entries = list(os.scandir(root))
        except OSError:
            return removed
        for entry in entries:
            if not entry.name.startswith(prefix):
                continue
            pid_text = entry.name[len(prefix):].split("-", 1)[0]
            if not pid_text.isdigit() or int(pid_text) == os.getpid() or _pid_alive(int(pid_text)):
                continue
            try:
                info = entry.stat(follow_symlinks=False)
                owned = not hasattr(os, "getuid") or info.st_uid == os.getuid()
                if not entry.is_dir(follow_symlinks=False) or not owned:
                    continue  # never follow a link or touch another user's folder
            except OSError:
                continue
            shutil.rmtree(entry.path, ignore_errors=True)
            if not os.path.lexists(entry.path):
                removed.append(Path(entry.path))
        if removed:
            log.info("Removed %d private attachment folder(s) left by earlier runs", len(removed))
        return removed


#: The app's one private temp folder; ``private_temp.cleanup()`` on quit.
private_temp = PrivateTempDir()


def remove_stale_private_copies() -> list[Path]:
    """At start: remove the private copies of earlier runs that ended without cleaning up."""
    return private_temp.remove_stale()
