"""Invalid text: lone surrogate escapes (``"\\udfaa"``, in values and in object keys) and bytes
that are not UTF-8.

Before, they raised ``ValidationError`` in the model, ``UnicodeEncodeError`` in the cache write
and on ``sys.stdout``. Now the body is decoded once at the boundary (``core.wire``) with
replacement (U+FFFD), keys too; the model, the encrypted cache and the terminal only ever see
valid text, and the CLI's output never fails whatever the terminal's encoding.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from caseviewer.core import wire
from caseviewer.core.cache import CaseCache
from caseviewer.core.models import CaseDetail
from caseviewer.core.repository import CaseRepository
from caseviewer.demo.hostile_data import SURROGATE_KEY
from tests.support.cli_process import assert_clean_exit, run_cli, text
from tests.support.windows import WAIT_MS, demo_api, open_row, show_window

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

KEY = b"s" * 32
SURROGATES = st.integers(min_value=0xD800, max_value=0xDFFF).map(chr)
HOSTILE_TEXT = st.lists(st.one_of(st.characters(codec="utf-8"), SURROGATES), max_size=12).map("".join)


def has_surrogate(value) -> bool:
    if isinstance(value, str):
        return any(0xD800 <= ord(c) <= 0xDFFF for c in value)
    if isinstance(value, dict):
        return any(has_surrogate(k) or has_surrogate(v) for k, v in value.items())
    if isinstance(value, list):
        return any(has_surrogate(v) for v in value)
    return False


def test_any_hostile_text_is_valid_after_the_boundary_and_cached():
    cache = CaseCache("surrogates", KEY)

    @settings(max_examples=120, deadline=None)
    @given(title=HOSTILE_TEXT, key=HOSTILE_TEXT, name=HOSTILE_TEXT, note=HOSTILE_TEXT)
    def check(title, key, name, note):
        document = {"caseDetail": {"id": "case-s", "title": title, key: name, "submitter": {"firstName": name},
                                   "comments": [{"id": "c1", "text": note, key: [note]}]}}
        body = json.dumps(document, ensure_ascii=True).encode()  # how a hostile service sends it
        parsed = wire.decode_json(body)
        assert not has_surrogate(parsed)
        detail = CaseDetail.from_raw(parsed["caseDetail"])
        detail.model_dump_json()
        cache.put_detail(detail.raw, None)
        entry = cache.get_detail("case-s", None)
        assert entry is not None and entry.detail.title == parsed["caseDetail"]["title"]
        json.dumps(entry.detail.raw, ensure_ascii=False).encode("utf-8")

    try:
        check()
    finally:
        cache.close()


@pytest.mark.parametrize("body", [
    b'{"t": "\\udfaa"}', b'{"\\udfaa": 1}', b'{"t": "\\ud800\\ud800"}', b'{"t": "a\\udc00b", "\\ud83d": "\\ude00"}',
    b'{"t": "\xff\xfe bad bytes \xc3("}', b'\xef\xbb\xbf{"t": "bom"}', '{"t": "utf-16"}'.encode("utf-16"),
])
def test_bodies_with_invalid_text_decode_with_replacement(body):
    parsed = wire.decode_json(body)
    assert not has_surrogate(parsed)
    json.dumps(parsed, ensure_ascii=False).encode("utf-8")


def test_a_valid_surrogate_pair_stays_the_character():
    assert wire.decode_json(b'{"t": "\\ud83d\\ude00"}') == {"t": "\U0001F600"}


@pytest.mark.parametrize("encoding", ["utf-8", "ascii", "latin-1"])
def test_cli_shows_and_syncs_surrogate_text_on_any_terminal_encoding(fresh_demo, encoding):
    fresh_demo.faults.update(hostile="surrogates")
    env = {"PYTHONIOENCODING": encoding}
    case_id = fresh_demo.data.case_ids()[0]
    summary = run_cli(["show", case_id], fresh_demo, env=env)
    assert_clean_exit(summary, 0)
    as_json = run_cli(["show", case_id, "--json"], fresh_demo, env=env)
    assert_clean_exit(as_json, 0)
    # Still JSON on every encoding (backslashreplace writes \ufffd, which JSON reads back).
    detail = json.loads(as_json.stdout.decode(encoding))
    assert "\ufffd" in detail["title"]
    assert SURROGATE_KEY.replace("\ud800", "\ufffd") in detail  # the key was replaced, not dropped
    synced = run_cli(["sync"], fresh_demo, env=env)
    assert_clean_exit(synced, 0)
    assert "0 failed" in text(synced.stdout)
    offline = run_cli(["show", case_id, "--offline"], fresh_demo, env=env)
    assert_clean_exit(offline, 0)


def test_cli_search_prints_surrogate_text(fresh_demo):
    fresh_demo.faults.update(hostile="surrogates")
    assert_clean_exit(run_cli(["sync"], fresh_demo), 0)
    found = run_cli(["search", "title"], fresh_demo, env={"PYTHONIOENCODING": "ascii"})
    assert found.returncode in (0, 4), text(found.stderr)
    assert "caseviewer: internal error (" not in text(found.stderr)


def test_window_shows_surrogate_text_and_caches_it(qtbot, fresh_demo):
    repository = CaseRepository(demo_api(fresh_demo), cache=CaseCache("surrogates-window", KEY))
    window = show_window(qtbot, repository)
    try:
        before = open_row(qtbot, window, 0)
        fresh_demo.faults.update(hostile="surrogates")
        window.refresh()
        qtbot.waitUntil(lambda: window.model.rowCount() and "\ufffd" in (window.model.record(0).business_name or ""),
                        timeout=WAIT_MS)
        assert repository.last_cache_error is None
        result = open_row(qtbot, window, 1)
        assert result.detail.title and "\ufffd" in result.detail.title
        assert "\ufffd" in window.pane.header.title.text()
        for index in range(window.pane.tabs.count()):
            window.pane.set_current_tab(index)
            window.pane.tabs.currentWidget().grab()
        assert window.isVisible()
        window.set_work_offline(True)
        for case_id in (before.case_id, result.case_id):
            assert repository.open_case(case_id).detail.id == case_id
    finally:
        window.shutdown()


# -- the text as sent is kept beside the cleaned document ------------------------------------------


@pytest.mark.parametrize(("body", "kept"), [
    (b'{"t": "\\udfaa"}', '\\udfaa'),  # a lone surrogate escape: replaced in the document
    (b'{"t": "bad \xff\xfe bytes"}', "\\xff\\xfe"),  # invalid UTF-8: written \xNN, still text
    (b'{"pad": "' + b"x" * (1 << 20) + b'", "t": "\xc3("}', "\\xc3"),  # past a megabyte slice
])
def test_the_text_as_sent_is_kept_when_reading_it_changed_something(body, kept):
    sent = wire.sent_text_if_altered(body)
    assert sent is not None and kept in sent
    sent.encode("utf-8")  # always valid text: it can be shown, printed and stored


@pytest.mark.parametrize("body", [b'{"t": "plain ascii"}', '{"t": "Zoë 🩺 שלום"}'.encode(), b'{"n": 1e999999}'])
def test_nothing_is_kept_when_the_document_is_exactly_what_was_sent(body):
    assert wire.sent_text_if_altered(body) is None


def test_the_window_keeps_what_the_service_sent_and_shows_it_on_request(qtbot, fresh_demo):
    from caseviewer.ui.detail.tabs.raw import RawTab

    cache = CaseCache("as-sent-window", KEY)
    repository = CaseRepository(demo_api(fresh_demo), cache=cache)
    window = show_window(qtbot, repository)
    try:
        fresh_demo.faults.update(hostile="surrogates")
        window.refresh()
        qtbot.waitUntil(lambda: window.model.rowCount() and "\ufffd" in (window.model.record(0).business_name or ""),
                        timeout=WAIT_MS)
        result = open_row(qtbot, window, 1)
        assert "\ufffd" in (result.detail.title or "")  # the document: replaced, valid text
        assert result.detail.as_sent is not None and "\\ud" in result.detail.as_sent.lower()  # the escape as sent
        raw = next(tab for tab in window.pane.tab_pages if isinstance(tab, RawTab))
        window.pane.tabs.setCurrentWidget(raw)
        qtbot.waitUntil(lambda: raw.sent_button.isVisible(), timeout=WAIT_MS)
        raw.sent_button.click()
        qtbot.waitUntil(lambda: "\\ud" in raw.view.toPlainText().lower(), timeout=WAIT_MS)
        assert raw.note.text().startswith("As the service sent it")
        raw.sent_button.click()
        qtbot.waitUntil(lambda: "\ufffd" in raw.view.toPlainText(), timeout=WAIT_MS)
        # Kept in the encrypted cache too: read back from it, the case still has what was sent.
        def cached_as_sent():
            entry = cache.get_detail(result.case_id, None)
            return entry.detail.as_sent if entry is not None else None

        qtbot.waitUntil(lambda: cached_as_sent() == result.detail.as_sent, timeout=WAIT_MS)
    finally:
        window.shutdown()


def test_a_sync_keeps_what_the_service_sent_in_the_cache(fresh_demo):
    from caseviewer.core.sync import sync_all

    fresh_demo.faults.update(hostile="surrogates")
    cache = CaseCache("as-sent-sync", KEY)
    try:
        repository = CaseRepository(demo_api(fresh_demo), cache=cache)
        report = sync_all(repository.api, cache)
        assert not report.failed
        kept = [cache.get_detail(case_id, None) for case_id in fresh_demo.data.case_ids()[:3]]
        assert all(entry is not None and entry.detail.as_sent and "\\ud" in entry.detail.as_sent.lower()
                   for entry in kept)
        assert all("\ufffd" in (entry.detail.title or "") for entry in kept)  # the document: valid text
    finally:
        cache.close()
