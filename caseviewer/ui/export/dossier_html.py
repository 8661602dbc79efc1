"""The dossier structure (``core.export.dossier_content``) as HTML for ``QTextDocument``.

Every string from the service is passed through ``formatting.clean`` (control and bidi characters
made visible) and ``html.escape``, so it is laid out as plain text and never interpreted as markup.
Typed cells are worded by ``ui.formatting``, exactly as in the window. Images are not referenced
by path: the renderer adds each decoded image as a document resource under ``attachment:N``.
"""

from __future__ import annotations

import html

from caseviewer.core.export.dossier_content import (
    AttachmentUse,
    Block,
    Cell,
    Code,
    Dossier,
    Entry,
    Fields,
    Flag,
    Free,
    Line,
    Money,
    Note,
    SECTION_TITLES,
    Section,
    SectionKey,
    Size,
    Stamp,
    Table,
    Text,
)
from caseviewer.ui import formatting

STYLE = """
body { color: #111; }
h1 { font-size: 17pt; margin-bottom: 2px; }
h2 { font-size: 13pt; margin-top: 14px; margin-bottom: 4px; color: #1d3557; }
h3 { font-size: 10.5pt; margin-top: 8px; margin-bottom: 2px; }
p { margin-top: 2px; margin-bottom: 2px; }
.muted { color: #555; }
.mark { color: #7f1d1d; font-weight: bold; }
.warn { color: #7f1d1d; font-weight: bold; }
th { background-color: #e8ecf2; text-align: left; }
td.label { color: #444; }
pre { font-size: 8pt; }
"""


def cell_text(value: Cell) -> str:
    """A cell worded as the window words it (plain text, not yet escaped)."""
    if value is None:
        return formatting.MISSING
    if isinstance(value, Stamp):
        return formatting.format_timestamp(value.raw)
    if isinstance(value, Money):
        return formatting.format_currency(value.raw, value.currency) if value.currency else formatting.format_money(value.raw)
    if isinstance(value, Code):
        return formatting.word(value.vocab, value.raw)
    if isinstance(value, Flag):
        return formatting.yes_no(value.value)
    if isinstance(value, Size):
        return formatting.human_size(value.value)
    if isinstance(value, Free):
        return formatting.any_text(value.value)
    if isinstance(value, Line):
        texts = [cell_text(part) for part in value.parts if part is not None]
        return " — ".join(t for t in texts if t != formatting.MISSING) or formatting.MISSING
    return formatting.or_missing(str(value))


def esc(text: str) -> str:
    """Plain text for HTML: escaped, line breaks kept."""
    return html.escape(formatting.clean(text)).replace("\n", "<br>")


def _cell(value: Cell) -> str:
    return esc(cell_text(value))


def _fields(block: Fields) -> str:
    rows = "".join(
        f'<tr><td class="label" width="32%">{esc(label)}</td><td>{_cell(value)}</td></tr>' for label, value in block.rows
    )
    return f'<table cellspacing="0" cellpadding="2" width="100%">{rows}</table>'


def _table(block: Table) -> str:
    head = "".join(f'<th style="white-space: nowrap;">{esc(h)}</th>' for h in block.headers)
    body = "".join("<tr>" + "".join(f"<td>{_cell(v)}</td>" for v in row) + "</tr>" for row in block.rows)
    return (
        '<table border="1" cellspacing="0" cellpadding="3" width="100%" style="border-collapse: collapse; '
        f'border-color: #9aa4b1;"><thead><tr>{head}</tr></thead>{body}</table>'
    )


def _text(block: Text) -> str:
    return f'<p style="white-space: pre-wrap;">{html.escape(formatting.clean(block.text))}</p>'


def _entry(block: Entry) -> str:
    heading = " · ".join(cell_text(c) for c in block.heading if c is not None)
    marks = "".join(f' <span class="mark">[{esc(m)}]</span>' for m in block.marks)
    inner = "".join(render_block(b) for b in block.blocks)
    return f"<h3>{esc(heading)}{marks}</h3>{inner}"


def render_block(block: Block) -> str:
    if isinstance(block, Fields):
        return _fields(block)
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Text):
        return _text(block)
    if isinstance(block, Entry):
        return _entry(block)
    if isinstance(block, Note):
        return f'<p class="muted">{esc(block.text)}</p>'
    raise TypeError(f"unknown block {type(block).__name__}")  # a bug in the content builder


def _section(section: Section, *, page_break: bool = False) -> str:
    style = ' style="page-break-before: always;"' if page_break else ""
    return f"<h2{style}>{esc(section.title)}</h2>" + "".join(render_block(b) for b in section.blocks)


def _timeline(dossier: Dossier) -> str:
    rows = []
    for event in dossier.timeline:
        when = formatting.format_timestamp(event.raw) if event.raw else "(no date)"
        if event.raw and event.when is None:
            when = f"{formatting.clean(event.raw)} (unreadable date)"
        # Titles are already in words (core.vocabulary); money is worded here, in the reader's locale.
        title = event.title + (f" ({formatting.format_currency(event.amount, event.currency)})" if event.amount else "")
        rows.append(
            f'<tr><td style="white-space: nowrap;">{esc(when)}</td><td>{esc(event.kind.label)}</td>'
            f"<td>{esc(title)}{'<br><span class=muted>' + esc(event.detail) + '</span>' if event.detail else ''}</td></tr>"
        )
    if not rows:
        return f'<h2 style="page-break-before: always;">{esc(SECTION_TITLES[SectionKey.TIMELINE])}</h2><p class="muted">No dated events.</p>'
    return (
        f'<h2 style="page-break-before: always;">{esc(SECTION_TITLES[SectionKey.TIMELINE])}</h2>'
        '<table border="1" cellspacing="0" cellpadding="3" width="100%" style="border-collapse: collapse; border-color: #9aa4b1;">'
        '<thead><tr><th width="20%">When</th><th width="14%">What</th><th>Event</th></tr></thead>'
        + "".join(rows) + "</table>"
    )


_USE_TEXT = {
    AttachmentUse.LISTED: "listed only (export without attachments)",
    AttachmentUse.IMAGE: "image, shown below",
    AttachmentUse.TEXT: "text, shown below",
    AttachmentUse.PDF: "PDF, appended at the end",
    AttachmentUse.UNSUPPORTED: "not included",
    AttachmentUse.DAMAGED: "damaged, not included",
    AttachmentUse.UNAVAILABLE: "not available, not included",
}


def _attachments(dossier: Dossier, image_sizes: dict[int, tuple[int, int]], first_appended_page: dict[int, int]) -> str:
    title = SECTION_TITLES[SectionKey.ATTACHMENTS]
    out = [f'<h2 style="page-break-before: always;">{esc(title)}</h2>']
    if not dossier.attachments:
        return out[0] + '<p class="muted">No attachments.</p>'
    rows = []
    for entry in dossier.attachments:
        use = _USE_TEXT[entry.use]
        if entry.use is AttachmentUse.PDF:
            start = first_appended_page.get(entry.number)
            pages = f"{entry.pdf_pages} page{'s' if entry.pdf_pages != 1 else ''}"
            use = f"PDF, {pages} appended" + (f" from page {start}" if start else "")
        reason = f" — {entry.reason}" if entry.reason else ""
        css = ' class="warn"' if entry.use in (AttachmentUse.DAMAGED, AttachmentUse.UNAVAILABLE, AttachmentUse.UNSUPPORTED) else ""
        rows.append(
            f"<tr><td>A{entry.number}</td><td>{esc(entry.name)}</td><td>{esc(entry.where)}</td>"
            f"<td>{esc(entry.kind_label or '—')}</td><td>{esc(formatting.human_size(entry.size))}</td>"
            f"<td>{esc(formatting.format_timestamp(entry.attachment.created_at))}</td>"
            f"<td><span{css}>{esc(use + reason)}</span></td></tr>"
        )
    out.append(
        '<table border="1" cellspacing="0" cellpadding="3" width="100%" style="border-collapse: collapse; border-color: #9aa4b1;">'
        "<thead><tr><th>#</th><th>File</th><th>On</th><th>Type</th><th>Size</th><th>Uploaded</th><th>In this dossier</th></tr></thead>"
        + "".join(rows) + "</table>"
    )
    for entry in dossier.attachments:
        if entry.use is AttachmentUse.IMAGE and entry.number in image_sizes:
            width, height = image_sizes[entry.number]
            # Each image starts a page, so its heading is never left behind on the page before.
            out.append(f'<h3 style="page-break-before: always;">A{entry.number} · {esc(entry.name)}</h3>')
            out.append(f'<p><img src="attachment:{entry.number}" width="{width}" height="{height}"></p>')
        elif entry.use is AttachmentUse.TEXT:
            out.append(f"<h3>A{entry.number} · {esc(entry.name)}</h3>")
            if entry.reason:
                out.append(f'<p class="muted">{esc(entry.reason)}</p>')
            out.append(f'<pre style="white-space: pre-wrap;">{html.escape(formatting.clean(entry.text))}</pre>')
    return "".join(out)


def dossier_html(dossier: Dossier, image_sizes: dict[int, tuple[int, int]], first_appended_page: dict[int, int]) -> str:
    """The whole body. ``image_sizes`` maps attachment numbers to their drawn size (device px)."""
    cover = dossier.cover
    intro = (
        f"<h1>{esc(dossier.title)}</h1>"
        f'<p class="muted">Case dossier · {esc(dossier.footer_id)} · case {esc(dossier.case_id)}</p>'
        f'<p class="warn">Contains PHI — confidential. Share only with people entitled to see this case.</p>'
    )
    if dossier.source_note:
        intro += f'<p class="muted">{esc(dossier.source_note)}</p>'
    parts = [intro, _section(cover), _timeline(dossier)]
    for index, section in enumerate(dossier.sections):
        if section.key is SectionKey.ATTACHMENTS:
            parts.append(_attachments(dossier, image_sizes, first_appended_page))
        else:
            parts.append(_section(section, page_break=index == 0))
    return f"<html><head><style>{STYLE}</style></head><body>{''.join(parts)}</body></html>"


__all__ = ["STYLE", "cell_text", "dossier_html", "esc", "render_block"]
