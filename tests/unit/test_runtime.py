"""Process-wide runtime tuning: the GIL switch interval comes back after the sync, however it ends."""

from __future__ import annotations

import gc
import sys

import pytest

from caseviewer.core.runtime import freeze_startup_heap, short_gil_switch_interval


def test_switch_interval_is_shortened_inside_and_restored_after_even_on_error():
    before = sys.getswitchinterval()
    with pytest.raises(RuntimeError):
        with short_gil_switch_interval(0.0005):
            assert sys.getswitchinterval() == pytest.approx(0.0005)
            with short_gil_switch_interval(0.0005):  # nested use shares it
                pass
            assert sys.getswitchinterval() == pytest.approx(0.0005)
            raise RuntimeError("the sync failed")
    assert sys.getswitchinterval() == pytest.approx(before)


def test_freeze_moves_what_is_alive_out_of_the_collectors_sight():
    gc.unfreeze()
    try:
        survivor = [object() for _ in range(10)]
        freeze_startup_heap()
        assert gc.get_freeze_count() >= len(survivor)
    finally:
        gc.unfreeze()  # the rest of the test run is not a desktop session


def test_freeze_lets_go_of_the_source_lines_read_while_importing():
    import inspect
    import linecache

    inspect.getsource(pytest)  # what PySide6's import hook does for every module imported after it
    assert pytest.__file__ in linecache.cache
    gc.unfreeze()
    try:
        freeze_startup_heap()
        assert pytest.__file__ not in linecache.cache
    finally:
        gc.unfreeze()
