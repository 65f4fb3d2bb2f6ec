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
variable "whatsapp_webhook_public_url" {
  description = "The exact URL Twilio is configured to call: signatures are computed over it."
  type        = string
}
variable "twilio_account_sid" { type = string }
variable "twilio_whatsapp_number" { type = string }
