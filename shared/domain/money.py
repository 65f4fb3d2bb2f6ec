"""Exact money: a Decimal amount in an ISO 4217 currency, stored as integer minor units.

>>> Money.parse("1234.5", "eur")
Money(amount=Decimal('1234.50'), currency='EUR')
>>> Money.parse("1234.5", "EUR").minor_units
123450
>>> Money.from_minor(-999, "JPY")
Money(amount=Decimal('-999'), currency='JPY')
>>> Money.parse(0.1, "EUR")
Traceback (most recent call last):
...
shared.domain.money.InvalidMoney: amounts must be Decimal, int or str, never float: 0.1
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

from shared.errors import Invalid

# ISO 4217 minor-unit exponents that differ from 2; every other code has 2.
_EXPONENTS = {
    "BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0,
    "PYG": 0, "RWF": 0, "UGX": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
    "BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
}  # fmt: skip


class InvalidMoney(Invalid):
    pass


def currency_exponent(currency: str) -> int:
    return _EXPONENTS.get(currency, 2)


def normalize_currency(currency: str) -> str:
    code = (currency or "").strip().upper()
    if len(code) != 3 or not code.isalpha():
        raise InvalidMoney(f"not an ISO 4217 currency code: {currency!r}")
    return code


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str

    @classmethod
    def parse(cls, amount: Decimal | int | str, currency: str) -> Money:
        if isinstance(amount, float):
            raise InvalidMoney(f"amounts must be Decimal, int or str, never float: {amount}")
        code = normalize_currency(currency)
        try:
            value = Decimal(str(amount).strip())
        except InvalidOperation as exc:
            raise InvalidMoney(f"not a decimal amount: {amount!r}") from exc
        if not value.is_finite():
            raise InvalidMoney(f"not a finite amount: {amount!r}")
        quantum = Decimal(1).scaleb(-currency_exponent(code))
        rounded = value.quantize(quantum, rounding=ROUND_HALF_EVEN)
        if rounded != value:
            raise InvalidMoney(f"{amount} has more decimals than {code} allows")
        return cls(rounded, code)

    @classmethod
    def from_minor(cls, minor_units: int, currency: str) -> Money:
        code = normalize_currency(currency)
        return cls(Decimal(int(minor_units)).scaleb(-currency_exponent(code)), code)

    @property
    def minor_units(self) -> int:
        return int(self.amount.scaleb(currency_exponent(self.currency)))

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"
