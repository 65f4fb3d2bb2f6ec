"""Amounts, dates and identifiers in FR, ES, EN and DE conventions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from shared.extraction.parsing import (
    detect_currency,
    find_amounts,
    find_dates,
    find_ibans,
    find_sirens,
    find_vat_candidates,
    find_vat_numbers,
    is_currency_mark,
    siren_from_vat,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("TOTAL TTC 1 234,56 €", ["1234.56"]),
        ("Summe EUR 1.234,56", ["1234.56"]),
        ("Grand Total $1,234.56", ["1234.56"]),
        ("Total a pagar 12,00 EUR IVA 21% 2,08", ["12.00", "2.08"]),
        ("Rabatt 3,50-", ["-3.50"]),
        ("Total : 9.00", ["9.00"]),
        ("Qty 9.000 unit", []),
        ("Date 25/12/2018 8:13:39", []),
        ("Zahlungsziel 27.08.2023", []),  # a dotted date is not the amount 27.08
        ("Datum 01.11.2024 Betrag 12.50", ["12.50"]),
        ("Total 12.50.", ["12.50"]),
    ],
)
def test_amounts_follow_local_conventions(text, expected):
    assert [str(a.value) for a in find_amounts(text)] == expected


def test_integer_amounts_count_only_next_to_a_currency_marker():
    assert [str(a.value) for a in find_amounts("Grand Total Rs 1939", integers=True)] == ["1939.00"]
    assert find_amounts("Rooms 1 Night 2", integers=True) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Datum: 02.03.2020 12:31", date(2020, 3, 2)),
        ("Date: 25/12/2018 8:13:39 PM", date(2018, 12, 25)),
        ("30 DEC 17", date(2017, 12, 30)),
        ("Invoice Date: August 3 , 2014", date(2014, 8, 3)),
        ("Le 28 novembre 2022", date(2022, 11, 28)),
        ("Fecha: 8 de septiembre de 2022", date(2022, 9, 8)),
        ("Rechnungsdatum 3. März 2020", date(2020, 3, 3)),
        ("2020-03-02", date(2020, 3, 2)),
        ("12-05-19", date(2019, 5, 12)),
        ("Datum: 16. Mrz. 2026", date(2026, 3, 16)),
        ("Wien, am 7. Jänner 2026", date(2026, 1, 7)),
        ("3. Feber 2026", date(2026, 2, 3)),
        ("Fecha: 16 de marzo del 2026", date(2026, 3, 16)),
        ("Date : 16\u201103\u20112026", date(2026, 3, 16)),  # non-breaking hyphens
    ],
)
def test_dates_in_four_languages(text, expected):
    assert find_dates(text)[0].value == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # American tills: the short year after an apostrophe, the day glued to the month,
        # the year glued to the day's comma or to the time, a comma and a space after the
        # year, the l of July read as a one.
        ("Jun17'13 09:35PM", date(2013, 6, 17)),
        ("Oct.10'15(Sat)", date(2015, 10, 10)),
        ("APR11:17 4:03PM", date(2017, 4, 11)),
        ("WED JULY20,2011", date(2011, 7, 20)),
        ("JUL 09,2008 16:35:19", date(2008, 7, 9)),
        ("Date: Nov 11 201123:00:54", date(2011, 11, 11)),
        ("Cashier 1, 12/28/18, 03:12 PM", date(2018, 12, 28)),
        ("Ju103'12 02:34PM", date(2012, 7, 3)),
    ],
)
def test_american_till_dates(text, expected):
    assert [d.value for d in find_dates(text)] == [expected]


def test_a_decimal_comma_after_a_short_year_is_no_date():
    assert find_dates("Total 12/03/20,50") == []
    assert find_dates("MAR 2019") == []


def test_numeric_date_is_day_first_unless_told_otherwise():
    assert find_dates("03/04/2021")[0].value == date(2021, 4, 3)
    assert find_dates("03/04/2021", month_first=True)[0].value == date(2021, 3, 4)
    assert find_dates("12/31/2021")[0].value == date(2021, 12, 31)


def test_identifiers_are_checksum_validated():
    assert find_vat_numbers("TVA intracom : FR 60 421 938 861") == ["FR60421938861"]
    assert find_vat_numbers("TVA FR 61 421 938 861") == []  # wrong key
    assert find_ibans("IBAN NL50 INGB 0683 2513 09 BIC INGBNL2A") == ["NL50INGB0683251309"]
    assert find_ibans("IBAN NL51 INGB 0683 2513 09") == []
    assert find_sirens("SIRET 421 938 861 00018") == ["421938861"]
    assert siren_from_vat("FR60421938861") == "421938861"


def test_vat_number_glued_to_its_label():
    # OCR lost the colon and space after the label: a small letter, then the country code.
    assert find_vat_numbers("Vat/Tax numberESF24270589") == ["ESF24270589"]
    assert find_vat_numbers("USt-IdNrDE136695976") == ["DE136695976"]
    assert find_vat_numbers("VAT NUMBERDE136695976") == []  # capitals: no boundary to tell


def test_vat_number_after_a_tax_id_type_that_opens_with_a_country_code():
    # Stripe prints the id's type before it: "FR TVA", "ES VAT", "EU VAT".
    assert find_vat_numbers("FR TVA FR60 421 938 861") == ["FR60421938861"]
    assert find_vat_candidates("ES VAT ESA01946185") == [("ESA01946185", True)]
    assert find_vat_candidates("DE USt. DE123456789") == [("DE123456789", False)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("EUR", True),
        (" (€)", True),
        ("in CHF", True),
        ("TVA", False),
        ("TTC", False),
        ("ALL", False),
    ],
)
def test_a_currency_mark_alone(text, expected):
    # A code that is also a word ("ALL") or a tax's name ("TVA") is no currency mark.
    assert is_currency_mark(text) is expected


def test_currency_from_symbols_and_codes():
    assert detect_currency("Total 12,50 €")[0] == "EUR"
    assert detect_currency("TOTAL (RM) 9.00")[0] == "MYR"
    assert detect_currency("no money here") == (None, 0.0)
    assert isinstance(find_amounts("1,00")[0].value, Decimal)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("€ 717,97", [Decimal("717.97")]),  # not also "€ 71", the start of it
        ("RM 8.80", [Decimal("8.80")]),
        ("EUR 17,97", [Decimal("17.97")]),
        ("Rs. 1939", [Decimal("1939.00")]),
        ("1939 €", [Decimal("1939.00")]),  # a marker that ends the text
        ("50 euros", [Decimal("50.00")]),
        ("12 EURX", []),
        ("EUR 14 950,37", [Decimal("14950.37")]),  # not also "EUR 14", its thousands
        ("£ 1 495,04", [Decimal("1495.04")]),
        ("14\u00a0950,37 €", [Decimal("14950.37")]),  # no-break spaces group thousands
        ("EUR 14\u202f950,37", [Decimal("14950.37")]),
    ],
)
def test_an_amount_after_a_currency_marker_is_read_once_whole(text, expected):
    assert [a.value for a in find_amounts(text, integers=True)] == expected


@pytest.mark.parametrize(
    "text, value",
    [
        ("Total with tax: -€21,423.09", "-21423.09"),  # English: the minus before the sign
        ("-£1,234.50", "-1234.50"),
        ("Total: \u221221.423,09 €", "-21423.09"),  # the typographic minus (U+2212)
        ("12,00\u2212", "-12.00"),
        ("€21.00", "21.00"),
    ],
)
def test_negative_amounts_as_locales_write_them(text, value):
    assert [a.value for a in find_amounts(text)] == [Decimal(value)]
