"""The one interface every folder destination implements (export, partner deliveries).

A destination stores files in folders. Callers address folders and files by the opaque
ids the backend returns, and keep those ids in the export ledger: that is how the export
tells "the user deleted this" from "never exported".

Contract (every backend MUST):
- `kind`: a stable name ("google_drive", "dropbox", "local_folder", "sftp", "onedrive"...),
  the one written in the integration record.
- `ensure_folder(parent_id, name)` return the id of the child folder `name` of
  `parent_id` (None = the storage root), creating it if it does not exist. Calling it
  twice returns the same id (no duplicate folders).
- `exists(item_id)` be False for an item that was deleted or trashed by the user, True
  otherwise; never raise for a missing item.
- `find_file(folder_id, name)` return the id of a live file with that exact name in that
  folder, or None (used to adopt a file uploaded by a run that crashed before it recorded
  the id).
- `list_files(folder_id)` return `{name: id}` of the live files (not folders) directly in
  the folder, all pages; or None when the backend cannot list cheaply (the export then
  asks `find_file` per file). A deleted folder raises a `DestinationError` (not one of
  the run-level ones below) or lists as empty.
- `upload(folder_id, name, data, mime_type, properties)` create a new file and return
  its id. Large payloads use the provider's resumable/session upload. `properties` are
  small key/value tags the backend MAY store (Drive appProperties) and MAY ignore.
- `link(item_id)` return a URL a person can open (the "useful links" entry).
- `put_file(folder_id, name, data, mime_type)` (the partner space's `Overwritable`, every
  folder backend has it) write `name`, replacing the live file of that name (same id
  where the provider keeps ids): how an updated index record replaces the old one.

Failures: map every vendor failure, in ONE place per backend (its `classify`), to:

| error            | when                                   | export / Dropzone status  |
|------------------|----------------------------------------|---------------------------|
| ReconnectNeeded  | 401, invalid_grant, revoked key        | `reconnect_needed`        |
| StorageFull      | quota exhausted                        | `storage_full`            |
| RetryableError   | 429 / 5xx / network, after the retries | `retrying` (redelivered)  |
| FileTooLarge     | a download past the caller's limit     | per file                  |
| DestinationError | anything else (named, never a vendor type) | per file `failed`     |

Never leak a vendor exception type. Retry transient failures with the project's one
policy: `self.retry.call(operation, classify, what="...")` (`shared/retry.py`), where
`classify` returns `Transient(RetryableError(...), retry_after)` for what is worth another
attempt. Credentials are never built in a backend: `shared/destinations/factory.py` builds
them from the integration's stored config and the deployment's settings, and registers
every token with the log scrubber. A new backend: implement this protocol, add its kind
to the factory (config validated there, errors naming the field), test it against a local
server under `tests/fakes/` with fault injection (`isinstance(x, Destination)` included).
"""

from __future__ import annotations

from typing import Protocol, TypeVar, runtime_checkable

from shared import errors
from shared.domain.statuses import IntegrationStatus
from shared.errors import AppError, NeedsReconnect, RetryLater, TooLarge
from shared.retry import RetryPolicy, Transient, retry_after_seconds  # noqa: F401 - re-exported

T = TypeVar("T")


class DestinationError(AppError):
    """Base of every destination failure; `status` is what the integration shows."""

    # What the integration shows: an `IntegrationStatus`, or a partner delivery's own
    # status (`mailbox_full`, `recipient_refused`).
    status: str = IntegrationStatus.ERROR


class ReconnectNeeded(DestinationError, NeedsReconnect):
    """Token revoked or expired for good (401, invalid_grant)."""

    status = IntegrationStatus.RECONNECT_NEEDED


class StorageFull(DestinationError, errors.StorageFull):
    """The user's storage quota is exhausted."""

    status = IntegrationStatus.STORAGE_FULL


class RetryableError(DestinationError, RetryLater):
    """Rate limit or server error that outlived the backend's own retries."""

    status: str = IntegrationStatus.RETRYING


class FileTooLarge(DestinationError, TooLarge):
    """A download was refused because the file exceeds the caller's `max_bytes`."""


@runtime_checkable
class Destination(Protocol):
    kind: str

    def ensure_folder(self, parent_id: str | None, name: str) -> str: ...

    def exists(self, item_id: str) -> bool: ...

    def find_file(self, folder_id: str, name: str) -> str | None: ...

    def upload(
        self,
        folder_id: str,
        name: str,
        data: bytes,
        mime_type: str,
        properties: dict[str, str] | None = None,
    ) -> str: ...

    def list_files(self, folder_id: str) -> dict[str, str] | None: ...

    def link(self, item_id: str) -> str: ...
