"""What Manage profiles shows of the selected profile: its services, environment, options and
which secrets the keyring holds for it — never a secret itself, only whether it is there.

``summary_rows`` is the wording (plain data in, label/value pairs out, tested without a window);
``ProfileSummary`` is the form that shows them. The keyring answer comes later (a worker reads
it), so the secrets row says "Looking…" until then.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QWidget

from caseviewer.core.profiles import Profile
from caseviewer.core.secrets import StoredState

#: The rows, in order: (key, label). Every row is always there, so the form never jumps.
ROWS = (
    ("environment", "Environment:"),
    ("list", "Case list:"),
    ("sign_in", "Signs in with:"),
    ("detail", "Case detail:"),
    ("options", "Options:"),
    ("secrets", "In the keyring:"),
)

#: What each stored secret is called on screen, in the order they are listed.
_SECRET_NAMES = (
    ("list_token", "bearer token"),
    ("password", "sign-in password"),
    ("detail_key", "API key"),
    ("cache_key", "offline cache key"),
    ("unlock_hash", "unlock passphrase (as a hash)"),
)

LOOKING = "Looking…"


def _secrets_text(profile: Profile, stored: StoredState | None, problem: str) -> str:
    if problem:
        return problem
    if stored is None:
        return LOOKING
    held = [name for kind, name in _SECRET_NAMES if getattr(stored, kind)]
    needed = []
    if profile.has_list:
        needed.append(("password", "sign-in password") if profile.signs_in_with_password else ("list_token", "bearer token"))
    if profile.has_detail:
        needed.append(("detail_key", "API key"))
    missing = [name for kind, name in needed if not getattr(stored, kind)]
    text = ", ".join(held) if held else "nothing yet"
    if missing:
        text += f" — missing: {', '.join(missing)} (Set secrets… adds it)"
    return text


def summary_rows(profile: Profile, stored: StoredState | None = None, problem: str = "") -> dict[str, str]:
    """The text of each row (``ROWS`` keys) for ``profile``; ``stored`` None while the keyring is
    being read, ``problem`` when it could not be."""
    environment = profile.environment or "none"
    environment += f" · colour {profile.color}" if profile.color else " · no colour of its own"
    if profile.has_list:
        case_list = profile.list_url or ""
        if profile.customer_id:
            case_list += f" · customer {profile.customer_id}"
        if profile.auth_url:
            case_list += f" · sign-in at {profile.auth_url}"
        sign_in = f"email and password ({profile.email})" if profile.signs_in_with_password else "a bearer token"
    else:
        case_list, sign_in = "not set up", "—"
    detail = profile.detail_url if profile.has_detail else "not set up"
    document_format = getattr(profile.document_format, "value", profile.document_format)
    options = f"{profile.page_size} cases a page · documents as {document_format}"
    if profile.allow_insecure:
        options += " · unencrypted http allowed"
    return {
        "environment": environment,
        "list": case_list,
        "sign_in": sign_in,
        "detail": detail or "",
        "options": options,
        "secrets": _secrets_text(profile, stored, problem),
    }


class ProfileSummary(QWidget):
    """The selected profile's rows as a form of selectable plain-text values."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("profileSummary")
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.setVerticalSpacing(2)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.values: dict[str, QLabel] = {}
        for key, title in ROWS:
            value = QLabel(objectName=f"summary_{key}")
            value.setTextFormat(Qt.TextFormat.PlainText)
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow(QLabel(title), value)
            self.values[key] = value
        self.show_profile(None)

    def show_profile(self, profile: Profile | None, stored: StoredState | None = None, problem: str = "") -> None:
        rows = summary_rows(profile, stored, problem) if profile is not None else {}
        for key, label in self.values.items():
            label.setText(rows.get(key, ""))
        self.setVisible(profile is not None)

    def text(self) -> str:
        return "\n".join(f"{key}: {label.text()}" for key, label in self.values.items())


__all__ = ["LOOKING", "ProfileSummary", "ROWS", "summary_rows"]
