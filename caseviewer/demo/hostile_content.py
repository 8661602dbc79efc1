"""Big and broken case content for the ``hostile_content`` fault knob of the demo service.

With the knob set (``svc.faults.update(hostile_content="many_attachments")``, or over HTTP), every
detail document the service answers is changed into one of these shapes; the knob stays until
it is changed or the faults are reset. Used by the stall benchmarks and the fault suite:

* ``many_attachments``: 2,000 inline attachments on the case (small text files).
* ``big_comments``: 20 comments and 10 internal notes of 1 MiB each.
* ``broken_pdf``: the case's attachments are a few damaged PDFs (a fuzzed one with a broken index,
  a large broken one, one cut in half) and one intact PDF.

Content is deterministic and synthetic. Attachments here are always inline (base64), whatever
``documentFormat`` asked, so they need no file host.
"""

from __future__ import annotations

import base64
import random
from typing import Any

from caseviewer.demo import words
from caseviewer.demo.files import pdf

KINDS = ("many_attachments", "big_comments", "broken_pdf")

MANY_ATTACHMENTS = 2000
BIG_COMMENTS = 20
BIG_NOTES = 10
ONE_MIB = 1024 * 1024


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _attachment(doc_id: str, k: int, name: str, data: bytes) -> dict[str, Any]:
    return {
        "id": f"{doc_id[:8]}-hostile-{k:05d}",
        "isRestricted": k % 7 == 0,
        "isPHI": k % 2 == 0,
        "fileName": name,
        "isDeleted": False,
        "createdAt": f"2025-06-{1 + k % 28:02d}T{k % 24:02d}:{k % 60:02d}:00.000Z",
        "uploadedBy": {"id": f"user-{k % 13}", "firstName": words.FIRST_NAMES[k % len(words.FIRST_NAMES)],
                       "lastName": words.LAST_NAMES[k % len(words.LAST_NAMES)]},
        "content": _b64(data),
    }


def _many_attachments(doc: dict[str, Any]) -> None:
    doc["attachments"] = [
        _attachment(doc["id"], k, f"page-{k:04d}.txt", f"Synthetic page {k} of a long upload.\n".encode())
        for k in range(MANY_ATTACHMENTS)
    ]


def _big_text(seed: int) -> str:
    rng = random.Random(seed)
    sentences = list(words.COMMENT_SENTENCES)
    rng.shuffle(sentences)
    chunk = " ".join(sentences) + "\n"
    return (chunk * (ONE_MIB // len(chunk) + 1))[:ONE_MIB]


def _big_comments(doc: dict[str, Any]) -> None:
    template = (doc.get("comments") or doc.get("notes") or [{}])[0]

    def comment(k: int, restricted: bool) -> dict[str, Any]:
        return {**template, "id": f"{doc['id'][:8]}-big-{k:03d}", "text": _big_text(k), "isRestricted": restricted,
                "createdAt": f"2025-06-01T{k % 24:02d}:00:00.000Z", "attachments": [], "forms": []}

    doc["comments"] = [comment(k, False) for k in range(BIG_COMMENTS)]
    doc["notes"] = [comment(BIG_COMMENTS + k, True) for k in range(BIG_NOTES)]


def broken_index_pdf(pages: int, seed: int = 0) -> bytes:
    """A real multi-page PDF with bytes flipped all over its index and objects (a fuzzer's output)."""
    data = bytearray(pdf([[f"Synthetic page {i + 1}", "text " * 40] for i in range(pages)]))
    rng = random.Random(seed)
    xref = data.rfind(b"xref")
    for _ in range(60):
        data[rng.randrange(xref, len(data))] = rng.randrange(256)
    for _ in range(200):
        data[rng.randrange(16, len(data))] = rng.randrange(256)
    return bytes(data)


def objects_without_index(count: int) -> bytes:
    """Objects and no cross-reference table: the viewer must scan it all to find anything."""
    body = b"".join(b"%d 0 obj\n<< /Type /Page /Parent %d 0 R >>\nendobj\n" % (i, i + 1) for i in range(1, count))
    return b"%PDF-1.7\n" + body


def _broken_pdf(doc: dict[str, Any]) -> None:
    whole = pdf([["An intact synthetic PDF"], ["page two"]])
    files = [
        ("fuzzed-scan.pdf", broken_index_pdf(300, seed=1)),
        ("large-broken.pdf", objects_without_index(120_000)),
        ("cut-in-half.pdf", broken_index_pdf(40, seed=2)[: 20_000]),
        ("intact.pdf", whole),
    ]
    doc["attachments"] = [_attachment(doc["id"], k, name, data) for k, (name, data) in enumerate(files)]


_APPLY = {"many_attachments": _many_attachments, "big_comments": _big_comments, "broken_pdf": _broken_pdf}


def apply(kind: str | None, doc: dict[str, Any] | None) -> dict[str, Any] | None:
    """``doc`` changed into the ``kind`` of hostile content (None: unchanged)."""
    if kind is None or doc is None:
        return doc
    _APPLY[kind](doc)
    return doc


__all__ = ["KINDS", "apply", "broken_index_pdf", "objects_without_index"]
