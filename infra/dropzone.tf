# Google Drive Dropzone import (issue 6):
# Cloud Scheduler (every 3 h) -> Pub/Sub `dropzone.run` -> dropzone_fanout
#   -> one message per active integration on `dropzone.sync` -> dropzone_worker.
# The `dropzone.run` topic and its dead letter are declared in pubsub.tf.

variable "google_oauth_client_id" {
  description = "OAuth client id used to refresh the Drive tokens stored per integration."
  type        = string
  default     = ""
}

locals {
  dropzone_env = merge(local.common_env, {
    TOPIC_DROPZONE_SYNC    = google_pubsub_topic.dropzone_sync.name
    GOOGLE_OAUTH_CLIENT_ID = var.google_oauth_client_id
  })
}

resource "google_pubsub_topic" "dropzone_sync" {
  name = "dropzone.sync"
}

resource "google_pubsub_topic" "dropzone_sync_dead_letter" {
  name = "dropzone.sync.dead-letter"
}

resource "google_pubsub_subscription" "dropzone_sync_dead_letter" {
  name                       = "dropzone.sync.dead-letter.hold"
  topic                      = google_pubsub_topic.dropzone_sync_dead_letter.id
  message_retention_duration = "604800s"
}

resource "google_pubsub_topic_iam_member" "dropzone_sync_dead_letter_publisher" {
  topic  = google_pubsub_topic.dropzone_sync_dead_letter.id
  role   = "roles/pubsub.publisher"
  member = "serviceAccount:service-${data.google_project.this.number}@gcp-sa-pubsub.iam.gserviceaccount.com"
}

# Values are added out of band (gcloud secrets versions add); never in Terraform state.
resource "google_secret_manager_secret" "google_oauth_client_secret" {
  secret_id = "google-oauth-client-secret"
  replication {
    auto {}
  }
}

resource "google_secret_manager_secret_iam_member" "google_oauth_client_secret" {
  secret_id = google_secret_manager_secret.google_oauth_client_secret.id
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${google_service_account.functions.email}"
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

resource "google_cloud_scheduler_job" "dropzone_every_3h" {
  name      = "dropzone-every-3h"
  region    = var.region
  schedule  = "0 */3 * * *"
  time_zone = "Etc/UTC" # the run key is the UTC 3-hour slot
  pubsub_target {
    topic_name = google_pubsub_topic.topics["dropzone.run"].id
    data       = base64encode("{}")
  }
  depends_on = [google_project_service.apis]
}

resource "google_cloudfunctions2_function" "dropzone_fanout" {
  name     = "dropzone-fanout"
  location = var.region
  build_config {
    runtime     = var.runtime
    entry_point = "dropzone_fanout"
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
    environment_variables = local.dropzone_env
  }
  event_trigger {
    trigger_region        = var.region
    event_type            = "google.cloud.pubsub.topic.v1.messagePublished"
    pubsub_topic          = google_pubsub_topic.topics["dropzone.run"].id
    retry_policy          = "RETRY_POLICY_RETRY"
    service_account_email = google_service_account.functions.email
  }
}

resource "google_cloudfunctions2_function" "dropzone_worker" {
  name     = "dropzone-worker"
  location = var.region
  build_config {
    runtime     = var.runtime
    entry_point = "dropzone_worker"
    source {
      storage_source {
        bucket = google_storage_bucket.sources.name
        object = google_storage_bucket_object.source.name
      }
    }
  }
  service_config {
    # OCR of scanned invoices and PDF rendering, as the document processor.
    available_memory = "2Gi"
    available_cpu    = "1"
    # Event functions stop at 540 s: the run's time budget (360 s) and the lease TTL
    # (12 min) in shared/usecases/dropzone_import.py are set against this.
    timeout_seconds                  = 540
    max_instance_count               = 10
    max_instance_request_concurrency = 1
    service_account_email            = google_service_account.functions.email
    environment_variables            = local.dropzone_env
    secret_environment_variables {
      key        = "GOOGLE_OAUTH_CLIENT_SECRET"
      project_id = var.project
      secret     = google_secret_manager_secret.google_oauth_client_secret.secret_id
      version    = "latest"
    }
  }
  event_trigger {
    trigger_region        = var.region
    event_type            = "google.cloud.pubsub.topic.v1.messagePublished"
    pubsub_topic          = google_pubsub_topic.dropzone_sync.id
    retry_policy          = "RETRY_POLICY_RETRY"
    service_account_email = google_service_account.functions.email
  }
}
