# Accountant partner space (issue 15): every approved document goes to the partner
# activations of its company (SFTP, email, HTTP, Drive, Dropbox). Published by the
# processor, rematch, Dropzone and feed on `documents.approved`; the Scheduler job below
# publishes `{}` every 15 minutes to sweep failed deliveries whose backoff has passed.
# Extension credentials are sealed with the `tokens` KMS key (kms.tf: token_key_users).
module "partner_dispatch" {
  project_roles     = local.firestore_roles
  source            = "./modules/function"
  name              = "partner-dispatch"
  entry_point       = "partner_dispatch"
  platform          = local.platform
  environment       = merge(local.common_env, { TOKEN_KMS_KEY = google_kms_crypto_key.tokens.id })
  memory            = "512Mi"
  timeout_seconds   = 300
  max_instances     = 20
  pubsub_topic      = module.topics["documents.approved"].id
  dead_letter_topic = module.topics["documents.approved"].dead_letter_id
  project_number    = data.google_project.this.number
}

# The retry sweep asks for the failed deliveries whose backoff has passed, and the digests
# for the queued deliveries of the days before today: equality on `state`, then a range
# on the second field (composite indexes, so the work lists are never filtered in memory).
resource "google_firestore_index" "partner_deliveries_state_next_attempt" {
  database   = google_firestore_database.default.name
  collection = "partner_deliveries"
  fields {
    field_path = "state"
    order      = "ASCENDING"
  }
  fields {
    field_path = "next_attempt_at"
    order      = "ASCENDING"
  }
}

resource "google_firestore_index" "partner_deliveries_state_digest_day" {
  database   = google_firestore_database.default.name
  collection = "partner_deliveries"
  fields {
    field_path = "state"
    order      = "ASCENDING"
  }
  fields {
    field_path = "digest_day"
    order      = "ASCENDING"
  }
}

# A person who fixed a cause requeues the failed deliveries of some activations (state,
# then activation_id in a list); revoking consent cancels a firm's waiting deliveries for a
# company (company_id, firm_id, then state in a list).
resource "google_firestore_index" "partner_deliveries_state_activation" {
  database   = google_firestore_database.default.name
  collection = "partner_deliveries"
  fields {
    field_path = "state"
    order      = "ASCENDING"
  }
  fields {
    field_path = "activation_id"
    order      = "ASCENDING"
  }
}

resource "google_firestore_index" "partner_deliveries_company_firm_state" {
  database   = google_firestore_database.default.name
  collection = "partner_deliveries"
  fields {
    field_path = "company_id"
    order      = "ASCENDING"
  }
  fields {
    field_path = "firm_id"
    order      = "ASCENDING"
  }
  fields {
    field_path = "state"
    order      = "ASCENDING"
  }
}
