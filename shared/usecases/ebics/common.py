"""What every EBICS verb shares: product rules (country, plan limits, roles), errors, dependencies."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from shared import errors
from shared.domain.entities import Plan, Role
from shared.errors import AppError, Forbidden, Invalid, Refused
from shared.formats import cfonb120, mt940
from shared.formats.statement import Statement
from shared.store.ebics import (
    DropBucket,
    EbicsStore,
)
from shared.store.firestore_store import FirestoreStore, now_utc

if TYPE_CHECKING:
    from shared.usecases.ebics.onboarding import BankHost

COUNTRY = "FR"
PLAN_CONNECTION_LIMITS = {Plan.ESSENTIAL: 0, Plan.BUSINESS: 1, Plan.ENTERPRISE: 3}
SETUP_ROLES = frozenset({Role.OWNER, Role.ADMIN, Role.ACCOUNTANT})
APPROVER_ROLES = frozenset({Role.OWNER, Role.ADMIN, Role.ACCOUNTANT})
SYSTEM_ACTOR = "system"
WRITERS: dict[str, tuple[Callable[[Statement], str], Callable[[str], None]]] = {
    "mt940": (mt940.write, mt940.validate),
    "cfonb120": (cfonb120.write, cfonb120.validate),
}
_CONNECTION_ID_RE = re.compile(r"[A-Za-z0-9_-]{1,64}")


class EbicsError(AppError):
    """Base of the errors a caller of these verbs can act on; the message says why."""


class NotAllowed(EbicsError, Forbidden):
    """The acting member may not do this (role, permission, or not a member)."""


class NotFound(EbicsError, errors.NotFound):
    """The company, connection or payment request does not exist."""


class RuleRefused(EbicsError, Refused):
    """A product rule refuses the request: country, plan, connection state."""


class InvalidRequest(EbicsError, Invalid):
    """A malformed request: unknown EBICS version or format, bad id."""


@dataclass(frozen=True)
class EbicsDeps:
    store: FirestoreStore
    ebics: EbicsStore
    drop: DropBucket
    now: Callable[[], datetime] = now_utc
    # The bank's EBICS host (id, URL, its certificates); None: letters cannot be issued yet.
    bank: BankHost | None = None
