"""Entry points of every Cloud Function (one source tree, many functions).

Deploy each with `--entry-point NAME`; see infra/*.tf.
"""

from functions.api import integrations_api
from functions.dead_letters import dead_letter_handler
from functions.document_processor import document_processor
from functions.dropzone import dropzone_fanout, dropzone_worker
from functions.ebics import ebics_inbox, ebics_statements
from functions.feed import companies_feed, transactions_feed
from functions.nightly_export import nightly_export_fanout, nightly_export_worker
from functions.partner_dispatch import partner_dispatch
from functions.phone_directory import phone_directory_sync
from functions.receipt_reminders import receipt_reminders
from functions.rematch import rematch_unmatched
from functions.whatsapp_media import whatsapp_media_worker
from functions.whatsapp_webhook import whatsapp_webhook

__all__ = [
    "dead_letter_handler",
    "companies_feed",
    "transactions_feed",
    "document_processor",
    "dropzone_fanout",
    "dropzone_worker",
    "ebics_inbox",
    "ebics_statements",
    "integrations_api",
    "nightly_export_fanout",
    "nightly_export_worker",
    "partner_dispatch",
    "phone_directory_sync",
    "receipt_reminders",
    "rematch_unmatched",
    "whatsapp_media_worker",
    "whatsapp_webhook",
]
