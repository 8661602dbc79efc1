"""Publishing an export: atomically (a temp file in the target folder, then ``os.replace``), with
mode 0600, and told to whoever records exports.

There is no access log yet (another issue adds it): ``export_recorders`` is the hook. Each
recorder is called with an ``ExportRecord`` after a file was written; a recorder that fails is
logged and never fails the export (the file is already there).
"""

from __future__ import annotations

import enum
import getpass
import logging
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from caseviewer.core.files import AtomicFile, SaveError

log = logging.getLogger(__name__)


class ExportKind(str, enum.Enum):
    DOSSIER_PDF = "dossier_pdf"
    LIST_CSV = "list_csv"
    PRINT = "print"


@dataclass(frozen=True)
class ExportRecord:
    """What was exported, by whom, when and where (no case content)."""

    kind: ExportKind
    destination: str
    case_ids: tuple[str, ...] = ()
    user: str = ""
    at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    with_attachments: bool = False


#: Called with each ``ExportRecord``; the access log registers itself here.
export_recorders: list[Callable[[ExportRecord], None]] = []


def os_user() -> str:
    """The OS account name for "exported by" (never fails: "unknown" when it cannot be read)."""
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name in odd environments (containers, services)
        return "unknown"


def record_export(record: ExportRecord) -> None:
    for recorder in list(export_recorders):
        try:
            recorder(record)
        except Exception:  # noqa: BLE001 - the export itself succeeded; say so in the log only
            log.exception("an export recorder failed")


def write_export(path: Path | str, chunks: Iterable[bytes] | bytes) -> Path:
    """Write ``chunks`` to ``path`` atomically, replacing what is there, readable by the owner only.

    The temporary file is created by ``mkstemp`` (0600) in the same folder, so the final
    ``os.replace`` is atomic and the file is never visible half-written or to other users.
    """
    target = Path(path)
    if target.is_dir():
        raise SaveError(f"{target} is a folder; choose a file name.")
    if not target.parent.is_dir():
        raise SaveError(f"The folder {target.parent} does not exist.")
    atomic = AtomicFile(target, overwrite=True)
    with atomic as sink:
        if isinstance(chunks, (bytes, bytearray, memoryview)):
            sink.write(chunks)
        else:
            for chunk in chunks:
                sink.write(chunk)
    final = atomic.final_path or target
    try:
        os.chmod(final, 0o600)
    except OSError:  # pragma: no cover - a file system without modes (FAT): nothing to tighten
        pass
    return final


__all__ = ["ExportKind", "ExportRecord", "export_recorders", "os_user", "record_export", "write_export"]
