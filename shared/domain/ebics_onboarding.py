"""EBICS onboarding: the state machine on a connection (seed 001), and the plan choice.

    requested ──issue_letter──▶ letter_sent ──accept_certificates──▶ keys_accepted ──go_live──▶ live
                                   ▲   │
                                   └───┘ refuse_certificates (reasons kept; upload again)

1. **requested**: the company asked for a connection; the configuration letter is due
   within :data:`LETTER_WITHIN` (``letter_due_at``).
2. **letter_sent**: the letter (host id, partner id, user id, URL) is issued; the customer
   uploads three certificates. A refused upload keeps this state with its reasons.
3. **keys_accepted**: the certificates passed every check; the bank answered with the hashes
   of its own keys. The connection is due live within :data:`LIVE_WITHIN`.
4. **live**: the customer confirmed that their client shows the same bank key hashes.
   Statements and payment files flow only now.

Every transition is a pure function returning a new :class:`Onboarding`; one not allowed from
the current state raises :class:`OnboardingStepRefused` saying what comes first.

The plan choice: :func:`plan_choice` is what a downgrade leaves when the company has more
live connections than the new plan allows: nothing is disconnected; the company chooses which
to keep (the bank contacts them), then :func:`apply_choice` names those to disconnect.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from shared.errors import Conflict

LETTER_WITHIN = timedelta(hours=24)
LIVE_WITHIN = timedelta(hours=24)
_HEX_RE = re.compile(r"[0-9a-f]{64}")


class OnboardingState(StrEnum):
    REQUESTED = "requested"
    LETTER_SENT = "letter_sent"
    KEYS_ACCEPTED = "keys_accepted"
    LIVE = "live"


class OnboardingStepRefused(Conflict, ValueError):
    """A step asked in a state that does not allow it (it contradicts the connection's
    current state: 409); the message says what comes first."""

    code = "onboarding_step_refused"


@dataclass(frozen=True, slots=True)
class Onboarding:
    """Where a connection is in its onboarding, and what each step left."""

    state: OnboardingState
    requested_at: datetime
    letter: dict[str, Any] | None = None
    letter_issued_at: datetime | None = None
    certificates: dict[str, dict[str, Any]] = field(default_factory=dict)
    bank_keys: list[dict[str, Any]] = field(default_factory=list)
    keys_accepted_at: datetime | None = None
    live_at: datetime | None = None
    last_refusal: list[dict[str, str]] = field(default_factory=list)
    refused_at: datetime | None = None
    uploads: int = 0

    @classmethod
    def request(cls, now: datetime) -> Onboarding:
        return cls(state=OnboardingState.REQUESTED, requested_at=now)

    @classmethod
    def already_live(cls, since: datetime) -> Onboarding:
        """A connection set up before onboarding existed: it was running, it stays live."""
        return cls(state=OnboardingState.LIVE, requested_at=since, live_at=since)

    @property
    def letter_due_at(self) -> datetime:
        return self.requested_at + LETTER_WITHIN

    @property
    def live_due_at(self) -> datetime | None:
        return self.keys_accepted_at + LIVE_WITHIN if self.keys_accepted_at else None

    @property
    def is_live(self) -> bool:
        return self.state is OnboardingState.LIVE

    def _expect(self, state: OnboardingState, step: str, first: str) -> None:
        if self.state is not state:
            raise OnboardingStepRefused(
                f"cannot {step}: the connection is {self.state.value}; {first}"
            )

    def issue_letter(self, letter: dict[str, Any], now: datetime) -> Onboarding:
        self._expect(
            OnboardingState.REQUESTED,
            "issue a configuration letter",
            "its letter was already issued",
        )
        return replace(
            self, state=OnboardingState.LETTER_SENT, letter=dict(letter), letter_issued_at=now
        )

    def refuse_certificates(self, refusals: list[dict[str, str]], now: datetime) -> Onboarding:
        self._expect(
            OnboardingState.LETTER_SENT,
            "upload certificates",
            "certificates are uploaded after the configuration letter, once",
        )
        return replace(self, last_refusal=list(refusals), refused_at=now, uploads=self.uploads + 1)

    def accept_certificates(
        self,
        certificates: dict[str, dict[str, Any]],
        bank_keys: list[dict[str, Any]],
        now: datetime,
    ) -> Onboarding:
        self._expect(
            OnboardingState.LETTER_SENT,
            "upload certificates",
            "certificates are uploaded after the configuration letter, once",
        )
        return replace(
            self,
            state=OnboardingState.KEYS_ACCEPTED,
            certificates=dict(certificates),
            bank_keys=list(bank_keys),
            keys_accepted_at=now,
            last_refusal=[],
            refused_at=None,
            uploads=self.uploads + 1,
        )

    def go_live(self, confirmed_hashes: list[str], now: datetime) -> Onboarding:
        """Live once the customer confirms every bank key hash their client shows.

        ``confirmed_hashes`` may be written as in the letters ("AB CD ...", line breaks) or
        as plain hex; each of the bank's public key hashes must be among them.
        """
        self._expect(
            OnboardingState.KEYS_ACCEPTED,
            "go live",
            "the certificates must be accepted first",
        )
        given = {normalize_hash(h) for h in confirmed_hashes}
        missing = [k["version"] for k in self.bank_keys if k["public_key_hash"] not in given]
        if missing:
            raise OnboardingStepRefused(
                "the hashes confirmed do not include the bank's "
                + ", ".join(missing)
                + " public key hash: compare again with the bank keys letter; do not send "
                "orders until they match"
            )
        return replace(self, state=OnboardingState.LIVE, live_at=now)

    def to_dict(self) -> dict[str, Any]:
        return {
            "state": self.state.value,
            "requested_at": self.requested_at,
            "letter": self.letter,
            "letter_issued_at": self.letter_issued_at,
            "certificates": self.certificates,
            "bank_keys": self.bank_keys,
            "keys_accepted_at": self.keys_accepted_at,
            "live_at": self.live_at,
            "last_refusal": self.last_refusal,
            "refused_at": self.refused_at,
            "uploads": self.uploads,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Onboarding:
        return cls(
            state=OnboardingState(d["state"]),
            requested_at=d["requested_at"],
            letter=d.get("letter"),
            letter_issued_at=d.get("letter_issued_at"),
            certificates=dict(d.get("certificates") or {}),
            bank_keys=list(d.get("bank_keys") or []),
            keys_accepted_at=d.get("keys_accepted_at"),
            live_at=d.get("live_at"),
            last_refusal=list(d.get("last_refusal") or []),
            refused_at=d.get("refused_at"),
            uploads=int(d.get("uploads") or 0),
        )

    def to_json(self) -> dict[str, Any]:
        """The API's view: dates as ISO strings, deadlines included, no certificate PEMs."""

        def iso(value: datetime | None) -> str | None:
            return value.isoformat() if value else None

        return {
            "state": self.state.value,
            "requested_at": iso(self.requested_at),
            "letter_due_at": iso(self.letter_due_at),
            "letter_issued_at": iso(self.letter_issued_at),
            "keys_accepted_at": iso(self.keys_accepted_at),
            "live_due_at": iso(self.live_due_at),
            "live_at": iso(self.live_at),
            "certificates": {
                role: {k: v for k, v in cert.items() if k != "pem"}
                for role, cert in self.certificates.items()
            },
            "bank_keys": self.bank_keys,
            "last_refusal": self.last_refusal,
        }


def normalize_hash(text: str) -> str:
    """'AB CD\\nEF ...' or 'abcdef...' -> 'abcdef...' (64 hex digits), else ''."""
    compact = re.sub(r"[\s:]", "", text or "").lower()
    return compact if _HEX_RE.fullmatch(compact) else ""


@dataclass(frozen=True, slots=True)
class PlanChoice:
    """A company with more live connections than its plan allows: it must choose."""

    plan: str
    allowed: int
    connection_ids: tuple[str, ...]
    since: datetime

    def to_dict(self) -> dict[str, Any]:
        return {
            "plan": self.plan,
            "allowed": self.allowed,
            "connection_ids": list(self.connection_ids),
            "since": self.since,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> PlanChoice:
        return cls(
            plan=d["plan"],
            allowed=int(d["allowed"]),
            connection_ids=tuple(d["connection_ids"]),
            since=d["since"],
        )


def plan_choice(
    plan: str, allowed: int, connection_ids: list[str], now: datetime
) -> PlanChoice | None:
    """The choice a plan change leaves, or None when every connection still fits."""
    if len(connection_ids) <= allowed:
        return None
    return PlanChoice(plan=plan, allowed=allowed, connection_ids=tuple(connection_ids), since=now)


def apply_choice(choice: PlanChoice, keep: list[str]) -> list[str]:
    """The connections to disconnect when the company keeps ``keep``; raises ValueError."""
    unknown = [c for c in keep if c not in choice.connection_ids]
    if unknown:
        raise ValueError(f"connection(s) {', '.join(unknown)} are not among those to choose from")
    if len(set(keep)) != len(keep):
        raise ValueError("a connection is named twice")
    if len(keep) > choice.allowed:
        raise ValueError(
            f"the {choice.plan} plan allows {choice.allowed} connection(s); {len(keep)} chosen"
        )
    return [c for c in choice.connection_ids if c not in keep]
