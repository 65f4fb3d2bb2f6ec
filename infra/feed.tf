# The core-banking feed (docs/FEED.md): the bank's core system publishes canonical
# transaction and company events; these functions apply them, idempotently and in
# version order (updated_at). Topics and dead letters are in pubsub.tf.

variable "core_banking_publisher_service_account" {
  description = "Service account of the core-banking system that publishes the feed (empty: granted out of band)."
  type        = string
  default     = ""
}

resource "google_pubsub_topic_iam_member" "core_banking_publishes" {
  for_each = var.core_banking_publisher_service_account == "" ? toset([]) : toset(["transactions.events", "companies.events"])
  topic    = module.topics[each.value].id
  role     = "roles/pubsub.publisher"
  member   = "serviceAccount:${var.core_banking_publisher_service_account}"
}

# A transaction that arrives or settles matches the waiting receipts of its organization
# at once, and answers their senders (✅ on WhatsApp): the processor's settings.
module "transactions_feed" {
  source            = "./modules/function"
  name              = "transactions-feed"
  entry_point       = "transactions_feed"
  platform          = local.platform
  environment       = local.common_env
  secrets           = local.twilio_secrets
  project_roles     = local.firestore_roles
  publishes_to      = [module.topics["documents.approved"].id]
  memory            = "1Gi"
  timeout_seconds   = 300
  max_instances     = 20
  pubsub_topic      = module.topics["transactions.events"].id
  dead_letter_topic = module.topics["transactions.events"].dead_letter_id
  project_number    = data.google_project.this.number
}

# Organizations, members and bank accounts: a new account gets its export folder (a sync
# run), a member's phone change redoes the WhatsApp directory entries of its numbers.
module "companies_feed" {
  source      = "./modules/function"
  name        = "companies-feed"
  entry_point = "companies_feed"
  platform    = local.platform
  environment = merge(local.common_env, {
    TOPIC_EXPORTS_SYNC = module.topics["exports.sync"].name
  })
  project_roles     = local.firestore_roles
  publishes_to      = [module.topics["exports.sync"].id]
  timeout_seconds   = 120
  max_instances     = 10
  pubsub_topic      = module.topics["companies.events"].id
  dead_letter_topic = module.topics["companies.events"].dead_letter_id
  project_number    = data.google_project.this.number
}
