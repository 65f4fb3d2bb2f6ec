"""EBICS onboarding (seed 001), driven through the API: the state machine of
`shared/domain/ebics_onboarding.py` on a stored connection.

1. `setup_connection` (connections) creates the connection `requested`; its configuration
   letter is issued at once when the bank's host is configured (`issue_configuration_letter`;
   it is due within 24 h, and a read of the letter issues one that could not be issued then).
2. `configuration_letter`: the letter (host id, partner id, user id, URL) as a `Letter`,
   rendered as JSON or PDF by the route.
3. `upload_certificates`: the three certificates, checked (`shared/formats/ebics_certificates`);
   a refusal is recorded with every reason and raised; an acceptance answers with the
   bank's key hashes (`bank_keys_letter`).
4. `confirm_bank_keys`: the customer confirms the bank key hashes their client shows; the
   connection goes live. Statements and payment files flow only for live connections.

Partner and user ids are derived from the company and the connection (stable: a retried
request gets the same letter).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from shared.domain.ebics_onboarding import Onboarding, OnboardingState, OnboardingStepRefused
from shared.formats.ebics_certificates import (
    CertificatesRefused,
    CheckedCertificate,
    Refusal,
    Role,
    check_certificate,
    check_certificates,
)
from shared.formats.ebics_letters import Letter
from shared.formats.ebics_letters import bank_keys_letter as make_bank_keys_letter
from shared.formats.ebics_letters import configuration_letter as make_configuration_letter
from shared.log import get_logger
from shared.store.ebics import EbicsConnection
from shared.usecases.ebics.common import EbicsDeps, InvalidRequest, NotFound, RuleRefused
from shared.usecases.ebics.connections import _member, _organization, _require_setup_role

log = get_logger(__name__)

HOST_ID_RE = re.compile(r"[A-Za-z0-9]{1,35}")
MAX_CONFIRMED_HASHES = 8


@dataclass(frozen=True)
class BankHost:
    """The bank side of EBICS: its host id, server URL, name, and its own certificates
    (authentication X002 and encryption E002), whose hashes customers check."""

    name: str
    host_id: str
    url: str
    certificates: dict[Role, CheckedCertificate]

    @classmethod
    def from_pems(
        cls,
        *,
        name: str,
        host_id: str,
        url: str,
        authentication_pem: str,
        encryption_pem: str,
        now: datetime | None = None,
    ) -> BankHost:
        """Check the bank's own certificates as strictly as a customer's; ValueError if not."""
        if not HOST_ID_RE.fullmatch(host_id or ""):
            raise ValueError("the EBICS host id must be 1-35 letters or digits")
        if not url.startswith("https://"):
            raise ValueError("the EBICS server URL must be https://")
        now = now or datetime.now(UTC)
        certificates: dict[Role, CheckedCertificate] = {}
        for role, pem in ((Role.AUTHENTICATION, authentication_pem),
                          (Role.ENCRYPTION, encryption_pem)):  # fmt: skip
            checked, refusals = check_certificate(role, pem, now=now)
            if checked is None:
                raise CertificatesRefused(refusals)
            certificates[role] = checked
        if len({c.public_key_hash for c in certificates.values()}) != len(certificates):
            raise ValueError("the bank's authentication and encryption keys must differ")
        return cls(name=name, host_id=host_id, url=url, certificates=certificates)

    def keys_letter(self, connection_id: str, now: datetime) -> Letter:
        return make_bank_keys_letter(
            bank_name=self.name,
            host_id=self.host_id,
            connection_id=connection_id,
            bank_certificates=self.certificates,
            issued_at=now,
        )


def partner_id_for(org_id: str) -> str:
    """The company's EBICS partner (customer) id: stable, 1-35 alphanumerics."""
    return "P" + hashlib.sha256(org_id.encode()).hexdigest()[:15].upper()


def user_id_for(org_id: str, connection_id: str) -> str:
    """The connection's EBICS user id: stable, 1-35 alphanumerics."""
    return "U" + hashlib.sha256(f"{org_id}/{connection_id}".encode()).hexdigest()[:15].upper()


def letter_fields(bank: BankHost, org_id: str, connection_id: str, version: str) -> dict[str, str]:
    return {
        "host_id": bank.host_id,
        "partner_id": partner_id_for(org_id),
        "user_id": user_id_for(org_id, connection_id),
        "url": bank.url,
        "ebics_version": version,
        "bank_name": bank.name,
    }


def render_configuration_letter(
    onboarding: Onboarding, company_name: str, connection_id: str
) -> Letter:
    """The configuration letter as issued (the values recorded when it was issued)."""
    if onboarding.letter is None or onboarding.letter_issued_at is None:
        raise OnboardingStepRefused(
            "the configuration letter is not issued yet (due by "
            f"{onboarding.letter_due_at.isoformat()})"
        )
    fields = onboarding.letter
    return make_configuration_letter(
        bank_name=str(fields.get("bank_name", "")),
        host_id=str(fields["host_id"]),
        partner_id=str(fields["partner_id"]),
        user_id=str(fields["user_id"]),
        url=str(fields["url"]),
        ebics_version=str(fields["ebics_version"]),
        company_name=company_name,
        connection_id=connection_id,
        issued_at=onboarding.letter_issued_at,
    )


def check_uploads(
    uploads: dict[str, object], versions: dict[str, object], now: datetime
) -> dict[Role, CheckedCertificate]:
    """Parse the API body's certificates by role name, then check them all together."""
    refusals: list[Refusal] = []
    by_role: dict[Role, bytes | str] = {}
    chosen: dict[Role, str] = {}
    for key, value in uploads.items():
        try:
            role = Role(key)
        except ValueError:
            refusals.append(Refusal(str(key)[:40], "unknown_role", "not one of "
                                    + ", ".join(r.value for r in Role)))  # fmt: skip
            continue
        if not isinstance(value, str):
            refusals.append(Refusal(role.value, "unreadable", "send the certificate as PEM text"))
            continue
        by_role[role] = value
    for key, value in versions.items():
        if key in Role._value2member_map_ and isinstance(value, str):
            chosen[Role(key)] = value
    try:
        checked = check_certificates(by_role, now=now, versions=chosen)
    except CertificatesRefused as refused:
        raise CertificatesRefused(refusals + refused.refusals) from None
    if refusals:
        raise CertificatesRefused(refusals)
    return checked


def accepted_record(checked: dict[Role, CheckedCertificate]) -> dict[str, dict[str, object]]:
    """What the connection keeps of the customer's certificates (PEM included)."""
    return {role.value: {**cert.to_json(), "pem": cert.pem} for role, cert in checked.items()}


def bank_keys_record(bank: BankHost) -> list[dict[str, object]]:
    return [
        {
            "role": role.value,
            "version": cert.version,
            "public_key_hash": cert.public_key_hash,
            "certificate_hash": cert.certificate_hash,
        }
        for role, cert in sorted(bank.certificates.items(), key=lambda item: item[0].value)
    ]


def confirmed_hashes(raw: object) -> list[str]:
    """The API body's `bank_key_hashes`: a short list of strings."""
    if not isinstance(raw, list) or not raw or len(raw) > MAX_CONFIRMED_HASHES:
        raise ValueError(
            f"bank_key_hashes must be a list of 1 to {MAX_CONFIRMED_HASHES} hashes, as your "
            "EBICS client shows them"
        )
    if not all(isinstance(h, str) and len(h) <= 200 for h in raw):
        raise ValueError("each bank key hash must be a string of at most 200 characters")
    return list(raw)


# ----------------------------------------------------------------------------- onboarding


def _connection_of(deps: EbicsDeps, org_id: str, connection_id: str) -> EbicsConnection:
    connection = deps.ebics.get_connection(org_id, connection_id)
    if connection is None:
        raise NotFound(f"EBICS connection {connection_id} not found in {org_id}")
    return connection


def _transition(
    deps: EbicsDeps, org_id: str, connection_id: str, step: Callable[[Onboarding], Onboarding]
) -> EbicsConnection:
    connection = _connection_of(deps, org_id, connection_id)
    if not connection.active:
        raise RuleRefused(f"EBICS connection {connection_id} is disconnected")
    if connection.onboarding is None:
        raise OnboardingStepRefused(f"EBICS connection {connection_id} is already live")
    try:
        return deps.ebics.transition_onboarding(org_id, connection_id, step)
    except LookupError as exc:
        raise NotFound(str(exc)) from None


def issue_configuration_letter(deps: EbicsDeps, org_id: str, connection_id: str) -> EbicsConnection:
    """Issue the configuration letter of a requested connection (host id, partner id, user
    id, URL). Raises RuleRefused when the bank's host is not configured."""
    if deps.bank is None:
        raise RuleRefused("the bank's EBICS host is not configured: no letter can be issued")
    connection = _connection_of(deps, org_id, connection_id)
    fields = letter_fields(deps.bank, org_id, connection_id, connection.ebics_version)
    now = deps.now()
    issued = _transition(deps, org_id, connection_id, lambda o: o.issue_letter(fields, now))
    log.info("ebics configuration letter issued", organization_id=org_id,
             connection_id=connection_id)  # fmt: skip
    return issued


def configuration_letter(deps: EbicsDeps, org_id: str, connection_id: str) -> Letter:
    """The connection's configuration letter, as issued (render it with to_json/to_pdf).
    One that could not be issued at request time (the host was not configured yet) is
    issued now."""
    connection = _connection_of(deps, org_id, connection_id)
    if connection.onboarding is None:
        raise OnboardingStepRefused(f"EBICS connection {connection_id} predates onboarding")
    if connection.onboarding.state is OnboardingState.REQUESTED and deps.bank is not None:
        try:
            connection = issue_configuration_letter(deps, org_id, connection_id)
        except OnboardingStepRefused:
            connection = _connection_of(deps, org_id, connection_id)  # issued meanwhile
    assert connection.onboarding is not None
    org = _organization(deps, org_id)
    return render_configuration_letter(connection.onboarding, org.legal_name, connection_id)


def upload_certificates(
    deps: EbicsDeps,
    org_id: str,
    connection_id: str,
    member_id: str,
    certificates: dict[str, object],
    versions: dict[str, object] | None = None,
) -> tuple[EbicsConnection, Letter]:
    """Check the three certificates; accepted: the bank's key hashes letter. Refused:
    CertificatesRefused with every reason, also recorded on the connection."""
    _require_setup_role(_member(deps, org_id, member_id))
    if deps.bank is None:
        raise RuleRefused("the bank's EBICS host is not configured")
    bank = deps.bank
    now = deps.now()
    try:
        checked = check_uploads(certificates, versions or {}, now)
    except CertificatesRefused as refused:
        reasons = [r.to_json() for r in refused.refusals]
        _transition(deps, org_id, connection_id, lambda o: o.refuse_certificates(reasons, now))
        log.warning("ebics certificates refused", organization_id=org_id,
                    connection_id=connection_id, codes=[r["code"] for r in reasons])  # fmt: skip
        raise
    record, keys = accepted_record(checked), bank_keys_record(bank)
    accepted = _transition(
        deps, org_id, connection_id, lambda o: o.accept_certificates(record, keys, now)
    )
    log.info("ebics certificates accepted", organization_id=org_id, connection_id=connection_id)
    return accepted, bank.keys_letter(connection_id, now)


def bank_keys_letter(deps: EbicsDeps, org_id: str, connection_id: str) -> Letter:
    """The bank's key hashes letter, once the customer's certificates are accepted."""
    connection = _connection_of(deps, org_id, connection_id)
    onboarding = connection.onboarding
    if deps.bank is None or onboarding is None or onboarding.keys_accepted_at is None:
        raise OnboardingStepRefused("the bank's key hashes follow the accepted certificates")
    return deps.bank.keys_letter(connection_id, onboarding.keys_accepted_at)


def confirm_bank_keys(
    deps: EbicsDeps, org_id: str, connection_id: str, member_id: str, hashes: object
) -> EbicsConnection:
    """The customer confirms the bank key hashes their client shows: the connection is live."""
    _require_setup_role(_member(deps, org_id, member_id))
    try:
        given = confirmed_hashes(hashes)
    except ValueError as exc:
        raise InvalidRequest(str(exc)) from None
    now = deps.now()
    live = _transition(deps, org_id, connection_id, lambda o: o.go_live(given, now))
    log.info("ebics connection live", organization_id=org_id, connection_id=connection_id)
    return live
