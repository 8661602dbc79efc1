"""Deep links: ``caseviewer://case/ID?profile=NAME`` (registered by the .desktop file, ``%U``).

A link names a case by its opaque case id and, optionally, the profile to open it in; it never
carries a name, an email or anything else from the case, so it can be pasted into a chat or a
ticket. Anything else in a link is refused with a message saying what a link looks like.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, quote, urlsplit

SCHEME = "caseviewer"
#: Case ids are opaque ids (uuids in practice): letters, digits, '-', '_' only.
_CASE_ID = re.compile(r"^[A-Za-z0-9_-]{1,100}$")
_PROFILE = re.compile(r"^[\w .-]{1,80}$")
USAGE = "A caseviewer link looks like caseviewer://case/CASE_ID?profile=NAME (the profile is optional)."


@dataclass(frozen=True)
class DeepLink:
    case_id: str
    profile: str = ""

    def url(self) -> str:
        suffix = f"?profile={quote(self.profile)}" if self.profile else ""
        return f"{SCHEME}://case/{quote(self.case_id)}{suffix}"


def is_link(text: str) -> bool:
    return text.strip().lower().startswith(f"{SCHEME}:")


def parse_link(text: str) -> DeepLink:
    """The link in ``text``; ValueError (with ``USAGE``) for anything that is not a case link."""
    parts = urlsplit(text.strip())
    if parts.scheme.lower() != SCHEME or parts.netloc.lower() != "case":
        raise ValueError(f"Not a caseviewer case link. {USAGE}")
    case_id = parts.path.strip("/")
    if not _CASE_ID.match(case_id):
        raise ValueError(f"The link does not name a case id. {USAGE}")
    query = parse_qs(parts.query, keep_blank_values=True)
    unknown = set(query) - {"profile"}
    if unknown:
        raise ValueError(f"The link has parts caseviewer does not use ({', '.join(sorted(unknown))}). {USAGE}")
    profile = (query.get("profile") or [""])[-1].strip()
    if profile and not _PROFILE.match(profile):
        raise ValueError(f"The link's profile name is not valid. {USAGE}")
    return DeepLink(case_id, profile)


__all__ = ["DeepLink", "USAGE", "is_link", "parse_link"]
