# EBICS file drop (issue 7); code in functions/ebics.py and shared/usecases/ebics.py.
#
# - Cloud Scheduler (06:00 Europe/Paris, Tuesday to Saturday) -> Pub/Sub `ebics.statements`
#   -> ebics_statements: the previous business day's MT940 / CFONB-120 files, per IBAN and
#   connection, into the drop bucket (`{org}/{connection}/outbox/statements/...`).
# - The EBICS server (not ours) drops pain.001 files into `{org}/{connection}/inbox/`; the
#   bucket notifies `ebics.inbox` (Pub/Sub, with a dead letter); ebics_inbox writes payment
#   requests and a pain.002 into `outbox/reports/`. Our own outbox writes fire the same
#   event: the function ignores every object outside an inbox.
# - integrations_api: private HTTP API of the bank app backend (connections, plan changes,
#   payment approvals). Only the backend's service account may invoke it; it asserts the
#   acting member in the X-Acting-Member-Id header (see functions/ebics.py).

variable "app_backend_service_account" {
  description = "Service account of the bank app backend: the only invoker of integrations_api."
  type        = string
}

variable "billing_service_account" {
  description = "Service account of the bank's billing system: the only caller allowed to change a plan."
  type        = string
}

variable "ebics_host_id" {
  description = "The bank's EBICS host id (empty: no configuration letter is issued)."
  type        = string
  default     = ""
}

variable "ebics_server_url" {
  description = "The bank's EBICS server URL (https)."
  type        = string
  default     = ""
}

variable "ebics_bank_name" {
  type    = string
  default = ""
}

variable "ebics_bank_authentication_cert" {
  description = "The bank's X002 certificate (PEM)."
  type        = string
  default     = ""
}

variable "ebics_bank_encryption_cert" {
  description = "The bank's E002 certificate (PEM)."
  type        = string
  default     = ""
}

variable "ops_service_account" {
  description = "Service account of the operators' tooling: the only caller of the /ops routes (empty: none)."
  type        = string
  default     = ""
}

variable "ebics_server_service_account" {
  description = "Service account of the EBICS server that exchanges files through the drop bucket (empty: granted out of band)."
  type        = string
  default     = ""
}

locals {
  ebics_env = merge(local.common_env, {
    EBICS_DROP_BUCKET = google_storage_bucket.ebics_drop.name
    # The bank's EBICS host, printed in onboarding letters. The bank's certificates are
    # public (customers compare their hashes), so plain configuration, not secrets.
    EBICS_HOST_ID                  = var.ebics_host_id
    EBICS_SERVER_URL               = var.ebics_server_url
    EBICS_BANK_NAME                = var.ebics_bank_name
    EBICS_BANK_AUTHENTICATION_CERT = var.ebics_bank_authentication_cert
    EBICS_BANK_ENCRYPTION_CERT     = var.ebics_bank_encryption_cert
  })
  api_env = merge(local.ebics_env, {
    API_BILLING_SERVICE_ACCOUNT = var.billing_service_account
    API_OPS_SERVICE_ACCOUNT     = var.ops_service_account
    OAUTH_REDIRECT_URI          = var.oauth_redirect_uri
    GOOGLE_OAUTH_CLIENT_ID      = var.google_oauth_client_id
    DROPBOX_APP_KEY             = var.dropbox_app_key
    TOKEN_KMS_KEY               = google_kms_crypto_key.tokens.id
    TOPIC_EXPORTS_SYNC          = module.topics["exports.sync"].name
    TOPIC_DROPZONE_SYNC         = module.topics["dropzone.sync"].name
  })
}

# ----------------------------------------------------------------------------- drop bucket

resource "google_storage_bucket" "ebics_drop" {
  name                        = "${var.project}-ebics-drop"
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  versioning { enabled = true }
  logging {
    log_bucket = google_storage_bucket.access_logs.name
  }
  # Overwritten objects (a rerun, an ERP re-upload) keep a month of history.
  lifecycle_rule {
    condition {
      days_since_noncurrent_time = 30
    }
    action { type = "Delete" }
  }
}

resource "google_storage_bucket_iam_member" "ebics_drop_server" {
  count  = var.ebics_server_service_account == "" ? 0 : 1
  bucket = google_storage_bucket.ebics_drop.name
  role   = "roles/storage.objectUser"
  member = "serviceAccount:${var.ebics_server_service_account}"
}

# Cloud Storage notifies finalized objects under an inbox to the `ebics.inbox` topic
# (JSON API payload); the function takes them from a push subscription with a retry policy
# and a dead letter, like every other asynchronous path. Inboxes sit under
# `{org}/{connection}/inbox/`, which no notification prefix can select, so our own outbox
# writes are notified too and the function ignores every object outside an inbox.
data "google_storage_project_service_account" "gcs" {}

resource "google_pubsub_topic_iam_member" "gcs_notifies_inbox" {
  topic  = module.topics["ebics.inbox"].id
  role   = "roles/pubsub.publisher"
  member = "serviceAccount:${data.google_storage_project_service_account.gcs.email_address}"
}

resource "google_storage_notification" "ebics_inbox" {
  bucket         = google_storage_bucket.ebics_drop.name
  topic          = module.topics["ebics.inbox"].id
  payload_format = "JSON_API_V1"
  event_types    = ["OBJECT_FINALIZE"]
  depends_on     = [google_pubsub_topic_iam_member.gcs_notifies_inbox]
}

# The ERP-facing EBICS server writes the drop bucket; our functions read and write it.
locals {
  ebics_drop_users = {
    ebics_statements = module.ebics_statements.service_account_email
    ebics_inbox      = module.ebics_inbox.service_account_email
    integrations_api = module.integrations_api.service_account_email
    # pain.002 answers to payment files that failed every delivery (dead_letters.tf)
    dead_letter_handler = module.dead_letter_handler.service_account_email
  }
}

resource "google_storage_bucket_iam_member" "ebics_drop_functions" {
  for_each = local.ebics_drop_users
  bucket   = google_storage_bucket.ebics_drop.name
  role     = "roles/storage.objectUser"
  member   = "serviceAccount:${each.value}"
}

# The daily run lists active connections with a collection-group query on
# organizations/*/ebics_connections (status == active): a single-field collection-group index.
resource "google_firestore_field" "ebics_connections_status" {
  database   = google_firestore_database.default.name
  collection = "ebics_connections"
  field      = "status"
  index_config {
    indexes {
      order = "ASCENDING"
    }
    indexes {
      order       = "ASCENDING"
      query_scope = "COLLECTION_GROUP"
    }
  }
}

# ----------------------------------------------------------------------------- statements

module "ebics_statements" {
  project_roles     = local.firestore_roles
  source            = "./modules/function"
  name              = "ebics-statements"
  entry_point       = "ebics_statements"
  platform          = local.platform
  environment       = local.ebics_env
  memory            = "1Gi"
  cpu               = "1"
  timeout_seconds   = 540
  max_instances     = 1
  concurrency       = 1
  pubsub_topic      = module.topics["ebics.statements"].id
  dead_letter_topic = module.topics["ebics.statements"].dead_letter_id
  project_number    = data.google_project.this.number
}

# ----------------------------------------------------------------------------- inbox

module "ebics_inbox" {
  source      = "./modules/function"
  name        = "ebics-inbox"
  entry_point = "ebics_inbox"
  platform    = local.platform
  environment = local.ebics_env
  # A pain.001 is at most 64 MiB (shared/formats/pain001.py); its tree fits in 2 GiB.
  memory            = "2Gi"
  cpu               = "1"
  timeout_seconds   = 300
  max_instances     = 10
  concurrency       = 1
  project_roles     = local.firestore_roles
  pubsub_topic      = module.topics["ebics.inbox"].id
  dead_letter_topic = module.topics["ebics.inbox"].dead_letter_id
  project_number    = data.google_project.this.number
}

# ----------------------------------------------------------------------------- API

module "integrations_api" {
  project_roles = local.firestore_roles
  publishes_to  = [for t in ["documents.received", "exports.sync", "dropzone.sync", "ebics.statements"] : module.topics[t].id]
  source        = "./modules/function"
  name          = "integrations-api"
  entry_point   = "integrations_api"
  platform      = local.platform
  environment   = local.api_env
  secrets = {
    GOOGLE_OAUTH_CLIENT_SECRET = google_secret_manager_secret.all["google-oauth-client-secret"].secret_id
    DROPBOX_APP_SECRET         = google_secret_manager_secret.all["dropbox-app-secret"].secret_id
  }
  max_instances = 20
}

# Private: no allUsers binding. Cloud Run checks the caller's Google-signed ID token; the
# backend is the only principal allowed through.
resource "google_cloud_run_service_iam_member" "integrations_api_backend" {
  location = var.region
  service  = module.integrations_api.name
  role     = "roles/run.invoker"
  member   = "serviceAccount:${var.app_backend_service_account}"
}

resource "google_cloud_run_service_iam_member" "integrations_api_ops" {
  count    = var.ops_service_account == "" ? 0 : 1
  location = var.region
  service  = module.integrations_api.name
  role     = "roles/run.invoker"
  member   = "serviceAccount:${var.ops_service_account}"
}

# The /ops routes pause and resume the Scheduler jobs: exactly those permissions, not
# Scheduler admin.
resource "google_project_iam_custom_role" "scheduler_operator" {
  role_id     = "docIntegrationsSchedulerOperator"
  title       = "Pause and resume the document-integrations Scheduler jobs"
  permissions = ["cloudscheduler.jobs.list", "cloudscheduler.jobs.get", "cloudscheduler.jobs.pause", "cloudscheduler.jobs.enable"]
}

resource "google_project_iam_member" "integrations_api_scheduler_operator" {
  project = var.project
  role    = google_project_iam_custom_role.scheduler_operator.id
  member  = "serviceAccount:${module.integrations_api.service_account_email}"
}

# Billing may invoke the API too; the code lets it reach the plan route only
# (API_BILLING_SERVICE_ACCOUNT, compared with the caller of the Cloud Run-verified ID token).
resource "google_cloud_run_service_iam_member" "integrations_api_billing" {
  location = var.region
  service  = module.integrations_api.name
  role     = "roles/run.invoker"
  member   = "serviceAccount:${var.billing_service_account}"
}

output "integrations_api_url" {
  value = module.integrations_api.uri
}
