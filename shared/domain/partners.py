"""The accountant partner space, pure: firms, their people, consent, extensions, activations.

- A **firm** (accounting firm) has members with one role each: `administrator` (invites
  people, installs extensions), `client_manager` (manages clients and activations, never
  sees a document), `accountant` (works on the clients assigned to them, reads their
  documents).
- A firm sees a company only under an **active consent** given by the company's owner or
  admin: the company invites the firm (active at once), or the firm requests access and
  the company accepts. The company (or the firm) can revoke it; a revoked consent stops
  every export of that firm for that company, and is final (a new request starts over).
- An **extension** is installed once per firm: a kind and its credentials (sealed by the
  store). An **activation** binds one extension to one client with its own parameters;
  it sends only documents approved or received at or after `activated_at`.
- `authorize` is the one permission check; it raises `NotPermitted` with the reason.

>>> firm_member = FirmMember("u1", "firm1", FirmRole.CLIENT_MANAGER)
>>> consent = Consent("firm1", "c1", ConsentStatus.ACTIVE)
>>> authorize(firm_member, Action.MANAGE_ACTIVATIONS, consent)
>>> authorize(firm_member, Action.READ_DOCUMENTS, consent)
Traceback (most recent call last):
...
shared.domain.partners.NotPermitted: a client manager does not see documents
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from shared.errors import Conflict, Forbidden, Invalid


class FirmRole(enum.StrEnum):
    ADMINISTRATOR = "administrator"
    CLIENT_MANAGER = "client_manager"
    ACCOUNTANT = "accountant"


class ConsentStatus(enum.StrEnum):
    REQUESTED = "requested"  # the firm asked; the company has not answered
    ACTIVE = "active"  # invited by the company, or its request accepted
    REVOKED = "revoked"  # final; exports stop
    DECLINED = "declined"


class Action(enum.StrEnum):
    INVITE_MEMBERS = "invite_members"
    INSTALL_EXTENSIONS = "install_extensions"
    MANAGE_ACTIVATIONS = "manage_activations"
    READ_STATUS = "read_status"
    READ_DOCUMENTS = "read_documents"


class ExtensionKind(enum.StrEnum):
    SFTP = "sftp"
    EMAIL = "email"
    HTTP = "http"
    ONEDRIVE = "onedrive"
    DROPBOX = "dropbox"
    GOOGLE_DRIVE = "google_drive"
    ACCOUNTING = "accounting"


# The path rules each kind's target follows (see partner_paths); None: no path at all.
PATH_TARGET: dict[ExtensionKind, str | None] = {
    ExtensionKind.SFTP: "sftp",
    ExtensionKind.EMAIL: "sftp",  # file names only, same rules
    ExtensionKind.HTTP: "sftp",
    ExtensionKind.ONEDRIVE: "onedrive",
    ExtensionKind.DROPBOX: "dropbox",
    ExtensionKind.GOOGLE_DRIVE: "google_drive",
    ExtensionKind.ACCOUNTING: None,
}


class NotPermitted(Forbidden):
    """The member may not do this for this company; the message says why."""


class ConsentError(Conflict):
    """The consent is not in a state that allows this transition."""


class PartnerInvalid(Invalid):
    """A partner record is malformed (unknown role, kind, parameters)."""


@dataclass(frozen=True)
class Firm:
    id: str
    name: str


@dataclass(frozen=True)
class FirmMember:
    user_id: str
    firm_id: str
    role: FirmRole
    assigned_clients: frozenset[str] = frozenset()  # accountants: the companies they work on


@dataclass(frozen=True)
class Consent:
    firm_id: str
    company_id: str
    status: ConsentStatus
    decided_by: str | None = None  # the company's owner/admin who invited or accepted
    decided_at: datetime | None = None
    revoked_at: datetime | None = None

    @property
    def active(self) -> bool:
        return self.status is ConsentStatus.ACTIVE


def invite(firm_id: str, company_id: str, by: str, at: datetime) -> Consent:
    """The company's owner/admin invites the firm: consent given at once."""
    return Consent(firm_id, company_id, ConsentStatus.ACTIVE, by, at)


def request(firm_id: str, company_id: str, current: Consent | None) -> Consent:
    """The firm asks to manage the company; the company must accept."""
    if current is not None and current.status in (ConsentStatus.ACTIVE, ConsentStatus.REQUESTED):
        return current
    return Consent(firm_id, company_id, ConsentStatus.REQUESTED)


def accept(consent: Consent | None, by: str, at: datetime) -> Consent:
    if consent is None or consent.status is not ConsentStatus.REQUESTED:
        raise ConsentError("there is no pending request from this firm to accept")
    return replace(consent, status=ConsentStatus.ACTIVE, decided_by=by, decided_at=at)


def revoke(consent: Consent | None, at: datetime) -> Consent:
    if consent is None or consent.status is ConsentStatus.REVOKED:
        raise ConsentError("there is no consent to revoke")
    return replace(consent, status=ConsentStatus.REVOKED, revoked_at=at)


def authorize(
    member: FirmMember, action: Action, consent: Consent | None = None, client_id: str | None = None
) -> None:
    """Raise `NotPermitted` unless `member` may do `action` (for the consent's company)."""
    role = member.role
    if action in (Action.INVITE_MEMBERS, Action.INSTALL_EXTENSIONS):
        if role is not FirmRole.ADMINISTRATOR:
            raise NotPermitted(f"only an administrator may {action.value.replace('_', ' ')}")
        return
    if consent is None or consent.firm_id != member.firm_id or not consent.active:
        raise NotPermitted("the company has not given this firm its consent")
    company = consent.company_id
    if client_id is not None and client_id != company:
        raise NotPermitted("consent is for another company")
    if action is Action.READ_DOCUMENTS and role is FirmRole.CLIENT_MANAGER:
        raise NotPermitted("a client manager does not see documents")
    if role is FirmRole.ACCOUNTANT and company not in member.assigned_clients:
        raise NotPermitted("this accountant is not assigned to the company")


@dataclass(frozen=True)
class Extension:
    id: str
    firm_id: str
    kind: ExtensionKind
    name: str
    settings: dict[str, Any] = field(default_factory=dict)  # non-secret settings only
    installed_at: datetime | None = None


class ActivationStatus(enum.StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"
    DISABLED = "disabled"  # the destination asked to stop (HTTP 410) or a person did


@dataclass(frozen=True)
class Activation:
    id: str
    firm_id: str
    extension_id: str
    company_id: str
    activated_at: datetime  # only documents approved/received at or after this are sent
    params: dict[str, Any] = field(default_factory=dict)  # to_address, path, identifiers...
    status: ActivationStatus = ActivationStatus.ACTIVE
    disabled_reason: str | None = None

    def covers(self, approved_at: datetime) -> bool:
        """Does this activation send a document approved (or received) at `approved_at`?"""
        if approved_at.tzinfo is None:
            raise PartnerInvalid("approval time must be timezone-aware")
        return self.status is ActivationStatus.ACTIVE and approved_at >= self.activated_at


def delivery_key(document_id: str, activation_id: str) -> str:
    """The idempotency key of one delivery: the same everywhere (ledger, Message-ID...)."""
    return f"{document_id}:{activation_id}"


def update_key(delivery: str, sequence: int) -> str:
    """The ledger key of the `sequence`-th update of a delivered document's index record
    (matched to its payment after it was sent, detached...): one record per update.

    >>> update_key(delivery_key("doc-1", "act-1"), 2)
    'doc-1:act-1#2'
    """
    return f"{delivery}#{sequence}"


def next_attempt(
    failures: int, now: datetime, base: timedelta = timedelta(minutes=1), cap=timedelta(hours=6)
) -> datetime:
    """When a failed delivery is tried again: doubling from `base`, at most `cap` apart.

    >>> from datetime import UTC
    >>> t0 = datetime(2026, 12, 3, tzinfo=UTC)
    >>> [str(next_attempt(n, t0) - t0) for n in (1, 2, 3, 12)]
    ['0:01:00', '0:02:00', '0:04:00', '6:00:00']
    """
    return now + min(cap, base * (2 ** max(0, min(failures - 1, 20))))
