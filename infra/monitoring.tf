# Monitoring in code: log-based metrics, alert policies and a dashboard for the on-call
# engineer. What to do for each alert: docs/RUNBOOK.md ("Alerts").

resource "google_monitoring_notification_channel" "oncall" {
  display_name = "On-call (${var.environment_name})"
  type         = "email"
  labels       = { email_address = var.alert_email }
}

# Structured logs (shared/log.py) carry `event` and `outcome`; the metrics count them.
resource "google_logging_metric" "export_run_failed" {
  name   = "export_run_failed"
  filter = "resource.type=\"cloud_run_revision\" AND jsonPayload.event=\"export.run\" AND jsonPayload.outcome=(\"failed\" OR \"reconnect_needed\" OR \"storage_full\")"
  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = "INT64"
  }
}

resource "google_logging_metric" "export_run_succeeded" {
  name   = "export_run_succeeded"
  filter = "resource.type=\"cloud_run_revision\" AND jsonPayload.event=\"export.run\" AND jsonPayload.outcome=(\"done\" OR \"partial\")"
  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = "INT64"
  }
}

resource "google_logging_metric" "ebics_statements_written" {
  name   = "ebics_statements_written"
  filter = "resource.type=\"cloud_run_revision\" AND jsonPayload.event=\"ebics.statements.written\""
  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = "INT64"
  }
}

resource "google_logging_metric" "dead_letter_handled" {
  name   = "dead_letter_handled"
  filter = "resource.type=\"cloud_run_revision\" AND jsonPayload.event=\"dead_letter.handled\""
  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = "INT64"
    labels {
      key        = "source_topic"
      value_type = "STRING"
    }
  }
  label_extractors = { source_topic = "EXTRACT(jsonPayload.source_topic)" }
}

# A dead letter not empty: a message failed all its deliveries. It has been answered
# (❌, file description, pain.002) by the dead-letter handler; ops fix and replay it.
resource "google_monitoring_alert_policy" "dead_letter_not_empty" {
  display_name = "Dead letters waiting (${var.environment_name})"
  combiner     = "OR"
  conditions {
    display_name = "A dead-letter hold subscription has undelivered messages"
    condition_threshold {
      filter          = "resource.type=\"pubsub_subscription\" AND metric.type=\"pubsub.googleapis.com/subscription/num_undelivered_messages\" AND resource.label.subscription_id=monitoring.regex.full_match(\".*\\\\.dead-letter\\\\.hold\")"
      comparison      = "COMPARISON_GT"
      threshold_value = 0
      duration        = "300s"
      aggregations {
        alignment_period   = "300s"
        per_series_aligner = "ALIGN_MAX"
      }
    }
  }
  notification_channels = [google_monitoring_notification_channel.oncall.id]
  documentation {
    content   = "See docs/RUNBOOK.md, 'Dead letters waiting'."
    mime_type = "text/markdown"
  }
}

resource "google_monitoring_alert_policy" "export_failing" {
  display_name = "Nightly export failing for a day (${var.environment_name})"
  combiner     = "AND"
  conditions {
    display_name = "Export runs failed in the last 24 h"
    condition_threshold {
      filter          = "resource.type=\"cloud_run_revision\" AND metric.type=\"logging.googleapis.com/user/${google_logging_metric.export_run_failed.name}\""
      comparison      = "COMPARISON_GT"
      threshold_value = 0
      duration        = "0s"
      aggregations {
        alignment_period   = "86400s"
        per_series_aligner = "ALIGN_SUM"
      }
    }
  }
  conditions {
    display_name = "No export run succeeded in the last 24 h"
    condition_absent {
      filter   = "resource.type=\"cloud_run_revision\" AND metric.type=\"logging.googleapis.com/user/${google_logging_metric.export_run_succeeded.name}\""
      duration = "86400s"
      aggregations {
        alignment_period   = "3600s"
        per_series_aligner = "ALIGN_SUM"
      }
    }
  }
  notification_channels = [google_monitoring_notification_channel.oncall.id]
  documentation {
    content   = "See docs/RUNBOOK.md, 'Export failing'."
    mime_type = "text/markdown"
  }
}

resource "google_monitoring_alert_policy" "webhook_5xx" {
  display_name = "WhatsApp webhook 5xx rate (${var.environment_name})"
  combiner     = "OR"
  conditions {
    display_name = "More than 1% of webhook requests answer 5xx over 10 minutes"
    condition_threshold {
      filter             = "resource.type=\"cloud_run_revision\" AND resource.label.service_name=\"${module.whatsapp_webhook.name}\" AND metric.type=\"run.googleapis.com/request_count\" AND metric.label.response_code_class=\"5xx\""
      denominator_filter = "resource.type=\"cloud_run_revision\" AND resource.label.service_name=\"${module.whatsapp_webhook.name}\" AND metric.type=\"run.googleapis.com/request_count\""
      comparison         = "COMPARISON_GT"
      threshold_value    = 0.01
      duration           = "600s"
      aggregations {
        alignment_period     = "300s"
        per_series_aligner   = "ALIGN_RATE"
        cross_series_reducer = "REDUCE_SUM"
      }
      denominator_aggregations {
        alignment_period     = "300s"
        per_series_aligner   = "ALIGN_RATE"
        cross_series_reducer = "REDUCE_SUM"
      }
    }
  }
  notification_channels = [google_monitoring_notification_channel.oncall.id]
  documentation {
    content   = "See docs/RUNBOOK.md, 'Webhook errors'."
    mime_type = "text/markdown"
  }
}

# The statements job runs at 06:00 Paris, Tuesday to Saturday; by 08:00 banks' customers
# expect their files. No "written" log for 2 h after the run time fires the alert.
resource "google_monitoring_alert_policy" "ebics_statements_missing" {
  display_name = "EBICS statements missing at 08:00 (${var.environment_name})"
  combiner     = "OR"
  conditions {
    display_name = "No statement written for 26 hours"
    condition_absent {
      filter   = "resource.type=\"cloud_run_revision\" AND metric.type=\"logging.googleapis.com/user/${google_logging_metric.ebics_statements_written.name}\""
      duration = "93600s"
      aggregations {
        alignment_period   = "3600s"
        per_series_aligner = "ALIGN_SUM"
      }
    }
  }
  notification_channels = [google_monitoring_notification_channel.oncall.id]
  documentation {
    content   = "See docs/RUNBOOK.md, 'EBICS statements missing'."
    mime_type = "text/markdown"
  }
}

resource "google_monitoring_dashboard" "operations" {
  dashboard_json = jsonencode({
    displayName = "Document integrations (${var.environment_name})"
    mosaicLayout = {
      columns = 12
      tiles = [
        { width = 6, height = 4, widget = { title = "Dead letters waiting", xyChart = { dataSets = [{ timeSeriesQuery = { timeSeriesFilter = { filter = "metric.type=\"pubsub.googleapis.com/subscription/num_undelivered_messages\" AND resource.label.subscription_id=monitoring.regex.full_match(\".*\\\\.dead-letter\\\\.hold\")", aggregation = { alignmentPeriod = "300s", perSeriesAligner = "ALIGN_MAX" } } } }] } } },
        { xPos = 6, width = 6, height = 4, widget = { title = "Export runs: succeeded / failed", xyChart = { dataSets = [
          { timeSeriesQuery = { timeSeriesFilter = { filter = "metric.type=\"logging.googleapis.com/user/export_run_succeeded\"", aggregation = { alignmentPeriod = "3600s", perSeriesAligner = "ALIGN_SUM" } } } },
          { timeSeriesQuery = { timeSeriesFilter = { filter = "metric.type=\"logging.googleapis.com/user/export_run_failed\"", aggregation = { alignmentPeriod = "3600s", perSeriesAligner = "ALIGN_SUM" } } } },
        ] } } },
        { yPos = 4, width = 6, height = 4, widget = { title = "Requests by function and status class", xyChart = { dataSets = [{ timeSeriesQuery = { timeSeriesFilter = { filter = "metric.type=\"run.googleapis.com/request_count\"", aggregation = { alignmentPeriod = "300s", perSeriesAligner = "ALIGN_RATE", crossSeriesReducer = "REDUCE_SUM", groupByFields = ["resource.label.service_name", "metric.label.response_code_class"] } } } }] } } },
        { xPos = 6, yPos = 4, width = 6, height = 4, widget = { title = "EBICS statements written", xyChart = { dataSets = [{ timeSeriesQuery = { timeSeriesFilter = { filter = "metric.type=\"logging.googleapis.com/user/ebics_statements_written\"", aggregation = { alignmentPeriod = "3600s", perSeriesAligner = "ALIGN_SUM" } } } }] } } },
        { yPos = 8, width = 12, height = 4, widget = { title = "Dead letters handled, by source topic", xyChart = { dataSets = [{ timeSeriesQuery = { timeSeriesFilter = { filter = "metric.type=\"logging.googleapis.com/user/dead_letter_handled\"", aggregation = { alignmentPeriod = "3600s", perSeriesAligner = "ALIGN_SUM", crossSeriesReducer = "REDUCE_SUM", groupByFields = ["metric.label.source_topic"] } } } }] } } },
      ]
    }
  })
}
