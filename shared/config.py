"""Settings read from the environment, once per instance.

Secrets (the Twilio auth token) come from the environment, which Cloud
Functions fills from Secret Manager; they are never logged or echoed.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urlsplit, urlunsplit


@dataclass(frozen=True)
class Settings:
    project: str
    documents_bucket: str
    topic_documents_received: str
    twilio_account_sid: str
    twilio_auth_token: str = field(repr=False)
    twilio_whatsapp_number: str
    twilio_api_base_url: str | None
    whatsapp_webhook_public_url: str
    max_document_bytes: int
    topic_whatsapp_media: str = "whatsapp.media"
    # Twilio's message status callbacks (same function, path /status); empty: none asked.
    whatsapp_status_callback_url: str = ""
    # message key -> language -> ContentSid of its approved WhatsApp template (JSON)
    whatsapp_templates: dict = field(default_factory=dict)

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        project = env.get("GOOGLE_CLOUD_PROJECT") or env.get("GCP_PROJECT") or "demo-local"
        return cls(
            project=project,
            documents_bucket=env.get("DOCUMENTS_BUCKET", f"{project}-documents"),
            topic_documents_received=env.get("TOPIC_DOCUMENTS_RECEIVED", "documents.received"),
            twilio_account_sid=env.get("TWILIO_ACCOUNT_SID", ""),
            twilio_auth_token=env.get("TWILIO_AUTH_TOKEN", ""),
            twilio_whatsapp_number=env.get("TWILIO_WHATSAPP_NUMBER", ""),
            twilio_api_base_url=env.get("TWILIO_API_BASE_URL") or None,
            whatsapp_webhook_public_url=env.get("WHATSAPP_WEBHOOK_PUBLIC_URL", ""),
            max_document_bytes=int(env.get("MAX_DOCUMENT_BYTES", str(15 * 1024 * 1024))),
            topic_whatsapp_media=env.get("TOPIC_WHATSAPP_MEDIA", "whatsapp.media"),
            whatsapp_status_callback_url=env.get("WHATSAPP_STATUS_CALLBACK_URL")
            or _status_url(env.get("WHATSAPP_WEBHOOK_PUBLIC_URL", "")),
            whatsapp_templates=_templates(env.get("WHATSAPP_TEMPLATES", "")),
        )


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
        raise ValueError(f"WHATSAPP_TEMPLATES is not JSON: {exc}") from None
    ok = isinstance(value, dict) and all(
        isinstance(langs, dict)
        and all(isinstance(sid, str) and _CONTENT_SID.match(sid) for sid in langs.values())
        for langs in value.values()
    )
    if not ok:
        raise ValueError(
            'WHATSAPP_TEMPLATES must map message keys to {"language": "HX + 32 hex digits"}'
        )
    return value


@lru_cache(maxsize=1)
def settings() -> Settings:
    return Settings.from_env()
