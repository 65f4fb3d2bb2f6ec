"""The Drive backend through the real google-api-python-client, over HTTP, against FakeDrive."""

from __future__ import annotations

import hashlib
import io
import json
import os
import random
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from googleapiclient.errors import HttpError
from googleapiclient.http import MediaIoBaseUpload

from shared.destinations.base import (
    Destination,
    ReconnectNeeded,
    RetryableError,
    StorageFull,
)
from shared.destinations.google_drive import (
    FOLDER_MIME,
    DriveNotFound,
    FileTooLarge,
    GoogleDrive,
    RetryPolicy,
    build_drive_service,
    escape_q,
)
from shared.destinations.parcel import Overwritable
from tests.fakes.google_drive import FakeDrive
from tests.fakes.http_server import ThreadedServer

TOKEN = "ya29.test-token"
MB = 1024 * 1024


@dataclass
class Env:
    fake: FakeDrive
    server: ThreadedServer
    sleeps: list[float]

    def drive(self, **kwargs: object) -> GoogleDrive:
        policy = RetryPolicy(sleep=self.sleeps.append, rng=random.Random(7).random)
        kwargs.setdefault("retry", policy)
        service = build_drive_service(TOKEN, root_url=self.server.base_url)
        return GoogleDrive(service, **kwargs)  # type: ignore[arg-type]


class _Swappable:
    """One server for the module, a fresh fake per test (stopping a server costs 0.5 s)."""

    app: FakeDrive | None = None

    def __call__(self, environ: dict, start_response: Any) -> Any:
        assert self.app is not None
        return self.app(environ, start_response)


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[_Swappable, ThreadedServer]]:
    swap = _Swappable()
    with ThreadedServer(swap) as server:
        yield swap, server


@pytest.fixture()
def env(served: tuple[_Swappable, ThreadedServer]) -> Env:
    swap, server = served
    swap.app = FakeDrive(token=TOKEN)
    return Env(swap.app, server, [])


@pytest.fixture()
def drive(env: Env) -> GoogleDrive:
    return env.drive()


# ----------------------------------------------------------------------------- folders


def test_implements_the_destination_protocol(drive: GoogleDrive) -> None:
    assert isinstance(drive, Destination)
    assert drive.kind == "google_drive"


def test_ensure_folder_is_idempotent(env: Env, drive: GoogleDrive) -> None:
    root = drive.ensure_folder(None, "Receipts")
    account = drive.ensure_folder(root, "FR76 3000 1007 9412 3456 7890 185")
    month = drive.ensure_folder(account, "2026-03")
    assert drive.ensure_folder(None, "Receipts") == root
    assert drive.ensure_folder(root, "FR76 3000 1007 9412 3456 7890 185") == account
    assert drive.ensure_folder(account, "2026-03") == month
    assert env.fake.tree() == {"Receipts": {"FR76 3000 1007 9412 3456 7890 185": {"2026-03": {}}}}


def test_names_with_quotes_and_backslashes_are_escaped_in_queries(
    env: Env, drive: GoogleDrive
) -> None:
    tricky = "L'Atelier \\ d'Œuvre 'q'"
    folder = drive.ensure_folder(None, tricky)
    assert drive.ensure_folder(None, tricky) == folder
    file_id = drive.upload(folder, tricky + ".pdf", b"%PDF-1.4", "application/pdf")
    assert drive.find_file(folder, tricky + ".pdf") == file_id
    assert env.fake.item(folder)["name"] == tricky  # type: ignore[index]


def test_duplicate_folders_resolve_to_the_oldest(env: Env, drive: GoogleDrive) -> None:
    first = env.fake.user_create_folder(None, "Receipts")
    env.fake.user_create_folder(None, "Receipts")
    assert drive.ensure_folder(None, "Receipts") == first


def test_racing_runs_converge_on_one_folder(env: Env) -> None:
    def run(name: str, barrier: threading.Barrier, results: list[str]) -> None:
        drive = env.drive()  # one client per thread: httplib2 is not thread-safe
        barrier.wait()
        results.append(drive.ensure_folder(None, name))

    for round_no in range(5):
        name, barrier, results = f"Month {round_no}", threading.Barrier(3), []
        threads = [threading.Thread(target=run, args=(name, barrier, results)) for _ in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
        assert len(results) == 3 and len(set(results)) == 1
        live = [c for c in env.fake.children(None) if c["name"] == name]
        assert [c["id"] for c in live] == [results[0]]


def test_upload_into_a_deleted_folder_fails_and_does_not_recreate_it(
    env: Env, drive: GoogleDrive
) -> None:
    root = drive.ensure_folder(None, "Receipts")
    month = drive.ensure_folder(root, "2026-03")
    env.fake.user_delete(month)
    with pytest.raises(DriveNotFound):
        drive.upload(month, "a.pdf", b"x", "application/pdf")
    assert env.fake.tree() == {"Receipts": {}}


def test_no_folder_is_created_inside_a_trashed_folder(env: Env, drive: GoogleDrive) -> None:
    root = drive.ensure_folder(None, "Receipts")
    env.fake.user_trash(root)
    with pytest.raises(DriveNotFound):
        drive.ensure_folder(root, "2026-03")
    assert env.fake.children(root, include_trashed=True) == []


# ----------------------------------------------------------------------------- uploads


def test_multipart_upload_round_trip(env: Env, drive: GoogleDrive) -> None:
    folder = drive.ensure_folder(None, "Receipts")
    # Bytes that look like multipart syntax must survive the bare-\n multipart body.
    data = b"%PDF-1.7\r\n--===============123==\n\r\n" + os.urandom(50_000) + b"\n--x--\n"
    file_id = drive.upload(folder, "r.pdf", data, "application/pdf", {"document_id": "doc-1"})
    assert env.fake.calls["upload.chunk"] == 0
    meta = drive.get(file_id)
    assert meta is not None
    assert meta.md5 == hashlib.md5(data).hexdigest()
    assert meta.size == len(data)
    assert meta.app_properties == {"document_id": "doc-1"}
    assert meta.parents == (folder,)
    assert drive.download(file_id, max_bytes=len(data)) == data


@pytest.mark.parametrize("data", [b"ends with CR\r", b"\r\n\r\nstarts with CRLFs", b"\n", b""])
def test_multipart_keeps_line_break_bytes_at_the_edges(drive: GoogleDrive, data: bytes) -> None:
    folder = drive.ensure_folder(None, "Receipts")
    file_id = drive.upload(folder, "edge.bin", data, "application/octet-stream")
    assert drive.download(file_id, max_bytes=100) == data


def test_fake_accepts_crlf_multipart_bodies(env: Env) -> None:
    body = (
        b"--XYZ\r\nContent-Type: application/json\r\n\r\n"
        + json.dumps({"name": "crlf.bin"}).encode()
        + b"\r\n--XYZ\r\nContent-Type: application/octet-stream\r\n\r\n"
        + b"payload\r"
        + b"\r\n--XYZ--\r\n"
    )
    request = urllib.request.Request(
        env.server.base_url + "/upload/drive/v3/files?uploadType=multipart&fields=id,size",
        data=body,
        headers={
            "Authorization": f"Bearer {TOKEN}",
            "Content-Type": 'multipart/related; boundary="XYZ"',
        },
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        created = json.loads(response.read())
    assert env.fake.content(created["id"]) == b"payload\r"
    assert created["size"] == "8"


def test_resumable_upload_round_trip_in_chunks(env: Env) -> None:
    drive = env.drive(resumable_threshold=5 * MB, chunk_size=1 * MB)
    folder = drive.ensure_folder(None, "Receipts")
    data = os.urandom(6 * MB + 123)
    file_id = drive.upload(folder, "scan.tiff", data, "image/tiff")
    assert env.fake.calls["upload.chunk"] == 7  # 6 full chunks + the tail
    meta = drive.get(file_id)
    assert meta is not None and meta.md5 == hashlib.md5(data).hexdigest()
    assert drive.download(file_id, max_bytes=10 * MB) == data


def test_resumable_upload_resumes_after_a_failed_chunk(env: Env) -> None:
    drive = env.drive(resumable_threshold=1 * MB, chunk_size=256 * 1024)
    folder = drive.ensure_folder(None, "Receipts")
    data = os.urandom(2 * MB)
    env.fake.inject(503, count=2, methods=["upload.chunk"])
    env.fake.inject(429, count=1, methods=["files.create"])  # the session start, too
    file_id = drive.upload(folder, "big.pdf", data, "application/pdf")
    assert env.fake.content(file_id) == data
    assert drive.retries == 3
    assert len([c for c in env.fake.children(folder)]) == 1


def test_a_create_whose_response_was_lost_is_not_duplicated(env: Env) -> None:
    drive = env.drive(resumable_threshold=300 * 1024, chunk_size=256 * 1024)
    folder = drive.ensure_folder(None, "Receipts")
    env.fake.inject(503, methods=["files.create"], after_processing=True)
    small = drive.upload(folder, "small.pdf", b"small", "application/pdf")
    env.fake.inject(502, methods=["upload.chunk"], after_processing=True, count=2)
    big_data = os.urandom(400 * 1024)
    big = drive.upload(folder, "big.pdf", big_data, "application/pdf")
    assert env.fake.tree() == {
        "Receipts": {
            "small.pdf": hashlib.md5(b"small").hexdigest(),
            "big.pdf": hashlib.md5(big_data).hexdigest(),
        }
    }
    assert env.fake.content(small) == b"small" and env.fake.content(big) == big_data
    assert env.fake.calls["files.generateIds"] == 1  # ids are reserved in batches


def test_an_upload_costs_one_api_call(env: Env, drive: GoogleDrive) -> None:
    month = drive.ensure_folder(drive.ensure_folder(None, "Receipts"), "2026-03")
    env.fake.reset_calls()
    for i in range(30):
        drive.upload(month, f"r{i}.pdf", b"%d" % i, "application/pdf")
    assert env.fake.calls == {"files.create": 30, "files.generateIds": 1}


def test_fake_supports_media_update(env: Env) -> None:
    service = build_drive_service(TOKEN, root_url=env.server.base_url)
    file_id = env.fake.user_upload(None, "a.txt", b"old", "text/plain")
    media = MediaIoBaseUpload(io.BytesIO(b"new content"), mimetype="text/plain")
    res = service.files().update(fileId=file_id, media_body=media, fields="md5Checksum").execute()
    assert res == {"md5Checksum": hashlib.md5(b"new content").hexdigest()}
    assert env.fake.content(file_id) == b"new content"


def test_fake_refuses_ids_it_did_not_generate(env: Env) -> None:
    service = build_drive_service(TOKEN, root_url=env.server.base_url)
    with pytest.raises(HttpError) as info:
        service.files().create(body={"id": "made-up", "name": "x"}).execute()
    assert info.value.resp.status == 400


def test_find_file_ignores_trashed_files_and_folders(env: Env, drive: GoogleDrive) -> None:
    folder = drive.ensure_folder(None, "Receipts")
    drive.ensure_folder(folder, "a.pdf")  # a folder with a file-like name is not a file
    assert drive.find_file(folder, "a.pdf") is None
    file_id = drive.upload(folder, "a.pdf", b"x", "application/pdf")
    assert drive.find_file(folder, "a.pdf") == file_id
    env.fake.user_trash(file_id)
    assert drive.find_file(folder, "a.pdf") is None


# ----------------------------------------------------------------------------- listing


def test_list_children_reads_every_page(env: Env, drive: GoogleDrive) -> None:
    folder = env.fake.user_create_folder(None, "Dropzone")
    ids = [
        env.fake.user_upload(folder, f"f{i}.pdf", b"%d" % i, "application/pdf") for i in range(1003)
    ]
    trashed = env.fake.user_upload(folder, "trashed.pdf", b"t", "application/pdf")
    env.fake.user_trash(trashed)
    env.fake.user_upload(None, "elsewhere.pdf", b"e", "application/pdf")
    env.fake.reset_calls()
    children = drive.list_children(folder)
    assert [c.id for c in children] == ids
    assert env.fake.calls["files.list"] == 2
    assert children[5].size == 1 and children[5].md5 == hashlib.md5(b"5").hexdigest()


def test_q_language_subset(env: Env) -> None:
    service = build_drive_service(TOKEN, root_url=env.server.base_url)
    inbox = env.fake.user_create_folder(None, "Dropzone")
    a = env.fake.user_upload(inbox, "a.pdf", b"a", "application/pdf")
    b = env.fake.user_upload(inbox, "O'Hara.jpg", b"b", "image/jpeg")
    sub = env.fake.user_create_folder(inbox, "a.pdf")
    env.fake.user_upload(None, "a.pdf", b"c", "application/pdf")
    service.files().update(fileId=b, body={"appProperties": {"doc": "42"}}).execute()

    def ids(q: str) -> list[str]:
        res = service.files().list(q=q, fields="files(id)", pageSize=2).execute()
        return [f["id"] for f in res["files"]]

    parent = escape_q(inbox)
    assert ids(f"{parent} in parents and name = 'a.pdf'") == [a, sub]
    assert ids(f"{parent} in parents and mimeType != '{FOLDER_MIME}'")[:2] == [a, b]
    quoted_name = escape_q("O'Hara.jpg")
    assert ids(f"{parent} in parents and name = {quoted_name}") == [b]
    assert ids("appProperties has { key='doc' and value='42' }") == [b]
    assert ids(f"({parent} in parents) and not (name = 'a.pdf' or mimeType = '{FOLDER_MIME}')") == [
        b
    ]
    env.fake.user_trash(a)
    assert ids(f"{parent} in parents and trashed = true") == [a]
    with pytest.raises(HttpError) as info:
        service.files().list(q="name = 'unterminated").execute()
    assert info.value.resp.status == 400
    assert json.loads(info.value.content)["error"]["errors"][0]["location"] == "q"


# ----------------------------------------------------------------------------- lifecycle


def test_trashed_or_deleted_items_do_not_exist(env: Env, drive: GoogleDrive) -> None:
    root = drive.ensure_folder(None, "Receipts")
    month = drive.ensure_folder(root, "2026-03")
    kept = drive.upload(month, "kept.pdf", b"k", "application/pdf")
    gone = drive.upload(month, "gone.pdf", b"g", "application/pdf")
    env.fake.user_delete(gone)
    assert drive.exists(kept) is True
    assert drive.exists(gone) is False
    assert drive.get(gone) is None
    env.fake.user_trash(month)  # trashing a folder trashes what it holds
    assert drive.exists(month) is False
    assert drive.exists(kept) is False
    assert drive.exists(root) is True
    env.fake.user_untrash(month)
    assert drive.exists(kept) is True


def test_move_between_folders_and_record_a_reason(env: Env, drive: GoogleDrive) -> None:
    dropzone = drive.ensure_folder(None, "Dropzone")
    unsupported = drive.ensure_folder(None, "Unsupported")
    file_id = env.fake.user_upload(dropzone, "notes.txt", b"hello", "text/plain")
    drive.move(file_id, dropzone, unsupported)
    drive.set_properties(file_id, {"reason": "unsupported_type", "run": "1"}, "Not a receipt")
    drive.set_properties(file_id, {"run": "2"})
    assert [c.id for c in drive.list_children(dropzone)] == []
    [moved] = drive.list_children(unsupported)
    assert moved.id == file_id
    assert moved.parents == (unsupported,)
    assert moved.app_properties == {"reason": "unsupported_type", "run": "2"}
    assert moved.description == "Not a receipt"


def test_download_refuses_files_above_the_limit(env: Env, drive: GoogleDrive) -> None:
    file_id = env.fake.user_upload(None, "huge.pdf", b"x" * 2048, "application/pdf")
    with pytest.raises(FileTooLarge):
        drive.download(file_id, max_bytes=1024)
    assert env.fake.calls["files.download"] == 0  # refused from metadata, nothing fetched


def test_link_is_the_web_view_link(drive: GoogleDrive) -> None:
    folder = drive.ensure_folder(None, "Receipts")
    file_id = drive.upload(folder, "a.pdf", b"x", "application/pdf")
    assert drive.link(file_id) == f"https://drive.google.com/file/d/{file_id}/view?usp=drivesdk"
    assert drive.link(folder) == f"https://drive.google.com/drive/folders/{folder}"


# ----------------------------------------------------------------------------- failures


def test_rate_limit_storm_is_survived(env: Env, drive: GoogleDrive) -> None:
    folder = drive.ensure_folder(None, "Receipts")
    env.fake.inject(429, "rateLimitExceeded", count=3)
    env.fake.inject(403, "userRateLimitExceeded", count=2)
    file_id = drive.upload(folder, "a.pdf", b"x", "application/pdf")
    assert env.fake.content(file_id) == b"x"
    assert drive.retries == 5
    assert len(env.sleeps) == 5
    # Full jitter below an exponential cap: attempt n waits at most base * 2**n.
    assert all(0 <= s <= 2**n for n, s in enumerate(env.sleeps, start=1))


def test_server_errors_are_retried(env: Env, drive: GoogleDrive) -> None:
    env.fake.inject(500)
    env.fake.inject(502)  # an HTML body, as Google's front end sends
    env.fake.inject(503)
    folder = drive.ensure_folder(None, "Receipts")
    assert drive.exists(folder)
    assert drive.retries == 3


def test_retries_run_out_as_a_retryable_error(env: Env, drive: GoogleDrive) -> None:
    env.fake.inject(503, count=100)
    with pytest.raises(RetryableError):
        drive.ensure_folder(None, "Receipts")
    assert env.fake.calls["files.list"] == drive.retry.max_attempts


def test_storage_quota_exceeded_is_storage_full(env: Env) -> None:
    env.fake.quota_bytes = 1000
    drive = env.drive(resumable_threshold=600, chunk_size=256 * 1024)
    folder = drive.ensure_folder(None, "Receipts")
    drive.upload(folder, "fits.pdf", b"x" * 500, "application/pdf")
    with pytest.raises(StorageFull):
        drive.upload(folder, "multipart.pdf", b"x" * 501, "application/pdf")
    with pytest.raises(StorageFull):
        drive.upload(folder, "resumable.pdf", b"x" * 700, "application/pdf")
    assert drive.retries == 0  # quota is not a transient error
    assert drive.storage_quota().usage == 500
    assert drive.storage_quota().limit == 1000


def test_revoked_token_needs_reconnect(env: Env, drive: GoogleDrive) -> None:
    folder = drive.ensure_folder(None, "Receipts")
    env.fake.revoke_token()
    with pytest.raises(ReconnectNeeded):
        drive.exists(folder)  # never "does not exist" when we simply cannot look
    with pytest.raises(ReconnectNeeded):
        drive.upload(folder, "a.pdf", b"x", "application/pdf")
    assert drive.retries == 0


def test_random_faults_do_not_lose_or_duplicate_files(env: Env) -> None:
    drive = env.drive(resumable_threshold=300 * 1024, chunk_size=256 * 1024)
    env.fake.random_faults(0.25, seed=11, statuses=(429, 500, 503))
    month = drive.ensure_folder(drive.ensure_folder(None, "Receipts"), "2026-03")
    expected = {}
    for i in range(12):
        data = os.urandom(1000 if i % 3 else 400 * 1024)
        drive.upload(month, f"r{i}.pdf", data, "application/pdf")
        expected[f"r{i}.pdf"] = hashlib.md5(data).hexdigest()
    assert env.fake.tree() == {"Receipts": {"2026-03": expected}}
    assert drive.retries > 0


# ----------------------------------------------------------------------------- fake fidelity


def test_fake_speaks_drive_error_json(env: Env) -> None:
    request = urllib.request.Request(
        env.server.base_url + "/drive/v3/files/nope", headers={"Authorization": "Bearer bad"}
    )
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(request, timeout=10)
    assert info.value.code == 401
    body = json.loads(info.value.read())
    assert body["error"]["status"] == "UNAUTHENTICATED"
    assert body["error"]["errors"][0]["reason"] == "authError"
    request = urllib.request.Request(
        env.server.base_url + "/drive/v3/files/nope", headers={"Authorization": f"Bearer {TOKEN}"}
    )
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(request, timeout=10)
    assert info.value.code == 404
    assert json.loads(info.value.read())["error"]["errors"][0]["reason"] == "notFound"


def test_put_file_updates_the_live_file_of_that_name(env: Env, drive: GoogleDrive) -> None:
    assert isinstance(drive, Overwritable)
    folder = drive.ensure_folder(None, "Invoice_import")
    first = drive.put_file(folder, "F-1.json", b'{"transaction_id": null}', "application/json")
    env.fake.inject(503, count=1, methods=["files.update"])  # retried
    again = drive.put_file(folder, "F-1.json", b'{"transaction_id": "tx-1"}', "application/json")
    assert again == first  # the same file (its id, sharing and links kept), new content
    assert env.fake.content(again) == b'{"transaction_id": "tx-1"}'
    assert [c["name"] for c in env.fake.children(folder)] == ["F-1.json"]
