"""Google Drive Dropzone import: supplier invoices dropped in a folder, matched every 3 hours.

Setup (`connect_dropzone`) creates one folder with four subfolders: Dropzone, Processing,
Matched and Unsupported. Each run (`run_dropzone`) takes the files in Dropzone and
Processing and, for each file:

- sorts it to **Unsupported** when it is over `max_bytes` (judged from Drive's metadata,
  before any download) or is not a JPEG, PNG or PDF (judged from its bytes by the
  extraction engine's intake, without OCR); the reason goes in the file's description and
  in its `dropzone_reason` appProperty;
- otherwise extracts every invoice in it (a file may hold several), records each one as a
  document and, for invoices issued to the company, as a supplier invoice awaiting payment;
- matches all the run's unmatched documents in ONE call to the matching engine, so that
  assignment is global ("two files for one transaction" attaches one of them);
- moves the file to **Matched** once every invoice in it is attached, else to **Processing**
  (where it is tried again on the next run; its transaction may not exist yet). Sales
  invoices (issued by the company itself) are never matched and stay in Processing. The
  partial state ("1 of 2 invoices matched") is written on the file and in its record.

Contract:
- MUST NOT crash or guess on a broken setup: if any of the integration's folders is gone,
  trashed or moved away, the status becomes "broken: disconnect and reconnect" and the run
  stops touching that integration (later runs do not start until it is reconnected).
- MUST be idempotent: a per-integration lease (Firestore transaction with expiry) keeps two
  runs apart, a redelivered run message with the same `run_key` is skipped once that run
  completed, documents are keyed by Drive file id + md5 + invoice index, attachment is
  transactional and refuses a second attachment, and every move re-reads the file's
  current parents first (never a double move). A file deleted, moved away or replaced by
  the user mid-run is recorded as such and not touched; a renamed file is just a name.
- MUST NOT lose a file: nothing is ever deleted, and a file's record is saved before the
  file is moved, so a crash at any point is repaired by the next run.
- Drive failures: `ReconnectNeeded` sets status `reconnect_needed` and ends the run
  cleanly; `RetryableError` propagates (the Pub/Sub message is redelivered, the lease is
  released); any other failure on one file is recorded on that file and the run goes on.
- Disconnecting (`disconnect_dropzone`) stops the runs; imported invoices stay.
- A run stops starting new files after `time_budget` (the function's timeout is finite);
  the report's `remaining` says how many were left for a continuation run.
"""

from __future__ import annotations

from shared.usecases.dropzone_import.common import (  # noqa: F401
    GOOGLE_APPS_PREFIX,
    PROP_MATCHED,
    PROP_REASON,
    PROP_STATE,
    SOURCE,
    SUBFOLDERS,
    SUPPORTED_TYPES,
    DropzoneDeps,
    RunReport,
)
from shared.usecases.dropzone_import.run import (  # noqa: F401
    run_dropzone,
)
from shared.usecases.dropzone_import.setup import (  # noqa: F401
    connect_dropzone,
    disconnect_dropzone,
    fan_out,
)
