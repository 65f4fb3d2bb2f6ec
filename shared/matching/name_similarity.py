"""How close a document's supplier name is to a bank descriptor or counterparty.

Both sides are profiled first (`names.profile`, `names.document_profile`). Tokens match
when equal, when one is a prefix of the other (`SNCF`), when one is a consonant
abbreviation of the other (`AMZN` -> `AMAZON`, `MSFT` -> `MICROSOFT`), when one is the
initials of the other name (`EDF`), or by close spelling (OCR slips); a descriptor the card
network cut short is the name's start; generic trade words weigh little, so two cafés are
not the same company.

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
from collections import Counter
from collections.abc import Iterable
from difflib import Match, SequenceMatcher
from functools import lru_cache
from itertools import repeat

from shared.matching.names import (
    ARTICLES,
    BANK_WORDS,
    DROPPED_WORDS,
    GENERIC_WORDS,
    TRADE_FAMILY,
    NameProfile,
    document_profile,
    other_trades,
    profile,
)

_VOWELS = frozenset("AEIOUY")
# Initials of the article that may stand before another at a cut (`de` before `la`).
_ARTICLE_INITIALS = ("", "D", "L", "A")
_GENERIC_WEIGHT = 0.3
# A descriptor that reads as the document's name cut short (`truncated_name_in`);
# a two-letter stump (`... MA` for `Martin`) could be several names, so it counts less.
_TRUNCATED_SIMILARITY = 0.8
# Names of two trades of different families contradict (under the policy's
# `name_contradiction_similarity`).
_OTHER_TRADE_SIMILARITY = 0.25
_SHORT_STUMP_SIMILARITY = 0.7


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
    if (
        n_short >= _SPELLED_OUT_MIN
        and n_long - n_short <= 2
        and _umlauts_dropped(long) == _umlauts_dropped(short)
    ):
        return 0.95  # an umlaut written out by a bank (`BAECKEREI`) or dropped by OCR
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


# SEPA's character set has no umlaut: German banks write `Ä` as `AE`, `Ö` as `OE`, `Ü`
# as `UE` (`BAECKEREI MUELLER`), where a document folds them to `A`, `O`, `U`
# (`Bäckerei Müller`) or OCR loses the dots. Words of 5 letters or more only (a
# French `COEUR` is no `COUR`).
_SPELLED_OUT_UMLAUT = re.compile("(?<=[AOU])E")
_SPELLED_OUT_MIN = 5


def _umlauts_dropped(word: str) -> str:
    """`word` with the E of each spelled-out umlaut dropped (`BAECKEREI` -> `BACKEREI`).

    >>> _umlauts_dropped("BAECKEREI"), _umlauts_dropped("HOELLBACHER")
    ('BACKEREI', 'HOLLBACHER')
    """
    return _SPELLED_OUT_UMLAUT.sub("", word) if "E" in word else word


def _weight(token: str) -> float:
    return _GENERIC_WEIGHT if token in GENERIC_WORDS else 1.0


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
        if t not in GENERIC_WORDS:
            return t
    return toks[0]


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
    stump = right[-1] if len(right) > 1 and right[-1] in DROPPED_WORDS else None
    words = right[:-1] if stump else right
    if not (
        0 < len(words) < len(left)
        and words == left[: len(words)]
        and all(t in GENERIC_WORDS for t in words)
    ):
        return False
    if stump is None:
        return True
    # The printed word after the kept ones (articles count) must start as the stump:
    # `initials` has the first letter of every printed word, `left` the kept tokens.
    at = _last_initial_at(words, initials)
    return at >= 0 and any(
        initials.startswith(gap + stump[0] + then, at + 1)
        for gap in _ARTICLE_INITIALS  # (`MAISON DE LA` of `Maison de la Presse`)
        for then in _words_cut_to(cut_initial(bank))
    )


def _words_cut_to(letter: str) -> tuple[str, ...]:
    """The initials a document's word may have where the card network kept `letter` of
    it: that letter, or a vowel (OCR lost the word's first letter: `du oulin` for `du
    Moulin`, cut `DU M`); any, when no letter was kept ("")."""
    if not letter:
        return ("",)
    return (letter, *(v for v in "AEIOU" if v != letter))


def cut_initial(bank: NameProfile) -> str:
    """The first letter of the word the card network cut right after the article that
    ends the descriptor's words (`P` of `ZETTLE_*BAR-TABAC DU P`), or "".

    A one-letter word is no token, but the profile's initials keep it: the name cut
    there goes on with a word of that letter, not another (`Bar-Tabac du Pilote`, not
    `Bar-Tabac du Marché`).

    >>> cut_initial(profile("ZETTLE_*BAR-TABAC DU P", True)), cut_initial(profile("SQ *BAR DU PORT", True))
    ('P', '')
    """
    words, initials = bank
    if len(words) < 2 or words[-1] not in ARTICLES:
        return ""
    at = _last_initial_at(words, initials)
    return initials[at + 1 : at + 2] if at >= 0 else ""


def _last_initial_at(words: tuple[str, ...], initials: str) -> int:
    """Where the last of `words` stands among `initials` (the first letter of every
    printed word, those dropped from `words` too), read in order; -1 when one is not
    there."""
    at = -1
    for token in words:
        at = initials.find(token[0], at + 1)
        if at < 0:
            return -1
    return at


def _damaged_copy(left: tuple[str, ...], right: tuple[str, ...]) -> bool:
    """Whether one name, glued, is the other with a few letters misread, lost or added
    (`ARFRANCB` / `AIRFRANCE`, `POSTQ` / `LAPOSTE`)."""
    a = "".join(t for t in left if t not in GENERIC_WORDS)
    b = "".join(t for t in right if t not in GENERIC_WORDS)
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
    glued: tuple[str, ...],
    spaced: tuple[str, ...],
    articles: bool = False,
    printed: str | None = None,
) -> tuple[tuple[str, ...], bool] | None:
    """`glued` with each word that is side-by-side words of `spaced` run together
    (spelled alike, or with one slip) split into them, and whether a slip was let
    through; None when no word splits so. With `articles`, an article run into a
    word of `spaced` goes too (`_after_glued_article`), where `spaced`'s name prints
    that article before the word when its initials are given (`printed`)."""
    out: list[str] = []
    changed = slipped = False
    for word in glued:
        run = _run_of(word, spaced) if len(word) >= 6 and word not in spaced else None
        if run is None and articles and len(word) >= 6 and word not in spaced:
            run = _after_glued_article(word, spaced, printed)
        if run is None:
            out.append(word)
            continue
        out.extend(run[0])
        changed, slipped = True, slipped or not run[1]
    return (tuple(out), slipped) if changed else None


def _after_glued_article(
    word: str, spaced: tuple[str, ...], printed: str | None = None
) -> tuple[tuple[str, ...], bool] | None:
    """`word` as an article run into the next word by OCR (`DULANTERNE`), that word
    being one of `spaced` as printed, with one slip, or cut by the card network
    (`LANTERN`); None otherwise. The article goes, as tokens drop articles. Counted as
    a slip (`False`): `DUPONT` may be a surname of its own beside a `PONT`.

    >>> _after_glued_article("DULANTERNE", ("BISTROT", "LANTERN"))
    (('LANTERNE',), False)
    >>> _after_glued_article("DUPONT", ("BOULANGERIE", "PONTOISE")) is None
    True
    """
    for size in (3, 2):
        article, rest = word[:size], word[size:]
        if article not in ARTICLES or len(rest) < 4:
            continue
        if printed is not None and article[0] + rest[0] not in printed:
            continue  # (the other name does not print this article before the word)
        for token in spaced:
            cut = len(token) >= 4 and rest.startswith(token)
            slip = abs(len(rest) - len(token)) <= 1 and not token.startswith(rest)
            if cut or (slip and same_word(rest, token)):
                return (rest,), False
    return None


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
            if close is None and same_word(run, word):  # one slip (`BONPPAIN`)
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
        split = _resplit(left, right, True) if glued_left else _resplit(right, left, True)
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
        glued_left = "".join(t for t in left if t not in GENERIC_WORDS)
        glued_right = "".join(t for t in right if t not in GENERIC_WORDS)
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
            or (len(right) >= 3 and "".join(t[0] for t in right) in left)
            or _initials_then_the_rest(left, right)
        ):
            score = 0.85
    if other_trades(left, right):
        # Two trades (`Torrefaction Courtois`, `BRASSERIE COURT`): two businesses,
        # whatever name they share.
        return min(score * 0.5, _OTHER_TRADE_SIMILARITY)
    elif (
        any(t in TRADE_FAMILY for t in left)
        and any(t in TRADE_FAMILY for t in right)
        and _other_trade_words(left, right)
    ):
        # Another trade word of the family (`TAVERNE BRUNET` for Brasserie Brunet):
        # the family's next business, as likely as the same one.
        score *= 0.6
    if score < _TRUNCATED_SIMILARITY:
        stump = truncated_name_in(document, bank)
        if stump is not None:
            # The name cut by the card network: as good as the words it kept.
            score = max(score, _TRUNCATED_SIMILARITY if stump != 2 else _SHORT_STUMP_SIMILARITY)
    return min(1.0, score)


def _initials_then_the_rest(left: tuple[str, ...], right: tuple[str, ...]) -> bool:
    """The descriptor names the company by its first words' initials and its other words
    are the name's next ones (`VWH EMEA` for `Verdant Web Hosting EMEA`); initials alone
    are a common word too often (`CAR WASH` is not `Centre Auto Rapide Paris`)."""
    for at, word in enumerate(right):
        n = len(word)
        if not 3 <= n < len(left) or word != "".join(w[0] for w in left[:n]):
            continue
        rest = [w for w in right[at + 1 :] if w.isalpha()]
        if rest and all(any(same_word(w, v) for v in left[n:]) for w in rest):
            return True
    return False


def siblings(document: tuple[str, ...], bank: tuple[str, ...]) -> bool:
    """The names share their first word, a distinctive one, and their next words have
    nothing in common (`BOUCHON KARIM`, `BOUCHON THIERRY`).

    >>> siblings(("BOUCHON", "KARIM"), ("BOUCHON", "THIERRY")), siblings(("BOUCHON", "KARIM"), ("BOUCHON", "KARI"))
    (True, False)
    """
    if len(document) < 2 or len(bank) < 2 or document[0] != bank[0]:
        return False
    if document[0] in GENERIC_WORDS or not _own_word(document[1]):
        return False
    own = document[1]
    return any(_own_word(b) for b in bank[1:]) and not any(_alike(own, b) for b in bank[1:])


def name_families(names: Iterable[tuple[str, ...]]) -> frozenset[str]:
    """First words that several names carry, each name on two documents at least, with
    next words of nothing in common (`Bouchon Karim`, `Bouchon Mathis`): a family of
    businesses, each its own, where a brand's documents keep one next word
    (`Batidépôt Matériaux`) however the bank writes the branch. (Twice: a word OCR
    damaged once, `ELECTTRI` for `ELECTRICITE`, is no sibling.)"""
    pairs = Counter(
        words[:2]
        for words in names
        if len(words) >= 2 and words[0] not in GENERIC_WORDS and _own_word(words[1])
    )
    seconds: dict[str, list[str]] = {}
    for (first, second), n in pairs.items():
        seen = seconds.setdefault(first, [])
        if n >= 2 and len(seen) < 2 and not any(_alike(second, w) for w in seen):
            seen.append(second)
    return frozenset(first for first, seen in seconds.items() if len(seen) >= 2)


def _alike(a: str, b: str) -> bool:
    """Two words that may be one (`KARIM`, `KARI`): any resemblance, or one the other's
    start."""
    return token_similarity(a, b) > 0 or a.startswith(b) or b.startswith(a)


def _own_word(word: str) -> bool:
    return (
        len(word) >= 3
        and word.isalpha()
        and word not in GENERIC_WORDS
        and word not in DROPPED_WORDS
    )


# One trade in other languages: a German receipt's `Kantine` is the bank's `CANTINE`.
_SAME_TRADE = {
    word: trade
    for trade, words in {
        "CANT": "KANTINE",
        "PHAR": "APOTHEKE FARMACIA PHARMACY CHEMIST",
        "BOUL": "BACKEREI BAECKEREI BAKERY PANADERIA PANETTERIA PANIFICIO",
        "PATI": "KONDITOREI PASTELERIA PASTICCERIA",
        "REST": "RISTORANTE RESTAURANTE",
        "BOUC": "METZGEREI FLEISCHEREI CARNICERIA MACELLERIA BUTCHER",
        "TAVE": "TAVERN TABERNA",
        "HOTE": "HOSTAL ALBERGO",
        "COIF": "FRISEUR PELUQUERIA",
        "LIBR": "BUCHHANDLUNG LIBRERIA",
    }.items()
    for word in words.split()
}


def _trade_of(word: str) -> str:
    """The trade a trade word names, as its first four letters in French (`BISTRO` and
    `BISTROT`, `RESTO` and `RESTAURANT` are one; so are `KANTINE` and `CANTINE`)."""
    return _SAME_TRADE.get(word) or _umlauts_dropped(word)[:4]


def _other_trade_words(left: tuple[str, ...], right: tuple[str, ...]) -> bool:
    """Each name has its own trade word, not a form of the other's (`BISTRO` and
    `BISTROT`, `RESTO` and `RESTAURANT`, `COIFFURE` and `COIFFEUR`, `APOTHEKE` and
    `PHARMACIE` are one)."""
    mine = {_trade_of(t) for t in left if t in TRADE_FAMILY}
    return not any(_trade_of(t) in mine for t in right if t in TRADE_FAMILY)


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
    split = _resplit(left, right) or _resplit(left, right, True, bank[1])
    if split is not None and _words_side_by_side(split[0], right):
        return True
    split = _resplit(right, left)
    if split is not None and _words_side_by_side(left, split[0]):
        return True
    # A short word kept as a possible cut stump (`_keep_cut_stump`) may be an
    # article inside a name that goes on (`CB*8904 CHEZ ELODIE ET CHLOE`).
    kept = tuple(t for t in right if t not in DROPPED_WORDS)
    return len(kept) < len(right) and _words_side_by_side(left, kept)


def _words_side_by_side(left: tuple[str, ...], right: tuple[str, ...]) -> bool:
    return _side_by_side_at(left, right) is not None


def _side_by_side_at(left: tuple[str, ...], right: tuple[str, ...]) -> int | None:
    """Where every word of `left` starts, in order and side by side, in `right`."""
    n = len(left)
    for start in range(len(right) - n + 1):
        for k in range(n):
            if not same_word(left[k], right[start + k]):
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
        while k < n_left and start + k < n_right and same_word(left[k], right[start + k]):
            k += 1
        if k >= n_left:
            continue
        if start + k >= n_right:
            # Cut between two words: the name's first words end the descriptor.
            if k and any(t not in GENERIC_WORDS for t in left[:k]):
                best = max(best or 0, 0)
            continue
        stump, word = right[start + k], left[k]
        if k and stump in DROPPED_WORDS and not word.startswith(stump):
            # An article kept at the cut (`LE COMPTOIR DES` for `Le Comptoir des
            # Moines`): the name was cut between two words, after its article, if
            # the name has an article there (its initials count every word).
            # (`de la`: one more article may come between, `MAISON DE LA`.)
            follows = "".join(t[0] for t in left[:k])
            initials = document[1]
            kept = cut_initial(bank) if start + k == n_right - 1 else ""
            if any(
                follows + gap + stump[0] + then in initials
                for gap in _ARTICLE_INITIALS
                for then in _words_cut_to(kept)
            ) and any(t not in GENERIC_WORDS for t in left[:k]):
                best = max(best or 0, 0)
            continue
        size = len(stump)
        if size < (2 if k else 4) or size >= len(word):
            continue
        if not _stump_of(stump, word) and not (k and word.startswith(stump[1:])):
            # (after whole words kept, the receipt's word may have lost its first
            # letter to OCR: `Poke Petite ollande`, cut `POKE PETITE HO`)
            continue
        if not k and (
            stump in GENERIC_WORDS or stump in BANK_WORDS or (start and not word.startswith(stump))
        ):
            # With no whole word kept, the stump is all the evidence. A trade word or
            # the bank's own (`CHEZ YANNICK` is not `Chevalier` cut, nor the trailing
            # `CARTE 4974XX..` `Carrefour`) is a word of its own; one slip off a
            # prefix counts only where the name starts (`MONOP` of a damaged
            # `Mnoprix`), not deep in another name (`... BOURG EN BRES`).
            continue
        # The words cut must include a distinctive one, or the whole words kept must:
        # `Cafe` + stump proves little if only trade words were seen whole.
        if k == 0 or any(t not in GENERIC_WORDS for t in left[: k + 1]):
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
        if m < len(word) and same_word(stump, word[:m]):
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
    return any(t not in GENERIC_WORDS for t in document[0]) and same_name(document, bank)


@lru_cache(maxsize=262144)
def same_word(a: str, b: str) -> bool:
    """Equal, a truncation, one OCR slip (a letter changed, doubled or lost), or a
    very close spelling.

    >>> same_word("COMPTTOIR", "COMPTOIR"), same_word("GRS", "GROS"), same_word("ROSE", "EMMA")
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


def name_similarity(document_name: str | None, bank_name: str | None) -> float | None:
    """Similarity in [0, 1] of a document's party name and a bank counterparty.

    None when either side has no usable name (unknown, which is not a mismatch).
    """
    left = document_profile(document_name) if document_name else None
    right = profile(bank_name, bank_side=True)
    if left is None or right is None:
        return None
    return profile_similarity(left, right)
