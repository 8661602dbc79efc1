"""Exception hooks (ui/lifecycle.py): a bug on a plain thread reaches the crash report, redacted,
and its message (which may quote case data) is neither printed nor logged."""

from __future__ import annotations

import logging
import threading

from caseviewer.core.logs import register_secret
from caseviewer.ui.lifecycle import ExceptionHooks


def test_a_thread_exception_is_reported_without_its_message(qtbot, capsys, caplog):
    reports = []
    hooks = ExceptionHooks(reports.append)
    register_secret("tok-very-secret-123")
    try:
        message = " ".join(["jane.roe@example.org", "tok-very-secret-123", "private", "words"])

        def work():
            raise RuntimeError(message)  # the source line (shown in stacks) does not hold the text

        with caplog.at_level(logging.ERROR, logger="caseviewer"):
            thread = threading.Thread(target=work, name="worker-x")
            thread.start()
            thread.join()
            qtbot.waitUntil(lambda: bool(reports))
    finally:
        hooks.uninstall()
    failure = reports[0]
    assert failure.is_bug and "RuntimeError" in failure.traceback and "work" in failure.traceback
    err = capsys.readouterr().err
    assert "RuntimeError" in err and "thread worker-x" in err
    logged = caplog.text + failure.traceback + err
    for leak in ("jane.roe@example.org", "tok-very-secret-123", "private words"):
        assert leak not in logged
    assert threading.excepthook is not hooks._thread_hook  # uninstalled
