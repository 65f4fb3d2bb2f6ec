# Cloud KMS: envelope encryption of the OAuth refresh tokens and partner credentials
# (shared/ code wraps a per-record data key with `tokens`), and customer-managed keys for
# the Pub/Sub topics (messages carry document and transaction ids).

resource "google_kms_key_ring" "main" {
  name       = "doc-integrations"
  location   = var.region
  depends_on = [google_project_service.apis]
}

resource "google_kms_crypto_key" "tokens" {
  name            = "tokens"
  key_ring        = google_kms_key_ring.main.id
  purpose         = "ENCRYPT_DECRYPT"
  rotation_period = "7776000s" # 90 days; old versions stay enabled to unwrap older records
  lifecycle {
    prevent_destroy = true
  }
}

resource "google_kms_crypto_key" "pubsub" {
  name            = "pubsub"
  key_ring        = google_kms_key_ring.main.id
  purpose         = "ENCRYPT_DECRYPT"
  rotation_period = "7776000s"
  lifecycle {
    prevent_destroy = true
  }
}

# The Pub/Sub service agent encrypts and decrypts topic messages with the pubsub key.
resource "google_kms_crypto_key_iam_member" "pubsub_agent" {
  crypto_key_id = google_kms_crypto_key.pubsub.id
  role          = "roles/cloudkms.cryptoKeyEncrypterDecrypter"
  member        = "serviceAccount:service-${data.google_project.this.number}@gcp-sa-pubsub.iam.gserviceaccount.com"
}

# Functions that read or write stored credentials (the API connects, the workers refresh).
locals {
  token_key_users = {
    integrations_api      = module.integrations_api.service_account_email
    nightly_export_worker = module.nightly_export_worker.service_account_email
    dropzone_worker       = module.dropzone_worker.service_account_email
    partner_dispatch      = module.partner_dispatch.service_account_email
  }
}

resource "google_kms_crypto_key_iam_member" "token_users" {
  for_each      = local.token_key_users
  crypto_key_id = google_kms_crypto_key.tokens.id
  role          = "roles/cloudkms.cryptoKeyEncrypterDecrypter"
  member        = "serviceAccount:${each.value}"
}
