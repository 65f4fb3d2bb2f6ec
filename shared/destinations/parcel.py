"""What the partner dispatch hands to a destination: one document and its index record.

Folder destinations (local folder, Google Drive, Dropbox, OneDrive, SFTP) implement the
folder-shaped `Destination` protocol of `base.py`; `FolderSender` turns any of them into
a `Sender`. Destinations that are not folders (email, an HTTP endpoint, an accounting
software) implement `Sender` directly. The dispatch only ever calls `Sender.send`.

Contract (every `Sender` MUST):
- deliver the parcel's document and its index record, or raise a `DestinationError`;
- be safe to call again with the same parcel after a crash or a lost answer: a folder
  destination adopts the file already there (`find_file`), email reuses the same
  `Message-ID`, HTTP the same `webhook-id`, an accounting software the same external id;
- return a short receipt (a file id, a message id...) for the delivery log;
- when the parcel is an update (`update_of`: the key of the delivery it follows; the
  document was matched to its payment, or detached, after it was sent), deliver the new
  index record so that it replaces the old one: a folder overwrites the `.json` beside
  the document (and puts the document back if it is gone), email sends the record alone
  in reply to the first message, HTTP posts a `document.updated` event.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from shared.destinations.base import Destination, DestinationError


@dataclass(frozen=True)
class Parcel:
    """One document addressed to one activation."""

    key: str  # stable per (document, activation): the idempotency key everywhere
    folder: tuple[str, ...]  # validated path segments, at least one
    name: str  # the document's file name, extension included
    data: bytes = field(repr=False)
    mime_type: str
    index: dict[str, Any]  # the index record (JSON types only)
    update_of: str | None = None  # an update: the key of the first delivery it follows
    first_receipt: str | None = None  # an update: what the first delivery's sender returned

    def __post_init__(self) -> None:
        if not self.folder:
            raise ValueError("a parcel needs at least one folder segment")
        if not self.key or not self.name:
            raise ValueError("a parcel needs a key and a file name")

    @property
    def index_name(self) -> str:
        return self.name.rsplit(".", 1)[0] + ".json"

    def index_json(self) -> bytes:
        return json.dumps(self.index, ensure_ascii=False, indent=2, sort_keys=True).encode()


@runtime_checkable
class Overwritable(Protocol):
    """A folder destination that can replace a file by name (the index of an update)."""

    def put_file(self, folder_id: str, name: str, data: bytes, mime_type: str) -> str: ...


@runtime_checkable
class Sender(Protocol):
    kind: str

    def send(self, parcel: Parcel) -> str: ...


class FolderSender:
    """A folder `Destination` as a `Sender`: folders, then the document, then its index."""

    def __init__(self, destination: Destination, root: str | None = None) -> None:
        self.destination = destination
        self.kind = destination.kind
        self.root = root

    def send(self, parcel: Parcel) -> str:
        folder = self.root
        for segment in parcel.folder:
            folder = self.destination.ensure_folder(folder, segment)
        assert folder is not None  # a parcel has at least one folder segment
        properties = {"delivery_key": parcel.update_of or parcel.key}
        file_id = self.destination.find_file(folder, parcel.name) or self.destination.upload(
            folder, parcel.name, parcel.data, parcel.mime_type, properties
        )
        if parcel.update_of is not None:
            if not isinstance(self.destination, Overwritable):
                raise DestinationError(f"{self.kind} cannot replace an index record")
            return self.destination.put_file(
                folder, parcel.index_name, parcel.index_json(), "application/json"
            )
        if not self.destination.find_file(folder, parcel.index_name):
            self.destination.upload(
                folder, parcel.index_name, parcel.index_json(), "application/json", properties
            )
        return file_id
