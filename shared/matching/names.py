"""Supplier names and bank descriptors as the words that can be compared: tokens and profiles.

Bank descriptors are truncated, upper-cased, prefixed by the payment processor
and suffixed with codes (`AMZN Mktp FR*2K3L4`, `PAYPAL *UBER`, `SumUp *Café du
Coin`); documents carry legal names (`Amazon EU S.à r.l.`) or a shop sign read
by OCR. The rules here are general, not a merchant list:

- accents, case and punctuation are dropped; single letters are joined, so
  `S.à r.l.` becomes one legal-form token and `H&M` stays `HM`;
- legal forms, country codes, web noise and tokens with several digits
  (terminal ids, order codes, dates) are dropped;
- on the bank side, payment-processor and bank-operation words (PAYPAL, SUMUP,
  SQ, CB, PRLV, VIR...) are dropped when something else remains;
- generic trade words (CAFE, RESTAURANT, HOTEL...) are known as such (`GENERIC_WORDS`).

How two profiles compare is `name_similarity`'s; trade words and tipping customs are
`trades`'.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_STOPWORDS = frozenset(
    "DE DU DES LA LE LES L D ET EN AU AUX THE OF AND A AN UND DER DIE DAS VON Y EL".split()
)
# French articles, which no name word of 4 letters is with a letter doubled (`AUXX`: an
# article has 3 letters at most).
ARTICLES = frozenset("DE DU DES LA LE LES AU AUX".split())
_LEGAL_FORMS = frozenset(
    """SA SAS SASU SARL EURL SNC SCI SCP SCS SELARL SELAS EI EIRL SCOP GIE ASSOCIATION
    GMBH AG KG OHG UG MBH LTD LIMITED PLC LLC LLP INC CORP CORPORATION CO COMPANY
    BV NV SRL SPA SL SLU SAU AB AS OY APS SE UNLIMITED""".split()
)
_COUNTRY_NOISE = frozenset(
    """FR FRA FRANCE DE DEU GB UK LU LUX IE IRL NL BE ES IT US USA CH EU EUR EUROPE
    INTERNATIONAL INTL""".split()
)
_WEB_NOISE = frozenset("WWW COM NET ORG IO HTTP HTTPS MKTP MARKETPLACE ONLINE".split())
# Words a bank or a payment processor puts around the merchant's name.
BANK_WORDS = frozenset(
    """PAYPAL PP SUMUP SUP SQ ZETTLE IZ IZETTLE STRIPE PAYPLUG LYDIA ADYEN MOLLIE MYPOS
    CB CARTE CARD VISA MASTERCARD MC DEBIT CREDIT ACHAT PAIEMENT PAYMENT PAY POS TPE
    LYF LYFPAY PAYGREEN SUMUPPAY
    PRLV PRELEVEMENT SEPA SDD SCT VIR VIREMENT TRANSFER INST RECU EMIS FACTURE
    REMBOURSEMENT REFUND AVOIR DU AU""".split()
)
# Trade words shared by many unrelated businesses: they count, but little.
GENERIC_WORDS = frozenset(
    """CAFE CAFES RESTAURANT RESTO BAR BRASSERIE BISTRO BISTROT BOULANGERIE PATISSERIE
    HOTEL HOTELS PHARMACIE GARAGE STATION SERVICE SERVICES SHOP STORE MAGASIN MARKET
    SUPERMARCHE TABAC PRESSE LIBRAIRIE PIZZERIA TRAITEUR CABINET SOCIETE GROUPE GROUP
    SOLUTIONS CONSULTING BOUTIQUE CENTRE CENTER PARKING TAXI AUTO SARL HOLDING
    TECHNOLOGIES SYSTEMS DIGITAL DISTRIBUTION OPERATIONS VOYAGES TRAVEL FLEURISTE
    PRESSING CAVE COIFFURE COIFFEUR OPTIQUE OPTICIEN
    AUBERGE TAVERNE TRATTORIA OSTERIA RISTORANTE CREPERIE CANTINE GRILL CUISINE GOURMAND
    KITCHEN FILS FRERES
    CHEZ TABLE MAISON PETIT PETITE GRAND GRANDE BON BONNE VIEUX VIEILLE NOUVEAU NOUVELLE
    BEAU BELLE GROS GROSSE JOLI JOLIE
    EPICERIE FROMAGERIE CREMERIE BOUCHERIE CHARCUTERIE POISSONNERIE PRIMEUR PRIMEURS
    TORREFACTION CONFISERIE CHOCOLATERIE GLACIER QUINCAILLERIE DROGUERIE CORDONNERIE
    BIJOUTERIE HORLOGERIE PAPETERIE MERCERIE LAVERIE BRICOLAGE JARDINERIE ANIMALERIE
    INSTITUT SALON ATELIER ESPACE
    BACKEREI BAECKEREI BACKHAUS BACKSTUBE KONDITOREI METZGEREI FLEISCHEREI GASTHAUS GASTHOF
    LANDGASTHOF WIRTSHAUS GASTSTATTE GASTSTAETTE IMBISS KANTINE APOTHEKE TANKSTELLE AUTOHAUS
    WERKSTATT PARKHAUS BUCHHANDLUNG BLUMEN FRISEUR KIOSK GETRANKE GETRAENKE MARKT SUPERMARKT
    BAUMARKT WASCHSTRASSE WASCHANLAGE WASCHPARK
    PANADERIA PASTELERIA CAFETERIA RESTAURANTE CERVECERIA TABERNA FARMACIA GASOLINERA
    CARNICERIA PESCADERIA FRUTERIA LIBRERIA FLORISTERIA PELUQUERIA HOSTAL
    PANETTERIA PANIFICIO PASTICCERIA MACELLERIA GELATERIA TABACCHI EDICOLA ALBERGO
    BAKERY PUB INN DINER DELI PHARMACY CHEMIST BUTCHER GROCERY SUPERMARKET TAVERN
    COFFEE KAFFEE CAFFE POKE SUSHI BURGER KEBAB""".split()
)
# Trades, by family: a receipt from a hotel is not paid to a pharmacy, however
# alike the rest of the names (`Hotel Phare` / `PHARMACIE PHARE`).
TRADE_FAMILY = {
    word: family
    for family, words in {
        "food": "CAFE CAFES RESTAURANT RESTO BAR BRASSERIE BISTRO BISTROT PIZZERIA TRAITEUR "
        "AUBERGE TAVERNE TRATTORIA OSTERIA RISTORANTE CREPERIE CANTINE GRILL "
        "GASTHAUS GASTHOF LANDGASTHOF WIRTSHAUS GASTSTATTE GASTSTAETTE IMBISS KANTINE "
        "RESTAURANTE CAFETERIA CERVECERIA TABERNA PUB DINER TAVERN COFFEE KAFFEE CAFFE POKE "
        "SUSHI BURGER KEBAB",
        "bakery": "BOULANGERIE PATISSERIE BACKEREI BAECKEREI BACKHAUS BACKSTUBE KONDITOREI "
        "PANADERIA PASTELERIA PANETTERIA PANIFICIO PASTICCERIA BAKERY",
        "grocery": "EPICERIE FROMAGERIE CREMERIE PRIMEUR PRIMEURS TORREFACTION",
        "butcher": "BOUCHERIE CHARCUTERIE POISSONNERIE METZGEREI FLEISCHEREI CARNICERIA "
        "PESCADERIA MACELLERIA BUTCHER",
        "hardware": "QUINCAILLERIE DROGUERIE BRICOLAGE BAUMARKT",
        "hotel": "HOTEL HOTELS HOSTAL ALBERGO",
        "pharmacy": "PHARMACIE APOTHEKE FARMACIA PHARMACY CHEMIST",
        "garage": "GARAGE AUTO STATION AUTOHAUS WERKSTATT TANKSTELLE GASOLINERA WASCHSTRASSE "
        "WASCHANLAGE WASCHPARK",
        "books": "LIBRAIRIE PRESSE TABAC BUCHHANDLUNG LIBRERIA KIOSK TABACCHI EDICOLA",
        "flowers": "FLEURISTE BLUMEN FLORISTERIA",
        "cleaning": "PRESSING",
        "wine": "CAVE",
        "hair": "COIFFURE COIFFEUR FRISEUR PELUQUERIA",
        "optics": "OPTIQUE OPTICIEN",
    }.items()
    for word in words.split()
}


def other_trades(left: tuple[str, ...], right: tuple[str, ...]) -> bool:
    """Each name says its trade and they are of different families (`CAVE DU PONT`,
    `DROGUERIE DU PONT`): two businesses, whatever name they share.

    >>> other_trades(("CAVE", "PONT"), ("DROGUERIE", "PONT")), other_trades(("BAR", "PONT"), ("BRASSERIE", "PONT"))
    (True, False)
    """
    trades_left = {TRADE_FAMILY[t] for t in left if t in TRADE_FAMILY}
    trades_right = {TRADE_FAMILY[t] for t in right if t in TRADE_FAMILY}
    return bool(trades_left and trades_right and not trades_left & trades_right)


DROPPED_WORDS = _STOPWORDS | _LEGAL_FORMS | _COUNTRY_NOISE | _WEB_NOISE
# Where a card network's 22-character merchant field ends in a descriptor (with
# or without a one-word processor prefix before it).
CUT_END = (19, 23)
NON_WORD = re.compile(r"[^A-Z0-9]+")
# The letters OCR most often reads as digits.
_DIGIT_AS_LETTER = str.maketrans("015862", "OLSBGZ")


def fold(text: str) -> str:
    """Upper case without accents (`Café` -> `CAFE`)."""
    if text.isascii():
        return text.upper()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).upper()


@lru_cache(maxsize=65536)
def tokens(name: str, bank_side: bool = False) -> tuple[str, ...]:
    """Significant tokens of a name (see module docstring); may be empty."""
    return _tokens(NON_WORD.split(fold(name).replace("&", " ")), bank_side)


def _tokens(words: list[str], bank_side: bool) -> tuple[str, ...]:
    if 1 in map(len, words):
        joined = _join_single_letters(words)
    else:  # (most names: no single letter to join, only the empty ends to drop)
        joined = list(filter(None, words))
    kept = []
    max_digits = 1 if bank_side else 2
    for token in joined:
        if len(token) < 2 or token in DROPPED_WORDS:
            continue
        if not bank_side and len(token) > 2 and token[0] == token[1] and token[1:] in DROPPED_WORDS:
            continue  # an article or legal form whose first letter OCR doubled (`LLe`, `AAu`)
        if not bank_side and len(token) == 4 and _undoubled(token) in ARTICLES:
            continue  # an article with another letter doubled (`Auxx`, `Dess`; `Lee` is a name)
        if not token.isalpha():
            # Codes (terminal ids, order numbers, dates) carry digits; on the document
            # side one digit may be an OCR slip (`C0IN`), on the bank side it is a code.
            if sum(map(str.isdigit, token)) >= max_digits:
                continue
            if len(token) >= 3:
                # Read back as the letter it was mistaken for: a bank descriptor
                # never keeps a word with a digit, so it only can hold the letter.
                token = token.translate(_DIGIT_AS_LETTER)
        kept.append(token)
    if not bank_side:
        kept = [_repaired_trade_word(t) if len(t) >= 6 else t for t in kept]
    if bank_side:
        # Processor and operation words lead the descriptor (`PAYPAL *UBER`, `PRLV
        # SEPA EDF`); elsewhere they may be the name (`CB BRASSERIE DU SQUARE`).
        start = 0
        while start < len(kept) - 1 and kept[start] in BANK_WORDS:
            start += 1
        kept = kept[start:]
    return tuple(kept)


# Trade words long enough that one letter changed, lost or added by OCR still names
# them unambiguously (`TORREFACTIN`, `EPICCRIE`, `QULNCAILLERIE`); not the adjectives
# (`GRANGE` is no damaged `GRANDE`). Indexed by each spelling with one letter removed
# (and where), so a word is checked in a few look-ups, whatever the lexicon's size.
_REPAIRABLE_TRADES = frozenset(
    t for t in GENERIC_WORDS if len(t) >= 7 and t not in {"VIEILLE", "NOUVEAU", "NOUVELLE"}
)


def _less_one_letter(words: frozenset[str]) -> dict[str, list[tuple[str, int]]]:
    """Each spelling of `words` with one letter removed -> (the word, where)."""
    index: dict[str, list[tuple[str, int]]] = {}
    for word in sorted(words):
        for i in range(len(word)):
            index.setdefault(word[:i] + word[i + 1 :], []).append((word, i))
    return index


_TRADES_LESS_ONE = _less_one_letter(_REPAIRABLE_TRADES)


@lru_cache(maxsize=65536)
def _repaired_trade_word(token: str) -> str:
    """A document word one OCR slip away from a single trade word, read as that word:
    a damaged trade word is not the payee's distinctive word (`Torrefactin Hennebert`
    is a roaster named Hennebert, not a business named Torrefactin).

    >>> _repaired_trade_word("TORREFACTIN"), _repaired_trade_word("HENNEBERT")
    ('TORREFACTION', 'HENNEBERT')
    """
    if len(token) < 6 or token in GENERIC_WORDS or token in DROPPED_WORDS:
        return token  # (a word of 6 letters is one slip from a trade word of 7)
    # A letter lost: the token is a trade word less one letter.
    found = {trade for trade, _ in _TRADES_LESS_ONE.get(token, ())}
    for i in range(len(token)):
        less = token[:i] + token[i + 1 :]
        if less in _REPAIRABLE_TRADES:
            found.add(less)  # a letter added
        # A letter changed: both less the letter at the same place.
        found.update(trade for trade, j in _TRADES_LESS_ONE.get(less, ()) if j == i)
    return found.pop() if len(found) == 1 else token


def _undoubled(token: str) -> str | None:
    """The token without the one letter OCR doubled in it (`AUXX` -> `AUX`), or None."""
    doubled = [i for i in range(1, len(token)) if token[i] == token[i - 1]]
    return token[: doubled[0]] + token[doubled[0] + 1 :] if len(doubled) == 1 else None


def _join_single_letters(words: list[str]) -> list[str]:
    """The non-empty words, each run of single letters joined (`S A R L` -> `SARL`)."""
    joined: list[str] = []
    run: list[str] = []
    for token in words:
        if not token:
            continue
        if len(token) == 1 and token.isalpha():
            run.append(token)
            continue
        if run:
            joined.append("".join(run))
            run = []
        joined.append(token)
    if run:
        joined.append("".join(run))
    return joined


NameProfile = tuple[tuple[str, ...], str]
"""(significant tokens, initials of all words): what similarity needs of a name."""


def profile(name: str | None, bank_side: bool = False) -> NameProfile | None:
    """The name's profile, or None when it has no usable token.

    Not cached: bank descriptors carry codes that make most of them unique; the
    engine keeps one profile per transaction. Profiles repeat, so similarity is
    cached on them.
    """
    if not name:
        return None
    folded = fold(name).replace("&", " ")
    words = NON_WORD.split(folded)
    toks = _tokens(words, bank_side)
    if bank_side and toks:
        toks = _keep_cut_stump(folded, toks)
    if not toks:
        return None
    return toks, "".join([w[0] for w in words if w and w[0].isalpha()])


_TRADE_NUMBER = re.compile(r"\b([A-Z]+) ([0-9]{1,5})\b")


def trade_numbers(descriptor: str) -> frozenset[str]:
    """Numbers printed right after a trade word (`TAXI 526`: a licence, a pharmacy's
    number): where the words are a trade and a town, they name the payee.

    >>> sorted(trade_numbers("CB TAXI 579 VENISSIEUX 02/10")), trade_numbers("SUMUP *BM 0412")
    (['579'], frozenset())
    """
    return frozenset(n for w, n in _TRADE_NUMBER.findall(fold(descriptor)) if w in GENERIC_WORDS)


def article_not_in(name: str | None, descriptor: str) -> bool:
    """The name is only its first word, an article (`Les`, `La`: the rest lost by
    OCR), and the descriptor does not have it: the payee's name starts otherwise.

    >>> article_not_in("Les", "CB BOUCHERIE DUMORTIER LIMOGES")
    True
    >>> article_not_in("Les", "ZETTLE_*LES COMPAGNONS"), article_not_in("Bistrot", "CB BAR")
    (False, False)
    """
    if not name:
        return False
    words = [w for w in NON_WORD.split(fold(name)) if w]
    if not words or not all(w in _STOPWORDS for w in words):
        return False
    return words[0] not in NON_WORD.split(fold(descriptor))


WORD = re.compile(r"[A-Z0-9]+")
# A bank's own words before a card network's merchant field: `CB`, `CARTE`, `PAIEMENT`,
# a masked card number, a date (`CARTE X8046 03/01 `, `PAIEMENT CB 0601 `).
_BANK_LEAD = re.compile(
    r"^(?:(?:CB|CARTE|CARD|PAIEMENT|ACHAT|FACTURE|DU|X?\d[\dX/.]*)(?:[^A-Z0-9]+|$))+"
)
_LAST_WORD = re.compile(r"(?<![A-Z0-9])[A-Z0-9]{2,3}$")


def _merchant_field(folded: str) -> str:
    """A folded descriptor from the card network's merchant field on: the bank's own
    words before it (`CB*`, `CARTE X8046 03/01 `) do not count in its 22 characters."""
    lead = _BANK_LEAD.match(folded)
    return folded[lead.end() :] if lead is not None else folded


def _keep_cut_stump(folded: str, toks: tuple[str, ...]) -> tuple[str, ...]:
    """Keep a short word that ends where card networks cut the merchant's name.

    The network keeps about 22 characters: a word of 2-3 letters ending there
    is most likely a stump (`ZETTLE_*BOULANGERIE LE` for `Boulangerie Lefranc`),
    even if it reads as an article or a country code, which are dropped
    elsewhere. Kept after the token it follows, for `truncated_name_in`.
    """
    folded = _merchant_field(folded)
    if len(folded) < CUT_END[0]:
        return toks  # shorter than the field: nothing was cut (most descriptors)
    # A bank's own prefix (`CARTE 2404 `) moves the cut: a short word ending the
    # descriptor was cut there (`CARTE 2404 PAYPAL *RESTAURANT DES`).
    last = folded.rstrip()
    tail = _LAST_WORD.search(last)
    if (
        tail is not None
        and len(last) > CUT_END[1]
        and tail.group() in DROPPED_WORDS
        and tail.group() not in toks
        and _tokens(NON_WORD.split(folded[: tail.start()]), True) == toks
    ):
        return (*toks, tail.group())
    # Only words ending by the cut matter, and the start of the one after: the
    # rest of a long descriptor is not scanned.
    found = list(WORD.finditer(folded, 0, CUT_END[1] + 1))
    for n, m in enumerate(found):
        word = m.group()
        if CUT_END[0] <= m.end() <= CUT_END[1] and 2 <= len(word) <= 3 and word.isalpha():
            if word not in DROPPED_WORDS or m.start() == 0:
                return toks
            if n + 1 < len(found) and found[n + 1].start() < CUT_END[1]:
                after = found[n + 1]
                if len(after.group()) != 1 or after.end() < CUT_END[0]:
                    continue  # another word follows inside the field: not the cut (yet)
                # ... but for its first letter, kept at the cut (`LE BOUCHON DU F`).
            before = _tokens(NON_WORD.split(folded[: m.start()]), True)
            if not before or before != toks[: len(before)]:
                return toks
            return (*before, word, *toks[len(before) :])
    return toks


@lru_cache(maxsize=65536)
def document_profile(name: str) -> NameProfile | None:
    """Cached `profile` of a document-side name (documents repeat supplier names).

    >>> document_profile("LeMistral Gourmand")
    (('MISTRAL', 'GOURMAND'), 'LMG')
    """
    return profile(_unglued(name))


# Where OCR ran two words together in mixed case: a small letter, then a capital.
_CAMEL_JOIN = re.compile(r"(?<=[a-z\u00df-\u00ff])(?=[A-Z\u00c0-\u00de])")
_KNOWN_WORDS = DROPPED_WORDS | GENERIC_WORDS


def _unglued(name: str) -> str:
    """The name with words OCR ran together split again where one of them is a word
    every name may hold (an article, a trade, a legal form: `LeMistral`,
    `BrasserieWattel`); a brand written in camel case (`BlaBlaCar`) stays whole."""
    camel = not (name.isupper() or name.islower())
    if not camel and max(map(len, name.split()), default=0) < _GLUED_MIN_LETTERS:
        return name  # (most names: nothing to split)
    words: list[str] = []
    for word in name.split():
        parts = _CAMEL_JOIN.split(word) if camel else [word]
        if (
            len(parts) > 1
            and all(len(part) >= 2 for part in parts)  # `TfL` is an acronym
            and any(fold(part) in _KNOWN_WORDS for part in parts)
        ):
            words.extend(parts)
        else:
            words.extend(_glued_to_its_trade(word))
    return " ".join(words)


@lru_cache(maxsize=65536)
def article_after_trade(name: str) -> str | None:
    """The article right after the name's first word, when that word is a trade
    (`DU` of `Brasserie du Canal`): the card network keeps it before the cut.

    >>> article_after_trade("Brasseriedu Canal"), article_after_trade("Brasserie Volta")
    ('DU', None)
    """
    words = [w for w in NON_WORD.split(fold(name), maxsplit=3) if w]
    if words:
        words[:1] = _glued_to_its_trade(words[0])
    if len(words) > 2 and words[0] in GENERIC_WORDS and words[1] in _CUT_ARTICLES:
        return words[1]
    return None


# Articles OCR runs into the trade word before them (`BISTROTLE`, `Pharmaciedu`).
_GLUED_ARTICLES = ("DES", "LES", "DU", "DE", "LA", "LE")
_GLUED_MIN_LETTERS = 7  # (a trade word of 5 letters and an article of 2)
_CUT_ARTICLES = frozenset((*_GLUED_ARTICLES, "AU", "AUX", "L", "D"))
_GLUABLE_TRADES = frozenset(t for t in TRADE_FAMILY if len(t) >= 5)
_GLUABLE_BY_START: dict[str, list[str]] = {}
for _trade in sorted(_GLUABLE_TRADES):
    _GLUABLE_BY_START.setdefault(_trade[:5], []).append(_trade)


@lru_cache(maxsize=65536)
def _glued_to_its_trade(word: str) -> tuple[str, ...]:
    """`word` split where OCR ran a trade word and the article after it together, the
    trade word maybe damaged too (`Phamaciedu` -> `PHAMACIE DU`, read as a pharmacy's;
    `TRATTORIADESLILAS` -> `TRATTORIA DES LILAS`); else `word` alone. A word that
    merely starts like a trade (`HOTELLERIE`) stays whole.

    >>> _glued_to_its_trade("BISTROTLE"), _glued_to_its_trade("Phamaciedu")
    (('BISTROT', 'LE'), ('PHAMACIE', 'DU'))
    >>> _glued_to_its_trade("TRATTORIADESLILAS"), _glued_to_its_trade("HOTELLERIE")
    (('TRATTORIA', 'DES', 'LILAS'), ('HOTELLERIE',))
    """
    folded = fold(word)
    if len(folded) < _GLUED_MIN_LETTERS or not folded.isalpha():
        return (word,)
    for article in _GLUED_ARTICLES:
        head = folded[: -len(article)]
        if folded.endswith(article) and len(head) >= 5:
            repaired = _repaired_trade_word(head)
            if repaired in _GLUABLE_TRADES or _undoubled(head) in _GLUABLE_TRADES:
                return (head, article)
    for trade in _GLUABLE_BY_START.get(folded[:5], ()):
        if folded.startswith(trade):
            rest = folded[len(trade) :]
            for article in _GLUED_ARTICLES:
                if rest.startswith(article) and len(rest) - len(article) >= 4:
                    return (trade, article, rest[len(article) :])
    return (word,)


# Articles a name may be cut down to by OCR (`La`, `Les`: the first word only) and that
# a descriptor's merchant name may open with (not `DU`, which opens a bank's format too:
# `FACTURE CARTE DU 070125 ...`).
_OPENING_ARTICLES = frozenset("LE LA LES AU AUX".split())


def first_word_only(name: str | None) -> str | None:
    """The article a name was cut down to (`Les`: the rest lost by OCR), or None.

    >>> first_word_only("Les"), first_word_only("Les Halles"), first_word_only("Du")
    ('LES', None, None)
    """
    words = [w for w in NON_WORD.split(fold(name or "")) if w]
    return words[0] if len(words) == 1 and words[0] in _OPENING_ARTICLES else None


def opens_with(descriptor: str, word: str) -> bool:
    """The merchant's name in the descriptor opens with `word`, after the bank's and
    the processor's words and codes (`CARTE 0707 SQ *LA TABLE DU MARCHE` opens with `LA`).

    >>> opens_with("CARTE 0707 SQ *LA TABLE DU MARCHE", "LA"), opens_with("CB BAR LA", "LA")
    (True, False)
    """
    for token in NON_WORD.split(fold(descriptor)):
        if token == word:
            return True
        if token and token not in BANK_WORDS and not any(c.isdigit() for c in token):
            return False
    return False


def legal_form_in(name: str | None) -> bool:
    """The name carries a legal form (`SAS Jacquet`, `Müller GmbH`): the operating
    company's name, which a card descriptor shows less often than the shop's sign.

    >>> legal_form_in("SAS JACQUET"), legal_form_in("Brasserie Jacquet")
    (True, False)
    """
    return bool(name) and bool(set(NON_WORD.split(fold(name or ""))) & _LEGAL_FORMS)


def company_in_descriptor(descriptor: str) -> bool:
    """`legal_form_in` for a bank's descriptor, where a two-letter form is often no
    company's: the stump of a word the card network cut (`ROUTIX A43 L ISLE-D AB`, of
    L'Isle-d'Abeau) or an agency before its number (`FRANTHERM AG 44`).

    >>> company_in_descriptor("SAS COMMERCE THEATRE"), company_in_descriptor("ROUTIX A43 L ISLE-D AB")
    (True, False)
    >>> company_in_descriptor("FRANTHERM AG 44 BOURGOIN"), company_in_descriptor("SBB CFF AG")
    (False, True)
    >>> company_in_descriptor("CB SUPERMERCADOS DIA SA MADRID"), company_in_descriptor("CB DUPONT ET FILS SA 12/10")
    (True, True)
    >>> company_in_descriptor("CB L AS DU FALLAFEL")
    False
    """
    field = _merchant_field(fold(descriptor))
    words = list(WORD.finditer(field))
    for n, word in enumerate(words):
        form = word.group()
        if form not in _LEGAL_FORMS:
            continue
        if len(form) > 2:
            return True
        after = words[n + 1] if n + 1 < len(words) else None
        # Ending the field where the network cuts (a town may follow past it).
        cut = CUT_END[0] <= word.end() <= CUT_END[1] and (
            after is None or after.start() >= CUT_END[1]
        )
        # Before a number that is no date (`AG 44`, not `SA 12/10`).
        numbered = (
            after is not None
            and after.group().isdigit()
            and field[after.end() : after.end() + 1] not in ("/", ".")
        )
        # After a lone letter, an elided word (`L AS DU FALLAFEL`, L'As du Fallafel).
        elided = n > 0 and len(words[n - 1].group()) == 1
        if not (cut or numbered or elided):
            return True
    return False


def undoubled_prefixes(name: NameProfile, length: int = 4) -> tuple[str, ...]:
    """`distinctive_prefixes` of the words whose start OCR doubled a letter in
    (`VAANDAMME` -> `VAND`, `HHENNEBERT` -> `HENN`): the payee's own spelling.

    >>> undoubled_prefixes(profile("Boucherie Vaandamme"))
    ('VAND',)
    """
    keys = []
    for t in name[0]:
        if t in GENERIC_WORDS:
            continue
        k = next((k for k in range(1, min(length, len(t) - 1) + 1) if t[k] == t[k - 1]), None)
        if k is not None:
            keys.append((t[:k] + t[k + 1 :])[:length])
    return tuple(keys)


def distinctive_prefixes(name: NameProfile, length: int = 4) -> tuple[str, ...]:
    """First letters of the non-generic tokens of a profile (all tokens if none),
    plus the initials when they could be an acronym (`EDF`)."""
    toks = [t for t in name[0] if t not in GENERIC_WORDS] or list(name[0])
    keys = [t[:length] for t in toks]
    if 3 <= len(name[1]) <= 5:
        keys.append(name[1])
    return tuple(keys)
