"""Why the repository reads from the offline cache: the one vocabulary for "offline".

``OfflineReason`` is a ``str`` enum so a reason still compares equal to its wire-era text
("chosen", "unreachable") and ``ONLINE`` is falsy (``bool(reason)`` means "offline").
"""

from __future__ import annotations

import enum


class OfflineReason(str, enum.Enum):
    """Online, offline by the reviewer's choice, or offline because a service did not answer."""

    ONLINE = ""
    #: The reviewer chose Work offline; it stays until undone.
    CHOSEN = "chosen"
    #: A fetch found the services unreachable; it stays until a probe finds them answering.
    UNREACHABLE = "unreachable"

    def __str__(self) -> str:
        return self.value


#: Offline, with no cached list of the customer to show (one wording for every way of listing).
LIST_NOT_CACHED = (
    "You are offline and the case list of this customer is not in the offline cache. "
    "Open the list once online, or run \"caseviewer sync\", to read it offline."
)


__all__ = ["LIST_NOT_CACHED", "OfflineReason"]
