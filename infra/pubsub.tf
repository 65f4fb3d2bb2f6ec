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

# Every Cloud Scheduler job, in one table: each publishes `{}` to its topic.
locals {
  schedules = {
    # The run key is the Paris day (nightly-YYYY-MM-DD).
    "exports.nightly" = { name = "exports-nightly", cron = "30 23 * * *", time_zone = "Europe/Paris" }
    # The run key is the UTC 3-hour slot.
    "dropzone.run" = { name = "dropzone-every-3h", cron = "0 */3 * * *", time_zone = "Etc/UTC" }
    # Tuesday to Saturday: the previous business day is Monday to Friday. A message may
    # carry {"date": "YYYY-MM-DD"} to (re)write a given day; reruns write the same files.
    "ebics.statements"  = { name = "ebics-statements-daily", cron = "0 6 * * 2-6", time_zone = "Europe/Paris" }
    "documents.rematch" = { name = "documents-rematch-hourly", cron = "17 * * * *", time_zone = "Europe/Paris" }
    "directory.sync"    = { name = "phone-directory-daily", cron = "0 9 * * *", time_zone = "Europe/Paris" }
  }
}

resource "google_cloud_scheduler_job" "jobs" {
  for_each  = local.schedules
  name      = each.value.name
  region    = var.region
  schedule  = each.value.cron
  time_zone = each.value.time_zone
  pubsub_target {
    topic_name = module.topics[each.key].id
    data       = base64encode("{}")
  }
  depends_on = [google_project_service.apis]
}
