"""The OAuth side of the world for the API tests: local Google and Dropbox authorization
servers linked to fake Drive and Dropbox APIs (tokens they issue work there), and the
environment the API reads to use them. A member's browser is played by `follow()`."""

from __future__ import annotations

import base64
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from shared.config import settings
from tests.fakes.dropbox_api import FakeDropbox
from tests.fakes.dropbox_oauth import APP_KEY, APP_SECRET, FakeDropboxOAuth
from tests.fakes.google_drive import FakeDrive
from tests.fakes.google_oauth import CLIENT_ID, CLIENT_SECRET, FakeGoogleOAuth
from tests.fakes.http_server import ThreadedServer

REDIRECT_URI = "https://bank.example/integrations/oauth/callback"


class DropboxHost:
    """api.dropboxapi.com serves both the API and /oauth2/token: one server, two fakes."""

    def __init__(self, api: FakeDropbox, oauth: FakeDropboxOAuth) -> None:
        self.api, self.oauth = api, oauth

    def __call__(self, environ: dict, start_response: Any) -> Any:
        path = environ.get("PATH_INFO", "")
        if path.startswith("/oauth2/") or path == "/2/auth/token/revoke":
            return self.oauth(environ, start_response)
        return self.api(environ, start_response)


@dataclass
class OAuthWorld:
    drive: FakeDrive
    google: FakeGoogleOAuth
    dropbox_api: FakeDropbox
    dropbox: FakeDropboxOAuth
    google_url: str
    drive_url: str
    dropbox_url: str

    def env(self) -> dict[str, str]:
        return {
            "OAUTH_REDIRECT_URI": REDIRECT_URI,
            "GOOGLE_OAUTH_CLIENT_ID": CLIENT_ID,
            "GOOGLE_OAUTH_CLIENT_SECRET": CLIENT_SECRET,
            "GOOGLE_OAUTH_AUTH_URI": self.google_url + "/o/oauth2/auth",
            "GOOGLE_OAUTH_TOKEN_URI": self.google_url + "/token",
            "GOOGLE_OAUTH_REVOKE_URI": self.google_url + "/revoke",
            "DRIVE_API_ROOT_URL": self.drive_url + "/",
            "DROPBOX_APP_KEY": APP_KEY,
            "DROPBOX_APP_SECRET": APP_SECRET,
            "DROPBOX_OAUTH_WEB_URL": self.dropbox_url,
            "DROPBOX_OAUTH_API_URL": self.dropbox_url,
            "DROPBOX_API_URL": self.dropbox_url,
            "TOKEN_LOCAL_KEY": base64.b64encode(os.urandom(32)).decode(),
            # oauthlib refuses plain-HTTP token endpoints unless told this is local.
            "OAUTHLIB_INSECURE_TRANSPORT": "1",
        }


def follow(authorization_url: str) -> dict[str, str]:
    """The member's browser: open the authorization URL, consent, read the redirect."""
    answer = requests.get(authorization_url, allow_redirects=False, timeout=30)
    assert answer.status_code == 302, answer.text
    location = answer.headers["Location"]
    assert location.startswith(REDIRECT_URI)
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


@pytest.fixture
def oauth_world(stack: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[OAuthWorld]:
    from functions.api.routes import integrations
    from shared.events.pubsub import ensure_topic

    for topic in ("exports.sync", "dropzone.sync"):  # "sync now" publishes there
        ensure_topic(stack.project, topic)
    drive = FakeDrive(token="no-static-token")
    dropbox_api = FakeDropbox(token="no-static-token")
    google = FakeGoogleOAuth((REDIRECT_URI,), drive=drive)
    dropbox = FakeDropboxOAuth((REDIRECT_URI,), api=dropbox_api)
    servers = [
        ThreadedServer(google).start(),
        ThreadedServer(drive).start(),
        ThreadedServer(DropboxHost(dropbox_api, dropbox)).start(),
    ]
    world = OAuthWorld(
        drive, google, dropbox_api, dropbox, *(server.base_url for server in servers)
    )
    for key, value in world.env().items():
        monkeypatch.setenv(key, value)
    settings.cache_clear()  # settings are read once per instance
    integrations.connect_deps.cache_clear()
    yield world
    integrations.connect_deps.cache_clear()
    settings.cache_clear()
    for server in servers:
        server.stop()
