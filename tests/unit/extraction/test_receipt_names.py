"""Receipt shop names against card-slip labels and legal-name lines (synthetic lines)."""

from __future__ import annotations

import pytest

from shared.extraction.fields import extract_fields
from shared.extraction.layout import Box, Line
from shared.extraction.parsing import _fold


def _lines(*rows: str | tuple[str, float] | tuple[str, float, float]) -> list[Line]:
    """One line per row, 10 px apart; a (text, height) row sets the font size (the text's
    height and its width per character), a (text, height, stretch) row prints it wider."""
    lines, y = [], 0.0
    for row in rows:
        text, height, stretch = (row, 20.0, 1.0) if isinstance(row, str) else (*row, 1.0)[:3]
        width = height / 2 * len(text) * stretch
        lines.append(Line([Box(text, 40.0, y, 40.0 + width, y + height, 0.95)]))
        y += height + 10
    return lines


def test_card_slip_labels_are_not_the_shop_name():
    # A French CB slip prints the card type and date before the shop's name.
    doc = extract_fields(
        _lines(
            "CARTE BANCAIRE",
            "CB",
            "A0000000421010",
            "LE 27/10/24 A 16:00:50",
            "CHEZ MARCEL",
            "NANTES",
            "73482448 324",
            "############7348",
            "MONTANT= 153,46 EUR",
            "DEBIT",
            "TICKET CLIENT",
        ),
        source="ocr",
    )
    assert doc.supplier_name == "CHEZ MARCEL"


def test_card_data_lines_do_not_make_a_label_head_an_address():
    # The masked card number and the application id are no address: the card scheme above
    # them does not head an address block.
    doc = extract_fields(
        _lines(
            "FERRETERIA SOLANA",
            "CUENCA",
            "COPIA PARA EL CLIENTE",
            "Fecha: 14/12/26 13:04:09",
            "Comercio: 21150172",
            "TARJETA ************1702",
            "VISA",
            "AID:A0000000043060",
            "VENTA",
            "IMPORTE: 197,49 EUR",
        ),
        source="ocr",
    )
    assert doc.supplier_name == "FERRETERIA SOLANA"


def test_town_under_the_name_on_a_card_slip_is_not_appended():
    doc = extract_fields(
        _lines(
            "Kundenbeleg",
            "BACKSTUBE HOLM",
            "GOSLAR",
            "Datum 12.12.24 19:31:40",
            "Terminal-ID 15443555",
            "TA-Nr. 020224 Beleg-Nr. 8878",
            "girocard",
            "Kartenzahlung kontaktlos",
            "************9260",
            "Betrag 208,42 EUR",
        ),
        source="ocr",
    )
    assert doc.supplier_name == "BACKSTUBE HOLM"


def test_large_sign_wins_over_the_operating_company_under_it():
    doc = extract_fields(
        _lines(
            ("PHARMACIE DES TILLEULS", 40.0),
            ("SARL GESTION BERTIN", 28.0),
            "23 boulevard Carnot",
            "69003 Lyon",
            "17/05/2026 10:02",
            "DOLIPRANE 1000 2,18",
            "TOTAL TTC 2,18",
        ),
        source="ocr",
    )
    assert doc.supplier_name == "PHARMACIE DES TILLEULS"


def test_sign_wins_over_a_name_ending_in_sa():
    doc = extract_fields(
        _lines(
            ("GRANDE DROGUERIE", 44.0),
            ("DUVAL ET FILS SA", 30.0),
            "87 avenue Foch",
            "13001 Marseille",
            "04/06/2024 10:02",
            "SAVON 2,18",
            "TOTAL TTC 2,18",
        ),
        source="ocr",
    )
    assert doc.supplier_name == "GRANDE DROGUERIE"


def test_legal_name_stays_when_the_sign_is_not_larger():
    doc = extract_fields(
        _lines(
            "CAFE DU PORT",
            "SARL GESTION BERTIN",
            "12 quai Nord",
            "69003 Lyon",
            "17/05/2026 10:02",
            "CAFE 2,18",
            "TOTAL TTC 2,18",
        ),
        source="ocr",
    )
    assert doc.supplier_name == "SARL GESTION BERTIN"


def test_malaysian_registered_name_stays_under_a_large_brand():
    # A Malaysian tax invoice names its issuer by the registered company, under the brand.
    doc = extract_fields(
        _lines(
            ("KEDAI RIMBUN", 44.0),
            ("RIMBUN NIAGA SDN BHD", 28.0),
            "(123456-X)",
            "NO 5, JALAN MAWAR 3",
            "47000 SUNGAI BULOH",
            "17/05/2018 10:02",
            "ROTI 2.18",
            "TOTAL 2.18",
        ),
        source="ocr",
    )
    assert doc.supplier_name == "RIMBUN NIAGA SDN BHD"


def test_a_sign_starting_with_tele_is_a_name_not_a_phone_label():
    doc = extract_fields(
        _lines("TELE TAXI NORTE", "Calle Mayor 3", "46002 Valencia", "Tlf. 915 280 063"),
        source="ocr",
    )
    assert doc.supplier_name == "TELE TAXI NORTE"


def test_a_spanish_street_with_its_number_after_a_comma_is_an_address():
    # "Plaza del Ayuntamiento, 3" and "Gran Vía, 27" are the address under the sign, not a
    # name competing with it.
    for street in ("Plaza del Ayuntamiento, 3", "Gran Vía, 27"):
        doc = extract_fields(
            _lines(
                "TELE TAXI CENTRO",
                street,
                "28013 Madrid",
                "Fecha: 14/12/2026",
                "TOTAL 18,40 EUR",
            ),
            source="ocr",
        )
        assert doc.supplier_name == "TELE TAXI CENTRO"


def test_a_unit_after_a_quantity_is_not_a_legal_form():
    # "1kg" on an item line is a weight, not the German KG: the item is no company name.
    doc = extract_fields(
        _lines(
            "Backstube Linde",
            "Marktstr. 9",
            "37073 Göttingen",
            "2 x Käsekuchen Stück 6,20",
            "4 x Roggenbrot 1kg 10,24",
            "Summe EUR 16,44",
        ),
        source="ocr",
    )
    assert doc.supplier_name == "Backstube Linde"


def test_a_house_number_then_the_street_is_an_address():
    # British, American and French addresses lead with the house number ("8 Mill Lane",
    # "36 Harbor Blvd", "8 place du Marché"): the street is not a name competing with the sign.
    for street, town in (
        ("8 Market Place", "York YO1 7HT"),
        ("36 Harbor Blvd", "Seattle, WA 98101"),
        ("8 place du Marché", "69003 Lyon"),
    ):
        doc = extract_fields(
            _lines("Green Corner", street, town, "Tel: 0143 025 1536", "Total 18.40"),
            source="ocr",
        )
        assert doc.supplier_name == "Green Corner", street


def test_sign_wins_over_a_sole_trader_or_a_leading_sa_under_it():
    # A German "e.K." (registered sole trader) and a French "SA ..." operator line are legal
    # names like a GmbH or a SARL: the large sign above them names the shop.
    for sign, legal, street, town in (
        ("BROTLADEN", "Weber & Söhne e.K.", "Lindenallee 58", "40212 Düsseldorf"),
        ("Relais du Port", "SA DISTRIBUTION MOREAU", "23 boulevard Carnot", "06000 Nice"),
    ):
        doc = extract_fields(
            _lines((sign, 44.0), (legal, 28.0), street, town, "19/11/2026 09:29", "TOTAL 7,81"),
            source="ocr",
        )
        assert doc.supplier_name == sign, legal


def test_accented_names_and_a_spanish_sl_without_its_last_stop():
    # "Martínez" holds no MART (a trade word) and "S.L." reads as a legal form even with its
    # last full stop cleaned off: the large sign above the operator names the shop.
    doc = extract_fields(
        _lines(
            ("Radio Taxi Sur", 40.0),
            ("Hermanos Martínez, S.L.", 26.0),
            "Calle Mayor, 3",
            "46002 Valencia",
            "FECHA: 25/11/2025",
            "TOTAL 18,40 EUR",
        ),
        source="ocr",
    )
    assert doc.supplier_name == "Radio Taxi Sur"


def test_a_branch_number_line_is_not_the_shop_name():
    # "Store #8508", "Filiale 0815", "Magasin n° 45": the branch's number under the address.
    for branch in ("Store #8508", "Filiale 0815", "Magasin n° 45"):
        doc = extract_fields(
            _lines(
                "HILLSIDE GROCERS",
                "36 Harbor Blvd",
                "Seattle, WA 98101",
                "VAT Reg: 657447201",
                branch,
                "Date: 2024-06-29 Time: 5:10 PM",
                "Butter 250g 2.85",
                "Grand total 2.85",
            ),
            source="ocr",
        )
        assert doc.supplier_name == "HILLSIDE GROCERS", branch


def test_a_weight_in_kg_does_not_make_a_legal_header():
    # "0.774 kg x 9.30 $/kg" weighs an item: no "KG" company heads the receipt, so the line
    # heading the address still wins over a trade line printed lower down.
    doc = extract_fields(
        _lines(
            "Green Corner",
            "12 Mill Lane",
            "York YO1 7HT",
            "Quality Meat Store",
            "Chicken breast 7.20",
            "0.774 kg x 9.30 $/kg",
            "Total 7.20",
        ),
        source="ocr",
    )
    assert doc.supplier_name == "Green Corner"


def test_a_double_width_sign_wins_over_the_legal_name_under_it():
    # A till printer's double-width mode: the sign's letters are wider, not taller.
    doc = extract_fields(
        _lines(
            ("BISTRO LENA", 26.0, 1.6),
            ("Krause Betriebs GmbH & Co. KG", 27.0),
            "Friedrichstraße 101",
            "10117 Berlin",
            "13.11.2025 20:31",
            "Schnitzel 17,90",
            "Summe EUR 17,90",
        ),
        source="ocr",
    )
    assert doc.supplier_name == "BISTRO LENA"


def test_a_taller_mixed_case_sign_wins_over_a_legal_name_in_capitals():
    # Lower case is narrower: the sign's letters are clearly taller, not much wider apiece.
    doc = extract_fields(
        _lines(
            ("Station Service du Lac", 40.0, 0.95),
            ("SA MERCIER & FILS", 33.0),
            "23 boulevard Carnot",
            "06000 Nice",
            "31/07/2025 18:54",
            "Gazole 54,18",
            "TOTAL TTC 54,18",
        ),
        source="ocr",
    )
    assert doc.supplier_name == "Station Service du Lac"


def test_a_shop_word_with_a_look_alike_slip_is_restored_without_a_legal_form():
    # "KEDAI" (shop) read with its I as a T; "RUNCIT" (sundries) read right gives the context.
    doc = extract_fields(
        _lines(
            "KEDAT RUNCIT SENG HUAT",
            "NO. 12, JALAN MERANTI 3,",
            "81200 JOHOR BAHRU",
            "TAX INVOICE",
            "01/06/2018 18:31",
            "TOTAL RM7.80",
        ),
        source="ocr",
    )
    assert doc.supplier_name == "KEDAI RUNCIT SENG HUAT"


def test_a_bookkeepers_stamp_boxed_on_the_name_line_is_not_part_of_the_name():
    lines = _lines(
        "TAN BROTHERS ENTERPRISE",
        "9, JALAN MAWAR 3,",
        "40460 SHAH ALAM, SELANGOR.",
        "CASH RECEIPT 25/04/2017",
        "TOTAL 25.00",
    )
    name = lines[0].boxes[0]
    stamp = Box("POSTED", name.x1 + 10, name.y0 - 30, name.x1 + 250, name.y1 + 10, 0.99)
    lines[0] = Line([name, stamp])
    doc = extract_fields(lines, source="ocr")
    assert doc.supplier_name == "TAN BROTHERS ENTERPRISE"


def test_a_look_alike_slip_in_the_bracketed_place_of_a_malaysian_legal_name_is_fixed():
    doc = extract_fields(
        _lines(
            "SRI MURNI BAKERIES (KI) SDN BHD (123456 X)",
            "Lot 9, Jalan Industri 4/2,",
            "40460 Shah Alam, Selangor.",
            "TAX INVOICE 22/10/2017",
            "TOTAL 6.39",
        ),
        source="ocr",
    )
    assert doc.supplier_name == "SRI MURNI BAKERIES (KL) SDN BHD"
    doc = extract_fields(
        _lines("MAJU JAYA (H) SDN BHD", "No 4, Jalan 3/21C", "TOTAL 6.39"), source="ocr"
    )
    assert doc.supplier_name == "MAJU JAYA (M) SDN BHD"


def test_a_stamp_alone_on_its_line_is_not_a_name():
    from shared.extraction.fields.names import _not_a_name

    assert _not_a_name("POSTED")
    assert _not_a_name("BEZAHLT")
    assert not _not_a_name("POSTED SENG HUAT")


def test_a_trade_word_with_an_ocr_slip_still_counts_as_name_evidence():
    # The tagline heads the address too; the trade word (its D read as an O) tells the name.
    doc = extract_fields(
        _lines("FRESH DAILY", "SENG HUAT TRAOING", "NO. 5, JALAN MERANTI 3,", "TOTAL 7.80"),
        source="ocr",
    )
    assert doc.supplier_name == "SENG HUAT TRADING"


def test_a_malay_shop_word_opening_a_line_counts_as_name_evidence():
    doc = extract_fields(
        _lines("FRESH DAILY", "KEDAI SENG HUAT", "NO. 5, JALAN MERANTI 3,", "TOTAL 7.80"),
        source="ocr",
    )
    assert doc.supplier_name == "KEDAI SENG HUAT"


def test_malaysian_towns_sections_and_state_names_are_address_lines():
    from shared.extraction.fields.names import _ADDRESS_HINT

    for line in ("BANDAR BARU PERMAS JAYA", "SELANGOR DARUL EHSAN", "Seksyen 13", "Kampung Baru"):
        assert _ADDRESS_HINT.search(line), line
    assert not _ADDRESS_HINT.search("SENG HUAT BANDARAYA TRADING")


def test_a_filing_number_read_into_the_name_line_is_dropped():
    doc = extract_fields(
        _lines("A04053 SENG HUAT RESTAURANT", "No. 3, Jalan Seri 2/4,", "TOTAL 12.00"),
        source="ocr",
    )
    assert doc.supplier_name == "SENG HUAT RESTAURANT"
    # Not when a single word is left: the number and the word are a scribble together.
    doc = extract_fields(
        _lines("419053 Bonce", "MAJU JAYA SDN BHD", "No. 3, Jalan Seri 2/4,", "TOTAL 12.00"),
        source="ocr",
    )
    assert doc.supplier_name == "MAJU JAYA SDN BHD"


def test_the_web_address_on_the_page_restores_a_lost_leading_word_of_the_name():
    doc = extract_fields(
        _lines(
            "& GOLDEN LOTUS CAFE",
            "(001234567-P)",
            "NO. 7, JALAN SS2/9, PETALING JAYA",
            "COFFEE@7.00 14.00",
            "TOTAL 14.00",
            "https://m.facebook.com/K-Golden-Lotus-Cafe",
        ),
        source="ocr",
    )
    assert doc.supplier_name == "K GOLDEN LOTUS CAFE"


def test_a_sign_word_read_one_letter_short_is_spelled_as_the_page_prints_it_again():
    doc = extract_fields(
        (
            _lines(
                ("BRMANN", 60.0),
                "Mein Drogeriemarkt",
                "Hauptstr. 3",
                "30159 Hannover",
                *[f"Artikel {k} 2,95" for k in range(12)],
                "SUMME EUR 35,40",
                "Karl Bormann GmbH",
                "bormann.de/",
            )
        ),
        source="ocr",
    )
    assert doc.supplier_name == "BORMANN"
    # A word the page prints as read elsewhere was read right.
    doc = extract_fields(
        _lines(
            "KELANA MART",
            "No 4, Jalan 3/21C",
            "TOTAL 6.39",
            "THANK YOU FOR SHOPPING AT KELANA",
            "www.kelanas.com.my",
        ),
        source="ocr",
    )
    assert doc.supplier_name == "KELANA MART"


def test_malay_receipt_boilerplate_is_not_the_name():
    doc = extract_fields(
        _lines(
            "TERIMA KASIH",
            "SELAMAT DATANG KE KEDAI SENG HUAT",
            "NO. 3, JALAN SERI 2/4,",
            "RESIT CUKAI",
            "JUMLAH RM7.80",
        ),
        source="ocr",
    )
    assert doc.supplier_name == "KEDAI SENG HUAT"


def test_a_national_company_name_ending_with_its_country_joins_its_legal_form_below():
    doc = extract_fields(
        _lines(
            ("Pelita", 40.0),
            "Pelita Grill Malaysia",
            "Sdn Bhd",
            "Unit 2, Jalan Ampang 8,",
            "50450 Kuala Lumpur",
            "TOTAL 18.20",
        ),
        source="ocr",
    )
    assert doc.supplier_name == "Pelita Grill Malaysia SDN BHD"
    # A country alone is still no name.
    from shared.extraction.fields.names import _not_a_name

    assert _not_a_name("MALAYSIA") and _not_a_name("Deutschland")


def test_a_tills_numbered_stamp_before_the_name_is_dropped():
    doc = extract_fields(
        _lines("#000417 LIMA JAYA (M) Sdn Bhd", "No. 3, Jalan Seri 2/4,", "TOTAL 12.00"),
        source="ocr",
    )
    assert doc.supplier_name == "LIMA JAYA (M) SDN BHD"


def test_sdn_with_part_of_its_bhd_lost_is_sdn_bhd():
    for read in ("SDN D", "SDN HD", "SDN BH"):
        doc = extract_fields(
            _lines(f"TIGA BINTANG CAFE {read}", "No. 3, Jalan Seri 2/4,", "TOTAL 12.00"),
            source="ocr",
        )
        assert doc.supplier_name == "TIGA BINTANG CAFE SDN BHD", read


def test_a_name_ending_with_its_conjunction_goes_on_the_next_line():
    doc = extract_fields(
        _lines(
            "SRI KOTA PAINTS &",
            "HARDWARE",
            "NO. 7, JALAN MAWAR 2,",
            "43000 KAJANG, SELANGOR.",
            "TOTAL 9.90",
        ),
        source="ocr",
    )
    assert doc.supplier_name == "SRI KOTA PAINTS & HARDWARE"


def test_a_registrars_number_under_the_name_is_no_legal_form():
    # "(ROC:SA...)": SA there opens a sole proprietor's number, not a Swiss or French S.A.
    doc = extract_fields(
        _lines("KAYU GROCER", "(ROC:SA0123456-X)", "NO. 4, JALAN BUNGA 1,", "TOTAL 9.90"),
        source="ocr",
    )
    assert doc.supplier_name == "KAYU GROCER"


def test_a_name_over_its_number_in_angle_brackets_wins_over_a_lorong_address():
    doc = extract_fields(
        _lines("BAYU", "<412345-W>", "18 LRG PERUSAHAAN 2", "KAWASAN PERINDUSTRIAN", "TOTAL 9.90"),
        source="ocr",
    )
    assert doc.supplier_name == "BAYU"


def test_a_national_company_named_with_its_country_is_a_name():
    doc = extract_fields(
        _lines(
            "Kirin Denki Malaysia (308123-A)",
            "Lot 2, Subang Parade",
            "47500 Subang Jaya, Selangor",
            "TOTAL 99.00",
        ),
        source="ocr",
    )
    assert doc.supplier_name == "Kirin Denki Malaysia"


def _name(*rows: str) -> str | None:
    return extract_fields(_lines(*rows), source="ocr").supplier_name


def test_legal_forms_read_through_ocr_slips():
    # An accented O for the D, an N for the H, a 6 for the O of "CO." before "(M)".
    assert _name("PINE CASH & CARRY SÓN BHD", "TOTAL 5.00") == "PINE CASH & CARRY SDN BHD"
    assert _name("Pine Health And Beauty Sdn Bnd", "TOTAL 5.00") == (
        "Pine Health And Beauty SDN BHD"
    )
    assert _name("PINE C6.(M) BHD (126926-H)", "TOTAL 5.00") == "PINE CO.(M) BHD"
    # "(KL)", Kuala Lumpur, with its K read as an E.
    assert _name("PINE BAKERIES (EL) SDN BHD", "TOTAL 5.00") == "PINE BAKERIES (KL) SDN BHD"


def test_a_registration_number_misread_with_letters_after_the_legal_form_is_dropped():
    assert _name("PINE CAKE HOUSE SDN BHD 8OZTZ5-U", "TOTAL 5.00") == "PINE CAKE HOUSE SDN BHD"
    # A word after the legal form stays: it is no number.
    assert _name("PINE CAKE HOUSE SDN BHD KEPONG", "TOTAL 5.00") == (
        "PINE CAKE HOUSE SDN BHD KEPONG"
    )


def test_an_ampersand_read_as_a_g_between_trade_words_is_an_ampersand():
    read = _name("SRI KOTA PAINTS G HARDWARE", "NO. 7, JALAN MAWAR 2,", "TOTAL 9.90")
    assert read == "SRI KOTA PAINTS & HARDWARE"


def test_a_lone_capital_between_a_persons_names_stays_an_initial():
    read = _name("TAN G HOCK ENTERPRISE", "NO. 7, JALAN MAWAR 2,", "TOTAL 9.90")
    assert read == "TAN G HOCK ENTERPRISE"


def test_a_column_label_after_a_closing_legal_form_is_not_part_of_the_name():
    read = _name("TIGA BINTANG TRADING SDN BHD Tota", "NO. 7, JALAN MAWAR 2,", "TOTAL 9.90")
    assert read == "TIGA BINTANG TRADING SDN BHD"
    # A branch in brackets after the form is part of the name.
    read = _name("TIGA BINTANG SDN BHD (JALAN KLANG)", "NO. 7, JALAN MAWAR 2,", "TOTAL 9.90")
    assert read == "TIGA BINTANG SDN BHD (JALAN KLANG)"


def test_a_store_code_alone_above_the_name_is_not_part_of_it():
    read = _name("KLT052", "**Tigateh**", "(1199794-K)", "No. 23, Jalan Mawar 2,", "TOTAL 9.90")
    assert read == "Tigateh"


def test_a_logos_letters_over_a_name_a_malay_trade_word_opens_are_not_part_of_it():
    read = _name("Dms", "RESTORAN TIGA BINTANG", "(002612214-H)", "1-G, JALAN OS 1/3", "TOTAL 9.90")
    assert read == "RESTORAN TIGA BINTANG"


def test_a_bracketed_letter_opening_the_name_line_is_a_mark_not_the_name():
    read = _name("(P). TIGA BINTANG CASH & CARRY SDN BHD", "NO. 7, JALAN MAWAR 2,", "TOTAL 9.90")
    assert read == "TIGA BINTANG CASH & CARRY SDN BHD"


def test_a_bracketed_place_opening_the_legal_forms_line_keeps_its_bracket():
    read = _name("TAN BOOK CO.", "(M) SDN BHD", "NO. 7, JALAN MAWAR 2,", "TOTAL 9.90")
    assert read == "TAN BOOK CO. (M) SDN BHD"


def test_a_bracketed_line_under_a_legal_name_is_its_sign_not_part_of_the_name():
    read = _name("MAJU RACKING SDN BHD", "(MAJU MART)", "123456-W", "NO 8, JALAN 2", "TOTAL 9.90")
    assert read == "MAJU RACKING SDN BHD"
    # A name broken before its bracketed place is still joined: "CO." / "(M) SDN BHD".
    read = _name("TAN BOOK CO.", "(M) SDN BHD", "NO 8, JALAN 2", "TOTAL 9.90")
    assert read == "TAN BOOK CO. (M) SDN BHD"


def _name_read_at(score: float) -> str | None:
    rows = ["MAJU KAMPUNG SDN BHD", "No. 12, Jalan Merpati 3", "TAX INVOICE", "TOTAL 12.40"]
    lines = [
        Line([Box(text, 40.0, 30.0 * y, 40.0 + 10 * len(text), 30.0 * y + 20, score)])
        for y, text in enumerate(rows)
    ]
    return extract_fields(lines, source="ocr").supplier_name


def test_a_name_read_with_near_certainty_is_not_corrected_towards_the_dictionaries():
    assert _name_read_at(0.999) == "MAJU KAMPUNG SDN BHD"
    # Read less surely, a look-alike slip is likelier than a word no dictionary knows.
    assert _name_read_at(0.95) == "MAJU KAMPONG SDN BHD"


def _name_over_a_receipt(name: str) -> str | None:
    return extract_fields(
        _lines(name, "No 12, Jalan Merpati 3", "Tel: 03-5550 1234", "TOTAL 12.40"), source="ocr"
    ).supplier_name


def test_a_short_number_ending_a_name_is_part_of_it():
    # A shop named by a number; a company number has a label, brackets, a check letter or
    # five digits and more.
    assert _name_over_a_receipt("TIGA BINTANG ENTERPRISE 888") == "TIGA BINTANG ENTERPRISE 888"
    for registration in ("(1120908-M)", "862725-U", "Co. No. 4521", "(4521)", "4521098"):
        name = _name_over_a_receipt(f"TIGA BINTANG ENTERPRISE {registration}")
        assert name == "TIGA BINTANG ENTERPRISE", registration


def test_a_north_american_city_and_state_line_is_not_the_shop_name():
    # NV is a Dutch company's legal form too; after a city and a comma it is Nevada.
    doc = extract_fields(
        _lines(
            "HARBOR NOODLE HOUSE",
            "953 E. Ridge Ave. #A-5",
            "Las Vegas, NV 89104",
            "702-735-3033",
            "Jun17'13 09:35PM",
            "1 PAD THAI 12.95",
            "TOTAL 12.95",
        ),
        source="ocr",
    )
    assert doc.supplier_name == "HARBOR NOODLE HOUSE"
    assert str(doc.issue_date) == "2013-06-17"


def test_a_numbered_highway_address_follows_the_name_it_belongs_to():
    doc = extract_fields(
        _lines(
            "NORTH GATE DUTY FREE SHOP",
            "255 HIGHWAY 99",
            "MAPLE BC",
            "V3S 9N7",
            "TEL:(604)278-1669",
            "JUL 09,2008 16:35:19",
            "TOTAL 18.94",
        ),
        source="ocr",
    )
    assert doc.supplier_name == "NORTH GATE DUTY FREE SHOP"


def test_a_customer_receipts_title_opens_no_customer_block():
    doc = extract_fields(
        _lines(
            "===Customer Billing Receipt===",
            "Golden Lotus Restaurant",
            "Level 2 - Harbour Mall",
            "Time:2016/11/02 18:01",
            "Product Quantity Price Subtotal",
            "Oolong Tea 1 12.00 12.00",
            "Total (AED) 12.00",
        ),
        source="ocr",
    )
    assert doc.supplier_name == "Golden Lotus Restaurant"


def test_an_american_tills_service_lines_are_not_the_shop_name():
    doc = extract_fields(
        _lines(
            "12 OAK STREET",
            "HOST RYAN",
            "DINE IN",
            "1 BURGER 9.50",
            "TOTAL 9.50",
        ),
        source="ocr",
    )
    assert doc.supplier_name not in ("HOST RYAN", "DINE IN")


@pytest.mark.parametrize(
    "till_line", ["Store:056 Tran#:C Terminal:001", "PUMP# 3", "CLASS 2", "LP# 575WLS-TX"]
)
def test_a_tills_numbers_are_not_the_shop_name(till_line):
    # The sign above was a logo OCR did not read: no name is better than the till's label.
    doc = extract_fields(
        _lines(till_line, "3440 WASHINGTON ST", "JAMAICA PLAIN, MA 02130", "TOTAL 6.69"),
        source="ocr",
    )
    assert doc.supplier_name is None or _fold(till_line) not in _fold(doc.supplier_name)


@pytest.mark.parametrize("name", ["Store: 1 Kelly Beauty Supply", "Cracker Barrel Store #337"])
def test_a_store_number_printed_with_the_shops_name_keeps_the_name(name):
    doc = extract_fields(
        _lines(name, "264 ADAMS ST", "DORCHESTER, MA", "TOTAL 43.67"), source="ocr"
    )
    assert doc.supplier_name == name
