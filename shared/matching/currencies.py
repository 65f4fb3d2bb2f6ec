"""Whether an amount in one currency may be the same payment as an amount in another.

A supplier abroad invoices in its own currency and the company pays from its euro
account: the bank line shows the euros debited, its reference the invoice's number.
The rate of the day is unknown here, but not any ratio will do: `plausibly_converted`
accepts the euros when they are within `RATE_BAND` of a rough reference rate (rates
drift, and the bank adds its margin and fees), so that an invoice's number quoted in
another payment's reference does not carry a wild amount with it.
"""

from __future__ import annotations

from decimal import Decimal

# Euros for one unit of each currency, rounded (2024-2025 levels): a bound, not a rate.
EUR_PER_UNIT: dict[str, Decimal] = {
    code: Decimal(rate)
    for code, rate in (
        ("EUR", "1"),
        ("USD", "0.92"),
        ("GBP", "1.17"),
        ("CHF", "1.04"),
        ("CNY", "0.127"),
        ("JPY", "0.0062"),
        ("CAD", "0.67"),
        ("AUD", "0.61"),
        ("NZD", "0.55"),
        ("SEK", "0.088"),
        ("NOK", "0.086"),
        ("DKK", "0.134"),
        ("PLN", "0.232"),
        ("CZK", "0.04"),
        ("HUF", "0.0025"),
        ("RON", "0.201"),
        ("BGN", "0.511"),
        ("TRY", "0.027"),
        ("MAD", "0.092"),
        ("TND", "0.296"),
        ("HKD", "0.118"),
        ("SGD", "0.69"),
        ("INR", "0.011"),
        ("AED", "0.25"),
        ("ZAR", "0.05"),
        ("MXN", "0.05"),
        ("BRL", "0.17"),
        ("KRW", "0.00067"),
        ("ILS", "0.25"),
        ("THB", "0.026"),
    )
}
# How far the amounts' ratio may stray from the reference rates' (either way).
RATE_BAND = Decimal("1.5")


def plausibly_converted(amount: Decimal, currency: str, paid: Decimal, paid_in: str) -> bool:
    """`paid` (in `paid_in`) may be `amount` (in `currency`) converted, fees included.

    >>> plausibly_converted(Decimal("6361.68"), "USD", Decimal("6228.39"), "EUR")
    True
    >>> plausibly_converted(Decimal("6361.68"), "USD", Decimal("622.84"), "EUR")
    False
    >>> plausibly_converted(Decimal("100"), "XYZ", Decimal("90"), "EUR")
    False
    """
    rate_from, rate_to = EUR_PER_UNIT.get(currency), EUR_PER_UNIT.get(paid_in)
    if rate_from is None or rate_to is None or amount <= 0 or paid <= 0:
        return False
    expected = amount * rate_from / rate_to
    return expected / RATE_BAND <= paid <= expected * RATE_BAND
