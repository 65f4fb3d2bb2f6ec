"""Aliases the statement teaches: a brand paid again and again under another name."""

from __future__ import annotations

from dataclasses import replace

from shared.matching.engine import match
from shared.matching.inference import Sighting, infer_aliases
from shared.matching.policy import MatchingPolicy
from tests.unit.matching.helpers import ORG, doc, tx

TOLLS = [("3.44", "01"), ("19.93", "05"), ("7.42", "09"), ("25.00", "14")]


def tolls(count: int, payee: str = "ASF") -> tuple[list, list]:
    """`count` motorway receipts, each paid to the cent on its day under `payee`."""
    receipts = [
        doc(f"d{n}", amount, "Vinci Autoroutes", f"2024-10-{day}")
        for n, (amount, day) in enumerate(TOLLS[:count])
    ]
    debits = [
        tx(f"t{n}", f"-{amount}", f"{payee} {4000 + n}", f"2024-10-{day}T08:30:00+02:00")
        for n, (amount, day) in enumerate(TOLLS[:count])
    ]
    return receipts, debits


def test_a_brand_paid_again_and_again_under_another_name_is_matched_and_says_why():
    receipts, debits = tolls(4)
    results = {r.document_id: r for r in match(ORG, debits, receipts)}
    assert {d: r.transaction_id for d, r in results.items()} == {f"d{n}": f"t{n}" for n in range(4)}
    reason = " ".join(results["d0"].reasons)
    assert "inferred from 4 of your documents" in reason and "'ASF 4000'" in reason


def test_two_sightings_are_not_enough_and_the_policy_can_turn_inference_off():
    receipts, debits = tolls(2)
    assert all(r.transaction_id is None for r in match(ORG, debits, receipts))
    receipts, debits = tolls(4)
    off = replace(MatchingPolicy(), infer_aliases=False)
    assert all(r.transaction_id is None for r in match(ORG, debits, receipts, off))


def test_a_payee_known_by_its_own_name_is_not_inferred_as_another_suppliers():
    # FRANPRIX is matched to Franprix receipts by name: three toll amounts that it
    # happens to share on their days are coincidences, not an alias.
    receipts, debits = tolls(3, payee="FRANPRIX")
    shop = [doc("f1", "12.80", "Franprix", "2024-10-02")]
    paid = [tx("f1", "-12.80", "FRANPRIX 4100", "2024-10-02T18:00:00+02:00")]
    results = {r.document_id: r.transaction_id for r in match(ORG, debits + paid, receipts + shop)}
    assert results["f1"] == "f1"
    assert all(results[f"d{n}"] is None for n in range(3))


def test_an_operating_company_known_by_its_legal_name_may_be_a_brands_alias():
    # The shop prints `SARL RUVODE` on some receipts and its sign `Biocoop` on
    # others; the card shows the company. The legal name does not make RUVODE a
    # supplier of its own, closed to the brand.
    _, debits = tolls(3, payee="RUVODE")
    receipts = [
        doc(f"d{n}", amount, "Biocoop", f"2024-10-{day}")
        for n, (amount, day) in enumerate(TOLLS[:3])
    ]
    shop = [doc("f1", "12.80", "SARL RUVODE", "2024-10-02")]
    paid = [tx("f1", "-12.80", "RUVODE 4100", "2024-10-02T18:00:00+02:00")]
    results = {r.document_id: r.transaction_id for r in match(ORG, debits + paid, receipts + shop)}
    assert results["f1"] == "f1"
    assert all(results[f"d{n}"] == f"t{n}" for n in range(3))


def test_a_supplier_meeting_many_names_teaches_nothing():
    names = ["ASF", "SANEF", "APRR", "ATMB", "COFIROUTE", "ALIAE", "ALBEA", "AREA"]
    sightings = [
        Sighting(("VINCI", "AUTOROUTES"), (bank,), "Vinci Autoroutes", bank)
        for bank in ["ASF"] * 3 + [name for name in names[1:] for _ in range(2)]
    ]
    assert infer_aliases(sightings, set()) == []  # ASF is 3 of 17: a crowd, not a payee
    aliases = infer_aliases(sightings[:5], set())  # 3 of 5
    assert [(a.supplier_name, a.counterparty, a.sightings) for a in aliases] == [
        ("Vinci Autoroutes", "ASF", 3)
    ]


def test_a_chain_paid_under_each_franchisees_name_teaches_each():
    # Every station of a fuel brand is run by its own company, on the card statement.
    sightings = [
        Sighting(("ESSO",), (bank,), "Esso", bank)
        for bank in ["RHONE CARBURANTS"] * 3 + ["VIDAL"] * 3 + ["GARAGE MOREL"] * 4
    ]
    learned = {a.counterparty for a in infer_aliases(sightings, set())}
    assert learned == {"RHONE CARBURANTS", "VIDAL", "GARAGE MOREL"}


def test_a_receipt_matched_first_under_the_brand_a_day_off_moves_to_the_aliased_debit_of_its_day():
    receipts, debits = tolls(4)
    # Receipt d3 (25.00 on the 14th) also meets the brand's own payment of the 13th: by
    # name it matches first; the alias then shows its payment of the very day.
    brand = tx("b1", "-25.00", "VINCI AUTOROUTES 2239", "2024-10-13T20:57:00+02:00")
    results = {r.document_id: r for r in match(ORG, [*debits, brand], receipts)}
    assert results["d3"].transaction_id == "t3"
    assert any("inferred from" in r for r in results["d3"].reasons)


def test_the_brands_refund_comes_back_under_the_inferred_name_too():
    receipts, debits = tolls(3)
    refund = tx("r1", "12.30", "ASF 4100", "2024-10-20T10:00:00+02:00")
    credit_note = doc("c1", "-12.30", "Vinci Autoroutes", "2024-10-18", "credit_note")
    results = {r.document_id: r for r in match(ORG, [*debits, refund], [*receipts, credit_note])}
    assert results["c1"].transaction_id == "r1"
    assert any("inferred from 3 of your documents" in r for r in results["c1"].reasons)
    off = replace(MatchingPolicy(), infer_aliases=False)
    alone = {r.document_id: r for r in match(ORG, [*debits, refund], [*receipts, credit_note], off)}
    assert alone["c1"].transaction_id is None


def test_a_debit_matched_through_an_inferred_alias_is_not_given_again_by_a_last_resort():
    # The last toll's debit is also the only one of its amount on the day of a receipt
    # printed with a company's legal name: the inferred alias had it first.
    receipts, debits = tolls(4)
    operator = doc("s1", "25.00", "SAS Dupont", "2024-10-14")
    results = match(ORG, debits, [*receipts, operator])
    paid = [r.transaction_id for r in results if r.transaction_id]
    assert len(paid) == len(set(paid)) == 4
    assert {r.document_id: r.transaction_id for r in results}["s1"] is None


def test_a_descriptor_with_the_town_and_card_trailer_after_the_name_counts_for_the_name():
    # Two banks write the same payee: one alone, one followed by its town and the
    # card's own trailer. Together they make three sightings.
    short, long = ("MOREAU", "FILS"), ("MOREAU", "FILS", "VALENCE", "CARTE")
    sightings = [
        Sighting(("LE", "PERCHOIR"), short, "Le Perchoir", "MOREAU ET FILS"),
        Sighting(("LE", "PERCHOIR"), short, "Le Perchoir", "MOREAU ET FILS"),
        Sighting(("LE", "PERCHOIR"), long, "Le Perchoir", "ACHAT 0312 MOREAU ET FILS VALENCE"),
    ]
    aliases = infer_aliases(sightings, set())
    assert [(a.counterparty, a.sightings) for a in aliases] == [("MOREAU ET FILS", 3)]


def test_a_trade_word_alone_gathers_no_longer_descriptors():
    # `BAR` is no payee's name: `BAR ZINC` and `BAR OURS` are two businesses.
    sightings = [Sighting(("LE", "PERCHOIR"), ("BAR",), "Le Perchoir", "BAR")] + [
        Sighting(("LE", "PERCHOIR"), ("BAR", word), "Le Perchoir", f"BAR {word}")
        for word in ("ZINC", "OURS")
    ]
    assert infer_aliases(sightings, set()) == []


def test_a_payee_known_by_its_own_name_met_again_and_again_by_one_supplier_is_its_alias():
    # A sole trader's terminal is registered under the owner's name, which other
    # receipts (printed with that name) match by name; the shop's sign is on these.
    owner = ("VASSEUR", "ODILE")
    sightings = [Sighting(("HOTEL", "GRIVE"), owner, "Hôtel Grive", "VASSEUR ODILE")] * 4
    assert infer_aliases(sightings[:3], {owner}) == []  # three is luck for a known payee
    aliases = infer_aliases(sightings, {owner})
    assert [(a.counterparty, a.sightings) for a in aliases] == [("VASSEUR ODILE", 4)]


def test_a_busy_payee_known_by_its_name_and_met_by_many_suppliers_is_nobodys_alias():
    busy = ("CAFE", "HALLES")
    sightings = [Sighting(("ROUSSEL",), busy, "SARL Roussel", "CAFE DES HALLES")] * 4 + [
        Sighting((name,), busy, name, "CAFE DES HALLES") for name in ("LEBRUN", "MAILLARD")
    ] * 3
    learned = infer_aliases(sightings, {busy})
    assert learned == []  # Roussel's 4 are a third of the payee's 10 sightings
    assert [a.sightings for a in infer_aliases(sightings, set())] == [3, 3, 4]


def test_each_seller_met_ten_times_under_a_marketplace_is_paid_through_it():
    # The marketplace is known by its own name (what it sells itself) and met by many
    # sellers' invoices: luck for three sightings each, not for ten.
    market = ("AMZN",)
    sellers = ("Roux Outillage SARL", "Lampes Vernier SARL", "Fêtes Martel SAS")
    sightings = [
        Sighting((name.split()[0].upper(),), market, name, "AMZN MKTP FR*Q4Y9QL")
        for name in sellers
    ]
    assert infer_aliases(sightings * 3, {market}) == []
    learned = infer_aliases(sightings * 10, {market})
    assert sorted((a.supplier_name, a.sightings) for a in learned) == [
        (name, 10) for name in sorted(sellers)
    ]


def test_an_invoice_paid_by_card_on_its_day_is_a_sighting_too():
    # A marketplace seller's invoices, each paid to the cent on its day to the
    # marketplace, whatever code the order adds to the descriptor.
    amounts = ["12.40", "33.90", "8.15", "61.20"]
    invoices = [
        doc(f"d{n}", amount, "Lampes Vernier SARL", f"2025-01-{10 + n}", "invoice")
        for n, amount in enumerate(amounts)
    ]
    debits = [
        tx(f"t{n}", f"-{amount}", "AMZN MKTP FR", f"2025-01-{10 + n}T20:00:00+01:00")
        for n, amount in enumerate(amounts)
    ]
    results = {r.document_id: r for r in match(ORG, debits, invoices)}
    assert {d: r.transaction_id for d, r in results.items()} == {f"d{n}": f"t{n}" for n in range(4)}
    assert "inferred from 4 of your documents" in " ".join(results["d0"].reasons)


def test_rides_matched_under_a_licence_number_teach_where_the_tipped_ride_went():
    # Three rides paid to the cent on their day under the cab's licence number (matched,
    # the name only weakly supporting), then a ride whose tip hides the amount.
    rides = [("31.00", "03"), ("24.50", "11"), ("42.10", "19")]
    receipts = [
        doc(f"r{n}", amount, "Taxi Agnès Huet", f"2025-03-{day}")
        for n, (amount, day) in enumerate(rides)
    ]
    debits = [
        tx(f"t{n}", f"-{amount}", "TAXI 526 CALUIRE", f"2025-03-{day}T09:00:00+01:00")
        for n, (amount, day) in enumerate(rides)
    ]
    tipped = doc("tip", "27.00", "Taxi Agnès Huet", "2025-03-25")
    debits.append(tx("t-tip", "-30.00", "TAXI 526 CALUIRE", "2025-03-25T18:00:00+01:00"))
    results = {r.document_id: r for r in match(ORG, debits, [*receipts, tipped])}
    assert [results[f"r{n}"].transaction_id for n in range(3)] == ["t0", "t1", "t2"]
    assert results["tip"].transaction_id == "t-tip", results["tip"].reasons
    reasons = " ".join(results["tip"].reasons)
    assert (
        "receipt total 27.00 + tip 3.00" in reasons
        and "inferred from 3 of your documents" in reasons
    )
    # Two such rides teach nothing: the tipped one stays unmatched.
    results = {r.document_id: r for r in match(ORG, debits[1:], [*receipts[1:], tipped])}
    assert results["tip"].transaction_id is None
    # A supermarket paid under its franchisee's company takes no tip.
    shops = [r._replace(supplier_name="Carrefour Market") for r in receipts]
    till = tipped._replace(supplier_name="Carrefour Market")
    assert {r.document_id: r for r in match(ORG, debits, [*shops, till])}[
        "tip"
    ].transaction_id is None


def test_an_operating_company_paid_at_several_sites_is_learned_by_its_own_word():
    # A motorway's gates: `PEAGERA VIENNE`, `PEAGERA MACON SUD`, `PEAGERA BOURGOIN`,
    # each met once or twice, too few alone; together the operator's receipts.
    gates = [("PEAGERA", "VIENNE"), ("PEAGERA", "MACON", "SUD"), ("PEAGERA", "BOURGOIN")]
    supplier = ("ROUTES", "ALPINES")
    sightings = [
        Sighting(supplier, gate, "Routes Alpines", " ".join(gate))
        for gate in gates
        for _ in range(2)
    ] + [Sighting(supplier, ("CAFE", "GARE"), "Routes Alpines", "CAFE DE LA GARE")] * 2
    aliases = infer_aliases(sightings, set())
    assert [(a.counterparty, a.sightings) for a in aliases] == [("PEAGERA", 6)]
    # One site, however written, stays its own pairing; a trade word gathers nothing.
    one_site = [Sighting(supplier, ("PEAGERA", "VIENNE"), "Routes Alpines", "PEAGERA VIENNE")] * 3
    assert [a.counterparty for a in infer_aliases(one_site, set())] == ["PEAGERA VIENNE"]
    bars = [Sighting(supplier, ("BAR", w), "Routes Alpines", f"BAR {w}") for w in ("ZINC", "OURS")]
    assert infer_aliases(bars * 2, set()) == []


def test_a_supplier_paid_under_its_own_name_is_no_brand_of_another_shop_of_its_trade():
    # A bar-tabac's coffees (1.80, 2.20) meet another bar-tabac's debits of those prices
    # by luck, on a statement that pays the supplier under its own name too.
    supplier, other = ("BAR", "TABAC", "PILOTE"), ("BAR", "TABAC", "MARCHE", "NANTES")
    sightings = [Sighting(supplier, other, "Bar-Tabac du Pilote", "BAR-TABAC DU MARCHE NANTES")] * 4
    assert infer_aliases(sightings, set(), {supplier}) == []
    # Never paid under its own name (a taxi by its licence), the pairing is learned.
    assert len(infer_aliases(sightings, set())) == 1


def test_a_taxi_paid_by_its_licence_number_is_learned_though_paid_by_name_too():
    # `TAXI 526 VILLEURBANNE` is the licence the taxi's terminal is registered under.
    supplier, licence = ("TAXI", "CHANTAL", "LECLERCQ"), ("TAXI", "VILLEURBANNE")
    sightings = [Sighting(supplier, licence, "Taxi Chantal Leclercq", "TAXI 526 VILLEURBANNE")] * 4
    assert len(infer_aliases(sightings, set(), {supplier})) == 1


def test_a_date_or_a_masked_card_number_in_a_descriptor_is_no_licence():
    supplier, other = ("BAR", "TABAC", "PILOTE"), ("BAR", "TABAC", "MARCHE")
    for descriptor in ("CB BAR TABAC DU MARCHE 12/03", "BAR TABAC DU MARCHE CARTE X4974"):
        sightings = [Sighting(supplier, other, "Bar-Tabac du Pilote", descriptor)] * 4
        assert infer_aliases(sightings, set(), {supplier}) == [], descriptor


def test_an_invoice_in_dollars_paid_abroad_under_the_brand_teaches_the_alias():
    # A software company's legal name on its invoices, its brand on the card line,
    # charged in dollars at 04:00 UTC: the Paris day after the invoice's American day.
    months = [("01", "111.27"), ("02", "113.52"), ("03", "110.64"), ("04", "115.70")]
    invoices = [
        doc(f"d{m}", "120.00", "Formagrid Inc", f"2025-{m}-04", "invoice", currency="USD")
        for m, _ in months
    ]
    debits = [
        tx(
            f"t{m}",
            f"-{eur}",
            "AIRTABLE.COM",
            f"2025-{m}-05T04:02:54+00:00",
            local_amount="120.00",
            local_currency="USD",
        )
        for m, eur in months
    ]
    results = {r.document_id: r for r in match(ORG, debits, invoices)}
    assert {d: r.transaction_id for d, r in results.items()} == {
        f"d{m}": f"t{m}" for m, _ in months
    }
    assert "inferred from 4 of your documents" in " ".join(results["d01"].reasons)
