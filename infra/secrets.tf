# Every secret the functions read, in Secret Manager. Values are added out of band
# (`gcloud secrets versions add`, or `python -m shared.cli ops rotate-secret`: RUNBOOK),
# never in Terraform state. Functions get `secretAccessor` on exactly the secrets they
# mount (modules/function `secrets`).
locals {
  # Secret ids (names only: the values never pass through Terraform).
  secret_ids = [
    "twilio-auth-token", "google-oauth-client-secret", "dropbox-app-secret",
    "microsoft-client-secret", "oauth-state-key",
  ]
}

resource "google_secret_manager_secret" "all" {
  for_each  = toset(local.secret_ids)
  secret_id = each.value
  replication {
    user_managed {
      replicas {
        location = var.region
      }
    }
  }
  depends_on = [google_project_service.apis]
}
