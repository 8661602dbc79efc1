"""Display helpers shared by the views: timestamps, people, money, sizes, flags and codes.

The rules are core's (``core/text.py``, ``core/timestamps.py``, ``core/numbers.py``,
``core/vocabulary.py``; ``elide``, ``human_size`` are imported from there for the views); this
module words them for widgets. Everything here turns service values (the lenient models' strings, which may be missing, oddly
formatted or hostile) into plain display strings. Nothing here builds widgets, so table models and
widgets use the same wording. A value that cannot be interpreted is shown as sent, never dropped.
"""

from __future__ import annotations

import html
import json
from datetime import datetime
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QLocale

from caseviewer.core import numbers, timestamps
from caseviewer.core.text import elide, full_name, human_size, humanise_code, show_controls
from caseviewer.core.privacy import mask_text
from caseviewer.core import vocabulary
from caseviewer.core.vocabulary import Vocab

MISSING = "—"

#: The decision ``visitType`` words (kept under this name for older callers; the one table is
#: ``core.vocabulary``).
VISIT_TYPES = {code: vocabulary.label(Vocab.VISIT_TYPE, code) for code in vocabulary.codes(Vocab.VISIT_TYPE)}


def clean(text: str | None) -> str:
    """Service text with control and bidi characters made visible; ``None`` becomes ""."""
    # Bidi overrides and other control characters could reorder or hide what a reviewer reads
    # (``invoice\u202egnp.exe``); they are shown as visible ``<U+202E>`` markers.
    return show_controls(text)


def or_missing(text: str | None) -> str:
    cleaned = clean(text)
    return cleaned if cleaned.strip() else MISSING


def one_line(text: str | None, limit: int = 300) -> str:
    """Text for a table cell: whitespace collapsed, cut at ``limit`` characters."""
    text = mask_text(text) if text else text  # before cutting: a cut comment would no longer match
    flat = " ".join(clean(text[: limit * 4] if text else text).split())
    return elide(flat, limit) if flat else ""


def plain_tooltip(text: str | None, limit: int = 1000) -> str:
    """A tooltip that shows ``text`` literally.

    Qt guesses whether a tooltip is rich text, so a service string like ``<b>x</b>`` would render
    bold (or worse). Escaping it inside a paragraph forces the rich-text path with inert text.
    """
    if not text:
        return ""
    body = html.escape(elide(mask_text(clean(text)), limit))
    return f'<p style="white-space:pre-wrap">{body}</p>'


# -- timestamps --------------------------------------------------------------------------------


def is_date_only(value: str | None) -> bool:
    return timestamps.is_date_only(value)


def format_timestamp(value: str | None, *, with_zone: bool = False) -> str:
    """Local time as ``2025-06-30 18:05`` (dates stay dates); unparseable values as sent."""
    if not value:
        return MISSING
    if is_date_only(value):
        return clean(value.strip())
    text = timestamps.format_local(value, with_zone=with_zone)
    return text if text is not None else clean(value)


def timestamp_tooltip(value: str | None) -> str:
    """The exact string the service sent, for the tooltip of a formatted timestamp."""
    return plain_tooltip(f"{value}  (as sent by the service)") if value else ""


def timestamp_sort_key(value: str | None) -> float:
    return timestamps.sort_key(value)


# -- people ------------------------------------------------------------------------------------


def user_name(user: Any) -> str:
    """A user's display name: "First Last", else their id, else "—"."""
    if user is None:
        return MISSING
    name = full_name(user)
    if name:
        return clean(name)
    return or_missing(getattr(user, "id", None))


def user_tooltip(user: Any) -> str:
    """Id (and email, where the object has one) of a user, for hover."""
    if user is None:
        return ""
    parts = [f"ID: {user.id}" if getattr(user, "id", None) else ""]
    if getattr(user, "email", None):
        parts.append(f"Email: {user.email}")
    return plain_tooltip("\n".join(p for p in parts if p))


def clinician_name(user: Any) -> str:
    """"Dr. Eden Northcott, MD" from a decision's ``addedBy``."""
    if user is None:
        return MISSING
    name = user_name(user)
    if getattr(user, "title", None):
        name = f"{clean(user.title)} {name}"
    if getattr(user, "title_suffix", None):
        name = f"{name}, {clean(user.title_suffix)}"
    return name


def address_lines(user: Any) -> str:
    """Postal address on up to three lines; empty parts skipped."""
    if user is None:
        return ""
    street = [clean(getattr(user, key, None)) for key in ("address", "address2")]
    city = clean(getattr(user, "city", None))
    state_zip = " ".join(clean(getattr(user, key, None)) for key in ("state", "postal_code") if getattr(user, key, None))
    last = ", ".join(p for p in (city, state_zip) if p)
    country = clean(getattr(user, "country", None))
    return "\n".join(p for p in (*street, last, country) if p)


# -- money, sizes, flags, codes ----------------------------------------------------------------


def parse_money(value: str | None) -> Decimal | None:
    """A readable amount rounded to cents; None when missing, unreadable or absurd."""
    return numbers.parse_amount(value).value


def format_decimal(amount: Decimal) -> str:
    return numbers.format_decimal(amount)


def format_money(value: str | None) -> str:
    """``"1234.5"`` -> ``"1,234.50"``; unreadable amounts as sent, absurd ones as sent with a
    warning mark (never expanded), missing ones "—"."""
    amount = numbers.parse_amount(value)
    if amount.kind is numbers.AmountKind.MISSING:
        return MISSING
    if amount.kind is numbers.AmountKind.OK:
        return numbers.format_decimal(amount.value)
    shown = elide(clean(amount.text or str(value)), 40)
    if amount.kind is numbers.AmountKind.ABSURD:
        return f"{numbers.WARNING_MARK} {shown} (not a plausible amount; not counted)"
    return shown


def sum_money(values: list[str | None]) -> tuple[Decimal, int]:
    """The sum of the readable amounts and how many non-empty ones were left out (unreadable or
    absurd)."""
    return numbers.sum_amounts(values)


def yes_no(value: bool | None, yes: str = "Yes", no: str = "No") -> str:
    if value is None:
        return MISSING
    return yes if value else no


def pretty_code(code: str | None) -> str:
    """``IN_PROGRESS`` -> "In progress" (``core.text.humanise_code``); missing codes read "—"."""
    return humanise_code(code, missing=MISSING)


def visit_type_label(code: str | None) -> str:
    """A decision's ``visitType`` as words."""
    return word(Vocab.VISIT_TYPE, code)


def word(vocab: Vocab | None, code: str | None) -> str:
    """A service code in words (``core.vocabulary``); unknown codes humanised, never raw."""
    if vocab is None:
        return pretty_code(code)
    return clean(vocabulary.label(vocab, code))


def code_tooltip(code: str | None) -> str:
    """The code as the service sent it, for the tooltip of its words."""
    return plain_tooltip(f"{code}  (as sent by the service)") if code else ""


def field_label(key: str) -> str:
    """A wire name (``pharmacyNotes``) as a label ("Pharmacy notes")."""
    return clean(vocabulary.field_label(key))


def format_currency(value: str | None, currency: str | None = None, locale: QLocale | None = None) -> str:
    """An amount with its currency in the reader's locale (``QLocale``): "$1,234.50" in en_US,
    "1.234,50 $" in de_DE for USD. Unparseable amounts as sent, missing ones "—"."""
    parsed = numbers.parse_amount(value)
    if parsed.kind is not numbers.AmountKind.OK:
        return format_money(value)  # missing, unreadable or absurd: one wording (never expanded)
    amount = parsed.value
    loc = locale if locale is not None else QLocale()
    if loc.language() == QLocale.Language.C:  # no locale set (C/POSIX): Qt writes "175.49$"
        loc = QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
    code = (currency or vocabulary.DEFAULT_CURRENCY).upper()
    if loc.currencySymbol(QLocale.CurrencySymbolFormat.CurrencyIsoCode).upper() == code:
        return loc.toCurrencyString(float(amount))
    symbol = QLocale(_CURRENCY_LOCALES.get(code, loc.name())).currencySymbol(QLocale.CurrencySymbolFormat.CurrencySymbol)
    if code not in _CURRENCY_LOCALES or not symbol:
        symbol = code
    return loc.toCurrencyString(float(amount), symbol)


#: Where a currency's symbol comes from when the reader's locale uses another currency.
_CURRENCY_LOCALES = {"USD": "en_US", "EUR": "de_DE", "GBP": "en_GB", "CAD": "en_CA", "AUD": "en_AU",
                     "JPY": "ja_JP", "CHF": "de_CH", "MXN": "es_MX"}


def format_date(value: str | None, locale: QLocale | None = None) -> str:
    """A date-only value (``1985-03-12``) as a date in the reader's locale; others as timestamps."""
    if not value:
        return MISSING
    moment = timestamps.parse_local(value)
    if moment is None or not is_date_only(value):
        return format_timestamp(value)
    from PySide6.QtCore import QDate

    loc = locale if locale is not None else QLocale()
    day = QDate(moment.year, moment.month, moment.day)
    if loc.language() == QLocale.Language.C:  # no locale set (C/POSIX): Qt's "7 07 2025" reads badly
        return day.toString("yyyy-MM-dd")
    return loc.toString(day, QLocale.FormatType.ShortFormat)


def subscription_text(subscription: Any) -> str:
    """"every 2 months", "every month", or "No subscription" when there is none."""
    if subscription is None:
        return "No subscription"
    interval, count = getattr(subscription, "interval", None), getattr(subscription, "interval_count", None)
    if not interval and count is None:
        return "No subscription"
    unit = clean(interval) or "period"
    if count is None or count == 1:
        return f"every {unit}"
    return f"every {count} {unit}s"


def any_text(value: Any, limit: int = 2000) -> str:
    """A free-form value (activity before/after, extra fields) as compact text."""
    if value is None:
        return MISSING
    if isinstance(value, str):
        return elide(clean(value), limit)
    if isinstance(value, bool):
        return yes_no(value)
    try:
        text = json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        text = repr(value)
    return elide(clean(text), limit)


def _range_text(first: datetime, last: datetime) -> str:
    same_day = first.date() == last.date()
    end_text = timestamps.format_clock(last) if same_day else timestamps.format_date_time(last)
    return f"{timestamps.format_date_time(first)} – {end_text}"


def format_time_range(start: str | None, end: str | None) -> str:
    """"2025-07-07 10:00 – 10:30 CEST" in local time (the end date repeats only if it differs)."""
    first, last = timestamps.parse_local(start), timestamps.parse_local(end)
    if first is None or last is None:
        return f"{format_timestamp(start)} – {format_timestamp(end)}"
    return f"{_range_text(first, last)} {timestamps.zone_name(last)}".strip()


def format_in_zone(start: str | None, end: str | None, zone_name: str | None) -> str | None:
    """The same range in the event's own time zone, or None when that zone is unknown here."""
    if not zone_name:
        return None
    try:
        from zoneinfo import ZoneInfo

        zone = ZoneInfo(zone_name)
    except (ValueError, KeyError, OSError, ImportError):
        return None
    except Exception:  # noqa: BLE001 - ZoneInfoNotFoundError and odd names from the service
        return None
    first = timestamps.to_zone(timestamps.parse(start), zone)
    last = timestamps.to_zone(timestamps.parse(end), zone)
    if first is None or last is None:
        return None
    return f"{_range_text(first, last)} ({clean(zone_name)})"
