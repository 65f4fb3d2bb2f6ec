# Buckets: uniform access, no public access, versioning, lifecycle rules, access logs.

resource "google_storage_bucket" "access_logs" {
  #checkov:skip=CKV_GCP_62: this is the access-log bucket; logging it into itself would loop
  name                        = "${var.project}-access-logs"
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  versioning { enabled = true }
  lifecycle_rule {
    condition { age = 365 }
    action { type = "Delete" }
  }
}

# Document bytes, content-addressed by sha256. Kept as long as the business keeps its
# records (10 years in France): no age-based deletion; overwritten versions go after 90 days.
resource "google_storage_bucket" "documents" {
  name                        = "${var.project}-documents"
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  versioning { enabled = true }
  lifecycle_rule {
    condition {
      days_since_noncurrent_time = 90
    }
    action { type = "Delete" }
  }
  logging {
    log_bucket = google_storage_bucket.access_logs.name
  }
}

# The function source archive (everything but dev tooling; see .gcloudignore).
resource "google_storage_bucket" "sources" {
  name                        = "${var.project}-function-sources"
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  versioning { enabled = true }
  lifecycle_rule {
    condition {
      age                = 30
      num_newer_versions = 5
    }
    action { type = "Delete" }
  }
  logging {
    log_bucket = google_storage_bucket.access_logs.name
  }
}

data "archive_file" "source" {
  type        = "zip"
  source_dir  = "${path.module}/.."
  output_path = "${path.module}/.build/source.zip"
  excludes    = [".git", ".venv", "tests", "bench", "local", "infra", "var", ".ci", "docs"]
}

resource "google_storage_bucket_object" "source" {
  name   = "source-${data.archive_file.source.output_md5}.zip"
  bucket = google_storage_bucket.sources.name
  source = data.archive_file.source.output_path
}

# Who may touch document bytes: the intake paths write, the processors read, the export
# and partner dispatch read.
locals {
  documents_writers = {
    whatsapp_media     = module.whatsapp_media_worker.service_account_email
    document_processor = module.document_processor.service_account_email
    dropzone_worker    = module.dropzone_worker.service_account_email
    integrations_api   = module.integrations_api.service_account_email
  }
  documents_readers = {
    nightly_export_worker = module.nightly_export_worker.service_account_email
    rematch_unmatched     = module.rematch_unmatched.service_account_email
  }
}

resource "google_storage_bucket_iam_member" "documents_writers" {
  for_each = local.documents_writers
  bucket   = google_storage_bucket.documents.name
  role     = "roles/storage.objectUser"
  member   = "serviceAccount:${each.value}"
}

resource "google_storage_bucket_iam_member" "documents_readers" {
  for_each = local.documents_readers
  bucket   = google_storage_bucket.documents.name
  role     = "roles/storage.objectViewer"
  member   = "serviceAccount:${each.value}"
}
