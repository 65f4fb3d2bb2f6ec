"""EBICS file drop (issue 7): connections, daily statements, pain.001 inbox, approvals.

An EBICS server (not ours) exchanges files with the customer's ERP through one folder per
connection in the drop bucket (`{org}/{connection}/`, see `shared/store/ebics.py`). We write
statements under `outbox/statements/`, read payment files from `inbox/` and answer each
with a pain.002 status report under `outbox/reports/` (names: `shared/formats/ebics_names`).

Verbs:

- `setup_connection`: France only; the Business plan allows 1 active connection, the
  Enterprise plan 3, the Essential plan none; only an Owner, Admin or Accountant may. The
  connection starts its onboarding (seed 001, module `onboarding`): `requested`, then at
  once `letter_sent` when the bank's host is configured; `upload_certificates` checks the
  three certificates and answers with the bank's key hashes (`keys_accepted`);
  `confirm_bank_keys` makes it `live`. Statements and payment files flow only when live.
- `disconnect`: stops statements and payments: later inbox files are refused, and the
  connection's payment requests still awaiting approval are rejected.
- `apply_plan_change`: records the new plan; when the company has more active connections
  than the new plan allows, it records a `PlanChoice` ("choose which to keep"): nothing is
  removed (the bank contacts the customer) until `choose_connections` applies the choice.
- `write_daily_statements(day)`: for every active connection, every bank account of its
  company and every configured format, the statement of `day` (a business day; default:
  the previous business day in Europe/Paris). Entries are the transactions *booked* that
  day: the booking date is the Europe/Paris date of `settled_at`, rolled to the next
  booking day (after a weekend, a French public holiday or a TARGET2 closing day); the
  value date is the settled date itself. Every file passes our strict validator before it
  is uploaded. Idempotent: the statement state (opening and
  closing balance, sequence number, the entry ids) is created once per account and day, so
  a rerun writes the same bytes under the same deterministic name. A settlement recorded
  after its booking day's statement was produced is booked first on the next statement,
  back-valued (within `statements.LATE_SETTLEMENT_LOOKBACK_DAYS`).
- `ingest_inbox_object(bucket, name)`: the Storage finalize event of an inbox file. The
  file is refused (pain.002 RJCT) when the connection is disconnected, when it is not a
  valid pain.001 (.02, .03, .09; pain.008 direct debits are refused), when a debtor
  account is not one of the company's, or when its MsgId was already accepted. Otherwise
  each PmtInf becomes one payment request awaiting approval (`single` for one transfer,
  `batch` for more) and the report is ACCP. Ids derive from the file, so a redelivered
  event creates nothing twice.
- `decide_payment_request`: approve or reject; only an Owner, Admin, Accountant, or a
  Manager with transfer permission.

Modules: `common` (rules, errors, deps), `connections`, `onboarding`, `statements`, `inbox`,
`approvals`;
the business-day calendar is `shared/domain/business_days.py`.

What is left out, as the product says: transaction labels and receipts are not transferred.
Business days are Monday to Friday; French bank holidays are not modelled.
"""

from __future__ import annotations

from shared.domain.business_days import (  # noqa: F401
    PARIS,
    booking_date,
    booking_window,
    is_business_day,
    previous_business_day,
)
from shared.domain.ebics_onboarding import OnboardingStepRefused, PlanChoice  # noqa: F401
from shared.formats.ebics_certificates import CertificatesRefused  # noqa: F401
from shared.store.ebics import AlreadyDecided, PlanLimitReached  # noqa: F401
from shared.usecases.ebics.approvals import (  # noqa: F401
    can_approve,
    decide_payment_request,
    money_text,
)
from shared.usecases.ebics.common import (  # noqa: F401
    APPROVER_ROLES,
    COUNTRY,
    PLAN_CONNECTION_LIMITS,
    SETUP_ROLES,
    SYSTEM_ACTOR,
    WRITERS,
    EbicsDeps,
    EbicsError,
    InvalidRequest,
    NotAllowed,
    NotFound,
    RuleRefused,
)
from shared.usecases.ebics.connections import (  # noqa: F401
    apply_plan_change,
    choose_connections,
    disconnect,
    plan_limit,
    setup_connection,
)
from shared.usecases.ebics.inbox import (  # noqa: F401
    InboxOutcome,
    ingest_inbox_object,
    refuse_after_failures,
    request_id_for,
)
from shared.usecases.ebics.onboarding import (  # noqa: F401
    BankHost,
    bank_keys_letter,
    configuration_letter,
    confirm_bank_keys,
    issue_configuration_letter,
    upload_certificates,
)
from shared.usecases.ebics.statements import (  # noqa: F401
    StatementRun,
    write_daily_statements,
)
