"""Purge and Clear leave no word of a deleted case anywhere in the cache file (issue 13, item 10).

The file is decrypted page by page with the key (``tests/support/sqlcipher_pages.py``), so words
left in free pages or in the full-text index's segments are found, which no SQL query shows.
A positive control (a kept case's word is found) proves the decryption reads the real pages.
"""

from __future__ import annotations

import copy

from tests.conftest_demo import FakeClock
from tests.support.sqlcipher_pages import decrypted_pages
from tests.unit.test_cache import DATA, demo_detail
from tests.unit.test_cache_support import new_key, open_cache

DOOMED = "zqxvorpelunique"
KEPT = "kwyjibokeptword"


def _detail_with_word(index: int, word: str) -> dict:
    raw = copy.deepcopy(demo_detail(index))
    raw["comments"] = [{"id": f"c-{word}", "text": f"synthetic note mentioning {word} twice {word}"}]
    return raw


def _cache_two(cache, clock=None, fillers=10):
    doomed, kept = _detail_with_word(0, DOOMED), _detail_with_word(1, KEPT)
    cache.put_detail(doomed, DATA.list_record(0))
    for index in range(2, 2 + fillers):  # rows for the index to have several segments
        if demo_detail(index) is not None:
            cache.put_detail(demo_detail(index), DATA.list_record(index))
    if clock is not None:
        clock.advance(10 * 86400)
    cache.put_detail(kept, DATA.list_record(1))
    return doomed, kept


def test_purge_leaves_no_trace_of_the_purged_case():
    key, clock = new_key(), FakeClock()
    cache = open_cache(key, clock=clock)
    _cache_two(cache, clock, fillers=0)  # with no other writes, no automatic merge tidies up
    assert cache.search_text(DOOMED)
    assert cache.purge_older_than(7) >= 1
    assert cache.search_text(DOOMED) == [] and cache.search_text(KEPT)
    path = cache.path
    cache.close()
    pages = decrypted_pages(path, key)
    assert KEPT.encode() in pages  # the control: decryption sees real content
    assert DOOMED.encode() not in pages


def test_clear_leaves_no_trace():
    key = new_key()
    cache = open_cache(key)
    _cache_two(cache)
    cache.clear()
    cache.put_detail(_detail_with_word(1, KEPT), DATA.list_record(1))
    path = cache.path
    cache.close()
    pages = decrypted_pages(path, key)
    assert KEPT.encode() in pages
    assert DOOMED.encode() not in pages
