"""Accounts aggregated from other banks over real HTTP: MT940, CFONB-120 and camt.053
uploads become transactions of the account, with no duplicate on re-upload, and capture
works for those accounts too (a waiting receipt is matched by the uploaded statement)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from local.feed import account_event
from local.samples import receipt_pdf
from shared import runtime
from shared.domain.entities import DocumentStatus, Role
from shared.formats import cfonb120, mt940
from shared.formats.statement import Statement, StatementAccount, StatementEntry
from tests.api_client import ApiClient
from tests.e2e.helpers import wait_until
from tests.integration.api.conftest import ORG_A, member_id
from tests.integration.test_feed import deliver

OWNER = member_id(ORG_A, Role.OWNER)
AGG_IBAN = "FR1420041010050500013M02606"
MAIN_IBAN = "FR7630006000011234567890189"
T0 = datetime(2026, 11, 1, tzinfo=UTC)
DAY = date(2026, 11, 20)


def accounts(stack: Any) -> None:
    for event in (
        account_event(ORG_A, "acc-main", MAIN_IBAN, T0),
        account_event(
            ORG_A, "acc-other-bank", AGG_IBAN, T0, name="La Banque Postale", aggregated=True
        ),
    ):
        assert deliver(stack, "companies_feed", event) == 200


def statement(iban: str = AGG_IBAN) -> Statement:
    entries = [
        StatementEntry(
            "e1", Decimal("-42.50"), "EUR", "CAFE DU COIN", "PAIEMENT CB 1911", "", DAY, DAY, "card"
        ),
        StatementEntry(
            "e2", Decimal("-42.50"), "EUR", "CAFE DU COIN", "PAIEMENT CB 1911", "", DAY, DAY, "card"
        ),
        StatementEntry(
            "e3", Decimal("1500.00"), "EUR", "CLIENT SA", "FACTURE 2026-118", "E2E-118", DAY, DAY
        ),
    ]
    return Statement(
        StatementAccount(iban, "PSSTFRPPXXX", "EUR", "ATELIER A"), DAY, Decimal("100.00"), entries
    )


def camt(amount: str = "42.50", closing: str = "57.50") -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt>
<GrpHdr><MsgId>M1</MsgId><CreDtTm>2026-11-21T06:00:00</CreDtTm></GrpHdr>
<Stmt><Id>S1</Id><Acct><Id><IBAN>{AGG_IBAN}</IBAN></Id><Ccy>EUR</Ccy></Acct>
<Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">100.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-11-19</Dt></Dt></Bal>
<Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">{closing}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-11-20</Dt></Dt></Bal>
<Ntry><Amt Ccy="EUR">{amount}</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>
<BookgDt><Dt>2026-11-20</Dt></BookgDt><ValDt><Dt>2026-11-20</Dt></ValDt><AcctSvcrRef>LBP-1</AcctSvcrRef>
<NtryDtls><TxDtls><RltdPties><Cdtr><Pty><Nm>SumUp *Cafe du Coin</Nm></Pty></Cdtr></RltdPties>
<RmtInf><Ustrd>PAIEMENT CB</Ustrd></RmtInf></TxDtls></NtryDtls><AddtlNtryInf>CARTE 4242</AddtlNtryInf></Ntry>
<Ntry><Amt Ccy="EUR">9.99</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts><Cd>PDNG</Cd></Sts>
<BookgDt><Dt>2026-11-20</Dt></BookgDt></Ntry>
</Stmt></BkToCstmrStmt></Document>""".encode()


def upload(
    client: ApiClient, data: bytes, account: str = "acc-other-bank", member: str = OWNER
) -> Any:
    return client.call(
        "POST",
        f"/organizations/{ORG_A}/accounts/{account}/statements",
        member=member,
        files={"file": ("statement", data, "application/octet-stream")},
    )


def transactions(account: str = "acc-other-bank") -> list[Any]:
    return [t for t in runtime.store().list_transactions(ORG_A) if t.account_id == account]


def test_mt940_and_cfonb_statements_become_transactions_without_duplicates(
    client: ApiClient, companies: Any, stack: Any
) -> None:
    accounts(stack)
    first = upload(client, mt940.write(statement()).encode())
    assert first.status_code == 200, first.text
    assert first.json() | {"matched_documents": 0} == {
        "format": "mt940",
        "statements": 1,
        "entries": 3,
        "created": 3,
        "unchanged": 0,
        "matched_documents": 0,
    }
    again = upload(client, mt940.write(statement()).encode()).json()
    assert again["created"] == 0 and again["unchanged"] == 3
    # The same day from the CFONB-120 export of the same bank: the same three entries
    # (texts as CFONB carries them), two identical coffees kept apart.
    cfonb = upload(client, cfonb120.write(statement()).encode("ascii"))
    assert cfonb.status_code == 200 and cfonb.json()["format"] == "cfonb120"
    booked = transactions()
    amounts = sorted(str(t.amount.amount) for t in booked)
    assert amounts.count("-42.50") >= 2 and "1500.00" in amounts
    assert len(booked) == 3 + cfonb.json()["created"]
    assert upload(client, cfonb120.write(statement()).encode("ascii")).json()["created"] == 0


def test_camt053_statement_matches_a_waiting_receipt(
    client: ApiClient, companies: Any, stack: Any
) -> None:
    accounts(stack)
    document = client.call(
        "POST",
        f"/organizations/{ORG_A}/documents",
        member=OWNER,
        files={"file": ("r.pdf", receipt_pdf(), "application/pdf")},
    ).json()
    wait_until(
        lambda: (
            runtime.store().get_document(ORG_A, document["id"]).status == DocumentStatus.UNMATCHED
        ),
        what="the receipt waiting",
    )
    answer = upload(client, camt())
    assert answer.status_code == 200, answer.text
    assert answer.json()["format"] == "camt.053" and answer.json()["created"] == 1  # PDNG skipped
    assert answer.json()["matched_documents"] == 1
    matched = runtime.store().get_document(ORG_A, document["id"])
    assert matched.status == DocumentStatus.MATCHED
    assert (
        runtime.store().get_transaction(ORG_A, matched.transaction_id).account_id
        == "acc-other-bank"
    )
    assert upload(client, camt()).json()["created"] == 0


def test_statements_are_refused_whole_when_they_do_not_fit(
    client: ApiClient, companies: Any, stack: Any
) -> None:
    accounts(stack)
    cases = {
        "held with us": (upload(client, camt(), account="acc-main"), 422),
        "another account": (upload(client, mt940.write(statement(MAIN_IBAN)).encode()), 422),
        "unbalanced": (upload(client, camt(closing="60.00")), 422),
        "garbage": (upload(client, b"hello, this is not a statement"), 422),
        "xxe": (
            upload(
                client,
                b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><Document>&x;</Document>',
            ),
            422,
        ),
        "unknown account": (upload(client, camt(), account="acc-nope"), 404),
        "employee": (upload(client, camt(), member=member_id(ORG_A, Role.EMPLOYEE)), 403),
    }
    for name, (answer, status) in cases.items():
        assert answer.status_code == status, (name, answer.text)
    assert transactions() == []
