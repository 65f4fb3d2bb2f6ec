"""EBICS file drop (issue 7): the functions against the Firestore and Storage emulators.

Statements are read back with independent parsers (PyPI `mt-940` and `python-cfonb`); the
pain.001 files we write are checked against the ISO XSDs of the corpus. The storage
emulator emits no finalize events, so the tests deliver the Eventarc CloudEvent themselves,
over HTTP, to the functions served by functions-framework (as in production), or call the
function with a `cloudevents` CloudEvent. Nothing is mocked.
"""

from __future__ import annotations

import base64
import io
import json
import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import functions_framework
import mt940 as mt940_lib  # PyPI "mt-940": an independent reader
import pytest
from cfonb.parser.statement import StatementReader  # PyPI "python-cfonb": independent reader
from cloudevents.http import CloudEvent
from lxml import etree

from functions import ebics as ebics_functions
from functions.api.auth import ACTING_MEMBER_HEADER, BILLING_ACCOUNT_ENV
from local.demo import DEMO_ACCOUNT_ID, DEMO_ORG_ID, seed_demo_company
from shared.domain.entities import (
    BankAccount,
    Member,
    OperationType,
    Organization,
    Plan,
    Role,
    Transaction,
)
from shared.domain.money import Money
from shared.formats import pain001
from shared.formats.pain002 import NAMESPACE as PAIN002_NS
from shared.formats.pain002 import validate_status_report
from shared.store.ebics import ConnectionStatus, RequestStatus
from shared.usecases import ebics as usecase
from shared.usecases.ebics import EbicsDeps
from tests.ebics_keys import bank_key_hashes, certificate_set, set_bank_host
from tests.fakes.id_tokens import BACKEND_ACCOUNT, BILLING_ACCOUNT, bearer

PARIS = ZoneInfo("Europe/Paris")
DROP_BUCKET = "demo-local-ebics-drop"
MAIN_IBAN = "FR7630006000011234567890189"
SAVINGS_IBAN = "FR1420041010050500013M02606"
FRIDAY = date(2026, 11, 20)
MONDAY = date(2026, 11, 23)
XSD_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "xsd"


# ----------------------------------------------------------------------------- fixtures


@pytest.fixture
def deps(stack: Any, monkeypatch: pytest.MonkeyPatch, set_env: Any) -> Iterator[EbicsDeps]:
    set_env("EBICS_DROP_BUCKET", DROP_BUCKET)
    set_env(BILLING_ACCOUNT_ENV, BILLING_ACCOUNT)
    set_bank_host(set_env)
    ebics_functions.ebics_deps.cache_clear()
    built = ebics_functions.ebics_deps()
    built.drop.ensure_bucket()  # the stack's reset wipes every bucket
    yield built
    ebics_functions.ebics_deps.cache_clear()


@pytest.fixture
def company(deps: EbicsDeps) -> str:
    """The demo company (FR, Business plan, two accounts, November 2026 activity), plus a
    savings-account transfer whose texts need transliteration and carry an end-to-end id."""
    seed_demo_company(deps.store)
    settled = datetime(2026, 11, 20, 9, 30, tzinfo=PARIS)
    deps.store.put_transaction(
        Transaction(
            id="tx-savings-in",
            organization_id=DEMO_ORG_ID,
            account_id="acc-savings",
            amount=Money.parse("1500.25", "EUR"),
            counterparty="Société Générale – Équipements «Nord»",
            operation_type=OperationType.TRANSFER,
            emitted_at=settled - timedelta(days=1),
            settled_at=settled,
            reference="Remboursement dépôt n°42 ½",
        )
    )
    # The bank core records the SEPA end-to-end id on the transaction document.
    deps.store.db.document(f"organizations/{DEMO_ORG_ID}/transactions/tx-savings-in").update(
        {"end_to_end_id": "E2E-DEPOT-42"}
    )
    for user_id, role, can_transfer in (
        ("user-admin", Role.ADMIN, False),
        ("user-accountant", Role.ACCOUNTANT, False),
        ("user-manager", Role.MANAGER, False),
        ("user-manager-pay", Role.MANAGER, True),
        ("user-employee", Role.EMPLOYEE, True),
    ):
        deps.store.put_member(Member(user_id, DEMO_ORG_ID, role, can_transfer=can_transfer))
    return DEMO_ORG_ID


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The three functions as functions-framework serves them (main.py does not export them
    yet: a one-line entry module stands in for it)."""
    source = tmp_path_factory.mktemp("entry") / "ebics_entry.py"
    source.write_text(
        "from functions.api import integrations_api\n"
        "from functions.ebics import ebics_inbox, ebics_statements\n"
        "from functions.dead_letters import dead_letter_handler\n"
    )
    return {
        target: functions_framework.create_app(target=target, source=str(source)).test_client()
        for target in ("integrations_api", "ebics_inbox", "ebics_statements", "dead_letter_handler")
    }


def api(
    app: Any,
    method: str,
    path: str,
    member: str | None = None,
    body: Any = None,
    caller: str = BACKEND_ACCOUNT,
) -> Any:
    headers = {**bearer(caller), **({ACTING_MEMBER_HEADER: member} if member else {})}
    return app["integrations_api"].open(path, method=method, json=body, headers=headers)


def connect(
    app: Any, org: str, member: str = "user-camille", live: bool = True, **body: Any
) -> Any:
    """Request a connection and, unless `live` is False, take it through onboarding
    (certificates, then the bank key hashes confirmed); returns the request's answer."""
    payload = {"ebics_version": "2.4", "formats": ["mt940", "cfonb120"], **body}
    requested = api(app, "POST", f"/organizations/{org}/ebics/connections", member, payload)
    if requested.status_code == 201 and live:
        path = f"/organizations/{org}/ebics/connections/{requested.get_json()['id']}"
        pems = {role.value: pem.decode() for role, pem in certificate_set(3).items()}
        uploaded = api(app, "POST", path + "/certificates", member, {"certificates": pems})
        assert uploaded.status_code == 200, uploaded.data
        hashes = {"bank_key_hashes": bank_key_hashes()}
        activated = api(app, "POST", path + "/activate", member, hashes)
        assert activated.status_code == 200 and activated.get_json()["live"], activated.data
    return requested


def deliver_finalize(app: Any, bucket: str, name: str, generation: int = 1) -> Any:
    """POST the Eventarc Storage finalize CloudEvent (binary mode), as Eventarc does."""
    headers = {
        "ce-id": f"{name}-{generation}",
        "ce-specversion": "1.0",
        "ce-source": f"//storage.googleapis.com/projects/_/buckets/{bucket}",
        "ce-type": "google.cloud.storage.object.v1.finalized",
        "ce-subject": f"objects/{name}",
        "ce-time": "2026-11-24T08:00:00Z",
    }
    data = {"bucket": bucket, "name": name, "generation": str(generation), "size": "1"}
    response = app["ebics_inbox"].post("/", json=data, headers=headers)
    assert response.status_code == 200, response.data
    return response


def drop_file(deps: EbicsDeps, app: Any, prefix: str, name: str, data: bytes) -> str:
    """The EBICS server writes a payment file into the inbox; Eventarc calls the function."""
    object_name = f"{prefix}inbox/{name}"
    deps.drop.write(object_name, data, "application/xml")
    deliver_finalize(app, DROP_BUCKET, object_name)
    return object_name


def report_of(deps: EbicsDeps, prefix: str, inbound: str) -> etree._Element:
    names = [n for n in deps.drop.list(prefix + "outbox/reports/") if inbound in n]
    assert len(names) == 1, names
    data = deps.drop.read(names[0])
    assert data is not None
    validate_status_report(data)
    return etree.fromstring(data)


def group_status(report: etree._Element) -> str:
    return report.findtext(f".//{{{PAIN002_NS}}}GrpSts")


def report_reasons(report: etree._Element) -> str:
    return " ".join(t.text or "" for t in report.iter(f"{{{PAIN002_NS}}}AddtlInf"))


def read_mt940(text: str) -> Any:
    transactions = mt940_lib.models.Transactions()
    transactions.parse(text)
    return transactions


def read_cfonb(text: str) -> list[Any]:
    return StatementReader().parse(io.StringIO(text))


def pain001_03(
    msg_id: str,
    payments: list[tuple[str, str, str]],
    debtor_iban: str = MAIN_IBAN,
    control_sum: str | None = None,
    currency: str = "EUR",
) -> bytes:
    """A pain.001.001.03 with one PmtInf; payments are (amount, creditor name, IBAN)."""
    total = sum((Decimal(a) for a, _, _ in payments), Decimal(0))
    txs = "".join(
        f"<CdtTrfTxInf><PmtId><EndToEndId>{msg_id}-{i}</EndToEndId></PmtId>"
        f'<Amt><InstdAmt Ccy="{currency}">{amount}</InstdAmt></Amt>'
        f"<Cdtr><Nm>{name}</Nm></Cdtr><CdtrAcct><Id><IBAN>{iban}</IBAN></Id></CdtrAcct>"
        f"<RmtInf><Ustrd>Invoice {i}</Ustrd></RmtInf></CdtTrfTxInf>"
        for i, (amount, name, iban) in enumerate(payments)
    )
    ctrl = control_sum or f"{total:.2f}"
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03">'
        f"<CstmrCdtTrfInitn><GrpHdr><MsgId>{msg_id}</MsgId>"
        "<CreDtTm>2026-11-24T08:00:00</CreDtTm>"
        f"<NbOfTxs>{len(payments)}</NbOfTxs><CtrlSum>{ctrl}</CtrlSum>"
        "<InitgPty><Nm>Atelier Lumiere ERP</Nm></InitgPty></GrpHdr>"
        f"<PmtInf><PmtInfId>{msg_id}-B1</PmtInfId><PmtMtd>TRF</PmtMtd>"
        f"<NbOfTxs>{len(payments)}</NbOfTxs><CtrlSum>{ctrl}</CtrlSum>"
        "<PmtTpInf><SvcLvl><Cd>SEPA</Cd></SvcLvl></PmtTpInf>"
        "<ReqdExctnDt>2026-11-25</ReqdExctnDt><Dbtr><Nm>Atelier Lumiere SAS</Nm></Dbtr>"
        f"<DbtrAcct><Id><IBAN>{debtor_iban}</IBAN></Id></DbtrAcct>"
        "<DbtrAgt><FinInstnId><BIC>AGRIFRPP</BIC></FinInstnId></DbtrAgt>"
        f"<ChrgBr>SLEV</ChrgBr>{txs}</PmtInf></CstmrCdtTrfInitn></Document>"
    ).encode()


def assert_valid_against_iso_xsd(data: bytes, version: str) -> None:
    """The corpus's ISO schema, independently of the copy the parser uses."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    schema = etree.XMLSchema(etree.parse(str(XSD_DIR / f"{version}.xsd"), parser))
    schema.assertValid(etree.fromstring(data, parser))


PAYMENTS = [
    ("250.00", "Fournisseur Dupont", "DE89370400440532013000"),
    ("49.90", "Imprimerie Martin", SAVINGS_IBAN),
]


# ----------------------------------------------------------------------------- statements


def test_statements_for_every_iban_in_both_formats_read_back_by_independent_parsers(
    deps: EbicsDeps, company: str, app: Any
) -> None:
    assert connect(app, company).status_code == 201
    run = usecase.write_daily_statements(deps, FRIDAY)
    assert run.failures == []
    prefix = f"{company}/"
    names = deps.drop.list(prefix)
    assert len(names) == 4 and len(run.written) == 4  # 2 IBANs x 2 formats
    by_suffix = {
        (iban, fmt): n
        for n in names
        for iban in (MAIN_IBAN, SAVINGS_IBAN)
        for fmt in ("mt940", "cfonb120")
        if iban in n and fmt in n
    }
    assert by_suffix[(MAIN_IBAN, "mt940")].endswith(
        f"outbox/statements/{MAIN_IBAN}/2026-11-20/{MAIN_IBAN}_20261120.camt.fin.mt940.stm"
    )
    assert by_suffix[(SAVINGS_IBAN, "cfonb120")].endswith("_20261120.camt.xxx.cfonb120.stm")

    # Main account: rent and the client's payment settled before Friday; SNCF on Friday.
    main = read_mt940(deps.drop.read(by_suffix[(MAIN_IBAN, "mt940")]).decode("ascii"))
    assert main.data["account_identification"] == MAIN_IBAN
    assert main.data["final_opening_balance"].amount.amount == Decimal("2350.00")
    assert main.data["final_closing_balance"].amount.amount == Decimal("2263.00")
    assert [t.data["amount"].amount for t in main] == [Decimal("-87.00")]
    assert [t.data["entry_date"] for t in main] == [FRIDAY]

    # Savings: the transfer's accents are transliterated, not dropped; e2e id carried.
    savings_text = deps.drop.read(by_suffix[(SAVINGS_IBAN, "mt940")]).decode("ascii")
    savings = read_mt940(savings_text)
    assert savings.data["final_opening_balance"].amount.amount == Decimal("0.00")
    assert savings.data["final_closing_balance"].amount.amount == Decimal("1500.25")
    [entry] = savings.transactions
    assert entry.data["customer_reference"] == "E2E-DEPOT-42"
    details = entry.data["transaction_details"].replace("\n", "")
    assert "Societe Generale - Equipements" in details
    assert "/REMI/Remboursement depot no42 1/2" in details
    # 65 characters of field content per line (SWIFT does not count the :nn: tag).
    assert all(len(re.sub(r"^:\d\d[A-Z]?:", "", line)) <= 65 for line in savings_text.split("\r\n"))

    [cfonb] = read_cfonb(deps.drop.read(by_suffix[(SAVINGS_IBAN, "cfonb120")]).decode("ascii"))
    assert cfonb.header["prev_amount"] == Decimal("0.00")
    assert cfonb.footer["next_amount"] == Decimal("1500.25")
    [line] = cfonb.lines
    assert line["amount"] == Decimal("1500.25")
    assert line["end2end_identification"] == "E2E-DEPOT-42"
    assert line["debtor_name"] == 'Societe Generale - Equipements "Nord"'  # payer of a credit
    [main_cfonb] = read_cfonb(deps.drop.read(by_suffix[(MAIN_IBAN, "cfonb120")]).decode("ascii"))
    assert main_cfonb.header["prev_amount"] == Decimal("2350.00")
    assert main_cfonb.footer["next_amount"] == Decimal("2263.00")
    for name in names:
        records = deps.drop.read(name).decode("ascii").split("\r\n")[:-1]
        if name.endswith("cfonb120.stm"):
            assert all(len(r) == 120 for r in records)


def test_a_90_character_card_merchant_is_cut_with_a_warning_and_the_day_is_written(
    deps: EbicsDeps, company: str, app: Any, caplog: pytest.LogCaptureFixture
) -> None:
    merchant = "PAYPAL *MARKETPLACE SELLER " + "X" * 60 + "END"  # 90 characters
    settled = datetime(2026, 11, 20, 11, 0, tzinfo=PARIS)
    deps.store.put_transaction(
        Transaction(
            id="tx-long-merchant",
            organization_id=company,
            account_id="acc-savings",
            amount=Money.parse("-9.99", "EUR"),
            counterparty=merchant,
            operation_type=OperationType.CARD,
            emitted_at=settled,
            settled_at=settled,
        )
    )
    assert connect(app, company).status_code == 201
    run = usecase.write_daily_statements(deps, FRIDAY)
    assert run.failures == [] and len(run.written) == 4
    [cut] = [r for r in caplog.records if r.getMessage() == "ebics statement text cut"]
    assert cut.fields["detail"] == (  # type: ignore[attr-defined]
        "entry 'tx-long-merchant': counterparty has 90 characters, cut to the SEPA limit of 70"
    )
    kept = merchant[:70]
    [mt] = [n for n in run.written if SAVINGS_IBAN in n and n.endswith("mt940.stm")]
    [long_entry] = [
        t for t in read_mt940(deps.drop.read(mt).decode("ascii")) if t.data["amount"].amount < 0
    ]
    assert "/NAME/" + kept.replace("*", ".") in long_entry.data["transaction_details"].replace(
        "\n", ""
    )
    [cf] = [n for n in run.written if SAVINGS_IBAN in n and n.endswith("cfonb120.stm")]
    [statement] = read_cfonb(deps.drop.read(cf).decode("ascii"))
    assert [line.get("creditor_name") for line in statement.lines if line["amount"] < 0] == [kept]


def test_statements_and_payment_files_wait_for_the_connection_to_be_live(
    deps: EbicsDeps, company: str, app: Any
) -> None:
    requested = connect(app, company, connection_id="erp-new", live=False)
    assert requested.status_code == 201
    assert requested.get_json()["onboarding"]["state"] == "letter_sent"
    prefix = requested.get_json()["bucket_prefix"]
    run = usecase.write_daily_statements(deps, FRIDAY)
    assert run.written == [] and run.statements == 0
    drop_file(deps, app, prefix, "early.xml", pain001_03("EARLY-1", PAYMENTS))
    report = report_of(deps, prefix, "early.xml")
    assert group_status(report) == "RJCT"
    assert "is not live yet (onboarding: letter-sent)" in report_reasons(report)  # SEPA set
    assert deps.ebics.list_payment_requests(company) == []


def test_balances_chain_across_days_and_weekend_settlements_book_on_monday(
    deps: EbicsDeps, company: str, app: Any
) -> None:
    assert connect(app, company, ebics_version="3.0", formats=["mt940"]).status_code == 201
    usecase.write_daily_statements(deps, FRIDAY)
    monday_run = usecase.write_daily_statements(deps, MONDAY)
    name = next(n for n in monday_run.written if MAIN_IBAN in n)
    assert name.endswith(f"{MAIN_IBAN}_20261123.EOP.mt940")
    friday = read_mt940(
        deps.drop.read(
            name.replace("2026-11-23", "2026-11-20").replace("20261123", "20261120")
        ).decode()
    )
    monday = read_mt940(deps.drop.read(name).decode())
    assert (
        monday.data["final_opening_balance"].amount.amount
        == friday.data["final_closing_balance"].amount.amount
        == Decimal("2263.00")
    )
    # Settled Saturday 21 and Sunday 22 (and Monday 23): all booked on Monday, value dates
    # kept; the balances add up.
    assert [t.data["amount"].amount for t in monday] == [
        Decimal("-42.90"),
        Decimal("-42.50"),
        Decimal("-18.40"),
        Decimal("-12.80"),
    ]
    assert {t.data["entry_date"] for t in monday} == {MONDAY}
    assert [t.data["date"] for t in monday][:2] == [date(2026, 11, 21), date(2026, 11, 22)]
    assert monday.data["final_closing_balance"].amount.amount == Decimal("2146.40")
    assert monday.data["statement_number"] == "00002"
    assert friday.data["statement_number"] == "00001"


def _card_settlement(
    deps: EbicsDeps, company: str, tx_id: str, amount: str, counterparty: str, settled: datetime
) -> None:
    """A card payment of the main account, charged the day before it settled."""
    deps.store.put_transaction(
        Transaction(
            id=tx_id,
            organization_id=company,
            account_id=DEMO_ACCOUNT_ID,
            amount=Money.parse(amount, "EUR"),
            counterparty=counterparty,
            operation_type=OperationType.CARD,
            emitted_at=settled - timedelta(days=1),
            settled_at=settled,
        )
    )


def test_rerun_writes_the_same_bytes_with_the_recorded_opening_balance(
    deps: EbicsDeps, company: str, app: Any
) -> None:
    connect(app, company)
    first = usecase.write_daily_statements(deps, MONDAY)
    before = {name: deps.drop.read(name) for name in first.written}
    # A late settlement on Friday and a lost object: the rerun must not change a file that
    # already left, nor its opening balance.
    _card_settlement(
        deps, company, "tx-late", "-10.00", "Late", datetime(2026, 11, 20, 12, tzinfo=PARIS)
    )
    lost = next(iter(before))
    deps.drop.bucket.blob(lost).delete()
    again = usecase.write_daily_statements(deps, MONDAY)
    assert again.written == [lost]
    assert sorted(again.unchanged) == sorted(n for n in before if n != lost)
    assert {name: deps.drop.read(name) for name in before} == before


def test_a_settlement_recorded_after_its_day_statement_is_booked_on_the_next_one(
    deps: EbicsDeps, company: str, app: Any
) -> None:
    connect(app, company)
    usecase.write_daily_statements(deps, FRIDAY)
    monday_run = usecase.write_daily_statements(deps, MONDAY)
    monday_files = {name: deps.drop.read(name) for name in monday_run.written}
    # The card processor reports a Monday settlement after Monday's statement left.
    _card_settlement(
        deps,
        company,
        "tx-late",
        "-10.00",
        "Late settlement",
        datetime(2026, 11, 23, 12, tzinfo=PARIS),
    )
    again = usecase.write_daily_statements(deps, MONDAY)
    assert again.written == [] and {n: deps.drop.read(n) for n in monday_files} == monday_files

    tuesday, wednesday = date(2026, 11, 24), date(2026, 11, 25)
    tuesday_run = usecase.write_daily_statements(deps, tuesday)
    assert tuesday_run.failures == []
    monday = read_mt940(next(t for n, t in monday_files.items() if _main_mt940(n)).decode())
    name = next(n for n in tuesday_run.written if _main_mt940(n))
    text = deps.drop.read(name).decode("ascii")
    statement = read_mt940(text)
    # Back-valued: booked on Tuesday, value date Monday; the balances add up.
    late = [t for t in statement if t.data["amount"].amount == Decimal("-10.00")]
    assert [(t.data["entry_date"], t.data["date"]) for t in late] == [(tuesday, MONDAY)]
    opening = statement.data["final_opening_balance"].amount.amount
    assert opening == monday.data["final_closing_balance"].amount.amount
    assert statement.data["final_closing_balance"].amount.amount == opening + sum(
        t.data["amount"].amount for t in statement
    )
    cfonb_name = next(n for n in tuesday_run.written if MAIN_IBAN in n and "cfonb120" in n)
    [cfonb] = read_cfonb(deps.drop.read(cfonb_name).decode("ascii"))
    assert Decimal("-10.00") in [line["amount"] for line in cfonb.lines]
    assert cfonb.footer["next_amount"] == statement.data["final_closing_balance"].amount.amount
    # Booked once: not again on Wednesday, and a rerun of Tuesday writes the same bytes.
    wednesday_run = usecase.write_daily_statements(deps, wednesday)
    name = next(n for n in wednesday_run.written if _main_mt940(n))
    later = read_mt940(deps.drop.read(name).decode("ascii"))
    assert Decimal("-10.00") not in [t.data["amount"].amount for t in later]
    assert later.data["final_opening_balance"].amount.amount == (
        statement.data["final_closing_balance"].amount.amount
    )
    deps.drop.bucket.blob(cfonb_name).delete()
    assert usecase.write_daily_statements(deps, tuesday).written == [cfonb_name]
    assert read_cfonb(deps.drop.read(cfonb_name).decode("ascii"))[0].lines == cfonb.lines


def _main_mt940(name: str) -> bool:
    return MAIN_IBAN in name and name.endswith("mt940.stm")


def test_scheduler_message_through_pubsub_writes_the_requested_day(
    deps: EbicsDeps, company: str, app: Any
) -> None:
    connect(app, company, formats=["cfonb120"])
    message = {
        "message": {
            "data": base64.b64encode(json.dumps({"date": "2026-11-20"}).encode()).decode(),
            "messageId": "sched-1",
            "attributes": {},
        }
    }
    headers = {
        "ce-id": "sched-1",
        "ce-specversion": "1.0",
        "ce-source": "//pubsub.googleapis.com/projects/demo-local/topics/ebics.statements",
        "ce-type": "google.cloud.pubsub.topic.v1.messagePublished",
    }
    response = app["ebics_statements"].post("/", json=message, headers=headers)
    assert response.status_code == 200
    names = [n for n in deps.drop.list(f"{company}/") if "/outbox/statements/" in n]
    assert len(names) == 2 and all("2026-11-20" in n for n in names)


def test_weekend_day_is_refused_and_default_day_is_previous_business_day(
    deps: EbicsDeps, company: str
) -> None:
    with pytest.raises(usecase.InvalidRequest, match="not a business day"):
        usecase.write_daily_statements(deps, date(2026, 11, 21))
    assert usecase.previous_business_day(MONDAY) == FRIDAY
    assert usecase.previous_business_day(date(2026, 11, 22)) == FRIDAY
    assert usecase.booking_date(datetime(2026, 11, 21, 23, 30, tzinfo=PARIS)) == MONDAY
    # 23:30 UTC on Friday is already Saturday in Paris.
    assert usecase.booking_date(datetime(2026, 11, 20, 23, 30, tzinfo=ZoneInfo("UTC"))) == MONDAY


def test_a_bank_holiday_has_no_statement_and_its_settlements_book_on_the_next_day(
    deps: EbicsDeps, company: str, app: Any
) -> None:
    connect(app, company, formats=["mt940"])
    armistice, thursday = date(2026, 11, 11), date(2026, 11, 12)
    with pytest.raises(usecase.InvalidRequest, match="not a business day"):
        usecase.write_daily_statements(deps, armistice)
    _card_settlement(
        deps, company, "tx-holiday", "-7.30", "Boulangerie", datetime(2026, 11, 11, 9, tzinfo=PARIS)
    )
    usecase.write_daily_statements(deps, date(2026, 11, 10))
    run = usecase.write_daily_statements(deps, thursday)
    statement = read_mt940(deps.drop.read(next(n for n in run.written if _main_mt940(n))).decode())
    # Booked on Thursday, value date the holiday; chained to Tuesday's statement.
    assert [(t.data["entry_date"], t.data["date"]) for t in statement] == [(thursday, armistice)]
    assert statement.data["statement_number"] == "00002"


# ----------------------------------------------------------------------------- payments


def _add_accounts_for(deps: EbicsDeps, org: str, data: bytes) -> None:
    """The company owns the debtor accounts of a third-party file (else it is refused)."""
    parsed = pain001.parse(data)
    known = {a.iban for a in deps.store.list_accounts(org)}
    for i, batch in enumerate(parsed.batches):
        if batch.debtor_iban not in known:
            deps.store.put_account(
                BankAccount(
                    f"acc-corpus-{i}-{batch.debtor_iban[-4:]}", org, batch.debtor_iban, "EUR"
                )
            )
            known.add(batch.debtor_iban)


def test_corpus_pain001_files_become_pending_requests_or_are_refused_with_a_report(
    deps: EbicsDeps, company: str, app: Any, corpus: Path
) -> None:
    prefix = connect(app, company).get_json()["bucket_prefix"]
    files = sorted((corpus / "bank" / "pain001").rglob("*.xml"))
    assert len(files) >= 10
    accepted = 0
    for path in files:
        data = path.read_bytes()
        parsed = pain001.parse(data)
        _add_accounts_for(deps, company, data)
        name = f"{path.parent.name}-{path.name}"
        drop_file(deps, app, prefix, name, data)
        report = report_of(deps, prefix, name)
        record = [f for f in deps.ebics.list_inbound_files(company) if f.object_name.endswith(name)]
        assert len(record) == 1 and record[0].state == "done"
        if not parsed.accepted:
            assert group_status(report) == "RJCT", path
            assert record[0].outcome == "refused" and record[0].request_ids == ()
            continue
        accepted += 1
        assert_valid_against_iso_xsd(data, parsed.version)
        assert group_status(report) == "ACCP", (path, report_reasons(report))
        requests = [
            deps.ebics.get_payment_request(company, rid, with_payments=True)
            for rid in record[0].request_ids
        ]
        assert len(requests) == len(parsed.batches)
        for request, batch in zip(requests, parsed.batches, strict=True):
            assert request.status is RequestStatus.PENDING_APPROVAL
            assert request.kind == ("single" if len(batch.payments) == 1 else "batch")
            assert request.total_minor == int(batch.control_sum * 100)
            assert [p.end_to_end_id for p in request.payments] == [
                p.end_to_end_id for p in batch.payments
            ]
            assert [p.amount_minor for p in request.payments] == [
                int(p.amount * 100) for p in batch.payments
            ]
    assert accepted == 4  # the generated-here files; the others are stubs or bad IBANs


def test_direct_debit_files_are_refused_with_a_pain002_rjct(
    deps: EbicsDeps, company: str, app: Any, corpus: Path
) -> None:
    prefix = connect(app, company).get_json()["bucket_prefix"]
    files = sorted((corpus / "bank" / "pain008-refuse").rglob("*.xml"))
    assert files
    for path in files:
        drop_file(deps, app, prefix, path.name, path.read_bytes())
        report = report_of(deps, prefix, path.name)
        assert group_status(report) == "RJCT"
        assert "direct debit" in report_reasons(report)
        assert report.findtext(f".//{{{PAIN002_NS}}}Cd") == pain001.REASON_NOT_SUPPORTED
    assert deps.ebics.list_payment_requests(company) == []


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"><CstmrCdtTrfInitn>
<GrpHdr><MsgId>&lol3;</MsgId></GrpHdr></CstmrCdtTrfInitn></Document>"""

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"><CstmrCdtTrfInitn>
<GrpHdr><MsgId>&xxe;</MsgId></GrpHdr></CstmrCdtTrfInitn></Document>"""


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("laughs.xml", BILLION_LAUGHS, "DOCTYPE"),
        ("xxe.xml", XXE, "DOCTYPE"),
        ("ctrlsum.xml", pain001_03("CTRL-1", PAYMENTS, control_sum="300.00"), "CtrlSum is 300"),
        ("usd.xml", pain001_03("USD-1", PAYMENTS, currency="USD"), "currency USD is not EUR"),
        (
            "foreign-debtor.xml",
            pain001_03("FOREIGN-1", PAYMENTS, debtor_iban="DE89370400440532013000"),
            "not accounts of this company",
        ),
        # Issue 16: these crashed the parser (HTTP 500, no pain.002, record stuck "received").
        (
            "ctrlsum-snan.xml",
            pain001_03("SNAN-1", PAYMENTS, control_sum="sNaN"),
            "CtrlSum 'sNaN' is not a decimal number",
        ),
        (
            "nboftxs-superscript.xml",
            pain001_03("SUP-1", PAYMENTS).replace(b"<NbOfTxs>2<", "<NbOfTxs>²<".encode(), 1),
            "NbOfTxs '2' (U+00B2) is not a count",  # the report is in the SEPA set
        ),
        (
            "nboftxs-5000-digits.xml",
            pain001_03("DIG-1", PAYMENTS).replace(
                b"<NbOfTxs>2<", b"<NbOfTxs>" + b"9" * 5000 + b"<", 1
            ),
            "(5000 characters) is not a count",
        ),
        (
            "amount-30-digits.xml",
            pain001_03("BIG-1", PAYMENTS).replace(b">250.00<", b">" + b"9" * 27 + b".999<"),
            "is not a decimal number",
        ),
        (
            "year-1.xml",
            pain001_03("Y1-1", PAYMENTS).replace(b"2026-11-25", b"0001-11-25"),
            "execution date 0001-11-25 is outside 2000..2099",
        ),
        (
            "year-9999.xml",
            pain001_03("Y9-1", PAYMENTS).replace(b"2026-11-25", b"9999-11-25"),
            "execution date 9999-11-25 is outside 2000..2099",
        ),
    ],
)
def test_malicious_or_invalid_files_are_refused(
    deps: EbicsDeps, company: str, app: Any, name: str, data: bytes, expected: str
) -> None:
    prefix = connect(app, company).get_json()["bucket_prefix"]
    drop_file(deps, app, prefix, name, data)
    report = report_of(deps, prefix, name)
    assert group_status(report) == "RJCT"
    assert expected in report_reasons(report)
    assert "root:" not in etree.tostring(report).decode()  # nothing of /etc/passwd leaked
    assert deps.ebics.list_payment_requests(company) == []
    [record] = deps.ebics.list_inbound_files(company)
    assert record.state == "done" and record.outcome == "refused"


def test_a_repeated_payment_information_id_is_refused_with_du02(
    deps: EbicsDeps, company: str, app: Any
) -> None:
    prefix = connect(app, company).get_json()["bucket_prefix"]
    one = pain001_03("TWIN-1", PAYMENTS)
    start, end = one.index(b"<PmtInf>"), one.index(b"</PmtInf>") + len(b"</PmtInf>")
    twice = one[:end] + one[start:end] + one[end:]  # the same PmtInf (and PmtInfId) again
    twice = twice.replace(b"<NbOfTxs>2</NbOfTxs><CtrlSum>299.90</CtrlSum><InitgPty>",
                          b"<NbOfTxs>4</NbOfTxs><CtrlSum>599.80</CtrlSum><InitgPty>")  # fmt: skip
    drop_file(deps, app, prefix, "twin.xml", twice)
    report = report_of(deps, prefix, "twin.xml")
    assert group_status(report) == "RJCT"
    assert "PmtInfId 'TWIN-1-B1' repeats PmtInf(1)" in report_reasons(report)  # [] in SEPA text
    assert deps.ebics.list_payment_requests(company) == []


def test_names_with_ampersand_and_star_become_requests_with_converted_names(
    deps: EbicsDeps, company: str, app: Any
) -> None:
    prefix = connect(app, company).get_json()["bucket_prefix"]
    data = pain001_03(
        "AMP-1",
        [("12.00", "Dupont &amp; Fils", "DE89370400440532013000"),
         ("3.50", "AMZN*MKTP Café", SAVINGS_IBAN)],
    )  # fmt: skip
    drop_file(deps, app, prefix, "amp.xml", data)
    assert group_status(report_of(deps, prefix, "amp.xml")) == "ACCP"
    [request] = deps.ebics.list_payment_requests(company)
    answer = api(
        app, "GET", f"/organizations/{company}/payment-requests/{request.id}", "user-admin"
    )
    assert answer.status_code == 200, answer.data
    payments = answer.get_json()["payments"]
    assert [p["creditor_name"] for p in payments] == ["Dupont + Fils", "AMZN.MKTP Cafe"]
    # The approver sees what will be sent and what the file said.
    assert [p["as_received"] for p in payments] == [
        {"creditor_name": "Dupont & Fils"},
        {"creditor_name": "AMZN*MKTP Café"},
    ]


def deliver_notification(app: Any, bucket: str, name: str, event_type: str) -> Any:
    """POST what the push subscription of `ebics.inbox` sends for a Storage notification:
    a Pub/Sub CloudEvent carrying the object resource (JSON_API_V1)."""
    resource = {"kind": "storage#object", "bucket": bucket, "name": name, "generation": "7"}
    body = {
        "message": {
            "data": base64.b64encode(json.dumps(resource).encode()).decode(),
            "attributes": {"eventType": event_type, "bucketId": bucket, "objectId": name},
            "messageId": f"{event_type}-{name}",
        },
        "subscription": "projects/p/subscriptions/ebics-inbox-push",
    }
    headers = {
        "ce-id": f"{event_type}-{name}",
        "ce-specversion": "1.0",
        "ce-source": "//pubsub.googleapis.com/projects/p/topics/ebics.inbox",
        "ce-type": "google.cloud.pubsub.topic.v1.messagePublished",
    }
    response = app["ebics_inbox"].post("/", json=body, headers=headers)
    assert response.status_code == 200, response.data
    return response


def test_storage_notification_through_pubsub_becomes_requests_and_deletes_are_ignored(
    deps: EbicsDeps, company: str, app: Any
) -> None:
    prefix = connect(app, company).get_json()["bucket_prefix"]
    name = f"{prefix}inbox/notified.xml"
    deps.drop.write(name, pain001_03("NOTIF-1", PAYMENTS), "application/xml")
    deliver_notification(app, DROP_BUCKET, name, "OBJECT_DELETE")
    assert deps.ebics.list_payment_requests(company) == []
    deliver_notification(app, DROP_BUCKET, name, "OBJECT_FINALIZE")
    assert group_status(report_of(deps, prefix, "notified.xml")) == "ACCP"
    assert len(deps.ebics.list_payment_requests(company)) == 1
    deliver_notification(app, DROP_BUCKET, name, "OBJECT_FINALIZE")  # redelivered
    assert len(deps.ebics.list_payment_requests(company)) == 1


def test_duplicate_msgid_is_refused_and_redelivery_creates_nothing_twice(
    deps: EbicsDeps, company: str, app: Any
) -> None:
    prefix = connect(app, company).get_json()["bucket_prefix"]
    data = pain001_03("ERP-2026-0042", PAYMENTS)
    assert_valid_against_iso_xsd(data, "pain.001.001.03")
    first = drop_file(deps, app, prefix, "batch-42.pain.001.001.03.sct", data)
    [request] = deps.ebics.list_payment_requests(company)
    assert (request.kind, request.payment_count, request.total_minor) == ("batch", 2, 29990)
    accepted_report = deps.drop.read(deps.ebics.list_inbound_files(company)[0].report_object)

    # Eventarc delivers at least once: the same event again, twice.
    deliver_finalize(app, DROP_BUCKET, first)
    deliver_finalize(app, DROP_BUCKET, first, generation=1)
    assert deps.ebics.list_payment_requests(company) == [request]
    assert len(deps.ebics.list_inbound_files(company)) == 1
    again = usecase.ingest_inbox_object(deps, DROP_BUCKET, first)
    assert again.outcome == "redelivered" and again.request_ids == (request.id,)
    assert deps.drop.read(again.report_object) == accepted_report

    # The same MsgId in another file (even with other content) is a duplicate.
    drop_file(deps, app, prefix, "batch-42-again.pain.001.001.03.sct", data)
    report = report_of(deps, prefix, "batch-42-again")
    assert group_status(report) == "RJCT"
    assert "duplicate file: MsgId ERP-2026-0042" in report_reasons(report)
    assert report.findtext(f".//{{{PAIN002_NS}}}Cd") == "DU01"
    assert deps.ebics.list_payment_requests(company) == [request]


def deliver_dead_letter(app: Any, bucket: str, name: str, message_id: str) -> Any:
    """Pub/Sub pushes the dead letter of a Storage notification that failed every delivery."""
    body = {
        "message": {
            "data": base64.b64encode(
                json.dumps({"bucket": bucket, "name": name}).encode()
            ).decode(),
            "messageId": message_id,
            "attributes": {
                "eventType": "OBJECT_FINALIZE",
                "CloudPubSubDeadLetterSourceDeliveryCount": "10",
                "CloudPubSubDeadLetterSourceSubscription": "ebics-inbox-push",
            },
        },
        "subscription": "projects/p/subscriptions/dead-letter-handler-ebics-inbox-push",
    }
    headers = {
        "ce-id": message_id,
        "ce-specversion": "1.0",
        "ce-source": "//pubsub.googleapis.com/projects/p/topics/ebics.inbox.dead-letter",
        "ce-type": "google.cloud.pubsub.topic.v1.messagePublished",
    }
    response = app["dead_letter_handler"].post("/", json=body, headers=headers)
    assert response.status_code == 200, response.data
    return response


def test_a_payment_file_that_failed_every_delivery_is_answered_with_a_pain002_rjct(
    deps: EbicsDeps, company: str, app: Any
) -> None:
    prefix = connect(app, company).get_json()["bucket_prefix"]
    # The file arrived, but every delivery of its event failed (an outage, a bug).
    name = f"{prefix}inbox/batch-77.pain.001.001.03.sct"
    deps.drop.write(name, pain001_03("ERP-2026-0077", PAYMENTS), "application/xml")

    deliver_dead_letter(app, DROP_BUCKET, name, "dl-1")
    deliver_dead_letter(app, DROP_BUCKET, name, "dl-1")  # the dead letter redelivered

    report = report_of(deps, prefix, "batch-77")
    assert group_status(report) == "RJCT"
    assert "could not be processed (failed after 10 deliveries" in report_reasons(report)
    assert "send it again" in report_reasons(report)
    [record] = deps.ebics.list_inbound_files(company)
    assert record.outcome == "refused"
    assert deps.ebics.list_payment_requests(company) == []  # nothing booked half-way

    # A file processed in the meantime keeps its answer: the dead letter changes nothing.
    accepted = drop_file(
        deps, app, prefix, "batch-78.pain.001.001.03.sct", pain001_03("ERP-2026-0078", PAYMENTS)
    )
    before = deps.drop.read(report_of_name(deps, prefix, "batch-78"))
    deliver_dead_letter(app, DROP_BUCKET, accepted, "dl-2")
    assert group_status(report_of(deps, prefix, "batch-78")) != "RJCT"
    assert deps.drop.read(report_of_name(deps, prefix, "batch-78")) == before
    assert len(deps.ebics.list_payment_requests(company)) == 1


def report_of_name(deps: EbicsDeps, prefix: str, inbound: str) -> str:
    [name] = [n for n in deps.drop.list(prefix + "outbox/reports/") if inbound in n]
    return name


def test_objects_outside_an_inbox_or_connection_are_ignored(
    deps: EbicsDeps, company: str, app: Any
) -> None:
    prefix = connect(app, company).get_json()["bucket_prefix"]
    data = pain001_03("IGN-1", PAYMENTS)
    for name in (f"{prefix}outbox/reports/x.xml", f"{company}/nope/inbox/x.xml", "stray.xml"):
        deps.drop.write(name, data, "application/xml")
        event = CloudEvent(
            {"type": "google.cloud.storage.object.v1.finalized", "source": "test"},
            {"bucket": DROP_BUCKET, "name": name},
        )
        ebics_functions.ebics_inbox(event)
        assert usecase.ingest_inbox_object(deps, DROP_BUCKET, name).outcome == "ignored"
    assert deps.ebics.list_inbound_files(company) == []
    assert deps.ebics.list_payment_requests(company) == []


# ----------------------------------------------------------------------------- approvals


@pytest.mark.parametrize(
    ("member", "allowed"),
    [
        ("user-camille", True),  # owner
        ("user-admin", True),
        ("user-accountant", True),
        ("user-manager-pay", True),
        ("user-manager", False),  # manager without transfer permission
        ("user-employee", False),  # even with can_transfer set
        ("user-stranger", False),  # not a member
    ],
)
def test_approval_is_allowed_or_denied_by_role(
    deps: EbicsDeps, company: str, app: Any, member: str, allowed: bool
) -> None:
    prefix = connect(app, company).get_json()["bucket_prefix"]
    drop_file(deps, app, prefix, "one.xml", pain001_03("APPROVE-1", PAYMENTS[:1]))
    [request] = deps.ebics.list_payment_requests(company)
    assert request.kind == "single"
    path = f"/organizations/{company}/payment-requests/{request.id}"
    response = api(app, "POST", path + "/approve", member)
    if allowed:
        assert response.status_code == 200, response.get_json()
        assert response.get_json()["status"] == "approved"
        assert response.get_json()["total"] == "250.00"
        # A retried call is answered the same; another decision is a conflict.
        assert api(app, "POST", path + "/approve", member).status_code == 200
        assert api(app, "POST", path + "/reject", member).status_code == 409
        stored = deps.ebics.get_payment_request(company, request.id)
        assert (stored.status, stored.decided_by) == (RequestStatus.APPROVED, member)
    else:
        assert response.status_code == 403
        assert (
            "cannot approve" in response.get_json()["error"]["message"]
            or "not a member" in (response.get_json()["error"]["message"])
        )
        assert api(app, "POST", path + "/reject", member).status_code == 403
        stored = deps.ebics.get_payment_request(company, request.id)
        assert stored.status is RequestStatus.PENDING_APPROVAL


def test_rejection_records_reason_and_listing_shows_payments(
    deps: EbicsDeps, company: str, app: Any
) -> None:
    prefix = connect(app, company).get_json()["bucket_prefix"]
    drop_file(deps, app, prefix, "two.xml", pain001_03("REJECT-1", PAYMENTS))
    pending = api(
        app,
        "GET",
        f"/organizations/{company}/payment-requests?status=pending_approval",
        "user-employee",
    ).get_json()["payment_requests"]
    [summary] = pending
    detail = api(
        app, "GET", f"/organizations/{company}/payment-requests/{summary['id']}", "user-accountant"
    ).get_json()
    assert [p["amount"] for p in detail["payments"]] == ["250.00", "49.90"]
    assert detail["total"] == "299.90"
    response = api(
        app,
        "POST",
        f"/organizations/{company}/payment-requests/{summary['id']}/reject",
        "user-accountant",
        {"reason": "wrong supplier"},
    )
    assert response.status_code == 200
    assert response.get_json()["decision_reason"] == "wrong supplier"
    assert api(app, "GET", f"/organizations/{company}/payment-requests", None).status_code == 403


# ----------------------------------------------------------------------------- rules


def test_only_french_business_or_enterprise_companies_and_managing_roles_connect(
    deps: EbicsDeps, company: str, app: Any
) -> None:
    for org_id, country, plan in (
        ("org-de", "DE", Plan.ENTERPRISE),
        ("org-ess", "FR", Plan.ESSENTIAL),
    ):
        deps.store.put_organization(Organization(org_id, "X", country, plan))
        deps.store.put_member(Member("owner", org_id, Role.OWNER))
        response = connect(app, org_id, member="owner")
        assert response.status_code == 422
    assert "France" in connect(app, "org-de", member="owner").get_json()["error"]["message"]
    assert (
        "essential plan" in connect(app, "org-ess", member="owner").get_json()["error"]["message"]
    )
    # Authorization comes first: nobody is a member of a company that does not exist.
    assert connect(app, "org-missing").status_code == 403

    assert connect(app, company, member="user-manager-pay").status_code == 403
    assert connect(app, company, member="user-employee").status_code == 403
    assert connect(app, company, member=None).status_code == 403
    assert connect(app, company, ebics_version="2.5").status_code == 400
    assert connect(app, company, formats=["camt053"]).status_code == 400
    ok = connect(app, company, member="user-accountant", connection_id="erp-1")
    assert ok.status_code == 201 and ok.get_json()["bucket_prefix"] == f"{company}/erp-1/"
    # A retried call returns the same connection; a second one is above the Business plan.
    retried = connect(app, company, connection_id="erp-1", live=False)
    assert retried.get_json()["id"] == "erp-1" and retried.get_json()["live"]
    refused = connect(app, company, connection_id="erp-2")
    assert refused.status_code == 409 and "allows 1" in refused.get_json()["error"]["message"]
    listed = api(app, "GET", f"/organizations/{company}/ebics/connections", "user-employee")
    assert [c["id"] for c in listed.get_json()["connections"]] == ["erp-1"]


def test_downgrade_leaves_a_choice_and_disconnects_only_what_the_company_does_not_keep(
    deps: EbicsDeps, company: str, app: Any
) -> None:
    assert api(
        app,
        "PUT",
        f"/organizations/{company}/plan",
        body={"plan": "enterprise"},
        caller=BILLING_ACCOUNT,
    ).get_json() == {"plan": "enterprise", "disconnected": [], "choice_required": None}
    for connection_id in ("c-first", "c-second", "c-third"):
        assert connect(app, company, connection_id=connection_id).status_code == 201
    assert connect(app, company, connection_id="c-fourth").status_code == 409
    response = api(
        app,
        "PUT",
        f"/organizations/{company}/plan",
        body={"plan": "business"},
        caller=BILLING_ACCOUNT,
    )
    assert response.status_code == 200
    assert response.get_json() == {
        "plan": "business",
        "disconnected": [],
        "choice_required": {"allowed": 1, "connection_ids": ["c-first", "c-second", "c-third"]},
    }
    assert deps.store.get_organization(company).plan is Plan.BUSINESS
    # No silent removal: all three still run until the company chooses.
    assert len(deps.ebics.list_connections(company, active_only=True)) == 3
    run = usecase.write_daily_statements(deps, FRIDAY)
    assert {n.split("/")[1] for n in run.written} == {"c-first", "c-second", "c-third"}
    choice = api(app, "GET", f"/organizations/{company}/ebics/plan-choice", "user-employee")
    assert choice.status_code == 200 and choice.get_json()["allowed"] == 1
    # No new connection meanwhile; a choice over the limit or by an employee is refused.
    assert connect(app, company, connection_id="c-new").status_code == 422
    choose = f"/organizations/{company}/ebics/plan-choice"
    assert (
        api(app, "POST", choose, "user-admin", {"keep": ["c-first", "c-third"]}).status_code == 400
    )
    assert api(app, "POST", choose, "user-employee", {"keep": ["c-third"]}).status_code == 403
    kept = api(app, "POST", choose, "user-admin", {"keep": ["c-third"]})
    assert kept.status_code == 200
    assert kept.get_json() == {"disconnected": ["c-first", "c-second"]}
    active = deps.ebics.list_connections(company, active_only=True)
    assert [c.id for c in active] == ["c-third"]
    gone = deps.ebics.get_connection(company, "c-first")
    assert gone.status is ConnectionStatus.DISCONNECTED and "business" in gone.status_reason
    assert api(app, "GET", choose, "user-admin").status_code == 404
    run = usecase.write_daily_statements(deps, MONDAY)
    assert {n.split("/")[1] for n in run.written} == {"c-third"}
    assert (
        api(
            app,
            "PUT",
            f"/organizations/{company}/plan",
            body={"plan": "gold"},
            caller=BILLING_ACCOUNT,
        ).status_code
        == 400
    )


def test_disconnect_stops_statements_and_payments(deps: EbicsDeps, company: str, app: Any) -> None:
    prefix = connect(app, company, connection_id="erp").get_json()["bucket_prefix"]
    drop_file(deps, app, prefix, "before.xml", pain001_03("BEFORE-1", PAYMENTS))
    [pending] = deps.ebics.list_payment_requests(company)
    path = f"/organizations/{company}/ebics/connections/erp/disconnect"
    assert api(app, "POST", path, "user-employee").status_code == 403
    response = api(app, "POST", path, "user-admin")
    assert response.status_code == 200 and response.get_json()["status"] == "disconnected"
    assert api(app, "POST", path, "user-admin").status_code == 200  # idempotent

    # Payments: what awaited approval is rejected, new files are refused.
    stored = deps.ebics.get_payment_request(company, pending.id)
    assert stored.status is RequestStatus.REJECTED and stored.decided_by == "system"
    approve = api(
        app,
        "POST",
        f"/organizations/{company}/payment-requests/{pending.id}/approve",
        "user-camille",
    )
    assert approve.status_code == 409
    drop_file(deps, app, prefix, "after.xml", pain001_03("AFTER-1", PAYMENTS))
    report = report_of(deps, prefix, "after.xml")
    assert group_status(report) == "RJCT" and "disconnected" in report_reasons(report)
    assert len(deps.ebics.list_payment_requests(company)) == 1

    # Statements: nothing is written any more.
    run = usecase.write_daily_statements(deps, FRIDAY)
    assert run.written == [] and run.statements == 0
    assert not any(re.search(r"/outbox/statements/", n) for n in deps.drop.list(prefix))


def test_days_without_statements_still_chain_the_balance(
    deps: EbicsDeps, company: str, app: Any
) -> None:
    connect(app, company, formats=["mt940"])
    usecase.write_daily_statements(deps, date(2026, 11, 13))
    # No statement from the 16th to the 19th (an outage): the client's payment, booked on
    # Monday the 16th, is in Friday the 20th's opening balance.
    run = usecase.write_daily_statements(deps, FRIDAY)
    friday = read_mt940(deps.drop.read(next(n for n in run.written if MAIN_IBAN in n)).decode())
    assert friday.data["final_opening_balance"].amount.amount == Decimal("2350.00")
    assert friday.data["statement_number"] == "00002"
    state = deps.ebics.get_statement_day(company, DEMO_ACCOUNT_ID, date(2026, 11, 13))
    assert state.closing_minor == -185000  # the rent, settled Saturday the 7th


def test_oversized_file_is_refused_without_being_read(
    deps: EbicsDeps, company: str, app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    prefix = connect(app, company).get_json()["bucket_prefix"]
    monkeypatch.setattr(pain001, "MAX_FILE_BYTES", 1000)
    drop_file(deps, app, prefix, "huge.xml", pain001_03("HUGE-1", PAYMENTS * 5))
    report = report_of(deps, prefix, "huge.xml")
    assert group_status(report) == "RJCT" and "over the limit of 1000" in report_reasons(report)
    assert deps.ebics.list_payment_requests(company) == []
