# Nightly export of receipts to Google Drive / Dropbox (issue 5):
# Cloud Scheduler (23:30 Europe/Paris) -> Pub/Sub `exports.nightly` -> nightly_export_fanout
#   -> one message per active export integration on `exports.sync` -> nightly_export_worker.
# Topics and their dead letters are declared in pubsub.tf.
# GOOGLE_OAUTH_CLIENT_ID and its secret come from dropzone.tf (one OAuth client for Drive).

variable "dropbox_app_key" {
  description = "Dropbox app key, used to refresh the Dropbox tokens stored per integration."
  type        = string
  default     = ""
}

variable "product_name" {
  description = "Name of the root folder the export creates in each Drive / Dropbox."
  type        = string
  default     = "Receipts"
}

locals {
  export_env = merge(local.common_env, {
    TOPIC_EXPORTS_SYNC     = module.topics["exports.sync"].name
    PRODUCT_NAME           = var.product_name
    GOOGLE_OAUTH_CLIENT_ID = var.google_oauth_client_id
    DROPBOX_APP_KEY        = var.dropbox_app_key
    # Below the worker's 540 s timeout: the run stops at a checkpoint and publishes
    # its continuation; the lease (600 s in the use case) outlives a killed worker.
    EXPORT_TIME_BUDGET_SECONDS = "420"
    TOKEN_KMS_KEY              = google_kms_crypto_key.tokens.id
  })
}

# The fan-out lists active exports with a collection-group query on
# organizations/*/integrations (kind == export and active == true).
resource "google_firestore_index" "integrations_kind_active" {
  database    = google_firestore_database.default.name
  collection  = "integrations"
  query_scope = "COLLECTION_GROUP"
  fields {
    field_path = "kind"
    order      = "ASCENDING"
  }
  fields {
    field_path = "active"
    order      = "ASCENDING"
  }
}

module "nightly_export_fanout" {
  project_roles     = local.firestore_roles
  publishes_to      = [module.topics["exports.sync"].id]
  source            = "./modules/function"
  name              = "nightly-export-fanout"
  entry_point       = "nightly_export_fanout"
  platform          = local.platform
  environment       = local.export_env
  memory            = "256Mi"
  timeout_seconds   = 120
  max_instances     = 1
  pubsub_topic      = module.topics["exports.nightly"].id
  dead_letter_topic = module.topics["exports.nightly"].dead_letter_id
  project_number    = data.google_project.this.number
}

module "nightly_export_worker" {
  project_roles = local.firestore_roles
  publishes_to  = [module.topics["exports.sync"].id]
  source        = "./modules/function"
  name          = "nightly-export-worker"
  entry_point   = "nightly_export_worker"
  platform      = local.platform
  environment   = local.export_env
  secrets = {
    GOOGLE_OAUTH_CLIENT_SECRET = google_secret_manager_secret.all["google-oauth-client-secret"].secret_id
    DROPBOX_APP_SECRET         = google_secret_manager_secret.all["dropbox-app-secret"].secret_id
  }
  # One receipt in memory per upload plus a chunk read ahead (25 x 15 MB at most).
  memory = "1Gi"
  cpu    = "1"
  # Event functions stop at 540 s; EXPORT_TIME_BUDGET_SECONDS (420) is set against it.
  timeout_seconds   = 540
  max_instances     = 10
  concurrency       = 1
  pubsub_topic      = module.topics["exports.sync"].id
  dead_letter_topic = module.topics["exports.sync"].dead_letter_id
  project_number    = data.google_project.this.number
}
