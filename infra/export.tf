# Nightly export of receipts to Google Drive / Dropbox (issue 5):
# Cloud Scheduler (23:30 Europe/Paris) -> Pub/Sub `exports.nightly` -> nightly_export_fanout
#   -> one message per active export integration on `exports.sync` -> nightly_export_worker.
# The `exports.nightly` topic and its dead letter are declared in pubsub.tf.
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
    TOPIC_EXPORTS_SYNC     = google_pubsub_topic.exports_sync.name
    PRODUCT_NAME           = var.product_name
    GOOGLE_OAUTH_CLIENT_ID = var.google_oauth_client_id
    DROPBOX_APP_KEY        = var.dropbox_app_key
    # Below the worker's 540 s timeout: the run stops at a checkpoint and publishes
    # its continuation; the lease (600 s in the use case) outlives a killed worker.
    EXPORT_TIME_BUDGET_SECONDS = "420"
  })
}

resource "google_pubsub_topic" "exports_sync" {
  name = "exports.sync"
}

resource "google_pubsub_topic" "exports_sync_dead_letter" {
  name = "exports.sync.dead-letter"
}

resource "google_pubsub_subscription" "exports_sync_dead_letter" {
  name                       = "exports.sync.dead-letter.hold"
  topic                      = google_pubsub_topic.exports_sync_dead_letter.id
  message_retention_duration = "604800s"
}

resource "google_pubsub_topic_iam_member" "exports_sync_dead_letter_publisher" {
  topic  = google_pubsub_topic.exports_sync_dead_letter.id
  role   = "roles/pubsub.publisher"
  member = "serviceAccount:service-${data.google_project.this.number}@gcp-sa-pubsub.iam.gserviceaccount.com"
}

# Values are added out of band (gcloud secrets versions add); never in Terraform state.
resource "google_secret_manager_secret" "dropbox_app_secret" {
  secret_id = "dropbox-app-secret"
  replication {
    auto {}
  }
}

resource "google_secret_manager_secret_iam_member" "dropbox_app_secret" {
  secret_id = google_secret_manager_secret.dropbox_app_secret.id
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${google_service_account.functions.email}"
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

resource "google_cloud_scheduler_job" "exports_nightly" {
  name      = "exports-nightly"
  region    = var.region
  schedule  = "30 23 * * *"
  time_zone = "Europe/Paris" # the run key is the Paris day (nightly-YYYY-MM-DD)
  pubsub_target {
    topic_name = google_pubsub_topic.topics["exports.nightly"].id
    data       = base64encode("{}")
  }
  depends_on = [google_project_service.apis]
}

resource "google_cloudfunctions2_function" "nightly_export_fanout" {
  name     = "nightly-export-fanout"
  location = var.region
  build_config {
    runtime     = var.runtime
    entry_point = "nightly_export_fanout"
    source {
      storage_source {
        bucket = google_storage_bucket.sources.name
        object = google_storage_bucket_object.source.name
      }
    }
  }
  service_config {
    available_memory      = "256Mi"
    timeout_seconds       = 120
    max_instance_count    = 1
    service_account_email = google_service_account.functions.email
    environment_variables = local.export_env
  }
  event_trigger {
    trigger_region        = var.region
    event_type            = "google.cloud.pubsub.topic.v1.messagePublished"
    pubsub_topic          = google_pubsub_topic.topics["exports.nightly"].id
    retry_policy          = "RETRY_POLICY_RETRY"
    service_account_email = google_service_account.functions.email
  }
}

resource "google_cloudfunctions2_function" "nightly_export_worker" {
  name     = "nightly-export-worker"
  location = var.region
  build_config {
    runtime     = var.runtime
    entry_point = "nightly_export_worker"
    source {
      storage_source {
        bucket = google_storage_bucket.sources.name
        object = google_storage_bucket_object.source.name
      }
    }
  }
  service_config {
    # One receipt in memory per upload plus a chunk read ahead (25 x 15 MB at most).
    available_memory = "1Gi"
    available_cpu    = "1"
    # Event functions stop at 540 s; EXPORT_TIME_BUDGET_SECONDS (420) is set against it.
    timeout_seconds                  = 540
    max_instance_count               = 10
    max_instance_request_concurrency = 1
    service_account_email            = google_service_account.functions.email
    environment_variables            = local.export_env
    secret_environment_variables {
      key        = "GOOGLE_OAUTH_CLIENT_SECRET"
      project_id = var.project
      secret     = google_secret_manager_secret.google_oauth_client_secret.secret_id
      version    = "latest"
    }
    secret_environment_variables {
      key        = "DROPBOX_APP_SECRET"
      project_id = var.project
      secret     = google_secret_manager_secret.dropbox_app_secret.secret_id
      version    = "latest"
    }
  }
  event_trigger {
    trigger_region        = var.region
    event_type            = "google.cloud.pubsub.topic.v1.messagePublished"
    pubsub_topic          = google_pubsub_topic.exports_sync.id
    retry_policy          = "RETRY_POLICY_RETRY"
    service_account_email = google_service_account.functions.email
  }
}
