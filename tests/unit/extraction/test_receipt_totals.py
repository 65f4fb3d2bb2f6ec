"""Receipt totals against OCR slips, tax statements and payment lines."""

from __future__ import annotations

from decimal import Decimal

from shared.extraction.fields import extract_fields
from shared.extraction.layout import Box, Line


def _lines(*rows: str) -> list[Line]:
    return [
        Line([Box(text, 40.0, 30.0 * y, 40.0 + 10 * len(text), 30.0 * y + 20, 0.95)])
        for y, text in enumerate(rows)
    ]


def _ocr_total(*rows: str) -> Decimal | None:
    """The total read from OCR'd rows, one box each."""
    return extract_fields(_lines(*rows), source="ocr").total


def test_a_zero_of_the_cents_read_as_a_letter_is_still_the_total():
    assert _ocr_total(
        "PINE TOOLS TRADING",
        "BOLT M8 x 10 6.00",
        "SUBTOTAL 6.00",
        "TOTAL 6.U0",
        "CASH 50.00",
    ) == Decimal("6.00")


def test_a_total_label_alone_does_not_take_the_cash_tendered_below_it():
    assert _ocr_total(
        "PINE TOOLS TRADING",
        "BOLT M8 x 10 6.00",
        "SUBTOTAL 6.00",
        "TOTAL",
        "CASH 50.00",
    ) == Decimal("6.00")


def test_the_tax_a_total_includes_at_its_rate_is_not_the_total():
    assert _ocr_total(
        "OAK BAKERY",
        "Inv No: 881 Date: 05/06/2017",
        "BUN 1 10.60",
        "Due 10.60",
        "Pay 20.00",
        "(Total Included GST @ 6% : 0.60)",
    ) == Decimal("10.60")


def test_a_total_incl_tax_at_its_rate_stays_the_total():
    assert _ocr_total(
        "OAK STATIONERY",
        "PEN 2 10.60",
        "Total Incl. GST @ 6% : 10.60",
        "Paid Amount: 20.00",
        "Change : 9.40",
    ) == Decimal("10.60")


def test_a_subtotal_and_its_tax_add_up_to_the_total_whose_label_ocr_lost():
    assert _ocr_total(
        "ELM LIGHTING",
        "LAMP 2 40.00",
        "Sub Total RM 40.00",
        "Service Charge RM 0.00",
        "GST 6% RM 2.40",
        "TOTI, : RM 42.40",
        "CA. RM 42.40",
    ) == Decimal("42.40")


def test_a_subtotal_alone_is_the_total_when_nothing_adds_up():
    assert _ocr_total(
        "ELM LIGHTING",
        "LAMP 2 40.00",
        "Sub Total RM 40.00",
        "GST 6% RM 2.40",
    ) == Decimal("40.00")


def test_a_total_printed_right_of_another_columns_label_and_amount_is_read():
    assert _ocr_total(
        "WILLOW MART",
        "TEA 1 3.10",
        "BREAD 1 4.40",
        "QTY:2 ROUNDING 0.00",
        "TOTAL SAVING: 0.00 TOTAL 7.50",
        "Cash 10.00",
    ) == Decimal("7.50")


def test_a_subtotal_column_beside_the_total_is_not_the_total():
    assert _ocr_total(
        "WILLOW MART",
        "TEA 1 3.10",
        "BREAD 1 4.00",
        "SUBTOTAL 7.10 TOTAL 7.53",
        "GST 6% 0.43",
    ) == Decimal("7.53")


def test_a_leading_digit_ocr_added_to_the_total_is_read_off_by_its_summary():
    # The per-rate totals add up to 94.19; a speck before the 9 read as a 1.
    assert _ocr_total(
        "OAK BAKERIES SDN BHD",
        "WHITE 2.13 3 6.39",
        "Total 0% supplies: 20.67",
        "BUN 0.84 20 16.80",
        "Total 6% supplies (excl. GST): 69.36",
        "GST: 4.16",
        "Total 6% supplies (Inc. GST): 73.52",
        "Total 0% supplies: 20.67",
        "Total Payable: 194.19",
    ) == Decimal("94.19")


def test_a_digit_lost_from_the_total_is_not_guessed_back():
    # The amounts above add up to 111.90 (105.57 + 6.33), and to 189.00, 201.00...: one
    # of nine readings with a digit put back would find a sum too often to be trusted.
    assert _ocr_total(
        "PINE TOOLS TRADING",
        "DRILL 1 105.57",
        "SUBTOTAL 105.57",
        "GST 6% 6.33",
        "TOTAL 11.90",
    ) == Decimal("11.90")


def test_a_total_its_summary_adds_up_to_is_kept():
    assert _ocr_total(
        "PINE TOOLS TRADING",
        "DRILL 1 105.57",
        "SUBTOTAL 105.57",
        "GST 6% 6.33",
        "TOTAL 111.90",
    ) == Decimal("111.90")
    # With no summary to add up, a total over 100 stays as printed.
    assert _ocr_total("PINE TOOLS TRADING", "DRILL 1 194.19", "TOTAL 194.19") == Decimal("194.19")


def test_a_total_rounded_only_in_the_cash_handed_over_stays_the_total():
    # The rounding settles the cash; the receipt states no rounded total of its own.
    assert _ocr_total(
        "PINE STATIONERY",
        "GST 6% RM2.43",
        "TOTAL RM42.88",
        "ROUNDING RM0.02",
        "CASH RM42.90",
    ) == Decimal("42.88")
    # When it does state it, the rounded total is the one.
    assert _ocr_total(
        "PINE STATIONERY",
        "TOTAL RM42.88",
        "ROUNDING RM0.02",
        "TOTAL ROUNDED RM42.90",
        "CASH RM50.00",
    ) == Decimal("42.90")


def test_of_two_totals_that_disagree_the_later_one_paid_exactly_is_the_total():
    # "30.68" read "30.88": no rounding step explains the two totals, the payment does.
    rows = ("PINE STATIONERY", "Total RM Incl. of GST 30.88", "Rounding Adj 0.02", "Total RM 30.70")
    assert _ocr_total(*rows, "Cash -30.70") == Decimal("30.70")
    # With change given back, the cash handed over says nothing of the amount paid.
    assert _ocr_total(*rows, "Cash 50.00", "Change 19.12") == Decimal("30.88")


def test_a_subtotal_and_its_tax_summary_make_the_total_whose_label_ocr_garbled():
    # "TOTAL" read "TOT'" and "CASH" read "CAS1,": no total label is left. The tax summary
    # under the subtotal (a rate, the subtotal again, its tax) adds up to the amount paid.
    assert _ocr_total(
        "PINE TOOLS TRADING",
        "DRILL 1 263.02",
        "Sub Total RM 263.02",
        "TOT' RM 278.80",
        "CAS1,: RM 278.80",
        "SR @ 6% 263.02 15.78",
    ) == Decimal("278.80")


def test_a_tax_tables_total_row_is_its_base_plus_tax_not_its_tax():
    # The paid line's label misread ("IncI. GST") and its amount too (73.30 for 78.30): the
    # one total label left is the tax table's, whose last column is the tax.
    assert _ocr_total(
        "PINE HOME CARE",
        "BATHROOM CLEANER 2 26.70",
        "AMT PAID IncI. GST : RM73.30",
        "Amt Paid excl. GST :RM 73.87",
        "GST AMT:RM4.43",
        "PAID BY:CC:7186:RM78.30",
        "GST Summary AMT(RM) TAX(RM)",
        "SR(6%) 73.87 4.43",
        "ZR(0%) 0.00 0.00",
        "TOTAL 73.87 4.43",
    ) == Decimal("78.30")


def test_a_total_misread_by_a_digit_is_the_cash_paid_that_the_tax_table_adds_up_to():
    rows = (
        "PINE BAKERY",
        "Total Sales 29.16",
        "Cash Paid 29.10",
        "Change 0.00",
        "GST Summary Amount(RM) Tax(RM)",
    )
    assert _ocr_total(*rows, "SR@6% 27.46 1.64") == Decimal("29.10")
    # Without a tax table adding up to it, a payment a digit off is not taken over the total.
    assert _ocr_total(*rows, "SR@6% 27.40 1.64") == Decimal("29.16")


def test_the_tax_a_total_includes_is_told_when_the_till_cut_its_last_cent():
    # 27.50 x 6/106 = 1.5566: printed 1.55, not rounded.
    assert _ocr_total(
        "OAK BAKERY",
        "Inv No: 881 Date: 05/06/2017",
        "BUN 5 27.50",
        "Due 27.50",
        "(Total Included GST @ 6% : 1.55)",
    ) == Decimal("27.50")


def test_a_total_label_with_one_letter_misread_still_labels_the_total():
    assert _ocr_total(
        "OAK BAKERY",
        "Total 0% supplies: 31.39",
        "Total 6% supplies (Inc. GST): -4.81",
        "fotal Payable: 26.58",
    ) == Decimal("26.58")


def test_a_tonal_line_is_no_total():
    assert _ocr_total(
        "OAK MUSIC",
        "TOTAL 12.00",
        "TONAL TUNING 25.00",
    ) == Decimal("12.00")


def test_without_a_total_label_the_cash_handed_over_without_change_is_the_total():
    # The total's line lost its label to OCR; an item's price is printed twice.
    assert _ocr_total(
        "OAK PHARMACY",
        "BLEACH 1 11.90 11.90",
        "CANDY 4 4.30 17.20",
        "Not Amt @G6T 6% 29.16",
        "Cash Paid 29.10",
        "Change 0.00",
    ) == Decimal("29.10")


def test_without_a_total_label_cash_less_change_printed_nowhere_else_is_not_the_total():
    # "CHANGE DUE 0.70" misread (2.70): 5.00 - 0.70 is no amount of the receipt's.
    assert _ocr_total(
        "OAK PHARMACY",
        "100 PLUS 500ML 2.28",
        "SUBIUIAL 2.28",
        "IUIAL (GSI INCL) 2.28",
        "CASH 5.00",
        "CHANGE DUE 0.70",
    ) == Decimal("2.28")


def test_a_total_misread_with_a_letter_for_a_digit_is_the_cash_less_the_change():
    assert _ocr_total(
        "OAK HARDWARE",
        "CARTRIDGE 2 X 5.30 10.E0",
        "Total Incl. GST@6% RM 10.E0",
        "CASH RM 20.00",
        "CHANGE RM 9.40",
    ) == Decimal("10.60")


def test_only_zeros_labelled_leave_the_total_to_the_amounts_printed():
    assert _ocr_total(
        "OAK GROCER",
        "MINYAK 2 50*3 7.50",
        "Rounding 0.02",
        "Total Saing 0.00 Total 4: 50",
        "Master 41.50",
        "GST Analysis 16.98 1.02 41.50",
    ) == Decimal("41.50")


def test_a_total_payable_whose_l_ocr_doubled_is_still_the_amount_paid():
    assert _ocr_total(
        "OAK BAKERY",
        "Total 0% supplies: 46.82",
        "Total 6% supplies (Inc. GST): -0.76",
        "Total 0% supplies: 46.82",
        "Total Payablle: 46.06",
    ) == Decimal("46.06")


def test_what_a_loyalty_scheme_saved_is_not_the_total():
    assert _ocr_total(
        "PINE TOOLS",
        "HAMMER 11.20",
        "SUBTOTAL 11.20",
        "TAX 0.73",
        "TOTAL $11.93",
        "VISA $11.93",
        "TOTAL SAVED: $44.80",
    ) == Decimal("11.93")


def test_an_american_balance_due_is_the_total_and_the_cash_tendered_is_not():
    assert _ocr_total(
        "PINE TOOLS",
        "SUBTOTAL 37.01",
        "12 BAL DUE 37.00",
        "AMOUNT TENDER 40.00",
        "CHANGE 0:00",  # (its amount unread)
    ) == Decimal("37.00")


def test_the_tax_a_total_holds_said_after_it_is_not_the_total():
    assert _ocr_total(
        "PINE TOOLS",
        "HAMMER 10.50",
        "NAILS 7.40",
        "Total for 2 items $17.90",
        "Cash $17.90",
        "GST INCLUDED IN TOTAL $1.62",
    ) == Decimal("17.90")


def test_a_total_whose_own_amount_ocr_cut_short_takes_no_amount_from_the_next_line():
    assert _ocr_total(
        "PINE TOOLS",
        "HAMMER AED 25.00",
        "NAILS AED 80.00",
        "TOTAL: AED 105.00",
        "Amount Due: AED 105.",
        "Tools: AED 80.00",
    ) == Decimal("105.00")


def test_a_total_printed_with_one_decimal_is_read():
    assert _ocr_total(
        "PINE TOOLS",
        "VEG PLATTER 339.0",
        "Sub Total 339",
        "Gst 5% 16.95",
        "Grand Tota1 356.0",
    ) == Decimal("356.00")


def test_a_gross_amount_alone_is_the_total_and_a_net_amount_after_its_tax_is_larger():
    assert _ocr_total(
        "PINE TOOLS",
        "HAMMER 26.00",
        "SAW 72.00",
        "PLIERS 26.00",
        "GROSS AMT: 124.00",
    ) == Decimal("124.00")
    assert _ocr_total(
        "PINE SALON",
        "HAIRCUT 5500.00 5500.00",
        "Gross Amount : 5500.00",
        "Ser TAX 15% : 825.00",
        "Net Amount : 6325.00",
    ) == Decimal("6325.00")
