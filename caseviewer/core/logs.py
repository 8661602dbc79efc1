"""Logging: a rotating file in the platform log dir, and the console with ``--verbose``.

Logs carry case ids, status codes and timings — never bodies, names, emails or secrets. Our own
log calls only pass those; as a second line of defence every record goes through
``RedactingFilter``, which masks any registered secret and anything shaped like an email address.
httpx's own INFO lines print full URLs (whose query strings can hold a submitter's email), so its
loggers are held at WARNING.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from logging.handlers import RotatingFileHandler
from pathlib import Path

from caseviewer.core.paths import log_dir, private_file

LOG_FILE_NAME = "caseviewer.log"
_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s]: %(message)s"
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")

_secrets: set[str] = set()
_secrets_lock = threading.Lock()

# What the request being made is about ("case <id>", "page 2, 50 per page"), for the request log
# line in http.py. A ContextVar is per thread, so concurrent workers never mix their contexts.
_request_context: ContextVar[str] = ContextVar("caseviewer_request_context", default="")
_SAFE_ID = re.compile(r"[A-Za-z0-9._-]{1,80}")


@contextmanager
def request_context(text: str) -> Iterator[None]:
    """Name what the requests made inside this block are about (ids and counts only, no PHI)."""
    token = _request_context.set(text)
    try:
        yield
    finally:
        _request_context.reset(token)


def request_context_text() -> str:
    """`` [case ...]`` for the request log line, or "" outside ``request_context``."""
    text = _request_context.get()
    return f" [{text}]" if text else ""


def loggable_id(value: str | None) -> str:
    """A case id as it may appear in a log line: ids only, never free text someone typed."""
    value = (value or "").strip()
    return value if _SAFE_ID.fullmatch(value) else "(not an id)"


def register_secret(value: str | None) -> None:
    """Mask this value in every log record from now on (tokens, keys, passwords)."""
    if value and len(value) >= 4:
        with _secrets_lock:
            _secrets.add(value)


def redact(text: str) -> str:
    with _secrets_lock:
        known = sorted(_secrets, key=len, reverse=True)
    for secret in known:
        text = text.replace(secret, "<secret>")
    return _EMAIL.sub("<email>", text)


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            # Filters run before formatting: format the traceback now so it is redacted too
            # (formatters reuse ``exc_text`` when it is set).
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


class PrivateRotatingFileHandler(RotatingFileHandler):
    """A rotating log whose files are created 0600 whatever the umask (the log is about PHI work:
    case ids and timings are nobody else's business)."""

    def _open(self):  # noqa: ANN202 - the stdlib's signature
        private_file(Path(self.baseFilename))
        return super()._open()


def setup_logging(*, verbose: bool = False) -> logging.Handler | None:
    """Install the file handler (and a console one when verbose). Returns the file handler."""
    root = logging.getLogger("caseviewer")
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    for noisy in ("httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    redactor = RedactingFilter()
    file_handler: logging.Handler | None = None
    if not any(getattr(h, "_caseviewer", False) for h in root.handlers):
        try:
            file_handler = PrivateRotatingFileHandler(
                log_dir() / LOG_FILE_NAME, maxBytes=1_000_000, backupCount=5, encoding="utf-8"
            )
        except OSError:
            file_handler = None  # a read-only or full disk must not stop the app
        if file_handler is not None:
            file_handler.setFormatter(logging.Formatter(_FORMAT))
            file_handler.addFilter(redactor)
            file_handler._caseviewer = True  # type: ignore[attr-defined]
            root.addHandler(file_handler)
        if verbose:
            console = logging.StreamHandler()
            console.setFormatter(logging.Formatter(_FORMAT))
            console.addFilter(redactor)
            console._caseviewer = True  # type: ignore[attr-defined]
            root.addHandler(console)
    return file_handler
