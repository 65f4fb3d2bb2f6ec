"""Nightly export of receipts to a Google Drive, a Dropbox or a local folder (issue 5).

Three verbs:
- `setup_export`: connect (or reconfigure) a destination with a "sync from" instant, then
  ask for a first run at once: receipts already in the system are exported right away.
- `fan_out`: the 23:30 Europe/Paris Scheduler message becomes one `exports.sync` message
  per active export integration.
- `sync_integration`: export one integration's receipts, with checkpoints.

What is exported. A receipt is a document attached to a transaction (status `matched`,
`transaction_id` set) whose transaction was emitted at or after `sync_from`.

Layout. `<product>/<company> (<org short id>)/<account> (<IBAN ends>)/<YYYY-MM>/<file>`:
one root folder named after the product, then one folder per company, then one per
bank account, then one per month (the transaction's `emitted_at` month in
Europe/Paris). The company level is ours: it lets several companies (an accountant, a
founder with two companies) export into one Drive or Dropbox without their accounts
mixing, and it keeps the layout the same when a second company joins later. File names
are `YYYY-MM-DD_<counterparty>_<signed amount> <currency>_<short id>.<ext>`, made safe
by `safe_name`; the short id (a hash of the document id) keeps two receipts with the
same date, merchant and amount apart, and makes the name stable across runs.

Self-healing, decided from the ledger (see `shared/store/integrations.py`):
- an exported receipt whose file is gone, in a folder that still exists, is exported again;
- if its folder is gone, the entry becomes `folder_deleted` and is never exported again
  (until the integration is reconfigured); new receipts for that account or month get a
  fresh folder, because they have no ledger entry;
- a folder deletion is recorded on the folder record (its epoch grows), so the decision
  holds in later runs and for backends whose ids are paths that can be reused.

Crash safety. Before each upload the ledger records an `uploading` intent (folder, file
name); a run that finds such an intent looks for that file (`find_file`) and adopts it
instead of uploading again: no duplicate after a crash between the upload and the
record, no loss after a crash before the upload. Folders are find-or-create by name.
Until the first run of a (re)configuration completes, a receipt without a ledger entry
is looked up too (from one listing per folder where the backend can list), so
reconfiguring onto the same storage adopts the files already there instead of
duplicating them.
A lease on the integration keeps two workers (Pub/Sub redelivery) from running at
once; `last_completed_run` makes a redelivered, finished run a no-op.

Failures. `ReconnectNeeded` and `StorageFull` stop the run cleanly and show as the
integration's status ("reconnect_needed", "storage_full"); `RetryableError` (rate limits
that outlived the backend's backoff) stops with status "retrying" and the next run
resumes from the ledger. Any other failure is recorded on the receipt's entry
(`failed`, with the reason) and the run goes on; failed receipts are retried next run.
Progress (exported / total) is written to the status document every
`checkpoint_every` receipts; a run that exceeds `time_budget_seconds` stops at a
checkpoint with outcome "partial", and the caller publishes a continuation.
"""

from __future__ import annotations

from shared.usecases.nightly_export.deps import (  # noqa: F401
    Blobs,
    ExportDeps,
    SyncResult,
)
from shared.usecases.nightly_export.naming import (  # noqa: F401
    DEFAULT_PRODUCT_NAME,
    PARIS,
    Receipt,
    account_folder_name,
    company_folder_name,
    extension_for,
    paris_month,
    receipt_file_name,
    safe_name,
    short_id,
)
from shared.usecases.nightly_export.verbs import (  # noqa: F401
    fan_out,
    nightly_run_id,
    setup_export,
    sync_integration,
)
