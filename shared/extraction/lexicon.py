"""OCR slips in printed names corrected against the dictionaries of four languages.

The recogniser reads a shop sign's heading font letter by letter and sometimes takes one
letter for a look-alike: HARDWAKE, PHARHACY, CONFECTIUNERY. A word that is in no dictionary
(English, French, German, Spanish: pyspellchecker's word lists, built from subtitles and
so rich in place and trade words) is replaced by the one dictionary word that differs only
by look-alike letters, when that word is common and no other candidate comes close. A word
that is in a dictionary, short, or mixed with digits is left alone, and so is a word with
two candidates of similar frequency: a merchant's own coined name is never "corrected" on
a guess.

The word lists load once per process, on the first OCR'd name (about 1.2 s and 70 MB kept:
only words of `SHORTEST_KNOWN` letters or more; the words of 4 to 6 letters that
`spelling` reads add ~4 MB, measured with tracemalloc).
"""

from __future__ import annotations

import re
import threading
from itertools import combinations, product

LANGUAGES = ("en", "fr", "de", "es")
# Shorter words have too many look-alike neighbours to correct safely.
MIN_LENGTH = 7
# The shortest words kept from the lists (`in_dictionary`; `spelling` reads words this short).
SHORTEST_KNOWN = 4
# Words this long may carry two slips; shorter ones one.
TWO_SLIPS_LENGTH = 8
# A replacement must be at least this common in its word list (occurrences in the corpus the
# list was built from), and this many times commoner than the next candidate.
MIN_FREQUENCY = 40
DOMINANCE = 10

# Letters the recogniser confuses in capitals (each maps to what it may really be).
LOOK_ALIKES: dict[str, str] = {
    "H": "MN",
    "M": "HN",
    "N": "MH",
    "K": "R",
    "R": "K",
    "P": "R",  # an R whose leg the recogniser lost ("99 SPEED MAPT")
    "U": "OV",
    "V": "U",
    "O": "UDQ",
    "D": "O",
    "Q": "O",
    "E": "IF",
    "F": "E",
    "I": "TLED",  # a heading D may come out as its stem alone ("SDNBHI", "TRAIING")
    "T": "I",
    "L": "I",
    "C": "G",
    "G": "C",
}

_lock = threading.Lock()
_words: dict[str, int] | None = None


def _lexicon() -> dict[str, int]:
    global _words
    with _lock:
        if _words is None:
            from spellchecker import SpellChecker

            words: dict[str, int] = {}
            for language in LANGUAGES:
                counts = SpellChecker(language=language).word_frequency.dictionary
                for word, count in counts.items():
                    if len(word) >= SHORTEST_KNOWN and word.isalpha():
                        key = word.upper()
                        words[key] = max(words.get(key, 0), int(count))
            _words = words
        return _words


def _candidates(word: str, slips: int) -> set[str]:
    found: set[str] = set()
    positions = [i for i, ch in enumerate(word) if ch in LOOK_ALIKES]
    for n in range(1, slips + 1):
        for chosen in combinations(positions, n):
            for letters in product(*(LOOK_ALIKES[word[i]] for i in chosen)):
                chars = list(word)
                for i, letter in zip(chosen, letters, strict=True):
                    chars[i] = letter
                found.add("".join(chars))
    return found


def known_word(word: str) -> bool:
    """Whether `word` (capitals, `MIN_LENGTH` letters or more) is in the dictionaries."""
    return len(word) >= MIN_LENGTH and word in _lexicon()


def in_dictionary(word: str) -> bool:
    """Whether `word` (capitals, `SHORTEST_KNOWN` letters or more) is in the dictionaries."""
    return word in _lexicon()


def correct_word(word: str) -> str:
    """`word` (capitals) with its look-alike slips corrected, or unchanged."""
    if len(word) < MIN_LENGTH or not word.isalpha() or not word.isupper():
        return word
    lexicon = _lexicon()
    if word in lexicon:
        return word
    slips = 2 if len(word) >= TWO_SLIPS_LENGTH else 1
    ranked = sorted(
        ((lexicon[c], c) for c in _candidates(word, slips) if c in lexicon), reverse=True
    )
    if not ranked or ranked[0][0] < MIN_FREQUENCY:
        return word
    if len(ranked) > 1 and ranked[0][0] < DOMINANCE * ranked[1][0]:
        return word
    return ranked[0][1]


_WORD = re.compile(r"[A-Za-z]+")


def words_of(text: str) -> list[str]:
    """The words of `text` as `correct_name` takes them: runs of Latin letters."""
    return _WORD.findall(text)


def correct_name(name: str, read_surely: frozenset[str] = frozenset()) -> str:
    """An OCR'd name with each all-capitals word corrected by `correct_word`, except the
    words in `read_surely`: those the recogniser read with near certainty are as printed
    (a Malay KAMPUNG is no slip of the English dictionary's KAMPONG)."""
    return _WORD.sub(
        lambda m: m.group(0) if m.group(0) in read_surely else correct_word(m.group(0)), name
    )


# Short trade words of shop names: too short for the dictionaries' guess (`MIN_LENGTH`), but
# in a company's name, next to its legal form, a word one look-alike letter away from one of
# them ("77 KILAT HART S/B") can only be that word.
TRADE_WORDS = frozenset({"MART", "SHOP", "FOOD", "CAFE", "STORE", "HOTEL", "MARKT", "MARKET"})


# Trade words of Malaysian-style shop names, Malay and English (KEDAI: shop, RUNCIT: sundries,
# SYARIKAT: company, PERNIAGAAN: business, BORONG: wholesale, PERABOT: furniture): the Malay
# ones are in none of the four dictionaries and the shorter ones too short for their guess.
# One look-alike slip from one of them ("KEDAT RUNCIT", "RESTORAM") is that word when the
# name gives it context: a legal form, another trade word read right, or a long word (seven
# letters or more, where one slip leaves no other reading).
SHOP_WORDS = frozenset(
    {
        "KEDAI",
        "RUNCIT",
        "RESTORAN",
        "SYARIKAT",
        "PERNIAGAAN",
        "PERUSAHAAN",
        "FARMASI",
        "PASARAYA",
        "BORONG",
        "MAKANAN",
        "PERABOT",
        "PERKAKASAN",
        "KOPITIAM",
        "ENTERPRISE",
        "ENTERPRISES",
        "TRADING",
        "HARDWARE",
        "STATIONERY",
        "STATIONER",
        "BAKERY",
        "BAKERIES",
        "RESTAURANT",
        "RESTAURANTS",
        "PHARMACY",
        "MARKETING",
        "HOLDINGS",
        "SUPERMARKET",
        "MINIMARKET",
        "CONFECTIONERY",
        "SERVICES",
        "INDUSTRIES",
    }
)
SHOP_WORD_ALONE = 7


def correct_trade_words(name: str, *, legal: bool = True) -> str:
    """`name` with each capitals word one look-alike slip from a trade word restored: from a
    short `TRADE_WORDS` word only in a legal name (`legal`), from a `SHOP_WORDS` word in a
    legal name, next to another trade word read right, or when the word is long."""
    known = TRADE_WORDS | SHOP_WORDS
    context = legal or any(w in known for w in _WORD.findall(name))

    def fix(match: re.Match[str]) -> str:
        word = match.group(0)
        if word in known or not word.isupper():
            return word
        pool = (TRADE_WORDS if legal else frozenset()) | (
            SHOP_WORDS if context or len(word) >= SHOP_WORD_ALONE else frozenset()
        )
        found = _candidates(word, 1) & pool
        return found.pop() if len(found) == 1 else word

    return _WORD.sub(fix, name)


# In a word of capitals the recogniser may print an O as a zero and an I as a one
# ("SEAF00D", "0XF0RD", "TRADING" as "TRAD1NG"): a word of at least two capitals whose only
# digits are such zeros (next to a letter) or ones (between letters) is a word of letters.
_MIXED_WORD = re.compile(r"(?<![A-Za-z0-9])[A-Z0-9]*[A-Z][A-Z0-9]*(?![A-Za-z0-9])")


def restore_letters(name: str) -> str:
    """`name` with the zeros and ones of its capitals words read as the letters O and I."""

    def fix(match: re.Match[str]) -> str:
        word = match.group(0)
        if sum(ch.isalpha() for ch in word) < 2 or set(word) & set("23456789"):
            return word
        if "0" not in word and "1" not in word:
            return word
        if re.search(r"(?<![A-Z])1|1(?![A-Z])", word):
            return word  # a one not between letters: a number ("A1", "1STOP")
        if re.fullmatch(r"0+|0+[A-Z]?|[A-Z]?0+", word):
            return word
        return word.replace("0", "O").replace("1", "I")

    # "MR. D.1.Y.": a one (a zero) between the letters of a dotted abbreviation is an I (an O).
    name = _DOTTED_DIGIT.sub(lambda m: m.group(1) + "IO"[m.group(2) == "0"], name)
    return _MIXED_WORD.sub(fix, name)


_DOTTED_DIGIT = re.compile(r"(?<![A-Za-z0-9])([A-Z]\.)([01])(?=\.[A-Z](?![a-z]))")
