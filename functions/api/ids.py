"""Ids taken from paths and headers: checked before they reach Firestore or Storage.

Firestore refuses ids that contain `/`, are `.` or `..`, or match `__.*__`; Storage
object names built from them must not climb out of their prefix. An id here is 1-128
characters of letters, digits and `-_.:@+`, not starting with a dot and without `..` or
a `__x__` shape. Anything else is a clean 400 `invalid_id`, never a 500.
"""

from __future__ import annotations

import re

from functions.api.errors import InvalidId

MAX_ID = 128
_ID = re.compile(r"[A-Za-z0-9_@+:-][A-Za-z0-9._@+:-]{0,127}")
_RESERVED = re.compile(r"__.*__")


def is_valid_id(value: str) -> bool:
    return bool(_ID.fullmatch(value)) and ".." not in value and not _RESERVED.fullmatch(value)


def check_id(name: str, value: str) -> str:
    if not is_valid_id(value):
        raise InvalidId(
            f"{name} is not a valid id (1-{MAX_ID} letters, digits or -_.:@+; "
            "no '..', no '/', no __x__)"
        )
    return value
