# EBICS file drop (issue 7); code in functions/ebics.py and shared/usecases/ebics.py.
#
# - Cloud Scheduler (06:00 Europe/Paris, Tuesday to Saturday) -> Pub/Sub `ebics.statements`
#   -> ebics_statements: the previous business day's MT940 / CFONB-120 files, per IBAN and
#   connection, into the drop bucket (`{org}/{connection}/outbox/statements/...`).
# - The EBICS server (not ours) drops pain.001 files into `{org}/{connection}/inbox/`; the
#   bucket's finalize events reach ebics_inbox through Eventarc, which writes payment
#   requests and a pain.002 into `outbox/reports/`. Our own outbox writes fire the same
#   event: the function ignores every object outside an inbox.
# - integrations_api: private HTTP API of the bank app backend (connections, plan changes,
#   payment approvals). Only the backend's service account may invoke it; it asserts the
#   acting member in the X-Acting-Member-Id header (see functions/ebics.py).

variable "app_backend_service_account" {
  description = "Service account of the bank app backend: the only invoker of integrations_api."
  type        = string
}

variable "ebics_server_service_account" {
  description = "Service account of the EBICS server that exchanges files through the drop bucket (empty: granted out of band)."
  type        = string
  default     = ""
}

locals {
  ebics_env = merge(local.common_env, {
    EBICS_DROP_BUCKET = google_storage_bucket.ebics_drop.name
  })
}

# ----------------------------------------------------------------------------- drop bucket

resource "google_storage_bucket" "ebics_drop" {
  name                        = "${var.project}-ebics-drop"
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  versioning { enabled = true }
  # Overwritten objects (a rerun, an ERP re-upload) keep a month of history.
  lifecycle_rule {
    condition {
      days_since_noncurrent_time = 30
    }
    action { type = "Delete" }
  }
}

resource "google_storage_bucket_iam_member" "ebics_drop_functions" {
  bucket = google_storage_bucket.ebics_drop.name
  role   = "roles/storage.objectAdmin"
  member = "serviceAccount:${google_service_account.functions.email}"
}

resource "google_storage_bucket_iam_member" "ebics_drop_server" {
  count  = var.ebics_server_service_account == "" ? 0 : 1
  bucket = google_storage_bucket.ebics_drop.name
  role   = "roles/storage.objectUser"
  member = "serviceAccount:${var.ebics_server_service_account}"
}

# Cloud Storage publishes the finalize events that Eventarc delivers.
data "google_storage_project_service_account" "gcs" {}

resource "google_project_iam_member" "gcs_pubsub_publisher" {
  project = var.project
  role    = "roles/pubsub.publisher"
  member  = "serviceAccount:${data.google_storage_project_service_account.gcs.email_address}"
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

resource "google_pubsub_topic" "ebics_statements" {
  name = "ebics.statements"
}

resource "google_pubsub_topic" "ebics_statements_dead_letter" {
  name = "ebics.statements.dead-letter"
}

resource "google_pubsub_subscription" "ebics_statements_dead_letter" {
  name                       = "ebics.statements.dead-letter.hold"
  topic                      = google_pubsub_topic.ebics_statements_dead_letter.id
  message_retention_duration = "604800s"
}

resource "google_pubsub_topic_iam_member" "ebics_statements_dead_letter_publisher" {
  topic  = google_pubsub_topic.ebics_statements_dead_letter.id
  role   = "roles/pubsub.publisher"
  member = "serviceAccount:service-${data.google_project.this.number}@gcp-sa-pubsub.iam.gserviceaccount.com"
}

# Tuesday to Saturday: the previous business day is Monday to Friday. A message may carry
# {"date": "YYYY-MM-DD"} to (re)write a given day; reruns write the same files.
resource "google_cloud_scheduler_job" "ebics_statements_daily" {
  name      = "ebics-statements-daily"
  region    = var.region
  schedule  = "0 6 * * 2-6"
  time_zone = "Europe/Paris"
  pubsub_target {
    topic_name = google_pubsub_topic.ebics_statements.id
    data       = base64encode("{}")
  }
  depends_on = [google_project_service.apis]
}

resource "google_cloudfunctions2_function" "ebics_statements" {
  name     = "ebics-statements"
  location = var.region
  build_config {
    runtime     = var.runtime
    entry_point = "ebics_statements"
    source {
      storage_source {
        bucket = google_storage_bucket.sources.name
        object = google_storage_bucket_object.source.name
      }
    }
  }
  service_config {
    available_memory                 = "1Gi"
    available_cpu                    = "1"
    timeout_seconds                  = 540
    max_instance_count               = 1
    max_instance_request_concurrency = 1
    service_account_email            = google_service_account.functions.email
    environment_variables            = local.ebics_env
  }
  event_trigger {
    trigger_region        = var.region
    event_type            = "google.cloud.pubsub.topic.v1.messagePublished"
    pubsub_topic          = google_pubsub_topic.ebics_statements.id
    retry_policy          = "RETRY_POLICY_RETRY"
    service_account_email = google_service_account.functions.email
  }
}

# ----------------------------------------------------------------------------- inbox

resource "google_cloudfunctions2_function" "ebics_inbox" {
  name     = "ebics-inbox"
  location = var.region
  build_config {
    runtime     = var.runtime
    entry_point = "ebics_inbox"
    source {
      storage_source {
        bucket = google_storage_bucket.sources.name
        object = google_storage_bucket_object.source.name
      }
    }
  }
  service_config {
    # A pain.001 is at most 64 MiB (shared/formats/pain001.py); its tree fits in 2 GiB.
    available_memory                 = "2Gi"
    available_cpu                    = "1"
    timeout_seconds                  = 300
    max_instance_count               = 10
    max_instance_request_concurrency = 1
    service_account_email            = google_service_account.functions.email
    environment_variables            = local.ebics_env
  }
  event_trigger {
    # A Cloud Storage trigger must be in the bucket's region.
    trigger_region        = var.region
    event_type            = "google.cloud.storage.object.v1.finalized"
    retry_policy          = "RETRY_POLICY_RETRY"
    service_account_email = google_service_account.functions.email
    event_filters {
      attribute = "bucket"
      value     = google_storage_bucket.ebics_drop.name
    }
  }
  depends_on = [google_project_iam_member.gcs_pubsub_publisher]
}

# ----------------------------------------------------------------------------- API

resource "google_cloudfunctions2_function" "integrations_api" {
  name     = "integrations-api"
  location = var.region
  build_config {
    runtime     = var.runtime
    entry_point = "integrations_api"
    source {
      storage_source {
        bucket = google_storage_bucket.sources.name
        object = google_storage_bucket_object.source.name
      }
    }
  }
  service_config {
    available_memory      = "512Mi"
    timeout_seconds       = 60
    max_instance_count    = 20
    ingress_settings      = "ALLOW_ALL"
    service_account_email = google_service_account.functions.email
    environment_variables = local.ebics_env
  }
}

# Private: no allUsers binding. Cloud Run checks the caller's Google-signed ID token; the
# backend is the only principal allowed through.
resource "google_cloud_run_service_iam_member" "integrations_api_backend" {
  location = var.region
  service  = google_cloudfunctions2_function.integrations_api.name
  role     = "roles/run.invoker"
  member   = "serviceAccount:${var.app_backend_service_account}"
}

output "integrations_api_url" {
  value = google_cloudfunctions2_function.integrations_api.service_config[0].uri
}
