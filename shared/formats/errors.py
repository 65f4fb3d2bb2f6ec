"""One exception hierarchy for every bank format (MT940, CFONB-120, pain.001, pain.002).

Every error names what is at fault: a line number of the file being checked (1-based), an
XML element path, or the input record (an entry id, a JSONL line) that could not be written.

    FormatError                     base; catch this to handle any format problem
    ├── UnrepresentableError        writer side: the input cannot be expressed in the format
    └── FormatValidationError       reader side: the file breaks a rule of the format
        └── PaymentFileRefused      a pain file that is refused (carries every reason)
"""

from __future__ import annotations

from shared.errors import Invalid, Refused


class FormatError(Invalid):
    """A bank-format problem. ``where`` names the line, element or record at fault."""

    def __init__(self, message: str, *, where: str | None = None, line: int | None = None):
        self.message = message
        self.line = line
        if where is None and line is not None:
            where = f"line {line}"
        self.where = where
        super().__init__(f"{where}: {message}" if where else message)


class UnrepresentableError(FormatError):
    """The input (an entry, an account, a balance) cannot be written in the target format."""


class FormatValidationError(FormatError):
    """A file breaks a rule of its format (length, character set, structure, balances)."""


class PaymentFileRefused(FormatValidationError, Refused):
    """A payment file is refused; ``reasons`` lists every readable reason found."""

    code = Refused.code
    http_status = Refused.http_status

    def __init__(self, reasons: list[str], *, message_id: str | None = None):
        self.reasons = list(reasons)
        self.message_id = message_id
        first = self.reasons[0] if self.reasons else "refused"
        more = f" (+{len(self.reasons) - 1} more)" if len(self.reasons) > 1 else ""
        super().__init__(first + more)
