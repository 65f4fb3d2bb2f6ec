from decimal import Decimal

import pytest

from shared.domain.identifiers import Iban, InvalidIdentifier, phone_e164, validate_siren
from shared.domain.money import InvalidMoney, Money


def test_money_refuses_float():
    with pytest.raises(InvalidMoney):
        Money.parse(0.1, "EUR")  # type: ignore[arg-type]


def test_money_refuses_more_decimals_than_the_currency_has():
    with pytest.raises(InvalidMoney):
        Money.parse("1.005", "EUR")
    with pytest.raises(InvalidMoney):
        Money.parse("10.5", "JPY")


def test_minor_units_round_trip_for_two_and_three_decimal_currencies():
    assert Money.parse("-42.5", "EUR").minor_units == -4250
    assert Money.from_minor(-4250, "EUR").amount == Decimal("-42.50")
    assert Money.parse("1.234", "KWD").minor_units == 1234


def test_iban_is_validated_and_compacted():
    assert Iban("fr76 3000 6000 0112 3456 7890 189").compact == "FR7630006000011234567890189"
    with pytest.raises(InvalidIdentifier):
        Iban("FR7630006000011234567890188")


def test_siren_checksum():
    assert validate_siren("303 265 045") == "303265045"
    with pytest.raises(InvalidIdentifier):
        validate_siren("303265046")


@pytest.mark.parametrize("raw", ["whatsapp:+33612345678", "+33 6 12 34 56 78", "0033612345678"])
def test_phone_numbers_normalise_to_e164(raw):
    assert phone_e164(raw) == "+33612345678"


@pytest.mark.parametrize("raw", ["0612345678", "+0612", "hello"])
def test_non_e164_phone_numbers_are_refused(raw):
    with pytest.raises(InvalidIdentifier):
        phone_e164(raw)
