"""OneDrive backend (msal + Graph over HTTP) against the local Graph and token server."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest

from shared.destinations.base import Destination, ReconnectNeeded, RetryableError, RetryPolicy
from shared.destinations.onedrive import CHUNK_UNIT, MsalTokens, OneDrive, local_session
from shared.destinations.parcel import FolderSender, Parcel
from tests.fakes.http_server import ThreadedServer
from tests.fakes.onedrive import FakeOneDrive


class Sleeps(list):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def graph() -> Iterator[FakeOneDrive]:
    fake = FakeOneDrive(retry_after=3)
    with ThreadedServer(fake) as server:
        fake.base_url = server.base_url
        yield fake


def drive(
    graph: FakeOneDrive, refresh: str = "firm-refresh-token", sleeps: Sleeps | None = None, **kw
) -> OneDrive:
    session = local_session(graph.base_url)
    tokens = MsalTokens("app-id", "app-secret", refresh, tenant="common", http_client=session)
    retry = RetryPolicy(
        max_attempts=4,
        base_delay=0.0,
        max_delay=30,
        sleep=sleeps if sleeps is not None else Sleeps(),
    )
    return OneDrive(tokens, session=session, retry=retry, **kw)


def test_documents_land_in_the_app_folder_through_upload_sessions(graph):
    onedrive = drive(graph, chunk_size=CHUNK_UNIT)
    assert isinstance(onedrive, Destination)
    data = bytes(range(256)) * 3000  # 768,000 bytes: three fragments
    parcel = Parcel(
        "doc1:act1",
        ("Invoice_import", "Client_FR1", "AP"),
        "2026-11-28_F-1_doc1.pdf",
        data,
        "application/pdf",
        {"total": "1.00"},
    )
    FolderSender(onedrive).send(parcel)
    files = graph.files()
    assert files["Invoice_import/Client_FR1/AP/2026-11-28_F-1_doc1.pdf"] == data
    assert "Invoice_import/Client_FR1/AP/2026-11-28_F-1_doc1.json" in files
    # Every fragment but the last is a multiple of 320 KiB.
    assert graph.fragment_sizes[:2] == [CHUNK_UNIT, CHUNK_UNIT] and sum(
        graph.fragment_sizes[:3]
    ) == len(data)


def test_resending_replaces_instead_of_making_a_copy(graph):
    onedrive = drive(graph)
    folder = onedrive.ensure_folder(None, "out")
    assert onedrive.ensure_folder(None, "out") == folder
    onedrive.upload(folder, "a.pdf", b"old", "application/pdf")
    onedrive.upload(folder, "a.pdf", b"new", "application/pdf")
    assert graph.files() == {"out/a.pdf": b"new"}


def test_429_honours_retry_after_and_5xx_is_retried(graph):
    sleeps = Sleeps()
    onedrive = drive(graph, sleeps=sleeps)
    folder = onedrive.ensure_folder(None, "out")
    graph.faults.inject(429, methods=["PUT"])
    graph.faults.inject(503, methods=["POST"])
    onedrive.upload(folder, "a.pdf", b"x" * 1000, "application/pdf")
    assert graph.files() == {"out/a.pdf": b"x" * 1000}
    assert 3.0 in sleeps and onedrive.retries == 2
    graph.faults.inject(500, count=10)
    with pytest.raises(RetryableError):
        onedrive.upload(folder, "b.pdf", b"y", "application/pdf")


def test_a_lost_fragment_answer_resumes_from_next_expected_ranges(graph):
    onedrive = drive(graph, chunk_size=CHUNK_UNIT)
    folder = onedrive.ensure_folder(None, "out")
    graph.faults.inject(
        502, methods=["PUT"], after_processing=True
    )  # first fragment stored, answer lost
    data = b"z" * (CHUNK_UNIT * 2 + 10)
    onedrive.upload(folder, "big.pdf", data, "application/pdf")
    assert graph.files()["out/big.pdf"] == data


def test_revoked_refresh_token_needs_a_reconnect(graph):
    with pytest.raises(ReconnectNeeded):
        drive(graph, refresh="revoked").ensure_folder(None, "out")


def test_chunk_size_must_be_a_multiple_of_320_kib(graph):
    with pytest.raises(ValueError, match="320 KiB"):
        drive(graph, chunk_size=1_000_000)


def test_an_installed_onedrive_extension_sends_through_the_factory(graph):
    from shared.destinations.partner_factory import open_sender, validate
    from shared.domain.partners import ExtensionKind, PartnerInvalid

    settings = {"client_id": "app-id", "local_url": graph.base_url, "retry": {"max_attempts": 2}}
    secrets = {"client_secret": "app-secret", "refresh_token": "firm-refresh-token"}
    validate(ExtensionKind.ONEDRIVE, settings, secrets)
    with pytest.raises(PartnerInvalid):
        validate(ExtensionKind.ONEDRIVE, settings, {"client_secret": "x"})
    parcel = Parcel("d:a", ("Invoice_import",), "x.pdf", b"%PDF", "application/pdf", {})
    saved: list[dict[str, str]] = []
    with open_sender(ExtensionKind.ONEDRIVE, settings, secrets, {}, saved.append) as sender:
        sender.send(parcel)
    assert graph.files()["Invoice_import/x.pdf"] == b"%PDF"
    # The rotated refresh token is handed back to be sealed in place of the old one.
    ((stored,),) = [saved]
    assert stored["client_secret"] == "app-secret"
    assert stored["refresh_token"] != "firm-refresh-token"
    assert stored["refresh_token"] in graph.refresh_tokens


def test_an_update_replaces_the_index_record_beside_the_document(graph):
    onedrive = drive(graph)
    parcel = Parcel(
        "doc1:act1", ("Invoice_import",), "F-1.pdf", b"%PDF", "application/pdf", {"tx": None}
    )
    FolderSender(onedrive).send(parcel)
    update = replace(parcel, key="doc1:act1#1@r2", index={"tx": "tx-1"}, update_of=parcel.key)
    graph.faults.inject(503, methods=["PUT"])  # a fragment refused once: retried
    FolderSender(drive(graph, conflict_behavior="fail")).send(update)  # replaces all the same
    assert graph.files() == {
        "Invoice_import/F-1.pdf": b"%PDF",
        "Invoice_import/F-1.json": b'{\n  "tx": "tx-1"\n}',
    }
