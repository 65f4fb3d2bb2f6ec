# Google Cloud resources for the document-integrations backend.
# One source archive, many functions (gen2); every event path has a dead-letter topic.

terraform {
  required_version = ">= 1.5"
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
    "eventarc.googleapis.com", "pubsub.googleapis.com", "firestore.googleapis.com",
    "cloudscheduler.googleapis.com", "secretmanager.googleapis.com", "storage.googleapis.com",
    "artifactregistry.googleapis.com",
  ])
  service            = each.value
  disable_on_destroy = false
}

resource "google_firestore_database" "default" {
  name        = "(default)"
  location_id = var.firestore_location
  type        = "FIRESTORE_NATIVE"
  depends_on  = [google_project_service.apis]
}

resource "google_service_account" "functions" {
  account_id   = "doc-integrations-fn"
  display_name = "Document integrations functions"
}

resource "google_project_iam_member" "functions" {
  for_each = toset([
    "roles/datastore.user", "roles/pubsub.publisher", "roles/eventarc.eventReceiver",
    "roles/run.invoker", "roles/logging.logWriter",
  ])
  project = var.project
  role    = each.value
  member  = "serviceAccount:${google_service_account.functions.email}"
}
