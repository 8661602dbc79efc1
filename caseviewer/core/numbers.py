"""Numbers from the services, read with bounds: money, counts and ids that may be absurd.

A hostile or broken service can send ``"amount": "1e999999"``: ``Decimal`` reads it in no time,
but formatting it with ``'f'`` writes out a million digits (minutes of CPU on the GUI thread)
and arithmetic on ``1e1000000`` raises ``decimal.Overflow``. So every amount is parsed here with
a bounded context and classified: a readable amount, an absurd one (shown as sent, with a warning
mark, never summed) or text that is no number at all. Nothing is ever expanded digit by digit.

Integers can exceed 64 bits (``status.id`` of 2**63): SQLite stores at most a signed 64-bit
integer, so ``sql_int`` gives None for anything wider (the raw JSON keeps the value as sent).
"""

from __future__ import annotations

import decimal
import enum
from dataclasses import dataclass
from decimal import Decimal

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1

#: Amounts of 10**15 or more (a quadrillion) are not money anyone is paid: they are shown as sent.
MAX_AMOUNT_EXPONENT = 15

#: A longer string is not an amount; it is not even handed to ``Decimal``.
_MAX_AMOUNT_TEXT = 64

#: Bounded arithmetic: 34 significant digits, exponents well inside what formatting can afford.
#: Overflow traps instead of producing Infinity, and the caller treats that as absurd.
MONEY_CONTEXT = decimal.Context(
    prec=34, Emax=999, Emin=-999, rounding=decimal.ROUND_HALF_EVEN,
    traps=[decimal.Overflow, decimal.InvalidOperation, decimal.DivisionByZero],
)

_CENT = Decimal("0.01")

#: The mark shown next to an amount that was kept as sent because it is absurd.
WARNING_MARK = "⚠"


class AmountKind(enum.Enum):
    MISSING = "missing"      # None or blank
    OK = "ok"                # a finite amount within bounds: ``value`` holds it
    ABSURD = "absurd"        # a number, but too large (or not finite) to be money
    UNREADABLE = "unreadable"  # not a number at all


@dataclass(frozen=True)
class Amount:
    kind: AmountKind
    value: Decimal | None = None  # only for OK, already rounded to cents
    text: str = ""               # what was sent, stripped

    @property
    def countable(self) -> bool:
        return self.kind is AmountKind.OK


def parse_amount(value: object) -> Amount:
    """Classify ``value`` (a string or a JSON number) as money; never raises, never expands digits."""
    if value is None or isinstance(value, bool):
        return Amount(AmountKind.MISSING if value is None else AmountKind.UNREADABLE, text=str(value or ""))
    text = str(value).strip() if isinstance(value, (str, int, float, Decimal)) else ""
    if isinstance(value, int) and not isinstance(value, bool):
        # str() of a huge int is itself bounded by Python (4300 digits); only its size matters.
        if value.bit_length() > 64:
            return Amount(AmountKind.ABSURD, text=huge_int_text(value))
        text = str(value)
    if not text:
        return Amount(AmountKind.MISSING if isinstance(value, str) else AmountKind.UNREADABLE)
    if len(text) > _MAX_AMOUNT_TEXT:
        kind = AmountKind.ABSURD if _looks_numeric(text) else AmountKind.UNREADABLE
        return Amount(kind, text=text)
    try:
        # Built exactly (no context), which is cheap even for "1e999999"; bounds come next.
        amount = Decimal(text.replace(",", ""))
    except (decimal.InvalidOperation, ValueError):
        return Amount(AmountKind.UNREADABLE, text=text)
    if not amount.is_finite():
        return Amount(AmountKind.ABSURD if not amount.is_nan() else AmountKind.UNREADABLE, text=text)
    if amount and amount.adjusted() >= MAX_AMOUNT_EXPONENT:
        return Amount(AmountKind.ABSURD, text=text)
    try:
        rounded = amount.quantize(_CENT, context=MONEY_CONTEXT) if amount.adjusted() > -40 else Decimal("0.00")
    except decimal.DecimalException:
        return Amount(AmountKind.ABSURD, text=text)
    return Amount(AmountKind.OK, rounded, text)


def _looks_numeric(text: str) -> bool:
    head = text[:64].lstrip("+-")
    return bool(head) and (head[0].isdigit() or head[0] == ".")


def huge_int_text(value: int) -> str:
    """A huge int as "(a 25-digit number)" without converting its digits (Python refuses
    ``str()`` of 4300+ digits, and a shorter one is still too long to read)."""
    digits = value.bit_length() * 30103 // 100000  # log10(2) ≈ 0.30103
    return f"{'-' if value < 0 else ''}(a {digits + 1}-digit number)"


def sum_amounts(values) -> tuple[Decimal, int]:
    """The sum of the countable amounts and how many non-missing ones were left out."""
    total = Decimal("0.00")
    skipped = 0
    for value in values:
        amount = value if isinstance(value, Amount) else parse_amount(value)
        if amount.countable:
            try:
                total = MONEY_CONTEXT.add(total, amount.value)
            except decimal.DecimalException:  # pragma: no cover - bounded inputs cannot overflow
                skipped += 1
        elif amount.kind is not AmountKind.MISSING:
            skipped += 1
    return total, skipped


def format_decimal(amount: Decimal) -> str:
    """``1234.5`` -> ``1,234.50``; only ever called on bounded amounts."""
    if not amount.is_finite() or (amount and amount.adjusted() >= MAX_AMOUNT_EXPONENT + 4):
        return f"{amount:.6e}"  # never 'f' on a huge exponent
    return f"{amount:,.2f}"


def sql_int(value: object) -> int | None:
    """``value`` if it fits SQLite's signed 64-bit INTEGER, else None (the raw JSON keeps it)."""
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if INT64_MIN <= value <= INT64_MAX else None


__all__ = [
    "Amount", "AmountKind", "INT64_MAX", "INT64_MIN", "MONEY_CONTEXT", "WARNING_MARK",
    "format_decimal", "huge_int_text", "parse_amount", "sql_int", "sum_amounts",
]
