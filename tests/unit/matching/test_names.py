"""Card descriptors against legal names and shop signs."""

from __future__ import annotations

from difflib import SequenceMatcher

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.matching.name_similarity import (
    _is_abbreviation,
    name_similarity,
    same_name,
    token_similarity,
)
from shared.matching.names import (
    document_profile,
    profile,
    tokens,
)
from shared.matching.trades import tip_customary


@pytest.mark.parametrize(
    ("document", "descriptor"),
    [
        ("Amazon EU S.à r.l.", "AMZN Mktp FR*2K3L4"),
        ("Uber B.V.", "PAYPAL *UBER"),
        ("Café du Coin", "SumUp *Café du Coin"),
        ("SNCF Voyageurs", "SNCF INTERNET"),
        ("Microsoft Ireland Operations Ltd", "MSFT *AZURE"),
        ("Électricité de France", "PRLV SEPA EDF"),
        ("Société Française du Radiotéléphone", "PRLV SEPA SFR"),  # articles left out
        ("Verdant Web Hosting EMEA SARL", "VWH EMEA"),  # the first words' initials
        ("MVL Primeurs", "PRLV SEPA MARAICHERS VAL LOIRE"),  # initials of the descriptor
        ("Brasserie du Port", "CB BRASSERIE DU PORG LILLE"),  # OCR slip on the bank side
        ("NotiionLabs Inc.", "NOTION LABS"),  # glued words, doubled letter
    ],
)
def test_same_business_resembles(document, descriptor):
    similarity = name_similarity(document, descriptor)
    assert similarity is not None and similarity >= 0.55


@pytest.mark.parametrize(
    ("document", "descriptor"),
    [
        ("Café de Flore", "SumUp *Café du Coin"),  # two cafés
        ("Électricité de France", "MORIN ELECTRICITE SAS"),  # a shared trade word
        ("Boulangerie Martin", "CB LE ZINC PARIS"),
        ("Centre Auto Rapide Paris", "CAR WASH LYON"),  # initials that are a word
    ],
)
def test_different_businesses_do_not_resemble(document, descriptor):
    similarity = name_similarity(document, descriptor)
    assert similarity is not None and similarity < 0.55


def test_legal_forms_codes_and_processors_are_dropped():
    assert tokens("Amazon EU S.à r.l.") == ("AMAZON",)
    assert tokens("PAYPAL *UBER", bank_side=True) == ("UBER",)
    assert tokens("UBER *TRIP 6VR0N", bank_side=True) == ("UBER", "TRIP")


def test_missing_name_is_unknown_not_different():
    assert name_similarity(None, "SNCF") is None
    assert name_similarity("SAS", "SNCF") is None  # nothing left once the legal form goes


def test_tip_customary_from_words_or_small_terminals():
    assert tip_customary("Restaurant Chez Gaston")
    assert tip_customary("SQ *LE COMPTOIR")
    assert not tip_customary("LEROY MERLIN PARIS")


def test_different_trades_with_a_shared_word_do_not_resemble():
    assert name_similarity("Hotel Phare Faure", "CB PHARMACIE PHARE LE LILLE") < 0.55
    assert name_similarity("Bistro Chevalier", "PRESSING CHEVALIER") < 0.55
    # A café and a restaurant are one trade family: weaker than another trade, but
    # no support either (see the test below).
    assert name_similarity("Café Robert", "SQ *RESTAURANT ROBERT") > name_similarity(
        "Bistro Robert", "PRESSING ROBERT"
    )
    # Two trades are two businesses, even where the card network cut the shared name
    # to what reads as the receipt's cut short: a contradiction, not a weak likeness.
    assert name_similarity("Torrefaction Courtois", "STRIPE*BRASSERIE COURT FR24") < 0.3
    assert name_similarity("Epicerie Duquesne", "ZETTLE_*BRASSERIE DUQU") < 0.3


def test_a_letter_doubled_or_lost_by_ocr_keeps_the_whole_name():
    bank = profile("SumUp *Le Petit Comptoir", bank_side=True)
    assert same_name(profile("Le Petit  Compttoir"), bank)  # type: ignore[arg-type]
    assert same_name(profile("BRASERIE DU CHALET"), profile("SQ *BRASSERIE DU CHALET", True))  # type: ignore[arg-type]
    assert not same_name(profile("Le Marmite de Emma"), profile("LE MARMITE DE ROSE", True))  # type: ignore[arg-type]


def test_inn_and_tavern_are_trade_words_not_names():
    # Two inns sharing only the trade word are not the same business.
    assert name_similarity("Auberge du Kiosque", "CB*1234 AUBERGE DU LANTERNE") < 0.55
    assert name_similarity("Trattoria Schmitt", "LYF*TRATTORIA SCHMITT") == 1.0


def test_a_digit_read_for_a_letter_on_the_document_is_read_back_as_the_letter():
    assert tokens("Crêperie du B0ussole") == ("CREPERIE", "BOUSSOLE")
    assert tokens("C0IN") == ("COIN",)
    bank = profile("SUMUP  *CRÊPERIE DU BOUSSOLE", bank_side=True)
    assert same_name(profile("Crêperie du B0ussole"), bank)  # type: ignore[arg-type]
    # On the bank side a word with a digit is a code, not a name.
    assert tokens("SUMUP *B0USSOLE 4411", bank_side=True) == ("SUMUP",)


@pytest.mark.parametrize(
    ("document", "descriptor"),
    [
        ("TrattoriaDumont", "SUMUP  *TRATTORIA DUMONT"),  # a space lost on the receipt
        ("Brasserie Arnaud", "BRASSERIEARNAUD LYON"),  # run together in the descriptor
        ("Au BonPPain", "SUMUP *AU BON PAIN"),  # run together, and a letter doubled
        ("Boulangerie Martin", "PAYPAL *BOULANGERIEMAR"),  # run together and cut at 22
    ],
)
def test_a_name_spaced_otherwise_is_the_same_name(document, descriptor):
    bank = profile(descriptor, bank_side=True)
    assert same_name(profile(document), bank)  # type: ignore[arg-type]
    similarity = name_similarity(document, descriptor)
    assert similarity is not None and similarity >= 0.75


def test_a_name_run_together_is_not_another_name_with_its_first_word():
    similarity = name_similarity("TrattoriaDumont", "SUMUP *TRATTORIA DUPONT")
    assert similarity is not None and similarity < 0.9


def test_words_run_together_in_a_longer_name_are_split_as_the_descriptor_spells_them():
    # `HOTELMERCURE`: two of the name's words run together, the rest of it spaced.
    similarity = name_similarity("HôtelMercure Bordeaux Centre", "HOTEL MERCURE 9758")
    assert similarity is not None and similarity >= 0.9


def test_a_city_before_the_whole_name_is_not_the_payees_distinctive_word():
    alike = name_similarity("Taverne Hubert", "PAIEMENT CB 27/03 MONTPELLIER TAVERNE HUBERT")
    assert alike is not None and alike >= 0.9
    # A one-word name proves less: another word before it may be another business.
    other = name_similarity("Électricité de France", "MORIN ELECTRICITE SAS")
    assert other is not None and other < 0.55


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ("LeMistral Gourmand", ("MISTRAL", "GOURMAND")),  # an article run into the name
        ("BrasserieWattel", ("BRASSERIE", "WATTEL")),  # a trade word run into the name
        ("BlaBlaCar", ("BLABLACAR",)),  # a brand in camel case stays whole
        ("TfL", ("TFL",)),  # and so does an acronym
    ],
)
def test_words_ocr_ran_together_are_split_where_one_is_a_common_word(document, expected):
    assert document_profile(document)[0] == expected


@pytest.mark.parametrize(
    ("document", "descriptor"),
    [
        ("Le Mqrchqnd", "LEMARCHAND.FR"),  # letters misread in place
        ("Restaurant Moebu", "ZETTLE_*RESTAURANT MOREAU"),
    ],
)
def test_a_name_damaged_by_ocr_is_weak_evidence_not_a_contradiction(document, descriptor):
    assert name_similarity(document, descriptor) >= 0.3


@pytest.mark.parametrize(
    ("document", "descriptor"),
    [
        ("Le Moulin Gourmand", "BOUCHON PAULINE"),  # O, U, L, I, N picked across it
        ("Café du Saône", "MARTY OCÉANE"),
        ("SASU Charpentier", "CB CAFE DU CANUT 13/02"),
    ],
)
def test_letters_scattered_across_another_name_are_not_a_damaged_copy(document, descriptor):
    assert name_similarity(document, descriptor) < 0.3


def test_a_trade_word_opening_another_name_is_not_the_first_word_cut_short():
    # `CHEZ` reads as `CHEV...` with one slip, but it is a word of its own followed
    # by another name; a real cut keeps the stump (`SUMUP *BOULA` for Boulangerie).
    assert name_similarity("CHEVALIER RACHID", "CHEZ YANNICK") < 0.3
    assert name_similarity("Barbier", "BAR TABAC DES SPORTS") < 0.5
    assert name_similarity("Boulangerie", "SUMUP *BOULA") >= 0.7
    # Nor is the bank's own word, or a word one slip off a prefix deep in another name.
    assert name_similarity("Carrefour City", "CERISIER DISTRIBUTION LYON CARTE 4974XXXX7255") < 0.3
    assert name_similarity("Brasserie Kerbrat", "PAYPLUG*Bistrot du Cad BOURG EN BRES") < 0.3
    assert name_similarity("Monoprix", "MONOP NANTES") >= 0.7


def test_another_trade_word_of_the_family_is_not_support():
    # `TAVERNE BRUNET` is the next restaurant of the Brunet family, not Brasserie Brunet.
    assert name_similarity("Brasserie Brunet", "SUMUP *TAVERNE BRUNET") < 0.55
    assert name_similarity("Café du Port", "CB BAR DU PORT") < 0.55
    # Forms of one trade word are one.
    assert name_similarity("Bistro Brunet", "CB BISTROT BRUNET") >= 0.8
    assert name_similarity("Restaurant Brunet", "CB RESTO BRUNET") >= 0.8


@pytest.mark.parametrize(
    ("printed", "read"),
    [
        ("Torrefactin Hennebert", ("TORREFACTION", "HENNEBERT")),
        ("Epiccrie Wattel", ("EPICERIE", "WATTEL")),
        ("Qulncaillerie Pruvost", ("QUINCAILLERIE", "PRUVOST")),
        ("Brasserle du Port", ("BRASSERIE", "PORT")),
        # A word of its own one slip from an adjective (`GRANDE`) stays as printed.
        ("La Grange aux Loups", ("GRANGE", "LOUPS")),
        ("Cave Lopez", ("CAVE", "LOPEZ")),
    ],
)
def test_a_trade_word_damaged_by_ocr_is_read_as_the_trade(printed, read):
    profile_read = document_profile(printed)
    assert profile_read is not None and profile_read[0] == read


@pytest.mark.parametrize(
    ("printed", "read"),
    [
        ("Auxx Trois Brasseurs", ("TROIS", "BRASSEURS")),  # an article with a letter doubled
        ("Maison dess Presses", ("MAISON", "PRESSES")),
        ("Le P0t au Feu", ("POT", "FEU")),  # a zero for an O in a short word
        ("Dell", ("DELL",)),  # a name's own double letter stays
        ("Holiday Inn", ("HOLIDAY", "INN")),
    ],
)
def test_ocr_slips_in_articles_and_short_words_are_read_back(printed, read):
    profile_read = document_profile(printed)
    assert profile_read is not None and profile_read[0] == read


@pytest.mark.parametrize(
    "name", ["L'Estaminet du Beffroi", "Aux Trois Brasseurs", "La Guinguette", "Rôtisserie Martin"]
)
def test_taverns_and_brewpubs_are_places_where_people_tip(name):
    assert tip_customary(name)


def test_a_name_cut_by_the_network_is_found_when_ocr_doubled_its_first_letter():
    # `Restaurant TTissier` on the receipt, `RESTAURANT TIS` kept by the card network.
    assert name_similarity("Restaurant TTissier", "ZETTLE_*RESTAURANT TIS ROUEN") >= 0.7
    assert name_similarity("Restaurant TTissier", "ZETTLE_*RESTAURANT TOS ROUEN") < 0.3


def test_a_damaged_trade_word_does_not_pass_for_the_payee_own_word():
    # Read as a distinctive word, `TORREFACTIN` let any roaster's cut descriptor carry
    # the name (the `C` of the next word dropped): the payee looked like a chain.
    damaged = document_profile("Torrefactin Hennebert")
    assert damaged is not None
    assert not same_name(damaged, profile("PAYPAL *TORREFACTION C", bank_side=True))  # type: ignore[arg-type]
    assert same_name(damaged, profile("CB*TORREFACTION HENNEB", bank_side=True))  # type: ignore[arg-type]


def _token_similarity_by_the_rules(a: str, b: str) -> float:
    """token_similarity written plainly (each rule on its own), to check the fast one."""
    if a == b:
        return 1.0
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) >= 3 and long.startswith(short):
        return 0.9
    if _is_abbreviation(short, long):
        return 0.8
    if len(short) >= 3 and len(a) == len(b):
        if sum(x != y for x, y in zip(a, b, strict=True)) == 1:
            return 0.75 if len(a) >= 4 else 0.7
    if len(short) >= 3 and len(long) == len(short) + 1:
        if any(long[:i] + long[i + 1 :] == short for i in range(len(long))):
            return 0.75
    if len(short) >= 4 and len(long) - len(short) <= 2:
        common = len(set(a) & set(b))
        if 2 * common < 0.8 * (len(set(a)) + len(set(b))):
            return 0.0
        ratio = SequenceMatcher(None, a, b).ratio()
        if ratio >= (0.75 if len(short) >= 6 else 0.8):
            return ratio
    return 0.0


_WORDS = st.text(alphabet="ABDEMNORT", min_size=1, max_size=9)


@given(_WORDS, _WORDS)
@settings(max_examples=3000, deadline=None)
def test_token_similarity_follows_its_rules(a: str, b: str) -> None:
    assert token_similarity(a, b) == _token_similarity_by_the_rules(a, b)


def test_an_umlaut_a_bank_spells_out_is_the_same_letter():
    # SEPA has no umlaut: the bank writes AE, OE, UE where the receipt prints Ä, Ö, Ü.
    assert name_similarity("Bäckerei Höllbacher", "BAECKEREI HOELLBACHER") >= 0.9
    assert name_similarity("Metzgerei Müller", "METZGEREI MUELLER GMBH") >= 0.9
    # A word with a real UE beside a spelled-out umlaut (`Bäuerle`, `BAEUERLE`) too.
    assert token_similarity("BAEUERLE", "BAUERLE") >= 0.9
    # ... a word of four letters or less keeps its E: a French COEUR is no COUR.
    assert token_similarity("COEUR", "COUR") < 0.9


def test_two_bakeries_share_a_trade_word_in_any_language_not_a_name():
    # A German, Spanish or Italian trade word weighs as little as a French one.
    assert name_similarity("Bäckerei Pichlmayr", "BAECKEREI HEZEL OHG//Goeppingen") < 0.3
    assert name_similarity("Panadería Ortiz", "PANADERIA LOPEZ MADRID") < 0.3
    assert name_similarity("Gasthof Adler", "APOTHEKE ADLER") < 0.3  # two trades


def test_one_trade_word_in_two_languages_names_one_trade():
    # A German canteen's receipt paid to its French-spelled descriptor, and the reverse.
    assert name_similarity("Kantine Gewerbepark", "CANTINE GEWERBEPARK") >= 0.9
    assert name_similarity("Apotheke am Markt", "PHARMACIE AM MARKT") >= 0.9
    # Two trade words of one family in one language stay two businesses of a kind.
    assert name_similarity("Taverne Brunet", "BRASSERIE BRUNET") < 0.6


def test_two_coffee_shops_share_a_trade_word_not_a_name():
    # `COFFEE`, `POKE`, `SUSHI`: trade words in any language, not the payee's own.
    assert name_similarity("Coffee Shop Barbin", "SQ *MANON COFFEE") < 0.3
    assert name_similarity("Poke Sainte-Croix", "SUMUP *POKE JEAN JAU") < 0.3
    assert name_similarity("Coffee Shop Barbin", "SUMUP *COFFEE SHOP BAR") >= 0.8


def test_a_banks_own_prefix_does_not_move_the_card_networks_cut():
    # `CB*` is the bank's, before the network's 22-character field: `DU` is not its cut.
    for descriptor in ("CB*SUMUP *LA CANTINE DU CA", "CARTE X8046 03/01 SUMUP *LA CANTINE DU CA"):
        assert profile(descriptor, True)[0] == profile("SUMUP *LA CANTINE DU CA", True)[0]
        assert name_similarity("La Cantine du Canal", descriptor) >= 0.7
    # An article, then the next word's first letter at the cut: the name goes on there.
    assert profile("SUMUP *LE BOUCHON DU F", True)[0] == ("BOUCHON", "DU")
