# Google Cloud resources for the document-integrations backend, deployable into an empty
# project (docs/RUNBOOK.md). One source archive, many functions (gen2), one service account
# per function, every asynchronous path through Pub/Sub with a retry policy and a dead letter.

terraform {
  required_version = ">= 1.5"
  # State per environment in a bucket created once by hand (docs/RUNBOOK.md, step 2).
  backend "gcs" {}
  required_providers {
    google  = { source = "hashicorp/google", version = "~> 6.0" }
    archive = { source = "hashicorp/archive", version = "~> 2.4" }
  }
}

provider "google" {
  project = var.project
  region  = var.region
}

data "google_project" "this" {}

resource "google_project_service" "apis" {
  for_each = toset([
    "cloudfunctions.googleapis.com", "run.googleapis.com", "cloudbuild.googleapis.com",
    "pubsub.googleapis.com", "firestore.googleapis.com", "cloudscheduler.googleapis.com",
    "secretmanager.googleapis.com", "storage.googleapis.com", "artifactregistry.googleapis.com",
    "cloudkms.googleapis.com", "monitoring.googleapis.com", "logging.googleapis.com",
    "iam.googleapis.com",
  ])
  service            = each.value
  disable_on_destroy = false
}

resource "google_firestore_database" "default" {
  name                              = "(default)"
  location_id                       = var.firestore_location
  type                              = "FIRESTORE_NATIVE"
  point_in_time_recovery_enablement = "POINT_IN_TIME_RECOVERY_ENABLED"
  delete_protection_state           = "DELETE_PROTECTION_ENABLED"
  depends_on                        = [google_project_service.apis]
}

# Short-lived records carry `expire_at`; Firestore deletes them after that instant
# (idempotency keys, webhook message records, OAuth states, activation codes).
resource "google_firestore_field" "ttl" {
  for_each   = toset(var.ttl_collections)
  database   = google_firestore_database.default.name
  collection = each.value
  field      = "expire_at"
  ttl_config {}
  # A TTL field needs no single-field index.
  index_config {}
}

locals {
  # What every function module shares (modules/function's `platform`).
  platform = {
    project       = var.project
    region        = var.region
    runtime       = var.runtime
    source_bucket = google_storage_bucket.sources.name
    source_object = google_storage_bucket_object.source.name
  }
  # Every function reads and writes its tenant data in Firestore.
  firestore_roles = ["roles/datastore.user"]
}
