"""Receipt dates against other events' dates and the US month-first convention."""

from __future__ import annotations

from datetime import date

from shared.extraction.fields import extract_fields
from shared.extraction.layout import Box, Line


def _lines(*rows: str) -> list[Line]:
    return [
        Line([Box(text, 40.0, 30.0 * y, 40.0 + 10 * len(text), 30.0 * y + 20, 0.95)])
        for y, text in enumerate(rows)
    ]


def _ocr_date(*rows: str) -> date | None:
    """The issue date read from OCR'd rows, one box each."""
    return extract_fields(_lines(*rows), source="ocr").issue_date


def test_expected_delivery_date_is_not_the_order_date():
    assert _ocr_date(
        "Maison Orme",
        "Confirmation de commande",
        "Date de commande: 01/10/2025",
        "Livraison prévue le: 5 oct. 2025",
        "1 x Tasse 31,85 €",
        "TOTAL TTC 31,85 €",
    ) == date(2025, 10, 1)


def test_prescription_date_is_not_the_ticket_date():
    assert _ocr_date(
        "Pharmacie Orme",
        "2 rue Haute",
        "67000 Strasbourg",
        "10/04/2024 22:56 TRANSACTION 2728",
        "Ordonnance du 27/03/2024",
        "SIROP 8,24",
        "TOTAL TTC 8,24 €",
    ) == date(2024, 4, 10)


def test_us_address_reads_dates_month_first():
    assert _ocr_date(
        "ELM BAKEHOUSE",
        "455 Main Street",
        "Boulder, CO 80302",
        "LATTE 1.94",
        "TOTAL 1.94",
        "DATE: 02-07-2024 TIME: 5:00 PM",
    ) == date(2024, 2, 7)


def test_day_first_without_a_us_address():
    doc = extract_fields(
        _lines("ELM BAKERY", "12 High Street", "LATTE 1.94", "TOTAL 1.94", "DATE: 02-07-2024"),
        source="ocr",
    )
    assert doc.issue_date == date(2024, 7, 2)


def test_american_wording_or_an_ocr_read_state_reads_dates_month_first():
    # A sales tax, a date with the month's name first, or a state code read with a zero
    # ("0R" for Oregon) say the receipt is American.
    for cue in ("State tax 8% 3.87", "Estimated delivery: Dec 11, 2024", "Portland, 0R 97205"):
        doc = extract_fields(
            _lines("ELM BAKEHOUSE", "DATE: 03/05/2025 TIME: 12:25 PM", cue, "TOTAL 52.26"),
            source="ocr",
        )
        assert doc.issue_date == date(2025, 3, 5), cue


def test_gst_or_a_day_first_month_name_keeps_dates_day_first():
    for cue in ("GST 10% 4.75", "Estimated delivery: 11 Dec 2024"):
        doc = extract_fields(
            _lines("ELM BAKEHOUSE", "DATE: 03/05/2025 TIME: 12:25 PM", cue, "TOTAL 52.26"),
            source="ocr",
        )
        assert doc.issue_date == date(2025, 5, 3), cue


def test_a_validity_end_or_the_start_of_a_stay_is_not_the_receipt_date():
    # A voucher's end of validity, a parking's entry, a hotel stay's arrival: the receipt is
    # dated by the sale, the exit, the bill.
    for other in (
        "Bon d'achat valable jusqu'au 30/06/2025",
        "Gutschein gültig bis 30.06.2025",
        "Vale válido hasta 30/06/2025",
        "Voucher expires 30/06/2025",
        "Entrée 30/06/2025 08:14",
        "Einfahrt 30.06.2025 08:14",
        "Arrival 30/06/2025",
        "Anreise 30.06.2025",
        "Llegada 30/06/2025",
        "0rdonnance du 30/06/2025",
    ):
        doc = extract_fields(
            _lines("CASA LUNA", other, "Fecha 02/07/2025 10:12", "TOTAL 12,40"),
            source="ocr",
        )
        assert doc.issue_date == date(2025, 7, 2), other


def test_a_date_whose_slash_ocr_lost_is_read_when_no_other_date_is_printed():
    assert _ocr_date(
        "BIRCH STATIONERY",
        "Tax Invoice",
        "1405/2018 No :CS-1102",
        "PEN 2 4.00",
        "Total Payable : 4.00",
    ) == date(2018, 5, 14)


def test_a_date_whose_two_slashes_ocr_lost_is_read_when_no_other_date_is_printed():
    rows = ("BIRCH STATIONERY", "Tax Invoice", "14052018 No :CS-1102", "PEN 2 4.00")
    assert _ocr_date(*rows, "Total Payable : 4.00") == date(2018, 5, 14)
    # A printed date is the date; eight digits that are no day, month and year are none.
    assert _ocr_date(*rows, "Date: 13/05/2018", "Total Payable : 4.00") == date(2018, 5, 13)
    assert _ocr_date("BIRCH STATIONERY", "Tax Invoice", "No: 14132018", "TOTAL 4.00") is None


def test_a_whole_date_wins_over_digits_with_one_slash():
    assert _ocr_date(
        "BIRCH STATIONERY",
        "Ref 1102/2018",
        "Date: 14/05/2018",
        "Total Payable : 4.00",
    ) == date(2018, 5, 14)


def test_a_date_whose_separator_ocr_read_as_a_space_is_read_when_no_other_date_is_printed():
    assert _ocr_date(
        "ASH MART",
        "INVOICE NO : 4411/20/T01",
        "02:15PM 700123 14 05-18",
        "RICE 5KG 18.50",
        "Total Sales (Inclusive GST) RM 18.50",
    ) == date(2018, 5, 14)


def test_a_date_whose_two_separators_ocr_read_as_spaces_is_read_when_no_other_date_is_printed():
    rows = ("ELM STATIONERY", "GST ID:002139201536", "PEN 2 12.00", "Total 12.00")
    assert _ocr_date(*rows, "27 03 2018 No CS-20243") == date(2018, 3, 27)
    # A printed date is the date; a two-digit year is as likely two more numbers.
    assert _ocr_date(*rows, "27 03 2018", "Date: 26/03/2018") == date(2018, 3, 26)
    assert _ocr_date(*rows, "27 03 18") is None


def test_a_receipt_number_made_from_its_day_dates_a_receipt_that_prints_no_date():
    rows = ("MINI MARKET", "GST ID :000123456789", "SUGAR 1KG 2.90", "TOTAL 2.90")
    assert _ocr_date(*rows, "Invoice No: 2018042210100080567") == date(2018, 4, 22)
    # A printed date is the date; a number that is no date, or no number's label, gives none.
    assert _ocr_date(*rows, "Invoice No: 2018042210100080567", "Date: 21/04/2018") == date(
        2018, 4, 21
    )
    assert _ocr_date(*rows, "Invoice No: 2018133110100080567") is None
    assert _ocr_date(*rows, "Tel: 2018042210") is None


def test_label_patterns_stay_linear_on_a_long_run_of_spaces():
    # A run of spaces between a label and no amount: each pattern gives up after one pass
    # (the cash-line pattern used to try every split of the run: 35 s for 500 spaces).
    from shared.extraction.fields.dates import _DATED_NUMBER
    from shared.extraction.fields.name_lines import _REG_SUFFIX
    from shared.extraction.fields.totals import _CASH_TENDERED_LINE

    run = " " * 20_000
    assert _CASH_TENDERED_LINE.match("cash" + run + "x") is None
    assert _DATED_NUMBER.search("invoice no" + run + "x") is None
    assert _REG_SUFFIX.sub("", "ACME SDN BHD" + run[:2_000] + "x").endswith("x")
    # The same lines with their amount or number still match.
    assert _CASH_TENDERED_LINE.match("cash" + run + "rm 12.50") is not None
    assert _REG_SUFFIX.sub("", "ACME SDN BHD (123456-X)") == "ACME SDN BHD"


def test_a_code_with_two_separators_does_not_make_dates_month_first():
    # "nu11-18/06" is no date: one date uses one separator twice.
    assert _ocr_date(
        "ELM CAKE HOUSE",
        "Invoice No: SP-nu11-18/06/02-1016303",
        "Date : 02/06/2018 18:46:51",
        "Grand Total RM16.20",
    ) == date(2018, 6, 2)


def test_pack_sizes_spaced_around_two_separators_are_not_dates():
    assert _ocr_date(
        "ELM HOMEWARE",
        "UJ41/2/3/4 - 24",
        "6946208425037 1 X 17.50 17.50",
        "MB52/3 - 6/96",
        "TOTAL INCL. GST@6% RM 96.90",
        "18-04-16 15:02 SH01 ZJ08 T2 R000596811",
    ) == date(2016, 4, 18)


def test_a_month_name_date_glued_to_its_time():
    assert _ocr_date("ELM STORE", "CB#:212039 05/Apr/201812:49:11 pm", "Total 24.90") == date(
        2018, 4, 5
    )


def test_a_two_digit_year_glued_to_its_time():
    assert _ocr_date("ELM STORE", "28/07/179:48:42 CASHIER 02", "Total 24.90") == date(2017, 7, 28)
    assert _ocr_date("ELM STORE", "28/07/1709:48:42 CASHIER 02", "Total 24.90") == date(2017, 7, 28)
    assert _ocr_date("ELM STORE", "05/Apr/189:49:11 pm", "Total 24.90") == date(2018, 4, 5)
    assert _ocr_date("ELM STORE", "05 Apr 1812:49", "Total 24.90") == date(2018, 4, 5)


def test_a_speck_read_as_a_colon_before_a_separator():
    assert _ocr_date("ELM CAFE", "EDDIE #01-01 18:/09/2017 17:21", "TOTAL 9.40") == date(
        2017, 9, 18
    )
    assert _ocr_date("ELM CAFE", "TIME 10:30/05/2018", "TOTAL 9.40") == date(2018, 5, 30)


def test_a_digit_read_as_a_letter_when_the_page_has_no_other_date():
    assert _ocr_date(
        "ELM STATIONERY", "RECEIPT #:CSPO407141 DATE:22/U9/2017", "TOTAL 28.00"
    ) == date(2017, 9, 22)
    assert _ocr_date("ELM CAFE", "TOTAL RM 77.40", "12-01-201B 21:53") == date(2018, 1, 12)
    # Two letters among the digits: too little left to read it by.
    assert _ocr_date("ELM CAFE", "TOTAL RM 77.40", "I2-0I-2018 21:53") is None


def test_the_sale_stamped_with_its_time_over_an_event_date_above_it():
    assert _ocr_date(
        "ELM BOOKS",
        "Mega Bookfair 2017",
        "25 AUG - 3 Sept 2017",
        "20/08/17 12:48 Slip No.: 9020374693",
        "Total 10.00",
    ) == date(2017, 8, 20)
