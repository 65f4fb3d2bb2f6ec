# A Pub/Sub topic with its dead-letter topic, a subscription that holds dead letters
# for a week (ops replay them: docs/RUNBOOK.md), and the Pub/Sub service agent's right to
# publish them. Both topics are encrypted with a customer-managed key.

variable "name" { type = string }
variable "project_number" { type = string }
variable "kms_key_name" { type = string }

resource "google_pubsub_topic" "this" {
  name         = var.name
  kms_key_name = var.kms_key_name
}

resource "google_pubsub_topic" "dead_letter" {
  name         = "${var.name}.dead-letter"
  kms_key_name = var.kms_key_name
}

resource "google_pubsub_subscription" "dead_letter_hold" {
  name                       = "${var.name}.dead-letter.hold"
  topic                      = google_pubsub_topic.dead_letter.id
  message_retention_duration = "604800s"
  expiration_policy {
    ttl = "" # never expires, even when nobody reads it for a month
  }
}

resource "google_pubsub_topic_iam_member" "dead_letter_publisher" {
  topic  = google_pubsub_topic.dead_letter.id
  role   = "roles/pubsub.publisher"
  member = "serviceAccount:service-${var.project_number}@gcp-sa-pubsub.iam.gserviceaccount.com"
}

output "id" {
  value = google_pubsub_topic.this.id
}

output "name" {
  value = google_pubsub_topic.this.name
}

output "dead_letter_id" {
  value = google_pubsub_topic.dead_letter.id
}

output "dead_letter_name" {
  value = google_pubsub_topic.dead_letter.name
}

output "dead_letter_hold_subscription" {
  value = google_pubsub_subscription.dead_letter_hold.name
}
