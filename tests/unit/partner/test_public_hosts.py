"""A firm's extension cannot make us connect to a non-public host (SSRF), at install time
and at connect time; only a deployment that allows local hosts (local runs) can."""

from __future__ import annotations

import ipaddress
import socket

import pytest

from shared.destinations.network import NotPublicHost, check_public_host
from shared.destinations.partner_factory import validate
from shared.domain.partners import ExtensionKind, PartnerInvalid

NOT_PUBLIC = [
    "127.0.0.1",
    "10.0.0.1",
    "192.168.1.20",
    "169.254.169.254",
    "::1",
    "[fe80::1]",
    "fc00::5",
    "0.0.0.0",
    "224.0.0.1",
    "localhost",
    "mail.localhost",
]


@pytest.fixture(autouse=True)
def deployment_without_local_hosts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PARTNER_ALLOW_LOCAL_HOSTS", raising=False)


@pytest.mark.parametrize("host", NOT_PUBLIC)
def test_non_public_hosts_are_refused(host: str) -> None:
    with pytest.raises(NotPublicHost, match="not a public address"):
        check_public_host(host)


def test_public_addresses_pass_and_local_runs_may_allow_loopback() -> None:
    check_public_host("8.8.8.8")
    check_public_host("2001:4860:4860::8888")
    check_public_host("127.0.0.1", allow_local=True)


def test_a_name_is_judged_by_what_it_resolves_to() -> None:
    name = socket.gethostname()
    try:
        address = ipaddress.ip_address(socket.getaddrinfo(name, None)[0][4][0])
    except OSError:
        pytest.skip(f"this machine's name {name!r} does not resolve here")
    if address.is_global:
        pytest.skip(f"this machine's name resolves to a public address ({address})")
    with pytest.raises(NotPublicHost, match=str(address)):
        check_public_host(name)
    with pytest.raises(NotPublicHost, match="does not resolve"):
        check_public_host("no-such-host.invalid")


@pytest.mark.parametrize(
    ("kind", "settings", "secrets"),
    [
        (
            ExtensionKind.EMAIL,
            {"host": "169.254.169.254", "port": 25, "from_address": "a@b.fr"},
            {},
        ),
        (ExtensionKind.EMAIL, {"host": "localhost", "port": 25, "from_address": "a@b.fr"}, {}),
        (
            ExtensionKind.HTTP,
            {"url": "http://127.0.0.1:8080/hook"},
            {"secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"},
        ),
        (
            ExtensionKind.HTTP,
            {"url": "https://10.1.2.3/hook"},
            {"secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"},
        ),
        (
            ExtensionKind.HTTP,
            {"url": "https://hooks.firm.fr/x", "allow_loopback": True},
            {"secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"},
        ),
        (
            ExtensionKind.ACCOUNTING,
            {"software": "pennylane", "base_url": "http://10.0.0.7"},
            {"token": "t"},
        ),
        (ExtensionKind.DROPBOX, {"api_url": "http://169.254.169.254"}, {"access_token": "t"}),
    ],
)
def test_an_installation_pointing_inside_is_refused(kind, settings, secrets) -> None:
    with pytest.raises(PartnerInvalid, match="public address|https|local runs only"):
        validate(kind, settings, secrets)


def test_an_sftp_installation_on_a_private_address_is_refused() -> None:
    settings = {"host": "10.0.0.9", "port": 22, "username": "u", "host_key": "ssh-ed25519 AAAA"}
    with pytest.raises(PartnerInvalid, match="not a public address"):
        validate(ExtensionKind.SFTP, settings, {"password": "p"})
