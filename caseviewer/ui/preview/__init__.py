"""Attachment previews: images, PDFs and text from memory, with a fallback info view.

``AttachmentPreview`` (``widget.py``) is the piece to embed; the viewers are usable on their own.
Fetching and decoding run on worker threads (``loader.py``); nothing here writes to disk.
"""

from caseviewer.ui.preview.widget import AttachmentPreview

__all__ = ["AttachmentPreview"]
