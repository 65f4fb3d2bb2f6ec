"""The partner peers (SFTP, SMTP, webhook receiver, Graph, Pennylane) listen on loopback:
these tests run as a local deployment that allows local hosts (never a firm's choice)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def local_peers_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARTNER_ALLOW_LOCAL_HOSTS", "1")
