"""Snippets made in Python for the rows shown (core/text_search.py): the words the index matched,
folded as its tokenizer folds them, marked on one line."""

from __future__ import annotations

from caseviewer.core.text_search import SNIPPET_CLOSE, SNIPPET_OPEN, fts_query, query_terms, snippet


def bracketed(shown: str) -> str:
    """A snippet with its match marks (private-use characters) written as brackets."""
    return shown.replace(SNIPPET_OPEN, "[").replace(SNIPPET_CLOSE, "]")


def test_operators_are_searched_as_words():
    assert fts_query('nausea OR "dizzy" -x NEAR(a b)') == '"nausea"* AND "OR"* AND "dizzy"* AND "x"* AND "NEAR a"* AND "b"*'
    assert fts_query("  ,;  ") == ""


def test_snippet_marks_prefixes_and_folds_case_and_diacritics():
    terms = query_terms("NAU café")
    text = "Reported nausea on Monday; the Cafe visit and the CAFÉ note both count"
    shown = bracketed(snippet(["CV-1", "", "", text], terms))
    assert "[nausea]" in shown and "[Cafe]" in shown and "[CAFÉ]" in shown
    assert "\n" not in snippet(["", "", "", "line one nausea\nline two"], terms)


def test_snippet_picks_the_column_with_most_matches_and_cuts_long_text():
    terms = query_terms("dose")
    body = " ".join(["filler"] * 40 + ["dose", "raised", "dose"] + ["filler"] * 40)
    shown = bracketed(snippet(["CV-1 dose", "", "", body], terms))
    assert shown.count("[dose]") == 2 and shown.startswith("…") and shown.endswith("…")
    assert len(shown.split()) <= 14
