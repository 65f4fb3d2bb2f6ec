# Dead letters answered: a message that failed all its deliveries on `documents.received`,
# `whatsapp.media` or `ebics.inbox` goes to that topic's dead letter (modules/topic), and
# dead_letter_handler marks the document failed and sends the WhatsApp ❌, or answers the
# payment file with a pain.002 RJCT in the EBICS outbox (shared/usecases/dead_letters.py).
# The `.dead-letter.hold` subscriptions keep a copy for ops to replay (docs/RUNBOOK.md).
#
# The push paths name the dead-letter topic, so the CloudEvent `source` names it (the handler
# also recognises the payload's shape). The handler's own subscriptions retry with backoff but
# have no dead letter of their own: it raises only while a run still holds the document, and
# a dead letter of a dead letter would have nobody left to answer it.

module "dead_letter_handler" {
  source          = "./modules/function"
  name            = "dead-letter-handler"
  entry_point     = "dead_letter_handler"
  platform        = local.platform
  environment     = local.ebics_env # common settings + the drop bucket it answers in
  secrets         = local.twilio_secrets
  project_roles   = local.firestore_roles
  timeout_seconds = 120
  max_instances   = 5
  pubsub_topic    = module.topics["documents.received"].dead_letter_id
  project_number  = data.google_project.this.number
}

# The handler's push subscriptions, one per answered dead-letter topic (besides
# documents.received's, made by the function module above). Export and Dropzone runs that
# failed every delivery get the failure written into the integration's status, unless it
# already says more.
resource "google_pubsub_subscription" "dead_letter_answers" {
  for_each             = toset(["whatsapp.media", "ebics.inbox", "exports.sync", "dropzone.sync"])
  name                 = "dead-letter-handler-${replace(each.key, ".", "-")}-push"
  topic                = module.topics[each.key].dead_letter_id
  ack_deadline_seconds = 120
  push_config {
    push_endpoint = "${module.dead_letter_handler.uri}/projects/${local.platform.project}/topics/${module.topics[each.key].dead_letter_name}"
    oidc_token {
      service_account_email = module.dead_letter_handler.service_account_email
    }
  }
  retry_policy {
    minimum_backoff = "10s"
    maximum_backoff = "600s"
  }
}
