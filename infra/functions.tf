locals {
  common_env = {
    GOOGLE_CLOUD_PROJECT        = var.project
    DOCUMENTS_BUCKET            = google_storage_bucket.documents.name
    TOPIC_DOCUMENTS_RECEIVED    = module.topics["documents.received"].name
    TWILIO_ACCOUNT_SID          = var.twilio_account_sid
    TWILIO_WHATSAPP_NUMBER      = var.twilio_whatsapp_number
    WHATSAPP_WEBHOOK_PUBLIC_URL = var.whatsapp_webhook_public_url
    TOPIC_WHATSAPP_MEDIA        = module.topics["whatsapp.media"].name
    # Approved WhatsApp templates (ContentSid per template and language) for messages
    # outside the 24-hour window; none configured means such messages are recorded, not sent.
    WHATSAPP_TEMPLATES = jsonencode(var.whatsapp_templates)
  }
  twilio_secrets = { TWILIO_AUTH_TOKEN = google_secret_manager_secret.all["twilio-auth-token"].secret_id }
}

module "whatsapp_webhook" {
  project_roles = local.firestore_roles
  publishes_to  = [module.topics["whatsapp.media"].id]
  public        = true
  source        = "./modules/function"
  name          = "whatsapp-webhook"
  entry_point   = "whatsapp_webhook"
  platform      = local.platform
  environment   = local.common_env
  secrets       = local.twilio_secrets
  max_instances = 20
}

# Twilio calls the webhook without Google credentials; the function authenticates
# every request by its X-Twilio-Signature instead.
resource "google_cloud_run_service_iam_member" "whatsapp_webhook_public" {
  #checkov:skip=CKV_GCP_102: Twilio cannot present Google credentials; the function authenticates every request by its X-Twilio-Signature (403 otherwise)
  location = var.region
  service  = module.whatsapp_webhook.name
  role     = "roles/run.invoker"
  member   = "allUsers"
}

module "document_processor" {
  project_roles = local.firestore_roles
  publishes_to  = [module.topics["documents.approved"].id]
  source        = "./modules/function"
  name          = "document-processor"
  entry_point   = "document_processor"
  platform      = local.platform
  environment   = local.common_env
  secrets       = local.twilio_secrets
  # OCR models and PDF rendering: 2 GiB keeps a page well inside memory.
  memory            = "2Gi"
  cpu               = "1"
  timeout_seconds   = 300
  pubsub_topic      = module.topics["documents.received"].id
  dead_letter_topic = module.topics["documents.received"].dead_letter_id
  project_number    = data.google_project.this.number
}

# Documents that arrived before their transaction: tried again every hour.
module "rematch_unmatched" {
  project_roles     = local.firestore_roles
  publishes_to      = [module.topics["documents.approved"].id]
  source            = "./modules/function"
  name              = "rematch-unmatched"
  entry_point       = "rematch_unmatched"
  platform          = local.platform
  environment       = local.common_env
  secrets           = local.twilio_secrets
  memory            = "1Gi"
  timeout_seconds   = 540
  max_instances     = 1
  pubsub_topic      = module.topics["documents.rematch"].id
  dead_letter_topic = module.topics["documents.rematch"].dead_letter_id
  project_number    = data.google_project.this.number
}

# The hourly rematch finds organizations with a collection-group query on
# organizations/*/documents (status == unmatched).
resource "google_firestore_field" "documents_status" {
  database   = google_firestore_database.default.name
  collection = "documents"
  field      = "status"
  index_config {
    indexes {
      order = "ASCENDING"
    }
    indexes {
      order       = "ASCENDING"
      query_scope = "COLLECTION_GROUP"
    }
  }
}

# The API lists an organization's documents of one status a page at a time, newest
# first (status ==, received_at and then the id descending).
resource "google_firestore_index" "documents_status_received" {
  database   = google_firestore_database.default.name
  collection = "documents"
  fields {
    field_path = "status"
    order      = "ASCENDING"
  }
  fields {
    field_path = "received_at"
    order      = "DESCENDING"
  }
}

# The directory is rebuilt from a collection-group query on organizations/*/members
# (phone > ""): a single-field collection-group index.
resource "google_firestore_field" "members_phone" {
  database   = google_firestore_database.default.name
  collection = "members"
  field      = "phone"
  index_config {
    indexes {
      order = "ASCENDING"
    }
    indexes {
      order       = "ASCENDING"
      query_scope = "COLLECTION_GROUP"
    }
  }
}

# phone -> user -> companies, rebuilt from the members every morning.
module "phone_directory_sync" {
  project_roles     = local.firestore_roles
  source            = "./modules/function"
  name              = "phone-directory-sync"
  entry_point       = "phone_directory_sync"
  platform          = local.platform
  environment       = local.common_env
  timeout_seconds   = 540
  max_instances     = 1
  pubsub_topic      = module.topics["directory.sync"].id
  dead_letter_topic = module.topics["directory.sync"].dead_letter_id
  project_number    = data.google_project.this.number
}

# The webhook only records a message and acknowledges; this worker fetches each media file
# from Twilio, stores it and publishes it for the processor.
module "whatsapp_media_worker" {
  source            = "./modules/function"
  name              = "whatsapp-media-worker"
  entry_point       = "whatsapp_media_worker"
  platform          = local.platform
  environment       = local.common_env
  secrets           = local.twilio_secrets
  project_roles     = local.firestore_roles
  publishes_to      = [module.topics["documents.received"].id]
  memory            = "1Gi"
  timeout_seconds   = 120
  max_instances     = 20
  pubsub_topic      = module.topics["whatsapp.media"].id
  dead_letter_topic = module.topics["whatsapp.media"].dead_letter_id
  project_number    = data.google_project.this.number
}

# Hourly: a WhatsApp template to the cardholder of a card payment still without a receipt.
module "receipt_reminders" {
  source            = "./modules/function"
  name              = "receipt-reminders"
  entry_point       = "receipt_reminders"
  platform          = local.platform
  environment       = local.common_env
  secrets           = local.twilio_secrets
  project_roles     = local.firestore_roles
  publishes_to      = [module.topics["reminders.run"].id]
  timeout_seconds   = 540
  max_instances     = 1
  pubsub_topic      = module.topics["reminders.run"].id
  dead_letter_topic = module.topics["reminders.run"].dead_letter_id
  project_number    = data.google_project.this.number
}

# The reminders job finds the organizations that turned reminders on with a
# collection-group query on organizations/*/settings (enabled == true).
resource "google_firestore_field" "settings_enabled" {
  database   = google_firestore_database.default.name
  collection = "settings"
  field      = "enabled"
  index_config {
    indexes {
      order       = "ASCENDING"
      query_scope = "COLLECTION_GROUP"
    }
  }
}
