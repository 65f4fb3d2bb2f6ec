"""Settings read from the environment, once per instance.

Secrets (the Twilio auth token) come from the environment, which Cloud
Functions fills from Secret Manager; they are never logged or echoed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache


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
        )


@lru_cache(maxsize=1)
def settings() -> Settings:
    return Settings.from_env()
