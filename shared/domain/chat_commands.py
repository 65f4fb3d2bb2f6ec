"""What a WhatsApp text message asks for: opt-out, opt-in, company switching, activation.

Twilio filters opt-out keywords for SMS only, not for WhatsApp, so we recognise them here. A
keyword counts when it is the whole message (case, accents, surrounding spaces and
punctuation ignored), as carriers do for SMS: "stop" stops, "stop sending me the PDF" does not.

Every input is bounded: only the first `MAX_COMMAND_CHARS` characters of a message are looked
at, a company number has at most `MAX_CHOICE_DIGITS` digits, and nothing here backtracks, so
"switch" followed by 5,000 digits or 100,000 spaces is answered at once.

>>> parse("  Arrêt ").kind
'stop'
>>> parse("BAJA!").kind
'stop'
>>> parse("start").kind
'start'
>>> parse("switch 2")
Command(kind='switch', choice=2, code=None)
>>> parse("switch " + "9" * 5000)
Command(kind='switch', choice=None, code=None)
>>> parse("société").kind
'companies'
>>> parse("Bonjour, code ACT-7KQ2M9XD").code
'7KQ2M9XD'
>>> parse("stop sending me that").kind
'other'
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from dataclasses import dataclass

# Longer messages are not commands (a keyword plus a few words at most); an activation code
# is looked for in this many characters too.
MAX_COMMAND_CHARS = 200
MAX_CHOICE_DIGITS = 3

STOP_WORDS = frozenset(
    {
        "stop", "stopall", "unsubscribe", "cancel", "end", "quit", "optout", "opt out",
        "arret", "arreter", "desabonner", "desinscrire", "desinscription",
        "baja", "darse de baja", "cancelar", "parar", "detener",
        "stopp", "abmelden", "abbestellen", "austragen",
    }
)  # fmt: skip
START_WORDS = frozenset(
    {
        "start", "unstop", "subscribe", "optin", "opt in",
        "demarrer", "reprendre", "abonner",
        "alta", "darse de alta", "reanudar",
        "anmelden", "fortsetzen",
    }
)  # fmt: skip
COMPANIES_WORDS = frozenset(
    {"companies", "company", "societes", "societe", "empresas", "empresa", "firmen", "firma",
     "unternehmen"}
)  # fmt: skip
SWITCH_WORDS = COMPANIES_WORDS | {"switch", "changer", "cambiar", "wechseln"}

# The one-time activation code carried by the wa.me link: ACT- plus 8 characters of an
# alphabet without look-alikes (no 0/O, 1/I/L).
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8
_CODE = re.compile(rf"\bACT-([{CODE_ALPHABET}]{{{CODE_LENGTH}}})\b", re.IGNORECASE)
_PUNCTUATION = " \t\r\n.!?¡¿,;:'\"()[]-_*"


@dataclass(frozen=True)
class Command:
    kind: str  # stop, start, activate, companies, switch, other
    choice: int | None = None  # switch N: N, when it is a number we can read
    code: str | None = None  # activate: the code, upper case, without "ACT-"


def fold(text: str) -> str:
    """Lower case, without accents, inner spaces collapsed, outer spaces and punctuation off."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.split()).strip(_PUNCTUATION)


def parse(body: str) -> Command:
    head = (body or "")[:MAX_COMMAND_CHARS]
    overlong = len(body or "") > MAX_COMMAND_CHARS
    code = _CODE.search(head)
    if code:
        return Command("activate", code=code.group(1).upper())
    tail = (body or "")[MAX_COMMAND_CHARS:].strip() if overlong else ""
    if tail and not (tail.isascii() and tail.isdigit()):
        return Command("other")  # a long message is not a command (a long number may be)
    words = fold(head)
    if words in STOP_WORDS:
        return Command("stop")
    if words in START_WORDS:
        return Command("start")
    if words in COMPANIES_WORDS:
        return Command("companies")
    verb, _, rest = words.partition(" ")
    if verb in SWITCH_WORDS and rest:
        rest = rest.strip(_PUNCTUATION)
        if rest.isascii() and rest.isdigit():
            digits = len(rest) + len(tail)
            choice = int(rest) if digits <= MAX_CHOICE_DIGITS else None
            return Command("switch", choice=choice)
    if verb in SWITCH_WORDS and not rest:
        return Command("companies")
    return Command("other")


def new_activation_code() -> str:
    """A fresh one-time code (31^8, about 8.5e11 values; codes also expire and are single-use)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
