output "whatsapp_webhook_url" {
  value = google_cloudfunctions2_function.whatsapp_webhook.service_config[0].uri
}
