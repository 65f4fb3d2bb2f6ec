"""Compare a card descriptor or transfer counterparty with a legal or printed name.

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
- tokens match when equal, when one is a prefix of the other (`SNCF`), when one
  is a consonant abbreviation of the other (`AMZN` -> `AMAZON`, `MSFT` ->
  `MICROSOFT`), when one is the initials of the other name (`EDF`), or by close
  spelling (OCR slips);
- generic trade words (CAFE, RESTAURANT, HOTEL...) weigh little, so two cafés
  are not the same company.

>>> round(name_similarity("Amazon EU S.à r.l.", "AMZN Mktp FR*2K3L4"), 2) >= 0.5
True
>>> name_similarity("Uber B.V.", "PAYPAL *UBER") == 1.0
True
>>> name_similarity("Café du Coin", "SumUp *Café du Coin") == 1.0
True
>>> name_similarity("SNCF Voyageurs", "SNCF INTERNET") >= 0.5
True
>>> name_similarity("Café de Flore", "SumUp *Café du Coin") < 0.3
True
>>> name_similarity(None, "SNCF") is None
True
"""

from __future__ import annotations

import re
import unicodedata
from difflib import Match, SequenceMatcher
from functools import lru_cache
from itertools import repeat

_STOPWORDS = frozenset(
    "DE DU DES LA LE LES L D ET EN AU AUX THE OF AND A AN UND DER DIE DAS VON Y EL".split()
)
# French articles, which no name word of 4 letters is with a letter doubled (`AUXX`: an
# article has 3 letters at most).
_ARTICLES = frozenset("DE DU DES LA LE LES AU AUX".split())
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
_BANK_NOISE = frozenset(
    """PAYPAL PP SUMUP SUP SQ ZETTLE IZ IZETTLE STRIPE PAYPLUG LYDIA ADYEN MOLLIE
    CB CARTE CARD VISA MASTERCARD MC DEBIT CREDIT ACHAT PAIEMENT PAYMENT PAY POS TPE
    LYF LYFPAY PAYGREEN SUMUPPAY
    PRLV PRELEVEMENT SEPA SDD SCT VIR VIREMENT TRANSFER INST RECU EMIS FACTURE
    REMBOURSEMENT REFUND AVOIR DU AU""".split()
)
# Trade words shared by many unrelated businesses: they count, but little.
_GENERIC = frozenset(
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
    INSTITUT SALON ATELIER ESPACE""".split()
)
# Trades, by family: a receipt from a hotel is not paid to a pharmacy, however
# alike the rest of the names (`Hotel Phare` / `PHARMACIE PHARE`).
_TRADE_FAMILY = {
    word: family
    for family, words in {
        "food": "CAFE CAFES RESTAURANT RESTO BAR BRASSERIE BISTRO BISTROT PIZZERIA TRAITEUR "
        "AUBERGE TAVERNE TRATTORIA OSTERIA RISTORANTE CREPERIE CANTINE GRILL",
        "bakery": "BOULANGERIE PATISSERIE",
        "grocery": "EPICERIE FROMAGERIE CREMERIE PRIMEUR PRIMEURS TORREFACTION",
        "butcher": "BOUCHERIE CHARCUTERIE POISSONNERIE",
        "hardware": "QUINCAILLERIE DROGUERIE BRICOLAGE",
        "hotel": "HOTEL HOTELS",
        "pharmacy": "PHARMACIE",
        "garage": "GARAGE AUTO STATION",
        "books": "LIBRAIRIE PRESSE TABAC",
        "flowers": "FLEURISTE",
        "cleaning": "PRESSING",
        "wine": "CAVE",
        "hair": "COIFFURE COIFFEUR",
        "optics": "OPTIQUE OPTICIEN",
    }.items()
    for word in words.split()
}
_VOWELS = frozenset("AEIOUY")
_DROPPED = _STOPWORDS | _LEGAL_FORMS | _COUNTRY_NOISE | _WEB_NOISE
_GENERIC_WEIGHT = 0.3
# Where a card network's 22-character merchant field ends in a descriptor (with
# or without a one-word processor prefix before it).
_CUT_END = (19, 23)
# Payment processors, whose name opens the merchant field (`SUMUP *`, `STRIPE*`).
_PROCESSORS = frozenset(
    "PAYPAL PP SUMUP SQ ZETTLE IZ IZETTLE STRIPE PAYPLUG LYDIA ADYEN MOLLIE LYF LYFPAY "
    "PAYGREEN SUMUPPAY".split()
)
# A descriptor that reads as the document's name cut short (`truncated_name_in`);
# a two-letter stump (`... MA` for `Martin`) could be several names, so it counts less.
_TRUNCATED_SIMILARITY = 0.8
# Names of two trades of different families contradict (under the policy's
# `name_contradiction_similarity`).
_OTHER_TRADE_SIMILARITY = 0.25
_SHORT_STUMP_SIMILARITY = 0.7
_SPLIT = re.compile(r"[^A-Z0-9]+")
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
    return _tokens(_SPLIT.split(fold(name).replace("&", " ")), bank_side)


def _tokens(words: list[str], bank_side: bool) -> tuple[str, ...]:
    if 1 in map(len, words):
        joined = _join_single_letters(words)
    else:  # (most names: no single letter to join, only the empty ends to drop)
        joined = list(filter(None, words))
    kept = []
    max_digits = 1 if bank_side else 2
    for token in joined:
        if len(token) < 2 or token in _DROPPED:
            continue
        if not bank_side and len(token) > 2 and token[0] == token[1] and token[1:] in _DROPPED:
            continue  # an article or legal form whose first letter OCR doubled (`LLe`, `AAu`)
        if not bank_side and len(token) == 4 and _undoubled(token) in _ARTICLES:
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
        while start < len(kept) - 1 and kept[start] in _BANK_NOISE:
            start += 1
        kept = kept[start:]
    return tuple(kept)


# Trade words long enough that one letter changed, lost or added by OCR still names
# them unambiguously (`TORREFACTIN`, `EPICCRIE`, `QULNCAILLERIE`); not the adjectives
# (`GRANGE` is no damaged `GRANDE`). Indexed by each spelling with one letter removed
# (and where), so a word is checked in a few look-ups, whatever the lexicon's size.
_REPAIRABLE_TRADES = frozenset(
    t for t in _GENERIC if len(t) >= 7 and t not in {"VIEILLE", "NOUVEAU", "NOUVELLE"}
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
    if len(token) < 6 or token in _GENERIC or token in _DROPPED:
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


def _is_abbreviation(short: str, long: str) -> bool:
    """`short` keeps the first letter of `long` and a subsequence of its consonants."""
    if len(short) < 3 or len(short) >= len(long) or short[0] != long[0]:
        return False
    if any(c in _VOWELS for c in short[1:]):
        return False  # abbreviations drop vowels; `PAN` is not short for `PARISIEN`
    it = iter(long)
    return all(c in it for c in short)


@lru_cache(maxsize=262144)
def token_similarity(a: str, b: str) -> float:
    """1 for equal tokens, 0.9 for a prefix, 0.8 for an abbreviation, else close spelling."""
    if a == b:
        return 1.0
    # (Most calls compare unrelated words: lengths are taken once, and each rule's
    # cheap conditions tested before any work.)
    if len(a) <= len(b):
        short, long, n_short, n_long = a, b, len(a), len(b)
    else:
        short, long, n_short, n_long = b, a, len(b), len(a)
    if n_short >= 3 and long.startswith(short):
        return 0.9
    if n_short >= 3 and n_short < n_long and short[0] == long[0] and _is_abbreviation(short, long):
        return 0.8
    if n_short >= 3 and n_short == n_long:
        # One OCR slip in a short word (`PORG` for `PORT`, `BON` read `NON`).
        if sum(map(str.__ne__, a, b)) == 1:  # (letters differing, counted at C speed)
            return 0.75 if n_short >= 4 else 0.7
    if n_short >= 3 and n_long == n_short + 1:
        # One letter lost or doubled (`FOR` for `FOUR`, `MMONOPRIX`): past the first
        # letter that differs, the rest must be the same.
        i = next((i for i, (x, y) in enumerate(zip(short, long, strict=False)) if x != y), n_short)
        if short[i:] == long[i + 1 :]:
            return 0.75
    if n_short >= 4 and n_long - n_short <= 2:
        common = len(set(a) & set(b))
        if 2 * common < 0.8 * (len(set(a)) + len(set(b))):
            return 0.0  # cheap bound: too few letters in common for a close spelling
        ratio = SequenceMatcher(None, a, b).ratio()
        if ratio >= (0.75 if len(short) >= 6 else 0.8):
            return ratio
    return 0.0


def _weight(token: str) -> float:
    return _GENERIC_WEIGHT if token in _GENERIC else 1.0


def _coverage(left: tuple[str, ...], right: tuple[str, ...]) -> float:
    total = 0.0
    got = 0.0
    for a in left:
        w = _weight(a)
        total += w
        # `map` over the cached comparison: no generator frame per pair.
        got += w * max(map(token_similarity, repeat(a), right))
    return got / total if total else 0.0


def _key(toks: tuple[str, ...]) -> str:
    for t in toks:
        if t not in _GENERIC:
            return t
    return toks[0]


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
    words = _SPLIT.split(folded)
    toks = _tokens(words, bank_side)
    if bank_side and toks:
        toks = _keep_cut_stump(folded, toks)
    if not toks:
        return None
    return toks, "".join([w[0] for w in words if w and w[0].isalpha()])


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
    words = [w for w in _SPLIT.split(fold(name)) if w]
    if not words or not all(w in _STOPWORDS for w in words):
        return False
    return words[0] not in _SPLIT.split(fold(descriptor))


_WORD = re.compile(r"[A-Z0-9]+")
_LAST_WORD = re.compile(r"(?<![A-Z0-9])[A-Z0-9]{2,3}$")


def _keep_cut_stump(folded: str, toks: tuple[str, ...]) -> tuple[str, ...]:
    """Keep a short word that ends where card networks cut the merchant's name.

    The network keeps about 22 characters: a word of 2-3 letters ending there
    is most likely a stump (`ZETTLE_*BOULANGERIE LE` for `Boulangerie Lefranc`),
    even if it reads as an article or a country code, which are dropped
    elsewhere. Kept after the token it follows, for `truncated_name_in`.
    """
    if len(folded) < _CUT_END[0]:
        return toks  # shorter than the field: nothing was cut (most descriptors)
    # A bank's own prefix (`CARTE 2404 `) moves the cut: a short word ending the
    # descriptor was cut there (`CARTE 2404 PAYPAL *RESTAURANT DES`).
    last = folded.rstrip()
    tail = _LAST_WORD.search(last)
    if (
        tail is not None
        and len(last) > _CUT_END[1]
        and tail.group() in _DROPPED
        and tail.group() not in toks
        and _tokens(_SPLIT.split(folded[: tail.start()]), True) == toks
    ):
        return (*toks, tail.group())
    # Only words ending by the cut matter, and the start of the one after: the
    # rest of a long descriptor is not scanned.
    found = list(_WORD.finditer(folded, 0, _CUT_END[1] + 1))
    for n, m in enumerate(found):
        word = m.group()
        if _CUT_END[0] <= m.end() <= _CUT_END[1] and 2 <= len(word) <= 3 and word.isalpha():
            if word not in _DROPPED or m.start() == 0:
                return toks
            if n + 1 < len(found) and found[n + 1].start() < _CUT_END[1]:
                return toks  # another word follows inside the field: not the cut
            before = _tokens(_SPLIT.split(folded[: m.start()]), True)
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
_KNOWN_WORDS = _DROPPED | _GENERIC


def _unglued(name: str) -> str:
    """The name with words OCR ran together split again where one of them is a word
    every name may hold (an article, a trade, a legal form: `LeMistral`,
    `BrasserieWattel`); a brand written in camel case (`BlaBlaCar`) stays whole."""
    if name.isupper() or name.islower():
        return name
    words = []
    for word in name.split():
        parts = _CAMEL_JOIN.split(word)
        if (
            len(parts) > 1
            and all(len(part) >= 2 for part in parts)  # `TfL` is an acronym
            and any(fold(part) in _KNOWN_WORDS for part in parts)
        ):
            words.extend(parts)
        else:
            words.append(word)
    return " ".join(words)


# The similarity of a damaged copy: the lowest that is not a contradiction (see
# `MatchingPolicy.name_contradiction_similarity`).
_DAMAGED_SIMILARITY = 0.3
# A damaged copy keeps this share of its letters, in order, in the other name...
_DAMAGED_KEPT = 0.75
# ...which is at most this many times longer (a short name fits in any long descriptor).
_DAMAGED_MAX_STRETCH = 2.0
# ...in one group of letters at most this many apart (see `_kept_in_runs`).
_DAMAGED_GAP = 2


def _cut_before_its_own_words(document: NameProfile, bank: NameProfile) -> bool:
    """The descriptor holds only the document name's first words, all trade words,
    maybe with the start of the next printed word (`BAR TABAC DES` of `Bar Tabac des
    Sports`, not `MAISON DE LA PRESSE LE` of `Maison de la Presse Collet`): the rest
    was cut by the card network."""
    left, initials = document
    right = bank[0]
    stump = right[-1] if len(right) > 1 and right[-1] in _DROPPED else None
    words = right[:-1] if stump else right
    if not (
        0 < len(words) < len(left)
        and words == left[: len(words)]
        and all(t in _GENERIC for t in words)
    ):
        return False
    if stump is None:
        return True
    # The printed word after the kept ones (articles count) must start as the stump:
    # `initials` has the first letter of every printed word, `left` the kept tokens.
    at = -1
    for token in words:
        at = initials.find(token[0], at + 1)
        if at < 0:
            return False
    return at + 1 < len(initials) and initials[at + 1] == stump[0]


def _damaged_copy(left: tuple[str, ...], right: tuple[str, ...]) -> bool:
    """Whether one name, glued, is the other with a few letters misread, lost or added
    (`ARFRANCB` / `AIRFRANCE`, `POSTQ` / `LAPOSTE`)."""
    a = "".join(t for t in left if t not in _GENERIC)
    b = "".join(t for t in right if t not in _GENERIC)
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) < 5 or len(long) > _DAMAGED_MAX_STRETCH * len(short) + 2:
        return False
    if 2 * len(set(short) & set(long)) < _DAMAGED_KEPT * 2 * len(set(short)):
        return False  # cheap bound: too few of its letters there at all
    blocks = [
        b
        for b in SequenceMatcher(None, short, long, autojunk=False).get_matching_blocks()
        if b.size
    ]
    return _kept_in_runs(blocks) >= _DAMAGED_KEPT * len(short)


def _kept_in_runs(blocks: list[Match]) -> int:
    """Letters of the largest group of matched blocks that follow each other at most
    `_DAMAGED_GAP` letters apart in both names (`MO`, `E`, `U` of `MOEBU` in `MOREAU`).
    Letters picked across a longer name (`O`... `ULIN` of `MOULIN` in
    `BOUCHONPAULINE`) are chance, not a copy."""
    best = kept = 0
    previous = None
    for block in blocks:
        if previous is not None and (
            block.a - previous.a - previous.size > _DAMAGED_GAP
            or block.b - previous.b - previous.size > _DAMAGED_GAP
        ):
            kept = 0
        kept += block.size
        best = max(best, kept)
        previous = block
    return best


# Words run together by OCR or a terminal (`BRASSERIEARNAUD`): once split as the other
# name spells them, as alike as the split names are, up to this (one slip in the
# run-together word: like two words a letter apart, see `token_similarity`).
_RESPLIT_SIMILARITY = 0.9
_RESPLIT_SLIP_SIMILARITY = 0.75


def _resplit(
    glued: tuple[str, ...], spaced: tuple[str, ...]
) -> tuple[tuple[str, ...], bool] | None:
    """`glued` with each word that is side-by-side words of `spaced` run together
    (spelled alike, or with one slip) split into them, and whether a slip was let
    through; None when no word splits so."""
    out: list[str] = []
    changed = slipped = False
    for word in glued:
        run = _run_of(word, spaced) if len(word) >= 6 and word not in spaced else None
        if run is None:
            out.append(word)
            continue
        out.extend(run[0])
        changed, slipped = True, slipped or not run[1]
    return (tuple(out), slipped) if changed else None


def _run_of(word: str, spaced: tuple[str, ...]) -> tuple[tuple[str, ...], bool] | None:
    """Two or more side-by-side words of `spaced` that, run together, are `word`
    (exact: True), or are it with one slip (False); None if none are. A run cut short
    inside its last word counts too, that word then a stump (`BOULANGERIEMAR`, a card
    network's 22 characters of `BOULANGERIE MARTIN`)."""
    close = None
    for start in range(len(spaced) - 1):
        if spaced[start][:2] != word[:2]:
            continue  # cheap test first; a slip in the first two letters is let go
        run = spaced[start]
        for end in range(start + 1, len(spaced)):
            before = len(run)
            run += spaced[end]
            if len(word) - before >= 2 and len(run) > len(word) and run.startswith(word):
                return (*spaced[start:end], word[before:]), True
            if len(run) > len(word) + 2:
                break
            if abs(len(run) - len(word)) > 2:
                continue
            if run == word:
                return spaced[start : end + 1], True
            if close is None and _same_word(run, word):  # one slip (`BONPPAIN`)
                close = spaced[start : end + 1], False
    return close


@lru_cache(maxsize=262144)
def profile_similarity(document: NameProfile, bank: NameProfile) -> float:
    """Similarity in [0, 1] of a document-side and a bank-side profile."""
    score = _similarity(document, bank)
    if score >= _RESPLIT_SIMILARITY:
        return score
    left, right = document[0], bank[0]
    for glued_left in (True, False):
        split = _resplit(left, right) if glued_left else _resplit(right, left)
        if split is None:
            continue
        words, slipped = split
        resplit = (
            _similarity((words, document[1]), bank)
            if glued_left
            else _similarity(document, (words, bank[1]))
        )
        cap = _RESPLIT_SLIP_SIMILARITY if slipped else _RESPLIT_SIMILARITY
        score = max(score, min(cap, resplit))
    return score


def _similarity(document: NameProfile, bank: NameProfile) -> float:
    left, initials_left = document
    right, initials_right = bank
    coverage = max(_coverage(left, right), _coverage(right, left))
    key_left, key_right = _key(left), _key(right)
    if key_right not in left and len(left) >= 2:
        # Words before the document's whole name (a city, `PAIEMENT CB 27/03
        # MONTPELLIER TAVERNE HUBERT`) are not the payee's distinctive word. A
        # one-word name proves less: `MORIN ELECTRICITE` is not `Electricite de France`.
        start = _side_by_side_at(left, right)
        if start:
            key_right = _key(right[start:])
    # Both names' distinctive words must be found in the other: `Electricite de
    # France` is not `MORIN ELECTRICITE`, although one word is shared.
    key = min(
        max(map(token_similarity, repeat(key_left), right)),
        max(map(token_similarity, repeat(key_right), left)),
    )
    score = 0.5 * coverage + 0.5 * key
    if score < 0.55:
        # Words glued or split by OCR (`NotiionLabs` for `Notion Labs`): compare the
        # names as one string.
        # Trade words are left out: a shared `PIZZERIA` says nothing of the rest.
        glued_left = "".join(t for t in left if t not in _GENERIC)
        glued_right = "".join(t for t in right if t not in _GENERIC)
        shared = len(set(glued_left) & set(glued_right))
        if (
            min(len(glued_left), len(glued_right)) >= 6
            # Cheap bound first: names this far apart in letters cannot reach 0.85.
            and 2 * shared >= 0.8 * (len(set(glued_left)) + len(set(glued_right)))
        ):
            ratio = SequenceMatcher(None, glued_left, glued_right).ratio()
            if ratio >= 0.85:
                score = max(score, ratio * 0.8)
    if score < _DAMAGED_SIMILARITY and _cut_before_its_own_words(document, bank):
        # `PAYPAL *BAR TABAC DES` for `Bar Tabac des Sports`: the card network cut the
        # name before its own words; what is left neither supports nor contradicts.
        score = _DAMAGED_SIMILARITY
    if score < _DAMAGED_SIMILARITY and _damaged_copy(left, right):
        # A name damaged by OCR (`Ar Francb`, `La Postq SA`) is not another company: it
        # neither supports nor contradicts the match; amount and date decide.
        score = _DAMAGED_SIMILARITY
    if score < 0.85:
        # Acronyms: `EDF` for `Electricite de France` (articles count), `SFR` for
        # `Société Française du Radiotéléphone` (they do not).
        if (
            (len(initials_left) >= 3 and initials_left in right)
            or (len(initials_right) >= 3 and initials_right in left)
            or (len(left) >= 3 and "".join(t[0] for t in left) in right)
        ):
            score = 0.85
    trades_left = {_TRADE_FAMILY[t] for t in left if t in _TRADE_FAMILY}
    trades_right = {_TRADE_FAMILY[t] for t in right if t in _TRADE_FAMILY}
    if trades_left and trades_right and not trades_left & trades_right:
        # Two trades (`Torrefaction Courtois`, `BRASSERIE COURT`): two businesses,
        # whatever name they share.
        return min(score * 0.5, _OTHER_TRADE_SIMILARITY)
    elif trades_left and trades_right and _other_trade_words(left, right):
        # Another trade word of the family (`TAVERNE BRUNET` for Brasserie Brunet):
        # the family's next business, as likely as the same one.
        score *= 0.6
    if score < _TRUNCATED_SIMILARITY:
        stump = truncated_name_in(document, bank)
        if stump is not None:
            # The name cut by the card network: as good as the words it kept.
            score = max(score, _TRUNCATED_SIMILARITY if stump != 2 else _SHORT_STUMP_SIMILARITY)
    return min(1.0, score)


def _other_trade_words(left: tuple[str, ...], right: tuple[str, ...]) -> bool:
    """Each name has its own trade word, not a form of the other's (`BISTRO` and
    `BISTROT`, `RESTO` and `RESTAURANT`, `COIFFURE` and `COIFFEUR` are one)."""
    mine = {t[:4] for t in left if t in _TRADE_FAMILY}
    return not any(t[:4] in mine for t in right if t in _TRADE_FAMILY)


@lru_cache(maxsize=262144)
def same_name(document: NameProfile, bank: NameProfile) -> bool:
    """Every word of the document's name is in the descriptor, in order and side by
    side; the descriptor may add words before (a terminal prefix, a city) and after
    them (a city, a terminal number).

    Stricter than `profile_similarity`: used where the amount proves little (tips).

    >>> same_name(profile("Café du Coin"), profile("SumUp *CAFE DU COIN PARIS", True))
    True
    >>> same_name(profile("Le Marmite de Emma"), profile("LE MARMITE DE ROSE", True))
    False
    >>> same_name(profile("Chez Lucien"), profile("SUMUP *BISTROT LUCIEN", True))
    False
    >>> same_name(profile("Bar Galet"), profile("PAIEMENT CB 24/06 NICE BAR GALET", True))
    True
    """
    return same_whole_name(document, bank) or truncated_name_in(document, bank) is not None


@lru_cache(maxsize=262144)
def same_whole_name(document: NameProfile, bank: NameProfile) -> bool:
    """`same_name`, the card network's cut aside: the descriptor carries every word.

    >>> same_whole_name(profile("Le Comptoir des Moines"), profile("STRIPE*LE COMPTOIR DES", True))
    False
    """
    left, right = document[0], bank[0]
    if _words_side_by_side(left, right):
        return True
    split = _resplit(left, right)
    if split is not None and _words_side_by_side(split[0], right):
        return True
    split = _resplit(right, left)
    if split is not None and _words_side_by_side(left, split[0]):
        return True
    # A short word kept as a possible cut stump (`_keep_cut_stump`) may be an
    # article inside a name that goes on (`CB*8904 CHEZ ELODIE ET CHLOE`).
    kept = tuple(t for t in right if t not in _DROPPED)
    return len(kept) < len(right) and _words_side_by_side(left, kept)


def _words_side_by_side(left: tuple[str, ...], right: tuple[str, ...]) -> bool:
    return _side_by_side_at(left, right) is not None


def _side_by_side_at(left: tuple[str, ...], right: tuple[str, ...]) -> int | None:
    """Where every word of `left` starts, in order and side by side, in `right`."""
    n = len(left)
    for start in range(len(right) - n + 1):
        for k in range(n):
            if not _same_word(left[k], right[start + k]):
                break
        else:
            return start
    return None


def truncated_name_in(document: NameProfile, bank: NameProfile) -> int | None:
    """Length of the stump when the descriptor carries the document's name cut short.

    Card networks keep about 22 characters of the merchant's name, so its last
    visible word is often a stump (`SUMUP *BOULANGERIE MA` for `Boulangerie
    Martin`): a truncated word is a prefix, not a mismatch. The descriptor must
    carry the name's first words whole and side by side, then a prefix of the
    next word (at least 2 letters after a whole word, 4 on its own; a town may
    follow it), or end right after them (a cut between two words: 0); the words
    after the cut are simply not there. None when the descriptor does not read
    as the name cut short.

    >>> truncated_name_in(profile("Boulangerie Martin"), profile("SUMUP *BOULANGERIE MA", True))
    2
    >>> truncated_name_in(profile("Les Compagnons de la Grappe"), profile("ZETTLE_*LES COMPAGNONS", True))
    0
    >>> truncated_name_in(profile("Boulangerie Martin"), profile("SUMUP *BOULANGERIE DU", True))
    """
    left, right = document[0], bank[0]
    if len(left) < 2 and len(left[0]) < 5:
        return None
    best = None
    n_left, n_right = len(left), len(right)
    for start in range(n_right):
        k = 0
        while k < n_left and start + k < n_right and _same_word(left[k], right[start + k]):
            k += 1
        if k >= n_left:
            continue
        if start + k >= n_right:
            # Cut between two words: the name's first words end the descriptor.
            if k and any(t not in _GENERIC for t in left[:k]):
                best = max(best or 0, 0)
            continue
        stump, word = right[start + k], left[k]
        if k and stump in _DROPPED and not word.startswith(stump):
            # An article kept at the cut (`LE COMPTOIR DES` for `Le Comptoir des
            # Moines`): the name was cut between two words, after its article, if
            # the name has an article there (its initials count every word).
            follows = "".join(t[0] for t in left[:k]) + stump[0]
            if follows in document[1] and any(t not in _GENERIC for t in left[:k]):
                best = max(best or 0, 0)
            continue
        size = len(stump)
        if size < (2 if k else 4) or size >= len(word) or not _stump_of(stump, word):
            continue
        if not k and (
            stump in _GENERIC or stump in _BANK_NOISE or (start and not word.startswith(stump))
        ):
            # With no whole word kept, the stump is all the evidence. A trade word or
            # the bank's own (`CHEZ YANNICK` is not `Chevalier` cut, nor the trailing
            # `CARTE 4974XX..` `Carrefour`) is a word of its own; one slip off a
            # prefix counts only where the name starts (`MONOP` of a damaged
            # `Mnoprix`), not deep in another name (`... BOURG EN BRES`).
            continue
        # The words cut must include a distinctive one, or the whole words kept must:
        # `Cafe` + stump proves little if only trade words were seen whole.
        if k == 0 or any(t not in _GENERIC for t in left[: k + 1]):
            best = max(best or 0, len(stump))
    return best


@lru_cache(maxsize=262144)
def _stump_of(stump: str, word: str) -> bool:
    """`stump` is the start of `word`, up to one OCR slip in a long enough stump
    (`CARPENT` of `CARRPENTIER`, `LECL` of `LEC1ERCQ`, `THUILLI` of `TUILLIER`)."""
    if word.startswith(stump):
        return True
    if len(word) > 3 and word[0] == word[1] and word[1:].startswith(stump):
        return True  # the word's first letter doubled by OCR (`TTISSIER`, cut `TIS`)
    n = len(stump)
    if n < 4:
        return False
    for m in (n - 1, n, n + 1):
        if m < len(word) and _same_word(stump, word[:m]):
            return True
    return False


def whole_name_in(document: NameProfile, bank: NameProfile) -> bool:
    """`same_name`, for a name with at least one word that is not a trade word:
    the descriptor carries the document's whole name, whatever it adds around it
    (`PAIEMENT CB 07/07 ANGERS LEMOINE & FILS` for `Lemoine & Fils`).

    >>> whole_name_in(profile("Lemoine & Fils"), profile("CB 0707 ANGERS LEMOINE & FILS", True))
    True
    >>> whole_name_in(profile("Brasserie"), profile("CB BRASSERIE DU PORT", True))
    False
    """
    return any(t not in _GENERIC for t in document[0]) and same_name(document, bank)


@lru_cache(maxsize=262144)
def _same_word(a: str, b: str) -> bool:
    """Equal, a truncation, one OCR slip (a letter changed, doubled or lost), or a
    very close spelling.

    >>> _same_word("COMPTTOIR", "COMPTOIR"), _same_word("GRS", "GROS"), _same_word("ROSE", "EMMA")
    (True, True, False)
    """
    if a == b:
        return True
    if abs(len(a) - len(b)) > 2:
        short, long = (a, b) if len(a) < len(b) else (b, a)
        return len(short) >= 3 and long.startswith(short)  # a truncation
    if len(set(a) ^ set(b)) > 4:
        # One slip changes at most two letters of the alphabet of a word; a close
        # spelling (ratio >= 0.88, lengths within 2) hardly more: not the same word.
        short, long = (a, b) if len(a) < len(b) else (b, a)
        return len(short) >= 3 and long.startswith(short)
    if len(a) == len(b) and len(a) >= 4 and sum(map(str.__ne__, a, b)) == 1:
        return True
    if abs(len(a) - len(b)) == 1 and max(len(a), len(b)) >= 4:
        short, long = (a, b) if len(a) < len(b) else (b, a)
        i = next(
            (i for i, (x, y) in enumerate(zip(short, long, strict=False)) if x != y), len(short)
        )
        if short[i:] == long[i + 1 :]:
            return True
    return token_similarity(a, b) >= 0.88


def named_by_trade_and_code(document: NameProfile, descriptor: str) -> bool:
    """The descriptor names the payee by a trade word of the document's name and a
    licence or terminal number only (`TAXI 579 VENISSIEUX` for `Taxi Yannick Klein`,
    `CB HOTEL 1730 PARIS`): the words after the number place it, they do not name it,
    so the document's other words are not contradicted.

    >>> named_by_trade_and_code(profile("Taxi Loïc Hoarau"), "CB TAXI 478 VILLEURBANNE")
    True
    >>> named_by_trade_and_code(profile("Taxi Loïc Hoarau"), "TAXI BLEU 478")
    False
    """
    trade: list[str] = []
    for word in _SPLIT.split(fold(descriptor)):
        if not word or word in _DROPPED:
            continue
        if not word.isalpha():  # a digit: `_SPLIT` leaves only A-Z and 0-9
            if trade:
                return all(t in document[0] for t in trade)
            continue  # a date or a card number before the name
        if word in _GENERIC:
            trade.append(word)
        elif trade or word not in _BANK_NOISE:
            return False
    return False


def named_by_trade_cut(document: NameProfile, descriptor: str, initial: bool = False) -> bool:
    """The card network cut the merchant's name after its trade word(s), maybe
    keeping the next word's first letter (`STRIPE*QUINCAILLERIE B ROUEN` for
    `Quincaillerie Besnard`, `ZETTLE_*QUINCAILLERIE AMIENS` for `Quincaillerie
    Castelain`): the words cut off are not there to compare, and the town after the
    22-character field places the payee, it does not name it.

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

    `initial`: only a cut that kept the next word's first letter counts.

    >>> named_by_trade_cut(profile("Quincaillerie Castelain"), "ZETTLE_*QUINCAILLERIE AMIENS", True)
    False
    """
    folded = fold(descriptor)
    if len(folded) <= _CUT_END[0]:
        return False  # shorter than the field: nothing was cut
    words = list(_WORD.finditer(folded))
    name = document[0]
    field = None  # where the merchant field starts: after the bank's own words
    for n, m in enumerate(words):
        word = m.group()
        if field is None and (word in _PROCESSORS or word not in _BANK_NOISE and word.isalpha()):
            field = m.start()
        if word not in _GENERIC or not _same_word(name[0], word):
            if word in _BANK_NOISE or word in _DROPPED or not word.isalpha():
                continue  # a processor, the bank's words, a card number before the name
            return False
        k = 0  # the document's trade words (maybe damaged by OCR), whole and side by side
        while (
            k < len(name) - 1
            and n + k < len(words)
            and words[n + k].group() in _GENERIC
            and _same_word(name[k], words[n + k].group())
        ):
            k += 1
        if k == 0 or n + k >= len(words):
            return False
        after = words[n + k]
        # Positions count from the field's start: the bank's own words before it
        # (`CARTE 1309 `, `PAIEMENT CB 14/07 `) are not in the 22 characters.
        start = field or 0
        if (
            not initial
            and _CUT_END[0] <= words[n + k - 1].end() - start <= _CUT_END[1]
            and after.start() - start >= _CUT_END[1] - 1
            and after.group() not in _DROPPED
        ):
            return True  # cut between two words, a town (not an article) after it
        return (
            len(after.group()) == 1
            and after.group() == name[k][0]
            and _CUT_END[0] <= after.end() - start <= _CUT_END[1]
        )
    return False


def names_another_trade(document: NameProfile, bank: NameProfile) -> bool:
    """The descriptor names a trade the document's name does not (`CREPERIE DU
    CIGALE` for `L'Cigale`): likely another business sharing a word.

    >>> names_another_trade(profile("L'Cigale"), profile("SUMUP *CREPERIE DU CIGALE", True))
    True
    >>> names_another_trade(profile("Bar Cigale"), profile("SUMUP *BAR CIGALE LYON", True))
    False
    """
    return any(t in _TRADE_FAMILY and t not in document[0] for t in bank[0])


def adds_a_trade(document: NameProfile, bank: NameProfile) -> bool:
    """The descriptor names a trade that no word of the document's name is, even
    damaged by OCR (`BRASERIE`, `AUBERGEDU`): `TRATTORIA PICARD` for `Picard Surgelés`,
    `CREPERIE DU HIRONDELLE` for `L'Hirondelle`, likely another business.

    >>> adds_a_trade(profile("L'Hirondelle"), profile("SUMUP *CREPERIE DU HIRONDELLE", True))
    True
    >>> adds_a_trade(profile("Aubergedu Grillon"), profile("CB*3950 AUBERGE DU GRILLON", True))
    False
    """
    return any(
        t in _TRADE_FAMILY and not any(w[:5] == t[:5] or _same_word(t, w) for w in document[0])
        for t in bank[0]
    )


@lru_cache(maxsize=65536)
def trade_words(name: NameProfile) -> frozenset[str]:
    """The trade words a name carries (`CREPERIE` in `SUMUP *CREPERIE DU CIGALE`).

    >>> sorted(trade_words(profile("SUMUP *CREPERIE DU CIGALE", True)))
    ['CREPERIE']
    """
    return frozenset(t for t in name[0] if t in _TRADE_FAMILY)


def trade_words_only(words: tuple[str, ...]) -> bool:
    """The words are all trade or generic words (`BAR`, `CAFE TABAC`): no payee's own.

    >>> trade_words_only(("BAR", "TABAC")), trade_words_only(("RENAUD", "FILS"))
    (True, False)
    """
    return all(w in _GENERIC for w in words)


def name_similarity(document_name: str | None, bank_name: str | None) -> float | None:
    """Similarity in [0, 1] of a document's party name and a bank counterparty.

    None when either side has no usable name (unknown, which is not a mismatch).
    """
    left = document_profile(document_name) if document_name else None
    right = profile(bank_name, bank_side=True)
    if left is None or right is None:
        return None
    return profile_similarity(left, right)


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
_SMALL_TERMINALS = frozenset("SUMUP ZETTLE IZETTLE IZ SQ SQUARE".split())


def tip_customary(name: str | None) -> bool:
    """The name suggests a business where a tip may be added to the card payment.

    >>> tip_customary("SumUp *Le Zinc"), tip_customary("Brasserie du Port"), tip_customary("IKEA")
    (True, True, False)
    """
    if not name:
        return False
    words = set(_SPLIT.split(fold(name)))
    return bool(words & _HOSPITALITY or words & _SMALL_TERMINALS)


# Where nobody adds a tip to the card payment: tolls, car parks, fuel, pharmacies,
# supermarkets, hotels' rooms, and shops on the web. A debit above such a receipt is
# another purchase (a second toll, the minibar, another order), not its tip.
_NO_TIP_TRADES = frozenset(
    """AUTOROUTE AUTOROUTES PEAGE PEAGES TOLL TOLLS MAUT PEAJE PEDAGGIO PARKING PARKINGS
    PARCHEGGIO APARCAMIENTO PARKHAUS STATIONNEMENT CARBURANT CARBURANTS FUEL PETROL
    TANKSTELLE GASOLINERA PHARMACIE PHARMACY APOTHEKE FARMACIA SUPERMARCHE HYPERMARCHE
    SUPERMARKET SUPERMARKT SUPERMERCADO SUPERMERCATO HOTEL HOTELS HOTELERIE FLEURS
    FLEURISTE FLORIST BLUMEN FLORES FIORI""".split()
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
    words = set(_SPLIT.split(folded))
    if words & _HOSPITALITY or words & _SMALL_TERMINALS:
        return False
    return bool(words & _NO_TIP_TRADES) or "WWW" in words or bool(_WEB_DOMAIN.search(folded))


# Articles a name may be cut down to by OCR (`La`, `Les`: the first word only) and that
# a descriptor's merchant name may open with (not `DU`, which opens a bank's format too:
# `FACTURE CARTE DU 070125 ...`).
_OPENING_ARTICLES = frozenset("LE LA LES AU AUX".split())


def first_word_only(name: str | None) -> str | None:
    """The article a name was cut down to (`Les`: the rest lost by OCR), or None.

    >>> first_word_only("Les"), first_word_only("Les Halles"), first_word_only("Du")
    ('LES', None, None)
    """
    words = [w for w in _SPLIT.split(fold(name or "")) if w]
    return words[0] if len(words) == 1 and words[0] in _OPENING_ARTICLES else None


def opens_with(descriptor: str, word: str) -> bool:
    """The merchant's name in the descriptor opens with `word`, after the bank's and
    the processor's words and codes (`CARTE 0707 SQ *LA TABLE DU MARCHE` opens with `LA`).

    >>> opens_with("CARTE 0707 SQ *LA TABLE DU MARCHE", "LA"), opens_with("CB BAR LA", "LA")
    (True, False)
    """
    for token in _SPLIT.split(fold(descriptor)):
        if token == word:
            return True
        if token and token not in _BANK_NOISE and not any(c.isdigit() for c in token):
            return False
    return False


def legal_form_in(name: str | None) -> bool:
    """The name carries a legal form (`SAS Jacquet`, `Müller GmbH`): the operating
    company's name, which a card descriptor shows less often than the shop's sign.

    >>> legal_form_in("SAS JACQUET"), legal_form_in("Brasserie Jacquet")
    (True, False)
    """
    return bool(name) and bool(set(_SPLIT.split(fold(name or ""))) & _LEGAL_FORMS)


def undoubled_prefixes(name: NameProfile, length: int = 4) -> tuple[str, ...]:
    """`distinctive_prefixes` of the words whose start OCR doubled a letter in
    (`VAANDAMME` -> `VAND`, `HHENNEBERT` -> `HENN`): the payee's own spelling.

    >>> undoubled_prefixes(profile("Boucherie Vaandamme"))
    ('VAND',)
    """
    keys = []
    for t in name[0]:
        if t in _GENERIC:
            continue
        k = next((k for k in range(1, min(length, len(t) - 1) + 1) if t[k] == t[k - 1]), None)
        if k is not None:
            keys.append((t[:k] + t[k + 1 :])[:length])
    return tuple(keys)


def distinctive_prefixes(name: NameProfile, length: int = 4) -> tuple[str, ...]:
    """First letters of the non-generic tokens of a profile (all tokens if none),
    plus the initials when they could be an acronym (`EDF`)."""
    toks = [t for t in name[0] if t not in _GENERIC] or list(name[0])
    keys = [t[:length] for t in toks]
    if 3 <= len(name[1]) <= 5:
        keys.append(name[1])
    return tuple(keys)
