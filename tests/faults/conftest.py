"""The fault suite: every way the services and the machine can fail us, one module per category.

After the run a summary line per category says how many cases were tried and how many passed
(``fault category network: 12 tried, 12 passed``). The category is the module name without the
``test_`` prefix.
"""

from __future__ import annotations

from collections import defaultdict

_tried: dict[str, int] = defaultdict(int)
_passed: dict[str, int] = defaultdict(int)


def _category(nodeid: str) -> str | None:
    if "tests/faults/" not in nodeid:
        return None
    module = nodeid.split("::", 1)[0].rsplit("/", 1)[-1]
    return module.removeprefix("test_").removesuffix(".py")


def pytest_runtest_logreport(report):
    category = _category(report.nodeid)
    if category is None:
        return
    if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
        _tried[category] += 1
        if report.passed:
            _passed[category] += 1


def pytest_terminal_summary(terminalreporter):
    if not _tried:
        return
    terminalreporter.section("fault suite")
    for category in sorted(_tried):
        terminalreporter.write_line(
            f"fault category {category}: {_tried[category]} tried, {_passed[category]} passed"
        )
