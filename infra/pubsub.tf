locals {
  topics = ["documents.received", "documents.approved", "exports.nightly", "dropzone.run"]
}

resource "google_pubsub_topic" "topics" {
  for_each = toset(local.topics)
  name     = each.value
}

resource "google_pubsub_topic" "dead_letters" {
  for_each = toset(local.topics)
  name     = "${each.value}.dead-letter"
}

resource "google_pubsub_subscription" "dead_letters" {
  for_each                   = toset(local.topics)
  name                       = "${each.value}.dead-letter.hold"
  topic                      = google_pubsub_topic.dead_letters[each.value].id
  message_retention_duration = "604800s"
}

# Pub/Sub's own service agent must publish to dead letters and ack the source.
resource "google_pubsub_topic_iam_member" "dead_letter_publisher" {
  for_each = toset(local.topics)
  topic    = google_pubsub_topic.dead_letters[each.value].id
  role     = "roles/pubsub.publisher"
  member   = "serviceAccount:service-${data.google_project.this.number}@gcp-sa-pubsub.iam.gserviceaccount.com"
}
