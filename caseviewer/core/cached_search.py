"""Full-text search over the offline cache, as hits a reviewer recognises (list fields, snippet).

The cache's index answers case ids and marked snippets (``core/cache/text_index.py``); this adds
each hit's list fields and splits the snippet for a view that highlights the matches itself.
``CaseRepository.find_cached`` is the door (it also writes the access log).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the cache (and SQLCipher) is only needed by whoever attaches one
    from caseviewer.core.cache import CaseCache


@dataclass(frozen=True)
class CachedHit:
    """One full-text match in the offline cache, with the list fields a reviewer recognises.

    ``parts`` is the snippet as (text, is_match) pieces, for a view that highlights the matches
    itself; ``snippet`` is the same text with the matches in [brackets], for a terminal.
    """

    case_id: str
    snippet: str
    business_name: str = ""
    applicant: str = ""
    parts: tuple[tuple[str, bool], ...] = ()


@dataclass(frozen=True)
class CachedSearch:
    """The hits of one full-text search; ``capped`` when more cases matched than ``limit``."""

    hits: list[CachedHit]
    limit: int
    capped: bool


def snippet_parts(marked: str) -> tuple[tuple[str, bool], ...]:
    """Split a cache snippet at its hit markers into (text, is_match) pieces (empty ones dropped)."""
    from caseviewer.core.cache import HIT_END, HIT_START

    parts: list[tuple[str, bool]] = []
    for index, chunk in enumerate(marked.split(HIT_START)):
        if index == 0:
            inside, outside = "", chunk
        else:
            inside, _, outside = chunk.partition(HIT_END)
        if inside:
            parts.append((inside, True))
        if outside:
            parts.append((outside.replace(HIT_END, ""), False))
    return tuple(parts)


def search_cache(cache: CaseCache, text: str, *, limit: int, cancel: threading.Event | None = None) -> CachedSearch:
    """The hits for ``text`` (every word), at most ``limit``, and whether more matched."""
    found = cache.search_text(text, limit=limit + 1, cancel=cancel)  # one more: was it capped?
    hits = []
    for hit in found[:limit]:
        cached = cache.get_record(hit.case_id)
        record = cached[0] if cached else None
        parts = snippet_parts(hit.snippet)
        hits.append(
            CachedHit(
                hit.case_id,
                "".join(f"[{piece}]" if is_match else piece for piece, is_match in parts),
                (record.business_name or "") if record else "",
                record.applicant_name if record else "",
                parts,
            )
        )
    return CachedSearch(hits, limit, len(found) > limit)


__all__ = ["CachedHit", "CachedSearch", "search_cache", "snippet_parts"]
