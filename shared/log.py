"""Structured JSON logs that Cloud Logging understands (severity, message, fields)."""

from __future__ import annotations

import json
import logging
import sys
from typing import Any

_SECRET_KEYS = ("token", "secret", "password", "authorization", "auth_token", "signature")


def _scrub(fields: dict[str, Any]) -> dict[str, Any]:
    return {
        key: ("[redacted]" if any(s in key.lower() for s in _SECRET_KEYS) else value)
        for key, value in fields.items()
    }


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {"severity": record.levelname, "message": record.getMessage()}
        entry.update(_scrub(getattr(record, "fields", {})))
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


def get_logger(name: str) -> logging.LoggerAdapter:
    logger = logging.getLogger(name)
    root = logging.getLogger("shared")
    if not root.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonFormatter())
        root.addHandler(handler)
        root.setLevel(logging.INFO)
        root.propagate = False
    return _FieldsAdapter(logger, {})


class _FieldsAdapter(logging.LoggerAdapter):
    def process(self, msg: Any, kwargs: Any) -> tuple[Any, Any]:
        fields = {k: kwargs.pop(k) for k in list(kwargs) if k not in ("exc_info", "stack_info")}
        kwargs["extra"] = {"fields": fields}
        return msg, kwargs
