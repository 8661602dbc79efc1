"""Triage in the window: what changed since the reviewer looked, flags and private notes, saved
views, row menus and copy. Decisions live in ``core.changes`` / ``core.reviewer_state`` /
``core.views``; this package only shows them (``controller`` wires them to the main window)."""
