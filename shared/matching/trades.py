"""Trade words in names and descriptors (a `BOULANGERIE`, a `PHARMACIE`), and the customs of
tipping by trade and by card terminal.

A descriptor may name a payee by its trade and a code (`BOULANGERIE 0412`) or by its trade
and the name cut by the card network (`STRIPE*QUINCAILLERIE L FR19`); names of two trades of
different families are two businesses.
"""

from __future__ import annotations

import re
from functools import lru_cache

from shared.matching.name_similarity import same_word
from shared.matching.names import (
    BANK_WORDS,
    CUT_END,
    DROPPED_WORDS,
    GENERIC_WORDS,
    NON_WORD,
    TRADE_FAMILY,
    WORD,
    NameProfile,
    fold,
)

# Payment processors, whose name opens the merchant field (`SUMUP *`, `STRIPE*`).
_PROCESSORS = frozenset(
    "PAYPAL PP SUMUP SQ ZETTLE IZ IZETTLE STRIPE PAYPLUG LYDIA ADYEN MOLLIE LYF LYFPAY "
    "PAYGREEN SUMUPPAY MYPOS".split()
)


def named_by_trade_and_code(document: NameProfile, descriptor: str) -> bool:
    """The descriptor names the payee by a trade word of the document's name and a
    licence or terminal number only (`TAXI 579 VENISSIEUX` for `Taxi Yannick Klein`,
    `CB HOTEL 1730 PARIS`): the words after the number place it, they do not name it,
    so the document's other words are not contradicted.

    >>> from shared.matching.names import profile

    >>> named_by_trade_and_code(profile("Taxi Loïc Hoarau"), "CB TAXI 478 VILLEURBANNE")
    True
    >>> named_by_trade_and_code(profile("Taxi Loïc Hoarau"), "TAXI BLEU 478")
    False
    """
    trade: list[str] = []
    for word in NON_WORD.split(fold(descriptor)):
        if not word or word in DROPPED_WORDS:
            continue
        if not word.isalpha():  # a digit: `NON_WORD` leaves only A-Z and 0-9
            if trade:
                return all(t in document[0] for t in trade)
            continue  # a date or a card number before the name
        if word in GENERIC_WORDS:
            trade.append(word)
        elif trade or word not in BANK_WORDS:
            return False
    return False


def named_by_trade_cut(document: NameProfile, descriptor: str, initial: bool = False) -> bool:
    """The card network cut the merchant's name after its trade word(s), maybe
    keeping the next word's first letter (`STRIPE*QUINCAILLERIE B ROUEN` for
    `Quincaillerie Besnard`, `ZETTLE_*QUINCAILLERIE AMIENS` for `Quincaillerie
    Castelain`): the words cut off are not there to compare, and the town after the
    22-character field places the payee, it does not name it.

    >>> from shared.matching.names import profile
    >>> named_by_trade_cut(profile("Quincaillerie Besnard"), "STRIPE*QUINCAILLERIE B ROUEN")
    True
    >>> named_by_trade_cut(profile("Quincaillerie Besnard"), "STRIPE*QUINCAILLERIE D ROUEN")
    False
    >>> named_by_trade_cut(profile("Quincaillerie Besnard"), "QUINCAILLERIE B")
    False
    >>> named_by_trade_cut(profile("Quincaillerie Castelain"), "ZETTLE_*QUINCAILLERIE AMIENS")
    True
    >>> named_by_trade_cut(profile("Quincaillcrie Hennebert"), "STRIPE*QUINCAILLERIE H PAU")
    True
    >>> named_by_trade_cut(profile("Bar Tabac des Sports"), "CARTE X8046 08/09 BAR LE CROIX")
    False
    >>> named_by_trade_cut(profile("Quincaillerie Besnard"), "CARTE 1309 STRIPE*QUINCAILLERIE B")
    True
    >>> named_by_trade_cut(profile("Boulangerie de la Fontaine"), "PAYPLUG*BOULANGERIE DE PARIS")
    True

    `initial`: only a cut that kept the next word's first letter counts.

    >>> named_by_trade_cut(profile("Quincaillerie Castelain"), "ZETTLE_*QUINCAILLERIE AMIENS", True)
    False
    """
    folded = fold(descriptor)
    if len(folded) <= CUT_END[0]:
        return False  # shorter than the field: nothing was cut
    words = list(WORD.finditer(folded))
    name = document[0]
    field = None  # where the merchant field starts: after the bank's own words
    for n, m in enumerate(words):
        word = m.group()
        if field is None and (word in _PROCESSORS or word not in BANK_WORDS and word.isalpha()):
            field = m.start()
        if word not in GENERIC_WORDS or not same_word(name[0], word):
            if word in BANK_WORDS or word in DROPPED_WORDS or not word.isalpha():
                continue  # a processor, the bank's words, a card number before the name
            return False
        k = 0  # the document's trade words (maybe damaged by OCR), whole and side by side
        while (
            k < len(name) - 1
            and n + k < len(words)
            and words[n + k].group() in GENERIC_WORDS
            and same_word(name[k], words[n + k].group())
        ):
            k += 1
        if k == 0 or n + k >= len(words):
            return False
        # Positions count from the field's start: the bank's own words before it
        # (`CARTE 1309 `, `PAIEMENT CB 14/07 `) are not in the 22 characters.
        start = field or 0
        following = n + k  # (past an article the field kept after the trade, `BOULANGERIE DE`)
        while (
            following + 1 < len(words)
            and words[following].group() in DROPPED_WORDS
            and len(words[following].group()) > 1  # (`D`, `L` at the cut are initials)
            and words[following].end() - start <= CUT_END[1]
        ):
            following += 1
        after = words[following]
        if (
            not initial
            and CUT_END[0] <= words[following - 1].end() - start <= CUT_END[1]
            and after.start() - start >= CUT_END[1] - 1
            and after.group() not in DROPPED_WORDS
        ):
            return True  # cut between two words, a town (not an article) after it
        return (
            len(after.group()) == 1
            and after.group() == name[k][0]
            and CUT_END[0] <= after.end() - start <= CUT_END[1]
        )
    return False


@lru_cache(maxsize=65536)
def cut_at_field_end(document: NameProfile, descriptor: str) -> str | None:
    """How the card network's merchant field (about 22 characters, `CUT_END`) cut the
    document's name, when the descriptor goes on past it (a town, the bank's card number):
    `"words"` when the field kept the name's first words whole, a distinctive one among
    them, and ended on them or on the start of the next (`IZ *LE COMPTOIR SAINTE PARIS`
    for Le Comptoir Sainte-Anne); `"initial"` when it kept only trade words (and
    articles) and the next word's first letters (`SUMUP *DROGUERIE LA C NANTES` for
    Droguerie La Comète). None when the descriptor does not read so: the words past the
    field place the payee, they do not contradict its name.

    >>> from shared.matching.names import profile
    >>> cut_at_field_end(profile("Le Comptoir Sainte-Anne"), "IZ *LE COMPTOIR SAINTE PARIS")
    'words'
    >>> cut_at_field_end(profile("Droguerie La Comète"), "SUMUP  *DROGUERIE LA C NANTES")
    'initial'
    >>> cut_at_field_end(profile("Droguerie La Comète"), "SUMUP  *DROGUERIE LA B NANTES")
    >>> cut_at_field_end(profile("Maison de la Presse Morel"), "SUMUP *MAISON DE LA PR PARIS")
    >>> cut_at_field_end(profile("Le Comptoir Sainte-Anne"), "LE COMPTOIR SAINTE PARIS")
    """
    folded = fold(descriptor)
    if len(folded) <= CUT_END[1]:
        return None  # no longer than the field: nothing goes on past a cut
    words = list(WORD.finditer(folded))
    name = document[0]
    field = j = None  # where the merchant field starts, and the name in it
    for n, m in enumerate(words):
        word = m.group()
        if field is None:
            if word in _PROCESSORS or (word not in BANK_WORDS and word.isalpha()):
                field = m.start()
            else:
                continue  # the bank's own words, a date or a card number before the field
        if same_word(name[0], word):
            j = n
            break
        if word not in _PROCESSORS and word not in DROPPED_WORDS:
            return None  # the field opens on another name
    if field is None or j is None:
        return None
    k = 0  # the name's words kept whole, side by side (articles between them skipped)
    while j < len(words) and k < len(name):
        word = words[j].group()
        if same_word(name[k], word):
            k, j = k + 1, j + 1
        elif (
            word in DROPPED_WORDS
            and j + 1 < len(words)
            and words[j + 1].start() - field < CUT_END[1]
        ):
            j += 1  # an article inside the field
        else:
            break
    if k == 0 or k >= len(name) or j >= len(words):
        return None  # the whole name kept, or nothing after it (`truncated_name_in`)
    after, last = words[j], words[j - 1]
    distinctive = any(t not in GENERIC_WORDS for t in name[:k])
    stump = after.group()
    if (
        CUT_END[0] <= after.end() - field <= CUT_END[1]
        and len(stump) < len(name[k])
        and name[k].startswith(stump)
        and j + 1 < len(words)
    ):
        if distinctive:
            return "words"
        # Trade words only before the cut: the cut word must be the distinctive one
        # (`MAISON DE LA PR` is any newsagent's `Maison de la Presse ...`).
        return "initial" if name[k] not in GENERIC_WORDS else None
    if (
        distinctive
        and CUT_END[0] <= last.end() - field <= CUT_END[1]
        and after.start() - field >= CUT_END[1] - 1
    ):
        return "words"
    return None


def names_another_trade(document: NameProfile, bank: NameProfile) -> bool:
    """The descriptor names a trade the document's name does not (`CREPERIE DU
    CIGALE` for `L'Cigale`): likely another business sharing a word.

    >>> from shared.matching.names import profile

    >>> names_another_trade(profile("L'Cigale"), profile("SUMUP *CREPERIE DU CIGALE", True))
    True
    >>> names_another_trade(profile("Bar Cigale"), profile("SUMUP *BAR CIGALE LYON", True))
    False
    """
    return any(t in TRADE_FAMILY and t not in document[0] for t in bank[0])


def adds_a_trade(document: NameProfile, bank: NameProfile) -> bool:
    """The descriptor names a trade that no word of the document's name is, even
    damaged by OCR (`BRASERIE`, `AUBERGEDU`): `TRATTORIA PICARD` for `Picard Surgelés`,
    `CREPERIE DU HIRONDELLE` for `L'Hirondelle`, likely another business.

    >>> from shared.matching.names import profile

    >>> adds_a_trade(profile("L'Hirondelle"), profile("SUMUP *CREPERIE DU HIRONDELLE", True))
    True
    >>> adds_a_trade(profile("Aubergedu Grillon"), profile("CB*3950 AUBERGE DU GRILLON", True))
    False
    """
    return any(
        t in TRADE_FAMILY and not any(w[:5] == t[:5] or same_word(t, w) for w in document[0])
        for t in bank[0]
    )


@lru_cache(maxsize=65536)
def trade_words(name: NameProfile) -> frozenset[str]:
    """The trade words a name carries (`CREPERIE` in `SUMUP *CREPERIE DU CIGALE`).

    >>> from shared.matching.names import profile

    >>> sorted(trade_words(profile("SUMUP *CREPERIE DU CIGALE", True)))
    ['CREPERIE']
    """
    return frozenset(t for t in name[0] if t in TRADE_FAMILY)


def trade_words_only(words: tuple[str, ...]) -> bool:
    """The words are all trade or generic words (`BAR`, `CAFE TABAC`): no payee's own.

    >>> trade_words_only(("BAR", "TABAC")), trade_words_only(("RENAUD", "FILS"))
    (True, False)
    """
    return all(w in GENERIC_WORDS for w in words)


# Where a tip on top of the bill is customary: restaurants, cafés, bars, taxis,
# hairdressers. Small-merchant card terminals (SumUp, Zettle, Square) are mostly
# used by such businesses too.
_HOSPITALITY = frozenset(
    """RESTAURANT RESTO RESTAURATION BISTRO BISTROT BRASSERIE CAFE BAR PUB PIZZERIA PIZZA
    SUSHI TRAITEUR CHEZ TAVERNE AUBERGE CREPERIE BOUILLON CANTINE COMPTOIR GRILL BURGER
    KEBAB TRATTORIA RISTORANTE OSTERIA BRUNCH TAPAS TAXI TAXIS VTC UBER G7 SALON COIFFURE
    COIFFEUR BARBER BARBIER TABLE CUISINE GOURMAND FOOD KITCHEN DINER STEAKHOUSE BOUCHON
    WINE CAVE RAMEN NOODLE ZINC BISTRONOMIE CREPES ESTAMINET GUINGUETTE BUVETTE CAVEAU
    ROTISSERIE FRITERIE FRITKOT SANDWICHERIE SALADERIE BODEGA CANTINA LOUNGE RELAIS
    BRASSEURS BRASSEUR GASTHAUS GASTSTATTE WIRTSHAUS BIERGARTEN TASCA MESON""".split()
)
_SMALL_TERMINALS = frozenset("SUMUP ZETTLE IZETTLE IZ SQ SQUARE MYPOS".split())


def tip_customary(name: str | None) -> bool:
    """The name suggests a business where a tip may be added to the card payment.

    >>> tip_customary("SumUp *Le Zinc"), tip_customary("Brasserie du Port"), tip_customary("IKEA")
    (True, True, False)
    """
    if not name:
        return False
    words = set(NON_WORD.split(fold(name)))
    return bool(words & _HOSPITALITY or words & _SMALL_TERMINALS)


# Where nobody adds a tip to the card payment: tolls, car parks, fuel, pharmacies,
# supermarkets, hotels' rooms, and shops on the web. A debit above such a receipt is
# another purchase (a second toll, the minibar, another order), not its tip.
_NO_TIP_TRADES = frozenset(
    """AUTOROUTE AUTOROUTES PEAGE PEAGES TOLL TOLLS MAUT PEAJE PEDAGGIO PARKING PARKINGS
    PARCHEGGIO APARCAMIENTO PARKHAUS STATIONNEMENT CARBURANT CARBURANTS CARBU FUEL PETROL
    ESSENCE GAZOLE TANKSTELLE GASOLINERA PHARMACIE PHARMACY APOTHEKE FARMACIA SUPERMARCHE
    HYPERMARCHE HYPER HYPERMARCHES SUPERMARCHES
    SUPERMARKET SUPERMARKT SUPERMERCADO SUPERMERCATO HOTEL HOTELS HOTELERIE FLEURS
    FLEURISTE FLORIST BLUMEN FLORES FIORI PARKGARAGE TIEFGARAGE PARKPLATZ LAVAGE
    CARWASH WASCHSTRASSE WASCHANLAGE WASCHPARK AUTOWASCHANLAGE AUTOLAVAGGIO""".split()
)
_WEB_DOMAIN = re.compile(r"[A-Z0-9]{2}\.(?:COM|NET|FR|EU|DE|ES|IT|CO\.UK)(?![A-Z])")


def tip_unlikely(name: str | None) -> bool:
    """The name is a business where no tip is added at the card terminal (a toll, a
    car park, a pharmacy, a hotel, a web shop `DARTY.COM`), unless it also names one
    where tips are customary (`Hôtel Restaurant du Lac`).

    >>> tip_unlikely("VINCI AUTOROUTES 4727"), tip_unlikely("DARTY.COM LXS4J")
    (True, True)
    >>> tip_unlikely("Hôtel Restaurant du Lac"), tip_unlikely("Brasserie du Port")
    (False, False)
    """
    if not name:
        return False
    folded = fold(name)
    words = set(NON_WORD.split(folded))
    if words & _HOSPITALITY or words & _SMALL_TERMINALS:
        return False
    return bool(words & _NO_TIP_TRADES) or "WWW" in words or bool(_WEB_DOMAIN.search(folded))


# Where a stay is often paid at booking, weeks before the invoice issued at checkout.
_LODGING = frozenset(
    "HOTEL HOTELS HOTELERIE HOTELLERIE HOSTEL HOSTELS MOTEL RESORT CAMPING GITE".split()
)


@lru_cache(maxsize=65536)
def lodging(name: str | None) -> bool:
    """The name is a place to stay (a hotel, a hostel, a campsite).

    >>> lodging("Hôtel du Parc"), lodging("HOTELS DU LAC LYON"), lodging("Brasserie du Parc")
    (True, True, False)
    """
    return bool(name) and bool(set(NON_WORD.split(fold(name))) & _LODGING)  # type: ignore[arg-type]
