"""Export paths with variables: validated when saved, rendered safely per document.

A template is a `/`-separated path whose last segment is the file name, e.g. the default
`Invoice_import/{client_name}_{client_vat}/{doc_type}/{date}_{doc_number}_{document_id}.{ext}`.

Saving (`validate_template`) refuses: unknown variables, unbalanced braces, an absolute
path, empty, `.` or `..` segments, characters the target refuses in its literal text,
more than `MAX_DEPTH` segments or `MAX_TEMPLATE` characters. Rendering
(`render`) replaces each variable by its value made safe for the target: separators and
refused characters become `_`, a value can never introduce a new segment or `..`,
and names the target reserves (Windows device names on OneDrive) get a `_` suffix.

>>> t = validate_template("{client_name}/{doc_type}/{year}/{doc_number}.{ext}", "sftp")
>>> render(t, {"client_name": "ACME/../etc", "doc_type": "AP", "year": "2026",
...            "doc_number": "F 12", "ext": "pdf"}, "sftp")
('ACME_.._etc', 'AP', '2026', 'F 12.pdf')
>>> validate_template("../{client_name}/x.{ext}", "sftp")
Traceback (most recent call last):
...
shared.domain.partner_paths.InvalidPath: path segment '..' is not allowed
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

from shared.errors import Invalid

VARIABLES = frozenset(
    {
        "client_name",
        "client_vat",
        "client_siren",
        "external_id",
        "year",
        "month",
        "day",
        "date",  # YYYY-MM-DD (issue date, else receipt date)
        "doc_type",  # AP (purchases) / AR (sales)
        "doc_number",
        "supplier",
        "document_id",
        "ext",  # the original file's extension
    }
)
DEFAULT_TEMPLATE = (
    "Invoice_import/{client_name}_{client_vat}/{doc_type}/{date}_{doc_number}_{document_id}.{ext}"
)
MAX_TEMPLATE = 300
MAX_DEPTH = 8
MAX_SEGMENT = 120  # characters of one rendered segment (file names keep their extension)

# What each target refuses in a name, beyond "/" and control characters.
_REFUSED = {
    "sftp": "\\",
    "local_folder": "\\",
    "dropbox": '\\<>:"|?*',
    "google_drive": "\\",
    "onedrive": '\\<>:"|?*#%',
}
_WINDOWS_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)), *(f"LPT{i}" for i in range(10))}
)
_VARIABLE = re.compile(r"\{([^{}]*)\}")


class InvalidPath(Invalid):
    """The template cannot be saved; the message says why."""


def _refused(target: str) -> str:
    if target not in _REFUSED:
        raise InvalidPath(f"unknown path target {target!r}")
    return _REFUSED[target]


def validate_template(template: str, target: str) -> str:
    """The template, if it is safe to save for `target`; `InvalidPath` otherwise."""
    refused = _refused(target)
    if not template or len(template) > MAX_TEMPLATE:
        raise InvalidPath(f"path template must have 1 to {MAX_TEMPLATE} characters")
    if template.startswith("/") or template.startswith("~"):
        raise InvalidPath("path template must be relative")
    if any(ord(c) < 32 or ord(c) == 127 for c in template):
        raise InvalidPath("path template must not contain control characters")
    segments = template.split("/")
    if len(segments) > MAX_DEPTH:
        raise InvalidPath(f"path template may have at most {MAX_DEPTH} segments")
    for segment in segments:
        if segment.strip() in ("", ".", ".."):
            raise InvalidPath(f"path segment {segment!r} is not allowed")
        literal = _VARIABLE.sub("", segment)
        if "{" in literal or "}" in literal:
            raise InvalidPath(f"unbalanced braces in {segment!r}")
        bad = sorted({c for c in literal if c in refused})
        if bad:
            raise InvalidPath(f"{target} refuses {''.join(bad)!r} in {segment!r}")
        for name in _VARIABLE.findall(segment):
            if name not in VARIABLES:
                raise InvalidPath(
                    f"unknown variable {{{name}}}; known: {', '.join(sorted(VARIABLES))}"
                )
    if not _VARIABLE.search(segments[-1]):
        # A constant file name would make every document overwrite the previous one.
        raise InvalidPath("the file name (last segment) must contain a variable")
    if "{document_id}" not in template and "{doc_number}" not in template:
        raise InvalidPath("path template needs {document_id} or {doc_number} to stay unique")
    return template


def safe_value(value: str, target: str) -> str:
    """One variable's value as text that cannot escape its segment.

    >>> safe_value("Café / Bar: Nord", "onedrive")
    'Café _ Bar_ Nord'
    """
    refused = _refused(target) + "/"
    text = unicodedata.normalize("NFC", value)
    text = "".join("_" if (c in refused or ord(c) < 32 or ord(c) == 127) else c for c in text)
    return text.strip()


def render(template: str, values: Mapping[str, str], target: str) -> tuple[str, ...]:
    """The path's segments for one document; missing values render as `unknown`."""
    out = []
    for segment in template.split("/"):
        text = _VARIABLE.sub(
            lambda m: safe_value(str(values.get(m.group(1)) or "unknown"), target), segment
        )
        text = text.strip().rstrip(".") if target == "onedrive" else text.strip()
        if len(text) > MAX_SEGMENT:
            stem, dot, ext = text.rpartition(".")
            text = (stem[: MAX_SEGMENT - len(ext) - 1] + dot + ext) if dot else text[:MAX_SEGMENT]
        if text in ("", ".", ".."):
            text = "_" + text
        if target == "onedrive" and text.split(".")[0].upper() in _WINDOWS_RESERVED:
            text = "_" + text
        out.append(text)
    return tuple(out)
