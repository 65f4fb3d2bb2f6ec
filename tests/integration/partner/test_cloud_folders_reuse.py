"""Dropbox as a partner extension: the export's backend, reused through the partner factory."""

from __future__ import annotations

from shared.destinations.parcel import Parcel
from shared.destinations.partner_factory import open_sender, validate
from shared.domain.partners import ExtensionKind
from tests.fakes.dropbox_api import FakeDropbox
from tests.fakes.http_server import ThreadedServer


def test_an_installed_dropbox_extension_writes_the_client_layout_once():
    fake = FakeDropbox(token="sl.firm-token")
    with ThreadedServer(fake) as server:
        settings = {"api_url": server.base_url, "retry": {"max_attempts": 3}}
        secrets = {"access_token": "sl.firm-token"}
        validate(ExtensionKind.DROPBOX, settings, secrets)
        parcel = Parcel(
            "doc1:act1",
            ("Invoice_import", "Atelier Nord SAS_FR40303265045", "AP"),
            "2026-11-28_F-1_doc1.pdf",
            b"%PDF-1.7 x",
            "application/pdf",
            {"total": "1.00"},
        )
        with open_sender(ExtensionKind.DROPBOX, settings, secrets, {}) as sender:
            first = sender.send(parcel)
            assert sender.send(parcel) == first  # adopted, not uploaded twice
        folder = "/Invoice_import/Atelier Nord SAS_FR40303265045/AP"
        assert fake.content(folder + "/2026-11-28_F-1_doc1.pdf") == b"%PDF-1.7 x"
        assert b'"total": "1.00"' in fake.content(folder + "/2026-11-28_F-1_doc1.json")
        assert sorted(c["name"] for c in fake.children(folder)) == [
            "2026-11-28_F-1_doc1.json",
            "2026-11-28_F-1_doc1.pdf",
        ]
