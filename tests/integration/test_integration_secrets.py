"""Destination tokens are kept out of the integration's status document."""

from __future__ import annotations

from datetime import UTC, datetime

from shared.store.integrations import IntegrationStore


def test_tokens_live_in_the_private_subdocument_not_in_the_status_document(store):
    integrations = IntegrationStore(store.db)
    config = {"access_token": "ya29.secret", "refresh_token": "1//refresh", "root_url": "http://x"}

    integrations.configure_export(
        "org-a", "export-1", "google_drive", config, datetime(2026, 11, 1, tzinfo=UTC)
    )

    status = store.db.document("organizations/org-a/integrations/export-1").get().to_dict()
    assert "ya29.secret" not in repr(status) and "1//refresh" not in repr(status)
    assert status["destination_config"] == {"root_url": "http://x"}
    assert integrations.get_export("org-a", "export-1").destination_config == config
