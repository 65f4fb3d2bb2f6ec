# Every topic the functions use, each with its dead-letter topic (modules/topic).
locals {
  topics = [
    "documents.received", "documents.rematch", "documents.approved",
    "exports.nightly", "exports.sync",
    "dropzone.run", "dropzone.sync",
    "ebics.statements", "ebics.inbox", "directory.sync",
    "transactions.events", "companies.events", "reminders.run", "whatsapp.media",
  ]
}

module "topics" {
  source         = "./modules/topic"
  for_each       = toset(local.topics)
  name           = each.value
  project_number = data.google_project.this.number
  kms_key_name   = google_kms_crypto_key.pubsub.id
  depends_on     = [google_kms_crypto_key_iam_member.pubsub_agent]
}
