"""Exports the reviewer starts from the window: the case dossier as PDF, print, the list as CSV."""
