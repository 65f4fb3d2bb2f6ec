"""The Dropbox backend through the real `dropbox` SDK, over HTTP, against FakeDropbox."""

from __future__ import annotations

import json
import os
import random
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from dropbox.content_hash import content_hash as sdk_content_hash

from shared.destinations.base import (
    Destination,
    DestinationError,
    ReconnectNeeded,
    RetryableError,
    StorageFull,
)
from shared.destinations.dropbox_backend import (
    DropboxDestination,
    DropboxNotFound,
    FileTooLarge,
    RetryPolicy,
    build_dropbox_client,
)
from shared.destinations.parcel import Overwritable
from tests.fakes.dropbox_api import FakeDropbox, content_hash
from tests.fakes.http_server import ThreadedServer

TOKEN = "sl.test-token"
MB = 1024 * 1024


class _Swappable:
    """One server for the module, a fresh fake per test (stopping a server costs 0.5 s)."""

    app: FakeDropbox | None = None

    def __call__(self, environ: dict, start_response: Any) -> Any:
        assert self.app is not None
        return self.app(environ, start_response)


@dataclass
class Env:
    fake: FakeDropbox
    server: ThreadedServer
    sleeps: list[float]

    def dropbox(self, **kwargs: Any) -> DropboxDestination:
        kwargs.setdefault(
            "retry", RetryPolicy(sleep=self.sleeps.append, rng=random.Random(3).random)
        )
        client = build_dropbox_client(TOKEN, api_url=self.server.base_url)
        return DropboxDestination(client, **kwargs)


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[_Swappable, ThreadedServer]]:
    swap = _Swappable()
    with ThreadedServer(swap) as server:
        yield swap, server


@pytest.fixture()
def env(served: tuple[_Swappable, ThreadedServer]) -> Env:
    swap, server = served
    swap.app = FakeDropbox(token=TOKEN)
    return Env(swap.app, server, [])


@pytest.fixture()
def dbx(env: Env) -> DropboxDestination:
    return env.dropbox()


def test_fake_content_hash_matches_the_sdk() -> None:
    for size in (0, 1, 4 * MB, 4 * MB + 1, 9 * MB):
        data = os.urandom(size)
        assert content_hash(data) == sdk_content_hash(data)


def test_implements_the_destination_protocol(dbx: DropboxDestination) -> None:
    assert isinstance(dbx, Destination)
    assert dbx.kind == "dropbox"


# ----------------------------------------------------------------------------- folders


def test_ensure_folder_is_idempotent_and_case_insensitive(
    env: Env, dbx: DropboxDestination
) -> None:
    root = dbx.ensure_folder(None, "Receipts")
    assert root.startswith("id:")
    month = dbx.ensure_folder(dbx.ensure_folder(root, "FR7630001007941234567890185"), "2026-03")
    assert dbx.ensure_folder(None, "Receipts") == root
    assert dbx.ensure_folder(None, "RECEIPTS") == root  # Dropbox paths ignore case
    assert env.fake.tree() == {"Receipts": {"FR7630001007941234567890185": {"2026-03": {}}}}
    assert (
        env.fake.metadata(month)["path_display"] == "/Receipts/FR7630001007941234567890185/2026-03"
    )  # type: ignore[index]


def test_a_file_where_a_folder_is_expected_is_an_error(env: Env, dbx: DropboxDestination) -> None:
    env.fake.user_upload("/Receipts", b"not a folder")
    with pytest.raises(DestinationError, match="is a file"):
        dbx.ensure_folder(None, "Receipts")


def test_ids_follow_a_folder_the_user_moved(env: Env, dbx: DropboxDestination) -> None:
    month = dbx.ensure_folder(dbx.ensure_folder(None, "Receipts"), "2026-03")
    env.fake.user_create_folder("/Archive")
    env.fake.user_move(month, "/Archive")
    file_id = dbx.upload(month, "a.pdf", b"x", "application/pdf")
    assert env.fake.metadata(file_id)["path_display"] == "/Archive/2026-03/a.pdf"  # type: ignore[index]


def test_deleted_folder_is_not_refilled(env: Env, dbx: DropboxDestination) -> None:
    root = dbx.ensure_folder(None, "Receipts")
    month = dbx.ensure_folder(root, "2026-03")
    env.fake.user_delete(month)
    assert dbx.exists(month) is False
    with pytest.raises(DropboxNotFound):
        dbx.upload(month, "a.pdf", b"x", "application/pdf")
    assert env.fake.tree() == {"Receipts": {}}  # an upload by path would have re-created it


# ----------------------------------------------------------------------------- uploads


def test_small_upload_round_trip(env: Env, dbx: DropboxDestination) -> None:
    folder = dbx.ensure_folder(None, "Receipts")
    data = os.urandom(20_000)
    file_id = dbx.upload(folder, "r.pdf", data, "application/pdf", {"document_id": "d1"})
    assert file_id.startswith("id:")
    assert env.fake.calls["files/upload"] == 1
    assert env.fake.metadata(file_id)["content_hash"] == content_hash(data)  # type: ignore[index]
    assert dbx.download(file_id, max_bytes=len(data)) == data
    assert dbx.find_file(folder, "r.pdf") == file_id
    assert dbx.find_file(folder, "R.PDF") == file_id
    assert dbx.find_file(folder, "missing.pdf") is None


def test_upload_session_for_a_9_mb_file(env: Env) -> None:
    dbx = env.dropbox(chunk_size=4 * MB)
    folder = dbx.ensure_folder(None, "Receipts")
    data = os.urandom(9 * MB)
    file_id = dbx.upload(folder, "scan.pdf", data, "application/pdf")
    assert env.fake.calls["files/upload_session/start"] == 1
    assert env.fake.calls["files/upload_session/append_v2"] == 1
    assert env.fake.calls["files/upload_session/finish"] == 1
    assert env.fake.calls["files/upload"] == 0
    assert env.fake.content(file_id) == data
    assert dbx.download(file_id, max_bytes=10 * MB) == data


def test_upload_session_recovers_from_lost_responses(env: Env) -> None:
    dbx = env.dropbox(chunk_size=2 * MB)
    folder = dbx.ensure_folder(None, "Receipts")
    data = os.urandom(7 * MB)
    # The append is applied but its answer is lost: the retry gets incorrect_offset and
    # resumes from correct_offset. The finish commits but its answer is lost: the retry
    # finds no session and adopts the committed file.
    env.fake.inject(503, count=1, methods=["files/upload_session/append_v2"], after_processing=True)
    env.fake.inject(429, count=1, methods=["files/upload_session/finish"], after_processing=True)
    file_id = dbx.upload(folder, "scan.pdf", data, "application/pdf")
    assert env.fake.content(file_id) == data
    assert list(env.fake.tree()["Receipts"]) == ["scan.pdf"]


def test_an_upload_costs_two_api_calls(env: Env, dbx: DropboxDestination) -> None:
    month = dbx.ensure_folder(dbx.ensure_folder(None, "Receipts"), "2026-03")
    env.fake.reset_calls()
    for i in range(30):
        dbx.upload(month, f"r{i}.pdf", b"%d" % i, "application/pdf")
    # Resolving the folder id to its current path on each upload is what keeps a folder
    # the user deleted from being re-created by Dropbox's implicit parent creation.
    assert env.fake.calls == {"files/get_metadata": 30, "files/upload": 30}


def test_a_retried_simple_upload_does_not_duplicate(env: Env, dbx: DropboxDestination) -> None:
    folder = dbx.ensure_folder(None, "Receipts")
    env.fake.inject(500, count=1, methods=["files/upload"], after_processing=True)
    file_id = dbx.upload(folder, "a.pdf", b"same bytes", "application/pdf")
    assert env.fake.tree() == {"Receipts": {"a.pdf": content_hash(b"same bytes")}}
    assert env.fake.metadata("/Receipts/a.pdf")["id"] == file_id  # type: ignore[index]


def test_a_name_taken_by_other_content_gets_a_new_name(env: Env, dbx: DropboxDestination) -> None:
    folder = dbx.ensure_folder(None, "Receipts")
    env.fake.user_upload("/Receipts/a.pdf", b"the user's own file")
    file_id = dbx.upload(folder, "a.pdf", b"our receipt", "application/pdf")
    assert env.fake.metadata(file_id)["name"] == "a (1).pdf"  # type: ignore[index]
    assert env.fake.content("/Receipts/a.pdf") == b"the user's own file"


def test_deleted_file_does_not_exist(env: Env, dbx: DropboxDestination) -> None:
    folder = dbx.ensure_folder(None, "Receipts")
    file_id = dbx.upload(folder, "a.pdf", b"x", "application/pdf")
    assert dbx.exists(file_id) is True
    env.fake.user_delete(file_id)
    assert dbx.exists(file_id) is False
    assert dbx.find_file(folder, "a.pdf") is None


def test_link_opens_the_item_in_the_dropbox_web_app(dbx: DropboxDestination) -> None:
    folder = dbx.ensure_folder(None, "Reçus 2026")
    file_id = dbx.upload(folder, "a b.pdf", b"x", "application/pdf")
    assert dbx.link(folder) == "https://www.dropbox.com/home/Re%C3%A7us%202026"
    assert dbx.link(file_id) == "https://www.dropbox.com/home/Re%C3%A7us%202026?preview=a%20b.pdf"


def test_list_children_reads_every_page(env: Env) -> None:
    env.fake.list_page_size = 3
    dbx = env.dropbox()
    folder = dbx.ensure_folder(None, "Dropzone")
    for i in range(8):
        env.fake.user_upload(f"/Dropzone/f{i}.pdf", b"%d" % i)
    names = sorted(md.name for md in dbx.list_children(folder))
    assert names == [f"f{i}.pdf" for i in range(8)]
    assert env.fake.calls["files/list_folder/continue"] == 2


def test_download_refuses_files_above_the_limit(env: Env, dbx: DropboxDestination) -> None:
    file_id = env.fake.user_upload("/big.pdf", b"x" * 2048)
    with pytest.raises(FileTooLarge):
        dbx.download(file_id, max_bytes=1024)
    assert env.fake.calls["files/download"] == 0


def test_invalid_names_are_refused(dbx: DropboxDestination) -> None:
    folder = dbx.ensure_folder(None, "Receipts")
    for name in ("", "..", "a/b.pdf"):
        with pytest.raises(ValueError):
            dbx.upload(folder, name, b"x", "application/pdf")


# ----------------------------------------------------------------------------- failures


def test_not_found_is_a_409_route_error(env: Env) -> None:
    request = urllib.request.Request(
        env.server.base_url + "/2/files/get_metadata",
        data=json.dumps({"path": "/nope"}).encode(),
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"},
    )
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(request, timeout=10)
    assert info.value.code == 409
    assert info.value.headers["Content-Type"] == "application/json"
    body = json.loads(info.value.read())
    assert body["error_summary"].startswith("path/not_found/")
    assert body["error"] == {".tag": "path", "path": {".tag": "not_found"}}


@pytest.mark.parametrize("how", ["revoke", "expire"])
def test_refused_token_needs_reconnect(env: Env, dbx: DropboxDestination, how: str) -> None:
    folder = dbx.ensure_folder(None, "Receipts")
    env.fake.revoke_token() if how == "revoke" else env.fake.expire_token()
    with pytest.raises(ReconnectNeeded):
        dbx.exists(folder)  # never "does not exist" when we simply cannot look
    with pytest.raises(ReconnectNeeded):
        dbx.upload(folder, "a.pdf", b"x", "application/pdf")
    assert dbx.retries == 0


def test_insufficient_space_is_storage_full(env: Env) -> None:
    env.fake.quota_bytes = 3 * MB - 1
    dbx = env.dropbox(chunk_size=2 * MB)
    folder = dbx.ensure_folder(None, "Receipts")
    dbx.upload(folder, "fits.pdf", b"x" * MB, "application/pdf")
    with pytest.raises(StorageFull):
        dbx.upload(folder, "simple.pdf", b"x" * (2 * MB), "application/pdf")  # files/upload
    with pytest.raises(StorageFull):
        dbx.upload(folder, "session.pdf", os.urandom(5 * MB), "application/pdf")  # finish
    assert dbx.retries == 0
    assert dbx.space_usage() == (MB, 3 * MB - 1)


def test_rate_limit_storm_is_survived_honouring_retry_after(
    env: Env, dbx: DropboxDestination
) -> None:
    folder = dbx.ensure_folder(None, "Receipts")
    env.fake.inject(429, "too_many_requests", count=3)
    env.fake.inject(429, "too_many_write_operations", count=2)
    file_id = dbx.upload(folder, "a.pdf", b"x", "application/pdf")
    assert env.fake.content(file_id) == b"x"
    assert dbx.retries == 5
    assert len(env.sleeps) == 5 and all(s >= 1.0 for s in env.sleeps)  # Retry-After: 1


def test_server_errors_are_retried(env: Env, dbx: DropboxDestination) -> None:
    env.fake.inject(500)
    env.fake.inject(503)
    folder = dbx.ensure_folder(None, "Receipts")
    assert dbx.exists(folder)
    assert dbx.retries == 2


def test_retries_run_out_as_a_retryable_error(env: Env, dbx: DropboxDestination) -> None:
    env.fake.inject(503, count=100)
    with pytest.raises(RetryableError):
        dbx.ensure_folder(None, "Receipts")
    assert env.fake.calls["files/create_folder_v2"] == dbx.retry.max_attempts


def test_random_faults_do_not_lose_or_duplicate_files(env: Env) -> None:
    dbx = env.dropbox(chunk_size=256 * 1024)
    env.fake.random_faults(0.25, seed=5, statuses=(429, 500, 503))
    month = dbx.ensure_folder(dbx.ensure_folder(None, "Receipts"), "2026-03")
    expected = {}
    for i in range(12):
        data = os.urandom(1000 if i % 3 else 600 * 1024)
        dbx.upload(month, f"r{i}.pdf", data, "application/pdf")
        expected[f"r{i}.pdf"] = content_hash(data)
    assert env.fake.tree() == {"Receipts": {"2026-03": expected}}
    assert dbx.retries > 0


def test_put_file_overwrites_an_index_record_in_place(env: Env, dbx: DropboxDestination) -> None:
    assert isinstance(dbx, Overwritable)
    folder = dbx.ensure_folder(None, "Invoice_import")
    first = dbx.put_file(folder, "F-1.json", b'{"transaction_id": null}', "application/json")
    env.fake.inject(503, count=1, methods=["files/upload"])  # retried
    again = dbx.put_file(folder, "F-1.json", b'{"transaction_id": "tx-1"}', "application/json")
    assert again == first  # the same file, a new revision: no "F-1 (1).json"
    assert env.fake.content(again) == b'{"transaction_id": "tx-1"}'
    assert list(env.fake.tree()["Invoice_import"]) == ["F-1.json"]
