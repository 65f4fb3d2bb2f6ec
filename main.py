"""Entry points of every Cloud Function (one source tree, many functions).

Deploy each with `--entry-point NAME`; see infra/functions.tf.
"""

from functions.document_processor import document_processor
from functions.whatsapp_webhook import whatsapp_webhook

__all__ = ["document_processor", "whatsapp_webhook"]
