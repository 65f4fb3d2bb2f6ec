"""The one exception of the extraction engine: a file it refuses, with a reason."""

from __future__ import annotations

from shared.errors import Refused


class RefusedFile(Refused):
    """A file that intake refuses. `code` is stable for machines, `reason` is for users."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason
