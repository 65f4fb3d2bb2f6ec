"""Real-world phenomena of card and bank data the engine must see through (issue 13)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from shared.matching import engine
from shared.matching.engine import match
from shared.matching.name_similarity import (
    name_similarity,
    same_name,
)
from shared.matching.names import (
    profile,
    tokens,
)
from tests.unit.matching.helpers import ORG, doc, tx


def only(results):
    assert len(results) == 1
    return results[0]


# --- truncated descriptors and payment facilitators ----------------------------


def test_a_descriptor_cut_at_22_characters_is_the_name_not_a_mismatch():
    # `SUMUP *BOULANGERIE MA` is Boulangerie Martin: `MA` is a stump, not another word.
    similarity = name_similarity("Boulangerie Martin", "SUMUP *BOULANGERIE MA")
    assert similarity is not None and similarity >= 0.55
    # Another bakery's cut name does not read as Martin's.
    other = name_similarity("Boulangerie Martin", "SUMUP *BOULANGERIE DU")
    assert other is not None and other < 0.55


def test_truncated_descriptor_wins_over_another_shop_of_the_same_amount():
    transactions = [
        tx("t1", "-8.40", "SUMUP *BOULANGERIE MA", "2024-03-12T08:10:00+01:00"),
        tx("t2", "-8.40", "CB PRESSING DU PORT", "2024-03-12T17:40:00+01:00"),
    ]
    result = only(match(ORG, transactions, [doc("d1", "8.40", "Boulangerie Martin", "2024-03-12")]))
    assert result.transaction_id == "t1"
    assert any("resembles counterparty 'SUMUP *BOULANGERIE MA'" in r for r in result.reasons)


@pytest.mark.parametrize(
    ("read", "descriptor"),
    [
        ("Boulangerie Carrpentier", "CB*BOULANGERIE CARPENT"),  # letter doubled by OCR
        ("Restaurant Lec1ercq", "CARTE 3005 SUMUP *RESTAURANT LECL"),  # l read as 1
        ("Garage Tuillier", "PAYPAL *GARAGE THUILLI"),  # letter lost by OCR
    ],
)
def test_a_cut_name_is_recognised_through_an_ocr_slip(read, descriptor):
    similarity = name_similarity(read, descriptor)
    assert similarity is not None and similarity >= 0.55


@pytest.mark.parametrize(
    ("read", "descriptor"),
    [
        ("Boulangerie Lefranc", "ZETTLE_*BOULANGERIE LE ROUBAIX"),  # stump reads as an article
        ("Boulangerie Beaugrand", "PAYPAL *BOULANGERIE BE TOURS"),  # ... or a country code
    ],
)
def test_a_stump_at_the_networks_cut_is_kept_whatever_it_reads_as(read, descriptor):
    similarity = name_similarity(read, descriptor)
    assert similarity is not None and similarity >= 0.55
    # The same short word inside the name, before the cut, is still an article.
    assert tokens("SumUp *Café du Coin", bank_side=True) == ("CAFE", "COIN")


def test_a_name_cut_between_two_words_keeps_its_first_words():
    assert same_name(
        profile("Les Compagnons de la Grappe"),  # type: ignore[arg-type]
        profile("ZETTLE_*LES COMPAGNONS", bank_side=True),  # type: ignore[arg-type]
    )


@pytest.mark.parametrize(
    "descriptor",
    [
        "SUMUP *LE ZINC DORE",
        "SQ *LE ZINC DORE",
        "ZETTLE_*LE ZINC DORE",
        "PAYPAL *LE ZINC DORE",
        "STRIPE*LE ZINC DORE",
        "MYPOS*LE ZINC DORE",
        "CB*LE ZINC DORE",
        "PRLV SEPA LE ZINC DORE",
        "VIR SEPA LE ZINC DORE",
    ],
)
def test_payment_facilitator_prefixes_are_not_part_of_the_name(descriptor):
    assert tokens(descriptor, bank_side=True) == ("ZINC", "DORE")
    assert name_similarity("Le Zinc Doré", descriptor) == 1.0


# --- names damaged or absent ------------------------------------------------------


@pytest.mark.parametrize(
    "read",
    ["Fromagerie Vasseur", "Fromagerie Vaseur", "Fromagerie Vassseur", "FROMAGERIE VASSEUR"],
)
def test_ocr_damage_or_capitals_keep_the_match(read):
    transactions = [
        tx("t1", "-23.15", "CB FROMAGERIE VASSEUR CAEN", "2024-05-02T11:00:00+02:00"),
        tx("t2", "-23.15", "CB LIBRAIRIE DUQUESNE", "2024-05-03T11:00:00+02:00"),
    ]
    result = only(match(ORG, transactions, [doc("d1", "23.15", read, "2024-05-02")]))
    assert result.transaction_id == "t1"


@pytest.mark.parametrize("read", ["LLe Joli Zinc", "AAu Joli Zinc"])
def test_an_article_whose_first_letter_ocr_doubled_is_still_an_article(read):
    assert tokens(read) == ("JOLI", "ZINC")
    transactions = [tx("t1", "-22.95", "CB LE JOLI ZINC TOULOUSE", "2024-05-17T20:20:00+02:00")]
    result = only(match(ORG, transactions, [doc("d1", "22.95", read, "2024-05-17")]))
    assert result.transaction_id == "t1"


def test_a_doubled_first_letter_keeps_a_real_short_word():
    assert tokens("Aa Lion") == ("AA", "LION")
    assert tokens("Lee Cooper") == ("LEE", "COOPER")


def test_first_word_only_still_matches_a_lone_exact_payment():
    transactions = [tx("t1", "-23.15", "CB FROMAGERIE VASSEUR CAEN", "2024-05-02T11:00:00+02:00")]
    result = only(match(ORG, transactions, [doc("d1", "23.15", "Fromagerie", "2024-05-02")]))
    assert result.transaction_id == "t1"


@pytest.mark.parametrize(
    ("read", "descriptor"),
    [
        ("Le Mqrchqnd SARL", "LEMARCHAND.FR"),  # glued on the bank side, two letters misread
        ("Ar Cqrgo Exprese", "CB AIR CARGO EXPRESS"),  # a slip in every word
        ("Pnarmaxie Vqsseur", "CB PHARMACIE VASSEUR"),
    ],
)
def test_a_name_damaged_beyond_a_slip_neither_supports_nor_contradicts(read, descriptor):
    assert name_similarity(read, descriptor) == pytest.approx(0.3)  # weak: not a contradiction
    transactions = [tx("t1", "-41.60", descriptor, "2024-05-02T11:00:00+02:00")]
    result = only(match(ORG, transactions, [doc("d1", "41.60", read, "2024-05-02")]))
    assert result.transaction_id == "t1"
    assert not any("does not resemble" in r for r in result.reasons)


def test_a_damaged_name_loses_to_the_payment_that_bears_it_whole():
    transactions = [
        tx("t1", "-41.60", "CB PHARMACIE VASSEUR", "2024-05-02T11:00:00+02:00"),
        tx("t2", "-41.60", "CB PNARMAXIE VQSSEUR", "2024-05-02T15:00:00+02:00"),
    ]
    result = only(match(ORG, transactions, [doc("d1", "41.60", "Pharmacie Vasseur", "2024-05-02")]))
    assert result.transaction_id == "t1"


def test_a_short_name_inside_a_long_descriptor_is_not_a_damaged_copy():
    # Most letters of `Le Mqrchqnd` are in `LE MARCHE DU COIN`, but not as one name.
    assert name_similarity("Le Mqrchqnd SARL", "CB LE MARCHE DU COIN") < 0.3


def test_absent_name_does_not_block_an_exact_same_day_card_payment():
    transactions = [tx("t1", "-20.00", "CB LE KIOSQUE", "2024-05-02T11:00:00+02:00")]
    result = only(match(ORG, transactions, [doc("d1", "20.00", None, "2024-05-02")]))
    assert result.transaction_id == "t1"
    assert "no supplier name to compare with the counterparty" in result.reasons


def test_absent_name_with_another_payment_in_range_is_not_a_coin_toss():
    transactions = [
        tx("t1", "-20.00", "CB LE KIOSQUE", "2024-05-02T11:00:00+02:00"),
        tx("t2", "-20.00", "CB TABAC DE LA GARE", "2024-05-02T18:00:00+02:00"),
    ]
    result = only(match(ORG, transactions, [doc("d1", "20.00", None, "2024-05-02")]))
    assert result.transaction_id is None
    assert "ambiguous" in result.flags


def _busy_days_with(amount: str, days: int) -> list:
    """Card debits of 30 days, four a day, one of them `amount` each day: a statement
    where `amount` is a common price."""
    return [
        tx(
            f"d{day}-{k}",
            amount if k == 0 else f"-{day + 3}.{k}7",
            f"CB SHOP {day} {k}",
            f"2024-06-{day:02d}T1{k}:00:00+02:00",
        )
        for day in range(1, days + 1)
        for k in range(4)
    ]


def test_absent_name_and_a_common_price_is_not_enough():
    # 10.00 is paid by card every day: the one of the receipt's day may be anyone's.
    transactions = _busy_days_with("-10.00", 30)
    result = only(match(ORG, transactions, [doc("r1", "10.00", None, "2024-06-15")]))
    assert result.transaction_id is None
    assert any("is paid by card often enough" in r for r in result.reasons)
    # The same statement, and a rare amount of that day: the amount says it all.
    transactions.append(tx("rare", "-13.47", "CB SHOP RARE", "2024-06-15T19:00:00+02:00"))
    result = only(match(ORG, transactions, [doc("r2", "13.47", None, "2024-06-15")]))
    assert result.transaction_id == "rare"
    # And a name settles the common price.
    transactions[14 * 4] = tx("named", "-10.00", "CB LE KIOSQUE", "2024-06-15T10:00:00+02:00")
    result = only(match(ORG, transactions, [doc("r3", "10.00", "Le Kiosque", "2024-06-15")]))
    assert result.transaction_id == "named"


def _paid_daily_but_around_the_25th(amount: str) -> list:
    """`_busy_days_with(amount, 30)` without the debits of `amount` from the 20th to the
    30th, and one of `amount` on the 25th."""
    days = _busy_days_with(amount, 30)
    kept = [t for t in days if not (t.id.endswith("-0") and 20 <= int(t.id[1:-2]) <= 30)]
    return [*kept, tx("once", amount, "CB SHOP ONCE", "2024-06-25T19:00:00+02:00")]


def test_absent_name_and_a_price_paid_nowhere_else_that_week_is_enough():
    # 10.45 was paid by card every day in June but none of the ten days around the 25th:
    # the one of the receipt's day is the receipt's, whatever its share of the month.
    transactions = _paid_daily_but_around_the_25th("-10.45")
    result = only(match(ORG, transactions, [doc("r1", "10.45", None, "2024-06-25")]))
    assert result.transaction_id == "once", result.reasons
    # Paid again three days later, it is a common price again.
    transactions.append(tx("again", "-10.45", "CB SHOP AGAIN", "2024-06-28T12:00:00+02:00"))
    result = only(match(ORG, transactions, [doc("r1", "10.45", None, "2024-06-25")]))
    assert result.transaction_id is None
    assert any("is paid by card often enough" in r for r in result.reasons)
    # A whole amount is a bill a tip may round: as common as before.
    whole = _paid_daily_but_around_the_25th("-10.00")
    assert only(match(ORG, whole, [doc("r1", "10.00", None, "2024-06-25")])).transaction_id is None


def test_absent_name_and_a_debit_booked_days_later_by_a_bank_that_dates_by_booking():
    # A regional bank books Friday's purchase on Monday, the date alone (no time).
    booked = tx("t1", "-20.17", "CB*SUPER U REZE", "2025-09-15")
    result = only(match(ORG, [booked], [doc("d1", "20.17", None, "2025-09-12")]))
    assert result.transaction_id == "t1"
    # Past the booking delay, or dated to the second a day later, it is anyone's.
    for late in (
        tx("t1", "-20.17", "CB*SUPER U REZE", "2025-09-18"),
        tx("t1", "-20.17", "SUPER U REZE", "2025-09-13T10:12:00+02:00"),
    ):
        assert (
            only(match(ORG, [late], [doc("d1", "20.17", None, "2025-09-12")])).transaction_id
            is None
        )
    # A common price booked days later may be any of the other days' purchases: the
    # bank books a 4.20 most days (not in the days after the receipt but one).
    booked_days = [
        tx(
            f"d{day}-{k}",
            "-4.20" if k == 0 else f"-{day + 3}.{k}7",
            f"CB*SHOP {day} {k}",
            f"2024-06-{day:02d}",
        )
        for day in range(1, 31)
        for k in range(4)
        if k or not 15 <= day <= 19
    ]
    booked_days.append(tx("b1", "-4.20", "CB*LE KIOSQUE", "2024-06-17"))
    result = only(match(ORG, booked_days, [doc("r1", "4.20", None, "2024-06-15")]))
    assert result.transaction_id is None
    assert any("is paid by card often enough" in r for r in result.reasons)


def test_a_debit_booked_days_later_under_a_name_cut_before_its_own_word_is_the_receipts():
    # Thursday's lunch booked on Monday, its name cut by the card network: the day of
    # payment is unknown; the booking delay is no evidence against it.
    booked = tx("t1", "-19.50", "CB*SUMUP *LE BISTROT LE", "2025-07-21")
    receipt = doc("d1", "19.50", "Le Bistrot Le Floch", "2025-07-17")
    assert only(match(ORG, [booked], [receipt])).transaction_id == "t1"
    # Five days later is past the booking delay.
    late = tx("t1", "-19.50", "CB*SUMUP *LE BISTROT LE", "2025-07-22")
    assert only(match(ORG, [late], [receipt])).transaction_id is None


def test_a_debit_booked_a_week_after_the_receipt_is_another_purchase():
    # Booked within days of its payment, a debit a week later was paid after the
    # receipt was printed (the receipt was paid with a personal card).
    booked = tx("t1", "-2.50", "CB*TORREFACTION LEROY", "2025-03-26")
    receipt = doc("d1", "2.50", "Torréfaction Leroy", "2025-03-19")
    assert only(match(ORG, [booked], [receipt])).transaction_id is None
    booked = tx("t1", "-2.50", "CB*TORREFACTION LEROY", "2025-03-23")
    assert only(match(ORG, [booked], [receipt])).transaction_id == "t1"


def test_a_contradicting_name_blocks_an_exact_same_day_card_payment():
    transactions = [tx("t1", "-20.00", "CB LE KIOSQUE", "2024-05-02T11:00:00+02:00")]
    result = only(match(ORG, transactions, [doc("d1", "20.00", "Garage Pruvost", "2024-05-02")]))
    assert result.transaction_id is None
    assert any("does not resemble" in r for r in result.reasons)


def test_a_card_payment_of_the_receipts_day_beats_the_same_payment_next_day():
    # Two visits, one receipt: the debit emitted on the receipt's day is its payment;
    # one emitted the next evening is another visit (a slip is as rare as a day early).
    transactions = [
        tx(
            "t1",
            "-14.84",
            "LYF*BURGER DU PORT",
            "2024-07-10T09:58:00+02:00",
            settled_at="2024-07-10T23:30:00+02:00",
        ),
        tx(
            "t2",
            "-14.84",
            "LYF*BURGER DU PORT",
            "2024-07-11T21:58:00+02:00",
            settled_at="2024-07-12T01:55:00+02:00",
        ),
    ]
    result = only(match(ORG, transactions, [doc("d1", "14.84", "Burger du Port", "2024-07-10")]))
    assert result.transaction_id == "t1"
    assert "card on the receipt date" in result.reasons


def test_a_card_payment_emitted_the_day_after_the_receipt_still_matches_alone():
    transactions = [
        tx(
            "t2",
            "-14.84",
            "LYF*BURGER DU PORT",
            "2024-07-11T00:20:00+02:00",
            settled_at="2024-07-12T01:55:00+02:00",
        ),
    ]
    result = only(match(ORG, transactions, [doc("d1", "14.84", "Burger du Port", "2024-07-10")]))
    assert result.transaction_id == "t2"


def test_an_undated_receipt_prefers_the_payment_near_its_reception():
    # No date on the receipt: it was sent on 10 June. The same payee was paid the same
    # amount in late May and in early March; receipts are sent within weeks.
    transactions = [
        tx("t-near", "-7.83", "CB FRANPRIX 9112", "2024-05-31T10:40:00+02:00"),
        tx("t-far", "-7.83", "CB FRANPRIX 9112", "2024-03-02T10:40:00+01:00"),
    ]
    receipt = doc("d1", "7.83", "Franprix", None, received_at="2024-06-10T09:00:00+02:00")
    result = only(match(ORG, transactions, [receipt]))
    assert result.transaction_id == "t-near"


def test_an_undated_receipt_is_paid_within_a_month_before_it_was_sent():
    # A receipt is printed when paid and sent within a month (an expense report): a
    # payment of its amount three months before, or a week after, is another purchase.
    receipt = doc("d1", "7.83", "Franprix", None, received_at="2024-06-10T09:00:00+02:00")
    for when in ("2024-03-02T10:40:00+01:00", "2024-06-17T10:40:00+02:00"):
        transactions = [tx("t1", "-7.83", "CB FRANPRIX 9112", when)]
        assert only(match(ORG, transactions, [receipt])).transaction_id is None, when
    # Within the month, it is; so is a debit a bank books, its date alone, days after.
    for when in ("2024-05-20T10:40:00+02:00", "2024-06-13"):
        transactions = [tx("t1", "-7.83", "CB FRANPRIX 9112", when)]
        assert only(match(ORG, transactions, [receipt])).transaction_id == "t1", when


def test_cash_taken_from_a_machine_is_no_documents_payment():
    # The one card debit of the receipt's total that day is a cash withdrawal in its
    # town: the cash paid later, under no name the statement shows.
    atm = tx("t1", "-60.00", "RETRAIT DAB 241025 CALUIRE-ET-CU", "2025-10-24T10:00:00+02:00")
    named = doc("d1", "60.00", "Relais Pétral Caluire-et-Cuire", "2025-10-24")
    nameless = doc("d2", "60.00", None, "2025-10-24")
    assert [r.transaction_id for r in match(ORG, [atm], [named, nameless])] == [None, None]
    # Beside the withdrawal, the day's card payment of that amount is the nameless
    # receipt's alone.
    paid = tx("t2", "-60.00", "SUMUP *LA TABLE DU PORT", "2025-10-24T13:10:00+02:00")
    (result,) = match(ORG, [atm, paid], [nameless])
    assert result.transaction_id == "t2", result.reasons
    # Abroad, the machine pays whole local notes: 100.00 dollars are no receipt's either.
    abroad = tx(
        "t1",
        "-92.37",
        "ATM WITHDRAWAL NEW YORK",
        "2025-10-24T16:00:00+02:00",
        local_amount="-100.00",
        local_currency="USD",
    )
    dollars = doc("d3", "100.00", None, "2025-10-24", currency="USD")
    assert only(match(ORG, [abroad], [dollars])).transaction_id is None
    # A bare `ATM`, `DAB` or `BANCOMAT` is a payee's name or a card network's.
    for shop, name in (
        ("ATM MILANO", "ATM Milano"),
        ("PAGAMENTO BANCOMAT ESSELUNGA MILANO", "Esselunga"),
        ("CB DAB BRAUHAUS DORTMUND", "DAB Brauhaus"),
    ):
        debit = tx("t1", "-45.00", shop, "2025-10-24T12:00:00+02:00")
        receipt = doc("d1", "45.00", name, "2025-10-24")
        assert only(match(ORG, [debit], [receipt])).transaction_id == "t1", shop


# --- tips -------------------------------------------------------------------------


@pytest.mark.parametrize(("bill", "debit"), [("41.20", "45.32"), ("41.20", "43.20")])
def test_tip_on_a_truncated_restaurant_descriptor(bill, debit):
    # 10 % typed on the terminal, or a round 2.00.
    transactions = [
        tx("t1", f"-{debit}", "SUMUP *LA GRANGE AUX L", "2024-06-14T21:30:00+02:00"),
        tx("t2", f"-{bill}", "CB LIBRAIRIE DUQUESNE", "2024-06-20T10:00:00+02:00"),
    ]
    result = only(match(ORG, transactions, [doc("d1", bill, "La Grange aux Loups", "2024-06-14")]))
    assert result.transaction_id == "t1"
    assert any("+ tip" in r for r in result.reasons)


def test_tip_search_looks_at_the_amount_range_not_at_every_look_alike(monkeypatch):
    # Hundreds of payees share the receipt's name prefix on its day: the tip search
    # compares names only for debits in the tip range, so its work does not grow
    # with the crowd.
    words = ["".join(chr(65 + (i // 26**k) % 26) for k in range(3)) + "OT" for i in range(600)]
    crowd = [
        tx(f"c{i}", f"-{100 + i}.00", f"SUMUP *RESTAURANT LE GRAND {w}", "2024-06-14T12:00")
        for i, w in enumerate(words)
    ]
    calls = {"n": 0}
    real = engine.profile_similarity

    def counting(a, b):
        calls["n"] += 1
        return real(a, b)

    monkeypatch.setattr(engine, "profile_similarity", counting)
    target = tx("t1", "-33.00", "SUMUP *RESTAURANT LE GRAND VASSEUR", "2024-06-14T13:00")
    result = only(
        match(
            ORG, [*crowd, target], [doc("d1", "30.00", "Restaurant Le Grand Vasseur", "2024-06-14")]
        )
    )
    assert result.transaction_id == "t1"
    assert calls["n"] < 20


# --- foreign currency ---------------------------------------------------------------


def test_foreign_receipt_without_a_name_matches_on_the_local_amount():
    transactions = [
        tx(
            "t1",
            "-9.61",
            "LAWSON TOKYO 1123",
            "2024-09-03T10:00:00+02:00",
            local_amount="-1500",
            local_currency="JPY",
        ),
        tx("t2", "-15.00", "LAWSON TOKYO 1123", "2024-09-03T11:00:00+02:00"),
    ]
    result = only(match(ORG, transactions, [doc("d1", "1500", None, "2024-09-03", currency="JPY")]))
    assert result.transaction_id == "t1"
    assert any("local amount 1500.00 JPY" in r for r in result.reasons)


# --- monthly invoices ---------------------------------------------------------------


def test_monthly_invoices_pick_their_month_by_the_dates():
    # Same amount every month, debited 5-12 days after each invoice; one month
    # has no invoice. Each invoice takes its own month's debit.
    debits = [
        tx(f"t{m}", "-74.90", "PRLV SEPA VEOLIA EAU", f"2024-0{m}-1{m}T06:00", "direct_debit")
        for m in range(1, 6)
    ]
    invoices = [
        doc(f"d{m}", "74.90", "Veolia Eau", f"2024-0{m}-0{m}", "invoice") for m in (1, 2, 4, 5)
    ]
    results = match(ORG, debits, invoices)
    assert {r.document_id: r.transaction_id for r in results} == {
        "d1": "t1",
        "d2": "t2",
        "d4": "t4",
        "d5": "t5",
    }


def test_a_transfer_naming_the_invoice_before_in_the_series_is_that_ones_payment():
    # A freelancer's monthly fee, one amount: the transfer of 1 September names the
    # August invoice (its document never uploaded); September's is paid on its due date.
    paid_for_august = tx(
        "t1",
        "-1571.00",
        "Gwen Pichon EI",
        "2025-09-01T08:27:00+02:00",
        "transfer",
        reference="Facture 000537 Lumen",
    )
    paid_on_due = tx(
        "t2",
        "-1571.00",
        "Gwen Pichon EI",
        "2025-09-30T08:27:00+02:00",
        "transfer",
        reference="ACOMPTE",
    )
    september = doc(
        "d1",
        "1571.00",
        "Gwen Pichon EI",
        "2025-09-01",
        "invoice",
        invoice_number="000538",
        due_date="2025-10-01",
    )
    result = only(match(ORG, [paid_for_august, paid_on_due], [september]))
    assert result.transaction_id == "t2"


def test_a_monthly_fee_paid_between_two_months_is_matched_by_the_suppliers_habit():
    # A designer's fee, one amount each month, paid about 33 days after each invoice
    # (three transfers name their invoice). January's invoice has two payments in
    # reach: 3 days after it (December's fee, its invoice never uploaded) and 33 days.
    issued = ["2025-01-31", "2025-02-28", "2025-03-31", "2025-04-30"]
    paid = ["2025-03-05", "2025-04-02", "2025-05-03", "2025-06-02"]
    invoices = [
        doc(f"d{n}", "1571.00", "Studio Pichon", day, "invoice", invoice_number=f"00053{n}")
        for n, day in enumerate(issued)
    ]
    transfers = [
        tx(
            f"t{n}",
            "-1571.00",
            "VIR SEPA STUDIO PICHON",
            f"{day}T09:00:00+01:00",
            "transfer",
            reference=f"FACTURE 00053{n}" if n else "HONORAIRES",
        )
        for n, day in enumerate(paid)
    ]
    december = tx(
        "t-dec", "-1571.00", "VIR SEPA STUDIO PICHON", "2025-02-03T09:00:00+01:00", "transfer"
    )
    results = {r.document_id: r for r in match(ORG, [december, *transfers], invoices)}
    assert {d: r.transaction_id for d, r in results.items()} == {f"d{n}": f"t{n}" for n in range(4)}
    assert any("as the supplier's other invoices were" in r for r in results["d0"].reasons)
    # Without the habit (one invoice matched), the two payments stay a coin toss.
    results = {r.document_id: r for r in match(ORG, [december, transfers[0]], invoices[:1])}
    assert results["d0"].transaction_id is None


def test_a_transfer_naming_another_invoice_of_the_supplier_is_not_this_ones_despite_its_iban():
    # The IBAN says the supplier; the reference says which of its invoices.
    iban = "FR7620041555912428079950336"
    for_august = tx(
        "t1",
        "-1571.00",
        "Gwen Pichon EI",
        "2025-09-01T08:27:00+02:00",
        "transfer",
        reference="Facture 000537 Lumen",
        counterparty_iban=iban,
    )
    september = doc(
        "d1",
        "1571.00",
        "Gwen Pichon EI",
        "2025-09-01",
        "invoice",
        invoice_number="000538",
        supplier_iban=iban,
    )
    result = only(match(ORG, [for_august], [september]))
    assert result.transaction_id is None


def test_a_direct_debit_is_the_one_collected_on_the_stated_due_date():
    # Two debits of the same amount to the same creditor: a week before the due date
    # and on it. The creditor collects on the date it pre-notified.
    debits = [
        tx("early", "-89.04", "PRLV SEPA MAAF ASSURANCES", "2024-03-06T06:00", "direct_debit"),
        tx("on-due", "-89.04", "PRLV SEPA MAAF ASSURANCES", "2024-03-13T06:00", "direct_debit"),
    ]
    invoice = doc("d1", "89.04", "MAAF Assurances", "2024-03-01", "invoice", due_date="2024-03-14")
    (result,) = match(ORG, debits, [invoice])
    assert result.transaction_id == "on-due"


def test_same_price_contracts_debited_the_same_day_are_told_apart_by_the_contract_number():
    # Three leased cars at one price: each invoice number carries its contract, and
    # so does the debit's remittance information.
    contracts = ["48120077310", "48120077311", "48120077312"]
    debits = [
        tx(
            f"t{n}",
            "-512.40",
            "PRLV SEPA LEASECO",
            "2024-03-08T06:00",
            "direct_debit",
            reference=f"ECH 03/2024 CONTRAT {c}",
        )
        for n, c in enumerate(contracts)
    ]
    invoices = [
        doc(f"d{n}", "512.40", "Leaseco", "2024-03-01", "invoice", invoice_number=f"{c}/03")
        for n, c in enumerate(reversed(contracts))
    ]
    results = {r.document_id: r for r in match(ORG, debits, invoices)}
    assert {d: r.transaction_id for d, r in results.items()} == {"d0": "t2", "d1": "t1", "d2": "t0"}
    assert any("found in transfer reference" in r for r in results["d0"].reasons)


def test_a_nameless_receipt_abroad_matches_its_local_amount_a_paris_day_later():
    # Bought in Boston in the evening of 7 February: in Paris, the card debit is
    # dated the 8th. The local amount in dollars is the match, with no name at all.
    debit = tx(
        "t1",
        "-52.57",
        "WHOLEFDS 9013 BOSTON",
        "2024-02-08T02:03:00+01:00",
        local_amount="-56.90",
        local_currency="USD",
    )
    (result,) = match(ORG, [debit], [doc("d1", "56.90", None, "2024-02-07", currency="USD")])
    assert result.transaction_id == "t1"
    # In the receipt's own currency, a nameless debit a day off is anyone's payment.
    home = tx("t2", "-56.90", "CB*1043 TAVERNE PICARD", "2024-02-08T20:03:00+01:00")
    (result,) = match(ORG, [home], [doc("d2", "56.90", None, "2024-02-07")])
    assert result.transaction_id is None


def test_a_nameless_undated_receipt_abroad_matches_its_local_amount_before_it_was_sent():
    # A New York coffee receipt, no name nor date read, sent the next morning: the card
    # debit of its dollars the evening before is its payment, as an exact total would be.
    debit = tx(
        "t1",
        "-17.70",
        "SQ *JOE COFFEE",
        "2025-09-17T21:43:47+02:00",
        local_amount="-17.80",
        local_currency="USD",
        settled_at="2025-09-19T08:53:43+02:00",
    )
    receipt = doc(
        "d1", "17.80", None, None, currency="USD", received_at="2025-09-18T09:51:00+02:00"
    )
    result = only(match(ORG, [debit], [receipt]))
    assert result.transaction_id == "t1", result.reasons


def test_a_nameless_receipt_in_yen_matches_its_local_amount_booked_days_later():
    # Yen have no cents: a whole local amount abroad is no common round sum.
    booked = tx("t1", "-5.48", "CB*LAWSON", "2025-06-23", local_amount="950", local_currency="JPY")
    receipt = doc("d1", "950", None, "2025-06-19", currency="JPY")
    result = only(match(ORG, [booked], [receipt]))
    assert result.transaction_id == "t1"


def test_a_whole_local_amount_is_evidence_on_a_card_abroad_only():
    # A foreign transfer's converted amount is no card payment abroad: a nameless
    # invoice of a round 1000.00 USD needs a name, an IBAN or a reference there.
    transfer = tx(
        "t1",
        "-921.37",
        "INTL TRANSFER",
        "2025-03-05T10:00:00+01:00",
        "transfer",
        local_amount="1000.00",
        local_currency="USD",
    )
    invoice = doc("d1", "1000.00", None, "2025-03-04", "invoice", currency="USD")
    assert only(match(ORG, [transfer], [invoice])).transaction_id is None


def test_a_date_in_a_reference_or_an_amount_is_no_other_invoice_of_the_supplier():
    iban = "FR7630004000031234567890143"
    for number, reference in (
        ("FAC20250174", "PAIEMENT DU 20250128"),
        ("F0174", "VIR REF 0125 LOYER"),
        ("100234", "ACOMPTE 1002,50 EUR"),
    ):
        paid = tx(
            "t1",
            "-1250.00",
            "ATELIER MOREAU",
            "2025-01-28T10:00:00+01:00",
            "transfer",
            reference=reference,
            counterparty_iban=iban,
        )
        invoice = doc(
            "d1",
            "1250.00",
            "Atelier Moreau",
            "2025-01-20",
            "invoice",
            invoice_number=number,
            supplier_iban=iban,
        )
        assert only(match(ORG, [paid], [invoice])).transaction_id == "t1", reference


def test_a_nameless_invoice_of_a_round_amount_matches_the_debit_on_its_due_date():
    invoice = doc("d1", "189.00", None, "2024-08-28", "invoice", due_date="2024-09-10")
    on_due = tx("t1", "-189.00", "PRLV SEPA TOTALENERGIES ELEC", "2024-09-09T16:38", "direct_debit")
    (result,) = match(ORG, [on_due], [invoice])
    assert result.transaction_id == "t1"
    # Far from the due date, a round amount without a name proves nothing.
    early = tx("t2", "-189.00", "PRLV SEPA TOTALENERGIES ELEC", "2024-08-30T16:38", "direct_debit")
    (result,) = match(ORG, [early], [invoice])
    assert result.transaction_id is None


def test_a_name_cut_before_its_own_words_neither_supports_nor_contradicts():
    # The network kept `BAR TABAC DES` of `Bar Tabac des Sports`: a trade, not another name.
    debit = tx("t1", "-4.50", "PAYPAL *BAR TABAC DES", "2024-05-02T09:00:00+02:00")
    (result,) = match(ORG, [debit], [doc("d1", "4.50", "Bar Tabac des Sports", "2024-05-02")])
    assert result.transaction_id == "t1", result.reasons
    # Another word where the name goes on is another shop of the trade; so is a stump
    # that does not start the receipt's next printed word.
    assert name_similarity("Bar Tabac des Sports", "SUMUP *BAR TABAC DE LA GARE") < 0.3
    assert name_similarity("Maison de la Presse Collet", "MAISON DE LA PRESSE LE") < 0.3
    assert name_similarity("Café du Moulin", "LE SAONE CAFE") < 0.3


def test_the_letter_a_network_kept_after_an_article_names_the_word_that_goes_on():
    # `ZETTLE_*BAR-TABAC DU P`: 22 characters, cut one letter into the name's own word.
    # A bar-tabac du Marché is another shop of the trade, whatever the day and amount.
    debit = tx("t1", "-4.20", "Zettle_*Bar-Tabac du P", "2025-12-10T06:57:42+01:00")
    other = doc("d1", "4.20", "Bar-Tabac du Marché", "2025-12-10")
    assert name_similarity("Bar-Tabac du Marché", "Zettle_*Bar-Tabac du P") < 0.3
    assert match(ORG, [debit], [other])[0].transaction_id is None
    assert name_similarity("Bar-Tabac du Coin", "CB*ZETTLE_*BAR-TABAC DU P") < 0.3
    # A word of that letter goes on as cut; so may one whose first letter OCR lost.
    assert name_similarity("Bar-Tabac du Pilote", "Zettle_*Bar-Tabac du P") >= 0.3
    assert name_similarity("Pharmacie du oulin", "PAYPAL *PHARMACIE DU M") >= 0.3
    own = doc("d1", "4.20", "Bar-Tabac du Pilote", "2025-12-10")
    assert match(ORG, [debit], [own])[0].transaction_id == "t1"


def test_a_cut_word_whose_first_letter_ocr_lost_on_the_receipt_is_still_the_cut():
    # `ZETTLE_*POKE PETITE HO` for a receipt read `Poke Petite ollande` (Hollande, its
    # H lost): the words kept whole, then the stump past its first letter.
    debit = tx("t1", "-14.50", "ZETTLE_*POKE PETITE HO", "2025-04-11T14:17:27+02:00")
    receipt = doc("d1", "14.50", "Poke Petite ollande", "2025-04-11")
    assert only(match(ORG, [debit], [receipt])).transaction_id == "t1"
    assert name_similarity("Bar-Tabac du ont", "SumUp *Bar-Tabac du Po") >= 0.55
    # Another word there is another shop of the trade.
    assert name_similarity("Bar-Tabac du Marché", "SumUp *Bar-Tabac du Pa") < 0.3


def test_a_name_cut_by_the_card_network_with_the_town_after_it_is_not_a_contradiction():
    # The 22-character merchant field kept `DROGUERIE LA C` (the article and an
    # initial), then the terminal's town: the exact debit of the receipt's day is its bill.
    debit = tx("t1", "-55.98", "SUMUP  *DROGUERIE LA C NANTES", "2025-01-05T12:51:00+01:00")
    receipt = doc("d1", "55.98", "Droguerie La Comète", "2025-01-05")
    result = match(ORG, [debit], [receipt])[0]
    assert result.transaction_id == "t1", result.reasons
    # Another initial is another shop of the trade.
    other = tx("t1", "-55.98", "SUMUP  *DROGUERIE LA B NANTES", "2025-01-05T12:51:00+01:00")
    assert match(ORG, [other], [receipt])[0].transaction_id is None
    # Cut after the trade word and its article (`BOULANGERIE DE`), the town after.
    article = tx("t1", "-33.60", "PAYPLUG*BOULANGERIE DE PARIS", "2025-01-05T08:10:00+01:00")
    bakery = doc("d1", "33.60", "Boulangerie de la Fontaine", "2025-01-05")
    result = match(ORG, [article], [bakery])[0]
    assert result.transaction_id == "t1", result.reasons
    assert any("weakly resembles" in reason for reason in result.reasons)
    # Cut inside the trade words (`MAISON DE LA PR`): any newsagent, not this one.
    trade = tx("t1", "-4.20", "SUMUP *MAISON DE LA PR LYON", "2025-04-04T09:00:00+02:00")
    news = doc("d1", "4.20", "Maison de la Presse Morel", "2025-04-04")
    assert match(ORG, [trade], [news])[0].transaction_id is None


def test_a_trade_word_ocr_ran_into_its_article_is_read_as_two_words():
    # `Pharmaciedu` (the R lost too) is `PHARMACIE DU`: the network's cut
    # `PHARMACIE DU C` then names it, the exact debit of its day is its bill.
    debit = tx("t1", "-23.98", "PAYPLUG*PHARMACIE DU C PARIS", "2025-06-10T10:00:00+02:00")
    receipt = doc("d1", "23.98", "Phamaciedu Cadran", "2025-06-10")
    assert match(ORG, [debit], [receipt])[0].transaction_id == "t1"
    # And its tip, under the trade, the article and the initial the field kept.
    tipped = tx("t1", "-130.00", "PAYPLUG*BRASSERIE DU C", "2025-07-29T21:30:00+02:00")
    bill = doc("d1", "120.80", "BRASSERIEDU CADRAN", "2025-07-29")
    assert match(ORG, [tipped], [bill])[0].transaction_id == "t1"


def test_a_card_line_dated_by_its_booking_is_dated_by_the_card_date_in_its_text():
    # The bank books on the 9th a toll paid on the 7th, `FACTURE CARTE DU 070125`;
    # the same toll, same price, was paid again on the 9th and booked on the 13th.
    first = tx("t1", "-3.70", "FACTURE CARTE DU 070125 PEAGES DU RHONE VIENNE", "2025-01-09")
    second = tx("t2", "-3.70", "FACTURE CARTE DU 090125 PEAGES DU RHONE VIENNE", "2025-01-13")
    receipts = [
        doc("d1", "3.70", "Péages du Rhône", "2025-01-07"),
        doc("d2", "3.70", "Péages du Rhône", "2025-01-09"),
    ]
    results = {r.document_id: r.transaction_id for r in match(ORG, [first, second], receipts)}
    assert results == {"d1": "t1", "d2": "t2"}


def test_a_deferred_debit_card_line_booked_at_the_month_end_is_dated_by_its_card_date():
    # A deferred-debit card: the month's payments are booked together on its last
    # business day, each line carrying its day of use. Two coffees of one price at
    # the Torréfaction Ancelin, on the 4th and the 22nd.
    fourth = tx("t4", "-4.50", "CARTE X4821 04/01 SUMUP  *TORREFACTION ANC", "2025-01-31")
    later = tx("t22", "-4.50", "CARTE X4821 22/01 SUMUP  *TORREFACTION ANC", "2025-01-31")
    receipts = [
        doc("d22", "4.50", "Torréfaction Ancelin", "2025-01-22"),
        doc("d4", "4.50", "Torréfaction Ancelin", "2025-01-04"),
    ]
    results = {r.document_id: r.transaction_id for r in match(ORG, [fourth, later], receipts)}
    assert results == {"d4": "t4", "d22": "t22"}


@pytest.mark.parametrize(
    "form",
    [
        "CB QUINCAILLERIE ROUVIERE FACT {:%d%m%y}",
        "CB QUINCAILLERIE ROUVIERE {:%d/%m/%y}",
        "ACHAT CB QUINCAILLERIE ROUVIERE {:%d.%m.%y} CARTE NUMERO 512",
        "KARTENZAHLUNG QUINCAILLERIE ROUVIERE {:%Y-%m-%d}",
        "PAIEMENT CB {:%d%m} QUINCAILLERIE ROUVIE CARTE 51372690",
    ],
)
def test_the_card_date_is_read_in_the_forms_banks_write_it(form: str):
    # Two purchases of one price, on the 6th and the 8th, both booked on the 9th.
    lines = [
        tx(f"t{day}", "-12.90", form.format(date(2025, 1, day)), "2025-01-09") for day in (6, 8)
    ]
    receipts = [
        doc(f"d{day}", "12.90", "Quincaillerie Rouvière", f"2025-01-0{day}") for day in (8, 6)
    ]
    results = {r.document_id: r.transaction_id for r in match(ORG, lines, receipts)}
    assert results == {"d6": "t6", "d8": "t8"}


def test_a_belgian_card_line_booked_the_next_day_is_dated_by_the_card_date_in_its_reference():
    # A Brussels bank books a Saturday's card payment on Monday and writes the moment
    # of payment after the card number; the café was paid 6.40 on the Friday too.
    friday = tx("fri", "-6.40", "PAIEMENT BANCONTACT CAFE DES MINIMES BRUXELLES", "2025-04-25")
    monday = tx(
        "mon",
        "-6.40",
        "PAIEMENT BANCONTACT CAFE DES MINIMES BRUXELLES",
        "2025-04-28",
        reference="CARTE 6703 XXXX XXXX 1952 26-04-2025 10:12",
    )
    receipt = doc("sat", "6.40", "Café des Minimes", "2025-04-26")
    assert only(match(ORG, [friday, monday], [receipt])).transaction_id == "mon"


def test_a_receipt_takes_no_debit_of_another_day_where_that_price_is_paid_day_after_day():
    # A toll of one price, paid every working day: the receipt of the 14th, whose own
    # debit was paid by badge, is not the toll paid on the 13th or the 15th.
    tolls = [
        tx(f"t{day}", "-4.60", "PEAGES DU RHONE VILLEFRANCHE", f"2025-01-{day}T07:50:00+01:00")
        for day in (13, 15, 16)
    ]
    receipt = doc("d1", "4.60", "Péages du Rhône", "2025-01-14")
    result = match(ORG, tolls, [receipt])[0]
    assert result.transaction_id is None
    assert any("paid that amount on other days too" in reason for reason in result.reasons)
    # Paid once that fortnight, the debit of the next day is the receipt's (a slip).
    assert match(ORG, tolls[:1], [receipt])[0].transaction_id == "t13"
    # On its own day, the receipt's debit is its own whatever the days around.
    same_day = tx("t14", "-4.60", "PEAGES DU RHONE VILLEFRANCHE", "2025-01-14T07:50:00+01:00")
    assert match(ORG, [*tolls, same_day], [receipt])[0].transaction_id == "t14"
    # Nor is its date read the other way round (5 February for 2 May) to find one.
    swapped = doc("d1", "4.60", "Péages du Rhône", "2025-05-02")
    february = [
        tx(f"f{day}", "-4.60", "PEAGES DU RHONE VILLEFRANCHE", f"2025-02-{day}T07:50:00+01:00")
        for day in ("03", "05")
    ]
    assert match(ORG, february, [swapped])[0].transaction_id is None
    assert match(ORG, february[1:], [swapped])[0].transaction_id == "f05"


def test_a_receipt_dated_in_another_year_than_it_was_received_is_read_in_that_year():
    # `23/01/2023` on a receipt sent on 24 January 2025: a digit of the year misread.
    debit = tx("t1", "-24.40", "CHEZ NORBERTINE", "2025-01-23T11:32:00+01:00")
    receipt = doc(
        "d1", "24.40", "Chez Norbertine", "2023-01-23", received_at="2025-01-24T09:00:00+01:00"
    )
    result = match(ORG, [debit], [receipt])[0]
    assert result.transaction_id == "t1"
    assert result.reasons[0].startswith("receipt date 2023-01-23 read with the year wrong")
    # Another payee's debit that day is no reason to doubt the year.
    other = tx("t1", "-24.40", "GARAGE DU MOULIN", "2025-01-23T11:32:00+01:00")
    assert match(ORG, [other], [receipt])[0].transaction_id is None
    # Abroad, with no name read, the local amount of the card debit says whose it is.
    london = tx(
        "t1",
        "-55.80",
        "ADDISON LEE",
        "2025-02-28T19:40:54+01:00",
        local_amount="-45.30",
        local_currency="GBP",
        settled_at="2025-03-01T05:29:19+01:00",
    )
    cab = doc(
        "d1", "45.30", None, "2024-02-28", currency="GBP", received_at="2025-02-28T22:57:13+01:00"
    )
    result = match(ORG, [london], [cab])[0]
    assert result.transaction_id == "t1", result.reasons
    assert result.reasons[0].startswith("receipt date 2024-02-28 read with the year wrong")
    # At home, a nameless receipt's amount alone is anyone's.
    home = doc("d1", "24.40", None, "2023-01-23", received_at="2025-01-24T09:00:00+01:00")
    assert match(ORG, [debit], [home])[0].transaction_id is None
    # A receipt abroad that has a name needs it there: a pizzeria sharing a word is not it.
    pizza = london._replace(counterparty="SQ *JOES PIZZA LONDON")
    diner = doc("d1", "45.30", "Joe's Diner", "2024-02-28", currency="GBP")
    diner = diner._replace(received_at=cab.received_at)
    assert match(ORG, [pizza], [diner])[0].transaction_id is None


def test_a_receipt_sent_fresh_with_its_year_misread_is_matched_as_if_read_right():
    # `07/02/2024` on a receipt sent on 7 February 2025, at a restaurant paid that very
    # price on other days too: sent the day it was paid, its year is what OCR misread.
    usual = tx("t0", "-23.20", "SQ *MAISON MORVAN", "2025-02-03T12:30:00+01:00")
    debit = tx("t1", "-23.20", "SQ *MAISON MORVAN", "2025-02-07T12:52:00+01:00")
    receipt = doc(
        "d1", "23.20", "Maison Morvan", "2024-02-07", received_at="2025-02-07T23:59:00+01:00"
    )
    result = match(ORG, [usual, debit], [receipt])[0]
    assert result.transaction_id == "t1", result.reasons
    assert result.reasons[0].startswith("receipt date 2024-02-07 read with the year wrong")
    # Paid from an account whose bank dates card lines by their booking, days later.
    booked = tx("t1", "-23.20", "CB*SQ *MAISON MORVAN", "2025-02-10")
    assert match(ORG, [usual, booked], [receipt])[0].transaction_id == "t1"
    # Not a line booked the day before: the day and month were read right.
    before = tx("t1", "-23.20", "CB*SQ *MAISON MORVAN", "2025-02-06")
    assert match(ORG, [usual, before], [receipt])[0].transaction_id is None
    # Sent weeks after that day, it may be a year-old receipt: a price paid there again
    # and again says nothing of which purchase it is.
    late = receipt._replace(received_at=datetime.fromisoformat("2025-03-20T09:00:00+01:00"))
    assert match(ORG, [usual, debit], [late])[0].transaction_id is None
    # ... and so may one sent days after that day, as a year's receipts are at its close.
    days_after = receipt._replace(received_at=datetime.fromisoformat("2025-02-12T09:00:00+01:00"))
    assert match(ORG, [usual, debit], [days_after])[0].transaction_id is None
    assert match(ORG, [debit], [days_after])[0].transaction_id == "t1"
    # Fresh, but two debits of that price that day at places of that name: no choice.
    twin = tx("t2", "-23.20", "MAISON MORVAN TRAITEUR", "2025-02-07T18:10:00+01:00")
    assert match(ORG, [debit, twin], [receipt])[0].transaction_id is None


def test_a_document_dated_after_it_was_received_is_matched_as_one_with_no_date():
    # `08/05/2025` on a receipt sent on 5 May: a digit of the day misread.
    debit = tx("t1", "-52.63", "FROMAGERIE LAMBERT", "2025-05-03T09:39:00+02:00")
    receipt = doc(
        "d1", "52.63", "Fromagerie Lambert", "2025-05-08", received_at="2025-05-05T22:12:00+02:00"
    )
    result = match(ORG, [debit], [receipt])[0]
    assert result.transaction_id == "t1"
    assert result.reasons[0].startswith("date 2025-05-08 is after the document was received")
    # A debit a bank books, its date alone, days after it was sent is one too.
    booked = tx("t1", "-52.63", "CB*FROMAGERIE LAMBERT", "2025-05-07")
    assert match(ORG, [booked], [receipt])[0].transaction_id == "t1"
    # Not a debit of weeks before it was sent, nor one after (a receipt is paid first).
    for when in ("2025-03-12T09:39:00+01:00", "2025-05-20T09:39:00+02:00"):
        debit = tx("t1", "-52.63", "FROMAGERIE LAMBERT", when)
        assert match(ORG, [debit], [receipt])[0].transaction_id is None, when


def test_a_taxi_receipt_is_paid_to_a_taxi_named_by_its_licence_number_that_day():
    # The receipt shows the driver; the card shows the trade, a licence number and a
    # town: nothing there contradicts the driver's name.
    debit = tx("t1", "-52.90", "CB TAXI 579 VENISSIEUX 02/10", "2025-10-02T10:14:00+02:00")
    result = match(ORG, [debit], [doc("d1", "52.90", "Taxi Yannick Klein", "2025-10-02")])[0]
    assert result.transaction_id == "t1"
    assert any("weakly resembles" in reason for reason in result.reasons)


def test_a_taxi_named_by_its_licence_number_another_day_is_another_ride():
    debit = tx("t1", "-52.90", "CB TAXI 579 VENISSIEUX 03/10", "2025-10-03T10:14:00+02:00")
    result = match(ORG, [debit], [doc("d1", "52.90", "Taxi Yannick Klein", "2025-10-02")])[0]
    assert result.transaction_id is None


def test_a_name_cut_after_its_trade_word_and_an_initial_is_not_a_contradiction():
    # The network's 22-character field kept `QUINCAILLERIE B`; the town follows.
    # Nothing there contradicts `Besnard`: the exact debit of that day is the bill.
    debit = tx("t1", "-28.29", "STRIPE*QUINCAILLERIE B ROUEN", "2025-12-03T21:54:00+01:00")
    receipt = doc("d1", "28.29", "Quincaillerie Besnard", "2025-12-03")
    result = match(ORG, [debit], [receipt])[0]
    assert result.transaction_id == "t1", result.reasons
    assert any("resembles" in reason and "(0.60)" in reason for reason in result.reasons)
    # Another initial is another shop of the trade.
    other = tx("t1", "-28.29", "STRIPE*QUINCAILLERIE D ROUEN", "2025-12-03T21:54:00+01:00")
    assert match(ORG, [other], [receipt])[0].transaction_id is None
    # The receipt's trade word damaged by OCR is still the trade.
    damaged = doc("d1", "28.29", "Quincaillcrie Besnard", "2025-12-03")
    assert match(ORG, [debit], [damaged])[0].transaction_id == "t1"
    # Cut right after the trade word, the town after the field: no contradiction, and
    # less support than with the initial.
    cut = tx("t1", "-28.29", "ZETTLE_*QUINCAILLERIE AMIENS", "2025-12-03T21:54:00+01:00")
    result = match(ORG, [cut], [receipt])[0]
    assert result.transaction_id == "t1"
    assert any("weakly resembles" in reason for reason in result.reasons)
    # After the bank's own prefix, the word after the trade goes on with the name.
    bank = tx("t1", "-4.50", "CARTE X8046 08/09 BAR LE CROIX-ROUSSE", "2025-09-08T11:00:00+02:00")
    result = match(ORG, [bank], [doc("d1", "4.50", "Bar Tabac des Sports", "2025-09-08")])[0]
    assert result.transaction_id is None


def test_an_exact_debit_a_day_off_with_only_a_weak_name_is_not_matched():
    # `CAZ MOREAU` (OCR) weakly resembles `Café Moreau`: on the receipt's day the exact
    # amount decides; a day off, the debit may be another visit.
    receipt = doc("d1", "14.00", "CAZ MOREAU", "2024-05-10")
    same_day = tx("t1", "-14.00", "SumUp *Café Moreau", "2024-05-10T12:00:00+02:00")
    assert match(ORG, [same_day], [receipt])[0].transaction_id == "t1"
    day_before = tx("t1", "-14.00", "SumUp *Café Moreau", "2024-05-09T12:00:00+02:00")
    result = match(ORG, [day_before], [receipt])[0]
    assert result.transaction_id is None
    assert any("below the minimum" in reason for reason in result.reasons)


def test_an_exact_debit_charged_in_the_small_hours_after_the_receipt_is_of_its_day():
    # A bill printed at 23:50 and charged at 00:35: the receipt's evening, not a day
    # off, so the exact amount decides under a weak name as on the receipt's day.
    receipt = doc("d1", "14.00", "CAZ MOREAU", "2024-05-10")
    settled = {"settled_at": "2024-05-13T00:00:00+02:00"}
    late = tx("t1", "-14.00", "SumUp *Café Moreau", "2024-05-11T00:35:00+02:00", **settled)
    assert match(ORG, [late], [receipt])[0].transaction_id == "t1"
    next_noon = tx("t1", "-14.00", "SumUp *Café Moreau", "2024-05-11T12:00:00+02:00", **settled)
    assert match(ORG, [next_noon], [receipt])[0].transaction_id is None


def test_a_payment_processor_word_inside_the_name_is_part_of_the_name():
    # Square's descriptors read `SQ *...`: `SQUARE` after `SUMUP *` is the shop's name.
    assert name_similarity("Le Square de Marius", "SUMUP *LE SQUARE DE MARIUS") == 1.0


def test_a_card_debit_a_day_before_a_receipt_or_days_before_an_invoice_is_its_payment():
    # A receipt is printed at the till when the card is charged: dated a day later by
    # a slip (past midnight, a day misread); two days before, the debit is an earlier
    # purchase at the shop. A web shop charges the order and invoices at shipping,
    # within the week.
    receipt = doc("d1", "23.90", "Librairie Colbert", "2024-05-10")
    one_day = tx("t1", "-23.90", "CB LIBRAIRIE COLBERT", "2024-05-09T12:00:00+02:00")
    two_days = tx("t1", "-23.90", "CB LIBRAIRIE COLBERT", "2024-05-08T12:00:00+02:00")
    five_days = tx("t1", "-23.90", "CB LIBRAIRIE COLBERT", "2024-05-05T12:00:00+02:00")
    six_days = tx("t1", "-23.90", "CB LIBRAIRIE COLBERT", "2024-05-04T12:00:00+02:00")
    assert match(ORG, [one_day], [receipt])[0].transaction_id == "t1"
    assert match(ORG, [two_days], [receipt])[0].transaction_id is None
    invoice = doc("d1", "23.90", "Librairie Colbert", "2024-05-10", "invoice")
    assert match(ORG, [two_days], [invoice])[0].transaction_id == "t1"
    assert match(ORG, [five_days], [invoice])[0].transaction_id == "t1"
    assert match(ORG, [six_days], [invoice])[0].transaction_id is None


def test_a_debit_naming_a_sibling_contract_is_not_this_contracts_payment():
    # The invoice of contract ...311; the only debit of its amount names contract ...310.
    debit = tx(
        "t1",
        "-512.40",
        "PRLV SEPA LEASECO",
        "2024-03-08T06:00",
        "direct_debit",
        reference="ECH 03/2024 CONTRAT 48120077310",
    )
    invoice = doc(
        "d1", "512.40", "Leaseco", "2024-03-01", "invoice", invoice_number="48120077311/03"
    )
    (result,) = match(ORG, [debit], [invoice])
    assert result.transaction_id is None
    assert any("names another contract or invoice (48120077310)" in r for r in result.reasons)


def test_a_receipt_date_read_with_day_and_month_swapped_matches_the_debit_of_the_other_reading():
    # `03/11/2025` read as 3 November; the card was charged on 11 March.
    transactions = [
        tx("t1", "-49.61", "TOTALENERGIES RELAIS 2 LYON", "2025-03-11T17:12:02+01:00"),
        tx("t2", "-12.00", "BOULANGERIE MARTIN", "2025-11-03T08:00:00+01:00"),
    ]
    (result,) = match(ORG, transactions, [doc("d1", "49.61", "TotalEnergies Relais", "2025-11-03")])
    assert result.transaction_id == "t1"
    assert result.reasons[0].startswith("receipt date 2025-11-03 read with day and month swapped")


def test_a_date_whose_day_shows_two_like_debits_was_read_right():
    # Two tolls of 38.60 on 11 December: too alike to choose, but the date is right;
    # the toll of 12 November is another trip, not this receipt's day read backwards.
    transactions = [
        tx("t1", "-38.60", "PEAGES DU VAL", "2025-12-11T08:10:00+01:00"),
        tx("t2", "-38.60", "CARTE X9407 11/12 PEAGES DU VAL", "2025-12-11T18:40:00+01:00"),
        tx("t3", "-38.60", "PEAGES DU VAL", "2025-11-12T09:00:00+01:00"),
    ]
    (result,) = match(ORG, transactions, [doc("d1", "38.60", "Péages du Val", "2025-12-11")])
    assert result.transaction_id is None, result.reasons
    assert result.flags == ["ambiguous"]


def test_a_receipt_abroad_whose_date_was_read_the_other_way_matches_its_local_amount():
    # A US till prints `01/09/2025` for 9 January; read as 1 September. The card debit
    # carries the receipt's dollars as its local amount.
    debit = tx(
        "t1",
        "-5.83",
        "HAMON SUPERMARKET",
        "2025-01-09T11:32:00-08:00",
        local_amount="6.40",
        local_currency="USD",
    )
    receipt = doc("d1", "6.40", "Hamon Supermarket", "2025-09-01", currency="USD")
    (result,) = match(ORG, [debit], [receipt])
    assert result.transaction_id == "t1", result.reasons
    assert result.reasons[0].startswith("receipt date 2025-09-01 read with day and month swapped")
    # Another local amount that day is no reading of this receipt.
    other = debit._replace(local_amount=Decimal("6.90"))
    assert match(ORG, [other], [receipt])[0].transaction_id is None


def test_the_other_reading_of_the_date_needs_the_payees_name_and_that_very_day():
    cases = [
        # A name that only shares a word with the receipt's.
        (
            doc("d1", "5.80", "Au Pain du Marronnier", "2025-09-08"),
            tx("t1", "-5.80", "AU PAIN DU PASSERELLE", "2025-08-09T08:00:00+02:00"),
        ),
        # The payee's debit two days off the other reading.
        (
            doc("d1", "24.00", "Bistrot du Lanterne", "2025-10-09"),
            tx("t1", "-24.00", "PAYPAL *BISTROT DU LANTERNE", "2025-09-12T20:00:00+02:00"),
        ),
        # A date that reads one way only.
        (
            doc("d1", "24.00", "Bistrot du Lanterne", "2025-10-19"),
            tx("t1", "-24.00", "PAYPAL *BISTROT DU LANTERNE", "2025-09-10T20:00:00+02:00"),
        ),
    ]
    for receipt, debit in cases:
        (result,) = match(ORG, [debit], [receipt])
        assert result.transaction_id is None, receipt.supplier_name


def test_a_receipt_printed_with_its_operators_legal_name_takes_the_only_debit_of_its_day():
    debit = tx("t1", "-20.90", "CB BISTROT DU LAVOIR 05/02", "2025-02-05T13:00:00+01:00")
    receipt = doc("d1", "20.90", "SAS Jacquet", "2025-02-05")
    # Another debit of the amount two days later is no rival, as for a receipt with no
    # name: a card debit of another day may be anyone's purchase.
    later = tx("t2", "-20.90", "CB PIZZERIA DU PORT", "2025-02-07T13:00:00+01:00")
    for transactions in ([debit], [debit, later]):
        (result,) = match(ORG, transactions, [receipt])
        assert result.transaction_id == "t1"
        assert any("the receipt names a company ('SAS Jacquet')" in r for r in result.reasons)
        nameless = doc("d1", "20.90", None, "2025-02-05")
        assert match(ORG, transactions, [nameless])[0].transaction_id == "t1"


def test_a_shop_sign_receipt_takes_the_only_debit_of_its_day_under_the_operating_company():
    # The mirror case: the receipt shows the sign, the card the franchisee's company.
    debit = tx("t1", "-155.75", "SAS EXPLOITATION DU PORT", "2025-01-02T16:20:00+01:00")
    receipt = doc("d1", "155.75", "Brico Horizon", "2025-01-02")
    (result,) = match(ORG, [debit], [receipt])
    assert result.transaction_id == "t1", result.reasons
    assert any(
        "the card names a company ('SAS EXPLOITATION DU PORT'), the receipt its shop" in r
        for r in result.reasons
    )
    # A day later, it may be anyone's purchase.
    later = tx("t1", "-155.75", "SAS EXPLOITATION DU PORT", "2025-01-03T16:20:00+01:00")
    assert match(ORG, [later], [receipt])[0].transaction_id is None


def test_two_letters_at_the_networks_cut_or_before_a_number_name_no_company():
    # `AB` is the stump of L'Isle-d'Abeau, `AG 44` an agency: neither descriptor is an
    # operating company's, so the jardinerie's receipt does not stand on its amount there.
    receipt = doc("d1", "11.03", "Jardinerie des Canuts", "2025-08-19")
    for descriptor in (
        "FACTURE CARTE DU 190825 ROUTIX A43 L ISLE-D AB L ISLE-D ABEA CARTE 49375XXXXXXXX0458",
        "FACTURE CARTE DU 190825 FRANTHERM AG 44 BOURGOIN-JALL CARTE 49375XXXXXXXX0458",
    ):
        debit = tx("t1", "-11.03", descriptor, "2025-08-19T18:28:28+02:00")
        assert match(ORG, [debit], [receipt])[0].transaction_id is None, descriptor
    # A legal form of its own still names the operator behind the sign.
    debit = tx("t1", "-11.03", "FACTURE CARTE DU 190825 SAS ROUTIX CARTE 49375XX0458", "2025-08-19")
    assert match(ORG, [debit], [receipt])[0].transaction_id == "t1"
    # ... and a two-letter one inside the field, or before a date, is a company's: two
    # legal names are two companies.
    operator = doc("d1", "23.47", "SAS Jacquet", "2025-10-12")
    for descriptor in ("CB SUPERMERCADOS DIA SA MADRID", "CB DUPONT ET FILS SA 12/10"):
        debit = tx("t1", "-23.47", descriptor, "2025-10-12T12:00:00+02:00")
        assert match(ORG, [debit], [operator])[0].transaction_id is None, descriptor


def test_an_operator_named_receipt_stays_waiting_when_the_debit_is_not_the_only_one_of_its_day():
    receipt = doc("d1", "20.90", "SAS Jacquet", "2025-02-05")
    cases = [
        # Another debit of the amount that day.
        [
            tx("t1", "-20.90", "CB BISTROT DU LAVOIR", "2025-02-05T13:00:00+01:00"),
            tx("t2", "-20.90", "CB PIZZERIA DU PORT", "2025-02-05T19:00:00+01:00"),
        ],
        # A day off the receipt.
        [tx("t1", "-20.90", "CB BISTROT DU LAVOIR", "2025-02-06T13:00:00+01:00")],
        # Another company's legal name.
        [tx("t1", "-20.90", "CB MARTIN ET FILS SARL", "2025-02-05T13:00:00+01:00")],
    ]
    for transactions in cases:
        (result,) = match(ORG, transactions, [receipt])
        assert result.transaction_id is None, transactions[0].counterparty


def test_a_company_paid_under_its_own_name_is_no_operator_behind_another_sign():
    # Twelve receipts of `Primeurs Vallon SAS` were paid to `PRIMEURS VALLON`: the
    # thirteenth, its own debit missing, does not take a small shop's debit of its day.
    history = [
        (
            tx(f"t{n}", f"-{10 + n}.40", "CB PRIMEURS VALLON", f"2025-03-{n:02d}T10:00:00+01:00"),
            doc(f"d{n}", f"{10 + n}.40", "Primeurs Vallon SAS", f"2025-03-{n:02d}"),
        )
        for n in range(1, 13)
    ]
    shop = tx("t99", "-20.90", "SUMUP *LE BEAU COMPTOIR", "2025-03-20T13:00:00+01:00")
    receipt = doc("d99", "20.90", "Primeurs Vallon SAS", "2025-03-20")
    transactions = [t for t, _ in history] + [shop]
    results = {
        r.document_id: r for r in match(ORG, transactions, [d for _, d in history] + [receipt])
    }
    assert all(results[f"d{n}"].transaction_id == f"t{n}" for n in range(1, 13))
    assert results["d99"].transaction_id is None, results["d99"].reasons
    # Seen under its own name only a few times, it may still operate another sign.
    few = [t for t, _ in history[:3]] + [shop]
    results = {r.document_id: r for r in match(ORG, few, [d for _, d in history[:3]] + [receipt])}
    assert results["d99"].transaction_id == "t99", results["d99"].reasons


def test_an_exact_debit_under_another_trade_sharing_the_name_is_not_the_receipt():
    # `BRASSERIE COURT` is a brasserie; the receipt is a coffee roaster's. With the
    # exact amount a day off, a shared (cut) surname is no reason to take it.
    debit = tx("t1", "-16.12", "STRIPE*BRASSERIE COURT FR24", "2025-05-30T12:00:00+02:00")
    receipt = doc("d1", "16.12", "Torrefaction Courtois", "2025-05-29")
    result = match(ORG, [debit], [receipt])[0]
    assert result.transaction_id is None
    assert any("does not resemble" in reason for reason in result.reasons), result.reasons


def test_a_receipt_named_by_its_article_alone_is_not_paid_under_a_name_without_it():
    # OCR kept only `Les` of the name: a debit whose descriptor has no such word is
    # another payee's; one that starts so is matched as a nameless receipt would be.
    receipt = doc("d1", "28.00", "Les", "2025-03-03")
    other = tx("t1", "-28.00", "CB BOUCHERIE DUMORTIER LIMOGES", "2025-03-03T12:00:00+01:00")
    result = match(ORG, [other], [receipt])[0]
    assert result.transaction_id is None
    assert any("does not resemble" in reason for reason in result.reasons), result.reasons
    own = tx("t1", "-28.00", "ZETTLE_*LES COMPAGNONS", "2025-03-03T12:00:00+01:00")
    assert match(ORG, [own], [receipt])[0].transaction_id == "t1"


def test_a_stump_after_an_article_inside_the_networks_field_is_the_cut():
    # `SMP*TABAC PRESSE DU LA`: 22 characters; `DU` ends where a cut may fall, but a
    # word follows inside the field, so the cut is at `LA`, the start of `Lavoir`.
    cut = profile("SMP*TABAC PRESSE DU LA", bank_side=True)
    assert cut is not None and cut[0][-1] == "LA"
    assert name_similarity("Tabac Presse du Lavoir", "SMP*TABAC PRESSE DU LA") >= 0.55
    debit = tx("t1", "-11.10", "SMP*TABAC PRESSE DU LA", "2025-02-26T08:30:18+01:00")
    (result,) = match(ORG, [debit], [doc("d1", "11.10", "TABAC PRESSE DU LAVOIR", "2025-02-26")])
    assert result.transaction_id == "t1", result.reasons
    # Another word than the name's after the article is another shop.
    assert name_similarity("Tabac Presse du Lavoir", "SMP*TABAC PRESSE DU PO") < 0.3


def test_a_name_cut_after_two_articles_neither_supports_nor_contradicts():
    # `MAISON DE LA P` of `Maison de la Presse Da Silva`: the name goes on as printed.
    debit = tx("t1", "-11.80", "CB SumUp  *Maison de la P 12/05", "2025-05-12T00:00:00+02:00")
    receipt = doc("d1", "11.80", "Maison de la Presse Da Silva", "2025-05-12")
    (result,) = match(ORG, [debit], [receipt])
    assert result.transaction_id == "t1", result.reasons
    # `Le Bouchon du F` is not `Bouchon Océane`: the article is not in the name there.
    assert not same_name(
        profile("Bouchon Océane"),  # type: ignore[arg-type]
        profile("CB SUMUP *LE BOUCHON DU F 24/07", bank_side=True),  # type: ignore[arg-type]
    )


def test_an_article_run_into_the_next_word_by_ocr_is_no_other_name():
    # `BISTROT DULANTERNE` read for `Bistrot du Lanterne`, paid as the network cut it.
    descriptor = "FACTURE CARTE DU 081225 SQ *BISTROT DU LANTERN CALUIRE CARTE 4974XXXXXXXX3208"
    assert name_similarity("BISTROT DULANTERNE", descriptor) >= 0.55
    debit = tx("t1", "-44.90", descriptor, "2025-12-08T13:09:31+00:00")
    (result,) = match(ORG, [debit], [doc("d1", "44.90", "BISTROT DULANTERNE", "2025-12-08")])
    assert result.transaction_id == "t1", result.reasons
    # Only a similarity: where the amount proves little (tips), `Dupont` is not `PONT`.
    assert not same_name(
        profile("Boulangerie Dupont"),  # type: ignore[arg-type]
        profile("CB BOULANGERIE PONT", bank_side=True),  # type: ignore[arg-type]
    )
    assert name_similarity("Boulangerie Dupont", "CB BOULANGERIE PONTOISE") < 0.3


def test_a_tip_is_found_when_ocr_ran_an_article_into_the_name_the_card_prints_apart():
    # `BRASSERIE DE LAGARE` read for `Brasserie de la Gare`; the card prints `LA GARE`.
    debit = tx("t1", "-32.40", "BRASSERIE DE LA GARE", "2025-02-18T14:51:00+01:00")
    (result,) = match(ORG, [debit], [doc("d1", "30.00", "BRASSERIE DE LAGARE", "2025-02-18")])
    assert result.transaction_id == "t1", result.reasons
    assert "receipt total 30.00 + tip 2.40" in result.reasons[0]
    # Where the card does not print the article, `Dupont` is no `PONT`: no tip found.
    other = tx("t1", "-32.40", "BOULANGERIE PONT", "2025-02-18T14:51:00+01:00")
    (result,) = match(ORG, [other], [doc("d1", "30.00", "Boulangerie Dupont", "2025-02-18")])
    assert result.transaction_id is None


def test_a_tip_carrying_the_whole_name_beats_an_exact_debit_naming_a_look_alike():
    # Two restaurants of a like name were paid that day: the exact amount is the other one's.
    receipt = doc("d1", "37.96", "Le Figuier de Mathiide", "2024-11-12")  # OCR doubled a letter
    look_alike = tx("t1", "-37.96", "CB LE FIGUIER DE BERTRAND PARIS", "2024-11-12T13:10:00+01:00")
    tipped = tx("t2", "-41.76", "CB LE FIGUIER DE MATHILDE LYON", "2024-11-12T21:40:00+01:00")
    result = only(match(ORG, [look_alike, tipped], [receipt]))
    assert result.transaction_id == "t2", result.reasons
    assert "receipt total 37.96 + tip 3.80" in result.reasons[0]
    assert any("look-alike business" in reason for reason in result.reasons)


def test_an_exact_debit_at_another_shop_of_the_chain_keeps_the_receipt():
    # `FRIGOS 5283 METZ` names the chain only partly, but so does the debit above the
    # bill: a chain's two purchases, not a tip.
    receipt = doc("d1", "23.11", "Frigos Surgelés", "2024-10-20")
    exact = tx("t1", "-23.11", "FRIGOS 5283 METZ", "2024-10-20T10:00:00+02:00")
    above = tx("t2", "-24.61", "CARTE X6019 20/10 FRIGOS", "2024-10-20T17:00:00+02:00")
    result = only(match(ORG, [exact, above], [receipt]))
    assert result.transaction_id == "t1", result.reasons


def _paid_to_the_cent(name: str, descriptor: str, times: int) -> tuple[list, list]:
    transactions = [
        tx(f"t{n}", f"-{10 + n}.40", descriptor, f"2025-01-{1 + n % 28:02d}T10:00:00+01:00")
        for n in range(times)
    ]
    documents = [
        doc(f"d{n}", f"{10 + n}.40", name, f"2025-01-{1 + n % 28:02d}") for n in range(times)
    ]
    return transactions, documents


@pytest.mark.parametrize(
    ("name", "descriptor", "times", "tip_kept"),
    [
        ("Librairie Vauban", "CB LIBRAIRIE VAUBAN", 20, False),  # 20 to the cent, nobody tips
        ("Librairie Vauban", "CB LIBRAIRIE VAUBAN", 5, True),  # too few to know its habit
        ("Café Vauban", "CB CAFE VAUBAN", 20, True),  # tips are customary at a café
    ],
)
def test_a_debit_above_the_bill_is_no_tip_where_the_supplier_is_always_paid_to_the_cent(
    name, descriptor, times, tip_kept
):
    transactions, documents = _paid_to_the_cent(name, descriptor, times)
    above = tx("t99", "-35.00", descriptor, "2025-02-10T12:00:00+01:00")
    receipt = doc("d99", "31.50", name, "2025-02-10")
    results = {r.document_id: r for r in match(ORG, [*transactions, above], [*documents, receipt])}
    assert all(results[f"d{n}"].transaction_id == f"t{n}" for n in range(times))
    if tip_kept:
        assert results["d99"].transaction_id == "t99", results["d99"].reasons
    else:
        assert results["d99"].transaction_id is None
        assert "paid to the cent 20 times" in results["d99"].reasons[0]


@pytest.mark.parametrize(
    ("supplier", "at_checkout", "matched"),
    [
        ("Hôtel des Tilleuls", None, True),  # a prepaid rate, paid at booking
        ("Hôtel des Tilleuls", "-24.50", True),  # the minibar charged at checkout
        ("Hôtel des Tilleuls", "-515.06", False),  # the stay itself charged at checkout
        ("Traiteur des Tilleuls", None, False),  # no trade paid weeks ahead
        ("Hôte des Tilleuls", None, True),  # OCR lost a letter: the card names a hotel
    ],
)
def test_a_hotel_invoice_issued_at_checkout_matches_the_stay_paid_at_booking(
    supplier, at_checkout, matched
):
    descriptor = supplier.upper().replace("Ô", "O").replace("HOTE ", "HOTEL ") + " PARIS"
    transactions = [tx("t1", "-510.00", descriptor, "2025-02-10T21:14:00+01:00")]
    if at_checkout is not None:
        transactions.append(tx("t2", at_checkout, descriptor, "2025-03-29T10:05:00+01:00"))
    invoice = doc("d1", "510.00", supplier, "2025-03-29", document_type="invoice")
    (result,) = match(ORG, transactions, [invoice])
    assert (result.transaction_id == "t1") is matched, result.reasons
    if matched:
        assert "card 47 days before the invoice date: a stay paid at booking" in result.reasons


@pytest.mark.parametrize(
    ("supplier", "charged", "stays_that_week", "matched"),
    [
        ("Hôtel des Tilleuls", "-187.06", 0, True),  # the city tax paid at the desk
        ("Hôtel des Tilleuls", "-228.00", 0, False),  # more than a quarter more: no extras
        ("Hôtel des Tilleuls", "-187.06", 6, False),  # a chain's hotel, paid every day
        ("Traiteur des Tilleuls", "-187.06", 0, False),  # no hotel: a tip's rules
    ],
)
def test_a_hotel_bill_without_the_extras_matches_the_debit_at_checkout(
    supplier, charged, stays_that_week, matched
):
    # The booking's confirmation says 182.00, "city tax payable at the property".
    descriptor = supplier.upper().replace("Ô", "O") + " ANNECY"
    transactions = [tx("t1", charged, descriptor, "2025-01-15T10:55:00+01:00")]
    transactions += [
        tx(f"o{n}", "-95.00", descriptor, f"2025-01-{12 + n:02d}T09:00:00+01:00")
        for n in range(stays_that_week)
    ]
    bill = doc("d1", "182.00", supplier, "2025-01-15", document_type="invoice")
    (result,) = match(ORG, transactions, [bill])
    assert (result.transaction_id == "t1") is matched, result.reasons
    if matched:
        assert "+ 5.06 of extras charged at checkout (city tax, minibar)" in result.reasons[0]


@pytest.mark.parametrize(
    ("paid", "payee", "matched"),
    [
        ("-4862.29", "NAVETTES ORION", True),  # 1 % off, paid within the week
        ("-4837.73", "VIR SEPA NAVETTES ORION", True),  # 1.5 % off
        ("-4665.83", "NAVETTES ORION", False),  # 5 % off: an instalment, not a discount
        ("-4862.29", "ATELIER GRAPHIQUE", False),  # another payee
    ],
)
def test_an_invoice_paid_early_with_its_discount_matches_the_transfer_of_the_rest(
    paid, payee, matched
):
    transfer = tx("t1", paid, payee, "2025-01-07T16:31:00+01:00", "transfer")
    invoice = doc("d1", "4911.40", "Navettes Orion SASU", "2025-01-01", "invoice")
    (result,) = match(ORG, [transfer], [invoice])
    assert (result.transaction_id == "t1") is matched, result.reasons
    if matched:
        assert "less an early-payment discount of 1" in result.reasons[0]


def test_a_debit_to_a_sibling_business_is_not_the_receipt_of_its_family_member():
    # Two cafés of one family name, `Le Narval Écluse` and `Le Narval Beffroi`, each
    # paid under its own name: a cash receipt of the first is not the second's debit
    # of the same amount the next day (a name alike would have told a late debit).
    known = [
        ("Le Narval Écluse", "LE NARVAL ECLUSE", "2025-03-03"),
        ("Le Narval Écluse", "LE NARVAL ECLUSE", "2025-03-05"),
        ("Le Narval Beffroi", "LE NARVAL BEFFROI", "2025-03-04"),
        ("Le Narval Beffroi", "LE NARVAL BEFFROI", "2025-03-06"),
    ]
    documents = [doc(f"k{n}", f"{5 + n}.30", name, day) for n, (name, _, day) in enumerate(known)]
    transactions = [
        tx(f"p{n}", f"-{5 + n}.30", descriptor, f"{day}T09:00:00+01:00")
        for n, (_, descriptor, day) in enumerate(known)
    ]
    cash = doc("cash", "7.90", "Le Narval Écluse", "2025-03-12")
    sibling = tx("sib", "-7.90", "LE NARVAL BEFFROI", "2025-03-13T10:00:00+01:00")
    results = {r.document_id: r for r in match(ORG, [*transactions, sibling], [*documents, cash])}
    assert results["cash"].transaction_id is None, results["cash"].reasons
    assert all(results[f"k{n}"].transaction_id == f"p{n}" for n in range(4))
    # So is a receipt whose copy damaged its own word (`Ecluze`): the statement pays
    # `LE NARVAL ECLUSE`, a letter off, not the sibling.
    damaged = doc("cash", "7.90", "Le Narval Ecluze", "2025-03-12")
    results = {
        r.document_id: r for r in match(ORG, [*transactions, sibling], [*documents, damaged])
    }
    assert results["cash"].transaction_id is None, results["cash"].reasons
    # Without a family on the documents, the debit may be the brand's other till.
    alone = doc("alone", "7.90", "Le Narval Écluse", "2025-03-12")
    assert only(match(ORG, [sibling], [alone])).transaction_id == "sib"


def test_an_invoice_in_dollars_paid_from_the_euro_account_is_found_by_the_amount_its_transfer_quotes():
    # The bank writes the ordered amount in the transfer's reference.
    invoice = doc(
        "inv",
        "6361.68",
        "Ningbo Clearwave Packaging Co., Ltd",
        "2025-01-02",
        "invoice",
        currency="USD",
        invoice_number="CW-250547",
    )
    paid = tx(
        "t",
        "-6228.39",
        "VIR INTERNATIONAL EMIS NINGBO CLEARWAVE",
        "2025-01-07",
        "transfer",
        reference="ORDRE 8841 6361,68 USD",
    )
    result = only(match(ORG, [paid], [invoice]))
    assert result.transaction_id == "t", result.reasons
    assert result.reasons[0] == (
        "amount 6361.68 USD equals transaction local amount 6361.68 USD "
        "(ordered in USD, debited 6228.39 EUR)"
    )


@pytest.mark.parametrize(("debited", "matched"), [("-5517.78", True), ("-551.78", False)])
def test_an_invoice_in_dollars_is_paid_by_the_transfer_quoting_its_number_at_a_plausible_rate(
    debited: str, matched: bool
):
    invoice = doc(
        "inv",
        "5970.40",
        "Jingdezhen Clay Garden Co., Ltd.",
        "2025-02-10",
        "invoice",
        currency="USD",
        invoice_number="CG20250387",
    )
    paid = tx(
        "t",
        debited,
        "VIR INTERNATIONAL EMIS JINGDEZHEN CLAY GARDEN",
        "2025-02-17",
        "transfer",
        reference="CG20250387 DONT FRAIS 25,00 EUR OUR",
    )
    result = only(match(ORG, [paid], [invoice]))
    assert (result.transaction_id == "t") is matched, result.reasons
    if matched:
        assert any("converted" in r for r in result.reasons)


def test_an_international_transfer_carries_its_fee_above_the_invoice():
    invoice = doc("inv", "4975.57", "Xiamen Lantern Glass Co., Ltd.", "2025-03-03", "invoice")
    paid = tx(
        "t", "-5000.57", "VIR INTERNATIONAL EMIS XIAMEN LANTERN GLASS", "2025-03-06", "transfer"
    )
    result = only(match(ORG, [paid], [invoice]))
    assert result.transaction_id == "t", result.reasons


def test_a_card_payment_abroad_booked_with_its_local_amount_in_its_text_matches_the_receipt():
    # A French bank's deferred-debit card line: no local amount field, the yuan in the
    # reference with the rate and the commission.
    receipt = doc("r", "288.40", "Guangzhou Lotus Pond Restaurant", "2025-04-22", currency="CNY")
    booked = tx(
        "t",
        "-36.76",
        "CARTE X4821 22/04 LOTUS POND RESTAURANT",
        "2025-04-30",
        reference="288,40 CNY 1 EURO = 8,1002 CNY COMMISSION 1,16",
    )
    result = only(match(ORG, [booked], [receipt]))
    assert result.transaction_id == "t", result.reasons
    assert "card payment abroad" in result.reasons[0]


def test_an_invoice_paid_ahead_by_transfer_matches_the_transfer_before_its_issue():
    # The pro forma was paid on the 3rd; the invoice, issued at shipping on the 14th.
    invoice = doc("inv", "595.65", "Émaux & Couleurs Fauvel SAS", "2025-02-14", "invoice")
    ahead = tx("t", "-595.65", "VIR SEPA EMIS EMAUX COULEURS FAUVEL", "2025-02-03", "transfer")
    result = only(match(ORG, [ahead], [invoice]))
    assert result.transaction_id == "t", result.reasons
    assert "transfer 11 days before the invoice date (paid ahead, invoiced later)" in result.reasons
    # A price the payee is paid month after month: the transfer before is last month's.
    last_month = tx("l", "-595.65", "VIR SEPA EMIS EMAUX COULEURS FAUVEL", "2025-01-06", "transfer")
    assert only(match(ORG, [last_month, ahead], [invoice])).transaction_id is None


def test_ad_charges_of_one_amount_the_same_day_are_told_apart_by_the_receipt_id_in_the_line():
    # An ads platform charges the card each time spend reaches 250.00; its card lines
    # carry each receipt's transaction id.
    first = tx("t1", "-250.00", "PIXORA *Q7UB4GMUHX", "2025-01-03T05:34:00+00:00")
    second = tx("t2", "-250.00", "PIXORA *ACP7LC2NYG", "2025-01-03T14:35:00+00:00")
    receipts = [
        doc(
            "r2",
            "250.00",
            "Pixora Platforms Ireland Limited",
            "2025-01-03",
            invoice_number="ACP7LC2NYG",
        ),
        doc(
            "r1",
            "250.00",
            "Pixora Platforms Ireland Limited",
            "2025-01-03",
            invoice_number="Q7UB4GMUHX",
        ),
    ]
    results = {r.document_id: r for r in match(ORG, [first, second], receipts)}
    assert {k: r.transaction_id for k, r in results.items()} == {"r1": "t1", "r2": "t2"}
    assert "invoice number Q7UB4GMUHX found in the transaction's text" in results["r1"].reasons


def test_a_receipt_without_a_date_takes_no_debit_of_a_price_its_payee_is_paid_again_and_again():
    # A toll of one price, paid in January and again in March: a receipt whose date OCR
    # lost, received in April, may be either.
    tolls = [
        tx("jan", "-29.80", "PEAGES DU DAUPHINE", "2025-01-28T08:10:00+01:00"),
        tx("mar", "-29.80", "PEAGES DU DAUPHINE", "2025-03-20T18:40:00+01:00"),
    ]
    receipt = doc("r", "29.80", "Péages du Dauphiné", None, received_at="2025-04-02T09:00:00+02:00")
    result = only(match(ORG, tolls, [receipt]))
    assert result.transaction_id is None
    assert any("paid that amount on other days too" in r for r in result.reasons), result.reasons
    # Paid that price once in the months before: the receipt's.
    assert only(match(ORG, tolls[1:], [receipt])).transaction_id == "mar"
    # A line the bank dated by its booking alone is no surer a day than the other.
    booked = tx("feb", "-29.80", "PEAGES DU DAUPHINE", "2025-02-24")
    assert only(match(ORG, [booked, tolls[1]], [receipt])).transaction_id is None


def test_leases_of_one_price_debited_the_same_day_are_told_apart_by_the_contract_in_the_reference():
    # Three dishwashers leased at one price, debited together; each month's invoice is
    # numbered by its contract and the period, the debit's remittance names the contract.
    contracts = ("3799277-03", "9839842-01", "3583839-03")
    debits = [
        tx(
            f"t{n}",
            "-171.36",
            "PRLV SEPA LOCAPLONGE FINANCEMENT",
            "2025-01-06",
            "direct_debit",
            reference=f"LOYER 01/2025 CTR {contract} - RUM LOCA{contract[:7]}",
        )
        for n, contract in enumerate(contracts)
    ]
    invoices = [
        doc(
            f"d{n}",
            "171.36",
            "Locaplonge",
            "2024-12-30",
            "invoice",
            invoice_number=f"{contract}/0125",
        )
        for n, contract in reversed(list(enumerate(contracts)))
    ]
    results = {r.document_id: r for r in match(ORG, debits, invoices)}
    assert {k: r.transaction_id for k, r in results.items()} == {"d0": "t0", "d1": "t1", "d2": "t2"}
    assert "invoice number 3799277-03/0125 found in transfer reference" in results["d0"].reasons


def test_a_foreign_amount_in_a_transfers_text_counts_only_if_it_is_what_was_paid():
    # A 30 % deposit on a 10,000-dollar order: the reference quotes the order, not the
    # payment; the order's invoice is not this transfer's.
    invoice = doc(
        "inv",
        "10000.00",
        "Ningbo Clearwave Packaging Co., Ltd",
        "2025-01-02",
        "invoice",
        currency="USD",
    )
    deposit = tx(
        "t",
        "-2760.00",
        "VIR INTERNATIONAL EMIS NINGBO CLEARWAVE",
        "2025-01-07",
        "transfer",
        reference="ACOMPTE 30PCT COMMANDE 10 000,00 USD",
    )
    assert only(match(ORG, [deposit], [invoice])).transaction_id is None


def test_four_digits_after_cb_are_a_date_only_after_the_banks_own_words():
    # `CB 1212` on a card line booked on the 9th of January is no payment on 12 December.
    receipt = doc("r", "23.40", "Librairie du Quai", "2025-01-08")
    line = tx("t", "-23.40", "CB 1212 LIBRAIRIE DU QUAI", "2025-01-09")
    assert only(match(ORG, [line], [receipt])).transaction_id == "t"
