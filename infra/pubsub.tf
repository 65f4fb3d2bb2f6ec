# Every topic the functions use, each with its dead-letter topic (modules/topic).
locals {
  topics = [
    "documents.received", "documents.rematch", "documents.approved",
    "exports.nightly", "exports.sync",
    "dropzone.run", "dropzone.sync",
    "ebics.statements", "directory.sync",
  ]
  # What every function module shares (modules/function's `platform`).
  platform = {
    project               = var.project
    region                = var.region
    runtime               = var.runtime
    source_bucket         = google_storage_bucket.sources.name
    source_object         = google_storage_bucket_object.source.name
    service_account_email = google_service_account.functions.email
  }
}

module "topics" {
  source         = "./modules/topic"
  for_each       = toset(local.topics)
  name           = each.value
  project_number = data.google_project.this.number
}
