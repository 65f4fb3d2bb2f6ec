"""Transliteration of free text into the character sets of bank files.

Three target sets:

- **SWIFT X** (MT940): ``a-z A-Z 0-9 / - ? : ( ) . , ' +`` and space.
- **SEPA basic Latin** (pain.001 names and remittance information): the same characters as
  SWIFT X, reached the way banks convert what French and German rules tolerate (EPC217-08
  best practices, DK "Anlage 3"): accented letters lose their accent, ``&`` -> ``+``, and the
  other ASCII symbols become the basic character closest in role, one for one (``*``, ``$``,
  ``%``, ``@``, ``!``, ``#`` -> ``.``; ``;`` -> ``,``; ``_`` -> ``-``). :func:`to_sepa` never
  guesses: a character without an equivalent raises :class:`UnrepresentableError`.
- **CFONB** (CFONB-120): printable ASCII without the characters that the format or French
  bank software reserve: ``{ }`` (amount sign codes), ``[ ] \\ ^ ~ | `` `` (national variants
  of ISO 646), so letters, digits, space and ``/ - ? : ( ) . , ' + * & % = ; @ _ " ! < > # $``.

Rules, in order: an explicit table for characters that carry meaning (``€`` -> ``EUR``,
``ß`` -> ``ss``, ``Œ`` -> ``OE``, ``&`` -> ``+`` in SWIFT X...), then Unicode compatibility
decomposition with the accents removed (``é`` -> ``e``, ``ﬁ`` -> ``fi``), then control
characters and line breaks become spaces. A character that still has no equivalent (CJK,
emoji) becomes ``?``: visible in the file, never silently dropped. ``strict=True`` raises
:class:`UnrepresentableError` instead.

>>> to_swift_x("Société Générale & Cie – 50 € ß")
'Societe Generale + Cie - 50 EUR ss'
>>> to_cfonb("Crème brûlée {promo}")
'Creme brulee (promo)'
>>> to_sepa("Dupont & Fils, AMZN*MKTP, Müller 5% $")
'Dupont + Fils, AMZN.MKTP, Muller 5. .'
>>> to_swift_x("日本", strict=True)
Traceback (most recent call last):
...
shared.formats.errors.UnrepresentableError: character '日' (U+65E5): no equivalent in the SWIFT X character set
"""

from __future__ import annotations

import re
import string
import unicodedata
from functools import lru_cache

from shared.formats.errors import UnrepresentableError

SWIFT_X_CHARS = frozenset(string.ascii_letters + string.digits + "/-?:().,'+ ")
CFONB_CHARS = frozenset(string.ascii_letters + string.digits + " /-?:().,'+*&%=;@_\"!<>#$")

SWIFT_X_RE = re.compile(r"[A-Za-z0-9/\-?:().,'+ ]*")
CFONB_RE = re.compile(r"[A-Za-z0-9 /\-?:().,'+*&%=;@_\"!<>#$]*")

# Characters that decomposition does not handle, or handles badly for a bank reader.
_COMMON = {
    "€": "EUR",
    "£": "GBP",
    "¥": "JPY",
    "ß": "ss",
    "ẞ": "SS",
    "Æ": "AE",
    "æ": "ae",
    "Œ": "OE",
    "œ": "oe",
    "Ø": "O",
    "ø": "o",
    "Ł": "L",
    "ł": "l",
    "Đ": "D",
    "đ": "d",
    "Ð": "D",
    "ð": "d",
    "Þ": "TH",
    "þ": "th",
    "ı": "i",
    "‘": "'",
    "’": "'",
    "‚": "'",
    "‛": "'",
    "´": "'",
    "`": "'",
    "“": '"',
    "”": '"',
    "„": '"',
    "«": '"',
    "»": '"',
    "–": "-",
    "—": "-",
    "‐": "-",
    "‑": "-",
    "−": "-",
    "•": ".",
    "·": ".",
    "°": "o",
    "§": "par.",
    "¢": "c",
    "©": "(C)",
    "®": "(R)",
    "™": "TM",
    "×": "x",
    "÷": "/",
    "⁄": "/",
    "[": "(",
    "]": ")",
    "{": "(",
    "}": ")",
    "\\": "/",
    "|": "/",
    "~": "-",
    "^": "'",
}

# SWIFT X lacks these ASCII characters; the replacements follow common bank practice
# (EPC conversion guidance: '&' -> '+', quotes -> apostrophe).
_SWIFT_EXTRA = {
    "&": "+",
    '"': "'",
    "*": ".",
    "!": ".",
    ";": ",",
    "_": "-",
    "=": "-",
    "<": "(",
    ">": ")",
    "@": "(AT)",
    "%": "PCT",
    "#": "NO",
    "$": "USD",
}

# Values of the common table are passed through the SWIFT extras too ('“' -> '"' -> "'").
_SWIFT_TABLE = {
    **{k: "".join(_SWIFT_EXTRA.get(c, c) for c in v) for k, v in _COMMON.items()},
    **_SWIFT_EXTRA,
}
_CFONB_TABLE = dict(_COMMON)

# SEPA conversion of the ASCII symbols outside the basic set (EPC217-08 best practices; the
# German DK rules convert '&' to '+'). One character for one, so a text keeps its length.
_SEPA_EXTRA = {
    "&": "+",
    "*": ".",
    "$": ".",
    "%": ".",
    "!": ".",
    "#": ".",
    "@": ".",
    "<": ".",
    ">": ".",
    "=": ".",
    ";": ",",
    "_": "-",
    '"': "'",
}
_SEPA_TABLE = {
    **{k: "".join(_SEPA_EXTRA.get(c, c) for c in v) for k, v in _COMMON.items()},
    **_SEPA_EXTRA,
}


def _transliterate_char(ch: str, table: dict[str, str], allowed: frozenset[str]) -> str | None:
    if ch in allowed:
        return ch
    if ch in table:
        return table[ch]
    if unicodedata.combining(ch):
        return ""  # an accent written apart from its letter (NFD text): the letter stays
    if ch in "\t\r\n\v\f" or unicodedata.category(ch) in ("Zs", "Zl", "Zp", "Cc"):
        return " "
    decomposed = unicodedata.normalize("NFKD", ch)
    out = []
    for part in decomposed:
        if unicodedata.combining(part):
            continue  # the accent; its base letter is kept
        if part in allowed:
            out.append(part)
        elif part in table and part != ch:
            out.append(table[part])
        else:
            return None
    return "".join(out) if out else None


# Code points whose transliteration is precomputed into a str.translate table: Latin
# letters with diacritics, Latin-1 symbols and general punctuation, i.e. nearly every
# character of a European name or remittance text. Others take the per-character path.
_PRECOMPUTED = [*range(0x80, 0x250), *range(0x300, 0x370), *range(0x2000, 0x2070), 0x20AC, 0x2122,
                0x1E9E]  # fmt: skip


def _make(table: dict[str, str], allowed: frozenset[str], pattern: re.Pattern[str], name: str):
    fast: dict[int, str] = {}
    for code in [*range(0x20), 0x7F, *(ord(c) for c in table), *_PRECOMPUTED]:
        ch = chr(code)
        if ch in allowed:
            continue
        rep = _transliterate_char(ch, table, allowed)
        if rep is not None:
            fast[code] = rep

    def slow(text: str, strict: bool) -> str:
        pieces = []
        for ch in text:
            rep = _transliterate_char(ch, table, allowed)
            if rep is None:
                if strict:
                    raise UnrepresentableError(
                        f"character {ch!r} (U+{ord(ch):04X}): no equivalent in the {name}"
                        " character set"
                    )
                rep = "?"
            pieces.append(rep)
        return "".join(pieces)

    @lru_cache(maxsize=65536)
    def convert(text: str, strict: bool = False) -> str:
        if pattern.fullmatch(text):
            return text
        translated = text.translate(fast)
        if pattern.fullmatch(translated):
            return translated
        return slow(translated, strict)

    return convert


_to_swift_x = _make(_SWIFT_TABLE, SWIFT_X_CHARS, SWIFT_X_RE, "SWIFT X")
_to_cfonb = _make(_CFONB_TABLE, CFONB_CHARS, CFONB_RE, "CFONB")
_to_sepa = _make(_SEPA_TABLE, SWIFT_X_CHARS, SWIFT_X_RE, "SEPA")


def to_swift_x(text: str, *, strict: bool = False) -> str:
    """Return ``text`` in the SWIFT X set; the result may be longer (``€`` -> ``EUR``)."""
    return _to_swift_x(text, strict)


def to_cfonb(text: str, *, strict: bool = False) -> str:
    """Return ``text`` in the CFONB character set; the result may be longer."""
    return _to_cfonb(text, strict)


def to_sepa(text: str) -> str:
    """Return ``text`` in the SEPA basic Latin set, as a bank converts it before forwarding.

    Raises :class:`UnrepresentableError` naming the first character without an equivalent
    (CJK, emoji, Cyrillic...): such a text is refused, never sent with ``?`` in it.
    """
    return _to_sepa(text, True)
