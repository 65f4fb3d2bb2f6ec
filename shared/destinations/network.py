"""Where a firm's extension may make us connect: public hosts only (no SSRF).

A firm types the host of its SFTP server or SMTP relay, or the URL of its webhook. Without
a check, a firm could point our functions at the metadata server (169.254.169.254), at
another tenant's service on a private network, or at a name that resolves to one. The
check runs when the extension is installed and again right before each connection (DNS
may answer differently then). Local runs and the tests, whose peers listen on loopback,
set `PARTNER_ALLOW_LOCAL_HOSTS=1` for the deployment; a firm's settings never can.
"""

from __future__ import annotations

import ipaddress
import socket

from shared.errors import Invalid


class NotPublicHost(Invalid):
    """The host is, or resolves to, an address that is not on the public internet."""


def check_public_host(host: str, *, allow_local: bool = False, resolve: bool = True) -> None:
    """Refuse a host that is, or resolves to, a loopback, private, link-local, multicast,
    reserved or unspecified address (all of its addresses are checked).

    >>> check_public_host("169.254.169.254", resolve=False)
    Traceback (most recent call last):
    ...
    shared.destinations.network.NotPublicHost: host 169.254.169.254 is not a public address (169.254.169.254)
    >>> check_public_host("127.0.0.1", allow_local=True, resolve=False)
    """
    if allow_local:
        return
    name = host.strip().strip("[]")
    if not name:
        raise NotPublicHost("no host given")
    try:
        addresses = [ipaddress.ip_address(name)]
    except ValueError:
        if name.lower() == "localhost" or name.lower().endswith(".localhost"):
            raise NotPublicHost(f"host {host} is not a public address (loopback)") from None
        if not resolve:
            return
        try:
            found = socket.getaddrinfo(name, None, proto=socket.IPPROTO_TCP)
        except OSError as exc:
            raise NotPublicHost(f"host {host} does not resolve: {exc}") from exc
        addresses = [ipaddress.ip_address(str(entry[4][0]).split("%", 1)[0]) for entry in found]
    for address in addresses:
        if not address.is_global or address.is_multicast:
            raise NotPublicHost(f"host {host} is not a public address ({address})")
