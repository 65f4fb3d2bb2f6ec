"""Dead letters of export and Dropzone runs: the integration's status says the run failed
and when it runs again (the status is what the app shows); a status that already says
more (broken, reconnect needed...) is kept. On the Firestore emulator."""

from __future__ import annotations

from datetime import UTC, datetime

from local.demo import DEMO_ORG_ID, seed_demo_company
from shared import runtime
from shared.domain.statuses import IntegrationStatus
from shared.store.dropzone import FOLDER_ROLES, DropzoneRepository
from shared.store.integrations import IntegrationStore
from shared.usecases.dead_letters import handle_dead_letter
from shared.usecases.nightly_export import ExportDeps, setup_export

ATTRIBUTES = {
    "CloudPubSubDeadLetterSourceDeliveryCount": "10",
    "CloudPubSubDeadLetterSourceSubscription": "worker-push",
}


def test_a_dead_dropzone_run_shows_in_its_status_and_a_broken_one_stays_broken(stack, store):
    seed_demo_company(store)
    repo = DropzoneRepository(store)
    now = datetime(2026, 11, 24, 9, tzinfo=UTC)
    repo.save_connection(DEMO_ORG_ID, "dz", {r: f"f-{r}" for r in FOLDER_ROLES}, {}, None, now)
    payload = {"organization_id": DEMO_ORG_ID, "integration_id": "dz", "run_key": "k"}

    outcome = handle_dead_letter("dropzone.sync", payload, ATTRIBUTES, runtime.dead_letter_deps())

    integration = repo.get_integration(DEMO_ORG_ID, "dz")
    assert outcome == "integration_error"
    assert integration.status == IntegrationStatus.ERROR
    assert "failed after 10 deliveries" in integration.status_detail
    assert "every 3 hours" in integration.status_detail

    repo.set_status(DEMO_ORG_ID, "dz", IntegrationStatus.BROKEN, "Processing deleted", now)
    again = handle_dead_letter("dropzone.sync", payload, ATTRIBUTES, runtime.dead_letter_deps())
    assert again == "status_kept"
    assert repo.get_integration(DEMO_ORG_ID, "dz").status == IntegrationStatus.BROKEN


def test_a_dead_export_run_shows_in_its_status(stack, store, tmp_path):
    seed_demo_company(store)
    repo = IntegrationStore(store.db)
    deps = ExportDeps(
        store=store, integrations=repo, blobs=runtime.blobs(), publish_sync=lambda p: "1"
    )
    start = datetime(2026, 11, 1, tzinfo=UTC)
    setup_export(deps, DEMO_ORG_ID, "exp", "local_folder", {"path": str(tmp_path)}, start)
    payload = {"organization_id": DEMO_ORG_ID, "integration_id": "exp", "run_id": "nightly-x"}

    outcome = handle_dead_letter("exports.sync", payload, ATTRIBUTES, runtime.dead_letter_deps())

    integration = repo.get_export(DEMO_ORG_ID, "exp")
    assert outcome == "integration_error"
    assert integration.status == IntegrationStatus.ERROR
    assert "failed after 10 deliveries" in integration.status_message
    assert "23:30" in integration.status_message
    missing = {"organization_id": DEMO_ORG_ID}
    deps_ = runtime.dead_letter_deps()
    assert handle_dead_letter("exports.sync", missing, ATTRIBUTES, deps_) == "malformed"
