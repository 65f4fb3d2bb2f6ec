# One Cloud Function (gen2) from the shared source archive, triggered by HTTP (no
# trigger variable) or by a Pub/Sub topic through a push subscription with a dead letter.
# Cloud Storage events reach functions as Pub/Sub notifications too (see ebics.tf), so
# every asynchronous path has the same retry policy and dead letter.

variable "name" { type = string }
variable "entry_point" { type = string }
variable "platform" {
  description = "What every function shares: project, region, runtime, source archive."
  type = object({
    project       = string
    region        = string
    runtime       = string
    source_bucket = string
    source_object = string
  })
}

variable "project_roles" {
  description = "Project-level roles of the function's own service account (least privilege: only what its code calls)."
  type        = list(string)
  default     = []
}

variable "publishes_to" {
  description = "Topic ids the function publishes to: roles/pubsub.publisher on each topic, nothing project-wide."
  type        = list(string)
  default     = []
}

variable "public" {
  description = "Reachable from the internet (a vendor webhook that authenticates by signature). Otherwise internal traffic only (Pub/Sub push, Scheduler) or IAM-checked callers."
  type        = bool
  default     = false
}
variable "environment" {
  description = "Plain configuration only: a secret goes in `secrets` (checked by tests/infra)."
  type        = map(string)
}

variable "secrets" {
  description = "Environment variable name -> Secret Manager secret id (latest version)."
  type        = map(string)
  default     = {}
}

variable "memory" {
  type    = string
  default = "512Mi"
}

variable "cpu" {
  type    = string
  default = null
}

variable "timeout_seconds" {
  type    = number
  default = 60
}

variable "max_instances" {
  type    = number
  default = 10
}

variable "concurrency" {
  type    = number
  default = null
}

variable "pubsub_topic" {
  description = "Topic id whose messages are pushed to the function (at-least-once, retried)."
  type        = string
  default     = null
}

variable "dead_letter_topic" {
  description = "Topic id that receives messages still failing after max_delivery_attempts."
  type        = string
  default     = null
}

variable "max_delivery_attempts" {
  type    = number
  default = 10
}

variable "project_number" {
  description = "Needed with pubsub_topic: the Pub/Sub service agent dead-letters and signs pushes."
  type        = string
  default     = null
}

# One identity per function, so that each holds only the rights its own code needs.
resource "google_service_account" "this" {
  account_id   = substr("fn-${var.name}", 0, 30)
  display_name = "Function ${var.name}"
}

resource "google_project_iam_member" "roles" {
  for_each = toset(concat(["roles/logging.logWriter", "roles/monitoring.metricWriter"], var.project_roles))
  project  = var.platform.project
  role     = each.value
  member   = "serviceAccount:${google_service_account.this.email}"
}

resource "google_pubsub_topic_iam_member" "publisher" {
  for_each = toset(var.publishes_to)
  topic    = each.value
  role     = "roles/pubsub.publisher"
  member   = "serviceAccount:${google_service_account.this.email}"
}

resource "google_secret_manager_secret_iam_member" "secrets" {
  for_each  = var.secrets
  project   = var.platform.project
  secret_id = each.value
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${google_service_account.this.email}"
}

resource "google_cloudfunctions2_function" "this" {
  #checkov:skip=CKV_GCP_124: ALLOW_ALL only for HTTP functions: vendor webhooks (var.public, authenticated by signature) and the private API (run.invoker IAM); every Pub/Sub-pushed function is internal-only
  name     = var.name
  location = var.platform.region
  build_config {
    runtime     = var.platform.runtime
    entry_point = var.entry_point
    source {
      storage_source {
        bucket = var.platform.source_bucket
        object = var.platform.source_object
      }
    }
  }
  service_config {
    available_memory                 = var.memory
    available_cpu                    = var.cpu
    timeout_seconds                  = var.timeout_seconds
    max_instance_count               = var.max_instances
    max_instance_request_concurrency = var.concurrency
    service_account_email            = google_service_account.this.email
    environment_variables            = var.environment
    # Pub/Sub pushes count as internal traffic; only vendor webhooks and the private API
    # (IAM-checked) accept requests from outside the project.
    ingress_settings = var.public || var.pubsub_topic == null ? "ALLOW_ALL" : "ALLOW_INTERNAL_ONLY"
    dynamic "secret_environment_variables" {
      for_each = var.secrets
      content {
        key        = secret_environment_variables.key
        project_id = var.platform.project
        secret     = secret_environment_variables.value
        version    = "latest"
      }
    }
  }
}

# Pub/Sub-triggered functions get an explicit push subscription rather than an Eventarc
# trigger: only then can Terraform give it a dead-letter topic and a retry backoff.
# functions-framework turns the raw Pub/Sub push body into the CloudEvent the code takes.
resource "google_pubsub_subscription" "push" {
  count                = var.pubsub_topic == null ? 0 : 1
  name                 = "${var.name}-push"
  topic                = var.pubsub_topic
  ack_deadline_seconds = min(600, max(10, var.timeout_seconds))
  push_config {
    push_endpoint = google_cloudfunctions2_function.this.service_config[0].uri
    oidc_token {
      service_account_email = google_service_account.this.email
    }
  }
  retry_policy {
    minimum_backoff = "10s"
    maximum_backoff = "600s"
  }
  dynamic "dead_letter_policy" {
    for_each = var.dead_letter_topic == null ? [] : [var.dead_letter_topic]
    content {
      dead_letter_topic     = dead_letter_policy.value
      max_delivery_attempts = var.max_delivery_attempts
    }
  }
}

# The push identity may invoke the function; the Pub/Sub service agent may take messages
# off the subscription to dead-letter them.
resource "google_cloud_run_service_iam_member" "push_invoker" {
  count    = var.pubsub_topic == null ? 0 : 1
  location = var.platform.region
  service  = google_cloudfunctions2_function.this.name
  role     = "roles/run.invoker"
  member   = "serviceAccount:${google_service_account.this.email}"
}

resource "google_pubsub_subscription_iam_member" "dead_letter_subscriber" {
  count        = var.pubsub_topic == null || var.dead_letter_topic == null ? 0 : 1
  subscription = google_pubsub_subscription.push[0].name
  role         = "roles/pubsub.subscriber"
  member       = "serviceAccount:service-${var.project_number}@gcp-sa-pubsub.iam.gserviceaccount.com"
}

output "name" {
  value = google_cloudfunctions2_function.this.name
}

output "service_account_email" {
  value = google_service_account.this.email
}

output "uri" {
  value = google_cloudfunctions2_function.this.service_config[0].uri
}
