output "whatsapp_webhook_url" {
  value = module.whatsapp_webhook.uri
}
