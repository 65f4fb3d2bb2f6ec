"""EBICS routes over real HTTP on the emulators (answers checked against the OpenAPI
document): onboarding step by step, each certificate refusal, and concurrent decisions on
one payment request."""

from __future__ import annotations

import hashlib
import io
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from pypdf import PdfReader

from functions import ebics as ebics_functions
from shared.domain.entities import BankAccount, Member, Role
from shared.formats.ebics_certificates import Role as KeyRole
from shared.store.ebics import PaymentRequest, RequestedPayment, RequestStatus
from shared.usecases.ebics import EbicsDeps
from tests.api_client import ApiClient
from tests.ebics_keys import (
    BANK_KEYS,
    USAGES,
    bank_key_hashes,
    certificate,
    certificate_set,
    rsa_key,
    set_bank_host,
)
from tests.integration.api.conftest import member_id

DROP_BUCKET = "demo-local-ebics-drop"
IBAN = "FR7630006000011234567890189"


@pytest.fixture
def deps(stack: Any, set_env: Any) -> Iterator[EbicsDeps]:
    set_env("EBICS_DROP_BUCKET", DROP_BUCKET)
    set_bank_host(set_env)
    ebics_functions.ebics_deps.cache_clear()
    built = ebics_functions.ebics_deps()
    built.drop.ensure_bucket()
    yield built
    ebics_functions.ebics_deps.cache_clear()


def pems(uploads: dict[KeyRole, bytes]) -> dict[str, str]:
    return {role.value: pem.decode() for role, pem in uploads.items()}


def onboard(client: ApiClient, org: str, connection_id: str = "conn-1") -> dict[str, Any]:
    """Request a connection and take it live through the API; the live connection."""
    owner = member_id(org, Role.OWNER)
    base = f"/organizations/{org}/ebics/connections"
    body = {"ebics_version": "3.0", "formats": ["mt940"], "connection_id": connection_id}
    assert client.call("POST", base, member=owner, json=body).status_code == 201
    path = f"{base}/{connection_id}"
    uploaded = client.call(
        "POST",
        path + "/certificates",
        member=owner,
        json={"certificates": pems(certificate_set(3))},
    )
    assert uploaded.status_code == 200, uploaded.text
    live = client.call(
        "POST", path + "/activate", member=owner, json={"bank_key_hashes": bank_key_hashes()}
    )
    assert live.status_code == 200, live.text
    return live.json()


def pending_request(client: ApiClient, deps: EbicsDeps, org: str) -> str:
    """A live connection and one payment request awaiting approval."""
    deps.store.put_account(BankAccount("acc-1", org, IBAN, "AGRIFRPP", "EUR"))
    connection = deps.ebics.get_connection(org, onboard(client, org)["id"])
    assert connection is not None and connection.live
    request = PaymentRequest(
        organization_id=org,
        id="pr-concurrent",
        connection_id=connection.id,
        status=RequestStatus.PENDING_APPROVAL,
        kind="single",
        message_id="MSG-1",
        payment_info_id="PMT-1",
        debtor_name="Atelier A SAS",
        debtor_iban=IBAN,
        debtor_bic=None,
        requested_execution_date=date(2026, 12, 4),
        batch_booking=False,
        total_minor=12345,
        currency="EUR",
        payment_count=1,
        source_object="gs://bucket/inbox/file.xml",
        payments=(
            RequestedPayment(
                end_to_end_id="E2E-1",
                amount_minor=12345,
                currency="EUR",
                creditor_name="Dupont + Fils",
                creditor_iban="DE89370400440532013000",
                creditor_bic=None,
                remittance="Invoice 42",
            ),
        ),
    )
    deps.ebics.create_payment_request(request)
    return request.id


@pytest.mark.parametrize("callers", [20, 40])
def test_concurrent_decisions_give_one_decision_and_409s(
    client: ApiClient, companies: tuple[str, str], deps: EbicsDeps, callers: int
) -> None:
    # Issue 16: 39 of 40 such calls answered 500 (the emulator's lock timeouts exhausted
    # the transaction's retries).
    org, _ = companies
    request_id = pending_request(client, deps, org)
    approvers = [f"approver-{i}" for i in range(callers)]
    for user in approvers:
        deps.store.put_member(Member(user, org, Role.ADMIN))

    def decide(index: int) -> tuple[str, int, dict[str, Any]]:
        decision = "approve" if index % 2 else "reject"
        own = ApiClient(client.base_url)  # one HTTP session per caller
        answer = own.call(
            "POST",
            f"/organizations/{org}/payment-requests/{request_id}/{decision}",
            member=approvers[index],
            json={"reason": "concurrent"} if decision == "reject" else None,
        )
        return approvers[index], answer.status_code, answer.json()

    with ThreadPoolExecutor(max_workers=callers) as pool:
        results = list(pool.map(decide, range(callers)))

    statuses = Counter(status for _, status, _ in results)
    assert statuses == {200: 1, 409: callers - 1}, results
    [(winner, _, body)] = [r for r in results if r[1] == 200]
    assert all(b["error"]["code"] == "already_decided" for _, s, b in results if s == 409)
    stored = deps.ebics.get_payment_request(org, request_id)
    assert stored is not None and stored.decided_by == winner
    assert stored.status.value == body["status"]


# ----------------------------------------------------------------------------- onboarding


def test_onboarding_step_by_step_through_the_api(
    client: ApiClient, companies: tuple[str, str], deps: EbicsDeps
) -> None:
    org, _ = companies
    owner = member_id(org, Role.OWNER)
    base = f"/organizations/{org}/ebics/connections"
    path = f"{base}/conn-9"

    # 1. The request: the configuration letter is issued at once (due within 24 h).
    body = {"ebics_version": "3.0", "formats": ["mt940", "cfonb120"], "connection_id": "conn-9"}
    requested = client.call("POST", base, member=owner, json=body)
    assert requested.status_code == 201, requested.text
    onboarding = requested.json()["onboarding"]
    assert requested.json()["live"] is False
    assert onboarding["state"] == "letter_sent"
    due = datetime.fromisoformat(onboarding["letter_due_at"])
    assert due - datetime.fromisoformat(onboarding["requested_at"]) == timedelta(hours=24)
    assert datetime.fromisoformat(onboarding["letter_issued_at"]) <= due

    # 2. The letter, as JSON and as PDF, with the host, partner and user ids and the URL.
    letter = client.call("GET", path + "/configuration-letter", member=owner).json()
    assert letter["host_id"] == "BANKHOST01"
    assert letter["url"] == "https://ebics.bank.example/ebics"
    assert letter["partner_id"].startswith("P") and letter["user_id"].startswith("U")
    pdf = client.call("GET", path + "/configuration-letter?format=pdf", member=owner)
    assert pdf.headers["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert f"Partner ID: {letter['partner_id']}" in text and "Host ID: BANKHOST01" in text
    employee = member_id(org, Role.EMPLOYEE)
    assert client.call("GET", path + "/configuration-letter", member=employee).status_code == 403

    # Out of order: no going live, no bank key letter before the certificates.
    early = client.call("POST", path + "/activate", member=owner,
                        json={"bank_key_hashes": bank_key_hashes()})  # fmt: skip
    assert early.status_code == 409 and early.json()["error"]["code"] == "onboarding_step_refused"
    assert client.call("GET", path + "/bank-keys-letter", member=owner).status_code == 409
    connection = deps.ebics.get_connection(org, "conn-9")
    assert connection is not None and not connection.live  # no statements, no payments yet

    # 3-4. The certificates, checked; the answer carries the bank's key hashes.
    uploaded = client.call(
        "POST",
        path + "/certificates",
        member=owner,
        json={"certificates": pems(certificate_set(3))},
    )
    assert uploaded.status_code == 200, uploaded.text
    assert uploaded.json()["connection"]["onboarding"]["state"] == "keys_accepted"
    keys = {k["version"]: k for k in uploaded.json()["bank_keys"]["bank_keys"]}
    # Independent computation: SHA-256 of "<e hex> <n hex>" from the bank's own key.
    for version, n in (("X002", BANK_KEYS[0]), ("E002", BANK_KEYS[1])):
        numbers = rsa_key(2048, n).public_key().public_numbers()
        expected = hashlib.sha256(f"{numbers.e:x} {numbers.n:x}".encode()).hexdigest()
        assert keys[version]["public_key_hash"] == expected
        assert keys[version]["public_key_hash_letter"].replace("\n", " ") == " ".join(
            expected[i : i + 2].upper() for i in range(0, 64, 2)
        )
    again = client.call(
        "POST",
        path + "/certificates",
        member=owner,
        json={"certificates": pems(certificate_set(3))},
    )
    assert again.status_code == 409  # once accepted, keys change by another process
    bank_pdf = client.call("GET", path + "/bank-keys-letter?format=pdf", member=owner)
    assert keys["X002"]["public_key_hash_letter"].splitlines()[0] in (
        PdfReader(io.BytesIO(bank_pdf.content)).pages[0].extract_text()
    )

    # 5. Live once the customer confirms the bank key hashes their client shows.
    wrong = client.call("POST", path + "/activate", member=owner,
                        json={"bank_key_hashes": [bank_key_hashes()[0], "00" * 32]})  # fmt: skip
    assert wrong.status_code == 409 and "E002" in wrong.json()["error"]["message"]
    live = client.call("POST", path + "/activate", member=owner,
                       json={"bank_key_hashes": bank_key_hashes()})  # fmt: skip
    assert live.status_code == 200 and live.json()["live"] is True
    assert live.json()["onboarding"]["state"] == "live"
    assert datetime.fromisoformat(live.json()["onboarding"]["live_at"]) <= datetime.now(UTC)
    shown = client.call("GET", path, member=employee).json()
    assert shown["live"] is True and "pem" not in str(shown["onboarding"]["certificates"])


NOW = datetime.now(UTC)


@pytest.mark.parametrize(
    ("case", "role", "code", "message"),
    [
        ("expired", KeyRole.ENCRYPTION, "expired", "the certificate expired on"),
        ("1024-bit", KeyRole.AUTHENTICATION, "key_too_short", "1024 bits; EBICS 3.0 requires"),
        ("wrong usage", KeyRole.ENCRYPTION, "key_usage", "needs the keyEncipherment key usage"),
        ("same key", KeyRole.ENCRYPTION, "key_reused", "already the authentication key"),
    ],
)
def test_each_certificate_refusal_is_answered_with_its_reason(
    client: ApiClient,
    companies: tuple[str, str],
    deps: EbicsDeps,
    case: str,
    role: KeyRole,
    code: str,
    message: str,
) -> None:
    org, _ = companies
    owner = member_id(org, Role.OWNER)
    base = f"/organizations/{org}/ebics/connections"
    body = {"ebics_version": "3.0", "formats": ["mt940"], "connection_id": "conn-r"}
    assert client.call("POST", base, member=owner, json=body).status_code == 201
    uploads = certificate_set(3)
    if case == "expired":
        uploads[role] = certificate(
            rsa_key(2048, 4), usage=USAGES[role], not_before=NOW - timedelta(days=400),
            not_after=NOW - timedelta(days=1),
        )  # fmt: skip
    elif case == "1024-bit":
        uploads[role] = certificate(rsa_key(1024, 0), usage=USAGES[role])
    elif case == "wrong usage":
        uploads[role] = certificate(rsa_key(2048, 5), usage={"digital_signature": True})
    else:  # the authentication key again, certified for encryption
        uploads[role] = certificate(rsa_key(2048, 3), usage=USAGES[role])
    refused = client.call(
        "POST", f"{base}/conn-r/certificates", member=owner, json={"certificates": pems(uploads)}
    )
    assert refused.status_code == 422, refused.text
    answer = refused.json()["error"]
    assert answer["code"] == "certificates_refused"
    [refusal] = answer["refusals"]
    assert refusal["code"] == code and message in refusal["message"]
    assert refusal["role"].startswith(role.value)
    stored = deps.ebics.get_connection(org, "conn-r")
    assert stored is not None and stored.onboarding is not None
    assert stored.onboarding.state.value == "letter_sent"  # upload again, nothing else changed
    assert stored.onboarding.last_refusal == answer["refusals"]
    # Fixed certificates are then accepted.
    fixed = client.call(
        "POST", f"{base}/conn-r/certificates", member=owner,
        json={"certificates": pems(certificate_set(3))},
    )  # fmt: skip
    assert fixed.status_code == 200, fixed.text
