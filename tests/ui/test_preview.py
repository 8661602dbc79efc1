"""AttachmentPreview against the demo service, in both document formats: images, the 3-page PDF,
text/CSV/JSON and the fallback view; nothing written to disk. Damaged and hostile files (bombs,
broken PDFs, bad base64) are the fault suite's (``tests/faults/test_attachment_content.py``)."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from tests.support.preview_fixtures import giant_png, inline
from tests.ui.test_preview_support import (  # noqa: F401 - fixtures
    RICH,
    by_extension,
    make_preview,
    open_detail,
    repo,
    runner,
    served_bytes,
    show_and_wait,
)

# The offscreen platform says this whenever a shown window's size hints change: noise, not a bug.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def rich(repo, demo_service):
    detail = open_detail(repo, demo_service, RICH)
    return detail


# -- every kind, both formats --------------------------------------------------------------------


@pytest.mark.parametrize("ext", [".png", ".jpg"])
def test_images_preview_decoded_off_the_gui_thread(qtbot, runner, repo, rich, demo_service, ext):
    preview = make_preview(qtbot, runner, repo)
    attachment = by_extension(rich, ext)
    assert show_and_wait(qtbot, preview, attachment, rich.id) == "image"
    image = preview.image_viewer.image()
    assert image is not None and not image.isNull() and image.width() > 100
    assert preview.current_data() == served_bytes(demo_service, attachment)
    viewer = preview.image_viewer
    assert viewer.fit_mode() and viewer.zoom() <= 1.0
    viewer.zoom_in()
    assert not viewer.fit_mode() and viewer.zoom() > 0
    viewer.actual_size()
    assert viewer.zoom() == 1.0
    viewer.zoom_in()
    assert viewer.zoom() == 1.25
    viewer.zoom_out()
    viewer.zoom_out()
    assert viewer.zoom() == 0.75
    viewer.rotate()
    assert viewer.rotation() == 90
    viewer.fit_to_window()
    assert viewer.fit_mode()


def test_image_zoom_shortcuts_work_inside_the_preview(qtbot, runner, repo, rich):
    preview = make_preview(qtbot, runner, repo)
    show_and_wait(qtbot, preview, by_extension(rich, ".png"), rich.id)
    viewer = preview.image_viewer
    preview.activateWindow()
    viewer.setFocus()
    qtbot.waitUntil(viewer.hasFocus)
    qtbot.keyClick(viewer, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
    assert viewer.zoom() == 1.0 and not viewer.fit_mode()
    qtbot.keyClick(viewer, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert viewer.zoom() == 1.25
    qtbot.keyClick(viewer, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert viewer.zoom() == 1.0
    qtbot.keyClick(viewer, Qt.Key.Key_0, Qt.KeyboardModifier.AltModifier)
    assert viewer.fit_mode()


def test_a_viewer_is_built_only_when_a_file_needs_it(qtbot, runner, repo, rich):
    """Most cases are read without a preview: the image, PDF and text viewers (QtPdf costs ~5 MB)
    are built the first time a file of their kind is shown, and clearing builds none."""
    from caseviewer.ui.preview.widget import IMAGE, PDF, TEXT

    preview = make_preview(qtbot, runner, repo)
    preview.clear()
    assert not any(preview.has_viewer(state) for state in (IMAGE, PDF, TEXT))
    assert show_and_wait(qtbot, preview, by_extension(rich, ".pdf"), rich.id) == "pdf"
    assert preview.has_viewer(PDF) and not preview.has_viewer(IMAGE) and not preview.has_viewer(TEXT)
    assert preview.pdf_viewer.page_count() == 3
    assert show_and_wait(qtbot, preview, by_extension(rich, ".png"), rich.id) == "image"
    assert preview.has_viewer(IMAGE)
    assert preview.pdf_viewer.page_count() == 0  # the earlier PDF was let go


def test_the_three_page_pdf_pages_and_zooms(qtbot, runner, repo, rich):
    preview = make_preview(qtbot, runner, repo)
    assert show_and_wait(qtbot, preview, by_extension(rich, ".pdf"), rich.id) == "pdf"
    viewer = preview.pdf_viewer
    assert viewer.page_count() == 3
    assert viewer.page_text() == "Page 1 of 3"
    viewer.go_to_page(1)
    qtbot.waitUntil(lambda: viewer.page_text() == "Page 2 of 3")
    assert viewer.current_page() == 1
    viewer.next_page()
    qtbot.waitUntil(lambda: viewer.page_text() == "Page 3 of 3")
    viewer.next_page()  # stays on the last page
    assert viewer.current_page() == 2
    before = viewer.zoom()
    viewer.zoom_in()
    assert viewer.zoom() > before
    viewer.actual_size()
    assert viewer.zoom() == 1.0


@pytest.mark.parametrize(("ext", "expected"), [(".txt", "Synthetic demo note"), (".csv", ","), (".json", '{\n  "')])
def test_text_csv_and_json_in_the_text_viewer(qtbot, runner, repo, rich, demo_service, ext, expected):
    preview = make_preview(qtbot, runner, repo)
    attachment = by_extension(rich, ext)
    assert show_and_wait(qtbot, preview, attachment, rich.id) == "text"
    text = preview.text_viewer.text()
    assert expected in text
    assert preview.text_viewer.editor().isReadOnly()
    if ext == ".json":  # pretty-printed on the worker
        assert text == json.dumps(json.loads(served_bytes(demo_service, attachment)), indent=2, ensure_ascii=False)


def test_find_in_text(qtbot, runner, repo, rich):
    preview = make_preview(qtbot, runner, repo)
    show_and_wait(qtbot, preview, by_extension(rich, ".txt"), rich.id)
    viewer = preview.text_viewer
    viewer.setFocus()
    qtbot.waitUntil(viewer.editor().hasFocus)
    qtbot.keyClick(viewer.editor(), Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert viewer.find_bar_visible()
    assert viewer.find("follow-up")
    assert viewer.selected_text() == "follow-up"
    first = viewer.editor().textCursor().position()
    assert viewer.find_next()
    assert viewer.editor().textCursor().position() > first
    assert not viewer.find("no such words anywhere")
    assert viewer.find_status() == "No matches"
    viewer.close_find()
    assert not viewer.find_bar_visible()


def test_big_text_is_truncated_with_a_note(qtbot, runner):
    preview = make_preview(qtbot, runner, None)
    big = ("0123456789 " * 10 + "\n") * 20_000  # 2.2 million characters
    assert show_and_wait(qtbot, preview, inline("big.txt", big.encode()), None) == "text"
    assert len(preview.text_viewer.text()) <= 1_000_000
    assert "Showing the first" in preview.text_viewer.note()


def test_other_types_show_the_facts_and_a_save_button(qtbot, runner):
    preview = make_preview(qtbot, runner, None)
    attachment = inline("tool.exe", b"MZ\x90\x00" + bytes(range(256)) * 4, created_at="2025-01-02T03:04:05Z",
                        uploaded_by={"firstName": "Ada", "lastName": "Synthetic"})
    assert show_and_wait(qtbot, preview, attachment, None) == "info"
    facts = preview.info_view.facts()
    assert facts["Name"] == "tool.exe" and facts["Type"] == "File"
    assert facts["Size"] == "1.0 KB" and facts["Uploaded by"] == "Ada Synthetic"
    assert facts["Uploaded"].startswith("2025-01-0")
    with qtbot.waitSignal(preview.save_requested) as blocker:
        preview.info_view._save.click()
    assert blocker.args[0] is attachment


# -- nothing on disk ------------------------------------------------------------------------------


def _listing(root: Path) -> set[str]:
    return {str(p) for p in root.rglob("*")}


def test_previews_write_no_file(qtbot, runner, repo, rich, isolated_home, tmp_path, monkeypatch):
    # Anything that uses tempfile (ours or a library's) would land here.
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    system_temp = Path("/tmp")
    before_home, before_system = _listing(isolated_home), set(os.listdir(system_temp))
    preview = make_preview(qtbot, runner, repo)
    for attachment in rich.attachments:
        assert show_and_wait(qtbot, preview, attachment, rich.id) in ("image", "pdf", "text")
    show_and_wait(qtbot, preview, inline("bomb.png", giant_png()), None)
    assert _listing(isolated_home) == before_home
    assert list(temp.iterdir()) == []
    # Other processes use /tmp too: only our own names would be ours.
    new_in_system = set(os.listdir(system_temp)) - before_system
    assert not [name for name in new_in_system if "caseviewer" in name.lower()]


def test_compact_json_is_pretty_printed(qtbot, runner):
    preview = make_preview(qtbot, runner, None)
    assert show_and_wait(qtbot, preview, inline("labs.json", b'{"a":[1,2],"b":{"c":null}}'), None) == "text"
    assert preview.text_viewer.text() == '{\n  "a": [\n    1,\n    2\n  ],\n  "b": {\n    "c": null\n  }\n}'
