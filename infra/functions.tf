locals {
  common_env = {
    GOOGLE_CLOUD_PROJECT        = var.project
    DOCUMENTS_BUCKET            = google_storage_bucket.documents.name
    TOPIC_DOCUMENTS_RECEIVED    = "documents.received"
    TWILIO_ACCOUNT_SID          = var.twilio_account_sid
    TWILIO_WHATSAPP_NUMBER      = var.twilio_whatsapp_number
    WHATSAPP_WEBHOOK_PUBLIC_URL = var.whatsapp_webhook_public_url
  }
}

resource "google_cloudfunctions2_function" "whatsapp_webhook" {
  name     = "whatsapp-webhook"
  location = var.region
  build_config {
    runtime     = var.runtime
    entry_point = "whatsapp_webhook"
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
    service_account_email = google_service_account.functions.email
    environment_variables = local.common_env
    secret_environment_variables {
      key        = "TWILIO_AUTH_TOKEN"
      project_id = var.project
      secret     = google_secret_manager_secret.twilio_auth_token.secret_id
      version    = "latest"
    }
  }
}

# Twilio calls the webhook without Google credentials; the function authenticates
# every request by its X-Twilio-Signature instead.
resource "google_cloud_run_service_iam_member" "whatsapp_webhook_public" {
  location = var.region
  service  = google_cloudfunctions2_function.whatsapp_webhook.name
  role     = "roles/run.invoker"
  member   = "allUsers"
}

resource "google_cloudfunctions2_function" "document_processor" {
  name     = "document-processor"
  location = var.region
  build_config {
    runtime     = var.runtime
    entry_point = "document_processor"
    source {
      storage_source {
        bucket = google_storage_bucket.sources.name
        object = google_storage_bucket_object.source.name
      }
    }
  }
  service_config {
    # OCR models and PDF rendering: 2 GiB keeps a page well inside memory.
    available_memory      = "2Gi"
    available_cpu         = "1"
    timeout_seconds       = 300
    max_instance_count    = 10
    service_account_email = google_service_account.functions.email
    environment_variables = local.common_env
    secret_environment_variables {
      key        = "TWILIO_AUTH_TOKEN"
      project_id = var.project
      secret     = google_secret_manager_secret.twilio_auth_token.secret_id
      version    = "latest"
    }
  }
  event_trigger {
    trigger_region        = var.region
    event_type            = "google.cloud.pubsub.topic.v1.messagePublished"
    pubsub_topic          = google_pubsub_topic.topics["documents.received"].id
    retry_policy          = "RETRY_POLICY_RETRY"
    service_account_email = google_service_account.functions.email
  }
}
