"""Invoices as suppliers print them: paid stamps, Swiss, Norwegian and UK VAT ids, names
set letter-spaced, in small caps or with digits, the sender's line over a window address,
a seller named only in the legal footer, the buyer's address first (issue #12).

Pages are built the way a PDF text layer gives them: boxes with coordinates, grouped into
lines by `group_lines`.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from shared.extraction.fields import extract_fields
from shared.extraction.invoices.party_names import name_text
from shared.extraction.layout import Box, group_lines, merge_close_boxes
from shared.extraction.parsing import find_vat_candidates

from .page_builders import page as _page
from .page_builders import row_boxes as _boxes
from .page_builders import sized_page as _sized_page


def _text_layer_page(boxes: list[Box]):
    """Boxes merged into phrases as the PDF text layer's are (`merge_close_boxes`)."""
    lines = [merge_close_boxes(line) for line in group_lines(boxes)]
    return extract_fields(lines, source="pdf_text")


# --- an invoice already paid -------------------------------------------------------------


def _french_invoice(*after_totals: str | list[tuple[float, str]]):
    return _page(
        "Menuiserie Arnaud SARL",
        "8 route de Vienne, 38200 Vienne",
        [(300, "FACTURE N° FA-2026-0090")],
        [(300, "Date : 20/03/2026")],
        [(300, "Total HT"), (450, "100,00 €")],
        [(300, "TVA 20 %"), (450, "20,00 €")],
        [(300, "Total TTC"), (450, "120,00 €")],
        *after_totals,
    )


@pytest.mark.parametrize(
    "stamp",
    [
        "PAYÉE",
        "Facture acquittée",
        "Acquittée le 22/03/2026",
        "Payée le 22/03/2026 par carte bancaire",
    ],
)
def test_a_french_invoice_stamped_paid_leaves_nothing_to_pay(stamp):
    doc = _french_invoice([(300, stamp)])
    assert doc.total == Decimal("120.00")
    assert doc.amount_due == Decimal("0.00")


@pytest.mark.parametrize(
    "row",
    [
        [(300, "Montant réglé"), (450, "120,00 €")],
        [(300, "Reste à payer"), (450, "0,00 €")],
        [(300, "Déjà réglé"), (450, "120,00 €")],
    ],
)
def test_a_french_invoice_settled_in_its_totals_leaves_nothing_to_pay(row):
    doc = _french_invoice(row)
    assert doc.total == Decimal("120.00")
    assert doc.amount_due == Decimal("0.00")


def test_a_french_invoice_part_settled_leaves_the_balance():
    doc = _french_invoice([(300, "Montant réglé"), (450, "50,00 €")])
    assert doc.total == Decimal("120.00")
    assert doc.amount_due == Decimal("70.00")


def _english_invoice(*after_totals: str | list[tuple[float, str]]):
    return _page(
        "Hollis Stationery Ltd",
        "3 High Street, Leeds LS1 4DY",
        [(300, "Invoice INV-55121")],
        [(300, "Invoice date 04 Mar 2026")],
        [(300, "Subtotal"), (450, "£100.00")],
        [(300, "VAT @ 20%"), (450, "£20.00")],
        [(300, "Total"), (450, "£120.00")],
        *after_totals,
    )


@pytest.mark.parametrize(
    "after",
    [
        ["PAID"],
        ["PAID IN FULL"],
        ["Paid by Visa ****1234 on 04/03/2026"],
        ["Paid with Mastercard ending 5678 on 4 March 2026"],
        [[(300, "Already paid"), (450, "£120.00")]],
        [[(300, "Amount paid"), (450, "£120.00")], [(300, "Amount due"), (450, "£0.00")]],
        [[(300, "Balance due"), (450, "£0.00")]],
    ],
)
def test_an_english_invoice_paid_leaves_nothing_to_pay(after):
    doc = _english_invoice(*after)
    assert doc.total == Decimal("120.00")
    assert doc.amount_due == Decimal("0.00")


def test_an_english_invoice_part_paid_leaves_the_balance():
    doc = _english_invoice([(300, "Already paid"), (450, "£20.00")])
    assert doc.amount_due == Decimal("100.00")


def test_payment_terms_are_no_paid_stamp():
    doc = _english_invoice("To be paid within 30 days of the invoice date.")
    assert doc.amount_due == Decimal("120.00")
    due = _french_invoice("Facture payable à 30 jours. Pénalités de retard : 3 fois le taux légal.")
    assert due.amount_due == Decimal("120.00")


@pytest.mark.parametrize(
    "stamp",
    ["BEZAHLT", "Betrag dankend erhalten", "Bezahlt am 22.03.2026 per Kreditkarte"],
)
def test_a_german_invoice_stamped_paid_leaves_nothing_to_pay(stamp):
    doc = _page(
        "Nordlicht Werkzeuge GmbH",
        "Am Hafen 3, 20457 Hamburg",
        [(300, "Rechnung Nr. RE-2026-118")],
        [(300, "Datum: 14.03.2026")],
        [(300, "Nettobetrag"), (450, "100,00 €")],
        [(300, "USt. 19 %"), (450, "19,00 €")],
        [(300, "Gesamtbetrag"), (450, "119,00 €")],
        [(300, stamp)],
    )
    assert doc.total == Decimal("119.00")
    assert doc.amount_due == Decimal("0.00")


@pytest.mark.parametrize("stamp", ["PAGADA", "Factura pagada"])
def test_a_spanish_invoice_stamped_paid_leaves_nothing_to_pay(stamp):
    doc = _page(
        "Talleres Ibarra S.L.",
        "Calle Mayor 12, 28013 Madrid",
        [(300, "Factura nº 2026/0042")],
        [(300, "Fecha: 14/03/2026")],
        [(300, "Base imponible"), (450, "100,00 €")],
        [(300, "IVA 21 %"), (450, "21,00 €")],
        [(300, "Total factura"), (450, "121,00 €")],
        [(300, stamp)],
    )
    assert doc.total == Decimal("121.00")
    assert doc.amount_due == Decimal("0.00")


# --- VAT ids outside the EU ----------------------------------------------------------------


def _swiss_uid_check_digit(eight_digits: str) -> int:
    """The Swiss UID's check digit: mod 11 with weights 5,4,3,2,7,6,5,4 (10 is never issued)."""
    weighted = sum(int(d) * w for d, w in zip(eight_digits, (5, 4, 3, 2, 7, 6, 5, 4), strict=True))
    return (11 - weighted % 11) % 11


def test_the_swiss_uid_check_digit_is_mod_11():
    assert _swiss_uid_check_digit("11628171") == 0  # CHE-116.281.710, the federal register's own


@pytest.mark.parametrize(
    "printed",
    [
        "CHE-116.281.710 MWST",
        "CHE-116.281.710 TVA",
        "CHE-116.281.710 IVA",
        "CHE116281710",
        "MWST-Nr. CHE-116.281.710",
    ],
)
def test_swiss_vat_ids_are_read_and_checked(printed):
    assert find_vat_candidates(printed) == [("CHE116281710", True)]


def test_a_swiss_vat_id_with_a_wrong_check_digit_is_flagged():
    assert find_vat_candidates("CHE-116.281.711 MWST") == [("CHE116281711", False)]


@pytest.mark.parametrize(
    "printed", ["NO 974 760 673 MVA", "Org.nr. NO974760673MVA", "Org.nr. 974 760 673 MVA"]
)
def test_norwegian_vat_ids_are_read_and_checked(printed):
    assert find_vat_candidates(printed) == [("NO974760673MVA", True)]


def test_a_norwegian_id_without_mva_is_no_vat_id():
    # "No 974 760 673" is just a number; a wrong check digit is flagged.
    assert find_vat_candidates("Invoice No 974 760 673") == []
    assert find_vat_candidates("974 760 674 MVA") == [("NO974760674MVA", False)]


def test_a_swiss_seller_s_vat_id_is_the_supplier_vat():
    doc = _page(
        "Bergsicht Informatik AG",
        "Bahnhofstrasse 10, 8001 Zürich",
        "MWST: CHE-116.281.710 MWST",
        [(300, "Rechnung Nr. 2026-118")],
        [(300, "Datum: 14.03.2026")],
        [(300, "Total CHF"), (450, "1'077.00")],
    )
    assert doc.supplier_vat == "CHE116281710"
    assert doc.supplier_name == "Bergsicht Informatik AG"


def test_a_swiss_invoice_with_its_qr_bill_payment_part():
    doc = _page(
        "Bergsicht Informatik AG",
        "Bahnhofstrasse 10",
        "8001 Zürich",
        "MWST-Nr. CHE-116.281.710 MWST",
        "",
        [(330, "Alpenblick Hotel GmbH")],
        [(330, "Seestrasse 4")],
        [(330, "6004 Luzern")],
        "",
        [(40, "Rechnung Nr. 2026-118"), (330, "Zürich, 14.03.2026")],
        [(40, "Beratung"), (450, "1'000.00")],
        [(300, "MWST 7.7 %"), (450, "77.00")],
        [(300, "Total CHF"), (450, "1'077.00")],
        "",
        [(40, "Empfangsschein"), (200, "Zahlteil")],
        [(40, "Konto / Zahlbar an"), (330, "Konto / Zahlbar an")],
        [(40, "CH44 3199 9123 0008 8901 2"), (330, "CH44 3199 9123 0008 8901 2")],
        [(40, "Bergsicht Informatik AG"), (330, "Bergsicht Informatik AG")],
        [(40, "Zahlbar durch"), (330, "Zahlbar durch")],
        [(40, "Alpenblick Hotel GmbH"), (330, "Alpenblick Hotel GmbH")],
        [(40, "Währung"), (100, "Betrag"), (330, "Währung"), (400, "Betrag")],
        [(40, "CHF"), (100, "1 077.00"), (330, "CHF"), (400, "1 077.00")],
    )
    assert doc.supplier_name == "Bergsicht Informatik AG"
    assert doc.supplier_vat == "CHE116281710"
    assert doc.total == doc.amount_due == Decimal("1077.00")
    assert doc.currency == "CHF"
    assert doc.supplier_iban == "CH4431999123000889012"


def test_a_norwegian_seller_s_org_number_registered_for_vat():
    doc = _page(
        "Fjordlys Design AS",
        "Storgata 12, 0155 Oslo",
        "Org.nr. 974 760 673 MVA",
        [(300, "FAKTURA")],
        [(300, "Invoice no. 2026-0042")],
        [(300, "Date 03/03/2026")],
        [(300, "Total NOK"), (450, "12 500,00")],
    )
    assert doc.supplier_vat == "NO974760673MVA"


def test_a_uk_vat_id_grouped_three_four_two_is_the_supplier_vat():
    doc = _page(
        "Hollis Stationery Ltd",
        "3 High Street, Leeds LS1 4DY",
        "VAT Reg. No. GB 980 7806 84",
        [(300, "Invoice INV-55122")],
        [(300, "Invoice date 04 Mar 2026")],
        [(300, "Total"), (450, "£120.00")],
    )
    assert doc.supplier_vat == "GB980780684"


# --- names as printed ------------------------------------------------------------------------


def _name_over_an_invoice(*name_rows: str | list[tuple[float, str]]):
    return _page(
        *name_rows,
        "14 Church Road, Reading RG1 2LU",
        "",
        [(300, "INVOICE")],
        [(300, "Invoice no. 0042")],
        [(300, "Date 03/03/2026")],
        [(300, "Total"), (450, "£450.00")],
    )


def test_a_street_and_its_house_number_over_the_town_is_no_name():
    doc = _page(
        "Hauptstraße 9",
        "79102 Freiburg",
        "",
        [(300, "Rechnung Nr. 4471")],
        [(300, "Datum: 03.03.2026")],
        [(300, "Gesamtbetrag"), (450, "120,00 €")],
    )
    assert doc.supplier_name != "Hauptstraße 9"


def test_a_letter_spaced_name_is_read_as_words():
    doc = _name_over_an_invoice("B L A C K W O O D   L T D")
    assert doc.supplier_name == "BLACKWOOD LTD"


@pytest.mark.parametrize("word_gap", [12, 24])
def test_a_letter_spaced_name_set_letter_by_letter_in_boxes(word_gap):
    # The text layer gives each letter of a spaced heading its own box; the gap between
    # words is wider (kept as two phrases) or not (one phrase, the legal form set off).
    letters = [Box(c, 40 + 12 * i, 40, 45 + 12 * i, 50) for i, c in enumerate("BLACKWOOD")]
    start = 40 + 12 * 8 + word_gap
    letters += [Box(c, start + 12 * i, 40, start + 5 + 12 * i, 50) for i, c in enumerate("LTD")]
    rest = [
        "14 Church Road, Reading RG1 2LU",
        "",
        [(300, "INVOICE")],
        [(300, "Invoice no. 0042")],
        [(300, "Date 03/03/2026")],
        [(300, "Total"), (450, "£450.00")],
    ]
    doc = _text_layer_page(letters + _boxes(rest, first_row=1))
    assert doc.supplier_name == "BLACKWOOD LTD"


_NUMBERED_NAME_GAP = pytest.mark.xfail(
    strict=True,
    reason="a word and a number of up to four digits alone on a line read as a street and its "
    "house number ('Pohlweg 110'), an address line, not a name; not told apart yet",
)


@pytest.mark.parametrize(
    "name",
    [
        "Smith & Jones Ltd",
        "Studio 54",
        pytest.param("Garage 2000", marks=_NUMBERED_NAME_GAP),
        "A&B Logistics",
        "Marks & Co",
    ],
)
def test_names_with_an_ampersand_or_digits(name):
    doc = _name_over_an_invoice(name)
    assert doc.supplier_name == name


def test_a_name_in_small_caps_gives_its_capitals_larger_boxes():
    # Small caps: each word's first capital at full size, the rest as smaller capitals.
    boxes = [
        Box("A", 40, 40, 48, 52),
        Box("TELIER", 48, 42.4, 90, 52),
        Box("D", 94, 40, 102, 52),
        Box("UVAL", 102, 42.4, 130, 52),
    ]
    rows = [
        "12 rue des Lilas, 75011 Paris",
        "",
        [(300, "FACTURE N° 2026-014")],
        [(300, "Date : 03/02/2026")],
        [(300, "Net à payer"), (450, "500,00 €")],
    ]
    doc = _text_layer_page(boxes + _boxes(rows, first_row=1))
    assert doc.supplier_name == "ATELIER DUVAL"


# --- the sender's line over the recipient's window ----------------------------------------

_WINDOWS = {
    "uk": ("Hollis Stationery Ltd", "3 High Street", "Leeds LS1 4DY"),
    "fr": ("Boulangerie Martin SARL", "4 rue des Lilas", "69001 Lyon"),
    "de": ("Bäckerei Sommer KG", "Hauptstraße 9", "79102 Freiburg"),
}


@pytest.mark.parametrize("window", sorted(_WINDOWS))
def test_the_sender_line_over_a_window_address_names_the_seller(window):
    doc = _page(
        [(40, "Müller GmbH · Hauptstr. 1 · 10115 Berlin")],
        *_WINDOWS[window],
        "",
        [(40, "Rechnung"), (330, "Rechnungsnummer: 2026-0311")],
        [(330, "Rechnungsdatum: 18.02.2026")],
        [(300, "Rechnungsbetrag"), (470, "952,00 €")],
    )
    assert doc.supplier_name == "Müller GmbH"


def test_a_sender_line_with_dashes_over_a_window_address():
    doc = _page(
        [(40, "Atelier Duval SARL - 12 rue des Lilas - 75011 Paris")],
        "Boulangerie Martin SARL",
        "4 rue des Lilas",
        "69001 Lyon",
        "",
        [(300, "FACTURE N° 2026-014")],
        [(300, "Date : 03/02/2026")],
        [(300, "Net à payer"), (450, "500,00 €")],
    )
    assert doc.supplier_name == "Atelier Duval SARL"


# --- the seller named only in the footer -----------------------------------------------------


@pytest.mark.parametrize(
    "legal",
    [
        "Atelier Duval SAS au capital de 10 000 € - RCS Lyon 123 456 789",
        "Atelier Duval, SAS au capital de 10 000 € · RCS Lyon B 123 456 789 · TVA FR40303265045",
        "SAS Atelier Duval au capital de 10 000 euros - 12 rue des Lilas 69001 Lyon - RCS Lyon",
    ],
)
def test_a_seller_named_only_in_the_legal_footer_under_a_logo(legal):
    # The header holds only a logo (no text): the first text is the buyer's window address.
    doc = _page(
        "",
        "",
        [(330, "Boulangerie Martin")],
        [(330, "4 rue des Lilas")],
        [(330, "69001 Lyon")],
        "",
        [(40, "FACTURE N° 2026-014"), (330, "Lyon, le 03/02/2026")],
        [(40, "Prestation de conseil"), (450, "500,00 €")],
        [(300, "Total TTC"), (450, "600,00 €")],
        "",
        legal,
    )
    assert doc.supplier_name in ("Atelier Duval SAS", "Atelier Duval", "SAS Atelier Duval")


# --- the buyer's address first ----------------------------------------------------------------


def test_the_buyers_window_address_first_and_the_seller_on_the_right():
    doc = _page(
        [(40, "Boulangerie Martin"), (360, "Atelier Duval SARL")],
        [(40, "4 rue des Lilas"), (360, "12 rue des Tanneurs")],
        [(40, "69001 Lyon"), (360, "69002 Lyon")],
        [(360, "Tél. 04 78 00 00 00")],
        [(360, "contact@atelier-duval.fr")],
        [(360, "SIRET 303 265 045 00017")],
        "",
        [(40, "FACTURE N° 2026-014"), (360, "Date : 03/02/2026")],
        [(300, "Total TTC"), (450, "600,00 €")],
    )
    assert doc.supplier_name == "Atelier Duval SARL"


def test_the_buyers_window_address_first_and_the_sellers_letterhead_right_in_english():
    doc = _page(
        [(40, "Mr John Carter"), (360, "Blackwood Joinery Ltd")],
        [(40, "22 Park Avenue"), (360, "Unit 4, Mill Lane")],
        [(40, "Bristol BS8 1TH"), (360, "Manchester M4 1HN")],
        [(360, "VAT Reg. No. GB 980 7806 84")],
        "",
        [(40, "INVOICE"), (360, "Invoice no. 0042")],
        [(360, "Date 03/03/2026")],
        [(300, "Total"), (450, "£450.00")],
    )
    assert doc.supplier_name == "Blackwood Joinery Ltd"
    assert doc.supplier_vat == "GB980780684"


@pytest.mark.parametrize("label", ["Total", "Net à payer", "Gesamtbetrag", "Total TTC"])
def test_the_label_of_an_amount_is_never_a_name(label):
    # When no name is found, the first cell of the totals must not stand in for one.
    assert name_text(label) is None


@pytest.mark.parametrize(
    "line", ["77 Harbour St", "4500 Lakeshore Blvd.", "9 Quay Street", "Suite 210", "Building B"]
)
def test_an_english_street_line_or_a_unit_of_a_building_is_no_name(line):
    assert name_text(line) is None


@pytest.mark.parametrize("name", ["7 Eleven", "24 Hour Fitness", "Haus Rose", "Unit Four Ltd"])
def test_names_that_open_with_a_number_or_a_building_word_stay_names(name):
    assert name_text(name) == name


def test_the_seller_block_goes_past_its_street_and_unit_lines_to_the_return_address():
    # Under the "Seller" caption, only the street, the unit and the town: the name is on the
    # return-address line over the buyer's window, not "77 Harbour Rd".
    doc = _page(
        "Kestrel Analytics · 77 Harbour Rd · Suite 210 · 12345 Springfield",
        [(40, "Orchard Foods"), (340, "Invoice Number:"), (454, "KA-55")],
        [(40, "1 Mill Lane"), (340, "Invoice Date:"), (454, "14/08/2026")],
        [(40, "67890 Shelbyville")],
        [(300, "Subtotal"), (470, "100.00")],
        [(300, "VAT 20%"), (470, "20.00")],
        [(300, "Total"), (470, "120.00")],
        "",
        "Seller",
        "77 Harbour Rd",
        "Suite 210",
        "Building B",
        "12345 Springfield",
    )
    assert doc.supplier_name == "Kestrel Analytics"


@pytest.mark.parametrize("trade_line", [None, "Landschaftsbau"])
def test_an_unlabelled_letterhead_over_its_address_names_the_seller(trade_line):
    # Name, street and town at the top with the phone beside them, a "Firma" caption over
    # the customer's block: nothing labels the seller, the top block over its address does.
    head = [
        [(113, "Die Gartenprofis"), (255, "Tel: +49 761 12345")],
        [(113, trade_line), (255, "Fax: +49 761 12346")] if trade_line else None,
        [(113, "Lindenweg 4"), (255, "info@gartenprofis.example")],
        [(113, "79098 Freiburg")],
    ]
    doc = _page(
        *[row for row in head if row],
        [(340, "Rechnung")],
        [(40, "Firma"), (340, "Rechnungsnummer"), (450, "2026-118")],
        [(40, "Bäckerei Vogt")],
        [(40, "Hauptstraße 9")],
        [(40, "79100 Freiburg")],
        [(300, "Nettobetrag"), (470, "100,00")],
        [(300, "USt. 19 %"), (470, "19,00")],
        [(300, "Gesamtbetrag"), (470, "119,00")],
    )
    assert doc.supplier_name == "Die Gartenprofis"


def test_a_sign_over_several_lines_keeps_the_header_guess_that_joins_it():
    # A sign printed big over two lines, then the legal name with its registration number and
    # the address: the first lines of the block are the sign's pieces, not the name.
    doc = _sized_page(
        (40, [(150, "MAJU")]),
        (40, [(160, "JAYA")]),
        (14, [(110, "MAJU JAYA TRADING SDN BHD (123456-X)")]),
        (14, [(130, "No 5, Jalan Kenari 2")]),
        (14, [(100, "Taman Ria 81200 Johor Bahru")]),
        (14, [(100, "Tel: 07-1234 5678")]),
        (14, [(260, "TAX INVOICE")]),
        (14, [(40, "Invoice No:"), (200, "INV-0042")]),
        (14, [(40, "DATE:"), (200, "10/10/2017")]),
        (14, [(300, "Total Excl GST"), (470, "100.00")]),
        (14, [(300, "GST 6%"), (470, "6.00")]),
        (14, [(300, "Total Incl GST"), (470, "106.00")]),
    )
    assert doc.supplier_name is not None
    assert doc.supplier_name.startswith("MAJU JAYA TRADING")


@pytest.mark.parametrize(
    "name",
    [
        "Deutsche Telekom AG",
        "Telefónica Germany GmbH & Co. OHG",
        "Telenet BV",
        "Becker & Partner Steuerberatungsgesellschaft mbH",
        # A street's word before a legal form, as a country's is.
        "Rue du Commerce SAS",
        "Avenue Software Ltd",
        "Damm Logistik GmbH",
    ],
)
def test_a_name_opening_like_a_label_or_a_street_is_a_name(name):
    assert name_text(name) == name


@pytest.mark.parametrize("line", ["Rue de la Paix", "Hauptstraße", "Avenida de América"])
def test_a_street_without_a_legal_form_is_an_address_line(line):
    assert name_text(line) is None


def test_a_spanish_sole_shareholder_company_ends_with_its_legal_form():
    # S.A.U. (sociedad anónima unipersonal): the form that lets a country's name in.
    assert name_text("Telefónica de España S.A.U.") == "Telefónica de España S.A.U"


@pytest.mark.parametrize(
    "label", ["Tel.", "Tel: 030 1234567", "Telefon", "Telefonnummer", "Teléfono", "Steuernummer"]
)
def test_phone_and_tax_labels_are_no_names(label):
    assert name_text(label) is None


def test_a_telecom_operators_letterhead_names_the_supplier():
    doc = _page(
        "Telekom Deutschland GmbH",
        "Landgrabenweg 151, 53227 Bonn",
        [(300, "Rechnung Nr. 4711 0815 2026")],
        [(300, "Datum: 03.03.2026")],
        [(300, "Rechnungsbetrag"), (450, "59,95 €")],
    )
    assert doc.supplier_name == "Telekom Deutschland GmbH"
