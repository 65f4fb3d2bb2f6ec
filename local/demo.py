"""A demo company with accounts, members and transactions, for the local run and the tests."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from shared.domain.entities import (
    BankAccount,
    Member,
    OperationType,
    Organization,
    Plan,
    Role,
    Transaction,
)
from shared.domain.identifiers import Iban
from shared.domain.money import Money
from shared.store.firestore_store import FirestoreStore

PARIS = ZoneInfo("Europe/Paris")

DEMO_ORG_ID = "org-demo-atelier"
DEMO_PHONE = "+33612345678"
DEMO_ACCOUNT_ID = "acc-main"


def seed_demo_company(
    store: FirestoreStore, org_id: str = DEMO_ORG_ID, phone: str = DEMO_PHONE
) -> None:
    store.put_organization(
        Organization(
            id=org_id,
            legal_name="Atelier Lumière SAS",
            country="FR",
            plan=Plan.BUSINESS,
            vat="FR40303265045",
            siren="303265045",
        )
    )
    store.put_member(
        Member(
            user_id="user-camille",
            organization_id=org_id,
            role=Role.OWNER,
            phone=phone,
            can_transfer=True,
            name="Camille Martin",
        )
    )
    iban = Iban("FR76 3000 6000 0112 3456 7890 189").compact
    store.put_account(
        BankAccount(
            id=DEMO_ACCOUNT_ID,
            organization_id=org_id,
            iban=iban,
            currency="EUR",
            name="Main account",
        )
    )
    store.put_account(
        BankAccount(
            id="acc-savings",
            organization_id=org_id,
            iban=Iban("FR14 2004 1010 0505 0001 3M02 606").compact,
            currency="EUR",
            name="Reserve",
        )
    )
    for tx in demo_transactions(org_id):
        store.put_transaction(tx)


def demo_transactions(org_id: str = DEMO_ORG_ID) -> list[Transaction]:
    """Card and transfer activity around 20 Nov 2026, including the demo receipt's payment."""

    def at(day: int, hour: int = 12, minute: int = 0) -> datetime:
        return datetime(2026, 11, day, hour, minute, tzinfo=PARIS)

    def tx(
        tx_id: str,
        amount: str,
        counterparty: str,
        kind: OperationType,
        day: int,
        settle_days: int = 2,
        **extra,
    ) -> Transaction:
        emitted = at(day)
        return Transaction(
            id=tx_id,
            organization_id=org_id,
            account_id=DEMO_ACCOUNT_ID,
            amount=Money.parse(Decimal(amount), "EUR"),
            counterparty=counterparty,
            operation_type=kind,
            emitted_at=emitted,
            settled_at=emitted + timedelta(days=settle_days),
            **extra,
        )

    return [
        tx("tx-cafe-du-coin", "-42.50", "SumUp *Cafe du Coin", OperationType.CARD, 20),
        tx("tx-sncf", "-87.00", "SNCF INTERNET", OperationType.CARD, 18),
        tx("tx-amazon", "-42.90", "AMZN Mktp FR*2K3L4", OperationType.CARD, 19),
        tx("tx-uber", "-18.40", "PAYPAL *UBER", OperationType.CARD, 20),
        tx("tx-boulangerie", "-12.80", "BOULANGERIE DU MARCHE", OperationType.CARD, 21),
        tx(
            "tx-rent",
            "-1850.00",
            "SCI Les Tilleuls",
            OperationType.TRANSFER,
            5,
            reference="Loyer novembre 2026",
        ),
        tx(
            "tx-client", "4200.00", "Studio Nord", OperationType.INCOME, 12, reference="F-2026-0113"
        ),
    ]


def demo_feed_events(
    org_id: str = DEMO_ORG_ID, phone: str = DEMO_PHONE
) -> tuple[list[dict], list[dict]]:
    """The demo company as the core-banking system publishes it (docs/FEED.md): the
    `companies.events` and the `transactions.events` messages, in that order."""
    from local.feed import (
        account_event,
        member_event,
        organization_event,
        transaction_event,
    )

    version = datetime(2026, 11, 1, 8, 0, tzinfo=PARIS)
    companies = [
        organization_event(
            org_id, "Atelier Lumière SAS", version, vat="FR40303265045", siren="303265045"
        ),
        member_event(
            org_id,
            "user-camille",
            "owner",
            version,
            phone=phone,
            can_transfer=True,
            name="Camille Martin",
        ),
        account_event(org_id, DEMO_ACCOUNT_ID, "FR7630006000011234567890189", version),
        account_event(
            org_id, "acc-savings", "FR1420041010050500013M02606", version, name="Reserve"
        ),
    ]
    kinds = {
        OperationType.CARD: "card",
        OperationType.TRANSFER: "transfer",
        OperationType.INCOME: "income",
        OperationType.DIRECT_DEBIT: "direct_debit",
    }
    transactions = [
        transaction_event(
            org_id,
            tx.account_id,
            tx.id,
            str(abs(tx.amount.amount)),
            tx.counterparty,
            tx.emitted_at,
            tx.settled_at or tx.emitted_at,
            side="debit" if tx.amount.amount < 0 else "credit",
            operation_type=kinds[tx.operation_type],
            settled_at=tx.settled_at,
            reference=tx.reference,
        )
        for tx in demo_transactions(org_id)
    ]
    return companies, transactions
