"""The case detail pane (``DetailPane``) and its tabs.

Layout of the package: ``pane`` (states and tabs), ``header`` (title, status, provenance, the list
record when there is no detail), ``tabs/`` (one class per tab), and the shared pieces every tab is
built from: ``widgets`` (plain-text labels, key/value forms, cards), ``table`` (one read-only table
model/view), ``attachment_table`` and ``links``.
"""

from caseviewer.ui.detail.pane import DetailPane

__all__ = ["DetailPane"]
