"""Benchmark of the EBICS formats (issue 7), one process, one core.

    python bench/ebics.py [--accounts 1000] [--transactions 200] [--payments 10000]

1. Statements: ACCOUNTS IBANs x TRANSACTIONS entries, written in MT940 and in CFONB-120 and
   checked by our strict validators. Prints statement lines (file lines) per second and
   entries per second, write + validate. Target: >= 100,000 lines/s.
2. pain.001.001.03 with PAYMENTS transactions: parsed, XSD-validated, SEPA rules, turned
   into Payment objects. Target: <= 5 s.

Inputs are generated here with a fixed seed (names with accents, remittance texts, end-to-end
ids), so runs are comparable.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from shared.formats import cfonb120, mt940, pain001  # noqa: E402
from shared.formats.statement import Statement, StatementAccount, StatementEntry  # noqa: E402

NAMES = [
    "Société Générale Équipements",
    "Müller & Söhne GmbH",
    "Boulangerie Crème Brûlée",
    "ACME SARL",
    "Łódź Trading Sp. z o.o.",
    "Café de l'Œuvre",
    "Jean-François Dupont",
    "Straße 42 KG",
]


def french_iban(bank: int, branch: int, account: int) -> str:
    """A valid French IBAN (RIB key and IBAN check digits computed)."""
    key = 97 - ((89 * bank + 15 * branch + 3 * account) % 97)
    bban = f"{bank:05d}{branch:05d}{account:011d}{key:02d}"
    check = 98 - int(bban + "152700") % 97  # "FR00" -> F=15, R=27
    return f"FR{check:02d}{bban}"


def make_statements(accounts: int, per_account: int, day: date) -> list[Statement]:
    rng = random.Random(7)
    statements = []
    for a in range(accounts):
        account = StatementAccount(
            french_iban(30006, 1 + a % 999, 10_000_000 + a), "AGRIFRPP", "EUR", f"Company {a}"
        )
        entries = []
        for t in range(per_account):
            cents = rng.randint(-500_000, 500_000) or 1
            entries.append(
                StatementEntry(
                    id=f"tx-{a}-{t}",
                    amount=Decimal(cents).scaleb(-2),
                    currency="EUR",
                    counterparty=rng.choice(NAMES),
                    reference=f"Facture n° {rng.randint(1, 99999)} – échéance {t}",
                    end_to_end_id=f"E2E-{a:04d}-{t:04d}",
                    booking_date=day,
                    value_date=day,
                    operation_type=rng.choice(["transfer", "card", "direct_debit"]),
                )
            )
        statements.append(Statement(account, day, Decimal("1000.00"), entries, a % 99999 + 1))
    return statements


def bench_statements(statements: list[Statement], module) -> tuple[float, int, int]:
    lines = entries = 0
    start = time.process_time()
    for statement in statements:
        text = module.write(statement)
        module.validate(text)
        lines += text.count("\n")
        entries += len(statement.entries)
    return time.process_time() - start, lines, entries


def make_pain001(count: int, names: str = "Supplier {i}") -> bytes:
    """`names` is the creditor name pattern; one with '&', '*' or accents makes every name
    go through the SEPA conversion."""
    rng = random.Random(11)
    txs = []
    total = Decimal(0)
    for i in range(count):
        amount = Decimal(rng.randint(1, 10_000_000)).scaleb(-2)
        total += amount
        txs.append(
            f"<CdtTrfTxInf><PmtId><EndToEndId>E2E-{i:08d}</EndToEndId></PmtId>"
            f'<Amt><InstdAmt Ccy="EUR">{amount}</InstdAmt></Amt>'
            f"<CdtrAgt><FinInstnId><BIC>COBADEFFXXX</BIC></FinInstnId></CdtrAgt>"
            f"<Cdtr><Nm>{names.format(i=i)}</Nm></Cdtr>"
            f"<CdtrAcct><Id><IBAN>{french_iban(20041, 1 + i % 999, 500_000 + i)}</IBAN></Id>"
            f"</CdtrAcct><RmtInf><Ustrd>Invoice {i}</Ustrd></RmtInf></CdtTrfTxInf>"
        )
    body = "".join(txs)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"><CstmrCdtTrfInitn>'
        f"<GrpHdr><MsgId>BENCH-{count}</MsgId><CreDtTm>2024-01-15T10:00:00</CreDtTm>"
        f"<NbOfTxs>{count}</NbOfTxs><CtrlSum>{total}</CtrlSum>"
        "<InitgPty><Nm>ACME ERP</Nm></InitgPty></GrpHdr>"
        f"<PmtInf><PmtInfId>PMT-1</PmtInfId><PmtMtd>TRF</PmtMtd><BtchBookg>true</BtchBookg>"
        f"<NbOfTxs>{count}</NbOfTxs><CtrlSum>{total}</CtrlSum>"
        "<PmtTpInf><SvcLvl><Cd>SEPA</Cd></SvcLvl></PmtTpInf><ReqdExctnDt>2024-01-16</ReqdExctnDt>"
        "<Dbtr><Nm>ACME SAS</Nm></Dbtr>"
        f"<DbtrAcct><Id><IBAN>{french_iban(30006, 1, 12345678901)}</IBAN></Id></DbtrAcct>"
        "<DbtrAgt><FinInstnId><BIC>AGRIFRPP</BIC></FinInstnId></DbtrAgt><ChrgBr>SLEV</ChrgBr>"
        f"{body}</PmtInf></CstmrCdtTrfInitn></Document>"
    ).encode()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=1000)
    parser.add_argument("--transactions", type=int, default=200)
    parser.add_argument("--payments", type=int, default=10_000)
    args = parser.parse_args(argv)

    day = date(2024, 1, 15)
    start = time.process_time()
    statements = make_statements(args.accounts, args.transactions, day)
    print(
        f"input: {args.accounts} IBANs x {args.transactions} transactions built in "
        f"{time.process_time() - start:.2f} s CPU (not counted below)"
    )
    ok = True
    for name, module in (("MT940", mt940), ("CFONB-120", cfonb120)):
        seconds, lines, entries = bench_statements(statements, module)
        rate = lines / seconds
        ok &= rate >= 100_000
        print(
            f"{name:9}: {len(statements)} statements, {entries} entries, {lines} lines, "
            f"write+validate {seconds:.2f} s CPU -> {rate:,.0f} lines/s, "
            f"{entries / seconds:,.0f} entries/s (target >= 100,000 lines/s)"
        )

    for label, names in (
        ("", "Supplier {i}"),
        (" (every name converted)", "Dupont &amp; Fils*{i} é"),
    ):
        data = make_pain001(args.payments, names)
        start = time.process_time()
        result = pain001.parse(data)
        seconds = time.process_time() - start
        if not result.accepted or len(result.payments) != args.payments:
            print(f"pain.001 : REFUSED {result.errors[:3]}")
            return 1
        ok &= seconds <= 5
        print(
            f"pain.001 : {args.payments} transactions ({len(data) / 1e6:.1f} MB) parsed, "
            f"XSD + SEPA validated, {len(result.payments)} payments, "
            f"{len(result.conversions)} conversions{label} in {seconds:.2f} s CPU (target <= 5 s)"
        )
    print("targets met" if ok else "TARGETS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
