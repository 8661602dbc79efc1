"""Timestamps as the services send them, turned into datetimes without ever raising.

The one implementation for the whole app (the views, the table, the cache's sort keys). Service
values are strings in ISO 8601 that may be anything: a date at the edge of the calendar
(``9999-12-31T23:59:59-14:00``, ``0001-01-01T00:00:00+14:00``) is a valid ISO string that cannot
be moved into every local time zone, because the result would fall outside ``datetime``'s years
1..9999. Every conversion here catches that and answers ``None``, and callers then show the value
as sent. Epoch arithmetic uses timedelta differences, which cannot overflow, instead of
``datetime.timestamp()``, which can on some platforms and zones.

Formatting is done by hand (``f"{year:04d}"``) rather than with ``strftime``: glibc's ``%Y``
prints year 1 as ``1``, and ``strftime`` is locale dependent.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import NamedTuple

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_EPOCH_NAIVE = datetime(1970, 1, 1)

#: Longer strings are not timestamps; parsing is skipped so a megabyte "date" costs nothing.
_MAX_LENGTH = 64


def parse(value: object) -> datetime | None:
    """The datetime ``value`` spells (aware when it has an offset, naive otherwise), or None."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text or len(text) > _MAX_LENGTH:
        return None
    try:
        return datetime.fromisoformat(text)
    except (ValueError, TypeError, OverflowError):
        return None


def is_date_only(value: object) -> bool:
    """True for a bare ``YYYY-MM-DD`` (shown as a date, never shifted by a time zone)."""
    if not isinstance(value, str):
        return False
    text = value.strip()
    if len(text) != 10 or text[4:5] != "-":
        return False
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def to_local(moment: datetime | None) -> datetime | None:
    """An aware datetime in the local zone (naive ones stay as they are); None if out of range."""
    if moment is None or moment.tzinfo is None:
        return moment
    try:
        return moment.astimezone()
    except (OverflowError, ValueError, OSError):
        return None


def to_zone(moment: datetime | None, zone) -> datetime | None:
    """An aware datetime in ``zone``; None if naive or the result falls off the calendar."""
    if moment is None or moment.tzinfo is None:
        return None
    try:
        return moment.astimezone(zone)
    except (OverflowError, ValueError, OSError):
        return None


class Day(NamedTuple):
    """A moment's calendar day: in local time, or (``as_sent``) in the offset the service gave
    when local time would fall off the calendar."""

    day: date
    as_sent: bool = False


def local_day(moment: datetime | None) -> Day | None:
    """The local calendar day of ``moment`` (a naive one's own day); never raises.

    ``9999-12-31T23:59:59-14:00`` is a day after 9999-12-31 in most zones, which ``datetime``
    cannot hold: its day is then the one it was sent with (``as_sent``), so a timeline can still
    put it under a day heading."""
    if moment is None:
        return None
    local = to_local(moment)
    if local is None:
        return Day(moment.date(), as_sent=True)
    return Day(local.date())


def parse_local(value: object) -> datetime | None:
    """``value`` in local time (naive values stay naive); None if unparseable or unconvertible."""
    return to_local(parse(value))


def epoch_seconds(moment: datetime | None, *, naive_is_local: bool = True) -> float | None:
    """Seconds since 1970 (naive values read as local time, or UTC); never overflows."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        if naive_is_local:
            local = to_local(moment.replace(tzinfo=timezone.utc))
            offset = local.utcoffset() if local is not None else None
            # The local offset at that moment, applied without building an out-of-range datetime.
            return ((moment - _EPOCH_NAIVE) - (offset or timedelta())).total_seconds()
        return (moment - _EPOCH_NAIVE).total_seconds()
    return (moment - _EPOCH).total_seconds()


def epoch_ms(value: object) -> int | None:
    """Milliseconds since 1970 of an ISO string (naive read as UTC, as the list service means)."""
    seconds = epoch_seconds(parse(value), naive_is_local=False)
    return None if seconds is None else round(seconds * 1000)


def sort_key(value: object) -> float:
    """A sort key for a timestamp string: unparseable values sort first."""
    seconds = epoch_seconds(parse(value))
    return float("-inf") if seconds is None else seconds


def format_date_time(moment: datetime, *, seconds: bool = False) -> str:
    """``2025-06-30 18:05`` for any year 1..9999 (four-digit years, no locale)."""
    text = f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d} {moment.hour:02d}:{moment.minute:02d}"
    return text + f":{moment.second:02d}" if seconds else text


def format_clock(moment: datetime) -> str:
    return f"{moment.hour:02d}:{moment.minute:02d}"


def zone_name(moment: datetime) -> str:
    """The zone abbreviation (``CEST``) or offset of an aware datetime; "" for a naive one."""
    if moment.tzinfo is None:
        return ""
    try:
        return moment.tzname() or ""
    except (OverflowError, ValueError):
        return ""


def format_local(value: object, *, with_zone: bool = False) -> str | None:
    """``value`` as local ``YYYY-MM-DD HH:MM`` (+ zone); None when it cannot be shown converted."""
    moment = parse_local(value)
    if moment is None:
        return None
    text = format_date_time(moment)
    if with_zone:
        zone = zone_name(moment)
        if zone:
            text += " " + zone
    return text


__all__ = [
    "Day", "epoch_ms", "epoch_seconds", "format_clock", "format_date_time", "format_local", "is_date_only",
    "local_day", "parse", "parse_local", "sort_key", "to_local", "to_zone", "zone_name",
]
