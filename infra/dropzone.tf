# Google Drive Dropzone import (issue 6):
# Cloud Scheduler (every 3 h) -> Pub/Sub `dropzone.run` -> dropzone_fanout
#   -> one message per active integration on `dropzone.sync` -> dropzone_worker.
# Topics and their dead letters are declared in pubsub.tf.

variable "google_oauth_client_id" {
  description = "OAuth client id used to refresh the Drive tokens stored per integration."
  type        = string
  default     = ""
}

locals {
  dropzone_env = merge(local.common_env, {
    TOPIC_DROPZONE_SYNC    = module.topics["dropzone.sync"].name
    GOOGLE_OAUTH_CLIENT_ID = var.google_oauth_client_id
    TOKEN_KMS_KEY          = google_kms_crypto_key.tokens.id
  })
}

# The fan-out lists active integrations with a collection-group query on
# organizations/*/integrations (kind == drive_dropzone and status == active).
resource "google_firestore_index" "integrations_kind_status" {
  database    = google_firestore_database.default.name
  collection  = "integrations"
  query_scope = "COLLECTION_GROUP"
  fields {
    field_path = "kind"
    order      = "ASCENDING"
  }
  fields {
    field_path = "status"
    order      = "ASCENDING"
  }
}

module "dropzone_fanout" {
  project_roles     = local.firestore_roles
  publishes_to      = [module.topics["dropzone.sync"].id]
  source            = "./modules/function"
  name              = "dropzone-fanout"
  entry_point       = "dropzone_fanout"
  platform          = local.platform
  environment       = local.dropzone_env
  memory            = "256Mi"
  timeout_seconds   = 120
  max_instances     = 1
  pubsub_topic      = module.topics["dropzone.run"].id
  dead_letter_topic = module.topics["dropzone.run"].dead_letter_id
  project_number    = data.google_project.this.number
}

module "dropzone_worker" {
  project_roles = local.firestore_roles
  publishes_to  = [module.topics["dropzone.sync"].id, module.topics["documents.approved"].id]
  source        = "./modules/function"
  name          = "dropzone-worker"
  entry_point   = "dropzone_worker"
  platform      = local.platform
  environment   = local.dropzone_env
  secrets       = { GOOGLE_OAUTH_CLIENT_SECRET = google_secret_manager_secret.all["google-oauth-client-secret"].secret_id }
  # OCR of scanned invoices and PDF rendering, as the document processor.
  memory = "2Gi"
  cpu    = "1"
  # Event functions stop at 540 s: the run's time budget (360 s) and the lease TTL
  # (12 min) in shared/usecases/dropzone_import.py are set against this.
  timeout_seconds   = 540
  max_instances     = 10
  concurrency       = 1
  pubsub_topic      = module.topics["dropzone.sync"].id
  dead_letter_topic = module.topics["dropzone.sync"].dead_letter_id
  project_number    = data.google_project.this.number
}
