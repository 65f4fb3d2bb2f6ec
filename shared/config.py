"""Every setting the deployment gives through the environment, read in one place.

`Settings.from_env()` reads and checks every variable; a malformed value raises
`ConfigError` naming the variable. Each function states which settings it cannot run
without (`settings().require(...)`, called by the function decorators on the first
invocation of an instance, i.e. at cold start), so a missing secret fails loudly with its
name instead of as a vendor error deep in a request.

Secrets (Twilio auth token, OAuth client secrets) come from the environment, which Cloud
Functions fills from Secret Manager; they are registered with the log scrubber and never
logged or echoed (`repr=False`).

Variables (defaults in brackets):

| variable | meaning |
|---|---|
| `GOOGLE_CLOUD_PROJECT` (or `GCP_PROJECT`) [demo-local] | project id |
| `DOCUMENTS_BUCKET` [{project}-documents] | bucket of document bytes |
| `EBICS_DROP_BUCKET` [{project}-ebics-drop] | the EBICS file-drop bucket |
| `EBICS_HOST_ID`, `EBICS_SERVER_URL` (https), `EBICS_BANK_NAME` | the bank's EBICS host, for onboarding letters (unset: no letter is issued) |
| `EBICS_BANK_AUTHENTICATION_CERT`, `EBICS_BANK_ENCRYPTION_CERT` | the bank's X002 and E002 certificates (PEM), whose hashes customers check |
| `TOPIC_DOCUMENTS_RECEIVED` [documents.received] | processor topic |
| `TOPIC_EXPORTS_SYNC` [exports.sync] | per-integration export topic |
| `TOPIC_DROPZONE_SYNC` [dropzone.sync] | per-integration Dropzone topic |
| `TWILIO_ACCOUNT_SID`, `TWILIO_AUTH_TOKEN` (secret), `TWILIO_WHATSAPP_NUMBER` | Twilio |
| `TWILIO_API_BASE_URL` | only to point the Twilio client at a local fake |
| `WHATSAPP_WEBHOOK_PUBLIC_URL` | the exact URL Twilio signs |
| `TOPIC_WHATSAPP_MEDIA` [whatsapp.media] | media download topic |
| `WHATSAPP_STATUS_CALLBACK_URL` [{webhook}/status] | Twilio message status callbacks |
| `WHATSAPP_TEMPLATES` | JSON: message key -> language -> ContentSid (HX...) |
| `MAX_DOCUMENT_BYTES` [15 MiB] | largest accepted document |
| `PRODUCT_NAME` [Receipts] | root folder name of exports |
| `EXPORT_TIME_BUDGET_SECONDS` [480] | one export run's budget before it continues |
| `GOOGLE_OAUTH_CLIENT_ID`, `GOOGLE_OAUTH_CLIENT_SECRET` (secret) | refresh Drive tokens |
| `DROPBOX_APP_KEY`, `DROPBOX_APP_SECRET` (secret) | refresh Dropbox tokens |
| `DRIVE_API_ROOT_URL` | only to point the Drive client at a local fake |
| `OCR_THREADS` [1], `OCR_BY_LINE` [1] | OCR engine threads; line-strip recognition |
| `OCR_INT8` [wide], `OCR_MODEL_DIR` [shared/extraction/models] | pages read by the 8-bit text recogniser: `wide` (documents' pages, as exact, a third less CPU), `all` (receipts too, ~1% of their fields worse) or `off`; where it is built once |
| `MATCHING_NATIVE` [1] | `0`: the matching engine stays interpreted even where its compiled build is current (`shared/matching/native.py`) |
| `STORAGE_EMULATOR_HOST` | local Cloud Storage server (tests, local runs) |
| `API_BILLING_SERVICE_ACCOUNT` | the identity allowed to change plans (integrations API) |
| `API_ID_TOKEN_AUDIENCE` | verify callers' Google ID tokens for this audience (API) |
| `FUNCTION_REGION` [europe-west1] | region (ops commands) |
| `OAUTH_REDIRECT_URI` | the bank app's OAuth redirect page (API connect flows) |
| `GOOGLE_OAUTH_{AUTH,TOKEN,REVOKE}_URI`, `DROPBOX_OAUTH_{WEB,API}_URL` | only for local servers |
| `DROPBOX_API_URL`, `DROPBOX_CONTENT_URL` | only to point Dropbox at a local fake |
| `TOKEN_KMS_KEY` or `TOKEN_LOCAL_KEY` (secret) | key that seals stored refresh tokens |
| `SCHEDULER_API_ENDPOINT`, `SECRET_MANAGER_API_ENDPOINT` | local servers (ops tests) |
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from shared.errors import ConfigError
from shared.log import register_secret

DEFAULT_PRODUCT_NAME = "Receipts"
DEFAULT_MAX_DOCUMENT_BYTES = 15 * 1024 * 1024

# Settings field -> environment variable (for `require` and error messages).
ENV_NAMES: dict[str, str] = {
    "project": "GOOGLE_CLOUD_PROJECT",
    "documents_bucket": "DOCUMENTS_BUCKET",
    "ebics_drop_bucket": "EBICS_DROP_BUCKET",
    "ebics_host_id": "EBICS_HOST_ID",
    "ebics_server_url": "EBICS_SERVER_URL",
    "ebics_bank_name": "EBICS_BANK_NAME",
    "ebics_bank_authentication_cert": "EBICS_BANK_AUTHENTICATION_CERT",
    "ebics_bank_encryption_cert": "EBICS_BANK_ENCRYPTION_CERT",
    "topic_documents_received": "TOPIC_DOCUMENTS_RECEIVED",
    "topic_documents_approved": "TOPIC_DOCUMENTS_APPROVED",
    "topic_exports_sync": "TOPIC_EXPORTS_SYNC",
    "topic_dropzone_sync": "TOPIC_DROPZONE_SYNC",
    "twilio_account_sid": "TWILIO_ACCOUNT_SID",
    "twilio_auth_token": "TWILIO_AUTH_TOKEN",
    "twilio_whatsapp_number": "TWILIO_WHATSAPP_NUMBER",
    "twilio_api_base_url": "TWILIO_API_BASE_URL",
    "whatsapp_webhook_public_url": "WHATSAPP_WEBHOOK_PUBLIC_URL",
    "topic_whatsapp_media": "TOPIC_WHATSAPP_MEDIA",
    "whatsapp_status_callback_url": "WHATSAPP_STATUS_CALLBACK_URL",
    "whatsapp_templates": "WHATSAPP_TEMPLATES",
    "max_document_bytes": "MAX_DOCUMENT_BYTES",
    "product_name": "PRODUCT_NAME",
    "export_time_budget_seconds": "EXPORT_TIME_BUDGET_SECONDS",
    "google_oauth_client_id": "GOOGLE_OAUTH_CLIENT_ID",
    "google_oauth_client_secret": "GOOGLE_OAUTH_CLIENT_SECRET",
    "dropbox_app_key": "DROPBOX_APP_KEY",
    "dropbox_app_secret": "DROPBOX_APP_SECRET",
    "drive_api_root_url": "DRIVE_API_ROOT_URL",
    "ocr_threads": "OCR_THREADS",
    "ocr_by_line": "OCR_BY_LINE",
    "ocr_int8": "OCR_INT8",
    "ocr_model_dir": "OCR_MODEL_DIR",
    "matching_native": "MATCHING_NATIVE",
    "partner_allow_local_hosts": "PARTNER_ALLOW_LOCAL_HOSTS",
    "storage_emulator_host": "STORAGE_EMULATOR_HOST",
    "api_billing_service_account": "API_BILLING_SERVICE_ACCOUNT",
    "api_ops_service_account": "API_OPS_SERVICE_ACCOUNT",
    "api_id_token_audience": "API_ID_TOKEN_AUDIENCE",
    "function_region": "FUNCTION_REGION",
    "scheduler_api_endpoint": "SCHEDULER_API_ENDPOINT",
    "secret_manager_api_endpoint": "SECRET_MANAGER_API_ENDPOINT",
    "oauth_redirect_uri": "OAUTH_REDIRECT_URI",
    "google_oauth_auth_uri": "GOOGLE_OAUTH_AUTH_URI",
    "google_oauth_token_uri": "GOOGLE_OAUTH_TOKEN_URI",
    "google_oauth_revoke_uri": "GOOGLE_OAUTH_REVOKE_URI",
    "dropbox_oauth_web_url": "DROPBOX_OAUTH_WEB_URL",
    "dropbox_oauth_api_url": "DROPBOX_OAUTH_API_URL",
    "dropbox_api_url": "DROPBOX_API_URL",
    "dropbox_content_url": "DROPBOX_CONTENT_URL",
    "token_kms_key": "TOKEN_KMS_KEY",
    "token_local_key": "TOKEN_LOCAL_KEY",
}
SECRET_FIELDS = frozenset(
    {"twilio_auth_token", "google_oauth_client_secret", "dropbox_app_secret", "token_local_key"}
)


@dataclass(frozen=True)
class Settings:
    project: str = "demo-local"
    documents_bucket: str = "demo-local-documents"
    ebics_drop_bucket: str = "demo-local-ebics-drop"
    ebics_host_id: str = ""
    ebics_server_url: str = ""
    ebics_bank_name: str = ""
    ebics_bank_authentication_cert: str = ""  # PEM (public)
    ebics_bank_encryption_cert: str = ""  # PEM (public)
    topic_documents_received: str = "documents.received"
    # Published once a document is read and kept (not refused): the partner dispatch.
    topic_documents_approved: str = "documents.approved"
    topic_exports_sync: str = "exports.sync"
    topic_dropzone_sync: str = "dropzone.sync"
    twilio_account_sid: str = ""
    twilio_auth_token: str = field(default="", repr=False)
    twilio_whatsapp_number: str = ""
    twilio_api_base_url: str | None = None
    whatsapp_webhook_public_url: str = ""
    topic_whatsapp_media: str = "whatsapp.media"
    # Twilio's message status callbacks (same function, path /status); empty: none asked.
    whatsapp_status_callback_url: str = ""
    # message key -> language -> ContentSid of its approved WhatsApp template (JSON)
    whatsapp_templates: dict[str, dict[str, str]] = field(default_factory=dict)
    max_document_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES
    product_name: str = DEFAULT_PRODUCT_NAME
    export_time_budget_seconds: float = 480.0
    google_oauth_client_id: str | None = None
    google_oauth_client_secret: str | None = field(default=None, repr=False)
    dropbox_app_key: str | None = None
    dropbox_app_secret: str | None = field(default=None, repr=False)
    drive_api_root_url: str | None = None
    ocr_threads: int = 1
    ocr_by_line: bool = True
    ocr_int8: str = "wide"
    ocr_model_dir: str | None = None
    matching_native: bool = True
    storage_emulator_host: str | None = None
    api_billing_service_account: str | None = None
    api_ops_service_account: str | None = None
    api_id_token_audience: str | None = None
    function_region: str = "europe-west1"
    scheduler_api_endpoint: str | None = None
    secret_manager_api_endpoint: str | None = None
    oauth_redirect_uri: str | None = None
    google_oauth_auth_uri: str | None = None
    google_oauth_token_uri: str | None = None
    google_oauth_revoke_uri: str | None = None
    dropbox_oauth_web_url: str | None = None
    dropbox_oauth_api_url: str | None = None
    dropbox_api_url: str | None = None
    dropbox_content_url: str | None = None
    token_kms_key: str | None = None
    token_local_key: str | None = field(default=None, repr=False)
    # Local runs and tests only: partner extensions may reach loopback peers and local fakes.
    partner_allow_local_hosts: bool = False

    def ocr_options(self) -> dict[str, Any]:
        """`shared.extraction.ocr.configure`'s keyword arguments."""
        return {
            "threads": self.ocr_threads,
            "by_line": self.ocr_by_line,
            "int8": self.ocr_int8,
            "model_dir": self.ocr_model_dir,
        }

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Read and check every variable; `ConfigError` names the first malformed one."""
        env = dict(os.environ if env is None else env)

        def text(name: str, default: str = "") -> str:
            return (env.get(name) or "").strip() or default

        def optional(name: str) -> str | None:
            return text(name) or None

        project = text("GOOGLE_CLOUD_PROJECT") or text("GCP_PROJECT") or "demo-local"
        settings = cls(
            project=project,
            documents_bucket=text("DOCUMENTS_BUCKET", f"{project}-documents"),
            ebics_drop_bucket=text("EBICS_DROP_BUCKET", f"{project}-ebics-drop"),
            ebics_host_id=text("EBICS_HOST_ID"),
            ebics_server_url=text("EBICS_SERVER_URL"),
            ebics_bank_name=text("EBICS_BANK_NAME"),
            ebics_bank_authentication_cert=text("EBICS_BANK_AUTHENTICATION_CERT"),
            ebics_bank_encryption_cert=text("EBICS_BANK_ENCRYPTION_CERT"),
            topic_documents_received=text("TOPIC_DOCUMENTS_RECEIVED", "documents.received"),
            topic_documents_approved=text("TOPIC_DOCUMENTS_APPROVED", "documents.approved"),
            topic_exports_sync=text("TOPIC_EXPORTS_SYNC", "exports.sync"),
            topic_dropzone_sync=text("TOPIC_DROPZONE_SYNC", "dropzone.sync"),
            twilio_account_sid=text("TWILIO_ACCOUNT_SID"),
            twilio_auth_token=text("TWILIO_AUTH_TOKEN"),
            twilio_whatsapp_number=text("TWILIO_WHATSAPP_NUMBER"),
            twilio_api_base_url=_url(env, "TWILIO_API_BASE_URL"),
            whatsapp_webhook_public_url=_url(env, "WHATSAPP_WEBHOOK_PUBLIC_URL") or "",
            topic_whatsapp_media=text("TOPIC_WHATSAPP_MEDIA", "whatsapp.media"),
            whatsapp_status_callback_url=_url(env, "WHATSAPP_STATUS_CALLBACK_URL")
            or _status_url(text("WHATSAPP_WEBHOOK_PUBLIC_URL")),
            whatsapp_templates=_templates(text("WHATSAPP_TEMPLATES")),
            max_document_bytes=int(
                _positive(env, "MAX_DOCUMENT_BYTES", DEFAULT_MAX_DOCUMENT_BYTES)
            ),
            product_name=_folder_name(env, "PRODUCT_NAME", DEFAULT_PRODUCT_NAME),
            export_time_budget_seconds=float(
                _positive(env, "EXPORT_TIME_BUDGET_SECONDS", 480.0, kind=float)
            ),
            google_oauth_client_id=optional("GOOGLE_OAUTH_CLIENT_ID"),
            google_oauth_client_secret=optional("GOOGLE_OAUTH_CLIENT_SECRET"),
            dropbox_app_key=optional("DROPBOX_APP_KEY"),
            dropbox_app_secret=optional("DROPBOX_APP_SECRET"),
            drive_api_root_url=_url(env, "DRIVE_API_ROOT_URL"),
            ocr_threads=int(_positive(env, "OCR_THREADS", 1)),
            ocr_by_line=_flag(env, "OCR_BY_LINE", True),
            ocr_int8=_choice(env, "OCR_INT8", ("off", "wide", "all"), "wide"),
            ocr_model_dir=optional("OCR_MODEL_DIR"),
            matching_native=_flag(env, "MATCHING_NATIVE", True),
            partner_allow_local_hosts=_flag(env, "PARTNER_ALLOW_LOCAL_HOSTS", False),
            storage_emulator_host=optional("STORAGE_EMULATOR_HOST"),
            api_billing_service_account=optional("API_BILLING_SERVICE_ACCOUNT"),
            api_ops_service_account=optional("API_OPS_SERVICE_ACCOUNT"),
            api_id_token_audience=optional("API_ID_TOKEN_AUDIENCE"),
            function_region=text("FUNCTION_REGION", "europe-west1"),
            scheduler_api_endpoint=_url(env, "SCHEDULER_API_ENDPOINT"),
            secret_manager_api_endpoint=_url(env, "SECRET_MANAGER_API_ENDPOINT"),
            oauth_redirect_uri=_url(env, "OAUTH_REDIRECT_URI"),
            google_oauth_auth_uri=_url(env, "GOOGLE_OAUTH_AUTH_URI"),
            google_oauth_token_uri=_url(env, "GOOGLE_OAUTH_TOKEN_URI"),
            google_oauth_revoke_uri=_url(env, "GOOGLE_OAUTH_REVOKE_URI"),
            dropbox_oauth_web_url=_url(env, "DROPBOX_OAUTH_WEB_URL"),
            dropbox_oauth_api_url=_url(env, "DROPBOX_OAUTH_API_URL"),
            dropbox_api_url=_url(env, "DROPBOX_API_URL"),
            dropbox_content_url=_url(env, "DROPBOX_CONTENT_URL"),
            token_kms_key=optional("TOKEN_KMS_KEY"),
            token_local_key=optional("TOKEN_LOCAL_KEY"),
        )
        for name in SECRET_FIELDS:
            register_secret(getattr(settings, name))
        return settings

    def env_view(self) -> dict[str, str]:
        """{VARIABLE: value} of the settings that are set, for adapters configured by variable
        name (OAuth providers, the token vault): they read Settings, not the environment."""
        view: dict[str, str] = {}
        for name, variable in ENV_NAMES.items():
            value = getattr(self, name)
            if value not in (None, ""):
                view[variable] = str(value)
        return view

    def require(self, *names: str, needed_by: str = "") -> Settings:
        """Raise `ConfigError` naming each variable among `names` (field names) left empty."""
        unknown = [n for n in names if n not in ENV_NAMES]
        if unknown:
            raise ValueError(f"unknown settings {unknown}")
        missing = [ENV_NAMES[n] for n in names if not getattr(self, n)]
        if missing:
            who = f" (needed by {needed_by})" if needed_by else ""
            raise ConfigError(f"missing environment variable {', '.join(missing)}{who}")
        return self


def _status_url(webhook_url: str) -> str:
    if not webhook_url:
        return ""
    parts = urlsplit(webhook_url)
    return urlunsplit(parts._replace(path=parts.path.rstrip("/") + "/status"))


_CONTENT_SID = re.compile(r"^HX[0-9a-fA-F]{32}$")


def _templates(raw: str) -> dict[str, dict[str, str]]:
    """WHATSAPP_TEMPLATES: {"matched_later": {"fr": "HX...", "en": "HX..."}, ...}."""
    if not raw.strip():
        return {}
    try:
        value = json.loads(raw)
    except ValueError as exc:
        raise ConfigError(f"WHATSAPP_TEMPLATES is not JSON: {exc}") from None
    ok = isinstance(value, dict) and all(
        isinstance(langs, dict)
        and all(isinstance(sid, str) and _CONTENT_SID.match(sid) for sid in langs.values())
        for langs in value.values()
    )
    if not ok:
        raise ConfigError(
            'WHATSAPP_TEMPLATES must map message keys to {"language": "HX + 32 hex digits"}'
        )
    return value


def _url(env: Mapping[str, str], name: str) -> str | None:
    raw = (env.get(name) or "").strip()
    if not raw:
        return None
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"{name} must be an http(s) URL, not {raw!r}")
    return raw


def _positive(env: Mapping[str, str], name: str, default: float, kind: type = int) -> float:
    raw = (env.get(name) or "").strip()
    if not raw:
        return default
    try:
        value = kind(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a positive {kind.__name__}, not {raw!r}") from None
    if value <= 0:
        raise ConfigError(f"{name} must be a positive {kind.__name__}, not {raw!r}")
    return value


def _flag(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = (env.get(name) or "").strip().lower()
    if not raw:
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{name} must be 0 or 1, not {raw!r}")


def _choice(env: Mapping[str, str], name: str, choices: tuple[str, ...], default: str) -> str:
    raw = (env.get(name) or "").strip().lower()
    if not raw:
        return default
    if raw not in choices:
        raise ConfigError(f"{name} must be one of {', '.join(choices)}, not {raw!r}")
    return raw


def _folder_name(env: Mapping[str, str], name: str, default: str) -> str:
    raw = (env.get(name) or "").strip()
    if not raw:
        return default
    if "/" in raw or "\\" in raw or raw in (".", "..") or len(raw) > 100:
        raise ConfigError(f"{name} must be a folder name (no slashes, <= 100 chars), not {raw!r}")
    return raw


@lru_cache(maxsize=1)
def settings() -> Settings:
    return Settings.from_env()


__all__ = ["ENV_NAMES", "SECRET_FIELDS", "Settings", "settings"]
