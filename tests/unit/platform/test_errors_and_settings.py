"""One error hierarchy, one Settings validated with errors that name the variable."""

from __future__ import annotations

import pytest

from shared import errors
from shared.config import Settings
from shared.errors import AppError, ConfigError, error_body


def _all_subclasses(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub} | _all_subclasses(sub)
    return found


def test_every_public_error_class_is_an_app_error() -> None:
    import importlib
    import pkgutil

    import shared

    for module in pkgutil.walk_packages(shared.__path__, "shared."):
        if not module.name.endswith("__main__"):
            importlib.import_module(module.name)

    import_roots = ("shared.",)
    strays = [
        f"{cls.__module__}.{cls.__name__}"
        for cls in _all_subclasses(Exception)
        if cls.__module__.startswith(import_roots)
        and not cls.__name__.startswith("_")
        and not issubclass(cls, AppError)
        and cls.__name__ != "Transient"  # the retry policy's signal, never raised out
    ]
    assert strays == []


@pytest.mark.parametrize(
    ("module", "name", "category", "builtin"),
    [
        ("shared.domain.money", "InvalidMoney", errors.Invalid, ValueError),
        ("shared.store.firestore_store", "DocumentBusy", errors.RetryLater, Exception),
        ("shared.store.ebics", "AlreadyDecided", errors.Conflict, Exception),
        ("shared.usecases.ebics", "NotFound", errors.NotFound, LookupError),
        ("shared.destinations.base", "ReconnectNeeded", errors.NeedsReconnect, Exception),
        ("shared.destinations.base", "StorageFull", errors.StorageFull, Exception),
        ("shared.destinations.base", "RetryableError", errors.RetryLater, Exception),
        ("shared.channels.twilio_whatsapp", "TransientChannelError", errors.RetryLater, Exception),
        ("shared.events.pubsub", "BadEvent", errors.Invalid, ValueError),
    ],
)
def test_old_names_keep_working_under_their_category(
    module: str, name: str, category: type, builtin: type
) -> None:
    import importlib

    cls = getattr(importlib.import_module(module), name)
    assert issubclass(cls, category) and issubclass(cls, builtin)


def test_error_body_has_a_stable_code_and_hides_unclassified_details() -> None:
    from shared.extraction.intake import RefusedFile

    assert error_body(RefusedFile("encrypted_pdf", "the PDF is encrypted")) == {
        "error": {"code": "encrypted_pdf", "message": "the PDF is encrypted"}
    }
    assert error_body(KeyError("secret internals")) == {
        "error": {"code": "internal", "message": "internal error"}
    }


def test_settings_name_the_malformed_variable() -> None:
    with pytest.raises(ConfigError, match="MAX_DOCUMENT_BYTES"):
        Settings.from_env({"MAX_DOCUMENT_BYTES": "fifteen"})
    with pytest.raises(ConfigError, match="EXPORT_TIME_BUDGET_SECONDS"):
        Settings.from_env({"EXPORT_TIME_BUDGET_SECONDS": "-1"})
    with pytest.raises(ConfigError, match="TWILIO_API_BASE_URL"):
        Settings.from_env({"TWILIO_API_BASE_URL": "localhost:8080"})
    with pytest.raises(ConfigError, match="OCR_BY_LINE"):
        Settings.from_env({"OCR_BY_LINE": "maybe"})
    with pytest.raises(ConfigError, match="OCR_INT8"):
        Settings.from_env({"OCR_INT8": "fast"})
    assert Settings.from_env({}).ocr_int8 == "wide"
    opted = Settings.from_env({"OCR_INT8": "Off", "OCR_MODEL_DIR": "/tmp/ocr-models"})
    assert (opted.ocr_int8, opted.ocr_model_dir) == ("off", "/tmp/ocr-models")
    assert opted.ocr_options() == {
        "threads": 1,
        "by_line": True,
        "int8": "off",
        "model_dir": "/tmp/ocr-models",
    }


def test_settings_name_the_missing_variable_a_function_needs() -> None:
    config = Settings.from_env({"GOOGLE_CLOUD_PROJECT": "p", "TWILIO_ACCOUNT_SID": "AC1"})
    assert config.documents_bucket == "p-documents"
    with pytest.raises(ConfigError, match="TWILIO_AUTH_TOKEN .*needed by whatsapp_webhook"):
        config.require("twilio_account_sid", "twilio_auth_token", needed_by="whatsapp_webhook")


def test_every_environment_read_goes_through_settings() -> None:
    import re

    from tests.conftest import PROJECT_ROOT

    offenders = []
    for root in ("shared", "functions"):
        for path in (PROJECT_ROOT / root).rglob("*.py"):
            if path.name == "config.py" and path.parent.name == "shared":
                continue
            if re.search(r"os\.environ|getenv\(", path.read_text(encoding="utf-8")):
                offenders.append(str(path.relative_to(PROJECT_ROOT)))
    assert offenders == []


def test_settings_secrets_are_registered_with_the_log_scrubber() -> None:
    from shared.log import scrub_text

    Settings.from_env({"TWILIO_AUTH_TOKEN": "0123456789abcdef0123456789abcdef"})
    assert scrub_text("token 0123456789abcdef0123456789abcdef") == "token [redacted]"
