"""Tips: the card debit emitted on the receipt's day, typed by a person, not at a chain."""

from __future__ import annotations

from shared.matching.engine import MatchResult, match
from shared.matching.name_similarity import whole_name_in
from shared.matching.names import profile
from tests.unit.matching.helpers import ORG, doc, tx


def only(results):
    assert len(results) == 1
    return results[0]


def visits(name: str, amounts: list[str], days: list[str], prefix: str = "v") -> list:
    """Other card payments to the same payee, each settled two days later."""
    return [
        tx(f"{prefix}{i}", f"-{amount}", name, f"{day}T12:30:00+01:00")
        for i, (amount, day) in enumerate(zip(amounts, days, strict=True))
    ]


def test_tip_debit_emitted_on_the_receipts_day_matches_despite_visits_on_other_days():
    # A regular canteen: paid on the days around, but only one debit emitted that day.
    others = visits(
        "CB BISTRO DUPONT LYON",
        ["13.91", "31.40", "12.50", "14.00"],
        ["2024-11-20", "2024-11-22", "2024-11-24", "2024-11-25"],
    )
    tip = tx(
        "t1",
        "-14.00",
        "CB BISTRO DUPONT LYON",
        "2024-11-23T13:05:00+01:00",
        settled_at="2024-11-26T03:00:00+01:00",
    )
    result = only(match(ORG, [*others, tip], [doc("d1", "12.01", "Bistro Dupont", "2024-11-23")]))
    assert result.transaction_id == "t1"
    assert "card on the receipt date" in result.reasons


def test_a_typed_restaurant_tip_emitted_the_next_day_matches():
    # A bill printed before midnight and paid after, or a date misread by a day.
    transactions = [
        tx("t1", "-14.00", "CB BISTRO DUPONT LYON", "2024-11-24T20:00:00+01:00"),
    ]
    result = only(match(ORG, transactions, [doc("d1", "12.01", "Bistro Dupont", "2024-11-23")]))
    assert result.transaction_id == "t1"
    assert any("1 days after the receipt date" in r for r in result.reasons)


def test_a_tip_emitted_another_day_is_not_a_tip_outside_restaurants():
    # At a shop, a larger debit the next day is as likely another purchase.
    transactions = [tx("t1", "-14.00", "CB QUINCAILLERIE DUPONT", "2024-11-24T20:00:00+01:00")]
    result = only(
        match(ORG, transactions, [doc("d1", "12.01", "Quincaillerie Dupont", "2024-11-23")])
    )
    assert result.transaction_id is None
    assert any("not made on the receipt's day" in r for r in result.reasons)


def test_a_typed_tip_charged_in_the_small_hours_is_one_outside_restaurants_too():
    # Charged at 00:30 after the receipt's evening: the receipt's day, whose rule takes
    # a typed tip at any payee where nobody says tips are unusual.
    late = [tx("t1", "-14.00", "CB QUINCAILLERIE DUPONT", "2024-11-24T00:30:00+01:00")]
    result = only(match(ORG, late, [doc("d1", "12.01", "Quincaillerie Dupont", "2024-11-23")]))
    assert result.transaction_id == "t1"
    toll = [tx("t1", "-14.00", "VINCI AUTOROUTES DUPONT", "2024-11-24T00:30:00+01:00")]
    result = only(match(ORG, toll, [doc("d1", "12.01", "Vinci Autoroutes Dupont", "2024-11-23")]))
    assert result.transaction_id is None


def test_an_untyped_or_frequent_payees_tip_another_day_is_not_a_tip():
    untyped = [tx("t1", "-13.87", "CB BISTRO DUPONT LYON", "2024-11-24T20:00:00+01:00")]
    result = only(match(ORG, untyped, [doc("d1", "12.01", "Bistro Dupont", "2024-11-23")]))
    assert result.transaction_id is None
    # A canteen paid every day: the next day's larger debit is the next lunch.
    others = visits(
        "CB BISTRO DUPONT LYON",
        ["11.20", "12.40", "10.90", "13.10", "11.80", "12.70", "10.30", "11.60"],
        [f"2024-11-{day:02}" for day in (20, 21, 21, 22, 22, 25, 25, 26)],
    )
    typed = tx("t1", "-14.00", "CB BISTRO DUPONT LYON", "2024-11-24T20:00:00+01:00")
    result = only(match(ORG, [*others, typed], [doc("d1", "12.01", "Bistro Dupont", "2024-11-23")]))
    assert result.transaction_id is None


def test_an_untyped_tip_charged_in_the_small_hours_is_judged_as_on_the_receipts_day():
    # A bill printed at 23:50 and charged at 00:40: the evening's payment, so an
    # arbitrary surplus (+1.36 on 12.01, 11.3 %) at a rare restaurant is a tip.
    late = [tx("t1", "-13.37", "CB BISTRO DUPONT LYON", "2024-11-24T00:40:00+01:00")]
    result = only(match(ORG, late, [doc("d1", "12.01", "Bistro Dupont", "2024-11-23")]))
    assert result.transaction_id == "t1"
    # The same debit dated at midnight only (a bare date) or charged by day is not.
    for instant in ("2024-11-24T00:00:00+01:00", "2024-11-24T09:40:00+01:00"):
        debit = [tx("t1", "-13.37", "CB BISTRO DUPONT LYON", instant)]
        result = only(match(ORG, debit, [doc("d1", "12.01", "Bistro Dupont", "2024-11-23")]))
        assert result.transaction_id is None, instant


def test_a_tip_charged_in_the_small_hours_under_a_name_the_network_cut_matches():
    # `PAYPLUG*BISTROT DU CER`: 22 characters, the name cut three letters into its own
    # word; charged at 00:20 after the receipt's evening, bill 53.00 + 5.00.
    receipt = doc("d1", "53.00", "Bistrot du Cerisier", "2025-03-18")
    late = tx("t1", "-58.00", "PAYPLUG*BISTROT DU CER", "2025-03-19T00:20:00+01:00")
    assert only(match(ORG, [late], [receipt])).transaction_id == "t1"
    # By day, the cut name a day off is another visit, maybe to another bistro.
    by_day = tx("t1", "-58.00", "PAYPLUG*BISTROT DU CER", "2025-03-19T12:20:00+01:00")
    assert only(match(ORG, [by_day], [receipt])).transaction_id is None
    # Cut after one letter of its word, the name could be any bistro's.
    short = tx("t1", "-58.00", "PAYPLUG*BISTROT DU C", "2025-03-19T00:20:00+01:00")
    assert only(match(ORG, [short], [receipt])).transaction_id is None


def test_emitted_day_is_the_paris_day_of_the_payment_instant():
    # 23:30 in Paris is 22:30 UTC the same day: still the receipt's day.
    transactions = [tx("t1", "-40.00", "SUMUP *LE ZINC", "2024-03-09T22:30:00Z")]
    result = only(match(ORG, transactions, [doc("d1", "35.50", "Le Zinc", "2024-03-09")]))
    assert result.transaction_id == "t1"


def test_two_tip_candidates_emitted_the_same_day_are_ambiguous():
    transactions = [
        tx("t1", "-35.00", "SumUp *Café du Coin", "2024-03-09T13:10:00+01:00"),
        tx("t2", "-33.00", "SumUp *Café du Coin", "2024-03-09T20:10:00+01:00"),
    ]
    result = only(match(ORG, transactions, [doc("d1", "30.40", "Café du Coin", "2024-03-09")]))
    assert result.transaction_id is None
    assert "ambiguous" in result.flags


def test_look_alike_payee_paid_in_the_tip_range_that_day_blocks_the_tip():
    # A rival nearly as alike as the candidate (names OCR may have damaged on
    # either side): either could be the receipt's payee.
    transactions = [
        tx("t1", "-35.00", "SUMUP *LE MARMITTE DE EMMA", "2024-05-02T12:00:00+02:00"),
        tx("t2", "-34.00", "SUMUP *LE MARMOTTE DE EMMA", "2024-05-02T13:00:00+02:00"),
    ]
    result = only(
        match(ORG, transactions, [doc("d1", "30.00", "Le Marmite de Emma", "2024-05-02")])
    )
    assert result.transaction_id is None
    assert any("look-alike payees" in r for r in result.reasons)


def test_a_look_alike_with_another_word_does_not_block_the_receipts_own_payee():
    # `TRATTORIA CARPENTIER` or `LE MARMITE DE ROSE` is another business than the
    # one whose whole name the candidate carries.
    for rival in ("SUMUP *LE MARMITE DE ROSE", "SUMUP *TRATTORIA DE EMMA"):
        transactions = [
            tx("t1", "-35.00", "SUMUP *LE MARMITE DE EMMA", "2024-05-02T12:00:00+02:00"),
            tx("t2", "-34.00", rival, "2024-05-02T13:00:00+02:00"),
        ]
        result = only(
            match(ORG, transactions, [doc("d1", "30.00", "Le Marmite de Emma", "2024-05-02")])
        )
        assert result.transaction_id == "t1", rival


def test_no_tip_at_a_chain_paid_several_times_a_day():
    days = [f"2024-07-{d:02d}" for d in range(22, 29) for _ in range(4)]
    amounts = [f"{10 + i * 3 % 50}.{i * 7 % 100:02d}" for i in range(len(days))]
    chain = visits("CARREFOUR CITY LYON", amounts, days, prefix="c")
    candidate = tx("t1", "-25.00", "CARREFOUR CITY LYON", "2024-07-25T18:00:00+02:00")
    result = only(match(ORG, [*chain, candidate], [doc("d1", "21.88", "Carrefour", "2024-07-25")]))
    assert result.transaction_id is None
    assert any("(a chain)" in r for r in result.reasons)


def _at_a_canteen_paid_twice_a_day(debit: str) -> MatchResult:
    """A 22.00 receipt of a canteen paid about twice a day, and a debit there that day."""
    days = [f"2024-06-{d:02d}" for d in range(8, 15) for _ in range(2)]
    canteen = visits("LYF*LA CANTINE DU PORT", ["9.90"] * len(days), days)
    paid = tx("t1", debit, "LYF*LA CANTINE DU PORT", "2024-06-11T13:00:00+02:00")
    receipt = doc("d1", "22.00", "La Cantine du Port", "2024-06-11")
    return only(match(ORG, [*canteen, paid], [receipt]))


def test_tip_surplus_must_look_typed_at_a_payee_paid_often():
    # An odd surplus (+2.37) is as likely another purchase.
    result = _at_a_canteen_paid_twice_a_day("-24.37")
    assert result.transaction_id is None
    assert any("not a typed tip" in r for r in result.reasons)


def test_typed_tips_match_at_a_payee_paid_often():
    days = [f"2024-06-{d:02d}" for d in range(8, 15) for _ in range(2)]
    canteen = visits("LYF*LA CANTINE DU PORT", ["9.90"] * len(days), days)
    # Bill rounded up, a round tip, a 10 % preset.
    for debit in ("25.00", "24.50", "24.20"):
        typed = tx("t1", f"-{debit}", "LYF*LA CANTINE DU PORT", "2024-06-11T13:00:00+02:00")
        result = only(
            match(ORG, [*canteen, typed], [doc("d1", "22.00", "La Cantine du Port", "2024-06-11")])
        )
        assert result.transaction_id == "t1", debit


def test_untyped_tip_surplus_matches_at_a_payee_paid_rarely():
    transactions = [tx("t1", "-24.37", "SUMUP *LE PERCHOIR", "2024-06-11T21:00:00+02:00")]
    result = only(match(ORG, transactions, [doc("d1", "22.00", "Le Perchoir", "2024-06-11")]))
    assert result.transaction_id == "t1"


def test_a_round_tip_on_a_small_bill_matches_past_the_share_of_the_bill():
    # 2.00 on a 5.63 coffee is 36 % of the bill, but a round sum typed by a person.
    debit = tx("t1", "-7.63", "SUMUP *LE PIGEONNIER", "2024-07-06T19:15:00+02:00")
    result = only(match(ORG, [debit], [doc("d1", "5.63", "Le Pigeonnier", "2024-07-06")]))
    assert result.transaction_id == "t1"
    assert any("+ tip 2.00" in reason for reason in result.reasons)


def test_past_the_share_of_the_bill_only_a_round_tip_is_a_tip():
    debit = tx("t1", "-7.41", "SUMUP *LE PIGEONNIER", "2024-07-06T19:15:00+02:00")
    result = only(match(ORG, [debit], [doc("d1", "5.63", "Le Pigeonnier", "2024-07-06")]))
    assert result.transaction_id is None


def test_a_round_tip_past_its_ceiling_is_not_a_tip():
    debit = tx("t1", "-11.63", "SUMUP *LE PIGEONNIER", "2024-07-06T19:15:00+02:00")
    result = only(match(ORG, [debit], [doc("d1", "5.63", "Le Pigeonnier", "2024-07-06")]))
    assert result.transaction_id is None


def test_whole_name_after_a_city_in_the_descriptor_supports_the_match():
    bank = profile("PAIEMENT CB 07/07 ANGERS LEMOINE & FILS", bank_side=True)
    assert bank is not None
    assert whole_name_in(profile("Lemoine & Fils"), bank)  # type: ignore[arg-type]
    transactions = [
        tx("t1", "-19.39", "PAIEMENT CB 07/07 ANGERS LEMOINE & FILS", "2024-07-07T12:20:00+02:00")
    ]
    result = only(match(ORG, transactions, [doc("d1", "16.39", "Lemoine & Fils", "2024-07-07")]))
    assert result.transaction_id == "t1"


def test_card_debit_with_a_posting_date_is_dated_by_its_emission():
    # Emitted three days after the receipt: another payment, whatever its posting.
    late = tx(
        "t1",
        "-42.50",
        "SNCF INTERNET",
        "2024-03-08T10:00:00+01:00",
        settled_at="2024-03-09T02:00:00+01:00",
    )
    result = only(match(ORG, [late], [doc("d1", "42.50", "SNCF", "2024-03-05")]))
    assert result.transaction_id is None
    # Emitted on the receipt's day and posted three days later: the payment.
    paid = tx(
        "t2",
        "-42.50",
        "SNCF INTERNET",
        "2024-03-05T10:00:00+01:00",
        settled_at="2024-03-08T02:00:00+01:00",
    )
    result = only(match(ORG, [paid], [doc("d1", "42.50", "SNCF", "2024-03-05")]))
    assert result.transaction_id == "t2"
    assert "card on the receipt date" in result.reasons


def test_card_word_rows_same_by_search_and_by_index():
    """A day's descriptors are searched, then indexed once asked about often: both
    give the debits with a word starting with the key (a short key is a whole word)."""
    from datetime import date

    from shared.matching.transaction_index import SEARCHES_BEFORE_WORD_INDEX, TransactionIndex

    day = "2024-03-05T12:00:00+01:00"
    lines = [
        tx("t1", "-10.00", "SUMUP *BOULANGERIE MA", day),
        tx("t2", "-12.00", "Boulangerie Martin", day),
        tx("t3", "-14.00", "LA BOULE D'OR", day),  # BOULE starts with BOUL
        tx("t4", "-16.00", "CAFE BAR", day),
        tx("t5", "-18.00", "BARBIER", day),  # BAR is not the whole word here
        tx("t6", "-20.00", "Crêperie ÉTÉ", day),
        tx("t7", "-22.00", "XBOULANGERIE", day),  # not at a word start
    ]
    ordinal = date(2024, 3, 5).toordinal()

    def rows(index, key):
        return sorted(lines[i].id for i in index.card_word_rows("EUR", ordinal, key))

    searched = TransactionIndex(ORG, lines)
    indexed = TransactionIndex(ORG, lines)
    for _ in range(SEARCHES_BEFORE_WORD_INDEX + 1):
        indexed.card_word_rows("EUR", ordinal, "ZZZZ")
    assert ("EUR", ordinal) in indexed._card_words and not searched._card_words
    expected = {
        "BOUL": ["t1", "t2", "t3"],
        "BAR": ["t4"],
        "CREP": ["t6"],
        "ETE": ["t6"],
        "MA": ["t1"],
        "MART": ["t2"],
        "X": [],
        "BOULANGERIE": [],  # longer than a prefix: never a key of the index
    }
    for key, ids in expected.items():
        assert rows(searched, key) == ids, key
        assert rows(indexed, key) == ids, key


def test_a_bill_rounded_up_by_a_cent_is_a_tip():
    # 24.99 paid 25.00: neither the exact total nor a rounding gap (a card debit in
    # the receipt's currency is the total to the cent), but the bill rounded up.
    debit = tx("t1", "-25.00", "CB*2958 BURGER GALET", "2024-03-08T16:06:00+01:00")
    result = only(match(ORG, [debit], [doc("d1", "24.99", "Burger Galet", "2024-03-08")]))
    assert result.transaction_id == "t1"
    assert any("+ tip 0.01" in reason for reason in result.reasons)


def test_a_cent_over_the_bill_unrounded_is_not_a_tip_at_a_payee_paid_often():
    # 24.98 paid 24.99 is no rounding a person types: at a payee paid every day,
    # as likely another purchase.
    others = visits(
        "CB*2958 BURGER GALET",
        ["8.00", "11.30", "9.40", "12.00", "7.70", "10.10", "6.20", "13.40", "8.80"],
        [f"2024-03-{day:02}" for day in (5, 6, 7, 7, 9, 9, 10, 10, 11)],
    )
    debit = tx("t1", "-24.99", "CB*2958 BURGER GALET", "2024-03-08T16:06:00+01:00")
    result = only(match(ORG, [*others, debit], [doc("d1", "24.98", "Burger Galet", "2024-03-08")]))
    assert result.transaction_id is None


def test_tip_when_the_descriptor_keeps_an_article_where_a_cut_would_fall():
    # `ET` ends where a card network cuts a name, so it is kept as a possible stump;
    # the name goes on after it, and the receipt (without the article) is the same name.
    debit = tx("t1", "-10.62", "CB*8904 CHEZ ELODIE ET CHLOE", "2024-01-13T15:43:00+01:00")
    result = only(match(ORG, [debit], [doc("d1", "9.62", "Chez Élodie et Chloé", "2024-01-13")]))
    assert result.transaction_id == "t1"


def test_a_tip_a_day_off_needs_the_receipts_own_name_not_one_sharing_a_word():
    # `CREPERIE DU CIGALE` carries `Cigale`, but names a trade the receipt does not:
    # on another day, that is as likely another business.
    for descriptor in ("SUMUP *CREPERIE DU CIGALE", "LYF*AUBERGE DU CIGALE"):
        debit = tx("t1", "-11.90", descriptor, "2024-11-26T12:47:00+01:00")
        result = only(match(ORG, [debit], [doc("d1", "10.82", "L'Cigale", "2024-11-27")]))
        assert result.transaction_id is None, descriptor
    debit = tx("t1", "-11.90", "SUMUP *L'CIGALE", "2024-11-26T12:47:00+01:00")
    result = only(match(ORG, [debit], [doc("d1", "10.82", "L'Cigale", "2024-11-27")]))
    assert result.transaction_id == "t1"


def test_a_tip_a_day_off_past_the_share_of_the_bill_must_be_round_as_on_the_day():
    # 7.24 paid 10.00 the next day: a rounded bill, but 38 % of it and not a round tip.
    debit = tx("t1", "-10.00", "SUMUP *LE PIGEONNIER", "2024-07-07T19:15:00+02:00")
    result = only(match(ORG, [debit], [doc("d1", "7.24", "Le Pigeonnier", "2024-07-06")]))
    assert result.transaction_id is None
    round_tip = tx("t2", "-9.24", "SUMUP *LE PIGEONNIER", "2024-07-07T19:15:00+02:00")
    result = only(match(ORG, [round_tip], [doc("d1", "7.24", "Le Pigeonnier", "2024-07-06")]))
    assert result.transaction_id == "t2"


def test_a_common_word_of_the_name_does_not_make_a_rare_payee_a_chain():
    # 210 payments in the week to other payees sharing `GOURMET`: the scan for the
    # payee's volume overflows on that word, but the rarer `MOULIN` finds one visit.
    days = [f"2024-05-{d:02d}" for d in range(7, 14)]
    crowd = [
        tx(f"g{i}", f"-{10 + i % 40}.{i % 97:02d}", f"GOURMET {name} {i}", f"{day}T12:00:00+02:00")
        for i, (day, name) in enumerate(
            (day, name) for day in days for name in ("SHOP", "CORNER", "DELI") * 10
        )
    ]
    tip = tx("t1", "-30.00", "SUMUP *MOULIN GOURMET", "2024-05-10T21:00:00+02:00")
    result = only(match(ORG, [*crowd, tip], [doc("d1", "27.40", "Moulin Gourmet", "2024-05-10")]))
    assert result.transaction_id == "t1", result.reasons


def test_a_tip_whose_descriptor_cuts_the_distinctive_word_short_matches():
    # ATELIER and COIFFURE are trade words; the network cut TILLEUL to TIL.
    debit = tx("t1", "-37.00", "L ATELIER COIFFURE TIL", "2024-05-10T10:00:00+02:00")
    receipt = doc("d1", "35.00", "L'Atelier Coiffure Tilleul", "2024-05-10")
    result = only(match(ORG, [debit], [receipt]))
    assert result.transaction_id == "t1", result.reasons


def test_a_tip_needs_the_start_of_the_cut_word_to_the_letter():
    # BRON (a town) is not BRUNO cut short: the amount proves little, so no slip.
    debit = tx("t1", "-28.00", "CB TAXI 518 BRON", "2024-05-10T10:00:00+02:00")
    receipt = doc("d1", "25.90", "Taxi Bruno Martin", "2024-05-10")
    assert only(match(ORG, [debit], [receipt])).transaction_id is None


def test_a_short_word_ending_a_long_descriptor_is_where_the_network_cut_it():
    # The bank's own prefix moves the cut: `DES` ends the merchant field.
    assert profile("CARTE 2404 PAYPAL *RESTAURANT DES", True)[0] == ("RESTAURANT", "DES")
    exact = tx("t1", "-49.61", "CARTE 2404 PAYPAL *RESTAURANT DES", "2024-04-24T12:00:00+02:00")
    tipped = tx("t2", "-53.39", "ZETTLE_*RESTAURANT DES", "2024-04-24T20:00:00+02:00")
    receipt = doc("d1", "49.61", "Restaurant Desmoulins", "2024-04-24")
    assert only(match(ORG, [exact, tipped], [receipt])).transaction_id == "t1"


def test_a_tip_found_only_by_the_start_of_a_cut_word_must_be_typed():
    # `TIL` is little to go on: an arbitrary surplus (+3.37) may be another customer's
    # visit; a rounded bill is a tip (see the test above).
    debit = tx("t1", "-38.37", "L ATELIER COIFFURE TIL", "2024-05-10T10:00:00+02:00")
    receipt = doc("d1", "35.00", "L'Atelier Coiffure Tilleul", "2024-05-10")
    result = only(match(ORG, [debit], [receipt]))
    assert result.transaction_id is None
    assert any("not a typed tip" in r for r in result.reasons), result.reasons


def abroad(id_: str, eur: str, local: str, name: str, when: str):
    return tx(id_, eur, name, when, local_amount=local, local_currency="USD")


def test_a_tip_abroad_is_found_on_the_card_payments_local_amount():
    # Dinner in New York on the 6th, 18 % tip; in Paris the debit is dated the 7th.
    debit = abroad("t1", "-145.73", "-158.82", "LUCAS DINER NEW YORK", "2024-06-07T04:10:00+02:00")
    receipt = doc("d1", "134.60", "Lucas Diner", "2024-06-06", currency="USD")
    result = only(match(ORG, [debit], [receipt]))
    assert result.transaction_id == "t1", result.reasons
    assert any(
        "local amount 158.82 USD = receipt total 134.60 + tip 24.22" in r for r in result.reasons
    )


def test_two_tips_abroad_under_the_name_are_ambiguous_and_a_nameless_receipt_has_none():
    debits = [
        abroad("t1", "-145.73", "-158.82", "LUCAS DINER NEW YORK", "2024-06-06T20:10:00-04:00"),
        abroad("t2", "-143.10", "-155.90", "LUCAS DINER NEW YORK", "2024-06-06T13:00:00-04:00"),
    ]
    receipt = doc("d1", "134.60", "Lucas Diner", "2024-06-06", currency="USD")
    assert only(match(ORG, debits, [receipt])).transaction_id is None
    nameless = doc("d1", "134.60", None, "2024-06-06", currency="USD")
    assert only(match(ORG, debits[:1], [nameless])).transaction_id is None


def test_a_tip_is_found_for_a_name_whose_words_ocr_ran_together():
    # `LeMistral Gourmand`: the article ran into the name; the tip search looks for
    # the receipt's words in the descriptor, so they must be split again.
    tip = tx("t1", "-12.88", "CARTE X3207 26/11 LE MISTRAL GOURMAND", "2024-11-26T10:19:00+01:00")
    result = only(match(ORG, [tip], [doc("d1", "10.88", "LeMistral Gourmand", "2024-11-26")]))
    assert result.transaction_id == "t1"
    assert any("tip 2.00" in reason for reason in result.reasons)


def test_no_tip_where_nobody_tips_a_larger_debit_there_is_another_purchase():
    # A toll, a hotel room, a web shop: the bill rounded up that day is a second
    # toll, the minibar, another order.
    for name, descriptor in [
        ("Vinci Autoroutes", "VINCI AUTOROUTES 4727"),
        ("Hôtel Mercure Centre", "HOTEL MERCURE 1730"),
        ("Darty", "DARTY.COM LXS4J"),
        ("Capri Bron", "CAPRI BRON CARBU 190"),  # fuel: a round sum is another fill
    ]:
        transactions = [tx("t1", "-29.00", descriptor, "2024-10-12T15:55:00+02:00")]
        result = only(match(ORG, transactions, [doc("d1", "25.64", name, "2024-10-12")]))
        assert result.transaction_id is None, name
        assert any("nobody tips at this payee" in r for r in result.reasons), name
    # A hotel's restaurant is a restaurant.
    transactions = [tx("t1", "-29.00", "HOTEL RESTAURANT DU LAC", "2024-10-12T21:55:00+02:00")]
    result = only(
        match(ORG, transactions, [doc("d1", "25.64", "Hôtel Restaurant du Lac", "2024-10-12")])
    )
    assert result.transaction_id == "t1"


def test_a_tip_of_any_percentage_at_a_restaurant_whose_name_does_not_say_so_is_a_last_resort():
    # `Le Beffroi Étoilé` is a restaurant; nothing in its name says so. Visited now
    # and then; 7 % is no terminal preset. Nothing else fits the receipt: matched.
    others = visits(
        "LE BEFFROI ETOILE", ["31.00", "44.50"], ["2025-08-11", "2025-08-15"], prefix="o"
    )
    debit = tx("t1", "-39.59", "LE BEFFROI ETOILE", "2025-08-13T21:00:00+02:00")
    receipt = doc("d1", "37.00", "Le Beffroi Étoilé", "2025-08-13")
    result = only(match(ORG, [*others, debit], [receipt]))
    assert result.transaction_id == "t1"
    assert any("+ tip 2.59" in reason for reason in result.reasons)


def test_a_surplus_nobody_types_is_a_tip_only_where_the_payee_is_paid_nowhere_else():
    # +3.20 on 37.00 (8.65 %) is neither a sum nor a percentage anyone types: at a
    # restaurant paid twice more that week, as likely another purchase there.
    others = visits("BRASSERIE DU PORT", ["31.00", "44.50"], ["2025-08-11", "2025-08-15"])
    debit = tx("t1", "-40.20", "BRASSERIE DU PORT", "2025-08-13T21:00:00+02:00")
    receipt = doc("d1", "37.00", "Brasserie du Port", "2025-08-13")
    result = only(match(ORG, [*others, debit], [receipt]))
    assert result.transaction_id is None
    assert any("not a typed tip" in reason for reason in result.reasons)
    # Paid nowhere else around the date: the one debit there that day is the bill.
    result = only(match(ORG, [debit], [receipt]))
    assert result.transaction_id == "t1"


def test_the_last_resort_tip_needs_a_tip_sized_surplus_and_the_shops_own_name():
    debit = tx("t1", "-37.90", "LE BEFFROI ETOILE", "2025-08-13T21:00:00+02:00")
    # +2.4 %: a second small purchase rather than a tip.
    result = only(match(ORG, [debit], [doc("d1", "37.00", "Le Beffroi Étoilé", "2025-08-13")]))
    assert result.transaction_id is None
    # The operator's legal name: its debit may show the sign, not this payee.
    debit = tx("t1", "-40.20", "JACQUET ET FILS", "2025-08-13T21:00:00+02:00")
    result = only(match(ORG, [debit], [doc("d1", "37.00", "SAS Jacquet", "2025-08-13")]))
    assert result.transaction_id is None


def test_other_trades_sharing_the_payees_word_do_not_make_it_a_chain():
    # `L'Bastion` is paid rarely; `AUBERGE DU BASTION` and `CREPERIE DU BASTION`,
    # paid every day around, are other businesses sharing its word.
    days = [f"2024-01-{d:02d}" for d in range(19, 26) for _ in range(4)]
    amounts = [f"{10 + i * 3 % 50}.{i * 7 % 100:02d}" for i in range(len(days))]
    others = [
        *visits("CB*1234 AUBERGE DU BASTION", amounts[0::2], days[0::2], prefix="a"),
        *visits("SUMUP *CREPERIE DU BASTION", amounts[1::2], days[1::2], prefix="c"),
    ]
    tip = tx("t1", "-35.00", "SUMUP *L'BASTION", "2024-01-22T19:16:00+01:00")
    result = only(match(ORG, [*others, tip], [doc("d1", "34.36", "L'Bastion", "2024-01-22")]))
    assert result.transaction_id == "t1"
    # The same volume under the payee's own descriptor is a chain.
    own = visits("SUMUP *L'BASTION", amounts, days, prefix="o")
    result = only(match(ORG, [*own, tip], [doc("d1", "34.36", "L'Bastion", "2024-01-22")]))
    assert result.transaction_id is None
    assert any("(a chain)" in r for r in result.reasons)


def test_a_tip_is_found_when_the_receipt_damaged_the_start_of_the_payees_word():
    # OCR read `CATINE` for `CANTINE`: the descriptor is found by the word's end.
    transactions = [
        tx("t1", "-36.01", "SUMUP *LE PETIT CANTINE", "2024-03-03T06:52:00+01:00"),
        tx("t2", "-33.00", "SUMUP *LE PETIT ZINC", "2024-03-03T08:10:00+01:00"),
    ]
    result = only(match(ORG, transactions, [doc("d1", "30.01", "Le Petit Catine", "2024-03-03")]))
    assert result.transaction_id == "t1"
    assert any("tip" in r for r in result.reasons)


def test_a_whole_percentage_is_a_typed_tip_at_a_restaurant_paid_often():
    # 7 % typed on the terminal (+1.54 on 22.00) is a tip, as a preset would be; an
    # arbitrary surplus there is not (see above).
    result = _at_a_canteen_paid_twice_a_day("-23.54")
    assert result.transaction_id == "t1"
    assert any("+ tip 1.54 (7%)" in reason for reason in result.reasons)


def test_a_whole_percentage_under_five_is_no_tip_anyone_types():
    # Terminals offer 5 % and up; +0.44 on 22.00 (2 %) is as likely another purchase.
    result = _at_a_canteen_paid_twice_a_day("-22.44")
    assert result.transaction_id is None


def test_a_bill_of_nothing_takes_no_tip():
    # A voided receipt, or one whose total was read as 0.00: a 2.00 debit at the
    # restaurant that day is not its tip.
    debit = tx("t1", "-2.00", "SUMUP *BRASSERIE DU PORT", "2024-06-11T13:00:00+02:00")
    result = only(match(ORG, [debit], [doc("d1", "0.00", "Brasserie du Port", "2024-06-11")]))
    assert result.transaction_id is None


def test_a_debit_naming_a_trade_the_receipt_does_not_is_not_its_tip():
    # `TRATTORIA DUPONT` for a receipt of `Dupont Surgelés`: another business sharing
    # the name, with the amount off by a tip. A trade word damaged on the receipt
    # (`Aubergedu`) is still the receipt's own.
    other = [tx("t1", "-29.00", "CARTE X7562 25/06 TRATTORIA DUPONT", "2024-06-25T13:37:00+02:00")]
    result = only(match(ORG, other, [doc("d1", "25.00", "Dupont Surgelés", "2024-06-25")]))
    assert result.transaction_id is None
    glued = [tx("t1", "-22.00", "CB*3950 AUBERGE DU GRILLON", "2024-06-25T13:37:00+02:00")]
    result = only(match(ORG, glued, [doc("d1", "20.00", "Aubergedu Grillon", "2024-06-25")]))
    assert result.transaction_id == "t1"


def test_an_arbitrary_tip_at_a_payee_visited_once_more_that_week_is_taken_alone():
    # +2.60 on 40.00 (6.5 %) at a bistro paid once more around the date: the day's only
    # debit there, under the receipt's exact name, is its bill and tip.
    receipt = [doc("d1", "40.00", "Bistro Dupont", "2024-11-23")]
    tip = tx("t1", "-42.60", "CB BISTRO DUPONT LYON", "2024-11-23T13:05:00+01:00")
    once = visits("CB BISTRO DUPONT LYON", ["12.50"], ["2024-11-21"])
    assert only(match(ORG, [*once, tip], receipt)).transaction_id == "t1"
    # Paid again that day, or a regular of the fortnight: as likely another purchase.
    again = visits("CB BISTRO DUPONT LYON", ["12.50"], ["2024-11-23"])
    assert only(match(ORG, [*again, tip], receipt)).transaction_id is None
    regular = visits(
        "CB BISTRO DUPONT LYON",
        ["12.50", "13.10", "11.80", "12.20"],
        ["2024-11-21", "2024-11-27", "2024-11-28", "2024-11-29"],
    )
    assert only(match(ORG, [*regular, tip], receipt)).transaction_id is None


def test_a_tip_whose_descriptor_was_cut_after_an_article_of_the_name():
    # `STRIPE*LE COMPTOIR DES` is the network's 22 characters of `Le Comptoir des
    # Moines`: the name cut between two words, after its article.
    for descriptor in ("STRIPE*LE COMPTOIR DES", "SUMUP *LE COMPTOIR DES PAU"):
        debit = tx("t1", "-66.13", descriptor, "2025-04-17T21:07:00+02:00")
        receipt = doc("d1", "65.13", "Le Comptoir des Moines", "2025-04-17")
        result = only(match(ORG, [debit], [receipt]))
        assert result.transaction_id == "t1", (descriptor, result.reasons)
    # A name with no article there is not the one cut: `BOUCHON DU` is no `Bouchon Thierry`.
    debit = tx("t1", "-53.00", "ZETTLE_*Le Bouchon du", "2025-01-13T13:27:00+01:00")
    result = only(match(ORG, [debit], [doc("d1", "51.00", "Bouchon Thierry", "2025-01-13")]))
    assert result.transaction_id is None


def test_a_name_cut_by_the_network_gives_way_to_the_whole_name_paid_that_day():
    # `ZETTLE_*Le Bouchon du` may be any `Le Bouchon du ...`: with `LE BOUCHON DU
    # TILLEUL` paid in the tip range that day, the cut one is not a second candidate.
    whole = tx("t1", "-336.00", "LE BOUCHON DU TILLEUL", "2025-02-10T21:14:00+01:00")
    cut = tx("t2", "-340.00", "ZETTLE_*Le Bouchon du", "2025-02-10T22:14:00+01:00")
    receipt = doc("d1", "309.00", "Le Bouchon du Tilleul", "2025-02-10")
    result = only(match(ORG, [whole, cut], [receipt]))
    assert result.transaction_id == "t1", result.reasons
    # Alone, the cut one is the tip.
    assert only(match(ORG, [cut], [receipt])).transaction_id == "t2"


def test_a_tip_whose_name_was_cut_after_its_trade_word_and_an_initial():
    # `PAYPAL *TORREFACTION L`: the trade word whole, then the first letter of Lemaire.
    debit = tx("t1", "-79.92", "PAYPAL *TORREFACTION L", "2025-04-18T19:56:00+02:00")
    receipt = doc("d1", "78.92", "Torrefaction Lemaire", "2025-04-18")
    assert only(match(ORG, [debit], [receipt])).transaction_id == "t1"
    # Another initial is another shop; no initial at all is any shop of the trade.
    for descriptor in ("PAYPAL *TORREFACTION D", "ZETTLE_*TORREFACTION AMIENS"):
        debit = tx("t1", "-79.92", descriptor, "2025-04-18T19:56:00+02:00")
        assert only(match(ORG, [debit], [receipt])).transaction_id is None, descriptor


def test_a_tip_is_found_when_ocr_doubled_a_letter_of_the_name_the_network_cut():
    # `Vaandamme` (a letter doubled) and `BOUCHERIE VANDA` (cut at 22 characters):
    # the descriptor is found by the name's own spelling, `VAND`.
    debit = tx("t1", "-45.34", "STRIPE*BOUCHERIE VANDA", "2025-05-05T11:47:00+02:00")
    receipt = doc("d1", "43.34", "Boucherie Vaandamme", "2025-05-05")
    assert only(match(ORG, [debit], [receipt])).transaction_id == "t1"


def test_a_receipt_cut_to_its_first_word_takes_the_one_tip_debit_opening_with_it():
    # OCR kept `La` of `La Petite Cour`: the day's only card payment in the tip range whose
    # merchant name opens with it, a typed tip (48.42 rounded up to 49.00).
    receipt = doc("d1", "48.42", "La", "2025-06-12")
    debit = tx("t1", "-49.00", "SUMUP *LA PETITE COUR", "2025-06-12T21:10:00+02:00")
    others = [
        tx("t2", "-50.10", "CB BOULANGERIE MARTIN", "2025-06-12T09:00:00+02:00"),
        tx("t3", "-49.90", "PAIEMENT CB 12/06 BAR LA MARINE", "2025-06-12T13:00:00+02:00"),
    ]
    result = only(match(ORG, [debit, *others], [receipt]))
    assert result.transaction_id == "t1"
    assert any("first word only" in r for r in result.reasons)
    # Two of them that day: either could be it.
    second = tx("t4", "-50.00", "CB*LA TABLE DU MARCHE", "2025-06-12T20:00:00+02:00")
    assert only(match(ORG, [debit, second], [receipt])).transaction_id is None
    # An untyped surplus (+0.87, no round sum, no whole percentage) is not a tip here.
    untyped = tx("t1", "-49.29", "SUMUP *LA PETITE COUR", "2025-06-12T21:10:00+02:00")
    assert only(match(ORG, [untyped], [receipt])).transaction_id is None
    # `Au` too; not `Du`, with which a bank's own format opens (`FACTURE CARTE DU ...`).
    au = tx("t5", "-30.00", "PAYPAL *AU BON COIN PI", "2025-06-12T12:00:00+02:00")
    assert only(match(ORG, [au], [doc("d2", "27.91", "Au", "2025-06-12")])).transaction_id == "t5"
    du = tx("t6", "-30.00", "FACTURE CARTE DU 120625 BAR X", "2025-06-12T12:00:00+02:00")
    assert only(match(ORG, [du], [doc("d3", "27.91", "Du", "2025-06-12")])).transaction_id is None


def test_a_service_charge_of_twelve_and_a_half_percent_is_a_typed_tip():
    # The customary service charge of British and Irish restaurants, at a payee
    # visited every day that week: as typed as a terminal's 10 % preset.
    earlier = visits(
        "THE OLD KETTLE PUB LONDON",
        ["40.00", "41.00", "42.00"],
        ["2025-05-02", "2025-05-03", "2025-05-04"],
    )
    debit = tx("t1", "-59.06", "THE OLD KETTLE PUB LONDON", "2025-05-05T21:40:00+02:00")
    receipt = doc("d1", "52.50", "The Old Kettle Pub", "2025-05-05")
    assert only(match(ORG, [*earlier, debit], [receipt])).transaction_id == "t1"
    # A surplus of no such shape (12.3 %) at that payee is as likely another purchase.
    odd = tx("t1", "-58.96", "THE OLD KETTLE PUB LONDON", "2025-05-05T21:40:00+02:00")
    assert only(match(ORG, [*earlier, odd], [receipt])).transaction_id is None


def test_a_tip_under_a_name_the_network_cut_before_the_town_matches():
    # `LE COMPTOIR DU PONT` filled the 22-character field; `NEUF` was cut, `PARIS` follows.
    debit = tx(
        "t1",
        "-31.02",
        "CARTE X1638 19/06 SNC RESTAURANT DU PONT PARIS",
        "2025-06-19T21:10:00+02:00",
    )
    receipt = doc("d1", "27.57", "Restaurant du Pont Neuf", "2025-06-19")
    assert only(match(ORG, [debit], [receipt])).transaction_id == "t1"


def test_a_tip_booked_days_later_by_a_bank_giving_the_booking_date_alone_matches():
    # Friday's dinner, booked on Monday by a bank that writes no time and no card date.
    booked = tx("t1", "-224.00", "CB*SQ *AUBERGE DU VALLON", "2025-01-06")
    result = only(match(ORG, [booked], [doc("d1", "221.00", "Auberge du Vallon", "2025-01-03")]))
    assert result.transaction_id == "t1"
    assert any("+ tip 3.00" in r for r in result.reasons)


def test_a_debit_booked_days_later_needs_more_than_the_name_cut_before_its_own_word():
    # `LE FOURNIL DE ...` may be any bakery's; on its day it would be looked at, not later.
    booked = tx("t1", "-6.50", "CB*SUMUP *LE FOURNIL DE ANAIS", "2025-11-06")
    result = only(match(ORG, [booked], [doc("d1", "4.50", "Le Fournil de Victor", "2025-11-05")]))
    assert result.transaction_id is None


def test_a_tip_is_not_looked_for_days_later_on_a_debit_dated_by_its_payment():
    # A card feed's time of day is the moment of payment: two days later is another visit.
    later = tx("t1", "-224.00", "SQ *AUBERGE DU VALLON", "2025-01-05T20:10:00+01:00")
    result = only(match(ORG, [later], [doc("d1", "221.00", "Auberge du Vallon", "2025-01-03")]))
    assert result.transaction_id is None


def test_no_tip_at_a_car_wash_or_a_parking_garage():
    # A larger debit there that day is another programme, another ticket. (`Garage`
    # alone is no such word: a bar may be called `Le Garage`.)
    for name, debit in (
        ("Waschstraße Ziegler", "WASCHSTRASSE ZIEGLER 5"),
        ("Tiefgarage Altstadt", "TIEFGARAGE ALTSTADT"),
    ):
        later = tx("t1", "-12.90", debit, "2025-02-14T11:20:00+01:00")
        result = only(match(ORG, [later], [doc("d1", "9.90", name, "2025-02-14")]))
        assert result.transaction_id is None, name


DAYS_AROUND_30_JANUARY = [(1, 27), (1, 28), (1, 29), (1, 31), (2, 1), (2, 2)]


def _at_a_cafe_paid_five_times_a_day(debit: str) -> MatchResult:
    """A 20.40 receipt of a café the company's cards pay five times a day (coffees
    of 1.80 on the other days), and its one debit in the tip range that day."""
    days = [f"2025-0{m}-{d:02d}" for m, d in DAYS_AROUND_30_JANUARY for _ in range(5)]
    cafe = visits("SUMUP *CAFE DU BEFFROI", ["1.80"] * len(days), days, prefix="c")
    paid = tx("t1", debit, "SUMUP *CAFE DU BEFFROI", "2025-01-30T12:47:00+01:00")
    return only(match(ORG, [*cafe, paid], [doc("d1", "20.40", "Café du Beffroi", "2025-01-30")]))


def test_a_percentage_a_terminal_computed_is_a_tip_even_where_the_payee_is_paid_often():
    result = _at_a_cafe_paid_five_times_a_day("-22.44")  # 10 % of 20.40, to the cent
    assert result.transaction_id == "t1"
    assert any("+ tip 2.04" in r for r in result.reasons)


def test_a_computed_percentage_on_a_coffee_is_told_from_the_days_other_purchases():
    # `Le Petit Cygne` says no trade, its terminal does (SumUp); a 2.00 coffee paid 2.24
    # (12 %) beside a 2.40 purchase the same day: prices end in a ten, a tip rarely.
    days = [f"2025-0{m}-{d:02d}" for m, d in DAYS_AROUND_30_JANUARY for _ in range(5)]
    cafe = visits("SumUp *Le Petit Cygne", ["1.80"] * len(days), days, prefix="c")
    paid = tx("t1", "-2.24", "SumUp *Le Petit Cygne", "2025-01-30T10:47:00+01:00")
    other = tx("t2", "-2.40", "SumUp *Le Petit Cygne", "2025-01-30T15:12:00+01:00")
    receipt = doc("d1", "2.00", "Le Petit Cygne", "2025-01-30")
    result = only(match(ORG, [*cafe, paid, other], [receipt]))
    assert result.transaction_id == "t1"
    assert any("+ tip 0.24" in r for r in result.reasons)
    # Two such debits that day: either may be the tip.
    again = tx("t3", "-2.18", "SumUp *Le Petit Cygne", "2025-01-30T16:40:00+01:00")
    assert only(match(ORG, [*cafe, paid, other, again], [receipt])).transaction_id is None


def test_of_two_debits_that_day_the_terminals_percentage_is_the_tip_not_the_price():
    # 36.52 is 11 % on 32.90, to the cent; 33.40 is a price (a dessert taken away).
    price = tx("t1", "-33.40", "SUMUP *PIZZERIA ERWAN", "2025-01-02T19:10:00+01:00")
    tip = tx("t2", "-36.52", "SUMUP *PIZZERIA ERWAN", "2025-01-02T12:29:00+01:00")
    receipt = doc("d1", "32.90", "Pizzeria Erwan", "2025-01-02")
    assert only(match(ORG, [price, tip], [receipt])).transaction_id == "t2"


def test_at_a_busy_cafe_a_terminals_percentage_booked_the_next_day_is_the_tip():
    # The company's other card paid the café that day (a price, 5.00); its bank books
    # the receipt's own payment the next day, a terminal's 5 % above the bill.
    days = [f"2025-0{m}-{d:02d}" for m, d in DAYS_AROUND_30_JANUARY for _ in range(5)]
    cafe = visits("SumUp *Le Petit Cygne", ["1.80"] * len(days), days, prefix="c")
    price = tx("t1", "-5.00", "SumUp *Le Petit Cygne", "2025-01-30T15:12:00+01:00")
    booked = tx("t2", "-4.73", "CB*SUMUP *LE PETIT CYGNE", "2025-01-31")
    receipt = doc("d1", "4.50", "Le Petit Cygne", "2025-01-30")
    assert only(match(ORG, [*cafe, price, booked], [receipt])).transaction_id == "t2"


def test_a_round_surplus_where_the_payee_is_paid_often_is_another_purchase():
    result = _at_a_cafe_paid_five_times_a_day("-22.40")  # +2.00: a coffee's worth
    assert result.transaction_id is None
    assert any("(a chain)" in r for r in result.reasons)


def test_why_no_tip_was_taken_is_told_beside_other_payees_of_the_amount():
    # Three other payees' debits of the bill's amount that day outscore the note.
    others = [
        tx(f"o{i}", "-20.40", name, "2025-01-30T09:00:00+01:00")
        for i, name in enumerate(["SQ *SNACK ODILE", "PHARMACIE DU PONT", "LIBRAIRIE VOLTAIRE"])
    ]
    days = [f"2025-0{m}-{d:02d}" for m, d in DAYS_AROUND_30_JANUARY for _ in range(5)]
    cafe = visits("SUMUP *CAFE DU BEFFROI", ["1.80"] * len(days), days, prefix="c")
    paid = tx("t1", "-22.40", "SUMUP *CAFE DU BEFFROI", "2025-01-30T12:47:00+01:00")
    receipt = doc("d1", "20.40", "Café du Beffroi", "2025-01-30")
    result = only(match(ORG, [*others, *cafe, paid], [receipt]))
    assert result.transaction_id is None
    assert any("(a chain)" in r for r in result.reasons)


def test_a_debit_booked_days_later_does_not_outrun_one_paid_the_next_evening():
    # Paid at 00:30 after the receipt's evening: that one is judged first (it is the tip).
    paid = tx("t1", "-224.00", "SQ *AUBERGE DU VALLON", "2025-01-04T00:30:00+01:00")
    booked = tx("t2", "-231.00", "CB*SQ *AUBERGE DU VALLON", "2025-01-06")
    receipt = doc("d1", "221.00", "Auberge du Vallon", "2025-01-03")
    assert only(match(ORG, [paid, booked], [receipt])).transaction_id == "t1"


def test_a_debit_booked_later_is_a_tip_whatever_other_cards_paid_there_the_next_noon():
    # The company's other card, dated to the second, paid the café again the next
    # noon: another visit, not this receipt's bill (its evening is charged by 2 am).
    booked = tx("t1", "-10.06", "CB*SUMUP *LE PETIT CYGNE", "2025-02-20")
    next_noon = tx("t2", "-10.30", "SumUp *Le Petit Cygne", "2025-02-19T12:40:00+01:00")
    receipt = doc("d1", "9.40", "Le Petit Cygne", "2025-02-18")
    assert only(match(ORG, [booked, next_noon], [receipt])).transaction_id == "t1"


def test_a_tip_is_found_under_a_name_the_receipts_copy_damaged_where_it_is_looked_for():
    # `SLMON`, `QVAI`: the words' starts are not in the descriptor, the words are.
    for name, debit in (
        ("Restaurant Slmon", "RESTAURANT SIMON"),
        ("Auberge du Qvai", "SQ *AUBERGE DU QUAI"),
    ):
        paid = tx("t1", "-106.00", debit, "2025-05-14T19:44:00+02:00")
        others = [
            tx(f"o{i}", f"-{amount}", payee, "2025-05-14T12:10:00+02:00")
            for i, (amount, payee) in enumerate((("99.90", "FNAC NANTES"), ("101.20", "SNCF")))
        ]
        result = only(match(ORG, [*others, paid], [doc("d1", "96.00", name, "2025-05-14")]))
        assert result.transaction_id == "t1", name
        assert any("+ tip 10.00" in r for r in result.reasons)
    # A short word one letter off, not a look-alike's, is another name.
    paid = tx("t1", "-33.00", "PIZZERIA ROMA", "2025-05-14T19:44:00+02:00")
    result = only(match(ORG, [paid], [doc("d1", "30.00", "Pizzeria Rosa", "2025-05-14")]))
    assert result.transaction_id is None
    # A one-word name found in a longer one is as often another business.
    paid = tx("t1", "-62.00", "CREPERIE DU THEATRE NICE", "2025-09-19T17:51:00+02:00")
    result = only(match(ORG, [paid], [doc("d1", "57.80", "AU THÉÂTRE", "2025-09-19")]))
    assert result.transaction_id is None


def test_only_the_payees_first_debit_booked_after_the_receipt_may_carry_its_tip():
    # Booked on Monday and Tuesday, both a typed tip away: Tuesday's is a later lunch.
    monday = tx("t1", "-14.00", "CB*BISTRO DUPONT", "2025-03-03")
    tuesday = tx("t2", "-13.00", "CB*BISTRO DUPONT", "2025-03-04")
    receipt = doc("d1", "12.00", "Bistro Dupont", "2025-02-28")
    assert only(match(ORG, [monday, tuesday], [receipt])).transaction_id == "t1"
