"""Identifier value objects that validate themselves when built.

>>> Iban("fr76 3000 6000 0112 3456 7890 189").compact
'FR7630006000011234567890189'
>>> Iban("FR7630006000011234567890188")
Traceback (most recent call last):
...
shared.domain.identifiers.InvalidIdentifier: invalid IBAN 'FR7630006000011234567890188': checksum does not match
>>> phone_e164("whatsapp:+33 6 12 34 56 78")
'+33612345678'
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from stdnum import iban as stdnum_iban
from stdnum.exceptions import ValidationError
from stdnum.fr import siren as stdnum_siren

from shared.errors import Invalid


class InvalidIdentifier(Invalid):
    pass


@dataclass(frozen=True)
class Iban:
    value: str

    def __post_init__(self) -> None:
        try:
            compact = stdnum_iban.validate(self.value)
        except ValidationError as exc:
            reason = str(exc).rstrip(".").lower()
            raise InvalidIdentifier(f"invalid IBAN {self.value!r}: {reason}") from None
        object.__setattr__(self, "value", compact)

    @property
    def compact(self) -> str:
        return self.value

    @property
    def country(self) -> str:
        return self.value[:2]

    def __str__(self) -> str:
        return stdnum_iban.format(self.value)


def validate_siren(value: str) -> str:
    try:
        return stdnum_siren.validate(value)
    except ValidationError as exc:
        raise InvalidIdentifier(f"invalid SIREN {value!r}: {exc}") from None


_E164 = re.compile(r"^\+[1-9]\d{6,14}$")


def phone_e164(value: str) -> str:
    """Normalise a phone number (optionally `whatsapp:`-prefixed) to E.164."""
    raw = value.strip()
    if raw.lower().startswith("whatsapp:"):
        raw = raw[len("whatsapp:") :]
    compact = re.sub(r"[\s().-]", "", raw)
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    if not _E164.match(compact):
        raise InvalidIdentifier(f"not an E.164 phone number: {value!r}")
    return compact
