# Every Cloud Scheduler job, in one table. Each publishes `{}` to its topic through the
# Pub/Sub REST API, as its own service account (publisher on exactly these topics).
# Google APIs take OAuth access tokens; OIDC tokens are what Cloud Run checks, and they
# are used one hop later, on each push subscription (modules/function).
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
    # Receipt reminders: hourly; quiet hours and the daily cap are applied per member.
    "reminders.run" = { name = "receipt-reminders-hourly", cron = "5 * * * *", time_zone = "Europe/Paris" }
    # Partner deliveries that failed: `{}` sweeps those whose backoff has passed.
    "documents.approved" = { name = "partner-retry-sweep", cron = "*/15 * * * *", time_zone = "Etc/UTC" }
  }
}

resource "google_service_account" "scheduler" {
  account_id   = "doc-integrations-scheduler"
  display_name = "Cloud Scheduler jobs (publish the run topics)"
}

resource "google_pubsub_topic_iam_member" "scheduler_publisher" {
  for_each = local.schedules
  topic    = module.topics[each.key].id
  role     = "roles/pubsub.publisher"
  member   = "serviceAccount:${google_service_account.scheduler.email}"
}

resource "google_cloud_scheduler_job" "jobs" {
  for_each  = local.schedules
  name      = each.value.name
  region    = var.region
  schedule  = each.value.cron
  time_zone = each.value.time_zone
  retry_config {
    retry_count          = 3
    min_backoff_duration = "30s"
  }
  http_target {
    http_method = "POST"
    uri         = "https://pubsub.googleapis.com/v1/${module.topics[each.key].id}:publish"
    headers     = { "Content-Type" = "application/json" }
    body        = base64encode(jsonencode({ messages = [{ data = base64encode("{}") }] }))
    oauth_token {
      service_account_email = google_service_account.scheduler.email
      scope                 = "https://www.googleapis.com/auth/pubsub"
    }
  }
  depends_on = [google_project_service.apis]
}
