"""SFTP backend against a real asyncssh server: pinned host key, atomic writes, faults."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import asyncssh
import pytest

from shared.destinations.base import (
    Destination,
    ReconnectNeeded,
    RetryableError,
    RetryPolicy,
    StorageFull,
)
from shared.destinations.parcel import Overwritable
from shared.destinations.sftp import HostKeyRefused, SftpDestination, SftpSettings
from tests.fakes.sftp_server import SftpServer

FAST = RetryPolicy(max_attempts=4, base_delay=0.0, max_delay=0.0, sleep=lambda _s: None)


@pytest.fixture(params=[3, 6], ids=["sftp-v3", "sftp-v6"])
def server(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[SftpServer]:
    with SftpServer(tmp_path / "sftp-root", sftp_version=request.param) as srv:
        yield srv


def settings(server: SftpServer, **overrides: object) -> SftpSettings:
    values: dict[str, object] = {
        "host": "127.0.0.1",
        "port": server.port,
        "username": server.username,
        "password": server.password,
        "host_key": server.host_key,
        "root": "/",
        "allow_local": True,  # the fake server listens on loopback
    }
    values.update(overrides)
    return SftpSettings(**values)  # type: ignore[arg-type]


@pytest.fixture
def sftp(server: SftpServer) -> Iterator[SftpDestination]:
    with SftpDestination(settings(server), retry=FAST) as dest:
        yield dest


def test_is_a_destination_and_writes_nested_folders(sftp, server):
    assert isinstance(sftp, Destination)
    folder = sftp.ensure_folder(sftp.ensure_folder(None, "Invoice_import"), "AP")
    assert sftp.ensure_folder(sftp.ensure_folder(None, "Invoice_import"), "AP") == folder
    file_id = sftp.upload(folder, "2026-11-20_F-1_doc1.pdf", b"%PDF-1 body", "application/pdf")
    assert server.files() == {"Invoice_import/AP/2026-11-20_F-1_doc1.pdf": b"%PDF-1 body"}
    assert sftp.find_file(folder, "2026-11-20_F-1_doc1.pdf") == file_id
    assert sftp.find_file(folder, "other.pdf") is None
    assert sftp.exists(file_id) and not sftp.exists(folder + "/gone.pdf")
    assert sftp.link(file_id).startswith("sftp://firm@127.0.0.1:")


def test_upload_replaces_an_existing_file_atomically(sftp, server):
    folder = sftp.ensure_folder(None, "out")
    sftp.upload(folder, "a.json", b"old", "application/json")
    sftp.upload(folder, "a.json", b"new", "application/json")
    assert server.files() == {"out/a.json": b"new"}


def test_put_file_replaces_an_index_record_in_place(sftp, server):
    assert isinstance(sftp, Overwritable)
    folder = sftp.ensure_folder(None, "out")
    assert sftp.put_file(folder, "a.json", b'{"v": 1}', "application/json") == "/out/a.json"
    assert sftp.put_file(folder, "a.json", b'{"v": 2}', "application/json") == "/out/a.json"
    assert server.files() == {"out/a.json": b'{"v": 2}'}  # one file, the new record


def test_refused_host_key_is_a_clear_permanent_error(server, tmp_path):
    other = asyncssh.generate_private_key("ssh-ed25519").export_public_key().decode()
    with SftpDestination(settings(server, host_key=other), retry=FAST) as dest:
        with pytest.raises(HostKeyRefused, match="not the pinned one"):
            dest.ensure_folder(None, "x")
    assert server.files() == {}


def test_a_server_whose_key_changed_is_refused(sftp, server):
    sftp.ensure_folder(None, "before")
    server.rotate_host_key()
    sftp.close()
    with SftpDestination(settings(server, host_key=sftp.settings.host_key), retry=FAST) as dest:
        with pytest.raises(HostKeyRefused):
            dest.upload("/before", "x.pdf", b"x", "application/pdf")
    assert server.files() == {}


def test_the_host_key_is_required():
    with pytest.raises(ValueError, match="host key"):
        SftpSettings(host="h", port=22, username="u", password="p", host_key="")
    with pytest.raises(ValueError, match="OpenSSH public key"):
        SftpSettings(host="h", port=22, username="u", password="p", host_key="not a key")


def test_wrong_password_needs_a_person(server):
    with SftpDestination(settings(server, password="wrong"), retry=FAST) as dest:
        with pytest.raises(ReconnectNeeded):
            dest.ensure_folder(None, "x")


def test_crash_mid_upload_leaves_no_truncated_file_and_the_retry_completes(sftp, server):
    folder = sftp.ensure_folder(None, "out")
    server.faults.crash_mid_write()
    data = bytes(range(256)) * 400
    sftp.upload(folder, "doc.pdf", data, "application/pdf")
    real = {k: v for k, v in server.files().items() if not k.split("/")[-1].startswith(".")}
    assert real == {"out/doc.pdf": data}
    assert server.faults.fired["crash"] == 1 and sftp.retries == 1
    # The interrupted attempt's temporary file never carries the document's name.
    assert all(k.endswith(".part") for k in server.files() if k not in real)


def test_server_failures_are_retried_then_reported(sftp, server):
    folder = sftp.ensure_folder(None, "out")
    server.faults.fail("rename", count=2)
    sftp.upload(folder, "doc.pdf", b"x", "application/pdf")
    assert server.files() == {"out/doc.pdf": b"x"}  # the failed attempts cleaned up
    server.faults.fail("open", count=10)
    with pytest.raises(RetryableError):
        sftp.upload(folder, "doc2.pdf", b"y", "application/pdf")
    assert "out/doc2.pdf" not in server.files()


def test_disk_full_is_reported_and_nothing_is_left(sftp, server):
    folder = sftp.ensure_folder(None, "out")
    server.faults.no_space(count=10)
    # Version 3 (OpenSSH) reports a full disk as a plain failure: retried, then retryable.
    expected = StorageFull if server.sftp_version >= 5 else RetryableError
    with pytest.raises(expected):
        sftp.upload(folder, "doc.pdf", b"x", "application/pdf")
    assert server.files() == {}


@pytest.mark.parametrize("name", ["..", ".", "a/b", "bad\x00name", ""])
def test_traversal_and_separators_are_refused(sftp, name):
    with pytest.raises(ValueError):
        sftp.ensure_folder(None, name)
    with pytest.raises(ValueError):
        sftp.upload("/", name, b"x", "application/pdf")


def test_folder_sender_writes_the_document_and_its_index_once(sftp, server):
    from shared.destinations.parcel import FolderSender, Parcel

    parcel = Parcel(
        key="doc1:act1",
        folder=("Invoice_import", "Client_FR1", "AP"),
        name="2026-11-20_F-1_doc1.pdf",
        data=b"%PDF-1 body",
        mime_type="application/pdf",
        index={"document_id": "doc1", "total": "42.50"},
    )
    sender = FolderSender(sftp)
    first = sender.send(parcel)
    assert sender.send(parcel) == first  # a resend adopts what is there
    files = server.files()
    assert files["Invoice_import/Client_FR1/AP/2026-11-20_F-1_doc1.pdf"] == b"%PDF-1 body"
    assert b'"total": "42.50"' in files["Invoice_import/Client_FR1/AP/2026-11-20_F-1_doc1.json"]
    assert len(files) == 2


def test_list_files_shows_documents_not_temporaries_or_folders(sftp, server):
    folder = sftp.ensure_folder(None, "out")
    sftp.ensure_folder(folder, "sub")
    sftp.upload(folder, "a.pdf", b"a", "application/pdf")
    (server.root / "out" / ".b.pdf.123.part").write_bytes(b"partial")
    assert sftp.list_files(folder) == {"a.pdf": "/out/a.pdf"}
