variable "project" { type = string }
variable "region" {
  type    = string
  default = "europe-west1"
}
variable "firestore_location" {
  type    = string
  default = "eur3"
}
variable "runtime" {
  type    = string
  default = "python312"
}
variable "environment_name" {
  description = "staging or production: labels, alert names and the Cloud Build trigger."
  type        = string
  default     = "production"
}
variable "whatsapp_webhook_public_url" {
  description = "The exact URL Twilio is configured to call: signatures are computed over it."
  type        = string
}
variable "twilio_account_sid" { type = string }
variable "twilio_whatsapp_number" { type = string }
variable "alert_email" {
  description = "Where alerts go (an on-call list)."
  type        = string
}
variable "ttl_collections" {
  description = "Collection groups whose documents carry an `expire_at` TTL field."
  type        = list(string)
  default     = ["idempotency_keys", "whatsapp_messages", "whatsapp_activation_codes", "whatsapp_outbound_sids", "oauth_states"]
}
variable "whatsapp_templates" {
  description = "Approved WhatsApp templates: {template: {language: ContentSid}} (matched_later, receipt_reminder...)."
  type        = map(map(string))
  default     = {}
}
variable "oauth_redirect_uri" {
  description = "The bank app's OAuth callback URL, registered at Google and Dropbox."
  type        = string
}
