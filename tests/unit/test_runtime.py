"""Process-wide runtime tuning: the GIL switch interval comes back after the sync, however it ends;
the start-up heap is frozen; large freed buffers go back to the system."""

from __future__ import annotations

import gc
import os
import subprocess
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


# A child process, so the allocator starts as a fresh caseviewer process's does. One large block
# is freed (with the moving threshold glibc then serves blocks up to its size from the heap), then
# a 512 KiB buffer is made, as a listing makes one per page: does it get a mapping of its own?
_LARGE_BUFFER = """
import ctypes
from caseviewer.core.runtime import fix_malloc_threshold

class Info(ctypes.Structure):  # glibc's struct mallinfo2 (2.33 and later)
    _fields_ = [(name, ctypes.c_size_t) for name in
                "arena ordblks smblks hblks hblkhd usmblks fsmblks uordblks fordblks keepcost".split()]

libc = ctypes.CDLL(None)
libc.mallinfo2.restype = Info
print(fix_malloc_threshold())
first = bytes(4 << 20)
del first
mapped = libc.mallinfo2().hblkhd
page = bytearray(512 * 1024)
print(libc.mallinfo2().hblkhd - mapped)
"""


def _glibc_with_mallinfo2() -> bool:
    if not sys.platform.startswith("linux") or not os.confstr("CS_GNU_LIBC_VERSION").startswith("glibc"):
        return False
    import ctypes

    return hasattr(ctypes.CDLL(None), "mallinfo2")


@pytest.mark.skipif(not _glibc_with_mallinfo2(), reason="the threshold is glibc's (mallinfo2: 2.33 and later)")
def test_a_large_buffer_gets_its_own_mapping_even_after_a_larger_one_was_freed():
    """So it goes back to the system when freed; with glibc's moving threshold it came from the
    heap, where the rows allocated around it kept the space (~2 MB over 100,000 listed cases)."""
    out = subprocess.run([sys.executable, "-c", _LARGE_BUFFER], capture_output=True, text=True, check=True, timeout=60)
    fixed, mapped = out.stdout.split()
    assert fixed == "True"
    assert int(mapped) >= 512 * 1024, out.stdout
