"""A detail document's files and threads: the case's own attachments, public comments and internal notes.

The hostile case gets file names that attack paths, terminals and bidirectional text, and the
huge case a 1 MiB comment.
"""

from __future__ import annotations

from typing import Any

from caseviewer.demo import words
from caseviewer.demo.detail.codes import HOSTILE_TEXT
from caseviewer.demo.detail.context import ALL_KINDS, CaseContext

HOSTILE_FILE_NAMES = (
    ("../../etc/passwd", "txt"),
    ("CON.txt", "txt"),
    ("a\x07b.txt", "txt"),
    ("reports/2024\\final..\\scan.png", "png"),
    ("invoice\u202egnp.exe", "png"),  # right-to-left override: displays as "invoiceexe.png"
    ("\u062a\u0642\u0631\u064a\u0631 \u0637\u0628\u064a.pdf", "pdf"),  # Arabic "medical report"
    ("\U0001fa7a results \U0001f4c4.jpg", "jpeg"),
    ("  .hidden  ", "csv"),
)

ONE_MIB = 1024 * 1024


def comment(case: CaseContext, restricted: bool, k: int) -> dict[str, Any]:
    if case.hostile:
        text = HOSTILE_TEXT + "\n\u202eright-to-left\u202c \U0001f600 line two"
    elif case.huge and k == 0:
        sentence = " ".join(words.COMMENT_SENTENCES) + "\n"
        text = (sentence * (ONE_MIB // len(sentence) + 1))[:ONE_MIB]
    else:
        text = " ".join(case.rng.sample(words.COMMENT_SENTENCES, case.rng.randint(1, 3)))
    attachments = []
    if case.rich:
        attachments = [case.attachment("png" if not restricted else "pdf",
                                       restricted=restricted)]
    elif not case.hostile and case.rng.random() < 0.25:
        attachments = [case.attachment(case.rng.choice(ALL_KINDS), restricted=restricted)]
    return {
        "id": case.uid("comment"),
        "text": text,
        "isRestricted": restricted,
        "forms": [],
        "createdAt": case.ts(2 + k),
        "author": case.basic_user(),
        "attachments": attachments,
    }


def top_attachments(case: CaseContext) -> list[dict[str, Any]]:
    if case.rich:
        return [case.attachment(kind) for kind in ALL_KINDS]
    if case.hostile:
        return [case.attachment(kind, name) for name, kind in HOSTILE_FILE_NAMES]
    out = [case.attachment(case.rng.choice(ALL_KINDS)) for _ in range(case.rng.randint(0, 3))]
    if (case.index == case.data.SPECIAL["large_attachment"]
            and case.data.large_attachment_bytes > 0):
        out.append(case.attachment("png", "large-noise-scan.png",
                                   size=case.data.large_attachment_bytes))
    return out
